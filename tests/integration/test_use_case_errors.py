"""Bad input and wrong people get a specific error, and nothing stored changes."""

from __future__ import annotations

import threading

import pytest

from engine.errors import TaskAlreadyCompleted, TaskClaimedByOther
from engine.runtime import Runtime
from tests.files import checklist_documents
from tests.integration.scheme_helpers import DATA, open_task, set_up, snapshot, step, submit
from workflows.errors import NotAllowed, UnknownScheme, ValidationFailed
from workflows.uow import SchemeUnitOfWork
from workflows.usecases.decisions import claim, decide, reassign, unclaim
from workflows.usecases.submission import submit_application


@pytest.fixture
def rt(runtime: Runtime) -> Runtime:
    set_up(runtime)
    return runtime


def _submit(rt: Runtime, **kwargs) -> None:  # noqa: ANN003
    args = {"scheme_code": "MM", "district_code": "AGR", "data": DATA["MM"], "actor": "applicant1.agr"} | kwargs
    with SchemeUnitOfWork(rt) as uow:
        submit_application(uow, **(checklist_documents(uow, "MM", DATA["MM"]) | args))


def test_invalid_application_data(rt: Runtime) -> None:
    before = snapshot(rt)
    with pytest.raises(ValidationFailed) as caught:
        _submit(rt, data={**DATA["MM"], "project_cost": -5, "mobile": "abc"})
    assert set(caught.value.fields) == {"project_cost", "mobile"}
    assert snapshot(rt) == before


def test_unknown_scheme(rt: Runtime) -> None:
    before = snapshot(rt)
    with pytest.raises(UnknownScheme, match="no scheme 'XYZ'"):
        _submit(rt, scheme_code="XYZ")
    assert snapshot(rt) == before


def test_officer_cannot_submit(rt: Runtime) -> None:
    with pytest.raises(NotAllowed, match="Only applicants and facilitation centres"):
        _submit(rt, actor="dic.agr")


def test_rejection_without_remarks(rt: Runtime) -> None:
    number = submit(rt)
    task = open_task(rt, number)
    before = snapshot(rt)
    with pytest.raises(ValidationFailed) as caught, SchemeUnitOfWork(rt) as uow:
        decide(uow, task.id, actor="dic.agr", outcome="reject", remarks="  ")
    assert caught.value.fields == {"remarks": ["Remarks are required to reject an application."]}
    assert snapshot(rt) == before


def test_outcome_not_allowed_at_step(rt: Runtime) -> None:
    number = submit(rt)
    step(rt, number, "dic_scrutiny", "approve")
    task = open_task(rt, number)  # the committee may recommend or reject, not return
    with pytest.raises(ValidationFailed, match="outcome"), SchemeUnitOfWork(rt) as uow:
        decide(uow, task.id, actor="dtf.agr", outcome="return", remarks="why")


def test_bank_must_give_loan_amount(rt: Runtime) -> None:
    number = submit(rt)
    step(rt, number, "dic_scrutiny", "approve")
    step(rt, number, "dtf_committee", "approve")
    task = open_task(rt, number)
    with pytest.raises(ValidationFailed) as caught, SchemeUnitOfWork(rt) as uow:
        decide(uow, task.id, actor="bank.agr", outcome="approve", fields={"loan_amount": "lots"})
    assert "loan_amount" in caught.value.fields


@pytest.mark.parametrize(
    ("actor", "fragment"),
    [
        ("gm.agr", "is for the role dic_officer; you are gm_dic"),
        ("dic.mbd", "belongs to district AGR; you work for MBD"),
        ("applicant2.agr", "is for the role dic_officer"),
        ("nodal1", "is for the role dic_officer"),
    ],
)
def test_decision_by_wrong_role_or_district(rt: Runtime, actor: str, fragment: str) -> None:
    number = submit(rt)
    task = open_task(rt, number)
    before = snapshot(rt)
    with pytest.raises(NotAllowed, match=fragment), SchemeUnitOfWork(rt) as uow:
        decide(uow, task.id, actor=actor, outcome="approve")
    with pytest.raises(NotAllowed), SchemeUnitOfWork(rt) as uow:
        claim(uow, [task.id], actor=actor)
    assert snapshot(rt) == before


def test_only_the_applicant_answers_a_return(rt: Runtime) -> None:
    number = submit(rt)
    step(rt, number, "dic_scrutiny", "return", "Need passbook.")
    task = open_task(rt, number)
    with pytest.raises(NotAllowed, match="Only the applicant"), SchemeUnitOfWork(rt) as uow:
        decide(uow, task.id, actor="applicant2.agr", outcome="submit")


def test_claimed_task_is_locked_to_its_claimer(rt: Runtime) -> None:
    number = submit(rt)
    task = open_task(rt, number)
    with SchemeUnitOfWork(rt) as uow:
        claim(uow, [task.id], actor="dic.agr")
    with SchemeUnitOfWork(rt) as uow:
        uow.session.add(__import__("workflows.models", fromlist=["User"]).User(username="dic2.agr", full_name="Dic Two", role="dic_officer", district_code="AGR", active=True))
        uow.commit()
    with pytest.raises(TaskClaimedByOther), SchemeUnitOfWork(rt) as uow:
        decide(uow, task.id, actor="dic2.agr", outcome="approve")
    with pytest.raises(TaskClaimedByOther), SchemeUnitOfWork(rt) as uow:
        unclaim(uow, task.id, actor="dic2.agr")


def test_supervisor_reassigns_with_reason(rt: Runtime) -> None:
    number = submit(rt)
    task = open_task(rt, number)
    with pytest.raises(NotAllowed, match="do not supervise"), SchemeUnitOfWork(rt) as uow:
        reassign(uow, [task.id], actor="gm.mbd", to="dic.agr", reason="leave")
    with pytest.raises(ValidationFailed, match="reason"), SchemeUnitOfWork(rt) as uow:
        reassign(uow, [task.id], actor="gm.agr", to="dic.agr", reason="")
    with pytest.raises(ValidationFailed, match="cannot work"), SchemeUnitOfWork(rt) as uow:
        reassign(uow, [task.id], actor="gm.agr", to="dic.mbd", reason="leave")
    with SchemeUnitOfWork(rt) as uow:
        (moved,) = reassign(uow, [task.id], actor="gm.agr", to="dic.agr", reason="Officer on leave")
    assert moved.assignee == "dic.agr" and moved.state == "claimed"
    with SchemeUnitOfWork(rt) as uow:
        events = [e for e in uow.audit.for_instance(moved.instance_id) if e.kind == "task_reassigned"]
    assert events[0].actor == "gm.agr" and events[0].payload["reason"] == "Officer on leave"


def test_double_decision_second_gets_clear_error(rt: Runtime) -> None:
    number = submit(rt)
    task = open_task(rt, number)
    with SchemeUnitOfWork(rt) as uow:
        decide(uow, task.id, actor="dic.agr", outcome="approve")
    with pytest.raises(TaskAlreadyCompleted, match="already completed by dic.agr"), SchemeUnitOfWork(rt) as uow:
        decide(uow, task.id, actor="dic.agr", outcome="approve")


def test_application_numbers_unique_under_concurrency(rt: Runtime) -> None:
    numbers: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(6)

    def applicant() -> None:
        try:
            barrier.wait()
            for _ in range(3):
                numbers.append(submit(rt))
        except BaseException as err:  # noqa: BLE001
            errors.append(err)

    threads = [threading.Thread(target=applicant) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(numbers) == 18 and len(set(numbers)) == 18
    assert sorted(int(n.rsplit("/", 1)[1]) for n in numbers) == list(range(1, 19))
