"""Use cases of drafts: an application saved half-filled, with no number and no process yet."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from workflows import identity
from workflows.catalogue import roles
from workflows.catalogue.schemes import get_scheme
from workflows.errors import NotAllowed, ValidationFailed
from workflows.models import Draft, User
from workflows.uow import SchemeUnitOfWork

MAX_FIELD = 2000


def save_draft(
    uow: SchemeUnitOfWork, *, actor: str, scheme_code: str, data: Mapping[str, Any], draft_id: int | None = None
) -> Draft:
    """Keep what was typed so far (not validated against the scheme yet); commits once.

    An Aadhaar number is never kept in a draft (D70): it is typed again when the draft is submitted."""
    user = uow.users.by_username(actor)
    if user.role not in (roles.APPLICANT, roles.FACILITATION_OPERATOR):
        raise NotAllowed("Only applicants and facilitation centres keep drafts.")
    scheme = get_scheme(uow.session, scheme_code)
    known = set(scheme.field_names) | {"applicant"}
    cleaned = {k: v for k, v in data.items() if k in known - {identity.AADHAAR} and v not in (None, "")}
    too_long = [k for k, v in cleaned.items() if len(str(v)) > MAX_FIELD]
    if too_long:
        raise ValidationFailed("The draft is too long.", {k: [f"At most {MAX_FIELD} characters."] for k in too_long})
    draft = get_draft(uow, actor=actor, draft_id=draft_id) if draft_id else None
    if draft is None:
        draft = Draft(owner_id=user.id, scheme_code=scheme.code, district_code=user.district_code, data={})
        uow.session.add(draft)
    draft.data = cleaned
    draft.updated_at = uow.clock.now()
    uow.commit()
    return draft


def get_draft(uow: SchemeUnitOfWork, *, actor: str, draft_id: int) -> Draft:
    user = uow.users.by_username(actor)
    draft = uow.session.get(Draft, draft_id)
    if draft is None or draft.owner_id != user.id:
        raise NotAllowed("There is no such draft, or it is not yours.")
    return draft


def drafts_of(uow: SchemeUnitOfWork, *, actor: str) -> list[Draft]:
    user = uow.users.by_username(actor)
    return list(uow.session.scalars(select(Draft).where(Draft.owner_id == user.id).order_by(Draft.updated_at.desc())))


def discard_draft(uow: SchemeUnitOfWork, *, actor: str, draft_id: int) -> None:
    uow.session.delete(get_draft(uow, actor=actor, draft_id=draft_id))
    uow.commit()


def remove_with_submission(uow: SchemeUnitOfWork, user: User, draft_id: int) -> None:
    """The draft an application is submitted from goes in the submission's transaction (no commit).

    A draft already gone (a second click) does not stop the submission; someone else's does."""
    draft = uow.session.get(Draft, draft_id)
    if draft is None:
        return
    if draft.owner_id != user.id:
        raise NotAllowed("There is no such draft, or it is not yours.")
    uow.session.delete(draft)
