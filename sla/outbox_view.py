"""The outbox as administrators see it: the latest e-mails and SMS, newest first, as they were (or
would be) sent. Without an SMS gateway this is where a developer reads the sign-up codes (D82);
with one, codes are masked here: they are for the person's phone only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from engine import outbox
from engine.models import Notification
from engine.uow import UnitOfWork
from sla.sms_templates import SMS, render_sms
from sla.templates import render


@dataclass(frozen=True)
class OutgoingMessage:
    id: int
    at: datetime
    channel: str
    to: str
    state: str
    attempts: int
    text: str
    dlt_template_id: str | None
    error: str | None


def latest(uow: UnitOfWork, *, show_codes: bool, limit: int = 200) -> list[OutgoingMessage]:
    rows = uow.session.scalars(
        select(Notification).where(Notification.channel.in_((outbox.EMAIL, outbox.SMS)))
        .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)
    )
    messages = []
    for n in rows:
        params = dict(n.params)
        if "code" in params and not show_codes:
            params["code"] = "••••••"
        template_id = None
        if n.channel == outbox.SMS and n.template in SMS:
            sms = render_sms(n.template, n.language, params)
            text, template_id = sms.text, sms.dlt_template_id
        else:
            subject, body = render(n.template, n.language, params)
            text = f"{subject}\n{body}"
        messages.append(OutgoingMessage(n.id, n.created_at, n.channel, n.address or n.recipient, n.state, n.attempts,
                                        text, template_id, n.last_error))
    return messages
