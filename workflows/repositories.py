"""Repositories of the scheme tables."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, aliased

from engine.models import Instance, Task
from workflows.errors import ApplicationNotFound, UnknownDistrict, UnknownUser
from workflows.models import Application, ApplicationSequence, District, Loan, SchemeVersion, User


class Users:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, user: User) -> None:
        self.session.add(user)

    def by_username(self, username: str) -> User:
        user = self.session.scalars(select(User).where(User.username == username)).first()
        if user is None or not user.active:
            raise UnknownUser(f"There is no active user '{username}'.")
        return user

    def find(self, username: str) -> User | None:
        return self.session.scalars(select(User).where(User.username == username)).first()

    def find_by_id(self, user_id: int) -> User | None:
        return self.session.get(User, user_id)

    def get(self, user_id: int) -> User:
        user = self.session.get(User, user_id)
        if user is None:
            raise UnknownUser(f"There is no user with id {user_id}.")
        return user


class Districts:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, district: District) -> None:
        self.session.add(district)

    def get(self, code: str) -> District:
        district = self.session.get(District, (code or "").upper())
        if district is None:
            raise UnknownDistrict(f"There is no district with code '{code}'.")
        return district

    def all(self) -> Sequence[District]:
        return self.session.scalars(select(District).order_by(District.name)).all()


_ACTING, _APPLICANT = aliased(User), aliased(User)
# Built once: constructing the aliases and joins costs more than running the query.
_FOR_DECISION = (
    select(_ACTING, Task, Application, Instance, _APPLICANT, Loan, SchemeVersion.id, SchemeVersion.checksum)
    .select_from(Task)
    .join(Application, Application.instance_id == Task.instance_id)
    .outerjoin(Loan, Loan.application_id == Application.id)  # the bank steps and the release read it (D77)
    .join(Instance, Instance.id == Task.instance_id)
    .join(_APPLICANT, _APPLICANT.id == Application.applicant_id)
    .join(_ACTING, _ACTING.username == bindparam("actor"))
    .outerjoin(
        SchemeVersion,
        (SchemeVersion.code == Application.scheme_code) & (SchemeVersion.version == Application.scheme_version),
    )
    .where(Task.id == bindparam("task_id"))
    .with_for_update(of=Task)  # the row the command decides on (see TaskRepository.lock)
)
# A claim needs only the acting user, the task (locked) and its application.
_FOR_CLAIM = (
    select(_ACTING, Task, Application)
    .select_from(Task)
    .join(Application, Application.instance_id == Task.instance_id)
    .join(_ACTING, _ACTING.username == bindparam("actor"))
    .where(Task.id == bindparam("task_id"))
    .with_for_update(of=Task)
)


class Applications:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._loaded: tuple = ()

    def add(self, application: Application) -> None:
        self.session.add(application)

    def by_number(self, number: str) -> Application:
        found = self.session.scalars(select(Application).where(Application.number == number)).first()
        if found is None:
            raise ApplicationNotFound(f"There is no application {number}.")
        return found

    def get(self, application_id: int) -> Application:
        found = self.session.get(Application, application_id)
        if found is None:
            raise ApplicationNotFound(f"There is no application with id {application_id}.")
        return found

    def by_instance(self, instance_id: int) -> Application:
        found = self.session.scalars(select(Application).where(Application.instance_id == instance_id)).first()
        if found is None:
            raise ApplicationNotFound(f"No application belongs to process instance {instance_id}.")
        return found

    def for_decision(self, task_id: str, actor: str) -> tuple[User, Task, Application, tuple | None] | None:
        """The acting user, the task (locked), its application, process instance, applicant and loan,
        and the (id, checksum) of the application's scheme version, in one statement (kept in the
        session, so later gets of these rows read nothing); None if the user or the task is
        missing (the caller then asks again, one by one, for the error)."""
        row = self.session.execute(_FOR_DECISION, {"actor": actor, "task_id": task_id}).first()
        if row is None or not row[0].active:
            return None
        self._loaded = tuple(row)  # the session holds rows weakly: keep them for this unit of work
        return row[0], row[1], row[2], (row[6], row[7]) if row[6] is not None else None

    def for_claim(self, task_id: str, actor: str) -> tuple[User, Task, Application] | None:
        """The acting user, the task (locked) and its application in one statement, without the
        instance and applicant a decision also needs; None as for_decision."""
        row = self.session.execute(_FOR_CLAIM, {"actor": actor, "task_id": task_id}).first()
        if row is None or not row[0].active:
            return None
        self._loaded = tuple(row)
        return row[0], row[1], row[2]

    def next_number(self, prefix: str) -> int:
        """The next sequence number for `prefix`, unique under concurrency.

        The insert-if-missing then increment-and-return runs under the row's write lock, so two
        transactions can never hand out the same number.
        """
        dialect = self.session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        self.session.execute(
            insert(ApplicationSequence).values(prefix=prefix, last=0).on_conflict_do_nothing(index_elements=["prefix"])
        )
        return self.session.execute(
            update(ApplicationSequence)
            .where(ApplicationSequence.prefix == prefix)
            .values(last=ApplicationSequence.last + 1)
            .returning(ApplicationSequence.last)
        ).scalar_one()
