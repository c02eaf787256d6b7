"""Keeps an application's own columns (status, benefit, decision date) in step with its process."""

from __future__ import annotations

from engine.commands import StepResult
from engine.models import InstanceStatus
from workflows.applicant_notices import notify_applicant
from workflows.catalogue.schemes import scheme_of
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
        notify_applicant(
            uow, application, "application_approved" if approved else "application_rejected",
            key="final", remarks=str(result.data.get("remarks") or ""),
        )
        return
    # Returned while the applicant owes an answer to a "return"; utilisation certificates and
    # other applicant steps that are part of the normal path do not count as returned.
    returned = result.task is not None and result.task.outcome == "return"
    application.status = ApplicationStatus.RETURNED if returned else ApplicationStatus.IN_PROCESS
    if returned and result.task is not None:
        notify_applicant(uow, application, "application_returned", key=result.task.id,
                         remarks=str(result.data.get("remarks") or ""))
