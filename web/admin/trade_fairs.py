"""Administrator page: the trade fairs and events listed on the public dashboard."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from web.infra.auth import actor, require_roles
from web.infra.errors import flash_and_redirect, kept_errors, kept_form
from web.infra.extensions import uow
from workflows.catalogue import roles
from workflows.errors import ValidationFailed
from workflows.usecases import trade_fairs

bp = Blueprint("events", __name__, url_prefix="/admin/events")


def _day(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw or "")
    except ValueError:
        return None


@bp.get("")
@login_required
@require_roles(roles.ADMIN)
def index():  # noqa: ANN201
    with uow() as work:
        fairs = trade_fairs.all_fairs(work)
    return render_template("admin/events.html", fairs=fairs, errors=kept_errors(), values=kept_form())


@bp.post("")
@login_required
@require_roles(roles.ADMIN)
def add():  # noqa: ANN201
    form = request.form
    try:
        with uow() as work:
            trade_fairs.add_fair(
                work, actor=actor(), name=form.get("name", ""), city=form.get("city", ""),
                fair_type=form.get("fair_type", ""), starts_on=_day(form.get("starts_on")), ends_on=_day(form.get("ends_on")),
            )
    except ValidationFailed as err:
        return flash_and_redirect(err, url_for("events.index"))  # Post/Redirect/Get (D90)
    flash(_("Trade fair added; it is on the public dashboard now."))
    return redirect(url_for("events.index"))


@bp.post("/<int:fair_id>/delete")
@login_required
@require_roles(roles.ADMIN)
def remove(fair_id: int):  # noqa: ANN201
    with uow() as work:
        trade_fairs.remove_fair(work, actor=actor(), fair_id=fair_id)
    flash(_("Trade fair removed."))
    return redirect(url_for("events.index"))
