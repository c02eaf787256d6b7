"""What was typed survives an error on the way (D49): an ended session and a file too large.

The browser keeps a form marked `data-keep` in the tab's sessionStorage when it is sent
(static/app.js) and fills it in again when the same user opens the form next; pages that answer
for a refused form (the sign-in page, these pages) say so, so the copy is kept until then.
Here the server's side: a form sent after the session ended leads to sign-in and back to the
form; a request too large for the server gets a page that leads back to the form.
"""

from __future__ import annotations

from flask import Flask, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import RequestEntityTooLarge

from web.infra.auth import back_to
from web.infra.errors import wants_json
from workflows.usecases.documents import MAX_BYTES


def _refused(message: str, status: int):  # noqa: ANN202
    return render_template("form_refused.html", message=message, back=back_to(), status=status), status


def init_app(app: Flask) -> None:
    app.jinja_env.globals["UPLOAD_MAX_BYTES"] = MAX_BYTES
    limit_mb = (app.config.get("MAX_CONTENT_LENGTH") or 0) // (1024 * 1024)

    @app.errorhandler(CSRFError)
    def _csrf(err: CSRFError):  # noqa: ANN202
        if wants_json():
            return jsonify({"error": {"code": "csrf_failed", "message": err.description}}), 400
        if request.endpoint == "auth.sign_in":  # the sign-in form itself: show it again with a fresh token
            return _refused(_("The sign-in form had expired. Please sign in again."), 400)
        if not current_user.is_authenticated:
            # The session (and its form token) is gone: sign in, then back to the form.
            flash(_("Your session had ended, so the form was not sent. Sign in again: you will come back "
                    "to the form with what you typed (files must be chosen again)."), "error")
            return redirect(url_for("auth.sign_in", next=back_to()))
        return _refused(_("The form had expired and was not sent. Go back to the form: what you typed is "
                          "filled in again (files must be chosen again); then send it once more."), 400)

    @app.errorhandler(RequestEntityTooLarge)
    def _too_large(err: RequestEntityTooLarge):  # noqa: ANN202
        message = _("What you sent is larger than %(mb)d MB, so it was not received. Each document may be at "
                    "most %(file_mb)d MB.", mb=limit_mb, file_mb=MAX_BYTES // (1024 * 1024))
        if wants_json():
            return jsonify({"error": {"code": "request_entity_too_large", "message": message}}), 413
        return _refused(message + " " + _("Go back to the form: what you typed is filled in again; choose a "
                                          "smaller file."), 413)
