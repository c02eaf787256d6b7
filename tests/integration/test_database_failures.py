"""A dropped database connection never answers 500 (issue 13, docs/decisions.md D36), on PostgreSQL.

Backends are killed for real, with `pg_terminate_backend` from another connection: a pooled
connection killed while idle is replaced before use (the pool pings it); one killed in the middle
of a use case fails it, and the request runs it once more on a fresh connection; a second
failure, or one during the COMMIT (whose outcome is unknown), answers 503 with Retry-After.
A claim that loses to an earlier claim answers 409 naming who holds the task.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from flask import Flask
from sqlalchemy import Engine, create_engine, event, func, select, text

from engine.clock import FixedClock
from engine.commands import claim_task
from engine.models import AuditEvent, TaskState
from engine.runtime import Runtime
from engine.uow import UnitOfWork
from tests.integration import scheme_helpers as h
from web.app import create_app
from web.infra.bootstrap import build_runtime
from web.infra.config import Settings
from web.infra.dbschema import alembic_config
from workflows.models import User
from workflows.uow import SchemeUnitOfWork
from workflows.usecases.accounts import create_token

pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)


class Killer:
    """Terminates the backend of the connection about to run a matching statement (or COMMIT)."""

    def __init__(self, runtime: Runtime, admin: Engine, *, statement: str = "", at_commit_after: str = "", times: int = 1):
        self.admin, self.statement, self.at_commit_after, self.times, self.fired = admin, statement, at_commit_after, times, 0
        event.listen(runtime.db, "before_cursor_execute", self._statement)
        event.listen(runtime.db, "commit", self._commit)

    def _statement(self, conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if self.at_commit_after and statement.startswith(self.at_commit_after):
            conn.info["marked"] = True
        if self.statement and self.statement in statement:
            self._kill(conn)

    def _commit(self, conn: Any) -> None:
        if conn.info.pop("marked", False):
            self._kill(conn)

    def _kill(self, conn: Any) -> None:
        if self.times <= 0:
            return
        self.times -= 1
        self.fired += 1
        terminate(self.admin, [conn.connection.dbapi_connection.info.backend_pid])


def terminate(admin: Engine, pids: list[int]) -> None:
    """Kill the backends and wait until they are gone (bounded; nothing is asserted on time)."""
    with admin.connect() as conn:
        for pid in pids:
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        for _ in range(400):
            alive = conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(:pids)"), {"pids": pids}).scalar()
            if not alive:
                return
            time.sleep(0.025)
    raise AssertionError(f"backends {pids} did not end")


def backends(admin: Engine, name: str) -> list[int]:
    with admin.connect() as conn:
        return list(conn.execute(text("SELECT pid FROM pg_stat_activity WHERE application_name = :n"), {"n": name}).scalars())


class Setup:
    def __init__(self, database_url: str, tmp_path: Path) -> None:
        self.name = f"odop-{uuid.uuid4().hex[:8]}"
        url = f"{database_url}&application_name={self.name}"
        command.stamp(alembic_config(url), "head")  # the fixture created the tables from the models
        settings = Settings(database_url=url, testing=True, secure_cookies=False, upload_dir=tmp_path, secret_key="t")
        self.runtime = build_runtime(settings, clock=FixedClock(datetime(2025, 7, 7, 5, 0, tzinfo=UTC)))
        h.set_up(self.runtime)
        with SchemeUnitOfWork(self.runtime) as uow:
            uow.session.add(User(username="dic2.agr", full_name="Dic2", role="dic_officer", district_code="AGR", active=True))
            uow.commit()
        self.number = h.submit(self.runtime)
        self.task_id = h.open_task(self.runtime, self.number).id
        self.headers = {}
        for user in ("dic.agr", "dic2.agr"):
            with SchemeUnitOfWork(self.runtime) as uow:
                self.headers[user] = {"Authorization": f"Bearer {create_token(uow, actor=user, name='test').secret}"}
        self.app: Flask = create_app(settings, runtime=self.runtime)
        self.app.config["WTF_CSRF_ENABLED"] = False
        self.admin = create_engine(database_url, isolation_level="AUTOCOMMIT")

    def claim(self, user: str = "dic.agr") -> Any:
        return self.app.test_client().post("/api/v1/tasks/claim", json={"task_ids": [self.task_id]}, headers=self.headers[user])

    def task(self) -> tuple[str, str | None, int]:
        with UnitOfWork(self.runtime) as uow:
            task = uow.tasks.get(self.task_id)
            claimed = uow.session.scalar(
                select(func.count()).select_from(AuditEvent).where(AuditEvent.task_id == self.task_id, AuditEvent.kind == "task_claimed")
            )
            return task.state, task.assignee, claimed


@pytest.fixture
def pg(database_url: str, tmp_path: Path) -> Iterator[Setup]:
    setup = Setup(database_url, tmp_path)
    yield setup
    setup.runtime.db.dispose()
    setup.admin.dispose()


def test_a_killed_idle_connection_is_replaced_before_use(pg: Setup) -> None:
    with UnitOfWork(pg.runtime) as uow:  # a connection in the pool
        uow.tasks.get(pg.task_id)
    before = backends(pg.admin, pg.name)
    assert before
    terminate(pg.admin, before)
    with UnitOfWork(pg.runtime) as uow:  # no retry here: the pool's ping found the dead one
        claim_task(uow, pg.task_id, actor="dic.agr")
        uow.commit()
    assert pg.task() == (TaskState.CLAIMED, "dic.agr", 1)
    assert not set(backends(pg.admin, pg.name)) & set(before)


def test_a_request_after_the_server_dropped_every_connection_succeeds(pg: Setup) -> None:
    assert pg.app.test_client().get("/api/v1/tasks", headers=pg.headers["dic.agr"]).status_code == 200
    terminate(pg.admin, backends(pg.admin, pg.name))
    response = pg.claim()
    assert response.status_code == 200, response.get_data(as_text=True)
    assert pg.task() == (TaskState.CLAIMED, "dic.agr", 1)


def test_a_connection_lost_in_the_middle_of_a_use_case_is_tried_once_more(pg: Setup) -> None:
    killer = Killer(pg.runtime, pg.admin, statement="FOR UPDATE", times=1)  # the claim's row lock
    response = pg.claim()
    assert response.status_code == 200, response.get_data(as_text=True)
    assert killer.fired == 1
    assert pg.task() == (TaskState.CLAIMED, "dic.agr", 1)  # claimed once, one event


def test_a_connection_lost_twice_answers_503_with_retry_after(pg: Setup) -> None:
    killer = Killer(pg.runtime, pg.admin, statement="FOR UPDATE", times=5)
    response = pg.claim()
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    assert response.get_json()["error"]["code"] == "database_unavailable"
    assert killer.fired == 2  # the first run and the one more
    assert pg.task() == (TaskState.READY, None, 0)
    response = pg.app.test_client().post(f"/tasks/{pg.task_id}/claim", headers=pg.headers["dic.agr"])
    assert response.status_code == 503 and "Retry-After" in response.headers  # pages too, not only the API


def test_a_connection_lost_during_commit_answers_503_and_is_not_repeated(pg: Setup) -> None:
    killer = Killer(pg.runtime, pg.admin, at_commit_after="UPDATE tasks", times=5)
    response = pg.claim()
    assert response.status_code == 503
    assert "not known whether" in response.get_json()["error"]["message"]
    assert killer.fired == 1  # not run again: whether the first run was stored is not known
    assert pg.task() == (TaskState.READY, None, 0)  # killed before the COMMIT reached the server


def test_the_losing_claim_is_told_who_holds_the_task(pg: Setup) -> None:
    assert pg.claim("dic.agr").status_code == 200
    response = pg.claim("dic2.agr")
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "task_claimed_by_other" and "dic.agr" in error["message"]
    assert pg.task() == (TaskState.CLAIMED, "dic.agr", 1)
