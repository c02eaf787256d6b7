"""Appeals on the dashboards (D87): per appeal level, over the appeals filed in the period, how
many were filed, decided, decided within the appellate authority's time limit, and are pending and
overdue now. Read from the `appeals` rows and their hearing steps; no personal data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from engine.clock import IST
from stats.filters import Filters
from workflows.models import Appeal, Application


@dataclass(frozen=True)
class AppealFigures:
    level: int
    filed: int
    decided: int
    decided_in_time: int
    pending: int
    overdue: int

    @property
    def in_time_pct(self) -> float | None:
        return round(100 * self.decided_in_time / self.decided, 1) if self.decided else None


def appeal_figures(session: Session, f: Filters, *, now: datetime) -> list[AppealFigures]:
    """One row per level (first, second), zeros included."""
    start = datetime.combine(f.start, time.min, tzinfo=IST)
    end = datetime.combine(f.end, time.max, tzinfo=IST)
    pending = Appeal.decided_at.is_(None)
    query = (
        select(
            Appeal.level,
            func.count(),
            func.count(Appeal.decided_at),
            func.sum(case((Appeal.decided_at <= Appeal.due_at, 1), else_=0)),
            func.sum(case((pending, 1), else_=0)),
            func.sum(case((pending & (Appeal.due_at < now), 1), else_=0)),
        )
        .where(Appeal.filed_at >= start, Appeal.filed_at <= end)
        .group_by(Appeal.level)
    )
    if f.district:
        query = query.where(Appeal.district_code == f.district)
    if f.scheme:
        query = query.join(Application, Application.id == Appeal.application_id).where(Application.scheme_code == f.scheme)
    found = {row[0]: AppealFigures(row[0], *(int(v or 0) for v in row[1:])) for row in session.execute(query)}
    return [found.get(level, AppealFigures(level, 0, 0, 0, 0, 0)) for level in (1, 2)]
