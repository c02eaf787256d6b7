"""Alembic environment: the URL comes from the caller (odop db upgrade) or DATABASE_URL."""

from __future__ import annotations

import os

from alembic import context

from engine.db import make_engine
from engine.models import Base
from sla import models as _sla_models  # noqa: F401 - registers the SLA tables
from stats import models as _stats_models  # noqa: F401 - registers the statistics tables
from workflows import models as _workflow_models  # noqa: F401 - registers the scheme tables

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    return config.get_main_option("sqlalchemy.url") or os.environ.get(
        "DATABASE_URL", "sqlite:///instance/odop.db"
    )


def run_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connectable = config.attributes.get("connection")
    if connectable is not None:
        _migrate(connectable)
        return
    engine = make_engine(_url())
    with engine.connect() as connection:
        _migrate(connection)
    engine.dispose()


def _migrate(connection) -> None:  # noqa: ANN001
    # Batch mode lets later migrations alter SQLite tables (which has no ALTER COLUMN).
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
