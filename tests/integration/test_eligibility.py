"""Eligibility against the records, at submission and at the DIC's step, on SQLite and PostgreSQL:
each refusal names the rule and the earlier application's number; two submissions for one family
at the same moment cannot both pass (D71)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import delete, select

from engine.runtime import Runtime
from tests import identities
from tests.integration import scheme_helpers as h
from workflows.errors import NotEligible
from workflows.models import Application, District, EligibilityClaim
from workflows.uow import SchemeUnitOfWork
from workflows.usecases.decisions import claim, decide

MM_APPROVE = [
    ("dic_scrutiny", "approve"),
    ("dtf_committee", "approve"),
    ("bank_appraisal", "approve", h.LOAN),
    ("bank_disbursement", "approve", h.DISBURSED),
    ("gm_release", "approve"),
]
MDA_APPROVE = [
    ("dic_verification", "approve"),
    ("gm_sanction", "approve"),
    ("record_payment", "approve", {"payment_reference": "PFMS0001"}),
]


@pytest.fixture
def rt(runtime: Runtime) -> Runtime:
    h.set_up(runtime)
    return runtime


def _refused(rt: Runtime, scheme: str, **data: object) -> NotEligible:
    with pytest.raises(NotEligible) as caught:
        h.submit(rt, scheme, **data)
    return caught.value


def test_one_margin_money_per_family_while_open_or_approved(rt: Runtime) -> None:
    family = identities.family_id()
    first = h.submit(rt, "MM", family_id=family)
    refused = _refused(rt, "MM", family_id=family)
    assert "One Margin Money per family" in str(refused) and first in str(refused)
    assert first in refused.fields["family_id"][0]
    assert first in refused.fields["family_id"][0].hi and "परिवार" in refused.fields["family_id"][0].hi
    h.walk(rt, first, MM_APPROVE)
    assert first in str(_refused(rt, "MM", family_id=family))  # approved: still the family's one


def test_a_rejected_margin_money_frees_the_family(rt: Runtime) -> None:
    family = identities.family_id()
    first = h.submit(rt, "MM", family_id=family)
    h.walk(rt, first, [("dic_scrutiny", "reject")])
    second = h.submit(rt, "MM", family_id=family)
    assert second != first


def test_one_open_application_per_applicant_and_scheme(rt: Runtime) -> None:
    person = identities.aadhaar()
    first = h.submit(rt, "MM", aadhaar=person)
    refused = _refused(rt, "MM", aadhaar=f"{person[:4]} {person[4:8]} {person[8:]}")
    assert "One open application per applicant and scheme" in str(refused)
    assert first in refused.fields["aadhaar"][0]
    assert h.submit(rt, "MDA", aadhaar=person)  # another scheme is another matter
    h.walk(rt, first, [("dic_scrutiny", "reject")])
    assert h.submit(rt, "MM", aadhaar=person)  # decided: a new one may be filed


def test_cfc_spv_known_by_its_registration_number(rt: Runtime) -> None:
    first = h.submit(rt, "CFC", registration_number="U99999UP2024")
    refused = _refused(rt, "CFC", registration_number="u99999up2024")
    assert first in refused.fields["registration_number"][0]


def test_no_mda_within_two_years_of_the_last_approved_one(rt: Runtime, clock) -> None:  # noqa: ANN001
    unit, person = identities.udyam_number(), identities.aadhaar()
    first = h.submit(rt, "MDA", udyam_number=unit, aadhaar=person)
    h.walk(rt, first, MDA_APPROVE)
    by_unit = _refused(rt, "MDA", udyam_number=unit)
    assert "No Marketing" in str(by_unit) and "within 2 years" in str(by_unit)
    assert first in by_unit.fields["udyam_number"][0]
    by_person = _refused(rt, "MDA", aadhaar=person)
    assert first in by_person.fields["aadhaar"][0]
    clock.advance(days=2 * 365 + 1)
    today = clock.now().date()  # a fair of two years later, claimed in its window
    fair = {"fair_start": (today - timedelta(days=10)).isoformat(), "fair_end": (today - timedelta(days=5)).isoformat()}
    assert h.submit(rt, "MDA", udyam_number=unit, aadhaar=person, **fair)


def test_the_product_is_one_of_the_districts_products(rt: Runtime) -> None:
    refused = _refused(rt, "MM", product="Leather footwear")
    assert refused.fields["product"] == ["The product must be one of the district's ODOP products: Leather products."]
    with SchemeUnitOfWork(rt) as uow:
        uow.session.get(District, "AGR").odop_products = ["Leather products", "Stone craft"]
        uow.commit()
    assert h.submit(rt, "MM", product="Stone craft")


def test_the_dic_step_checks_again_and_refuses_the_approval(rt: Runtime) -> None:
    family = identities.family_id()
    first = h.submit(rt, "MM", family_id=family)
    with SchemeUnitOfWork(rt) as uow:  # as if the first had been filed before the rules existed
        uow.session.execute(delete(EligibilityClaim))
        uow.commit()
    second = h.submit(rt, "MM", family_id=family)
    task = h.open_task(rt, second)
    assert task is not None and task.bpmn_id == "dic_scrutiny"
    with SchemeUnitOfWork(rt) as uow:
        claim(uow, [task.id], actor="dic.agr")
    with pytest.raises(NotEligible) as refused, SchemeUnitOfWork(rt) as uow:
        decide(uow, task.id, actor="dic.agr", outcome="approve")
    assert first in refused.value.fields["family_id"][0]
    with SchemeUnitOfWork(rt) as uow:  # nothing was recorded; a rejection with remarks is possible
        assert uow.tasks.get(task.id).state == "claimed"
        decide(uow, task.id, actor="dic.agr", outcome="reject", remarks=f"The family already has {first}.")


def test_the_dic_sees_a_product_the_district_no_longer_lists(rt: Runtime) -> None:
    number = h.submit(rt, "MM")
    with SchemeUnitOfWork(rt) as uow:
        uow.session.get(District, "AGR").odop_products = ["Stone craft"]
        uow.commit()
    with pytest.raises(NotEligible, match="Stone craft"):
        h.walk(rt, number, MM_APPROVE[:1])


def test_two_submissions_for_one_family_at_once_do_not_both_pass(rt: Runtime, database_url: str) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite takes one writer at a time: the race is PostgreSQL's")
    family = identities.family_id()
    barrier = threading.Barrier(2)
    results: list[object] = []

    def file() -> None:
        barrier.wait()
        try:
            results.append(h.submit(rt, "MM", family_id=family))
        except NotEligible as err:
            results.append(err)
        except BaseException as err:  # noqa: BLE001 - reported below
            results.append(err)

    threads = [threading.Thread(target=file) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    numbers = [r for r in results if isinstance(r, str)]
    refusals = [r for r in results if isinstance(r, NotEligible)]
    assert len(numbers) == 1 and len(refusals) == 1, results
    assert numbers[0] in refusals[0].fields["family_id"][0]
    with SchemeUnitOfWork(rt) as uow:
        filed = uow.session.scalars(select(Application.number).where(Application.family_id == family)).all()
    assert filed == numbers


def test_the_checks_against_the_records_find_other_applications_by_their_identity_indexes(rt: Runtime) -> None:
    """Not by walking the scheme's applications: that took a second per decision at a million rows."""
    if rt.db.dialect.name != "sqlite":
        return  # the plans asserted are SQLite's (PostgreSQL chose the identity indexes already)
    from sqlalchemy import event  # noqa: PLC0415

    from workflows import eligibility  # noqa: PLC0415
    from workflows.catalogue.schemes import scheme_of  # noqa: PLC0415

    number = h.submit(rt, "MM", family_id=identities.family_id())
    seen: list[tuple[str, object]] = []

    def keep(_conn, _cursor, statement, parameters, _context, _many) -> None:  # noqa: ANN001
        if "FROM applications" in statement:
            seen.append((statement, parameters))

    with SchemeUnitOfWork(rt) as uow:
        application = uow.applications.by_number(number)
        scheme = scheme_of(uow.session, application)
        event.listen(rt.db, "before_cursor_execute", keep)
        try:
            eligibility.findings(uow, scheme, application)
        finally:
            event.remove(rt.db, "before_cursor_execute", keep)
    assert seen
    with SchemeUnitOfWork(rt) as uow:
        connection = uow.session.connection()
        for statement, parameters in seen:
            plan = " | ".join(row[-1] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters))
            assert "ix_applications_scheme_district_status" not in plan and "SCAN applications" not in plan, plan
            assert any(f"ix_applications_{key}" in plan for key in ("family_id", "aadhaar_hash", "udyam_number")), plan
