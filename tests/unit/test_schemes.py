import pytest

from workflows.errors import UnknownScheme, ValidationFailed
from workflows.schemes import get_scheme

MM = {
    "applicant_name": "Sunita Devi",
    "mobile": "9876543210",
    "date_of_birth": "1990-05-01",
    "category": "OBC",
    "gender": "female",
    "product": "Leather footwear",
    "unit_address": "12 Shoe Market, Agra",
    "project_cost": 1_200_000,
    "bank_name": "State Bank of India",
    "bank_branch": "Sadar Bazar",
    "bank_defaulter": False,
    "earlier_benefit": False,
}


def test_valid_margin_money_application_is_cleaned() -> None:
    cleaned = get_scheme("mm").validate(MM)
    assert cleaned["project_cost"] == 1_200_000 and cleaned["date_of_birth"] == "1990-05-01"


@pytest.mark.parametrize(
    ("change", "field", "fragment"),
    [
        ({"project_cost": "12 lakh"}, "project_cost", "integer"),
        ({"project_cost": 0}, "project_cost", "greater than or equal"),
        ({"mobile": "12345"}, "mobile", "10-digit"),
        ({"date_of_birth": "2015-01-01"}, "date_of_birth", "at least 18"),
        ({"bank_defaulter": True}, "bank_defaulter", "not eligible"),
        ({"category": "XYZ"}, "category", "Must be one of"),
        ({"applicant_name": None}, "applicant_name", "null"),
    ],
)
def test_invalid_margin_money_names_the_field(change: dict, field: str, fragment: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        get_scheme("MM").validate({**MM, **change})
    assert field in caught.value.fields
    assert fragment in " ".join(caught.value.fields[field])


def test_missing_and_unknown_fields() -> None:
    data = {k: v for k, v in MM.items() if k != "bank_name"} | {"hacker": 1}
    with pytest.raises(ValidationFailed) as caught:
        get_scheme("MM").validate(data)
    assert set(caught.value.fields) == {"bank_name", "hacker"}


def test_cfc_two_thirds_rule() -> None:
    base = {
        "spv_name": "Moradabad Brass Artisans Producer Company",
        "registration_number": "U12345",
        "contact_name": "Imran Ansari",
        "mobile": "9876500000",
        "member_count": 30,
        "product_linked_members": 19,
        "facility_type": "testing_lab",
        "location": "Moradabad",
        "project_cost": 50_000_000,
    }
    with pytest.raises(ValidationFailed, match="two-thirds"):
        get_scheme("CFC").validate(base)
    assert get_scheme("CFC").validate({**base, "product_linked_members": 20})["member_count"] == 30
    with pytest.raises(ValidationFailed, match="at least 20"):
        get_scheme("CFC").validate({**base, "member_count": 19, "product_linked_members": 19})


def test_unknown_scheme() -> None:
    with pytest.raises(UnknownScheme, match="Known schemes: MM, CFC, MDA"):
        get_scheme("PMEGP")
