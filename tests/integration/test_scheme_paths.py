"""Every path of the three shipped processes, driven through the use cases with persistence."""

from __future__ import annotations

import pytest

from engine.runtime import Runtime
from tests.integration.scheme_helpers import DISBURSED, LOAN, open_task, set_up, step, submit, walk
from workflows.uow import SchemeUnitOfWork
from workflows.usecases.decisions import decide


@pytest.fixture
def rt(runtime: Runtime) -> Runtime:
    set_up(runtime)
    return runtime


MM_APPROVE = [
    ("dic_scrutiny", "approve"),
    ("dtf_committee", "approve"),
    ("bank_appraisal", "approve", LOAN),
    ("bank_disbursement", "approve", DISBURSED),
    ("gm_release", "approve"),
]


def test_margin_money_approved_with_benefit_from_dmn(rt: Runtime) -> None:
    number = submit(rt, "MM")
    assert number.startswith("MM/UP/AGR/2025-26/")
    application = walk(rt, number, MM_APPROVE)
    assert application.status == "approved"
    assert application.benefit_amount == 625_000  # 30 lakh: max(6.25 lakh, 20%)
    assert open_task(rt, number) is None


def test_margin_money_return_and_resubmit_loop(rt: Runtime) -> None:
    number = submit(rt, "MM")
    application = step(rt, number, "dic_scrutiny", "return", "Upload a clear passbook copy.")
    assert application.status == "returned"
    with SchemeUnitOfWork(rt) as uow:  # the applicant corrects the project cost while answering
        task = open_task(rt, number)
        assert task is not None and task.lane == "applicant"
        application = decide(uow, task.id, actor="applicant1.agr", outcome="submit", remarks="Uploaded.", fields={"project_cost": 8_000_000})
    assert application.status == "in_process" and application.data["project_cost"] == 8_000_000
    walk(rt, number, [("dic_scrutiny", "return"), ("provide_clarification", "submit")])
    application = walk(rt, number, MM_APPROVE)
    assert application.status == "approved"
    assert application.benefit_amount == 1_000_000  # 80 lakh: max(10 lakh, 8 lakh)


@pytest.mark.parametrize("at", range(5))
def test_margin_money_rejected_at_each_step(rt: Runtime, at: int) -> None:
    number = submit(rt, "MM")
    steps = [*MM_APPROVE[:at], (MM_APPROVE[at][0], "reject")]
    application = walk(rt, number, steps)
    assert application.status == "rejected"
    assert application.benefit_amount is None
    assert application.remarks == "Please clarify."
    assert open_task(rt, number) is None


CFC_SANCTION = [
    ("dic_scrutiny", "approve"),
    ("district_committee_review", "approve"),
    ("technical_appraisal", "approve", {"appraised_cost": 50_000_000}),
    ("state_committee_approval", "approve"),
]
CFC_INSTALMENTS = [
    ("release_instalment", "approve"),
    ("submit_utilisation_certificate", "submit"),
    ("verify_utilisation_certificate", "approve"),
    ("release_instalment", "approve"),
]


def test_cfc_sanction_and_two_instalments(rt: Runtime) -> None:
    number = submit(rt, "CFC")
    application = walk(rt, number, CFC_SANCTION)
    assert application.benefit_amount == 45_000_000  # 90% of 5 crore
    assert application.status == "in_process"
    application = walk(rt, number, CFC_INSTALMENTS)
    assert application.status == "approved" and application.benefit_amount == 45_000_000


def test_cfc_grant_at_the_15_crore_cap_is_13_5_crore(rt: Runtime) -> None:
    number = submit(rt, "CFC", project_cost=150_000_000)
    steps = [*CFC_SANCTION[:2], ("technical_appraisal", "approve", {"appraised_cost": 150_000_000}), *CFC_SANCTION[3:]]
    application = walk(rt, number, [*steps, *CFC_INSTALMENTS])
    assert application.benefit_amount == 135_000_000


def test_cfc_grant_is_computed_from_the_appraised_cost(rt: Runtime) -> None:
    number = submit(rt, "CFC")  # 5 crore claimed
    steps = [*CFC_SANCTION[:2], ("technical_appraisal", "approve", {"appraised_cost": 40_000_000})]
    assert walk(rt, number, steps).benefit_amount == 36_000_000  # 90% of the appraised 4 crore


def test_cfc_return_loops(rt: Runtime) -> None:
    number = submit(rt, "CFC")
    walk(rt, number, [("dic_scrutiny", "return"), ("provide_clarification", "submit")])
    walk(rt, number, CFC_SANCTION[:2])
    walk(rt, number, [("technical_appraisal", "return"), ("provide_clarification_dpr", "submit")])
    walk(rt, number, CFC_SANCTION[2:])
    walk(rt, number, [
        ("release_instalment", "approve"),
        ("submit_utilisation_certificate", "submit"),
        ("verify_utilisation_certificate", "return"),
        ("submit_utilisation_certificate", "submit"),
        ("verify_utilisation_certificate", "approve"),
    ])
    application = walk(rt, number, [("release_instalment", "approve")])
    assert application.status == "approved"


@pytest.mark.parametrize("at", range(4))
def test_cfc_rejected_at_each_step(rt: Runtime, at: int) -> None:
    number = submit(rt, "CFC")
    application = walk(rt, number, [*CFC_SANCTION[:at], (CFC_SANCTION[at][0], "reject")])
    assert application.status == "rejected" and application.benefit_amount is None


MDA_APPROVE = [
    ("dic_verification", "approve"),
    ("gm_sanction", "approve"),
    ("record_payment", "approve", {"payment_reference": "PFMS0001"}),
]


def test_marketing_assistance_paid_with_caps(rt: Runtime) -> None:
    number = submit(rt, "MDA", actor="fc.agr")
    application = walk(rt, number, MDA_APPROVE)
    # stall 75% of 80,000 capped at 50,000; freight 75% of 12,000 capped at 7,500; travel 2,400
    assert (application.status, application.benefit_amount) == ("approved", 59_900)


def test_marketing_assistance_international_cap(rt: Runtime) -> None:
    number = submit(rt, "MDA", fair_type="international", stall_charges=400_000, freight_charges=4_000, travel_fare=0)
    application = walk(rt, number, MDA_APPROVE)
    assert application.benefit_amount == 200_000 + 3_000


def test_marketing_assistance_return_loop(rt: Runtime) -> None:
    number = submit(rt, "MDA")
    walk(rt, number, [("dic_verification", "return"), ("provide_clarification", "submit")])
    assert walk(rt, number, MDA_APPROVE).status == "approved"


@pytest.mark.parametrize("at", range(2))
def test_marketing_assistance_rejected(rt: Runtime, at: int) -> None:
    number = submit(rt, "MDA")
    application = walk(rt, number, [*MDA_APPROVE[:at], (MDA_APPROVE[at][0], "reject")])
    assert application.status == "rejected"
