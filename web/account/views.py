"""A user's own page: language, password, API tokens."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_required

from web.infra.auth import actor
from web.infra.errors import flash_and_redirect, kept_errors, redirect_on_error
from web.infra.extensions import uow
from web.infra.form_posts import done
from web.infra.i18n import LANGUAGES
from workflows.errors import ValidationFailed
from workflows.usecases import accounts

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.get("")
@login_required
def index():  # noqa: ANN201
    with uow() as work:
        tokens = accounts.tokens_of(work, actor())
    return render_template("account/account.html", tokens=tokens, new_secret=None, errors=kept_errors())


@bp.post("/password")
@login_required
def password():  # noqa: ANN201
    """Change one's own password; every other session of the user ends, this one goes on."""
    try:
        with uow() as work:
            generation = accounts.change_password(
                work, actor=actor(), current=request.form.get("current_password", ""),
                new=request.form.get("new_password", ""),
            )
    except ValidationFailed as err:
        return flash_and_redirect(err, url_for("account.index"))  # Post/Redirect/Get (D90); passwords never kept
    session["gen"] = generation
    flash(_("Password changed. Every other session of yours has ended."))
    return redirect(url_for("account.index"))


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
    # Shown once, in this answer only (never stored, never in the session cookie; pages of signed-in
    # users are not cached): only its hash is kept.
    with uow() as work:
        tokens = accounts.tokens_of(work, actor())
    return render_template("account/account.html", tokens=tokens, new_secret=created.secret, errors={})


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):  # noqa: ANN201
    return done(lambda work: accounts.revoke_token(work, actor=actor(), token_id=token_id),
                _("Token revoked."), url_for("account.index"))
