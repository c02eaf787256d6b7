"""Keeps an application's own columns (status, benefit, decision date) in step with its process."""

from __future__ import annotations

from engine.commands import StepResult
from engine.models import InstanceStatus
from workflows.applicant_notices import notify_applicant
from workflows.catalogue.schemes import Scheme, scheme_of
from workflows.models import Application, ApplicationStatus
from workflows.uow import SchemeUnitOfWork


def apply_step(uow: SchemeUnitOfWork, application: Application, result: StepResult) -> None:
    scheme = scheme_of(uow.session, application)
    benefit = result.data.get(scheme.benefit_field)
    if isinstance(benefit, int | float) and not isinstance(benefit, bool):
        application.benefit_amount = int(benefit)
    instance = result.instance
    now = uow.clock.now()
    application.updated_at = now
    if instance.status == InstanceStatus.COMPLETED:
        approved = (instance.end_event or "").startswith("end_approved")
        application.status = ApplicationStatus.APPROVED if approved else ApplicationStatus.REJECTED
        application.decided_at = now
        if not approved:
            application.benefit_amount = None
        elif result.task is not None and result.task.bpmn_id in scheme.release_steps and result.task.bpmn_id != scheme.sanction_step:
            _released(uow, application, scheme, result)  # the last instalment: told like the others
        # Keyed by the round: a round reopened by an appeal (D86) ends with a notice of its own.
        notify_applicant(
            uow, application, "application_approved" if approved else "application_rejected",
            key=f"final:{instance.id}", remarks=str(result.data.get("remarks") or ""),
        )
        return
    # Returned while the applicant owes an answer to a "return"; utilisation certificates and
    # other applicant steps that are part of the normal path do not count as returned.
    returned = result.task is not None and result.task.outcome == "return"
    application.status = ApplicationStatus.RETURNED if returned else ApplicationStatus.IN_PROCESS
    if returned and result.task is not None:
        notify_applicant(uow, application, "application_returned", key=result.task.id,
                         remarks=str(result.data.get("remarks") or ""))
    elif result.task is not None and result.task.bpmn_id in scheme.release_steps:
        _released(uow, application, scheme, result)
    elif result.task is not None and result.task.bpmn_id == scheme.sanction_step and result.task.outcome == "approve":
        notify_applicant(uow, application, "application_sanctioned", key="sanction")


def _released(uow: SchemeUnitOfWork, application: Application, scheme: Scheme, result: StepResult) -> None:
    """A release (a CFC instalment): which one, and how much so far of the sanctioned amount."""
    assert result.task is not None
    released, count = result.data.get(scheme.released_field), result.data.get("released")
    notify_applicant(uow, application, "benefit_released", key=f"release:{result.task.id}", extra={
        "released": _whole(released), "total": application.benefit_amount,
        "instalment": count if isinstance(count, int) and not isinstance(count, bool) else "",
    })


def _whole(value: object) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
