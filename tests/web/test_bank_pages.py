"""The bank step's pages: the branch list on the form, the GM's view of the loan, an officer's branch,
the loans on the dashboard."""

from __future__ import annotations

from flask import Flask

from tests import files
from tests.integration.scheme_helpers import DISBURSED, LOAN, MM_DATA
from tests.web.conftest import open_task_id, sign_in
from workflows.uow import SchemeUnitOfWork
from workflows.usecases.decisions import claim, decide
from workflows.usecases.submission import submit_application

FORM = {k: str(v) for k, v in MM_DATA.items() if v is not False}


def test_the_form_offers_the_districts_branches_and_refuses_another_districts(app: Flask) -> None:
    client = sign_in(app, "applicant1.agr")
    page = client.get("/apply/MM").get_data(as_text=True)
    assert '<option value="SBIN0001735"' in page and "Punjab National Bank, Sanjay Place, Agra (PUNB0098700)" in page
    assert "SBIN0002498" not in page  # a Moradabad branch
    form = {**FORM, "bank_ifsc": "SBIN0002498", "action": "submit", **files.checklist_form(files.NEEDED["MM"])}
    response = client.post("/apply/MM", data=form, content_type="multipart/form-data", follow_redirects=True)
    assert response.history  # refused: back to the form (Post/Redirect/Get, D90)
    body = response.get_data(as_text=True)
    assert "SBIN0002498 is not a bank branch of district AGR" in body and "12 Shoe Market, Agra" in body


def _walk(app: Flask, number: str, steps: list[tuple[str, dict]]) -> None:
    runtime = app.extensions["odop.runtime"]
    for actor, fields in steps:
        task_id = open_task_id(app, number)
        with SchemeUnitOfWork(runtime) as uow:
            claim(uow, [task_id], actor=actor)
        with SchemeUnitOfWork(runtime) as uow:
            decide(uow, task_id, actor=actor, outcome="approve", fields=fields)


def test_the_gm_sees_the_loan_masked_and_the_dashboard_counts_it(app: Flask) -> None:
    with SchemeUnitOfWork(app.extensions["odop.runtime"]) as uow:
        number = submit_application(
            uow, scheme_code="MM", district_code="AGR", data=MM_DATA, actor="applicant1.agr",
            **files.checklist_documents(uow, "MM", MM_DATA),
        ).number
    _walk(app, number, [("dic.agr", {}), ("dtf.agr", {}), ("bank.agr", LOAN), ("bank.agr", DISBURSED)])
    gm = sign_in(app, "gm.agr")
    page = gm.get(f"/tasks/{open_task_id(app, number)}").get_data(as_text=True)
    assert "XXXX7890" in page and "31234567890" not in page
    assert "₹\u00a025,00,000" in page and "07-07-2025" in page
    loans = gm.get("/dashboard/loans?start=2025-04-01&end=2026-03-31").get_data(as_text=True)
    assert "Loans disbursed" in loans and "Agra" in loans
    assert sign_in(app, "bank2.agr").get("/dashboard/loans").status_code == 200


def test_the_administrator_sets_a_bank_officers_branch(app: Flask) -> None:
    admin = sign_in(app, "admin")
    form = {"username": "bank2.agr", "full_name": "Harish Bansal", "role": "bank_officer", "district_code": "AGR",
            "language": "en", "active": "on"}
    refused = admin.post("/admin/users", data={**form, "bank_ifsc": "SBIN0002498"}, follow_redirects=True)
    assert refused.history and "not a bank branch of district AGR" in refused.get_data(as_text=True)
    assert admin.post("/admin/users", data={**form, "bank_ifsc": "BARB0KAMAGR"}).status_code == 302
    assert "BARB0KAMAGR" in admin.get("/admin/users").get_data(as_text=True)


def test_the_scheme_page_keeps_the_bank_step(app: Flask) -> None:
    import pytest
    from werkzeug.datastructures import MultiDict

    from web.admin.schemes import bundle_from
    from workflows.errors import ValidationFailed

    page = sign_in(app, "admin").get("/admin/schemes/MM").get_data(as_text=True)
    assert 'name="bank_json"' in page and "officer_fields" in page
    posted = bundle_from(MultiDict({"bank_json": '{"branch_field": "bank_ifsc"}'}), "MM")
    assert posted["bank"] == {"branch_field": "bank_ifsc"}
    assert "bank" not in bundle_from(MultiDict({"bank_json": ""}), "MDA")
    with pytest.raises(ValidationFailed) as refused:
        bundle_from(MultiDict({"bank_json": "{"}), "MM")
    assert list(refused.value.fields) == ["bank_json"]


def test_a_bank_officer_opens_the_passbook_and_the_project_report_but_not_the_aadhaar_card(app: Flask, tmp_path) -> None:  # noqa: ANN001
    from tests.files import PDF
    from web.infra.extensions import document_store
    from workflows.models import Document
    from workflows.usecases.documents import Upload

    runtime = app.extensions["odop.runtime"]
    with app.app_context():
        store = document_store()
    uploads = [Upload(kind=k, filename=f"{k}.pdf", content=PDF) for k in files.NEEDED["MM"]]
    with SchemeUnitOfWork(runtime) as uow:
        number = submit_application(uow, scheme_code="MM", district_code="AGR", data=MM_DATA, actor="applicant1.agr",
                                    documents=uploads, store=store).number
    _walk(app, number, [("dic.agr", {}), ("dtf.agr", {})])
    with SchemeUnitOfWork(runtime) as uow:
        ids = {d.kind: d.id for d in uow.session.query(Document)}
    bank, gm = sign_in(app, "bank.agr"), sign_in(app, "gm.agr")
    assert bank.get(f"/documents/{ids['bank_passbook']}").status_code == 200
    assert bank.get(f"/documents/{ids['aadhaar']}").status_code in (403, 404)
    assert gm.get(f"/documents/{ids['aadhaar']}").status_code == 200
    page = bank.get(f"/tasks/{open_task_id(app, number)}").get_data(as_text=True)
    assert f"/documents/{ids['bank_passbook']}" in page and f"/documents/{ids['aadhaar']}" not in page
