"""Statistics against figures worked out by hand on a small fixed history (SQLite and PostgreSQL).

The history (MDA applications in Agra; a test calendar with Sundays, 2nd/4th Saturdays and one
holiday on Thu 10 July 2025), all times India time:
  A: submitted Mon 07-07 10:00; DIC claims 11:00, approves 13:00; GM claims Wed 07-09 11:00,
     sanctions 11:30; DIC claims Thu 07-10 10:00, records payment 10:30 -> approved, Rs 59,900.
  B: submitted 07-07 10:00; DIC claims 12:00, unclaims 12:30, claims again Mon 07-14 10:00, returns
     11:00; the applicant answers Thu 07-17 11:00; DIC claims and rejects 07-17 12:00.
  C: submitted 07-07 10:00; never touched.
  D: submitted 07-07 10:00; DIC claims and approves Mon 07-21 10:00 (late); GM claims 07-24 10:00.
Figures are read at Fri 07-25 12:00.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from engine.runtime import Runtime
from sla import deadlines
from sla.calendar import IST, BusinessCalendar, WeeklyOffs
from stats import queries, recorder, step_queries
from stats.filters import Filters
from stats.models import ApplicationFact
from stats.ranking import ranking
from tests.integration import scheme_helpers as h
from workflows.uow import SchemeUnitOfWork
from workflows.usecases.decisions import claim, decide, unclaim

CALENDAR = BusinessCalendar("UP", holidays={date(2025, 7, 10): "Test holiday"}, weekly_offs=WeeklyOffs())
JULY = Filters(start=date(2025, 7, 1), end=date(2025, 7, 31))
NOW = datetime(2025, 7, 25, 12, 0, tzinfo=IST).astimezone(UTC)


def at(clock, day: int, hour: int, minute: int = 0) -> None:  # noqa: ANN001
    clock.set(datetime(2025, 7, day, hour, minute, tzinfo=IST).astimezone(UTC))


def calendar_for(uow, year):  # noqa: ANN001, ANN201
    return CALENDAR


def _claim(rt: Runtime, number: str, actor: str) -> str:
    task = h.open_task(rt, number)
    with SchemeUnitOfWork(rt) as uow:
        claim(uow, [task.id], actor=actor)
    return task.id


def _decide(rt: Runtime, task_id: str, actor: str, outcome: str, **fields) -> None:  # noqa: ANN003
    with SchemeUnitOfWork(rt) as uow:
        decide(uow, task_id, actor=actor, outcome=outcome, remarks="Because." if outcome in ("return", "reject") else "", fields=fields)


@pytest.fixture
def history(runtime: Runtime, clock):  # noqa: ANN001, ANN201
    deadlines.install(runtime, calendar_for)
    recorder.install(runtime, calendar_for)
    h.set_up(runtime)
    at(clock, 7, 10)
    a, b, c, d = (h.submit(runtime, "MDA") for _ in range(4))
    at(clock, 7, 11)
    ta = _claim(runtime, a, "dic.agr")
    at(clock, 7, 12)
    tb = _claim(runtime, b, "dic.agr")
    at(clock, 7, 12, 30)
    with SchemeUnitOfWork(runtime) as uow:
        unclaim(uow, tb, actor="dic.agr")
    at(clock, 7, 13)
    _decide(runtime, ta, "dic.agr", "approve")
    at(clock, 9, 11)
    ta = _claim(runtime, a, "gm.agr")
    at(clock, 9, 11, 30)
    _decide(runtime, ta, "gm.agr", "approve")
    at(clock, 10, 10)
    ta = _claim(runtime, a, "dic.agr")
    at(clock, 10, 10, 30)
    _decide(runtime, ta, "dic.agr", "approve", payment_reference="PFMS-1")
    at(clock, 14, 10)
    tb = _claim(runtime, b, "dic.agr")
    at(clock, 14, 11)
    _decide(runtime, tb, "dic.agr", "return")
    at(clock, 17, 11)
    _decide(runtime, h.open_task(runtime, b).id, "applicant1.agr", "submit")
    at(clock, 17, 12)
    tb = _claim(runtime, b, "dic.agr")
    _decide(runtime, tb, "dic.agr", "reject")
    at(clock, 21, 10)
    td = _claim(runtime, d, "dic.agr")
    _decide(runtime, td, "dic.agr", "approve")
    at(clock, 24, 10)
    _claim(runtime, d, "gm.agr")
    at(clock, 25, 12)
    return {"A": a, "B": b, "C": c, "D": d}


def _session(rt: Runtime):  # noqa: ANN202
    return SchemeUnitOfWork(rt)


def test_summary_by_hand(runtime, history):  # noqa: ANN001
    with _session(runtime) as uow:
        [s] = queries.summaries(uow.session, JULY, today=date(2025, 7, 25))
        later = queries.summaries(uow.session, JULY, today=date(2025, 9, 1))[0]
    assert (s.received, s.approved, s.rejected, s.in_process) == (4, 1, 1, 2)
    # C and D are due on Fri 15 Aug (30 working days); nothing is beyond its limit yet on 25 July.
    assert (s.pending_beyond_limit, later.pending_beyond_limit) == (0, 2)
    assert (s.disposed_within_limit, s.within_limit_pct) == (2, 100.0)
    # A took 3 calendar / 2 working days (the holiday); B 10 / 7 (a Sunday, a 2nd Saturday, the holiday).
    w, c = s.days_working, s.days_calendar
    assert (w.count, w.mean, w.median, w.p90, w.minimum, w.maximum) == (2, 4.5, 4.5, pytest.approx(6.5), 2, 7)
    assert (c.mean, c.median, c.p90, c.minimum, c.maximum) == (6.5, 6.5, pytest.approx(9.3), 3, 10)
    assert (s.days_to_approval.count, s.days_to_approval.mean) == (1, 3)
    # 75% of stall charges capped at 50,000 + 75% of freight capped at 7,500 + the fare 2,400.
    assert (s.benefit_sanctioned, s.benefit_released) == (59_900, 59_900)


def test_applicant_time_is_counted_apart(runtime, history):  # noqa: ANN001
    with _session(runtime) as uow:
        b = uow.session.get(ApplicationFact, uow.applications.by_number(history["B"]).instance_id)
        assert (b.applicant_days, b.days_working, b.within_limit, b.outcome) == (3, 7, True, "rejected")


def test_steps_by_hand(runtime, history):  # noqa: ANN001
    with _session(runtime) as uow:
        rows = {s.bpmn_id: s for s in step_queries.steps(uow.session, JULY, now=NOW)}
    dic = rows["dic_verification"]
    # Waiting: A 60, B (ready 07-07 10:00 -> last claim 07-14 10:00) 10080, B again 60, D 20160 min.
    assert (dic.handled, dic.waiting_minutes.median, dic.waiting_minutes.p90) == (4, 5070, pytest.approx(17136))
    # Working: A 120, B 60, B again 0, D 0.
    assert (dic.working_minutes.median, dic.working_minutes.p90, dic.working_minutes.minimum) == (30, pytest.approx(102), 0)
    assert (dic.compliance_pct, dic.pending_now, dic.overdue_now) == (75.0, 1, 1)
    gm = rows["gm_sanction"]
    assert (gm.handled, gm.waiting_minutes.median, gm.working_minutes.median, gm.pending_now, gm.overdue_now) == (1, 2760, 30, 1, 1)
    pay = rows["record_payment"]
    assert (pay.handled, pay.waiting_minutes.median, pay.working_minutes.median, pay.compliance_pct) == (1, 1350, 30, 100.0)
    answer = rows["provide_clarification"]
    assert answer.with_applicant and (answer.handled, answer.waiting_minutes.median) == (1, 4320)
    assert step_queries.slowest_step(list(rows.values())).bpmn_id == "dic_verification"
    assert all(s.waiting_minutes.minimum is None or s.waiting_minutes.minimum >= 0 for s in rows.values())


def test_officers_by_hand(runtime, history):  # noqa: ANN001
    with _session(runtime) as uow:
        people = {p.username: p for p in step_queries.officers(uow.session, JULY, now=NOW)}
    dic, gm = people["dic.agr"], people["gm.agr"]
    assert (dic.completed, dic.handling_minutes.median, dic.open, dic.overdue) == (5, 30, 0, 0)
    assert (gm.completed, gm.handling_minutes.median, gm.open, gm.overdue) == (1, 30, 1, 1)


def test_series_by_hand(runtime, history):  # noqa: ANN001
    with _session(runtime) as uow:
        days = queries.series(uow.session, JULY, unit="day")
        weeks = queries.series(uow.session, JULY, unit="week")
        months = queries.series(uow.session, JULY, unit="month")
    assert [(p.period.day, p.received, p.approved, p.rejected) for p in days] == [(7, 4, 0, 0), (10, 0, 1, 0), (17, 0, 0, 1)]
    assert [(p.period.day, p.received, p.approved, p.rejected) for p in weeks] == [(7, 4, 1, 0), (14, 0, 0, 1)]
    assert [(p.period, p.received, p.approved, p.rejected) for p in months] == [(date(2025, 7, 1), 4, 1, 1)]


def test_application_list(runtime, history):  # noqa: ANN001
    with _session(runtime) as uow:
        page = queries.application_list(uow.session, JULY, sort="days")
        approved = queries.application_list(uow.session, JULY, status="approved")
        open_ = queries.application_list(uow.session, JULY, status="in_process", per_page=1, page=2)
    # Sorted by days taken: the decided applications, longest first.
    assert page.total == 2
    assert [(r.number, r.days_calendar) for r in page.rows] == [(history["B"], 10), (history["A"], 3)]
    assert [(r.number, r.benefit, r.decided_on) for r in approved.rows] == [(history["A"], 59_900, date(2025, 7, 10))]
    assert open_.total == 2 and len(open_.rows) == 1 and open_.rows[0].status == "in_process"


def test_ranking_by_hand(runtime, history):  # noqa: ANN001
    with _session(runtime) as uow:
        ranks = ranking(uow.session, JULY, today=date(2025, 7, 25))
    agra, moradabad = ranks
    # Agra: 2 of 4 decided (50%), both within the limit (100%): 50 x 0.5 + 50 x 1 = 75.
    assert (agra.district, agra.rank, agra.score, agra.disposal_rate, agra.compliance, agra.median_days) == ("AGR", 1, 75.0, 50.0, 100.0, 4.5)
    # Moradabad decided nothing: not ranked, and no movement (nothing to compare with).
    assert (moradabad.rank, moradabad.score, moradabad.movement) == (None, 0.0, None)


def test_rebuild_gives_the_same_rows(runtime, history):  # noqa: ANN001
    with _session(runtime) as uow:
        before = queries.summaries(uow.session, JULY, today=date(2025, 7, 25))
        steps_before = step_queries.steps(uow.session, JULY, now=NOW)
        assert recorder.rebuild(uow, calendar_for) == 4
        uow.commit()
    with _session(runtime) as uow:
        assert queries.summaries(uow.session, JULY, today=date(2025, 7, 25)) == before
        assert step_queries.steps(uow.session, JULY, now=NOW) == steps_before


def test_scope_filters(runtime, history):  # noqa: ANN001
    with _session(runtime) as uow:
        elsewhere = queries.summaries(uow.session, Filters(JULY.start, JULY.end, district="MBD"), today=date(2025, 7, 25))[0]
        other_scheme = queries.summaries(uow.session, Filters(JULY.start, JULY.end, scheme="MM"), today=date(2025, 7, 25))[0]
        by_scheme = queries.summaries(uow.session, JULY, today=date(2025, 7, 25), by="scheme")
        total, by_district = queries.summary_and_rows(uow.session, JULY, today=date(2025, 7, 25), by="district")
        [alone] = queries.summaries(uow.session, JULY, today=date(2025, 7, 25))
    # The total computed beside the groups is the total computed alone (histograms merged).
    assert total == alone and [s.key for s in by_district] == ["AGR"]
    assert elsewhere.received == 0 and other_scheme.received == 0
    assert [(s.key, s.received) for s in by_scheme] == [("MDA", 4)]


def test_approved_applicant_is_a_registered_business(runtime, history):  # noqa: ANN001
    from stats.businesses import listing

    with _session(runtime) as uow:
        page = listing(uow.session, JULY)
        applicant = uow.users.by_username("applicant1.agr")
    assert page.total == 1
    [business] = page.rows
    assert business.reference == f"ODOP-AGR-{applicant.id:06d}"
    assert (business.district, business.product_type, business.services, business.since) == (
        "Agra", "Leather products", "Marketing Development Assistance", date(2025, 7, 10),
    )


def _same_with_and_without_rollups(uow, f: Filters, today: date, now: datetime) -> None:  # noqa: ANN001
    """Every figure read through the roll-ups equals the one computed from the facts alone."""
    for by in (None, "scheme", "district"):
        assert queries.summary_and_rows(uow.session, f, today=today, by=by) == queries.summary_and_rows(
            uow.session, f, today=today, by=by, rollups=False
        )
    for g in (f, replace(f, scheme="MDA"), replace(f, scheme="MM"), replace(f, district="AGR")):
        assert queries.series(uow.session, g, unit="month") == queries.series(uow.session, g, unit="month", rollups=False)
        assert step_queries.steps(uow.session, g, now=now) == step_queries.steps(uow.session, g, now=now, rollups=False)
        assert step_queries.officers(uow.session, g, now=now) == step_queries.officers(uow.session, g, now=now, rollups=False)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2025, 7, 1), date(2025, 7, 31)),  # one whole month: monthly rows only
        (date(2025, 7, 5), date(2025, 7, 31)),  # no whole month: facts only
        (date(2025, 6, 15), date(2025, 8, 10)),  # facts, July's row, facts
        (date(2025, 4, 1), date(2026, 3, 31)),  # a financial year: its yearly row
        (date(2024, 2, 11), date(2026, 6, 3)),  # facts, months, two yearly rows, months, facts
        (date(2025, 7, 10), date(2025, 7, 10)),  # one day
    ],
)
def test_rollups_give_the_same_figures_as_the_facts(runtime, history, start, end):  # noqa: ANN001
    with _session(runtime) as uow:
        _same_with_and_without_rollups(uow, Filters(start, end), date(2025, 9, 1), NOW)
        steps = {s.bpmn_id: s for s in step_queries.steps(uow.session, Filters(start, end), now=NOW)}
        if start <= date(2025, 7, 7) and end >= date(2025, 7, 31):
            assert steps["dic_verification"].handled == 4  # A once, B twice (return, reject), D once


def _rollup_rows(uow) -> list[tuple]:  # noqa: ANN001
    from sqlalchemy import inspect, select

    from stats.monthly import ROLLUPS

    out = []
    for model in ROLLUPS:
        key = inspect(model).primary_key
        for row in uow.session.scalars(select(model).order_by(*key)):
            figures = [c for c in model.__table__.columns if c.name != "revision"]  # a revision is not a figure (D101)
            values = [getattr(row, c.key) for c in figures if c not in key]
            if not any(values):
                # A row whose figures all went back to zero (a due date moved on to a later month by
                # time with the applicant) says the same as no row: a rebuild does not write it.
                continue
            out.append((model.__tablename__, *(getattr(row, c.key) for c in figures)))
    return out


def test_rebuilt_rollups_equal_the_ones_kept_step_by_step(runtime, history):  # noqa: ANN001
    with _session(runtime) as uow:
        kept = _rollup_rows(uow)
        recorder.rebuild(uow, calendar_for)
        uow.commit()
    with _session(runtime) as uow:
        assert _rollup_rows(uow) == kept
    monthly = [row for row in kept if row[0] == "monthly_stats"]
    agra = next(row for row in monthly if row[3] == "AGR")
    assert agra[4:7] == (4, 2, {"2025-08-15": 2})
    # Every roll-up row is one district's: state-wide figures add them up when read (D50).
    assert {row[3] for row in kept if row[0] != "monthly_officer_stats"} == {"AGR"}
    yearly = next(row for row in kept if row[0] == "yearly_stats" and row[3] == "AGR")
    assert yearly[1] == date(2025, 4, 1) and yearly[4:] == agra[4:]  # the financial year's row
    officer = {row[2]: row for row in kept if row[0] == "monthly_officer_stats"}
    assert set(officer) == {"dic.agr", "gm.agr"}  # the applicant's answer is not an officer's work


def test_simulated_history_all_schemes(runtime, clock):  # noqa: ANN001
    """Every scheme's real paths (returns, rejections, CFC's two instalments): the roll-ups kept
    step by step equal a rebuild from the history, and agree with the facts for any period."""
    from web.infra.config import ROOT
    from workflows.sample.demo import load_demo
    from workflows.sample.simulation import simulate
    from workflows.usecases.deployment import deploy_directory

    deadlines.install(runtime, calendar_for)
    recorder.install(runtime, calendar_for)
    with SchemeUnitOfWork(runtime) as uow:
        load_demo(uow)
    deploy_directory(lambda: SchemeUnitOfWork(runtime), ROOT / "bpmn", actor="admin")
    clock.set(datetime(2025, 12, 31, 12, 0, tzinfo=UTC))
    simulate(runtime, clock, applications=40, days=240, seed=5, progress=False)

    with SchemeUnitOfWork(runtime) as uow:
        kept = _rollup_rows(uow)
        total = queries.summaries(uow.session, Filters(date(2025, 4, 1), date(2026, 3, 31)), today=date(2026, 1, 1))[0]
        recorder.rebuild(uow, calendar_for)
        uow.commit()
    with SchemeUnitOfWork(runtime) as uow:
        assert _rollup_rows(uow) == kept
        assert total.received == 40 and total.approved > 0 and total.benefit_released > 0
        periods = (Filters(date(2025, 4, 1), date(2026, 3, 31)), Filters(date(2025, 6, 17), date(2025, 11, 3)),
                   Filters(date(2024, 3, 9), date(2027, 1, 20)))
        for f in periods:
            _same_with_and_without_rollups(uow, f, date(2026, 1, 1), datetime(2026, 1, 1, tzinfo=UTC))


def test_upgrade_builds_the_rollups_a_database_lacks(runtime, history):  # noqa: ANN001
    """A database migrated from before the yearly and per-step roll-ups has facts but no yearly
    rows: `odop db upgrade` then rebuilds (recorder.needs_backfill)."""
    from stats.models import YearlyStats

    with _session(runtime) as uow:
        kept = _rollup_rows(uow)
        assert not recorder.needs_backfill(uow)
        uow.session.query(YearlyStats).delete()
        uow.commit()
    with _session(runtime) as uow:
        assert recorder.needs_backfill(uow)
        recorder.rebuild(uow, calendar_for)
        uow.commit()
    with _session(runtime) as uow:
        assert not recorder.needs_backfill(uow)
        assert _rollup_rows(uow) == kept
