"""The task page: data, documents, timeline, diagram; claim, unclaim, decide, reassign."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import login_required

from web.infra.auth import actor
from web.infra.errors import flash_and_redirect, kept_errors, kept_extra, kept_form, redirect_on_error
from web.infra.extensions import uow
from web.infra.form_posts import done
from web.infra.formatting import ROLE_LABELS
from workflows.catalogue.names import diagram_in
from workflows.errors import ValidationFailed
from workflows.readmodels import processes
from workflows.readmodels.task_page import task_details
from workflows.usecases import decisions

bp = Blueprint("tasks", __name__, url_prefix="/tasks")
REASON = "unacceptable_reason_"  # + a document's id: why it is unacceptable


def _page(task_id: str, *, errors: dict | None = None, form: dict | None = None):  # noqa: ANN202
    with uow() as work:
        details = task_details(work, actor=actor(), task_id=task_id)
    return render_template("office/task.html", d=details, errors=errors or {}, form=form or {})


@bp.get("/<task_id>")
@login_required
def show(task_id: str):  # noqa: ANN201
    return _page(task_id, form={**kept_form(), **kept_extra()}, errors=kept_errors())


@bp.post("/<task_id>/claim")
@login_required
def claim(task_id: str):  # noqa: ANN201
    return done(lambda work: decisions.claim(work, [task_id], actor=actor()),
                _("The task is yours now."), url_for("tasks.show", task_id=task_id))


@bp.post("/<task_id>/unclaim")
@login_required
def unclaim(task_id: str):  # noqa: ANN201
    return done(lambda work: decisions.unclaim(work, task_id, actor=actor()),
                _("The task is back in the pool."), url_for("inbox.index"))


@bp.post("/<task_id>/decide")
@login_required
# The second of two officers deciding the same task is sent back to it, told what happened.
@redirect_on_error(lambda task_id: url_for("tasks.show", task_id=task_id))
def decide(task_id: str):  # noqa: ANN201
    form = request.form
    # The step's decision form (if any) reads its own fields from the post.
    fields = {
        k: v for k, v in form.items(multi=True)
        if k not in ("outcome", "remarks", "version", "csrf_token", "from", "unacceptable") and not k.startswith(REASON)
    }  # fmt: skip
    # Documents found unacceptable (with a return): id -> reason.
    marks = {int(i) if i.isdigit() else 0: form.get(f"{REASON}{i}", "") for i in form.getlist("unacceptable")}
    fields = {k: (form.getlist(k) if len(form.getlist(k)) > 1 else v) for k, v in fields.items()}
    version = form.get("version", "")
    try:
        with uow() as work:
            application = decisions.decide(
                work,
                task_id,
                actor=actor(),
                outcome=form.get("outcome", ""),
                remarks=form.get("remarks", ""),
                fields=fields,
                expected_version=int(version) if version.isdigit() else None,
                posted=True,
                unacceptable=marks,
            )
    except ValidationFailed as err:
        # Post/Redirect/Get (D90): the task page again, with the marked fields, what was typed and
        # the documents ticked unacceptable.
        return flash_and_redirect(
            err, url_for("tasks.show", task_id=task_id), say=not err.fields,
            extra={"unacceptable": form.getlist("unacceptable")},
        )
    flash(_("Decision recorded for %(number)s.", number=application.number))
    if request.form.get("from") == "portal":
        return redirect(url_for("portal.application", number=application.number))
    return redirect(url_for("inbox.index"))


@bp.post("/reassign")
@login_required
@redirect_on_error(lambda: request.referrer or url_for("inbox.index"))
def reassign():  # noqa: ANN201
    ids = request.form.getlist("task_id")
    if not ids:
        abort(400, _("Select at least one task."))
    with uow() as work:
        decisions.reassign(work, ids, actor=actor(), to=request.form.get("to") or None, reason=request.form.get("reason", ""))
    flash(_("Reassigned."))
    return redirect(url_for("tasks.show", task_id=ids[0]) if len(ids) == 1 else url_for("inbox.index"))


@bp.get("/diagram/<int:definition_id>.bpmn")
@login_required
def diagram(definition_id: int):  # noqa: ANN201
    with uow() as work:
        xml = processes.diagram(work, actor=actor(), definition_id=definition_id)
    lanes = {role: str(label) for role, label in ROLE_LABELS.items()}
    return Response(diagram_in(xml, str(get_locale() or "en"), lanes), mimetype="application/xml")
