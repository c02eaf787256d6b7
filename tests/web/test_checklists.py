"""Document checklists through the pages and the API: required documents refused by name (English
and Hindi) with the typing kept, several files per item, the officer's checklist, a document marked
unacceptable on a return and replaced by the applicant, both kept in the history."""

from __future__ import annotations

import base64
import io
import re

from flask import Flask
from sqlalchemy import func, select

from engine.models import AuditEvent
from tests import files
from tests.integration.scheme_helpers import MDA_DATA
from tests.web.conftest import MDA_FORM, open_task_id, sign_in, submit_mda
from workflows.models import Application, Document, DocumentReview
from workflows.uow import SchemeUnitOfWork


def _count(app: Flask, model) -> int:  # noqa: ANN001
    with SchemeUnitOfWork(app.extensions["odop.runtime"]) as uow:
        return uow.session.scalar(select(func.count()).select_from(model)) or 0


def test_submission_without_required_documents_names_them_and_keeps_the_typing(app: Flask) -> None:
    client = sign_in(app, "applicant1.agr")
    form = {**MDA_FORM, "unit_name": "Typed Unit 4711", "action": "submit", **files.checklist_form(["bills"])}
    response = client.post("/apply/MDA", data=form, content_type="multipart/form-data", follow_redirects=True)
    page = response.get_data(as_text=True)  # refused: back to the form (Post/Redirect/Get, D90)
    assert response.history and response.history[0].status_code == 302
    assert "Required documents are missing: Travel tickets or fare bills, Proof of participation." in page
    assert "Typed Unit 4711" in page
    assert _count(app, Application) == 0 and _count(app, Document) == 0
    form = {**MDA_FORM, "action": "submit", **files.checklist_form(["bills"])}
    assert client.post("/account/language", data={"language": "hi"}).status_code == 302
    hindi = client.post("/apply/MDA", data=form, content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)
    assert "आवश्यक दस्तावेज़ नहीं लगाए गए: यात्रा टिकट या किराये के बिल, भागीदारी का प्रमाण।" in hindi


def test_files_of_a_refused_submission_are_kept_for_the_next_sending(app: Flask) -> None:
    client = sign_in(app, "applicant1.agr")
    form = {**MDA_FORM, "action": "submit", **files.checklist_form(["bills"])}
    form["document_other"] = (io.BytesIO(files.EXE), "tool.exe")  # refused files are not kept
    page = client.post("/apply/MDA", data=form, content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)
    assert "Kept from your last sending: bills.pdf" in page and "tool.exe" not in page.split("Kept from")[-1][:200]
    tokens = re.findall(r'name="kept_upload" value="([^"]+)"', page)
    assert len(tokens) == 1
    kept_folder = app.extensions["odop.settings"].upload_dir / "kept"
    (kept_file,) = kept_folder.iterdir()
    # Another user cannot use the token; the owner sends it with the missing documents.
    other = sign_in(app, "applicant2.agr")
    again = {**MDA_FORM, "action": "submit", "kept_upload": tokens[0], **files.checklist_form(["travel_bill", "proof_of_participation"])}
    refused = other.post("/apply/MDA", data=again, content_type="multipart/form-data")
    assert refused.status_code == 302 and _count(app, Application) == 0  # refused: back to the form (D90)
    again = {**MDA_FORM, "action": "submit", "kept_upload": tokens[0], **files.checklist_form(["travel_bill", "proof_of_participation"])}
    assert client.post("/apply/MDA", data=again, content_type="multipart/form-data").status_code == 302
    with SchemeUnitOfWork(app.extensions["odop.runtime"]) as uow:
        kinds = sorted(d.kind for d in uow.session.scalars(select(Document)))
    assert kinds == ["bills", "proof_of_participation", "travel_bill"]
    assert not kept_file.exists()  # removed once stored with the application


def test_several_files_per_item_are_kept_under_their_item(app: Flask) -> None:
    client = sign_in(app, "applicant1.agr")
    form = {**MDA_FORM, "action": "submit", **files.checklist_form(files.NEEDED["MDA"])}
    form["document_bills"] = [(io.BytesIO(files.PDF), "stall.pdf"), (io.BytesIO(files.PNG), "freight.png")]
    response = client.post("/apply/MDA", data=form, content_type="multipart/form-data")
    assert response.status_code == 302
    with SchemeUnitOfWork(app.extensions["odop.runtime"]) as uow:
        kinds = sorted((d.kind, d.original_name) for d in uow.session.scalars(select(Document)))
    assert ("bills", "freight.png") in kinds and ("bills", "stall.pdf") in kinds and len(kinds) == 4


def test_the_api_needs_the_documents_too(app: Flask) -> None:
    client = sign_in(app, "applicant1.agr")
    body = {"scheme": "MDA", "data": MDA_DATA}
    refused = client.post("/api/v1/applications", json=body)
    assert refused.status_code == 422
    error = refused.get_json()["error"]
    assert error["code"] == "documents_missing"
    assert "Bills of the stall (and freight), Travel tickets or fare bills, Proof of participation" in error["message"]
    assert set(error["fields"]) == {"bills", "travel_bill", "proof_of_participation"}
    bad = client.post("/api/v1/applications", json={**body, "documents": [{"type": "bills", "filename": "b.pdf", "content_base64": "%%"}]})
    assert bad.status_code == 422
    encoded = base64.b64encode(files.PDF).decode()
    body["documents"] = [{"type": k, "filename": f"{k}.pdf", "content_base64": encoded} for k in files.NEEDED["MDA"]]
    created = client.post("/api/v1/applications", json=body)
    assert created.status_code == 201, created.get_json()
    number = created.get_json()["number"]
    items = client.get(f"/api/v1/applications/{number}/documents").get_json()
    assert [(i["type"], i["status"]) for i in items] == [
        ("bills", "present"), ("travel_bill", "present"), ("proof_of_participation", "present")
    ]


def test_an_officer_marks_a_document_unacceptable_and_the_applicant_replaces_it(app: Flask) -> None:
    number = submit_mda(app)
    task = open_task_id(app, number)
    dic = sign_in(app, "dic.agr")
    page = dic.get(f"/tasks/{task}").get_data(as_text=True)
    assert page.count('data-doc-status="present"') == 3  # the checklist: each item with its file
    with SchemeUnitOfWork(app.extensions["odop.runtime"]) as uow:
        bills = uow.session.scalars(select(Document).where(Document.kind == "bills")).one()
    dic.post(f"/tasks/{task}/claim")
    # A mark needs a reason, and only goes with a return; nothing is recorded when refused.
    refused = dic.post(
        f"/tasks/{task}/decide", data={"outcome": "return", "remarks": "See the bills.", "unacceptable": str(bills.id)},
        follow_redirects=True,
    )
    assert refused.history and "Say why the document is unacceptable." in refused.get_data(as_text=True)
    refused = dic.post(f"/tasks/{task}/decide", data={
        "outcome": "reject", "remarks": "No.", "unacceptable": str(bills.id), f"unacceptable_reason_{bills.id}": "Blurred",
    })  # fmt: skip
    assert refused.status_code == 302 and _count(app, DocumentReview) == 0
    returned = dic.post(f"/tasks/{task}/decide", data={
        "outcome": "return", "remarks": "See the bills.", "unacceptable": str(bills.id),
        f"unacceptable_reason_{bills.id}": "The stall bill is not readable.",
    })  # fmt: skip
    assert returned.status_code == 302
    applicant = sign_in(app, "applicant1.agr")
    page = applicant.get(f"/applications/{number}").get_data(as_text=True)
    assert "Unacceptable: The stall bill is not readable." in page and 'data-doc-status="unacceptable"' in page
    assert "District Industries Centre found a document unacceptable." in page  # the timeline, by office
    answer = open_task_id(app, number)
    without = applicant.post(f"/applications/{number}/answer", data={"task_id": answer, "remarks": "Here it is."}, follow_redirects=True)
    assert "Bills of the stall (and freight)" in without.get_data(as_text=True) and open_task_id(app, number) == answer
    replaced = applicant.post(
        f"/applications/{number}/answer", content_type="multipart/form-data",
        data={"task_id": answer, "remarks": "A clearer copy.", "document_bills": (io.BytesIO(files.PDF), "bills-clear.pdf")},
    )  # fmt: skip
    assert replaced.status_code == 302
    page = sign_in(app, "dic.agr").get(f"/tasks/{open_task_id(app, number)}").get_data(as_text=True)
    assert "bills-clear.pdf" in page and "bills.pdf" in page and "The stall bill is not readable." in page
    assert page.count('data-doc-status="present"') == 3
    with SchemeUnitOfWork(app.extensions["odop.runtime"]) as uow:
        kinds = [e.kind for e in uow.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert "document_unacceptable" in kinds and _count(app, Document) == 4


def test_the_api_marks_documents_unacceptable_with_a_return(app: Flask) -> None:
    number = submit_mda(app)
    task = open_task_id(app, number)
    dic = sign_in(app, "dic.agr")
    with SchemeUnitOfWork(app.extensions["odop.runtime"]) as uow:
        proof = uow.session.scalars(select(Document).where(Document.kind == "proof_of_participation")).one()
    dic.post("/api/v1/tasks/claim", json={"task_ids": [task]})
    body = {"outcome": "return", "remarks": "Proof?", "unacceptable_documents": [{"document_id": proof.id, "reason": "Another fair."}]}
    assert dic.post(f"/api/v1/tasks/{task}/complete", json=body).status_code == 200
    items = sign_in(app, "applicant1.agr").get(f"/api/v1/applications/{number}/documents").get_json()
    proof_item = next(i for i in items if i["type"] == "proof_of_participation")
    assert proof_item["status"] == "unacceptable" and proof_item["files"][0]["unacceptable_reason"] == "Another fair."
