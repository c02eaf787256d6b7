"""Repositories: the only code of the engine that builds queries for its tables."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState as SpiffState
from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.orm import Session, load_only, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from engine.calls import CalledProcessNotDeployed, called_specs
from engine.clock import Clock
from engine.errors import CHANGED_MEANWHILE, DefinitionNotFound, InstanceNotFound, StaleState, TaskNotFound
from engine.models import AuditEvent, Definition, Instance, InstanceStatus, Task, TaskState
from engine.runtime import Runtime
from engine.serialization import SpecPair


@dataclass(frozen=True)
class DefinitionSummary:
    """What steps need of a deployed version on every command (without its files and spec)."""

    id: int
    key: str
    version: int
    user_tasks: dict[str, Any]


class DefinitionRepository:
    def __init__(self, session: Session, runtime: Runtime) -> None:
        self.session = session
        self._runtime = runtime

    def add(self, definition: Definition) -> None:
        self.session.add(definition)

    def get(self, definition_id: int) -> Definition:
        found = self.session.get(Definition, definition_id)
        if found is None:
            raise DefinitionNotFound(f"There is no process definition with id {definition_id}.")
        return found

    def summary(self, definition_id: int) -> DefinitionSummary:
        """The key, version and user tasks of a version, read once per process (versions are immutable)."""
        cache = self._runtime.definition_summaries
        found = cache.get(definition_id)
        if found is None:
            row = self.session.execute(
                select(Definition.id, Definition.key, Definition.version, Definition.user_tasks).where(
                    Definition.id == definition_id
                )
            ).first()
            if row is None:
                raise DefinitionNotFound(f"There is no process definition with id {definition_id}.")
            found = cache[definition_id] = DefinitionSummary(*row)
        return found

    def latest(self, key: str) -> Definition | None:
        return self.session.scalars(
            select(Definition).where(Definition.key == key).order_by(Definition.version.desc()).limit(1)
        ).first()

    def latest_summary(self, key: str) -> DefinitionSummary:
        """The newest version's summary: one small query for its id (its files and spec stay unread)."""
        found = self.session.scalar(
            select(Definition.id).where(Definition.key == key).order_by(Definition.version.desc()).limit(1)
        )
        if found is None:
            raise DefinitionNotFound(f"No version of the process '{key}' has been deployed.")
        return self.summary(found)

    def require_latest(self, key: str) -> Definition:
        found = self.latest(key)
        if found is None:
            raise DefinitionNotFound(f"No version of the process '{key}' has been deployed.")
        return found

    def by_version(self, key: str, version: int) -> Definition:
        found = self.session.scalars(
            select(Definition).where(Definition.key == key, Definition.version == version)
        ).first()
        if found is None:
            raise DefinitionNotFound(f"The process '{key}' has no version {version}.")
        return found

    def list(self) -> Sequence[Definition]:
        return self.session.scalars(select(Definition).order_by(Definition.key, Definition.version)).all()

    def headers(self) -> Sequence[Definition]:
        """Every version, newest first per process, without its files and spec (for listings)."""
        return self.session.scalars(
            select(Definition)
            .options(load_only(Definition.id, Definition.key, Definition.version, Definition.name,
                               Definition.deployed_by, Definition.deployed_at, Definition.comment))
            .order_by(Definition.key, Definition.version.desc())
        ).all()

    def latest_versions(self) -> dict[str, int]:
        rows = self.session.execute(select(Definition.key, func.max(Definition.version)).group_by(Definition.key))
        return {key: version for key, version in rows}

    def specs(self, definition_id: int) -> SpecPair:
        return self._runtime.specs.get(definition_id, lambda: self.get(definition_id).spec)

    def resolve_called(self, key: str) -> tuple[int, int, SpecPair]:
        """The latest deployed version of a process a call activity names (D25)."""
        found = self.latest(key)
        if found is None:
            raise CalledProcessNotDeployed(f"The call activity calls the process '{key}', of which no version is deployed.")
        return found.id, found.version, self.specs(found.id)


class InstanceRepository:
    def __init__(self, session: Session, runtime: Runtime) -> None:
        self.session = session
        self._runtime = runtime
        # Workflows stored in this transaction; the unit of work caches them once it commits.
        self.stored: dict[int, tuple[Instance, BpmnWorkflow]] = {}
        # Instance id -> ids of the user tasks that were ready when the workflow was taken: the
        # ids of its open task rows, so the projection need not read them again.
        self.ready_before: dict[int, set[str]] = {}
        self._added: list[Instance] = []

    def add(self, instance: Instance) -> None:
        self.session.add(instance)
        self._added.append(instance)

    def is_new(self, instance: Instance) -> bool:
        """Started in this unit of work: nothing refers to it yet."""
        return any(added is instance for added in self._added)

    def ready_tasks_before(self, instance: Instance) -> set[str] | None:
        """Ids of the instance's open task rows as known without asking the database, or None."""
        if self.is_new(instance):
            return set()  # no row yet
        return self.ready_before.get(instance.id)

    def get(self, instance_id: int) -> Instance:
        found = self.session.get(Instance, instance_id)
        if found is None:
            raise InstanceNotFound(f"There is no process instance with id {instance_id}.")
        return found

    def by_business_key(self, business_key: str) -> Instance:
        found = self.session.scalars(select(Instance).where(Instance.business_key == business_key)).first()
        if found is None:
            raise InstanceNotFound(f"There is no application {business_key}.")
        return found

    def running_per_definition(self) -> dict[int, int]:
        rows = self.session.execute(
            select(Instance.definition_id, func.count())
            .where(Instance.status == InstanceStatus.RUNNING)
            .group_by(Instance.definition_id)
        )
        return {definition_id: n for definition_id, n in rows}

    def running_ids(self, definition_ids: Sequence[int], *, with_called: bool = False) -> list[int]:
        """Running instances on these definitions (and, `with_called`, any that bound a call to a
        separately deployed process: their state names it), oldest first."""
        where = Instance.definition_id.in_(definition_ids)
        if with_called:
            where = where | Instance.state.contains('"called":')
        query = select(Instance.id).where(Instance.status == InstanceStatus.RUNNING, where).order_by(Instance.id)
        return list(self.session.scalars(query))

    def running_of(
        self,
        key: str,
        *,
        not_on: int,
        version: int | None = None,
        business_keys: Sequence[str] | None = None,
        limit: int,
    ) -> tuple[int, Sequence[Instance]]:
        """Running instances of process `key` not on definition `not_on` (optionally only those on
        `version`, or with these business keys): how many, and the oldest `limit` of them."""
        picked = (
            select(Instance)
            .join(Definition, Definition.id == Instance.definition_id)
            .where(Definition.key == key, Instance.status == InstanceStatus.RUNNING, Instance.definition_id != not_on)
        )
        if version is not None:
            picked = picked.where(Definition.version == version)
        if business_keys:
            picked = picked.where(Instance.business_key.in_(business_keys))
        total = self.session.scalar(picked.with_only_columns(func.count()).order_by(None)) or 0
        return total, self.session.scalars(picked.order_by(Instance.id).limit(limit)).all()

    def exists(self, business_key: str) -> bool:
        return self.session.scalar(select(Instance.id).where(Instance.business_key == business_key)) is not None

    def newest(self, *, limit: int, status: str | None = None) -> Sequence[tuple[Instance, Definition]]:
        """The newest instances (of one status, if given) with the definition each runs on."""
        query = select(Instance, Definition).join(Definition).order_by(Instance.id.desc()).limit(limit)
        if status is not None:
            query = query.where(Instance.status == status)
        return [(instance, definition) for instance, definition in self.session.execute(query)]

    def workflow(self, instance: Instance) -> BpmnWorkflow:
        definitions = DefinitionRepository(self.session, self._runtime)
        workflow = self._runtime.workflows.take(instance.id, instance.version)
        if workflow is None:
            specs = definitions.specs(instance.definition_id)
            workflow = self._runtime.codec.loads(instance.state, specs, definitions.specs)
        workflow.instance_id = instance.id  # for service operators (engine/services.py)
        self.ready_before[instance.id] = {str(t.id) for t in workflow.get_tasks(state=SpiffState.READY, manual=True)}
        return self._attach_resolver(workflow, definitions)

    def new_workflow(self, definition_id: int) -> BpmnWorkflow:
        definitions = DefinitionRepository(self.session, self._runtime)
        return self._attach_resolver(self._runtime.codec.new_workflow(definitions.specs(definition_id)), definitions)

    @staticmethod
    def _attach_resolver(workflow: BpmnWorkflow, definitions: DefinitionRepository) -> BpmnWorkflow:
        """Let call activities find separately deployed processes through this transaction (D25)."""
        called = called_specs(workflow)
        if called is not None:
            called.resolver = definitions.resolve_called
        return workflow

    def store(self, instance: Instance, workflow: BpmnWorkflow) -> None:
        """Write the workflow and the instance's columns; an instance stored before checks that
        nobody changed it since it was read (its version) and raises StaleState if so."""
        state = self._runtime.codec.dumps(workflow)
        self.stored[instance.id] = (instance, workflow)
        if self.is_new(instance):
            instance.state = state  # inserted with the unit of work's flush
            return
        # One conditional Core UPDATE instead of the ORM's flush: the version in the WHERE clause
        # decides at write time, and the object is kept as stored.
        values = dict(state=state, status=instance.status, end_event=instance.end_event,
                      updated_at=instance.updated_at, completed_at=instance.completed_at, version=instance.version + 1)
        written = self.session.connection().execute(_STORE_INSTANCE, {**values, "_id": instance.id, "_seen": instance.version})
        if written.rowcount != 1:
            raise StaleState(CHANGED_MEANWHILE)
        for key, value in values.items():
            set_committed_value(instance, key, value)


class TaskRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._locked: set[str] = set()

    def locked_by_read(self, task_id: str) -> None:
        """The caller read the row with `FOR UPDATE` in this transaction: `lock` need not read it again."""
        self._locked.add(task_id)

    def add(self, task: Task) -> None:
        self.session.add(task)

    def insert_new(self, rows: Sequence[Task]) -> None:
        """Insert rows added in this step with one Core statement and keep them in the session as
        stored rows (later changes to them are flushed as updates): the ORM's insert bookkeeping
        cost more than the statement (D93)."""
        values = [{key: getattr(row, key) for key in _TASK_COLUMNS} for row in rows]
        self.session.connection().execute(_INSERT_TASKS, values)
        for row, stored in zip(rows, values, strict=True):
            self.session.expunge(row)
            make_transient_to_detached(row)
            for key, value in stored.items():
                set_committed_value(row, key, value)
            self.session.add(row)

    def write(self, task: Task, **values: Any) -> None:
        """Write a locked task row's changes with one Core UPDATE by id, and keep the object as
        stored (nothing left for the ORM's flush).

        Only for a row this transaction locked (`lock`): the lock decided the change, so the row
        is exactly as the command saw it when it is written.
        """
        assert task.id in self._locked, "write() is for rows locked by this transaction"
        keys = tuple(sorted(values))
        statement = _TASK_UPDATES.get(keys)
        if statement is None:
            table = Task.__table__
            statement = _TASK_UPDATES.setdefault(keys, table.update().where(table.c.id == bindparam("_id")).values(
                {key: bindparam(key) for key in keys}))
        self.session.connection().execute(statement, {**values, "_id": task.id})
        for key, value in values.items():
            set_committed_value(task, key, value)

    def get(self, task_id: str) -> Task:
        found = self.session.get(Task, task_id)
        if found is None:
            raise TaskNotFound(f"There is no task with id {task_id}.")
        return found

    def release_locks(self) -> None:
        """The transaction ended (commit or rollback): its locks are gone."""
        self._locked.clear()

    def lock(self, task_id: str) -> Task:
        """The task row as committed now, locked until this transaction ends.

        PostgreSQL: `SELECT … FOR UPDATE` waits for a concurrent writer of the row and then reads
        its committed values; SQLite serializes writers already (`BEGIN IMMEDIATE`, engine/db.py).
        Commands check the state and assignee of this row, so what they write was decided on the
        row as it is at write time, never on an earlier read.
        """
        self.session.flush()  # our own pending changes first, so the fresh read includes them
        if task_id in self._locked:
            found = self.session.get(Task, task_id)  # locked and read earlier in this transaction
            if found is not None:
                return found
        found = self.session.get(Task, task_id, with_for_update=True, populate_existing=True)
        if found is None:
            raise TaskNotFound(f"There is no task with id {task_id}.")
        self._locked.add(task_id)
        return found

    def open_for_instance(self, instance_id: int) -> Sequence[Task]:
        return self.session.scalars(_OPEN_FOR_INSTANCE, {"instance_id": instance_id}).all()

    def for_instance(self, instance_id: int) -> Sequence[Task]:
        return self.session.scalars(
            select(Task).where(Task.instance_id == instance_id).order_by(Task.created_at, Task.id)
        ).all()


_INSERT_EVENTS = insert(AuditEvent.__table__)
_INSERT_TASKS = insert(Task.__table__)
_TASK_COLUMNS = tuple(a.key for a in Task.__mapper__.column_attrs)
_INSTANCES = Instance.__table__
_STORE_INSTANCE = (
    _INSTANCES.update()
    .where(_INSTANCES.c.id == bindparam("_id"), _INSTANCES.c.version == bindparam("_seen"))
    .values({key: bindparam(key) for key in ("state", "status", "end_event", "updated_at", "completed_at", "version")})
)
_TASK_UPDATES: dict[tuple[str, ...], Any] = {}  # by the columns written: TaskRepository.write
_OPEN_FOR_INSTANCE = select(Task).where(Task.instance_id == bindparam("instance_id"), Task.state.in_(TaskState.OPEN))


class AuditLog:
    """Events are kept in memory and written with one multi-row insert when the unit of work
    flushes (before its commit): a command's three or four events cost one statement."""

    def __init__(self, session: Session, clock: Clock) -> None:
        self.session = session
        self._clock = clock
        self._pending: list[dict[str, Any]] = []

    def record(
        self,
        kind: str,
        actor: str,
        *,
        instance_id: int | None = None,
        task_id: str | None = None,
        definition_id: int | None = None,
        **payload: Any,
    ) -> None:
        self._pending.append(
            dict(
                at=self._clock.now(),
                actor=actor,
                kind=kind,
                instance_id=instance_id,
                task_id=task_id,
                definition_id=definition_id,
                payload=payload,
            )
        )

    def write(self) -> None:
        """Insert the events recorded since the last write (the rows they name are flushed)."""
        if self._pending:
            rows, self._pending = self._pending, []
            self.session.connection().execute(_INSERT_EVENTS, rows)

    def discard(self) -> None:
        self._pending.clear()

    def for_instance(self, instance_id: int) -> Sequence[AuditEvent]:
        self.write()
        return self.session.scalars(
            select(AuditEvent).where(AuditEvent.instance_id == instance_id).order_by(AuditEvent.id)
        ).all()
