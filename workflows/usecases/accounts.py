"""Use cases of accounts: API tokens and user administration (signing in: workflows/usecases/signin.py)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select

from workflows import banks
from workflows.access import require_admin
from workflows.catalogue import roles
from workflows.errors import NotAllowed, ValidationFailed
from workflows.models import ApiToken, User
from workflows.passwords import check_password, hash_password
from workflows.uow import SchemeUnitOfWork
from workflows.usecases.signin import end_sessions

TOKEN_PREFIX = "odop_"


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once; only its hash is stored


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(uow: SchemeUnitOfWork, *, actor: str, name: str) -> NewToken:
    user = uow.users.by_username(actor)
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationFailed("Name the token (up to 100 characters).", {"name": ["Required."]})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, prefix=secret[:12], token_hash=_hash(secret), created_at=uow.clock.now())
    uow.session.add(token)
    uow.flush()
    uow.audit.record("api_token_created", actor, token_id=token.id, name=name)
    uow.commit()
    return NewToken(token, secret)


def revoke_token(uow: SchemeUnitOfWork, *, actor: str, token_id: int) -> None:
    user = uow.users.by_username(actor)
    token = uow.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotAllowed("That token is not yours.")
    if token.revoked_at is None:
        token.revoked_at = uow.clock.now()
        uow.audit.record("api_token_revoked", actor, token_id=token_id)
    uow.commit()


def tokens_of(uow: SchemeUnitOfWork, username: str) -> list[ApiToken]:
    user = uow.users.by_username(username)
    return list(uow.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)))


def authenticate_token(uow: SchemeUnitOfWork, secret: str) -> User | None:
    """The active user owning this unrevoked token, or None. Records its last use; commits."""
    if not secret or not secret.startswith(TOKEN_PREFIX):
        return None
    token = uow.session.scalars(select(ApiToken).where(ApiToken.token_hash == _hash(secret))).first()
    if token is None or token.revoked_at is not None:
        return None
    user = uow.users.get(token.user_id)
    if not user.active:
        return None
    token.last_used_at = uow.clock.now()
    uow.commit()
    return user


def save_user(
    uow: SchemeUnitOfWork,
    *,
    actor: str,
    username: str,
    full_name: str,
    role: str,
    district_code: str | None,
    email: str | None = None,
    phone: str | None = None,
    password: str | None = None,
    active: bool = True,
    language: str = "en",
    bank_ifsc: str | None = None,
) -> User:
    """An administrator creates or updates a user; commits once. A bank officer works for the
    bank branch `bank_ifsc` of their district (D76); other roles have none."""
    require_admin(uow.users.by_username(actor), "manage users")
    errors: dict[str, list[str]] = {}
    username = (username or "").strip().lower()
    if not username or len(username) > 100 or not all(c.isalnum() or c in "._-" for c in username):
        errors["username"] = ["Letters, digits, dot, dash and underscore only."]
    if role not in roles.ALL_ROLES:
        errors["role"] = [f"Choose one of: {', '.join(roles.ALL_ROLES)}."]
    needs_district = role not in roles.DISTRICTLESS_ROLES
    if needs_district and not district_code:
        errors["district_code"] = ["District roles need a district."]
    if not needs_district:
        district_code = None
    if district_code:
        district_code = uow.districts.get(district_code).code
    bank_ifsc = ((bank_ifsc or "").strip().upper() or None) if role == roles.BANK_OFFICER else None
    if bank_ifsc is not None:
        branch = banks.branch(uow.session, bank_ifsc, share_lock=True)  # its district holds until we commit
        if branch is None or branch.district_code != district_code:
            errors["bank_ifsc"] = [f"{bank_ifsc} is not a bank branch of district {district_code or '—'}. {banks.IFSC_RULE}"]
    if language not in ("en", "hi"):
        errors["language"] = ["English (en) or Hindi (hi)."]
    if password is not None and len(password) < 10:
        errors["password"] = ["At least 10 characters."]
    if not (full_name or "").strip():
        errors["full_name"] = ["Required."]
    if errors:
        raise ValidationFailed("The user could not be saved.", errors)
    user = uow.users.find(username)
    created = user is None
    if user is None:
        if password is None:
            raise ValidationFailed("A new user needs a password.", {"password": ["Required."]})
        user = User(username=username)
        uow.users.add(user)
    user.full_name, user.role, user.district_code = full_name.strip(), role, district_code
    user.bank_ifsc = bank_ifsc
    ends_sessions = not created and (password is not None or (user.active and not active))
    user.email, user.phone, user.active, user.language = email or None, phone or None, active, language
    if password is not None:
        user.password_hash = hash_password(password)
    if ends_sessions:  # a new password or a deactivation ends every session of the user
        uow.flush()
        end_sessions(uow, user)
    uow.audit.record("user_created" if created else "user_updated", actor, username=username, role=role, district=district_code,
                      bank_ifsc=bank_ifsc)
    uow.commit()
    return user


def change_password(uow: SchemeUnitOfWork, *, actor: str, current: str, new: str) -> int:
    """A user changes their own password (the current one must be right); every session of the
    user ends (D46). Returns the new session generation, for the session the change was made in.
    Commits once."""
    user = uow.users.by_username(actor)
    errors: dict[str, list[str]] = {}
    if not check_password(user.password_hash, current or ""):
        errors["current_password"] = ["This is not your current password."]
    if len(new or "") < 10:
        errors["new_password"] = ["At least 10 characters."]
    elif new == current:
        errors["new_password"] = ["Choose a password different from the current one."]
    if errors:
        raise ValidationFailed("The password was not changed.", errors)
    user.password_hash = hash_password(new)
    uow.flush()
    end_sessions(uow, user)
    uow.audit.record("password_changed", actor)
    uow.commit()
    return uow.session.scalar(select(User.session_generation).where(User.id == user.id))


def set_language(uow: SchemeUnitOfWork, *, actor: str, language: str) -> User:
    if language not in ("en", "hi"):
        raise ValidationFailed("Choose English (en) or Hindi (hi).", {"language": ["en or hi."]})
    user = uow.users.by_username(actor)
    user.language = language
    uow.commit()
    return user


def users_list(uow: SchemeUnitOfWork, *, actor: str) -> list[User]:
    require_admin(uow.users.by_username(actor), "manage users")
    return list(uow.session.scalars(select(User).order_by(User.role, User.district_code, User.username)))
