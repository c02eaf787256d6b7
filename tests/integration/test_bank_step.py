"""The bank step of margin money on both databases (issue 16): applications routed to the branch
the applicant chose, bank officers scoped to their branch and to the fields they need, the loan
sanctioned (at most the project cost) and then disbursed, and the margin money released only after."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from engine.runtime import Runtime
from stats.filters import Filters
from stats.loans import loan_figures
from tests.flow_edits import margin_money_files
from tests.integration.scheme_helpers import DISBURSED, LOAN, MM_DATA, open_task, set_up, step, submit, walk
from workflows.errors import NotAllowed, ValidationFailed
from workflows.models import Loan
from workflows.readmodels.inbox import InboxQuery, inbox_page
from workflows.readmodels.task_page import task_details
from workflows.readmodels.tracking import application_details, applications_of
from workflows.uow import SchemeUnitOfWork
from workflows.usecases import accounts, flows
from workflows.usecases.decisions import claim

FIXTURES = Path(__file__).parent.parent / "fixtures"
TO_BANK = [("dic_scrutiny", "approve"), ("dtf_committee", "approve")]


@pytest.fixture
def rt(runtime: Runtime) -> Runtime:
    set_up(runtime)
    return runtime


def test_the_application_is_routed_to_a_branch_of_its_district(rt: Runtime) -> None:
    number = submit(rt, "MM")
    with SchemeUnitOfWork(rt) as uow:
        assert uow.applications.by_number(number).bank_ifsc == "SBIN0001735"
    for ifsc, says in (("SBIN0002498", "not a bank branch of district AGR"), ("HDFC0000001", "not a bank branch")):
        with pytest.raises(ValidationFailed) as refused:
            submit(rt, "MM", bank_ifsc=ifsc)
        assert list(refused.value.fields) == ["bank_ifsc"] and says in refused.value.fields["bank_ifsc"][0]
    with pytest.raises(ValidationFailed) as refused:
        submit(rt, "MM", bank_ifsc="SBIN-173")
    assert "4 letters, a zero" in refused.value.fields["bank_ifsc"][0]


def test_only_the_branch_officer_sees_and_works_the_case_and_only_the_fields_the_bank_needs(rt: Runtime) -> None:
    number = walk(rt, submit(rt, "MM"), TO_BANK).number
    mda = submit(rt, "MDA")
    task = open_task(rt, number)
    with SchemeUnitOfWork(rt) as uow:
        rows = inbox_page(uow, actor="bank.agr", query=InboxQuery()).rows
        assert [r.number for r in rows] == [number]
        assert inbox_page(uow, actor="bank2.agr", query=InboxQuery()).rows == []
        assert [a.number for a in applications_of(uow, actor="bank.agr").rows] == [number]
        assert applications_of(uow, actor="bank2.agr").rows == []
        seen = application_details(uow, actor="bank.agr", number=number).application.data
        assert seen["project_cost"] == MM_DATA["project_cost"] and seen["bank_ifsc"] == "SBIN0001735"
        assert not {"date_of_birth", "category", "gender"} & set(seen)
        assert "date_of_birth" not in task_details(uow, actor="bank.agr", task_id=task.id).application.data
        for who, what in (("bank2.agr", number), ("bank.agr", mda)):  # another branch; never MDA or CFC
            with pytest.raises(NotAllowed):
                application_details(uow, actor=who, number=what)
        with pytest.raises(NotAllowed):
            task_details(uow, actor="bank2.agr", task_id=task.id)
    with pytest.raises(NotAllowed, match="routed to bank branch SBIN0001735"), SchemeUnitOfWork(rt) as uow:
        claim(uow, [task.id], actor="bank2.agr")
    with SchemeUnitOfWork(rt) as uow:  # the DIC and the GM still see everything of the district
        assert "date_of_birth" in application_details(uow, actor="gm.agr", number=number).application.data
        assert uow.applications.by_number(number).data["date_of_birth"] == MM_DATA["date_of_birth"]  # nothing lost


def test_sanction_then_disbursement_then_release(rt: Runtime) -> None:
    number = walk(rt, submit(rt, "MM"), [*TO_BANK, ("bank_appraisal", "approve", LOAN)]).number
    assert open_task(rt, number).bpmn_id == "bank_disbursement"
    with pytest.raises(ValidationFailed) as refused:
        step(rt, number, "bank_disbursement", "approve", **{**DISBURSED, "disbursed_amount": LOAN["loan_amount"] + 1})
    assert list(refused.value.fields) == ["disbursed_amount"]
    assert "above the sanctioned loan" in refused.value.fields["disbursed_amount"][0]
    with pytest.raises(ValidationFailed) as refused:
        step(rt, number, "bank_disbursement", "approve", **{**DISBURSED, "disbursement_date": "2025-07-06"})
    assert "before the loan was sanctioned" in refused.value.fields["disbursement_date"][0]
    step(rt, number, "bank_disbursement", "approve", **DISBURSED)
    release = open_task(rt, number)
    assert release.bpmn_id == "gm_release"
    with SchemeUnitOfWork(rt) as uow:
        loan = uow.session.scalars(select(Loan)).one()
        assert (loan.sanctioned_amount, loan.account_number, loan.sanctioned_on, loan.sanctioned_by) == (
            2_500_000, "31234567890", date(2025, 7, 7), "bank.agr")
        assert (loan.disbursed_amount, loan.disbursed_on, loan.disbursed_by) == (2_500_000, date(2025, 7, 7), "bank.agr")
        shown = task_details(uow, actor="gm.agr", task_id=release.id).loan
        assert (shown.sanctioned_amount, shown.account_masked, shown.disbursed_on) == (2_500_000, "XXXX7890", date(2025, 7, 7))
        assert shown.bank_name == "State Bank of India"
        figures = loan_figures(uow.session, Filters(start=date(2025, 4, 1), end=date(2026, 3, 31)))
        assert [(f.district, f.sanctioned, f.sanctioned_amount, f.disbursed) for f in figures] == [("AGR", 1, 2_500_000, 1)]
    assert step(rt, number, "gm_release", "approve").status == "approved"


def test_a_loan_above_the_project_cost_is_refused_with_the_amounts(rt: Runtime) -> None:
    number = walk(rt, submit(rt, "MM"), TO_BANK).number
    with pytest.raises(ValidationFailed) as refused:
        step(rt, number, "bank_appraisal", "approve", **{**LOAN, "loan_amount": 50_000_000})
    assert refused.value.fields == {"loan_amount": [
        "The loan (₹ 5,00,00,000) is above the project cost (₹ 30,00,000); a loan may be at most the project cost."
    ]}
    with pytest.raises(ValidationFailed) as refused:
        step(rt, number, "bank_appraisal", "approve", **{**LOAN, "sanction_date": "2030-01-01"})
    assert refused.value.fields == {"sanction_date": ["The date cannot be in the future."]}
    with SchemeUnitOfWork(rt) as uow:
        assert uow.session.scalars(select(Loan)).all() == []
    step(rt, number, "bank_appraisal", "approve", **{**LOAN, "loan_amount": MM_DATA["project_cost"]})


def test_release_is_refused_before_the_loan_is_disbursed(rt: Runtime) -> None:
    """An application on a flow version without the disbursement step reaches the GM's release
    with the loan only sanctioned: the release waits for the disbursement."""
    with SchemeUnitOfWork(rt) as uow:
        older = (FIXTURES / "margin_money_without_disbursement.bpmn").read_text(encoding="utf-8")
        flows.deploy_flow(uow, actor="admin", files={**margin_money_files(), "margin_money.bpmn": older},
                          comment="Without the disbursement step", key="margin_money")
    number = walk(rt, submit(rt, "MM"), [*TO_BANK, ("bank_appraisal", "approve", LOAN)]).number
    with pytest.raises(ValidationFailed) as refused:
        step(rt, number, "gm_release", "approve")
    assert "only after the bank has disbursed the loan" in refused.value.fields["outcome"][0]
    assert step(rt, number, "gm_release", "reject", "No disbursement.").status == "rejected"


def test_an_administrator_puts_a_bank_officer_in_a_branch_of_their_district(rt: Runtime) -> None:
    common = dict(actor="admin", username="bank9.agr", full_name="Bank Nine", role="bank_officer", district_code="AGR",
                  password="a-long-password")
    with pytest.raises(ValidationFailed) as refused, SchemeUnitOfWork(rt) as uow:
        accounts.save_user(uow, **common, bank_ifsc="SBIN0002498")
    assert list(refused.value.fields) == ["bank_ifsc"]
    with SchemeUnitOfWork(rt) as uow:
        assert accounts.save_user(uow, **common, bank_ifsc="punb0098700").bank_ifsc == "PUNB0098700"
    number = walk(rt, submit(rt, "MM", bank_ifsc="PUNB0098700"), TO_BANK).number
    with SchemeUnitOfWork(rt) as uow:
        assert [r.number for r in inbox_page(uow, actor="bank9.agr", query=InboxQuery()).rows] == [number]


def test_reminders_of_a_bank_task_go_to_the_branch_officers_only(rt: Runtime) -> None:
    from workflows.directory import UserDirectory

    number = walk(rt, submit(rt, "MM"), TO_BANK).number
    task = open_task(rt, number)
    with SchemeUnitOfWork(rt) as uow:
        people = UserDirectory().lane_officers(uow, "bank_officer", "AGR", task.instance_id)
        assert [p[0] for p in people] == ["bank.agr"]
        assert [p[0] for p in UserDirectory().lane_officers(uow, "dic_officer", "AGR", task.instance_id)] == ["dic.agr"]


def test_a_disbursement_is_written_once_decided_on_the_row_as_it_is(rt: Runtime) -> None:
    from workflows import loans
    from workflows.catalogue.schemes import scheme_of

    number = walk(rt, submit(rt, "MM"), [*TO_BANK, ("bank_appraisal", "approve", LOAN),
                                         ("bank_disbursement", "approve", DISBURSED)]).number
    with SchemeUnitOfWork(rt) as uow:
        application = uow.applications.by_number(number)
        [task] = [t for t in uow.tasks.for_instance(application.instance_id) if t.bpmn_id == "bank_disbursement"]
        with pytest.raises(ValidationFailed) as refused:  # the conditional UPDATE finds no undisbursed loan
            loans.record(uow, scheme_of(uow.session, application), task, application,
                         {"outcome": "approve", **DISBURSED}, "bank.agr")
        assert list(refused.value.fields) == ["disbursed_amount"]
