"""Server-side validation agrees with the form-js definition, for every field type (table-driven),
and a definition the server cannot enforce is refused in plain words."""

import pytest

from workflows.catalogue import forms
from workflows.catalogue.form_rules import broken, problems

FIELDS = {
    "text": {"type": "textfield", "key": "text", "label": "Text", "validate": {"required": True, "minLength": 3, "maxLength": 5, "pattern": "^[A-Z]+$"}},
    "area": {"type": "textarea", "key": "area", "label": "Area", "validate": {"maxLength": 10}},
    "whole": {"type": "number", "key": "whole", "label": "Whole", "decimalDigits": 0, "validate": {"required": True, "min": 1, "max": 10}},
    "real": {"type": "number", "key": "real", "label": "Real", "validate": {"min": 0.5}},
    "pick": {"type": "select", "key": "pick", "label": "Pick", "values": [{"label": "A", "value": "a"}, {"label": "B", "value": "b"}], "validate": {"required": True}},
    "one": {"type": "radio", "key": "one", "label": "One", "values": [{"label": "Yes", "value": "yes"}, {"label": "No", "value": "no"}]},
    "tick": {"type": "checkbox", "key": "tick", "label": "Tick"},
    "agree": {"type": "checkbox", "key": "agree", "label": "Agree", "validate": {"required": True}},
    "many": {"type": "checklist", "key": "many", "label": "Many", "values": [{"label": "X", "value": "x"}, {"label": "Y", "value": "y"}], "validate": {"required": True}},
    "day": {"type": "datetime", "subtype": "date", "key": "day", "dateLabel": "Day", "validate": {"required": True}},
}
VALID = {"text": "ABC", "whole": 5, "pick": "a", "tick": False, "agree": True, "many": ["x"], "day": "2026-01-31"}

# (field, value, error or None when accepted)
TABLE = [
    ("text", "ABCDE", None), ("text", "AB", "At least 3 characters."), ("text", "ABCDEF", "At most 5 characters."),
    ("text", "abc", "This is not in the expected form."), ("text", 123, "Enter text."), ("text", "", "Required."),
    ("area", "x" * 10, None), ("area", "x" * 11, "At most 10 characters."), ("area", "", None),
    ("whole", 1, None), ("whole", 10, None), ("whole", 0, "Enter at least 1."), ("whole", 11, "Enter at most 10."),
    ("whole", 2.5, "Enter a whole number."), ("whole", 2.0, "Enter a whole number."), ("whole", "5", "Enter a whole number."),
    ("whole", True, "Enter a whole number."), ("whole", None, "Required."),
    ("real", 0.5, None), ("real", 7, None), ("real", 0.4, "Enter at least 0.5."), ("real", "1", "Enter a number."),
    ("pick", "b", None), ("pick", "c", "Choose one of: A, B."), ("pick", None, "Required."),
    ("one", "no", None), ("one", "maybe", "Choose one of: Yes, No."), ("one", None, None),
    ("tick", True, None), ("tick", "yes", "Answer yes or no."), ("tick", None, "Required."),
    ("agree", True, None), ("agree", False, "This must be ticked."),
    ("many", ["x", "y"], None), ("many", ["z"], "Choose one of: X, Y."), ("many", ["x", "x"], "Choose each option once."),
    ("many", [], "Required."), ("many", "x", "Choose from the list."),
    ("day", "2024-02-29", None), ("day", "2025-02-29", "Enter a date as YYYY-MM-DD."), ("day", "31-01-2026", "Enter a date as YYYY-MM-DD."),
]


@pytest.fixture(scope="module")
def form() -> list[forms.Field]:
    return forms.fields({"components": list(FIELDS.values())})


def test_the_valid_submission_passes(form: list[forms.Field]) -> None:
    assert forms.check(form, VALID) == (VALID, {})


@pytest.mark.parametrize(("key", "value", "error"), TABLE)
def test_server_agrees_with_the_definition(form: list[forms.Field], key: str, value: object, error: str | None) -> None:
    cleaned, errors = forms.check(form, {**VALID, key: value})
    if error is None:
        assert errors == {}
    else:
        assert list(errors) == [key]
        assert errors[key] == [error]


def test_every_type_is_in_the_table() -> None:
    assert {FIELDS[k]["type"] for k, *_ in TABLE} == set(forms.INPUT_TYPES)


def test_unknown_fields_are_named(form: list[forms.Field]) -> None:
    assert forms.check(form, {**VALID, "extra": 1})[1] == {"extra": ["This is not a field of the form."]}


def test_html_posts_are_read_by_the_definition(form: list[forms.Field]) -> None:
    class Posted(dict):
        def getlist(self, key: str) -> list[str]:
            return ["x", "y"] if key == "many" else []

    posted = Posted(text=" ABC ", whole="1,0", real="2.5", pick="a", agree="yes", day="2026-01-31", one="")
    assert forms.coerce(form, posted) == {
        "text": "ABC", "whole": 10, "real": 2.5, "pick": "a", "tick": False, "agree": True, "many": ["x", "y"], "day": "2026-01-31",
    }  # fmt: skip
    assert forms.coerce(form, Posted(whole="2.5"))["whole"] == "2.5"  # left for the check to refuse


def test_schema_is_derived_per_type(form: list[forms.Field]) -> None:
    schema = forms.json_schema(form)
    assert schema["additionalProperties"] is False
    assert schema["properties"]["whole"] == {"type": "integer", "minimum": 1, "maximum": 10}
    assert schema["properties"]["day"] == {"type": "string", "format": "date"}
    assert set(schema["required"]) == {"text", "whole", "pick", "tick", "agree", "many", "day"}


@pytest.mark.parametrize(
    ("component", "fragment"),
    [
        ({"type": "signature", "key": "s"}, "not supported"),
        ({"type": "textfield", "key": "Bad Key"}, "needs a key"),
        ({"type": "select", "key": "s", "values": []}, "list of values"),
        ({"type": "textfield", "key": "t", "validate": {"pattern": "("}}, "not a valid regular expression"),
        ({"type": "number", "key": "n", "validate": {"min": "ten"}}, "must be numbers"),
        ({"type": "datetime", "key": "d", "subtype": "datetime"}, "only date fields"),
    ],
)
def test_definitions_the_server_cannot_enforce_are_refused(component: dict, fragment: str) -> None:
    with pytest.raises(forms.FormDefinitionInvalid) as caught:
        forms.fields({"components": [component]})
    assert fragment in " ".join(caught.value.problems)


def test_duplicate_keys_are_refused() -> None:
    with pytest.raises(forms.FormDefinitionInvalid, match="two fields with the key 'a'"):
        forms.fields({"components": [{"type": "textfield", "key": "a"}, {"type": "number", "key": "a"}]})


def test_cross_field_rules_run_in_the_sandbox() -> None:
    from datetime import date

    rule = {"field": "b", "check": "b * 3 >= a * 2", "message": {"en": "Two thirds."}}
    assert broken([rule], {"a": 30, "b": 20}, date(2026, 1, 1)) == {}
    assert broken([rule], {"a": 30, "b": 19}, date(2026, 1, 1)) == {"b": ["Two thirds."]}
    assert broken([rule], {"a": 30}, date(2026, 1, 1)) == {}  # an optional field left empty
    hostile = {"field": "a", "check": "a.__class__", "message": {"en": "x"}}
    assert "could not be checked" in broken([hostile], {"a": 1}, date(2026, 1, 1))["a"][0]
    assert problems([{"check": "open('/etc/passwd')", "field": "a", "message": {"en": "x"}}], {"a"}) == [
        "Rule 1 (`open('/etc/passwd')`) calls 'open', which is not an allowed function."
    ]
    assert "reads 'c'" in problems([{"check": "c > 1", "field": "a", "message": {"en": "x"}}], {"a"})[0]
