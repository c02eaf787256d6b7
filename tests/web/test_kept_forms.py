"""Forms refused for reasons the server cannot re-render (an ended session, a request over the size
limit) lead back to the form; the browser side is tested in tests/e2e/test_kept_typing.py."""

from __future__ import annotations

import io
from urllib.parse import parse_qs, urlsplit

from flask import Flask

from tests.web.conftest import MDA_FORM, PDF, sign_in

FORM_PAGE = "http://localhost/apply/MDA?draft=7"


def test_a_form_sent_without_a_session_leads_to_sign_in_and_back(app: Flask) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    response = client.post("/apply/MDA", data={**MDA_FORM, "action": "submit"}, headers={"Referer": FORM_PAGE})
    assert response.status_code == 302
    assert parse_qs(urlsplit(response.location).query)["next"] == ["/apply/MDA?draft=7"]
    page = client.get(response.location).get_data(as_text=True)
    assert "Your session had ended, so the form was not sent" in page
    assert 'name="odop-keep-typed"' in page


def test_a_form_with_a_stale_token_gets_a_page_back_to_the_form(app: Flask) -> None:
    client = sign_in(app, "applicant1.agr")
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post(
        "/apply/MDA", data={**MDA_FORM, "action": "submit", "csrf_token": "stale"}, headers={"Referer": FORM_PAGE}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "The form had expired and was not sent" in page
    assert 'href="/apply/MDA?draft=7"' in page and 'name="odop-keep-typed"' in page


def test_a_request_over_the_limit_gets_a_page_back_to_the_form(app: Flask) -> None:
    client = sign_in(app, "applicant1.agr")
    big = PDF + b"%" * (13 * 1024 * 1024)
    form = {**MDA_FORM, "action": "submit", "document_kind": "bills", "document": (io.BytesIO(big), "scan.pdf")}
    response = client.post("/apply/MDA", data=form, content_type="multipart/form-data", headers={"Referer": FORM_PAGE})
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "larger than 12 MB, so it was not received" in page and 'href="/apply/MDA?draft=7"' in page
    api = client.post("/api/v1/applications", data=big, content_type="application/json")
    assert api.status_code == 413 and api.get_json()["error"]["code"] == "request_entity_too_large"


def test_the_apply_form_is_kept_and_checks_file_sizes(app: Flask) -> None:
    page = sign_in(app, "applicant1.agr").get("/apply/MDA").get_data(as_text=True)
    assert 'data-keep="applicant1.agr"' in page
    assert f'data-max-bytes="{5 * 1024 * 1024}"' in page
