"""The one place where domain errors become HTTP responses."""

from __future__ import annotations

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from engine import errors as engine_errors
from workflows import errors as domain_errors

STATUS = [
    (domain_errors.ValidationFailed, 422),
    (engine_errors.DefinitionInvalid, 422),
    (domain_errors.NotAllowed, 403),
    (engine_errors.NotFound, 404),
    (domain_errors.UnknownScheme, 404),
    (domain_errors.UnknownDistrict, 404),
    (domain_errors.UnknownUser, 404),
    (engine_errors.StaleState, 409),
    (engine_errors.TaskNotReady, 409),
    (engine_errors.TaskClaimedByOther, 409),
    (engine_errors.DuplicateBusinessKey, 409),
    (engine_errors.MessageNotExpected, 409),
    (engine_errors.ScriptError, 500),
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
    return {"error": body}


def init_app(app: Flask) -> None:
    @app.errorhandler(engine_errors.EngineError)
    def _domain(err: engine_errors.EngineError):  # noqa: ANN202
        return jsonify(error_body(err)), status_for(err)

    @app.errorhandler(HTTPException)
    def _http(err: HTTPException):  # noqa: ANN202
        code = (err.name or "error").lower().replace(" ", "_")
        return jsonify({"error": {"code": code, "message": err.description}}), err.code or 500
