"""Command-line handlers of calibrate, check and sensitivity: arguments in, files and lines out.

The work itself is in `sim.calibration`; these functions read arguments, print progress and
tables, and write the results folder and the fitted-parameters file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

EXIT_OUTSIDE = 1
EXIT_INTERRUPTED = 130


def add_parsers(sub, int_at_least) -> None:
    cores = os.cpu_count() or 1
    c = sub.add_parser("calibrate", help="fit behavioural parameters to targets; write calibration/fitted/<name>.yaml")
    c.add_argument("spec", help="a calibration spec (see calibration/specs/)")
    c.add_argument("--workers", type=int_at_least(1), default=cores, help="worker processes (default: all cores)")
    c.add_argument("--out", type=Path, default=None, help="results folder for the report (default results/calibration-<name>-<time>)")
    c.add_argument("--fitted", type=Path, default=None,
                   help="where to write the fitted parameters (default calibration/fitted/<name>.yaml)")
    c.add_argument("--quiet", action="store_true", help="no progress lines")
    c.add_argument("--store", type=Path, default=None,
                   help="history_matching: the file of simulated design points, read to resume a killed "
                        "calibration (default results/calibration-stores/<name>-<hash of the runs>.jsonl)")
    c.add_argument("--cross-validate", action="store_true",
                   help="history_matching: after the fit, leave out each fold of fitted targets in turn, refit on the "
                        "emulators and predict it with real runs; out-of-sample coverage and scores in the report")
    c.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="history_matching: simulate on a Dask cluster (tcp://host:8786), or 'local'")
    k = sub.add_parser("check", help="run a targets file's scenarios at their sources' sizes; exit 0 if every observed "
                                      "figure is inside its 90 %% predictive interval, 1 if not")
    k.add_argument("targets", help="a targets file (see calibration/targets/)")
    k.add_argument("--members", "--replicates", dest="members", type=int_at_least(2), default=None,
                   help="parameter sets drawn from the posterior ensemble (default: the file's 'replicates'); each "
                        "runs on as many seeds as its targets' sources need")
    k.add_argument("--max-seeds", type=int_at_least(2), default=None,
                   help="seeds per parameter set at most (default 64); a target that needs more is marked under-sized")
    k.add_argument("--discrepancy", action="append", default=[], metavar="FAMILY=SD",
                   help="a family's model-discrepancy sd on its scale (levels, effects, denmark, labour_market; defaults in "
                        "sim/calibration/observation.py)")
    k.add_argument("--seed", type=int_at_least(0), default=1, help="base seed of the runs (default 1)")
    k.add_argument("--workers", type=int_at_least(1), default=cores, help="worker processes (default: all cores)")
    k.add_argument("--fitted", default=None, metavar="FITTED.yaml",
                   help="check with this fitted-parameters file (and its ensemble) instead of the ones each "
                        "scenario names")
    k.add_argument("--parameters", default="ensemble", metavar="ensemble|point",
                   help="ensemble (default): each parameter set is a member of the posterior ensemble, so the "
                        "interval is a posterior predictive one; point: every run at the point estimate. "
                        "(A FITTED.yaml here is read as --fitted, as before ensembles.)")
    k.add_argument("--json", action="store_true", help="print the rows and the summary as JSON")
    k.add_argument("--quiet", action="store_true", help="no progress")
    s = sub.add_parser("sensitivity", help="global sensitivity analysis (Morris, or Sobol) of headline outputs")
    s.add_argument("spec", help="a sensitivity spec (see calibration/sensitivity/)")
    s.add_argument("--workers", type=int_at_least(1), default=cores, help="worker processes (default: all cores)")
    s.add_argument("--out", type=Path, default=None,
                   help="results folder (default results/sensitivity-<name>-<time>)")
    s.add_argument("--quiet", action="store_true", help="no progress")


# --- calibrate ---

class _FitProgress:
    def __init__(self, quiet: bool, targets: dict):
        self.quiet, self.targets = quiet, targets
        self.start = time.perf_counter()
        self.runs = 0
        self.total_points = None
        self.runs_per_point = 1

    def __call__(self, event: dict) -> None:
        if event["kind"] == "run":
            self.runs += 1
            return
        if self.quiet:
            return
        if event["kind"] == "start":
            self.total_points, self.runs_per_point = event["points"], event["runs_per_point"]
            if event.get("method") == "powell":
                print(f"Powell's method from the start point: at most {event['points']} points, "
                      f"{event['runs_per_point']} runs each; Ctrl-C stops early and keeps the best point",
                      file=sys.stderr)
            else:
                print(f"differential evolution: {event['generations']} generations, about {event['points']} points, "
                      f"{event['runs_per_point']} runs each; Ctrl-C stops early and keeps the best point",
                      file=sys.stderr)
        elif event["kind"] == "generation":
            best = event["best"]
            el = event["elapsed_s"]
            left = el / event["evaluated"] * max(self.total_points - event["evaluated"], 0)
            figs = "; ".join(f"{tid} {_v(best.sims.get(tid), self.targets[tid])}" for tid in self.targets)
            at = ", ".join(f"{k.rsplit('.', 1)[-1]} {v:.4g}" for k, v in best.values.items())
            print(f"generation {event['generation']}/{event['generations']}: {event['evaluated']} points, "
                  f"{el:.0f} s, about {left:.0f} s left; best objective {best.objective:.3g} at {at} ({figs})",
                  file=sys.stderr)
        elif event["kind"] == "phase":
            print(event["text"], file=sys.stderr)


def _v(v, t) -> str:
    if v is None:
        return "–"
    if t.relative:
        return f"{100 * v:+.0f}%"
    from .calibration.outputs import METRICS
    if METRICS[t.metric][1] != "share":
        return f"{v:.3g}"
    return f"{100 * v:+.1f}pt" if t.comparison == "effect" else f"{100 * v:.1f}%"


def calibrate(args, argv: list[str]) -> int:
    from .calibration.fit import Calibration
    from .calibration.fitted import fitted_yaml, write_atomic
    from .calibration.report import build_fit_report
    from .calibration.spec import load_spec
    from .calibration.targets import CALIBRATION_DIR
    spec, targets = load_spec(args.spec)  # bad input fails here, before anything is written
    started = dt.datetime.now()
    from .output import StagedFolder, default_folder
    folder = args.out or default_folder(Path("results"), f"calibration-{spec.name}", started)
    fitted_path = args.fitted or (CALIBRATION_DIR / "fitted" / f"{spec.name}.yaml")
    from .output import check_destination
    check_destination(folder)
    if spec.method == "history_matching":
        return _calibrate_posterior(args, argv, spec, targets, folder, fitted_path)
    progress = _FitProgress(args.quiet, {t.id: t for t in targets})
    cal = Calibration(spec, targets, workers=args.workers, progress=progress)
    log = cal.run()
    if not log.evaluations:
        print("interrupted before any point was evaluated: nothing was written", file=sys.stderr)
        return EXIT_INTERRUPTED
    if log.stopped_early:
        print(f"stopped early after {len(log.evaluations)} points; keeping the best "
              f"(objective {log.best.objective:.3g})", file=sys.stderr)
    try:
        analysis = cal.analyse(with_runs=not log.stopped_early)
    except KeyboardInterrupt:  # interrupted while checking the fit: keep the best point all the same
        log.stopped_early = True
        print("interrupted: writing the best point without the report's replicate runs", file=sys.stderr)
        analysis = cal.analyse(with_runs=False)
    command = " ".join(["python", *argv])
    log_dict = dataclasses.asdict(log)
    log_dict["wall_s"] = log.wall_s
    try:
        rel_fitted = str(fitted_path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        rel_fitted = str(fitted_path)
    with StagedFolder(folder) as tmp:
        with open(tmp / "evaluations.csv", "w", encoding="utf-8") as fh:
            ids = [t.id for t in targets]
            fh.write(",".join(["index", "generation", *cal.names, "objective", *ids]) + "\n")
            for e in log.evaluations:
                fh.write(",".join(str(x) for x in [e.index, e.generation, *[e.values[n] for n in cal.names],
                                                   e.objective, *["" if e.sims[i] is None else e.sims[i] for i in ids]]) + "\n")
        build_fit_report(tmp, spec.model_dump(mode="json"), targets, analysis, log_dict, command, rel_fitted)
    report = folder / "report.html"
    try:
        under = fitted_path.resolve().relative_to(CALIBRATION_DIR.resolve()).as_posix()
    except ValueError:
        under = str(fitted_path)
    write_atomic(fitted_path, fitted_yaml(spec, str(args.spec), analysis, log, command, str(report), under))
    print(_fit_table(targets, analysis))
    for w in analysis["warnings"]:
        print(f"warning: {w['text']}")
    print(f"Fitted parameters: {fitted_path}\nReport: {report}")
    return EXIT_INTERRUPTED if log.stopped_early else 0


class _WaveProgress:
    """Progress of a Bayesian calibration: points of the current wave, the time left, and after
    each wave how much of the prior is still plausible."""

    def __init__(self, quiet: bool):
        self.quiet = quiet

    def __call__(self, event: dict) -> None:
        if self.quiet:
            return
        k = event["kind"]
        if k == "start":
            print(f"history matching: {event['waves']} waves of {event['points']} points, {event['runs_per_point']} "
                  f"runs a point; simulated points kept in {event['store']} ({event['stored']} there already); "
                  "Ctrl-C stops, and the same command goes on from there", file=sys.stderr)
        elif k == "points":
            print(f"wave {event['wave']}/{event['waves']}: {event['done']}/{event['total']} points, "
                  f"{event['elapsed_s']:.0f} s, about {event['left_s']:.0f} s left", file=sys.stderr)
        elif k == "wave":
            worst = max(event["emulator_sd_over_observation_sd"].items(), key=lambda kv: kv[1])
            print(f"wave {event['wave']} done: {event['total_points']} points in all; "
                  f"{100 * event['non_implausible_share']:.2g} % of the prior still plausible (implausibility < "
                  f"{event['cutoff']:g}); emulators fitted (least sure: {worst[0]}, leave-one-out error {worst[1]:.2g} "
                  "of its observation error); "
                  f"{event['elapsed_s']:.0f} s, about {event['left_s']:.0f} s left", file=sys.stderr)
        elif k == "fold":
            print(f"cross-validation: fold {event['done']}/{event['total']} ({event['fold']}) done", file=sys.stderr)
        elif k == "members":
            print(f"posterior predictive: {event['done']}/{event['total']} parameter sets simulated", file=sys.stderr)
        elif k == "phase":
            print(event["text"], file=sys.stderr)


def _calibrate_posterior(args, argv, spec, targets, folder: Path, fitted_path: Path) -> int:
    import numpy as np

    from .calibration.check import check_loaded, check_targets, summary
    from .calibration.fitted import posterior_fitted_yaml, versions, write_atomic
    from .calibration.posterior import HistoryMatching
    from .calibration.posterior_report import build_posterior_report
    from .calibration.targets import CALIBRATION_DIR
    from .ensemble import Ensemble, read_ensemble, write_ensemble
    from .output import StagedFolder
    progress = _WaveProgress(args.quiet)
    hm = HistoryMatching(spec, targets, store=args.store, workers=args.workers, scheduler=args.scheduler,
                         progress=progress)
    t0 = time.perf_counter()
    log = hm.run()
    if log.stopped_early:
        print(f"interrupted: {len(hm.store.known)} simulated points are kept in {hm.store.path}; the same command "
              "goes on from there. Nothing else was written.", file=sys.stderr)
        return EXIT_INTERRUPTED
    try:
        progress({"kind": "phase", "text": f"the posterior on the emulators: emcee, {spec.mcmc.walkers} walkers x "
                                           f"{spec.mcmc.steps} steps"})
        sample = hm.sample_posterior()
        X, weights, point = hm.ensemble(sample)
        progress({"kind": "phase", "text": f"posterior predictive: {spec.report_replicates} parameter sets of the "
                                           "ensemble, each on as many seeds as the targets' sources need"})
        draft = Ensemble("(this fit)", tuple(hm.names), hm.prior.to_values(X), weights / weights.sum(), ())
        fit_rows, _ = check_loaded(targets, spec.report_replicates, spec.seed + 1, args.workers,
                                   base_parameters_or_none(spec), ens=draft, discrepancy=spec.discrepancy,
                                   as_fitted=True)
        analysis = hm.analyse(sample, X, point, {r["id"]: r for r in fit_rows})
        analysis["summary"] = summary(fit_rows)
        if getattr(args, "cross_validate", False):
            progress({"kind": "phase", "text": f"cross-validation: {len(hm.folds())} folds, each left out in turn"})
            analysis["cross_validation"] = hm.cross_validate(spec.report_replicates, spec.seed + 4, args.workers,
                                                             progress)
    except KeyboardInterrupt:
        print(f"interrupted: the design ({len(hm.store.known)} points) is kept in {hm.store.path}; nothing else was "
              "written", file=sys.stderr)
        return EXIT_INTERRUPTED
    values = hm.prior.to_values(X)
    point_values = dict(zip(hm.names, values[point].tolist()))
    command = " ".join(["python", *argv])
    report = folder / "report.html"
    try:
        named_as = fitted_path.resolve().relative_to(CALIBRATION_DIR.resolve()).as_posix()
    except ValueError:
        named_as = str(fitted_path)
    ensemble_name = fitted_path.name.removesuffix(".yaml") + ".ensemble.csv"
    ensemble_path = fitted_path.with_name(ensemble_name)
    header = [f"Posterior ensemble of calibration spec {args.spec} ({spec.name}), written by `{command}` on "
              f"{dt.date.today().isoformat()}.",
              f"Method: history matching, {len(log.waves)} waves, {len(hm.design.X)} design points x "
              f"{spec.replicates} replicates (seed {spec.seed}); Gaussian-process emulators; emcee "
              f"({sample.walkers} walkers x {sample.steps} steps, second half kept); {len(X)} draws, equal weights.",
              "Targets: " + ", ".join(hm.ids),
              "Libraries: " + ", ".join(f"{k} {v}" for k, v in versions().items())]
    ensemble = Ensemble(str(ensemble_path), tuple(hm.names), values, weights / weights.sum(), tuple(header))
    held_out = []
    for name in spec.held_out:
        progress({"kind": "phase", "text": f"held-out check {name} with the new ensemble"})
        rows, _ = check_targets(name, None, seed=spec.seed + 2, workers=args.workers,
                                parameters={**spec.base_parameters, **point_values}, ensemble=ensemble,
                                discrepancy=spec.discrepancy, as_fitted=True)
        held_out.append({"file": name, "rows": [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows],
                         "summary": summary(rows)})
    wall = time.perf_counter() - t0
    ensemble_text = write_ensemble(ensemble_path, hm.names, values, weights, header)
    with StagedFolder(folder) as tmp:
        with open(tmp / "design.csv", "w", encoding="utf-8") as fh:
            fh.write(",".join(["wave", *hm.names, *hm.ids]) + "\n")
            for w, v, m in zip(hm.design.wave, hm.prior.to_values(hm.design.X), hm.design.means):
                fh.write(",".join([str(int(w) + 1), *[f"{x:.6g}" for x in v], *["" if not np.isfinite(x) else f"{x:.6g}"
                                                                             for x in m]]) + "\n")
        (tmp / ensemble_name).write_text(ensemble_text, encoding="utf-8")
        build_posterior_report(tmp, spec, targets, analysis, log, values, point, held_out, command,
                               named_as, ensemble_name, wall, hm)
    # Nothing is written before the work is done. The ensemble first, then the fitted file that
    # names it: a scenario never reads a fitted file whose ensemble is missing or from another fit.
    write_atomic(ensemble_path, ensemble_text)
    read_ensemble.cache_clear()
    write_atomic(fitted_path, posterior_fitted_yaml(spec, str(args.spec), analysis, log, command, str(report),
                                                    named_as, ensemble_name, len(X), point_values, wall))
    print(_posterior_table(targets, analysis))
    if "cross_validation" in analysis:
        print(_cross_validation_table(analysis["cross_validation"], analysis["summary"]))
    for w in analysis["warnings"]:
        print(f"warning: {w['text']}")
    print(f"Wall time {wall:.0f} s ({log.simulated} points simulated now, {log.from_store} read from the store).")
    print(f"Fitted parameters: {fitted_path}\nEnsemble: {ensemble_path}\nReport: {report}")
    return 0


def _cross_validation_table(cv: dict, in_sample: dict) -> str:
    lines = ["", f"{'left out':24s} {'target':40s} {'z real':>7s} {'50%':>4s} {'90%':>4s} {'z emulated':>10s}"]
    for f in cv["folds"]:
        for r, m in zip(f["real"], f["emulated"]):
            z = "–" if r.get("z") is None else f"{r['z']:+.1f}"
            lines.append(f"{f['fold'][:24]:24s} {r['id'][:40]:40s} {z:>7s} {'yes' if r.get('inside_50') else 'no':>4s} "
                         f"{'yes' if r.get('inside_90') else 'NO':>4s} {m['z']:>+10.1f}")
    sr, se = cv["summary_real"], cv["summary_emulated"]
    lines.append(f"two-sided figures out of sample (real runs): {sr['inside_50']} of {sr['scored']} inside the 50 % "
                 f"interval, {sr['inside_90']} inside the 90 %; mean |z| {_num(sr['mean_abs_z'])}; bounds held "
                 f"{sr['bounds_held_90']} of {sr['bounds']}. On the emulators: {se['inside_50']} and {se['inside_90']} of "
                 f"{se['scored']}, mean |z| {_num(se['mean_abs_z'])}. In sample: {in_sample['inside_50']} and "
                 f"{in_sample['inside_90']} of {in_sample['scored']}, mean |z| {_num(in_sample['mean_abs_z'])}.")
    return "\n".join(lines)


def _num(v) -> str:
    return "–" if v is None else f"{v:.2f}"


def _count(v) -> str:
    return "an unknown number (too few runs measure it to tell)" if v is None else f"{v:,}"


def base_parameters_or_none(spec) -> dict | None:
    return dict(spec.base_parameters) or None


def _posterior_table(targets, analysis) -> str:
    lines = [f"{'target':40s} {'observed':>10s} {'posterior mean':>14s} {'90 % predictive':>19s}  holds it"]
    for t in targets:
        r = analysis["targets"].get(t.id, {})
        iv = f"{_v(r.get('lo'), t)}–{_v(r.get('hi'), t)}" if r.get("lo") is not None else ""
        flag = "yes" if r.get("inside_ppi") else "NO"
        lines.append(f"{t.id:40s} {_obs(t):>10s} {_v(r.get('mean'), t):>14s} {iv:>19s}  {flag}"
                     + ("  (weight 0)" if r.get("weight") == 0 else ""))
    lines.append("")
    lines.append(f"{'parameter':48s} {'point':>9s} {'median':>9s} {'90 % interval':>21s} {'prior 90 %':>21s}")
    for name, p in analysis["parameters"].items():
        lines.append(f"{name:48s} {p['point']:>9.4g} {p['median']:>9.4g} {p['lo']:>10.4g}–{p['hi']:<10.4g} "
                     f"{p['prior_lo']:>10.4g}–{p['prior_hi']:<10.4g}" + ("  unconstrained" if p["unconstrained"] else ""))
    return "\n".join(lines)


def _fit_table(targets, analysis) -> str:
    lines = [f"{'target':44s} {'observed':>10s} {'simulated':>10s} {'interval':>17s}  inside"]
    for t in targets:
        s = analysis["targets"].get(t.id, {})
        lo, hi = s.get("lo"), s.get("hi")
        iv = f"{_v(lo, t)}–{_v(hi, t)}" if lo is not None else ""
        lines.append(f"{t.id:44s} {_obs(t):>10s} "
                     f"{_v(s.get('mean'), t):>10s} {iv:>17s}  {'yes' if t.inside(s.get('mean')) else 'NO'}")
    lines.append("")
    lines.append(f"{'parameter':44s} {'fitted':>10s} {'~68% region':>21s}")
    for name, v in analysis["fitted"].items():
        reg = analysis["region"][name]
        lines.append(f"{name:44s} {v:>10.4g} {reg['lo']:>10.4g}–{reg['hi']:<10.4g}")
    return "\n".join(lines)


def _obs(t) -> str:
    sign = {"value": "", "at_most": "<=", "at_least": ">="}[t.kind]
    return sign + _v(t.observed, t)


# --- check ---

def _discrepancy_args(items: list[str]) -> dict[str, float]:
    from .calibration.observation import FAMILIES
    from .config.errors import ScenarioError
    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        try:
            sd = float(value)
        except ValueError:
            sd = -1.0
        if not sep or name not in FAMILIES or not (0 <= sd < 10):
            raise ScenarioError.single("--discrepancy", None, "", f"expected FAMILY=SD with FAMILY one of "
                                       f"{', '.join(FAMILIES)} and SD a number from 0 to 10, not '{item}'")
        out[name] = sd
    return out


def check(args) -> int:
    from .calibration.check import MAX_SEEDS, check_targets, summary
    from .config.errors import ScenarioError
    fitted, mode = args.fitted, args.parameters
    if mode not in ("ensemble", "point"):
        if not mode.endswith((".yaml", ".yml")):
            raise ScenarioError.single("--parameters", None, "", f"expected 'ensemble', 'point' or a fitted file "
                                                                  f"(FITTED.yaml), not '{mode}'")
        fitted, mode = mode, "ensemble"
    disc = _discrepancy_args(args.discrepancy)
    params = ensemble = None
    if fitted:
        params = _fitted_values(fitted)
        if mode == "ensemble":
            from .config.loader import resolve_parameters_path
            from .ensemble import ensemble_path_of, read_ensemble
            path = ensemble_path_of(resolve_parameters_path(fitted, Path.cwd()))
            ensemble = None if path is None else read_ensemble(str(path))
    done = [0]

    def progress(k):
        done[0] += k
    rows, runs = check_targets(args.targets, args.members, args.seed, args.workers, params,
                               progress=None if args.quiet else progress, mode=mode, ensemble=ensemble,
                               discrepancy=disc, max_seeds=args.max_seeds or MAX_SEEDS)
    summ = summary(rows)
    if args.json:
        from .comparison import clean_json
        print(json.dumps(clean_json({"rows": [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows],
                                     "summary": summ, "runs": runs}), indent=2, allow_nan=False))
    else:
        print(check_table(rows, summ, runs))
    return 0 if all(r.get("inside_90") for r in rows) else EXIT_OUTSIDE


def check_table(rows: list[dict], summ: dict, runs: int) -> str:
    """The check in a terminal: each target against its source, then the file's scores."""
    lines = [f"{'target':34s} {'observed ± source se':>20s} {'model [parameters 5-95]':>27s} "
             f"{'people sim/source':>19s} {'sim chance':>10s} {'z':>5s} {'50%':>3s} {'90%':>3s} "
             f"{'90 % predictive':>17s} {'CRPS':>6s}"]
    for r in rows:
        fmt = _formatter(r)
        sign = {"value": "", "at_most": "<=", "at_least": ">="}[r["kind"]]
        if r.get("simulated") is None:
            lines.append(f"{r['id'][:34]:34s} {sign + fmt(r['observed']):>20s}  no run could measure it: "
                         f"{r.get('undefined', {}).get('why', '')}")
            continue
        lo, hi = r["parameter_range"]
        people = f"{r['simulated_people_per_member']:,}/{r['source_people']:,}"
        flag = "" if r["sized"] else " UNDER-SIZED"
        lines.append(
            f"{r['id'][:34]:34s} {sign + fmt(r['observed']) + ' ± ' + fmt(r['source_se'], unit=False):>20s} "
            f"{fmt(r['simulated']) + ' [' + fmt(lo) + ', ' + fmt(hi) + ']':>27s} {people:>19s} "
            f"{fmt(r['mc_sd'], unit=False):>10s} {r['z']:>+5.1f} {'yes' if r['inside_50'] else 'no':>3s} "
            f"{'yes' if r['inside_90'] else 'NO':>3s} "
            f"{fmt(r['predictive_90'][0]) + '–' + fmt(r['predictive_90'][1]):>17s} "
            f"{'' if r['crps'] is None else fmt(r['crps'], unit=False):>6s}{flag}")
        if r.get("undefined"):
            u = r["undefined"]
            lines.append(f"{'':34s}   {r['runs_defined']} of {r['runs']} runs measure it; {u['runs']} do not: {u['why']}")
        if not r["sized"]:
            lines.append(f"{'':34s}   under-sized: the simulation's own chance {fmt(r['mc_sd'], unit=False)} exceeds the "
                         f"{fmt(r['mc_sd_needed'], unit=False)} its source needs; {r['simulated_people_per_member']:,} "
                         f"simulated people per parameter set, {_count(r.get('simulated_people_needed'))} needed")
    n = summ["scored"]
    lines.append("")
    lines.append(f"Two-sided figures: {summ['inside_50']} of {n} inside their 50 % predictive interval (a calibrated "
                 f"model: about {n / 2:.0f}), {summ['inside_90']} of {n} inside the 90 % interval (about {0.9 * n:.0f}); "
                 f"mean |z| {_num(summ['mean_abs_z'])} (about 0.8 if calibrated). One-sided bounds: "
                 f"{summ['bounds_held_90']} of {summ['bounds']} held by the 90 % interval.")
    for fam, d in summ["discrepancy"].items():
        fit = "–" if d["residuals_fit"] is None else f"{d['residuals_fit']:.3g}"
        lines.append(f"discrepancy, {fam}: {d['used']:.3g} used (on the targets' scales); these residuals alone would fit {fit}")
    if summ["under_sized"]:
        lines.append("under-sized (more simulated people needed than --max-seeds allows): " + ", ".join(summ["under_sized"]))
    what = ("each parameter set a member of the posterior ensemble" if rows and rows[0]["parameters"] == "ensemble"
            else "every run at the point estimate")
    lines.append(f"The predictive interval: the members' expected figures (their simulation noise taken out) plus the "
                 f"source's sampling error and the family's model discrepancy, on a scale that keeps it in range; "
                 f"{what}; {runs} runs. 'sim chance': the simulation's own sd in a member's expected figure. "
                 f"The policy band (the old tolerance) is in --json only.")
    return "\n".join(lines)


def _formatter(row: dict):
    """Values of a check row in their unit: shares in per cent (points for errors and effects),
    relative figures in per cent, weeks and rates as numbers."""
    from .calibration.outputs import METRICS
    share = METRICS[row["metric"]][1] == "share"
    relative = row.get("relative", False)

    def f(v, signed: bool = False, unit: bool = True) -> str:
        if v is None:
            return "–"
        if relative:
            return f"{100 * v:+.0f}%" if signed or (unit and row.get("comparison") != "spread") else f"{100 * v:.0f}%"
        if share:
            points = signed or row.get("comparison") == "effect"
            text = f"{100 * v:+.1f}" if signed else f"{100 * v:.1f}"
            return text + ("pt" if points else "%") if unit else text + "pt"
        return f"{v:+.3g}" if signed else f"{v:.3g}"
    return f


def _fitted_values(name: str) -> dict:
    """Flatten a fitted-parameters file's behaviour section to path: value."""
    from .config.errors import ScenarioError
    from .config.loader import resolve_parameters_path
    from .config.yaml_lines import load_yaml_with_lines
    path = resolve_parameters_path(name, Path.cwd())
    if not path.is_file():
        raise ScenarioError.single("--fitted", None, "", f"fitted-parameters file '{name}' not found")
    data, _ = load_yaml_with_lines(path)
    if not isinstance(data, dict) or not isinstance(data.get("behaviour"), dict):
        raise ScenarioError.single(str(path), 1, "behaviour", "expected a 'behaviour' section")
    from .config.annotate import flatten
    return {".".join(path): v for path, v in flatten(data["behaviour"], ("behaviour",)).items()}


# --- sensitivity ---

def sensitivity(args, argv: list[str]) -> int:
    from .calibration.sensitivity import load_sensitivity, plot_ranking, ranking, run_sensitivity, write_report
    from .output import check_destination
    spec, scenario_path = load_sensitivity(args.spec)
    started = dt.datetime.now()
    from .output import StagedFolder, default_folder
    folder = args.out or default_folder(Path("results"), f"sensitivity-{spec.name}", started)
    check_destination(folder)
    done = [0]
    t0 = time.perf_counter()

    def progress(k):
        done[0] += k
        if not args.quiet and done[0] % 50 == 0:
            print(f"{done[0]} runs, {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    result = run_sensitivity(spec, scenario_path, args.workers, progress)
    ranks = ranking(spec, result["indices"])
    names = result["problem"]["names"]
    with StagedFolder(folder) as tmp:
        with open(tmp / "samples.csv", "w", encoding="utf-8") as fh:
            fh.write(",".join([*names, *spec.outputs]) + "\n")
            for x, y in zip(result["X"], result["Y"]):
                fh.write(",".join(f"{v:.6g}" for v in [*x, *y]) + "\n")
        with open(tmp / "indices.csv", "w", encoding="utf-8") as fh:
            keys = list(next(iter(next(iter(result["indices"].values())).values())))
            fh.write(",".join(["output", "parameter", *keys]) + "\n")
            for o, idx in result["indices"].items():
                for n, v in idx.items():
                    fh.write(",".join([o, n, *[f"{v[k]:.6g}" for k in keys]]) + "\n")
        plot_ranking(spec, ranks, tmp / "ranking.png")
        write_report(tmp, spec, result, ranks, argv)
    for o, r in ranks.items():
        print(f"{o}:")
        for i, (n, v, c) in enumerate(r):
            print(f"  {i + 1:2d}. {n:60s} {v:9.4g} ± {c:.2g}")
    print(f"{result['runs']} runs in {time.perf_counter() - t0:.0f} s\nReport: {folder / 'report.html'}")
    return 0
