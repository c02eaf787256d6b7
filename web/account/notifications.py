"""In-app notifications: the list and the unread count shown in every page's header."""

from __future__ import annotations

from flask import Blueprint, Flask, redirect, render_template, url_for
from flask_babel import get_locale
from flask_login import current_user, login_required

from sla import notification_list
from web.infra.auth import actor
from web.infra.extensions import uow

bp = Blueprint("notices", __name__, url_prefix="/notifications")


@bp.get("")
@login_required
def index():  # noqa: ANN201
    with uow() as work:
        items = notification_list.notices_of(work, actor(), language=str(get_locale() or "en"))
    return render_template("account/notifications.html", notices=items)


@bp.post("/read")
@login_required
def read_all():  # noqa: ANN201
    with uow() as work:
        notification_list.mark_all_read(work, actor())
    return redirect(url_for("notices.index"))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

    @app.context_processor
    def _unread() -> dict[str, int]:
        if not getattr(current_user, "is_authenticated", False):
            return {"unread_notices": 0}
        with uow() as work:
            return {"unread_notices": notification_list.unread_count(work, current_user.username)}
