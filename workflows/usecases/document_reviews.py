"""An officer returning an application marks documents unacceptable, each with a reason (D74).

The marks are recorded in the transaction of the return (`workflows.usecases.decisions.decide`);
the documents stay, and the applicant answers the return with replacements
(`workflows.usecases.clarification`), so the history keeps both.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select

from engine.models import Task
from workflows.models import Application, Document, DocumentReview
from workflows.uow import SchemeUnitOfWork

MAX_REASON = 500
RETURN = "return"


def reason_field(document_id: int) -> str:
    """The form field (and error key) of a document's reason."""
    return f"unacceptable_reason_{document_id}"


def check_marks(
    uow: SchemeUnitOfWork, application: Application, outcome: str, marks: Mapping[int, str]
) -> dict[str, list[str]]:
    """What is wrong with the marks (field errors), empty when they can be recorded."""
    if not marks:
        return {}
    if outcome != RETURN:
        return {"unacceptable": ["Documents can be marked unacceptable only when returning the application to the applicant."]}
    errors: dict[str, list[str]] = {}
    ids = set(uow.session.scalars(select(Document.id).where(Document.application_id == application.id)))
    for document_id, reason in marks.items():
        if document_id not in ids:
            errors.setdefault("unacceptable", []).append(f"Document {document_id} is not a document of {application.number}.")
        elif not (reason or "").strip():
            errors[reason_field(document_id)] = ["Say why the document is unacceptable."]
        elif len(reason) > MAX_REASON:
            errors[reason_field(document_id)] = [f"At most {MAX_REASON} characters."]
    return errors


def record_marks(uow: SchemeUnitOfWork, application: Application, task: Task, actor: str, marks: Mapping[int, str]) -> None:
    """Add a review row per marked document (checked first with `check_marks`); no commit."""
    if not marks:
        return
    now = uow.clock.now()
    query = select(Document.id, Document.kind).where(Document.id.in_(list(marks)))
    kinds: dict[int, str] = {row[0]: row[1] for row in uow.session.execute(query)}
    for document_id, reason in sorted(marks.items()):
        uow.session.add(DocumentReview(
            document_id=document_id, application_id=application.id, task_id=task.id, reason=reason.strip(),
            reviewed_by=actor, reviewed_at=now,
        ))  # fmt: skip
        uow.audit.record(
            "document_unacceptable", actor, instance_id=application.instance_id, task_id=task.id, document_id=document_id,
            document_kind=kinds[document_id], reason=reason.strip(),
        )
