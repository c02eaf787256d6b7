"""Two schedulers starting at once schedule one daily digest, and neither fails (issue 13, D35)."""

from __future__ import annotations

import threading
import time

from sqlalchemy import func, select, text

from engine.models import Timer, TimerState
from engine.runtime import Runtime
from engine.uow import UnitOfWork
from sla import digest


def _wait_until_waiting_for_a_lock(runtime: Runtime, pid: int) -> None:
    """PostgreSQL: until backend `pid` waits for a lock (bounded; the test asserts nothing on time)."""
    with runtime.db.connect() as conn:
        for _ in range(600):
            if conn.execute(text("SELECT count(*) FROM pg_locks WHERE pid = :pid AND NOT granted"), {"pid": pid}).scalar():
                return
            conn.rollback()
            time.sleep(0.05)
    raise AssertionError("the second scheduler never waited for the first")


def test_two_schedulers_starting_at_once_schedule_one_digest(runtime: Runtime) -> None:
    """The first start-up has written the day's timer but not committed when the second looks for
    one, sees none and writes it too: on PostgreSQL the second insert waits for the first's
    transaction and is then skipped (ON CONFLICT DO NOTHING) instead of failing with a unique
    violation. On SQLite the second start-up waits for the write lock before it reads."""
    errors: list[BaseException] = []
    pid: list[int] = []

    def second() -> None:
        try:
            with UnitOfWork(runtime) as uow:
                if runtime.db.dialect.name == "postgresql":
                    pid.append(uow.session.execute(text("SELECT pg_backend_pid()")).scalar_one())
                digest.ensure_timer(uow)
                uow.commit()
        except BaseException as err:  # noqa: BLE001 - reported below
            errors.append(err)

    with UnitOfWork(runtime) as first:
        digest.ensure_timer(first)
        other = threading.Thread(target=second)
        other.start()
        if runtime.db.dialect.name == "postgresql":
            while not pid and other.is_alive():
                time.sleep(0.01)
            _wait_until_waiting_for_a_lock(runtime, pid[0])
        else:
            time.sleep(0.2)  # the second is queued on SQLite's write lock (or not yet started)
        first.commit()
    other.join()
    assert errors == []
    with UnitOfWork(runtime) as uow:
        pending = uow.session.scalar(
            select(func.count()).select_from(Timer).where(Timer.kind == digest.KIND, Timer.state == TimerState.PENDING)
        )
    assert pending == 1


def test_start_up_after_a_start_up_adds_nothing(runtime: Runtime) -> None:
    for _ in range(2):
        with UnitOfWork(runtime) as uow:
            digest.ensure_timer(uow)
            digest._schedule(uow, digest.next_digest_at(uow.clock.now()))  # the handler's path, same day
            uow.commit()
    with UnitOfWork(runtime) as uow:
        assert uow.session.scalar(select(func.count()).select_from(Timer).where(Timer.kind == digest.KIND)) == 1
