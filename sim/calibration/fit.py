"""Fit the free behavioural parameters to targets with differential evolution, then analyse the fit.

Why differential evolution (scipy.optimize.differential_evolution): the objective comes from a
stochastic simulation, so it has no gradient and, even with common random numbers, small steps
and plateaus (counts of people); DE needs neither gradients nor smoothness, searches the whole box
given by the bounds rather than one basin, and evaluates a whole generation at once, which we
spread over the cores. Likelihood-free libraries (ABC-SMC in pyabc, ELFI) give a posterior but need
many more simulations than a laptop budget of a few hundred points allows; our uncertainty regions
come instead from every point the optimiser evaluated (see `analyse`).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
from scipy.optimize import differential_evolution, minimize

from ..runner import replicate_seed
from ..stats import interval
from .evaluate import Evaluator, build_groups, distance, mean_or_none
from .spec import CalibrationSpec

SLICE_FLAT = 1.0        # objective change across a parameter's whole range below which it is unconstrained
REGION_DELTA = 1.0      # points within this of the best objective form the ~68 % region (Delta chi^2 = 1)
WEAK_SHARE = 0.5        # a region wider than this share of the bounds: weakly constrained
CONFLICT_COSINE = -0.5  # gradients of two targets' errors this opposed: they pull against each other
PROGRESS_EVERY = 10     # a local search reports its best point every this many points


@dataclass
class Evaluation:
    index: int
    generation: int
    values: dict[str, float]
    objective: float
    sims: dict[str, float | None]


@dataclass
class FitLog:
    evaluations: list[Evaluation] = field(default_factory=list)
    generations: int = 0
    stopped_early: bool = False
    wall_s: float = 0.0

    @property
    def best(self) -> Evaluation:
        """The evaluation with the lowest objective (a fit has at least one once it has run)."""
        if not self.evaluations:
            raise ValueError("no point has been evaluated yet")
        return min(self.evaluations, key=lambda e: e.objective)


def round_sig(x: float, digits: int = 4) -> float:
    return float(f"{x:.{digits}g}") if x != 0 else 0.0


class Calibration:
    """One fit: the spec, its targets, the runs and the log of every point evaluated."""

    def __init__(self, spec: CalibrationSpec, targets: list, workers: int = 1,
                 progress: Callable[[dict], None] | None = None):
        self.spec = spec
        self.targets = targets
        self.by_id = {t.id: t for t in targets}
        self.names = list(spec.parameters)
        self.bounds = [(p.low, p.high) for p in spec.parameters.values()]
        self.groups = build_groups(targets, spec.base_parameters, ignore_scenario_parameters=True)
        self.workers = workers
        self.progress = progress or (lambda event: None)
        self.log = FitLog()
        self.runs_per_point = spec.replicates * len(self.groups)

    # --- the objective ---
    def prior_penalty(self, values: dict[str, float]) -> float:
        total = 0.0
        for name, v in values.items():
            prior = self.spec.parameters[name].prior
            if prior is not None:
                total += ((v - prior.mean) / prior.sd) ** 2
        return total

    def objective(self, values: dict[str, float], sims: dict[str, float | None]) -> float:
        return distance(self.by_id, sims, self.spec.weights) + self.prior_penalty(values)

    def evaluate(self, ev: Evaluator, points: list[dict[str, float]], generation: int,
                 seeds: list[int] | None = None, log: bool = True) -> list[Evaluation]:
        raw = ev.run(points, seeds=seeds, progress=lambda k: self.progress({"kind": "run"}))
        out: list[Evaluation] = []
        for values, per_rep in zip(points, raw):
            sims = {tid: mean_or_none(v) for tid, v in per_rep.items()}
            e = Evaluation(len(self.log.evaluations) + len(out), generation, values, self.objective(values, sims), sims)
            out.append(e)
        if log:
            self.log.evaluations += out
        return out

    # --- the optimisers ---
    def run(self) -> FitLog:
        """The spec's method within the budget; a KeyboardInterrupt stops it, the log kept."""
        return self._powell() if self.spec.method == "powell" else self._differential_evolution()

    def _powell(self) -> FitLog:
        """Powell's method (scipy) from the start point, within the bounds: a local refinement. The
        objective is deterministic (the same replicate seeds at every point), so its line searches
        compare like with like. Progress is reported every `PROGRESS_EVERY` points."""
        spec = self.spec
        started = time.perf_counter()
        budget = spec.budget.evaluations
        self.progress({"kind": "start", "generations": -(-budget // PROGRESS_EVERY), "points": budget,
                       "runs_per_point": self.runs_per_point, "method": "powell"})
        x0 = np.array([spec.start.get(n, (lo + hi) / 2) for n, (lo, hi) in zip(self.names, self.bounds)])
        lows = np.array([lo for lo, _ in self.bounds])
        highs = np.array([hi for _, hi in self.bounds])

        with Evaluator(self.targets, self.groups, spec.replicates, spec.seed, self.workers) as ev:
            def one(x: np.ndarray) -> float:
                point = {k: float(v) for k, v in zip(self.names, np.clip(x, lows, highs))}
                k = len(self.log.evaluations)
                [e] = self.evaluate(ev, [point], generation=k // PROGRESS_EVERY)
                if (k + 1) % PROGRESS_EVERY == 0:
                    self.log.generations = (k + 1) // PROGRESS_EVERY
                    self.progress({"kind": "generation", "generation": self.log.generations,
                                   "generations": -(-budget // PROGRESS_EVERY), "evaluated": k + 1,
                                   "best": self.log.best, "elapsed_s": time.perf_counter() - started})
                return e.objective

            try:
                minimize(one, x0, method="Powell", bounds=self.bounds,
                         options={"maxfev": budget, "xtol": 1e-3, "ftol": 1e-3})
            except KeyboardInterrupt:
                self.log.stopped_early = True
        self.log.wall_s = time.perf_counter() - started
        return self.log

    def _differential_evolution(self) -> FitLog:
        spec = self.spec
        n = len(self.names)
        per_generation = max(5, spec.popsize * n)  # scipy's DE keeps at least 5 members
        maxiter = max(1, spec.budget.evaluations // per_generation - 1)
        started = time.perf_counter()
        self.progress({"kind": "start", "generations": maxiter + 1, "points": (maxiter + 1) * per_generation,
                       "runs_per_point": self.runs_per_point})
        generation = [0]

        with Evaluator(self.targets, self.groups, spec.replicates, spec.seed, self.workers) as ev:
            def batch(X: np.ndarray) -> np.ndarray:
                X = X.reshape(len(self.names), -1)
                points = [{k: float(v) for k, v in zip(self.names, X[:, j])} for j in range(X.shape[1])]
                evals = self.evaluate(ev, points, generation[0])
                self.log.generations = generation[0] + 1
                best = self.log.best
                self.progress({"kind": "generation", "generation": generation[0] + 1, "generations": maxiter + 1,
                               "evaluated": len(self.log.evaluations), "best": best,
                               "elapsed_s": time.perf_counter() - started})
                generation[0] += 1
                return np.array([e.objective for e in evals])

            try:
                differential_evolution(
                    batch, self.bounds, vectorized=True, updating="deferred", popsize=spec.popsize,
                    maxiter=maxiter, init=self.initial_population(per_generation), polish=False,
                    tol=0.0, atol=0.0, seed=spec.seed)
            except KeyboardInterrupt:
                self.log.stopped_early = True
        self.log.wall_s = time.perf_counter() - started
        return self.log

    def initial_population(self, size: int):
        """A Latin-hypercube sample of the bounds, with the spec's `start` point (if any) as its
        first member: an earlier fit is not thrown away, and the search still covers the box."""
        if not self.spec.start:
            return "latinhypercube"
        from scipy.stats import qmc
        lows = np.array([lo for lo, _ in self.bounds])
        highs = np.array([hi for _, hi in self.bounds])
        pop = qmc.scale(qmc.LatinHypercube(d=len(self.names), seed=self.spec.seed).random(size), lows, highs)
        pop[0] = [self.spec.start.get(n, (lo + hi) / 2) for n, (lo, hi) in zip(self.names, self.bounds)]
        return pop

    # --- after the fit ---
    def fitted_values(self) -> dict[str, float]:
        """The best point, rounded to 4 significant digits (what the fitted file states)."""
        return {k: round_sig(v) for k, v in self.log.best.values.items()}

    def analyse(self, with_runs: bool = True) -> dict[str, Any]:
        """Targets at the fitted values on fresh seeds, per-parameter slices, regions and warnings."""
        spec = self.spec
        fitted = self.fitted_values()
        best = self.log.best
        result: dict[str, Any] = {"fitted": fitted, "best_objective": best.objective,
                                  "region": self.region(), "targets": {}, "slices": {}, "warnings": []}
        if not with_runs:
            result["targets"] = {tid: {"mean": v, "lo": None, "hi": None, "replicates": spec.replicates}
                                 for tid, v in best.sims.items()}
            result["warnings"] = self.warnings(result, slices_done=False)
            return result
        fresh = [replicate_seed(spec.seed + 1, r) for r in range(spec.report_replicates)]
        with Evaluator(self.targets, self.groups, spec.replicates, spec.seed, self.workers) as ev:
            self.progress({"kind": "phase", "text": f"targets at the fitted values, {spec.report_replicates} "
                                                    "replicates on seeds the fit did not use"})
            per_rep = ev.run([fitted], seeds=fresh, progress=lambda k: self.progress({"kind": "run"}))[0]
            for tid, vals in per_rep.items():
                xs = [v for v in vals if v is not None]
                result["targets"][tid] = {
                    **interval(xs),
                    "se": float(np.std(xs, ddof=1) / math.sqrt(len(xs))) if len(xs) > 1 else None,
                    "replicates": len(xs)}
            self.progress({"kind": "phase", "text": "slices through the fitted point, one parameter at a time"})
            points, owners = [], []
            for name, (lo, hi) in zip(self.names, self.bounds):
                grid = sorted(set(np.linspace(lo, hi, spec.slice_points).tolist()) | {fitted[name]})
                for x in grid:
                    points.append({**fitted, name: float(x)})
                    owners.append(name)
            evals = self.evaluate(ev, points, generation=-1, log=False)
        for name in self.names:
            rows = [(e.values[name], e.objective, e.sims, e.objective - self.prior_penalty(e.values))
                    for e, o in zip(evals, owners) if o == name]
            result["slices"][name] = {"x": [r[0] for r in rows], "objective": [r[1] for r in rows],
                                      "targets_only": [r[3] for r in rows],
                                      "sims": {tid: [r[2][tid] for r in rows] for tid in self.by_id}}
        result["warnings"] = self.warnings(result, slices_done=True)
        return result

    def region(self) -> dict[str, dict[str, float]]:
        """Per parameter, the range over evaluated points within REGION_DELTA of the best objective:
        an approximate 68 % region if the objective is -2 log posterior (see spec.py)."""
        best = self.log.best.objective
        near = [e for e in self.log.evaluations if e.objective <= best + REGION_DELTA]
        return {name: {"lo": min(e.values[name] for e in near), "hi": max(e.values[name] for e in near),
                       "points": len(near)} for name in self.names}

    def warnings(self, result: dict, slices_done: bool) -> list[dict]:
        out = []
        for name, (lo, hi) in zip(self.names, self.bounds):
            reg = result["region"][name]
            width = (reg["hi"] - reg["lo"]) / (hi - lo)
            v = result["fitted"][name]
            if slices_done:
                # The targets' part only: a prior curves the objective even where the data say nothing.
                obj = result["slices"][name]["targets_only"]
                if max(obj) - min(obj) < SLICE_FLAT:
                    prior = self.spec.parameters[name].prior
                    out.append({"kind": "unconstrained", "parameter": name,
                                "text": f"{name}: the targets' part of the objective changes by {max(obj) - min(obj):.2f} "
                                        f"over the whole range [{lo:g}, {hi:g}]; the targets do not constrain it "
                                        "(flat)" + ("; its value comes from the prior." if prior else ".")})
                    continue
            if width > WEAK_SHARE:
                out.append({"kind": "weak", "parameter": name,
                            "text": f"{name}: points within {REGION_DELTA:g} of the best objective span "
                                    f"{100 * width:.0f} % of the range [{lo:g}, {hi:g}]; weakly constrained "
                                    "(a ridge: other parameters can make up for it)."})
            if min(v - lo, hi - v) < 0.02 * (hi - lo):
                out.append({"kind": "bound", "parameter": name,
                            "text": f"{name} = {v:g} is at a bound of [{lo:g}, {hi:g}]: the bound, not the targets, "
                                    "decides it; widen it or question the mechanism."})
        if slices_done:
            out += self.conflicts(result)
        for tid, t in self.by_id.items():
            sim = result["targets"].get(tid, {}).get("mean")
            if sim is not None and not t.inside(sim):
                out.append({"kind": "outside", "target": tid,
                            "text": f"{tid}: simulated {sim:.3g} is outside the tolerance of the observed "
                                    f"{t.describe_observed()} (± {t.tolerance:g})."})
        return out

    def conflicts(self, result: dict) -> list[dict]:
        """Targets whose errors the parameters cannot reduce together: at the fitted point, the
        gradients of their squared errors (from the slices) point in opposite directions."""
        grads: dict[str, np.ndarray] = {}
        for tid, t in self.by_id.items():
            sim = result["targets"].get(tid, {}).get("mean")
            if sim is None or abs(t.error(sim)) < 0.5 * t.tolerance:
                continue  # fitted well: no pull to speak of
            g = []
            for name, (lo, hi) in zip(self.names, self.bounds):
                sl = result["slices"][name]
                xs = np.array(sl["x"])
                k = int(np.argmin(np.abs(xs - result["fitted"][name])))
                a, b = max(k - 1, 0), min(k + 1, len(xs) - 1)
                ya, yb = sl["sims"][tid][a], sl["sims"][tid][b]
                if ya is None or yb is None or xs[b] == xs[a]:
                    g.append(0.0)
                    continue
                za, zb = t.error(ya) / t.tolerance, t.error(yb) / t.tolerance
                g.append((zb * zb - za * za) / ((xs[b] - xs[a]) / (hi - lo)))
            grads[tid] = np.array(g)
        out = []
        ids = list(grads)
        for i, ta in enumerate(ids):
            for tb in ids[i + 1:]:
                ga, gb = grads[ta], grads[tb]
                na, nb = np.linalg.norm(ga), np.linalg.norm(gb)
                if na < 1e-9 or nb < 1e-9:
                    continue
                cos = float(ga @ gb / (na * nb))
                if cos < CONFLICT_COSINE:
                    unweighted = [t for t in (ta, tb) if self.spec.weights.get(t, 1.0) == 0]
                    note = "".join(f" {t} weighs nothing in the objective: the tension is shown, not fitted."
                                   for t in unweighted)
                    out.append({"kind": "conflict", "targets": [ta, tb], "cosine": cos,
                                "text": f"{ta} and {tb} pull against each other: at the fitted point, what "
                                        f"brings one closer moves the other away (cosine {cos:.2f}).{note}"})
        return out
