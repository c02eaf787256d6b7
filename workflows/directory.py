"""The people the SLA layer notifies, looked up in the user table (implements sla's Directory)."""

from __future__ import annotations

from sqlalchemy import select

from engine.uow import UnitOfWork
from workflows.catalogue import roles
from workflows.mobile import normalise_mobile
from workflows.models import Application, User


def _recipient(user: User) -> tuple[str, str | None, str, str | None]:
    # The shape of sla.directory.Recipient (username, email, language, mobile); workflows does not import sla.
    return (user.username, user.email, user.language or "en", normalise_mobile(user.phone))


class UserDirectory:
    def _people(self, uow: UnitOfWork, role: str, district: str | None) -> list[tuple]:
        query = select(User).where(User.role == role, User.active.is_(True)).order_by(User.username)
        if not roles.is_state_role(role) and district:
            query = query.where(User.district_code == district)
        return [_recipient(u) for u in uow.session.scalars(query)]

    def person(self, uow: UnitOfWork, username: str) -> tuple | None:
        user = uow.session.scalars(select(User).where(User.username == username)).first()
        return _recipient(user) if user is not None and user.active else None

    def lane_officers(self, uow: UnitOfWork, lane: str, district: str | None, instance_id: int | None = None) -> list[tuple]:
        """The officers who may pick the task up: for the bank, those of the application's branch (D76)."""
        if lane == roles.BANK_OFFICER and instance_id is not None:
            branch = select(Application.bank_ifsc).where(Application.instance_id == instance_id).scalar_subquery()
            query = select(User).where(User.role == lane, User.active.is_(True), User.bank_ifsc == branch)
            return [_recipient(u) for u in uow.session.scalars(query.order_by(User.username))]
        return self._people(uow, lane, district)

    def supervisors(self, uow: UnitOfWork, lane: str, district: str | None) -> list[tuple]:
        boss = roles.SUPERVISOR.get(lane)
        return self._people(uow, boss, district) if boss else []

    def appellate(self, uow: UnitOfWork, lane: str, district: str | None) -> list[tuple]:
        authority = roles.APPELLATE.get(lane)
        return self._people(uow, authority, district) if authority else []

    def applicant_of(self, uow: UnitOfWork, instance_id: int) -> tuple | None:
        application = uow.session.scalars(select(Application).where(Application.instance_id == instance_id)).first()
        if application is None:
            return None
        user = uow.session.get(User, application.applicant_id)
        return _recipient(user) if user is not None else None

    def administrators(self, uow: UnitOfWork) -> list[tuple]:
        return self._people(uow, roles.ADMIN, None)
