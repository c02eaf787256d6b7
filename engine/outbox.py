"""The notification outbox: enqueue in the caller's transaction; claim, mark sent, retry."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from engine.models import Notification, NotificationState
from engine.uow import UnitOfWork
from engine.work_queue import Queue

EMAIL = "email"
IN_APP = "in_app"
SMS = "sms"
QUEUE = Queue(
    Notification, due="next_attempt_at", pending=NotificationState.PENDING, given_up=NotificationState.FAILED,
    clear_due_when_given_up=True,
)


def enqueue(
    uow: UnitOfWork,
    *,
    channel: str,
    recipient: str,
    template: str,
    params: dict[str, Any],
    address: str | None = None,
    language: str = "en",
    instance_id: int | None = None,
    key: str | None = None,
) -> Notification | None:
    """Add a notification to the caller's transaction; None if one with this key exists already."""
    if key is not None:
        full_key = f"{channel}:{recipient}:{key}"
        if uow.session.scalar(select(Notification.id).where(Notification.key == full_key)) is not None:
            return None
    else:
        full_key = None
    now = uow.clock.now()
    delivered = channel == IN_APP
    note = Notification(
        key=full_key,
        channel=channel,
        recipient=recipient,
        address=address,
        language=language,
        template=template,
        params=params,
        instance_id=instance_id,
        state=NotificationState.SENT if delivered else NotificationState.PENDING,
        attempts=0,
        next_attempt_at=None if delivered else now,
        created_at=now,
        sent_at=now if delivered else None,
    )
    uow.session.add(note)
    return note


def enqueue_all(uow: UnitOfWork, notes: list[dict[str, Any]]) -> None:
    """Like `enqueue` for several notifications (each with a `key`), in one statement: a key
    already in the outbox is skipped by the database (ON CONFLICT DO NOTHING), not looked up."""
    now = uow.clock.now()
    rows = []
    for note in notes:
        delivered = note["channel"] == IN_APP
        rows.append(
            dict(
                key=f"{note['channel']}:{note['recipient']}:{note['key']}",
                channel=note["channel"],
                recipient=note["recipient"],
                address=note.get("address"),
                language=note.get("language", "en"),
                template=note["template"],
                params=note["params"],
                instance_id=note.get("instance_id"),
                state=NotificationState.SENT if delivered else NotificationState.PENDING,
                attempts=0,
                next_attempt_at=None if delivered else now,
                created_at=now,
                sent_at=now if delivered else None,
            )
        )
    if rows:
        insert = pg_insert if uow.session.get_bind().dialect.name == "postgresql" else sqlite_insert
        uow.session.execute(insert(Notification.__table__).on_conflict_do_nothing(index_elements=["key"]), rows)


def claim_next_pending(uow: UnitOfWork, now: datetime, channels: tuple[str, ...] = (EMAIL,)) -> Notification | None:
    """Lock the oldest message of `channels` due for sending; other senders skip it (PostgreSQL
    SKIP LOCKED). A channel with no way out configured is not claimed: its messages wait."""
    return QUEUE.claim_next(uow, now, Notification.channel.in_(channels))


def mark_sent(uow: UnitOfWork, note: Notification) -> None:
    note.state = NotificationState.SENT
    note.sent_at = uow.clock.now()


def record_failure(uow: UnitOfWork, note_id: int, error: str, *, max_attempts: int, backoff: timedelta) -> Notification:
    return QUEUE.record_failure(uow, note_id, error, max_attempts=max_attempts, backoff=backoff)
