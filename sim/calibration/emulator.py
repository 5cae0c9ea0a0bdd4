"""Gaussian-process emulators of the targets' figures, and the likelihood they give.

One emulator per target learns the model's expected figure as a function of the free parameters,
scaled to [0, 1], from the design's replicate means: a linear trend plus a Gaussian process with one
length scale per parameter and a noise term (scikit-learn's GaussianProcessRegressor, its
hyperparameters by maximum likelihood). Each design point runs on its own seeds, so the chance of a
run is noise the Gaussian process averages over neighbouring points, not one draw it would learn as
if it were the model (which common seeds at every point would make it). An emulator answers in
microseconds where the model takes seconds, so the posterior can be sampled with hundreds of
thousands of evaluations.

How far to trust an emulator is measured, not assumed: over the latest wave's points, which sit
where the posterior is, the larger of its own variance for the expected figure and its leave-one-out
squared error (closed form for a Gaussian process) less the noise of a design point. The likelihood
of an observed figure y at parameters x is then Gaussian in the error (emulated - observed, zero
inside a one-sided bound), with variance the observation error's (the source's sampling error plus
the family's model discrepancy, in the figure's units at the observed value; observation.py) + that
emulator variance; a target's weight w multiplies its log-likelihood (w = 0 shows a figure without
fitting it). No tolerance enters it.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np

KIND_CODE = {"value": 0, "at_most": 1, "at_least": 2}


def target_errors(pred: np.ndarray, observed: np.ndarray, kinds: np.ndarray) -> np.ndarray:
    """Simulated minus observed, zero inside a one-sided bound; (points, targets)."""
    d = pred - observed
    d = np.where(kinds == 1, np.maximum(d, 0.0), d)
    return np.where(kinds == 2, np.minimum(d, 0.0), d)


@dataclass
class TargetEmulator:
    gp: object
    trend: np.ndarray          # linear trend coefficients [intercept, slopes...]
    loo_var: float             # leave-one-out squared error over the latest wave
    loo_rmse_all: float        # ... over every design point
    noise_var: float           # a design point's noise (the Gaussian process's white-noise term)
    latent_var: float          # the process's own variance of the expected figure, over the latest wave

    @property
    def variance(self) -> float:
        """How far the emulated expected figure may be from the model's, where the posterior is."""
        return max(self.latent_var, self.loo_var - self.noise_var)

    def predict(self, X: np.ndarray) -> np.ndarray:
        return self.trend[0] + X @ self.trend[1:] + self.gp.predict(X)  # type: ignore[attr-defined]


def fit_target(X: np.ndarray, y: np.ndarray, latest: np.ndarray, seed: int) -> TargetEmulator:
    """Fit one target's emulator on design points X (scaled to [0, 1]) with figures y (NaN where the
    figure could not be measured: left out); `latest` marks the latest wave's points."""
    from scipy.linalg import cho_solve
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.gaussian_process import GaussianProcessRegressor
    from sklearn.gaussian_process.kernels import RBF, ConstantKernel, WhiteKernel

    ok = np.isfinite(y)
    X, y, latest = X[ok], y[ok], latest[ok]
    A = np.column_stack([np.ones(len(X)), X])
    trend, *_ = np.linalg.lstsq(A, y, rcond=None)
    resid = y - A @ trend
    d = X.shape[1]
    kernel = (ConstantKernel(1.0, (1e-3, 1e3)) * RBF(np.full(d, 0.5), (0.02, 50.0))
              + WhiteKernel(0.1, (1e-6, 1.0)))
    gp = GaussianProcessRegressor(kernel, normalize_y=True, n_restarts_optimizer=1, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        gp.fit(X, resid)
    # Leave-one-out residuals of a Gaussian process: alpha_i / (K^-1)_ii (Rasmussen & Williams 5.12),
    # in the units of the normalised target, then scaled back.
    scale = float(np.ravel(gp._y_train_std)[0]) ** 2
    K_inv = cho_solve((gp.L_, True), np.eye(len(X)))
    loo = gp.alpha_.ravel() / np.diag(K_inv) * math.sqrt(scale)
    pick = latest if latest.sum() >= 10 else np.ones(len(X), dtype=bool)
    noise = float(gp.kernel_.k2.noise_level) * scale
    _, sd = gp.predict(X[pick], return_std=True)
    latent = max(float(np.mean(sd ** 2)) - noise, 0.0)
    return TargetEmulator(gp, trend, float(np.mean(loo[pick] ** 2)), float(np.sqrt(np.mean(loo ** 2))),
                          noise, latent)


def _fit_job(job: tuple) -> TargetEmulator:
    """One fit on one BLAS thread: at these sizes more threads do not shorten a fit, and beside
    other processes' fits their waiting slows every one of them several times over."""
    from threadpoolctl import threadpool_limits
    with threadpool_limits(1):
        return fit_target(*job)


def observation_vars(targets: list, discrepancy: dict[str, float] | None = None) -> np.ndarray:
    """Each target's observation-error variance in its units: the source's plus its family's discrepancy."""
    from .observation import DISCREPANCY, observation_var_natural
    disc = {**DISCREPANCY, **(discrepancy or {})}
    return np.array([observation_var_natural(t.scale, t.observed, t.source_se, disc[t.family_name]) for t in targets])


class Emulators:
    """The targets' emulators together, and the log-likelihood of the observed figures."""

    def __init__(self, X: np.ndarray, Y: np.ndarray, latest: np.ndarray, targets: list, weights: dict[str, float],
                 seed: int, workers: int = 1, discrepancy: dict[str, float] | None = None):
        self.ids = [t.id for t in targets]
        # The fits are independent (each its own seed), so they may run on a pool of `workers`
        # processes: the same emulators, in about 1/workers of the time (a fit at 480 points takes
        # some 9 s, and BLAS threads do not shorten it).
        jobs = [(X, Y[:, j], latest, seed + j) for j in range(len(targets))]
        if workers > 1 and len(jobs) > 1:
            from ..runner import pool_results
            self.models = list(pool_results(_fit_job, jobs, workers))
        else:
            self.models = [_fit_job(job) for job in jobs]
        self.observed = np.array([t.observed for t in targets])
        self.observation_var = observation_vars(targets, discrepancy)
        self.kinds = np.array([KIND_CODE[t.kind] for t in targets])
        self.weights = np.array([weights.get(t.id, 1.0) for t in targets])
        self.emulator_var = np.array([m.variance for m in self.models])
        self.variance = self.observation_var + self.emulator_var

    @property
    def observation_sd(self) -> np.ndarray:
        return np.sqrt(self.observation_var)

    def predict(self, X: np.ndarray) -> np.ndarray:
        """(points, targets) emulated figures."""
        return np.column_stack([m.predict(X) for m in self.models])

    def z(self, X: np.ndarray, observed: np.ndarray | None = None, kinds: np.ndarray | None = None,
          extra_var: np.ndarray | None = None) -> np.ndarray:
        """Errors in units of the likelihood's standard deviation; (points, targets). Another set of
        observed figures (and kinds, and a further variance) for fits of synthetic targets."""
        obs = self.observed if observed is None else observed
        var = self.variance if extra_var is None else self.variance + np.nan_to_num(extra_var)
        return target_errors(self.predict(X), obs, self.kinds if kinds is None else kinds) / np.sqrt(var)

    def log_likelihood(self, X: np.ndarray, observed: np.ndarray | None = None, kinds: np.ndarray | None = None,
                       extra_var: np.ndarray | None = None, weights: np.ndarray | None = None) -> np.ndarray:
        w = self.weights if weights is None else weights
        return -0.5 * (self.z(X, observed, kinds, extra_var) ** 2 @ w)

    def implausibility(self, X: np.ndarray) -> np.ndarray:
        """History matching's implausibility: the largest |z| over the fitted targets (weight > 0)."""
        z = np.abs(self.z(X))[:, self.weights > 0]
        return z.max(axis=1)
