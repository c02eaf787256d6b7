"""The appeal rules (D85): when a first and a second appeal lie, and their filing windows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from workflows.catalogue.appeal_rules import AppealLimits, AppealSoFar, Facts, limits, may_appeal

T0 = datetime(2025, 7, 1, 5, 0, tzinfo=UTC)
CONFIG = AppealLimits(first_appeal_within_days=30, second_appeal_within_days=60, day_count="calendar")


def day(n: float) -> datetime:
    return T0 + timedelta(days=n)


def add(start: datetime, days: int) -> datetime:
    return start + timedelta(days=days)


def verdict(facts: Facts, now: float):  # noqa: ANN201
    return may_appeal(facts, day(now), add, CONFIG)


def pending(**kw) -> Facts:  # noqa: ANN003
    return Facts(status=kw.pop("status", "in_process"), decided_at=kw.pop("decided_at", None), service_due=day(10), **kw)


@pytest.mark.parametrize(("status", "now", "expected"), [
    ("in_process", 9, (1, "delay", "not_yet")),
    ("in_process", 10, (1, "delay", "not_yet")),          # the last day of the limit is still in time
    ("in_process", 11, (1, "delay", None)),
    ("returned", 11, (1, "delay", None)),
    ("in_process", 40, (1, "delay", None)),               # the 30th day of the window
    ("in_process", 41, (1, "delay", "window_passed")),
    ("approved", 50, (1, None, "delivered")),
])
def test_first_appeal_on_delay(status: str, now: float, expected: tuple) -> None:
    v = verdict(pending(status=status), now)
    assert (v.level, v.cause, v.refused) == expected


def test_first_appeal_on_rejection_within_its_window_even_before_the_time_limit() -> None:
    facts = pending(status="rejected", decided_at=day(2))
    assert (verdict(facts, 3).level, verdict(facts, 3).cause, verdict(facts, 3).refused) == (1, "rejection", None)
    assert verdict(facts, 32).allowed and verdict(facts, 32).closes_at == day(32)
    assert verdict(facts, 33).refused == "window_passed"


def test_second_appeal_only_after_the_first_authoritys_limit() -> None:
    first = AppealSoFar(filed_at=day(12), due_at=day(42), decided_at=None, outcome=None)
    facts = pending(first=first)
    assert verdict(facts, 20).refused == "pending" and verdict(facts, 20).opens_at == day(42)
    assert verdict(facts, 42).refused == "pending"
    v = verdict(facts, 43)
    assert (v.level, v.cause, v.refused) == (2, "not_decided", None)
    assert verdict(facts, 102).allowed and verdict(facts, 103).refused == "window_passed"


def test_second_appeal_after_a_dismissal_within_60_days_of_the_order() -> None:
    first = AppealSoFar(filed_at=day(12), due_at=day(42), decided_at=day(20), outcome="dismissed")
    facts = pending(status="rejected", decided_at=day(5), first=first)
    v = verdict(facts, 21)
    assert (v.level, v.cause, v.refused) == (2, "dismissed", None)
    assert verdict(facts, 80).allowed and verdict(facts, 81).refused == "window_passed"


def test_allowed_first_appeal_leaves_a_second_only_for_a_new_rejection() -> None:
    first = AppealSoFar(filed_at=day(12), due_at=day(42), decided_at=day(20), outcome="allowed")
    assert verdict(pending(first=first), 25).refused == "first_allowed"
    again = pending(status="rejected", decided_at=day(30), first=first)
    v = verdict(again, 31)
    assert (v.level, v.cause, v.refused) == (2, "rejection", None)
    old = pending(status="rejected", decided_at=day(5), first=first)  # the rejection the first appeal was about
    assert verdict(old, 25).refused == "first_allowed"


def test_nothing_after_a_second_appeal() -> None:
    first = AppealSoFar(filed_at=day(12), due_at=day(42), decided_at=day(20), outcome="dismissed")
    second = AppealSoFar(filed_at=day(22), due_at=day(52), decided_at=None, outcome=None)
    assert verdict(pending(first=first, second=second), 30).refused == "already_appealed"


def test_the_shipped_limits_are_the_acts() -> None:
    assert (limits().first_appeal_within_days, limits().second_appeal_within_days) == (30, 60)
    assert limits().day_count in ("working", "calendar")
