"""Application numbers: scheme / state / district / financial year / sequence."""

from __future__ import annotations

from datetime import datetime

from engine.clock import IST


def financial_year(moment: datetime) -> str:
    """'2025-26' for any moment from 1 April 2025 to 31 March 2026, India time."""
    local = moment.astimezone(IST)
    start = local.year if local.month >= 4 else local.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def number_prefix(scheme_code: str, state_code: str, district_code: str, moment: datetime) -> str:
    return f"{scheme_code}/{state_code}/{district_code}/{financial_year(moment)}"


def format_number(prefix: str, sequence: int) -> str:
    return f"{prefix}/{sequence:06d}"
