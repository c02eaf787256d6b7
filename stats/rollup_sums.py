"""State-wide sums of the district roll-up rows, kept per process while those rows are unchanged (D101).

No roll-up row is shared by districts (D50), so a state-wide figure adds up the 75 districts' rows
of each month or financial year, and adding their JSON histograms is what the multi-year views
spent their time on. The sums of one period and scheme are kept here with the revisions of the
rows they were added from. A read first asks for the revisions alone (no JSON), reuses the sums of
every group whose rows are as they were, and adds up again only the groups whose rows changed:
the figures stay exact, because every write gives a row a new revision (stats/models.py).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

COUNTS = ("received", "open", "approved", "rejected", "within_limit", "benefit_sanctioned", "benefit_released")
HISTOGRAMS = ("open_due", "days_working", "days_calendar", "days_to_approval")
MAX_GROUPS = 4096  # a group is one period and scheme: five years of months are 180


@dataclass(frozen=True)
class GroupSum:
    """One period's and scheme's figures over all districts; histograms keep their stored text values."""

    signature: tuple[tuple, ...]  # the keys and revisions of the rows added, sorted
    counts: dict[str, int]
    histograms: dict[str, dict[str, int]]


_lock = threading.Lock()
# (database, table, period, scheme) -> sums: tests and tools may read several databases in a process.
_kept: OrderedDict[tuple[str, str, date, str], GroupSum] = OrderedDict()
# Officers' minutes over a range of months: (database, table, first, last, filters) -> (the months'
# sums it was added from, the total).
_totals: OrderedDict[tuple, tuple[tuple[GroupSum, ...], dict[str, dict[int, int]]]] = OrderedDict()


def add_into(target: dict[str, int], source: Mapping[str, int]) -> None:
    """Add the counts of one histogram (value -> count, values as stored) to another."""
    get = target.get
    for value, n in source.items():
        target[value] = get(value, 0) + n


def state_wide(session: Session, model: type, first: date, last: date, scheme: str | None) -> list[tuple[str, GroupSum]]:
    """(scheme code, the sum of its district rows) for each period of `model` from `first` to
    `last`, of one scheme or all."""
    table = model.__table__
    query = select(table.c.month, table.c.scheme_code, table.c.district_code, table.c.revision).where(
        table.c.month.between(first, last)
    )
    if scheme:
        query = query.where(table.c.scheme_code == scheme)
    signatures: dict[tuple[date, str], list[tuple[str, int]]] = {}
    for month, code, district, revision in session.execute(query):
        signatures.setdefault((month, code), []).append((district, revision))
    found: list[tuple[str, GroupSum]] = []
    stale: list[tuple[date, str]] = []
    database = _database(session)
    with _lock:
        for (month, code), members in signatures.items():
            key = (database, table.name, month, code)
            kept = _kept.get(key)
            if kept is not None and kept.signature == tuple(sorted(members)):
                _kept.move_to_end(key)
                found.append((code, kept))
            else:
                stale.append((month, code))
    if stale:
        found += _add_up(session, model, stale)
    return found


def _add_up(session: Session, model: type, groups: list[tuple[date, str]]) -> Iterable[tuple[str, GroupSum]]:
    table = model.__table__
    columns = [table.c.month, table.c.scheme_code, table.c.district_code, table.c.revision,
               *(table.c[name] for name in COUNTS), *(table.c[name] for name in HISTOGRAMS)]
    rows: dict[tuple[date, str], list[Any]] = {}
    query = select(*columns).where(tuple_(table.c.month, table.c.scheme_code).in_(groups))
    for row in session.execute(query):
        rows.setdefault((row[0], row[1]), []).append(row)
    added = []
    database = _database(session)
    for (month, code), members in rows.items():
        members.sort(key=lambda row: row[2])
        counts = dict.fromkeys(COUNTS, 0)
        histograms: dict[str, dict[str, int]] = {name: {} for name in HISTOGRAMS}
        for row in members:
            for i, name in enumerate(COUNTS, start=4):
                counts[name] += row[i] or 0
            for i, name in enumerate(HISTOGRAMS, start=4 + len(COUNTS)):
                if row[i]:
                    add_into(histograms[name], row[i])
        group = GroupSum(tuple((row[2], row[3]) for row in members), counts, histograms)
        added.append((code, group))
        with _lock:
            _kept[(database, table.name, month, code)] = group
            while len(_kept) > MAX_GROUPS:
                _kept.popitem(last=False)
    return added


def officers_minutes(
    session: Session, model: type, first: date, last: date, scheme: str | None, district: str | None,
) -> dict[str, dict[int, int]]:
    """Each officer's histogram of working minutes over the months from `first` to `last`, of the
    schemes and districts the filters leave in. Read-only: the dicts are shared by readers.

    Each month's sums are kept like the state-wide ones, and so is their total over the range
    while the same months' sums make it up (whole months are closed: a decision adds to the month
    it is made in, which the dashboards read from the facts until the month is over)."""
    table = model.__table__
    where = [table.c.month.between(first, last)]
    if scheme:
        where.append(table.c.scheme_code == scheme)
    if district:
        where.append(table.c.district_code == district)
    signatures: dict[date, list[tuple]] = {}
    query = select(table.c.month, table.c.completed_by, table.c.scheme_code, table.c.district_code, table.c.revision)
    for month, *member in session.execute(query.where(*where)):
        signatures.setdefault(month, []).append(tuple(member))
    database, scope = _database(session), f"{scheme or '*'}/{district or '*'}"
    months: dict[date, GroupSum] = {}
    with _lock:
        for month, members in signatures.items():
            kept = _kept.get((database, table.name, month, scope))
            if kept is not None and kept.signature == tuple(sorted(members)):
                months[month] = kept
    stale = [month for month in signatures if month not in months]
    if stale:
        months.update(_officers_of_months(session, table, where, stale, (database, table.name), scope))
    parts = tuple(months[month] for month in sorted(months))
    key = (database, table.name, first, last, scope)
    with _lock:
        total = _totals.get(key)
        if total is not None and len(total[0]) == len(parts) and all(a is b for a, b in zip(total[0], parts, strict=True)):
            return total[1]
    added: dict[str, dict[str, int]] = {}
    for part in parts:
        for username, histogram in part.histograms.items():
            add_into(added.setdefault(username, {}), histogram)
    result = {username: {int(m): n for m, n in histogram.items()} for username, histogram in added.items()}
    with _lock:
        _totals[key] = (parts, result)
        while len(_totals) > 64:
            _totals.popitem(last=False)
    return result


def _officers_of_months(
    session: Session, table: Any, where: list[Any], months: list[date], key: tuple[str, str], scope: str,
) -> dict[date, GroupSum]:
    rows: dict[date, list[Any]] = {}
    query = select(table.c.month, table.c.completed_by, table.c.scheme_code, table.c.district_code, table.c.revision,
                   table.c.work_minutes)
    for row in session.execute(query.where(*where, table.c.month.in_(months))):
        rows.setdefault(row[0], []).append(row)
    found = {}
    for month, members in rows.items():
        per_officer: dict[str, dict[str, int]] = {}
        for _, username, _, _, _, histogram in members:
            add_into(per_officer.setdefault(username, {}), histogram or {})
        found[month] = GroupSum(tuple(sorted(tuple(row[1:5]) for row in members)), {}, per_officer)
        with _lock:
            _kept[(*key, month, scope)] = found[month]
            while len(_kept) > MAX_GROUPS:
                _kept.popitem(last=False)
    return found


def _database(session: Session) -> str:
    return session.get_bind().url.render_as_string(hide_password=True)


def forget() -> None:
    """Drop every kept sum (tests; the figures are exact without it)."""
    with _lock:
        _kept.clear()
        _totals.clear()
