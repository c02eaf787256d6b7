"""The Alembic migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text

from engine.db import make_engine
from engine.models import Base
from engine.runtime import Runtime
from web.app import create_app
from web.infra.config import Settings
from web.infra.dbschema import SchemaOutOfDate, head_revision, upgrade


@pytest.fixture
def empty_url(database_url: str) -> str:
    engine = create_engine(database_url)
    Base.metadata.drop_all(engine)
    engine.dispose()
    return database_url


def test_upgrade_matches_models(empty_url: str) -> None:
    upgrade(empty_url)
    engine = make_engine(empty_url)
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    engine.dispose()
    assert diffs == []
    assert revision == head_revision()


def test_app_refuses_an_unmigrated_database(empty_url: str) -> None:
    runtime = Runtime.create(empty_url)
    with pytest.raises(SchemaOutOfDate, match="odop db upgrade"):
        create_app(Settings(database_url=empty_url, testing=True), runtime=runtime)
    runtime.db.dispose()


def test_health_reports_database_revision_and_versions(empty_url: str) -> None:
    upgrade(empty_url)
    runtime = Runtime.create(empty_url)
    app = create_app(Settings(database_url=empty_url, testing=True), runtime=runtime)
    body = app.test_client().get("/health").get_json()
    runtime.db.dispose()
    assert body["status"] == "ok"
    assert body["schema_revision"] == head_revision()
    assert body["database"] in ("sqlite", "postgresql")
    assert body["definitions"] == {}
