"""Lever by lever: what each difference between two scenarios does on its own.

For a base scenario (say the typical municipality) and another (the ten proposals), every value
that differs is a lever. Each is switched on alone in the base and off alone in the other, and all
variants run with the same replicate seeds (common random numbers), so each lever's effect is a
paired difference with an interval. When the single effects add up to much more than the whole,
the levers overlap (they act on the same people); when they add up to less, they reinforce each
other. The evidence column says what trials, reforms and registers found for that kind of lever.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from .config import Scenario, scenario_from_dict
from .config.annotate import flatten
from .runner import run_figures_of
from .stats import paired_interval

# Values that name or describe a scenario rather than change it.
NOT_LEVERS = {("name",), ("title",), ("description",), ("parameters",), ("simulation", "seed")}
DELETED = object()

# (figure, sub-key, label, unit): the outcomes each lever is read on.
OUTCOMES = [
    ("employment", "12", "employed at 12 months", "pts"),
    ("employment", "24", "employed at 24 months", "pts"),
    ("employment", "36", "employed at 36 months", "pts"),
    ("employment", "60", "employed at 60 months", "pts"),
    ("self_sufficiency", "24", "self-sufficient at 24 months", "pts"),
    ("employment_during_year", "2", "any work during year 2", "pts"),
    ("costs_sek_per_refugee", None, "spending per refugee", "SEK"),
]
HEADLINE = ("employment", "24")

# What evaluations found for each kind of lever (docs/SOURCES.md has the sources); the model's
# single effects are to be read against these.
EVIDENCE = {
    "job_focus": "TIP trial (randomised; job focus, coaches at employers, early plan and internship "
                 "together): men +4 to +5 pts in unsubsidised work, women none (Andersson Joona and Nekby 2009)",
    "plan_weeks": "part of the TIP bundle (above)",
    "coaches": "part of the TIP bundle (above)",
    "coach_share_at_employers": "part of the TIP bundle (above)",
    "first_internship_week": "part of the TIP bundle; early on-the-job training: gone 2-3 years after "
                             "arrival (Arendt 2020/22)",
    "hours_per_week": "the 2010 reform (full time, wage-like allowance, no offset, labour-market "
                      "organisation together): +1.8 pts any work in year 2, +2.7 in year 3 (Andersson "
                      "Joona, Lanninger and Sundström 2016); SFI lowers employment in the first years "
                      "(IFAU 2010:10)",
    "allowance": "part of the 2010 reform bundle (above)",
    "sanctions": "part of the 2010 reform bundle (above)",
    "income_offset": "part of the 2010 reform bundle (above)",
    "organisation": "part of the 2010 reform bundle (above)",
    "alternate_sfi_with_internship": "about 1 in 4 SFI interns got a job (Vårt Göteborg about 2009); "
                                     "internships bring refugees closer to jobs (KORA 2016)",
    "internship_coordinators": "internships and wage subsidies bring refugees closer to jobs (KORA 2016)",
    "own_staff_internship_share": "internships bring refugees closer to jobs (KORA 2016)",
    "partner_municipalities": "agency work is a stepping stone for immigrants (Andersson and Wadensjö "
                              "2004); no effect size",
    "validation": "no evaluation found",
    "vocational_sfi": "no evaluation found",
    "summer_courses": "no evaluation found",
    "summer_course_hours": "no evaluation found",
    "competence_matched_followup": "no evaluation found",
    "employer_network_strength": "no evaluation found",
    "host_families": "no evaluation found",
    "three_year_agreement": "money to the municipality only",
}


@dataclass
class Lever:
    path: tuple[str, ...]
    base: Any    # value in the base scenario (DELETED: absent there)
    other: Any   # value in the other scenario

    @property
    def name(self) -> str:
        return ".".join(self.path)

    def evidence(self) -> str:
        return EVIDENCE.get(self.path[-1], "")


def lever_differences(base: Scenario, other: Scenario) -> list[Lever]:
    """Every value that differs between the two scenarios (labels and names excepted)."""
    a = flatten(base.model_dump(mode="json", by_alias=True))
    b = flatten(other.model_dump(mode="json", by_alias=True))
    levers = []
    for path in sorted(set(a) | set(b)):
        if path in NOT_LEVERS or path[-1] == "label":
            continue
        va, vb = a.get(path, DELETED), b.get(path, DELETED)
        if va != vb:
            levers.append(Lever(path, va, vb))
    return levers


def _set(data: dict, path: tuple[str, ...], value: Any) -> dict:
    data = copy.deepcopy(data)
    node = data
    for k in path[:-1]:
        node = node.setdefault(k, {})
    if value is DELETED:
        node.pop(path[-1], None)
    else:
        node[path[-1]] = value
    return data


def lever_effects(base: Scenario, other: Scenario, replicates: int, seed: int, years: int | None = None,
                  workers: int = 1, progress: Callable[[int], None] | None = None,
                  parameters: str = "ensemble") -> dict:
    """Each lever switched on alone in `base` and off alone in `other`, paired over replicates
    (with an ensemble, replicate r of every variant has the same parameter set)."""
    levers = lever_differences(base, other)
    da = base.model_dump(mode="json", by_alias=True)
    db = other.model_dump(mode="json", by_alias=True)
    variants = [base, other]
    variants += [scenario_from_dict(_set(da, lv.path, lv.other)) for lv in levers]
    variants += [scenario_from_dict(_set(db, lv.path, lv.base)) for lv in levers]
    # One draw from the ensemble per replicate (seeds_per_member=1), as docs/EFFECTS.md was made: its
    # ranges are what one municipality may see; `compare` gives the expected effect apart (sim.ranges).
    figs = run_figures_of(variants, replicates, seed, years, workers, progress, parameters, seeds_per_member=1)
    base_f, other_f = figs[0], figs[1]
    on = figs[2:2 + len(levers)]
    off = figs[2 + len(levers):]

    def diff(x: list[dict], y: list[dict]) -> dict:
        return {label: paired_interval([_get(r, k, sub) for r in x], [_get(r, k, sub) for r in y])
                for k, sub, label, _ in OUTCOMES}

    rows = []
    for i, lv in enumerate(levers):
        rows.append({"lever": lv.name, "base": lv.base if lv.base is not DELETED else None,
                     "other": lv.other if lv.other is not DELETED else None, "evidence": lv.evidence(),
                     "on_alone": diff(base_f, on[i]), "off_alone": diff(off[i], other_f)})
    return {"base": base.name, "other": other.name, "replicates": replicates, "seed": seed,
            "outcomes": [label for _, _, label, _ in OUTCOMES], "total": diff(base_f, other_f),
            "levers": rows}


def _get(figures: dict, key: str, sub: str | None):
    v = figures[key]
    return v if sub is None else (v or {}).get(sub)


def headline_label() -> str:
    k, sub = HEADLINE
    return next(label for kk, ss, label, _ in OUTCOMES if (kk, ss) == (k, sub))


def sums(result: dict, outcome: str) -> tuple[float | None, float | None]:
    """The single effects added up: (on alone, off alone) for one outcome."""
    def total(kind):
        vals = [r[kind][outcome]["mean"] for r in result["levers"]]
        return None if any(v is None for v in vals) else float(sum(vals))
    return total("on_alone"), total("off_alone")


# --- writing -----------------------------------------------------------------------------------

def _pts(d: dict | None, unit: str) -> str:
    if not d or d.get("mean") is None:
        return "–"
    if unit == "SEK":
        return f"{d['mean']:+,.0f} ({d['lo']:+,.0f} to {d['hi']:+,.0f})"
    return f"{100 * d['mean']:+.1f} ({100 * d['lo']:+.1f} to {100 * d['hi']:+.1f})"


def _value(v) -> str:
    if isinstance(v, list):
        return ", ".join(map(str, v)) or "none"
    return "–" if v is None else str(v)


def to_markdown(result: dict, outcome: str | None = None) -> str:
    """The effects table as Markdown: the whole difference, then each lever on alone in the base
    and off alone in the other, with the evidence for its kind."""
    outcome = outcome or headline_label()
    unit = next(u for _, _, label, u in OUTCOMES if label == outcome)
    on_sum, off_sum = sums(result, outcome)
    lines = [
        f"**{result['other']} minus {result['base']}, {outcome}** (percentage points; mean over "
        f"{result['replicates']} paired replicates, 5th to 95th percentile in brackets). "
        + (result.get("uncertainty") or {}).get("text", "Ranges: replicate noise only, not the uncertainty of the "
                                                       "model's parameters."),
        "",
        f"- all levers together: **{_pts(result['total'][outcome], unit)}**",
    ]
    if on_sum is not None and off_sum is not None:
        lines.append(f"- the single effects added up: {100 * on_sum:+.1f} switched on alone in "
                     f"{result['base']}, {100 * off_sum:+.1f} switched off alone in {result['other']}")
    lines += ["", f"| lever | {result['base']} | {result['other']} | on alone in {result['base']} | "
                  f"off alone in {result['other']} (its loss) | evidence |",
              "| --- | --- | --- | --- | --- | --- |"]
    for r in result["levers"]:
        lines.append(f"| `{r['lever']}` | {_value(r['base'])} | {_value(r['other'])} | "
                     f"{_pts(r['on_alone'][outcome], unit)} | {_pts(r['off_alone'][outcome], unit)} | "
                     f"{r['evidence'] or '–'} |")
    return "\n".join(lines) + "\n"


def plot(result: dict, path, outcome: str | None = None) -> None:
    """Each lever's effect on alone and off alone, with intervals; the whole at the top."""
    from .figure import legend, subplots
    from .page import save_figure
    outcome = outcome or headline_label()
    rows = [("all levers together", result["total"][outcome], None)]
    rows += [(r["lever"].split(".", 2)[-1], r["on_alone"][outcome], r["off_alone"][outcome])
             for r in result["levers"]]
    fig, ax = subplots(figsize=(8.5, 0.32 * len(rows) + 1.4))
    y = np.arange(len(rows))[::-1]
    for yi, (_, on, off) in zip(y, rows):
        for d, dy, style, name in ((on, 0.15, dict(color="black", marker="o"), "on alone"),
                                   (off, -0.15, dict(color="grey", marker="s", mfc="white"), "off alone")):
            if d and d.get("mean") is not None:
                ax.errorbar(100 * d["mean"], yi + (dy if off is not None or d is not on else 0),
                            # at least 0: with every replicate's difference equal, rounding can put
                            # the mean a hair outside its own percentiles
                            xerr=[[max(100 * (d["mean"] - d["lo"]), 0.0)], [max(100 * (d["hi"] - d["mean"]), 0.0)]],
                            capsize=2, linestyle="none", markersize=4, **style,
                            label=name if yi == y[1] else None)
    ax.axvline(0, color="black", linewidth=0.6)
    ax.set_yticks(y)
    ax.set_yticklabels([r[0] for r in rows], fontsize=7)
    ax.set_xlabel(f"{outcome}: difference in percentage points (5th-95th percentile over replicates)")
    ax.set_title(f"{result['other']} against {result['base']}, lever by lever", fontsize=9)
    legend(ax, fontsize=7, loc="lower right")
    save_figure(fig, path, dpi=120)
