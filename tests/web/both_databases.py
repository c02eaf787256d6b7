"""The web app on SQLite and on PostgreSQL, with demo users and the shipped processes.

`app_on_both` builds one template per database and session (migrated, demo data, processes
deployed) and gives each test its own copy: a file copy on SQLite, `CREATE DATABASE … TEMPLATE`
on PostgreSQL. Hostile-input tests need PostgreSQL because it refuses what SQLite stores (NUL).
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from engine.clock import FixedClock
from tests.conftest import PG_URL, REQUIRE_POSTGRES, _postgres_error
from tests.web.conftest import now
from web.app import create_app
from web.infra.bootstrap import build_runtime
from web.infra.config import ROOT, Settings
from web.infra.dbschema import upgrade
from workflows.sample.demo import load_demo
from workflows.uow import SchemeUnitOfWork
from workflows.usecases.deployment import deploy_directory

_pg_template: dict[str, str] = {}


def _fill(url: str) -> None:
    upgrade(url)
    runtime = build_runtime(Settings(database_url=url, testing=True), clock=FixedClock(now()))
    with SchemeUnitOfWork(runtime) as uow:
        load_demo(uow)
    deploy_directory(lambda: SchemeUnitOfWork(runtime), ROOT / "bpmn", actor="admin")
    runtime.db.dispose()


def _admin():  # noqa: ANN202
    return create_engine(PG_URL, isolation_level="AUTOCOMMIT")


def _pg_database(name: str) -> str:
    return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)


def _pg_copy() -> str:
    """A new PostgreSQL database copied from the session's template; returns its name."""
    if "name" not in _pg_template:
        name = f"odop_tpl_{uuid.uuid4().hex[:10]}"
        admin = _admin()
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        _fill(_pg_database(name))
        _pg_template["name"] = name
    copy = f"odop_t_{uuid.uuid4().hex[:10]}"
    admin = _admin()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{copy}" TEMPLATE "{_pg_template["name"]}"'))
    admin.dispose()
    return copy


def _drop(name: str) -> None:
    admin = _admin()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session", autouse=False)
def _drop_pg_template() -> Iterator[None]:
    yield
    if "name" in _pg_template:
        _drop(_pg_template.pop("name"))


@pytest.fixture(params=["sqlite", "postgresql"])
def app_on_both(
    request: pytest.FixtureRequest, template_db: Path, tmp_path: Path, _drop_pg_template: None
) -> Iterator[Flask]:
    """The app (CSRF off, fixed clock) on a fresh copy of the demo database, once per database."""
    created = None
    if request.param == "sqlite":
        db = tmp_path / "odop.db"
        shutil.copy(template_db, db)
        url = f"sqlite:///{db}"
    else:
        error = _postgres_error()
        if error:
            if REQUIRE_POSTGRES:
                pytest.fail(f"PostgreSQL is required (REQUIRE_POSTGRES=1) but not reachable at {PG_URL}: {error}")
            pytest.skip(f"PostgreSQL not reachable at {PG_URL}: {error}")
        created = _pg_copy()
        url = _pg_database(created)
    settings = Settings(database_url=url, testing=True, secure_cookies=False, upload_dir=tmp_path / "uploads", secret_key="t")
    runtime = build_runtime(settings, clock=FixedClock(now()))
    flask_app = create_app(settings, runtime=runtime)
    flask_app.config["WTF_CSRF_ENABLED"] = False
    try:
        yield flask_app
    finally:
        runtime.db.dispose()
        if created:
            _drop(created)
