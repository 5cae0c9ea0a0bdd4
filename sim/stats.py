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


def predictive_interval(values, error_sd: float, coverage: float = 0.90) -> tuple[float, float] | None:
    """The central interval of a new observation: one of the simulated values (each equally likely)
    plus a Gaussian observation error of sd `error_sd`. The quantiles of that mixture are found
    exactly (its distribution function is the mean of the values' normal ones), so the interval
    does not depend on random draws."""
    from scipy.optimize import brentq
    from scipy.stats import norm
    xs = np.array([v for v in values if v is not None and np.isfinite(v)], dtype=float)
    if not len(xs):
        return None
    if error_sd <= 0:
        lo, hi = np.quantile(xs, [(1 - coverage) / 2, (1 + coverage) / 2])
        return float(lo), float(hi)

    def cdf(y: float) -> float:
        return float(np.mean(norm.cdf((y - xs) / error_sd)))
    a, b = xs.min() - 10 * error_sd, xs.max() + 10 * error_sd
    return (brentq(lambda y: cdf(y) - (1 - coverage) / 2, a, b, xtol=1e-10),
            brentq(lambda y: cdf(y) - (1 + coverage) / 2, a, b, xtol=1e-10))
