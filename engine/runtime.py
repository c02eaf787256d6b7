"""The runtime: what every unit of work shares (sessions, codec, spec cache, clock, hooks)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from engine.clock import Clock, SystemClock
from engine.db import make_engine, make_session_factory
from engine.models import Task
from engine.scripting import make_script_engine
from engine.serialization import SpecCache, WorkflowCodec
from engine.services import ServiceRegistry
from engine.workflow_cache import WorkflowCache

# (unit of work, new task row): the unit of work is typed loosely because it is built on Runtime.
TaskHook = Callable[[Any, Task], None]
# (unit of work, StepResult): called after every command that moved an instance on.
StepHook = Callable[[Any, Any], None]


@dataclass
class Runtime:
    """Built once per process (app, CLI command, test) and handed to every unit of work."""

    db: Engine
    session_factory: sessionmaker[Session]
    codec: WorkflowCodec
    specs: SpecCache
    clock: Clock
    workflows: WorkflowCache = field(default_factory=WorkflowCache)
    # Named operators service tasks may call; the layers above register theirs at start-up (D27).
    services: ServiceRegistry = field(default_factory=ServiceRegistry)
    # Deployed versions never change: their key and user-task summary are read once per process
    # (definition id -> engine.repositories.DefinitionSummary).
    definition_summaries: dict[int, Any] = field(default_factory=dict)
    # Called in the same transaction for each task row the engine creates; the SLA layer uses it
    # to set due dates, without the engine knowing about calendars.
    on_task_created: list[TaskHook] = field(default_factory=list)
    # Called in the same transaction after every step (start, complete, message, timer); the
    # statistics layer keeps its summary rows with it.
    on_step: list[StepHook] = field(default_factory=list)
    # Secrets the entry point hands to the layers above (the Aadhaar hashing key, D70); the engine
    # never reads them, and nothing below web/ reads configuration to find them.
    keys: dict[str, bytes] = field(default_factory=dict)

    @classmethod
    def create(
        cls,
        database_url: str,
        *,
        clock: Clock | None = None,
        engine: Engine | None = None,
        workflow_cache_size: int = 512,
    ) -> Runtime:
        db = engine or make_engine(database_url)
        services = ServiceRegistry()
        codec = WorkflowCodec(make_script_engine(services=services))
        return cls(
            services=services,
            db=db,
            session_factory=make_session_factory(db),
            codec=codec,
            specs=SpecCache(codec),
            clock=clock or SystemClock(),
            workflows=WorkflowCache(workflow_cache_size),
        )
