"""The one place where errors become HTTP responses: one vocabulary of codes, one JSON shape.

Every error answer of the API (and every JSON answer elsewhere) is
`{"error": {"code": ..., "message": ..., "fields"?: {name: [messages]}, "problems"?: [...]}}`,
documented as `ErrorOut` in the OpenAPI document. `code` is the error class's `code` for domain
and engine errors, and `HTTP_CODES` for the errors HTTP itself raises (docs/decisions.md, D40).
Pages get the same status with the message on the error page.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Flask,
    flash,
    g,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    session,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import BadRequest, HTTPException

from engine import errors as engine_errors
from engine.messages import Text
from engine.retry import is_transient
from sla.holiday_admin import CalendarError
from web.infra.messages import http_message, message_of, say
from workflows import errors as domain_errors

STATUS = [
    (domain_errors.ValidationFailed, 422),
    (engine_errors.DefinitionInvalid, 422),
    (CalendarError, 422),
    (domain_errors.NotAllowed, 403),
    (engine_errors.NotFound, 404),
    (domain_errors.UnknownScheme, 404),
    (domain_errors.UnknownDistrict, 404),
    (domain_errors.UnknownUser, 404),
    (domain_errors.UnknownTradeFair, 404),
    (domain_errors.UnknownBankBranch, 404),
    (engine_errors.StaleState, 409),
    (engine_errors.TaskNotReady, 409),
    (engine_errors.TaskClaimedByOther, 409),
    (engine_errors.DuplicateBusinessKey, 409),
    (domain_errors.AppealRefused, 409),
    (domain_errors.BankBranchInUse, 409),
    (engine_errors.MessageNotExpected, 409),
    (engine_errors.MigrationRefused, 409),
    (engine_errors.ReplaceNotConfirmed, 409),
    # A step the model cannot take (a failing script, condition or service operator): nothing
    # was stored; the message says which step and why.
    (engine_errors.ScriptError, 409),
    (engine_errors.DatabaseUnavailable, 503),
]

# Codes of the errors HTTP itself raises (a route that does not exist, a body that is too large...).
HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "not_allowed",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "too_many_requests",
    500: "internal_error",
    503: "unavailable",
}


class MalformedJson(BadRequest):
    """A body sent as JSON that is not JSON we can read (broken, not UTF-8, nested too deeply)."""

    error_code = "malformed_json"
    description = "The body is not valid JSON (UTF-8, well formed, at most 64 levels deep)."


def _codes_of(cls: type) -> set[str]:
    return {cls.code} | {c for sub in cls.__subclasses__() for c in _codes_of(sub)}


def codes() -> list[str]:
    """Every code an error answer can carry: the vocabulary the OpenAPI document enumerates."""
    import stats.dashboards  # noqa: F401, PLC0415 - defines UnknownTable

    return sorted(_codes_of(engine_errors.EngineError) | set(HTTP_CODES.values()) | {MalformedJson.error_code})


def status_for(err: engine_errors.EngineError) -> int:
    for kind, status in STATUS:
        if isinstance(err, kind):
            return status
    return 400


def field_messages(messages: Any) -> dict[str, list[str]]:
    """Marshmallow's nested messages as {"field" or "field.sub": [text, ...]}; list positions are dropped."""
    out: dict[str, list[str]] = {}

    def walk(value: Any, name: str) -> None:
        if isinstance(value, dict):
            for key, sub in value.items():
                index = isinstance(key, int) or str(key).isdigit()
                walk(sub, name if index else (f"{name}.{key}" if name else str(key)))
        elif isinstance(value, list):
            for item in value:
                walk(item, name)
        else:
            out.setdefault(name or "_schema", []).append(str(value))

    walk(messages, "")
    return out


def error_body(err: engine_errors.EngineError) -> dict[str, object]:
    body: dict[str, object] = {"code": err.code, "message": str(err)}
    if isinstance(err, domain_errors.ValidationFailed):
        body["fields"] = field_messages(err.fields)
    if isinstance(err, engine_errors.DefinitionInvalid):
        body["problems"] = [p.as_dict() for p in err.problems]
    if isinstance(err, engine_errors.MessageNotExpected):
        body["waiting"] = err.waiting
    return {"error": body}


def http_body(err: HTTPException) -> dict[str, object]:
    status = err.code or 500
    code = getattr(err, "error_code", None) or HTTP_CODES.get(status) or "bad_request"
    body: dict[str, object] = {"code": code, "message": err.description or err.name}
    messages = (getattr(err, "data", None) or {}).get("messages")
    if messages and status == 400:  # webargs could not read the JSON body
        body = {"code": MalformedJson.error_code, "message": MalformedJson.description}
    elif messages:  # request parsing (webargs): {"json": {"field": [...]}, "query": {...}}
        body["code"] = "validation_failed"
        body["message"] = "The request is not valid."
        fields: dict[str, list[str]] = {}
        for part in messages.values() if isinstance(messages, dict) else [messages]:
            for name, texts in field_messages(part).items():
                fields.setdefault(name, []).extend(texts)
        body["fields"] = fields
    return {"error": body}


KEPT = "kept_form"
KEEP_LIMIT = 2500  # bytes of typing (as JSON) carried to the next page in the cookie session
NOT_KEPT = ("csrf_token", "password", "aadhaar")  # an Aadhaar number never travels in a cookie (D70)


def flash_and_redirect(  # noqa: ANN201
    err: Exception, url: str, *, say: bool = True, errors: dict | None = None, extra: dict | None = None
):
    """Post/Redirect/Get for a refused form (D90): say what went wrong on the page the person came from.

    The answer is always a redirect to `url` (so Back never offers to send the form again). What was typed
    and the fields' messages travel in the session to that page, once, if they fit the cookie (about
    4 kB); longer typing is filled in again by the browser from its own copy (forms marked data-keep,
    static/app.js), which the page keeps because it says the form was refused (`kept_refused`)."""
    kept: dict[str, Any] = {"path": urlsplit(url).path}
    values = {k: v for k, v in request.form.items() if k not in NOT_KEPT and "password" not in k}
    errors = errors or getattr(err, "fields", None) or {}
    if values and len(json.dumps(values)) <= KEEP_LIMIT:
        kept["values"] = values
    portable = {k: [_portable(m) for m in (v if isinstance(v, list) else [v])] for k, v in errors.items()}
    if errors and len(json.dumps(portable, default=str)) <= KEEP_LIMIT:
        kept["errors"] = json.loads(json.dumps(portable, default=str))
    if extra:  # what else the page needs to show the form again (e.g. tokens of files kept on the server)
        kept["extra"] = extra
    if say or (errors and "errors" not in kept):  # the fields' messages did not fit: say it in words
        flash(message_of(err), "error")
    session[KEPT] = kept
    return redirect(url)


def redirect_on_error(target: Callable[..., str]):  # noqa: ANN201
    """For form posts: a refused request (400, 409, 422; not 403 or 404) is flashed and the person is
    sent back to `target(**view_arguments)` with the form as typed (`kept` in templates)."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any):  # noqa: ANN202
            try:
                return view(*args, **kwargs)
            except engine_errors.EngineError as err:
                if status_for(err) not in (400, 409, 422):
                    raise
                return flash_and_redirect(err, target(**kwargs))

        return wrapper

    return decorate


def _portable(message: Any) -> Any:
    """A field's message for the session: a `Text` keeps its code, so the page says it in its language."""
    if isinstance(message, Text):
        return {"text": str(message), "code": message.code, "hi": message.hi, "custom": message.custom, "params": message.params}
    return str(message)


def _restored(message: Any) -> Any:
    if isinstance(message, dict) and "code" in message:
        return Text(message["code"], message["text"], hi=message.get("hi"), custom=message.get("custom", False), **message.get("params", {}))
    return message


def _take_kept() -> None:
    if "kept_form" in g:
        return
    kept = session.get(KEPT)
    g.kept_form, g.kept_errors, g.kept_extra, g.kept_refused = {}, {}, {}, False
    if kept and kept.get("path") == request.path:
        kept = session.pop(KEPT)
        g.kept_form, g.kept_extra = kept.get("values", {}), kept.get("extra", {})
        g.kept_errors = {k: [_restored(m) for m in v] for k, v in kept.get("errors", {}).items()}
        g.kept_refused = True


def kept_form() -> dict[str, str]:
    """What was typed in the form that sent the person to this page, once (empty otherwise)."""
    _take_kept()
    return g.kept_form


def kept_errors() -> dict[str, list[str]]:
    """The fields' messages of the form refused on the way to this page, once (empty otherwise)."""
    _take_kept()
    return g.kept_errors


def kept_extra() -> dict[str, Any]:
    """What else the refused form's view kept for this page (`flash_and_redirect(extra=...)`), once."""
    _take_kept()
    return g.kept_extra


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/health" or request.accept_mimetypes.best == "application/json"


def init_app(app: Flask) -> None:
    @app.context_processor
    def _kept() -> dict[str, Any]:
        _take_kept()
        return {"kept": g.kept_form, "kept_errors": g.kept_errors, "kept_refused": g.kept_refused}
    app.jinja_env.filters["say"] = say

    @app.errorhandler(engine_errors.EngineError)
    def _domain(err: engine_errors.EngineError):  # noqa: ANN202
        status = status_for(err)
        if wants_json():
            return jsonify(error_body(err)), status
        return render_template("error.html", message=message_of(err), status=status), status

    @app.errorhandler(HTTPException)
    def _http(err: HTTPException):  # noqa: ANN202
        status = err.code or 500
        if wants_json():
            return jsonify(http_body(err)), status, _kept_headers(err)
        return render_template("error.html", message=http_message(err), status=status), status

    @app.errorhandler(DBAPIError)
    @app.errorhandler(PoolTimeout)
    def _database(err: Exception):  # noqa: ANN202
        # A transient failure left after web/infra/retry.py's second try: 503, try again shortly (D36).
        if not is_transient(err):
            raise err  # a bug or a constraint: Flask's 500 handling, with the traceback logged
        app.logger.warning("Database unavailable: %s", err)
        return _unavailable(engine_errors.DatabaseUnavailable("The database is briefly unavailable. Try again in a moment."))

    @app.errorhandler(engine_errors.DatabaseUnavailable)
    def _unavailable(err: engine_errors.DatabaseUnavailable):  # noqa: ANN202
        if wants_json():
            response = make_response(jsonify(error_body(err)), 503)
        else:
            response = make_response(render_template("error.html", message=message_of(err), status=503), 503)
        response.headers["Retry-After"] = str(err.retry_after_seconds)
        return response

def _kept_headers(err: HTTPException) -> dict[str, str]:
    """Headers the error itself carries (Allow on 405, Retry-After on 429/503), not its content type."""
    return {k: v for k, v in err.get_headers() if k.lower() != "content-type"}
