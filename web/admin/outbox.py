"""Administrator page: the outbox (e-mails and SMS, sent, waiting or given up on)."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import login_required

from sla import outbox_view
from web.infra.auth import require_roles
from web.infra.extensions import settings, uow
from workflows.catalogue import roles

bp = Blueprint("outbox", __name__, url_prefix="/admin")


@bp.get("/outbox")
@login_required
@require_roles(roles.ADMIN)
def index():  # noqa: ANN201
    gateway = bool(settings().sms.url)
    with uow() as work:
        messages = outbox_view.latest(work, show_codes=not gateway)
    return render_template("admin/outbox.html", messages=messages, gateway=gateway)
