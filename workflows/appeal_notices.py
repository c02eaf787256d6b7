"""Notices about appeals (D96): the filing acknowledged to the applicant's parties and announced to
the appellate authority's officers; the order told to the applicant's parties.

Written to the outbox in the transaction that files or decides the appeal. The applicant's parties
are those of every application notice (`applicant_notices`, D83: the account by in-app, e-mail and
SMS; the filing facilitation centre by in-app and e-mail; the form's mobile number by SMS). The
officers of the hearing role (state_nodal for a first appeal, state_committee for a second) are
told in-app and by e-mail only: officers get no SMS for other work either (their texts have no DLT
template). Each party once per event: the outbox key names the application, the level and the event.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from engine import outbox
from engine.clock import IST
from workflows.applicant_notices import notify_applicant
from workflows.catalogue.appeal_rules import ALLOWED, DELAY, DISMISSED, NOT_DECIDED, REJECTION
from workflows.catalogue.schemes import scheme_of
from workflows.models import Appeal, Application, User
from workflows.readmodels.appeals import APPELLATE_ROLES
from workflows.uow import SchemeUnitOfWork

SUMMARY_CHARS = 300
LEVEL = {1: ("first", "प्रथम"), 2: ("second", "द्वितीय")}
CAUSE = {
    REJECTION: ("the rejection", "अस्वीकृति"),
    DELAY: ("the delay beyond the time limit", "समय सीमा से अधिक विलंब"),
    DISMISSED: ("the first appeal's dismissal", "प्रथम अपील खारिज होने"),
    NOT_DECIDED: ("the first appeal not decided in time", "प्रथम अपील का समय पर निर्णय न होने"),
}
SECOND_APPEAL_OPEN = ("You may file a second appeal on the portal within the time allowed.",
                      "आप निर्धारित समय में पोर्टल पर द्वितीय अपील दायर कर सकते हैं।")


def _day(moment: datetime | None) -> str:
    return moment.astimezone(IST).strftime("%d-%m-%Y") if moment else "?"


def summary(text: str, limit: int = SUMMARY_CHARS) -> str:
    """The order's reasons, cut at a word before `limit` characters (the full order is on the portal)."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:.") + " …"


def _appeal_params(appeal: Appeal) -> dict[str, Any]:
    level, level_hi = LEVEL.get(appeal.level, LEVEL[1])
    return {"level": level, "level_hi": level_hi, "due": _day(appeal.due_at), "appeal_id": appeal.id}


def notify_appeal_filed(uow: SchemeUnitOfWork, application: Application, appeal: Appeal) -> None:
    """The acknowledgement (with the authority's due date) and the authority's officers' notice."""
    params = _appeal_params(appeal)
    notify_applicant(uow, application, "appeal_filed", key=f"A{appeal.level}", extra=params)
    cause, cause_hi = CAUSE.get(appeal.cause, (appeal.cause, appeal.cause))
    scheme = scheme_of(uow.session, application)
    common = dict(
        template="appeal_received", instance_id=appeal.instance_id, key=f"appeal_received:{application.number}:A{appeal.level}",
        params={**params, "number": application.number, "scheme": scheme.name, "scheme_hi": scheme.name_in("hi"),
                "district": application.district_code, "date": _day(uow.clock.now()), "cause": cause,
                "cause_hi": cause_hi, "grounds": summary(appeal.grounds)},
    )
    role = APPELLATE_ROLES[min(appeal.level, 2) - 1]
    officers = uow.session.scalars(select(User).where(User.role == role, User.active.is_(True)).order_by(User.username))
    notes: list[dict[str, Any]] = []
    for officer in officers:
        mine = dict(common, recipient=officer.username, language=officer.language or "en")
        notes.append(dict(channel=outbox.IN_APP, **mine))
        if officer.email:
            notes.append(dict(channel=outbox.EMAIL, address=officer.email, **mine))
    outbox.enqueue_all(uow, notes)


def notify_appeal_decided(uow: SchemeUnitOfWork, application: Application, appeal: Appeal, *, reopened: bool) -> None:
    """The order to the applicant's parties: allowed (and the application reopened) or dismissed."""
    params = _appeal_params(appeal)
    if appeal.outcome == ALLOWED:
        template = "appeal_allowed_reopened" if reopened else "appeal_allowed"
    else:
        template = "appeal_dismissed"
        after, after_hi = SECOND_APPEAL_OPEN if appeal.level == 1 else ("", "")
        params.update(next=after, next_hi=after_hi)
    notify_applicant(uow, application, template, key=f"A{appeal.level}:order",
                     remarks=summary(appeal.order or ""), extra=params)
