"""What a statistic is asked over: scheme, district and a period (dates in India time, inclusive)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta


def financial_year(day: date) -> tuple[date, date]:
    """India's financial year (April to March) containing `day`."""
    start_year = day.year if day.month >= 4 else day.year - 1
    return date(start_year, 4, 1), date(start_year + 1, 3, 31)


def financial_year_label(start: date) -> str:
    return f"{start.year}-{str(start.year + 1)[2:]}"


@dataclass(frozen=True)
class Filters:
    start: date
    end: date
    scheme: str | None = None
    district: str | None = None
    # A bank officer's branch: the lists hold only applications routed to it (D76).
    bank_ifsc: str | None = None

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("The period ends before it starts.")

    @classmethod
    def this_financial_year(cls, today: date, **kw: str | None) -> Filters:
        start, end = financial_year(today)
        return cls(start=start, end=end, **kw)

    def previous(self) -> Filters:
        """The period of the same length just before this one (for movements in the ranking)."""
        length = (self.end - self.start).days + 1
        return replace(self, start=self.start - timedelta(days=length), end=self.start - timedelta(days=1))
