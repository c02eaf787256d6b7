"""Which database failures are transient, and running an attempt once more after one (D36)."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from engine.errors import DatabaseUnavailable
from engine.retry import is_transient, once_more


class PgError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(f"error {sqlstate}")
        self.sqlstate = sqlstate


def pg(kind: type[DBAPIError], sqlstate: str) -> DBAPIError:
    return kind("SELECT 1", {}, PgError(sqlstate))


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        (pg(OperationalError, "40001"), True),  # serialization failure
        (pg(OperationalError, "40P01"), True),  # deadlock
        (pg(OperationalError, "55P03"), True),  # lock not available (lock_timeout)
        (pg(OperationalError, "57P01"), True),  # pg_terminate_backend
        (pg(OperationalError, "08006"), True),  # connection failure
        (pg(IntegrityError, "23505"), False),  # unique violation: a bug or a race to handle, not to retry
        (pg(DBAPIError, "22021"), False),  # bad data
        (pg(OperationalError, "57014"), False),  # statement timeout: the same query would time out again
        (OperationalError("BEGIN", {}, sqlite3.OperationalError("database is locked")), True),
        (OperationalError("SELECT", {}, sqlite3.OperationalError("no such table: tasks")), False),
        (DBAPIError("SELECT 1", {}, Exception("server closed the connection"), connection_invalidated=True), True),
        (PoolTimeout("QueuePool limit reached"), True),
        (ValueError("not a database error"), False),
        (DatabaseUnavailable("lost during COMMIT"), False),  # its outcome is unknown: not run again
    ],
)
def test_transient_failures(error: BaseException, transient: bool) -> None:
    assert is_transient(error) is transient


class Attempts:
    def __init__(self, *failures: BaseException) -> None:
        self.failures, self.runs = list(failures), 0

    def __call__(self) -> str:
        self.runs += 1
        if self.failures:
            raise self.failures.pop(0)
        return "done"


def test_a_transient_failure_is_tried_once_more() -> None:
    attempt = Attempts(pg(OperationalError, "40P01"))
    assert once_more(attempt) == "done" and attempt.runs == 2


def test_only_once_more() -> None:
    attempt = Attempts(pg(OperationalError, "40P01"), pg(OperationalError, "40P01"))
    with pytest.raises(OperationalError):
        once_more(attempt)
    assert attempt.runs == 2


def test_not_when_unsafe_or_not_transient() -> None:
    attempt = Attempts(pg(OperationalError, "40P01"))
    with pytest.raises(OperationalError):
        once_more(attempt, safe=lambda: False)
    attempt = Attempts(pg(IntegrityError, "23505"))
    with pytest.raises(IntegrityError):
        once_more(attempt)
    assert attempt.runs == 1


def test_a_lost_commit_is_run_again_only_if_idempotent() -> None:
    attempt = Attempts(DatabaseUnavailable("lost during COMMIT"))
    with pytest.raises(DatabaseUnavailable):
        once_more(attempt)
    attempt = Attempts(DatabaseUnavailable("lost during COMMIT"))
    assert once_more(attempt, idempotent=True) == "done" and attempt.runs == 2
