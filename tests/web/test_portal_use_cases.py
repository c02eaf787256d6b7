"""The portal's views call one use case each: a submission removes its draft in its own
transaction, the application's overall due date comes from the read model, and an answer reads,
compares and sends the corrections in one unit of work."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from sqlalchemy import select

from tests import files
from tests.files import checklist_documents
from tests.web.conftest import MDA_FORM, PDF, open_task_id, sign_in, submit_mda
from web.infra.bootstrap import calendar_provider
from workflows.errors import NotAllowed
from workflows.models import Application, Draft
from workflows.readmodels.tracking import application_details
from workflows.uow import SchemeUnitOfWork
from workflows.usecases.submission import submit_application


def _drafts(app: Flask) -> list[int]:
    with SchemeUnitOfWork(app.extensions["odop.runtime"]) as uow:
        return list(uow.session.scalars(select(Draft.id)))


def _applications(app: Flask) -> int:
    with SchemeUnitOfWork(app.extensions["odop.runtime"]) as uow:
        return len(uow.session.scalars(select(Application.id)).all())


def _save_draft(app: Flask, username: str = "applicant1.agr") -> int:
    saved = sign_in(app, username).post("/apply/MDA", data={**MDA_FORM, "action": "draft"})
    assert saved.status_code == 302
    return int(saved.location.rsplit("draft=", 1)[1])


def test_a_submission_removes_its_draft_and_a_refused_one_keeps_it(app: Flask) -> None:
    draft_id = _save_draft(app)
    client = sign_in(app, "applicant1.agr")
    form = {**MDA_FORM, "action": "submit", "draft": str(draft_id), "document_kind": "bills",
            "document": (io.BytesIO(PDF), "bills.pdf")}
    refused = client.post("/apply/MDA", data={**form, "stall_charges": "many"}, content_type="multipart/form-data")
    assert refused.status_code == 302 and "/apply/MDA?draft=" in refused.location  # the form again (D90)
    assert _drafts(app) == [draft_id] and _applications(app) == 0

    form |= {"document": (io.BytesIO(PDF), "bills.pdf"), **files.checklist_form(files.NEEDED["MDA"])}
    submitted = client.post("/apply/MDA", data=form, content_type="multipart/form-data")
    assert submitted.status_code == 302
    assert _drafts(app) == [] and _applications(app) == 1


def test_a_submission_from_someone_elses_draft_stores_nothing(app: Flask) -> None:
    draft_id = _save_draft(app, "applicant2.agr")
    data = {"applicant_name": "Sunita Devi", "aadhaar": "499118665246", "unit_name": "Devi Leather Works",
            "udyam_number": "UDYAM-UP-01-0000042", "mobile": "9876543210",
            "fair_name": "India International Trade Fair", "fair_type": "domestic", "fair_location": "New Delhi",
            "fair_start": "2025-06-01", "fair_end": "2025-06-05", "stall_charges": 80000, "freight_charges": 12000,
            "travel_fare": 2400, "benefit_in_last_two_years": False}
    with SchemeUnitOfWork(app.extensions["odop.runtime"]) as uow, pytest.raises(NotAllowed):
        submit_application(uow, scheme_code="MDA", district_code="AGR", data=data, actor="applicant1.agr",
                           draft_id=draft_id)
    assert _drafts(app) == [draft_id] and _applications(app) == 0
    with SchemeUnitOfWork(app.extensions["odop.runtime"]) as uow:  # a draft already gone is no reason to refuse
        submit_application(uow, scheme_code="MDA", district_code="AGR", data=data, actor="applicant1.agr",
                           draft_id=draft_id + 1000, **checklist_documents(uow, "MDA", data))
    assert _applications(app) == 1


def test_overall_due_date_comes_from_the_read_model(app: Flask) -> None:
    number = submit_mda(app)  # Monday 07-07-2025, 10:30 in India; MDA's limit is 30 working days
    with SchemeUnitOfWork(app.extensions["odop.runtime"]) as uow:
        plain = application_details(uow, actor="applicant1.agr", number=number)
        details = application_details(uow, actor="applicant1.agr", number=number, calendar_for=calendar_provider("UP"))
    assert plain.overall_due is None
    assert details.overall_due is not None
    due = details.overall_due.strftime("%d-%m-%Y")
    # July: 8-11, 14-19 (the third Saturday works), 21-25, 28-31; August: 1-2, 4-8, 11-14.
    assert due == "14-08-2025"
    assert f"30 working days, by {due}" in sign_in(app, "applicant1.agr").get(f"/applications/{number}").get_data(as_text=True)


def _returned(app: Flask) -> tuple[str, str]:
    number = submit_mda(app)
    dic = sign_in(app, "dic.agr")
    task = open_task_id(app, number)
    assert dic.post(f"/tasks/{task}/claim").status_code == 302
    assert dic.post(f"/tasks/{task}/decide", data={"outcome": "return", "remarks": "Attach the stall receipt."}).status_code == 302
    return number, open_task_id(app, number)


def test_an_answer_sends_only_the_corrected_fields(app: Flask) -> None:
    number, task = _returned(app)
    form = {**MDA_FORM, "task_id": task, "remarks": "Corrected the stall charges.", "stall_charges": "75,000"}
    answered = sign_in(app, "applicant1.agr").post(f"/applications/{number}/answer", data=form)
    assert answered.status_code == 302
    with SchemeUnitOfWork(app.extensions["odop.runtime"]) as uow:
        application = uow.applications.by_number(number)
        changed = [e.payload["data"] for e in uow.audit.for_instance(application.instance_id) if e.kind == "data_changed"]
        assert application.data["stall_charges"] == 75000
        assert uow.tasks.get(task).state == "completed"
    assert {"stall_charges": 75000}.items() <= changed[-1].items()
    assert "fair_name" not in changed[-1] and "mobile" not in changed[-1]


def test_an_answer_from_someone_who_cannot_see_the_application_is_refused(app: Flask) -> None:
    number, task = _returned(app)
    refused = sign_in(app, "applicant2.agr").post(f"/applications/{number}/answer", data={"task_id": task, "remarks": "x"})
    assert refused.status_code == 403
    with SchemeUnitOfWork(app.extensions["odop.runtime"]) as uow:
        assert uow.tasks.get(task).state == "ready"
