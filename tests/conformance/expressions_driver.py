"""Drives a deployed model step by step, each step with a fresh `Runtime` (so the workflow and its
spec come back from the database every time, as after a restart or on another node)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from SpiffWorkflow.util.task import TaskState as SpiffState

from engine.clock import FixedClock
from engine.commands import complete_task, start_instance
from engine.definitions import deploy
from engine.runtime import Runtime
from engine.uow import UnitOfWork
from sla.sweep import TimerSweep


class Driver:
    def __init__(self, database_url: str, clock: FixedClock) -> None:
        self.url = database_url
        self.clock = clock

    @contextmanager
    def runtime(self) -> Iterator[Runtime]:
        runtime = Runtime.create(self.url, clock=self.clock)
        try:
            yield runtime
        finally:
            runtime.db.dispose()

    @contextmanager
    def step(self) -> Iterator[UnitOfWork]:
        """One command in its own transaction, on a runtime that has never seen the instance."""
        with self.runtime() as runtime, UnitOfWork(runtime) as uow:
            yield uow
            uow.commit()

    def deploy(self, path: Path, content: bytes | None = None, **rules: Any) -> tuple[str, dict[str, str], dict]:
        """Deploy a model file (or `content` under its name): (key, files as stored, spec as stored)."""
        body = path.read_bytes() if content is None else content
        with self.step() as uow:
            definition = deploy(uow, {path.name: body}, actor="admin", comment="conformance", **rules).definition
            return definition.key, dict(definition.files), definition.spec

    def start(self, key: str, business_key: str, data: Mapping[str, Any]) -> int:
        with self.step() as uow:
            return start_instance(uow, key, business_key=business_key, data=dict(data), actor="applicant").instance.id

    def complete(self, instance_id: int, bpmn_id: str, **data: Any) -> None:
        with self.step() as uow:
            (task,) = [t for t in uow.tasks.open_for_instance(instance_id) if t.bpmn_id == bpmn_id]
            complete_task(uow, task.id, actor="officer", data=data)

    def fire_due_timers(self) -> int:
        with self.runtime() as runtime:
            return TimerSweep(lambda: UnitOfWork(runtime)).run_once().fired

    def open_steps(self, instance_id: int) -> list[str]:
        with self.step() as uow:
            return sorted(t.bpmn_id for t in uow.tasks.open_for_instance(instance_id))

    def outcome(self, instance_id: int) -> tuple[str, str | None, list[str]]:
        """(status, end event, every BPMN element completed so far, in no particular order)."""
        with self.step() as uow:
            instance = uow.instances.get(instance_id)
            state = json.loads(instance.state)
        tasks = list(state["tasks"].values())
        for sub in state.get("subprocesses", {}).values():
            tasks += list(sub["tasks"].values())
        done = sorted({t["task_spec"] for t in tasks if t["state"] == SpiffState.COMPLETED and "." not in t["task_spec"]})
        return instance.status, instance.end_event, done
