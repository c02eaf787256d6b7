"""Delivers the outbox's emails: one transaction per message, retries with backoff, never blocks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from engine import outbox, work_queue
from engine.models import Notification, NotificationState
from engine.uow import UnitOfWork
from sla.templates import render


class Mailer(Protocol):
    def send(self, *, to: str, subject: str, body: str, message_id: str) -> None: ...


class SendReport(work_queue.Drained):
    @property
    def sent(self) -> int:
        return self.done


@dataclass
class OutboxSender:
    uow_factory: Callable[[], UnitOfWork]
    mailer: Mailer
    max_attempts: int = 8
    backoff: timedelta = timedelta(seconds=30)

    def run_once(self, limit: int = 1000) -> SendReport:
        return work_queue.drain(
            self.uow_factory,
            SendReport(),
            claim=lambda uow: outbox.claim_next_pending(uow, uow.clock.now()),
            work=self._send,
            fail=self._failed,
            describe=lambda note: f"notification {note.id}",
            limit=limit,
        )

    def _send(self, uow: UnitOfWork, note: Notification) -> None:
        if not note.address:
            raise ValueError(f"{note.recipient} has no email address.")
        subject, body = render(note.template, note.language, note.params)
        # Sent while the row is locked and marked in the same transaction: a crash
        # between the two is the only way a message can go out twice.
        self.mailer.send(to=note.address, subject=subject, body=body, message_id=f"n{note.id}")
        outbox.mark_sent(uow, note)

    def _failed(self, uow: UnitOfWork, note_id: int, error: str) -> bool:
        failed = outbox.record_failure(uow, note_id, error, max_attempts=self.max_attempts, backoff=self.backoff)
        return failed.state == NotificationState.FAILED
