"""Cross-field rules of a scheme's form: Python expressions run in the engine's sandbox.

A rule is `{"field": "date_of_birth", "check": "age_on(date_of_birth, application_date) >= 18",
"message": {"en": ..., "hi": ...}}`: when the check is false, the message is the field's error.
Rules see the submission's values, `application_date` (the day of the application, ISO) and the
functions below, besides the sandbox's own (min, max, len, ...). A rule is checked only when every
field passed the form's own checks, so it can rely on types and presence of required fields; a
rule that reads an optional field left empty is skipped.

Rules also see the scheme's `parameters` (numbers set in the bundle, e.g. a claim window in days).
A rule may name `values`, expressions whose results fill `{name}` placeholders of its message
(dates are written DD-MM-YYYY), so a refusal can say which dates or amounts apply:
`"values": {"last_day": "add_days(fair_end, claim_window_days)"}`.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from engine.messages import Text
from engine.scripting import ALLOWED_FUNCTIONS, RestrictedEnvironment


def as_date(value: Any) -> date:
    """An ISO date (YYYY-MM-DD) or a date."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def age_on(born: Any, day: Any) -> int:
    """Whole years from `born` to `day`."""
    b, d = as_date(born), as_date(day)
    return d.year - b.year - ((d.month, d.day) < (b.month, b.day))


def days_between(first: Any, last: Any) -> int:
    return (as_date(last) - as_date(first)).days


def add_days(day: Any, days: Any) -> date:
    """The date `days` days after `day` (before it when negative)."""
    return as_date(day) + timedelta(days=int(days))


FUNCTIONS = {"as_date": as_date, "age_on": age_on, "days_between": days_between, "add_days": add_days}
CONTEXT_NAMES = frozenset({"application_date"})
_ENVIRONMENT = RestrictedEnvironment(FUNCTIONS)


def names_read(expression: str) -> tuple[set[str], set[str]]:
    """(names read, functions called) by an expression; SyntaxError when it does not parse."""
    tree = ast.parse(expression.strip(), mode="eval")
    called = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    callees = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    own = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    read = {
        n.id for n in ast.walk(tree)
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and id(n) not in callees and n.id not in own
    }  # fmt: skip
    return read - ALLOWED_FUNCTIONS, called


def problems(rules: Any, field_keys: set[str]) -> list[str]:
    """What is wrong with a bundle's rules, in plain words."""
    if rules in (None, []):
        return []
    if not isinstance(rules, list):
        return ["The rules must be a list."]
    out = []
    allowed_calls = ALLOWED_FUNCTIONS | set(FUNCTIONS)
    for i, rule in enumerate(rules, start=1):
        if not isinstance(rule, Mapping) or not isinstance(rule.get("check"), str):
            out.append(f"Rule {i} needs a 'check' expression.")
            continue
        where = f"Rule {i} (`{rule['check'][:80]}`)"
        try:
            read, called = names_read(rule["check"])
        except SyntaxError as err:
            out.append(f"{where} is not a valid expression: {err.msg}.")
            continue
        for name in sorted(read - field_keys - CONTEXT_NAMES):
            out.append(f"{where} reads '{name}', which is not a field of the application form.")
        out += _value_problems(where, rule.get("values"), field_keys, allowed_calls)
        for name in sorted(called - allowed_calls):
            out.append(f"{where} calls '{name}', which is not an allowed function.")
        if rule.get("field") not in field_keys | {None, "_schema"}:
            out.append(f"{where} reports on '{rule.get('field')}', which is not a field of the application form.")
        message = rule.get("message")
        if not (isinstance(message, Mapping) and message.get("en")):
            out.append(f"{where} needs a message in English (and Hindi).")
    return out


def _value_problems(where: str, values: Any, field_keys: set[str], allowed_calls: set[str]) -> list[str]:
    if values in (None, {}):
        return []
    if not isinstance(values, Mapping) or not all(isinstance(v, str) for v in values.values()):
        return [f"{where}: its values must be an object of expressions."]
    out = []
    for name, expression in values.items():
        try:
            read, called = names_read(expression)
        except SyntaxError as err:
            out.append(f"{where}: the value '{name}' is not a valid expression: {err.msg}.")
            continue
        out += [f"{where}: the value '{name}' reads '{n}', which is not a field of the form." for n in sorted(read - field_keys - CONTEXT_NAMES)]
        out += [f"{where}: the value '{name}' calls '{n}', which is not an allowed function." for n in sorted(called - allowed_calls)]
    return out


def _shown(value: Any) -> str:
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, int) and not isinstance(value, bool):
        return indian_grouping(value)
    return str(value)


def indian_grouping(amount: int) -> str:
    """1234567 -> '12,34,567' (lakh and crore grouping)."""
    sign, digits = ("-" if amount < 0 else ""), str(abs(amount))
    head, tail = digits[:-3], digits[-3:]
    groups = []
    while len(head) > 2:
        head, groups = head[:-2], [head[-2:], *groups]
    return sign + ",".join([g for g in [head, *groups] if g] + [tail])


def message(rule: Mapping[str, Any], context: Mapping[str, Any], language: str = "en") -> str:
    """The rule's message, its `{name}` placeholders filled from its values and the data."""
    text = str(rule["message"].get(language) or rule["message"]["en"])
    filled = {k: _shown(v) for k, v in context.items()}
    for name, expression in (rule.get("values") or {}).items():
        try:
            filled[name] = _shown(_ENVIRONMENT.evaluate(expression, dict(context)))
        except Exception:  # noqa: BLE001 - a value that cannot be worked out is left as its name
            filled[name] = name
    try:
        return text.format_map(filled)
    except (KeyError, ValueError, IndexError):
        return text


def holds(expression: str, data: Mapping[str, Any]) -> bool | None:
    """Whether the expression is true of `data`; None when it reads a name `data` does not hold."""
    read, _ = names_read(expression)
    if not read <= set(data):
        return None
    return bool(_ENVIRONMENT.evaluate(expression, dict(data)))


def broken(
    rules: list[Mapping[str, Any]],
    data: Mapping[str, Any],
    application_date: date | None,
    parameters: Mapping[str, Any] | None = None,
) -> dict[str, list[str]]:
    """The messages of the rules `data` breaks, per field."""
    errors: dict[str, list[str]] = {}
    context = {**(parameters or {}), **data}
    if application_date is not None:
        context["application_date"] = application_date.isoformat()
    for rule in rules or ():
        field = rule.get("field") or "_schema"
        try:
            result = holds(rule["check"], context)
        except Exception as err:  # a rule that fails on these values must not become a server error
            errors.setdefault(field, []).append(Text(
                "rule_failed", f"{rule['message']['en']} (The rule could not be checked: {err}.)",
                hi=f"{rule['message'].get('hi') or rule['message']['en']} (नियम की जाँच नहीं हो सकी: {err})", custom=True,
            ))
            continue
        if result is False:  # None: an optional field left empty, nothing to compare
            errors.setdefault(field, []).append(Text(
                "rule", message(rule, context), hi=message(rule, context, "hi") if rule["message"].get("hi") else None,
                custom=True,
            ))
    return errors
