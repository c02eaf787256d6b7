"""Applicant portal: apply (with drafts and documents), track, answer a clarification, upload."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from web.infra import kept_uploads
from web.infra.auth import actor, require_roles
from web.infra.bootstrap import calendar_provider
from web.infra.errors import flash_and_redirect, kept_errors, kept_extra, kept_form, redirect_on_error
from web.infra.extensions import document_store, settings, uow
from web.infra.forms import coerce, describe
from workflows.catalogue import roles
from workflows.catalogue.document_types import OTHER
from workflows.catalogue.schemes import published, published_scheme
from workflows.errors import ValidationFailed
from workflows.form_choices import choices_for
from workflows.readmodels.tracking import application_details, applications_of
from workflows.usecases import drafts
from workflows.usecases.clarification import answer_clarification
from workflows.usecases.documents import Upload, read_document, upload_document
from workflows.usecases.letters import available_letters, letter_pdf
from workflows.usecases.submission import submit_application

bp = Blueprint("portal", __name__)
FILERS = (roles.APPLICANT, roles.FACILITATION_OPERATOR)


def _uploads() -> list[Upload]:
    """The files of the post: several per checklist item (`document_<type>`), and the single
    `document` with its `document_kind` (the upload form on the application page)."""
    uploads = []
    for i, file in enumerate(request.files.getlist("document")):
        if file and file.filename:
            kinds = request.form.getlist("document_kind")
            kind = kinds[i] if i < len(kinds) and kinds[i] else OTHER
            uploads.append(Upload(kind=kind, filename=file.filename, content=file.read()))
    for name in request.files:
        if name.startswith("document_"):
            kind = name.removeprefix("document_")
            uploads += [Upload(kind, f.filename, f.read()) for f in request.files.getlist(name) if f and f.filename]
    return uploads


@bp.get("/applications")
@login_required
def applications():  # noqa: ANN201
    page = request.args.get("page", "1")
    status = request.args.get("status") or None
    with uow() as work:
        listing = applications_of(work, actor=actor(), status=status, page=int(page) if page.isdigit() else 1)
        mine = drafts.drafts_of(work, actor=actor()) if current_user.files_applications else []
        schemes = published(work)
    return render_template("portal/applications.html", listing=listing, drafts=mine, status=status, schemes=schemes)


@bp.get("/apply")
@login_required
@require_roles(*FILERS)
def schemes():  # noqa: ANN201
    with uow() as work:
        offered = published(work)
        today = work.clock.now().date()
    return render_template("portal/schemes.html", schemes=offered, today=today)


@bp.route("/apply/<scheme_code>", methods=["GET", "POST"])
@login_required
@require_roles(*FILERS)
def apply(scheme_code: str):  # noqa: ANN201
    with uow() as work:
        scheme = published_scheme(work, scheme_code)
        choices = choices_for(work, scheme, current_user.district_code)
    specs = describe(scheme, choices)
    draft_id = request.values.get("draft", "")
    values: dict = dict(kept_form())  # what was typed in a refused form (Post/Redirect/Get, D90)
    if request.method == "GET" and not values:
        if draft_id.isdigit():
            with uow() as work:
                values = dict(drafts.get_draft(work, actor=actor(), draft_id=int(draft_id)).data)
        else:
            # Prefilled from a link, e.g. a trade fair on the public dashboard; still checked on submit.
            values = {k: v for k, v in request.args.items() if k in scheme.field_names}
    errors: dict[str, list[str]] = kept_errors()
    again = kept_extra()
    missing_kinds: list[str] = again.get("missing", [])
    # The files that passed the content checks come back with the refused form (D73).
    kept: list[kept_uploads.KeptFile] = [k for k, _ in kept_uploads.restore(again.get("kept", []), actor())]
    if request.method == "POST":
        values = request.form.to_dict()
        data = coerce(scheme, request.form)
        restored = kept_uploads.restore(request.form.getlist(kept_uploads.FIELD), actor())
        kept = [k for k, _ in restored]
        new_uploads = _uploads()
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
                    documents=[u for _, u in restored] + new_uploads,
                    store=document_store(),
                    draft_id=int(draft_id) if draft_id.isdigit() else None,
                )
            kept_uploads.forget(kept)
            flash(_("Application submitted. Your application number is %(number)s.", number=application.number))
            return redirect(url_for("portal.application", number=application.number))
        except ValidationFailed as err:
            # Post/Redirect/Get (D90): the form again with what was typed and the files kept (D73).
            kept += kept_uploads.keep(new_uploads, actor())
            back = url_for("portal.apply", scheme_code=scheme.code, draft=draft_id if draft_id.isdigit() else None)
            return flash_and_redirect(
                err, back, say=False, errors=err.fields or {"_schema": [str(err)]},
                extra={"missing": list(getattr(err, "missing", [])), "kept": [k.token for k in kept]},
            )
    return render_template(
        "portal/apply.html", scheme=scheme, specs=specs, values=values, errors=errors, draft_id=draft_id,
        checklist=scheme.checklist, missing_kinds=missing_kinds, kept=kept,
    )


@bp.get("/applications/<path:number>")
@login_required
def application(number: str):  # noqa: ANN201
    with uow() as work:
        details = application_details(
            work, actor=actor(), number=number, calendar_for=calendar_provider(settings().state, settings().weekly_offs)
        )
    return render_template(
        "portal/application.html", d=details, specs=describe(details.scheme, details.form_choices), errors={}, values={},
        overall_due=details.overall_due, letters=available_letters(details.application),
    )


@bp.post("/applications/<path:number>/answer")
@login_required
@require_roles(*FILERS)
@redirect_on_error(lambda number: url_for("portal.application", number=number))
def answer(number: str):  # noqa: ANN201
    """The applicant answers a return: remarks, corrections to the form, new documents; one step."""
    with uow() as work:
        answer_clarification(
            work, document_store(), actor=actor(), number=number, task_id=request.form.get("task_id", ""),
            remarks=request.form.get("remarks", ""), read_form=lambda scheme: coerce(scheme, request.form),
            uploads=_uploads(),
        )
    flash(_("Your answer was sent to the office."))
    return redirect(url_for("portal.application", number=number))


@bp.post("/applications/<path:number>/documents")
@login_required
@redirect_on_error(lambda number: url_for("portal.application", number=number))
def upload(number: str):  # noqa: ANN201
    uploads = _uploads()
    if not uploads:
        flash(_("Choose a file to upload."), "error")
        return redirect(url_for("portal.application", number=number))
    with uow() as work:
        upload_document(work, document_store(), actor=actor(), number=number, upload=uploads[0])
    flash(_("Document uploaded."))
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


@bp.get("/applications/<path:number>/letters/<language>/<kind>.pdf")
@login_required
def letter(number: str, language: str, kind: str):  # noqa: ANN201
    """The acknowledgement or the sanction letter as PDF (who may have it: workflows.usecases.letters)."""
    with uow() as work:
        found = letter_pdf(
            work, actor=actor(), number=number, kind=kind, language=language,
            verify_url=lambda n: url_for("verify.verify", number=n, _external=True),
            calendar_for=calendar_provider(settings().state, settings().weekly_offs),
        )
    response = Response(found.content, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{found.filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _ext(content_type: str) -> str:
    return {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}.get(content_type, "")

