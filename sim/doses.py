"""Dose-response: each lever at several levels across its schema range, against the scenario as it is.

Every level runs replicate r with the same seed and parameter set as the scenario itself (common
random numbers), so each point is a paired difference with a range. The curves show the shape a
lever's mechanism gives (saturating, its sign, no jump) and, where an evaluation measured that kind
of lever, the evidence band beside it (docs/EFFECTS.md, "Dose-response"). A lever whose curve
leaves its band is a finding about the model, not a result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from .config import Scenario, scenario_from_dict
from .config.base import deep_merge
from .runner import run_figures_of
from .stats import paired_interval

OUTCOME = ("employment", "24")
OUTCOME_LABEL = "employed at 24 months"


@dataclass(frozen=True)
class Evidence:
    """What an evaluation found for this kind of lever: an effect range (in shares) at a level,
    against the scenario's own level, or a slope per unit of the lever."""

    text: str
    at: float | None = None            # the level the range applies at (None: a slope)
    low: float = 0.0
    high: float = 0.0
    per_unit: bool = False             # low and high are per unit of the lever (a slope)
    at_times_own: bool = False         # `at` is a multiple of the scenario's own level


@dataclass(frozen=True)
class Dose:
    section: str                       # under each municipality: programme, staff, network, labour_market
    key: str
    label: str
    levels: tuple[float, ...]
    unit: str = ""
    also: dict = field(default_factory=dict)  # set in every variant (e.g. the allowance type)
    evidence: Evidence | None = None


# Evidence for kinds of levers (docs/SOURCES.md has the sources).
TIP = Evidence("TIP trial: caseloads of 35-40 instead of 200-250 (about 6 times the coaching), men +4.1 to "
               "+5.0 points in unsubsidised work at about 15 months; women none (Andersson Joona and Nekby "
               "2009)", at=6.0, low=0.0, high=0.05, at_times_own=True)
AZLOR = Evidence("1 point more unemployment: -0.9 to -1.7 points of employment 2-4 years after arrival "
                 "(Azlor, Damm and Schultz-Nielsen 2020)", low=-1.7, high=-0.9, per_unit=True)
JOBS = Evidence("twice the jobs near the first placement: +2.9 points 8-9 years later (Åslund, Östh and Zenou "
                "2010; read at 24 months here, so a guide only)", at=2.0, low=0.019, high=0.039)

DOSES: tuple[Dose, ...] = (
    Dose("staff", "coaches", "coaches (full time)", (0, 1, 4, 16, 64, 1000), "coaches", evidence=TIP),
    Dose("staff", "coach_share_at_employers", "coaches' time at employers", (0.0, 0.2, 0.4, 0.6, 0.8, 1.0), "share"),
    Dose("staff", "internship_coordinators", "internship coordinators", (0, 0.5, 1, 2, 4, 16), "coordinators"),
    Dose("programme", "hours_per_week", "programme hours a week", (0, 10, 20, 30, 40, 60), "hours"),
    Dose("programme", "plan_weeks", "weeks to the plan", (0, 4, 8, 16, 52), "weeks"),
    Dose("programme", "first_internship_week", "first internship week", (0, 6, 13, 26, 52, 104), "weeks"),
    Dose("programme", "summer_break_weeks", "summer break", (0, 4, 8, 12, 16), "weeks"),
    Dose("programme", "allowance_sek_per_week", "wage-like allowance a week", (1200, 1900, 2500, 3500), "SEK",
         also={"programme": {"allowance": "wage_like"}}),
    Dose("network", "host_families", "host families", (0, 10, 50, 200), "families"),
    Dose("labour_market", "unemployment_shift", "local unemployment (shift)", (-0.045, -0.02, 0.0, 0.02, 0.04, 0.055),
         "points", evidence=AZLOR),
    Dose("labour_market", "vacancy_scale", "vacancies open to newcomers", (0.5, 1.0, 1.5, 2.0, 3.0), "x",
         evidence=JOBS),
)


def _level_dict(data: dict, muni: str, dose: Dose, level: float) -> dict:
    over = {"municipalities": {muni: deep_merge(dose.also, {dose.section: {dose.key: level}})}}
    return deep_merge(data, over)


def dose_response(base: Scenario, replicates: int, seed: int, years: int | None = None, workers: int = 1,
                  progress: Callable[[int], None] | None = None, parameters: str = "ensemble",
                  doses: tuple[Dose, ...] = DOSES) -> dict[str, Any]:
    """Each dose's levels in every municipality of `base` at once, paired with `base` (or with
    `base` plus the dose's `also` settings, which are then the reference)."""
    data = base.model_dump(mode="json", by_alias=True)
    munis = list(base.municipalities)
    variants: list[Scenario] = [base]
    index: list[tuple[int, int, int, int]] = []  # (dose, level, its variant, its reference variant)
    for i, dose in enumerate(doses):
        ref = 0
        if dose.also:
            variants.append(scenario_from_dict(deep_merge(data, {"municipalities": {m: dose.also for m in munis}})))
            ref = len(variants) - 1
        for j, level in enumerate(dose.levels):
            d = data
            for m in munis:
                d = _level_dict(d, m, dose, level)
            variants.append(scenario_from_dict(d))
            index.append((i, j, len(variants) - 1, ref))
    figs = run_figures_of(variants, replicates, seed, years, workers, progress, parameters, seeds_per_member=1)
    key, sub = OUTCOME

    def values(f: list[dict]) -> list:
        return [r[key][sub] for r in f]

    rows = []
    for i, dose in enumerate(doses):
        points = []
        for di, j, v, ref in index:
            if di == i:
                got = [x for x in values(figs[v]) if x is not None]
                points.append({"level": dose.levels[j], "employment": float(np.mean(got)) if got else None,
                               "effect": paired_interval(values(figs[ref]), values(figs[v]))})
        ref_level = getattr(getattr(base.municipalities[munis[0]], dose.section), dose.key)
        rows.append({"lever": f"{dose.section}.{dose.key}", "label": dose.label, "unit": dose.unit,
                     "scenario_level": ref_level, "also": dose.also, "points": points,
                     "evidence": None if dose.evidence is None else dict(dose.evidence.__dict__)})
    return {"scenario": base.name, "title": base.display_title, "replicates": replicates, "seed": seed,
            "parameters": parameters, "outcome": OUTCOME_LABEL, "doses": rows}


def _pts(d: dict | None) -> str:
    if not d or d.get("mean") is None:
        return "–"
    return f"{100 * d['mean']:+.1f} ({100 * d['lo']:+.1f} to {100 * d['hi']:+.1f})"


def _level(x: float, unit: str) -> str:
    if unit == "points":
        return f"{100 * x:+g}"
    if unit == "share":
        return f"{100 * x:g} %"
    return f"{x:g}"


def evidence_band(row: dict, level: float) -> tuple[float, float] | None:
    """The evidence's range (in shares) at a level, where it says one."""
    ev = row.get("evidence")
    if not ev:
        return None
    if ev["per_unit"]:
        x = 100 * (level - row["scenario_level"]) if row["unit"] == "points" else level - row["scenario_level"]
        lo, hi = sorted((x * ev["low"] / 100, x * ev["high"] / 100))
        return lo, hi
    return (ev["low"], ev["high"]) if abs(level - evidence_level(row)) < 1e-9 else None


def evidence_level(row: dict) -> float:
    """Where an evidence range applies: at its level, or at that multiple of the scenario's own
    level (TIP: about six times the coaching)."""
    ev = row["evidence"]
    return ev["at"] * row["scenario_level"] if ev.get("at_times_own") else ev["at"]


def to_markdown(result: dict) -> str:
    lines = [f"**Dose-response in {result['title']}: {result['outcome']}**, difference from the scenario as it "
             f"is (percentage points; mean over {result['replicates']} paired replicates, 5th to 95th percentile "
             "in brackets). The scenario's own level is marked *.", ""]
    for row in result["doses"]:
        also = f" (with {row['also']})" if row["also"] else ""
        lines.append(f"- **{row['label']}** (`{row['lever']}`){also}: " + "; ".join(
            f"{_level(p['level'], row['unit'])}{'*' if p['level'] == row['scenario_level'] else ''}: "
            f"{_pts(p['effect'])}" for p in row["points"]))
        if row["evidence"]:
            lines.append(f"  - evidence: {row['evidence']['text']}")
    return "\n".join(lines) + "\n"


def plot(result: dict, path) -> None:
    """One panel per lever: the paired difference at each level (with its range) and the evidence
    band where there is one."""
    from .figure import subplots
    from .page import save_figure
    rows = result["doses"]
    cols = 4
    nrows = -(-len(rows) // cols)
    fig, axes = subplots(nrows, cols, figsize=(11, 2.5 * nrows), squeeze=False)
    for ax, row in zip(axes.flat, rows):
        xs = np.array([p["level"] for p in row["points"]], float)
        scale = 100.0 if row["unit"] in ("points", "share") else 1.0
        eff = [p["effect"] for p in row["points"]]
        ok = [i for i, d in enumerate(eff) if d.get("mean") is not None]
        m = np.array([100 * eff[i]["mean"] for i in ok])
        lo = np.array([100 * eff[i]["lo"] for i in ok])
        hi = np.array([100 * eff[i]["hi"] for i in ok])
        x = xs[ok] * scale
        ax.fill_between(x, lo, hi, color="0.85", label="5th-95th percentile")
        ax.plot(x, m, "o-", color="black", markersize=3, label="model")
        ev = row["evidence"]
        if ev and ev["per_unit"]:
            bands = [b for b in (evidence_band(row, level) for level in xs) if b is not None]
            ax.fill_between(xs * scale, [100 * b[0] for b in bands], [100 * b[1] for b in bands],
                            color="tab:red", alpha=0.25, label="evidence")
        elif ev:
            ax.errorbar(evidence_level(row) * scale, 50 * (ev["low"] + ev["high"]), yerr=50 * (ev["high"] - ev["low"]),
                        color="tab:red", capsize=3, linewidth=2, label="evidence")
        if xs.max() / max(xs[xs > 0].min() if (xs > 0).any() else 1, 1e-9) > 50:
            # A wide range (0 to 1,000 coaches) on a symmetric log axis, ticked at the levels in plain
            # numbers (the figure draws text as written, so no mathtext tick labels).
            ax.set_xscale("symlog", linthresh=1.0)
            ax.set_xticks(xs * scale)
            ax.set_xticklabels([f"{v:g}" for v in xs * scale])
            ax.minorticks_off()
        ax.axhline(0, color="black", linewidth=0.5)
        ax.axvline(row["scenario_level"] * scale, color="0.5", linewidth=0.6, linestyle=":")
        unit = {"points": "points of unemployment", "share": "%"}.get(row["unit"], row["unit"])
        ax.set_title(row["label"], fontsize=8)
        ax.set_xlabel(unit, fontsize=7)
        ax.tick_params(labelsize=7)
    for ax in list(axes.flat)[len(rows):]:
        ax.set_visible(False)
    axes.flat[0].set_ylabel("points", fontsize=7)
    handles, labels = [], []
    for ax in axes.flat:
        for h, lab in zip(*ax.get_legend_handles_labels()):
            if lab not in labels:
                handles.append(h)
                labels.append(lab)
    fig.legend(handles, labels, loc="lower right", fontsize=7)
    fig.suptitle(f"{result['title']}: each lever at several levels, {result['outcome']}, difference from the "
                 "scenario (dotted: its own level)", fontsize=9)
    save_figure(fig, path, dpi=110)
