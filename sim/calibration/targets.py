"""Calibration targets as data: `calibration/targets/*.yaml`.

    description: Seed figures for the fit
    replicates: 20                      # default replicates for `run.py check`
    targets:
      - id: falkenberg_self_sufficiency_24_30
        scenario: falkenberg            # a built-in scenario name or a path relative to this file
        metric: self_sufficiency        # one of sim.calibration.outputs.METRICS
        months: [24, 30]                # monthly outputs: `month: 24`, or a range averaged over
        sex: female                     # optional; and optional `municipality`
        observed: 0.80
        tolerance: 0.05                 # inside when |simulated - observed| <= tolerance
        kind: value                     # value | at_most | at_least (one-sided figures: "under half")
        definition: "have their own support after the introduction period of two to two and a half years"
        source: "seed 000 (Välkommen till jobbet!, 2007), Falkenberg"

A target names one output with one definition; the definition the source gives is kept beside it so
that nobody compares employment with self-sufficiency.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from ..config.base import Section
from ..config.errors import Problem, ScenarioError
from ..config.loader import CALIBRATION_DIR, load_validated_file, resolve_scenario_path
from .outputs import METRICS, MONTHLY



class Target(Section):
    id: str = Field(pattern=r"^[A-Za-z0-9_.-]+$", description="A unique name, used in reports and specs.")
    scenario: str = Field(description="A built-in scenario name or a file relative to the targets file.")
    metric: str = Field(description="The model output compared (see sim/calibration/outputs.py).")
    month: int | None = Field(None, ge=0, le=600)
    months: tuple[int, int] | None = Field(None, description="[first, last]: the average over these months.")
    sex: Literal["female", "male"] | None = None
    municipality: str | None = None
    observed: float
    tolerance: float = Field(gt=0, description="Inside when the simulated mean is within this of the observed.")
    kind: Literal["value", "at_most", "at_least"] = "value"
    definition: str = Field(min_length=1, description="The definition as the source gives it.")
    source: str = Field(min_length=1, description="Seed file or publication.")
    years: int | None = Field(None, ge=1, le=40, description="Run length; default: the scenario's, "
                                                                  "lengthened to reach the months read.")
    note: str = ""

    @model_validator(mode="after")
    def _shape(self):
        if self.metric not in METRICS:
            import difflib
            close = difflib.get_close_matches(self.metric, sorted(METRICS), n=1, cutoff=0.5)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise ValueError(f"unknown metric '{self.metric}'{hint} (one of: {', '.join(sorted(METRICS))})")
        monthly = self.metric in MONTHLY
        if monthly and (self.month is None) == (self.months is None):
            raise ValueError(f"'{self.metric}' is read at a duration: give 'month' or 'months' (one of them)")
        if not monthly and (self.month is not None or self.months is not None or self.sex or self.municipality):
            raise ValueError(f"'{self.metric}' is a figure of the whole run; month, months, sex and "
                             "municipality apply to monthly outputs only")
        if self.months is not None and self.months[1] < self.months[0]:
            raise ValueError("months: [first, last] with first <= last")
        return self

    @property
    def month_list(self) -> list[int]:
        if self.month is not None:
            return [self.month]
        if self.months is not None:
            return list(range(self.months[0], self.months[1] + 1))
        return []

    def error(self, simulated: float) -> float:
        """Simulated minus observed; zero inside a one-sided bound."""
        d = simulated - self.observed
        if self.kind == "at_most":
            return max(d, 0.0)
        if self.kind == "at_least":
            return min(d, 0.0)
        return d

    def inside(self, simulated: float | None) -> bool:
        return simulated is not None and abs(self.error(simulated)) <= self.tolerance

    def describe_observed(self) -> str:
        sign = {"value": "", "at_most": "<= ", "at_least": ">= "}[self.kind]
        return f"{sign}{self.observed:g}"


class TargetFile(Section):
    description: str = ""
    replicates: int = Field(20, ge=1, le=10000, description="Replicates per scenario for `run.py check`.")
    targets: list[Target] = Field(min_length=1)


@dataclass(frozen=True)
class LoadedTarget:
    """A target with where it came from and the scenario file it names."""

    target: Target
    file: str
    line: int | None
    scenario_path: Path

    def __getattr__(self, name):  # read the target's fields directly
        return getattr(self.target, name)


def resolve_target_path(name: str | Path) -> Path:
    """A path as given, else under `calibration/targets/` (with or without .yaml)."""
    p = Path(name)
    for c in (p, CALIBRATION_DIR / "targets" / p, CALIBRATION_DIR / "targets" / f"{p}.yaml"):
        if c.is_file():
            return c
    return p


def load_targets(path: str | Path) -> tuple[TargetFile, list[LoadedTarget]]:
    """Validate a targets file: every problem with file, line and key; scenario files must exist."""
    path = resolve_target_path(path)
    file = str(path)
    tf, sources = load_validated_file(path, TargetFile, "targets file", "with a 'targets' list")
    problems, loaded, seen = [], [], {}
    for i, tg in enumerate(tf.targets):
        line = sources.locate(("targets", str(i)))[1]
        if tg.id in seen:
            problems.append(Problem(file, sources.locate(("targets", str(i), "id"))[1], f"targets.{i}.id",
                                    f"duplicate id '{tg.id}' (first on line {seen[tg.id]})"))
        seen.setdefault(tg.id, line)
        scen = resolve_scenario_path(tg.scenario, relative_to=path.parent)
        if not scen.is_file():
            problems.append(Problem(file, sources.locate(("targets", str(i), "scenario"))[1],
                                    f"targets.{i}.scenario", f"scenario '{tg.scenario}' not found"))
        loaded.append(LoadedTarget(tg, file, line, scen))
    if problems:
        raise ScenarioError(problems)
    return tf, loaded
