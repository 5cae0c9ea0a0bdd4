"""The fit report: targets observed against simulated, parameters with their regions, convergence,
slices, and warnings; HTML in the comparison report's style, with PNG figures beside it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ..config.annotate import field_description
from ..figure import legend, subplots
from ..page import e, img_beside, page, save_figure
from ..plots import COLOURS, LINESTYLES, MARKERS
from ..sources import expand
from .outputs import METRICS


def fmt_value(v: float | None, unit: str) -> str:
    if v is None:
        return "–"
    return f"{100 * v:.1f} %" if unit == "share" else f"{v:.1f}"


def plot_convergence(evals: list[dict], path: Path) -> Path:
    obj = np.array([e["objective"] for e in evals])
    gen = np.array([e["generation"] for e in evals])
    fig, ax = subplots(figsize=(7.5, 3.6))
    ax.scatter(np.arange(len(obj)), obj, s=8, color="#999", label="each point evaluated")
    ax.plot(np.minimum.accumulate(obj), color=COLOURS[0], linewidth=2, label="best so far")
    for g in np.unique(gen)[1:]:
        ax.axvline(np.argmax(gen == g), color="#ddd", linewidth=0.6, zorder=0)
    ax.set_yscale("symlog", linthresh=1.0)
    ax.set_ylim(bottom=0)
    ax.set_xlabel("points evaluated (vertical lines: generations)")
    ax.set_ylabel("objective")
    ax.set_title("Convergence")
    legend(ax, frameon=False)
    return save_figure(fig, path)


def plot_targets(rows: list[dict], path: Path) -> Path:
    """Each target's error in units of its tolerance, with the replicate interval; inside |z| <= 1."""
    fig, ax = subplots(figsize=(9, 0.45 * len(rows) + 1.6))
    ax.axvspan(-1, 1, color="#e8f0e8", zorder=0, label="inside the tolerance")
    ax.axvline(0, color="#555", linewidth=0.8)
    for i, r in enumerate(rows):
        if r["z"] is None:
            continue
        ax.errorbar(r["z"], i, xerr=[[r["z"] - r["z_lo"]], [r["z_hi"] - r["z"]]], fmt=MARKERS[i % len(MARKERS)],
                    color=COLOURS[i % len(COLOURS)], capsize=3)
    ax.set_yticks(range(len(rows)), [r["id"] for r in rows])
    ax.invert_yaxis()
    ax.set_xlabel("(simulated - observed) / tolerance;  one-sided targets: 0 inside the bound")
    ax.set_title("Error of each target: mean and 5th-95th percentile over replicates", fontsize=10)
    legend(ax, frameon=False, loc="lower right")
    return save_figure(fig, path)


def plot_slices(analysis: dict, spec: dict, path: Path) -> Path:
    names = list(analysis["slices"])
    cols = min(3, len(names))
    rows = int(np.ceil(len(names) / cols))
    fig, axes = subplots(rows, cols, figsize=(3.3 * cols, 2.7 * rows), squeeze=False)
    for k, name in enumerate(names):
        ax = axes[k // cols][k % cols]
        sl = analysis["slices"][name]
        ax.plot(sl["x"], sl["objective"], color=COLOURS[0], linestyle=LINESTYLES[0], marker="o", markersize=3,
                label="objective")
        ax.plot(sl["x"], sl["targets_only"], color=COLOURS[2], linestyle=LINESTYLES[1], marker="s", markersize=3,
                label="targets only (no prior)")
        ax.set_ylim(bottom=0)
        reg = analysis["region"][name]
        ax.axvspan(reg["lo"], reg["hi"], color="#e8e8f4", zorder=0)
        ax.axvline(analysis["fitted"][name], color="#333", linestyle="--", linewidth=1)
        ax.set_yscale("symlog", linthresh=1.0)
        ax.set_title(name.removeprefix("behaviour."), fontsize=9)
        ax.tick_params(labelsize=8)
    legend(axes[0][0], frameon=False, fontsize=7)
    for k in range(len(names), rows * cols):
        axes[k // cols][k % cols].axis("off")
    fig.suptitle("Objective along each parameter through the fitted point (dashed); shaded: ~68 % region",
                 fontsize=9)
    return save_figure(fig, path)


def plot_parameters(analysis: dict, spec: dict, path: Path) -> Path:
    names = list(analysis["fitted"])
    fig, ax = subplots(figsize=(7.5, 0.45 * len(names) + 1.2))
    for i, name in enumerate(names):
        p = spec["parameters"][name]
        lo, hi = p["low"], p["high"]
        reg = analysis["region"][name]
        ax.plot([0, 1], [i, i], color="#ccc", linewidth=6, solid_capstyle="butt")
        ax.plot([(reg["lo"] - lo) / (hi - lo), (reg["hi"] - lo) / (hi - lo)], [i, i], color=COLOURS[1], linewidth=6,
                solid_capstyle="butt")
        ax.plot((analysis["fitted"][name] - lo) / (hi - lo), i, "k|", markersize=16, markeredgewidth=2)
        ax.text(1.02, i, f"{analysis['fitted'][name]:.4g}  [{lo:g}, {hi:g}]", va="center", fontsize=8)
    ax.set_yticks(range(len(names)), [n.removeprefix("behaviour.") for n in names], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.45)
    ax.set_xticks([0, 0.5, 1], ["low", "", "high"])
    ax.set_title("Fitted value (|) and ~68 % region (dark) within the bounds (grey)")
    return save_figure(fig, path)


def target_rows(analysis: dict, targets: list) -> list[dict]:
    rows = []
    for t in targets:
        sim = analysis["targets"].get(t.id, {})
        m, lo, hi = sim.get("mean"), sim.get("lo"), sim.get("hi")

        def z(v, t=t):
            return None if v is None else t.error(v) / t.tolerance
        rows.append({"id": t.id, "scenario": t.describe(), "metric": t.metric, "target": t, "mean": m, "lo": lo,
                     "hi": hi if hi is not None else m, "z": z(m), "z_lo": z(lo if lo is not None else m),
                     "z_hi": z(hi if hi is not None else m), "inside": t.inside(m)})
    return rows


def _where(t) -> str:
    bits = []
    if t.month is not None:
        bits.append(f"month {t.month}")
    if t.months is not None:
        bits.append(f"months {t.months[0]}–{t.months[1]}")
    if t.sex:
        bits.append(t.sex)
    if t.municipality:
        bits.append(t.municipality)
    return ", ".join(bits)


def build_fit_report(folder: Path, spec: dict, targets: list, analysis: dict, log: dict, command: str,
                     fitted_file: str | None) -> Path:
    evals = log["evaluations"]
    rows = target_rows(analysis, targets)
    figs = {"targets": plot_targets(rows, folder / "targets.png"),
            "parameters": plot_parameters(analysis, spec, folder / "parameters.png"),
            "convergence": plot_convergence(evals, folder / "convergence.png")}
    if analysis["slices"]:
        figs["slices"] = plot_slices(analysis, spec, folder / "slices.png")
    warn = "".join(f"<li>{e(w['text'])}</li>" for w in analysis["warnings"])
    trows = []
    for r in rows:
        t = r["target"]
        unit = METRICS[t.metric][1]
        interval = (f"{fmt_value(r['lo'], unit)} – {fmt_value(r['hi'], unit)}" if r["lo"] is not None else "")
        obs = ({"value": "", "at_most": "≤ ", "at_least": "≥ "}[t.kind] + fmt_value(t.observed, unit))
        tol = fmt_value(t.tolerance, unit).replace(" %", " pts") if unit == "share" else f"{t.tolerance:g}"
        err = "–" if r["z"] is None else (f"{100 * t.error(r['mean']):+.1f} pts" if unit == "share"
                                          else f"{t.error(r['mean']):+.1f}")
        trows.append(
            f"<tr><td><b>{e(t.id)}</b><br><span class='small'>{e(t.describe())}: {e(METRICS[t.metric][0])}"
            f"{' (' + e(_where(t)) + ')' if _where(t) else ''}</span></td>"
            f"<td class='small'>“{e(t.definition)}”<br>{e(expand(t.source))}</td>"
            f"<td class='num'>{e(obs)}<br><span class='small'>± {e(tol)}</span></td>"
            f"<td class='num'>{e(fmt_value(r['mean'], unit))}<br><span class='small'>{e(interval)}</span></td>"
            f"<td class='num'>{e(err)}</td><td>{'yes' if r['inside'] else '<b>no</b>'}</td></tr>")
    prows = []
    for name, v in analysis["fitted"].items():
        p = spec["parameters"][name]
        reg = analysis["region"][name]
        flags = ", ".join(w["kind"] for w in analysis["warnings"] if w.get("parameter") == name) or "–"
        prior = f"{p['prior']['mean']:g} ± {p['prior']['sd']:g}" if p.get("prior") else "none"
        desc = field_description(tuple(name.split("."))) or ""
        prows.append(f"<tr><td><code>{e(name.removeprefix('behaviour.'))}</code><br><span class='small'>{e(desc)}</span></td>"
                     f"<td class='num'>{v:.4g}</td><td class='num'>{reg['lo']:.4g} – {reg['hi']:.4g}</td>"
                     f"<td class='num'>{p['low']:g} – {p['high']:g}</td><td class='num'>{e(prior)}</td><td>{e(flags)}</td></tr>")
    stopped = ("<p><b>Stopped early</b> (interrupted): the best point so far was kept; the slices and the "
               "replicate intervals were not computed.</p>" if log["stopped_early"] else "")
    n_near = next(iter(analysis["region"].values()))["points"] if analysis["region"] else 0
    body = f"""<h1>Calibration: {e(spec['name'])}</h1>
<p>{e(spec.get('description', ''))}</p>
<p>{len(targets)} targets, {len(analysis['fitted'])} free behavioural parameters, the same for every scenario.
{"Powell's method, from the spec's start point," if spec.get('method') == 'powell' else 'Differential evolution'}
evaluated {len(evals)} parameter points in {log['generations']} {"rounds" if spec.get('method') == 'powell' else "generations"}
({log['wall_s']:.0f} s), each with {spec['replicates']} replicates on common seeds (base seed {spec['seed']}).
Best objective {analysis['best_objective']:.3g} (sum of squared errors in tolerance units, plus priors).
{('Fitted values written to <code>' + e(fitted_file) + '</code>.') if fitted_file else ''}</p>
{stopped}
<h2>Warnings</h2>
{('<div class="warn"><ul>' + warn + '</ul></div>') if warn else '<p>None: every target inside its tolerance, every parameter constrained.</p>'}
<h2>Targets</h2>
<p>Simulated at the fitted values with {spec['report_replicates']} replicates on seeds the fit did not use: the mean,
and below it the 5th–95th percentile over replicates. One-sided targets (“under half”) are inside when the
mean is on the right side of the bound; their tolerance only scales the objective.</p>
<div class='wide'><table><tr><th>target</th><th>definition and source</th><th>observed</th><th>simulated</th>
<th>error</th><th>inside</th></tr>{''.join(trows)}</table></div>
{img_beside(figs['targets'], 'targets')}
<h2>Parameters</h2>
<p>The ~68 % region is the range of each parameter over all evaluated points whose objective is within 1 of the
best ({n_near} points): with target errors read as Gaussian with sd = tolerance, the objective is -2 log
posterior, so this approximates a 68 % interval. It is limited to what the optimiser visited.</p>
<div class='wide'><table><tr><th>parameter</th><th>fitted</th><th>~68 % region</th><th>bounds</th><th>prior</th>
<th>warnings</th></tr>{''.join(prows)}</table></div>
{img_beside(figs['parameters'], 'parameters')}
<h2>Convergence</h2>
{img_beside(figs['convergence'], 'convergence')}
{('<h2>Slices</h2><p>The objective along each parameter with the others at their fitted values (common seeds). '
  'A flat slice means the targets do not pin the parameter down.</p>' + img_beside(figs['slices'], 'slices')) if 'slices' in figs else ''}
<h2>Reproduce</h2><pre>{e(command)}</pre>
"""
    out = folder / "report.html"
    tmp = folder / "report.html.tmp"
    tmp.write_text(page(f"Calibration {spec['name']}", body), encoding="utf-8")
    tmp.replace(out)
    (folder / "fit.json").write_text(json.dumps({"spec": spec, "analysis": analysis,
                                                 "log": {k: v for k, v in log.items() if k != "evaluations"}},
                                                indent=2, default=str), encoding="utf-8")
    return out
