"""Every endpoint x role x (own district / other district / anonymous): no one sees or does more
than their role and district allow, and a refusal never shows the application's contents."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask

from tests import files
from tests.web.conftest import PDF, open_task_id, sign_in, submit_mda
from workflows.models import Document
from workflows.uow import SchemeUnitOfWork

PEOPLE = [
    None,  # anonymous
    "applicant1.agr",  # the applicant
    "applicant2.agr",  # another applicant of the same district
    "applicant1.mbd",  # an applicant of another district
    "fc.agr",  # a facilitation centre that did not file it
    "dic.agr",  # the DIC officer of the district: works the task
    "dic.mbd",  # a DIC officer of another district
    "gm.agr",  # the GM of the district: supervises
    "gm.mbd",
    "bank.agr",  # an officer of the district in another role (a bank officer never sees MDA or CFC)
    "nodal1",  # state level
    "admin",
]
SEES_APPLICATION = {"applicant1.agr", "dic.agr", "gm.agr", "nodal1", "admin"}
OPENS_TASK = {"dic.agr", "gm.agr", "admin"}
WORKS_TASK = {"dic.agr"}
SUPERVISES = {"gm.agr", "admin"}
FILERS_OWN = {"applicant1.agr"}
ADMINS = {"admin"}
FILERS = {"applicant1.agr", "applicant2.agr", "applicant1.mbd", "fc.agr"}
SIGNED_IN = set(p for p in PEOPLE if p)
STATISTICS = SIGNED_IN - FILERS
STATISTICS_OF_MBD = {"dic.mbd", "gm.mbd", "nodal1", "admin"}
# The MDA process has lanes of the DIC officer and the GM DIC; the state nodal officer hears
# appeals of both. Processes are the same in every district.
SEES_MDA_PROCESS = {"dic.agr", "dic.mbd", "gm.agr", "gm.mbd", "nodal1", "admin"}
OFFICERS = {"dic.agr", "dic.mbd", "gm.agr", "gm.mbd", "bank.agr", "nodal1"}


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    path: str  # {number}, {task}, {doc} are filled in
    allowed: frozenset[str]
    data: dict | None = None
    json: dict | None = None
    ok: tuple[int, ...] = (200,)


CASES = [
    Case("application page", "GET", "/applications/{number}", frozenset(SEES_APPLICATION)),
    Case("application list", "GET", "/applications", frozenset(SIGNED_IN)),
    Case("document download", "GET", "/documents/{doc}", frozenset(SEES_APPLICATION)),
    Case("document upload", "POST", "/applications/{number}/documents", frozenset(SEES_APPLICATION), ok=(302,),
         data={"document_kind": "bills"}),
    Case("answer a return", "POST", "/applications/{number}/answer", frozenset(), ok=(302,),
         data={"task_id": "{task}", "remarks": "x"}),
    Case("task page", "GET", "/tasks/{task}", frozenset(OPENS_TASK)),
    Case("claim", "POST", "/tasks/{task}/claim", frozenset(WORKS_TASK), ok=(302,)),
    Case("decide", "POST", "/tasks/{task}/decide", frozenset(WORKS_TASK), ok=(302,), data={"outcome": "reject"}),
    Case("reassign", "POST", "/tasks/reassign", frozenset(SUPERVISES), ok=(302,),
         data={"task_id": "{task}", "to": "dic2.agr", "reason": "leave"}),
    Case("inbox", "GET", "/inbox", frozenset(SIGNED_IN)),
    Case("apply form", "GET", "/apply/MDA", frozenset({"applicant1.agr", "applicant2.agr", "applicant1.mbd", "fc.agr"})),
    Case("account", "GET", "/account", frozenset(SIGNED_IN)),
    Case("users admin", "GET", "/admin/users", frozenset(ADMINS)),
    Case("save user", "POST", "/admin/users", frozenset(ADMINS), ok=(302,), data={"username": "x"}),
    Case("api application", "GET", "/api/v1/applications/{number}", frozenset(SEES_APPLICATION)),
    Case("api documents", "GET", "/api/v1/applications/{number}/documents", frozenset(SEES_APPLICATION)),
    Case("api applications", "GET", "/api/v1/applications", frozenset(SIGNED_IN)),
    Case("api tasks", "GET", "/api/v1/tasks", frozenset(SIGNED_IN)),
    Case("api counts", "GET", "/api/v1/tasks/counts", frozenset(SIGNED_IN)),
    Case("api claim", "POST", "/api/v1/tasks/claim", frozenset(WORKS_TASK), json={"task_ids": ["{task}"]}),
    Case("api complete", "POST", "/api/v1/tasks/{task}/complete", frozenset(WORKS_TASK), ok=(422,),
         json={"outcome": "reject"}),
    Case("api reassign", "POST", "/api/v1/tasks/reassign", frozenset(SUPERVISES),
         json={"task_ids": ["{task}"], "to": "dic2.agr", "reason": "leave"}),
    Case("api definitions", "GET", "/api/v1/definitions", frozenset(OFFICERS | ADMINS)),
    Case("diagram", "GET", "/tasks/diagram/{definition}.bpmn", frozenset(SEES_MDA_PROCESS | FILERS_OWN)),
    Case("unclaim", "POST", "/tasks/{task}/unclaim", frozenset(WORKS_TASK), ok=(302, 409)),
    Case("claim several", "POST", "/inbox/claim", frozenset(WORKS_TASK), ok=(302,), data={"task_id": "{task}"}),
    Case("save filter", "POST", "/inbox/filters", frozenset(SIGNED_IN), ok=(302,), data={"name": "f", "view": "mine"}),
    Case("submit form", "POST", "/apply/MDA", frozenset(FILERS), ok=(302,), data={"action": "submit"}),
    Case("create token", "POST", "/account/tokens", frozenset(SIGNED_IN), data={"name": "t"}),
    Case("change password", "POST", "/account/password", frozenset(SIGNED_IN), ok=(302,),
         data={"current_password": "x", "new_password": "y"}),
    Case("notifications", "GET", "/notifications", frozenset(SIGNED_IN)),
    Case("mark read", "POST", "/notifications/read", frozenset(SIGNED_IN), ok=(302,)),
    Case("holidays", "GET", "/admin/holidays", frozenset(ADMINS)),
    Case("recompute", "POST", "/admin/holidays/recompute", frozenset(ADMINS), ok=(302,)),
    Case("incidents", "GET", "/admin/incidents", frozenset(ADMINS)),
    Case("api submit", "POST", "/api/v1/applications", frozenset(FILERS), ok=(422,), json={"scheme": "MDA", "data": {}}),
    Case("api unclaim", "POST", "/api/v1/tasks/{task}/unclaim", frozenset(WORKS_TASK), ok=(200, 409)),
    Case("api definition", "GET", "/api/v1/definitions/marketing_assistance/1", frozenset(SEES_MDA_PROCESS)),
    Case("dashboard", "GET", "/dashboard", frozenset(STATISTICS)),
    Case("dashboard of another district", "GET", "/dashboard?district=MBD", frozenset(STATISTICS_OF_MBD)),
    Case("dashboard steps", "GET", "/dashboard/steps?scheme=MDA", frozenset(STATISTICS)),
    Case("dashboard officers", "GET", "/dashboard/officers", frozenset(STATISTICS)),
    Case("dashboard applications", "GET", "/dashboard/applications", frozenset(STATISTICS)),
    Case("dashboard ranking", "GET", "/dashboard/ranking", frozenset(STATISTICS)),
    Case("dashboard export", "GET", "/dashboard/export/officers.xlsx", frozenset(STATISTICS)),
    Case("dashboard export elsewhere", "GET", "/dashboard/export/applications.csv?district=MBD",
         frozenset(STATISTICS_OF_MBD)),
    Case("trade fairs admin", "GET", "/admin/events", frozenset(ADMINS)),
    Case("add trade fair", "POST", "/admin/events", frozenset(ADMINS), ok=(302,), data={"name": "x"}),
    Case("remove trade fair", "POST", "/admin/events/999/delete", frozenset(ADMINS), ok=(404,)),
    Case("bank branches admin", "GET", "/admin/bank-branches", frozenset(ADMINS)),
    Case("save bank branch", "POST", "/admin/bank-branches", frozenset(ADMINS), ok=(302,), data={"ifsc": "x"}),
    Case("import bank branches", "POST", "/admin/bank-branches/import", frozenset(ADMINS), ok=(302,), data={}),
    Case("remove bank branch", "POST", "/admin/bank-branches/CNRB0009999/delete", frozenset(ADMINS), ok=(404,)),
    Case("process flows", "GET", "/admin/flows", frozenset(ADMINS)),
    Case("schemes", "GET", "/admin/schemes", frozenset(ADMINS)),
    Case("scheme page", "GET", "/admin/schemes/MDA", frozenset(ADMINS)),
    Case("create scheme", "POST", "/admin/schemes", frozenset(ADMINS), ok=(302,), data={"code": "x"}),
    Case("save scheme draft", "POST", "/admin/schemes/MDA", frozenset(ADMINS), ok=(422,), data={"forms_json": "not json"}),
    Case("close scheme", "POST", "/admin/schemes/MDA/close", frozenset(ADMINS), ok=(302,), data={"on": "2030-01-01", "comment": "x"}),
    Case("scheme compare", "GET", "/admin/schemes/MDA/compare?old=1&new=1", frozenset(ADMINS)),
    Case("flow versions", "GET", "/admin/flows/marketing_assistance", frozenset(ADMINS)),
    Case("flow editor", "GET", "/admin/flows/marketing_assistance/edit", frozenset(ADMINS)),
    Case("flow version", "GET", "/admin/flows/marketing_assistance/versions/1", frozenset(ADMINS)),
    Case("flow rollback", "POST", "/admin/flows/marketing_assistance/rollback", frozenset(ADMINS), ok=(302,),
         data={"version": "1", "comment": "x"}),
    Case("flow migration", "POST", "/admin/flows/marketing_assistance/migrate", frozenset(ADMINS),
         data={"action": "dry_run", "to_version": "1"}),
    Case("flow file", "GET", "/api/v1/definitions/marketing_assistance/1/files/marketing_assistance.bpmn",
         frozenset(ADMINS)),
    Case("flow draft", "PUT", "/api/v1/definitions/marketing_assistance/draft", frozenset(ADMINS), ok=(422,),
         json={"files": {"x.bpmn": "not xml"}}),
    Case("flow deploy", "POST", "/api/v1/definitions/marketing_assistance/versions", frozenset(ADMINS), ok=(422,),
         json={"files": {"x.bpmn": "not xml"}, "comment": "x"}),
    Case("flow migrate", "POST", "/api/v1/definitions/marketing_assistance/migrations", frozenset(ADMINS),
         json={"to_version": 1, "instance_ids": [1]}),
]


def _fill(value, ids: dict[str, str]):  # noqa: ANN001, ANN202
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    return value


@pytest.mark.parametrize("who", PEOPLE, ids=lambda p: p or "anonymous")
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_access(app: Flask, case: Case, who: str | None) -> None:
    number = submit_mda(app)
    with SchemeUnitOfWork(app.extensions["odop.runtime"]) as uow:
        doc = uow.session.query(Document).filter_by(kind="bills").one()
        definition = uow.instances.get(uow.applications.by_number(number).instance_id).definition_id
    ids = {"number": number, "task": open_task_id(app, number), "doc": str(doc.id), "definition": str(definition)}
    client = sign_in(app, who)
    kwargs = {}
    if case.data is not None:
        kwargs["data"] = _fill(case.data, ids)
        if "documents" in case.path:
            import io

            kwargs["data"]["document"] = (io.BytesIO(PDF), "more.pdf")
            kwargs["content_type"] = "multipart/form-data"
    if case.json is not None:
        kwargs["json"] = _fill(case.json, ids)
    response = client.open(_fill(case.path, ids), method=case.method, **kwargs)
    body = response.get_data()
    if who is None:
        expected = 401 if case.path.startswith("/api/") else 302
        assert response.status_code == expected
        if expected == 302:
            assert "/sign-in" in response.location
    elif who in case.allowed:
        assert response.status_code in case.ok, body[:500]
    else:
        assert response.status_code in (403, 404), (response.status_code, body[:300])
    if who not in case.allowed:
        assert b"Devi Leather" not in body and b"International Trade Fair" not in body


@pytest.mark.parametrize("who", sorted(SIGNED_IN))
def test_lists_show_only_what_the_user_may_see(app: Flask, who: str) -> None:
    number = submit_mda(app)
    client = sign_in(app, who)
    tasks = client.get("/api/v1/tasks?view=available").get_json()["tasks"]
    assert bool(tasks) == (who in WORKS_TASK)
    applications = client.get("/api/v1/applications").get_json()
    assert ([a["number"] for a in applications] == [number]) == (who in SEES_APPLICATION)
    inbox = client.get("/inbox").get_data()
    assert (number.encode() in inbox) == (who in WORKS_TASK)


# Branch scoping (issue 16): a margin-money application at the bank step, routed to the branch
# SBIN0001735 of bank.agr; bank2.agr works for another branch of the same district.
BANK_PEOPLE = ["bank.agr", "bank2.agr", "bank.mbd", "dic.agr", "gm.agr", "applicant1.agr"]
SEES_MM = {"bank.agr", "dic.agr", "gm.agr", "applicant1.agr"}
BANK_CASES = [
    Case("application page", "GET", "/applications/{number}", frozenset(SEES_MM)),
    Case("api application", "GET", "/api/v1/applications/{number}", frozenset(SEES_MM)),
    Case("task page", "GET", "/tasks/{task}", frozenset({"bank.agr", "gm.agr"})),
    Case("claim", "POST", "/tasks/{task}/claim", frozenset({"bank.agr"}), ok=(302,)),
    Case("api claim", "POST", "/api/v1/tasks/claim", frozenset({"bank.agr"}), json={"task_ids": ["{task}"]}),
    Case("decide", "POST", "/tasks/{task}/decide", frozenset({"bank.agr"}), ok=(302,), data={"outcome": "reject"}),
    Case("acknowledgement letter", "GET", "/applications/{number}/letters/en/acknowledgement.pdf", frozenset(SEES_MM)),
]


def _at_the_bank(app: Flask) -> tuple[str, str]:
    from tests.integration.scheme_helpers import MM_DATA
    from workflows.usecases.decisions import claim, decide
    from workflows.usecases.submission import submit_application

    runtime = app.extensions["odop.runtime"]
    with SchemeUnitOfWork(runtime) as uow:
        number = submit_application(
            uow, scheme_code="MM", district_code="AGR", data=MM_DATA, actor="applicant1.agr",
            **files.checklist_documents(uow, "MM", MM_DATA),
        ).number
    for actor in ("dic.agr", "dtf.agr"):
        task_id = open_task_id(app, number)
        with SchemeUnitOfWork(runtime) as uow:
            claim(uow, [task_id], actor=actor)
        with SchemeUnitOfWork(runtime) as uow:
            decide(uow, task_id, actor=actor, outcome="approve")
    return number, open_task_id(app, number)


@pytest.mark.parametrize("who", BANK_PEOPLE)
@pytest.mark.parametrize("case", BANK_CASES, ids=lambda c: c.name)
def test_bank_officers_see_only_their_branch(app: Flask, case: Case, who: str) -> None:
    number, task = _at_the_bank(app)
    ids = {"number": number, "task": task}
    kwargs = {}
    if case.data is not None:
        kwargs["data"] = _fill(case.data, ids)
    if case.json is not None:
        kwargs["json"] = _fill(case.json, ids)
    response = sign_in(app, who).open(_fill(case.path, ids), method=case.method, **kwargs)
    if who in case.allowed:
        assert response.status_code in case.ok, response.get_data()[:500]
    else:
        assert response.status_code in (403, 404), (response.status_code, response.get_data()[:300])
        assert b"Shoe Market" not in response.get_data()


@pytest.mark.parametrize("who", ["bank.agr", "bank2.agr"])
def test_bank_lists_and_pages_hold_only_the_branch_and_the_fields_it_needs(app: Flask, who: str) -> None:
    number, task = _at_the_bank(app)
    mda = submit_mda(app)
    client = sign_in(app, who)
    mine = who == "bank.agr"
    pages = [
        client.get("/api/v1/tasks?view=available").get_data(), client.get("/api/v1/applications").get_data(),
        client.get("/inbox").get_data(), client.get("/dashboard/applications").get_data(),
        client.get("/dashboard/export/applications.csv").get_data(), client.get("/applications").get_data(),
    ]
    for body in pages:
        assert (number.encode() in body) == mine, body[:300]
        assert mda.encode() not in body
    if mine:
        body = client.get(f"/tasks/{task}").get_data()
        assert b"Shoe Market" in body and b"SBIN0001735" in body
        assert b"1990-05-01" not in body and b"01-05-1990" not in body and b"OBC" not in body
        data = client.get(f"/api/v1/applications/{number}").get_json()["data"]
        assert "date_of_birth" not in data and "category" not in data and data["project_cost"] == 3_000_000
