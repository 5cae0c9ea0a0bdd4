"""Global sensitivity of headline outputs to behavioural parameters and policy levers (SALib).

Morris screening (elementary effects along random one-at-a-time trajectories) by default: it ranks
many inputs with few runs, which is what a laptop allows. Sobol indices on request: variance shares
(first order and total), at many more runs. SALib does the designs and the estimators; we run the
model at its points with common random numbers (each point averaged over the same replicate seeds)
so an effect is the input's, not the seeds'.

    name: falkenberg
    scenario: falkenberg              # built-in name or path relative to this file
    years: 4                          # optional: run length
    method: morris                    # morris | sobol
    trajectories: 10                  # morris: trajectories; sobol: base samples (a power of 2)
    levels: 4                         # morris grid levels
    replicates: 2                     # per point, the same seeds at every point
    seed: 1
    parameters:
      behaviour.hiring.intercept: {low: -4.5, high: -2.5}
      municipalities.falkenberg.programme.hours_per_week: {low: 15, high: 40, integer: true}
    outputs: [self_sufficiency_24, employment_24, labour_market_contact_year1]
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable, Literal

import numpy as np
from pydantic import Field, ValidationError, model_validator

from ..config.base import Section
from ..config.errors import Problem, ScenarioError
from ..config.loader import (
    Sources,
    apply_overrides,
    load_scenario_with_sources,
    load_validated_file,
    resolve_scenario_path,
)
from ..sweeps.spec import Interval  # low, high, integer: as a sweep's sampled dimension
from .evaluate import Evaluator, build_groups
from .outputs import MONTHLY, RUN
from .targets import LoadedTarget, Target

OUTPUT_PATTERN = re.compile(r"^(employment|self_sufficiency)_(\d+)$")


class SensitivitySpec(Section):
    name: str = Field(pattern=r"^[A-Za-z0-9_-]+$")
    description: str = ""
    scenario: str
    years: int | None = Field(None, ge=1, le=40)
    method: Literal["morris", "sobol"] = "morris"
    trajectories: int = Field(10, ge=2, le=100000)
    levels: int = Field(4, ge=2, le=20)
    replicates: int = Field(2, ge=1, le=1000)
    seed: int = Field(1, ge=0)
    parameters: dict[str, Interval] = Field(min_length=2)
    outputs: list[str] = Field(["self_sufficiency_24", "employment_24", "labour_market_contact_year1"], min_length=1)

    @model_validator(mode="after")
    def _outputs(self):
        for o in self.outputs:
            if not OUTPUT_PATTERN.match(o) and o not in RUN:
                raise ValueError(f"unknown output '{o}': expected employment_<month>, self_sufficiency_<month> or "
                                 f"one of {', '.join(sorted(RUN))}")
        return self


def output_target(name: str, scenario: str, scenario_path: Path, years: int | None) -> LoadedTarget:
    """An output as a target with no observed value, so it is measured like one."""
    m = OUTPUT_PATTERN.match(name)
    fields: dict[str, Any] = {"id": name, "scenario": scenario, "observed": 0.0, "tolerance": 1.0,
                              "definition": "sensitivity output", "source": "-", "years": years,
                              # not compared with anything: placeholders for the fields a target must have
                              "population": {"design": "register", "n": 1},
                              "uncertainty": {"se": 1.0, "basis": "not a target: a sensitivity output"}}
    if m:
        fields.update(metric=m.group(1), month=int(m.group(2)))
    else:
        fields.update(metric=name)
    assert fields["metric"] in MONTHLY or fields["metric"] in RUN
    return LoadedTarget(Target(**fields), "<sensitivity>", None, (scenario_path,))


def load_sensitivity(path: str | Path) -> tuple[SensitivitySpec, Path]:
    path = Path(path)
    file = str(path)
    spec, sources = load_validated_file(path, SensitivitySpec, "sensitivity spec", "name, scenario, parameters ...")
    scen = resolve_scenario_path(spec.scenario, relative_to=path.parent)
    if not scen.is_file():
        raise ScenarioError.single(file, sources.locate(("scenario",))[1], "scenario", f"scenario '{spec.scenario}' not found")
    base, _ = load_scenario_with_sources(scen)
    problems = []
    for p, inp in spec.parameters.items():
        for v in (inp.low, inp.high):
            data = base.model_dump(mode="json", by_alias=True)
            try:
                apply_overrides(data, [(p, round(v) if inp.integer else v)], Sources())
                type(base).model_validate(data)
            except ScenarioError as exc:
                problems.append(Problem(file, sources.locate(("parameters", p))[1], f"parameters.{p}", exc.problems[0].message))
                break
            except ValidationError as exc:
                problems.append(Problem(file, sources.locate(("parameters", p))[1], f"parameters.{p}",
                                        f"{v:g} is not allowed here: {exc.errors()[0]['msg']}"))
                break
    if problems:
        raise ScenarioError(problems)
    return spec, scen


def design(spec: SensitivitySpec) -> tuple[dict, np.ndarray]:
    problem = {"num_vars": len(spec.parameters), "names": list(spec.parameters),
               "bounds": [[p.low, p.high] for p in spec.parameters.values()]}
    if spec.method == "morris":
        from SALib.sample import morris as sampler
        X = sampler.sample(problem, N=spec.trajectories, num_levels=spec.levels, seed=spec.seed)
    else:
        from SALib.sample import sobol as sampler
        X = sampler.sample(problem, spec.trajectories, calc_second_order=False, seed=spec.seed)
    for j, p in enumerate(spec.parameters.values()):
        if p.integer:
            X[:, j] = np.round(X[:, j])
    return problem, X


def run_sensitivity(spec: SensitivitySpec, scenario_path: Path, workers: int = 1,
                    progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """The design, each point's outputs (mean over replicates) and the indices per output."""
    problem, X = design(spec)
    base, _ = load_scenario_with_sources(scenario_path)
    targets = [output_target(o, spec.scenario, scenario_path, spec.years) for o in spec.outputs]
    groups = build_groups(targets)
    names = list(spec.parameters)
    points = [{n: (int(v) if spec.parameters[n].integer else float(v)) for n, v in zip(names, row)} for row in X]
    with Evaluator(targets, groups, spec.replicates, spec.seed, workers) as ev:
        raw = ev.run(points, progress=progress)
    Y = np.array([[np.nan if all(v is None for v in r[o]) else np.mean([v for v in r[o] if v is not None])
                   for o in spec.outputs] for r in raw], dtype=float)
    indices = {}
    for k, o in enumerate(spec.outputs):
        y = Y[:, k]
        if np.isnan(y).any():  # an output nobody was observed for at some point: fill with the mean
            y = np.where(np.isnan(y), np.nanmean(y), y)
        if spec.method == "morris":
            from SALib.analyze import morris as analyser
            si = analyser.analyze(problem, X, y, num_levels=spec.levels, seed=spec.seed)
            indices[o] = {n: {"mu_star": float(si["mu_star"][j]), "mu_star_conf": float(si["mu_star_conf"][j]),
                              "mu": float(si["mu"][j]), "sigma": float(si["sigma"][j])} for j, n in enumerate(names)}
        else:
            from SALib.analyze import sobol as analyser
            si = analyser.analyze(problem, y, calc_second_order=False, seed=spec.seed)
            indices[o] = {n: {"S1": float(si["S1"][j]), "S1_conf": float(si["S1_conf"][j]),
                              "ST": float(si["ST"][j]), "ST_conf": float(si["ST_conf"][j])} for j, n in enumerate(names)}
    return {"problem": problem, "X": X, "Y": Y, "indices": indices, "runs": len(points) * spec.replicates * len(groups)}


def ranking(spec: SensitivitySpec, indices: dict) -> dict[str, list[tuple[str, float, float]]]:
    """Per output, (parameter, index, confidence) from the most to the least influential."""
    key, conf = ("mu_star", "mu_star_conf") if spec.method == "morris" else ("ST", "ST_conf")
    return {o: sorted(((n, v[key], v[conf]) for n, v in idx.items()), key=lambda r: -r[1])
            for o, idx in indices.items()}


def plot_ranking(spec: SensitivitySpec, ranks: dict, path: Path) -> Path:
    from ..figure import subplots
    from ..page import save_figure
    from ..plots import COLOURS, HATCHES
    outs = list(ranks)
    n = len(spec.parameters)
    fig, axes = subplots(1, len(outs), figsize=(4.2 * len(outs), 0.38 * n + 1.6), squeeze=False)
    label = "mu* (mean |effect| over the full range)" if spec.method == "morris" \
        else "total-order Sobol index ST"
    for k, o in enumerate(outs):
        ax = axes[0][k]
        rows = ranks[o]
        ax.barh(range(len(rows)), [r[1] for r in rows], xerr=[r[2] for r in rows], color=COLOURS[k % len(COLOURS)],
                hatch=HATCHES[k % len(HATCHES)], edgecolor="#333", capsize=2)
        ax.set_yticks(range(len(rows)), [r[0].removeprefix("behaviour.").replace("municipalities.", "") for r in rows],
                      fontsize=7)
        ax.invert_yaxis()
        ax.set_title(o, fontsize=9)
        ax.tick_params(axis="x", labelsize=7)
        ax.set_xlabel(label, fontsize=7)
    fig.suptitle(f"What drives the outputs: {spec.method} on {spec.scenario} (bars: 95 % confidence)", fontsize=9)
    return save_figure(fig, path)


def write_report(folder: Path, spec: SensitivitySpec, result: dict, ranks: dict, argv: list[str]) -> None:
    """report.html beside ranking.png: the ranking of inputs for each output, and how to reproduce."""
    from ..page import e, page
    rows = "".join(f"<tr><td>{e(o)}</td><td>{i + 1}</td><td><code>{e(n)}</code></td>"
                   f"<td class='num'>{v:.4g}</td><td class='num'>± {c:.2g}</td></tr>"
                   for o, r in ranks.items() for i, (n, v, c) in enumerate(r))
    index = "mu* (Morris)" if spec.method == "morris" else "ST (total-order Sobol)"
    body = (f"<h1>Sensitivity: {e(spec.name)}</h1>"
            f"<p>{e(spec.description)}</p><p>Scenario <code>{e(spec.scenario)}</code>; method "
            f"<b>{spec.method}</b>; {len(result['X'])} points x {spec.replicates} replicates on common seeds "
            f"({result['runs']} runs).</p><p><img src='ranking.png' alt='ranking'></p>"
            f"<table><tr><th>output</th><th>rank</th><th>input</th><th>{index}</th><th>95 % conf.</th></tr>{rows}</table>"
            f"<h2>Reproduce</h2><pre>{e(' '.join(['python', *argv]))}</pre>")
    (folder / "report.html").write_text(page(f"Sensitivity {spec.name}", body), encoding="utf-8")
