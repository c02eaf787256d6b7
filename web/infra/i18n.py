"""Language per user (English or Hindi) and Indian time for every page."""

from __future__ import annotations

from flask import Flask, request, session
from flask_babel import Babel, get_locale
from flask_login import current_user

from engine.clock import IST

LANGUAGES = {"en": "English", "hi": "हिन्दी"}
TIMEZONE = IST.key


def select_locale() -> str:
    chosen = request.args.get("lang")
    if chosen in LANGUAGES:
        session["lang"] = chosen
        return chosen
    if session.get("lang") in LANGUAGES:
        return session["lang"]
    if getattr(current_user, "is_authenticated", False) and current_user.language in LANGUAGES:
        return current_user.language
    return request.accept_languages.best_match(list(LANGUAGES)) or "en"


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "translations")
    Babel(app, locale_selector=select_locale, timezone_selector=lambda: TIMEZONE)
    app.jinja_env.globals["LANGUAGES"] = LANGUAGES

    @app.before_request
    def _remember_language() -> None:
        # `?lang=` is remembered even by a request that renders nothing (a refused form redirects, D90).
        chosen = request.args.get("lang")
        if chosen in LANGUAGES:
            session["lang"] = chosen

    @app.context_processor
    def _locale() -> dict[str, str]:
        return {"current_locale": str(get_locale() or "en")}
