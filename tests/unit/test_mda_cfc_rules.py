"""MDA and CFC money and time rules of the shipped bundles, at their boundaries (issue 16):
the claim window after a fair, the CFC cost cap, the decision rules (sanctioned amount, appraised
cost), and the office steps' limits against the overall limit on every path of every scheme."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from engine.validation import screen
from tests.unit.test_benefit_rules import CFC_CAP, TRAVEL_CAP
from tests.unit.test_schemes import scheme
from workflows.catalogue import bundle_extras, bundles, step_limits
from workflows.catalogue.bundles import load_folder
from workflows.catalogue.schemes import from_bundle
from workflows.errors import ValidationFailed

BPMN = Path(__file__).resolve().parents[2] / "bpmn"
FAIR_END = date(2026, 11, 27)
MDA = {
    "applicant_name": "Imran Khan", "unit_name": "Khan Brass", "mobile": "9876543210", "fair_name": "IITF",
    "fair_type": "domestic", "fair_location": "New Delhi", "fair_start": "2026-11-14", "fair_end": FAIR_END.isoformat(),
    "stall_charges": 60_000, "freight_charges": 5_000, "travel_fare": 2_400, "benefit_in_last_two_years": False,
    "aadhaar": "234123412346", "udyam_number": "UDYAM-UP-01-0000001",
}  # fmt: skip
CFC = {
    "spv_name": "Agra Leather Artisans", "registration_number": "U12345", "contact_name": "Ravi Kumar",
    "mobile": "9876543210", "member_count": 30, "product_linked_members": 20, "facility_type": "testing_lab",
    "location": "Agra", "project_cost": 50_000_000,
}  # fmt: skip


def test_the_caps_are_parameters_of_the_bundles() -> None:
    assert scheme("marketing_assistance").parameters == {"travel_fare_cap": TRAVEL_CAP, "claim_window_days": 90}
    cfc = scheme("cfc")
    assert cfc.parameters == {"project_cost_cap": CFC_CAP}
    # The form's own maximum (what the browser enforces) says the same as the parameter.
    assert next(f for f in cfc.fields if f.key == "project_cost").maximum == CFC_CAP


@pytest.mark.parametrize(
    ("filed_on", "refusal"),
    [
        (FAIR_END - timedelta(days=20), "only after the fair has ended"),  # before the fair
        (FAIR_END, "only after the fair has ended"),  # the fair's last day
        (FAIR_END + timedelta(days=1), None),  # the day after
        (FAIR_END + timedelta(days=90), None),  # the last day of the window
        (FAIR_END + timedelta(days=91), "The claim is late"),  # one day late
    ],
)
def test_claim_window_after_the_fair(filed_on: date, refusal: str | None) -> None:
    mda = scheme("marketing_assistance")
    if refusal is None:
        assert mda.validate(MDA, application_date=filed_on)["fair_end"] == MDA["fair_end"]
        return
    with pytest.raises(ValidationFailed) as caught:
        mda.validate(MDA, application_date=filed_on)
    (message,) = caught.value.fields["fair_end"]
    assert refusal in message
    assert "27-11-2026" in message  # the fair's last day, named
    assert filed_on.strftime("%d-%m-%Y") in message  # and today
    if filed_on <= FAIR_END:
        assert "claims are taken from 28-11-2026" in message
    else:
        assert "until 25-02-2027 (90 days after the fair)" in message


def test_the_claim_window_follows_the_parameter() -> None:
    bundle = load_folder(BPMN / "schemes" / "marketing_assistance")
    bundle["parameters"]["claim_window_days"] = 30
    with pytest.raises(ValidationFailed) as caught:
        from_bundle(bundle).validate(MDA, application_date=FAIR_END + timedelta(days=31))
    assert "until 27-12-2026 (30 days after the fair)" in caught.value.fields["fair_end"][0]
    assert from_bundle(bundle).validate(MDA, application_date=FAIR_END + timedelta(days=30))


@pytest.mark.parametrize(("cost", "accepted"), [(CFC_CAP, True), (CFC_CAP + 1, False)])
def test_cfc_project_cost_at_the_cap(cost: int, accepted: bool) -> None:
    cfc = scheme("cfc")
    if accepted:
        assert cfc.validate({**CFC, "project_cost": cost}, application_date=FAIR_END)["project_cost"] == cost
        return
    with pytest.raises(ValidationFailed) as caught:
        cfc.validate({**CFC, "project_cost": cost}, application_date=FAIR_END)
    assert caught.value.fields["project_cost"] == ["The project cost can be at most Rs 15,00,00,000 (15 crore)."]


def test_a_raised_cap_parameter_is_what_the_rule_reads() -> None:
    bundle = load_folder(BPMN / "schemes" / "cfc")
    bundle["parameters"]["project_cost_cap"] = 100_000_000
    with pytest.raises(ValidationFailed) as caught:
        from_bundle(bundle).validate({**CFC, "project_cost": 100_000_001}, application_date=FAIR_END)
    assert caught.value.fields["project_cost"] == ["The project cost can be at most Rs 10,00,00,000 under the scheme."]


def _sanction(sanctioned: int | None, remarks: str = "", computed: int = 59_900) -> dict[str, list[str]]:
    rules = scheme("marketing_assistance").decision_rules("sanction")
    values = {"remarks": remarks} | ({"sanctioned_amount": sanctioned} if sanctioned is not None else {})
    process = {"reimbursement": computed, "sanctioned_amount": computed}
    return bundle_extras.broken_decision_rules(rules, process, ["sanctioned_amount"], values)


def test_sanctioned_amount_rules() -> None:
    assert _sanction(None) == {}  # left empty: the computed amount
    assert _sanction(59_900) == {}  # as computed, no reasons needed
    assert _sanction(59_901) == {
        "sanctioned_amount": ["The sanctioned amount cannot be more than the computed admissible amount of Rs 59,900."]
    }
    assert _sanction(50_000) == {"remarks": ["Give the reasons for sanctioning less than the computed Rs 59,900."]}
    assert _sanction(50_000, "Freight bill for one consignment only.") == {}
    assert _sanction(0, "Participation not proved for the stall claimed.") == {}


@pytest.mark.parametrize(("appraised", "errors"), [(50_000_000, {}), (49_999_999, {}), (50_000_001, {"appraised_cost": [
    "The appraised cost cannot be more than the project cost claimed, Rs 5,00,00,000."]})])
def test_appraised_cost_at_most_the_claimed_cost(appraised: int, errors: dict) -> None:
    rules = scheme("cfc").decision_rules("appraisal")
    assert bundle_extras.broken_decision_rules(rules, CFC, ["appraised_cost"], {"appraised_cost": appraised}) == errors


def _flow(*names: str) -> dict[str, bytes]:
    return {name: (BPMN / name).read_bytes() for name in names}


@pytest.mark.parametrize("folder", sorted(p.name for p in (BPMN / "schemes").iterdir() if (p / "scheme.json").is_file()))
def test_office_step_limits_fit_the_overall_limit_on_every_path(folder: str) -> None:
    bundle = load_folder(BPMN / "schemes" / folder)
    screened, _ = screen({f"{bundle['process']}.bpmn": (BPMN / f"{bundle['process']}.bpmn").read_bytes()})
    longest = step_limits.longest_office_path(screened.bpmn, bundle["process"])
    assert longest is not None and longest.steps
    assert longest.days <= bundle["time_limit_days"], (longest, bundle["time_limit_days"])


def test_cfc_longest_path_counts_both_instalments_and_no_applicant_steps() -> None:
    screened, _ = screen({"cfc.bpmn": (BPMN / "cfc.bpmn").read_bytes()})
    longest = step_limits.longest_office_path(screened.bpmn, "cfc")
    assert longest.days == 120
    assert longest.steps.count("Release instalment") == 2
    assert "Submit utilisation certificate" not in longest.steps


def test_a_step_limit_that_overruns_the_overall_limit_is_refused_at_publication() -> None:
    shipped = _flow("cfc.bpmn", "cfc_grant.dmn")
    changed = {**shipped, "cfc.bpmn": shipped["cfc.bpmn"].replace(
        b'<spiffworkflow:property name="time_limit_days" value="15" />\n          '
        b'<spiffworkflow:property name="outcomes" value="approve,return,reject" />\n          '
        b'<spiffworkflow:property name="form_key" value="appraisal" />',
        b'<spiffworkflow:property name="time_limit_days" value="21" />\n          '
        b'<spiffworkflow:property name="outcomes" value="approve,return,reject" />\n          '
        b'<spiffworkflow:property name="form_key" value="appraisal" />',
    )}
    bundle = load_folder(BPMN / "schemes" / "cfc")
    assert bundles.problems(bundle, shipped) == []
    found = bundles.problems(bundle, changed)
    assert len(found) == 1 and "add up to 126 working days" in found[0] and "more than the overall limit of 120" in found[0]
    assert "Technical appraisal of the DPR -> State Level Committee approval -> Release instalment" in found[0]


def test_bundle_problems_of_parameters_and_decision_rules() -> None:
    bundle = json.loads(json.dumps(load_folder(BPMN / "schemes" / "marketing_assistance")))
    bundle["parameters"] = {"travel_fare": 5, "cap": -1, "window": "90"}
    bundle["decision_rules"] = {"nosuch": [], "sanction": [{"field": "x", "check": "loan <= reimbursement", "message": {"en": "-"}}]}
    found = "\n".join(bundles.problems(bundle, _flow("marketing_assistance.bpmn", "mda_reimbursement.dmn")))
    assert "The parameter 'travel_fare' has the name of a form field." in found
    assert "The parameter 'cap' must be a whole number" in found and "The parameter 'window' must be" in found
    assert "The decision rules name the form 'nosuch'" in found
    assert "reads 'loan', which is not a field of the process data" in found
