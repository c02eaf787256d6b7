"""Access to the per-app objects from request handlers."""

from __future__ import annotations

from flask import current_app

from engine.runtime import Runtime
from workflows.uow import SchemeUnitOfWork

RUNTIME = "odop.runtime"


def runtime() -> Runtime:
    return current_app.extensions[RUNTIME]


def uow() -> SchemeUnitOfWork:
    return SchemeUnitOfWork(runtime())
