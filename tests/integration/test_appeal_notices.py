"""Appeal notices (D96): a filing is acknowledged to every party of the application with the
authority's due date and announced to the hearing officers; an order reaches every party with its
reasons in short and, when a rejection is set aside, that the application is reopened. Each party
once per event, in their language, through the real outbox sender (fake SMS gateway, SMTP server);
SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter
from email.header import decode_header, make_header

from sqlalchemy import func, select, update

from engine.clock import FixedClock
from engine.models import Notification
from engine.runtime import Runtime
from sla.calendar_provider import CalendarProvider
from sla.notification_list import notices_of
from tests.fake_sms import FakeGateway
from tests.integration.scheme_helpers import step, submit
from tests.integration.test_sla_notifications import Inbox
from tests.integration.test_sms_notifications import (  # noqa: F401
    APPLICANT_MOBILE,
    _sender,
    _template_of,
    gateway,
    rt,
    smtp,
)
from workflows.appeal_notices import notify_appeal_filed, summary
from workflows.models import Appeal, Application, User
from workflows.uow import SchemeUnitOfWork
from workflows.usecases.appeals import decide_appeal, file_appeal

CALENDARS = CalendarProvider("UP")
FORM_MOBILE, NODAL_MOBILE = "9876512345", "9000000002"
ORDER = "The fair is on the approved list of 2025-26 (page 3 of the record); the rejection rested on an old list. " * 4


def _subjects(inbox: Inbox, address: str) -> Counter[str]:
    """Subjects with spaces dropped: decoding folded MIME words loses the space at a fold."""
    return Counter(str(make_header(decode_header(m["Subject"]))).replace(" ", "") for m in inbox.to(address))


def _n(subject: str) -> str:
    return subject.replace(" ", "")


def test_filings_and_orders_reach_each_party_once_in_their_language(rt: Runtime, clock: FixedClock, smtp: Inbox,  # noqa: F811
                                                                     gateway: FakeGateway) -> None:  # noqa: F811
    with SchemeUnitOfWork(rt) as uow:  # the first appellate officer reads Hindi and has a mobile number
        uow.session.execute(update(User).where(User.username == "nodal1").values(language="hi", phone=NODAL_MOBILE))
        uow.commit()
    number = submit(rt, "MDA", actor="fc.agr", mobile=FORM_MOBILE)  # a centre files; another number on the form
    step(rt, number, "dic_verification", "reject", "The fair is not an approved one.")
    with SchemeUnitOfWork(rt) as uow:
        first = file_appeal(uow, actor="applicant1.agr", number=number, grounds="The fair is approved.", calendar_for=CALENDARS)
        due_first = first.due_at
    clock.advance(days=3)
    with SchemeUnitOfWork(rt) as uow:
        decide_appeal(uow, actor="nodal1", appeal_id=first.id, outcome="approve", order=ORDER)
    clock.advance(days=1)
    step(rt, number, "dic_verification", "reject", "Rejected again.")
    with SchemeUnitOfWork(rt) as uow:
        second = file_appeal(uow, actor="fc.agr", number=number, grounds="Rejected again on the same ground.", calendar_for=CALENDARS)
    clock.advance(days=2)
    with SchemeUnitOfWork(rt) as uow:
        decide_appeal(uow, actor="slc", appeal_id=second.id, outcome="reject", order="The fair ended before the claim period.")
    with SchemeUnitOfWork(rt) as uow:  # telling again (a retried command, say) adds nothing
        appeal = uow.session.get(Appeal, first.id)
        notify_appeal_filed(uow, uow.session.get(Application, appeal.application_id), appeal)
        uow.commit()
    report = _sender(rt, smtp.port, gateway).run_once()  # type: ignore[attr-defined]
    assert report.failed == 0

    events = ["appeal_filed", "appeal_allowed_reopened", "appeal_filed", "appeal_dismissed"]
    # SMS: the applicant's account (Hindi) and the form's number (in the applicant's language), each once.
    for mobile in (APPLICANT_MOBILE, FORM_MOBILE):
        got = [_template_of(m) for m in gateway.to(mobile)]
        appeal_sms = [t for t, _ in got if t.startswith("appeal_")]
        assert Counter(appeal_sms) == Counter(events), mobile
        assert {lang for _, lang in got} == {"hi"}
    texts = {_template_of(m)[0]: m["message"] for m in gateway.to(APPLICANT_MOBILE)}
    assert "प्रथम" in texts["appeal_allowed_reopened"] and "पुनः खोला" in texts["appeal_allowed_reopened"]
    acknowledged = [m["message"] for m in gateway.to(APPLICANT_MOBILE) if _template_of(m)[0] == "appeal_filed"]
    assert any(due_first.strftime("%d-%m-") in text and "प्रथम" in text for text in acknowledged), acknowledged
    assert not gateway.to(NODAL_MOBILE), "officers are told in-app and by e-mail, not by SMS"
    assert not gateway.to("9000000001"), "the filing centre is told in-app and by e-mail"

    # E-mail: the applicant in Hindi, the centre in English, the hearing officers of each level.
    hindi = _subjects(smtp, "applicant1.agr@example.in")
    assert hindi[_n(f"अपील प्राप्त: आवेदन {number}")] == 2
    assert hindi[_n(f"आवेदन {number} अस्वीकृत")] == 2, "a reopened application rejected again is told again"
    assert hindi[_n(f"अपील स्वीकार, आवेदन {number} पुनः खोला गया")] == 1 and hindi[_n(f"अपील खारिज: आवेदन {number}")] == 1
    english = _subjects(smtp, "fc.agr@example.in")
    assert english[_n(f"Appeal received: application {number}")] == 2
    assert english[_n(f"Appeal allowed, application {number} reopened")] == 1
    assert english[_n(f"Appeal dismissed: application {number}")] == 1
    assert _subjects(smtp, "nodal1@example.in") == Counter({_n(f"नई प्रथम अपील: आवेदन {number}"): 1})
    assert _subjects(smtp, "slc@example.in") == Counter({_n(f"New second appeal: application {number}"): 1})
    centre_mail = next(m for m in smtp.to("fc.agr@example.in") if "reopened" in m["Subject"])
    body = centre_mail.get_payload(decode=True).decode() if not centre_mail.is_multipart() else str(centre_mail)
    assert "is reopened" in body and summary(ORDER) in body and ORDER.strip() not in body  # reasons in short

    with SchemeUnitOfWork(rt) as uow:  # in-app: once per person and event
        in_app = Counter(uow.session.execute(
            select(Notification.recipient, Notification.template).where(Notification.channel == "in_app",
                                                                        Notification.template.startswith("appeal_"))).all())
        assert set(in_app.values()) <= {1, 2} and in_app[("applicant1.agr", "appeal_filed")] == 2
        assert in_app[("nodal1", "appeal_received")] == 1 and in_app[("slc", "appeal_received")] == 1
        assert ("nodal1", "appeal_filed") not in in_app
        listed = [n for n in notices_of(uow, "nodal1", language="hi") if n.number == number]  # the officer's page in Hindi
        assert [n.subject for n in listed] == [f"नई प्रथम अपील: आवेदन {number}"]
        assert "अस्वीकृति के विरुद्ध प्रथम अपील" in listed[0].body and "The fair is approved." in listed[0].body
        assert uow.session.scalar(select(func.count()).select_from(Notification).where(
            Notification.template == "appeal_received", Notification.channel == "sms")) == 0
    assert _sender(rt, smtp.port, gateway).run_once().sent == 0, "nothing goes twice"  # type: ignore[attr-defined]
