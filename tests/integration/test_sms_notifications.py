"""Every party hears of every event once, in their language, with Indian amounts and India-time
dates: SMS through a local fake gateway (real HTTP), e-mail through a real SMTP server; a gateway
outage is retried and then shown as an incident, and nothing is lost."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select, update

from engine import outbox
from engine.clock import FixedClock
from engine.models import Notification
from engine.runtime import Runtime
from engine.uow import UnitOfWork
from sla import deadlines, incidents
from sla.calendar_provider import CalendarProvider
from sla.mailer import SmtpMailer, SmtpSettings
from sla.notification_list import notices_of
from sla.sender import OutboxSender
from sla.sms import HttpSmsGateway
from sla.sms_templates import SMS
from tests.fake_sms import FakeGateway, fake_gateway
from tests.integration.scheme_helpers import set_up, step, submit, walk
from tests.integration.test_sla_notifications import Inbox, _free_port
from workflows.models import User
from workflows.uow import SchemeUnitOfWork

APPLICANT_MOBILE, SPV_CONTACT = "9811122233", "9876500000"
CFC_PATH = [
    ("dic_scrutiny", "approve"), ("district_committee_review", "approve"), ("technical_appraisal", "approve", {"appraised_cost": 50_000_000}),
    ("state_committee_approval", "approve"), ("release_instalment", "approve"), ("submit_utilisation_certificate", "submit"),
    ("verify_utilisation_certificate", "approve"), ("release_instalment", "approve"),
]


@pytest.fixture
def rt(runtime: Runtime) -> Runtime:
    deadlines.install(runtime, CalendarProvider("UP"))
    set_up(runtime)
    with SchemeUnitOfWork(runtime) as uow:
        # The artisan reads Hindi and gave a mobile number as people write it; the centre reads English.
        uow.session.execute(update(User).where(User.username == "applicant1.agr").values(language="hi", phone="+91 98111-22233"))
        uow.session.execute(update(User).where(User.username == "fc.agr").values(language="en", phone="9000000001"))
        uow.commit()
    return runtime


@pytest.fixture
def smtp() -> Iterator[Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    inbox.port = controller.port  # type: ignore[attr-defined]
    yield inbox
    controller.stop()


@pytest.fixture
def gateway() -> Iterator[FakeGateway]:
    with fake_gateway() as g:
        yield g


def _sender(rt: Runtime, inbox_port: int | None, gateway: FakeGateway, **kw) -> OutboxSender:  # noqa: ANN003
    mailer = SmtpMailer(SmtpSettings(host="127.0.0.1", port=inbox_port, timeout=2)) if inbox_port else None
    return OutboxSender(lambda: UnitOfWork(rt), mailer, HttpSmsGateway(gateway.settings), **kw)


def _template_of(message: dict) -> tuple[str, str]:
    """(template, language) from the DLT id the gateway was given."""
    return next((name, lang) for name, texts in SMS.items() for lang, t in texts.items()
                if t.dlt_template_id == message["dlt_template_id"])


CFC_EVENTS = ["application_submitted", "application_returned", "application_sanctioned",
              "benefit_released", "benefit_released", "application_approved"]


def test_each_cfc_event_reaches_each_party_once_in_their_language(rt: Runtime, clock: FixedClock, smtp: Inbox,
                                                                   gateway: FakeGateway) -> None:
    clock.set(datetime(2025, 7, 6, 19, 0, tzinfo=UTC))  # 00:30 on 7 July in India, still 6 July in UTC
    number = submit(rt, "CFC", actor="fc.agr")  # a facilitation centre files for the SPV
    walk(rt, number, [("dic_scrutiny", "return"), ("provide_clarification", "submit"), *CFC_PATH])
    sender = _sender(rt, smtp.port, gateway)  # type: ignore[attr-defined]
    report = sender.run_once()
    assert report.failed == 0

    # SMS: the applicant's account and the SPV contact on the form, each event once, in Hindi.
    for mobile in (APPLICANT_MOBILE, SPV_CONTACT):
        got = [_template_of(m) for m in gateway.to(mobile)]
        assert Counter(t for t, _ in got) == Counter(CFC_EVENTS), mobile
        assert {lang for _, lang in got} == {"hi"}
    assert not gateway.to("9000000001"), "the centre is told in-app and by e-mail, not by SMS"
    by_template = {_template_of(m)[0]: m for m in gateway.to(SPV_CONTACT)}
    receipt = by_template["application_submitted"]["message"]
    assert "सामान्य सुविधा केंद्र" in receipt and "07-07-2025" in receipt, receipt
    assert "₹ 4,50,00,000 (4.5 करोड़)" in by_template["application_sanctioned"]["message"]
    assert by_template["application_sanctioned"]["unicode"] is True
    assert all(m["sender"] == "ODOPUP" and m["dlt_entity_id"] for m in gateway.messages)
    released = [m["message"] for m in gateway.to(SPV_CONTACT) if _template_of(m)[0] == "benefit_released"]
    assert any("किस्त 2" in text and "₹ 4,50,00,000 (4.5 करोड़) में से ₹ 4,50,00,000 (4.5 करोड़)" in text for text in released)

    # E-mail: the applicant in Hindi, the centre that filed in English, each event once.
    hindi = Counter(str(make_header(decode_header(m["Subject"]))) for m in smtp.to("applicant1.agr@example.in"))
    assert hindi[f"आवेदन {number} संस्वीकृत"] == 1 and hindi[f"आवेदन {number} प्राप्त हुआ"] == 1
    assert sum(hindi.values()) == len(CFC_EVENTS)
    english = Counter(m["Subject"] for m in smtp.to("fc.agr@example.in"))
    assert english[f"Application {number}: instalment 1 released"] == 1
    assert english[f"Application {number} approved"] == 1 and sum(english.values()) == len(CFC_EVENTS)
    assert sender.run_once().sent == 0, "nothing goes twice"


def test_a_rejection_reaches_the_applicant_and_the_forms_mobile(rt: Runtime, gateway: FakeGateway) -> None:
    number = submit(rt, "MDA", actor="applicant2.agr", mobile="9876512345")
    step(rt, number, "dic_verification", "reject", "The fair is not an approved one.")
    _sender(rt, None, gateway).run_once()
    got = [_template_of(m) for m in gateway.to("9876512345")]
    assert got == [("application_submitted", "en"), ("application_rejected", "en")]


def test_a_gateway_outage_is_retried_then_an_incident_and_nothing_is_lost(rt: Runtime, clock: FixedClock,
                                                                          gateway: FakeGateway) -> None:
    gateway.down = True
    number = submit(rt, "MDA")
    sender = _sender(rt, None, gateway, max_attempts=3, backoff=timedelta(seconds=30))
    assert sender.run_once().failed == 2  # the applicant's mobile and the form's
    assert sender.run_once().failed == 0, "nothing is retried before its backoff"
    for wait in (31, 61):
        clock.advance(seconds=wait)
        assert sender.run_once().failed == 2
    with UnitOfWork(rt) as uow:
        _, failed = incidents.open_incidents(uow)
        assert sorted(n.address for n in failed) == [APPLICANT_MOBILE, "9876543210"]
        assert all("503" in (n.last_error or "") for n in failed)
        ids = [n.id for n in failed]
    gateway.down = False
    for note_id in ids:
        with UnitOfWork(rt) as uow:
            incidents.retry_notification(uow, note_id, actor="admin")
    assert sender.run_once().sent == 2
    assert all(number in m["message"] for m in gateway.messages) and len(gateway.messages) == 2


def test_without_a_gateway_sms_wait_in_the_outbox(rt: Runtime, gateway: FakeGateway) -> None:
    submit(rt, "MDA")
    OutboxSender(lambda: UnitOfWork(rt), None, None).run_once()
    with UnitOfWork(rt) as uow:
        states = uow.session.scalars(select(Notification.state).where(Notification.channel == "sms")).all()
    assert states == ["pending", "pending"]
    assert not gateway.messages


def test_notifications_are_listed_newest_first_by_when_they_were_written(rt: Runtime, clock: FixedClock) -> None:
    with UnitOfWork(rt) as uow:
        for number, at in (("UP/NEW", datetime(2025, 7, 7, 4, 30, tzinfo=UTC)), ("UP/OLD", datetime(2025, 7, 1, 4, 30, tzinfo=UTC))):
            clock.set(at)  # the second is written later but dated earlier (as simulated history is)
            outbox.enqueue(uow, channel=outbox.IN_APP, recipient="applicant2.agr", template="process_notice",
                           params={"number": number, "remarks": "x"})
        uow.commit()
    with UnitOfWork(rt) as uow:
        assert [n.number for n in notices_of(uow, "applicant2.agr")] == ["UP/NEW", "UP/OLD"]
