"""The sweep report: responses of the headline outputs to each dimension with bands over
replicates, heatmaps for pairs of grid dimensions, and the table of points; built from the
folder's runs.csv and points.csv, in the same self-contained HTML style as the comparison report."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pandas as pd

from ..figure import legend, subplots
from ..page import e, img_inline, page, save_figure
from ..plots import COLOURS, LINESTYLES, MARKERS

OUTPUTS = {
    "self_sufficiency_24": "Self-sufficient at 24 months",
    "self_sufficiency_36": "Self-sufficient at 36 months",
    "employment_24": "Employed at 24 months",
    "job_3_weeks_within_3_years": "Job of 3+ weeks within 3 years",
}
BINS = 8  # sampled designs: a dimension's values are grouped into this many quantile bins


def response(runs: pd.DataFrame, dim: str, out: str, grid: bool) -> pd.DataFrame:
    """Mean and 5th-95th band over replicates of `out`, by value (or bin) of `dim`."""
    d = runs[[dim, "replicate", out]].dropna()
    if not grid and pd.api.types.is_numeric_dtype(d[dim]) and d[dim].nunique() > BINS:
        d = d.assign(**{dim: pd.qcut(d[dim], BINS, duplicates="drop").apply(lambda iv: iv.mid).astype(float)})
    per_rep = d.groupby([dim, "replicate"])[out].mean().reset_index()
    return per_rep.groupby(dim)[out].agg(mean="mean", lo=lambda x: np.percentile(x, 5),
                                         hi=lambda x: np.percentile(x, 95)).reset_index()


def plot_dimension(runs: pd.DataFrame, dim: str, path_label: str, grid: bool, path: Path) -> Path:
    fig, ax = subplots(figsize=(6.5, 4))
    numeric = pd.api.types.is_numeric_dtype(runs[dim])
    for i, (col, label) in enumerate(OUTPUTS.items()):
        r = response(runs, dim, col, grid)
        x = r[dim].to_numpy() if numeric else np.arange(len(r))
        ax.fill_between(x, 100 * r["lo"], 100 * r["hi"], color=COLOURS[i], alpha=0.15, linewidth=0)
        ax.plot(x, 100 * r["mean"], color=COLOURS[i], linestyle=LINESTYLES[i % 4], marker=MARKERS[i], label=label)
        if not numeric:
            ax.set_xticks(x, [str(v) for v in r[dim]])
    ax.set_xlabel(f"{dim}  ({path_label})", fontsize=9)
    ax.set_ylabel("Per cent of refugees")
    ax.set_ylim(0, 100)
    ax.grid(True, color="0.85", linewidth=0.6)
    legend(ax, fontsize=7)
    return save_figure(fig, path)


def plot_heatmap(runs: pd.DataFrame, a: str, b: str, out: str, path: Path) -> Path:
    m = runs.groupby([a, b])[out].mean().unstack(b)
    fig, ax = subplots(figsize=(6.5, 4.5))
    im = ax.imshow(100 * m.to_numpy(), origin="lower", aspect="auto", cmap="viridis")
    ax.set_xticks(range(len(m.columns)), [f"{v:g}" if isinstance(v, float) else str(v) for v in m.columns])
    ax.set_yticks(range(len(m.index)), [f"{v:g}" if isinstance(v, float) else str(v) for v in m.index])
    ax.set_xlabel(b)
    ax.set_ylabel(a)
    for (i, j), v in np.ndenumerate(100 * m.to_numpy()):
        if not np.isnan(v):
            ax.text(j, i, f"{v:.0f}", ha="center", va="center", fontsize=8, color="white" if v < 50 else "black")
    fig.colorbar(im, ax=ax, label=f"{OUTPUTS[out]} (%)")
    ax.set_title(f"{OUTPUTS[out]}: mean over replicates", fontsize=10)
    return save_figure(fig, path)


def _parameters_text(spec: dict, runs: pd.DataFrame) -> str:
    """What a band over replicates holds: with an ensemble, parameter uncertainty too."""
    sets = runs["parameter_set"].dropna().nunique() if "parameter_set" in runs else 0
    if spec.get("parameters", "ensemble") == "ensemble" and sets:
        return (f"Replicate r ran with the posterior ensemble's parameter set for (sweep seed, r) ({sets} different sets "
                "drawn), the same at every point: the bands include what the calibration leaves uncertain about the "
                "behavioural parameters as well as the chance of a single run.")
    return ("Every run at one set of behavioural parameters (the fitted point estimate): the bands show the chance of "
            "a single run only, not what we do not know about the parameters.")


def build_sweep_report(folder: Path) -> Path:
    spec = json.loads((folder / "sweep.json").read_text(encoding="utf-8"))["sweep"]
    runs = pd.read_csv(folder / "runs.csv").drop(columns=["crc"])
    dims = list(spec["dimensions"])
    grid = spec["design"] == "grid"
    parts = []
    for k, dim in enumerate(dims):
        p = plot_dimension(runs, dim, spec["dimensions"][dim]["path"], grid, folder / f"response-{k}.png")
        parts.append(f"<h3>{e(dim)}</h3><p class='small'><code>{e(spec['dimensions'][dim]['path'])}</code></p>{img_inline(p)}")
    heat = []
    if grid and len(dims) >= 2:
        for k, (a, b) in enumerate(list(itertools.combinations(dims, 2))[:6]):
            p = plot_heatmap(runs, a, b, "self_sufficiency_24", folder / f"heatmap-{k}.png")
            heat.append(img_inline(p))
    cols = list(OUTPUTS)
    table = runs.groupby(["point", *dims])[cols].mean().reset_index()
    head = "".join(f"<th>{e(c)}</th>" for c in ["point", *dims] + [OUTPUTS[c] for c in cols])
    def cell(v):
        return f"{v:g}" if isinstance(v, float) else str(v)

    body = "".join("<tr>" + f"<td>{int(row['point'])}</td>" + "".join(f"<td>{e(cell(row[c]))}</td>" for c in dims)
                   + "".join(f"<td class='num'>{100 * row[c]:.1f}%</td>" if pd.notna(row[c]) else "<td>–</td>"
                             for c in cols) + "</tr>" for _, row in table.iterrows())
    body = f"""<h1>Sweep: {e(spec['name'])}</h1>
<p>Base scenario <code>{e(spec['base'])}</code>; design <b>{e(spec['design'])}</b> with {len(table)} points and
{spec['replicates']} replicates each ({len(runs)} runs); seeds <b>{e(spec['seeds'])}</b> from sweep seed {spec['seed']}.
{e(_parameters_text(spec, runs))}</p>
<h2>Response to each dimension</h2><p>For each value of a dimension (sampled designs: each bin of values), the mean
over the other dimensions, averaged over replicates; the band is the 5th–95th percentile over replicates.</p>
{''.join(parts)}
{'<h2>Pairs of dimensions</h2>' + ''.join(heat) if heat else ''}
<h2>Points</h2><p>Means over replicates.</p><div class='wide'><table><tr>{head}</tr>{body}</table></div>
"""
    out = folder / "report.html"
    tmp = folder / "report.html.tmp"
    tmp.write_text(page(f"Sweep {spec['name']}", body), encoding="utf-8")
    tmp.replace(out)
    return out
