"""District ranking: a documented score, and each district's movement since the previous period."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy.orm import Session

from stats.filters import Filters
from stats.queries import Summary, district_names, summaries

FORMULA = (
    "Score = 50 x disposal rate + 50 x time-limit compliance, where disposal rate = applications "
    "decided in the period / applications received in the period (at most 1), and compliance = "
    "applications decided within their time limit / applications decided. Ties go to the lower "
    "median working days to decision; districts with no application decided in the period are not "
    "ranked. Movement is shown only against a previous period in which the district was ranked."
)


@dataclass(frozen=True)
class Rank:
    rank: int | None  # None: not ranked (no application decided in the period)
    district: str
    name: str
    score: float
    disposal_rate: float
    compliance: float
    median_days: float | None
    received: int
    decided: int
    # Places gained since the previous period of the same length (negative: places lost); None when
    # the district is not ranked in either period (no figures to compare against).
    movement: int | None


def _score(s: Summary) -> tuple[float, float, float]:
    disposal = min(1.0, s.disposed / s.received) if s.received else (1.0 if s.disposed else 0.0)
    compliance = s.disposed_within_limit / s.disposed if s.disposed else 0.0
    return round(50 * disposal + 50 * compliance, 1), disposal, compliance


def _ordered(session: Session, f: Filters, today: date, names: dict[str, str]) -> list[tuple[str, Summary]]:
    by_district = {s.key: s for s in summaries(session, f, today=today, by="district", histograms=("working",))}
    rows = [(code, by_district.get(code) or Summary(key=code)) for code in names]

    def key(item: tuple[str, Summary]) -> tuple[float, float, str]:
        score = _score(item[1])[0]
        median = item[1].days_working.median
        return (-score, median if median is not None else float("inf"), item[0])

    return sorted(rows, key=key)


def _places(ordered: list[tuple[str, Summary]]) -> dict[str, int]:
    """Places of the districts that decided something; the others are not ranked."""
    ranked = [code for code, s in ordered if s.disposed]
    return {code: i + 1 for i, code in enumerate(ranked)}


def ranking(session: Session, f: Filters, *, today: date) -> list[Rank]:
    """Every district, whatever district the filters name: a ranking is a comparison of all."""
    names = district_names(session)
    f = replace(f, district=None)
    current = _ordered(session, f, today, names)
    places = _places(current)
    before = _places(_ordered(session, f.previous(), today, names))
    # The ranked districts by place, then the others by name.
    current.sort(key=lambda item: (places.get(item[0], len(names) + 1), names[item[0]]))
    ranks = []
    for code, s in current:
        score, disposal, compliance = _score(s)
        place = places.get(code)
        ranks.append(
            Rank(
                rank=place,
                district=code,
                name=names[code],
                score=score,
                disposal_rate=round(100 * disposal, 1),
                compliance=round(100 * compliance, 1),
                median_days=s.days_working.median,
                received=s.received,
                decided=s.disposed,
                movement=before[code] - place if place and code in before else None,
            )
        )
    return ranks
