"""Every view runs its use case once more after a transient database failure, when that is safe.

A view parses, calls one use case with a fresh unit of work, and renders; running the view again
is running the use case again from a fresh transaction. That is safe when nothing was committed
in this request before the failure (the failed transaction itself was rolled back). A connection
lost during the COMMIT raises DatabaseUnavailable in the unit of work and is not retried. What is
left (a second failure, or one after a commit) is answered 503 with Retry-After by web/errors.py.
See docs/decisions.md D36.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import Flask, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session

from engine.retry import once_more
from engine.runtime import Runtime

COMMITTED = "odop_committed"


def init_app(app: Flask, runtime: Runtime) -> None:
    """Wrap every view registered so far (call it after the blueprints are registered)."""
    if not event.contains(runtime.session_factory, "after_commit", _note_commit):
        event.listen(runtime.session_factory, "after_commit", _note_commit)
    for endpoint, view in list(app.view_functions.items()):
        app.view_functions[endpoint] = _retrying(view)


def _note_commit(_session: Session) -> None:
    if has_request_context():
        setattr(g, COMMITTED, True)


def _retrying(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def run(*args: Any, **kwargs: Any) -> Any:
        return once_more(lambda: view(*args, **kwargs), safe=_safe_to_run_again)

    return run


def _safe_to_run_again() -> bool:
    if g.get(COMMITTED):
        return False  # a use case of this request was stored: running the view again repeats it
    for upload in request.files.values():  # the first run may have read them
        upload.stream.seek(0)
    return True
