"""Template filters: rupees with Indian digit grouping, dates in Indian order and time."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from babel.numbers import format_decimal
from flask import Flask
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from engine.clock import IST
from web.infra.labels import LABELS as STAT_LABELS
from workflows.catalogue.roles import SUPERVISOR
from workflows.errors import Bilingual


def rupees(amount: int | None) -> str:
    """12,34,567 -> 'Rs 12,34,567'; Indian grouping whatever the page language."""
    if amount is None:
        return "—"
    return "₹\u00a0" + format_decimal(amount, format="#,##,##0", locale="en_IN")


def indian_date(value: datetime | None) -> str:
    if value is None:
        return "—"
    return value.astimezone(IST).strftime("%d-%m-%Y")


def count(value: int | None) -> str:
    return "—" if value is None else format_decimal(value, format="#,##,##0", locale="en_IN")


def stat(value: object, kind: str) -> str:
    """One cell of a dashboard table, formatted by its column's kind."""
    if value is None:
        return "—"
    if kind == "count" and isinstance(value, int):
        return count(value)
    if kind in ("days", "hours") and isinstance(value, int | float):
        return format_decimal(value, format="#,##,##0.#", locale="en_IN")
    if kind == "pct" and isinstance(value, int | float):
        return f"{value:.1f} %"
    if kind == "rupees" and isinstance(value, int):
        return rupees(value)
    if kind == "date" and isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    if kind == "status":
        return str(STATUS_LABELS.get(str(value), value))
    if kind == "movement" and isinstance(value, int):
        return f"▲ {value}" if value > 0 else (f"▼ {-value}" if value < 0 else "=")
    return str(value)


def indian_datetime(value: datetime | None) -> str:
    if value is None:
        return "—"
    return value.astimezone(IST).strftime("%d-%m-%Y %H:%M")


SLA_LABELS = {"on_time": _l("On time"), "due_soon": _l("Due soon"), "overdue": _l("Overdue")}
STATUS_LABELS = {
    "in_process": _l("In process"),
    "returned": _l("Returned for clarification"),
    "approved": _l("Approved"),
    "rejected": _l("Rejected"),
}
OUTCOME_LABELS = {
    "approve": _l("Approve / forward"),
    "return": _l("Return for clarification"),
    "reject": _l("Reject"),
    "submit": _l("Submit"),
}


ROLE_LABELS = {
    "applicant": _l("Applicant"),
    "facilitation_operator": _l("Facilitation centre"),
    "dic_officer": _l("District Industries Centre"),
    "gm_dic": _l("General Manager, DIC"),
    "district_committee": _l("District committee"),
    "bank_officer": _l("Bank"),
    "state_nodal": _l("State nodal agency"),
    "state_committee": _l("State Level Committee"),
    "admin": _l("Administrator"),
    "integration": _l("Integration (another system)"),
}
CHOICE_LABELS = {
    "GEN": _l("General"), "OBC": _l("Other Backward Class"), "SC": _l("Scheduled Caste"), "ST": _l("Scheduled Tribe"),
    "female": _l("Female"), "male": _l("Male"), "other": _l("Other"),
    "domestic": _l("In India"), "international": _l("Abroad"),
    "testing_lab": _l("Testing laboratory"), "design_centre": _l("Design centre"), "training_centre": _l("Training centre"),
    "raw_material_bank": _l("Raw material bank"), "common_processing": _l("Common processing"),
    "packaging": _l("Packaging"), "display_sales": _l("Display and sales centre"),
}


def html_pattern(pattern: str) -> str:
    """A form's pattern (a search, as form-js and JSON Schema read it) as an HTML pattern attribute,
    which must match the whole value: anchors kept, an unanchored pattern may match anywhere."""
    start = pattern.startswith("^")
    end = pattern.endswith("$") and not pattern.endswith("\\$")
    core = pattern[1 if start else 0 : -1 if end else None]
    anything = r"[\s\S]*"
    return ("" if start else anything) + f"(?:{core})" + ("" if end else anything)


_SIMPLE = re.compile(r"""^\s*([a-z][a-z0-9_]*)\s*==\s*["']([^"']*)["']\s*$""")
_ACCEPT = {"pdf": ".pdf,application/pdf", "jpeg": ".jpg,.jpeg,image/jpeg", "png": ".png,image/png"}


def simple_condition(expression: str) -> tuple[str, str] | None:
    """(field, value) of a `field == "value"` condition, which the browser can check too."""
    found = _SIMPLE.match(expression or "")
    return (found.group(1), found.group(2)) if found else None


def localized(messages: Any) -> str:
    """Field messages joined, each in the page's language when it carries a Hindi text (D70)."""
    language = str(get_locale() or "en")
    items = [messages] if isinstance(messages, str) else list(messages or ())
    return " ".join(m.in_language(language) if isinstance(m, Bilingual) else str(m) for m in items)


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        html_pattern=html_pattern,
        localized=localized,
        simple_condition=simple_condition,
        accept_type=lambda f: _ACCEPT.get(f, ""),
        rupees=rupees, indian_date=indian_date, indian_datetime=indian_datetime, stat=stat, count=count
    )
    app.jinja_env.globals.update(
        SLA_LABELS=SLA_LABELS, STATUS_LABELS=STATUS_LABELS, OUTCOME_LABELS=OUTCOME_LABELS, ROLE_LABELS=ROLE_LABELS,
        CHOICE_LABELS=CHOICE_LABELS, LABELS_STATS=STAT_LABELS, SUPERVISORS=set(SUPERVISOR.values()),
    )
