"""Forms as data: bpmn.io form-js definitions, the JSON Schema derived from them, and the server's check.

A scheme's application form and its decision forms are form-js JSON (the format of the form-js
editor and viewer). The server reads the same definition: `fields()` lists the input fields,
`json_schema()` derives a JSON Schema (checked with the `jsonschema` library) so that the browser
and the server enforce the same required flags, types, ranges, lengths, patterns, options and dates.
Errors are keyed by the field and say what is wrong in plain words.

Supported component types: textfield, textarea, number, select, radio, checkbox, checklist,
datetime (subtype date); display-only components (text, spacer, separator) are ignored.
Custom properties (form-js "properties") carry what form-js has no slot for: `label_hi` (the Hindi
label) and `error_<check>` (a message replacing the default one for min, max, minLength,
maxLength, pattern, type) with its Hindi in `error_<check>_hi`. Every message is a `Text`: a code
with parameters, which pages say in their reader's language (docs/decisions.md D88).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.validators import extend

from engine.messages import Text, grouped

SAFE_NUMBER = 2**53 - 1
INPUT_TYPES = ("textfield", "textarea", "number", "select", "radio", "checkbox", "checklist", "datetime")
DISPLAY_TYPES = ("text", "spacer", "separator", "html")
KEY = re.compile(r"^[a-z][a-z0-9_]{0,59}$")


@dataclass(frozen=True)
class Field:
    """One input of a form, as the server and the server-rendered page read it."""

    key: str
    type: str
    label: str
    label_hi: str = ""
    required: bool = False
    minimum: float | None = None
    maximum: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    options: tuple[tuple[str, str], ...] = ()
    integer: bool = False
    messages: tuple[tuple[str, str], ...] = ()
    # Where the page takes this text field's choices from (property `choices_from`, e.g.
    # "bank_branches": the applicant's district's branches); the server checks the value itself.
    choices_from: str = ""

    @property
    def kind(self) -> str:
        """The widget of the server-rendered page."""
        if self.type == "datetime":
            return "date"
        if self.type in ("select", "radio"):
            return "choice" if self.type == "select" else "radio"
        return self.type

    @property
    def name(self) -> str:  # the HTML form's name
        return self.key

    @property
    def choices(self) -> tuple[str, ...]:
        return tuple(v for v, _ in self.options)

    def label_in(self, language: str) -> str:
        return self.label_hi if language == "hi" and self.label_hi else self.label

    def message(self, check: str, default: Text) -> Text:
        """The default message of a check, or the one the form gives for it (with its Hindi)."""
        own = dict(self.messages)
        if check not in own:
            return default
        return Text(default.code, own[check], hi=own.get(f"{check}_hi"), custom=True, **default.params)


class FormDefinitionInvalid(ValueError):
    """A form definition the server cannot enforce; `problems` say why in plain words."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _number(value: Any) -> float | int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(value)
    number = float(value)
    return int(number) if number.is_integer() else number


def _int(value: Any) -> int | None:
    number = _number(value)
    if number is not None and not isinstance(number, int):
        raise ValueError(value)
    return number


def fields(definition: Mapping[str, Any], *, where: str = "The form") -> list[Field]:
    """The input fields of a form-js definition; FormDefinitionInvalid lists every problem."""
    problems: list[str] = []
    out: list[Field] = []
    components = definition.get("components") if isinstance(definition, Mapping) else None
    if not isinstance(components, list):
        raise FormDefinitionInvalid([f"{where} has no list of components."])
    seen: set[str] = set()
    for i, c in enumerate(components):
        ctype = c.get("type") if isinstance(c, Mapping) else None
        if ctype in DISPLAY_TYPES:
            continue
        name = f"{where}, field {i + 1}" + (f" ('{c.get('key')}')" if isinstance(c, Mapping) and c.get("key") else "")
        if ctype not in INPUT_TYPES:
            problems.append(f"{name} has the type '{ctype}', which is not supported (use one of {', '.join(INPUT_TYPES)}).")
            continue
        key = c.get("key")
        if not isinstance(key, str) or not KEY.match(key):
            problems.append(f"{name} needs a key of lower-case letters, digits and '_' (it is the name the flow reads).")
            continue
        if key in seen:
            problems.append(f"{where} has two fields with the key '{key}'.")
            continue
        seen.add(key)
        try:
            out.append(_field(c, ctype, key))
        except FormDefinitionInvalid as err:
            problems += [f"{name}: {p}" for p in err.problems]
    if problems:
        raise FormDefinitionInvalid(problems)
    return out


def _field(c: Mapping[str, Any], ctype: str, key: str) -> Field:
    v = c.get("validate") or {}
    props = c.get("properties") or {}
    if not isinstance(v, Mapping) or not isinstance(props, Mapping):
        raise FormDefinitionInvalid(["'validate' and 'properties' must be objects."])
    problems = []
    try:
        minimum, maximum = _number(v.get("min")), _number(v.get("max"))
        min_length, max_length = _int(v.get("minLength")), _int(v.get("maxLength"))
    except ValueError:
        raise FormDefinitionInvalid(["min, max, minLength and maxLength must be numbers."]) from None
    pattern = v.get("pattern") or None
    if pattern is not None:
        try:
            re.compile(pattern)
        except (re.error, TypeError):
            problems.append(f"the pattern '{pattern}' is not a valid regular expression.")
    options: tuple[tuple[str, str], ...] = ()
    if ctype in ("select", "radio", "checklist"):
        values = c.get("values")
        if not isinstance(values, list) or not values or not all(isinstance(o, Mapping) and "value" in o for o in values):
            problems.append("a choice needs a list of values, each with a value and a label.")
        else:
            options = tuple((str(o["value"]), str(o.get("label", o["value"]))) for o in values)
    if ctype == "datetime" and c.get("subtype", "date") != "date":
        problems.append("only date fields (subtype 'date') are supported.")
    if problems:
        raise FormDefinitionInvalid(problems)
    label = c.get("label") or c.get("dateLabel") or key.replace("_", " ").capitalize()
    return Field(
        key=key,
        type=ctype,
        label=str(label),
        label_hi=str(props.get("label_hi", "")),
        required=bool(v.get("required")),
        minimum=minimum,
        maximum=maximum,
        min_length=min_length,
        max_length=max_length,
        pattern=pattern,
        options=options,
        integer=ctype == "number" and str(c.get("decimalDigits", "")) == "0",
        messages=tuple((k[len("error_"):], str(m)) for k, m in props.items() if str(k).startswith("error_")),
        choices_from=str(props.get("choices_from") or ""),
    )


def json_schema(form: list[Field]) -> dict[str, Any]:
    """The JSON Schema of a submission: one property per field, no other properties."""
    properties: dict[str, Any] = {}
    required = []
    for f in form:
        if f.type in ("textfield", "textarea"):
            p: dict[str, Any] = {"type": "string"}
            if f.min_length is not None or f.required:
                p["minLength"] = max(f.min_length or 0, 1 if f.required else 0)
            if f.max_length is not None:
                p["maxLength"] = f.max_length
            if f.pattern:
                p["pattern"] = f.pattern
        elif f.type == "number":
            # Whatever the form says, a number stays within what JSON and the database hold exactly.
            p = {"type": "integer" if f.integer else "number", "minimum": -SAFE_NUMBER, "maximum": SAFE_NUMBER}
            if f.minimum is not None:
                p["minimum"] = max(f.minimum, -SAFE_NUMBER)
            if f.maximum is not None:
                p["maximum"] = min(f.maximum, SAFE_NUMBER)
        elif f.type in ("select", "radio"):
            p = {"type": "string", "enum": list(f.choices)}
        elif f.type == "checkbox":
            p = {"type": "boolean"}
            if f.required:
                p["const"] = True
        elif f.type == "checklist":
            p = {"type": "array", "items": {"enum": list(f.choices)}, "uniqueItems": True}
            if f.required:
                p["minItems"] = 1
        else:  # datetime, subtype date
            p = {"type": "string", "format": "date"}
        properties[f.key] = p
        # A form-js viewer always submits a checkbox (false when unticked): so must an API client.
        if f.required or f.type == "checkbox":
            required.append(f.key)
    return {"type": "object", "properties": properties, "required": required, "additionalProperties": False}


def _is_whole(checker: Any, instance: Any) -> bool:
    # Whole numbers are ints, not 1.0 and not booleans (as the marshmallow forms had it: strict).
    return isinstance(instance, int) and not isinstance(instance, bool)


_Validator = extend(
    Draft202012Validator,
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_whole),
)
_FORMATS = FormatChecker(formats=("date",))


@lru_cache(maxsize=256)
def _validator(form: tuple[Field, ...]) -> Any:
    """A form's validator, built once (fields are frozen: the same fields, the same schema)."""
    return _Validator(json_schema(list(form)), format_checker=_FORMATS)


def check(form: list[Field], data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The submission without empty values, and the errors per field (empty when it is valid).

    Empty strings and nulls count as not given, so a required field left empty says "Required."
    """
    cleaned = {k: v for k, v in dict(data).items() if v is not None and v != "" and v != []}
    by_key = {f.key: f for f in form}
    errors: dict[str, list[str]] = {}
    for error in _validator(tuple(form)).iter_errors(cleaned):
        if error.validator == "required":
            for key in error.validator_value:  # one error per missing field, each listing them all
                if key not in cleaned and "Required." not in [str(m) for m in errors.get(key, [])]:
                    errors.setdefault(key, []).append(Text("required", "Required."))
            continue
        if error.validator == "additionalProperties":
            for key in sorted(set(cleaned) - set(by_key)):
                errors.setdefault(key, []).append(Text("not_a_field", "This is not a field of the form."))
            continue
        key = str(error.path[0]) if error.path else "_schema"
        field = by_key.get(key)
        message = _message(field, error.validator, error.validator_value) if field else Text("invalid", error.message)
        if message not in errors.get(key, []):
            errors.setdefault(key, []).append(message)
    return cleaned, errors


TYPE_MESSAGES = {
    "integer": ("type_integer", "Enter a whole number."), "number": ("type_number", "Enter a number."),
    "boolean": ("type_boolean", "Answer yes or no."), "array": ("type_array", "Choose from the list."),
    "string": ("type_string", "Enter text."),
}


def _message(f: Field, check: str, value: Any) -> Text:
    if check == "type":
        code, english = TYPE_MESSAGES.get(value if isinstance(value, str) else "", ("invalid", "Not a valid value."))
        return f.message("type", Text(code, english))
    if check == "minimum":
        return f.message("min", Text("min", f"Enter at least {grouped(value)}.", min=value))
    if check == "maximum":
        return f.message("max", Text("max", f"Enter at most {grouped(value)}.", max=value))
    if check == "minLength":
        if value == 1:
            return Text("required", "Required.")
        return f.message("minLength", Text("min_length", f"At least {value} characters.", n=value))
    if check == "maxLength":
        return f.message("maxLength", Text("max_length", f"At most {value} characters.", n=value))
    if check == "pattern":
        return f.message("pattern", Text("pattern", "This is not in the expected form."))
    if check == "enum":
        return Text(
            "choose_one", f"Choose one of: {', '.join(label for _, label in f.options)}.", options=list(f.options)
        )
    if check == "format":
        return Text("date", "Enter a date as YYYY-MM-DD.")
    if check == "const":
        return Text("ticked", "This must be ticked.")
    if check == "minItems":
        return Text("at_least_one", "Choose at least one.")
    if check == "uniqueItems":
        return Text("once", "Choose each option once.")
    return Text("invalid", "Not a valid value.")


def coerce(form: list[Field], posted: Any) -> dict[str, Any]:
    """An HTML form post (strings; a MultiDict for checklists) to the values the form describes.

    What cannot be converted is passed on unchanged, for the check to refuse with a message.
    Unticked checkboxes are false, as the form-js viewer submits them.
    """
    data: dict[str, Any] = {}
    for f in form:
        if f.type == "checklist":
            chosen = posted.getlist(f.key) if hasattr(posted, "getlist") else posted.get(f.key)
            if chosen:
                data[f.key] = list(chosen)
            continue
        raw = posted.get(f.key)
        if f.type == "checkbox":
            data[f.key] = raw in ("on", "true", "yes", "1", True) if not isinstance(raw, bool) else raw
            continue
        if raw is None or (isinstance(raw, str) and raw.strip() == ""):
            continue
        raw = raw.strip() if isinstance(raw, str) else raw
        if f.type == "number" and isinstance(raw, str):
            digits = raw.replace(",", "")
            try:
                number = float(digits)
                data[f.key] = int(number) if f.integer and number.is_integer() and "." not in digits else (
                    number if not f.integer else raw
                )
            except ValueError:
                data[f.key] = raw
        else:
            data[f.key] = raw
    return data
