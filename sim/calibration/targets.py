"""Calibration targets as data: `calibration/targets/*.yaml`.

    description: Seed figures for the fit
    replicates: 20                      # parameter sets (ensemble members) `run.py check` draws
    targets:
      - id: falkenberg_self_sufficiency_24_30
        scenario: falkenberg            # a built-in scenario name or a path relative to this file
        metric: self_sufficiency        # one of sim.calibration.outputs.METRICS
        months: [24, 30]                # monthly outputs: `month: 24`, or a range averaged over
        sex: female                     # optional; and optional `municipality`
        observed: 0.80
        tolerance: 0.05                 # the policy-relevance band: a difference that would matter
        kind: value                     # value | at_most | at_least (one-sided figures: "under half")
        family: levels                  # levels | effects | denmark: the discrepancy term it shares
        fold: falkenberg                # cross-validation leaves out one fold at a time
        population: {design: claim, n: 100, period: "arrivals 2002-2004"}   # what stands behind it
        uncertainty: {binomial: true, basis: "..."}   # or se: 0.02, or ci: [lo, hi] (level 0.95)
        definition: "have their own support after the introduction period of two to two and a half years"
        source: "seed 000 (Välkommen till jobbet!, 2007), Falkenberg"

A target names one output with one definition; the definition the source gives is kept beside it so
that nobody compares employment with self-sufficiency. It also records what stands behind the
observed figure (`population`: a trial's arms, a cohort's or register's count, by sex where the
source splits them) and the source's own error (`uncertainty`), which `check` and `calibrate` use
as the observation error (sim/calibration/observation.py); `tolerance` is only a policy-relevance
band, never an error.

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

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from ..config.base import Section
from ..config.errors import Problem, ScenarioError
from ..config.loader import CALIBRATION_DIR, load_validated_file, resolve_scenario_path
from .outputs import METRICS, MONTHLY


class Population(Section):
    """Who stands behind an observed figure."""

    design: Literal["trial", "evaluation", "register", "survey", "claim"] = Field(
        description="trial: randomised; evaluation: a quasi-experiment or a matched comparison; register: "
                    "a count of a whole population; survey: a sample; claim: a municipality's own figure.")
    n: int | None = Field(None, ge=1, description="People behind a level (the figure's denominator).")
    arms: tuple[int, int] | None = Field(None, description="An effect: people in [treatment, control].")
    men: int | None = Field(None, ge=0)
    women: int | None = Field(None, ge=0)
    period: str = Field("", description="When the people were observed.")
    basis: str = Field("", description="Where the counts come from, or 'assumption: ...'.")

    @model_validator(mode="after")
    def _size(self):
        if self.n is None and self.arms is None:
            raise ValueError("give 'n' (people behind a level) or 'arms' ([treatment, control] of an effect)")
        if self.arms is not None and min(self.arms) < 1:
            raise ValueError("arms: [treatment, control], each at least 1 person")
        return self

    @property
    def people(self) -> int:
        """Everyone behind the figure (both arms of an effect)."""
        return int(sum(self.arms)) if self.arms is not None else int(self.n or 0)


class Uncertainty(Section):
    """The source's own sampling error of the observed figure: one of `se`, `ci` or `binomial`."""

    se: float | None = Field(None, gt=0, description="A standard error, in the figure's units.")
    ci: tuple[float, float] | None = Field(None, description="A confidence interval [low, high] ...")
    level: float = Field(0.95, gt=0, lt=1, description="... and its level.")
    binomial: bool = Field(False, description="From the counts: sqrt(p(1-p)/n) for a share, and for a "
                                              "difference of shares both arms' terms (with control_share).")
    control_share: float | None = Field(None, ge=0, le=1, description="A binomial effect: the control arm's share.")
    basis: str = Field(min_length=1, description="Published (where), or 'assumption: ...' and why.")

    @model_validator(mode="after")
    def _one(self):
        given = [self.se is not None, self.ci is not None, self.binomial]
        if sum(given) != 1:
            raise ValueError("give exactly one of 'se', 'ci' ([low, high]) or 'binomial: true'")
        if self.ci is not None and self.ci[1] <= self.ci[0]:
            raise ValueError("ci: [low, high] with low < high")
        return self


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
    tolerance: float = Field(gt=0, description="A policy-relevance band: a difference this large would matter. "
                                               "Not an error: `uncertainty` is.")
    kind: Literal["value", "at_most", "at_least"] = "value"
    family: Literal["levels", "effects", "denmark", "labour_market"] | None = Field(
        None, description="The model-discrepancy term it shares (default: levels for a level, effects otherwise).")
    fold: str | None = Field(None, pattern=r"^[A-Za-z0-9_.-]+$",
                             description="Cross-validation: targets of one fold are left out together (default: the family).")
    population: Population
    uncertainty: Uncertainty
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
        if self.uncertainty.binomial:
            if METRICS[self.metric][1] != "share" or self.relative:
                raise ValueError("uncertainty.binomial applies to shares and differences of shares; give se or ci")
            if self.comparison == "effect" and (self.population.arms is None or self.uncertainty.control_share is None):
                raise ValueError("a binomial error of an effect needs population.arms and uncertainty.control_share")
        return self

    @property
    def family_name(self) -> str:
        return self.family or ("levels" if self.comparison == "level" else "effects")

    @property
    def fold_name(self) -> str:
        return self.fold or self.family_name

    @property
    def source_se(self) -> float:
        """The source's standard error of the observed figure, in its units."""
        u, pop = self.uncertainty, self.population
        if u.se is not None:
            return float(u.se)
        if u.ci is not None:
            from scipy.stats import norm
            return float((u.ci[1] - u.ci[0]) / (2 * norm.ppf(0.5 + u.level / 2)))
        if self.comparison == "effect":
            assert pop.arms is not None and u.control_share is not None  # validated
            pc = u.control_share
            pt = min(max(pc + self.observed, 0.0), 1.0)
            return float(math.sqrt(pt * (1 - pt) / pop.arms[0] + pc * (1 - pc) / pop.arms[1]))
        p = min(max(self.observed, 0.0), 1.0)
        return float(math.sqrt(max(p * (1 - p), 1e-6) / pop.people))

    @property
    def binomial_n(self) -> int | None:
        """The people a binomial level counts (its error follows the share), else None."""
        return self.population.people if self.uncertainty.binomial and self.comparison == "level" else None

    @property
    def scale(self) -> str:
        from .observation import scale_of
        return scale_of(METRICS[self.metric][1], self.comparison, self.effect)

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
    replicates: int = Field(20, ge=1, le=10000, description="Parameter sets (ensemble members) `run.py check` "
                                                            "draws; each runs as many seeds as its sources need.")
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
