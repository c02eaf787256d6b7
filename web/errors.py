"""The one place where domain errors become HTTP responses."""

from __future__ import annotations

from flask import Flask, jsonify, make_response, render_template, request
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from engine import errors as engine_errors
from engine.retry import is_transient
from workflows import errors as domain_errors

STATUS = [
    (domain_errors.ValidationFailed, 422),
    (engine_errors.DefinitionInvalid, 422),
    (domain_errors.NotAllowed, 403),
    (engine_errors.NotFound, 404),
    (domain_errors.UnknownScheme, 404),
    (domain_errors.UnknownDistrict, 404),
    (domain_errors.UnknownUser, 404),
    (domain_errors.UnknownTradeFair, 404),
    (engine_errors.StaleState, 409),
    (engine_errors.TaskNotReady, 409),
    (engine_errors.TaskClaimedByOther, 409),
    (engine_errors.DuplicateBusinessKey, 409),
    (engine_errors.MessageNotExpected, 409),
    (engine_errors.MigrationRefused, 409),
    (engine_errors.ReplaceNotConfirmed, 409),
    # A step the model cannot take (a failing script, condition or service operator): nothing
    # was stored; the message says which step and why.
    (engine_errors.ScriptError, 409),
    (engine_errors.DatabaseUnavailable, 503),
]


def status_for(err: engine_errors.EngineError) -> int:
    for kind, status in STATUS:
        if isinstance(err, kind):
            return status
    return 400


def error_body(err: engine_errors.EngineError) -> dict[str, object]:
    body: dict[str, object] = {"code": err.code, "message": str(err)}
    if isinstance(err, domain_errors.ValidationFailed):
        body["fields"] = err.fields
    if isinstance(err, engine_errors.DefinitionInvalid):
        body["problems"] = [p.as_dict() for p in err.problems]
    if isinstance(err, engine_errors.MessageNotExpected):
        body["waiting"] = err.waiting
    return {"error": body}


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/health" or request.accept_mimetypes.best == "application/json"


def init_app(app: Flask) -> None:
    @app.errorhandler(engine_errors.EngineError)
    def _domain(err: engine_errors.EngineError):  # noqa: ANN202
        status = status_for(err)
        if wants_json():
            return jsonify(error_body(err)), status
        return render_template("error.html", message=str(err), status=status), status

    @app.errorhandler(HTTPException)
    def _http(err: HTTPException):  # noqa: ANN202
        code = (err.name or "error").lower().replace(" ", "_")
        status = err.code or 500
        if wants_json():
            body: dict[str, object] = {"code": code, "message": err.description}
            messages = (getattr(err, "data", None) or {}).get("messages")
            if messages:  # request parsing (webargs): {"json": {"field": [...]}}
                body["code"] = "validation_failed"
                body["message"] = "The request is not valid."
                body["fields"] = {k: v for part in messages.values() for k, v in part.items()}
            return jsonify({"error": body}), status
        return render_template("error.html", message=err.description, status=status), status

    @app.errorhandler(DBAPIError)
    @app.errorhandler(PoolTimeout)
    def _database(err: Exception):  # noqa: ANN202
        # A transient failure left after web/retry.py's second try: 503, try again shortly (D36).
        if not is_transient(err):
            raise err  # a bug or a constraint: Flask's 500 handling, with the traceback logged
        app.logger.warning("Database unavailable: %s", err)
        return _unavailable(engine_errors.DatabaseUnavailable("The database is briefly unavailable. Try again in a moment."))

    @app.errorhandler(engine_errors.DatabaseUnavailable)
    def _unavailable(err: engine_errors.DatabaseUnavailable):  # noqa: ANN202
        if wants_json():
            response = make_response(jsonify(error_body(err)), 503)
        else:
            response = make_response(render_template("error.html", message=str(err), status=503), 503)
        response.headers["Retry-After"] = str(err.retry_after_seconds)
        return response
