"""Database engines and session factories for SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, Table, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker


def normalize_url(url: str) -> str:
    """psycopg 3 is the installed driver; plain postgresql:// URLs would ask for psycopg2."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


# The key in a connection's `info` that says a statement other than a read ran in its transaction.
WROTE = "odop_wrote"
_READS = ("SELECT", "BEGIN", "SET ", "SHOW", "EXPLAIN", "PRAGMA")


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An Engine with the settings each backend needs for many concurrent short transactions."""
    url = normalize_url(url)
    if url.startswith("sqlite"):
        engine = _sqlite_engine(url, **kwargs)
    else:
        kwargs.setdefault("pool_pre_ping", True)
        kwargs.setdefault("pool_size", 10)
        kwargs.setdefault("max_overflow", 20)
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _prepared_statements)
    event.listen(engine, "before_cursor_execute", _note_writes)
    return engine


def _prepared_statements(dbapi_conn: Any, _record: Any) -> None:
    # psycopg prepares a statement on the server after its fifth run on a connection, which saves
    # planning it again (3 ms for a decision's joined read, 0.2 ms once prepared). Enough room
    # for the statements of the use cases and the dashboards.
    dbapi_conn.prepared_max = 500


def _note_writes(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
    """Mark the connection's transaction as one that may have changed something (see `wrote`)."""
    if not statement.lstrip()[:7].upper().startswith(_READS):
        conn.info[WROTE] = True


def wrote(connection: Any) -> bool:
    """Whether a statement other than a read ran on `connection` since its transaction began."""
    return bool(connection.info.get(WROTE, True))


def _sqlite_engine(url: str, **kwargs: Any) -> Engine:
    memory = url in ("sqlite://", "sqlite:///:memory:")
    if not memory:
        # Opening a SQLite connection (and setting its pragmas) costs about as much as a whole
        # command, so connections are pooled; each is used by one thread at a time.
        kwargs.setdefault("pool_size", 8)
        kwargs.setdefault("max_overflow", 24)
    kwargs.setdefault("connect_args", {"timeout": 30, "check_same_thread": False})
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, issue BEGIN (see _begin below).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        if not memory:
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # BEGIN IMMEDIATE takes the write lock up front: two writers queue instead of one failing
        # later with "database is locked" when it tries to upgrade a stale read transaction.
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    factory = sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)

    @event.listens_for(factory, "after_begin")
    def _began(session: Session, _transaction: Any, connection: Any) -> None:
        # The unit of work ends a transaction that wrote nothing with COMMIT (engine/uow.py).
        connection.info[WROTE] = False
        session.info["connection"] = connection

    return factory


def insert_unless_present(session: Session, table: Table, values: dict[str, Any], *, unique: list[str]) -> bool:
    """INSERT … ON CONFLICT (`unique`) DO NOTHING: True if this call added the row.

    For rows that several processes may create at once (a scheduler's start-up timer): the
    loser of the race skips instead of failing with a unique violation.
    """
    dialect = {"postgresql": postgresql, "sqlite": sqlite}[session.get_bind().dialect.name]
    statement = dialect.insert(table).values(**values).on_conflict_do_nothing(index_elements=unique)
    return session.execute(statement).rowcount == 1  # type: ignore[attr-defined]
