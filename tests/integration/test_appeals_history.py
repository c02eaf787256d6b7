"""Appeals in the simulated history (D97): delays and rejections are appealed inside the history,
through the use cases, with nothing dated after its end; the same seed gives the same appeals."""

from __future__ import annotations

from sqlalchemy import select

from engine.clock import FixedClock
from engine.runtime import Runtime
from sla import deadlines
from sla.calendar_provider import CalendarProvider
from tests.integration.scheme_helpers import set_up, step, submit
from workflows.models import Appeal, Application
from workflows.sample.appeals_history import add_appeals
from workflows.uow import SchemeUnitOfWork

CALENDARS = CalendarProvider("UP")


def test_delays_and_rejections_are_appealed_inside_the_history(runtime: Runtime, clock: FixedClock) -> None:
    deadlines.install(runtime, CALENDARS)
    set_up(runtime)
    late = submit(runtime, "MDA")  # 30 working days: long past when the history ends
    clock.advance(days=1)
    rejected = submit(runtime, "MM")
    step(runtime, rejected, "dic_scrutiny", "reject", "Project report missing.")
    clock.advance(days=70)
    end = clock.now()
    done = add_appeals(runtime, clock, calendar_for=CALENDARS, seed=7)
    assert clock.now() == end
    with SchemeUnitOfWork(runtime) as uow:
        appeals = {(uow.session.get(Application, a.application_id).number, a.level): a
                   for a in uow.session.scalars(select(Appeal))}
    assert appeals[(late, 1)].cause == "delay" and appeals[(rejected, 1)].cause == "rejection"
    assert done["first appeals (delay)"] == 1 and done["first appeals (rejection)"] == 1
    assert all(a.filed_at < end and (a.decided_at is None or a.filed_at < a.decided_at < end) for a in appeals.values())
    # The first in turn is dismissed and taken to the second appellate authority (D97's plan).
    first_filed = min(appeals.values(), key=lambda a: a.filed_at)
    assert first_filed.outcome == "dismissed" and (first_filed.application_id, 2) in {
        (a.application_id, a.level) for a in appeals.values()}
