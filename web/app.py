"""The Flask application factory."""

from __future__ import annotations

from flask import Flask

from engine.runtime import Runtime
from web import errors, health
from web.bootstrap import build_runtime, build_scheduler
from web.config import Settings
from web.dbschema import require_current
from web.extensions import RUNTIME


def create_app(settings: Settings | None = None, *, runtime: Runtime | None = None) -> Flask:
    """Build the app. Refuses to start on a database whose schema is not current."""
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.config.update(SECRET_KEY=settings.secret_key, TESTING=settings.testing, ODOP_SETTINGS=settings)
    runtime = runtime or build_runtime(settings)
    app.config["SCHEMA_REVISION"] = require_current(runtime.db)
    app.extensions[RUNTIME] = runtime
    errors.init_app(app)
    app.register_blueprint(health.bp)
    if settings.run_scheduler and not settings.testing:
        scheduler = build_scheduler(runtime)
        scheduler.start()
        app.extensions["odop.scheduler"] = scheduler
    return app
