"""Sign-in with a session cookie for people, bearer tokens for machine clients."""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Flask, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import LoginManager, current_user, login_user, logout_user
from werkzeug.exceptions import Unauthorized

from engine.messages import Text
from web.infra.errors import wants_json
from web.infra.extensions import settings, uow
from web.infra.messages import message_of
from workflows.catalogue import roles
from workflows.errors import NotAllowed
from workflows.usecases import accounts, signin

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
    session_generation: int = 0
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
        return cls(
            user.id, user.username, user.full_name, user.role, user.district_code, user.language or "en", via_token,
            user.session_generation or 0,
        )


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path of this site, else the start page.

    Refused: anything with a scheme or a host, `//` and backslashes (browsers read both as another
    host) and control characters, which browsers drop before reading the URL (`/%09/evil.example/`
    would become `//evil.example/`); CR/LF would also break the Location header.
    """
    home = url_for("home.index")
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return home
    if not all(c.isprintable() for c in target):
        return home
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith("//"):
        return home
    return target


def back_to() -> str:
    """The page to come back to after signing in: this one, or for a form sent (POST) the form's page."""
    if request.method == "GET":
        return request.full_path.rstrip("?")
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host and referrer.path:
        return referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return url_for("home.index")


@login_manager.unauthorized_handler
def _unauthorized():  # noqa: ANN202
    if wants_json():  # answered by web/infra/errors.py like every other error
        raise Unauthorized("Sign in, or send an API token as a bearer token.")
    ended = g.pop("session_ended", None)
    if ended:
        logout_user()
        flash(
            _("You were signed out after %(minutes)d minutes without activity. Sign in again to go on.",
              minutes=settings().idle_timeout_minutes)
            if ended == "idle" else _("Your session has ended. Sign in again to go on."),
            "error",
        )
    return redirect(url_for("auth.sign_in", next=back_to()))


@login_manager.user_loader
def _load(user_id: str) -> CurrentUser | None:
    """The session's user while the session is valid: the user is active, the session carries the
    user's current session generation (D46) and has not been idle longer than the time-out."""
    if not user_id.isdigit():
        return None
    with uow() as work:
        user = signin.active_user(work, int(user_id))
        me = CurrentUser.of(user) if user is not None else None
    if me is None or session.get("gen") != me.session_generation:
        g.session_ended = "ended"
        return None
    now = time.time()  # wall-clock time: the runtime's clock is the business clock tests move by days
    seen = session.get("seen")
    if not isinstance(seen, int | float) or now - seen > settings().idle_timeout_minutes * 60:
        g.session_ended = "idle"
        return None
    if now - seen >= 15:  # the cookie is re-signed at most every 15 seconds
        session["seen"] = now
    return me


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
                raise NotAllowed(Text("page_for", f"This page is for: {', '.join(allowed)}.", roles=list(allowed)))
            return view(*args, **kwargs)

        return wrapper

    return decorate


def begin_session(me: CurrentUser) -> None:
    """A fresh session for a user who has just proved who they are (sign-in, a confirmed sign-up)."""
    session.clear()
    login_user(me)
    session["lang"] = me.language
    session["gen"] = me.session_generation
    session["seen"] = time.time()


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():  # noqa: ANN201
    error, status, headers = None, 200, {}
    if request.method == "POST":
        try:
            with uow() as work:
                user = signin.sign_in(
                    work, request.form.get("username", ""), request.form.get("password", ""),
                    address=request.remote_addr or "",
                )
                me = CurrentUser.of(user)
        except signin.SignInThrottled as err:
            error, status, headers = message_of(err), 429, {"Retry-After": str(err.retry_after)}
        except signin.SignInFailed as err:
            error, status = message_of(err), 401
        else:
            begin_session(me)
            # Only local paths: an open redirect would let a phishing link borrow our sign-in page.
            return redirect(safe_next(request.args.get("next")))
    return render_template("account/sign_in.html", error=error), status, headers


@bp.post("/sign-out")
def sign_out():  # noqa: ANN201
    """Ends every session of the user (D46), so a copied cookie stops working too."""
    if current_user.is_authenticated and not current_user.via_token:
        with uow() as work:
            signin.sign_out(work, actor=current_user.username)
    logout_user()
    session.clear()
    flash(_("You have signed out."))
    return redirect(url_for("auth.sign_in"))


# What an `integration` account (another system, token only) may reach: nothing but these API
# operations; every page and every other API operation answers 403.
INTEGRATION_ENDPOINTS = frozenset({"api_integration.send_message", "api_integration.send_signal"})


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    app.register_blueprint(bp)

    @app.before_request
    def _integration_accounts_use_the_api_only() -> None:
        if request.endpoint in INTEGRATION_ENDPOINTS or request.endpoint == "static":
            return
        if current_user.is_authenticated and current_user.role == roles.INTEGRATION:
            raise NotAllowed(Text(
                "integration_api_only", "Integration accounts may only send messages and signals through the API."
            ))
