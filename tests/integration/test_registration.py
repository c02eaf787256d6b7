"""Sign-up codes on SQLite and PostgreSQL: a second request replaces the first code, and tries are
counted at write time, so parallel guesses (real threads) never get more than MAX_ATTEMPTS."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from engine.models import Notification
from engine.runtime import Runtime
from tests.integration.scheme_helpers import set_up
from workflows.errors import ValidationFailed
from workflows.models import SignUp
from workflows.uow import SchemeUnitOfWork
from workflows.usecases import registration

MOBILE = "9811122233"


@pytest.fixture
def rt(runtime: Runtime) -> Runtime:
    set_up(runtime)
    return runtime


def _start(rt: Runtime, address: str = "10.0.0.1") -> str:
    with SchemeUnitOfWork(rt) as uow:
        registration.start_sign_up(uow, full_name="Ramesh Kumar", mobile=f"0{MOBILE}", district_code="agr",
                                   language="hi", password="a long password 1", address=address)
    with SchemeUnitOfWork(rt) as uow:
        codes = uow.session.scalars(select(Notification).where(Notification.template == "signup_code")
                                    .order_by(Notification.id.desc())).all()
        assert all(n.channel == "sms" and n.address == MOBILE for n in codes)
        return codes[0].params["code"]


def _confirm(rt: Runtime, code: str) -> str:
    try:
        with SchemeUnitOfWork(rt) as uow:
            return registration.confirm_sign_up(uow, mobile=MOBILE, code=code).username
    except ValidationFailed as err:
        return err.fields["code"][0]


def test_a_new_code_replaces_the_old_and_the_right_one_makes_the_account(rt: Runtime) -> None:
    first = _start(rt)
    second = _start(rt, address="10.0.0.2")
    if first != second:
        assert "not correct" in _confirm(rt, first)
    assert _confirm(rt, second) == MOBILE
    with SchemeUnitOfWork(rt) as uow:
        user = uow.users.find(MOBILE)
        assert (user.district_code, user.phone, user.language) == ("AGR", MOBILE, "hi")
        assert uow.session.get(SignUp, MOBILE) is None


def test_parallel_guesses_never_exceed_the_limit(rt: Runtime) -> None:
    code = _start(rt)
    wrong = "000000" if code != "000000" else "111111"
    answers: list[str] = []
    barrier = threading.Barrier(8)

    def guess() -> None:
        barrier.wait()
        answers.append(_confirm(rt, wrong))

    threads = [threading.Thread(target=guess) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum("not correct" in a for a in answers) == registration.MAX_ATTEMPTS
    assert sum("Too many wrong codes" in a for a in answers) == 8 - registration.MAX_ATTEMPTS
    assert "Too many wrong codes" in _confirm(rt, code), "the right code no longer helps"
