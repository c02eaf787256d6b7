"""Use case: an applicant (or a facilitation centre for them) submits an application."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from engine.commands import StepResult, start_instance
from workflows import banks, eligibility, identity
from workflows.applicant_notices import notify_applicant
from workflows.catalogue import roles
from workflows.catalogue.numbering import IST, format_number, number_prefix
from workflows.catalogue.schemes import Scheme, get_scheme, remember_filing
from workflows.errors import DocumentsMissing, NotAllowed, ValidationFailed
from workflows.models import Application, ApplicationStatus, User
from workflows.progress import apply_step
from workflows.uow import SchemeUnitOfWork
from workflows.usecases import drafts
from workflows.usecases.documents import (
    FolderStore,
    StoredFiles,
    Upload,
    check_checklist,
    check_uploads,
)


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
    draft_id: int | None = None,
) -> Application:
    """Validate, number and start an application with its documents; commits once.

    `applicant` is needed when a facilitation operator files on someone's behalf (only for an
    applicant of the centre's own district, D47). Documents are
    checked before anything is stored; their files are removed again if the transaction fails.
    The draft `draft_id` the form was filled from is removed in the same transaction.
    """
    scheme = get_scheme(uow.session, scheme_code)
    user = uow.users.by_username(actor)
    owner = applicant_for(uow, user, applicant)
    if draft_id is not None:
        drafts.remove_with_submission(uow, user, draft_id)
    district = uow.districts.get(district_code)
    now = uow.clock.now()
    today = now.astimezone(IST).date()
    if not scheme.is_open(today):
        raise ValidationFailed(
            f"{scheme.name} does not take applications now.",
            {"scheme": [f"Open from {scheme.opens_on or 'the start'} to {scheme.closes_on or 'further notice'}."]},
        )
    cleaned, content_types = _checked(scheme, data, today, documents)
    # The full Aadhaar number goes no further than this: the process, the application's data and
    # every event see the masked number; the application keeps the keyed hash (D70).
    cleaned, aadhaar_hash = identity.protect(cleaned, identity.key_of(uow.runtime) if data.get(identity.AADHAAR) else b"")
    bank_ifsc = banks.routed_branch(uow.session, scheme, district.code, cleaned)
    if documents and store is None:
        raise ValueError("documents need a store")
    remember_filing(uow.session, scheme)
    prefix = number_prefix(scheme.code, district.state_code, district.code, now)
    number = format_number(prefix, uow.applications.next_number(prefix))
    result: StepResult = start_instance(
        uow,
        scheme.process_key,
        business_key=number,
        data=scheme.start_data(cleaned, district=district.code, number=number),
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
        bank_ifsc=bank_ifsc,
        status=ApplicationStatus.IN_PROCESS,
        data=cleaned,
        submitted_at=now,
        updated_at=now,
        aadhaar_hash=aadhaar_hash,
        family_id=cleaned.get(identity.FAMILY_ID),
        udyam_number=cleaned.get(identity.UDYAM),
    )
    uow.applications.add(application)
    uow.flush()
    eligibility.claim(uow, scheme, application)
    apply_step(uow, application, result)
    notify_applicant(uow, application, "application_submitted", key="submitted")
    with StoredFiles(store) as files:  # type: ignore[arg-type]
        if documents:
            for upload, content_type in zip(documents, content_types, strict=True):
                files.attach(uow, application, actor, upload, content_type)
        uow.commit()
    return application


def _checked(scheme: Scheme, data: Mapping[str, Any], today: date, documents: Sequence[Upload]) -> tuple[dict, list[str]]:
    """The cleaned data and each document's content type; or one error naming every problem of
    the form and of the documents together (so one refusal shows all that is to be corrected)."""
    problems: list[ValidationFailed] = []
    cleaned: Mapping[str, Any] = data
    try:
        cleaned = scheme.validate(data, application_date=today)
    except ValidationFailed as err:
        problems.append(err)
    content_types: list[str] = []
    try:
        content_types = check_uploads(documents, scheme.document_kinds, by_kind=True)
    except ValidationFailed as err:
        problems.append(err)
    try:
        if len(content_types) == len(documents):
            check_checklist(scheme, cleaned, documents, content_types)
        else:  # files refused above are reported there, not as missing as well
            check_checklist(scheme, cleaned, (), (), kept={u.kind for u in documents})
    except ValidationFailed as err:
        problems.append(err)
    if not problems:
        return dict(cleaned), content_types
    if len(problems) == 1:
        raise problems[0]
    fields: dict[str, list[str]] = {}
    for problem in problems:
        for key, messages in problem.fields.items():
            fields.setdefault(key, []).extend(messages)
    missing = [kind for p in problems if isinstance(p, DocumentsMissing) for kind in p.missing]
    message = f"The {scheme.name} application is not complete or not valid."
    raise DocumentsMissing(message, fields, missing) if missing else ValidationFailed(message, fields)


def applicant_for(uow: SchemeUnitOfWork, user: User, applicant: str | None) -> User:
    """Whom `user` files for: themselves, or for a facilitation centre the named applicant of its
    own district. A wrong name is a field error (the form is shown again with what was typed)."""
    if user.role == roles.APPLICANT:
        return user
    if user.role != roles.FACILITATION_OPERATOR:
        raise NotAllowed(f"Only applicants and facilitation centres submit applications; you are {user.role}.")
    name = (applicant or "").strip().lower()
    if not name:
        raise ValidationFailed("Name the applicant you are filing for.", {"applicant": ["Required."]})
    owner = uow.users.find(name) if name.isprintable() else None
    if owner is None or not owner.active:
        raise ValidationFailed(
            "There is no such applicant.", {"applicant": [f"There is no active user '{name}'; check the user name."]}
        )
    if owner.role != roles.APPLICANT:
        raise ValidationFailed("Applications are filed for applicants.", {"applicant": [f"{name} is not an applicant."]})
    if owner.district_code != user.district_code:
        raise ValidationFailed(
            "A facilitation centre files only for applicants of its own district.",
            {"applicant": [
                f"{name} is an applicant of district {owner.district_code}; a facilitation centre of "
                f"{user.district_code} files only for applicants of its own district."
            ]},
        )
    return owner
