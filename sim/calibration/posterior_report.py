"""The report of a Bayesian calibration: every target against its posterior predictive interval,
the marginal and pairwise posteriors against the priors, what the targets leave unconstrained, which
targets pull against each other, the waves of history matching, and the held-out checks."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ..config.annotate import field_description
from ..figure import legend, subplots
from ..page import e, img_beside, page, save_figure
from ..plots import COLOURS
from ..sources import expand
from .outputs import METRICS, figure_text
from .report import _where


def _z(t, v, sd):
    return None if v is None else (v - t.observed) / sd


def plot_predictive(targets: list, analysis: dict, path: Path) -> Path:
    """Each target: the 90 % posterior predictive interval (thin) and the ensemble's 90 % range of
    the expected figure (thick), in units of the target's observation error (the source's and the
    discrepancy) around the observed value (0)."""
    fig, ax = subplots(figsize=(9, 0.42 * len(targets) + 1.6))
    ax.axvline(0, color="#555", linewidth=0.8)
    ax.axvspan(-1, 1, color="#e8f0e8", zorder=0, label="within one observation error")
    for i, t in enumerate(targets):
        r = analysis["targets"].get(t.id, {})
        if r.get("mean") is None:
            continue
        sd = r["observation_sd"]
        colour = "#999" if r["weight"] == 0 else (COLOURS[0] if r["inside_ppi"] else "#c0392b")
        ax.plot([_z(t, r["lo"], sd), _z(t, r["hi"], sd)], [i, i], color=colour, linewidth=1.2,
                label="90 % posterior predictive" if i == 0 else None)
        ax.plot([_z(t, r["sim_lo"], sd), _z(t, r["sim_hi"], sd)], [i, i], color=colour, linewidth=4, alpha=0.7,
                label="90 % of the expected figure" if i == 0 else None)
        ax.plot(_z(t, r["mean"], sd), i, "o", color="white", markeredgecolor=colour)
        if t.kind != "value":
            ax.annotate("≤ bound" if t.kind == "at_most" else "≥ bound", (0, i), xytext=(4, 3),
                        textcoords="offset points", fontsize=7, color="#555")
    ax.set_yticks(range(len(targets)), [t.id + (" (weight 0)" if analysis["targets"].get(t.id, {}).get("weight") == 0
                                                else "") for t in targets], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("(simulated - observed) / observation error; the observed value at 0")
    ax.set_title("Targets: observed against the posterior predictive (red: outside its 90 % interval)", fontsize=10)
    legend(ax, frameon=False, loc="lower right", fontsize=8)
    return save_figure(fig, path)


def _prior_curve(spec, name: str, xs: np.ndarray) -> np.ndarray:
    p = spec.parameters[name]
    if p.prior is None:
        return np.full_like(xs, 1.0 / (p.high - p.low))
    from scipy.stats import truncnorm
    a, b = (p.low - p.prior.mean) / p.prior.sd, (p.high - p.prior.mean) / p.prior.sd
    return truncnorm.pdf(xs, a, b, loc=p.prior.mean, scale=p.prior.sd)


def plot_marginals(spec, names: list[str], values: np.ndarray, point: int, analysis: dict, path: Path) -> Path:
    cols = 4
    rows = -(-len(names) // cols)
    fig, axes = subplots(rows, cols, figsize=(11, 2.3 * rows), squeeze=False)
    for i, name in enumerate(names):
        ax = axes[i // cols][i % cols]
        p = spec.parameters[name]
        ax.hist(values[:, i], bins=24, range=(p.low, p.high), density=True, color=COLOURS[0], alpha=0.6,
                label="posterior")
        xs = np.linspace(p.low, p.high, 200)
        ax.plot(xs, _prior_curve(spec, name, xs), color="#333", linewidth=1, label="prior")
        ax.axvline(values[point, i], color="#c0392b", linewidth=1, label="point estimate")
        flag = " (unconstrained)" if analysis["parameters"][name]["unconstrained"] else ""
        ax.set_title(name.removeprefix("behaviour.") + flag, fontsize=8)
        ax.tick_params(labelsize=7)
        ax.set_yticks([])
    for j in range(len(names), rows * cols):
        axes[j // cols][j % cols].axis("off")
    legend(axes[0][0], frameon=False, fontsize=7)
    return save_figure(fig, path)


def plot_pairs(names: list[str], values: np.ndarray, path: Path, pairs: int = 6) -> tuple[Path, list[tuple]]:
    """The correlation matrix of the posterior, and scatter plots of its most correlated pairs."""
    corr = np.corrcoef(values.T)
    d = len(names)
    order = sorted(((abs(corr[a, b]), a, b) for a in range(d) for b in range(a + 1, d)), reverse=True)[:pairs]
    fig = subplots(figsize=(11, 5.2))[0]
    fig.clf()
    gs = fig.add_gridspec(2, 5)
    ax = fig.add_subplot(gs[:, :2])
    im = ax.imshow(corr, cmap="RdBu_r", vmin=-1, vmax=1)
    short = [n.split(".")[-1][:18] for n in names]
    ax.set_xticks(range(d), short, rotation=90, fontsize=6)
    ax.set_yticks(range(d), short, fontsize=6)
    ax.set_title("posterior correlations", fontsize=9)
    fig.colorbar(im, ax=ax, fraction=0.04)
    for k, (_, a, b) in enumerate(order):
        sub = fig.add_subplot(gs[k // 3, 2 + k % 3])
        sub.scatter(values[:, a], values[:, b], s=4, alpha=0.5, color=COLOURS[0])
        sub.set_xlabel(short[a], fontsize=7)
        sub.set_ylabel(short[b], fontsize=7)
        sub.set_title(f"r = {corr[a, b]:+.2f}", fontsize=8)
        sub.tick_params(labelsize=6)
    return save_figure(fig, path), [(names[a], names[b], float(corr[a, b])) for _, a, b in order]


def _target_rows(targets: list, analysis: dict) -> str:
    rows = []
    for t in targets:
        r = analysis["targets"].get(t.id, {})

        def f(v, t=t, signed=False):
            return figure_text(v, t.metric, t.comparison, t.relative, signed)
        obs = {"value": "", "at_most": "≤ ", "at_least": "≥ "}[t.kind] + f(t.observed)
        tol = f(r["observation_sd"], signed=True).replace("+", "") if r.get("mean") is not None else ""
        if r.get("mean") is None:
            rows.append(f"<tr><td><b>{e(t.id)}</b></td><td></td><td class='num'>{e(obs)}</td><td colspan=4>not measured</td></tr>")
            continue
        verdict = ("shown, not fitted (weight 0)" if r["weight"] == 0 else "") + (
            "" if r["inside_ppi"] else (" — " if r["weight"] == 0 else "") + "<b>outside</b>")
        rows.append(
            f"<tr><td><b>{e(t.id)}</b><br><span class='small'>{e(t.describe())}: {e(METRICS[t.metric][0])}"
            f"{' (' + e(_where(t)) + ')' if _where(t) else ''}</span></td>"
            f"<td class='small'>“{e(t.definition)}”<br>{e(expand(t.source))}</td>"
            f"<td class='num'>{e(obs)}<br><span class='small'>± {e(tol)}</span></td>"
            f"<td class='num'>{e(f(r['mean']))}</td>"
            f"<td class='num'>{e(f(r['lo']))} to {e(f(r['hi']))}</td>"
            f"<td class='num'>{e(f(r['sim_lo']))} to {e(f(r['sim_hi']))}</td>"
            f"<td>{'holds it' if r['inside_ppi'] else ''}{verdict}</td></tr>")
    return "".join(rows)


def _least_sure(wave: dict, n: int = 4) -> str:
    """A wave's least sure emulators: leave-one-out error in units of each target's observation error."""
    ratio = wave["emulator_sd_over_observation_sd"]
    return ", ".join(f"{k} {v:.2g}" for k, v in sorted(ratio.items(), key=lambda kv: -kv[1])[:n])


def _held_out_section(held_out: list[dict]) -> str:
    if not held_out:
        return "<p>The spec names no held-out targets files.</p>"
    out = []
    for block in held_out:
        rows = []
        for r in block["rows"]:
            def f(v, r=r, signed=False):
                return figure_text(v, r["metric"], r["comparison"], r["relative"], signed)
            held = r.get("inside_90")
            sign = {"value": "", "at_most": "≤ ", "at_least": "≥ "}[r["kind"]]
            lo, hi = r.get("predictive_90") or (None, None)
            rows.append(f"<tr><td><b>{e(r['id'])}</b><br><span class='small'>{e(r['scenario'])}</span></td>"
                        f"<td class='num'>{e(sign + f(r['observed']))}<br><span class='small'>± "
                        f"{e(f(r.get('source_se'), signed=True).replace('+', ''))}</span></td>"
                        f"<td class='num'>{e(f(r.get('simulated')))}</td>"
                        f"<td class='num'>{e(f(lo))} to {e(f(hi))}</td>"
                        f"<td class='num'>{'' if r.get('z') is None else format(r['z'], '+.1f')}</td>"
                        f"<td>{'holds it' if held else '<b>outside</b>'}</td></tr>")
        n = len(block["rows"])
        sm = block.get("summary", {})
        out.append(f"<h3><code>{e(block['file'])}</code>: {sm.get('inside_50', 0)} of {n} observed values inside the "
                   f"50 % predictive interval, {sm.get('inside_90', 0)} inside the 90 % one</h3><table><tr><th>target</th>"
                   f"<th>observed ± source's error</th><th>posterior mean</th>"
                   f"<th>90 % predictive</th><th>z</th><th></th></tr>{''.join(rows)}</table>")
    return "".join(out)


def _cross_validation_section(cv: dict | None, in_sample: dict) -> str:
    if not cv:
        return ("<h2>Cross-validation</h2><p>Not run (<code>run.py calibrate SPEC --cross-validate</code> leaves out "
                "each fold of targets in turn and predicts it).</p>")
    rows = []
    for f in cv["folds"]:
        for r, m in zip(f["real"], f["emulated"]):
            lo, hi = r.get("predictive_90") or (None, None)

            def v(x, r=r):
                return figure_text(x, r["metric"], r["comparison"], r["relative"])
            rows.append(f"<tr><td>{e(f['fold'])}</td><td>{e(r['id'])}</td><td class='num'>{e(v(r['observed']))}</td>"
                        f"<td class='num'>{e(v(r.get('simulated')))}</td><td class='num'>{e(v(lo))} to {e(v(hi))}</td>"
                        f"<td class='num'>{'' if r.get('z') is None else format(r['z'], '+.1f')}</td>"
                        f"<td>{'yes' if r.get('inside_50') else 'no'}</td><td>{'yes' if r.get('inside_90') else '<b>no</b>'}</td>"
                        f"<td class='num'>{m['z']:+.1f}</td></tr>")
    sr, se = cv["summary_real"], cv["summary_emulated"]
    return f"""<h2>Cross-validation: each fold predicted by a fit that did not see it</h2>
<p>Each fold of fitted targets (a study or a source) is left out in turn: the posterior is sampled again on the
emulators with its targets at weight 0, and its targets are predicted with {cv['members']} draws of that posterior,
run for real at their sources' sizes. The emulators were trained on the whole design, whose later waves were drawn
where every target (the fold's too) put the posterior, so the fold is not wholly unseen. Out of sample,
{sr['inside_50']} of {sr['scored']} two-sided figures are inside their 50 % predictive interval and {sr['inside_90']}
inside the 90 % one (mean |z| {sr['mean_abs_z']:.2f}; bounds held: {sr['bounds_held_90']} of {sr['bounds']}); in sample,
{in_sample.get('inside_50')} and {in_sample.get('inside_90')} of {in_sample.get('scored')} (mean |z|
{in_sample.get('mean_abs_z') or 0:.2f}). The emulators alone predict {se['inside_50']} and {se['inside_90']} of
{se['scored']}.</p>
<table><tr><th>left out</th><th>target</th><th>observed</th><th>predicted</th><th>90 % predictive</th><th>z</th>
<th>in 50 %</th><th>in 90 %</th><th>z on the emulators</th></tr>{''.join(rows)}</table>"""


def build_posterior_report(folder: Path, spec, targets: list, analysis: dict, log, values: np.ndarray,
                           point: int, held_out: list[dict], command: str, fitted_file: str,
                           ensemble_file: str, wall_s: float, hm) -> Path:
    names = list(spec.parameters)
    figs = {"predictive": plot_predictive(targets, analysis, folder / "predictive.png"),
            "marginals": plot_marginals(spec, names, values, point, analysis, folder / "marginals.png")}
    figs["pairs"], top_pairs = plot_pairs(names, values, folder / "pairs.png")
    outside = [w for w in analysis["warnings"] if w["kind"] == "outside"]
    unconstrained = [w for w in analysis["warnings"] if w["kind"] == "unconstrained"]
    prows = []
    for name, p in analysis["parameters"].items():
        fp = spec.parameters[name]
        prior = f"{fp.prior.mean:g} ± {fp.prior.sd:g}" if fp.prior else "uniform"
        desc = field_description(tuple(name.split("."))) or ""
        prows.append(f"<tr><td><code>{e(name.removeprefix('behaviour.'))}</code><br><span class='small'>{e(desc)}</span></td>"
                     f"<td class='num'>{p['point']:.4g}</td><td class='num'>{p['median']:.4g}</td>"
                     f"<td class='num'>{p['lo']:.4g} – {p['hi']:.4g}</td>"
                     f"<td class='num'>{p['prior_lo']:.4g} – {p['prior_hi']:.4g}<br><span class='small'>{e(prior)} "
                     f"in [{fp.low:g}, {fp.high:g}]</span></td><td class='num'>{100 * p['sd_ratio']:.0f} %"
                     f"{'<br><b>unconstrained</b>' if p['unconstrained'] else ''}</td></tr>")
    conflicts = analysis["conflicts"]
    crow = "".join(f"<tr><td>{e(c['target'])}</td><td>{e(c['other'])}</td><td class='num'>{c['cosine']:+.2f}</td></tr>"
                   for c in conflicts)
    wrows = "".join(
        f"<tr><td class='num'>{w['wave']}</td><td class='num'>{w['points']}</td><td class='num'>{w['total_points']}</td>"
        f"<td class='num'>{100 * w['non_implausible_share']:.2g} %</td>"
        f"<td class='small'>{e(_least_sure(w))}</td></tr>"
        for w in log.waves)
    erows = "".join(
        f"<tr><td>{e(t.id)}</td><td class='num'>{analysis['targets'][t.id].get('emulator_sd', float('nan')):.3g}</td>"
        f"<td class='num'>{analysis['targets'][t.id].get('emulator_bias', float('nan')):+.3g}</td>"
        f"<td class='num'>{analysis['targets'][t.id]['observation_sd']:.3g}</td></tr>" for t in targets
        if analysis["targets"][t.id].get("mean") is not None)
    mc = analysis["mcmc"]
    tau = mc["autocorr_steps"]
    n_out = sum(1 for t in targets if not analysis["targets"].get(t.id, {}).get("inside_ppi", True))
    body = f"""<h1>Bayesian calibration: {e(spec.name)}</h1>
<p>{e(spec.description)}</p>
<p>{len(targets)} targets, {len(names)} free behavioural parameters, one set for every scenario. History matching:
{len(log.waves)} waves, {len(hm.design.X)} design points, each run with {spec.replicates} replicates on seeds of its
own (from base seed {spec.seed}); a Gaussian-process emulator per target; the posterior sampled on the emulators with emcee
({mc['walkers']} walkers × {mc['steps']} steps, the second half kept; acceptance {mc['acceptance']:.2f};
autocorrelation time {('%.0f steps' % tau) if tau else 'not estimated'});
{len(values)} draws kept as the ensemble <code>{e(ensemble_file)}</code> (equal weights); {spec.report_replicates} of
them then simulated for real on seeds the design did not use, each on as many seeds as its targets' sources need. Wall time {wall_s:.0f} s on {hm.workers} worker processes
({log.simulated} points simulated in this call, {log.from_store} read from the store, simulated by an earlier
call whose time is not in this figure).
The point estimate in <code>{e(fitted_file)}</code> (what <code>--parameters point</code> runs) is the draw with the
highest posterior density.</p>

<h2>What the ranges mean</h2>
<p>Every run, comparison, sweep and check of a scenario that rests on this calibration draws, for replicate r,
one parameter set of the ensemble (the same set and the same random numbers for every scenario it compares), so
its ranges hold both what this calibration leaves uncertain about the parameters and the chance of a single
run. They do not hold doubts about the model's structure: a mechanism the model lacks is not in any range.</p>

<h2>Targets the model cannot reach</h2>
{('<div class="warn"><ul>' + ''.join(f"<li>{e(w['text'])}</li>" for w in outside) + '</ul></div>') if outside
 else '<p>None: every observed value is inside its 90 % posterior predictive interval.</p>'}

<h2>Targets against the posterior predictive</h2>
<p>The 90 % posterior predictive interval is where a new observation would fall if the model were right: the
expected figure of each parameter set of the ensemble (its simulation noise taken out), plus the source's own
sampling error and the family's model discrepancy, on a scale that keeps it in range (calibration/README.md).
{len(targets) - n_out} of {len(targets)} observed values are inside it. Of the
{analysis.get('summary', {}).get('scored', 0)} two-sided figures (one-sided bounds apart: a bound that is met is
inside every interval), {analysis.get('summary', {}).get('inside_50', 0)} are inside the 50 % interval (a calibrated
model: about half) and {analysis.get('summary', {}).get('inside_90', 0)} inside the 90 % one; mean |z|
{analysis.get('summary', {}).get('mean_abs_z') or 0:.2f} (about 0.8). The ensemble's 90 % range
of the expected figure is beside it. The observed figure's ± is the whole observation error. Targets with
weight 0 are shown, not fitted.</p>
<div class='wide'><table><tr><th>target</th><th>definition and source</th><th>observed</th><th>posterior mean</th>
<th>90 % predictive</th><th>90 % of simulated</th><th></th></tr>{_target_rows(targets, analysis)}</table></div>
{img_beside(figs['predictive'], 'targets against the posterior predictive')}

<h2>Parameters: posterior against prior</h2>
<p>A parameter whose posterior spread is {100 * 0.8:.0f} % or more of its prior's is flagged
<b>unconstrained</b>: the targets say little about it, and its range in every figure is the prior's, an
assumption. {len(unconstrained)} of {len(names)} are.</p>
<div class='wide'><table><tr><th>parameter</th><th>point</th><th>median</th><th>90 % posterior</th><th>90 % prior</th>
<th>spread / prior's</th></tr>{''.join(prows)}</table></div>
{img_beside(figs['marginals'], 'marginal posteriors')}
<p>Pairs: the posterior's correlations, and its most correlated pairs (a ridge: one parameter can make up
for another, so the targets pin down their combination rather than each):
{e('; '.join(f'{a.split(".")[-1]} and {b.split(".")[-1]} r = {r:+.2f}' for a, b, r in top_pairs))}.</p>
{img_beside(figs['pairs'], 'pairwise posteriors')}

<h2>Targets that pull against each other</h2>
<p>At the point estimate, on the emulators: pairs of targets, each at least half a standard deviation off, whose
squared errors' gradients point in opposite directions (cosine ≤ −0.5): one cannot come closer without the
other moving away.</p>
{('<table><tr><th>target</th><th>pulls against</th><th>cosine</th></tr>' + crow + '</table>') if crow else '<p>None.</p>'}

<h2>Held-out checks (figures not fitted)</h2>
<p>Each held-out targets file run with the new ensemble, each target at its source's size; the interval is the
90 % posterior predictive one, as above.</p>
{_held_out_section(held_out)}

{_cross_validation_section(analysis.get("cross_validation"), analysis.get("summary", {}))}

<h2>Waves of history matching</h2>
<p>After each wave, the share of the prior still plausible (implausibility, the largest error in units of the
likelihood's standard deviation over the fitted targets, below {spec.cutoff:g}), and the targets whose emulators
are least sure (leave-one-out error over the wave's points, in units of the target's observation error).</p>
<table><tr><th>wave</th><th>points</th><th>in all</th><th>still plausible</th><th>least sure emulators</th></tr>{wrows}</table>
<p>How far to trust the emulators where the posterior is: their standard deviation there (the larger of the
Gaussian process's own and its leave-one-out error less a point's noise; part of each target's likelihood), and
their mean bias against the ensemble's real simulations, beside the observation error.</p>
<table><tr><th>target</th><th>emulator sd</th><th>emulated − simulated</th><th>observation error</th></tr>{erows}</table>

<h2>Reproduce</h2><pre>{e(command)}</pre>
"""
    out = folder / "report.html"
    out.write_text(page(f"Calibration {spec.name}", body), encoding="utf-8")
    from ..comparison import clean_json
    (folder / "posterior.json").write_text(json.dumps(clean_json(json.loads(json.dumps(
        {"spec": spec.model_dump(mode="json"), "analysis": analysis, "waves": log.waves, "held_out": held_out,
         "wall_s": wall_s}, default=str))), indent=1, allow_nan=False), encoding="utf-8")
    return out
