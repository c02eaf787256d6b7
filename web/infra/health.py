"""GET /health: the database, the schema revision and the deployed definition versions; and GET /favicon.ico."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, send_from_directory
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from web.infra.extensions import runtime, uow

bp = Blueprint("health", __name__)


@bp.get("/health")
def health():  # noqa: ANN201
    rt = runtime()
    try:
        with rt.db.connect() as conn:
            conn.execute(text("SELECT 1"))
        with uow() as work:
            definitions = work.definitions.latest_versions()
    except SQLAlchemyError as err:
        return jsonify({"status": "error", "database": "unreachable", "detail": str(err.orig or err)}), 503
    return jsonify(
        {
            "status": "ok",
            "database": rt.db.dialect.name,
            "schema_revision": current_app.config["SCHEMA_REVISION"],
            "definitions": definitions,
        }
    )


@bp.get("/favicon.ico")
def favicon() -> Response:
    """Browsers ask every page's origin for it: a small icon, never a 404 in the logs."""
    response = send_from_directory(current_app.static_folder or "static", "favicon.ico", mimetype="image/vnd.microsoft.icon")
    response.cache_control.max_age = 7 * 24 * 3600
    response.cache_control.public = True
    return response
