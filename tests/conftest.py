"""Fixtures shared by every layer of tests.

`database_url` runs a test once on SQLite and once on PostgreSQL (when a server answers at
TEST_DATABASE_URL; with REQUIRE_POSTGRES=1 a missing server fails instead of skipping).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from engine.clock import FixedClock
from engine.db import normalize_url
from engine.models import Base
from engine.runtime import Runtime
from sla import models as _sla_models  # noqa: F401 - registers the SLA tables
from stats import models as _stats_models  # noqa: F401 - registers the statistics tables
from workflows import identity
from workflows import models as _scheme_models  # noqa: F401 - registers the scheme tables

ROOT = Path(__file__).resolve().parent.parent
PG_URL = normalize_url(os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"))
REQUIRE_POSTGRES = os.environ.get("REQUIRE_POSTGRES") == "1"
_pg_state: dict[str, str | None] = {}


def _postgres_error() -> str | None:
    """None when PostgreSQL answers, else why not (checked once per run)."""
    if "error" not in _pg_state:
        try:
            engine = create_engine(PG_URL)
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            engine.dispose()
            _pg_state["error"] = None
        except OperationalError as err:
            _pg_state["error"] = str(err.orig).strip().splitlines()[0]
    return _pg_state["error"]


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # noqa: ANN001
    # Under pytest-xdist the workers ran the tests: the controlling process asks the server itself.
    error = _pg_state["error"] if "error" in _pg_state else _postgres_error()
    if error:
        terminalreporter.write_line(
            f"PostgreSQL run SKIPPED: no server at {PG_URL} ({error}). Only SQLite was tested.", yellow=True, bold=True
        )
    else:
        terminalreporter.write_line(f"PostgreSQL run: tested against {PG_URL}.", green=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database with the current tables."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.db'}"
        engine = create_engine(url)
        Base.metadata.create_all(engine)
        engine.dispose()
        yield url
        return
    error = _postgres_error()
    if error:
        if REQUIRE_POSTGRES:
            pytest.fail(f"PostgreSQL is required (REQUIRE_POSTGRES=1) but not reachable at {PG_URL}: {error}")
        pytest.skip(f"PostgreSQL not reachable at {PG_URL}: {error}")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    url = f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    engine = create_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def clock() -> FixedClock:
    # A Monday morning in India (10:00 IST).
    return FixedClock(datetime(2025, 7, 7, 4, 30, tzinfo=UTC))


@pytest.fixture
def runtime(database_url: str, clock: FixedClock) -> Iterator[Runtime]:
    rt = Runtime.create(database_url, clock=clock)
    identity.install_key(rt, b"test-aadhaar-key")
    yield rt
    rt.db.dispose()
