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

Two more kinds compare scenarios, so that effects, not only levels, are fitted and checked:

      - id: tip_men_unsubsidised_15_months   # a trial or a reform: treatment minus control
        scenario: ../trials/tip_treatment.yaml
        control: ../trials/tip_control.yaml
        effect: difference                  # or ratio: treatment / control - 1
        metric: employment_unsubsidised
        month: 15
        sex: male
        observed: 0.045
      - id: kora_spread                     # a spread between municipalities
        scenarios: [denmark_average, fredensborg_dk, struer_dk]
        metric: job_finding_rate_3_years_after_permit
        observed: 0.15                      # (largest - smallest) / mean, in each replicate
        kind: at_most

Both sides of an effect run with the same seeds (common random numbers), and the figure is the
mean over replicates of the paired difference (or ratio, or spread).
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
    scenario: str | None = Field(
        None, description="A built-in scenario name or a file relative to the targets file (the "
                          "treatment, for an effect).")
    control: str | None = Field(None, description="An effect: the control scenario (treatment minus control).")
    effect: Literal["difference", "ratio"] = Field(
        "difference", description="An effect as treatment - control, or treatment / control - 1.")
    scenarios: list[str] | None = Field(
        None, min_length=2, description="A spread: (largest - smallest) / mean of the figure over these scenarios.")
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
        if (self.scenario is None) == (self.scenarios is None):
            raise ValueError("give 'scenario' (a level, or with 'control' an effect) or 'scenarios' (a spread)")
        if self.control is not None and self.scenario is None:
            raise ValueError("an effect needs 'scenario' (the treatment) beside 'control'")
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

    def held_by(self, lo: float, hi: float) -> bool:
        """Whether an interval of simulated figures holds the observed one (for a one-sided bound:
        whether it reaches the allowed side of it)."""
        if self.kind == "at_most":
            return lo <= self.observed
        if self.kind == "at_least":
            return hi >= self.observed
        return lo <= self.observed <= hi

    def inside(self, simulated: float | None) -> bool:
        return simulated is not None and abs(self.error(simulated)) <= self.tolerance

    @property
    def comparison(self) -> str:
        """'level', 'effect' or 'spread'."""
        return "spread" if self.scenarios else "effect" if self.control else "level"

    @property
    def scenario_names(self) -> list[str]:
        """The scenarios this target runs, in the order its figure combines them."""
        if self.scenarios:
            return list(self.scenarios)
        assert self.scenario is not None  # validated: a scenario, or scenarios
        return [self.scenario] + ([self.control] if self.control else [])

    def combine(self, values: list[float | None]) -> float | None:
        """One replicate's figure from its scenarios' values (in `scenario_names` order)."""
        xs = [v for v in values if v is not None]
        if len(xs) < len(values):
            return None
        if self.comparison == "level":
            return xs[0]
        if self.comparison == "effect":
            if self.effect == "ratio":
                return xs[0] / xs[1] - 1.0 if xs[1] else None
            return xs[0] - xs[1]
        mean = sum(xs) / len(xs)
        return (max(xs) - min(xs)) / mean if mean else None

    def describe(self) -> str:
        """Which scenarios the figure compares, in words (file names without folder or suffix)."""
        names = [Path(name).stem for name in self.scenario_names]
        if self.comparison == "level":
            return names[0]
        if self.comparison == "effect":
            op = "/" if self.effect == "ratio" else "-"
            return f"{names[0]} {op} {names[1]}"
        return "spread of " + ", ".join(names)

    @property
    def relative(self) -> bool:
        """A relative figure (a ratio effect or a spread), shown in per cent."""
        return self.comparison == "spread" or (self.comparison == "effect" and self.effect == "ratio")

    def describe_observed(self) -> str:
        sign = {"value": "", "at_most": "<= ", "at_least": ">= "}[self.kind]
        return f"{sign}{self.observed:g}"


class TargetFile(Section):
    description: str = ""
    replicates: int = Field(20, ge=1, le=10000, description="Replicates per scenario for `run.py check`.")
    targets: list[Target] = Field(min_length=1)


@dataclass(frozen=True)
class LoadedTarget:
    """A target with where it came from and the scenario files it names."""

    target: Target
    file: str
    line: int | None
    scenario_paths: tuple[Path, ...]

    @property
    def scenario_path(self) -> Path:
        return self.scenario_paths[0]

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
    problems: list[Problem] = []
    loaded: list[LoadedTarget] = []
    seen: dict[str, int | None] = {}
    for i, tg in enumerate(tf.targets):
        line = sources.locate(("targets", str(i)))[1]
        if tg.id in seen:
            problems.append(Problem(file, sources.locate(("targets", str(i), "id"))[1], f"targets.{i}.id",
                                    f"duplicate id '{tg.id}' (first on line {seen[tg.id]})"))
        seen.setdefault(tg.id, line)
        paths = []
        for j, name in enumerate(tg.scenario_names):
            scen = resolve_scenario_path(name, relative_to=path.parent)
            if not scen.is_file():
                key = ("scenarios", str(j)) if tg.scenarios else ("control",) if j else ("scenario",)
                problems.append(Problem(file, sources.locate(("targets", str(i), *key))[1],
                                        f"targets.{i}.{'.'.join(key)}", f"scenario '{name}' not found"))
            paths.append(scen)
        loaded.append(LoadedTarget(tg, file, line, tuple(paths)))
    if problems:
        raise ScenarioError(problems)
    return tf, loaded
