"""Transient database failures: recognising them, and running a use case once more after one.

A failure is transient when trying the same thing again a moment later may well succeed: the
connection was dropped (a restarted or failed-over server, a killed backend), PostgreSQL chose
this transaction as the victim of a deadlock or a serialization conflict, a lock or a pooled
connection was not had in time, SQLite stayed busy. Everything else (a bug, a constraint, bad
data) is not, and is never retried. docs/decisions.md D36 says what is retried and what is not.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from engine.errors import DatabaseUnavailable

log = logging.getLogger(__name__)
T = TypeVar("T")

# PostgreSQL SQLSTATEs: serialization_failure, deadlock_detected, lock_not_available,
# admin_shutdown (pg_terminate_backend), crash_shutdown, cannot_connect_now; and class 08,
# connection exceptions.
TRANSIENT_SQLSTATES = frozenset({"40001", "40P01", "55P03", "57P01", "57P02", "57P03"})


def is_transient(err: BaseException) -> bool:
    """True for a database failure that may pass by itself (see the module's docstring)."""
    if isinstance(err, PoolTimeout):
        return True
    if not isinstance(err, DBAPIError):
        return False
    if err.connection_invalidated:
        return True
    sqlstate = getattr(err.orig, "sqlstate", None)
    if sqlstate:
        return sqlstate in TRANSIENT_SQLSTATES or sqlstate.startswith("08")
    return isinstance(err, OperationalError) and "database is locked" in str(err.orig)


def once_more(attempt: Callable[[], T], *, safe: Callable[[], bool] = lambda: True, idempotent: bool = False) -> T:
    """Run `attempt`; after a transient failure run it once more if `safe()` says so.

    `attempt` must open its own unit of work, so the second run starts from a fresh transaction
    (and, after a dropped connection, a fresh connection: the pool pings before lending one).
    `safe` is asked after the failure: it says no when something was committed on the way, as
    running again would repeat that. An `idempotent` attempt (running it twice stores what
    running it once does) is also run again after a connection lost during its COMMIT.
    """
    try:
        return attempt()
    except Exception as err:
        retry = is_transient(err) or (idempotent and isinstance(err, DatabaseUnavailable))
        if not retry or not safe():
            raise
        log.warning("Transient database failure, trying once more: %s", _first_line(err))
    return attempt()


def _first_line(err: BaseException) -> str:
    orig = getattr(err, "orig", None) or err
    text = str(orig).strip().splitlines()
    return f"{type(orig).__name__}: {text[0] if text else ''}"
