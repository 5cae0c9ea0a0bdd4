"""The points of a sweep (full grid, or a Latin hypercube / Sobol sample via scipy.stats.qmc),
each point's scenario, and each run's seed."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
from pydantic import ValidationError
from scipy.stats import qmc

from ..config.errors import Problem, ScenarioError
from ..config.loader import Sources, apply_overrides, problems_from_validation
from ..config.schema import Scenario
from .spec import Sweep


def points(sweep: Sweep) -> list[dict[str, Any]]:
    """Every point as {dimension name: value}, in a fixed order."""
    names = list(sweep.dimensions)
    if sweep.design == "grid":
        grids = [sweep.dimensions[n].grid_values() for n in names]
        return [dict(zip(names, combo)) for combo in itertools.product(*grids)]
    d = len(names)
    if sweep.design == "lhs":
        unit = qmc.LatinHypercube(d=d, seed=np.random.default_rng([sweep.seed, 1])).random(sweep.samples)
    else:
        unit = qmc.Sobol(d=d, scramble=True, seed=np.random.default_rng([sweep.seed, 2])).random(sweep.samples)
    out = []
    for row in unit:
        p = {}
        for n, u in zip(names, row):
            iv = sweep.dimensions[n].sample
            assert iv is not None  # a sampled design has only sampled dimensions
            v = iv.low + float(u) * (iv.high - iv.low)
            p[n] = int(round(v)) if iv.integer else v
        out.append(p)
    return out


def point_scenario(base: Scenario, sweep: Sweep, point: dict[str, Any]) -> Scenario:
    """The base scenario with the point's values set (and the sweep's years, if given)."""
    data = base.model_dump(mode="json", by_alias=True)
    changes = [(sweep.dimensions[n].path, v) for n, v in point.items()]
    if sweep.years is not None:
        changes.append(("simulation.years", sweep.years))
    apply_overrides(data, changes, Sources())
    return Scenario.model_validate(data)


def check_points(base: Scenario, sweep: Sweep, pts: list[dict[str, Any]], file: str) -> None:
    """Validate every point's scenario before anything runs; name the dimension at fault."""
    problems: list[Problem] = []
    for i, p in enumerate(pts):
        try:
            point_scenario(base, sweep, p)
        except ValidationError as exc:
            for prob in problems_from_validation(exc, Sources()):
                dims = [n for n, d in sweep.dimensions.items() if d.path == prob.key]
                key = f"dimensions.{dims[0]}" if dims else prob.key
                problems.append(Problem(file, None, key, f"point {i} ({p}): {prob.message}"))
        except ScenarioError as exc:
            problems += exc.problems
        if len(problems) >= 5:
            problems.append(Problem(file, None, "dimensions", "(further points not checked)"))
            break
    if problems:
        raise ScenarioError(problems)


def run_seed(sweep: Sweep, point: int, replicate: int) -> int:
    """A run's seed from (sweep seed, point, replicate), or (sweep seed, replicate) for common seeds."""
    key = [sweep.seed, replicate] if sweep.seeds == "common" else [sweep.seed, point, replicate]
    return int(np.random.SeedSequence(key).generate_state(1, dtype=np.uint32)[0])
