"""Appeals under the UP Janhit Guarantee Adhiniyam (D85-D87), on SQLite and PostgreSQL, every
command with a fresh Runtime (no workflow cache), as after a restart."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from engine.clock import FixedClock
from engine.db import make_engine
from engine.models import AuditEvent, Instance, Notification, Task, Timer
from engine.runtime import Runtime
from web.infra.bootstrap import build_sweep, calendar_provider
from web.infra.config import Settings
from workflows.errors import AppealRefused, NotAllowed, ValidationFailed
from workflows.models import Appeal
from workflows.readmodels.appeals import appeal_panel, appeals_to_hear
from workflows.uow import SchemeUnitOfWork
from workflows.usecases.appeals import decide_appeal, file_appeal

from .scheme_helpers import open_task, set_up, step, submit

CALENDARS = calendar_provider("UP")


class Fresh:
    """A new Runtime (hooks as the app wires them, no workflow cache) for every command."""

    def __init__(self, database_url: str, clock: FixedClock) -> None:
        self.url, self.clock, self.db = database_url, clock, make_engine(database_url)

    def runtime(self) -> Runtime:
        from sla import deadlines, services  # noqa: PLC0415
        from stats import recorder  # noqa: PLC0415
        from workflows import services as scheme_services  # noqa: PLC0415

        runtime = Runtime.create(self.url, clock=self.clock, engine=self.db, workflow_cache_size=0)
        deadlines.install(runtime, CALENDARS)
        recorder.install(runtime, CALENDARS)
        services.install(runtime, CALENDARS)
        scheme_services.install(runtime, aadhaar_key=b"test-aadhaar-key")
        return runtime

    def uow(self) -> SchemeUnitOfWork:
        return SchemeUnitOfWork(self.runtime())

    def file(self, number: str, actor: str = "applicant1.agr", grounds: str = "No decision in time.") -> Appeal:
        with self.uow() as uow:
            return file_appeal(uow, actor=actor, number=number, grounds=grounds, calendar_for=CALENDARS)

    def decide(self, appeal_id: int, actor: str, outcome: str, order: str = "Heard the applicant and the office.") -> Appeal:
        with self.uow() as uow:
            return decide_appeal(uow, actor=actor, appeal_id=appeal_id, outcome=outcome, order=order)

    def refusal(self, number: str) -> str:
        with pytest.raises(AppealRefused) as refused:
            self.file(number)
        return refused.value.reason


@pytest.fixture
def fresh(database_url: str, clock: FixedClock) -> Iterator[Fresh]:
    driver = Fresh(database_url, clock)
    set_up(driver.runtime())
    yield driver
    driver.db.dispose()


def test_delay_first_appeal_then_second_when_the_first_authority_is_late(fresh: Fresh, clock: FixedClock) -> None:
    number = submit(fresh.runtime(), "MDA")
    assert fresh.refusal(number) == "not_yet"  # the scheme's 30 working days have not passed
    with pytest.raises(NotAllowed):
        fresh.file(number, actor="applicant2.agr")
    clock.advance(days=50)  # beyond 30 working days, within the 30-working-day window after it
    first = fresh.file(number)
    assert (first.level, first.cause) == (1, "delay")
    with fresh.uow() as uow:
        hearing = uow.session.scalars(select(Task).where(Task.instance_id == first.instance_id)).one()
        kinds = sorted(t.kind for t in uow.session.scalars(select(Timer).where(Timer.task_id == hearing.id)))
        key = uow.session.get(Instance, first.instance_id).business_key
    assert (hearing.bpmn_id, hearing.lane, hearing.time_limit_days) == ("first_appeal", "state_nodal", 30)
    assert hearing.due_at == first.due_at and first.due_at > clock.now()
    assert kinds == ["sla_appeal", "sla_breach", "sla_reminder"]  # SLA timers like any step
    assert key == f"{number}/A1"
    assert fresh.refusal(number) == "pending"  # the first authority's limit has not passed
    with fresh.uow() as uow:
        assert [h.appeal.id for h in appeals_to_hear(uow, actor="nodal1")] == [first.id]
        assert appeals_to_hear(uow, actor="slc") == []
    clock.advance(days=45)  # the first appellate authority missed its 30 working days
    # ... and its SLA timers fired like any step's: the reminder, then the breach to the supervisors.
    sweep = build_sweep(fresh.runtime(), Settings(database_url=fresh.url, testing=True))
    while sweep.run_once().fired:
        pass
    with fresh.uow() as uow:
        escalated = uow.session.scalars(select(AuditEvent).where(
            AuditEvent.kind == "task_escalated", AuditEvent.task_id == hearing.id)).all()
        told = {n.recipient for n in uow.session.scalars(select(Notification).where(Notification.template == "task_escalated"))}
    assert escalated and "nodal1" in told
    second = fresh.file(number, grounds="The first appeal was not decided.")
    assert (second.level, second.cause) == (2, "not_decided")
    with fresh.uow() as uow:
        assert [h.task.bpmn_id for h in appeals_to_hear(uow, actor="slc")] == ["second_appeal"]
        panel = appeal_panel(uow, actor="applicant1.agr", number=number, calendar_for=CALENDARS)
        application = uow.applications.by_number(number)
        kinds = [e.kind for e in uow.session.scalars(
            select(AuditEvent).where(AuditEvent.instance_id == application.instance_id).order_by(AuditEvent.id))]
    assert [a.level for a in panel.appeals] == [1, 2] and panel.verdict.refused == "already_appealed"
    assert kinds.count("appeal_filed") == 2
    assert fresh.refusal(number) == "already_appealed"
    # The second authority directs the office to decide: the application stays with the office.
    with pytest.raises(NotAllowed):
        fresh.decide(second.id, "nodal1", "approve")
    with pytest.raises(ValidationFailed):
        fresh.decide(second.id, "slc", "approve", order="  ")
    decided = fresh.decide(second.id, "slc", "approve")
    assert (decided.outcome, decided.decided_by) == ("allowed", "slc")
    assert open_task(fresh.runtime(), number).bpmn_id == "dic_verification"
    with pytest.raises(ValidationFailed):
        fresh.decide(second.id, "slc", "reject")  # already decided


def test_rejection_appeal_allowed_reopens_the_application(fresh: Fresh, clock: FixedClock) -> None:
    number = submit(fresh.runtime(), "MM")
    step(fresh.runtime(), number, "dic_scrutiny", "reject", "Project report missing.")
    first = fresh.file(number, grounds="The report was attached on page 4.")
    assert (first.level, first.cause) == (1, "rejection")
    clock.advance(days=3)
    fresh.decide(first.id, "nodal1", "approve", order="The report is on record; reconsider.")
    with fresh.uow() as uow:
        application = uow.applications.by_number(number)
        old = uow.session.get(Instance, first.round_instance_id)
        assert application.status == "in_process" and application.decided_at is None
        assert application.instance_id != first.round_instance_id
        assert old.business_key == f"{number}/R1"
        assert uow.session.get(Instance, application.instance_id).business_key == number
    assert open_task(fresh.runtime(), number).bpmn_id == "dic_scrutiny"
    assert fresh.refusal(number) == "first_allowed"
    # Rejected again after reconsideration: the second appellate authority hears it.
    clock.advance(days=1)
    step(fresh.runtime(), number, "dic_scrutiny", "reject", "Still not eligible.")
    second = fresh.file(number, grounds="Rejected again without reasons.")
    assert (second.level, second.cause) == (2, "rejection")
    fresh.decide(second.id, "slc", "reject", order="The rejection is upheld.")
    with fresh.uow() as uow:
        application = uow.applications.by_number(number)
        assert application.status == "rejected"
        assert uow.session.get(Appeal, second.id).outcome == "dismissed"


def test_no_appeal_after_the_window_or_for_an_approved_application(fresh: Fresh, clock: FixedClock) -> None:
    number = submit(fresh.runtime(), "MM")
    mda = submit(fresh.runtime(), "MDA")  # filed now: MDA claims are taken only for a while after the fair
    step(fresh.runtime(), number, "dic_scrutiny", "reject", "Not an ODOP product.")
    clock.advance(days=60)  # more than 30 working days after the rejection
    assert fresh.refusal(number) == "window_passed"
    step(fresh.runtime(), mda, "dic_verification", "approve")
    step(fresh.runtime(), mda, "gm_sanction", "approve")
    step(fresh.runtime(), mda, "record_payment", "approve", payment_reference="PFMS123")
    assert fresh.refusal(mda) == "delivered"


def test_two_filings_at_once_make_one_appeal(fresh: Fresh, clock: FixedClock) -> None:
    number = submit(fresh.runtime(), "MM")
    step(fresh.runtime(), number, "dic_scrutiny", "reject", "Not an ODOP product.")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def file() -> None:
        barrier.wait()
        try:
            fresh.file(number)
            outcomes.append("filed")
        except AppealRefused as err:
            outcomes.append(err.reason)

    threads = [threading.Thread(target=file) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["filed", "pending"]  # the second saw the first appeal, not yet due
    with fresh.uow() as uow:
        assert len(uow.session.scalars(select(Appeal)).all()) == 1
