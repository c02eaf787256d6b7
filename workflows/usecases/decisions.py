"""Use cases on tasks: claim, unclaim, decide (approve / return / reject), reassign."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from engine.commands import claim_task, complete_task, reassign_task, unclaim_task
from engine.messages import Text
from engine.models import Task
from workflows import access, banks, eligibility, identity, loans
from workflows.catalogue import bundle_extras, forms, roles
from workflows.catalogue.names import step_names
from workflows.catalogue.numbering import IST
from workflows.catalogue.schemes import Scheme, decision_form, remember_version, scheme_of
from workflows.errors import NotAllowed, ValidationFailed
from workflows.models import Application, User
from workflows.progress import apply_step
from workflows.readmodels.breakdown import task_data
from workflows.uow import SchemeUnitOfWork
from workflows.usecases import document_reviews

NEEDS_REMARKS = ("return", "reject")
# A decided amount (e.g. the bank's loan) above this is a typing mistake, and beyond what a column holds.
MAX_AMOUNT = 10**12


def _task_and_application(uow: SchemeUnitOfWork, task_id: str) -> tuple[Task, Application]:
    task = uow.tasks.get(task_id)
    return task, uow.applications.by_instance(task.instance_id)


def _worker_task_and_application(uow: SchemeUnitOfWork, task_id: str, actor: str) -> tuple[User, Task, Application]:
    """In one statement when all are there; else one by one, for the error that says what is missing."""
    loaded = uow.applications.for_decision(task_id, actor)
    if loaded is not None:
        user, task, application, scheme_key = loaded
        uow.tasks.locked_by_read(task_id)
        if scheme_key is not None and application.scheme_version:
            remember_version(uow.session, application.scheme_code, application.scheme_version, scheme_key)
        return user, task, application
    user = uow.users.by_username(actor)
    return (user, *_task_and_application(uow, task_id))


def claim(uow: SchemeUnitOfWork, task_ids: Iterable[str], *, actor: str) -> list[Task]:
    """Claim one or several tasks; all or none."""
    claimed = []
    for task_id in task_ids:
        loaded = uow.applications.for_claim(task_id, actor)
        if loaded is not None:
            uow.tasks.locked_by_read(task_id)
            user, task, application = loaded
        else:
            user, task, application = _worker_task_and_application(uow, task_id, actor)
        access.require_work(user, task, application)
        claimed.append(claim_task(uow, task_id, actor=actor))
    uow.commit()
    return claimed


def unclaim(uow: SchemeUnitOfWork, task_id: str, *, actor: str) -> Task:
    user = uow.users.by_username(actor)
    task, application = _task_and_application(uow, task_id)
    access.require_work(user, task, application)
    result = unclaim_task(uow, task_id, actor=actor)
    uow.commit()
    return result


def reassign(
    uow: SchemeUnitOfWork, task_ids: Iterable[str], *, actor: str, to: str | None, reason: str
) -> list[Task]:
    """A supervisor gives tasks to another officer of the task's role (or back to the pool)."""
    user = uow.users.by_username(actor)
    if not reason or not reason.strip():
        raise ValidationFailed("Give a reason for the reassignment.", {"reason": ["Required."]})
    target = uow.users.by_username(to) if to else None
    moved = []
    for task_id in task_ids:
        task, application = _task_and_application(uow, task_id)
        if not access.may_supervise_task(user, task):
            raise NotAllowed(f"You do not supervise '{task.name}' of {application.number}.")
        if target is not None and not access.may_work_task(target, task, application):
            raise ValidationFailed(
                f"{target.username} cannot work '{task.name}' of {application.number}.",
                {"to": [f"{target.username} is {target.role} in {target.district_code or 'the state'}."]},
            )
        moved.append(reassign_task(uow, task_id, to=to, actor=actor, reason=reason.strip()))
    uow.commit()
    return moved


def decide(
    uow: SchemeUnitOfWork,
    task_id: str,
    *,
    actor: str,
    outcome: str,
    remarks: str = "",
    fields: Mapping[str, Any] | None = None,
    expected_version: int | None = None,
    posted: bool = False,
    unacceptable: Mapping[int, str] | None = None,
) -> Application:
    """Record a decision on a task and move the application on; commits once.

    `fields` are the step's decision form (or, for an applicant's answer, corrections to the
    application form); `posted` says they are an HTML form's strings, to be read by the form.
    `unacceptable` maps documents found unacceptable to the reason, with a return (D74).
    """
    user, task, application = _worker_task_and_application(uow, task_id, actor)
    access.require_work(user, task, application)
    marks = dict(unacceptable or {})
    mark_errors = document_reviews.check_marks(uow, application, outcome, marks)
    data = _decision_data(uow, task, application, outcome, remarks, fields or {}, posted, mark_errors)
    if task.lane == roles.DIC_OFFICER and outcome == "approve":
        # The first office step checks eligibility against the records again (D71).
        scheme = scheme_of(uow.session, application)
        eligibility.refuse(scheme, eligibility.findings(uow, scheme, application), at="approved")
    document_reviews.record_marks(uow, application, task, actor, marks)
    result = complete_task(uow, task_id, actor=actor, data=data, expected_version=expected_version)
    loans.record(uow, scheme_of(uow.session, application), task, application, data, actor)
    apply_step(uow, application, result)
    if remarks.strip():
        application.remarks = remarks.strip()
    uow.commit()
    return application


def _decision_data(
    uow: SchemeUnitOfWork,
    task: Task,
    application: Application,
    outcome: str,
    remarks: str,
    extra: Mapping[str, Any],
    posted: bool = False,
    mark_errors: Mapping[str, list[str]] | None = None,
) -> dict[str, Any]:
    definition = uow.definitions.summary(uow.instances.get(task.instance_id).definition_id)
    props = definition.user_tasks.get(task.bpmn_id, {}).get("properties", {})
    allowed = [o.strip() for o in props.get("outcomes", "approve,return,reject").split(",") if o.strip()]
    errors: dict[str, list[str]] = dict(mark_errors or {})
    if outcome not in allowed:
        errors["outcome"] = [Text("choose_outcome", f"Choose one of: {', '.join(allowed)}.", outcomes=allowed)]
    if outcome in NEEDS_REMARKS and not remarks.strip():
        errors["remarks"] = [Text(f"remarks_to_{outcome}", f"Remarks are required to {outcome} an application.")]
    if len(remarks) > 2000:
        errors["remarks"] = [Text("max_length", "At most 2000 characters.", n=2000)]
    data: dict[str, Any] = {"outcome": outcome, "remarks": remarks.strip()}
    scheme = scheme_of(uow.session, application)
    if task.lane == roles.APPLICANT:
        if extra:
            changes = forms.coerce(list(scheme.fields), extra) if posted else dict(extra)
            changes = {k: v for k, v in changes.items() if application.data.get(k) != v} if posted else changes
            data.update(_clarified_fields(uow, scheme, application, changes, errors))
    elif outcome not in NEEDS_REMARKS:
        # The step's decision form is what an approval records (a return or rejection needs remarks only).
        form = decision_form(uow, task, application)
        values = forms.coerce(form, extra) if posted else {f.key: extra.get(f.key) for f in form if f.key in extra}
        cleaned, field_errors = forms.check(form, values)
        errors.update(field_errors or _broken_decision_rules(uow, scheme, task, form, {**cleaned, "remarks": remarks.strip()}))
        loans.check(uow, scheme, task, application, outcome, cleaned, errors, uow.clock.now().astimezone(IST).date())
        data.update(cleaned)
    if errors:
        raise ValidationFailed(Text(
            "decision_incomplete", f"The decision on '{task.name}' is not complete.", step=step_names(task.name)
        ), errors)
    return data


def _broken_decision_rules(
    uow: SchemeUnitOfWork, scheme: Scheme, task: Task, form: list[forms.Field], values: Mapping[str, Any]
) -> dict[str, list[str]]:
    """The scheme's rules for this decision form (an amount within what was computed or claimed)."""
    definition = uow.definitions.summary(uow.instances.get(task.instance_id).definition_id)
    rules = scheme.decision_rules(definition.user_tasks.get(task.bpmn_id, {}).get("properties", {}).get("form_key"))
    if not rules:
        return {}
    return bundle_extras.broken_decision_rules(rules, task_data(uow, task), [f.key for f in form], values)


def _clarified_fields(
    uow: SchemeUnitOfWork, scheme: Scheme, application: Application, extra: Mapping[str, Any], errors: dict[str, list[str]]
) -> dict[str, Any]:
    """An applicant answering a return may correct the application; the result must still be valid."""
    if not extra:
        return {}
    try:
        day = application.submitted_at.astimezone(IST).date()
        cleaned = scheme.validate({**application.data, **extra}, application_date=day, masked_ok=True)
    except ValidationFailed as err:
        errors.update(err.fields)
        return {}
    try:
        routed = banks.routed_branch(uow.session, scheme, application.district_code, cleaned)
    except ValidationFailed as err:
        errors.update(err.fields)
        return {}
    # A corrected Aadhaar number is kept as its hash and mask, like at submission (D70).
    key = identity.key_of(uow.runtime) if identity.AADHAAR in extra else b""
    cleaned, aadhaar_hash = identity.protect(cleaned, key)
    application.data = cleaned
    application.bank_ifsc = routed
    application.aadhaar_hash = aadhaar_hash or application.aadhaar_hash
    application.family_id = cleaned.get(identity.FAMILY_ID)
    application.udyam_number = cleaned.get(identity.UDYAM)
    if {identity.AADHAAR, identity.FAMILY_ID, identity.UDYAM, "registration_number"} & set(extra):
        eligibility.claim(uow, scheme, application)
    return {k: cleaned[k] for k in extra if k in cleaned}
