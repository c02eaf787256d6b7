"""Use case: the applicant answers a return for clarification, with corrections and documents."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from engine.messages import Text
from workflows import access
from workflows.catalogue.schemes import Scheme, scheme_of
from workflows.errors import NotAllowed
from workflows.models import Application
from workflows.readmodels.checklist import acceptable_kinds, files_of, unacceptable_kinds
from workflows.uow import SchemeUnitOfWork
from workflows.usecases.decisions import decide
from workflows.usecases.documents import FolderStore, StoredFiles, Upload, check_checklist, check_uploads

# Reads the answer's form for the application's scheme: the typed values of its fields.
ReadForm = Callable[[Scheme], Mapping[str, Any]]


def answer_clarification(
    uow: SchemeUnitOfWork,
    store: FolderStore,
    *,
    actor: str,
    number: str,
    task_id: str,
    remarks: str,
    read_form: ReadForm,
    uploads: Sequence[Upload] = (),
) -> Application:
    """Documents, corrections and the resubmission are stored together or not at all; commits once.

    The corrections are the fields of the form (`read_form`) whose value differs from the
    application's, read and compared in the same transaction as the answer.
    """
    application = uow.applications.by_number(number)
    if not access.may_see_application(uow.users.by_username(actor), application):
        raise NotAllowed(Text("cannot_see", f"You cannot see {number}.", number=number))
    scheme = scheme_of(uow.session, application)
    form = read_form(scheme)
    changes = {k: v for k, v in form.items() if application.data.get(k) != v}
    task = uow.tasks.get(task_id)
    if task.instance_id != application.instance_id:
        raise NotAllowed(f"That task does not belong to {number}.")
    content_types = check_uploads(uploads, scheme.document_kinds, by_kind=True)
    # Every document the (corrected) application needs must be there, and each one an officer
    # found unacceptable replaced (D74).
    held = files_of(uow.session, application)
    check_checklist(
        scheme, {**application.data, **changes}, uploads, content_types,
        kept=acceptable_kinds(held), unacceptable=unacceptable_kinds(held),
    )
    with StoredFiles(store) as files:
        for upload, content_type in zip(uploads, content_types, strict=True):
            files.attach(uow, application, actor, upload, content_type)
        return decide(uow, task_id, actor=actor, outcome="submit", remarks=remarks, fields=changes)
