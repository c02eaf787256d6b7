"""Scheme bundles on a real database: publishing from the repository, validation before publishing,
versions and rollback, applications staying on their version, closing, decision forms, checklists,
and the Skill Development & Toolkit scheme that ships as data only."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from engine.runtime import Runtime
from tests import identities
from tests.files import pdf
from tests.integration.scheme_helpers import LOAN, open_task, set_up, step, submit, walk
from web.infra.config import ROOT
from workflows.catalogue.bundles import load_folder, problems
from workflows.catalogue.schemes import catalogue, get_scheme
from workflows.errors import ValidationFailed
from workflows.models import SchemeVersion
from workflows.uow import SchemeUnitOfWork
from workflows.usecases import scheme_admin
from workflows.usecases.decisions import claim, decide
from workflows.usecases.deployment import deploy_directory
from workflows.usecases.documents import FolderStore, Upload
from workflows.usecases.submission import submit_application

PDF = pdf()
SDT: dict[str, Any] = {
    "applicant_name": "Ramesh Prajapati", "mobile": "9876543210", "date_of_birth": "1985-03-01", "gender": "male",
    "trade": "pottery", "artisan_status": "unskilled", "years_in_trade": 12, "address": "Kumhar Mohalla, Agra",
}  # fmt: skip


@pytest.fixture
def rt(runtime: Runtime) -> Runtime:
    set_up(runtime)
    return runtime


def test_the_repository_bundles_are_published_once(rt: Runtime) -> None:
    with SchemeUnitOfWork(rt) as uow:
        assert set(catalogue(uow.session)) == {"MM", "CFC", "MDA", "SDT"}
        assert {s.version for s in catalogue(uow.session).values()} == {1}
    deploy_directory(lambda: SchemeUnitOfWork(rt), ROOT / "bpmn", actor="admin")  # identical: nothing new
    with SchemeUnitOfWork(rt) as uow:
        assert len(list(uow.session.scalars(select(SchemeVersion)))) == 4


def _flow(rt: Runtime, process: str) -> dict[str, bytes]:
    with SchemeUnitOfWork(rt) as uow:
        return {n: b.encode() for n, b in uow.definitions.require_latest(process).files.items()}


def test_validation_lists_every_problem_in_plain_words(rt: Runtime) -> None:
    bundle = load_folder(ROOT / "bpmn" / "schemes" / "margin_money")
    files = _flow(rt, "margin_money")
    assert problems(bundle, files, others=[("CFC", "cfc")]) == []
    bad = copy.deepcopy(bundle)
    bad["forms"]["application"]["components"] = [c for c in bad["forms"]["application"]["components"] if c["key"] != "project_cost"]
    bad["checklist"][0]["type"] = "horoscope"
    del bad["forms"]["bank_loan"]
    found = problems(bad, files, others=[("CFC", "margin_money")])
    text = "\n".join(found)
    assert "reads 'project_cost', which no form asks for and the flow does not set" in text  # the DMN input
    assert "The step 'Bank appraisal and loan sanction' uses the form 'bank_loan', which the scheme does not have." in text
    assert "the document type is not known" in text
    assert "The process 'margin_money' already belongs to the scheme CFC." in text
    condition = files["margin_money.bpmn"].replace(b'outcome == "approve"', b'outcom == "approve"', 1)
    assert any("reads 'outcom'" in p for p in problems(bundle, {**files, "margin_money.bpmn": condition}))


def test_a_wrong_name_in_a_rule_and_a_missing_flow_are_reported(rt: Runtime) -> None:
    bundle = load_folder(ROOT / "bpmn" / "schemes" / "skill_toolkit")
    bundle["rules"].append({"field": "trade", "check": "trade_name != ''", "message": {"en": "x", "hi": "x"}})
    found = problems(bundle, None)
    assert "Rule 2 (`trade_name != ''`) reads 'trade_name', which is not a field of the application form." in found
    assert any("No flow has been deployed" in p for p in found)


def _publish(rt: Runtime, bundle: dict, comment: str = "Budget 2026-27") -> SchemeVersion:
    with SchemeUnitOfWork(rt) as uow:
        scheme_admin.save_draft(uow, actor="admin", bundle=bundle)
    with SchemeUnitOfWork(rt) as uow:
        row, created = scheme_admin.publish(uow, actor="admin", code=bundle["code"], comment=comment)
        assert created
        return row


def test_applications_stay_on_the_version_they_were_filed_under(rt: Runtime) -> None:
    old_number = submit(rt, "MM")
    with SchemeUnitOfWork(rt) as uow:
        bundle = scheme_admin.working_bundle(uow, actor="admin", code="MM")
    bundle["forms"]["application"]["components"].append(
        {"type": "textfield", "key": "gstin", "label": "GST identification number", "validate": {"required": True}}
    )
    row = _publish(rt, bundle)
    assert row.version == 2
    with pytest.raises(ValidationFailed) as caught:
        submit(rt, "MM")
    assert caught.value.fields == {"gstin": ["Required."]}
    new_number = submit(rt, "MM", gstin="09AAACH7409R1ZZ")
    with SchemeUnitOfWork(rt) as uow:
        assert uow.applications.by_number(old_number).scheme_version == 1
        assert uow.applications.by_number(new_number).scheme_version == 2
    # The old application is corrected against the form it was filed with (no GSTIN asked).
    step(rt, old_number, "dic_scrutiny", "return", "Correct the cost.")
    task = open_task(rt, old_number)
    with SchemeUnitOfWork(rt) as uow:
        application = decide(uow, task.id, actor="applicant1.agr", outcome="submit", remarks="Done.", fields={"project_cost": 900_000})
    assert application.data["project_cost"] == 900_000 and "gstin" not in application.data
    # Compare and roll back: version 3 is version 1 again.
    with SchemeUnitOfWork(rt) as uow:
        assert scheme_admin.compare(uow, actor="admin", code="MM", old=1, new=2) == ["form 'application': field 'gstin' added"]
    with SchemeUnitOfWork(rt) as uow:
        row, _ = scheme_admin.rollback(uow, actor="admin", code="MM", number=1, comment="GSTIN not yet notified")
    with SchemeUnitOfWork(rt) as uow:
        assert row.version == 3 and get_scheme(uow.session, "MM").field_names == get_scheme(uow.session, "MM", 1).field_names
    submit(rt, "MM")


def test_only_administrators_publish_and_a_comment_is_required(rt: Runtime) -> None:
    with SchemeUnitOfWork(rt) as uow:
        bundle = scheme_admin.working_bundle(uow, actor="admin", code="MDA")
    with SchemeUnitOfWork(rt) as uow, pytest.raises(Exception, match="Only administrators"):
        scheme_admin.save_draft(uow, actor="dic.agr", bundle=bundle)
    with SchemeUnitOfWork(rt) as uow, pytest.raises(ValidationFailed, match="Say what changed"):
        scheme_admin.publish(uow, actor="admin", code="MDA", comment=" ")
    bundle["checklist"][0]["type"] = "unknown"
    with SchemeUnitOfWork(rt) as uow:
        scheme_admin.save_draft(uow, actor="admin", bundle=bundle)
    with SchemeUnitOfWork(rt) as uow, pytest.raises(ValidationFailed) as caught:
        scheme_admin.publish(uow, actor="admin", code="MDA", comment="Try")
    assert any("not known" in p for p in caught.value.fields["bundle"])
    with SchemeUnitOfWork(rt) as uow:
        assert get_scheme(uow.session, "MDA").version == 1  # nothing stored


def test_a_closed_scheme_takes_no_applications(rt: Runtime) -> None:
    number = submit(rt, "MDA")
    with SchemeUnitOfWork(rt) as uow:
        scheme_admin.close(uow, actor="admin", code="MDA", on=date(2020, 3, 31), comment="Scheme closed")
    with pytest.raises(ValidationFailed, match="does not take applications"):
        submit(rt, "MDA")
    walk(rt, number, [("dic_verification", "approve")])  # running applications go on


def test_a_decision_form_is_required_to_approve_only(rt: Runtime) -> None:
    number = walk(rt, submit(rt, "MM"), [("dic_scrutiny", "approve"), ("dtf_committee", "approve")]).number
    for fields, error in (({}, "Required."), ({"loan_amount": 0}, "Enter a whole number of rupees above zero."),
                          ({"loan_amount": "lots"}, "Enter a whole number of rupees above zero.")):  # fmt: skip
        with pytest.raises(ValidationFailed) as caught:
            step(rt, number, "bank_appraisal", "approve", **{**LOAN, "loan_amount": None, **fields})
        assert caught.value.fields == {"loan_amount": [error]}
    assert step(rt, number, "bank_appraisal", "reject", "Not bankable.").status == "rejected"


def _submit_sdt(rt: Runtime, store: FolderStore, data: dict, kinds: tuple[str, ...]) -> str:
    person = {"aadhaar": identities.aadhaar(), "family_id": identities.family_id()}  # a new artisan each time
    with SchemeUnitOfWork(rt) as uow:
        return submit_application(
            uow, scheme_code="SDT", district_code="AGR", data={**person, **data}, actor="applicant1.agr",
            documents=[Upload(kind=k, filename=f"{k}.pdf", content=PDF) for k in kinds], store=store,
        ).number  # fmt: skip


def test_skill_toolkit_unskilled_path_trains_then_gives_the_toolkit(rt: Runtime, tmp_path) -> None:  # noqa: ANN001
    store = FolderStore(tmp_path)
    with pytest.raises(ValidationFailed) as caught:
        _submit_sdt(rt, store, SDT, ())
    assert caught.value.fields == {"aadhaar": ["Aadhaar card is required."]}
    number = _submit_sdt(rt, store, SDT, ("aadhaar",))
    assert number.startswith("SDT/UP/AGR/")
    application = walk(rt, number, [
        ("dic_verification", "approve"),
        ("assign_batch", "approve", {"batch_code": "AGR-POT-07", "training_start": "2026-01-05"}),
        ("record_attendance", "approve", {"days_attended": 9}),
        ("gm_voucher", "approve", {"voucher_number": "EV-2026-0001"}),
    ])  # fmt: skip
    assert application.status == "approved" and application.benefit_amount == 15_000  # pottery, from the DMN table
    number = _submit_sdt(rt, store, SDT, ("aadhaar",))
    walk(rt, number, [("dic_verification", "approve"), ("assign_batch", "approve", {"batch_code": "B1X", "training_start": "2026-01-05"})])
    assert walk(rt, number, [("record_attendance", "approve", {"days_attended": 5})]).status == "rejected"


def test_skill_toolkit_skilled_artisans_need_the_rpl_certificate(rt: Runtime, tmp_path) -> None:  # noqa: ANN001
    store = FolderStore(tmp_path)
    skilled = {**SDT, "artisan_status": "skilled", "trade": "weaving"}
    with pytest.raises(ValidationFailed) as caught:
        _submit_sdt(rt, store, skilled, ("aadhaar",))
    assert caught.value.fields == {"rpl_certificate": ["RPL certificate (skilled artisans) is required."]}
    number = _submit_sdt(rt, store, skilled, ("aadhaar", "rpl_certificate"))
    application = walk(rt, number, [("dic_verification", "approve"), ("gm_voucher", "approve", {"voucher_number": "EV-2026-0002"})])
    assert application.benefit_amount == 20_000  # weaving, from the DMN table


def test_a_new_scheme_from_a_template(rt: Runtime) -> None:
    with SchemeUnitOfWork(rt) as uow:
        scheme_admin.create(uow, actor="admin", code="PMV", process="vishwakarma", name_en="PM Vishwakarma",
                            name_hi="पीएम विश्वकर्मा", template="verify_and_sanction")  # fmt: skip
    with SchemeUnitOfWork(rt) as uow, pytest.raises(ValidationFailed, match="already used"):
        scheme_admin.create(uow, actor="admin", code="PMV", process="other", name_en="X", name_hi="", template="verify_and_sanction")
    with SchemeUnitOfWork(rt) as uow:
        assert any("eligibility" in p for p in scheme_admin.validate(uow, actor="admin", code="PMV"))
        bundle = scheme_admin.working_bundle(uow, actor="admin", code="PMV")
    bundle["eligibility"] = {"en": "Traditional artisans.", "hi": "पारंपरिक कारीगर।"}
    with SchemeUnitOfWork(rt) as uow:
        scheme_admin.save_draft(uow, actor="admin", bundle=bundle)
    with SchemeUnitOfWork(rt) as uow:
        assert scheme_admin.validate(uow, actor="admin", code="PMV") == []
    _publish_draft(rt, "PMV")
    with SchemeUnitOfWork(rt) as uow:
        number = submit_application(uow, scheme_code="PMV", district_code="AGR", data={"applicant_name": "Kamla Devi"},
                                    actor="applicant1.agr").number  # fmt: skip
    application = walk(rt, number, [("dic_verification", "approve"), ("gm_sanction", "approve")])
    assert application.status == "approved" and application.benefit_amount == 0


def _publish_draft(rt: Runtime, code: str) -> None:
    with SchemeUnitOfWork(rt) as uow:
        scheme_admin.publish(uow, actor="admin", code=code, comment="First version")


def test_claim_and_decide_still_check_the_lane(rt: Runtime) -> None:
    number = submit(rt, "MDA")
    task = open_task(rt, number)
    with SchemeUnitOfWork(rt) as uow, pytest.raises(Exception, match="for the role dic_officer"):
        claim(uow, [task.id], actor="gm.agr")
