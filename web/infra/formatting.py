"""Template filters: rupees with Indian digit grouping, dates in Indian order and time."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from babel.numbers import format_decimal
from flask import Flask, g
from flask_babel import get_locale, gettext, ngettext
from flask_babel import lazy_gettext as _l

from engine.clock import IST
from web.infra.labels import LABELS as STAT_LABELS
from workflows.catalogue.names import district_in, product_in, step_in
from workflows.catalogue.roles import SUPERVISOR
from workflows.catalogue.schemes import published


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


_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def shown_text(value: object) -> object:
    """A value of an application's data as shown: an ISO day (a date of birth) in DD-MM-YYYY."""
    found = _ISO_DAY.match(value) if isinstance(value, str) else None
    return f"{found.group(3)}-{found.group(2)}-{found.group(1)}" if found else value


def duration(hours: float | None) -> str:
    """Hours as people say them: under two days in hours, longer in days ("44.1 days", not 1,059.4 hours)."""
    if hours is None:
        return "—"
    if hours < 48:
        shown = format_decimal(hours, format="#,##0.#", locale="en_IN")
        return ngettext("%(n)s hour", "%(n)s hours", 1 if shown == "1" else 2, n=shown)
    shown = format_decimal(round(hours / 24, 1), format="#,##,##0.#", locale="en_IN")
    return gettext("%(n)s days", n=shown)


def stat(value: object, kind: str) -> str:
    """One cell of a dashboard table, formatted by its column's kind."""
    if kind == "rank" and value is None:
        return str(_l("not ranked"))
    if value is None:
        return "—"
    if kind == "count" and isinstance(value, int):
        return count(value)
    if kind == "hours" and isinstance(value, int | float):
        return duration(value)
    if kind == "role":
        return str(ROLE_LABELS.get(str(value), value)) if value else "—"
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
    return known_name(str(value))


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
    "pottery": _l("Pottery"), "carpentry": _l("Carpentry"), "weaving": _l("Weaving"), "brassware": _l("Brassware"),
    "leather": _l("Leather goods"), "embroidery": _l("Embroidery (zari, chikankari)"),
    "unskilled": _l("Unskilled: needs the 10-day training"),
    "skilled": _l("Skilled: Recognition of Prior Learning"),
}

DOCUMENT_KIND_LABELS = {
    "aadhaar": _l("Aadhaar card"), "bank_passbook": _l("Bank passbook"), "certificate": _l("Certificate"),
    "project_report": _l("Project report"), "bills": _l("Bills"), "utilisation_certificate": _l("Utilisation certificate"),
    "rpl_certificate": _l("RPL certificate"), "dpr": _l("Detailed project report (DPR)"), "member_list": _l("List of members"),
    "proof_of_participation": _l("Proof of participation"), "other": _l("Other document"),
}  # fmt: skip


def _language() -> str:
    return str(get_locale() or "en")


def step_name(name: str | None) -> str:
    """A step's name (as its BPMN file gives it) in the page's language."""
    return step_in(name, _language())


def district_name(value: str | None) -> str:
    """A district (its code or English name) in the page's language; in English as given."""
    return district_in(value, _language())


def scheme_names_hi() -> dict[str, str]:
    """The published schemes' English names with their Hindi names (read once per request)."""
    if "scheme_names_hi" not in g:
        from web.infra.extensions import uow  # noqa: PLC0415 - only when a page shows a name

        with uow() as work:
            schemes = published(work)
            g.scheme_names_hi = {s.name: s.name_in("hi") for s in schemes.values()}
            g.scheme_names_hi.update({code: s.name_in("hi") for code, s in schemes.items()})  # a table's code column
    return g.scheme_names_hi


def known_name(value: str) -> str:
    """A name the data gives in English (a district, scheme, step or role) in the page's language;
    any other text as it is."""
    if _language() != "hi" or not value:
        return value
    if value in ROLE_LABELS:
        return str(ROLE_LABELS[value])
    said = district_in(value, "hi")
    if said != value:
        return said
    said = step_in(value, "hi")
    if said != value:
        return said
    said = product_in(value, "hi")
    if said != value:
        return said
    return scheme_names_hi().get(value, value)


def scheme_name(scheme: Any) -> str:
    """A scheme (anything with `name_in`) by its name in the page's language."""
    return scheme.name_in(_language())


def document_kind(kind: str | None) -> str:
    return str(DOCUMENT_KIND_LABELS.get(kind or "", (kind or "").replace("_", " ")))


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


_ONE_OF = re.compile(r"""^\s*([a-z][a-z0-9_]*)\s+in\s*[(\[]((?:\s*["'][^"'|]*["']\s*,?)+)[)\]]\s*$""")


def simple_condition(expression: str) -> tuple[str, str] | None:
    """(field, values) of a `field == "value"` or `field in ("a", "b")` condition, which the
    browser can check too; several values are joined with "|"."""
    found = _SIMPLE.match(expression or "")
    if found:
        return found.group(1), found.group(2)
    found = _ONE_OF.match(expression or "")
    if found:
        return found.group(1), "|".join(re.findall(r"""["']([^"']*)["']""", found.group(2)))
    return None


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        html_pattern=html_pattern,
        simple_condition=simple_condition,
        accept_type=lambda f: _ACCEPT.get(f, ""), shown_text=shown_text, duration=duration,
        rupees=rupees, indian_date=indian_date, indian_datetime=indian_datetime, stat=stat, count=count,
        step_name=step_name, district_name=district_name, document_kind=document_kind, known_name=known_name,
        scheme_name=scheme_name,
    )
    app.jinja_env.globals.update(
        SLA_LABELS=SLA_LABELS, STATUS_LABELS=STATUS_LABELS, OUTCOME_LABELS=OUTCOME_LABELS, ROLE_LABELS=ROLE_LABELS,
        CHOICE_LABELS=CHOICE_LABELS, LABELS_STATS=STAT_LABELS, SUPERVISORS=set(SUPERVISOR.values()),
    )
