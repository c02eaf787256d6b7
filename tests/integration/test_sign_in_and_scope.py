"""Sign-in throttling, session generations and the filing scope at the use-case level, on SQLite and
PostgreSQL: counts are exact under concurrency and a refusal stores nothing."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from engine.clock import FixedClock
from engine.models import Instance
from engine.runtime import Runtime
from tests.integration.scheme_helpers import DATA, set_up
from workflows.errors import ValidationFailed
from workflows.models import Application, LoginThrottle, User
from workflows.passwords import hash_password
from workflows.uow import SchemeUnitOfWork
from workflows.usecases import signin
from workflows.usecases.submission import submit_application

PASSWORD = "correct horse battery"


@pytest.fixture
def rt(runtime: Runtime) -> Runtime:
    set_up(runtime)
    with SchemeUnitOfWork(runtime) as uow:
        uow.users.by_username("dic.agr").password_hash = hash_password(PASSWORD)
        uow.session.add(User(username="applicant1.mbd", full_name="Applicant Mbd", role="applicant", district_code="MBD"))
        uow.commit()
    return runtime


def _sign_in(rt: Runtime, password: str, address: str, name: str = "dic.agr") -> User:
    with SchemeUnitOfWork(rt) as uow:
        return signin.sign_in(uow, name, password, address=address)


def _in_threads(n: int, work: Callable[[], None]) -> list[BaseException]:
    errors: list[BaseException] = []
    barrier = threading.Barrier(n)

    def run() -> None:
        barrier.wait()
        try:
            work()
        except BaseException as err:  # noqa: BLE001
            errors.append(err)

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_waits_are_per_address_and_the_owner_is_never_locked_out(rt: Runtime, clock: FixedClock) -> None:
    for _ in range(3):
        with pytest.raises(signin.SignInFailed, match="not correct"):
            _sign_in(rt, "guess", "198.51.100.7")
    with pytest.raises(signin.SignInFailed, match="Wait 2 seconds"):
        _sign_in(rt, "guess", "198.51.100.7")
    with pytest.raises(signin.SignInThrottled) as throttled:
        _sign_in(rt, PASSWORD, "198.51.100.7")
    assert throttled.value.retry_after == 2
    assert _sign_in(rt, PASSWORD, "10.0.0.8").username == "dic.agr"
    clock.advance(seconds=2)
    assert _sign_in(rt, PASSWORD, "198.51.100.7").username == "dic.agr"
    with SchemeUnitOfWork(rt) as uow:
        rows = {(r.address, r.username): r.failures for r in uow.session.scalars(select(LoginThrottle))}
    assert rows == {("198.51.100.7", ""): 4}, "a success clears the pair; the address keeps its count"


def test_concurrent_failures_are_all_counted(rt: Runtime) -> None:
    throttled: list[int] = []

    def fail() -> None:
        try:
            _sign_in(rt, "guess", "198.51.100.9")
        except signin.SignInThrottled:  # came after a wait was set: refused unchecked, not counted
            throttled.append(1)
        except signin.SignInFailed:
            pass

    assert _in_threads(8, fail) == []
    with SchemeUnitOfWork(rt) as uow:
        pair = uow.session.get(LoginThrottle, ("198.51.100.9", "dic.agr"))
        address = uow.session.get(LoginThrottle, ("198.51.100.9", ""))
    assert pair.failures + len(throttled) == 8, "no failure checked against the password is lost"
    assert address.failures == pair.failures >= 4 and pair.blocked_until is not None


def test_old_failures_are_forgotten(rt: Runtime, clock: FixedClock) -> None:
    for _ in range(4):
        with pytest.raises(signin.SignInFailed):
            _sign_in(rt, "guess", "198.51.100.10")
    clock.advance(hours=25)
    with pytest.raises(signin.SignInFailed) as failed:
        _sign_in(rt, "guess", "198.51.100.10")
    assert "Wait" not in str(failed.value)


def test_ending_sessions_counts_every_bump(rt: Runtime) -> None:
    def sign_out() -> None:
        with SchemeUnitOfWork(rt) as uow:
            signin.sign_out(uow, actor="dic.agr")

    assert _in_threads(4, sign_out) == []
    with SchemeUnitOfWork(rt) as uow:
        assert uow.users.by_username("dic.agr").session_generation == 4


def test_a_centre_cannot_file_in_another_district_and_nothing_is_stored(rt: Runtime) -> None:
    with pytest.raises(ValidationFailed, match="own district") as refused, SchemeUnitOfWork(rt) as uow:
        submit_application(
            uow, scheme_code="MM", district_code="AGR", data=DATA["MM"], actor="fc.agr", applicant="applicant1.mbd"
        )
    assert "applicant1.mbd is an applicant of district MBD" in refused.value.fields["applicant"][0]
    with SchemeUnitOfWork(rt) as uow:
        assert uow.session.scalar(select(func.count()).select_from(Application)) == 0
        assert uow.session.scalar(select(func.count()).select_from(Instance)) == 0


def test_control_characters_never_reach_the_database(rt: Runtime) -> None:
    with pytest.raises(signin.SignInFailed, match="not correct"):
        _sign_in(rt, "x\x00y", "198.51.100.\x0011", name="dic\x00.agr\r\n")
    with SchemeUnitOfWork(rt) as uow:
        keys = {(r.address, r.username) for r in uow.session.scalars(select(LoginThrottle))}
    assert keys == {("198.51.100.11", "dic.agr"), ("198.51.100.11", "")}
