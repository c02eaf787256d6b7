"""A facilitation centre files only for applicants of its own district, and its form keeps what was
typed when the applicant's name is wrong; processes are shown by lane; polyglot uploads refused."""

from __future__ import annotations

import io

import pytest
from flask import Flask

from tests import files
from tests.web.conftest import MDA_FORM, sign_in
from workflows.models import Application, Document
from workflows.uow import SchemeUnitOfWork


def _count(app: Flask, model) -> int:  # noqa: ANN001
    with SchemeUnitOfWork(app.extensions["odop.runtime"]) as uow:
        return uow.session.query(model).count()


def _file_for(app: Flask, applicant: str, *, fc: str = "fc.agr") -> tuple[int, str]:
    client = sign_in(app, fc)
    form = {**MDA_FORM, "applicant": applicant, "action": "submit", "unit_name": "Typed Unit Name 4711"}
    response = client.post("/apply/MDA", data=form, content_type="multipart/form-data")
    if response.status_code == 302 and "/apply/" in response.location:  # refused: the form again (D90)
        return 422, client.get(response.location).get_data(as_text=True)
    return response.status_code, response.get_data(as_text=True)


def test_a_centre_cannot_file_for_an_applicant_of_another_district(app: Flask) -> None:
    status, page = _file_for(app, "applicant1.mbd")
    assert status == 422
    assert "a facilitation centre of AGR files only for applicants of its own district" in page
    assert "Typed Unit Name 4711" in page and 'value="applicant1.mbd"' in page, "the typing is kept"
    assert _count(app, Application) == 0


@pytest.mark.parametrize(("name", "message"), [("no.such.person", "There is no active user"),
                                                ("dic.agr", "is not an applicant"), ("", "Required")])
def test_a_wrong_applicant_name_keeps_the_form(app: Flask, name: str, message: str) -> None:
    status, page = _file_for(app, name)
    assert status == 422 and message in page
    assert "Typed Unit Name 4711" in page and "India International Trade Fair" in page
    assert _count(app, Application) == 0


def test_a_centre_files_for_an_applicant_of_its_district(app: Flask) -> None:
    client = sign_in(app, "fc.mbd")
    form = {**MDA_FORM, "applicant": "applicant1.mbd", "action": "submit", **files.checklist_form(files.NEEDED["MDA"])}
    response = client.post("/apply/MDA", data=form, content_type="multipart/form-data")
    assert response.status_code == 302 and "/MBD/" in response.location
    with SchemeUnitOfWork(app.extensions["odop.runtime"]) as uow:
        application = uow.session.query(Application).one()
        assert application.district_code == "MBD"
        assert uow.users.get(application.applicant_id).username == "applicant1.mbd"


def test_the_api_applies_the_same_rule(app: Flask) -> None:
    client = sign_in(app, "fc.agr")
    body = {"scheme": "MDA", "data": {**MDA_FORM, "benefit_in_last_two_years": False}, "applicant": "applicant1.mbd"}
    response = client.post("/api/v1/applications", json=body)
    assert response.status_code == 422
    assert "own district" in " ".join(response.get_json()["error"]["fields"]["applicant"])


@pytest.mark.parametrize(
    ("who", "keys"),
    [
        ("bank.agr", {"margin_money"}),
        ("dtf.agr", {"margin_money", "cfc"}),
        ("dic.agr", {"margin_money", "cfc", "marketing_assistance", "skill_toolkit"}),
        ("nodal1", {"margin_money", "cfc", "marketing_assistance", "skill_toolkit", "appeal"}),
        ("slc", {"cfc", "appeal"}),  # the appellate authorities hear appeals (D85)
        ("admin", {"margin_money", "cfc", "marketing_assistance", "skill_toolkit", "appeal"}),
    ],
)
def test_officers_see_the_processes_of_their_lanes(app: Flask, who: str, keys: set[str]) -> None:
    listed = sign_in(app, who).get("/api/v1/definitions")
    assert listed.status_code == 200
    assert {d["key"] for d in listed.get_json()} == keys


def test_applicants_see_only_the_diagram_of_their_own_application(app: Flask) -> None:
    from tests.web.conftest import submit_mda

    number = submit_mda(app)
    with SchemeUnitOfWork(app.extensions["odop.runtime"]) as uow:
        mda = uow.instances.get(uow.applications.by_number(number).instance_id).definition_id
        others = [d.id for d in uow.definitions.list() if d.id != mda]
    own = sign_in(app, "applicant1.agr")
    assert own.get("/api/v1/definitions").status_code == 403
    assert b"<bpmn:process" in own.get(f"/tasks/diagram/{mda}.bpmn").data
    for definition_id in others:
        assert own.get(f"/tasks/diagram/{definition_id}.bpmn").status_code == 403
    assert sign_in(app, "applicant2.agr").get(f"/tasks/diagram/{mda}.bpmn").status_code == 403


@pytest.mark.parametrize(
    ("filename", "content"),
    [("bills.pdf", b"%PDF-1.7\n" + files.EXE), ("bills.pdf", files.PDF + files.EXE), ("photo.png", files.PNG + files.ELF)],
)
def test_polyglot_uploads_are_refused_and_the_form_kept(app: Flask, filename: str, content: bytes) -> None:
    client = sign_in(app, "applicant1.agr")
    form = {**MDA_FORM, "action": "submit", "document_kind": "bills", "document": (io.BytesIO(content), filename)}
    response = client.post("/apply/MDA", data=form, content_type="multipart/form-data")
    page = client.get(response.location).get_data(as_text=True)
    assert response.status_code == 302 and "data after its end" in page
    assert "Devi Leather Works" in page
    assert _count(app, Application) == 0 and _count(app, Document) == 0
