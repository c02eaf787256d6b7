"""Adding up many rolled-up rows in the database: state-wide figures are the sum of 75 districts'
rows (D50), so their JSON histograms (value -> count) are merged by SQL instead of being decoded
and added up row by row in Python."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, Integer, cast, func, select
from sqlalchemy.orm import Session


def _pairs(session: Session, column: Any) -> Any:
    """The (key, value) pairs of a JSON object column, as a table joined to the column's row."""
    if session.get_bind().dialect.name == "postgresql":
        return func.jsonb_each_text(column).table_valued("key", "value")
    return func.json_each(column).table_valued("key", "value")


def histogram(
    session: Session, model: type, column: Any, where: Iterable[ColumnElement], group: Iterable[Any] = (),
    *, key_below: str | None = None,
) -> list[tuple]:
    """Rows (group..., value, count): the histogram `column` added up over the rows matching
    `where`, per `group`. With `key_below`, only values (as text) below it."""
    pairs = _pairs(session, column)
    group = list(group)
    n = func.sum(cast(pairs.c.value, Integer))
    query = select(*group, pairs.c.key, n).select_from(model).join(pairs, pairs.c.key.is_not(None)).where(*where)
    if key_below is not None:
        query = query.where(pairs.c.key < key_below)
    return [tuple(row) for row in session.execute(query.group_by(*group, pairs.c.key))]
