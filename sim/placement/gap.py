"""The optimised rule judged with feedback: the gain its predictions promised (each person's
predicted chance where they were sent, as a static match sees it) beside the gain the full
simulation delivered, where jobs, internships, coaches and courses are shared and earlier arrivals
and local job seekers are crowded. Both against the Settlement Act's placement of the same arrivals
with the same seeds, at several shares of arrivals assigned and capacity slacks."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..config import load_scenario
from ..config.errors import ScenarioError
from ..runner import run_figures_of
from ..stats import interval
from .figures import promised
from .place import predictions_matrix, scenario_places


def load_ratio(scenario, run: dict, years: int | None = None) -> float:
    """Arrivals per planned place (reception the staff were sized for), weighted by arrivals: 1 when
    everyone goes where the plan expected them, above 1 when a rule concentrates them."""
    arrivals = np.asarray(run["placement"]["arrivals"], float).sum(0)
    planned = np.array([m.reception_agreement_per_year for m in scenario.municipalities.values()])
    per_year = arrivals / max(years or scenario.simulation.years, 1)
    ratio = per_year / np.maximum(planned, 0.5)
    return float((ratio * arrivals).sum() / max(arrivals.sum(), 1))


def run_gap(name: str, shares: list[float], slacks: list[float], replicates: int, seed: int | None,
            years: int | None, workers: int, progress: Callable[[str], None] | None = None,
            overrides: list | None = None) -> dict:
    """`overrides` ((key path, value) pairs) apply to every scenario of the study."""
    given = list(overrides or [])
    if load_scenario(name, given).placement is None:
        raise ScenarioError.single(name, None, "placement", "placement-gap needs a scenario with a 'placement:' block "
                                                             "(e.g. sweden_2018_optimised)")
    base = load_scenario(name, given + [("placement.rule", "settlement_act")])
    probe = load_scenario(name, given + [("placement.rule", "optimised")])
    assert probe.placement is not None and probe.placement.optimised.predicted is not None
    horizon = probe.placement.optimised.predicted.horizon_months
    points = [(s, k) for k in slacks for s in shares]
    scenarios = [base] + [load_scenario(name, given + [("placement.rule", "optimised"), ("placement.optimised.share", s),
                                               ("placement.optimised.capacity_slack", k)]) for s, k in points]
    seed = base.simulation.seed if seed is None else seed
    done = [0]

    def step(k: int) -> None:
        done[0] += k
        if progress:
            progress(f"  placement-gap: {done[0]}/{len(scenarios) * replicates} runs")

    figures = run_figures_of(scenarios, replicates, seed, years, workers, step, seeds_per_member=1)
    prob = predictions_matrix(probe, scenario_places(probe))
    key = f"first_job_{horizon}"

    def delivered(run):
        p = run["placement"]
        return float(np.sum(p[key]) / max(np.sum(p[f"observed_{horizon}"]), 1))

    base_runs = figures[0]
    rows = []
    for (share, slack), runs in zip(points, figures[1:]):
        prom = [promised(r, prob, horizon) - promised(b, prob, horizon) for r, b in zip(runs, base_runs)]
        deliv = [delivered(r) - delivered(b) for r, b in zip(runs, base_runs)]
        emp = {mo: [(r["employment"][mo] or 0) - (b["employment"][mo] or 0) for r, b in zip(runs, base_runs)]
               for mo in ("24", "36")}
        locals_ = [r["hires_by_other_job_seekers"] - b["hires_by_other_job_seekers"] for r, b in zip(runs, base_runs)]
        years_run = (years or base.simulation.years)
        rows.append({"share": share, "capacity_slack": slack,
                     "promised_gain": interval(prom), "delivered_gain": interval(deliv),
                     "gap": interval(list(np.array(prom) - np.array(deliv))),
                     "employment_gain": {mo: interval(v) for mo, v in emp.items()},
                     "load_ratio": interval([load_ratio(scenarios[0], r, years) for r in runs]),
                     "local_job_seekers_hires_per_year": interval(list(np.array(locals_) / years_run))})
    return {"scenario": name, "overrides": [f"{k}={v}" for k, v in given], "horizon_months": horizon, "replicates": replicates, "seed": seed,
            "baseline_first_job": interval([delivered(b) for b in base_runs]),
            "baseline_promised": interval([promised(b, prob, horizon) for b in base_runs]),
            "baseline_load_ratio": interval([load_ratio(scenarios[0], b, years) for b in base_runs]),
            "points": rows}


def gap_table(result: dict) -> str:
    h = result["horizon_months"]

    def pts(x: dict) -> str:
        return f"{100 * x['mean']:+.1f} ({100 * x['lo']:+.1f} to {100 * x['hi']:+.1f})"

    lines = [f"Optimised placement against the Settlement Act, same arrivals and seeds ({result['replicates']} "
             f"replicates): first paid job within {h} months, percentage points",
             f"Settlement Act: {100 * result['baseline_first_job']['mean']:.1f} % delivered, "
             f"{100 * result['baseline_promised']['mean']:.1f} % predicted; arrivals per planned place "
             f"{result['baseline_load_ratio']['mean']:.2f}", "",
             *([f"Every scenario with: {', '.join(result['overrides'])}"] if result.get("overrides") else []),
             "| share assigned | capacity slack | promised gain | delivered gain | gap (promised - delivered) "
             "| employed at 24 months | arrivals per planned place | local job seekers' hires a year |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in result["points"]:
        lines.append(f"| {r['share']:g} | {r['capacity_slack']:g} | {pts(r['promised_gain'])} | "
                     f"{pts(r['delivered_gain'])} | {pts(r['gap'])} | {pts(r['employment_gain']['24'])} | "
                     f"{r['load_ratio']['mean']:.2f} | {r['local_job_seekers_hires_per_year']['mean']:+.0f} |")
    lines += ["", "Promised: each person's predicted chance in the municipality they were sent to (the static "
              "match). Delivered: the simulated share, where the people sent to a place share its vacancies, "
              "internship places, coaches and courses with each other, with earlier arrivals and with local "
              "job seekers. Ranges: 5-95 % over paired replicates."]
    return "\n".join(lines)
