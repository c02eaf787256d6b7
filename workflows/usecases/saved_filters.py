"""Use cases of saved inbox filters: kept on the server, optionally shared with the same role."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import or_, select

from workflows.errors import NotAllowed, ValidationFailed
from workflows.models import SavedFilter
from workflows.readmodels.inbox import InboxQuery
from workflows.uow import SchemeUnitOfWork

PARAMS = ("view", "scheme", "step", "sla", "search", "sort")


def save_filter(uow: SchemeUnitOfWork, *, actor: str, name: str, params: Mapping[str, str], shared: bool) -> SavedFilter:
    user = uow.users.by_username(actor)
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationFailed("Name the filter (up to 100 characters).", {"name": ["Required."]})
    kept = {k: str(v) for k, v in params.items() if k in PARAMS and v}
    InboxQuery(**kept).checked()  # refuse a filter the inbox would refuse
    saved = SavedFilter(owner_id=user.id, role=user.role, name=name, params=kept, shared=bool(shared), created_at=uow.clock.now())
    uow.session.add(saved)
    uow.commit()
    return saved


def filters_for(uow: SchemeUnitOfWork, *, actor: str) -> list[SavedFilter]:
    user = uow.users.by_username(actor)
    query = select(SavedFilter).where(
        or_(SavedFilter.owner_id == user.id, (SavedFilter.shared.is_(True)) & (SavedFilter.role == user.role))
    )
    return list(uow.session.scalars(query.order_by(SavedFilter.name)))


def delete_filter(uow: SchemeUnitOfWork, *, actor: str, filter_id: int) -> None:
    user = uow.users.by_username(actor)
    saved = uow.session.get(SavedFilter, filter_id)
    if saved is None or saved.owner_id != user.id:
        raise NotAllowed("Only the owner deletes a saved filter.")
    uow.session.delete(saved)
    uow.commit()
