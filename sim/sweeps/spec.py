"""Sweep files: a base scenario, the dimensions to vary, the design, replicates, outputs, a seed.

    name: falkenberg_levers
    base: ../falkenberg.yaml            # a scenario file (relative to this file) or a built-in name
    seed: 2026
    replicates: 10
    design: grid                        # grid | lhs | sobol
    samples: 64                         # lhs and sobol: the number of points
    seeds: independent                  # independent: seed from (seed, point, replicate);
                                        # common: from (seed, replicate), the same at every point
    parameters: ensemble                # ensemble: replicate r draws its behavioural parameter set from
                                        # the calibration's posterior (the same set at every point);
                                        # point: every run at the fitted point estimate
    dimensions:
      hours:
        path: municipalities.falkenberg.programme.hours_per_week
        values: [20, 30, 40]            # a list ...
      coaches:
        path: municipalities.falkenberg.staff.coaches
        range: {start: 1, stop: 5, step: 1}   # ... a range with a step (grid) ...
      intercept:
        path: behaviour.hiring.intercept
        sample: {low: -4.0, high: -3.0}       # ... or a range to sample (lhs, sobol)
    outputs:
      timeseries: false                 # summary figures always; weekly series on request

Checked with the same located messages as scenarios, including every point's scenario.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import Field, ValidationError, model_validator

from ..config.base import Section
from ..config.errors import Problem, ScenarioError
from ..config.loader import (
    Sources,
    apply_overrides,
    load_scenario_with_sources,
    problems_from_validation,
    resolve_scenario_path,
)
from ..config.schema import NAME_PATTERN, Scenario
from ..config.yaml_lines import load_yaml_with_lines


class Range(Section):
    start: float
    stop: float = Field(description="Included when start + k * step reaches it.")
    step: float = Field(gt=0)

    @model_validator(mode="after")
    def _order(self):
        if self.stop < self.start:
            raise ValueError("stop must not be below start")
        if (self.stop - self.start) / self.step > 10000:
            raise ValueError("more than 10,000 values in one range")
        return self


class Interval(Section):
    low: float
    high: float
    integer: bool = Field(False, description="Round sampled values to whole numbers.")

    @model_validator(mode="after")
    def _order(self):
        if self.high <= self.low:
            raise ValueError("high must be above low")
        return self


class Dimension(Section):
    path: str = Field(description="Dotted key path of the lever or parameter in the scenario.")
    values: list[Any] | None = None
    range: Range | None = None
    sample: Interval | None = None

    @model_validator(mode="after")
    def _one_kind(self):
        given = [k for k in ("values", "range", "sample") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(f"give exactly one of values, range or sample (given: {', '.join(given) or 'none'})")
        if self.values is not None and not self.values:
            raise ValueError("values must not be empty")
        return self

    def grid_size(self) -> int:
        """How many values the dimension has in a grid, without listing them."""
        if self.values is not None:
            return len(self.values)
        r = self.range
        assert r is not None
        return int(np.floor((r.stop - r.start) / r.step + 1e-9)) + 1

    def grid_values(self) -> list[Any]:
        if self.values is not None:
            return list(self.values)
        r = self.range
        assert r is not None  # validated: exactly one of values, range, sample
        n = int(np.floor((r.stop - r.start) / r.step + 1e-9)) + 1
        vals = [r.start + k * r.step for k in range(n)]
        return [int(v) if float(v).is_integer() and float(r.step).is_integer() and float(r.start).is_integer()
                else round(v, 12) for v in vals]


# The most runs one sweep may ask for: a week of a laptop's runs, a day of a cluster's; a sweep is
# checked against it before any point is built.
MAX_RUNS = 10_000_000


class Outputs(Section):
    timeseries: bool = Field(False, description="Keep each run's weekly series (one file per run).")


class Sweep(Section):
    name: str = Field(pattern=NAME_PATTERN, description="Names the default results folder.")
    base: str = Field(description="The base scenario: a file (relative to the sweep file) or a built-in name.")
    seed: int = Field(1, ge=0)
    replicates: int = Field(1, ge=1, le=100000)
    design: Literal["grid", "lhs", "sobol"] = "grid"
    samples: int | None = Field(None, ge=1, le=1000000, description="Points of an lhs or sobol design.")
    seeds: Literal["independent", "common"] = "independent"
    parameters: Literal["ensemble", "point"] = Field(
        "ensemble", description="ensemble: replicate r runs with the posterior ensemble's set for (seed, r), "
                                "the same at every point; point: every run at the fitted point estimate.")
    years: int | None = Field(None, ge=1, le=40, description="Override the base scenario's years.")
    dimensions: dict[str, Dimension] = Field(min_length=1)
    outputs: Outputs = Outputs()

    @model_validator(mode="after")
    def _design(self):
        if self.design == "grid":
            sampled = [k for k, d in self.dimensions.items() if d.sample is not None]
            if sampled:
                raise ValueError(f"a grid needs values or a range for every dimension; "
                                 f"sampled: {', '.join(sampled)} (use design: lhs or sobol)")
            if self.samples is not None:
                raise ValueError("'samples' is for lhs and sobol designs; a grid's size comes from its values")
            size = 1
            for d in self.dimensions.values():
                size *= d.grid_size()
            if size * self.replicates > MAX_RUNS:
                raise ValueError(f"the grid has {size:,} points x {self.replicates} replicates = "
                                 f"{size * self.replicates:,} runs; at most {MAX_RUNS:,} (coarser ranges, or "
                                 "a sampled design: lhs or sobol)")
        else:
            listed = [k for k, d in self.dimensions.items() if d.sample is None]
            if listed:
                raise ValueError(f"an {self.design} design samples every dimension: give 'sample: {{low, high}}' "
                                 f"for {', '.join(listed)}")
            if self.samples is None:
                raise ValueError(f"an {self.design} design needs 'samples'")
            if self.samples * self.replicates > MAX_RUNS:
                raise ValueError(f"{self.samples:,} samples x {self.replicates} replicates = "
                                 f"{self.samples * self.replicates:,} runs; at most {MAX_RUNS:,}")
        return self


def load_sweep(path: str | Path) -> tuple[Sweep, Scenario, Path]:
    """The validated sweep, its base scenario, and the base scenario's path."""
    path = Path(path)
    file = str(path)
    if not path.is_file():
        raise ScenarioError.single(file, None, "", "sweep file not found")
    data, lines = load_yaml_with_lines(path)
    sources = Sources(lines=lines, files=[file])
    if data is None:
        raise ScenarioError.single(file, None, "", "the sweep file is empty")
    if not isinstance(data, dict):
        raise ScenarioError.single(file, 1, "", f"expected a mapping of keys, found {type(data).__name__}")
    try:
        sweep = Sweep.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(problems_from_validation(exc, sources, root=Sweep)) from None
    base_path = resolve_scenario_path(sweep.base, relative_to=path.parent)
    if not base_path.is_file():
        raise ScenarioError.single(file, lines.get(("base",), (file, None))[1], "base",
                                   f"base scenario '{sweep.base}' not found")
    base, _ = load_scenario_with_sources(base_path)
    problems = []
    for name, dim in sweep.dimensions.items():
        key = ("dimensions", name, "path")
        try:
            apply_overrides(base.model_dump(mode="json", by_alias=True), [(dim.path, None)], Sources())
        except ScenarioError as exc:
            f, line = sources.locate(key)
            problems.append(Problem(f, line, ".".join(key), exc.problems[0].message))
    if problems:
        raise ScenarioError(problems)
    return sweep, base, base_path
