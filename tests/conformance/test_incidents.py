"""A signal that fails in one instance becomes an incident an administrator retries; the others go on."""

from __future__ import annotations

from sqlalchemy import select

from engine.models import Notification, Timer, TimerState
from engine.timers import retry_incident
from sla.incidents import open_incidents
from tests.conformance.conftest import Driver
from web.infra.config import ROOT
from workflows.models import Application, District, User
from workflows.usecases.deployment import deploy_directory


def _give_application(driver: Driver, business_key: str) -> None:
    """Make the instance an application's, so the notice to its applicant can be sent."""
    now = driver.clock.now()
    with driver.uow() as uow:
        instance = uow.instances.by_business_key(business_key)
        uow.session.add(District(code="AGR", state_code="UP", name="Agra", division="Agra", odop_product="Leather"))
        applicant = User(username="applicant1.agr", full_name="Sunita Devi", role="applicant", district_code="AGR")
        uow.session.add(applicant)
        uow.flush()
        uow.session.add(Application(
            number=business_key, scheme_code="MDA", district_code="AGR", applicant_id=applicant.id,
            filed_by_id=applicant.id, applicant_name="Sunita Devi", instance_id=instance.id, status="in_process",
            data={}, submitted_at=now, updated_at=now,
        ))
        uow.commit()
    deploy_directory(driver.uow, ROOT / "bpmn", actor="admin")  # the MDA bundle names the scheme in the notice


def test_a_signal_failing_in_one_instance_is_an_incident_that_can_be_retried(driver: Driver) -> None:
    driver.deploy("signal_then_service.bpmn")
    driver.deploy("signal_catch.bpmn")
    driver.start("signal_then_service", business_key="APP-1")  # not an application yet: its notice fails
    driver.start("signal_catch", business_key="S-1")
    assert driver.signal("budget_released", {"head": "2851"}) == 1
    assert driver.open_steps("S-1") == ["disburse"], "the other instance got the signal"
    assert driver.open_steps("APP-1") == []
    with driver.uow() as uow:
        timers, _ = open_incidents(uow)
        (incident,) = timers
        assert incident.kind == "signal" and incident.payload["signal"] == "budget_released"
        assert "No application belongs to process instance" in (incident.last_error or "")
    driver.business_key = "APP-1"
    assert [e.payload["signal"] for e in driver.events("signal_incident")] == ["budget_released"]

    _give_application(driver, "APP-1")
    with driver.uow() as uow:
        retry_incident(uow, incident.id, actor="admin")
        uow.commit()
    assert driver.advance(seconds=1) == 1, "the sweep delivered the signal again"
    assert driver.open_steps("APP-1") == ["disburse"]
    assert driver.data("APP-1")["head"] == "2851" and driver.data("APP-1")["notice"]["number"] == "APP-1"
    with driver.uow() as uow:
        assert uow.session.get(Timer, incident.id).state == TimerState.FIRED
        notes = uow.session.scalars(select(Notification).where(Notification.template == "process_notice")).all()
        assert [n.recipient for n in notes] == ["applicant1.agr"]
        assert notes[0].params["remarks"] == "The budget was released."
