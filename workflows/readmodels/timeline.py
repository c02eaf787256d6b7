"""An application's history in plain words, from the audit log and the task history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from engine.models import AuditEvent, Task
from workflows.uow import SchemeUnitOfWork

# Events an applicant or officer cares about; the rest (data_changed ...) stay in the audit log.
SHOWN = ("instance_started", "task_created", "task_claimed", "task_unclaimed", "task_reassigned", "task_completed",
         "document_uploaded", "document_unacceptable", "process_called", "message_received", "signal_received",
         "appeal_filed", "appeal_decided", "application_reopened")


@dataclass(frozen=True)
class Entry:
    at: datetime
    actor: str
    kind: str
    step: str | None
    outcome: str | None
    remarks: str | None
    detail: dict


def timeline(uow: SchemeUnitOfWork, instance_id: int, *, with_people: bool = True) -> list[Entry]:
    """Oldest first. `with_people=False` replaces officers' user names by their office (for applicants)."""
    tasks: dict[str, Task] = {t.id: t for t in uow.tasks.for_instance(instance_id)}
    events: list[AuditEvent] = list(uow.audit.for_instance(instance_id))
    remarks = {
        e.task_id: (e.payload or {}).get("data", {}).get("remarks") for e in events if e.kind == "data_changed" and e.task_id
    }
    entries = []
    for e in events:
        if e.kind not in SHOWN:
            continue
        task = tasks.get(e.task_id or "")
        actor = e.actor
        if not with_people and task is not None and task.lane != "applicant":
            actor = task.lane or "office"
        payload = e.payload or {}
        entries.append(
            Entry(
                at=e.at,
                actor=actor,
                kind=e.kind,
                step=task.name if task else None,
                outcome=payload.get("outcome"),
                remarks=(remarks.get(e.task_id) or None) if e.kind == "task_completed" else payload.get("reason"),
                detail={
                    **({k: v for k, v in payload.items() if k in ("to", "previous", "document_kind")} if with_people else {}),
                    # what was called or received: a process name and version, a message or signal name
                    **{k: v for k, v in payload.items() if k in ("key", "version", "message", "signal", "level", "cause", "due_at")},
                },
            )
        )
    return entries
