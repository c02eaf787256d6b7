"""Deemed approval: a step whose policy says so is approved by the system when its time limit
passes without a decision (some Right to Services Acts provide this). Off unless the BPMN asks."""

from __future__ import annotations

from engine.commands import complete_task
from engine.models import Task
from engine.uow import UnitOfWork
from workflows.progress import apply_step
from workflows.uow import SchemeUnitOfWork
from workflows.usecases.decisions import _decision_data

REMARKS = "Deemed approved: the time limit passed without a decision."


def deem_approved(uow: UnitOfWork, task: Task) -> None:
    """Runs inside the scheduler's transaction (which commits); refuses steps needing more data."""
    if not isinstance(uow, SchemeUnitOfWork):
        raise TypeError("Deemed approval needs the scheme layer's unit of work.")
    application = uow.applications.by_instance(task.instance_id)
    # The same checks as an officer's approval: a step that needs e.g. a loan amount cannot be deemed.
    data = _decision_data(uow, task, application, "approve", REMARKS, {})
    # Whoever holds the step, the system decides it; complete_task checks the row at write time.
    result = complete_task(uow, task.id, actor="system", data=data, override_claim=True)
    apply_step(uow, application, result)
    application.remarks = REMARKS
