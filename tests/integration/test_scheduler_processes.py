"""Exactly once: two scheduler processes on one PostgreSQL database, and a scheduler killed with
SIGKILL mid-sweep and restarted; every timer's effect happens once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, insert, select

from engine.models import AuditEvent, Timer, TimerState
from engine.runtime import Runtime
from tests.conftest import ROOT
from tests.integration.scheduler_worker import KIND

COUNT = 5_000


def _due_timers(runtime: Runtime, n: int) -> None:
    now = runtime.clock.now()
    rows = [
        dict(kind=KIND, instance_id=None, task_id=None, due_at=now - timedelta(seconds=n - i),
             run_at=now - timedelta(seconds=n - i), state=TimerState.PENDING, attempts=0, created_at=now, payload={})
        for i in range(n)
    ]
    with runtime.db.begin() as conn:
        conn.execute(insert(Timer.__table__), rows)


def _worker(url: str, delay: float = 0.0) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.integration.scheduler_worker", url, str(delay)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def _effects(runtime: Runtime) -> tuple[int, int, int, dict[str, int]]:
    with runtime.db.connect() as conn:
        timer_ids = [e["timer_id"] for e in conn.scalars(select(AuditEvent.payload).where(AuditEvent.kind == "test_timer_effect"))]
        fired = conn.scalar(select(func.count()).select_from(Timer).where(Timer.state == TimerState.FIRED))
        by_worker = dict(
            conn.execute(select(AuditEvent.actor, func.count()).where(AuditEvent.kind == "test_timer_effect").group_by(AuditEvent.actor)).all()
        )
    return len(timer_ids), len(set(timer_ids)), fired, by_worker


@pytest.fixture
def pg_runtime(runtime: Runtime) -> Runtime:
    return runtime


# Several scheduler processes need PostgreSQL (FOR UPDATE SKIP LOCKED); SQLite has one writer.
pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)


def test_two_schedulers_fire_each_timer_once(pg_runtime: Runtime, database_url: str) -> None:
    _due_timers(pg_runtime, COUNT)
    workers = [_worker(database_url), _worker(database_url)]
    for w in workers:
        _, err = w.communicate(timeout=600)
        assert w.returncode == 0, err.decode()[-2000:]
    effects, distinct, fired, by_worker = _effects(pg_runtime)
    assert (effects, distinct, fired) == (COUNT, COUNT, COUNT)
    assert len(by_worker) == 2 and all(n > 0 for n in by_worker.values()), by_worker


def test_scheduler_killed_mid_sweep_loses_and_repeats_nothing(pg_runtime: Runtime, database_url: str) -> None:
    n = 600
    _due_timers(pg_runtime, n)
    victim = _worker(database_url, delay=0.002)
    assert victim.stdout.readline().strip() == b"ready"
    deadline = time.monotonic() + 60
    while _effects(pg_runtime)[0] < 50 and time.monotonic() < deadline:
        time.sleep(0.05)
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    effects_before, _, fired_before, _ = _effects(pg_runtime)
    assert 0 < fired_before < n, "killed mid-sweep"
    assert effects_before == fired_before, "an effect is stored only with its timer's fired mark"
    survivor = _worker(database_url)
    _, err = survivor.communicate(timeout=300)
    assert survivor.returncode == 0, err.decode()[-2000:]
    effects, distinct, fired, _ = _effects(pg_runtime)
    assert (effects, distinct, fired) == (n, n, n)
