"""What administrators see of failures: timers that became incidents, emails given up on; retry."""

from __future__ import annotations

from sqlalchemy import select

from engine.models import Notification, NotificationState, Timer, TimerState
from engine.timers import retry_incident
from engine.uow import UnitOfWork


def open_incidents(uow: UnitOfWork) -> tuple[list[Timer], list[Notification]]:
    timers = list(uow.session.scalars(select(Timer).where(Timer.state == TimerState.INCIDENT).order_by(Timer.id)))
    notes = list(
        uow.session.scalars(
            select(Notification).where(Notification.state == NotificationState.FAILED).order_by(Notification.id)
        )
    )
    return timers, notes


def retry_timer(uow: UnitOfWork, timer_id: int, *, actor: str) -> None:
    retry_incident(uow, timer_id, actor=actor)
    uow.commit()


def retry_notification(uow: UnitOfWork, note_id: int, *, actor: str) -> None:
    note = uow.session.get(Notification, note_id, with_for_update=True)
    if note is None or note.state != NotificationState.FAILED:
        raise ValueError(f"Notification {note_id} has not failed.")
    note.state, note.attempts, note.next_attempt_at = NotificationState.PENDING, 0, uow.clock.now()
    uow.audit.record("notification_retried", actor, notification_id=note_id)
    uow.commit()
