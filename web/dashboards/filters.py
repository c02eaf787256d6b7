"""Reads the dashboard's filters from the query string; bad values get a message naming them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from werkzeug.datastructures import MultiDict

from stats import queries, tables
from stats.dashboards import Options
from stats.filters import Filters, financial_year
from workflows.errors import ValidationFailed

FY = re.compile(r"^(\d{4})-(\d{2})$")
UNITS = ("day", "week", "month")
# The dashboards cover the scheme's years; dates outside are refused, not computed with.
FIRST, LAST = date(2000, 1, 1), date(2099, 12, 31)


def _date(args: MultiDict, name: str, errors: dict[str, list[str]]) -> date | None:
    text = (args.get(name) or "").strip()
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        errors[name] = [f"'{text[:40]}' is not a date; use YYYY-MM-DD."]
        return None
    if not FIRST <= day <= LAST:
        errors[name] = [f"Choose a date from {FIRST.isoformat()} to {LAST.isoformat()}."]
        return None
    return day


def filters_from(args: MultiDict, *, today: date, districts: dict[str, str], schemes: Iterable[str]) -> Filters:
    """`fy` (e.g. 2025-26) or `start`/`end`; then `scheme` and `district`. Default: this financial year."""
    errors: dict[str, list[str]] = {}
    start, end = financial_year(today)
    fy = (args.get("fy") or "").strip()
    if fy:
        match = FY.match(fy)
        if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
            errors["fy"] = [f"'{fy[:40]}' is not a financial year; write it like 2025-26."]
        elif not FIRST.year <= int(match.group(1)) < LAST.year:
            errors["fy"] = [f"Choose a financial year from {FIRST.year}-{(FIRST.year + 1) % 100:02d} to {LAST.year - 1}-{LAST.year % 100:02d}."]
        else:
            start, end = financial_year(date(int(match.group(1)), 4, 1))
    chosen_start, chosen_end = _date(args, "start", errors), _date(args, "end", errors)
    start, end = chosen_start or start, chosen_end or end
    if end < start:
        errors["end"] = ["The period ends before it starts."]
    elif (end - start).days > 3660:
        errors["end"] = ["Choose a period of at most ten years."]
    scheme = (args.get("scheme") or "").strip().upper() or None
    if scheme and scheme not in schemes:
        errors["scheme"] = [f"There is no scheme '{scheme}'; choose one of {', '.join(schemes)}."]
    district = (args.get("district") or "").strip().upper() or None
    if district and district not in districts:
        errors["district"] = [f"There is no district '{district}'."]
    if errors:
        raise ValidationFailed("The dashboard filters are not valid.", errors)
    return Filters(start=start, end=end, scheme=scheme, district=district)


def unit_from(args: MultiDict) -> str:
    unit = args.get("unit") or "month"
    if unit not in UNITS:
        raise ValidationFailed("The dashboard filters are not valid.", {"unit": [f"Choose one of: {', '.join(UNITS)}."]})
    return unit


def page_from(args: MultiDict) -> int:
    text = args.get("page") or "1"
    return int(text) if text.isdigit() and 0 < int(text) < 1_000_000 else 1


def status_and_sort(args: MultiDict) -> tuple[str | None, str]:
    status = args.get("status") or None
    sort = args.get("sort") or "submitted"
    errors = {}
    if status is not None and status not in queries.STATUSES:
        errors["status"] = [f"Choose one of: {', '.join(queries.STATUSES)}."]
    if sort not in tables.SORTS:
        errors["sort"] = [f"Choose one of: {', '.join(tables.SORTS)}."]
    if errors:
        raise ValidationFailed("The dashboard filters are not valid.", errors)
    return status, sort


STEP = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,99}$")


def step_from(args: MultiDict, f: Filters) -> str | None:
    step = (args.get("step") or "").strip() or None
    if step is None:
        return None
    if not STEP.match(step):
        raise ValidationFailed("The dashboard filters are not valid.", {"step": [f"'{step[:40]}' is not a step id."]})
    if not f.scheme:
        raise ValidationFailed("The dashboard filters are not valid.", {"step": ["Choose a scheme with a step."]})
    return step


def options_from(args: MultiDict, f: Filters, *, per_page: int = 50) -> Options:
    """Everything a table may be cut by; a table uses what applies to it."""
    status, sort = status_and_sort(args)
    return Options(
        unit=unit_from(args), status=status, sort=sort, step=step_from(args, f), page=page_from(args), per_page=per_page
    )

