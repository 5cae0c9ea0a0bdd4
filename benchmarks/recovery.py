"""Recovery: does the Bayesian calibration's 90 % interval hold the true parameters 90 % of the time?

    python benchmarks/recovery.py                       # the shipped spec, 20 synthetic fits
    python benchmarks/recovery.py --fits 40 --json      # more fits; stdout one JSON object
    python benchmarks/recovery.py --spec calibration/specs/shipped.yaml --store results/calibration-stores/...

What it does: rebuilds the calibration's emulators from its store of simulated design points (the
waves are re-derived and every point read back; nothing new is simulated for the design), then for
each of `--fits` true parameter sets, drawn from the shipped posterior ensemble:

1. simulates the targets' figures with the model itself (not the emulators), `--replicates`
   replicates on seeds the design did not use, and adds an observation error of each target's own
   (its source's sampling error and its family's discrepancy): these are the synthetic observed
   figures (every target as a value, none one-sided);
2. fits them back exactly as `calibrate` fits the real ones (the posterior on the emulators by
   emcee), with the variance of the synthetic figures' own replicate mean added to the likelihood;
3. asks whether each parameter's central 90 % posterior interval holds its true value.

The coverage over all fits and parameters should be about 0.90. Truths from the posterior (not the
prior) keep them where the emulators were trained; a parameter the targets leave unconstrained
then has a posterior about as wide as the prior and tends to cover more often than 90 %.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if __package__ in (None, ""):
    sys.path.insert(0, str(ROOT))

from sim.calibration.posterior import HistoryMatching  # noqa: E402
from sim.calibration.spec import load_spec  # noqa: E402
from sim.ensemble import read_ensemble  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--spec", default=str(ROOT / "calibration" / "specs" / "shipped.yaml"))
    ap.add_argument("--ensemble", default=str(ROOT / "calibration" / "fitted" / "shipped.ensemble.csv"),
                    help="where the true parameter sets are drawn from")
    ap.add_argument("--store", type=Path, default=None, help="the calibration's store (default: its default path)")
    ap.add_argument("--fits", type=int, default=20)
    ap.add_argument("--replicates", type=int, default=4, help="replicates of each truth's synthetic figures")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=77)
    ap.add_argument("--steps", type=int, default=None, help="MCMC steps of each fit (default: the spec's)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    spec, targets = load_spec(args.spec)
    hm = HistoryMatching(spec, targets, store=args.store, workers=args.workers)
    stored = len(hm.store.known)
    t0 = time.perf_counter()
    log = hm.run()
    rebuild_s = time.perf_counter() - t0
    if log.simulated:
        print(f"note: {log.simulated} design points were not in the store and were simulated", file=sys.stderr)
    if args.steps:  # only the fits' chains: the waves above were re-derived with the spec's own
        spec = spec.model_copy(update={"mcmc": spec.mcmc.model_copy(update={"steps": args.steps})})
        hm.spec = spec
    ens = read_ensemble(args.ensemble)
    order = [ens.names.index(n) for n in hm.names]
    rng = np.random.default_rng(args.seed)
    pick = rng.choice(len(ens), size=args.fits, replace=False, p=ens.weights)
    truths = hm.prior.to_unit(ens.values[pick][:, order])
    t1 = time.perf_counter()
    res = hm.recovery(truths, args.seed, args.replicates,
                      progress=lambda e: print(f"fit {e['done']}/{e['total']}", file=sys.stderr) if e["kind"] == "recovery" else None)
    fit_s = time.perf_counter() - t1
    out = {"fits": args.fits, "mcmc_steps": spec.mcmc.steps, "mcmc_walkers": spec.mcmc.walkers,
           "parameters": len(hm.names), "coverage": res["coverage"],
           "per_parameter": res["per_parameter"], "mean_width_share_of_bounds": res["width"],
           "design_points": len(hm.design.X), "store_points": stored, "rebuild_s": round(rebuild_s, 1),
           "fits_s": round(fit_s, 1), "seed": args.seed, "replicates": args.replicates}
    n = args.fits * len(hm.names)
    lines = [f"coverage of the 90 % intervals: {res['coverage']:.3f} ({int(round(res['coverage'] * n))} of {n} "
             f"true values; {args.fits} synthetic fits x {len(hm.names)} parameters)",
             f"{'parameter':56s} {'coverage':>8s} {'width / bounds':>15s}"]
    for name in hm.names:
        lines.append(f"{name:56s} {res['per_parameter'][name]:>8.2f} {res['width'][name]:>15.2f}")
    lines.append(f"rebuilding the emulators from {len(hm.design.X)} stored points: {rebuild_s:.0f} s; "
                 f"{args.fits} fits (their simulations and posteriors): {fit_s:.0f} s")
    print("\n".join(lines), file=sys.stderr if args.json else sys.stdout)
    if args.json:
        print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
