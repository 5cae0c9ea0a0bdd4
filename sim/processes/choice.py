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
    """Choose one target per person, weighted, among the targets reachable from a segment key."""

    def __init__(self, pair_key: np.ndarray, pair_target: np.ndarray, n_keys: int):
        order = np.argsort(pair_key, kind="stable")
        self.key = pair_key[order]
        self.target = pair_target[order]
        self.start = np.searchsorted(self.key, np.arange(n_keys), side="left")
        self.end = np.searchsorted(self.key, np.arange(n_keys), side="right")

    def choose(self, keys: np.ndarray, u: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """Target index per person (-1 where their segment has no weight)."""
        if len(self.target) == 0 or len(keys) == 0:
            return np.full(len(keys), -1, dtype=np.int64)
        w = weights[self.target].astype(np.float64)
        cum = np.concatenate([[0.0], np.cumsum(w)])
        lo = cum[self.start[keys]]
        tot = cum[self.end[keys]] - lo
        pos = np.searchsorted(cum, lo + u * tot, side="right") - 1
        pos = clip(pos, self.start[keys], np.maximum(self.end[keys] - 1, self.start[keys]))
        out = np.where(tot > 0, self.target[np.minimum(pos, len(self.target) - 1)], -1)
        return out.astype(np.int64)


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
