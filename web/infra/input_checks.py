"""One hook that refuses hostile input before any view or the database sees it (issue 13).

- A JSON body that cannot be read (not UTF-8, not well formed, NaN/Infinity, nested more than
  64 levels) is a 400 `malformed_json`.
- Control characters (NUL and the other C0/C1 controls except tab, CR and LF; lone surrogates)
  in any text — the path, the query string, a form field or a JSON string or key — are a 422
  naming the field: PostgreSQL refuses NUL and nobody types the others.
- Integers out of range are a 422 naming the field: a number in the path beyond the database's
  integer, a query or form parameter of `INTEGER_PARAMETERS` that is not a whole number in range,
  a JSON number beyond ±2^53 (what every JSON client can represent exactly).
Schemas add the ranges of their own fields (web/api/schemas.py); this hook holds what is true of
every request. The 422s are `ValidationFailed`, answered by web/infra/errors.py like any other.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Flask, request

from web.infra.errors import MalformedJson
from workflows.errors import ValidationFailed

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
INT_MAX = 2**31 - 1  # the largest id or version a database column holds (PostgreSQL `integer`)
JSON_INT_MAX = 2**53
MAX_DEPTH = 64
# Query and form parameters that the pages read as whole numbers.
INTEGER_PARAMETERS = frozenset(
    {"page", "per_page", "year", "version", "compare", "old", "new", "to_version", "from_version", "instance_id", "draft"}
)


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not allowed")


def _json_body() -> Any:
    try:
        body = json.loads(request.get_data(cache=True), parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as err:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise MalformedJson() from err
    return body


def _walk_json(body: Any, problems: dict[str, list[str]]) -> None:
    """Check every key, string and number, iteratively (a deep body must not exhaust the stack)."""
    stack: list[tuple[Any, str, int]] = [(body, "", 0)]
    while stack:
        value, name, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise MalformedJson()
        if isinstance(value, dict):
            for key, sub in value.items():
                path = f"{name}.{key}" if name else key
                if CONTROL.search(key):
                    _control(problems, name or "_schema")
                    continue
                stack.append((sub, path, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, name, depth + 1) for item in value)
        elif isinstance(value, str) and CONTROL.search(value):
            _control(problems, name or "_schema")
        elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > JSON_INT_MAX:
            problems.setdefault(name or "_schema", []).append(f"The number is out of range (at most {JSON_INT_MAX}).")


def _control(problems: dict[str, list[str]], name: str) -> None:
    text = "Remove the control characters (such as NUL) from this text."
    if text not in problems.setdefault(name, []):
        problems[name].append(text)


def _whole_number(problems: dict[str, list[str]], name: str, text: str) -> None:
    text = text.strip()
    if not text:
        return
    if not re.fullmatch(r"-?\d{1,12}", text) or not -INT_MAX <= int(text) <= INT_MAX:
        problems.setdefault(name, []).append(f"Give a whole number up to {INT_MAX}.")


def check_request() -> None:
    """The before-request hook: raise MalformedJson (400) or ValidationFailed (422)."""
    problems: dict[str, list[str]] = {}
    for name, value in (request.view_args or {}).items():
        if isinstance(value, int) and value > INT_MAX:
            problems.setdefault(name, []).append(f"There is nothing with a number this large (at most {INT_MAX}).")
        elif isinstance(value, str) and CONTROL.search(value):
            _control(problems, name)
    if CONTROL.search(request.path):
        _control(problems, "path")
    sources = [request.args]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        sources.append(request.form)
    for source in sources:
        for name, value in source.items(multi=True):
            if CONTROL.search(name) or CONTROL.search(value):
                _control(problems, name if not CONTROL.search(name) else "_schema")
            elif name in INTEGER_PARAMETERS:
                _whole_number(problems, name, value)
    if request.is_json and request.get_data(cache=True):  # an empty body is no body: the schema says what is missing
        _walk_json(_json_body(), problems)
    if problems:
        raise ValidationFailed("The request is not valid.", problems)


def init_app(app: Flask) -> None:
    app.before_request(check_request)
