"""Plots for policy readers, made from the tables in a results folder (never from a live model).

Every line has its own dash pattern and marker and every bar its own hatch, so the figures stay
readable when printed in black and white; bands show the 5th-95th percentile over replicates.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .figure import COLOURS, legend, subplots
from .headline import title_of
from .metrics import COSTS, STATE_PAYMENTS
from .page import save_figure
from .states import EDUCATION_NAMES, KORA_CATEGORIES

LINESTYLES = ["-", "--", ":", "-."]
MARKERS = ["o", "s", "^", "D", "v", "P"]
HATCHES = ["", "///", "...", "xxx", "\\\\\\", "+++", "ooo"]
BAND = (5, 95)
# A month's point is drawn only where enough people were observed at that duration; near the end
# of the run only the earliest arrivals are, and their share jumps about.
MIN_OBSERVED = 30
LABELS = {
    "self_sufficient": "Self-sufficient",
    "employed": "Employed (any paid work)",
    "occupied_off_support": "In work or education, off support",
    "passive_support": "On support, no work or education",
    "passive": "Passive (social assistance, no activity)", "guidance_upskilling": "Guidance, courses, SFI",
    "internship_subsidy": "Internship or subsidised job", "job": "Job", "education": "Education",
    "no_support": "No support", "left": "Moved away or left",
}
PAYMENT_LABELS = {
    "introduction_allowance": "Introduction allowance", "social_assistance": "Social assistance",
    "wage_subsidy": "Wage subsidies", "flat_rate_compensation": "Flat-rate compensation (state)",
    "stimulus_payment": "Stimulus payment (state)", "performance_bonus": "Performance bonus (state)",
    "staff": "Staff (coaches, coordinators)",
}


def _style(i: int) -> dict:
    return {"color": COLOURS[i % len(COLOURS)], "linestyle": LINESTYLES[i % len(LINESTYLES)],
            "marker": MARKERS[i % len(MARKERS)], "markevery": 6, "markersize": 4, "linewidth": 1.8}


def rate_curves(by_month: pd.DataFrame, metric: str, by: list[str] | None = None) -> pd.DataFrame:
    """Mean and band over replicates of the share with `metric`, by month (and `by` columns)."""
    keys = ["scenario", "replicate", "months_since_arrival"] + (by or [])
    g = by_month.groupby(keys, sort=False)[["observed", metric]].sum().reset_index()
    g = g[g["observed"] > 0]
    g["rate"] = g[metric] / g["observed"]
    out = g.groupby(["scenario", "months_since_arrival"] + (by or []), sort=False).agg(
        mean=("rate", "mean"), lo=("rate", lambda x: np.percentile(x, BAND[0])),
        hi=("rate", lambda x: np.percentile(x, BAND[1])), observed=("observed", "mean"))
    return out.reset_index().query("observed >= @MIN_OBSERVED")


def _curve(ax, df: pd.DataFrame, i: int, label: str) -> None:
    df = df.sort_values("months_since_arrival")
    x = df["months_since_arrival"].to_numpy()
    ax.fill_between(x, 100 * df["lo"], 100 * df["hi"], color=COLOURS[i % len(COLOURS)], alpha=0.15, linewidth=0)
    ax.plot(x, 100 * df["mean"], label=label, **_style(i))


def _axes(ax, title: str) -> None:
    ax.set_title(title, fontsize=10)
    ax.set_xlabel("Months since arrival")
    ax.set_ylabel("Per cent of refugees")
    ax.set_ylim(0, 100)
    ax.set_xlim(left=0)
    ax.grid(True, color="0.85", linewidth=0.6)


OUTCOMES = ("self_sufficient", "employed", "occupied_off_support", "passive_support")


def plot_outcomes(by_month: pd.DataFrame, scenarios: list[str], path: Path, titles: dict[str, str] | None = None) -> Path:
    """Self-sufficient and employed (top), in work or education off support and on support
    without either (bottom), by months since arrival. A results folder from before the last two
    were recorded draws the top row only."""
    titles = titles or {}
    metrics = [m for m in OUTCOMES if m in by_month.columns]
    rows = (len(metrics) + 1) // 2
    fig, axes = subplots(rows, 2, figsize=(10, 4 * rows), squeeze=False)
    for ax, metric in zip(axes.flat, metrics):
        c = rate_curves(by_month, metric)
        for i, s in enumerate(scenarios):
            _curve(ax, c[c["scenario"] == s], i, titles.get(s, s))
        _axes(ax, LABELS[metric])
    legend(axes[0, 0], fontsize=8, loc="upper left")
    return save_figure(fig, path)


def plot_by_group(by_month: pd.DataFrame, scenarios: list[str], column: str, values: list[str], path: Path,
                  titles: dict[str, str] | None = None) -> Path:
    titles = titles or {}
    # Common axes: groups are compared by eye, so every panel has the same scales.
    fig, axes = subplots(2, len(values), figsize=(3.2 * len(values) + 1, 6.5), squeeze=False, sharex=True, sharey=True)
    last_month = 1.0
    for row, metric in enumerate(("self_sufficient", "employed")):
        c = rate_curves(by_month, metric, [column])
        if len(c):
            last_month = max(last_month, float(c["months_since_arrival"].max()))
        for col, v in enumerate(values):
            ax = axes[row, col]
            drawn = 0
            for i, s in enumerate(scenarios):
                d = c[(c["scenario"] == s) & (c[column] == v)]
                if len(d):
                    _curve(ax, d, i, titles.get(s, s))
                    drawn += 1
            if not drawn:
                ax.text(0.5, 0.5, f"too few people\n(under {MIN_OBSERVED} in a month)", ha="center", va="center",
                        transform=ax.transAxes, fontsize=8, color="0.4")
            _axes(ax, f"{LABELS[metric]}:\n{v.replace('_', ' ')}")
    for ax in axes.flat:  # shared, so an empty panel must not set the range
        ax.set_xlim(0, last_month)
        ax.label_outer()
    legend(axes[0, 0], fontsize=7, loc="upper left")
    return save_figure(fig, path)


def plot_kora(summaries: list[dict], path: Path) -> Path:
    fig, ax = subplots(figsize=(10, 1.2 + 0.7 * len(summaries)))
    names = [title_of(s) for s in summaries]
    left = np.zeros(len(summaries))
    for j, cat in enumerate(KORA_CATEGORIES):
        w = np.array([s["weeks_in_state_first_3_years"].get(cat) or 0.0 for s in summaries])
        ax.barh(names, w, left=left, label=LABELS[cat], hatch=HATCHES[j % len(HATCHES)],
                color=COLOURS[j % len(COLOURS)], edgecolor="black", linewidth=0.5)
        for k, (x0, wk) in enumerate(zip(left, w)):
            if wk >= 8:
                ax.text(x0 + wk / 2, k, f"{wk:.0f}", ha="center", va="center", fontsize=8,
                        bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5})
        left += w
    ax.set_xlabel("Weeks in each state over the first three years after arrival (mean)")
    ax.set_xlim(0, 156)
    ax.invert_yaxis()
    legend(ax, fontsize=7, ncol=4, loc="upper center", bbox_to_anchor=(0.5, -0.35 if len(summaries) < 3 else -0.2))
    return save_figure(fig, path)


def payment_totals(timeseries: pd.DataFrame) -> pd.DataFrame:
    """Mean over replicates of each payment summed over the run, per scenario and municipality."""
    pay = timeseries[timeseries["metric"].str.startswith("payment_")]
    tot = pay.groupby(["scenario", "replicate", "municipality", "metric"], sort=False)["value"].sum().reset_index()
    tot = tot.groupby(["scenario", "municipality", "metric"], sort=False)["value"].mean().reset_index()
    tot["payment"] = tot["metric"].str.removeprefix("payment_").str.removesuffix("_sek")
    return tot


def arrivals_by_municipality(by_month: pd.DataFrame) -> pd.DataFrame:
    """Mean number of refugees who arrived in each scenario's municipalities (everyone is observed
    in their month of arrival)."""
    m0 = by_month[by_month["months_since_arrival"] == 0]
    n = m0.groupby(["scenario", "replicate", "municipality"], sort=False)["observed"].sum().reset_index()
    return n.groupby(["scenario", "municipality"], sort=False)["observed"].mean().rename("refugees").reset_index()


def plot_costs(timeseries: pd.DataFrame, by_month: pd.DataFrame, scenarios: list[str], path: Path,
               titles: dict[str, str] | None = None, labels: dict[tuple[str, str], str] | None = None) -> Path:
    """Spending (left) and the state's payments to the municipality (right) per refugee who
    arrived, per scenario and municipality, stacked by kind: per refugee, so that scenarios of
    different sizes can stand side by side (those of different lengths still cannot)."""
    titles, labels = titles or {}, labels or {}
    tot = payment_totals(timeseries)
    refugees = arrivals_by_municipality(by_month).set_index(["scenario", "municipality"])["refugees"]
    bars = tot[["scenario", "municipality"]].drop_duplicates()
    bars["order"] = bars["scenario"].map({s: i for i, s in enumerate(scenarios)})
    bars = bars.sort_values(["order", "municipality"])
    several = bars["municipality"].nunique() > 1 or bars.groupby("scenario").size().max() > 1
    ticks = [titles.get(s, s) + (f"\n{labels.get((s, m), m)}" if several else "")
             for s, m in zip(bars["scenario"], bars["municipality"])]
    per = np.array([max(float(refugees.get((s, m), 0.0)), 1.0) for s, m in zip(bars["scenario"], bars["municipality"])])
    width = max(5, 0.9 * len(bars) + 2.5)
    fig, axes = subplots(1, 2, figsize=(2 * width, 4.8))
    for ax, kinds, title in ((axes[0], COSTS, "Spending on the introduction"),
                             (axes[1], STATE_PAYMENTS, "The state's payments to the municipality")):
        bottom = np.zeros(len(bars))
        for j, p in enumerate(kinds):
            v = np.array([tot[(tot["scenario"] == s) & (tot["municipality"] == m) & (tot["payment"] == p)]["value"].sum()
                          for s, m in zip(bars["scenario"], bars["municipality"])]) / per / 1e3
            ax.bar(range(len(bars)), v, bottom=bottom, label=PAYMENT_LABELS[p], hatch=HATCHES[j % len(HATCHES)],
                   color=COLOURS[j % len(COLOURS)], edgecolor="black", linewidth=0.5)
            bottom += v
        ax.set_xticks(range(len(bars)), ticks, fontsize=7, rotation=30 if len(bars) > 4 else 0, ha="right" if len(bars) > 4 else "center")
        ax.set_ylabel("Thousand SEK per refugee who arrived (mean)")
        ax.set_title(title, fontsize=10)
        ax.grid(True, axis="y", color="0.85", linewidth=0.6)
        ax.set_ylim(0, max(float(bottom.max()), 1.0) * 1.05)
        # Below the bars, never over them.
        legend(ax, fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.16 if len(bars) <= 4 else -0.3), ncol=2)
    return save_figure(fig, path)


def plot_municipalities(by_month: pd.DataFrame, scenario: str, path: Path, title: str | None = None,
                        labels: dict[str, str] | None = None) -> Path:
    labels = labels or {}
    d = by_month[by_month["scenario"] == scenario]
    munis = list(dict.fromkeys(d["municipality"]))
    fig, axes = subplots(1, 2, figsize=(10, 4))
    for ax, metric in zip(axes, ("self_sufficient", "employed")):
        c = rate_curves(d, metric, ["municipality"])
        for i, m in enumerate(munis):
            _curve(ax, c[c["municipality"] == m], i, labels.get(m, m))
        _axes(ax, f"{LABELS[metric]}: {title or scenario}, by municipality of residence")
    legend(axes[0], fontsize=7, loc="upper left")
    return save_figure(fig, path)


def make_plots(folder: Path, summaries: list[dict], municipality_labels: dict[str, dict[str, str]] | None = None) -> dict[str, Path]:
    """Every plot of a results folder; returns {name: path}. `municipality_labels` maps each
    scenario's municipality keys to their names for people."""
    by_month = pd.read_csv(folder / "by_month.csv")
    timeseries = pd.read_csv(folder / "timeseries.csv.gz")
    scenarios = [s["scenario"] for s in summaries]
    titles = {s["scenario"]: title_of(s) for s in summaries}
    mlabels = municipality_labels or {}
    pair_labels = {(s, k): v for s, d in mlabels.items() for k, v in d.items()}
    out = {
        "outcomes": plot_outcomes(by_month, scenarios, folder / "outcomes.png", titles),
        "by_sex": plot_by_group(by_month, scenarios, "sex", ["female", "male"], folder / "by_sex.png", titles),
        "by_education": plot_by_group(by_month, scenarios, "education", EDUCATION_NAMES, folder / "by_education.png", titles),
        "weeks_in_state": plot_kora(summaries, folder / "weeks_in_state.png"),
        "costs": plot_costs(timeseries, by_month, scenarios, folder / "costs.png", titles, pair_labels),
    }
    for s in scenarios:
        if by_month[by_month["scenario"] == s]["municipality"].nunique() > 1:
            out[f"municipalities_{s}"] = plot_municipalities(by_month, s, folder / f"municipalities-{s}.png",
                                                             titles[s], mlabels.get(s))
    return out
