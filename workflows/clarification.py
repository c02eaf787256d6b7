"""Use case: the applicant answers a return for clarification, with corrections and documents."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from workflows.decisions import decide
from workflows.documents import FolderStore, StoredFiles, Upload, check_uploads
from workflows.errors import NotAllowed
from workflows.models import Application
from workflows.uow import SchemeUnitOfWork


def answer_clarification(
    uow: SchemeUnitOfWork,
    store: FolderStore,
    *,
    actor: str,
    number: str,
    task_id: str,
    remarks: str,
    changes: Mapping[str, Any],
    uploads: Sequence[Upload] = (),
) -> Application:
    """Documents, corrections and the resubmission are stored together or not at all; commits once."""
    application = uow.applications.by_number(number)
    task = uow.tasks.get(task_id)
    if task.instance_id != application.instance_id:
        raise NotAllowed(f"That task does not belong to {number}.")
    content_types = check_uploads(uploads)
    with StoredFiles(store) as files:
        for upload, content_type in zip(uploads, content_types, strict=True):
            files.attach(uow, application, actor, upload, content_type)
        return decide(uow, task_id, actor=actor, outcome="submit", remarks=remarks, fields=changes)
