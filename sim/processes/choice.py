"""Weighted choice of an employer (or agency) for many people at once, without a loop over people.

People in municipality m can reach the employers of every municipality m commutes to. We lay out
all (municipality, employer) pairs sorted by municipality (and, for targeted contacts, by sector),
take a cumulative sum of this week's weights over the pairs, and map each person's uniform draw into
their municipality's segment with one `searchsorted`.
"""

from __future__ import annotations

import numpy as np

from .._numpy import clip


class SegmentChooser:
    """Choose one target per person, weighted, among the targets reachable from a segment key.

    With `key_world` (the world of each key in a batch of worlds), the weights may be any floats:
    each world's running sums start from zero and a person's target is found among their own
    segment's pairs, so the arithmetic is exactly that of the world run alone. Without it, the
    weights must be whole numbers (counts of vacancies or places): their sums are then exact
    whatever precedes a segment, so one running sum over every pair gives the same choices.
    """

    def __init__(self, pair_key: np.ndarray, pair_target: np.ndarray, n_keys: int,
                 key_world: np.ndarray | None = None):
        order = np.argsort(pair_key, kind="stable")
        self.key = pair_key[order]
        self.target = pair_target[order]
        self.start = np.searchsorted(self.key, np.arange(n_keys), side="left")
        self.end = np.searchsorted(self.key, np.arange(n_keys), side="right")
        # One world: the running sum over every pair is the world's own (as it has always been).
        self.exact_floats = key_world is not None and len(key_world) > 0 and int(key_world.max()) > 0
        if self.exact_floats:
            assert key_world is not None
            pw = key_world[self.key].astype(np.int64)  # non-decreasing: keys are numbered by world
            self._world = pw
            self._col = np.arange(len(pw)) - np.searchsorted(pw, pw, side="left")
            self._n_worlds = int(key_world.max()) + 1
            # Each segment's pairs after its first, padded with -1: a person's target is its first
            # pair plus the number of these whose running sum is at most the person's point.
            size = self.end - self.start
            width = max(int(size.max()) - 1, 0) if len(size) else 0
            j = np.arange(width)
            self._rest = np.where(j < (size - 1)[:, None], self.start[:, None] + 1 + j, -1)

    def choose(self, keys: np.ndarray, u: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """Target index per person (-1 where their segment has no weight)."""
        if len(self.target) == 0 or len(keys) == 0:
            return np.full(len(keys), -1, dtype=np.int64)
        w = weights[self.target].astype(np.float64)
        if self.exact_floats:
            return self._choose_exact(keys, u, w)
        cum = np.concatenate([[0.0], np.cumsum(w)])
        lo = cum[self.start[keys]]
        tot = cum[self.end[keys]] - lo
        pos = np.searchsorted(cum, lo + u * tot, side="right") - 1
        pos = clip(pos, self.start[keys], np.maximum(self.end[keys] - 1, self.start[keys]))
        out = np.where(tot > 0, self.target[np.minimum(pos, len(self.target) - 1)], -1)
        return out.astype(np.int64)

    def _choose_exact(self, keys: np.ndarray, u: np.ndarray, w: np.ndarray) -> np.ndarray:
        # Each world's running sum from zero, as alone (one row per world).
        table = np.zeros((self._n_worlds, int(self._col.max()) + 1))
        table[self._world, self._col] = w
        incl = np.cumsum(table, axis=1)[self._world, self._col]
        excl = np.empty_like(incl)  # the running sum before each pair (from zero in each world)
        excl[1:] = incl[:-1]
        excl[self._col == 0] = 0.0
        nonempty = self.end[keys] > self.start[keys]
        first = np.minimum(self.start[keys], len(w) - 1)
        last = np.maximum(self.end[keys] - 1, 0)
        lo = np.where(nonempty, excl[first], 0.0)
        tot = np.where(nonempty, incl[last] - lo, 0.0)
        point = lo + u * tot
        rest = self._rest[keys]
        below = (rest >= 0) & (excl[np.maximum(rest, 0)] <= point[:, None])
        pos = first + below.sum(axis=1)
        return np.where(tot > 0, self.target[pos], -1).astype(np.int64)


def reach_pairs(reach: np.ndarray, target_muni: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(municipality, target) pairs where the municipality reaches the target's municipality."""
    m_idx, t_idx = np.nonzero(reach[:, target_muni])
    return m_idx.astype(np.int64), t_idx.astype(np.int64)


def in_sorted(a: np.ndarray, b_sorted: np.ndarray) -> np.ndarray:
    """For each item of `a`, whether it is in the sorted array `b_sorted` (np.isin without its
    sorting of both arrays)."""
    if len(b_sorted) == 0:
        return np.zeros(len(a), dtype=bool)
    pos = np.searchsorted(b_sorted, a)
    return b_sorted[np.minimum(pos, len(b_sorted) - 1)] == a


def rank_within(groups: np.ndarray, priority: np.ndarray) -> np.ndarray:
    """Rank (0 = first) of each item within its group, ordered by priority."""
    if len(groups) == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort((priority, groups))
    g_sorted = groups[order]
    first = np.searchsorted(g_sorted, g_sorted, side="left")
    rank_sorted = np.arange(len(groups)) - first
    rank = np.empty(len(groups), dtype=np.int64)
    rank[order] = rank_sorted
    return rank
