import statistics

import pytest

from stats.distribution import Distribution


def test_empty_history_has_no_figures():
    d = Distribution.of({})
    assert (d.count, d.mean, d.median, d.p90, d.minimum, d.maximum) == (0, None, None, None, None, None)


def test_figures_by_hand():
    # 1, 2, 2, 3, 10: median 2; p90 at rank 3.6 -> 3 + 0.6 * (10 - 3) = 7.2; mean 18 / 5
    d = Distribution.of({2: 2, 1: 1, 10: 1, 3: 1})
    assert (d.count, d.median, d.minimum, d.maximum) == (5, 2, 1, 10)
    assert d.p90 == pytest.approx(7.2)
    assert d.mean == pytest.approx(3.6)


def test_even_count_median_is_between_the_middle_two():
    assert Distribution.of_values([4, 1, 7, 2]).median == 3.0


@pytest.mark.parametrize("seed", range(20))
def test_same_as_over_raw_values(seed):
    import random

    rng = random.Random(seed)
    values = [rng.randint(0, 40) for _ in range(rng.randint(1, 300))]
    d = Distribution.of_values(values)
    assert d.median == pytest.approx(statistics.median(values))
    if len(values) > 1:
        # statistics.quantiles "inclusive" is the same linear interpolation between closest ranks
        assert d.p90 == pytest.approx(statistics.quantiles(values, n=10, method="inclusive")[-1])
    assert d.mean == pytest.approx(statistics.fmean(values))
