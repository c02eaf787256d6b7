"""No full Aadhaar number is kept or shown: an application filed with one leaves it in no stored row
(applications, drafts, instances, tasks, audit events, outbox, every other table), no page, API
answer, export or log; everyone sees `XXXX XXXX 2346` (D70)."""

from __future__ import annotations

import logging

import pytest
from flask import Flask
from sqlalchemy import select

from engine.models import Base
from tests import files
from tests.web.conftest import open_task_id, sign_in
from workflows.models import Draft
from workflows.uow import SchemeUnitOfWork
from workflows.usecases.decisions import claim, decide

NUMBER = "234123412346"
TYPED = "2341 2341 2346"
MASKED = "XXXX XXXX 2346"
MM_FORM = {
    "applicant_name": "Sunita Devi", "aadhaar": TYPED, "family_id": "upf 000000777", "mobile": "+91 98765 43210",
    "date_of_birth": "1990-05-01", "category": "OBC", "gender": "female", "product": "Leather products",
    "unit_address": "12 Shoe Market, Agra", "project_cost": "3000000", "bank_ifsc": "SBIN0001735",
}


def _leaks(text: str) -> bool:
    return NUMBER in text or TYPED in text or "2341-2341-2346" in text


def test_an_aadhaar_number_is_kept_as_hash_and_mask_only(app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    runtime = app.extensions["odop.runtime"]
    applicant = sign_in(app, "applicant1.agr")
    draft = applicant.post("/apply/MM", data={**MM_FORM, "action": "draft"})
    assert draft.status_code == 302
    with SchemeUnitOfWork(runtime) as uow:
        (kept,) = uow.session.scalars(select(Draft)).all()
        assert "aadhaar" not in kept.data and kept.data["applicant_name"] == "Sunita Devi"
    filed = applicant.post("/apply/MM", data={**MM_FORM, "action": "submit", **files.checklist_form(files.NEEDED["MM"])}, content_type="multipart/form-data")
    assert filed.status_code == 302, filed.get_data(as_text=True)[:3000]
    number = filed.location.split("/applications/", 1)[1]
    with SchemeUnitOfWork(runtime) as uow:
        application = uow.applications.by_number(number)
        assert application.data["aadhaar"] == MASKED and application.aadhaar_hash and len(application.aadhaar_hash) == 64
        assert application.data["mobile"] == "9876543210" and application.family_id == "UPF000000777"
    task_id = open_task_id(app, number)
    with SchemeUnitOfWork(runtime) as uow:
        claim(uow, [task_id], actor="dic.agr")
    with SchemeUnitOfWork(runtime) as uow:
        decide(uow, task_id, actor="dic.agr", outcome="return", remarks="Please attach the passbook.")

    dic = sign_in(app, "dic.agr")
    created = applicant.post("/account/tokens", data={"name": "mine"}).get_data(as_text=True)
    token = created.split("data-token>")[1].split("<")[0]
    pages = {
        "application page": applicant.get(f"/applications/{number}"),
        "task page": dic.get(f"/tasks/{task_id}"),
        "inbox": dic.get("/inbox"),
        "notifications": applicant.get("/notifications"),
        "API": app.test_client().get(f"/api/v1/applications/{number}", headers={"Authorization": f"Bearer {token}"}),
        "office export": dic.get("/dashboard/export/applications.csv"),
        "public export": app.test_client().get("/public/export/applications.csv"),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        assert not _leaks(response.get_data(as_text=True)), name
    assert MASKED in pages["application page"].get_data(as_text=True)
    assert MASKED in pages["task page"].get_data(as_text=True)
    assert pages["API"].get_json()["data"]["aadhaar"] == MASKED

    with SchemeUnitOfWork(runtime) as uow:
        for table in Base.metadata.sorted_tables:
            for row in uow.session.execute(select(table)).all():
                assert not _leaks(repr(tuple(row))), f"a full Aadhaar number in {table.name}"
    assert not _leaks(caplog.text)


def test_a_wrong_aadhaar_number_is_refused_naming_the_field_in_both_languages(app: Flask) -> None:
    applicant = sign_in(app, "applicant1.agr")
    refused = applicant.post("/apply/MM", data={**MM_FORM, "aadhaar": "2341 2341 2345", "action": "submit"}, follow_redirects=True)
    assert refused.history  # back to the form (Post/Redirect/Get, D90)
    assert "Aadhaar number: this is not a valid Aadhaar number" in refused.get_data(as_text=True)
    hindi = applicant.post("/apply/MM?lang=hi", data={**MM_FORM, "mobile": "12345", "action": "submit"}, follow_redirects=True)
    assert hindi.history and "मोबाइल नंबर:" in hindi.get_data(as_text=True)
