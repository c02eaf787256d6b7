"""Applicant portal: apply (with drafts and documents), track, answer a clarification, upload."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from engine.errors import StaleState, TaskAlreadyCompleted, TaskNotReady
from web.auth import actor, require_roles
from web.bootstrap import calendar_provider
from web.extensions import document_store, settings, uow
from web.forms import coerce, describe
from workflows import drafts, roles
from workflows.clarification import answer_clarification
from workflows.documents import KINDS, Upload, read_document, upload_document
from workflows.errors import ValidationFailed
from workflows.schemes import catalogue, get_scheme
from workflows.submission import submit_application
from workflows.tracking import application_details, applications_of

bp = Blueprint("portal", __name__)
FILERS = (roles.APPLICANT, roles.FACILITATION_OPERATOR)


def _uploads() -> list[Upload]:
    uploads = []
    for i, file in enumerate(request.files.getlist("document")):
        if file and file.filename:
            kinds = request.form.getlist("document_kind")
            kind = kinds[i] if i < len(kinds) and kinds[i] else "other"
            uploads.append(Upload(kind=kind, filename=file.filename, content=file.read()))
    return uploads


@bp.get("/applications")
@login_required
def applications():  # noqa: ANN201
    page = request.args.get("page", "1")
    status = request.args.get("status") or None
    with uow() as work:
        listing = applications_of(work, actor=actor(), status=status, page=int(page) if page.isdigit() else 1)
        mine = drafts.drafts_of(work, actor=actor()) if current_user.files_applications else []
        schemes = catalogue(work.session)
    return render_template("applications.html", listing=listing, drafts=mine, status=status, schemes=schemes)


@bp.get("/apply")
@login_required
@require_roles(*FILERS)
def schemes():  # noqa: ANN201
    with uow() as work:
        offered = catalogue(work.session)
        today = work.clock.now().date()
    return render_template("schemes.html", schemes=offered, today=today)


@bp.route("/apply/<scheme_code>", methods=["GET", "POST"])
@login_required
@require_roles(*FILERS)
def apply(scheme_code: str):  # noqa: ANN201
    with uow() as work:
        scheme = get_scheme(work.session, scheme_code)
    specs = describe(scheme)
    draft_id = request.values.get("draft", "")
    values: dict = {}
    if request.method == "GET" and draft_id.isdigit():
        with uow() as work:
            values = dict(drafts.get_draft(work, actor=actor(), draft_id=int(draft_id)).data)
    elif request.method == "GET":
        # Prefilled from a link, e.g. a trade fair on the public dashboard; still checked on submit.
        values = {k: v for k, v in request.args.items() if k in scheme.field_names}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values = request.form.to_dict()
        data = coerce(scheme, request.form)
        try:
            if request.form.get("action") == "draft":
                with uow() as work:
                    saved = drafts.save_draft(
                        work, actor=actor(), scheme_code=scheme.code, data=values,
                        draft_id=int(draft_id) if draft_id.isdigit() else None,
                    )
                flash(_("Draft saved. You can come back to it from “My applications”."))
                return redirect(url_for("portal.apply", scheme_code=scheme.code, draft=saved.id))
            with uow() as work:
                application = submit_application(
                    work,
                    scheme_code=scheme.code,
                    district_code=current_user.district_code or "",
                    data=data,
                    actor=actor(),
                    applicant=request.form.get("applicant") or None,
                    documents=_uploads(),
                    store=document_store(),
                )
            if draft_id.isdigit():
                with uow() as work:
                    drafts.discard_draft(work, actor=actor(), draft_id=int(draft_id))
            flash(_("Application submitted. Your application number is %(number)s.", number=application.number))
            return redirect(url_for("portal.application", number=application.number))
        except ValidationFailed as err:
            errors = err.fields or {"_schema": [str(err)]}
    status = 422 if errors else 200
    return render_template(
        "apply.html", scheme=scheme, specs=specs, values=values, errors=errors, kinds=KINDS, draft_id=draft_id,
        checklist=scheme.checklist,
    ), status


@bp.get("/applications/<path:number>")
@login_required
def application(number: str):  # noqa: ANN201
    with uow() as work:
        details = application_details(work, actor=actor(), number=number)
        submitted = details.application.submitted_at
        calendar = calendar_provider(settings().state, settings().weekly_offs)(work, submitted.year)
        overall_due = calendar.add_working_days(submitted, details.time_limit_days)
    return render_template(
        "application.html", d=details, specs=describe(details.scheme), kinds=KINDS, errors={}, values={},
        overall_due=overall_due,
    )


@bp.post("/applications/<path:number>/answer")
@login_required
@require_roles(*FILERS)
def answer(number: str):  # noqa: ANN201
    """The applicant answers a return: remarks, corrections to the form, new documents; one step."""
    try:
        with uow() as work:
            details = application_details(work, actor=actor(), number=number)
        changes = {k: v for k, v in coerce(details.scheme, request.form).items() if details.application.data.get(k) != v}
        with uow() as work:
            answer_clarification(
                work, document_store(), actor=actor(), number=number, task_id=request.form.get("task_id", ""),
                remarks=request.form.get("remarks", ""), changes=changes, uploads=_uploads(),
            )
    except ValidationFailed as err:
        flash(str(err), "error")
        return redirect(url_for("portal.application", number=number))
    except (TaskAlreadyCompleted, TaskNotReady, StaleState) as err:
        flash(str(err), "error")
        return redirect(url_for("portal.application", number=number))
    flash(_("Your answer was sent to the office."))
    return redirect(url_for("portal.application", number=number))


@bp.post("/applications/<path:number>/documents")
@login_required
def upload(number: str):  # noqa: ANN201
    uploads = _uploads()
    if not uploads:
        flash(_("Choose a file to upload."), "error")
        return redirect(url_for("portal.application", number=number))
    try:
        with uow() as work:
            upload_document(work, document_store(), actor=actor(), number=number, upload=uploads[0])
        flash(_("Document uploaded."))
    except ValidationFailed as err:
        flash(str(err), "error")
    return redirect(url_for("portal.application", number=number))


@bp.get("/documents/<int:document_id>")
@login_required
def document(document_id: int):  # noqa: ANN201
    with uow() as work:
        doc, content = read_document(work, document_store(), actor=actor(), document_id=document_id)
    response = Response(content, mimetype=doc.content_type)
    # Always a download, never rendered inline: an uploaded file must not run in our origin.
    response.headers["Content-Disposition"] = f'attachment; filename="document-{doc.id}{_ext(doc.content_type)}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _ext(content_type: str) -> str:
    return {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}.get(content_type, "")

