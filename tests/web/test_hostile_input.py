"""Each input a fuzzer once turned into a 500 now gets a 4xx naming what is wrong (issue 13).

Every test runs on SQLite and PostgreSQL (PostgreSQL refuses NUL in text; SQLite refuses
integers beyond 64 bits), through the API and the pages, signed in or not.
"""

from __future__ import annotations

import pytest
from flask import Flask

from tests.web.conftest import MDA_FORM, open_task_id, sign_in, submit_mda

HUGE = str(2**64)
API = "/api/v1"


def _error(response, status: int, code: str | None = None) -> dict:  # noqa: ANN001
    assert response.status_code == status, response.data[:500]
    error = response.get_json()["error"]
    assert set(error) <= {"code", "message", "fields", "problems"}
    assert isinstance(error["message"], str) and error["message"]
    if code:
        assert error["code"] == code
    return error


@pytest.mark.parametrize(
    "body",
    [b"{", b"\x00", b"\xff\xfe{}", b"[" * 50_000 + b"]" * 50_000, b'{"task_ids": ' + b"[" * 50_000, b"{'a': 1}",
     b'{"task_ids": ["a"], "x": NaN}', b'{"task_ids": [' + b"[" * 65 + b"]" * 65 + b"]}"],
    ids=["brace", "nul", "not-utf8", "deep", "deep-unclosed", "single-quotes", "nan", "65-levels"],
)
def test_malformed_json_is_400(app_on_both: Flask, body: bytes) -> None:
    client = sign_in(app_on_both, "dic.agr")
    response = client.post(f"{API}/tasks/claim", data=body, content_type="application/json")
    error = _error(response, 400, "malformed_json")
    assert "JSON" in error["message"]


@pytest.mark.parametrize("body", [[1, 2], "text", 3, None], ids=["list", "string", "number", "null"])
def test_json_that_is_not_an_object_is_422(app_on_both: Flask, body: object) -> None:
    client = sign_in(app_on_both, "dic.agr")
    response = client.post(f"{API}/tasks/claim", json=body)
    _error(response, 422, "validation_failed")


def test_an_empty_json_body_is_a_missing_one(app_on_both: Flask) -> None:
    client = sign_in(app_on_both, "dic.agr")
    response = client.post(f"{API}/tasks/claim", data=b"", content_type="application/json")
    assert "task_ids" in _error(response, 422, "validation_failed")["fields"]


def test_page_numbers_beyond_64_bits_are_422_naming_the_field(app_on_both: Flask) -> None:
    officer = sign_in(app_on_both, "dic.agr")
    for url in (f"{API}/applications?page={HUGE}", f"{API}/tasks?page={HUGE}", f"{API}/tasks?per_page={HUGE}"):
        error = _error(officer.get(url), 422, "validation_failed")
        assert set(error["fields"]) & {"page", "per_page"}, error
    for url in (f"/inbox?page={HUGE}", f"/applications?page={HUGE}", f"/dashboard/applications?page={HUGE}"):
        response = officer.get(url)
        assert response.status_code == 422, (url, response.status_code)
        assert b"page" in response.data


def test_path_ids_beyond_64_bits_are_422_naming_the_field(app_on_both: Flask) -> None:
    officer = sign_in(app_on_both, "dic.agr")
    error = _error(officer.get(f"{API}/definitions/marketing_assistance/{HUGE}"), 422, "validation_failed")
    assert "version" in error["fields"]
    for url in (f"/tasks/diagram/{HUGE}.bpmn", f"/documents/{HUGE}"):
        response = officer.get(url)
        assert response.status_code == 422, (url, response.status_code)
    admin = sign_in(app_on_both, "admin")
    assert admin.post(f"/admin/events/{HUGE}/delete").status_code == 422
    assert admin.post(f"/account/tokens/{HUGE}/revoke").status_code == 422


def test_integers_beyond_64_bits_in_bodies_are_422_naming_the_field(app_on_both: Flask) -> None:
    number = submit_mda(app_on_both)
    task_id = open_task_id(app_on_both, number)
    officer = sign_in(app_on_both, "dic.agr")
    body = {"outcome": "approve", "remarks": "fine", "expected_version": 2**64}
    error = _error(officer.post(f"{API}/tasks/{task_id}/complete", json=body), 422, "validation_failed")
    assert "expected_version" in error["fields"]
    admin = sign_in(app_on_both, "admin")
    for path, body, field in [
        ("/definitions/marketing_assistance/rollback", {"version": 2**64}, "version"),
        ("/definitions/marketing_assistance/migrations", {"to_version": 1, "instance_ids": [2**64]}, "instance_ids"),
        ("/definitions/marketing_assistance/migrations/dry-run", {"to_version": 2**64}, "to_version"),
        ("/definitions/marketing_assistance/diff?old=1&new=" + HUGE, None, "new"),
    ]:
        response = admin.post(API + path, json=body) if body is not None else admin.get(API + path)
        error = _error(response, 422, "validation_failed")
        assert field in error["fields"], (path, error)
    # A decision field in the page form: the bank's loan amount.
    form = {"outcome": "approve", "remarks": "ok", "version": HUGE}
    assert officer.post(f"/tasks/{task_id}/decide", data=form).status_code in (302, 422)


@pytest.mark.parametrize(
    ("query", "field"),
    [("fy=9999-00", "fy"), ("start=0001-01-01", "start"), ("end=9999-12-31", "end"), ("fy=0000-01", "fy"),
     ("start=9999-12-31&end=9999-12-31", "start")],
)
def test_dashboard_dates_out_of_range_are_422_naming_the_field(app_on_both: Flask, query: str, field: str) -> None:
    anonymous = app_on_both.test_client()
    for path in ("/public", "/public/applications", "/public/export/summary_by_scheme.csv"):
        response = anonymous.get(f"{path}?{query}")
        assert response.status_code == 422, (path, query, response.status_code)
        assert field.encode() in response.data
    officer = sign_in(app_on_both, "dic.agr")
    assert officer.get(f"/dashboard?{query}").status_code == 422


@pytest.mark.parametrize("year", ["0", "10000", HUGE, "-1", "abc"])
def test_holiday_year_out_of_range_is_422(app_on_both: Flask, year: str) -> None:
    admin = sign_in(app_on_both, "admin")
    response = admin.get(f"/admin/holidays?year={year}")
    assert response.status_code == 422, response.status_code
    assert b"year" in response.data
    assert admin.get("/admin/holidays?year=2025").status_code == 200


def test_nul_in_sign_in_name_is_422_and_signs_nobody_in(app_on_both: Flask) -> None:
    client = app_on_both.test_client()
    response = client.post("/sign-in", data={"username": "dic.agr\x00", "password": "x"})
    assert response.status_code == 422
    assert b"username" in response.data
    assert client.get("/inbox").status_code == 302


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x85"])
def test_control_characters_in_text_are_422_before_the_database(app_on_both: Flask, char: str) -> None:
    number = submit_mda(app_on_both)
    task_id = open_task_id(app_on_both, number)
    officer = sign_in(app_on_both, "dic.agr")
    # Search (query string), through the page and the API.
    assert officer.get("/inbox", query_string={"q": f"a{char}b"}).status_code == 422
    error = _error(officer.get(f"{API}/tasks", query_string={"q": f"a{char}b"}), 422, "validation_failed")
    assert "q" in error["fields"]
    # Ids in the path and in bodies.
    assert officer.get(f"/tasks/{task_id}{char}").status_code in (404, 422)
    error = _error(officer.post(f"{API}/tasks/claim", json={"task_ids": [f"{task_id}{char}"]}), 422, "validation_failed")
    assert "task_ids" in error["fields"]
    error = _error(officer.get(f"{API}/applications/{number}{char}"), 422, "validation_failed")
    # Remarks (JSON and form); nothing is decided.
    body = {"outcome": "return", "remarks": f"see{char}here"}
    error = _error(officer.post(f"{API}/tasks/{task_id}/complete", json=body), 422, "validation_failed")
    assert "remarks" in error["fields"]
    response = officer.post(f"/tasks/{task_id}/decide", data={"outcome": "return", "remarks": f"see{char}here"})
    assert response.status_code == 422
    assert b"remarks" in response.data
    assert open_task_id(app_on_both, number) == task_id
    # A whole application form.
    applicant = sign_in(app_on_both, "applicant2.agr")
    response = applicant.post("/apply/MDA", data={**MDA_FORM, "unit_name": f"Unit{char}", "action": "draft"})
    assert response.status_code == 422
    assert b"unit_name" in response.data


def test_lone_surrogates_in_json_are_422(app_on_both: Flask) -> None:
    # Only JSON can carry one ("\\ud800"); PostgreSQL could not store it as UTF-8.
    number = submit_mda(app_on_both)
    task_id = open_task_id(app_on_both, number)
    officer = sign_in(app_on_both, "dic.agr")
    body = b'{"outcome": "return", "remarks": "see \\ud800 here"}'
    response = officer.post(f"{API}/tasks/{task_id}/complete", data=body, content_type="application/json")
    assert "remarks" in _error(response, 422, "validation_failed")["fields"]


def test_line_breaks_and_tabs_in_remarks_are_kept(app_on_both: Flask) -> None:
    number = submit_mda(app_on_both)
    task_id = open_task_id(app_on_both, number)
    officer = sign_in(app_on_both, "dic.agr")
    body = {"outcome": "return", "remarks": "Line one\r\nLine\ttwo"}
    assert officer.post(f"{API}/tasks/{task_id}/complete", json=body).status_code == 200


def test_unknown_application_is_404_through_the_api_and_the_pages(app_on_both: Flask) -> None:
    officer = sign_in(app_on_both, "dic.agr")
    error = _error(officer.get(f"{API}/applications/MDA/UP/AGR/2025-26/99999"), 404, "application_not_found")
    assert "MDA/UP/AGR/2025-26/99999" in error["message"]
    response = officer.get("/applications/MDA/UP/AGR/2025-26/99999")
    assert response.status_code == 404
    assert b"There is no application" in response.data
    applicant = sign_in(app_on_both, "applicant1.agr")
    assert applicant.post("/applications/NOPE/answer", data={"remarks": "x"}).status_code == 404
