"""Reminders, escalations and applicant notices through the outbox to a real SMTP server on
localhost; with the server down nothing is lost, and everything arrives once it is back."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from engine.clock import FixedClock
from engine.models import Notification, Timer
from engine.runtime import Runtime
from engine.uow import UnitOfWork
from sla import deadlines
from sla.calendar_provider import CalendarProvider
from sla.escalation import SlaHandlers
from sla.mailer import SmtpMailer, SmtpSettings
from sla.sender import OutboxSender
from sla.sweep import TimerSweep
from tests.integration.scheme_helpers import open_task, set_up, step, submit
from workflows.directory import UserDirectory


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201, N802 - aiosmtpd's hook name
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if m["To"] == address]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, Controller]]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield inbox, controller
    with contextlib.suppress(AssertionError):  # already stopped by the test
        controller.stop()


@pytest.fixture
def rt(runtime: Runtime) -> Runtime:
    deadlines.install(runtime, CalendarProvider("UP"))
    set_up(runtime)
    return runtime


def _parts(rt: Runtime, port: int) -> tuple[TimerSweep, OutboxSender]:
    directory = UserDirectory()
    handlers = SlaHandlers(directory, CalendarProvider("UP")).as_mapping()
    sweep = TimerSweep(lambda: UnitOfWork(rt), handlers=handlers, directory=directory)
    mailer = SmtpMailer(SmtpSettings(host="127.0.0.1", port=port, timeout=2))
    return sweep, OutboxSender(lambda: UnitOfWork(rt), mailer, backoff=timedelta(seconds=30))


def test_reminder_escalation_and_applicant_notices_arrive(rt: Runtime, clock: FixedClock, smtp) -> None:  # noqa: ANN001
    inbox, controller = smtp
    sweep, sender = _parts(rt, controller.port)
    number = submit(rt, "MDA")  # Monday 10:00 IST; DIC verification: 5 working days
    assert sender.run_once().sent == 1
    (received,) = inbox.to("applicant1.agr@example.in")
    assert received["Subject"] == f"Application {number} received"

    clock.advance(days=4)  # Friday: 75% of the time is used
    assert sweep.run_once().fired == 1
    sender.run_once()
    (reminder,) = inbox.to("dic.agr@example.in")
    assert reminder["Subject"].startswith(f"Reminder: DIC verification for {number} is due")
    assert "time limit 5 working days" in reminder.get_payload()

    clock.advance(days=4)  # next Tuesday: past the deadline (Monday 17:30)
    assert sweep.run_once().fired == 1
    sender.run_once()
    (escalation,) = inbox.to("gm.agr@example.in")
    assert escalation["Subject"] == f"Time limit missed: DIC verification for {number}"
    assert "passed its time limit on 14-07-2025 17:30" in escalation.get_payload()

    step(rt, number, "dic_verification", "return", "Upload the stall receipt.")
    sender.run_once()
    returned = [m for m in inbox.to("applicant1.agr@example.in") if "clarification" in m["Subject"]]
    assert len(returned) == 1 and "Upload the stall receipt." in returned[0].get_payload()

    assert sweep.run_once().fired == 0  # the appeal timer of the finished step is not due yet
    clock.advance(days=10)
    sweep.run_once()  # ... and when it is, the step is closed: nothing is sent
    sender.run_once()
    assert not inbox.to("nodal1@example.in")


def test_nothing_is_lost_while_the_mail_server_is_down(rt: Runtime, clock: FixedClock, smtp) -> None:  # noqa: ANN001
    inbox, controller = smtp
    port = controller.port
    _, sender = _parts(rt, port)
    controller.stop()
    numbers = [submit(rt, "MDA") for _ in range(3)]
    report = sender.run_once()
    assert (report.sent, report.failed) == (0, 3)
    with UnitOfWork(rt) as uow:
        pending = uow.session.scalars(select(Notification).where(Notification.channel == "email")).all()
        assert [(n.state, n.attempts) for n in pending] == [("pending", 1)] * 3
    assert sender.run_once().failed == 0, "nothing is retried before its backoff"

    back = Controller(inbox, hostname="127.0.0.1", port=port)
    back.start()
    try:
        clock.advance(seconds=31)
        assert sender.run_once().sent == 3
        assert sender.run_once().sent == 0
    finally:
        back.stop()
    subjects = sorted(m["Subject"] for m in inbox.messages)
    assert subjects == sorted(f"Application {n} received" for n in numbers)


def test_in_app_notifications_and_timers_are_written_with_the_task(rt: Runtime) -> None:
    number = submit(rt, "MM")
    with UnitOfWork(rt) as uow:
        kinds = sorted(t.kind for t in uow.session.scalars(select(Timer)))
        in_app = uow.session.scalars(select(Notification).where(Notification.channel == "in_app")).all()
    assert kinds == ["sla_appeal", "sla_breach", "sla_reminder"]
    assert [(n.recipient, n.template, n.params["number"]) for n in in_app] == [
        ("applicant1.agr", "application_submitted", number)
    ]


def test_daily_digest_once_a_day_per_officer(rt: Runtime, clock: FixedClock) -> None:
    from sla import digest

    numbers = [submit(rt, "MDA") for _ in range(2)]
    with UnitOfWork(rt) as uow:
        digest.ensure_timer(uow)
        digest.ensure_timer(uow)  # idempotent
        uow.commit()
    sweep = TimerSweep(lambda: UnitOfWork(rt), handlers={digest.KIND: digest.DigestHandler(UserDirectory())})
    clock.advance(days=6)  # the next Sunday 09:00 IST onwards; the tasks fall due on Monday
    assert sweep.run_once().fired == 1  # only the digest that is due; the next day's is scheduled
    with UnitOfWork(rt) as uow:
        notes = uow.session.scalars(
            select(Notification).where(Notification.template == "daily_digest", Notification.channel == "email")
        ).all()
        pending = uow.session.scalars(select(Timer).where(Timer.kind == digest.KIND, Timer.state == "pending")).all()
    assert [n.recipient for n in notes] == ["dic.agr"]
    assert notes[0].params["due_soon"] == 2 and all(n in notes[0].params["lines"] for n in numbers)
    assert len(pending) == 1 and pending[0].due_at > clock.now()


def _with_breach_policy(rt: Runtime, action: str) -> None:
    from web.infra.config import ROOT
    from workflows.uow import SchemeUnitOfWork
    from workflows.usecases.deployment import deploy_set

    bpmn = (ROOT / "bpmn" / "marketing_assistance.bpmn").read_text()
    marker = '<spiffworkflow:property name="outcomes" value="approve,reject" />'
    assert bpmn.count(marker) == 1  # the GM's sanction
    bpmn = bpmn.replace(marker, marker + f'\n          <spiffworkflow:property name="on_breach" value="{action}" />')
    files = {"marketing_assistance.bpmn": bpmn.encode(), "mda_reimbursement.dmn": (ROOT / "bpmn" / "mda_reimbursement.dmn").read_bytes()}
    with SchemeUnitOfWork(rt) as uow:
        deploy_set(uow, files, actor="admin")


@pytest.mark.parametrize("action", ["deemed_approval", "return_to_pool"])
def test_breach_actions_of_a_step(rt: Runtime, clock: FixedClock, action: str) -> None:
    from workflows.uow import SchemeUnitOfWork
    from workflows.usecases.deemed import deem_approved

    _with_breach_policy(rt, action)
    number = submit(rt, "MDA")
    step(rt, number, "dic_verification", "approve")
    if action == "return_to_pool":
        from workflows.usecases.decisions import claim

        with SchemeUnitOfWork(rt) as uow:
            claim(uow, [open_task(rt, number).id], actor="gm.agr")
    handlers = SlaHandlers(UserDirectory(), CalendarProvider("UP"), deem_approved=deem_approved).as_mapping()
    sweep = TimerSweep(lambda: SchemeUnitOfWork(rt), handlers=handlers)
    clock.advance(days=6)  # the GM's 3 working days are over
    assert sweep.run_once().failed == 0
    task = open_task(rt, number)
    if action == "deemed_approval":
        assert task.bpmn_id == "record_payment"
        with SchemeUnitOfWork(rt) as uow:
            sanction = [t for t in uow.tasks.for_instance(task.instance_id) if t.bpmn_id == "gm_sanction"][0]
            assert (sanction.state, sanction.completed_by, sanction.outcome) == ("completed", "system", "approve")
            assert uow.applications.by_number(number).benefit_amount == 59_900
    else:
        assert (task.bpmn_id, task.state, task.assignee) == ("gm_sanction", "ready", None)
