"""The flow administration API and pages: uploads (real-world corpus, broken and hostile files),
validation, deploy, diff, rollback, migration, and who may use it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from flask import Flask

from engine.wording import LEAKS
from tests.flow_edits import margin_money_files, with_site_visit
from tests.web.conftest import sign_in
from web.infra.config import ROOT

CORPUS = ROOT.parent / "shared" / "corpus" / "bpmn-miwg"
CORPUS_FILES = sorted(CORPUS.rglob("*.bpmn"))
SECRET = "odop-secret-7f3a9c"  # written to a file that the XXE upload points at


def _upload(client, files: dict[str, bytes], comment: str = "upload", **form: str):  # noqa: ANN001, ANN202
    data = {"comment": comment, **form, "files": [(io.BytesIO(body), name) for name, body in files.items()]}
    return client.post("/api/v1/definitions", data=data, content_type="multipart/form-data")


def test_corpus_is_present():
    assert len(CORPUS_FILES) == 64, f"expected the 64 files of {CORPUS}"


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_corpus_file_deploys_or_is_refused_with_reasons(app: Flask, path: Path) -> None:
    client = sign_in(app, "admin")
    response = _upload(client, {path.name: path.read_bytes()})
    assert response.status_code in (201, 422), response.data[:500]
    body = response.get_json()
    if response.status_code == 422:
        problems = body["error"]["problems"]
        assert problems and all(p["message"] for p in problems)
        # Each problem names where it is: an element, a file, or the whole set.
        assert all(p["element_id"] or p["file"] or "process" in p["message"].lower() for p in problems)
        # ... in plain words: no Python repr, schema type, namespace or traceback.
        leaks = [p["message"] for p in problems if LEAKS.search(p["message"])]
        assert not leaks, leaks
        # A model that marks nothing executable is told that, and only that.
        if b'isExecutable="true"' not in path.read_bytes():
            assert len(problems) == 1 and "marked executable" in problems[0]["message"], problems
    else:
        definition = body["definition"]
        xml = client.get(f"/api/v1/definitions/{definition['key']}/{definition['version']}/files/{path.name}")
        assert xml.status_code == 200 and xml.data.startswith(b"<")


HOSTILE = {
    "xxe.bpmn": (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]>'
        b'<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">'
        b'<bpmn:process id="p" isExecutable="true"><bpmn:startEvent id="s" name="&x;"/></bpmn:process></bpmn:definitions>'
    ),
    "billion.bpmn": (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        b'<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">&lol3;</bpmn:definitions>'
    ),
    "huge.bpmn": b'<?xml version="1.0"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">'
    + b"<!-- padding -->" * 200_000 + b"</bpmn:definitions>",
    "not-xml.bpmn": b"%PDF-1.4 this is not a process",
    "binary.bpmn": bytes(range(256)) * 10,
    "other-root.bpmn": b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>',
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_files_are_refused_without_reading_anything(app: Flask, name: str, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    response = _upload(sign_in(app, "admin"), {name: HOSTILE[name].replace(b"{secret}", str(secret).encode())})
    assert response.status_code == 422, response.data[:300]
    problems = response.get_json()["error"]["problems"]
    assert problems and problems[0]["file"] == name
    assert SECRET not in response.get_data(as_text=True)


def test_an_upload_over_the_request_limit_is_refused(app: Flask) -> None:
    response = _upload(sign_in(app, "admin"), {"big.bpmn": b"<a>" + b" " * (13 * 1024 * 1024) + b"</a>"})
    assert response.status_code == 413


def _mm(**changes: str) -> dict[str, bytes]:
    files = with_site_visit(margin_money_files())
    bpmn = files["margin_money.bpmn"]
    for old, new in changes.items():
        bpmn = bpmn.replace(old, new)
    return {**{k: v.encode() for k, v in files.items()}, "margin_money.bpmn": bpmn.encode()}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({'targetRef="dtf_committee">': 'targetRef="nowhere">'}, "leads to 'nowhere'"),
        ({'name="dic_officer"': 'name="site_inspector"'}, "not a known role"),
        ({"<spiffworkflow:calledDecisionId>margin_money_benefit": "<spiffworkflow:calledDecisionId>missing_table"},
         "'missing_table' is not in any deployed DMN file"),
        ({'outcome == "reject"</bpmn:conditionExpression>\n    </bpmn:sequenceFlow>\n  </bpmn:process>':
          'site_area &lt; 10</bpmn:conditionExpression>\n    </bpmn:sequenceFlow>\n  </bpmn:process>'},
         "reads 'site_area', which no step, script or DMN table sets"),
        ({'outcome == "reject"</bpmn:conditionExpression>\n    </bpmn:sequenceFlow>\n  </bpmn:process>':
          'eval("1")</bpmn:conditionExpression>\n    </bpmn:sequenceFlow>\n  </bpmn:process>'},
         "calls 'eval', which is not an allowed function"),
    ],
)
def test_broken_models_list_the_element(app: Flask, change: dict, expected: str) -> None:
    response = _upload(sign_in(app, "admin"), _mm(**change), process_id="margin_money")
    assert response.status_code == 422
    problems = response.get_json()["error"]["problems"]
    assert any(expected in p["message"] and p["element_id"] for p in problems), problems


def test_only_administrators_use_the_api(app: Flask) -> None:
    files = {k: v.encode() for k, v in margin_money_files().items()}
    for user in (None, "dic.agr", "nodal1"):
        response = _upload(sign_in(app, user), files)
        assert response.status_code in (401, 403), (user, response.status_code)
    client = sign_in(app, "nodal1")
    assert client.post("/api/v1/definitions/margin_money/rollback", json={"version": 1, "comment": "x"}).status_code == 403
    assert client.get("/api/v1/definitions/margin_money/1/files/margin_money.bpmn").status_code == 403


def test_validate_deploy_diff_rollback_and_migrate(app: Flask) -> None:
    client = sign_in(app, "admin")
    edited = {k: v.decode() for k, v in _mm().items()}
    check = client.post("/api/v1/definitions/margin_money/validate", json={"files": edited})
    assert check.get_json() == {"valid": True, "problems": []}
    assert client.put("/api/v1/definitions/margin_money/draft", json={"files": edited, "based_on": 1}).status_code == 204
    no_comment = client.post("/api/v1/definitions/margin_money/versions", json={"files": edited})
    assert no_comment.status_code == 422 and "comment" in no_comment.get_json()["error"]["fields"]
    deployed = client.post("/api/v1/definitions/margin_money/versions", json={"files": edited, "comment": "Site visit"})
    assert deployed.status_code == 201 and deployed.get_json()["definition"]["version"] == 2
    diff = client.get("/api/v1/definitions/margin_money/diff?old=1&new=2").get_json()
    assert "site_visit" in {c["id"] for c in diff["added"]}
    plan = client.post("/api/v1/definitions/margin_money/migrations/dry-run", json={"to_version": 2}).get_json()
    assert plan == {"total": 0, "checks": []}  # the demo database has no running margin money application
    moved = client.post("/api/v1/definitions/margin_money/migrations", json={"to_version": 2, "instance_ids": [999999]})
    assert moved.status_code == 200
    assert moved.get_json() == [
        {"instance_id": 999999, "business_key": "", "moved": False, "reason": "There is no process instance with id 999999."}
    ]
    back = client.post("/api/v1/definitions/margin_money/rollback", json={"version": 1, "comment": "Undo"})
    assert back.status_code == 201 and back.get_json()["definition"]["version"] == 3


def test_versions_page_and_comparison(app: Flask) -> None:
    client = sign_in(app, "admin")
    edited = {k: v.decode() for k, v in _mm().items()}
    client.post("/api/v1/definitions/margin_money/versions", json={"files": edited, "comment": "Site visit added"})
    page = client.get("/admin/flows/margin_money").get_data(as_text=True)
    assert "Site visit added" in page and 'id="compare-any"' in page
    response = client.get("/admin/flows/margin_money/compare?old=1&new=2")
    assert response.status_code == 302 and response.location.endswith("/admin/flows/margin_money/versions/2?compare=1")
    compared = client.get(response.location).get_data(as_text=True)
    assert "site_visit" in compared and "flow_gw_scrutiny_to_dtf_committee" in compared
    assert client.get("/admin/flows/margin_money/compare?old=1").status_code == 422
    assert client.get("/admin/flows/margin_money/compare?old=1&new=9").status_code == 302
    assert client.get("/admin/flows/margin_money/versions/2?compare=9").status_code == 404
    assert client.get("/admin/flows/nothing").status_code == 404


UNRELATED = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
    xmlns:di="http://www.omg.org/spec/DD/20100524/DI"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="d" targetNamespace="x">
  <bpmn:collaboration id="c"><bpmn:participant id="pool" name="Something else" processRef="margin_money" /></bpmn:collaboration>
  <bpmn:process id="margin_money" name="Something else" isExecutable="true">
    <bpmn:laneSet id="ls"><bpmn:lane id="l" name="dic_officer">
      <bpmn:flowNodeRef>StartEvent_1</bpmn:flowNodeRef><bpmn:flowNodeRef>Activity_1</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>end</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="StartEvent_1" />
    <bpmn:sequenceFlow id="f1" sourceRef="StartEvent_1" targetRef="Activity_1" />
    <bpmn:userTask id="Activity_1" name="Look at it">
      <bpmn:extensionElements><spiffworkflow:properties>
        <spiffworkflow:property name="time_limit_days" value="2" />
        <spiffworkflow:property name="outcomes" value="approve" />
      </spiffworkflow:properties></bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="Activity_1" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="di"><bpmndi:BPMNPlane id="plane" bpmnElement="c">
    <bpmndi:BPMNShape id="pool_di" bpmnElement="pool" isHorizontal="true"><dc:Bounds x="100" y="50" width="500" height="200" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="l_di" bpmnElement="l" isHorizontal="true"><dc:Bounds x="130" y="50" width="470" height="200" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="s_di" bpmnElement="StartEvent_1"><dc:Bounds x="180" y="132" width="36" height="36" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="a_di" bpmnElement="Activity_1"><dc:Bounds x="280" y="110" width="100" height="80" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="e_di" bpmnElement="end"><dc:Bounds x="450" y="132" width="36" height="36" /></bpmndi:BPMNShape>
    <bpmndi:BPMNEdge id="f1_di" bpmnElement="f1"><di:waypoint x="216" y="150" /><di:waypoint x="280" y="150" /></bpmndi:BPMNEdge>
    <bpmndi:BPMNEdge id="f2_di" bpmnElement="f2"><di:waypoint x="380" y="150" /><di:waypoint x="450" y="150" /></bpmndi:BPMNEdge>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>
"""


def test_an_unrelated_file_with_an_existing_process_id_asks_for_confirmation(app: Flask) -> None:
    client = sign_in(app, "admin")
    upload = _upload(client, {"other.bpmn": UNRELATED.encode()})
    assert upload.status_code == 409, upload.data[:300]
    error = upload.get_json()["error"]
    assert error["code"] == "replace_not_confirmed"
    assert "'margin_money' already exists" in error["message"] and "confirm_replace" in error["message"]
    # The editor's JSON route answers the same, and stores nothing.
    editor = client.post("/api/v1/definitions/margin_money/versions", json={"files": {"other.bpmn": UNRELATED}, "comment": "x"})
    assert editor.status_code == 409 and editor.get_json()["error"]["code"] == "replace_not_confirmed"
    assert [d["version"] for d in client.get("/api/v1/definitions").get_json() if d["key"] == "margin_money"] == [1]
    confirmed = _upload(client, {"other.bpmn": UNRELATED.encode()}, confirm_replace="true")
    assert confirmed.status_code == 201 and confirmed.get_json()["definition"]["version"] == 2
    # An edit (steps in common) needs no confirmation, nor does going back to a version by number.
    back = client.post("/api/v1/definitions/margin_money/rollback", json={"version": 1, "comment": "Undo"})
    assert back.status_code == 201
    edited = client.post(
        "/api/v1/definitions/margin_money/versions",
        json={"files": {k: v.decode() for k, v in _mm().items()}, "comment": "Site visit"},
    )
    assert edited.status_code == 201 and edited.get_json()["definition"]["version"] == 4
