"""Every rule the old marshmallow forms (MarginMoneyForm, CfcForm, MarketingAssistanceForm) enforced,
now read from the scheme bundles in bpmn/schemes/, rule by rule."""

from datetime import date
from pathlib import Path

import pytest

from workflows.catalogue.bundles import load_folder
from workflows.catalogue.schemes import Scheme, from_bundle
from workflows.errors import ValidationFailed

ROOT = Path(__file__).resolve().parents[2] / "bpmn" / "schemes"
TODAY = date(2026, 12, 3)


def scheme(folder: str) -> Scheme:
    return from_bundle(load_folder(ROOT / folder), version=1)


MM = {
    "applicant_name": "Sunita Devi", "aadhaar": "234123412346", "family_id": "UPF000000001",
    "mobile": "9876543210", "date_of_birth": "1990-05-01", "category": "OBC",
    "gender": "female", "product": "Leather footwear", "unit_address": "12 Shoe Market, Agra",
    "project_cost": 1_200_000, "bank_ifsc": "SBIN0001735",
    "bank_defaulter": False, "earlier_benefit": False,
}  # fmt: skip
CFC = {
    "spv_name": "Agra Leather Artisans", "registration_number": "U12345", "contact_name": "Ravi Kumar",
    "mobile": "9876543210", "member_count": 30, "product_linked_members": 20, "facility_type": "testing_lab",
    "location": "Agra", "project_cost": 50_000_000,
}  # fmt: skip
MDA = {
    "applicant_name": "Imran Khan", "aadhaar": "499118665246", "unit_name": "Khan Brass",
    "udyam_number": "UDYAM-UP-50-0012345", "mobile": "9876543210", "fair_name": "IITF",
    "fair_type": "domestic", "fair_location": "New Delhi", "fair_start": "2026-11-14", "fair_end": "2026-11-27",
    "stall_charges": 60_000, "freight_charges": 5_000, "travel_fare": 2_400, "benefit_in_last_two_years": False,
}  # fmt: skip
BASE = {"margin_money": MM, "cfc": CFC, "marketing_assistance": MDA}


def refused(folder: str, change: dict, *, today: date = TODAY) -> dict[str, list[str]]:
    with pytest.raises(ValidationFailed) as caught:
        scheme(folder).validate({**BASE[folder], **change}, application_date=today)
    return caught.value.fields


@pytest.mark.parametrize("folder", list(BASE))
def test_valid_applications_are_accepted_unchanged(folder: str) -> None:
    assert scheme(folder).validate(BASE[folder], application_date=TODAY) == BASE[folder]


NAME, MOBILE = "At least 2 characters.", "Mobile number: enter a 10-digit Indian mobile number"
RULES = [
    # Margin money: every field required, lengths, the mobile pattern, options, the cost range, strict integers
    ("margin_money", {"applicant_name": "S"}, "applicant_name", NAME),
    ("margin_money", {"applicant_name": "S" * 201}, "applicant_name", "At most 200 characters."),
    ("margin_money", {"applicant_name": None}, "applicant_name", "Required."),
    ("margin_money", {"mobile": "12345"}, "mobile", MOBILE),
    ("margin_money", {"mobile": "5876543210"}, "mobile", MOBILE),
    ("margin_money", {"date_of_birth": "01-05-1990"}, "date_of_birth", "YYYY-MM-DD"),
    ("margin_money", {"category": "XYZ"}, "category", "Choose one of"),
    ("margin_money", {"gender": "x"}, "gender", "Choose one of"),
    ("margin_money", {"product": "L"}, "product", NAME),
    ("margin_money", {"unit_address": "Agra"}, "unit_address", "At least 5 characters."),
    ("margin_money", {"unit_address": "A" * 501}, "unit_address", "At most 500 characters."),
    ("margin_money", {"project_cost": 9_999}, "project_cost", "at least 10,000"),
    ("margin_money", {"project_cost": 100_000_001}, "project_cost", "at most 10,00,00,000"),
    ("margin_money", {"project_cost": "12 lakh"}, "project_cost", "whole number"),
    ("margin_money", {"project_cost": 1_200_000.0}, "project_cost", "whole number"),
    ("margin_money", {"project_cost": True}, "project_cost", "whole number"),
    ("margin_money", {"bank_ifsc": "SBIN1001735"}, "bank_ifsc", "an IFSC is 4 letters, a zero"),
    ("margin_money", {"bank_ifsc": "SBI00001735"}, "bank_ifsc", "an IFSC is 4 letters, a zero"),
    ("margin_money", {"bank_ifsc": "sbin0001735"}, "bank_ifsc", "an IFSC is 4 letters, a zero"),
    ("margin_money", {"bank_ifsc": "SBIN000173"}, "bank_ifsc", "an IFSC is 4 letters, a zero"),
    ("margin_money", {"bank_ifsc": None}, "bank_ifsc", "Required."),
    ("margin_money", {"bank_defaulter": "no"}, "bank_defaulter", "yes or no"),
    # ... and its cross-field rules: age on the date of application, defaulters, earlier benefits
    ("margin_money", {"date_of_birth": "2008-12-04"}, "date_of_birth", "at least 18"),
    ("margin_money", {"bank_defaulter": True}, "bank_defaulter", "not eligible"),
    ("margin_money", {"earlier_benefit": True}, "earlier_benefit", "not eligible"),
    # CFC
    ("cfc", {"spv_name": "A"}, "spv_name", NAME),
    ("cfc", {"registration_number": "U1"}, "registration_number", "At least 3 characters."),
    ("cfc", {"registration_number": "U" * 61}, "registration_number", "At most 60 characters."),
    ("cfc", {"contact_name": "R"}, "contact_name", NAME),
    ("cfc", {"mobile": "98765"}, "mobile", MOBILE),
    ("cfc", {"member_count": 19, "product_linked_members": 19}, "member_count", "at least 20 members"),
    ("cfc", {"member_count": 30.0}, "member_count", "whole number"),
    ("cfc", {"product_linked_members": -1}, "product_linked_members", "at least 0"),
    ("cfc", {"facility_type": "casino"}, "facility_type", "Choose one of"),
    ("cfc", {"location": "Ag"}, "location", "At least 3 characters."),
    ("cfc", {"project_cost": 99_999}, "project_cost", "at least 1,00,000"),
    ("cfc", {"project_cost": 150_000_001}, "project_cost", "at most Rs 15,00,00,000"),
    ("cfc", {"product_linked_members": 31}, "product_linked_members", "Cannot exceed the number of members."),
    ("cfc", {"product_linked_members": 19}, "product_linked_members", "two-thirds"),
    # MDA
    ("marketing_assistance", {"unit_name": "K"}, "unit_name", NAME),
    ("marketing_assistance", {"fair_name": "IT"}, "fair_name", "At least 3 characters."),
    ("marketing_assistance", {"fair_type": "regional"}, "fair_type", "Choose one of"),
    ("marketing_assistance", {"fair_location": "D"}, "fair_location", NAME),
    ("marketing_assistance", {"fair_start": "2026-13-01"}, "fair_start", "YYYY-MM-DD"),
    ("marketing_assistance", {"stall_charges": -1}, "stall_charges", "at least 0"),
    ("marketing_assistance", {"freight_charges": 10_000_001}, "freight_charges", "at most 1,00,00,000"),
    ("marketing_assistance", {"travel_fare": "2400"}, "travel_fare", "whole number"),
    ("marketing_assistance", {"fair_end": "2026-11-13"}, "fair_end", "cannot end before it starts"),
    ("marketing_assistance", {"benefit_in_last_two_years": True}, "benefit_in_last_two_years", "ineligible"),
]


@pytest.mark.parametrize(("folder", "change", "field", "fragment"), RULES)
def test_each_rule_of_the_old_forms_is_enforced(folder: str, change: dict, field: str, fragment: str) -> None:
    errors = refused(folder, change)
    assert field in errors, errors
    assert fragment in " ".join(errors[field])


@pytest.mark.parametrize("folder", list(BASE))
def test_every_field_is_required_and_unknown_fields_are_refused(folder: str) -> None:
    for name in BASE[folder]:
        data = {k: v for k, v in BASE[folder].items() if k != name}
        with pytest.raises(ValidationFailed) as caught:
            scheme(folder).validate(data, application_date=TODAY)
        assert caught.value.fields == {name: ["Required."]}
    assert set(refused(folder, {"hacker": 1})) == {"hacker"}


def test_age_is_counted_on_the_date_of_application() -> None:
    turning = {"date_of_birth": "2008-12-03"}
    assert scheme("margin_money").validate({**MM, **turning}, application_date=TODAY)["date_of_birth"] == "2008-12-03"
    assert "date_of_birth" in refused("margin_money", turning, today=date(2026, 12, 2))


def test_the_error_message_names_the_fields() -> None:
    with pytest.raises(ValidationFailed, match="Mobile number, Project cost"):
        scheme("margin_money").validate({**MM, "mobile": "1", "project_cost": 1}, application_date=TODAY)
