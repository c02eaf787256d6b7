"""Applicant portal: file a first or second appeal on the application page (D85-D87)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from web.infra.appeal_labels import APPEAL_REFUSAL_LABELS
from web.infra.auth import actor, require_roles
from web.infra.bootstrap import calendar_provider
from web.infra.errors import redirect_on_error
from web.infra.extensions import settings, uow
from workflows.catalogue import roles
from workflows.errors import AppealRefused
from workflows.usecases.appeals import file_appeal

bp = Blueprint("appeals", __name__)


@bp.post("/applications/<path:number>/appeal")
@login_required
@require_roles(roles.APPLICANT, roles.FACILITATION_OPERATOR)
@redirect_on_error(lambda number: url_for("portal.application", number=number) + "#appeal-h")
def file(number: str):  # noqa: ANN201
    try:
        with uow() as work:
            appeal = file_appeal(
                work, actor=actor(), number=number, grounds=request.form.get("grounds", ""),
                calendar_for=calendar_provider(settings().state, settings().weekly_offs),
            )
    except AppealRefused as err:
        # Refused by the rules (the window closed since the page was shown, or another filing won):
        # said in the page's language, the typing kept (redirect_on_error).
        raise AppealRefused(str(APPEAL_REFUSAL_LABELS.get(err.reason, str(err))), err.reason) from err
    if appeal.level == 2:
        flash(_("Your second appeal was filed with the second appellate authority."))
    else:
        flash(_("Your first appeal was filed with the first appellate authority."))
    return redirect(url_for("portal.application", number=number) + "#appeal-h")
