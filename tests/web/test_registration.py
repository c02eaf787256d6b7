"""Self-registration with a mobile OTP (the code read from the outbox page, as in development) and
facilitation centres registering walk-in applicants of their own district, then filing for them."""

from __future__ import annotations

import re
from dataclasses import replace

from flask import Flask
from flask.testing import FlaskClient

from engine.clock import FixedClock
from tests import files
from tests.web.conftest import MDA_FORM, sign_in
from workflows.models import SignUp, User
from workflows.uow import SchemeUnitOfWork
from workflows.usecases.registration import MAX_ATTEMPTS

PASSWORD = "a long password 1"
FORM = {"full_name": "Ramesh Kumar", "mobile": "+91 98111-22233", "district_code": "AGR", "language": "hi",
        "password": PASSWORD}


def _start(app: Flask, **changes: str) -> FlaskClient:
    client = app.test_client()
    response = client.post("/sign-up", data={**FORM, **changes})
    assert response.status_code == 302 and response.location.endswith("/sign-up/code"), response.data[:1500]
    return client


def _codes_on_the_outbox_page(app: Flask) -> list[str]:
    page = sign_in(app, "admin").get("/admin/outbox").get_data(as_text=True)
    return re.findall(r"पंजीकरण कोड (\d{6}) है", page)  # newest first


def _user(app: Flask, username: str) -> User | None:
    with SchemeUnitOfWork(app.extensions["odop.runtime"]) as uow:
        return uow.users.find(username)


def test_sign_up_confirmed_with_the_sms_code(app: Flask) -> None:
    client = _start(app)
    assert _user(app, "9811122233") is None, "no account before the code is confirmed"
    (code,) = _codes_on_the_outbox_page(app)
    wrong = "000000" if code != "000000" else "111111"
    response = client.post("/sign-up/code", data={"code": wrong}, follow_redirects=True)
    assert response.history and f"{MAX_ATTEMPTS - 1} tries left" in response.get_data(as_text=True)
    response = client.post("/sign-up/code", data={"code": code})
    assert response.status_code == 302
    assert client.get("/apply").status_code == 200, "signed in as the new applicant"
    user = _user(app, "9811122233")
    assert user is not None and (user.role, user.district_code, user.language, user.active) == ("applicant", "AGR", "hi", True)
    again = app.test_client().post("/sign-in", data={"username": "098111 22233", "password": PASSWORD})
    assert again.status_code == 302, "the mobile number signs in however it is written"
    assert client.post("/sign-up/code", data={"code": code}).status_code == 302, "a code works once: back to the form"


def test_an_expired_code_is_refused_and_a_new_one_works(app: Flask, clock: FixedClock) -> None:
    client = _start(app)
    (code,) = _codes_on_the_outbox_page(app)
    clock.advance(minutes=11)
    response = client.post("/sign-up/code", data={"code": code}, follow_redirects=True)
    assert response.history and "expired" in response.get_data(as_text=True)
    assert client.post("/sign-up/code/new").status_code == 302
    newest = _codes_on_the_outbox_page(app)[0]
    assert client.post("/sign-up/code", data={"code": newest}).status_code == 302


def test_too_many_wrong_codes_use_the_code_up(app: Flask) -> None:
    client = _start(app)
    (code,) = _codes_on_the_outbox_page(app)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(MAX_ATTEMPTS):
        assert client.post("/sign-up/code", data={"code": wrong}).status_code == 302  # refused: back to the code page
    response = client.post("/sign-up/code", data={"code": code}, follow_redirects=True)
    assert response.history and "Too many wrong codes" in response.get_data(as_text=True)
    assert _user(app, "9811122233") is None


def test_bad_input_keeps_the_typing_and_a_registered_number_is_refused(app: Flask) -> None:
    client = app.test_client()
    page = client.get("/sign-up?lang=hi").get_data(as_text=True)
    assert "आवेदक के रूप में पंजीकरण" in page and "Agra" in page
    assert client.get("/sign-up/code").status_code == 302, "no code page before a sign-up"
    response = client.post("/sign-up", data={**FORM, "mobile": "12345"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.history and "10-digit mobile number" in page and 'value="Ramesh Kumar"' in page
    _start(app)
    with SchemeUnitOfWork(app.extensions["odop.runtime"]) as uow:
        assert uow.session.get(SignUp, "9811122233") is not None
    response = client.post("/sign-up", data={**FORM, "mobile": _registered_mobile(app)}, follow_redirects=True)
    assert response.history and "registered already" in response.get_data(as_text=True)


def _registered_mobile(app: Flask) -> str:
    client = sign_in(app, "fc.agr")
    assert client.post("/walk-in", data={**FORM, "mobile": "9811100000"}).status_code == 302
    client.post("/sign-up", data={**FORM, "mobile": "9811100000"})  # the walk-in sets a password...
    code = _codes_on_the_outbox_page(app)[0]
    assert client.post("/sign-up/code", data={"code": code}).status_code == 302
    return "9811100000"  # ... and is then registered


def test_asking_for_codes_is_throttled_per_number(app: Flask) -> None:
    client = app.test_client()
    statuses = [client.post("/sign-up", data=FORM).status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 302]  # the third free; the fourth sets a wait for the next
    response = client.post("/sign-up", data=FORM)
    assert response.status_code == 429 and "Retry-After" in response.headers


def test_a_centre_registers_a_walk_in_of_its_district_and_files_for_them(app: Flask) -> None:
    client = sign_in(app, "fc.agr")
    assert 'value="AGR" selected' in client.get("/walk-in").get_data(as_text=True)
    response = client.post("/walk-in", data={**FORM, "district_code": "MBD"})
    page = response.get_data(as_text=True)
    assert response.status_code == 403 and "registers only applicants of its own district" in page
    assert 'value="Ramesh Kumar"' in page and _user(app, "9811122233") is None
    assert client.post("/walk-in", data=FORM).status_code == 302
    user = _user(app, "9811122233")
    assert user is not None and user.role == "applicant" and user.password_hash is None
    form = {**MDA_FORM, "applicant": "9811122233", "action": "submit", **files.checklist_form(files.NEEDED["MDA"])}
    response = client.post("/apply/MDA", data=form, content_type="multipart/form-data")
    assert response.status_code == 302 and "/applications/" in response.location
    assert sign_in(app, "applicant1.agr").post("/walk-in", data=FORM).status_code == 403


def test_with_a_gateway_the_outbox_page_masks_the_codes(app: Flask) -> None:
    _start(app)
    settings = app.extensions["odop.settings"]
    settings.sms = replace(settings.sms, url="http://127.0.0.1:9/send")
    page = sign_in(app, "admin").get("/admin/outbox").get_data(as_text=True)
    assert "पंजीकरण कोड •••••• है" in page and not re.search(r"कोड \d{6}", page)
