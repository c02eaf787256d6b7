"""MDA and CFC money rules through the use cases (issue 16): the GM sanctions at most the computed
amount (less only with reasons) and that amount is the benefit; the technical appraisal records an
appraised cost no higher than the claim, the grant follows it; the task pages show the breakdown."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.runtime import Runtime
from sla.calendar import BusinessCalendar, WeeklyOffs
from stats import recorder
from stats.models import ApplicationFact
from tests.integration.scheme_helpers import open_task, set_up, step, submit, walk
from workflows.errors import ValidationFailed
from workflows.readmodels.task_page import task_details
from workflows.uow import SchemeUnitOfWork

CALENDAR = BusinessCalendar("UP", holidays={}, weekly_offs=WeeklyOffs())


@pytest.fixture
def rt(runtime: Runtime) -> Runtime:
    recorder.install(runtime, lambda uow, year: CALENDAR)
    set_up(runtime)
    return runtime


def _refused(rt: Runtime, number: str, bpmn_id: str, remarks: str = "", **fields: object) -> dict[str, list[str]]:
    with pytest.raises(ValidationFailed) as caught:
        step(rt, number, bpmn_id, "approve", remarks, **fields)
    assert open_task(rt, number).bpmn_id == bpmn_id  # nothing moved
    return caught.value.fields


def _page(rt: Runtime, number: str, actor: str):  # noqa: ANN202
    with SchemeUnitOfWork(rt) as uow:
        return task_details(uow, actor=actor, task_id=open_task(rt, number).id)


def test_travel_is_capped_and_the_breakdown_is_shown_to_the_dic_and_the_gm(rt: Runtime) -> None:
    number = submit(rt, "MDA", travel_fare=900_000)  # the claim: computed at Rs 9,52,500 before
    dic = _page(rt, number, "dic.agr")
    assert [(line.label, line.amount, line.capped) for line in dic.breakdown] == [
        ("Stall: 75% of Rs 80,000, at most Rs 50,000", 50_000, True),
        ("Freight: 75% of Rs 12,000, at most Rs 7,500", 7_500, True),
        ("Travel fare of one person: Rs 9,00,000, at most Rs 10,000", 10_000, True),
        ("Total admissible (computed)", 67_500, False),
    ]
    assert dic.breakdown[2].label_in("hi") == "एक व्यक्ति का यात्रा किराया: 9,00,000 रुपये, अधिकतम 10,000 रुपये"
    step(rt, number, "dic_verification", "approve")
    gm = _page(rt, number, "gm.agr")
    assert [line.amount for line in gm.breakdown] == [50_000, 7_500, 10_000, 67_500]
    assert gm.decision_defaults == {"sanctioned_amount": 67_500}  # the form proposes the computed amount


def test_the_gm_sanctions_at_most_the_computed_amount_and_less_only_with_reasons(rt: Runtime) -> None:
    number = submit(rt, "MDA")  # computed 59,900
    walk(rt, number, [("dic_verification", "approve")])
    above = _refused(rt, number, "gm_sanction", sanctioned_amount=59_901)
    assert above == {"sanctioned_amount": ["The sanctioned amount cannot be more than the computed admissible amount of Rs 59,900."]}
    lower = _refused(rt, number, "gm_sanction", sanctioned_amount=45_000)
    assert lower == {"remarks": ["Give the reasons for sanctioning less than the computed Rs 59,900."]}
    application = step(rt, number, "gm_sanction", "approve", "Freight bill covers only one of two consignments.",
                       sanctioned_amount=45_000)  # fmt: skip
    assert application.benefit_amount == 45_000
    application = walk(rt, number, [("record_payment", "approve", {"payment_reference": "PFMS0002"})])
    assert (application.status, application.benefit_amount) == ("approved", 45_000)
    with SchemeUnitOfWork(rt) as uow:
        fact = uow.session.scalars(select(ApplicationFact).where(ApplicationFact.instance_id == application.instance_id)).one()
        assert (fact.benefit_sanctioned, fact.benefit_released) == (45_000, 45_000)


def test_sanctioning_the_computed_amount_needs_no_reasons(rt: Runtime) -> None:
    number = submit(rt, "MDA")
    walk(rt, number, [("dic_verification", "approve")])
    assert step(rt, number, "gm_sanction", "approve", sanctioned_amount=59_900).benefit_amount == 59_900


def test_appraised_cost_above_the_claim_is_refused_and_the_slc_sees_the_grant(rt: Runtime) -> None:
    number = submit(rt, "CFC")  # 5 crore claimed
    walk(rt, number, [("dic_scrutiny", "approve"), ("district_committee_review", "approve")])
    assert _refused(rt, number, "technical_appraisal") == {"appraised_cost": ["Required."]}
    assert _refused(rt, number, "technical_appraisal", appraised_cost=50_000_001) == {
        "appraised_cost": ["The appraised cost cannot be more than the project cost claimed, Rs 5,00,00,000."]
    }
    step(rt, number, "technical_appraisal", "approve", appraised_cost=42_000_000)
    slc = _page(rt, number, "slc")
    assert [(line.label, line.amount, line.capped) for line in slc.breakdown] == [
        ("Project cost claimed", 50_000_000, False),
        ("Appraised cost (technical appraisal)", 42_000_000, False),
        ("Cost counted: the appraised cost, at most Rs 15,00,00,000", 42_000_000, False),
        ("Grant: 90% of the cost counted", 37_800_000, False),
    ]
    assert slc.application.benefit_amount == 37_800_000


def test_a_cfc_above_the_cap_is_refused_at_submission(rt: Runtime) -> None:
    with pytest.raises(ValidationFailed) as caught:
        submit(rt, "CFC", project_cost=150_000_001)
    assert caught.value.fields["project_cost"] == ["The project cost can be at most Rs 15,00,00,000 (15 crore)."]
