"""No hot rows: a step in one district never waits for a step in another (issue 14, D50).

On PostgreSQL, a decision (or a submission) in Agra is held uncommitted, with everything it
writes flushed and its row locks taken; a decision in Moradabad must then go through with
`lock_timeout` set to one second (a lock wait longer than that fails it). Before D50 both wrote
the state-wide ('*') roll-up rows, and the second waited for the first to commit.
SQLite has one writer at a time whatever the rows, so the test runs on PostgreSQL only.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import text

from engine.runtime import Runtime
from sla import deadlines
from stats import recorder
from tests.integration import scheme_helpers as h
from web.infra.bootstrap import calendar_provider
from workflows.uow import SchemeUnitOfWork
from workflows.usecases.decisions import claim, decide
from workflows.usecases.submission import submit_application


class HeldOpen(SchemeUnitOfWork):
    """Flushes everything at commit, then waits with the transaction open until released."""

    def __init__(self, runtime: Runtime, reached: threading.Event, release: threading.Event) -> None:
        super().__init__(runtime)
        self.reached, self.release = reached, release

    def commit(self) -> None:
        self.flush()
        self.reached.set()
        assert self.release.wait(30)
        super().commit()


class Impatient(SchemeUnitOfWork):
    """Gives up on any row lock it waits for longer than a second."""

    def __enter__(self) -> Impatient:
        super().__enter__()
        self.session.execute(text("SET LOCAL lock_timeout = '1s'"))
        return self


def _submit(uow: SchemeUnitOfWork, district: str, applicant: str) -> int:
    return submit_application(uow, scheme_code="MM", district_code=district, data=h.fresh("MM", district), actor=applicant).instance_id


def _open_claimed(runtime: Runtime, district: str, applicant: str, officer: str) -> str:
    with SchemeUnitOfWork(runtime) as uow:
        instance_id = _submit(uow, district, applicant)
    with SchemeUnitOfWork(runtime) as uow:
        [task] = [t.id for t in uow.tasks.open_for_instance(instance_id)]
    with SchemeUnitOfWork(runtime) as uow:
        claim(uow, [task], actor=officer)
    return task


def _while_held(runtime: Runtime, held: Callable[[SchemeUnitOfWork], object], other: Callable[[SchemeUnitOfWork], object]) -> None:
    reached, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def hold() -> None:
        try:
            with HeldOpen(runtime, reached, release) as uow:
                held(uow)
        except BaseException as err:  # noqa: BLE001 - reported by the main thread
            errors.append(err)
            reached.set()

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert reached.wait(30)
        assert not errors, errors
        with Impatient(runtime) as uow:
            other(uow)  # raises if it waited more than a second for a lock
    finally:
        release.set()
        thread.join(30)
    assert not errors, errors


@pytest.fixture
def app_runtime(runtime: Runtime, database_url: str) -> Runtime:
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has one writer at a time: hot rows are a PostgreSQL question")
    calendars = calendar_provider("UP")
    deadlines.install(runtime, calendars)
    recorder.install(runtime, calendars)
    h.set_up(runtime)
    return runtime


def test_a_decision_in_agra_does_not_hold_up_one_in_moradabad(app_runtime: Runtime) -> None:
    # Each district has decided once this month already: the roll-up rows exist and are updated.
    for district, applicant, officer in (("AGR", "applicant1.agr", "dic.agr"), ("MBD", "applicant2.agr", "dic.mbd")):
        task = _open_claimed(app_runtime, district, applicant, officer)
        with SchemeUnitOfWork(app_runtime) as uow:
            decide(uow, task, actor=officer, outcome="approve")
    agra = _open_claimed(app_runtime, "AGR", "applicant1.agr", "dic.agr")
    moradabad = _open_claimed(app_runtime, "MBD", "applicant2.agr", "dic.mbd")
    _while_held(
        app_runtime,
        lambda uow: decide(uow, agra, actor="dic.agr", outcome="approve"),
        lambda uow: decide(uow, moradabad, actor="dic.mbd", outcome="approve"),
    )
    with SchemeUnitOfWork(app_runtime) as uow:
        states = dict(uow.session.execute(text("SELECT id, state FROM tasks WHERE id IN (:a, :m)"), {"a": agra, "m": moradabad}).all())
    assert states == {agra: "completed", moradabad: "completed"}


def test_a_submission_in_agra_does_not_hold_up_one_in_moradabad(app_runtime: Runtime) -> None:
    for district, applicant in (("AGR", "applicant1.agr"), ("MBD", "applicant2.agr")):
        with SchemeUnitOfWork(app_runtime) as uow:
            _submit(uow, district, applicant)
    _while_held(
        app_runtime,
        lambda uow: _submit(uow, "AGR", "applicant1.agr"),
        lambda uow: _submit(uow, "MBD", "applicant2.agr"),
    )
    with SchemeUnitOfWork(app_runtime) as uow:
        counts = dict(uow.session.execute(text("SELECT district_code, count(*) FROM applications GROUP BY district_code")).all())
    assert counts == {"AGR": 2, "MBD": 2}
