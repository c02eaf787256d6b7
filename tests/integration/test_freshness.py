"""The dashboards show a decision as soon as it is committed (issue 14: within 2 seconds).

The roll-ups are moved in the decision's own transaction (D17, D51) and nothing is cached, so the
next read after the commit, on another connection, already counts it — state-wide (the sum of the
district rows, D50) and in the decision's district, while the other district is untouched.
"""

from __future__ import annotations

from datetime import date

from engine.runtime import Runtime
from sla import deadlines
from stats import queries, recorder, step_queries
from stats.filters import Filters
from tests.integration import scheme_helpers as h
from web.infra.bootstrap import calendar_provider
from workflows.uow import SchemeUnitOfWork
from workflows.usecases.decisions import claim, decide
from workflows.usecases.submission import submit_application

JULY = Filters(start=date(2025, 7, 1), end=date(2025, 7, 31))  # a whole month: read from the roll-ups
TODAY = date(2025, 7, 7)


def _figures(runtime: Runtime, f: Filters) -> tuple:
    with SchemeUnitOfWork(runtime) as uow:
        [summary] = queries.summaries(uow.session, f, today=TODAY)
        handled = {s.bpmn_id: s.handled for s in step_queries.steps(uow.session, f, now=runtime.clock.now())}
    return summary.received, summary.in_process, summary.approved, handled.get("dic_scrutiny", 0)


def test_a_decision_is_on_the_dashboards_once_committed(runtime: Runtime) -> None:
    calendars = calendar_provider("UP")
    deadlines.install(runtime, calendars)
    recorder.install(runtime, calendars)
    h.set_up(runtime)
    for district in ("AGR", "MBD"):
        with SchemeUnitOfWork(runtime) as uow:
            submit_application(uow, scheme_code="MM", district_code=district, data=h.fresh("MM", district), actor="applicant1.agr")
    number = h.submit(runtime)
    agra = Filters(JULY.start, JULY.end, district="AGR")
    moradabad = Filters(JULY.start, JULY.end, district="MBD")
    assert _figures(runtime, JULY) == (3, 3, 0, 0)
    assert _figures(runtime, agra) == (2, 2, 0, 0)

    task = h.open_task(runtime, number)
    with SchemeUnitOfWork(runtime) as uow:
        claim(uow, [task.id], actor="dic.agr")
    with SchemeUnitOfWork(runtime) as uow:
        decide(uow, task.id, actor="dic.agr", outcome="reject", remarks="Not eligible.")

    assert _figures(runtime, JULY) == (3, 2, 0, 1)
    assert _figures(runtime, agra) == (2, 1, 0, 1)
    assert _figures(runtime, moradabad) == (1, 1, 0, 0)
    with SchemeUnitOfWork(runtime) as uow:
        # Read through the roll-ups or from the facts alone: the same figures.
        assert queries.summary_and_rows(uow.session, JULY, today=TODAY, by="district") == queries.summary_and_rows(
            uow.session, JULY, today=TODAY, by="district", rollups=False
        )
