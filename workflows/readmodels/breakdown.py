"""The computed benefit as a task page shows it: each share, the cap that applied, the total.

Which lines, with which labels, at which steps, is the scheme bundle's `breakdown`
(workflows/catalogue/bundle_extras.py); the values are the process data the task sees.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from engine.models import Task, TaskState
from workflows.catalogue import form_rules
from workflows.catalogue.schemes import Scheme
from workflows.uow import SchemeUnitOfWork


@dataclass(frozen=True)
class Line:
    label: str
    label_hi: str
    amount: int | None
    capped: bool

    def label_in(self, language: str) -> str:
        return self.label_hi if language == "hi" and self.label_hi else self.label


def task_data(uow: SchemeUnitOfWork, task: Task) -> dict[str, Any]:
    """The process data as the open task `task` sees it (computed amounts included); {} once it is done."""
    if task.state not in TaskState.OPEN:
        return {}
    workflow = uow.instances.workflow(uow.instances.get(task.instance_id))
    spiff_task = workflow.get_task_from_id(UUID(task.id))
    return dict(spiff_task.data) if spiff_task is not None else {}


def _amount(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def lines(scheme: Scheme, step: str, data: Mapping[str, Any]) -> list[Line]:
    """The breakdown lines for a task page of `step`; none when the scheme shows none there or the
    process data does not hold them (an application on an older flow)."""
    out = []
    for line in scheme.breakdown_at(step):
        amount = _amount(data.get(line["field"]))
        if amount is None:
            return []
        context = dict(data)
        rule = {"message": line["label"]}
        capped = False
        if line.get("capped_if"):
            try:
                capped = bool(form_rules.holds(line["capped_if"], data))
            except Exception:  # noqa: BLE001 - a mark that cannot be worked out is left off
                capped = False
        out.append(Line(form_rules.message(rule, context), form_rules.message(rule, context, "hi"), amount, capped))
    return out
