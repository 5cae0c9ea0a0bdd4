"""The predicted outcome of each arrival profile in each municipality, as GeoMatch predicts it from
register data (Bansak et al., Science 2018): fitted to people already settled (here: simulated
under the Settlement Act with draws from the posterior ensemble), then used as if it held whoever
else is sent there. That "as if" is the static promise the full simulation checks.

A profile is what a settlement officer knows at assignment: sex, education and whether the person
has worked before (16 profiles). The outcome is a first paid job within `horizon_months` of arrival.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

from ..states import EDUCATION_NAMES

N_PROFILES = 16
HORIZONS = (12, 24, 36)  # months: the first-job horizons a run records (placement.figures)


def profile_of(female: np.ndarray, education: np.ndarray, prior_work: np.ndarray) -> np.ndarray:
    """Profile index (female, education 0-3, worked before): ((female x 4) + education) x 2 + worked."""
    return ((female.astype(np.int64) * 4 + education.astype(np.int64)) * 2 + prior_work.astype(np.int64))


def lowest_profiles(rate: np.ndarray, counts: np.ndarray, quantile: float) -> np.ndarray:
    """The profiles with the lowest `rate` that together hold at most `quantile` of `counts` (whole
    profiles, lowest first; at least the lowest one). A profile to leave out has rate inf."""
    order = np.argsort(rate, kind="stable")
    share = np.cumsum(counts[order]) / max(counts.sum(), 1)
    low = np.zeros(N_PROFILES, dtype=bool)
    low[order[share <= quantile + 1e-12]] = True
    low[order[0]] = True
    return low


def profile_names() -> list[str]:
    return [f"{'woman' if f else 'man'}, {EDUCATION_NAMES[e].replace('_', ' ')}, "
            f"{'worked before' if w else 'no work experience'}"
            for f in (0, 1) for e in range(4) for w in (0, 1)]


@dataclass(frozen=True)
class Predictions:
    """probability[profile, municipality]: predicted share with a first job within the horizon."""

    horizon_months: int
    codes: tuple[str, ...]
    probability: np.ndarray
    trained_on: str = ""

    def to_json(self) -> dict:
        return {"target": f"first paid job within {self.horizon_months} months of arrival",
                "horizon_months": self.horizon_months, "profiles": profile_names(),
                "municipalities": list(self.codes),
                "probability": [[round(float(v), 5) for v in row] for row in self.probability],
                "trained_on": self.trained_on}

    @classmethod
    def from_json(cls, data: dict) -> "Predictions":
        """The predictions of a file's data; ValueError (naming the key) if malformed."""
        for key in ("horizon_months", "municipalities", "probability"):
            if key not in data:
                raise ValueError(f"'{key}' missing")
        horizon = data["horizon_months"]
        if not isinstance(horizon, int) or isinstance(horizon, bool) or horizon not in HORIZONS:
            raise ValueError(f"'horizon_months' must be one of {', '.join(map(str, HORIZONS))} (the horizons a run "
                             f"records); found {horizon!r}")
        if not isinstance(data["municipalities"], list):
            raise ValueError("'municipalities' must be a list of SCB codes")
        codes = tuple(str(c) for c in data["municipalities"])
        if len(set(codes)) != len(codes):
            raise ValueError(f"'municipalities' lists {next(c for c in codes if codes.count(c) > 1)} twice")
        try:
            prob = np.asarray(data["probability"], dtype=float)
        except (TypeError, ValueError):
            raise ValueError("'probability' must be rows of numbers between 0 and 1") from None
        if prob.shape != (N_PROFILES, len(codes)):
            raise ValueError(f"'probability' must be {N_PROFILES} rows (profiles) of {len(codes)} values "
                             f"(municipalities); found shape {prob.shape}")
        if not np.all((prob >= 0) & (prob <= 1)):
            raise ValueError("'probability' values must lie between 0 and 1")
        return cls(horizon, codes, prob, str(data.get("trained_on", "")))


def fit(observed: np.ndarray, succeeded: np.ndarray, features: np.ndarray, ridge: float = 1.0) -> np.ndarray:
    """P[profile, municipality] from binomial cells (observed, succeeded: [profile, municipality]) by
    a logit with profile effects, municipal features (columns of `features`, standardised here) and a
    ridge-shrunk effect per municipality, so that a municipality with few or no people settled
    borrows from its features (GeoMatch fits a model per location; with some 50 people per cell a
    pooled model is the stable choice)."""
    K, M = observed.shape
    X = (features - features.mean(0)) / np.where(features.std(0) > 0, features.std(0), 1.0)
    F = X.shape[1]

    def unpack(theta):
        return theta[:K], theta[K:K + F], theta[K + F:]

    def loss(theta):
        a, g, u = unpack(theta)
        eta = a[:, None] + (X @ g + u)[None, :]
        p = 1.0 / (1.0 + np.exp(-eta))
        ll = succeeded * np.log(np.maximum(p, 1e-12)) + (observed - succeeded) * np.log(np.maximum(1 - p, 1e-12))
        r = observed * p - succeeded  # d(-ll)/d(eta)
        grad = np.concatenate([r.sum(1), X.T @ r.sum(0), r.sum(0) + ridge * u])
        return -ll.sum() + 0.5 * ridge * float(u @ u), grad

    total = max(float(observed.sum()), 1.0)
    base = float(succeeded.sum()) / total
    a0 = np.full(K, np.log(max(base, 1e-3) / max(1 - base, 1e-3)))
    res = minimize(loss, np.concatenate([a0, np.zeros(F + M)]), jac=True, method="L-BFGS-B",
                   options={"maxiter": 2000})
    a, g, u = unpack(res.x)
    return 1.0 / (1.0 + np.exp(-(a[:, None] + (X @ g + u)[None, :])))
