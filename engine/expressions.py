"""Expressions as other modelers write them, translated into the sandbox's Python.

Conditions may be written in Python (what the engine runs), in JUEL (`${approved}`,
`${amount > 1000 && category == "SC"}`, as Camunda 7 and Activiti/Flowable users write them) or in
simple FEEL (`amount > 1000 and category = "SC"`, `not(x)`, `x in [1, 2]`, as Camunda 8 and DMN
users write them). Timer values may be ISO 8601 written bare (`PT1H`, `P5D`, `R3/PT10M`,
`2026-12-31T10:00:00+05:30`), quoted, or as an expression. Each is translated once, at deploy,
into a Python expression; the result still runs in `engine.scripting`'s sandbox (nothing here
evaluates anything). What cannot be translated raises `NotTranslatable` naming the part.

The translator is a real tokenizer and a precedence-climbing parser per language
(`engine.expression_parser`), emitting fully parenthesized Python (docs/decisions.md, D30).
"""

from __future__ import annotations

import ast
import re
from datetime import datetime

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

from engine.expression_parser import NotTranslatable, feel_to_python, juel_to_python

__all__ = ["ACCEPTED", "TIMER_KINDS", "NotTranslatable", "condition_to_python", "feel_to_python", "juel_to_python",
           "timer_to_python"]

ACCEPTED = "Python, JUEL (${…}) or simple FEEL"
TIMER_ACCEPTED = "an ISO 8601 value (PT1H, P5D, R3/PT10M, 2026-12-31T10:00:00+05:30), quoted or not, or an expression"


# ---------------------------------------------------------------- languages

FEEL_LANGUAGE = re.compile(r"feel", re.I)
PYTHON_LANGUAGE = re.compile(r"^(python|spiff)", re.I)
JUEL_LANGUAGE = re.compile(r"^(juel|el|uel)$|/el$|juel", re.I)


def condition_to_python(text: str, language: str | None = None) -> tuple[str, str]:
    """(Python source, language read) for a condition; raises NotTranslatable with the reason.

    `language` is the element's `language` attribute (or the file's `expressionLanguage`, when
    that names FEEL or Python). Without one, the text decides: `${…}` is JUEL, a leading `=` is
    FEEL, valid Python is Python, and anything else is tried as FEEL.
    """
    source = (text or "").strip()
    if not source:
        raise NotTranslatable("it is empty")
    if language:
        if PYTHON_LANGUAGE.search(language):
            return _python(source), "Python"
        if FEEL_LANGUAGE.search(language):
            return _checked(feel_to_python(source)), "FEEL"
        if JUEL_LANGUAGE.search(language):
            return _checked(juel_to_python(source)), "JUEL"
        raise NotTranslatable(f"the language '{language}' is not accepted (accepted: {ACCEPTED})")
    if re.match(r"[$#]\{", source) or "${" in source or "#{" in source:
        return _checked(juel_to_python(source)), "JUEL"
    if re.search(r"\bbpmn:\w+\(", source):
        raise NotTranslatable("XPath (bpmn:getDataObject and the like) is not accepted")
    if source.startswith("="):
        return _checked(feel_to_python(source)), "FEEL"
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as err:
        try:
            return _checked(feel_to_python(source)), "FEEL"
        except NotTranslatable as feel_err:
            raise NotTranslatable(f"it is not valid Python ({err.msg}), and as FEEL {feel_err}") from None
    # Valid Python that reads FEEL/JUEL's constants (`x == true`) or calls FEEL's functions
    # (`count(items) > 2`) is read as FEEL, or else JUEL.
    if {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} & {"true", "false", "null", "count", "contains"}:
        for translate, name in ((feel_to_python, "FEEL"), (juel_to_python, "JUEL")):
            try:
                return _checked(translate(source)), name
            except NotTranslatable:
                pass
    return source, "Python"


def _python(source: str) -> str:
    try:
        ast.parse(source, mode="eval")
    except SyntaxError as err:
        raise NotTranslatable(f"it is not valid Python ({err.msg})") from None
    return source


def _checked(python: str) -> str:
    ast.parse(python, mode="eval")  # the emitter's own guarantee; a failure here is a bug
    return python


# ---------------------------------------------------------------- timers

_NUM = r"\d+(?:[.,]\d+)?"
ISO_DURATION = re.compile(rf"P(?=\d|T\d)(?:{_NUM}Y)?(?:{_NUM}M)?(?:{_NUM}W)?(?:{_NUM}D)?(?:T(?=\d)(?:{_NUM}H)?(?:{_NUM}M)?(?:{_NUM}S)?)?")
ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?")
ISO_CYCLE = re.compile(r"R(\d*)/([^/]+)(?:/([^/]+))?")
TIMER_KINDS = {"timeDuration": "duration", "timeDate": "date", "timeCycle": "cycle"}


def iso_problem(value: str, kind: str) -> str | None:
    """Why `value` is not a valid ISO 8601 value of this timer kind (None when it is)."""
    what = TIMER_KINDS[kind]
    if kind == "timeDuration":
        return None if ISO_DURATION.fullmatch(value) else f"'{value}' is not an ISO 8601 duration such as PT1H or P5D"
    if kind == "timeDate":
        return _date_problem(value)
    found = ISO_CYCLE.fullmatch(value)
    if not found:
        return f"'{value}' is not an ISO 8601 {what} such as R3/PT10M"
    parts = [p for p in found.groups()[1:] if p]
    durations = [p for p in parts if ISO_DURATION.fullmatch(p)]
    if len(durations) != 1:
        return f"the cycle '{value}' needs exactly one duration (R3/PT10M, R/2026-12-31T10:00:00Z/P1D)"
    for part in parts:
        if part not in durations and _date_problem(part):
            return _date_problem(part)
    try:
        TimerEventDefinition.parse_iso_recurring_interval(value)
    except Exception:  # noqa: BLE001 - the library raises bare Exception for a bad interval
        return f"'{value}' is not an ISO 8601 {what}"
    return None


def _date_problem(value: str) -> str | None:
    found = ISO_DATETIME.fullmatch(value)
    if not found:
        return f"'{value}' is not an ISO 8601 date and time such as 2026-12-31T10:00:00+05:30"
    if not found.group(1):
        return f"the date '{value}' has no time zone; add one (+05:30 for India, or Z for UTC)"
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return f"'{value}' is not a real date and time"
    return None


def timer_to_python(text: str, kind: str) -> str:
    """A timer value as the Python expression the library evaluates; raises NotTranslatable."""
    source = (text or "").strip()
    if not source:
        raise NotTranslatable(f"the timer's {TIMER_KINDS[kind]} is empty")
    looks_iso = re.fullmatch(r"P[\dT][\w.,]*|R\d*/.*|\d{4}-\d{2}-\d{2}.*", source)
    if looks_iso:
        problem = iso_problem(source, kind)
        if problem:
            raise NotTranslatable(problem)
        return repr(source)
    if "${" in source or "#{" in source:
        python = juel_to_python(source)
    elif source.startswith("="):
        python = feel_to_python(source)
    else:
        try:
            ast.parse(source, mode="eval")
        except SyntaxError:
            raise NotTranslatable(f"'{source}' is not {TIMER_ACCEPTED}") from None
        python = source
    tree = ast.parse(python, mode="eval").body
    if isinstance(tree, ast.Constant):
        if not isinstance(tree.value, str):
            raise NotTranslatable(f"'{source}' is not {TIMER_ACCEPTED}")
        problem = iso_problem(tree.value.strip(), kind)
        if problem:
            raise NotTranslatable(problem)
    return python
