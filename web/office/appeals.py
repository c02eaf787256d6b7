"""The appellate authorities' pages: appeals to hear, and the order on one (D85-D87)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from web.infra.auth import actor
from web.infra.errors import redirect_on_error
from web.infra.extensions import uow
from workflows.readmodels.appeals import appeal_to_hear, appeals_to_hear
from workflows.usecases.appeals import decide_appeal

bp = Blueprint("appeals_office", __name__, url_prefix="/appeals")


@bp.get("")
@login_required
def index():  # noqa: ANN201
    with uow() as work:
        rows = appeals_to_hear(work, actor=actor())
        now = work.clock.now()
    return render_template("office/appeals.html", rows=rows, now=now)


@bp.get("/<int:appeal_id>")
@login_required
def show(appeal_id: int):  # noqa: ANN201
    with uow() as work:
        row = appeal_to_hear(work, actor=actor(), appeal_id=appeal_id)
        now = work.clock.now()
    return render_template("office/appeal.html", row=row, now=now)


@bp.post("/<int:appeal_id>/decide")
@login_required
@redirect_on_error(lambda appeal_id: url_for("appeals_office.show", appeal_id=appeal_id))
def decide(appeal_id: int):  # noqa: ANN201
    with uow() as work:
        decide_appeal(work, actor=actor(), appeal_id=appeal_id, outcome=request.form.get("outcome", ""),
                      order=request.form.get("order", ""))
    flash(_("The order was recorded."))
    return redirect(url_for("appeals_office.index"))
