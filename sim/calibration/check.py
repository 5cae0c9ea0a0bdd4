"""Check scenarios, as shipped (with the calibration they name), against a file of targets.

This is how a calibration meets figures it was not fitted to: every target's scenario is run with
`replicates` seeds and the mean is compared with the observed value and its tolerance. With a
posterior ensemble, replicate r runs with the ensemble's member for (seed, r), the same for every
scenario (as in `run` and `compare`), so the 5th-95th percentile is a posterior predictive interval
of the simulated figure; with the target's tolerance added as observation error, it says whether the
observed figure is one the calibrated model could have produced.
"""

from __future__ import annotations

from typing import Any, Callable

from ..config.errors import ScenarioError
from ..ensemble import Ensemble, ensemble_of
from ..runner import replicate_seed
from ..stats import interval, predictive_interval
from .evaluate import Evaluator, build_groups, scenario_at
from .targets import load_targets


def _scenarios_ensemble(path, groups) -> Ensemble | None:
    """The one ensemble the targets' scenarios rest on (they must agree), or None."""
    found = {e.path: e for e in (ensemble_of(scenario_at(g, {})) for g in groups) if e is not None}
    if len(found) > 1:
        raise ScenarioError.single(str(path), None, "targets", "the targets' scenarios rest on different "
                                   f"ensembles ({', '.join(sorted(found))}); give --fitted FILE to check one")
    return next(iter(found.values()), None)


def check_targets(path, replicates: int | None = None, seed: int = 1, workers: int = 1,
                  parameters: dict[str, Any] | None = None,
                  progress: Callable[[int], None] | None = None, mode: str = "ensemble",
                  ensemble: Ensemble | None = None) -> tuple[list[dict], int]:
    """One row per target (observed, simulated mean and 5th-95th interval, error, inside, and the
    posterior predictive interval); and the number of runs made. `parameters` (path: value) are set
    on every scenario first (a fitted file's point); `ensemble`, if given, or else (with mode
    'ensemble') the one the scenarios' own fitted file names, gives each replicate its set."""
    tf, targets = load_targets(path)
    reps = replicates or tf.replicates
    groups = build_groups(targets, base_parameters=parameters)
    seeds = [replicate_seed(seed, r) for r in range(reps)]
    ens = ensemble if ensemble is not None or mode == "point" or parameters else _scenarios_ensemble(path, groups)
    with Evaluator(targets, groups, reps, seed, workers) as ev:
        if ens is None:
            per_rep = ev.run([{}], seeds=seeds, progress=progress)[0]
        else:
            points = [ens.values_of(ens.member(seed, r)) for r in range(reps)]
            raw = ev.run(points, seeds_per_point=[[s] for s in seeds], progress=progress)
            per_rep = {tid: [raw[r][tid][0] for r in range(reps)] for tid in raw[0]}
    rows = []
    for t in targets:
        iv = interval(per_rep[t.id])
        mean = iv["mean"]
        # A new observation's range: the simulated spread plus the tolerance as observation error.
        lo, hi = predictive_interval(per_rep[t.id], t.tolerance) or (None, None)
        rows.append({
            "id": t.id, "scenario": t.describe(), "comparison": t.comparison, "relative": t.relative,
            "metric": t.metric, "kind": t.kind,
            "observed": t.observed, "tolerance": t.tolerance, "simulated": mean, "lo": iv["lo"], "hi": iv["hi"],
            "error": None if mean is None else t.error(mean),
            "inside": t.inside(mean), "replicates": sum(v is not None for v in per_rep[t.id]),
            "predictive_lo": lo, "predictive_hi": hi,
            "inside_predictive": None if lo is None or hi is None else t.held_by(lo, hi),
            "parameters": "point" if ens is None else "ensemble",
            "definition": t.definition,
            "source": t.source,
        })
    return rows, len(seeds) * len(groups)
