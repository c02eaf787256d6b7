"""Sign-in with a session cookie for people, bearer tokens for machine clients."""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import Blueprint, Flask, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import LoginManager, current_user, login_user, logout_user
from werkzeug.exceptions import Unauthorized

from web.errors import wants_json
from web.extensions import uow
from workflows import accounts, roles
from workflows.errors import NotAllowed
from workflows.models import User

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
login_manager.login_view = "auth.sign_in"
login_manager.login_message = None


@dataclass(frozen=True)
class CurrentUser:
    """What a request needs to know of its user, detached from any database session."""

    id: int
    username: str
    full_name: str
    role: str
    district_code: str | None
    language: str
    via_token: bool = False
    is_authenticated: bool = True
    is_active: bool = True
    is_anonymous: bool = False

    def get_id(self) -> str:
        return str(self.id)

    @property
    def is_officer(self) -> bool:
        return self.role in roles.OFFICER_ROLES

    @property
    def files_applications(self) -> bool:
        return self.role in (roles.APPLICANT, roles.FACILITATION_OPERATOR)

    @classmethod
    def of(cls, user: Any, *, via_token: bool = False) -> CurrentUser:
        return cls(user.id, user.username, user.full_name, user.role, user.district_code, user.language or "en", via_token)


@login_manager.unauthorized_handler
def _unauthorized():  # noqa: ANN202
    if wants_json():  # answered by web/errors.py like every other error
        raise Unauthorized("Sign in, or send an API token as a bearer token.")
    return redirect(url_for("auth.sign_in", next=request.full_path))


@login_manager.user_loader
def _load(user_id: str) -> CurrentUser | None:
    if not user_id.isdigit():
        return None
    with uow() as work:
        user = work.session.get(User, int(user_id))
        return CurrentUser.of(user) if user is not None and user.active else None


@login_manager.request_loader
def _from_token(req: Any) -> CurrentUser | None:
    header = req.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    with uow() as work:
        user = accounts.authenticate_token(work, header[len("Bearer ") :].strip())
        return CurrentUser.of(user, via_token=True) if user is not None else None


def actor() -> str:
    return current_user.username


def require_roles(*allowed: str):  # noqa: ANN201
    """Refuse (403) users of other roles; sign-in is checked by login_required first."""

    def decorate(view):  # noqa: ANN001, ANN202
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any):  # noqa: ANN202
            if current_user.role not in allowed:
                raise NotAllowed(_("This page is for: %(roles)s.", roles=", ".join(allowed)))
            return view(*args, **kwargs)

        return wrapper

    return decorate


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():  # noqa: ANN201
    error = None
    if request.method == "POST":
        try:
            with uow() as work:
                user = accounts.sign_in(work, request.form.get("username", ""), request.form.get("password", ""))
                me = CurrentUser.of(user)
        except accounts.SignInFailed as err:
            error = str(err)
        else:
            session.clear()
            login_user(me)
            session["lang"] = me.language
            target = request.args.get("next", "")
            # Only local paths: an open redirect would let a phishing link borrow our sign-in page.
            if not target.startswith("/") or target.startswith("//") or "\\" in target:
                target = url_for("home.index")
            return redirect(target)
    return render_template("sign_in.html", error=error), (401 if error else 200)


@bp.post("/sign-out")
def sign_out():  # noqa: ANN201
    logout_user()
    session.clear()
    flash(_("You have signed out."))
    return redirect(url_for("auth.sign_in"))


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    app.register_blueprint(bp)
