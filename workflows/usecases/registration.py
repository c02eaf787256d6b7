"""Applicants register themselves with a mobile OTP; facilitation centres register walk-ins (D84).

Self-registration: the form (name, mobile, district, language, password) is kept as a `SignUp`
row and a six-digit code goes by SMS through the notification outbox; the account exists only
once the code is confirmed. A code lives CODE_VALID and allows MAX_ATTEMPTS tries (each try is
counted at write time, by a conditional UPDATE); asking for codes is throttled per address and per
mobile number with the sign-in throttle's counters (free requests, then doubling waits).
The user name is the mobile number (ten digits). A walk-in registered by a centre has no password
until they sign up with the same number, which then only sets their password and language.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from engine import outbox
from workflows.catalogue import roles
from workflows.errors import NotAllowed, UnknownDistrict, ValidationFailed
from workflows.mobile import mobile_problem, normalise_mobile
from workflows.models import LoginThrottle, SignUp, User
from workflows.passwords import hash_password
from workflows.uow import SchemeUnitOfWork
from workflows.usecases.signin import Counter, _clean, _count_failure

CODE_VALID = timedelta(minutes=10)
MAX_ATTEMPTS = 5
CODES_PER_MOBILE_FREE = 3  # codes for one number before the waits begin (no SMS flooding)
SIGN_UPS_PER_ADDRESS_FREE = 10
MOBILE_COUNTERS = "#mobile"  # the throttle's `address` of the per-number counters
SIGN_UP = "#sign-up"  # the throttle's `username` of an address's sign-up counter


class SignUpThrottled(NotAllowed):
    code = "sign_up_throttled"

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        wait = f"{retry_after} seconds" if retry_after < 120 else f"{(retry_after + 59) // 60} minutes"
        super().__init__(f"Too many codes asked for. Try again in {wait}.")


def _code_hash(mobile: str, code: str) -> str:
    return hashlib.sha256(f"{mobile}:{code}".encode()).hexdigest()


def _person_fields(uow: SchemeUnitOfWork, full_name: str, mobile: str, district_code: str, language: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not (full_name or "").strip() or len(full_name.strip()) > 200:
        errors["full_name"] = ["Required (at most 200 characters)."]
    if problem := mobile_problem(mobile):
        errors["mobile"] = [problem]
    try:
        uow.districts.get(district_code or "")
    except UnknownDistrict:
        errors["district_code"] = ["Choose a district from the list."]
    if language not in ("en", "hi"):
        errors["language"] = ["English (en) or Hindi (hi)."]
    return errors


def _throttle(uow: SchemeUnitOfWork, counters: list[Counter]) -> None:
    """Refuse while a counter waits; otherwise count this request on each (at write time)."""
    now = uow.clock.now()
    for c in counters:
        row = uow.session.get(LoginThrottle, (c.address, c.username))
        if row is not None and row.blocked_until is not None and row.blocked_until > now:
            raise SignUpThrottled(max(1, int((row.blocked_until - now).total_seconds() + 0.999)))
    for c in counters:
        _count_failure(uow, c, now)


def start_sign_up(
    uow: SchemeUnitOfWork, *, full_name: str, mobile: str, district_code: str, language: str, password: str,
    address: str,
) -> str:
    """Keep the registration and send its code by SMS; the normalised mobile number. Commits once."""
    district_code = (district_code or "").strip().upper()
    errors = _person_fields(uow, full_name, mobile, district_code, language)
    if len(password or "") < 10:
        errors["password"] = ["At least 10 characters."]
    number = normalise_mobile(mobile)
    existing = uow.users.find(number) if number else None
    if existing is not None and (existing.password_hash or existing.role != roles.APPLICANT):
        errors["mobile"] = ["This mobile number is registered already: sign in with it."]
    if errors:
        raise ValidationFailed("The registration could not be started.", errors)
    assert number is not None
    _throttle(uow, [Counter(_clean(address, 64) or "unknown", SIGN_UP, SIGN_UPS_PER_ADDRESS_FREE),
                    Counter(MOBILE_COUNTERS, number, CODES_PER_MOBILE_FREE)])
    now = uow.clock.now()
    code = f"{secrets.randbelow(10**6):06d}"
    values = dict(mobile=number, full_name=full_name.strip(), district_code=district_code, language=language,
                  password_hash=hash_password(password), code_hash=_code_hash(number, code), attempts=0,
                  expires_at=now + CODE_VALID, created_at=now)
    insert = pg_insert if uow.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(SignUp).values(**values)
    uow.session.execute(statement.on_conflict_do_update(
        index_elements=["mobile"], set_={k: statement.excluded[k] for k in values if k != "mobile"}))
    _send_code(uow, number, code, language)
    uow.audit.record("sign_up_started", f"mobile:{number}", district=district_code)
    uow.commit()
    return number


def _send_code(uow: SchemeUnitOfWork, mobile: str, code: str, language: str) -> None:
    outbox.enqueue(uow, channel=outbox.SMS, recipient=f"mobile:{mobile}", address=mobile, template="signup_code",
                   params={"code": code, "minutes": int(CODE_VALID.total_seconds() // 60)}, language=language)


def resend_code(uow: SchemeUnitOfWork, *, mobile: str, address: str) -> None:
    """A new code for a waiting registration (the old one stops working). Commits once."""
    number = normalise_mobile(mobile) or ""
    pending = uow.session.get(SignUp, number)
    if pending is None:
        raise ValidationFailed("No registration is waiting for this number: start again.", {"mobile": ["Start again."]})
    _throttle(uow, [Counter(_clean(address, 64) or "unknown", SIGN_UP, SIGN_UPS_PER_ADDRESS_FREE),
                    Counter(MOBILE_COUNTERS, number, CODES_PER_MOBILE_FREE)])
    code = f"{secrets.randbelow(10**6):06d}"
    uow.session.execute(update(SignUp).where(SignUp.mobile == number).values(
        code_hash=_code_hash(number, code), attempts=0, expires_at=uow.clock.now() + CODE_VALID))
    _send_code(uow, number, code, pending.language)
    uow.commit()


def confirm_sign_up(uow: SchemeUnitOfWork, *, mobile: str, code: str) -> User:
    """The new (or claimed walk-in) account, active, once the code is right. Each try counts,
    decided at write time; a wrong, expired or used-up code is a field error. Commits once."""
    number = normalise_mobile(mobile) or ""
    now = uow.clock.now()
    tried = uow.session.execute(
        update(SignUp).where(SignUp.mobile == number, SignUp.attempts < MAX_ATTEMPTS, SignUp.expires_at > now)
        .values(attempts=SignUp.attempts + 1).returning(SignUp.attempts, SignUp.code_hash)
    ).first()
    if tried is None:
        pending = uow.session.get(SignUp, number)
        if pending is None:
            problem = "No registration is waiting for this number: start again."
        elif pending.expires_at <= now:
            problem = "The code has expired: ask for a new one."
        else:
            problem = "Too many wrong codes: ask for a new one."
        raise ValidationFailed("The code was not accepted.", {"code": [problem]})
    attempts, expected = tried
    if not secrets.compare_digest(expected, _code_hash(number, (code or "").strip())):
        uow.commit()  # the try counts
        left = MAX_ATTEMPTS - attempts
        problem = f"The code is not correct; {left} tries left." if left else "The code is not correct. Ask for a new one."
        raise ValidationFailed("The code was not accepted.", {"code": [problem]})
    pending = uow.session.scalars(select(SignUp).where(SignUp.mobile == number)).one()
    user = uow.users.find(number)
    if user is None:
        user = User(username=number, full_name=pending.full_name, phone=number, role=roles.APPLICANT,
                    district_code=pending.district_code, active=True)
        uow.users.add(user)
    user.password_hash, user.language = pending.password_hash, pending.language
    uow.session.execute(delete(SignUp).where(SignUp.mobile == number))
    uow.audit.record("signed_up", number, district=user.district_code)
    uow.commit()
    return user


def register_walk_in(
    uow: SchemeUnitOfWork, *, actor: str, full_name: str, mobile: str, district_code: str, language: str,
) -> User:
    """A facilitation centre registers an applicant of its own district (who then has an account to
    be filed for, and no password until they sign up with the same number). Commits once."""
    centre = uow.users.by_username(actor)
    if centre.role != roles.FACILITATION_OPERATOR:
        raise NotAllowed(f"Only facilitation centres register walk-in applicants; you are {centre.role}.")
    district_code = (district_code or "").strip().upper()
    errors = _person_fields(uow, full_name, mobile, district_code, language)
    number = normalise_mobile(mobile)
    if number and (existing := uow.users.find(number)) is not None:
        errors["mobile"] = [f"Registered already, as {existing.username}: file for that applicant."]
    if errors:
        raise ValidationFailed("The applicant could not be registered.", errors)
    if district_code != centre.district_code:
        raise NotAllowed(
            f"A facilitation centre of {centre.district_code} registers only applicants of its own district, not of {district_code}.")
    assert number is not None
    user = User(username=number, full_name=full_name.strip(), phone=number, role=roles.APPLICANT,
                district_code=district_code, language=language, active=True, password_hash=None)
    uow.users.add(user)
    params = {"name": user.full_name, "username": number, "centre": centre.full_name}
    outbox.enqueue(uow, channel=outbox.SMS, recipient=number, address=number, template="walk_in_registered",
                   params=params, language=language, key="registered")
    uow.audit.record("applicant_registered", actor, username=number, district=district_code)
    uow.commit()
    return user
