from datetime import date

import pytest

from stats.filters import Filters
from stats.periods import split, whole_years


@pytest.mark.parametrize(
    ("first", "last", "runs", "years"),
    [
        (date(2025, 4, 1), date(2026, 3, 1), [], (date(2025, 4, 1), date(2025, 4, 1))),
        (date(2025, 5, 1), date(2026, 3, 1), [(date(2025, 5, 1), date(2026, 3, 1))], None),
        (date(2025, 4, 1), date(2026, 2, 1), [(date(2025, 4, 1), date(2026, 2, 1))], None),
        (
            date(2022, 1, 1),
            date(2026, 11, 1),
            [(date(2022, 1, 1), date(2022, 3, 1)), (date(2026, 4, 1), date(2026, 11, 1))],
            (date(2022, 4, 1), date(2025, 4, 1)),
        ),
        (date(2024, 4, 1), date(2026, 4, 1), [(date(2026, 4, 1), date(2026, 4, 1))], (date(2024, 4, 1), date(2025, 4, 1))),
    ],
)
def test_whole_financial_years_between_months(first, last, runs, years):  # noqa: ANN001
    assert whole_years(first, last) == (runs, years)


def test_split_reads_the_ends_from_the_facts():
    parts = split(Filters(date(2025, 6, 15), date(2025, 8, 10)))
    assert parts.months == (date(2025, 7, 1), date(2025, 7, 1))
    assert [(e.start, e.end) for e in parts.edges] == [
        (date(2025, 6, 15), date(2025, 6, 30)),
        (date(2025, 8, 1), date(2025, 8, 10)),
    ]
    assert split(Filters(date(2025, 7, 5), date(2025, 7, 20))).months is None
