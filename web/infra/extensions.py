"""Access to the per-app objects from request handlers."""

from __future__ import annotations

from flask import current_app

from engine.runtime import Runtime
from web.infra.config import Settings
from workflows.uow import SchemeUnitOfWork
from workflows.usecases.documents import FolderStore

RUNTIME = "odop.runtime"
SETTINGS = "odop.settings"


def runtime() -> Runtime:
    return current_app.extensions[RUNTIME]


def settings() -> Settings:
    return current_app.extensions[SETTINGS]


def uow() -> SchemeUnitOfWork:
    return SchemeUnitOfWork(runtime())


def document_store() -> FolderStore:
    return FolderStore(settings().upload_dir)
