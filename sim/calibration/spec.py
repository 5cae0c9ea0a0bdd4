"""Calibration specs: which targets to fit, which behavioural parameters are free, and the budget.

    name: shipped                        # writes calibration/fitted/shipped.yaml
    description: Seed figures (Falkenberg, the typical 2006 municipality)
    targets:
      - file: seed_figures.yaml          # under calibration/targets/ or relative to this file
        ids: [falkenberg_self_sufficiency_24_30]   # optional: a subset
    parameters:                          # behavioural parameters only (behaviour.*)
      behaviour.hiring.intercept: {low: -5.0, high: -2.0, prior: {mean: -3.5, sd: 1.0}}
    replicates: 4                        # per evaluation, the same seeds at every point (CRN)
    seed: 2026
    budget: {evaluations: 400}           # parameter points evaluated by the optimiser
    popsize: 5                           # differential evolution: population = popsize x parameters
    report_replicates: 20                # replicates for the report, on seeds the fit did not use
    weights: {falkenberg_self_sufficiency_24_30: 1.0}   # optional, default 1

The point fits (differential_evolution, powell; kept from before the Bayesian calibration, and still
scaled by each target's tolerance) minimise the sum over targets of weight x ((simulated - observed) /
tolerance)^2, plus, for
a parameter with a prior, ((value - mean) / sd)^2. Under Gaussian errors with sd = tolerance that
is -2 log posterior (up to a constant), which is what the report's uncertainty regions read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator

from ..config.annotate import unflatten
from ..config.base import Section
from ..config.errors import Problem, ScenarioError
from ..config.loader import Sources, apply_overrides, load_validated_file
from ..config.schema import Scenario
from .targets import CALIBRATION_DIR, LoadedTarget, load_targets


class Prior(Section):
    mean: float
    sd: float = Field(gt=0)


class FreeParameter(Section):
    low: float
    high: float
    prior: Prior | None = None

    @model_validator(mode="after")
    def _order(self):
        if not self.low < self.high:
            raise ValueError("low must be below high")
        return self


class TargetRef(Section):
    file: str
    ids: list[str] | None = None


class Budget(Section):
    evaluations: int = Field(200, ge=2, le=1_000_000, description="Parameter points the optimiser may evaluate.")


class Mcmc(Section):
    walkers: int = Field(64, ge=8, le=10_000, description="emcee's walkers (at least twice the parameters).")
    steps: int = Field(2000, ge=50, le=1_000_000, description="Steps of each walker; the first half is burn-in.")


class CalibrationSpec(Section):
    name: str = Field(pattern=r"^[A-Za-z0-9_-]+$", description="Names calibration/fitted/<name>.yaml.")
    description: str = ""
    targets: list[TargetRef] = Field(min_length=1)
    parameters: dict[str, FreeParameter] = Field(min_length=1)
    replicates: int = Field(4, ge=1, le=1000)
    seed: int = Field(1, ge=0)
    budget: Budget = Budget()
    method: Literal["history_matching", "differential_evolution", "powell"] = Field(
        "differential_evolution",
        description="history_matching: a Bayesian calibration (waves of design points, Gaussian-process "
                    "emulators, the posterior by MCMC) whose result is an ensemble of parameter sets; "
                    "differential_evolution: a global search for one point, a generation at a time over the "
                    "workers; powell: a local search from `start` (the middle of the bounds for parameters "
                    "it does not name), one point at a time, for refining an earlier fit.")
    waves: int = Field(3, ge=1, le=20, description="history_matching: waves of design points.")
    points_per_wave: int = Field(160, ge=10, le=100_000, description="history_matching: design points per wave.")
    ensemble_size: int = Field(300, ge=10, le=100_000,
                               description="history_matching: parameter sets kept from the posterior.")
    cutoff: float = Field(3.0, gt=0, description="history_matching: implausibility above which a point is ruled "
                                                  "out (reported per wave).")
    mcmc: Mcmc = Mcmc()
    held_out: list[str] = Field(
        [], description="history_matching: targets files not fitted, checked with the new ensemble in the report.")
    popsize: int = Field(5, ge=2, le=100)
    report_replicates: int = Field(20, ge=1, le=10000)
    slice_points: int = Field(7, ge=3, le=51, description="Points per parameter in the report's slices.")
    weights: dict[str, float] = {}
    discrepancy: dict[str, float] = Field(
        {}, description="history_matching: a family's model-discrepancy sd on its targets' scales, in place of "
                        "the defaults (sim/calibration/observation.py DISCREPANCY).")
    start: dict[str, float] = Field(
        {}, description="A point (free parameter: value) placed in the first generation beside the "
                        "Latin-hypercube sample, e.g. an earlier fit; parameters not named start at "
                        "the middle of their bounds.")
    base_parameters: dict[str, Any] = Field(
        {}, description="Behavioural values held fixed at other than their defaults (path: value).")

    @model_validator(mode="after")
    def _discrepancy_families(self):
        from .observation import FAMILIES
        for name, sd in self.discrepancy.items():
            if name not in FAMILIES or not 0 <= sd < 10:
                raise ValueError(f"discrepancy: families are {', '.join(FAMILIES)}, each a sd from 0 to 10 "
                                 f"(not {name}: {sd})")
        return self

    @model_validator(mode="after")
    def _replicates_for_history_matching(self):
        if self.method == "history_matching" and self.replicates < 2:
            raise ValueError("history_matching needs replicates of at least 2: the spread between a point's "
                             "replicates measures the chance of a single run, which the recovery check needs")
        return self

    @model_validator(mode="after")
    def _start_inside(self):
        for name, v in self.start.items():
            if name not in self.parameters:
                raise ValueError(f"start: '{name}' is not a free parameter")
            p = self.parameters[name]
            if not p.low <= v <= p.high:
                raise ValueError(f"start: {name} = {v:g} is outside its bounds [{p.low:g}, {p.high:g}]")
        return self

    @model_validator(mode="after")
    def _paths(self):
        bad = [p for p in [*self.parameters, *self.base_parameters] if not p.startswith("behaviour.")]
        if bad:
            raise ValueError(f"only behavioural parameters (behaviour.*) are calibrated, the levers are "
                             f"the scenarios' own; not: {', '.join(bad)}")
        return self


def _target_file(name: str, relative_to: Path) -> Path:
    for c in (relative_to / name, CALIBRATION_DIR / "targets" / name, Path(name)):
        if c.is_file():
            return c
    return relative_to / name


def load_spec(path: str | Path) -> tuple[CalibrationSpec, list[LoadedTarget]]:
    """The validated spec and its targets; every problem located in the spec or a targets file."""
    path = Path(path)
    file = str(path)
    if not path.is_file():
        candidate = CALIBRATION_DIR / path
        if not candidate.is_file():
            raise ScenarioError.single(file, None, "", "calibration spec not found")
        path, file = candidate, str(candidate)
    spec, sources = load_validated_file(path, CalibrationSpec, "calibration spec", "name, targets, parameters ...")
    problems: list[Problem] = []
    targets: list[LoadedTarget] = []
    for i, ref in enumerate(spec.targets):
        tpath = _target_file(ref.file, path.parent)
        if not tpath.is_file():
            problems.append(Problem(file, sources.locate(("targets", str(i), "file"))[1], f"targets.{i}.file",
                                    f"targets file '{ref.file}' not found"))
            continue
        _, loaded = load_targets(tpath)
        known = {t.id: t for t in loaded}
        for j, tid in enumerate(ref.ids or []):
            if tid not in known:
                import difflib
                close = difflib.get_close_matches(tid, sorted(known), n=1, cutoff=0.5)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                problems.append(Problem(file, sources.locate(("targets", str(i), "ids", str(j)))[1],
                                        f"targets.{i}.ids.{j}", f"no target '{tid}' in {tpath}{hint}"))
        targets += [known[t] for t in ref.ids] if ref.ids else loaded
    ids = [t.id for t in targets]
    dup = sorted({t for t in ids if ids.count(t) > 1})
    if dup:
        problems.append(Problem(file, sources.locate(("targets",))[1], "targets", f"targets named twice: {', '.join(dup)}"))
    for tid in spec.weights:
        if tid not in ids:
            problems.append(Problem(file, sources.locate(("weights", tid))[1], f"weights.{tid}", "not one of the fitted targets"))
    # Every parameter path must exist in the schema (checked as `--set` would be).
    for section in ("parameters", "base_parameters"):
        for p in getattr(spec, section):
            try:
                apply_overrides(Scenario.model_construct(municipalities={}).model_dump(mode="json", by_alias=True),
                                [(p, None)], Sources())
            except ScenarioError as exc:
                problems.append(Problem(file, sources.locate((section, p))[1], f"{section}.{p}", exc.problems[0].message))
    from ..config.behaviour import Behaviour
    for section, values in (("parameters", {p: fp.low for p, fp in spec.parameters.items()}),
                            ("parameters", {p: fp.high for p, fp in spec.parameters.items()}),
                            ("base_parameters", spec.base_parameters)):
        for p, v in values.items():
            nested = unflatten([(tuple(p.split(".")[1:]), v)])
            try:
                Behaviour.model_validate(nested)
            except ValidationError as exc:
                msg = exc.errors()[0]["msg"]
                problems.append(Problem(file, sources.locate((section, p))[1], f"{section}.{p}",
                                        f"{v!r} is outside what the parameter allows: {msg}"))
    problems = list(dict.fromkeys(problems))
    for p in spec.parameters:
        if p in spec.base_parameters:
            problems.append(Problem(file, sources.locate(("base_parameters", p))[1], f"base_parameters.{p}",
                                    "is also a free parameter"))
    if problems:
        raise ScenarioError(problems)
    return spec, targets
