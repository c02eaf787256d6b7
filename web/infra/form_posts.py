"""The common shape of a form post that needs no answer of its own: run one use case, say it is
done, send the person on (Post/Redirect/Get, D90). Refusals are raised and mapped as everywhere."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect
from werkzeug.wrappers import Response

from web.infra.extensions import uow


def done(command: Callable[[Any], object], message: str, then: str) -> Response:
    """`command(unit_of_work)` (a use case, which commits once), then `message` and a redirect to `then`."""
    with uow() as work:
        command(work)
    flash(message)
    return redirect(then)
