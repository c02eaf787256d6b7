"""Timer lateness: 10,000 timers falling due within one minute, fired by the real scheduler
(APScheduler waking at the next due time, plus its 5-second safety sweep) on the real clock.
Lateness is fired_at - due_at, as stored by the sweep, on SQLite and on PostgreSQL."""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, insert, select

from bench.postgres import scratch_schema
from engine.models import Base, Timer, TimerState
from engine.runtime import Runtime
from engine.uow import UnitOfWork
from sla.scheduler import TimerScheduler
from sla.sweep import TimerSweep

N, WINDOW_SECONDS = 10_000, 60


def run(url: str) -> tuple[float, float, float, int]:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    Base.metadata.create_all(engine)
    engine.dispose()
    runtime = Runtime.create(url)
    start = datetime.now(UTC) + timedelta(seconds=3)
    rows = []
    for i in range(N):
        due = start + timedelta(seconds=WINDOW_SECONDS * i / N)
        rows.append(dict(kind="bench", instance_id=None, task_id=None, due_at=due, run_at=due,
                         state=TimerState.PENDING, attempts=0, created_at=start, payload={}))
    with runtime.db.begin() as conn:
        conn.execute(insert(Timer.__table__), rows)
    sweep = TimerSweep(lambda: UnitOfWork(runtime), handlers={"bench": lambda uow, timer: None})
    scheduler = TimerScheduler(sweep)
    scheduler.start()
    try:
        while True:
            time.sleep(1)
            with runtime.db.connect() as conn:
                left = conn.scalar(select(Timer.id).where(Timer.state == TimerState.PENDING).limit(1))
            if left is None:
                break
    finally:
        scheduler.shutdown()
    with runtime.db.connect() as conn:
        pairs = conn.execute(select(Timer.due_at, Timer.fired_at).where(Timer.state == TimerState.FIRED)).all()
    runtime.db.dispose()
    late = sorted(max(0.0, (fired - due).total_seconds()) for due, fired in pairs)
    q = statistics.quantiles(late, n=100)
    return q[49], q[98], late[-1], len(late)


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        rows.append(("SQLite", *run(f"sqlite:///{Path(tmp) / 'timers.db'}")))
    try:
        with scratch_schema("bench_timers") as url:
            rows.append(("PostgreSQL", *run(url)))
    except Exception as err:  # noqa: BLE001 - reported in the table
        print(f"PostgreSQL skipped: {str(err).splitlines()[0]}")
    print(f"Timer lateness (fired - due), {N:,} timers due within {WINDOW_SECONDS} s, real clock")
    print(f"{'database':11} {'fired':>7} {'p50 s':>8} {'p99 s':>8} {'max s':>8}  target p99 < 2 s")
    for db, p50, p99, worst, fired in rows:
        print(f"{db:11} {fired:7d} {p50:8.3f} {p99:8.3f} {worst:8.3f}  {'ok' if p99 < 2 else 'MISSED'}")


if __name__ == "__main__":
    main()
