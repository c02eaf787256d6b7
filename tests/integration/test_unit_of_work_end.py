"""How a unit of work ends when it is not committed: one that only read keeps the connection's
prepared statements; anything written, or changed in memory, is still thrown away."""

from __future__ import annotations

from sqlalchemy import text

from engine.models import Definition, Task
from engine.runtime import Runtime
from engine.uow import UnitOfWork
from tests.integration.test_engine import _deploy, _open_tasks, _start

PROBE = "SELECT count(*) FROM definitions WHERE key = :key"


def test_a_unit_of_work_that_only_read_keeps_the_connections_prepared_statements(runtime: Runtime) -> None:
    if runtime.db.dialect.name != "postgresql":
        return  # psycopg's server-side prepared statements; SQLite has none to lose
    for _ in range(8):  # psycopg prepares a statement after its fifth run on a connection
        with UnitOfWork(runtime) as uow:
            uow.session.execute(text(PROBE), {"key": "nothing"}).scalar()
    with UnitOfWork(runtime) as uow:
        prepared = uow.session.execute(
            text("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE :like"),
            {"like": "%FROM definitions WHERE key = $1%"},
        ).scalar()
    # Ended with ROLLBACK, each read-only unit of work made psycopg forget the statement again.
    assert prepared == 1


def test_a_statement_that_wrote_is_rolled_back_when_the_unit_of_work_is_not_committed(runtime: Runtime) -> None:
    _deploy(runtime)
    with UnitOfWork(runtime) as uow:
        uow.session.execute(text("SELECT count(*) FROM definitions")).scalar()
        uow.session.execute(text("UPDATE definitions SET name = 'written, not committed'"))
    with UnitOfWork(runtime) as uow:
        assert uow.session.execute(text("SELECT name FROM definitions")).scalar() == "Two steps"


def test_rows_changed_in_memory_and_not_flushed_are_not_written_by_a_read_only_end(runtime: Runtime) -> None:
    definition_id = _deploy(runtime)[0]
    [task] = _open_tasks(runtime, _start(runtime))
    with UnitOfWork(runtime) as uow:
        uow.session.get(Definition, definition_id).name = "changed in memory only"
        uow.session.get(Task, task.id).assignee = "mallory"
    with UnitOfWork(runtime) as uow:
        assert uow.session.get(Definition, definition_id).name == "Two steps"
        assert uow.session.get(Task, task.id).assignee is None
