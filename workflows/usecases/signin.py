"""Use cases of signing in and out: a throttled sign-in and ending every session of a user.

Throttling counts failures per (client address, user name) and per client address over every
name; after a few free failures each further one makes that pair (or that address) wait twice as
long before the next try, up to MAX_WAIT. A failure from one address never makes the owner wait
at another, so nobody can keep someone else locked out (D45).

Sessions: a user's `session_generation` is written into each session at sign-in; the web layer
accepts a session only while it still matches. Signing out, a new password and deactivation
bump it, which ends every session of that user, copied cookies included (D46).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from engine.messages import Text
from workflows.catalogue import roles
from workflows.errors import NotAllowed
from workflows.mobile import normalise_mobile
from workflows.models import LoginThrottle, User
from workflows.passwords import check_password
from workflows.uow import SchemeUnitOfWork

FREE_FAILURES = 3  # per (address, name) before the waits begin
ADDRESS_FREE_FAILURES = 20  # per address over every name tried (password spraying)
FIRST_WAIT = timedelta(seconds=2)  # doubles with each further failure
MAX_WAIT = timedelta(minutes=15)
FORGET_AFTER = timedelta(hours=24)  # failures older than this no longer count
ANY_NAME = ""  # the user name of an address's own counter
WRONG = "The user name or password is not correct."


class SignInFailed(NotAllowed):
    code = "sign_in_failed"


class SignInThrottled(SignInFailed):
    """Too many failures from this address (for this name): try again after `retry_after` seconds."""

    code = "sign_in_throttled"

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        wait = f"{retry_after} seconds" if retry_after < 120 else f"{(retry_after + 59) // 60} minutes"
        seconds = retry_after < 120
        super().__init__(Text(
            "sign_in_throttled_seconds" if seconds else "sign_in_throttled_minutes",
            f"Too many failed attempts from this address. Try again in {wait}.",
            n=retry_after if seconds else (retry_after + 59) // 60,
        ))


@dataclass(frozen=True)
class Counter:
    address: str
    username: str
    free: int


def _counters(address: str, name: str) -> list[Counter]:
    return [Counter(address, name, FREE_FAILURES), Counter(address, ANY_NAME, ADDRESS_FREE_FAILURES)]


def wait_after(failures: int, free: int) -> timedelta:
    """How long the next try must wait after `failures` failures (nothing while still free)."""
    if failures <= free:
        return timedelta(0)
    return min(MAX_WAIT, FIRST_WAIT * 2 ** min(failures - free - 1, 20))


def _clean(text: str, limit: int) -> str:
    # Control characters (NUL among them) never name a user or an address; they are dropped so
    # they cannot reach the database.
    return "".join(c for c in (text or "") if c.isprintable()).strip().lower()[:limit]


def sign_in(uow: SchemeUnitOfWork, username: str, password: str, *, address: str) -> User:
    """The user, or SignInFailed with one message for every cause (no hint which part was wrong);
    SignInThrottled while this address (for this name) has to wait. Commits once."""
    now = uow.clock.now()
    name, address = _clean(username, 100), _clean(address, 64) or "unknown"
    name = normalise_mobile(name) or name  # a mobile number names its applicant however it is written
    counters = _counters(address, name)
    waits = [
        row.blocked_until
        for row in uow.session.scalars(
            select(LoginThrottle).where(
                LoginThrottle.address == address, LoginThrottle.username.in_([c.username for c in counters])
            )
        )
        if row.blocked_until is not None and row.blocked_until > now
    ]
    if waits:
        raise SignInThrottled(max(1, int((max(waits) - now).total_seconds() + 0.999)))
    user = uow.users.find(name) if name else None
    if user is not None and user.active and check_password(user.password_hash, password or ""):
        if user.role == roles.INTEGRATION:
            raise SignInFailed(Text(
                "integration_account", "This account is for other systems: it uses API tokens and cannot sign in."
            ))
        uow.session.execute(
            delete(LoginThrottle).where(LoginThrottle.address == address, LoginThrottle.username == name)
        )
        uow.audit.record("signed_in", user.username, address=address)
        uow.commit()
        return user
    waited = max(_count_failure(uow, counter, now) for counter in counters)
    uow.commit()
    if waited:
        seconds = int(waited.total_seconds())
        raise SignInFailed(Text("sign_in_wait", f"{WRONG} Wait {seconds} seconds before the next try.", seconds=seconds))
    raise SignInFailed(Text("sign_in_wrong", WRONG))


def _count_failure(uow: SchemeUnitOfWork, counter: Counter, now: datetime) -> timedelta:
    """Add one failure to a counter at write time (insert-if-missing, then increment under the
    row's write lock) and set its wait; the wait it sets."""
    session = uow.session
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(LoginThrottle)
        .values(address=counter.address, username=counter.username, failures=0, last_failure_at=now)
        .on_conflict_do_nothing(index_elements=["address", "username"])
    )
    key = (LoginThrottle.address == counter.address) & (LoginThrottle.username == counter.username)
    session.execute(
        update(LoginThrottle).where(key, LoginThrottle.last_failure_at < now - FORGET_AFTER).values(failures=0)
    )
    failures = session.execute(
        update(LoginThrottle)
        .where(key)
        .values(failures=LoginThrottle.failures + 1, last_failure_at=now)
        .returning(LoginThrottle.failures)
    ).scalar_one()
    wait = wait_after(failures, counter.free)
    if wait:
        session.execute(update(LoginThrottle).where(key).values(blocked_until=now + wait))
    return wait


def end_sessions(uow: SchemeUnitOfWork, user: User) -> None:
    """End every session of `user` (at write time; the caller commits)."""
    uow.session.execute(
        update(User).where(User.id == user.id).values(session_generation=User.session_generation + 1)
    )


def sign_out(uow: SchemeUnitOfWork, *, actor: str) -> None:
    """Sign out everywhere: every session of the actor ends, this one and any copy. Commits once."""
    user = uow.users.find(actor)
    if user is None:
        return
    end_sessions(uow, user)
    uow.audit.record("signed_out", actor)
    uow.commit()


def active_user(uow: SchemeUnitOfWork, user_id: int) -> User | None:
    """The user a session names, while active; its `session_generation` is what the session must carry."""
    user = uow.users.find_by_id(user_id)
    return user if user is not None and user.active else None
