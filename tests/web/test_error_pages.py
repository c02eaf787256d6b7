"""Refused form posts: the message on the page the person came from, and their typing kept (issue 18).

The views no longer catch domain errors themselves; `web.infra.errors.redirect_on_error` flashes the
error and keeps the form for the page it sends the person back to, once.
"""

from __future__ import annotations

from flask import Flask

from tests.web.conftest import beaten_to_it, open_task_id, sign_in, submit_mda


def test_second_officer_keeps_the_remarks_typed(app: Flask) -> None:
    second, task, version = beaten_to_it(app)
    typed = {"outcome": "return", "remarks": "The stall receipt is missing a GST number", "version": version}
    response = second.post(f"/tasks/{task}/decide", data=typed)
    assert response.status_code == 302 and response.location.endswith(f"/tasks/{task}")
    page = second.get(response.location).get_data(as_text=True)
    assert "already completed by dic.agr" in page or "changed since you opened it" in page
    assert "The stall receipt is missing a GST number" in page
    # Once: reloading the page does not bring the old typing back.
    assert "The stall receipt" not in second.get(f"/tasks/{task}").get_data(as_text=True)


def test_applicant_answer_refused_keeps_remarks_and_corrections(app: Flask) -> None:
    number = submit_mda(app)
    task = open_task_id(app, number)
    officer = sign_in(app, "dic.agr")
    response = officer.post(f"/tasks/{task}/decide", data={"outcome": "return", "remarks": "Send the stall bill."})
    assert response.status_code == 302, response.data[:500]
    applicant = sign_in(app, "applicant1.agr")
    page = applicant.get(f"/applications/{number}").get_data(as_text=True)
    answer_task = page.split('name="task_id" value="')[1].split('"')[0]
    typed = {"task_id": answer_task, "remarks": "Attached the bill from the organiser", "mobile": "12345"}
    response = applicant.post(f"/applications/{number}/answer", data=typed)
    assert response.status_code == 302 and response.location.endswith(f"/applications/{number}")
    page = applicant.get(response.location).get_data(as_text=True)
    assert "mobile" in page.lower()
    assert "Attached the bill from the organiser" in page
    assert 'value="12345"' in page


def test_refused_holiday_change_keeps_the_name(app: Flask) -> None:
    admin = sign_in(app, "admin")
    # Undoing a change that was never made is refused; the typed day and name come back.
    response = admin.post("/admin/holidays", data={"day": "2025-08-20", "name": "Local fair", "action": "undo"})
    assert response.status_code == 302
    page = admin.get(response.location).get_data(as_text=True)
    assert 'value="2025-08-20"' in page and 'value="Local fair"' in page


def test_refused_token_name_is_kept(app: Flask) -> None:
    client = sign_in(app, "dic.agr")
    name = "n" * 101
    response = client.post("/account/tokens", data={"name": name})
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Name the token" in page and f'value="{name}"' in page


def test_forbidden_and_missing_are_not_redirected(app: Flask) -> None:
    # 403 and 404 are error pages, not a flash on a page the person may not see.
    applicant = sign_in(app, "applicant1.agr")
    assert applicant.post("/applications/MDA/UP/AGR/2025-26/99999/answer", data={"remarks": "x"}).status_code == 404
    assert applicant.post("/applications/MDA/UP/AGR/2025-26/99999/documents").status_code in (302, 404)


def test_typing_too_long_for_the_session_is_left_to_the_browsers_copy(app: Flask) -> None:
    number = submit_mda(app)
    task = open_task_id(app, number)
    officer = sign_in(app, "dic.agr")
    assert officer.post(f"/tasks/{task}/decide", data={"outcome": "return", "remarks": "Send the stall bill."}).status_code == 302
    applicant = sign_in(app, "applicant1.agr")
    page = applicant.get(f"/applications/{number}").get_data(as_text=True)
    answer_task = page.split('name="task_id" value="')[1].split('"')[0]
    remarks = "स्टॉल का बिल संलग्न है। " * 80  # about 1,900 characters of Hindi: far more than a cookie holds as JSON
    response = applicant.post(f"/applications/{number}/answer", data={"task_id": answer_task, "remarks": remarks, "mobile": "12345"})
    # Post/Redirect/Get (D90): the typing does not fit the cookie, so the page says the form was
    # refused and the browser fills in its own copy of the form (data-keep, D49).
    assert response.status_code == 302
    page = applicant.get(response.location).get_data(as_text=True)
    assert 'name="odop-keep-typed"' in page and 'data-keep="applicant1.agr"' in page
    assert 'class="flash error"' in page


def test_one_vocabulary_of_error_codes() -> None:
    from engine.errors import EngineError  # noqa: PLC0415
    from web.infra.errors import HTTP_CODES, codes, status_for

    def subclasses(cls: type) -> list[type]:
        return [cls, *(c for sub in cls.__subclasses__() for c in subclasses(sub))]

    classes = [c for c in subclasses(EngineError) if c.__module__.split(".")[0] in ("engine", "workflows", "sla", "stats")]
    by_code: dict[str, type] = {}
    for cls in classes:
        assert by_code.setdefault(cls.code, cls) is cls, f"{cls.__name__} reuses the code {cls.code}"
    # Every concrete error has a status of its own; only the two base classes fall back to 400.
    fallback = {cls.code for cls in classes if status_for(cls.__new__(cls)) == 400}
    assert fallback == {"engine_error", "domain_error"}
    assert set(by_code) | set(HTTP_CODES.values()) | {"malformed_json"} == set(codes())


def test_the_document_declares_the_error_shape_for_every_operation(app: Flask) -> None:
    doc = app.test_client().get("/api/v1/openapi.json").get_json()
    assert "Error" not in doc["components"]["schemas"]  # flask-smorest's own shape, which nothing answered
    error = doc["components"]["schemas"]["ErrorDetail"]
    assert error["required"] == ["code", "message"] and "malformed_json" in error["properties"]["code"]["enum"]
    operations = [op for path in doc["paths"].values() for op in path.values() if isinstance(op, dict) and "responses" in op]
    assert len(operations) >= 22
    for op in operations:
        ref = op["responses"]["default"]["$ref"]
        assert doc["components"]["responses"][ref.rsplit("/", 1)[1]]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ErrorOut"
        }
