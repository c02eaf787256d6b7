"""Database migrations (Alembic) and the start-up check that the schema is current."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from web.infra.config import ROOT

MIGRATIONS = ROOT / "migrations"


class SchemaOutOfDate(RuntimeError):
    pass


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def head_revision() -> str | None:
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def require_current(engine: Engine) -> str:
    """The schema revision, or SchemaOutOfDate naming the command that fixes it."""
    current, head = current_revision(engine), head_revision()
    if current != head:
        state = "has no tables yet" if current is None else f"is at revision {current}, the code needs {head}"
        raise SchemaOutOfDate(f"The database {state}. Run `odop db upgrade` (or `make run`, which does it) first.")
    return current or ""
