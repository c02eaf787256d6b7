"""The Flask application factory."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, Response, request
from flask_login import current_user
from flask_wtf.csrf import CSRFProtect

from engine.runtime import Runtime
from web.account import home
from web.account import notifications as notice_views
from web.account import signup as signup_views
from web.account import views as account_views
from web.admin import bank_branches as bank_branch_views
from web.admin import flows as flow_views
from web.admin import holidays as calendar_views
from web.admin import outbox as outbox_views
from web.admin import schemes as scheme_views
from web.admin import trade_fairs as event_views
from web.admin import users as admin_views
from web.api import init_api
from web.dashboards import internal as dashboard_views
from web.dashboards import public as public_views
from web.dashboards import verify as verify_views
from web.infra import appeal_labels, auth, errors, formatting, health, i18n, input_checks, kept_forms, retry
from web.infra.bootstrap import build_runtime, build_scheduler
from web.infra.config import Settings
from web.infra.dbschema import require_current
from web.infra.extensions import RUNTIME, SETTINGS
from web.office import appeals as appeal_office_views
from web.office import inbox as inbox_views
from web.office import task as task_views
from web.portal import appeals as appeal_views
from web.portal import views as portal_views
from web.portal import walk_in as walk_in_views

csrf = CSRFProtect()

# Everything is served from this host; no page may load anything from another one.
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)


def create_app(settings: Settings | None = None, *, runtime: Runtime | None = None) -> Flask:
    """Build the app. Refuses to start on a database whose schema is not current."""
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        TESTING=settings.testing,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        REMEMBER_COOKIE_SECURE=settings.secure_cookies,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=8),
        MAX_CONTENT_LENGTH=12 * 1024 * 1024,
        WTF_CSRF_TIME_LIMIT=None,
    )
    runtime = runtime or build_runtime(settings)
    app.config["SCHEMA_REVISION"] = require_current(runtime.db)
    app.extensions[RUNTIME] = runtime
    app.extensions[SETTINGS] = settings
    csrf.init_app(app)
    i18n.init_app(app)
    formatting.init_app(app)
    auth.init_app(app)
    errors.init_app(app)
    kept_forms.init_app(app)
    appeal_labels.init_app(app)
    input_checks.init_app(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(home.bp)
    app.register_blueprint(inbox_views.bp)
    app.register_blueprint(task_views.bp)
    app.register_blueprint(portal_views.bp)
    app.register_blueprint(appeal_views.bp)
    app.register_blueprint(appeal_office_views.bp)
    app.register_blueprint(account_views.bp)
    app.register_blueprint(admin_views.bp)
    app.register_blueprint(calendar_views.bp)
    app.register_blueprint(dashboard_views.bp)
    app.register_blueprint(public_views.bp)
    app.register_blueprint(event_views.bp)
    app.register_blueprint(bank_branch_views.bp)
    app.register_blueprint(flow_views.bp)
    app.register_blueprint(verify_views.bp)
    app.register_blueprint(scheme_views.bp)
    app.register_blueprint(signup_views.bp)
    app.register_blueprint(walk_in_views.bp)
    app.register_blueprint(outbox_views.bp)
    notice_views.init_app(app)
    init_api(app, csrf)
    retry.init_app(app, runtime)  # after every view is registered

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if settings.secure_cookies:  # served over HTTPS only: browsers must never fall back to HTTP
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        # Pages of signed-in users and every API answer may hold personal data: never kept by a
        # browser or a proxy (a shared centre PC's back button shows nothing after sign-out).
        if request.endpoint not in ("static", "health.favicon") and (request.path.startswith("/api/") or current_user.is_authenticated):
            response.headers["Cache-Control"] = "no-store"
            response.headers.pop("Expires", None)
        return response

    if settings.run_scheduler and not settings.testing:
        scheduler = build_scheduler(runtime, settings)
        scheduler.start()
        app.extensions["odop.scheduler"] = scheduler
    return app
