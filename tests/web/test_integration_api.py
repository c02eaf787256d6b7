"""Messages and signals API: who may call it, what it answers, and that integration accounts reach
nothing else (no pages, no other API)."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from engine.commands import start_instance
from engine.definitions import deploy
from tests.web.conftest import sign_in
from workflows.uow import SchemeUnitOfWork
from workflows.usecases import accounts

MODELS = Path(__file__).parent.parent / "conformance" / "models"
PASSWORD = "integration-secret-1"


def _runtime(app: Flask):  # noqa: ANN202
    return app.extensions["odop.runtime"]


def _integration_token(app: Flask) -> str:
    with SchemeUnitOfWork(_runtime(app)) as uow:
        accounts.save_user(uow, actor="admin", username="treasury.api", full_name="Treasury", role="integration",
                           district_code=None, password=PASSWORD)
    with SchemeUnitOfWork(_runtime(app)) as uow:
        return accounts.create_token(uow, actor="treasury.api", name="treasury").secret


def _token_of(app: Flask, username: str) -> str:
    with SchemeUnitOfWork(_runtime(app)) as uow:
        return accounts.create_token(uow, actor=username, name="t").secret


def _waiting_instances(app: Flask) -> None:
    """X-1 waits for the message 'loan_sanctioned'; S-1 and S-2 for the signal 'budget_released'."""
    with SchemeUnitOfWork(_runtime(app)) as uow:
        for name in ("message_catch.bpmn", "signal_catch.bpmn"):
            deploy(uow, {name: (MODELS / name).read_bytes()}, actor="admin")
        uow.commit()
    for key, process in (("X-1", "message_catch"), ("S-1", "signal_catch"), ("S-2", "signal_catch")):
        with SchemeUnitOfWork(_runtime(app)) as uow:
            start_instance(uow, process, business_key=key, data={"n": 1}, actor="admin")
            uow.commit()


def _client(app: Flask, who: str | None) -> tuple[FlaskClient, dict[str, str]]:
    """A client and the headers to send as `who`: anonymous, a person signed in, or a token."""
    if who == "integration":
        return app.test_client(), {"Authorization": f"Bearer {_integration_token(app)}"}
    if who and who.startswith("token:"):
        return app.test_client(), {"Authorization": f"Bearer {_token_of(app, who[6:])}"}
    return sign_in(app, who), {}


MESSAGE = ("/api/v1/applications/X-1/messages", {"name": "loan_sanctioned", "payload": {"loan_amount": 250000}})
SIGNAL = ("/api/v1/signals", {"name": "budget_released", "payload": {"head": "2851"}})


@pytest.mark.parametrize("path, body", [MESSAGE, SIGNAL], ids=["message", "signal"])
@pytest.mark.parametrize(
    "who, status",
    [(None, 401), ("applicant1.agr", 403), ("dic.agr", 403), ("token:gm.agr", 403), ("slc", 403),
     ("integration", 200), ("admin", 200), ("token:admin", 200)],
)
def test_who_may_send_messages_and_signals(app: Flask, path: str, body: dict, who: str | None, status: int) -> None:
    _waiting_instances(app)
    client, headers = _client(app, who)
    response = client.post(path, json=body, headers=headers)
    assert response.status_code == status, response.data[:500]
    if status == 200 and path == SIGNAL[0]:
        assert response.get_json() == {"signal": "budget_released", "reached": 2, "failed": 0, "incidents": []}
    if status == 200 and path == MESSAGE[0]:
        assert response.get_json() == {"number": "X-1", "message": "loan_sanctioned", "status": "running",
                                       "open_steps": ["Release the subsidy"]}


def test_a_message_nobody_waits_for_answers_409_with_what_is_awaited(app: Flask) -> None:
    _waiting_instances(app)
    client, headers = _client(app, "integration")
    response = client.post(MESSAGE[0], json={"name": "loan_rejected"}, headers=headers)
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "message_not_expected" and error["waiting"] == ["loan_sanctioned"]
    assert "loan_sanctioned" in error["message"]
    missing = client.post("/api/v1/applications/NOPE-1/messages", json={"name": "x"}, headers=headers)
    assert missing.status_code == 404


def test_bad_message_bodies_are_422(app: Flask) -> None:
    _waiting_instances(app)
    client, headers = _client(app, "integration")
    assert client.post(MESSAGE[0], json={"payload": {}}, headers=headers).status_code == 422
    assert client.post(MESSAGE[0], json={"name": "x", "payload": [1]}, headers=headers).status_code == 422
    bad_key = client.post(MESSAGE[0], json={"name": "loan_sanctioned", "payload": {"__class__": 1}}, headers=headers)
    assert bad_key.status_code == 422


@pytest.mark.parametrize("path", ["/", "/inbox", "/account", "/admin/users", "/admin/incidents", "/dashboard",
                                  "/api/v1/applications", "/api/v1/tasks", "/api/v1/definitions"])
def test_integration_accounts_reach_no_page_and_no_other_api(app: Flask, path: str) -> None:
    client, headers = _client(app, "integration")
    assert client.get(path, headers=headers).status_code == 403


def test_integration_accounts_cannot_sign_in_with_a_password(app: Flask) -> None:
    _integration_token(app)
    response = app.test_client().post("/sign-in", data={"username": "treasury.api", "password": PASSWORD})
    assert response.status_code == 401 and b"API tokens" in response.data


def test_the_operations_are_in_the_openapi_document(app: Flask) -> None:
    paths = app.test_client().get("/api/v1/openapi.json").get_json()["paths"]
    assert "post" in paths["/api/v1/applications/{number}/messages"]
    assert "post" in paths["/api/v1/signals"]


def test_a_step_that_fails_after_the_message_is_a_409_and_stores_nothing(app: Flask) -> None:
    failing = (MODELS / "message_catch.bpmn").read_text().replace(
        '<bpmn:userTask id="release" name="Release the subsidy" />',
        '<bpmn:scriptTask id="release" name="Release the subsidy"><bpmn:script>share = amount // parts</bpmn:script>'
        "</bpmn:scriptTask>",
    )
    with SchemeUnitOfWork(_runtime(app)) as uow:
        deploy(uow, {"message_catch.bpmn": failing.encode()}, actor="admin")
        uow.commit()
    with SchemeUnitOfWork(_runtime(app)) as uow:
        start_instance(uow, "message_catch", business_key="X-9", data={"amount": 10}, actor="admin")
        uow.commit()
    client, headers = _client(app, "integration")
    path = "/api/v1/applications/X-9/messages"
    response = client.post(path, json={"name": "loan_sanctioned", "payload": {"parts": 0}}, headers=headers)
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "script_error" and "Release the subsidy" in error["message"]
    assert "ZeroDivisionError" in error["message"] or "division" in error["message"]
    # Nothing was stored: the instance still waits for the message, and a good one goes through.
    again = client.post(path, json={"name": "loan_sanctioned", "payload": {"parts": 2}}, headers=headers)
    assert again.status_code == 200 and again.get_json()["status"] == "completed"


def test_the_timeline_names_called_processes_messages_and_signals(app: Flask) -> None:
    from datetime import UTC, datetime

    from flask import render_template

    from workflows.readmodels.timeline import Entry

    at = datetime(2025, 7, 7, 5, 0, tzinfo=UTC)
    entries = [
        Entry(at, "gm.agr", "process_called", None, None, None, {"key": "inspection", "version": 2}),
        Entry(at, "treasury.api", "message_received", None, None, None, {"message": "loan_sanctioned"}),
        Entry(at, "treasury.api", "signal_received", None, None, None, {"signal": "budget_released"}),
    ]
    with app.test_request_context("/"):
        html = render_template("_timeline.html", timeline=entries)
    assert "Called the process “inspection” (version 2)." in html
    assert "Message received: loan_sanctioned." in html and "Signal received: budget_released." in html
