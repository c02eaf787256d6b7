"""Who sees which statistics: officers their district, state roles and administrators all."""

from __future__ import annotations

from dataclasses import replace

from stats.filters import Filters
from workflows.catalogue import roles
from workflows.errors import NotAllowed
from workflows.models import User


def may_see_internal(user: User) -> bool:
    return user.role in roles.OFFICER_ROLES or user.role == roles.ADMIN


def scoped(user: User, f: Filters) -> Filters:
    """The filters narrowed to what `user` may see; asking for another district is refused."""
    if not may_see_internal(user):
        raise NotAllowed("The internal dashboard is for officers; the public dashboard is open to everyone.")
    if roles.is_state_role(user.role):
        return f
    if f.district not in (None, user.district_code):
        raise NotAllowed(f"You see the figures of district {user.district_code}, not {f.district}.")
    if user.role == roles.BANK_OFFICER:  # their branch's applications only (D76)
        return replace(f, district=user.district_code, bank_ifsc=user.bank_ifsc or "")
    return replace(f, district=user.district_code)
