"""Bayesian calibration: history matching with Gaussian-process emulators, then the posterior.

Why this method. The model is stochastic and has no likelihood we can write down, so the
calibration is likelihood-free. ABC-SMC (pyabc) would need some 10^4 to 10^5 parameter points of
13 run groups each for 14 parameters: 4 to 40 hours on a laptop, for every refit. History matching with emulators (Vernon et al.
2010; Andrianakis et al. 2015, for an HIV agent-based model; McKinley et al. 2018, for epidemic
models) needs a few hundred points: each wave simulates a design, fits one emulator per target
(`emulator.py`), and the next wave's design is drawn where the emulated posterior puts its mass, so
the emulators become accurate where it matters. The posterior is then sampled on the emulators
with an affine-invariant ensemble MCMC (emcee), the emulators' own error being part of the
likelihood, and a few hundred of its draws, simulated for real, are the ensemble every figure
carries. Because the emulators are fitted once, any other set of observed figures can be fitted
again in half a minute: that is how the recovery check fits synthetic targets (`recovery`).

Resumable: every simulated design point is appended to a store (JSON lines) as soon as its chunk
is done; a killed calibration run again with the same spec reads the points it has and simulates
only the rest. The design is a deterministic function of the spec's seed and of the points already
simulated, so the same points are asked for again.
"""

from __future__ import annotations

import json
import math
import os
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

from ..runner import replicate_seed
from .emulator import Emulators
from .evaluate import Evaluator, build_groups
from .outputs import figure_text
from .spec import CalibrationSpec

CHUNK_POINTS = 16          # points simulated (and stored) together
DESIGN_TEMPER = 0.25       # later waves' designs: the posterior with the likelihood to this power (wider)
UNCONSTRAINED_RATIO = 0.8  # posterior sd at least this share of the prior's: the targets leave it unconstrained
CONFLICT_COSINE = -0.5     # two targets whose errors' gradients are this opposed pull against each other
PPI = (0.05, 0.95)


class Prior:
    """The free parameters' priors on the box of their bounds: Gaussian where the spec gives mean
    and sd (truncated to the bounds), uniform where it does not; x in [0, 1] maps to the bounds."""

    def __init__(self, spec: CalibrationSpec):
        self.names = list(spec.parameters)
        ps = list(spec.parameters.values())
        self.low = np.array([p.low for p in ps])
        self.high = np.array([p.high for p in ps])
        self.mean = np.array([p.prior.mean if p.prior else np.nan for p in ps])
        self.sd = np.array([p.prior.sd if p.prior else np.nan for p in ps])
        self.gaussian = np.isfinite(self.mean)

    def to_values(self, X: np.ndarray) -> np.ndarray:
        return self.low + X * (self.high - self.low)

    def to_unit(self, V: np.ndarray) -> np.ndarray:
        return (V - self.low) / (self.high - self.low)

    def log_density(self, X: np.ndarray) -> np.ndarray:
        inside = np.all((X >= 0) & (X <= 1), axis=1)
        z = (self.to_values(X) - self.mean) / self.sd
        lp = -0.5 * np.sum(np.where(self.gaussian, z, 0.0) ** 2, axis=1)
        return np.where(inside, lp, -np.inf)

    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """Draws from the truncated prior (by rejection from each marginal)."""
        out = np.empty((n, len(self.names)))
        for j in range(len(self.names)):
            if not self.gaussian[j]:
                out[:, j] = rng.random(n)
                continue
            got = np.empty(0)
            while len(got) < n:
                v = rng.normal(self.mean[j], self.sd[j], 4 * n)
                got = np.concatenate([got, v[(v >= self.low[j]) & (v <= self.high[j])]])
            out[:, j] = (got[:n] - self.low[j]) / (self.high[j] - self.low[j])
        return out


@dataclass
class Design:
    """The simulated design points so far: values scaled to [0, 1], the wave, and the figures."""

    X: np.ndarray
    wave: np.ndarray
    sims: np.ndarray     # (points, targets, replicates), NaN where a figure could not be measured

    @property
    def means(self) -> np.ndarray:
        """(points, targets): NaN where no replicate could measure the figure (NumPy warns; not news)."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return np.nanmean(self.sims, axis=2)

    def replicate_var(self) -> np.ndarray:
        """(targets,): the variance of one replicate's figure about its point's mean, on average."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return np.nanmean(np.nanvar(self.sims, axis=2, ddof=1), axis=0)


class Store:
    """Simulated points as JSON lines, appended and flushed chunk by chunk, so that a killed
    calibration loses at most the chunk in flight."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.known: dict[str, dict] = {}
        self._cut = False
        if self.path.is_file() and self.path.stat().st_size:
            with open(self.path, "rb") as fh:
                fh.seek(-1, os.SEEK_END)
                self._cut = fh.read(1) != b"\n"
            for line in self.path.read_text(encoding="utf-8").splitlines():
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError:
                    continue  # a line cut short by a kill: simulated again
                self.known[rec["key"]] = rec["sims"]

    @staticmethod
    def key(values: dict[str, float], seeds: list[int]) -> str:
        return json.dumps({"v": {k: float(f"{v:.12g}") for k, v in values.items()}, "s": seeds}, sort_keys=True)

    def add(self, records: list[tuple[str, dict]]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a", encoding="utf-8") as fh:
            if self._cut:  # a line cut short by a kill: end it, so the next record starts on its own line
                fh.write("\n")
                self._cut = False
            for key, sims in records:
                fh.write(json.dumps({"key": key, "sims": sims}) + "\n")
                self.known[key] = sims
            fh.flush()
            os.fsync(fh.fileno())


@dataclass
class PosteriorSample:
    X: np.ndarray                 # (draws, parameters) in [0, 1]
    log_post: np.ndarray
    acceptance: float
    autocorr: float | None        # the largest integrated autocorrelation time, in steps
    steps: int
    walkers: int


@dataclass
class HistoryLog:
    waves: list[dict] = field(default_factory=list)
    stopped_early: bool = False
    simulated: int = 0            # points simulated in this call (the rest came from the store)
    from_store: int = 0


class HistoryMatching:
    """One Bayesian calibration: waves of design points, emulators, the posterior and its ensemble."""

    def __init__(self, spec: CalibrationSpec, targets: list, store: Path | None = None, workers: int = 1,
                 scheduler: str | None = None, progress: Callable[[dict], None] | None = None):
        self.spec = spec
        self.targets = targets
        self.ids = [t.id for t in targets]
        self.prior = Prior(spec)
        self.names = self.prior.names
        self.groups = build_groups(targets, spec.base_parameters, ignore_scenario_parameters=True)
        self.workers, self.scheduler = workers, scheduler
        self.replicates = spec.replicates
        self.store = Store(store or self.default_store())
        self.progress = progress or (lambda event: None)
        self.log = HistoryLog()
        self.design = Design(np.empty((0, len(self.names))), np.empty(0, int),
                             np.empty((0, len(targets), spec.replicates)))
        self.emulators: Emulators | None = None
        self._started = 0.0
        self._point_s: float | None = None
        self._fit_s: float | None = None

    def default_store(self) -> Path:
        """Where simulated points are kept by default: named by what decides a point's figures besides
        its values and seeds (which are its key in the store): the run groups and their scenarios, so
        a changed target or scenario starts a new store rather than mixing figures."""
        import hashlib
        ident = json.dumps([[g.data, g.years, list(g.components)] for g in self.groups],
                           sort_keys=True, default=str)
        return Path("results") / "calibration-stores" / f"{self.spec.name}-{hashlib.sha256(ident.encode()).hexdigest()[:12]}.jsonl"

    # --- simulation ---
    def values(self, X: np.ndarray) -> list[dict[str, float]]:
        V = self.prior.to_values(X)
        return [{n: float(v) for n, v in zip(self.names, row)} for row in V]

    def design_seeds(self, wave: int, i: int) -> list[int]:
        """Point i of a wave runs on seeds of its own (see emulator.py for why not common seeds)."""
        return [int(np.random.SeedSequence([self.spec.seed, 1 + wave, i, r]).generate_state(1, np.uint32)[0])
                for r in range(self.replicates)]

    def simulate(self, ev: Evaluator, X: np.ndarray, wave: int, time_left: Callable[[int], float]) -> np.ndarray:
        """Figures (points, targets, replicates) at the design points X, from the store where it has
        them; progress after every chunk with the time left."""
        points = self.values(X)
        seeds = [self.design_seeds(wave, i) for i in range(len(points))]
        keys = [Store.key(p, s) for p, s in zip(points, seeds)]
        out = np.full((len(points), len(self.ids), self.replicates), np.nan)
        todo = [i for i, k in enumerate(keys) if k not in self.store.known]
        self.log.from_store += len(points) - len(todo)
        for i, k in enumerate(keys):
            if k in self.store.known:
                out[i] = self._array(self.store.known[k])
        done = len(points) - len(todo)
        for c in range(0, len(todo), CHUNK_POINTS):
            chunk = todo[c:c + CHUNK_POINTS]
            t0 = time.perf_counter()
            raw = ev.run([points[i] for i in chunk], seeds_per_point=[seeds[i] for i in chunk])
            dt = (time.perf_counter() - t0) / len(chunk)
            self._point_s = dt if self._point_s is None else 0.7 * self._point_s + 0.3 * dt
            self.store.add([(keys[i], r) for i, r in zip(chunk, raw)])
            for i, r in zip(chunk, raw):
                out[i] = self._array(r)
            done += len(chunk)
            self.log.simulated += len(chunk)
            self.progress({"kind": "points", "wave": wave + 1, "waves": self.spec.waves, "done": done,
                           "total": len(points), "elapsed_s": time.perf_counter() - self._started,
                           "left_s": time_left(len(points) - done)})
        return out

    def _array(self, sims: dict) -> np.ndarray:
        return np.array([[np.nan if v is None else v for v in sims[t]] for t in self.ids], dtype=float)

    # --- the waves ---
    def run(self) -> HistoryLog:
        spec = self.spec
        self._started = time.perf_counter()
        n = spec.points_per_wave
        posterior_runs = spec.ensemble_size  # one run of each member, for the posterior predictive

        def time_left(in_wave: int, mid_wave: bool = True) -> float:
            """Seconds left: the points still to simulate (the posterior predictive's runs counted
            as points), and the emulator fits still to come, each scaled from the last one by the
            square of the design's size (the shipped calibration's fits, with the next wave's design:
            about 20, 90 and 220 s at 160, 320 and 480 points)."""
            waves_after = spec.waves - len(self.log.waves) - (1 if mid_wave else 0)
            points = in_wave + waves_after * n + posterior_runs // self.replicates
            fits = 0.0
            if self._fit_s is not None:
                size = max(len(self.design.X), 1)
                fits = sum(self._fit_s * ((size + k * n) / size) ** 2
                           for k in range(1, waves_after + (2 if mid_wave else 1)))
            return (self._point_s or 0.0) * points + fits

        self.progress({"kind": "start", "waves": spec.waves, "points": n, "runs_per_point": self.replicates * len(self.groups),
                       "store": str(self.store.path), "stored": len(self.store.known)})
        try:
            with self._evaluator() as ev:
                for wave in range(spec.waves):
                    X = self.wave_design(wave)
                    sims = self.simulate(ev, X, wave, time_left)
                    self.design = Design(np.vstack([self.design.X, X]),
                                         np.concatenate([self.design.wave, np.full(len(X), wave)]),
                                         np.concatenate([self.design.sims, sims]))
                    t0 = time.perf_counter()
                    self.fit_emulators(latest_wave=wave)
                    self.log.waves.append(self.wave_summary(wave))
                    self._fit_s = time.perf_counter() - t0
                    self.progress({"kind": "wave", **self.log.waves[-1],
                                   "elapsed_s": time.perf_counter() - self._started,
                                   "left_s": time_left(0, mid_wave=False)})
        except KeyboardInterrupt:
            self.log.stopped_early = True
        return self.log

    def _evaluator(self) -> Evaluator:
        return Evaluator(self.targets, self.groups, self.spec.replicates, self.spec.seed, self.workers, self.scheduler)

    def wave_design(self, wave: int) -> np.ndarray:
        """Wave 1: a Latin hypercube of the bounds (the spec's `start` as its first point). Later
        waves: draws from the emulated posterior with its likelihood tempered (DESIGN_TEMPER), so
        the design covers the posterior and its shoulders, where the next emulators must be good."""
        from scipy.stats import qmc
        n = self.spec.points_per_wave
        if wave == 0 or self.emulators is None:
            X = qmc.LatinHypercube(d=len(self.names), seed=np.random.default_rng([self.spec.seed, 11])).random(n)
            if self.spec.start:
                start = np.array([self.spec.start.get(nm, (lo + hi) / 2)
                                  for nm, lo, hi in zip(self.names, self.prior.low, self.prior.high)])
                X[0] = self.prior.to_unit(start)
            return X
        sample = self.sample_posterior(temper=DESIGN_TEMPER, seed=self.spec.seed + 100 + wave,
                                       steps=max(400, self.spec.mcmc.steps // 3))
        rng = np.random.default_rng([self.spec.seed, 12, wave])
        pick = rng.choice(len(sample.X), size=min(n, len(sample.X)), replace=False)
        return np.round(sample.X[pick], 10)

    def fit_emulators(self, latest_wave: int) -> None:
        d = self.design
        self.emulators = Emulators(d.X, d.means, d.wave == latest_wave, self.targets, self.spec.weights,
                                   self.spec.seed, self.workers, self.spec.discrepancy)

    def wave_summary(self, wave: int) -> dict:
        assert self.emulators is not None
        rng = np.random.default_rng([self.spec.seed, 13, wave])
        prior_draws = self.prior.sample(20_000, rng)
        imp = self.emulators.implausibility(prior_draws)
        best = int(np.argmax(self.log_posterior(self.design.X)))
        return {"wave": wave + 1, "points": int(np.sum(self.design.wave == wave)), "total_points": len(self.design.X),
                "cutoff": self.spec.cutoff,
                "non_implausible_share": float(np.mean(imp < self.spec.cutoff)),
                "emulator_rmse": {t: m.loo_rmse_all for t, m in zip(self.ids, self.emulators.models)},
                "emulator_sd_latest": {t: math.sqrt(m.loo_var) for t, m in zip(self.ids, self.emulators.models)},
                "emulator_sd_over_observation_sd": {t.id: math.sqrt(m.loo_var) / sd for t, m, sd in
                                                    zip(self.targets, self.emulators.models,
                                                        self.emulators.observation_sd)},
                "best_design_point": self.values(self.design.X[best:best + 1])[0]}

    # --- the posterior ---
    def log_posterior(self, X: np.ndarray, observed: np.ndarray | None = None, kinds: np.ndarray | None = None,
                      extra_var: np.ndarray | None = None, temper: float = 1.0,
                      weights: np.ndarray | None = None) -> np.ndarray:
        assert self.emulators is not None
        lp = self.prior.log_density(X)
        ok = np.isfinite(lp)
        out = np.full(len(X), -np.inf)
        if ok.any():
            out[ok] = lp[ok] + temper * self.emulators.log_likelihood(X[ok], observed, kinds, extra_var, weights)
        return out

    def sample_posterior(self, temper: float = 1.0, seed: int | None = None, steps: int | None = None,
                         observed: np.ndarray | None = None, kinds: np.ndarray | None = None,
                         extra_var: np.ndarray | None = None, weights: np.ndarray | None = None) -> PosteriorSample:
        """emcee's affine-invariant ensemble sampler on the emulated posterior, all walkers evaluated
        together (vectorised); walkers start at the best design points, the first half of the
        chain is dropped as burn-in."""
        import logging

        import emcee
        logging.getLogger("emcee").setLevel(logging.ERROR)  # its short-chain warning: reported in the fit report
        d = len(self.names)
        walkers = max(self.spec.mcmc.walkers, 2 * d + 2)
        steps = steps or self.spec.mcmc.steps
        seed = self.spec.seed if seed is None else seed

        def logp(X):
            return self.log_posterior(np.atleast_2d(X), observed, kinds, extra_var, temper, weights)

        rng = np.random.default_rng([seed, 14])
        cand = np.vstack([self.design.X, self.prior.sample(4 * walkers, rng)])
        lp = logp(cand)
        start = cand[np.argsort(-lp)[:walkers]]
        start = np.clip(start + rng.normal(0, 0.01, start.shape), 1e-6, 1 - 1e-6)
        sampler = emcee.EnsembleSampler(walkers, d, logp, vectorize=True)
        sampler.random_state = np.random.RandomState(seed % 2**32).get_state()
        sampler.run_mcmc(start, steps, progress=False)
        burn = steps // 2
        chain = sampler.get_chain(discard=burn, flat=True)
        lps = sampler.get_log_prob(discard=burn, flat=True)
        try:
            tau = float(np.max(sampler.get_autocorr_time(discard=burn, quiet=True)))
        except Exception:  # too short a chain for an estimate
            tau = None
        return PosteriorSample(chain, lps, float(np.mean(sampler.acceptance_fraction)), tau, steps, walkers)

    def ensemble(self, sample: PosteriorSample) -> tuple[np.ndarray, np.ndarray, int]:
        """`ensemble_size` draws from the chain (thinned at random, seeded), equal weights, and the
        index of the member with the highest posterior density (the point estimate)."""
        rng = np.random.default_rng([self.spec.seed, 15])
        m = min(self.spec.ensemble_size, len(sample.X))
        pick = rng.choice(len(sample.X), size=m, replace=False)
        X = sample.X[pick]
        return X, np.full(m, 1.0 / m), int(np.argmax(sample.log_post[pick]))

    def predictive(self, X: np.ndarray, seed: int, replicates: int = 1,
                   progress: Callable[[dict], None] | None = None) -> np.ndarray:
        """Each member simulated for real with its own fresh seeds: figures (members, targets, replicates)."""
        seeds = [[replicate_seed(seed, m * replicates + r) for r in range(replicates)] for m in range(len(X))]
        out = np.full((len(X), len(self.ids), replicates), np.nan)
        with self._evaluator() as ev:
            for c in range(0, len(X), 4 * CHUNK_POINTS):
                idx = list(range(c, min(c + 4 * CHUNK_POINTS, len(X))))
                raw = ev.run(self.values(X[idx]), seeds_per_point=[seeds[i] for i in idx])
                for i, r in zip(idx, raw):
                    out[i] = self._array(r)
                if progress:
                    progress({"kind": "members", "done": idx[-1] + 1, "total": len(X)})
        return out

    # --- what the posterior says ---
    def analyse(self, sample: PosteriorSample, X: np.ndarray, point: int, rows: dict[str, dict]) -> dict[str, Any]:
        """Targets against their posterior predictive intervals, marginals against priors, flags and
        conflicts; `rows` are the fit targets checked for real with the ensemble (check.check_loaded,
        each at its source's size), whose members are rows X[row['_member_index']]."""
        assert self.emulators is not None
        em = self.emulators
        rng = np.random.default_rng([self.spec.seed, 16])
        result: dict[str, Any] = {"targets": {}, "parameters": {}, "warnings": [], "conflicts": []}
        for j, t in enumerate(self.targets):
            r = rows[t.id]
            if r.get("simulated") is None:
                result["targets"][t.id] = {"mean": None}
                continue
            emu = em.predict(X[r["_member_index"]])[:, j]
            result["targets"][t.id] = {
                "mean": r["simulated"], "lo": r["predictive_90"][0], "hi": r["predictive_90"][1],
                "sim_lo": r["parameter_range"][0], "sim_hi": r["parameter_range"][1],
                "inside_ppi": bool(r["inside_90"]), "inside_50": bool(r["inside_50"]), "z": r["z"],
                "crps": r["crps"], "log_score": r["log_score"], "weight": float(em.weights[j]),
                "observation_sd": float(em.observation_sd[j]),
                "emulator_sd": float(math.sqrt(em.emulator_var[j])),
                "emulator_bias": float(np.nanmean(emu - np.array([np.nan if v is None else v for v in r["member_means"]]))),
                "design_closest": self._closest(j, t),
                "check": {k: v for k, v in r.items() if not k.startswith("_")}}
        prior_draws = self.prior.sample(20_000, rng)
        V = self.prior.to_values(X)
        P = self.prior.to_values(prior_draws)
        for i, name in enumerate(self.names):
            q = np.quantile(V[:, i], [0.05, 0.5, 0.95])
            pq = np.quantile(P[:, i], [0.05, 0.5, 0.95])
            ratio = float(np.std(V[:, i]) / np.std(P[:, i]))
            result["parameters"][name] = {"point": float(V[point, i]), "median": float(q[1]), "lo": float(q[0]),
                                          "hi": float(q[2]), "prior_lo": float(pq[0]), "prior_hi": float(pq[2]),
                                          "sd_ratio": ratio, "unconstrained": ratio >= UNCONSTRAINED_RATIO}
            if ratio >= UNCONSTRAINED_RATIO:
                result["warnings"].append({"kind": "unconstrained", "parameter": name, "text":
                    f"{name}: the posterior's spread is {100 * ratio:.0f} % of the prior's; the targets leave it "
                    "unconstrained, so its range is the prior's (an assumption, not a finding)."})
        corr = np.corrcoef(V.T)
        result["correlations"] = corr.tolist()
        result["conflicts"] = self.conflicts(X[point])
        for j, t in enumerate(self.targets):
            row = result["targets"][t.id]
            if row.get("mean") is not None and not row["inside_ppi"]:
                row["why"] = self._why(j, t, row, result["conflicts"])
                result["warnings"].append({"kind": "outside", "target": t.id, "text": f"{t.id}: {row['why']}"})
        result["mcmc"] = {"acceptance": sample.acceptance, "autocorr_steps": sample.autocorr,
                          "steps": sample.steps, "walkers": sample.walkers, "draws": len(sample.X)}
        return result

    def _closest(self, j: int, t) -> float | None:
        """Of every design point's simulated figure, the one nearest the observed value."""
        m = self.design.means[:, j]
        m = m[np.isfinite(m)]
        return None if not len(m) else float(m[np.argmin(np.abs(m - t.observed))])

    def _why(self, j: int, t, row: dict, conflicts: list[dict]) -> str:
        closest = row["design_closest"]
        reachable = closest is not None and abs(t.error(closest)) <= 1.645 * row["observation_sd"]

        def f(v):
            return figure_text(v, t.metric, t.comparison, t.relative)
        sign = {"value": "", "at_most": "at most ", "at_least": "at least "}[t.kind]
        seen = f"observed {sign}{f(t.observed)}, posterior predictive {f(row['lo'])} to {f(row['hi'])}"
        if closest is not None and not reachable:
            return (f"{seen}; no parameter set in the bounds reaches it (the nearest of {len(self.design.X)} "
                    f"simulated points gives {f(closest)}): the model's mechanisms, not its parameters, keep it away.")
        against = [c["other"] if c["target"] == t.id else c["target"] for c in conflicts
                   if t.id in (c["target"], c["other"])]
        if row["weight"] == 0:
            return (f"{seen}; shown, not fitted (weight 0 in the spec)"
                    + (f"; reaching it would pull against {', '.join(against)}" if against else "") + ".")
        return (f"{seen}; parameter sets reach it alone (a simulated point gives {f(closest)}) but not together "
                "with the other targets" + (f": it pulls against {', '.join(against)}" if against else "") + ".")

    def conflicts(self, x: np.ndarray) -> list[dict]:
        """Pairs of targets whose squared errors' gradients (on the emulators, at the point estimate)
        point in opposite directions: one cannot come closer without the other moving away."""
        assert self.emulators is not None
        em = self.emulators
        h = 0.01
        d = len(x)
        E = np.vstack([x] + [np.clip(x + h * np.eye(d)[i], 0, 1) for i in range(d)])
        z = em.z(E)
        grads = ((z[1:] ** 2 - z[0] ** 2) / h).T          # (targets, parameters)
        norms = np.linalg.norm(grads, axis=1)
        # Only targets that are off by half a standard deviation or more pull at all.
        off = (np.abs(z[0]) >= 0.5) & (norms > 1e-6)
        out = []
        for a in range(len(self.ids)):
            for b in range(a + 1, len(self.ids)):
                if not (off[a] and off[b]) or (em.weights[a] == 0 and em.weights[b] == 0):
                    continue
                cos = float(grads[a] @ grads[b] / (norms[a] * norms[b]))
                if cos <= CONFLICT_COSINE:
                    out.append({"target": self.ids[a], "other": self.ids[b], "cosine": cos})
        return out

    # --- cross-validation ---
    def folds(self) -> list[str]:
        """The folds of the fitted targets (weight > 0), in the order they first appear."""
        assert self.emulators is not None
        return list(dict.fromkeys(t.fold_name for t, w in zip(self.targets, self.emulators.weights) if w > 0))

    def cross_validate(self, members: int, seed: int, workers: int = 1,
                       progress: Callable[[dict], None] | None = None) -> dict[str, Any]:
        """Each fold left out in turn: the posterior refitted on the emulators without it (its targets
        at weight 0), then its targets predicted, first on the emulators (every draw of the refitted
        posterior) and then for real (check_loaded: `members` draws, each at its sources' size).
        The real runs' coverage and scores are the out-of-sample figures."""
        from ..ensemble import Ensemble
        from .check import check_loaded, summary
        from .observation import DISCREPANCY, Predictive, score_target
        assert self.emulators is not None
        em = self.emulators
        disc = {**DISCREPANCY, **self.spec.discrepancy}
        base = dict(self.spec.base_parameters) or None
        out: dict[str, Any] = {"folds": [], "members": members}
        all_real: list[dict] = []
        all_emulated: list[dict] = []
        for k, fold in enumerate(self.folds()):
            idx = [j for j, t in enumerate(self.targets) if t.fold_name == fold and em.weights[j] > 0]
            w = em.weights.copy()
            w[idx] = 0.0
            sample = self.sample_posterior(seed=seed + 2000 + k, weights=w)
            X, weights, _ = self.ensemble(sample)
            emulated = []
            pred_all = em.predict(X)
            for j in idx:
                t = self.targets[j]
                pred = Predictive(pred_all[:, j], t.scale, math.sqrt(t.source_se ** 2 + em.emulator_var[j]),
                                  disc[t.family_name], at=t.observed)
                emulated.append({"id": t.id, "simulated": pred.expected, **score_target(pred, t.observed, t.kind)})
            ens = Ensemble(f"(cross-validation without {fold})", tuple(self.names), self.prior.to_values(X),
                           weights / weights.sum(), ())
            real, runs = check_loaded([self.targets[j] for j in idx], members, seed + 3000 + k, workers, base,
                                      ens=ens, discrepancy=self.spec.discrepancy, as_fitted=True)
            all_real += real
            real = [{key: v for key, v in r.items() if not key.startswith("_")} for r in real]
            all_emulated += emulated
            out["folds"].append({"fold": fold, "targets": [self.targets[j].id for j in idx], "runs": runs,
                                 "emulated": emulated, "real": real,
                                 "parameters_median": dict(zip(self.names, np.median(self.prior.to_values(X), axis=0).tolist()))})
            if progress:
                progress({"kind": "fold", "done": k + 1, "total": len(self.folds()), "fold": fold})
        out["summary_real"] = summary(all_real)
        # The emulated rows scored as the real ones are (their kind, family and size from those).
        out["summary_emulated"] = summary([{**real, **emulated, "_moment": None}
                                           for real, emulated in zip(all_real, all_emulated)])
        return out

    # --- recovery ---
    def recovery(self, truths: np.ndarray, seed: int, replicates: int,
                 progress: Callable[[dict], None] | None = None) -> dict[str, Any]:
        """Fit synthetic targets back: each truth (a point in [0, 1]) is simulated for real on fresh
        seeds, its figures plus an observation error of the targets' tolerance are the observed
        values, and the posterior on the emulators gives 90 % intervals; how often they hold the
        truth is the coverage."""
        assert self.emulators is not None
        sims = self.predictive(truths, seed, replicates)
        means = np.nanmean(sims, axis=2)
        rng = np.random.default_rng([seed, 17])
        kinds = np.zeros(len(self.ids), dtype=int)  # synthetic figures are values, not bounds
        extra = self.design.replicate_var() / replicates
        covered = np.zeros((len(truths), len(self.names)), dtype=bool)
        width = np.zeros((len(truths), len(self.names)))
        for i, x in enumerate(truths):
            obs = means[i] + rng.normal(0.0, self.emulators.observation_sd)
            obs = np.where(np.isfinite(obs), obs, self.emulators.observed)
            s = self.sample_posterior(seed=seed + 1000 + i, observed=obs, kinds=kinds, extra_var=extra)
            lo, hi = np.quantile(s.X, [0.05, 0.95], axis=0)
            covered[i] = (lo <= x) & (x <= hi)
            width[i] = hi - lo
            if progress:
                progress({"kind": "recovery", "done": i + 1, "total": len(truths)})
        return {"coverage": float(covered.mean()), "per_parameter": dict(zip(self.names, covered.mean(axis=0).tolist())),
                "width": dict(zip(self.names, width.mean(axis=0).tolist())), "fits": len(truths),
                "covered": covered.tolist()}
