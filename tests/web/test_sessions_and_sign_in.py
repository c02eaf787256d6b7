"""Sign-in and sessions: where `next` may lead, throttling that never locks the owner out, sessions
that end on sign-out, a new password, deactivation and idleness, the token shown once, headers."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from engine.models import AuditEvent
from tests.web.conftest import sign_in
from web.app import create_app
from web.infra.bootstrap import build_runtime
from web.infra.config import Settings
from workflows.sample.demo import DEMO_PASSWORD
from workflows.uow import SchemeUnitOfWork

STRANGER = {"REMOTE_ADDR": "203.0.113.66"}
OWNER = {"REMOTE_ADDR": "10.20.30.40"}


def _try(client: FlaskClient, username: str, password: str, where: dict[str, str], next_: str = "") -> object:
    url = "/sign-in" + (f"?next={next_}" if next_ else "")
    return client.post(url, data={"username": username, "password": password}, environ_base=where)


@pytest.mark.parametrize(
    "raw_next",
    [
        "/%09/evil.example/",
        "/%0a/evil.example/",
        "%2F%2Fevil.example",
        "//evil.example/",
        "%5C%5Cevil.example",
        "/%5Cevil.example",
        "https://evil.example/",
        "https:evil.example",
        "javascript:alert(1)",
        "/inbox%0d%0aSet-Cookie:%20x=1",
        "evil.example",
        "",
    ],
)
def test_next_is_a_local_path_or_the_start_page(app: Flask, raw_next: str) -> None:
    response = _try(app.test_client(), "dic.agr", DEMO_PASSWORD, OWNER, raw_next)
    assert response.status_code == 302
    assert response.location == "/"


def test_next_leads_back_to_a_local_page(app: Flask) -> None:
    response = _try(app.test_client(), "dic.agr", DEMO_PASSWORD, OWNER, "/inbox%3Fview%3Davailable")
    assert response.location == "/inbox?view=available"


def test_a_strangers_failures_do_not_stop_the_owner(app: Flask) -> None:
    stranger = app.test_client()
    for _ in range(12):
        response = _try(stranger, "dic.agr", "guess", STRANGER)
        assert response.status_code in (401, 429)
    assert _try(stranger, "dic.agr", DEMO_PASSWORD, STRANGER).status_code == 429, "the stranger waits"
    owner = _try(app.test_client(), "dic.agr", DEMO_PASSWORD, OWNER)
    assert owner.status_code == 302, "the owner at another address signs in at once"


def test_waits_grow_and_end(app: Flask, clock) -> None:  # noqa: ANN001
    client = app.test_client()
    for _ in range(3):  # free failures
        response = _try(client, "gm.agr", "wrong", OWNER)
        assert response.status_code == 401 and b"Wait" not in response.data
    response = _try(client, "gm.agr", "wrong", OWNER)
    assert response.status_code == 401 and b"Wait 2 seconds" in response.data
    refused = _try(client, "gm.agr", DEMO_PASSWORD, OWNER)
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "2"
    assert b"Too many failed attempts" in refused.data
    clock.advance(seconds=2)
    assert b"Wait 4 seconds" in _try(client, "gm.agr", "wrong", OWNER).data
    clock.advance(seconds=4)
    assert _try(client, "gm.agr", DEMO_PASSWORD, OWNER).status_code == 302
    # A success starts the pair's count again.
    assert b"Wait" not in _try(app.test_client(), "gm.agr", "wrong", OWNER).data


def test_an_address_trying_many_names_is_slowed_down(app: Flask) -> None:
    client = app.test_client()
    for i in range(20):
        assert _try(client, f"nobody{i}", "x", STRANGER).status_code == 401
    assert b"Wait 2 seconds" in _try(client, "nobody-else", "x", STRANGER).data
    assert _try(client, "dic.agr", DEMO_PASSWORD, STRANGER).status_code == 429
    assert _try(app.test_client(), "dic.agr", DEMO_PASSWORD, OWNER).status_code == 302


def test_nul_in_a_name_or_in_next_is_refused_before_sign_in(app: Flask) -> None:
    # NUL never reaches the database: the input check answers 422 naming the field (D41).
    response = _try(app.test_client(), "dic.agr\x00", "x\x00", OWNER)
    assert response.status_code == 422 and b"username" in response.data
    response = _try(app.test_client(), "dic.agr", DEMO_PASSWORD, OWNER, "/%00")
    assert response.status_code == 422 and b"next" in response.data


def _copy_of(app: Flask, original: FlaskClient) -> FlaskClient:
    """Another browser with the same session cookie (copied off a shared PC)."""
    copy = app.test_client()
    cookie = original.get_cookie("session")
    assert cookie is not None
    copy.set_cookie("session", cookie.value)
    return copy


def test_sign_out_ends_every_session_copied_cookie_included(app: Flask) -> None:
    browser = sign_in(app, "dic.agr")
    copy = _copy_of(app, browser)
    other_browser = sign_in(app, "dic.agr")
    assert copy.get("/account").status_code == 200
    browser.post("/sign-out")
    for client in (copy, other_browser):
        response = client.get("/account")
        assert response.status_code == 302 and "/sign-in" in response.location
        assert client.get("/api/v1/tasks").status_code == 401
    with SchemeUnitOfWork(app.extensions["odop.runtime"]) as uow:
        assert uow.session.query(AuditEvent).filter_by(kind="signed_out", actor="dic.agr").count() == 1
    assert sign_in(app, "dic.agr").get("/account").status_code == 200, "signing in again works"


def _save_user(admin: FlaskClient, **changes: str) -> None:
    form = {"username": "dic.agr", "full_name": "DIC Agra", "role": "dic_officer", "district_code": "AGR",
            "active": "on", "language": "en", **changes}
    form = {k: v for k, v in form.items() if v is not None}
    assert admin.post("/admin/users", data=form).status_code == 302


@pytest.mark.parametrize("change", ["deactivate", "new password"])
def test_deactivation_and_a_new_password_end_the_users_sessions(app: Flask, change: str) -> None:
    browser = sign_in(app, "dic.agr")
    copy = _copy_of(app, browser)
    admin = sign_in(app, "admin")
    if change == "deactivate":
        _save_user(admin, active=None)
    else:
        _save_user(admin, password="a-new-password-2025")
    for client in (browser, copy):
        response = client.get("/inbox")
        assert response.status_code == 302 and "/sign-in" in response.location
    assert admin.get("/admin/users").status_code == 200, "other users' sessions go on"
    if change == "new password":
        assert _try(app.test_client(), "dic.agr", "a-new-password-2025", OWNER).status_code == 302


def test_an_idle_session_ends_after_the_time_out(app: Flask) -> None:
    with time_machine.travel(time.time(), tick=False) as traveller:
        client = sign_in(app, "applicant1.agr")
        traveller.shift(29 * 60)
        assert client.get("/applications").status_code == 200, "activity within 30 minutes"
        traveller.shift(29 * 60)
        assert client.get("/applications").status_code == 200, "the time-out counts from the last request"
        traveller.shift(30 * 60 + 1)
        response = client.get("/applications?status=returned")
        assert response.status_code == 302
        assert parse_qs(urlsplit(response.location).query)["next"] == ["/applications?status=returned"]
        page = client.get(response.location).get_data(as_text=True)
        assert "after 30 minutes without activity" in page


def test_the_idle_time_out_is_configurable(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ODOP_IDLE_TIMEOUT_MINUTES", "5")
    assert Settings.from_env().idle_timeout_minutes == 5
    monkeypatch.setenv("ODOP_IDLE_TIMEOUT_MINUTES", "five")
    with pytest.raises(ValueError, match="ODOP_IDLE_TIMEOUT_MINUTES"):
        Settings.from_env()
    app.extensions["odop.settings"].idle_timeout_minutes = 5
    with time_machine.travel(time.time(), tick=False) as traveller:
        client = sign_in(app, "dic.agr")
        traveller.shift(5 * 60 + 1)
        assert client.get("/inbox").status_code == 302


def test_a_new_tokens_secret_is_shown_once_and_never_in_the_cookie(app: Flask) -> None:
    client = sign_in(app, "dic.agr")
    response = client.post("/account/tokens", data={"name": "MIS sync"})
    page = response.get_data(as_text=True)
    secret = page.split("data-token>")[1].split("<")[0]
    assert secret.startswith("odop_")
    cookie = client.get_cookie("session")
    session = app.session_interface.get_signing_serializer(app).loads(cookie.value)
    assert secret not in str(session) and secret not in response.headers.get("Set-Cookie", "")
    assert secret not in client.get("/account").get_data(as_text=True)


def test_signed_in_pages_and_api_answers_are_never_stored(app: Flask) -> None:
    client = sign_in(app, "applicant1.agr")
    for path in ("/applications", "/account", "/apply/MDA", "/api/v1/applications", "/notifications"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path
    anonymous = app.test_client()
    assert anonymous.get("/api/v1/tasks").headers["Cache-Control"] == "no-store"
    assert "no-store" not in anonymous.get("/public").headers.get("Cache-Control", "")
    assert "no-store" not in client.get("/static/app.css").headers.get("Cache-Control", "")
    assert "Strict-Transport-Security" not in client.get("/applications").headers, "no HSTS over plain HTTP"


def test_hsts_when_cookies_are_secure(app: Flask) -> None:
    settings = Settings(database_url=app.extensions["odop.settings"].database_url, testing=True, secret_key="t")
    runtime = build_runtime(settings)
    try:
        secure = create_app(settings, runtime=runtime)
        response = secure.test_client().get("/sign-in")
        assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    finally:
        runtime.db.dispose()


def test_changing_ones_own_password_ends_the_other_sessions(app: Flask) -> None:
    browser = sign_in(app, "applicant1.agr")
    copy = _copy_of(app, browser)
    wrong = browser.post("/account/password", data={"current_password": "nope", "new_password": "short"})
    assert wrong.status_code == 302  # Post/Redirect/Get (D90)
    page = browser.get(wrong.location).get_data(as_text=True)
    assert "This is not your current password." in page and "At least 10 characters." in page
    assert copy.get("/account").status_code == 200, "a refused change ends nothing"
    changed = browser.post(
        "/account/password", data={"current_password": DEMO_PASSWORD, "new_password": "a much longer one 2025"}
    )
    assert changed.status_code == 302
    assert browser.get("/account").status_code == 200, "the session it was changed in goes on"
    response = copy.get("/account")
    assert response.status_code == 302 and "/sign-in" in response.location
    assert _try(app.test_client(), "applicant1.agr", DEMO_PASSWORD, OWNER).status_code == 401
    assert _try(app.test_client(), "applicant1.agr", "a much longer one 2025", OWNER).status_code == 302
