"""Claim, try, back off: the one worker loop behind the timer sweep and the outbox sender.

A queue is a table whose rows have a `state`, a time of their next try, `attempts` and
`last_error`. `drain` takes the oldest due row under a lock other workers skip (PostgreSQL SKIP
LOCKED), works it and commits, in one transaction. A failure rolls that back and, in a second
transaction, counts the attempt and pushes the next try back exponentially, or gives up after
`max_attempts`. One row's failure never stops the rows behind it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, select

from engine.uow import UnitOfWork

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Queue:
    model: Any  # a mapped class with id, state, attempts, last_error and the `due` column
    due: str  # the column holding the time of the next try
    pending: str  # the state of rows waiting for a try
    given_up: str  # the state after the last failed attempt
    clear_due_when_given_up: bool = False

    def claim_next(self, uow: UnitOfWork, now: datetime, *where: ColumnElement[bool]) -> Any | None:
        """Lock the oldest row due at `now` for this transaction; other workers skip it."""
        due = getattr(self.model, self.due)
        query = (
            select(self.model)
            .where(self.model.state == self.pending, due <= now, *where)
            .order_by(due, self.model.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        return uow.session.scalars(query).first()

    def record_failure(self, uow: UnitOfWork, row_id: int, error: str, *, max_attempts: int, backoff: timedelta) -> Any:
        """After a failed attempt (rolled back): count it, push the next try back, or give up."""
        row = uow.session.get(self.model, row_id, with_for_update=True)
        if row is None:
            raise ValueError(f"{self.model.__name__} {row_id} does not exist.")
        row.attempts += 1
        row.last_error = error[:2000]
        if row.attempts >= max_attempts:
            row.state = self.given_up
            if self.clear_due_when_given_up:
                setattr(row, self.due, None)
        else:
            setattr(row, self.due, uow.clock.now() + backoff * (2 ** (row.attempts - 1)))
        return row


@dataclass
class Drained:
    done: int = 0
    failed: int = 0
    given_up: list[int] = field(default_factory=list)


R = TypeVar("R", bound=Drained)


def drain(
    uow_factory: Callable[[], UnitOfWork],
    report: R,
    *,
    claim: Callable[[UnitOfWork], Any | None],
    work: Callable[[UnitOfWork, Any], None],
    fail: Callable[[UnitOfWork, int, str], bool],
    describe: Callable[[Any], str],
    limit: int,
) -> R:
    """Work up to `limit` rows, each in its own transaction, until `claim` finds none due; count in `report`.

    `work` does the row's job and marks it done (the commit is here); `fail` records a failure in
    a fresh transaction and says whether the row was given up."""
    for _ in range(limit):
        with uow_factory() as uow:
            row = claim(uow)
            if row is None:
                break
            row_id, what = row.id, describe(row)
            try:
                work(uow, row)
                uow.commit()
                report.done += 1
                continue
            except Exception as err:  # noqa: BLE001 - one bad row must not stop the others
                uow.rollback()
                error = f"{type(err).__name__}: {err}"
        log.warning("%s failed: %s", what, error)
        with uow_factory() as uow:
            if fail(uow, row_id, error):
                report.given_up.append(row_id)
            uow.commit()
        report.failed += 1
    return report
