"""The numeric helpers against independent references: SciPy's distributions and survival
estimates, brute force, and the eager form of the lazy random blocks."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from sim import rng as rng_module
from sim.metrics import first_job_rate, kaplan_meier_median, month_marks
from sim.processes.choice import SegmentChooser, in_sorted, rank_within
from sim.rng import Streams, binomial_from_uniform, hashed_uniform


def test_binomial_from_uniform_is_the_binomial_quantile():
    g = np.random.default_rng(3)
    u = g.random(5000)
    n = g.integers(0, 12, 5000)
    p = g.random(5000) * 0.98
    expected = stats.binom.ppf(u, n, p)
    # ppf(u) is the smallest k with cdf(k) >= u; ours counts the k with cdf(k) <= u: they differ
    # only where u equals a cdf value exactly (probability zero for continuous draws).
    np.testing.assert_array_equal(binomial_from_uniform(u, n, p), expected.astype(np.int64))


def test_binomial_from_uniform_edges():
    u = np.array([0.0, 0.5, 0.999999])
    np.testing.assert_array_equal(binomial_from_uniform(u, np.array([0, 0, 0]), 0.5), [0, 0, 0])
    np.testing.assert_array_equal(binomial_from_uniform(u, np.array([5, 5, 5]), 0.0), [0, 0, 0])
    np.testing.assert_array_equal(binomial_from_uniform(u, np.array([5, 5, 5]), 1.0), [0, 5, 5])


def test_kaplan_meier_median_matches_scipy():
    g = np.random.default_rng(5)
    for _ in range(20):
        n = int(g.integers(5, 200))
        dur = g.integers(0, 100, n)
        observed = g.random(n) < 0.7
        ours = kaplan_meier_median(dur, observed)
        data = stats.CensoredData(uncensored=dur[observed], right=dur[~observed])
        sf = stats.ecdf(data).sf
        below = sf.quantiles[sf.probabilities <= 0.5]
        expected = float(below[0]) if len(below) else float("nan")
        if np.isnan(expected):
            assert np.isnan(ours)
        else:
            assert ours == expected


def test_first_job_rate_counts_weeks_at_risk_and_events():
    class P:  # three people: a job in week 10, none (left in week 30), none (to the end)
        ti_arrival = np.array([0, 0, 50])
        ti_first_job = np.array([10, -1, -1])
        ti_left = np.array([-1, 30, -1])
    # at risk: 11 weeks (0..10), 30 weeks (0..29), 100 weeks (50..149, the end); one event.
    assert first_job_rate(P, 3, T=150, window=156) == pytest.approx(1 / (11 + 30 + 100))


def test_rank_within_is_the_rank_in_the_group_by_priority():
    g = np.random.default_rng(7)
    groups = g.integers(0, 6, 300)
    priority = g.random(300)
    ranks = rank_within(groups, priority)
    for k in range(6):
        idx = np.nonzero(groups == k)[0]
        order = idx[np.argsort(priority[idx])]
        np.testing.assert_array_equal(ranks[order], np.arange(len(idx)))
    assert len(rank_within(np.zeros(0, int), np.zeros(0))) == 0


def test_in_sorted_is_isin():
    g = np.random.default_rng(2)
    a = g.integers(0, 50, 200)
    b = np.unique(g.integers(0, 50, 30))
    np.testing.assert_array_equal(in_sorted(a, b), np.isin(a, b))
    assert not in_sorted(a, np.zeros(0, int)).any()


def test_month_marks_are_the_weeks_closest_to_each_month():
    marks = month_marks(520)
    weeks = np.nonzero(marks >= 0)[0]
    months = marks[weeks]
    np.testing.assert_array_equal(months, np.arange(len(months)))  # every month once, in order
    np.testing.assert_array_equal(weeks, np.round(months * 52 / 12).astype(int))
    assert marks[52] == 12 and marks[104] == 24 and marks[26] == 6


def test_segment_chooser_draws_in_proportion_within_reach():
    # Two municipalities: 0 reaches employers 0-2, 1 reaches employers 2-3.
    chooser = SegmentChooser(np.array([0, 0, 0, 1, 1]), np.array([0, 1, 2, 2, 3]), 2)
    weights = np.array([1.0, 0.0, 3.0, 4.0])
    u = (np.arange(4000) + 0.5) / 4000
    got0 = chooser.choose(np.zeros(4000, dtype=np.int64), u, weights)
    got1 = chooser.choose(np.ones(4000, dtype=np.int64), u, weights)
    assert set(got0) == {0, 2} and set(got1) == {2, 3}
    assert np.mean(got0 == 2) == pytest.approx(0.75, abs=1e-3)
    assert np.mean(got1 == 3) == pytest.approx(4 / 7, abs=1e-3)
    assert np.all(chooser.choose(np.zeros(3, dtype=np.int64), u[:3], np.zeros(4)) == -1)


@pytest.mark.parametrize("rows, n", [(3, 7), (5, 1000), (23, 123)])
def test_lazy_blocks_give_the_same_numbers_as_eager_ones(monkeypatch, rows, n):
    eager = Streams(11)
    monkeypatch.setattr(rng_module, "LAZY_MIN_COLUMNS", 1)  # every block lazy
    lazy = Streams(11)
    for _ in range(3):  # several weeks: the stream must continue at the same place
        a = eager.get("s").random((rows, n), dtype=np.float32)
        b = lazy.block("s", rows, n)
        assert isinstance(b, rng_module._LazyBlock)
        idx = np.array([0, n // 2, n - 1])
        for r in range(rows):
            np.testing.assert_array_equal(b[r], a[r])
            np.testing.assert_array_equal(b[r, idx], a[r, idx])
        rr = np.array([0, rows - 1, rows // 2])
        np.testing.assert_array_equal(b[rr, idx], a[rr, idx])
    np.testing.assert_array_equal(eager.get("s").random(5), lazy.get("s").random(5))


def test_hashed_uniforms_are_uniform_and_keyed():
    keys = np.arange(20000, dtype=np.uint64)
    u = hashed_uniform(1, "vacancies", keys, 3)
    assert stats.kstest(u, "uniform").pvalue > 0.001
    assert 0.0 <= u.min() and u.max() < 1.0
    np.testing.assert_array_equal(u[5:10], hashed_uniform(1, "vacancies", keys[5:10], 3))
