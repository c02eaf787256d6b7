"""Identity numbers: Verhoeff's check (published vectors), Aadhaar, Family ID, Udyam, mobile, masking."""

from __future__ import annotations

import pytest

from engine.messages import Text
from workflows import identity

# Verhoeff (1969) as given on Wikipedia and Rosetta Code: 236 -> 3, 12345 -> 1, 123456789012 -> 0.
VERHOEFF_VALID = ["2363", "123451", "1234567890120"]
VERHOEFF_INVALID = ["2364", "123452", "1234567890128", "14285702", "2336"]
# Aadhaar-format numbers published as samples (UIDAI's offline e-KYC sample and sandbox number, a
# widely printed specimen): twelve digits, not starting with 0 or 1, with a valid check digit.
AADHAAR_VALID = ["499118665246", "999999990019", "234123412346"]


@pytest.mark.parametrize(("digits", "check"), [("236", 3), ("12345", 1), ("123456789012", 0)])
def test_verhoeff_check_digit(digits: str, check: int) -> None:
    assert identity.verhoeff_check_digit(digits) == check
    assert identity.verhoeff_valid(digits + str(check))


@pytest.mark.parametrize("number", VERHOEFF_VALID)
def test_verhoeff_accepts_published_valid_numbers(number: str) -> None:
    assert identity.verhoeff_valid(number)


@pytest.mark.parametrize("number", VERHOEFF_INVALID)
def test_verhoeff_refuses_a_wrong_digit_and_a_transposition(number: str) -> None:
    assert not identity.verhoeff_valid(number)


def test_verhoeff_catches_every_single_digit_error_and_adjacent_transposition() -> None:
    number = "499118665246"
    for i in range(len(number)):
        for d in "0123456789":
            if d != number[i]:
                assert not identity.verhoeff_valid(number[:i] + d + number[i + 1 :])
        if i + 1 < len(number) and number[i] != number[i + 1]:
            assert not identity.verhoeff_valid(number[:i] + number[i + 1] + number[i] + number[i + 2 :])


@pytest.mark.parametrize("number", AADHAAR_VALID)
def test_aadhaar_accepts_sample_numbers_with_spaces_or_hyphens(number: str) -> None:
    spaced = f"{number[:4]} {number[4:8]} {number[8:]}"
    hyphened = f"{number[:4]}-{number[4:8]}-{number[8:]}"
    assert identity.aadhaar(number) == identity.aadhaar(spaced) == identity.aadhaar(hyphened) == number


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("234123412345", "aadhaar_check"),  # last digit wrong
        ("243123412346", "aadhaar_check"),  # two digits swapped
        ("123412341234", "aadhaar"),  # starts with 1
        ("012345678901", "aadhaar"),  # starts with 0
        ("23412341234", "aadhaar"),  # 11 digits
        ("2341234123467", "aadhaar"),  # 13 digits
        ("2341 2341 234X", "aadhaar"),
        ("२३४१२३४१२३४६", "aadhaar"),  # Devanagari digits are not taken as ASCII
        ("", "aadhaar"),
    ],
)
def test_aadhaar_refuses_with_a_message_naming_the_field(value: str, problem: str) -> None:
    assert identity.aadhaar(value) is None
    message = identity.aadhaar_problem(value)
    assert message == identity.MESSAGES[problem]
    assert message.startswith("Aadhaar number:") and message.hi.startswith("आधार संख्या:")


@pytest.mark.parametrize(("value", "expected"), [("UPF000000001", "UPF000000001"), ("upf 0000-00001", "UPF000000001"),
                                                  ("123456789012", "123456789012")])
def test_family_id_is_twelve_letters_and_digits(value: str, expected: str) -> None:
    assert identity.family_id(value) == expected


@pytest.mark.parametrize("value", ["UPF00000001", "UPF0000000012", "UPF00000000$", "", "परिवार12345"])
def test_family_id_refuses_other_lengths_and_characters(value: str) -> None:
    assert identity.family_id(value) is None


@pytest.mark.parametrize(("value", "expected"), [
    ("UDYAM-UP-01-0012345", "UDYAM-UP-01-0012345"), ("udyam-up-01-0012345", "UDYAM-UP-01-0012345"),
    (" UDYAM-MH-19-1234567 ", "UDYAM-MH-19-1234567"),
])
def test_udyam_number_format(value: str, expected: str) -> None:
    assert identity.udyam_number(value) == expected


@pytest.mark.parametrize("value", [
    "UDYAM-UP-1-0012345", "UDYAM-UP-01-012345", "UDYAM-U1-01-0012345", "UDYAM-UP-01-00123456", "UDYOG-UP-01-0012345",
    "UP-01-0012345", "UDYAM UP 01 0012345", "",
])
def test_udyam_number_refuses_other_shapes(value: str) -> None:
    assert identity.udyam_number(value) is None


@pytest.mark.parametrize("value", ["9876543210", "+919876543210", "+91 98765 43210", "09876543210", "919876543210",
                                   "98765-43210"])
def test_mobile_prefixes_are_normalised(value: str) -> None:
    assert identity.mobile(value) == "9876543210"


@pytest.mark.parametrize("value", ["5876543210", "987654321", "98765432101", "+9298765 43210", "00987654321", "abc"])
def test_mobile_refuses_numbers_that_are_not_indian_mobiles(value: str) -> None:
    assert identity.mobile(value) is None


def test_masking_shows_only_the_last_four_digits() -> None:
    assert identity.mask_aadhaar("2341 2341 2346") == "XXXX XXXX 2346"
    assert identity.MASKED.match(identity.mask_aadhaar("499118665246"))


def test_protect_replaces_the_number_by_its_mask_and_a_keyed_hash() -> None:
    data, digest = identity.protect({"aadhaar": "234123412346", "mobile": "9876543210"}, b"key-1")
    assert data == {"aadhaar": "XXXX XXXX 2346", "mobile": "9876543210"}
    assert digest is not None and len(digest) == 64 and "234123412346" not in digest
    assert identity.protect({"aadhaar": "234123412346"}, b"key-1")[1] == digest  # the same number, the same hash
    assert identity.protect({"aadhaar": "234123412346"}, b"key-2")[1] != digest  # the key matters
    assert identity.protect({"aadhaar": "XXXX XXXX 2346"}, b"key-1") == ({"aadhaar": "XXXX XXXX 2346"}, None)


def test_hashing_without_a_key_is_refused() -> None:
    with pytest.raises(RuntimeError, match="ODOP_AADHAAR_KEY"):
        identity.aadhaar_hash(b"", "234123412346")


def test_normalise_checks_only_the_form_fields_and_accepts_a_stored_mask_only_when_told() -> None:
    keys = {"aadhaar", "mobile", "family_id", "udyam_number"}
    data, errors = identity.normalise(
        {"aadhaar": "2341 2341 2346", "mobile": "+91 98765 43210", "family_id": "upf000000001", "udyam_number": "x"}, keys
    )
    assert data["aadhaar"] == "234123412346" and data["mobile"] == "9876543210" and data["family_id"] == "UPF000000001"
    assert errors == {"udyam_number": [identity.MESSAGES["udyam_number"]]}
    assert identity.normalise({"aadhaar": "XXXX XXXX 2346"}, keys)[1] == {"aadhaar": [identity.MESSAGES["aadhaar_masked"]]}
    assert identity.normalise({"aadhaar": "XXXX XXXX 2346"}, keys, masked_ok=True)[1] == {}
    assert identity.normalise({"udyam_number": "x"}, {"mobile"}) == ({"udyam_number": "x"}, {})


def test_every_message_has_hindi_text() -> None:
    for message in identity.MESSAGES.values():
        assert isinstance(message, Text) and message.hi and message.hi != str(message)


def test_a_bundles_eligibility_rules_are_checked_before_publishing() -> None:
    from workflows.catalogue.bundles import eligibility_problems

    fields = {"family_id", "product"}
    assert eligibility_problems([{"rule": "one_per_family"}, {"rule": "district_product", "field": "product"}], fields) == []
    assert eligibility_problems(None, fields) == []
    problems = eligibility_problems(
        [{"rule": "one_per_household"}, {"rule": "not_within_years", "years": 0},
         {"rule": "district_product", "field": "goods"}, {"rule": "one_per_family"}], {"product"},
    )
    assert len(problems) == 4 and "one_per_household" not in problems[0] and "must be one of" in problems[0]
