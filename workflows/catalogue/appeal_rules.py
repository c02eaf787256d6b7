"""When an applicant may appeal, under the UP Janhit Guarantee Adhiniyam 2011 (D85).

A first appeal lies when the scheme's time limit passed without a decision or the application was
rejected; a second appeal when the first appellate authority missed its own limit or dismissed the
first appeal. Each must be filed within a window (`workflows/data/appeals.json`). Pure rules: the
caller gives the facts, the time and a way to count days forward.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import resources

# What the appeal process reads besides the outcome (bpmn/appeal.bpmn); deploys know the name.
APPEAL_PROCESS = "appeal"
APPEAL_DATA_NAMES = frozenset({"appeal_level", "application_number"})
# Causes of an appeal.
DELAY, REJECTION = "delay", "rejection"                 # first appeal
NOT_DECIDED, DISMISSED = "not_decided", "dismissed"      # second appeal
# Outcomes of an appellate order.
ALLOWED = "allowed"
# Why an appeal is refused now.
NOT_YET, WINDOW_PASSED, ALREADY_APPEALED, DELIVERED, FIRST_ALLOWED, PENDING = (
    "not_yet", "window_passed", "already_appealed", "delivered", "first_allowed", "pending")

# start, days -> the moment `days` days (working or calendar, as configured) after start.
AddDays = Callable[[datetime, int], datetime]


@dataclass(frozen=True)
class AppealLimits:
    first_appeal_within_days: int = 30
    second_appeal_within_days: int = 60
    day_count: str = "working"  # or "calendar"


@cache
def limits() -> AppealLimits:
    """The configured filing windows (workflows/data/appeals.json)."""
    raw = json.loads(resources.files("workflows.data").joinpath("appeals.json").read_text(encoding="utf-8"))
    return AppealLimits(**{k: v for k, v in raw.items() if not k.startswith("_")})


@dataclass(frozen=True)
class AppealSoFar:
    filed_at: datetime
    due_at: datetime | None       # the appellate authority's time limit
    decided_at: datetime | None
    outcome: str | None           # allowed / dismissed


@dataclass(frozen=True)
class Facts:
    status: str                   # the application's status
    decided_at: datetime | None   # when it was decided (rejected)
    service_due: datetime         # the end of the scheme's time limit (moved on by the applicant's time)
    first: AppealSoFar | None = None
    second: AppealSoFar | None = None


@dataclass(frozen=True)
class Verdict:
    """`level` and `cause` when an appeal may be filed now; else `refused` says why. `opens_at` is
    when a refused-for-now appeal becomes possible, `closes_at` the end of the window."""

    level: int | None = None
    cause: str | None = None
    refused: str | None = None
    opens_at: datetime | None = None
    closes_at: datetime | None = None

    @property
    def allowed(self) -> bool:
        return self.refused is None


def _within(level: int, cause: str, start: datetime, days: int, now: datetime, add: AddDays) -> Verdict:
    closes = add(start, days)
    if now > closes:
        return Verdict(level=level, cause=cause, refused=WINDOW_PASSED, opens_at=start, closes_at=closes)
    return Verdict(level=level, cause=cause, opens_at=start, closes_at=closes)


def may_appeal(facts: Facts, now: datetime, add: AddDays, config: AppealLimits | None = None) -> Verdict:
    """Which appeal (if any) may be filed at `now`."""
    config = config or limits()
    if facts.second is not None:
        return Verdict(level=2, refused=ALREADY_APPEALED)
    first = facts.first
    if first is not None:
        if first.decided_at is not None:
            if first.outcome == ALLOWED:
                # Reconsidered and rejected again after the order: the second appellate authority hears it.
                if facts.status == "rejected" and facts.decided_at is not None and facts.decided_at >= first.decided_at:
                    return _within(2, REJECTION, facts.decided_at, config.second_appeal_within_days, now, add)
                return Verdict(level=2, refused=FIRST_ALLOWED)
            return _within(2, DISMISSED, first.decided_at, config.second_appeal_within_days, now, add)
        if first.due_at is None or now <= first.due_at:
            return Verdict(level=2, cause=NOT_DECIDED, refused=PENDING, opens_at=first.due_at)
        return _within(2, NOT_DECIDED, first.due_at, config.second_appeal_within_days, now, add)
    if facts.status == "rejected" and facts.decided_at is not None:
        return _within(1, REJECTION, facts.decided_at, config.first_appeal_within_days, now, add)
    if facts.status == "approved":
        return Verdict(level=1, refused=DELIVERED)
    if now <= facts.service_due:
        return Verdict(level=1, cause=DELAY, refused=NOT_YET, opens_at=facts.service_due)
    return _within(1, DELAY, facts.service_due, config.first_appeal_within_days, now, add)
