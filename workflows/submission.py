"""Use case: an applicant (or a facilitation centre for them) submits an application."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from engine.commands import StepResult, start_instance
from workflows import roles
from workflows.documents import FolderStore, StoredFiles, Upload, check_checklist, check_uploads
from workflows.errors import NotAllowed, ValidationFailed
from workflows.models import Application, ApplicationStatus
from workflows.notices import notify_applicant
from workflows.numbering import IST, format_number, number_prefix
from workflows.progress import apply_step
from workflows.schemes import get_scheme
from workflows.uow import SchemeUnitOfWork


def submit_application(
    uow: SchemeUnitOfWork,
    *,
    scheme_code: str,
    district_code: str,
    data: Mapping[str, Any],
    actor: str,
    applicant: str | None = None,
    documents: Sequence[Upload] = (),
    store: FolderStore | None = None,
) -> Application:
    """Validate, number and start an application with its documents; commits once.

    `applicant` is needed when a facilitation operator files on someone's behalf. Documents are
    checked before anything is stored; their files are removed again if the transaction fails.
    """
    scheme = get_scheme(uow.session, scheme_code)
    user = uow.users.by_username(actor)
    if user.role == roles.APPLICANT:
        owner = user
    elif user.role == roles.FACILITATION_OPERATOR:
        if not applicant:
            raise ValidationFailed("Name the applicant you are filing for.", {"applicant": ["Required."]})
        owner = uow.users.by_username(applicant)
        if owner.role != roles.APPLICANT:
            raise ValidationFailed("Applications are filed for applicants.", {"applicant": [f"{applicant} is not an applicant."]})
    else:
        raise NotAllowed(f"Only applicants and facilitation centres submit applications; you are {user.role}.")
    district = uow.districts.get(district_code)
    now = uow.clock.now()
    today = now.astimezone(IST).date()
    if not scheme.is_open(today):
        raise ValidationFailed(
            f"{scheme.name} does not take applications now.",
            {"scheme": [f"Open from {scheme.opens_on or 'the start'} to {scheme.closes_on or 'further notice'}."]},
        )
    cleaned = scheme.validate(data, application_date=today)
    content_types = check_uploads(documents)
    check_checklist(scheme, cleaned, documents, content_types)
    if documents and store is None:
        raise ValueError("documents need a store")
    prefix = number_prefix(scheme.code, district.state_code, district.code, now)
    number = format_number(prefix, uow.applications.next_number(prefix))
    result: StepResult = start_instance(
        uow,
        scheme.process_key,
        business_key=number,
        data={**cleaned, "scheme": scheme.code, "district": district.code, "application_number": number},
        actor=actor,
        district=district.code,
    )
    application = Application(
        number=number,
        scheme_code=scheme.code,
        district_code=district.code,
        applicant_id=owner.id,
        filed_by_id=user.id,
        applicant_name=str(cleaned.get(scheme.applicant_name_field, owner.full_name)),
        instance_id=result.instance.id,
        scheme_version=scheme.version,
        status=ApplicationStatus.IN_PROCESS,
        data=cleaned,
        submitted_at=now,
        updated_at=now,
    )
    uow.applications.add(application)
    apply_step(uow, application, result)
    notify_applicant(uow, application, "application_submitted", key="submitted")
    with StoredFiles(store) as files:  # type: ignore[arg-type]
        if documents:
            uow.flush()
            for upload, content_type in zip(documents, content_types, strict=True):
                files.attach(uow, application, actor, upload, content_type)
        uow.commit()
    return application
