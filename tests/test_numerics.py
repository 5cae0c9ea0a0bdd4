"""The numeric helpers against independent references: SciPy's distributions and survival
estimates, brute force, and statistical tests of the counter-based random numbers."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from sim.metrics import first_job_rate, kaplan_meier_median, month_marks
from sim.processes.choice import carried, choose, cumulate, first_by_priority, sort_by
from sim.rng import MATCHING_CONTACT, PROGRAMME_DROPOUT, PROGRAMME_SANCTION, binomial, stream_key, uniform, uniforms


def test_binomial_is_the_binomial_quantile():
    g = np.random.default_rng(3)
    u = g.random(5000)
    n = g.integers(0, 12, 5000)
    p = g.random(5000) * 0.98
    expected = stats.binom.ppf(u, n, p)
    # ppf(u) is the smallest k with cdf(k) >= u; ours counts the k with cdf(k) <= u: they differ
    # only where u equals a cdf value exactly (probability zero for continuous draws).
    got = np.array([binomial(float(a), int(b), float(c)) for a, b, c in zip(u, n, p)])
    np.testing.assert_array_equal(got, expected.astype(np.int64))


def test_binomial_edges():
    assert [binomial(u, 0, 0.5) for u in (0.0, 0.5, 0.999999)] == [0, 0, 0]
    assert [binomial(u, 5, 0.0) for u in (0.0, 0.5, 0.999999)] == [0, 0, 0]
    assert [binomial(u, 5, 1.0) for u in (0.0, 0.5, 0.999999)] == [5, 5, 5]


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


def _first_by_priority(groups, priority, room):
    ok = np.empty(len(groups), np.bool_)
    first_by_priority(groups.astype(np.int64), priority.astype(np.float64), room.astype(np.float64),
                      len(room), ok)
    return ok


def test_first_by_priority_keeps_the_lowest_priorities_of_each_group():
    g = np.random.default_rng(7)
    for room_scale in (0, 3, 30, 1000):
        groups = g.integers(0, 6, 300)
        priority = g.random(300)
        room = g.integers(0, room_scale + 1, 6)
        ok = _first_by_priority(groups, priority, room)
        for k in range(6):
            idx = np.nonzero(groups == k)[0]
            order = idx[np.argsort(priority[idx], kind="stable")]
            keep = min(len(idx), int(room[k]))
            assert set(order[:keep]) == set(np.nonzero(ok & (groups == k))[0])


def test_first_by_priority_breaks_ties_by_position():
    groups = np.zeros(6, np.int64)
    priority = np.array([0.5, 0.2, 0.5, 0.2, 0.5, 0.9])
    np.testing.assert_array_equal(_first_by_priority(groups, priority, np.array([3])),
                                  [True, True, False, True, False, False])
    assert len(_first_by_priority(np.zeros(0, np.int64), np.zeros(0), np.array([2]))) == 0


def test_sort_by_is_a_stable_sort():
    g = np.random.default_rng(4)
    for n in (0, 1, 2, 7, 100, 1001):
        keys = g.integers(0, 10, n).astype(np.float64)
        items = np.arange(n, dtype=np.int64)
        sort_by(keys, items, np.empty(n, np.int64))
        np.testing.assert_array_equal(items, np.argsort(keys, kind="stable"))


def test_carried_room():
    assert carried(0.0, 0.3, 4.0, 1.0) == pytest.approx(0.3)
    assert carried(1.0, 0.2, 4.0, 1.0) == pytest.approx(1.0)   # room for one, for a small rate
    assert carried(0.9, 0.3, 4.0, 1.0) == pytest.approx(1.2)   # four weeks of 0.3
    assert carried(1.3, 0.5, 4.0, 1.0) == pytest.approx(1.8)
    assert carried(1.9, 0.5, 4.0, 1.0) == pytest.approx(2.0)   # four weeks' worth at most


def test_month_marks_are_the_weeks_closest_to_each_month():
    marks = month_marks(520)
    weeks = np.nonzero(marks >= 0)[0]
    months = marks[weeks]
    np.testing.assert_array_equal(months, np.arange(len(months)))  # every month once, in order
    np.testing.assert_array_equal(weeks, np.round(months * 52 / 12).astype(int))
    assert marks[52] == 12 and marks[104] == 24 and marks[26] == 6


def test_weighted_choice_in_proportion_within_reach():
    # Two municipalities: 0 reaches employers 0-2, 1 reaches employers 2-3.
    start = np.array([0, 3, 5], np.int64)
    target = np.array([0, 1, 2, 2, 3], np.int64)
    weights = np.array([1.0, 0.0, 3.0, 4.0])
    cum = cumulate(start, target, weights, 0, 0, 2)
    u = (np.arange(4000) + 0.5) / 4000
    got0 = np.array([target[choose(start, cum, 0, 0, x)] for x in u])
    got1 = np.array([target[choose(start, cum, 0, 1, x)] for x in u])
    assert set(got0) == {0, 2} and set(got1) == {2, 3}
    assert np.mean(got0 == 2) == pytest.approx(0.75, abs=1e-3)
    assert np.mean(got1 == 3) == pytest.approx(4 / 7, abs=1e-3)
    empty = cumulate(start, target, np.zeros(4), 0, 0, 2)
    assert choose(start, empty, 0, 0, 0.3) == -1


def test_uniforms_are_uniform():
    u = uniforms(np.uint64(1), PROGRAMME_SANCTION, np.arange(200_000, dtype=np.int64), 3)
    assert stats.kstest(u, "uniform").pvalue > 0.001
    assert 0.0 <= u.min() and u.max() < 1.0


@pytest.mark.parametrize("vary", ["who", "week", "stream", "row", "seed"])
def test_uniforms_of_neighbouring_counters_are_independent(vary):
    """Draws that differ in one input by one (the next person, week, stream row or seed) are
    uncorrelated and jointly uniform (a chi-square test on a 10 x 10 grid of pairs)."""
    n = 100_000
    who = np.arange(n, dtype=np.int64)
    a = uniforms(np.uint64(7), MATCHING_CONTACT, who, 10)
    b = {"who": lambda: uniforms(np.uint64(7), MATCHING_CONTACT, who + 1, 10),
         "week": lambda: uniforms(np.uint64(7), MATCHING_CONTACT, who, 11),
         "stream": lambda: uniforms(np.uint64(7), PROGRAMME_DROPOUT, who, 10),
         "row": lambda: uniforms(np.uint64(7), MATCHING_CONTACT + 1, who, 10),
         "seed": lambda: uniforms(np.uint64(8), MATCHING_CONTACT, who, 10)}[vary]()
    assert abs(np.corrcoef(a, b)[0, 1]) < 4 / np.sqrt(n)
    counts = np.histogram2d(a, b, bins=10, range=[[0, 1], [0, 1]])[0]
    assert stats.chisquare(counts.ravel()).pvalue > 0.001


def test_a_draw_depends_only_on_its_counter():
    """The same (seed, stream, who, week) gives the same number however the draws are made:
    alone, in another order, among other people (common random numbers by construction)."""
    who = np.array([5, 17, 3, 900_000], dtype=np.int64)
    a = uniforms(np.uint64(3), PROGRAMME_DROPOUT, who, 40)
    b = uniforms(np.uint64(3), PROGRAMME_DROPOUT, np.concatenate([np.arange(10), who[::-1]]), 40)[10:][::-1]
    np.testing.assert_array_equal(a, b)
    assert [uniform(np.uint64(3), PROGRAMME_DROPOUT, int(x), 40) for x in who] == list(a)
    assert stream_key("programme", 1) == PROGRAMME_DROPOUT
