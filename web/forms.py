"""Turning HTML form posts into the typed values the use cases expect, and describing scheme forms."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields
from marshmallow.validate import Length, OneOf, Range

from workflows.schemes import Scheme

LABELS = {
    "applicant_name": _l("Applicant's name"),
    "mobile": _l("Mobile number"),
    "date_of_birth": _l("Date of birth"),
    "category": _l("Social category"),
    "gender": _l("Gender"),
    "product": _l("Product"),
    "unit_address": _l("Address of the unit"),
    "project_cost": _l("Project cost (₹)"),
    "bank_name": _l("Bank"),
    "bank_branch": _l("Bank branch"),
    "bank_defaulter": _l("Has the applicant defaulted on a bank loan?"),
    "earlier_benefit": _l("Benefit taken under another self-employment scheme?"),
    "spv_name": _l("Name of the SPV"),
    "registration_number": _l("Registration number"),
    "contact_name": _l("Contact person"),
    "member_count": _l("Number of members"),
    "product_linked_members": _l("Members linked to the ODOP product"),
    "facility_type": _l("Type of facility"),
    "location": _l("Location"),
    "unit_name": _l("Name of the unit"),
    "fair_name": _l("Fair or exhibition"),
    "fair_type": _l("Fair type"),
    "fair_location": _l("Place of the fair"),
    "fair_start": _l("First day of the fair"),
    "fair_end": _l("Last day of the fair"),
    "stall_charges": _l("Stall charges paid (₹)"),
    "freight_charges": _l("Freight paid (₹)"),
    "travel_fare": _l("Travel fare of one person (₹)"),
    "benefit_in_last_two_years": _l("Similar benefit taken in the last two years?"),
    "loan_amount": _l("Sanctioned loan amount (₹)"),
    "payment_reference": _l("Payment reference (PFMS)"),
}


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: str  # text, number, date, yesno, choice
    required: bool
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    max_length: int | None = None
    pattern: str | None = None


def describe(form: type[Schema]) -> list[FieldSpec]:
    specs = []
    for name, f in form().fields.items():
        validators = list(getattr(f, "validators", []))
        choices = next((tuple(v.choices) for v in validators if isinstance(v, OneOf)), ())
        ranges = [v for v in validators if isinstance(v, Range)]
        lengths = [v for v in validators if isinstance(v, Length)]
        if isinstance(f, fields.Boolean):
            kind = "yesno"
        elif isinstance(f, fields.Integer):
            kind = "number"
        elif isinstance(f, fields.Date):
            kind = "date"
        elif choices:
            kind = "choice"
        else:
            kind = "text"
        specs.append(
            FieldSpec(
                name=name,
                label=str(LABELS.get(name, name.replace("_", " ").capitalize())),
                kind=kind,
                required=f.required,
                choices=choices,
                minimum=ranges[0].min if ranges else None,
                maximum=ranges[0].max if ranges else None,
                max_length=lengths[0].max if lengths else None,
                pattern=r"(\+91)?[6-9][0-9]{9}" if name == "mobile" else None,
            )
        )
    return specs


def coerce(scheme: Scheme, form: Any) -> dict[str, Any]:
    """Form strings to typed values; what cannot be converted is passed on for the schema to reject."""
    data: dict[str, Any] = {}
    for spec in describe(scheme.form):
        raw = form.get(spec.name)
        if raw is None or raw == "":
            continue
        raw = raw.strip()
        if spec.kind == "number":
            digits = raw.replace(",", "")
            data[spec.name] = int(digits) if digits.lstrip("-").isdigit() else raw
        elif spec.kind == "yesno":
            data[spec.name] = {"yes": True, "no": False}.get(raw, raw)
        else:
            data[spec.name] = raw
    return data


def whole_rupees(raw: str | None) -> int | str | None:
    if raw is None or raw.strip() == "":
        return None
    digits = raw.strip().replace(",", "")
    return int(digits) if digits.isdigit() else raw
