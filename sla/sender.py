"""Delivers the outbox's emails: one transaction per message, retries with backoff, never blocks."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Protocol

from engine import outbox
from engine.uow import UnitOfWork
from sla.templates import render

log = logging.getLogger(__name__)


class Mailer(Protocol):
    def send(self, *, to: str, subject: str, body: str, message_id: str) -> None: ...


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    given_up: list[int] = field(default_factory=list)


@dataclass
class OutboxSender:
    uow_factory: Callable[[], UnitOfWork]
    mailer: Mailer
    max_attempts: int = 8
    backoff: timedelta = timedelta(seconds=30)

    def run_once(self, limit: int = 1000) -> SendReport:
        report = SendReport()
        for _ in range(limit):
            with self.uow_factory() as uow:
                note = outbox.claim_next_pending(uow, uow.clock.now())
                if note is None:
                    break
                note_id = note.id
                try:
                    if not note.address:
                        raise ValueError(f"{note.recipient} has no email address.")
                    subject, body = render(note.template, note.language, note.params)
                    # Sent while the row is locked and marked in the same transaction: a crash
                    # between the two is the only way a message can go out twice.
                    self.mailer.send(to=note.address, subject=subject, body=body, message_id=f"n{note.id}")
                    outbox.mark_sent(uow, note)
                    uow.commit()
                    report.sent += 1
                    continue
                except Exception as err:  # noqa: BLE001 - one bad message must not stop the others
                    uow.rollback()
                    error = f"{type(err).__name__}: {err}"
            log.warning("notification %s not sent: %s", note_id, error)
            with self.uow_factory() as uow:
                failed = outbox.record_failure(uow, note_id, error, max_attempts=self.max_attempts, backoff=self.backoff)
                if failed.state == "failed":
                    report.given_up.append(note_id)
                uow.commit()
            report.failed += 1
        return report
