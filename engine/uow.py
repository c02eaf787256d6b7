"""The unit of work: one transaction, its repositories, and the one place that commits."""

from __future__ import annotations

from contextlib import suppress
from types import TracebackType

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from engine.db import wrote
from engine.errors import CHANGED_MEANWHILE, DatabaseUnavailable, StaleState
from engine.models import InstanceStatus
from engine.repositories import AuditLog, DefinitionRepository, InstanceRepository, TaskRepository
from engine.runtime import Runtime
from engine.services import enter_unit_of_work, leave_unit_of_work


class UnitOfWork:
    """Use as `with UnitOfWork(runtime) as uow: ...; uow.commit()`.

    Leaving the block without commit() rolls everything back, so a failure half-way through a
    command stores nothing.
    """

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.clock = runtime.clock

    def __enter__(self) -> UnitOfWork:
        self.session = self.runtime.session_factory()
        self.definitions = DefinitionRepository(self.session, self.runtime)
        self.instances = InstanceRepository(self.session, self.runtime)
        self.tasks = TaskRepository(self.session)
        self.audit = AuditLog(self.session, self.clock)
        self._service_token = enter_unit_of_work(self)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        # close() rolls back whatever was not committed and detaches loaded objects without
        # expiring them, so callers may still read what they loaded.
        leave_unit_of_work(self._service_token)
        if exc_type is None:
            self._end_reads()
        self.session.close()

    def _end_reads(self) -> None:
        """End a transaction that only read with COMMIT rather than the ROLLBACK close() would send.

        Both end it the same way, but psycopg forgets every prepared statement of the connection
        on a ROLLBACK, and PostgreSQL then plans each statement again (3 ms for a decision's
        joined read). The COMMIT goes to the driver, not through the session, so objects changed
        in memory and never flushed stay unwritten, as with a rollback.
        """
        connection = self.session.info.pop("connection", None)
        if connection is None or connection.closed or wrote(connection) or not connection.in_transaction():
            return
        with suppress(connection.dialect.loaded_dbapi.Error):  # a failed transaction: close() rolls it back
            connection.connection.driver_connection.commit()

    def flush(self) -> None:
        try:
            self.session.flush()
            self.audit.write()
        except StaleDataError as err:
            self.rollback()
            raise StaleState(CHANGED_MEANWHILE) from err

    def commit(self) -> None:
        try:
            self.flush()
            try:
                self.session.commit()
            except DBAPIError as err:
                if not err.connection_invalidated:
                    raise
                # Lost during COMMIT itself: the server may or may not have stored the change,
                # so the command must not simply run again (D36).
                raise DatabaseUnavailable(
                    "The connection to the database was lost while saving; it is not known whether "
                    "the change was stored. Reload the page to see, then try again if needed."
                ) from err
        except OperationalError as err:
            self.rollback()
            if "locked" in str(err.orig):
                raise StaleState("The database is busy with another change to this item. Try again.") from err
            raise
        except IntegrityError:
            self.rollback()
            raise
        self.tasks.release_locks()
        for instance, workflow in self.instances.stored.values():
            if instance.status == InstanceStatus.RUNNING:
                self.runtime.workflows.put(instance.id, instance.version, workflow)
        self.instances.stored.clear()

    def rollback(self) -> None:
        self.session.rollback()
        self.tasks.release_locks()
        self.audit.discard()
        self.instances.stored.clear()
        self.instances.ready_before.clear()
