"""Every view runs its use case once more after a transient database failure, when that is safe.

A view parses, calls one use case with a fresh unit of work, and renders; running the view again
is running the use case again from a fresh transaction. That is safe when nothing was committed
in this request before the failure (the failed transaction itself was rolled back). A connection
lost during the COMMIT raises DatabaseUnavailable in the unit of work and is not retried. What is
left (a second failure, or one after a commit) is answered 503 with Retry-After by web/infra/errors.py.
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


WRITTEN = "odop_written"
# Written on the way to the view's use case, the same again on a second run: a token's last use.
BOOKKEEPING = frozenset({"api_tokens"})


def init_app(app: Flask, runtime: Runtime) -> None:
    """Wrap every view registered so far (call it after the blueprints are registered)."""
    for name, listener in (("after_flush", _note_flush), ("after_commit", _note_commit), ("after_rollback", _forget)):
        if not event.contains(runtime.session_factory, name, listener):
            event.listen(runtime.session_factory, name, listener)
    for endpoint, view in list(app.view_functions.items()):
        app.view_functions[endpoint] = _retrying(view)


def _note_flush(session: Session, _context: Any) -> None:
    written = session.info.setdefault(WRITTEN, set())
    for obj in (*session.new, *session.dirty, *session.deleted):
        written.add(getattr(obj, "__tablename__", ""))


def _forget(session: Session) -> None:
    session.info.pop(WRITTEN, None)


def _note_commit(session: Session) -> None:
    written = session.info.pop(WRITTEN, set())
    if has_request_context() and written - BOOKKEEPING:
        setattr(g, COMMITTED, True)


def _retrying(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def run(*args: Any, **kwargs: Any) -> Any:
        # What the request's hooks committed before the view (a token's last use) is not repeated
        # by running the view again; only the view's own commits count.
        setattr(g, COMMITTED, False)
        return once_more(lambda: view(*args, **kwargs), safe=_safe_to_run_again)

    return run


def _safe_to_run_again() -> bool:
    if g.get(COMMITTED):
        return False  # a use case of this request was stored: running the view again repeats it
    for upload in request.files.values():  # the first run may have read them
        upload.stream.seek(0)
    return True
