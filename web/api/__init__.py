"""REST API /api/v1: the same use cases as the pages, for machine clients with bearer tokens."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_login import current_user
from flask_smorest import Api
from flask_wtf.csrf import CSRFProtect

from web.api import applications, definitions, documents, integration, tasks
from web.api.schemas import ErrorOut

PREFIX = "/api/v1"


class _Api(Api):
    ERROR_SCHEMA = ErrorOut  # the shape web/infra/errors.py answers with

    def _register_error_handlers(self) -> None:
        # Errors keep the application's one JSON shape (web/infra/errors.py).
        pass


def init_api(app: Flask, csrf: CSRFProtect) -> None:
    app.config.update(
        API_TITLE="ODOP scheme approvals",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX=PREFIX,
        OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={
            "components": {"securitySchemes": {"token": {"type": "http", "scheme": "bearer"}}},
            "security": [{"token": []}],
            "info": {"description": "Create a token on your account page and send it as `Authorization: Bearer ...`."},
        },
    )
    api = _Api(app)
    for module in (applications, documents, tasks, definitions, integration):
        csrf.exempt(module.blp)
        api.register_blueprint(module.blp, url_prefix=f"{PREFIX}{module.PATH}")

    @app.before_request
    def _csrf_for_cookie_sessions() -> None:
        # A browser session calling the API is protected like a form; token clients need no CSRF.
        unsafe = request.method not in ("GET", "HEAD", "OPTIONS")
        if not app.config.get("WTF_CSRF_ENABLED", True) or not unsafe or not request.path.startswith(PREFIX):
            return
        if current_user.is_authenticated and not current_user.via_token:
            csrf.protect()

    @app.get(f"{PREFIX}/docs")
    def api_explorer():  # noqa: ANN202
        return render_template("api_explorer.html")
