"""Check scenarios, as shipped (with the calibration they name), against a file of targets.

This is how a calibration meets figures: each of `members` parameter sets from the posterior
ensemble (the member for (seed, i), as in `effects` and sweeps) runs every target's scenarios on
several seeds, common to a target's scenarios, and the mean over a member's seeds is that member's
expected figure. How many seeds is decided by the target, not by habit: a pilot of PILOT_SEEDS
seeds per member measures the figure's run-to-run chance, and each target then gets as many seeds
as it needs for the simulation's own chance in a member's expected figure to be no larger than the
source's sampling error (a trial, an evaluation) or a third of the predictive interval's half-width
(a register, a survey, a claim); up to MAX_SEEDS, beyond which the figure is marked under-sized,
with the simulated and the needed people side by side.

The predictive distribution of the observed figure is the members' expected figures (their noise
taken out of the spread) plus the source's error and the family's discrepancy
(sim/calibration/observation.py). Each target is scored: inside the 50 % and 90 % intervals, the
standardised residual, CRPS and the log predictive density. A figure that some runs cannot measure
(a median never reached) is averaged over the runs that can, and the row says how many and why.
"""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from ..config.errors import ScenarioError
from ..ensemble import Ensemble, ensemble_of
from ..runner import replicate_seed
from ..stats import interval
from .evaluate import Evaluator, build_groups, scenario_at
from .observation import (
    DISCREPANCY,
    Predictive,
    denoise,
    fitted_discrepancy,
    moment_term,
    required_mc_sd,
    score_target,
)
from .targets import load_targets

PILOT_SEEDS = 2     # seeds per member before a target's run-to-run chance is known
MAX_SEEDS = 64      # seeds per member at most; a target that needs more is marked under-sized
TOP_UPS = 3         # rounds of more seeds after the pilot


def scenarios_ensemble(path, groups) -> Ensemble | None:
    """The one ensemble the targets' scenarios rest on (they must agree), or None."""
    found = {e.path: e for e in (ensemble_of(scenario_at(g, {})) for g in groups) if e is not None}
    if len(found) > 1:
        raise ScenarioError.single(str(path), None, "targets", "the targets' scenarios rest on different "
                                   f"ensembles ({', '.join(sorted(found))}); give --fitted FILE to check one")
    return next(iter(found.values()), None)


def run_seed(base: int, member: int, j: int, members: int) -> int:
    """Seed j of member i: seed 0 of member i is replicate i's seed (`runner.replicate_seed`)."""
    return replicate_seed(base, j * members + member)


def undefined_reason(metric: str) -> str:
    if metric.startswith("median_weeks"):
        return "the median is not reached within the run (fewer than half had the event; Kaplan-Meier)"
    return "nobody observed for this figure in the run"


def _clusters(targets: list, groups) -> list[list[str]]:
    """Targets that share a run group run on the same seeds: connected components."""
    of_group = [set(g.target_ids) for g in groups]
    left = [t.id for t in targets]
    out = []
    while left:
        comp = {left.pop(0)}
        grew = True
        while grew:
            grew = False
            for ids in of_group:
                if ids & comp and not ids <= comp:
                    comp |= ids
                    grew = True
        out.append([t for t in (x.id for x in targets) if t in comp])
        left = [t for t in left if t not in comp]
    return out


class _Runs:
    """Every run's figure and people per target, by member and seed, grown as seeds are added."""

    def __init__(self, ids: list[str], members: int):
        self.values: dict[str, list[list[float | None]]] = {t: [[] for _ in range(members)] for t in ids}
        self.people: dict[str, list[list[list[int]]]] = {t: [[] for _ in range(members)] for t in ids}

    def seeds(self, tid: str) -> int:
        return len(self.values[tid][0])

    def matrix(self, tid: str) -> np.ndarray:
        return np.array([[np.nan if v is None else v for v in row] for row in self.values[tid]], dtype=float)


def _within_var(M: np.ndarray) -> float:
    """Run-to-run variance of a figure about its member's mean, pooled over members."""
    ok = np.isfinite(M)
    parts = [np.var(row[k], ddof=1) for row, k in zip(M, ok) if k.sum() >= 2]
    return float(np.mean(parts)) if parts else float("nan")


def summarise_target(t, M: np.ndarray, people: list[list[list[int]]], discrepancy: dict[str, float]) -> dict:
    """One target's row from its runs M (members, seeds), NaN where a run could not measure it."""
    defined = np.isfinite(M)
    runs, got = int(M.size), int(defined.sum())
    has = defined.any(axis=1)
    row: dict[str, Any] = {"runs": runs, "runs_defined": got, "members": int(M.shape[0]),
                           "members_defined": int(has.sum()), "seeds_per_member": int(M.shape[1])}
    if got < runs:
        row["undefined"] = {"runs": runs - got, "why": undefined_reason(t.metric),
                            "treated": "each member's expected figure is the mean over its runs that measure it; "
                                       "members with none are left out"}
    if not has.any():
        return row | {"simulated": None}
    with np.errstate(invalid="ignore"):
        means = np.nanmean(M[has], axis=1)
    counts = np.array([[sum(c) for c in member] for member in people], dtype=float)  # all the scenarios' people
    s2 = _within_var(M)
    k_eff = float(np.mean(defined[has].sum(axis=1)))
    mc_sd = math.sqrt(s2 / k_eff) if np.isfinite(s2) else float("nan")
    fam = t.family_name
    pred = Predictive(denoise(means, 0.0 if not np.isfinite(s2) else s2 / k_eff), t.scale, t.source_se,
                      discrepancy[fam], at=t.observed, binomial_n=t.binomial_n)
    score = score_target(pred, t.observed, t.kind)
    half = (score["predictive_90"][1] - score["predictive_90"][0]) / 2
    need = required_mc_sd(t.population.design, t.source_se, half)
    per_member = float(np.mean(counts)) * k_eff if counts.size else 0.0
    iv = interval(list(pred.members))
    row |= {
        "simulated": pred.expected, "parameter_range": [iv["lo"], iv["hi"]],
        "run_sd": math.sqrt(s2) if np.isfinite(s2) else None, "mc_sd": mc_sd if np.isfinite(mc_sd) else None,
        "mc_sd_needed": need, "source_se": t.source_se, "discrepancy": discrepancy[fam], "family": fam,
        "scale": t.scale,
        "simulated_people_per_member": int(round(per_member)),
        "simulated_people_per_run": int(round(float(np.mean(counts)))) if counts.size else 0,
        "source_people": t.population.people, "source_design": t.population.design,
        "sized": bool(np.isfinite(mc_sd) and mc_sd <= need * 1.0001),
        **score, "_moment": moment_term(pred, t.observed) if t.kind == "value" else None,
        "member_means": [float(v) if has[i] else None for i, v in enumerate(_padded(means, has))],
    }
    if not row["sized"]:  # None: the run sd could not be estimated, so neither can the need
        row["simulated_people_needed"] = (int(math.ceil(per_member * (mc_sd / need) ** 2))
                                          if np.isfinite(s2) and need > 0 else None)
    return row


def _padded(means: np.ndarray, has: np.ndarray) -> np.ndarray:
    """Members' means at every member's place (NaN for a member no run could measure)."""
    out = np.full(len(has), np.nan)
    out[has] = means
    return out


def seeds_needed(row: dict, have: int) -> int:
    """Seeds per member for the simulation's own chance to meet the need (from the run sd so far);
    twice as many as now when the run sd cannot be estimated yet (too few runs measure the figure)."""
    if row.get("simulated") is None or row.get("run_sd") is None:
        return 2 * have
    if not row.get("mc_sd_needed"):
        return have
    return int(math.ceil(1.1 * (row["run_sd"] / row["mc_sd_needed"]) ** 2))  # 10 % to spare


def check_loaded(targets: list, members: int, seed: int = 1, workers: int = 1,
                 parameters: dict[str, Any] | None = None,
                 progress: Callable[[int], None] | None = None, ens: Ensemble | None = None,
                 discrepancy: dict[str, float] | None = None, max_seeds: int = MAX_SEEDS,
                 pilot_seeds: int = PILOT_SEEDS, as_fitted: bool = False) -> tuple[list[dict], int]:
    """Rows for loaded targets; and the number of runs made (see the module's docstring). With
    `as_fitted`, the scenarios' own `parameters:` files are not applied, as in a calibration's design
    (the defaults, `parameters` and each member's values), so a fit is checked on the model it fitted."""
    disc = {**DISCREPANCY, **(discrepancy or {})}
    groups = build_groups(targets, base_parameters=parameters, ignore_scenario_parameters=as_fitted)
    index = [ens.member(seed, i) for i in range(members)] if ens is not None else []
    points = [ens.values_of(k) for k in index] if ens is not None else [{} for _ in range(members)]
    by_id = {t.id: t for t in targets}
    runs = _Runs(list(by_id), members)
    made = 0
    with Evaluator(targets, groups, 1, seed, workers) as ev:
        def add(ids: list[str], first: int, last: int) -> None:
            nonlocal made
            seeds = [[run_seed(seed, i, j, members) for j in range(first, last)] for i in range(members)]
            people: dict = {}
            raw = ev.run(points, seeds_per_point=seeds, progress=progress, only=ids, people=people)
            made += members * (last - first) * sum(1 for g in groups if set(g.target_ids) & set(ids))
            for tid in ids:
                for i in range(members):
                    runs.values[tid][i] += raw[i][tid]
                    runs.people[tid][i] += people[i][tid]
        for ids in _clusters(targets, groups):
            have = pilot_seeds
            add(ids, 0, have)
            # The need is re-estimated after each top-up (the pilot's run sd is itself uncertain),
            # at most TOP_UPS times; a target still short at max_seeds is marked under-sized.
            for _ in range(TOP_UPS):
                now = {tid: summarise_target(by_id[tid], runs.matrix(tid), runs.people[tid], disc) for tid in ids}
                k = min(max_seeds, max([have] + [seeds_needed(now[tid], have) for tid in ids]))
                if k <= have:
                    break
                add(ids, have, k)
                have = k
    rows = []
    for t in targets:
        row = summarise_target(t, runs.matrix(t.id), runs.people[t.id], disc)
        rows.append({
            "id": t.id, "scenario": t.describe(), "comparison": t.comparison, "relative": t.relative,
            "metric": t.metric, "kind": t.kind, "observed": t.observed,
            "policy_band": t.tolerance, "error": None if row.get("simulated") is None else t.error(row["simulated"]),
            "within_policy_band": t.inside(row.get("simulated")),
            "parameters": "point" if ens is None else "ensemble", "_member_index": index,
            "definition": t.definition, "source": t.source, "fold": t.fold_name,
            "source_population": t.population.model_dump(exclude_none=True),
            "source_uncertainty": t.uncertainty.model_dump(exclude_none=True),
            **row})
    return rows, made


def summary(rows: list[dict]) -> dict:
    """The file's counts at 50 % and 90 % over its two-sided figures (a calibrated model has about
    half and nine in ten) and their mean absolute standardised residual (about 0.8); one-sided
    bounds are counted apart (a bound that is met is inside every interval, so it would flatter the
    counts); the discrepancy each family's residuals would fit beside the one used. Scores in
    different units (points, weeks) are not averaged together: each row has its own."""
    scored = [r for r in rows if r.get("simulated") is not None]
    values = [r for r in scored if r["kind"] == "value"]
    bounds = [r for r in scored if r["kind"] != "value"]
    fams = sorted({r["family"] for r in scored})
    return {
        "targets": len(rows), "scored": len(values),
        "inside_50": sum(r["inside_50"] for r in values), "inside_90": sum(r["inside_90"] for r in values),
        "mean_abs_z": float(np.mean([abs(r["z"]) for r in values])) if values else None,
        "bounds": len(bounds), "bounds_held_90": sum(r["inside_90"] for r in bounds),
        "under_sized": [r["id"] for r in scored if not r["sized"]],
        "undefined_runs": {r["id"]: r["undefined"]["runs"] for r in rows if r.get("undefined")},
        "discrepancy": {f: {"used": next(r["discrepancy"] for r in scored if r["family"] == f),
                            "residuals_fit": fitted_discrepancy([r for r in scored if r["family"] == f])}
                        for f in fams},
    }


def check_targets(path, members: int | None = None, seed: int = 1, workers: int = 1,
                  parameters: dict[str, Any] | None = None,
                  progress: Callable[[int], None] | None = None, mode: str = "ensemble",
                  ensemble: Ensemble | None = None, discrepancy: dict[str, float] | None = None,
                  max_seeds: int = MAX_SEEDS, as_fitted: bool = False) -> tuple[list[dict], int]:
    """One row per target of a targets file; and the number of runs made. `parameters` (path:
    value) are set on every scenario first (a fitted file's point); `ensemble`, if given, or else
    (with mode 'ensemble') the one the scenarios' own fitted file names, gives each member its set."""
    tf, targets = load_targets(path)
    groups = build_groups(targets, base_parameters=parameters)
    ens = ensemble if ensemble is not None or mode == "point" or parameters else scenarios_ensemble(path, groups)
    return check_loaded(targets, members or tf.replicates, seed, workers, parameters, progress, ens,
                        discrepancy, max_seeds, as_fitted=as_fitted)
