"""Officer inbox: the three lists, filters, saved filters, claiming several tasks at once."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required

from web.infra.auth import actor
from web.infra.errors import redirect_on_error
from web.infra.extensions import uow
from web.infra.form_posts import done
from workflows.catalogue.schemes import published
from workflows.readmodels.inbox import InboxQuery, inbox_counts, inbox_page
from workflows.usecases import decisions, saved_filters

bp = Blueprint("inbox", __name__, url_prefix="/inbox")


def query_from_args() -> InboxQuery:
    args = request.args
    page = args.get("page", "1")
    return InboxQuery(
        view=args.get("view", "available"),
        scheme=args.get("scheme") or None,
        step=args.get("step") or None,
        sla=args.get("sla") or None,
        search=args.get("q") or None,
        sort=args.get("sort", "due"),
        page=int(page) if page.isdigit() else 0,
        per_page=25,
    )


@bp.get("")
@login_required
def index():  # noqa: ANN201
    query = query_from_args()
    with uow() as work:
        page = inbox_page(work, actor=actor(), query=query)
        counts = inbox_counts(work, actor=actor(), query=query)
        schemes = published(work)
        filters = [
            (f, {("q" if k == "search" else k): v for k, v in f.params.items()})
            for f in saved_filters.filters_for(work, actor=actor())
        ]
    return render_template("office/inbox.html", page=page, counts=counts, query=query, schemes=schemes, filters=filters)


@bp.post("/claim")
@login_required
def claim_many():  # noqa: ANN201
    ids = request.form.getlist("task_id")
    if not ids:
        flash(_("Select at least one task."), "error")
    else:
        with uow() as work:
            claimed = decisions.claim(work, ids, actor=actor())
        flash(ngettext("%(num)d task claimed.", "%(num)d tasks claimed.", len(claimed)))
    return redirect(url_for("inbox.index", view="mine"))


def _filtered_inbox() -> str:
    params = {k: request.form.get(k, "") for k in ("view", "scheme", "step", "sla", "sort", "q")}
    return url_for("inbox.index", **{k: v for k, v in params.items() if v})


@bp.post("/filters")
@login_required
@redirect_on_error(_filtered_inbox)
def save_filter():  # noqa: ANN201
    params = {k: request.form.get(k, "") for k in ("view", "scheme", "step", "sla", "sort")}
    params["search"] = request.form.get("q", "")
    with uow() as work:
        saved_filters.save_filter(
            work, actor=actor(), name=request.form.get("name", ""), params=params, shared=bool(request.form.get("shared"))
        )
    flash(_("Filter saved."))
    return redirect(_filtered_inbox())


@bp.post("/filters/<int:filter_id>/delete")
@login_required
def delete_filter(filter_id: int):  # noqa: ANN201
    return done(lambda work: saved_filters.delete_filter(work, actor=actor(), filter_id=filter_id),
                _("Filter deleted."), url_for("inbox.index"))
