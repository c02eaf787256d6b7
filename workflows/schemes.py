"""The scheme catalogue: each scheme's process, application form and decision rules."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from marshmallow import Schema, ValidationError, fields, validates_schema
from marshmallow.validate import Length, OneOf, Range, Regexp

from workflows.errors import UnknownScheme, ValidationFailed

CRORE = 10_000_000
MOBILE = Regexp(r"^(\+91)?[6-9]\d{9}$", error="Enter a 10-digit Indian mobile number.")
NAME = Length(min=2, max=200)


class MarginMoneyForm(Schema):
    applicant_name = fields.String(required=True, validate=NAME)
    mobile = fields.String(required=True, validate=MOBILE)
    date_of_birth = fields.Date(required=True)
    category = fields.String(required=True, validate=OneOf(["GEN", "OBC", "SC", "ST"]))
    gender = fields.String(required=True, validate=OneOf(["female", "male", "other"]))
    product = fields.String(required=True, validate=Length(min=2, max=200))
    unit_address = fields.String(required=True, validate=Length(min=5, max=500))
    project_cost = fields.Integer(required=True, strict=True, validate=Range(min=10_000, max=10 * CRORE))
    bank_name = fields.String(required=True, validate=Length(min=2, max=200))
    bank_branch = fields.String(required=True, validate=Length(min=2, max=200))
    bank_defaulter = fields.Boolean(required=True)
    earlier_benefit = fields.Boolean(required=True)

    @validates_schema
    def _eligibility(self, data: dict[str, Any], **_: Any) -> None:
        born = data.get("date_of_birth")
        if born is not None:
            today = date.today()
            age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
            if age < 18:
                raise ValidationError("The applicant must be at least 18 years old.", "date_of_birth")
        if data.get("bank_defaulter"):
            raise ValidationError("A bank defaulter is not eligible for margin money.", "bank_defaulter")
        if data.get("earlier_benefit"):
            raise ValidationError(
                "Applicants who had a benefit under another self-employment scheme are not eligible.", "earlier_benefit"
            )


class CfcForm(Schema):
    spv_name = fields.String(required=True, validate=NAME)
    registration_number = fields.String(required=True, validate=Length(min=3, max=60))
    contact_name = fields.String(required=True, validate=NAME)
    mobile = fields.String(required=True, validate=MOBILE)
    member_count = fields.Integer(required=True, strict=True, validate=Range(min=20, error="An SPV needs at least 20 members."))
    product_linked_members = fields.Integer(required=True, strict=True, validate=Range(min=0))
    facility_type = fields.String(
        required=True,
        validate=OneOf(["testing_lab", "design_centre", "training_centre", "raw_material_bank", "common_processing", "packaging", "display_sales"]),
    )
    location = fields.String(required=True, validate=Length(min=3, max=300))
    project_cost = fields.Integer(required=True, strict=True, validate=Range(min=100_000, max=100 * CRORE))

    @validates_schema
    def _membership(self, data: dict[str, Any], **_: Any) -> None:
        members, linked = data.get("member_count"), data.get("product_linked_members")
        if members and linked is not None:
            if linked > members:
                raise ValidationError("Cannot exceed the number of members.", "product_linked_members")
            if linked * 3 < members * 2:
                raise ValidationError("At least two-thirds of the members must be linked to the ODOP product.", "product_linked_members")


class MarketingAssistanceForm(Schema):
    applicant_name = fields.String(required=True, validate=NAME)
    unit_name = fields.String(required=True, validate=NAME)
    mobile = fields.String(required=True, validate=MOBILE)
    fair_name = fields.String(required=True, validate=Length(min=3, max=200))
    fair_type = fields.String(required=True, validate=OneOf(["domestic", "international"]))
    fair_location = fields.String(required=True, validate=Length(min=2, max=200))
    fair_start = fields.Date(required=True)
    fair_end = fields.Date(required=True)
    stall_charges = fields.Integer(required=True, strict=True, validate=Range(min=0, max=CRORE))
    freight_charges = fields.Integer(required=True, strict=True, validate=Range(min=0, max=CRORE))
    travel_fare = fields.Integer(required=True, strict=True, validate=Range(min=0, max=CRORE))
    benefit_in_last_two_years = fields.Boolean(required=True)

    @validates_schema
    def _claim(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("fair_start") and data.get("fair_end") and data["fair_end"] < data["fair_start"]:
            raise ValidationError("The fair cannot end before it starts.", "fair_end")
        if data.get("benefit_in_last_two_years"):
            raise ValidationError("A similar benefit in the last two years makes the claim ineligible.", "benefit_in_last_two_years")


@dataclass(frozen=True)
class Scheme:
    code: str
    name: str
    process_key: str
    form: type[Schema]
    applicant_name_field: str
    benefit_field: str
    # The whole application's time limit in working days, from submission to the final decision.
    time_limit_days: int
    # Fields an officer must supply with a given outcome at a given step, beyond outcome and remarks.
    decision_fields: Mapping[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    # For the statistics: the step whose approval sanctions the benefit, the steps whose approval
    # releases money, and the process variable holding the amount released so far.
    sanction_step: str = ""
    release_steps: tuple[str, ...] = ()
    released_field: str = ""

    def validate(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """Return the application data cleaned to JSON-friendly values, or raise ValidationFailed."""
        schema = self.form()
        try:
            loaded = schema.load(dict(data))
        except ValidationError as err:
            raise ValidationFailed(f"The {self.name} application is not complete or not valid.", _flatten(err.messages)) from err
        return schema.dump(loaded)


def _flatten(messages: Any) -> dict[str, list[str]]:
    if isinstance(messages, dict):
        return {str(k): (v if isinstance(v, list) else [str(v)]) for k, v in messages.items()}
    return {"_schema": [str(m) for m in messages]}


SCHEMES: dict[str, Scheme] = {
    s.code: s
    for s in (
        Scheme(
            code="MM",
            name="Margin Money",
            process_key="margin_money",
            form=MarginMoneyForm,
            applicant_name_field="applicant_name",
            benefit_field="margin_money",
            time_limit_days=60,
            decision_fields={("bank_appraisal", "approve"): ("loan_amount",)},
            sanction_step="gm_release",
            release_steps=("gm_release",),
            released_field="margin_money",
        ),
        Scheme(
            code="CFC",
            name="Common Facility Centre",
            process_key="cfc",
            form=CfcForm,
            applicant_name_field="spv_name",
            benefit_field="grant_amount",
            time_limit_days=120,
            sanction_step="state_committee_approval",
            release_steps=("release_instalment",),
            released_field="released_amount",
        ),
        Scheme(
            code="MDA",
            name="Marketing Development Assistance",
            process_key="marketing_assistance",
            form=MarketingAssistanceForm,
            applicant_name_field="applicant_name",
            benefit_field="reimbursement",
            time_limit_days=30,
            decision_fields={("record_payment", "approve"): ("payment_reference",)},
            sanction_step="gm_sanction",
            release_steps=("record_payment",),
            released_field="reimbursement",
        ),
    )
}
BY_PROCESS = {s.process_key: s for s in SCHEMES.values()}
# What an application's process data may hold: what a condition in a scheme's flow may read.
DATA_NAMES = frozenset(
    name
    for s in SCHEMES.values()
    for name in (*s.form().fields, *(f for fields in s.decision_fields.values() for f in fields), s.benefit_field)
    if name
)


def get_scheme(code: str) -> Scheme:
    scheme = SCHEMES.get((code or "").upper())
    if scheme is None:
        raise UnknownScheme(f"There is no scheme '{code}'. Known schemes: {', '.join(SCHEMES)}.")
    return scheme
