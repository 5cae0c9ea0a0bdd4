"""Simulate the figures a set of targets reads, at given parameter values, with common random numbers.

Every evaluation runs each target scenario with the same replicate seeds, so two parameter points
differ only through the parameters' effects, not through different draws: the objective is then a
smooth-enough function of the parameters for an optimiser, and differences between points are not
swamped by replicate noise (a standard device in simulation-based calibration).
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np

from ..config import Scenario
from ..config.loader import Sources, apply_overrides, load_scenario_with_sources, scenario_from_dict
from ..runner import _worker_signals, blocks_of, process_context, replicate_seed, run_worlds, with_years
from .outputs import measure, months_needed, people_behind


@dataclass(frozen=True)
class RunGroup:
    """One scenario at one run length, and the targets read from it: (target id, position of this
    scenario among the target's scenarios)."""

    name: str
    data: dict          # the scenario as plain data, parameters applied per evaluation
    years: int
    components: tuple[tuple[str, int], ...]

    @property
    def target_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(tid for tid, _ in self.components))


def _years_for(scenarios: list[Scenario], target) -> int:
    """The target's own `years`, else the longest of its scenarios' years, lengthened so that
    people who arrived in the first year reach the latest month read."""
    if target.years is not None:
        return target.years
    need = months_needed(target)
    return max(max(s.simulation.years for s in scenarios), math.ceil(need / 12) + 1 if need else 1)


def build_groups(targets: list, base_parameters: dict[str, Any] | None = None,
                 ignore_scenario_parameters: bool = False) -> list[RunGroup]:
    """Group the runs targets need by scenario file and run length (an effect or a spread needs
    each of its scenarios at the same length).

    With `ignore_scenario_parameters` (a fit), a scenario's own `parameters:` file is not applied:
    the fit starts from the defaults plus `base_parameters`, so the fitted file it writes is
    self-contained.
    """
    loaded: dict[Path, Scenario] = {}

    def scenario(path: Path) -> Scenario:
        if path not in loaded:
            loaded[path] = load_scenario_with_sources(path, ignore_parameters=ignore_scenario_parameters)[0]
        return loaded[path]

    wanted: dict[tuple[Path, int], list[tuple[str, int]]] = {}
    for t in targets:
        years = _years_for([scenario(p) for p in t.scenario_paths], t)
        for j, path in enumerate(t.scenario_paths):
            wanted.setdefault((path, years), []).append((t.id, j))
    groups = []
    for (path, years), comps in wanted.items():
        data = scenario(path).model_dump(mode="json", by_alias=True)
        if base_parameters:
            data = apply_values(data, base_parameters)
        groups.append(RunGroup(scenario(path).name, data, years, tuple(comps)))
    return groups


def apply_values(data: dict, values: dict[str, Any]) -> dict:
    """Scenario data with `path: value` set (paths as in `--set`); the path must exist."""
    data = copy.deepcopy(data)
    return apply_overrides(data, list(values.items()), Sources())


def scenario_at(group: RunGroup, values: dict[str, Any]) -> Scenario:
    return with_years(scenario_from_dict(apply_values(group.data, values) if values else group.data), group.years)


def _run_jobs(jobs: list) -> list[tuple]:
    """Runs (key, scenario, seed, targets) that share a batch key, as the worlds of one batch ->
    each run's figure per target id, and the people behind it (under 'id#people')."""
    def read(world, i):
        figs = measure(world, jobs[i][3])
        figs.update({f"{t.id}#people": people_behind(world, t) for t in jobs[i][3]})
        return jobs[i][0], figs
    return run_worlds([(scenario, seed) for _, scenario, seed, _ in jobs], read)


class Evaluator:
    """Runs parameter points on a persistent pool; replicate seeds are fixed (CRN)."""

    def __init__(self, targets: list, groups: list[RunGroup], replicates: int, seed: int, workers: int = 1,
                 scheduler: str | None = None):
        self.targets = {t.id: t for t in targets}
        self.groups = groups
        self.replicates = replicates
        self.seeds = [replicate_seed(seed, r) for r in range(replicates)]
        self.workers = workers
        self.scheduler = scheduler
        self._pool = None
        self._dask = None      # the Dask client's context, and the client it gives
        self._client = None

    def __enter__(self):
        if self.scheduler is not None:
            from ..sweeps.execute import dask_client
            self._dask = dask_client(self.scheduler, self.workers)
            self._client = self._dask.__enter__()
        elif self.workers > 1:
            self._pool = process_context().Pool(self.workers, initializer=_worker_signals)
        return self

    def __exit__(self, exc_type, *rest):
        if self._dask is not None:
            self._dask.__exit__(exc_type, *rest)
            self._dask = None
        if self._pool is not None:
            if exc_type is None:
                self._pool.close()
            else:
                self._pool.terminate()
            self._pool.join()
            self._pool = None

    def run(self, points: list[dict[str, Any]], seeds: list[int] | None = None,
            progress: Callable[[int], None] | None = None,
            seeds_per_point: list[list[int]] | None = None, only: list[str] | None = None,
            people: dict | None = None) -> list[dict[str, list[float | None]]]:
        """For each point, each target's figure in each replicate (replicate order); an effect or
        a spread combines its scenarios' values replicate by replicate (same seeds). Every point
        runs with `seeds` (default: the evaluator's), or point k with `seeds_per_point[k]`. With
        `only` (target ids), just the groups those targets read run (the others' figures are None);
        a `people` dict is filled with people[k][tid] = per replicate, the people behind each of
        the target's scenarios' figures."""
        seeds = self.seeds if seeds is None else seeds
        per_point = seeds_per_point or [seeds] * len(points)
        wanted = None if only is None else set(only)
        jobs = []
        for k, values in enumerate(points):
            for g, group in enumerate(self.groups):
                if wanted is not None and not wanted & set(group.target_ids):
                    continue
                scenario = scenario_at(group, values)
                tg = [self.targets[i].target for i in group.target_ids]
                jobs += [((k, g, r), scenario, s, tg) for r, s in enumerate(per_point[k])]
        parts = [{tid: [[None] * len(t.scenario_paths) for _ in per_point[k]] for tid, t in self.targets.items()}
                 for k in range(len(points))]
        counts = [{tid: [[0] * len(t.scenario_paths) for _ in per_point[k]] for tid, t in self.targets.items()}
                  for k in range(len(points))]
        # Dask spreads blocks over however many threads the cluster has: blocks for 8 of them at least.
        spread = max(self.workers, 8) if self._dask is not None else self.workers
        blocks = [[jobs[i] for i in b] for b in blocks_of([(j[1], None) for j in jobs], spread)]
        if self._dask is not None:
            from distributed import as_completed
            stream = (f.result() for f in as_completed(self._client.map(_run_jobs, blocks, pure=False)))
        elif self._pool is not None:
            stream = self._pool.imap_unordered(_run_jobs, blocks, chunksize=1)
        else:
            stream = map(_run_jobs, blocks)
        for done in stream:
            for (k, g, r), figs in done:
                for tid, j in self.groups[g].components:
                    parts[k][tid][r][j] = figs[tid]
                    counts[k][tid][r][j] = figs[f"{tid}#people"]
            if progress:
                progress(len(done))
        if people is not None:
            people.update(enumerate(counts))
        return [{tid: [self.targets[tid].target.combine(v) for v in per_rep[tid]] for tid in per_rep}
                for per_rep in parts]


def mean_or_none(values: list[float | None]) -> float | None:
    xs = [v for v in values if v is not None]
    return float(np.mean(xs)) if xs else None


def distance(targets: dict, sims: dict[str, float | None], weights: dict[str, float] | None = None) -> float:
    """Weighted sum of squared errors in units of each target's tolerance.

    A target with no simulated value (nobody observed) counts as a large miss, so the optimiser
    moves away from points where the figure cannot be measured.
    """
    total = 0.0
    for tid, t in targets.items():
        w = 1.0 if weights is None else weights.get(tid, 1.0)
        v = sims.get(tid)
        z = 10.0 if v is None else t.error(v) / t.tolerance
        total += w * z * z
    return total
