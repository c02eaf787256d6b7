"""Administrator pages: the holiday calendar (with recompute) and incidents (with retry)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required

from sla import holiday_admin, incidents
from web.infra.auth import actor, require_roles
from web.infra.bootstrap import calendar_provider
from web.infra.errors import redirect_on_error
from web.infra.extensions import settings, uow
from web.infra.form_posts import done
from workflows.catalogue import roles
from workflows.errors import ValidationFailed

bp = Blueprint("calendar", __name__, url_prefix="/admin")


def _day(raw: str | None) -> date:
    try:
        return date.fromisoformat(raw or "")
    except ValueError:
        raise ValidationFailed("Give the date as YYYY-MM-DD.", {"day": ["A date is required."]}) from None


@bp.get("/holidays")
@login_required
@require_roles(roles.ADMIN)
def holidays_page():  # noqa: ANN201
    year = request.args.get("year", "").strip()
    if year and not (year.isdigit() and 1900 <= int(year) <= 2100):
        raise ValidationFailed("Choose a year from 1900 to 2100.", {"year": [f"'{year[:12]}' is not a year from 1900 to 2100."]})
    with uow() as work:
        year_number = int(year) if year else work.clock.now().year
        days = holiday_admin.year_of(work, settings().state, year_number)
    return render_template("admin/holidays.html", days=days, year=year_number, state=settings().state)


@bp.post("/holidays")
@login_required
@require_roles(roles.ADMIN)
@redirect_on_error(lambda: url_for("calendar.holidays_page"))
def change_holiday():  # noqa: ANN201
    form = request.form
    provider = calendar_provider(settings().state, settings().weekly_offs)
    day = _day(form.get("day"))
    with uow() as work:
        action = form.get("action")
        if action == "add":
            holiday_admin.add_holiday(work, provider, actor=actor(), day=day, name=form.get("name", ""))
        elif action == "working":
            holiday_admin.declare_working_day(work, provider, actor=actor(), day=day)
        else:
            holiday_admin.undo_change(work, provider, actor=actor(), day=day)
    flash(_("Calendar changed. Recompute the deadlines of open tasks to apply it to them."))
    return redirect(url_for("calendar.holidays_page", year=day.year))


@bp.post("/holidays/recompute")
@login_required
@require_roles(roles.ADMIN)
def recompute():  # noqa: ANN201
    with uow() as work:
        changed = holiday_admin.recompute_deadlines(work, calendar_provider(settings().state, settings().weekly_offs), actor=actor())
    flash(ngettext("%(num)d open task got a new due date.", "%(num)d open tasks got a new due date.", changed))
    return redirect(url_for("calendar.holidays_page"))


@bp.get("/incidents")
@login_required
@require_roles(roles.ADMIN)
def incidents_page():  # noqa: ANN201
    with uow() as work:
        timers, notes = incidents.open_incidents(work)
    return render_template("admin/incidents.html", timers=timers, notes=notes)


@bp.post("/incidents/timers/<int:timer_id>/retry")
@login_required
@require_roles(roles.ADMIN)
def retry_timer(timer_id: int):  # noqa: ANN201
    return done(lambda work: incidents.retry_timer(work, timer_id, actor=actor()),
                _("The timer will be tried again."), url_for("calendar.incidents_page"))


@bp.post("/incidents/notifications/<int:note_id>/retry")
@login_required
@require_roles(roles.ADMIN)
def retry_notification(note_id: int):  # noqa: ANN201
    return done(lambda work: incidents.retry_notification(work, note_id, actor=actor()),
                _("The message will be sent again."), url_for("calendar.incidents_page"))
