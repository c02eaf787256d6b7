"""A person's in-app notifications: the list, the unread count, marking read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update

from engine import outbox
from engine.models import Notification
from engine.uow import UnitOfWork
from sla.templates import render


@dataclass(frozen=True)
class Notice:
    id: int
    at: datetime
    subject: str
    body: str
    read: bool
    number: str | None


def _mine(username: str):  # noqa: ANN202
    return (Notification.recipient == username, Notification.channel == outbox.IN_APP)


def unread_count(uow: UnitOfWork, username: str) -> int:
    query = select(func.count()).select_from(Notification).where(*_mine(username), Notification.read_at.is_(None))
    return uow.session.scalar(query) or 0


def notices_of(uow: UnitOfWork, username: str, *, language: str = "en", limit: int = 50) -> list[Notice]:
    rows = uow.session.scalars(
        select(Notification).where(*_mine(username))
        .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)
    )
    notices = []
    for n in rows:
        subject, body = render(n.template, language or n.language, n.params)
        notices.append(Notice(n.id, n.created_at, subject, body, n.read_at is not None, n.params.get("number")))
    return notices


def mark_all_read(uow: UnitOfWork, username: str) -> int:
    result = uow.session.execute(
        update(Notification).where(*_mine(username), Notification.read_at.is_(None)).values(read_at=uow.clock.now())
    )
    uow.commit()
    return result.rowcount or 0
