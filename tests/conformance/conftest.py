"""The conformance driver: deploy a model from models/ and run every command with a FRESH Runtime.

Each command gets a new Runtime (new codec, spec cache and no workflow cache) sharing only the
database's connection pool, so every step restores the instance's state and spec from the
database, as after a restart or on a second node. Tests run on SQLite and PostgreSQL
(`database_url`). Spiff's own clock is moved with time-machine, in step with the engine's clock.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
from sqlalchemy import Engine, select

from engine.clock import FixedClock
from engine.commands import complete_task, send_message, start_instance
from engine.db import make_engine
from engine.definitions import deploy
from engine.models import AuditEvent, Definition, Instance, Task, Timer, TimerState
from engine.runtime import Runtime
from sla.calendar import WeeklyOffs
from sla.calendar_provider import CalendarProvider
from sla.services import install as install_sla_services
from sla.sweep import TimerSweep, fire_bpmn_timer
from workflows.services import install as install_scheme_services
from workflows.uow import SchemeUnitOfWork
from workflows.usecases.integration import SIGNAL_KIND, broadcast_signal, redeliver_signal

MODELS = Path(__file__).parent / "models"


class Driver:
    """Drives one process instance (or a few) through the engine, one fresh Runtime per command."""

    def __init__(self, database_url: str, db: Engine, clock: FixedClock, traveller: Any) -> None:
        self.database_url = database_url
        self.db = db
        self.clock = clock
        self.traveller = traveller
        self.calendars = CalendarProvider("UP", WeeklyOffs.parse("sun,sat2,sat4"))
        self.business_key = "C-1"
        self.runtimes = 0

    # --- plumbing -------------------------------------------------------------------------------
    def runtime(self) -> Runtime:
        runtime = Runtime.create(self.database_url, clock=self.clock, engine=self.db, workflow_cache_size=0)
        install_sla_services(runtime, self.calendars)
        install_scheme_services(runtime)
        self.runtimes += 1
        return runtime

    def uow(self) -> SchemeUnitOfWork:
        return SchemeUnitOfWork(self.runtime())

    # --- commands ---------------------------------------------------------------------------------
    def deploy(
        self, *names: str, process_id: str | None = None, replace: dict[str, str] | None = None,
        confirm_replace: bool = False,
    ) -> Definition:
        files = {}
        for name in names:
            text = (MODELS / name).read_text()
            for old, new in (replace or {}).items():
                text = text.replace(old, new)
            files[name] = text.encode()
        with self.uow() as uow:
            result = deploy(uow, files, actor="admin", process_id=process_id, confirm_replace=confirm_replace)
            uow.commit()
            return result.definition

    def start(self, key: str, data: dict[str, Any] | None = None, *, business_key: str | None = None) -> int:
        self.business_key = business_key or self.business_key
        with self.uow() as uow:
            result = start_instance(uow, key, business_key=self.business_key, data=data or {}, actor="tester")
            uow.commit()
            return result.instance.id

    def complete(self, bpmn_id: str, data: dict[str, Any] | None = None, *, business_key: str | None = None) -> None:
        """Complete the (first) open task row of this step."""
        with self.uow() as uow:
            instance = uow.instances.by_business_key(business_key or self.business_key)
            rows = [t for t in uow.tasks.open_for_instance(instance.id) if t.bpmn_id == bpmn_id]
            assert rows, f"no open task '{bpmn_id}'; open: {self.open_steps(business_key)}"
            complete_task(uow, rows[0].id, actor="tester", data=data or {})
            uow.commit()

    def message(self, name: str, payload: dict[str, Any] | None = None) -> None:
        with self.uow() as uow:
            send_message(uow, self.business_key, name, payload=payload or {}, actor="integration")
            uow.commit()

    def signal(self, name: str, payload: dict[str, Any] | None = None) -> int:
        return broadcast_signal(self.uow, name, payload=payload or {}, actor="integration").reached

    def advance(self, **delta: float) -> int:
        """Move both clocks on and run the timer sweep; returns how many timers fired."""
        self.clock.advance(**delta)
        self.traveller.move_to(self.clock.now())
        handlers = {"bpmn": fire_bpmn_timer, SIGNAL_KIND: redeliver_signal}
        return TimerSweep(self.uow, handlers=handlers).run_once().fired

    # --- what happened ----------------------------------------------------------------------------
    def instance(self, business_key: str | None = None) -> Instance:
        with self.uow() as uow:
            return uow.instances.by_business_key(business_key or self.business_key)

    def steps(self, business_key: str | None = None) -> list[tuple[str, str]]:
        """(bpmn_id, state) of every task row, in creation order (the audit log's; the clock stands still)."""
        with self.uow() as uow:
            instance = uow.instances.by_business_key(business_key or self.business_key)
            order = {e.task_id: e.id for e in uow.audit.for_instance(instance.id) if e.kind == "task_created"}
            rows = sorted(uow.tasks.for_instance(instance.id), key=lambda t: order.get(t.id, 0))
            return [(t.bpmn_id, t.state) for t in rows]

    def open_steps(self, business_key: str | None = None) -> list[str]:
        with self.uow() as uow:
            instance = uow.instances.by_business_key(business_key or self.business_key)
            return sorted(t.bpmn_id for t in uow.tasks.open_for_instance(instance.id))

    def events(self, kind: str | None = None) -> list[AuditEvent]:
        with self.uow() as uow:
            instance = uow.instances.by_business_key(self.business_key)
            return [e for e in uow.audit.for_instance(instance.id) if kind is None or e.kind == kind]

    def data(self, business_key: str | None = None) -> dict[str, Any]:
        """The process data: the workflow's data once ended, else that of its newest open task."""
        with self.uow() as uow:
            instance = uow.instances.by_business_key(business_key or self.business_key)
            workflow = uow.instances.workflow(instance)
            if workflow.is_completed():
                return dict(workflow.data)
            rows = uow.tasks.open_for_instance(instance.id)
            if rows:
                from uuid import UUID

                newest = max(rows, key=lambda r: (r.created_at, r.id))
                return dict(workflow.get_task_from_id(UUID(newest.id)).data)
            return dict(workflow.last_task.data) if workflow.last_task else {}

    def timers(self) -> list[tuple[str, str]]:
        """(kind, state) of every timer row of the current instance."""
        with self.uow() as uow:
            instance = uow.instances.by_business_key(self.business_key)
            rows = uow.session.scalars(select(Timer).where(Timer.instance_id == instance.id).order_by(Timer.id))
            return [(t.kind, t.state) for t in rows]

    def pending_timers(self) -> int:
        return sum(1 for _, state in self.timers() if state == TimerState.PENDING)

    def task_rows(self) -> list[Task]:
        with self.uow() as uow:
            instance = uow.instances.by_business_key(self.business_key)
            return list(uow.tasks.for_instance(instance.id))


@pytest.fixture
def conformance_clock() -> FixedClock:
    # A Monday morning in India (10:00 IST).
    return FixedClock(datetime.fromisoformat("2025-07-07T04:30:00+00:00"))


@pytest.fixture
def driver(database_url: str, conformance_clock: FixedClock) -> Iterator[Driver]:
    db = make_engine(database_url)
    with time_machine.travel(conformance_clock.now(), tick=False) as traveller:
        yield Driver(database_url, db, conformance_clock, traveller)
    db.dispose()
