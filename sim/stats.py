"""Summaries over replicates: a mean with the 5th-95th percentile, and the same for paired
differences between scenarios that ran with the same seeds."""

from __future__ import annotations

import math

import numpy as np

SUMMARY_INTERVAL = (5, 95)  # percentiles of the replicate distribution


def interval(values: list[float | None]) -> dict[str, float | None]:
    """Mean and 5th-95th percentile over replicates; None if no replicate has a value."""
    xs = np.array([v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))], dtype=float)
    if len(xs) == 0:
        return {"mean": None, "lo": None, "hi": None}
    lo, hi = np.percentile(xs, SUMMARY_INTERVAL)
    return {"mean": float(xs.mean()), "lo": float(lo), "hi": float(hi)}


def paired_interval(a: list, b: list) -> dict:
    """Mean and interval of y - x over the replicates where both have a value."""
    pairs = [(x, y) for x, y in zip(a, b) if x is not None and y is not None
             and not (isinstance(x, float) and np.isnan(x)) and not (isinstance(y, float) and np.isnan(y))]
    return interval([y - x for x, y in pairs])
