"""A user's own page: language, API tokens."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_required

from web.auth import actor
from web.errors import redirect_on_error
from web.extensions import uow
from web.i18n import LANGUAGES
from workflows import accounts

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.get("")
@login_required
def index():  # noqa: ANN201
    with uow() as work:
        tokens = accounts.tokens_of(work, actor())
    return render_template("account.html", tokens=tokens, new_secret=session.pop("new_token", None))


@bp.post("/language")
@login_required
def language():  # noqa: ANN201
    chosen = request.form.get("language", "en")
    with uow() as work:
        accounts.set_language(work, actor=actor(), language=chosen)
    if chosen in LANGUAGES:
        session["lang"] = chosen
    return redirect(url_for("account.index"))


@bp.post("/tokens")
@login_required
@redirect_on_error(lambda: url_for("account.index"))
def create_token():  # noqa: ANN201
    with uow() as work:
        created = accounts.create_token(work, actor=actor(), name=request.form.get("name", ""))
    # Shown once on the next page; only its hash is kept.
    session["new_token"] = created.secret
    return redirect(url_for("account.index"))


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):  # noqa: ANN201
    with uow() as work:
        accounts.revoke_token(work, actor=actor(), token_id=token_id)
    flash(_("Token revoked."))
    return redirect(url_for("account.index"))
