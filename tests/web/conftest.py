"""Web fixtures: a migrated SQLite database with demo users and the shipped processes, per test.

The database is built once per session and copied for each test, so tests are independent and
fast; the web layer's SQL is the same on PostgreSQL, which the engine and scheme tests cover.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from engine.clock import FixedClock
from tests import files, identities
from web.app import create_app
from web.infra.bootstrap import build_runtime
from web.infra.config import ROOT, Settings
from web.infra.dbschema import upgrade
from workflows.sample.demo import DEMO_PASSWORD, load_demo
from workflows.uow import SchemeUnitOfWork
from workflows.usecases.deployment import deploy_directory

MDA_FORM = {
    "applicant_name": "Sunita Devi",
    "aadhaar": "2341 2341 2346",
    "unit_name": "Devi Leather Works",
    "udyam_number": "UDYAM-UP-01-0000001",
    "mobile": "9876543210",
    "fair_name": "India International Trade Fair",
    "fair_type": "domestic",
    "fair_location": "New Delhi",
    "fair_start": "2025-06-01",
    "fair_end": "2025-06-05",
    "stall_charges": "80000",
    "freight_charges": "12000",
    "travel_fare": "2400",
    "benefit_in_last_two_years": "no",
}
PDF = files.PDF  # a real one-page PDF: uploads are opened before they are accepted


def now() -> datetime:
    return datetime(2025, 7, 7, 5, 0, tzinfo=UTC)  # a Monday, 10:30 in India


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "odop.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    settings = Settings(database_url=url, testing=True)
    runtime = build_runtime(settings, clock=FixedClock(now()))
    with SchemeUnitOfWork(runtime) as uow:
        load_demo(uow)
    deploy_directory(lambda: SchemeUnitOfWork(runtime), ROOT / "bpmn", actor="admin")
    runtime.db.dispose()
    return path


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(now())


@pytest.fixture
def app(template_db: Path, tmp_path: Path, clock: FixedClock) -> Iterator[Flask]:
    db = tmp_path / "odop.db"
    shutil.copy(template_db, db)
    settings = Settings(
        database_url=f"sqlite:///{db}", testing=True, secure_cookies=False, upload_dir=tmp_path / "uploads", secret_key="t"
    )
    runtime = build_runtime(settings, clock=clock)
    flask_app = create_app(settings, runtime=runtime)
    flask_app.config["WTF_CSRF_ENABLED"] = False
    yield flask_app
    runtime.db.dispose()


def sign_in(app: Flask, username: str | None) -> FlaskClient:
    client = app.test_client()
    if username:
        response = client.post("/sign-in", data={"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, f"{username} could not sign in"
    return client


def submit_mda(app: Flask, username: str = "applicant1.agr", **changes: Any) -> str:
    client = sign_in(app, username)
    fresh = {"aadhaar": identities.aadhaar(), "udyam_number": identities.udyam_number()}  # a new applicant each time
    form = {**MDA_FORM, **fresh, **changes, "action": "submit", **files.checklist_form(files.NEEDED["MDA"])}
    if username.startswith("fc."):
        form["applicant"] = "applicant1.agr"
    response = client.post("/apply/MDA", data=form, content_type="multipart/form-data")
    assert response.status_code == 302, response.data[:2000]
    return response.location.split("/applications/", 1)[1]


def open_task_id(app: Flask, number: str) -> str:
    runtime = app.extensions["odop.runtime"]
    with SchemeUnitOfWork(runtime) as uow:
        application = uow.applications.by_number(number)
        (task,) = uow.tasks.open_for_instance(application.instance_id)
        return task.id


def beaten_to_it(app: Flask) -> tuple[FlaskClient, str, str]:
    """Two DIC officers open the same task; the first approves. Returns (second's client, task, version seen)."""
    task = open_task_id(app, submit_mda(app))
    first, second = sign_in(app, "dic.agr"), sign_in(app, "dic2.agr")
    page = second.get(f"/tasks/{task}").get_data(as_text=True)
    version = page.split('name="version" value="')[1].split('"')[0]
    assert first.post(f"/tasks/{task}/decide", data={"outcome": "approve", "version": version}).status_code == 302
    return second, task, version


def task_ids_in(html: bytes) -> list[str]:
    return re.findall(r"/tasks/([0-9a-f-]{36})", html.decode())


# The app on SQLite and PostgreSQL, for hostile-input and fuzz tests.
from tests.web.both_databases import _drop_pg_template, app_on_both  # noqa: E402, F401
