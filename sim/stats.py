"""Summaries over replicates: a mean with the 5th-95th percentile, and the same for paired
differences between scenarios that ran with the same seeds."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

SUMMARY_INTERVAL = (5, 95)  # percentiles of the replicate distribution


def interval(values: Sequence[float | None]) -> dict[str, float | None]:
    """Mean and 5th-95th percentile over replicates; None if no replicate has a value."""
    xs = np.array([v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))], dtype=float)
    if len(xs) == 0:
        return {"mean": None, "lo": None, "hi": None}
    lo, hi = np.percentile(xs, SUMMARY_INTERVAL)
    return {"mean": float(xs.mean()), "lo": float(lo), "hi": float(hi)}


def has_value(x) -> bool:
    return x is not None and not (isinstance(x, float) and math.isnan(x))


def paired_by_replicate(a: list, b: list) -> list[tuple[int, float]]:
    """(replicate, y - x) for the replicates where both scenarios have a value."""
    return [(r, float(y) - float(x)) for r, (x, y) in enumerate(zip(a, b)) if has_value(x) and has_value(y)]


def combine(leaf, *sides: list, skip: frozenset = frozenset()):
    """Same-shaped nested mappings, one per replicate on each side, combined leaf by leaf:
    `leaf(side 1's values, side 2's values, ...)` at every key all sides have (those in `skip` left
    out), e.g. an interval over replicates, or a paired difference of two scenarios."""
    first = sides[0][0]
    if not isinstance(first, dict):
        return leaf(*sides)
    keys = [k for k in first if k not in skip and all(k in side[0] for side in sides)]
    return {k: combine(leaf, *[[tree[k] for tree in side] for side in sides], skip=skip) for k in keys}


def paired_interval(a: list, b: list) -> dict:
    """Mean and interval of y - x over the replicates where both have a value."""
    return interval([d for _, d in paired_by_replicate(a, b)])


def shrink_means(means, noise_var, centre: float | None = None) -> np.ndarray:
    """Group means with their noise taken out of their spread (the method of moments of a one-way
    random-effects model): the between-group variance is the means' variance less their mean noise
    variance (at least 0), and each mean moves toward `centre` (default their mean) by
    sqrt(between / (between + its noise)). `noise_var` is one variance or one per group."""
    m = np.asarray(means, dtype=float)
    noise = np.broadcast_to(np.asarray(noise_var, dtype=float), m.shape)
    c = float(m.mean()) if centre is None else centre
    if len(m) < 2:
        return m
    between = max(0.0, float(np.var(m, ddof=1)) - float(np.mean(noise)))
    total = between + noise
    factor = np.sqrt(np.divide(between, total, out=np.ones_like(total), where=total > 0))
    return c + factor * (m - c)
