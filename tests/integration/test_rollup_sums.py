"""State-wide sums kept per process (D101): reused while the district rows are unchanged, added up
again as soon as one of them is written, never shared between databases."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import create_engine, select

from engine.models import Base
from engine.runtime import Runtime
from engine.uow import UnitOfWork
from stats import monthly, rollup_sums
from stats.models import MonthlyOfficerStats, MonthlyStats

JULY, AUGUST = date(2025, 7, 1), date(2025, 8, 1)


@pytest.fixture(autouse=True)
def _nothing_kept() -> Iterator[None]:
    rollup_sums.forget()
    yield
    rollup_sums.forget()


def _add(runtime: Runtime, month: date, district: str, *, received: int, working: dict[str, int] | None = None) -> None:
    """Add to a district's row the way a step does (the recorder's upsert)."""
    cells = monthly.Cells()
    cell = cells.get(MonthlyStats, month=month, scheme_code="MM", district_code=district)
    cell["received"] += received
    cell["days_working"].update(working or {})
    with UnitOfWork(runtime) as uow:
        cells.add_to(uow.session)
        uow.commit()


def _by_received(runtime: Runtime) -> list[tuple[int, dict[str, int]]]:
    with UnitOfWork(runtime) as uow:
        found = rollup_sums.state_wide(uow.session, MonthlyStats, JULY, AUGUST, None)
    return sorted((group.counts["received"], group.histograms["days_working"]) for _, group in found)


def _groups(runtime: Runtime) -> dict[tuple, rollup_sums.GroupSum]:
    with UnitOfWork(runtime) as uow:
        return {g.signature: g for _, g in rollup_sums.state_wide(uow.session, MonthlyStats, JULY, AUGUST, None)}


def test_sums_are_reused_until_a_district_row_changes_then_added_up_again(runtime: Runtime) -> None:
    _add(runtime, JULY, "AGR", received=2, working={"3": 2})
    _add(runtime, JULY, "MBD", received=1, working={"3": 1, "5": 1})
    _add(runtime, AUGUST, "AGR", received=4)
    assert _by_received(runtime) == [(3, {"3": 3, "5": 1}), (4, {})]
    first = _groups(runtime)
    again = _groups(runtime)
    assert all(again[s] is g for s, g in first.items())  # nothing changed: the same sums, not added up again

    _add(runtime, JULY, "MBD", received=5, working={"5": 1})  # one district's July row
    assert _by_received(runtime) == [(4, {}), (8, {"3": 3, "5": 2})]
    after = _groups(runtime)
    august = next(g for g in first.values() if g.counts["received"] == 4)
    assert after[august.signature] is august  # August's rows did not change: its sums were kept
    assert len(after) == 2


def test_every_write_gives_the_row_a_new_revision(runtime: Runtime) -> None:
    _add(runtime, JULY, "AGR", received=1)
    revisions = set()
    for _ in range(3):
        with UnitOfWork(runtime) as uow:
            revisions.add(uow.session.scalar(select(MonthlyStats.revision)))
        _add(runtime, JULY, "AGR", received=0, working={"1": 1})
    assert len(revisions) == 3


def test_officers_minutes_follow_their_rows(runtime: Runtime) -> None:
    def officer(month: date, who: str, minutes: dict[str, int]) -> None:
        cells = monthly.Cells()
        cell = cells.get(MonthlyOfficerStats, month=month, completed_by=who, scheme_code="MM", district_code="AGR")
        cell["completed"] += sum(minutes.values())
        cell["work_minutes"].update(minutes)
        with UnitOfWork(runtime) as uow:
            cells.add_to(uow.session)
            uow.commit()

    def read() -> dict[str, dict[int, int]]:
        with UnitOfWork(runtime) as uow:
            return rollup_sums.officers_minutes(uow.session, MonthlyOfficerStats, JULY, AUGUST, None, None)

    officer(JULY, "dic.agr", {"30": 1})
    officer(AUGUST, "dic.agr", {"30": 2, "45": 1})
    officer(AUGUST, "gm.agr", {"10": 1})
    first = read()
    assert first == {"dic.agr": {30: 3, 45: 1}, "gm.agr": {10: 1}}
    assert read() is first  # unchanged rows: the total is kept
    officer(JULY, "gm.agr", {"10": 1})
    assert read() == {"dic.agr": {30: 3, 45: 1}, "gm.agr": {10: 2}}


def test_two_databases_in_one_process_keep_their_own_sums(tmp_path) -> None:  # noqa: ANN001
    figures = []
    for name, received in (("one", 1), ("two", 7)):
        url = f"sqlite:///{tmp_path / name}.db"
        engine = create_engine(url)
        Base.metadata.create_all(engine)
        engine.dispose()
        runtime = Runtime.create(url)
        _add(runtime, JULY, "AGR", received=received)
        with UnitOfWork(runtime) as uow:  # the rows of both carry revision 0 if never written since a migration
            uow.session.execute(MonthlyStats.__table__.update().values(revision=0))
            uow.commit()
        figures.append(_by_received(runtime))
        runtime.db.dispose()
    assert figures == [[(1, {})], [(7, {})]]
