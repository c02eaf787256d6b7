"""Pages and API through the Flask test client: uploads, CSRF, sign-in throttling, tokens,
concurrent decisions, inbox lists and filters, language and Indian formats."""

from __future__ import annotations

import io
import os

import pytest
from flask import Flask

from tests.web.conftest import MDA_FORM, PDF, beaten_to_it, open_task_id, sign_in, submit_mda
from workflows.models import Application, Document
from workflows.uow import SchemeUnitOfWork


def _count(app: Flask, model) -> int:  # noqa: ANN001
    with SchemeUnitOfWork(app.extensions["odop.runtime"]) as uow:
        return uow.session.query(model).count()


def _files(app: Flask) -> list[str]:
    folder = app.extensions["odop.settings"].upload_dir
    return sorted(os.listdir(folder)) if folder.exists() else []


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("bills.pdf", b"MZ\x90\x00 not a pdf at all", b"Only PDF, JPEG and PNG"),
        ("bills.exe", b"\x7fELF....", b"Only PDF, JPEG and PNG"),
        ("photo.png", b"%PDF" + b"x" * (5 * 1024 * 1024), b"larger than 5 MB"),
        ("../../etc/passwd.pdf", PDF, b"may not contain a path"),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_stored(app: Flask, filename: str, content: bytes, message: bytes) -> None:
    client = sign_in(app, "applicant1.agr")
    form = {**MDA_FORM, "action": "submit", "document_kind": "bills", "document": (io.BytesIO(content), filename)}
    response = client.post("/apply/MDA", data=form, content_type="multipart/form-data")
    assert response.status_code == 302  # Post/Redirect/Get (D90): the form again, saying why
    assert message in client.get(response.location).data
    assert _count(app, Application) == 0 and _count(app, Document) == 0 and _files(app) == []


def test_bad_upload_to_an_existing_application_is_refused(app: Flask) -> None:
    number = submit_mda(app)
    before = (_count(app, Document), _files(app))
    client = sign_in(app, "applicant1.agr")
    response = client.post(
        f"/applications/{number}/documents",
        data={"document_kind": "bills", "document": (io.BytesIO(b"GIF89a"), "x.gif")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert b"Only PDF, JPEG and PNG" in response.data
    assert (_count(app, Document), _files(app)) == before


def test_documents_are_downloads_stored_under_random_names(app: Flask) -> None:
    number = submit_mda(app)
    stored = _files(app)
    assert len(stored) == 3 and all("bill" not in name and len(name) == 48 for name in stored)
    with SchemeUnitOfWork(app.extensions["odop.runtime"]) as uow:
        doc = uow.session.query(Document).filter_by(kind="bills").one()
        assert uow.applications.get(doc.application_id).number == number
    response = sign_in(app, "dic.agr").get(f"/documents/{doc.id}")
    assert response.data == PDF
    assert response.headers["Content-Disposition"].startswith("attachment;")


def test_forms_need_a_csrf_token(app: Flask) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    response = client.post("/sign-in", data={"username": "dic.agr", "password": "odop-demo-2025"})
    assert response.status_code == 400 and b"The sign-in form had expired" in response.data


def test_failed_sign_ins_are_throttled(app: Flask) -> None:
    client = app.test_client()
    for _ in range(4):
        response = client.post("/sign-in", data={"username": "dic.agr", "password": "wrong"})
        assert response.status_code == 401 and b"not correct" in response.data
    response = client.post("/sign-in", data={"username": "dic.agr", "password": "odop-demo-2025"})
    assert response.status_code == 429 and b"Too many failed attempts" in response.data


def test_session_cookie_is_httponly_and_samesite(app: Flask) -> None:
    response = app.test_client().post("/sign-in", data={"username": "dic.agr", "password": "odop-demo-2025"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_api_token_created_used_and_revoked(app: Flask) -> None:
    number = submit_mda(app)
    client = sign_in(app, "dic.agr")
    created = client.post("/account/tokens", data={"name": "MIS sync"})
    page = created.get_data(as_text=True)
    secret = page.split("data-token>")[1].split("<")[0]
    assert secret.startswith("odop_")
    assert created.headers["Cache-Control"] == "no-store"
    assert secret not in client.get("/account").get_data(as_text=True), "shown once"
    api = app.test_client()
    headers = {"Authorization": f"Bearer {secret}"}
    tasks = api.get("/api/v1/tasks", headers=headers).get_json()["tasks"]
    assert [t["number"] for t in tasks] == [number]
    claimed = api.post("/api/v1/tasks/claim", headers=headers, json={"task_ids": [tasks[0]["task_id"]]})
    assert claimed.status_code == 200 and claimed.get_json()[0]["assignee"] == "dic.agr"
    done = api.post(
        f"/api/v1/tasks/{tasks[0]['task_id']}/complete", headers=headers, json={"outcome": "reject"}
    )
    assert done.status_code == 422
    assert done.get_json()["error"]["fields"]["remarks"] == ["Remarks are required to reject an application."]
    token_id = page.split("/account/tokens/")[1].split("/")[0]
    client.post(f"/account/tokens/{token_id}/revoke")
    assert api.get("/api/v1/tasks", headers=headers).status_code == 401


def test_api_errors_have_one_shape(app: Flask) -> None:
    client = sign_in(app, "dic.agr")
    bad = client.get("/api/v1/tasks?view=everything").get_json()
    assert bad["error"]["code"] == "validation_failed" and "view" in bad["error"]["fields"]
    missing = client.get("/api/v1/applications/MM/UP/AGR/2025-26/999999").get_json()
    assert missing["error"]["code"] and "999999" in missing["error"]["message"]
    assert client.get("/api/v1/openapi.json").get_json()["paths"]["/api/v1/tasks/{task_id}/complete"]


def test_second_of_two_officers_gets_a_clear_message(app: Flask) -> None:
    second, task, version = beaten_to_it(app)
    response = second.post(f"/tasks/{task}/decide", data={"outcome": "approve", "version": version}, follow_redirects=True)
    assert response.status_code == 200
    assert b"already completed by dic.agr" in response.data or b"changed since you opened it" in response.data
    assert b"Traceback" not in response.data


def test_inbox_lists_counts_filters_and_saved_filters(app: Flask) -> None:
    numbers = [submit_mda(app) for _ in range(3)]
    client = sign_in(app, "dic.agr")
    page = client.get("/inbox").get_data(as_text=True)
    assert all(n in page for n in numbers)
    first = open_task_id(app, numbers[0])
    client.post("/inbox/claim", data={"task_id": [first]})
    counts = client.get("/api/v1/tasks/counts").get_json()
    assert counts == {"available": 2, "mine": 1, "completed": 0, "team": 0}
    assert numbers[1] in client.get(f"/inbox?q={numbers[1][-6:]}").get_data(as_text=True)
    assert numbers[2] not in client.get(f"/inbox?q={numbers[1][-6:]}").get_data(as_text=True)
    assert client.get("/inbox?scheme=MM").get_data(as_text=True).count("/tasks/") == 0
    client.post("/inbox/filters", data={"name": "Marketing claims", "scheme": "MDA", "view": "available", "shared": "1"})
    other = sign_in(app, "dic2.agr").get("/inbox").get_data(as_text=True)
    assert "Marketing claims" in other, "a shared filter reaches the same role"
    assert "Marketing claims" not in sign_in(app, "gm.agr").get("/inbox").get_data(as_text=True)


def test_hindi_pages_and_indian_formats(app: Flask) -> None:
    number = submit_mda(app)
    client = sign_in(app, "applicant1.agr")
    client.post("/account/language", data={"language": "hi"})
    page = client.get(f"/applications/{number}").get_data(as_text=True)
    assert 'lang="hi"' in page and "आवेदन" in page
    assert "07-07-2025" in page  # dates day-month-year, India time
    sign_in(app, "dic.agr")
    assert "12,34,567" in app.jinja_env.filters["rupees"](1234567)


def test_draft_saved_and_resumed(app: Flask) -> None:
    client = sign_in(app, "applicant1.agr")
    response = client.post("/apply/MDA", data={"fair_name": "Surajkund Mela", "action": "draft"})
    assert response.status_code == 302
    resumed = client.get(response.location).get_data(as_text=True)
    assert 'value="Surajkund Mela"' in resumed
    assert "Surajkund" not in sign_in(app, "applicant2.agr").get("/applications").get_data(as_text=True)


def test_supervisor_reassigns_several_tasks_with_a_reason(app: Flask) -> None:
    numbers = [submit_mda(app) for _ in range(2)]
    gm = sign_in(app, "gm.agr")
    team = gm.get("/inbox?view=team").get_data(as_text=True)
    assert all(n in team for n in numbers)
    ids = [open_task_id(app, n) for n in numbers]
    refused = gm.post("/tasks/reassign", data={"task_id": ids, "to": "dic2.agr", "reason": ""}, follow_redirects=True)
    assert b"Give a reason" in refused.data
    gm.post("/tasks/reassign", data={"task_id": ids, "to": "dic2.agr", "reason": "dic.agr on leave"})
    mine = sign_in(app, "dic2.agr").get("/api/v1/tasks?view=mine").get_json()["tasks"]
    assert sorted(t["number"] for t in mine) == sorted(numbers)
    with SchemeUnitOfWork(app.extensions["odop.runtime"]) as uow:
        events = [e for e in uow.audit.for_instance(uow.applications.by_number(numbers[0]).instance_id)]
    assert any(e.kind == "task_reassigned" and e.payload["reason"] == "dic.agr on leave" for e in events)


def test_in_app_notifications_with_unread_count(app: Flask) -> None:
    number = submit_mda(app)
    client = sign_in(app, "applicant1.agr")
    page = client.get("/notifications").get_data(as_text=True)
    assert f"Application {number} received" in page and 'class="count"' in page
    client.post("/notifications/read")
    assert 'aria-label="1 unread"' not in client.get("/notifications").get_data(as_text=True)
    assert "received" not in sign_in(app, "applicant2.agr").get("/notifications").get_data(as_text=True)


def test_admin_edits_holidays_and_sees_incidents(app: Flask) -> None:
    admin = sign_in(app, "admin")
    page = admin.get("/admin/holidays?year=2025").get_data(as_text=True)
    assert "Independence Day" in page or "15-08-2025" in page
    response = admin.post("/admin/holidays", data={"day": "2025-07-09", "name": "Local fair", "action": "add"}, follow_redirects=True)
    assert "Local fair" in response.get_data(as_text=True)
    bad = admin.post("/admin/holidays", data={"day": "09-07-2025", "action": "add"}, follow_redirects=True)
    assert "YYYY-MM-DD" in bad.get_data(as_text=True)
    assert admin.post("/admin/holidays/recompute", follow_redirects=True).status_code == 200
    assert admin.get("/admin/incidents").status_code == 200
    assert sign_in(app, "gm.agr").get("/admin/holidays").status_code == 403


def test_inbox_shows_working_day_deadlines_and_their_status(app: Flask, clock) -> None:  # noqa: ANN001
    submit_mda(app)  # Monday 7 July 2025; DIC verification: 5 working days, due Monday 14 July
    client = sign_in(app, "dic.agr")
    assert "14-07-2025" in client.get("/inbox").get_data(as_text=True)
    assert '<span class="sla on_time">On time</span>' in client.get("/inbox").get_data(as_text=True)
    clock.advance(days=6)  # Sunday 13th: less than two days left
    page = client.get("/inbox").get_data(as_text=True)
    assert '<span class="sla due_soon">Due soon</span>' in page, page[page.find("<tbody>"):page.find("</tbody>")]
    clock.advance(days=2)
    page = client.get("/inbox?sla=overdue").get_data(as_text=True)
    assert '<span class="sla overdue">Overdue</span>' in page
