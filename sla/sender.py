"""Delivers the outbox's e-mails and SMS: one transaction per message, retries with backoff, never
blocks. A channel without a way out (no SMTP host, no SMS gateway) is left waiting, not failed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from engine import outbox, work_queue
from engine.models import Notification, NotificationState
from engine.uow import UnitOfWork
from sla.sms_templates import render_sms
from sla.templates import render


class Mailer(Protocol):
    def send(self, *, to: str, subject: str, body: str, message_id: str) -> None: ...


class SmsGateway(Protocol):
    def send(self, *, to: str, text: str, dlt_template_id: str, message_id: str) -> None: ...


class SendReport(work_queue.Drained):
    @property
    def sent(self) -> int:
        return self.done


@dataclass
class OutboxSender:
    uow_factory: Callable[[], UnitOfWork]
    mailer: Mailer | None
    sms: SmsGateway | None = None
    max_attempts: int = 8
    backoff: timedelta = timedelta(seconds=30)

    @property
    def channels(self) -> tuple[str, ...]:
        return tuple(c for c, way in ((outbox.EMAIL, self.mailer), (outbox.SMS, self.sms)) if way is not None)

    def run_once(self, limit: int = 1000) -> SendReport:
        channels = self.channels
        return work_queue.drain(
            self.uow_factory,
            SendReport(),
            claim=lambda uow: outbox.claim_next_pending(uow, uow.clock.now(), channels),
            work=self._send,
            fail=self._failed,
            describe=lambda note: f"notification {note.id}",
            limit=limit,
        )

    def _send(self, uow: UnitOfWork, note: Notification) -> None:
        if not note.address:
            raise ValueError(f"{note.recipient} has no {'mobile number' if note.channel == outbox.SMS else 'email address'}.")
        # Sent while the row is locked and marked in the same transaction: a crash
        # between the two is the only way a message can go out twice.
        if note.channel == outbox.SMS and self.sms is not None:
            sms = render_sms(note.template, note.language, note.params)
            self.sms.send(to=note.address, text=sms.text, dlt_template_id=sms.dlt_template_id, message_id=f"n{note.id}")
        elif note.channel == outbox.EMAIL and self.mailer is not None:
            subject, body = render(note.template, note.language, note.params)
            self.mailer.send(to=note.address, subject=subject, body=body, message_id=f"n{note.id}")
        else:
            raise ValueError(f"No way to send a {note.channel} message is configured.")
        outbox.mark_sent(uow, note)

    def _failed(self, uow: UnitOfWork, note_id: int, error: str) -> bool:
        failed = outbox.record_failure(uow, note_id, error, max_attempts=self.max_attempts, backoff=self.backoff)
        return failed.state == NotificationState.FAILED
