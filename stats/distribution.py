"""Exact order statistics from a histogram of whole numbers (value -> how many times it occurs).

Databases group the durations (whole days, whole minutes) and hand back at most one row per
distinct value; the percentiles computed here from those rows are the same as over the raw values
(linear interpolation between closest ranks, as PostgreSQL's percentile_cont and NumPy's default).
"""

from __future__ import annotations

import operator
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import accumulate


@dataclass(frozen=True)
class Distribution:
    count: int
    mean: float | None
    median: float | None
    p90: float | None
    minimum: int | None
    maximum: int | None

    @classmethod
    def of(cls, counts: Mapping[int, int]) -> Distribution:
        values = sorted(v for v, n in counts.items() if n > 0)
        runs = [counts[v] for v in values]
        total = sum(runs)
        if total == 0:
            return cls(0, None, None, None, None, None)
        ends = list(accumulate(runs))  # rank (0-based) just past each value's run

        def at(rank: int) -> int:
            return values[bisect_right(ends, rank)]

        def quantile(q: float) -> float:
            h = (total - 1) * q
            low = int(h)
            a = at(low)
            b = at(min(low + 1, total - 1))
            return a + (h - low) * (b - a)

        return cls(
            count=total,
            mean=sum(map(operator.mul, values, runs)) / total,
            median=quantile(0.5),
            p90=quantile(0.9),
            minimum=values[0],
            maximum=values[-1],
        )

    @classmethod
    def of_values(cls, values: Iterable[int]) -> Distribution:
        counts: dict[int, int] = {}
        for v in values:
            counts[v] = counts.get(v, 0) + 1
        return cls.of(counts)
