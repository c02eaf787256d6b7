"""The pages read the scheme bundles: the apply page renders the form and checklist with the
browser's constraints, the server refuses what the browser would, the task page shows a step's
decision form, and the scheme administration saves, validates and publishes a bundle."""

from __future__ import annotations

import io
import json

from flask import Flask

from tests import files
from tests.web.conftest import PDF, open_task_id, sign_in
from workflows.uow import SchemeUnitOfWork
from workflows.usecases import scheme_admin


def test_apply_page_renders_the_form_and_the_checklist(app: Flask) -> None:
    html = sign_in(app, "applicant1.agr").get("/apply/SDT").get_data(as_text=True)
    assert 'id="f-years_in_trade" name="years_in_trade" type="number" step="1" value="" min="0" max="60" required' in html
    assert 'pattern="(?:(\\+?91|0)?[\\s\\-]?[6-9]([\\s\\-]?[0-9]){9})"' in html
    assert 'id="f-aadhaar" name="aadhaar" value="" autocomplete="off" data-no-keep' in html
    assert 'id="doc-aadhaar" name="document_aadhaar" type="file" multiple' in html and "required" in html.split('id="doc-aadhaar"')[1][:200]
    assert 'data-required-when-field="artisan_status" data-required-when-value="skilled"' in html
    assert "Skill Development &amp; Toolkit" in html


def test_the_server_refuses_what_the_page_asks_for(app: Flask) -> None:
    client = sign_in(app, "applicant1.agr")
    form = {
        "applicant_name": "Ramesh", "aadhaar": "499118665246", "family_id": "UPF000000042",
        "mobile": "9876543210", "date_of_birth": "1985-01-01", "gender": "male",
        "trade": "pottery", "artisan_status": "skilled", "years_in_trade": "61", "address": "Kumhar Mohalla",
        "action": "submit", "document_kind": "aadhaar", "document": (io.BytesIO(PDF), "aadhaar.pdf"),
    }  # fmt: skip
    response = client.post("/apply/SDT", data=form, content_type="multipart/form-data")
    assert response.status_code == 302 and "Enter at most 60." in client.get(response.location).get_data(as_text=True)
    form.update(years_in_trade="20", document=(io.BytesIO(PDF), "aadhaar.pdf"))
    response = client.post("/apply/SDT", data=form, content_type="multipart/form-data")
    assert response.status_code == 302
    assert "RPL certificate (skilled artisans) is required." in client.get(response.location).get_data(as_text=True)
    form.update(artisan_status="unskilled", document=(io.BytesIO(PDF), "aadhaar.pdf"))
    assert client.post("/apply/SDT", data=form, content_type="multipart/form-data").status_code == 302


def test_the_task_page_shows_the_decision_form(app: Flask) -> None:
    client = sign_in(app, "applicant1.agr")
    form = {
        "applicant_name": "Imran Khan", "aadhaar": "499118665246", "unit_name": "Khan Brass",
        "udyam_number": "UDYAM-UP-01-0000042", "mobile": "9876543210", "fair_name": "IITF",
        "fair_type": "domestic", "fair_location": "New Delhi", "fair_start": "2025-06-01", "fair_end": "2025-06-05",
        "stall_charges": "60000", "freight_charges": "5000", "travel_fare": "2400", "action": "submit",
    }  # fmt: skip
    form |= files.checklist_form(files.NEEDED["MDA"])
    number = client.post("/apply/MDA", data=form, content_type="multipart/form-data").location.split("/applications/", 1)[1]
    for actor in ("dic.agr", "gm.agr"):
        task = open_task_id(app, number)
        officer = sign_in(app, actor)
        officer.post(f"/tasks/{task}/claim")
        assert officer.post(f"/tasks/{task}/decide", data={"outcome": "approve"}).status_code == 302
    task = open_task_id(app, number)
    dic = sign_in(app, "dic.agr")
    dic.post(f"/tasks/{task}/claim")
    page = dic.get(f"/tasks/{task}").get_data(as_text=True)
    assert 'data-form-for="approve"' in page and 'name="payment_reference"' in page and "Payment reference (PFMS)" in page
    response = dic.post(f"/tasks/{task}/decide", data={"outcome": "approve"})
    assert response.status_code == 302  # Post/Redirect/Get (D90): the task page again, the field marked
    assert "Required." in dic.get(response.location).get_data(as_text=True)
    assert dic.post(f"/tasks/{task}/decide", data={"outcome": "approve", "payment_reference": "PFMS-1"}).status_code == 302


def test_the_administrator_saves_validates_and_publishes(app: Flask) -> None:
    with SchemeUnitOfWork(app.extensions["odop.runtime"]) as uow:
        bundle = scheme_admin.working_bundle(uow, actor="admin", code="MDA")
    admin = sign_in(app, "admin")
    page = admin.get("/admin/schemes/MDA").get_data(as_text=True)
    assert 'name="rule-0-check" value="as_date(fair_end) &gt;= as_date(fair_start)"' in page
    form = {
        "process": "marketing_assistance", "name_en": "Marketing Development Assistance", "name_hi": "विपणन विकास सहायता",
        "description_en": "d", "description_hi": "द", "eligibility_en": "e", "eligibility_hi": "ई", "time_limit_days": "21",
        "applicant_name_field": "applicant_name", "benefit_field": "reimbursement", "sanction_step": "gm_sanction",
        "release_steps": "record_payment", "released_field": "reimbursement", "forms_json": json.dumps(bundle["forms"]),
        "doc_rows": "1", "doc-0-type": "bills", "doc-0-label_en": "Bills", "doc-0-label_hi": "बिल", "doc-0-required": "1",
        "doc-0-formats": "pdf", "doc-0-max_size_kb": "2048", "rule_rows": "1", "rule-0-field": "fair_end",
        "rule-0-check": "as_date(fair_end) >= as_date(fair_begin)", "rule-0-message_en": "Ends first.", "rule-0-message_hi": "पहले",
        "extras_json": json.dumps({k: bundle[k] for k in ("parameters", "decision_rules", "breakdown")}),
    }  # fmt: skip
    response = admin.post("/admin/schemes/MDA", data={**form, "action": "validate"})
    assert "reads &#39;fair_begin&#39;, which is not a field of the application form." in response.get_data(as_text=True)
    form["rule-0-check"] = "as_date(fair_end) >= as_date(fair_start)"
    response = admin.post("/admin/schemes/MDA", data={**form, "action": "publish", "comment": "Bills required, 21 days"})
    assert response.status_code == 302
    with SchemeUnitOfWork(app.extensions["odop.runtime"]) as uow:
        published = scheme_admin.working_bundle(uow, actor="admin", code="MDA")
    assert published["time_limit_days"] == 21 and published["checklist"][0]["required"] is True
    assert published["parameters"] == bundle["parameters"]  # the caps went through the page unchanged
    compare = admin.get("/admin/schemes/MDA/compare?old=1&new=2").get_data(as_text=True)
    assert "time_limit_days: 30 → 21" in compare


def test_the_scheme_page_keeps_the_caps_and_the_rules_values(app: Flask) -> None:
    """Saving the MDA bundle from its page changes nothing the page does not show as a field."""
    admin = sign_in(app, "admin")
    page = admin.get("/admin/schemes/MDA").get_data(as_text=True)
    assert "&#34;travel_fare_cap&#34;: 10000" in page and 'name="rule-1-values"' in page
    with SchemeUnitOfWork(app.extensions["odop.runtime"]) as uow:
        before = scheme_admin.working_bundle(uow, actor="admin", code="MDA")
    extras = {k: before[k] for k in ("parameters", "decision_rules", "breakdown")}
    form = {
        "process": "marketing_assistance", "name_en": before["name"]["en"], "name_hi": before["name"]["hi"],
        "description_en": "d", "description_hi": "द", "eligibility_en": "e", "eligibility_hi": "ई", "time_limit_days": "30",
        "applicant_name_field": "applicant_name", "benefit_field": "sanctioned_amount", "sanction_step": "gm_sanction",
        "release_steps": "record_payment", "released_field": "sanctioned_amount", "forms_json": json.dumps(before["forms"]),
        "doc_rows": "0", "rule_rows": "1", "rule-0-field": "fair_end", "rule-0-check": before["rules"][2]["check"],
        "rule-0-message_en": before["rules"][2]["message"]["en"], "rule-0-message_hi": before["rules"][2]["message"]["hi"],
        "rule-0-values": json.dumps(before["rules"][2]["values"]), "extras_json": json.dumps(extras), "action": "save",
    }  # fmt: skip
    assert admin.post("/admin/schemes/MDA", data=form).status_code == 302
    with SchemeUnitOfWork(app.extensions["odop.runtime"]) as uow:
        saved = scheme_admin.working_bundle(uow, actor="admin", code="MDA")
    assert {k: saved[k] for k in extras} == extras and saved["rules"][0] == before["rules"][2]
    broken = admin.post("/admin/schemes/MDA", data={**form, "extras_json": "{not json"})
    assert broken.status_code == 422 and "Not valid JSON." in broken.get_data(as_text=True)
