"""Check scenarios, as shipped (with the calibration they name), against a file of targets.

This is how a calibration meets figures it was not fitted to: every target's scenario is run with
`replicates` seeds and the mean is compared with the observed value and its tolerance.
"""

from __future__ import annotations

from typing import Any, Callable

from ..runner import replicate_seed
from ..stats import interval
from .evaluate import Evaluator, build_groups
from .targets import load_targets


def check_targets(path, replicates: int | None = None, seed: int = 1, workers: int = 1,
                  parameters: dict[str, Any] | None = None,
                  progress: Callable[[int], None] | None = None) -> tuple[list[dict], int]:
    """One row per target (observed, simulated mean and 5th-95th interval, error, inside); and
    the number of runs made. `parameters` (path: value) are set on every scenario first."""
    tf, targets = load_targets(path)
    reps = replicates or tf.replicates
    groups = build_groups(targets, base_parameters=parameters)
    seeds = [replicate_seed(seed, r) for r in range(reps)]
    with Evaluator(targets, groups, reps, seed, workers) as ev:
        per_rep = ev.run([{}], seeds=seeds, progress=progress)[0]
    rows = []
    for t in targets:
        iv = interval(per_rep[t.id])
        mean = iv["mean"]
        rows.append({
            "id": t.id, "scenario": t.describe(), "comparison": t.comparison, "relative": t.relative,
            "metric": t.metric, "kind": t.kind,
            "observed": t.observed, "tolerance": t.tolerance, "simulated": mean, "lo": iv["lo"], "hi": iv["hi"],
            "error": None if mean is None else t.error(mean),
            "inside": t.inside(mean), "replicates": sum(v is not None for v in per_rep[t.id]),
            "definition": t.definition,
            "source": t.source,
        })
    return rows, len(seeds) * len(groups)
