"""Words for appeals (D85-D87) in the page's language: causes, orders and why an appeal is refused."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

APPEAL_LEVEL_LABELS = {1: _l("First appeal"), 2: _l("Second appeal")}
APPEAL_AUTHORITY_LABELS = {1: _l("First appellate authority"), 2: _l("Second appellate authority")}
APPEAL_CAUSE_LABELS = {
    "delay": _l("Not decided within the time limit"),
    "rejection": _l("Application rejected"),
    "not_decided": _l("First appeal not decided within its time limit"),
    "dismissed": _l("First appeal dismissed"),
}
APPEAL_OUTCOME_LABELS = {
    "allowed": _l("Allowed: the office must decide or reconsider"),
    "dismissed": _l("Dismissed"),
}
APPEAL_REFUSAL_LABELS = {
    "not_yet": _l("You can appeal once the time limit has passed without a decision, or if the application is rejected."),
    "pending": _l("A second appeal can be filed only if the first appellate authority does not decide within its time limit."),
    "window_passed": _l("The time for filing this appeal has passed."),
    "already_appealed": _l("Both appeals have been filed; there is no further appeal on this portal."),
    "delivered": _l("The application was approved; there is nothing to appeal."),
    "first_allowed": _l("Your first appeal was allowed. A second appeal lies only if the application is rejected again."),
}


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        APPEAL_LEVEL_LABELS=APPEAL_LEVEL_LABELS, APPEAL_AUTHORITY_LABELS=APPEAL_AUTHORITY_LABELS,
        APPEAL_CAUSE_LABELS=APPEAL_CAUSE_LABELS, APPEAL_OUTCOME_LABELS=APPEAL_OUTCOME_LABELS,
        APPEAL_REFUSAL_LABELS=APPEAL_REFUSAL_LABELS,
    )
