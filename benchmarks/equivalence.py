"""The compiled week against the NumPy week it replaced: the same model, statistically.

The compiled week draws its random numbers from a counter-based generator, so single runs differ
from those of the old week; what must agree is every figure's distribution. For each of
typical_2006, ten_proposals and falkenberg, and for the differences ten_proposals - typical_2006
and falkenberg - typical_2006, every headline figure of `--seeds` replicates (the same replicate
seeds, populations and ensemble members in both trees) is compared with Welch's two-sample t-test,
the primary test; the p-values are corrected for multiple testing with Holm's step-down method over
all figures at once (family-wise error 5 %). A paired t-test (replicate r of one tree against
replicate r of the other: same people and parameters, different weekly draws) is printed beside
it, with the same correction: it is the more powerful of the two.

    python benchmarks/equivalence.py --seeds 400 --workers 2            # reference: main 1776dab
    python benchmarks/equivalence.py --reference /tmp/ref --json out.json

The reference tree is `git archive <commit>` of the last commit with the NumPy week (1776dab),
unpacked into a temporary folder unless `--reference` names one. Exits 1 when a figure differs
after correction, so the script can fail.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from scipy import stats

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_COMMIT = "1776dab"
SCENARIOS = ("typical_2006", "ten_proposals", "falkenberg")
DIFFERENCES = (("ten_proposals", "typical_2006"), ("falkenberg", "typical_2006"))

CHILD = r"""
import json, sys
sys.path.insert(0, {tree!r})
from sim.config import load_scenario
from sim.runner import run_figures_of
scenarios = [load_scenario(n) for n in {names!r}]
runs = run_figures_of(scenarios, {seeds!r}, {base!r}, workers={workers!r})
json.dump(runs, open({out!r}, "w"))
"""


def flatten(figures: dict, prefix: str = "") -> dict[str, float]:
    """Every scalar figure of a run, keyed by its path (`employment.24`); None (not reached) left out."""
    out: dict[str, float] = {}
    for key, value in figures.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, name + "."))
        elif isinstance(value, (int, float)) and not isinstance(value, bool) and value is not None:
            out[name] = float(value)
    return out


def headline(figures: dict) -> dict[str, float]:
    """The figures `run` reports (`runner.summarise`), flattened."""
    keep = ("self_sufficiency", "employment", "employment_by_sex", "self_sufficiency_by_sex",
            "employment_unsubsidised", "employment_during_year", "labour_market_contact_year1",
            "job_3_weeks_within_3_years", "sfi_course_year1", "sfi_completed_year1",
            "median_weeks_to_first_job", "median_weeks_to_self_sufficiency",
            "private_share_of_internships", "costs_sek_per_refugee")
    return flatten({k: figures[k] for k in keep if k in figures})


def run_tree(tree: Path, seeds: int, base: int, workers: int) -> tuple[dict[str, list[dict]], float]:
    """Figures of every scenario and replicate, run in a fresh process from `tree`."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "runs.json"
        code = CHILD.format(tree=str(tree), names=list(SCENARIOS), seeds=seeds, base=base,
                            workers=workers, out=str(out))
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, cwd=tree)
        elapsed = time.perf_counter() - t0
        runs = json.loads(out.read_text())
    return {name: [headline(r) for r in per] for name, per in zip(SCENARIOS, runs)}, elapsed


def samples(runs: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """The scenarios' figures and, replicate by replicate, the differences between scenarios."""
    out = dict(runs)
    for a, b in DIFFERENCES:
        out[f"{a} - {b}"] = [{k: ra[k] - rb[k] for k in ra.keys() & rb.keys()}
                             for ra, rb in zip(runs[a], runs[b])]
    return out


def holm(p: list[float]) -> list[float]:
    """Holm's step-down adjusted p-values (family-wise error control, any dependence)."""
    order = sorted(range(len(p)), key=lambda i: p[i])
    adjusted = [1.0] * len(p)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(p) - rank) * p[i]))
        adjusted[i] = running
    return adjusted


def compare(new: dict[str, list[dict]], old: dict[str, list[dict]]) -> list[dict]:
    """One row per figure: means, their difference with its standard error, both tests' p."""
    rows = []
    for group in new:
        keys = sorted(set().union(*(r.keys() for r in new[group])) & set().union(*(r.keys() for r in old[group])))
        for key in keys:
            a = np.array([r[key] for r in new[group] if key in r])
            b = np.array([r[key] for r in old[group] if key in r])
            both = [(x[key], y[key]) for x, y in zip(new[group], old[group]) if key in x and key in y]
            if len(a) < 3 or len(b) < 3 or (a.std() == 0 and b.std() == 0):
                continue
            welch = stats.ttest_ind(a, b, equal_var=False)
            d = np.array([x - y for x, y in both])
            paired = stats.ttest_rel(*zip(*both)) if len(both) >= 3 and d.std() > 0 else None
            se = math.sqrt(a.var(ddof=1) / len(a) + b.var(ddof=1) / len(b))
            rows.append({"group": group, "figure": key, "n_new": len(a), "n_old": len(b),
                         "new": float(a.mean()), "old": float(b.mean()), "difference": float(a.mean() - b.mean()),
                         "se": se, "z": float(a.mean() - b.mean()) / se if se > 0 else 0.0,
                         "p_welch": float(welch.pvalue),
                         "p_paired": float(paired.pvalue) if paired is not None else 1.0})
    for test in ("welch", "paired"):
        for row, adj in zip(rows, holm([r[f"p_{test}"] for r in rows])):
            row[f"p_{test}_holm"] = adj
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=int, default=400)
    ap.add_argument("--base-seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--reference", type=Path, help="a tree with the NumPy week (default: git archive 1776dab)")
    ap.add_argument("--alpha", type=float, default=0.05)
    ap.add_argument("--json", type=Path, help="write every row here")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        ref = args.reference
        if ref is None:
            ref = Path(tmp) / "reference"
            ref.mkdir()
            archive = subprocess.run(["git", "archive", REFERENCE_COMMIT], cwd=ROOT, check=True, capture_output=True)
            subprocess.run(["tar", "-x", "-C", str(ref)], input=archive.stdout, check=True)
        old, t_old = run_tree(ref.resolve(), args.seeds, args.base_seed, args.workers)
        new, t_new = run_tree(ROOT, args.seeds, args.base_seed, args.workers)
    rows = compare(samples(new), samples(old))
    failed = [r for r in rows if r["p_welch_holm"] < args.alpha]
    failed_paired = [r for r in rows if r["p_paired_holm"] < args.alpha]
    print(f"{len(rows)} figures, {args.seeds} seeds per scenario and tree; reference {t_old:.1f} s, "
          f"compiled {t_new:.1f} s (wall, {args.workers} workers, compile included)")
    print(f"{'group':<30} {'figure':<40} {'new':>10} {'old':>10} {'z':>6} {'p Welch':>8} {'Holm':>6} {'paired':>7}")
    for r in sorted(rows, key=lambda r: r["p_welch"])[:25]:
        print(f"{r['group']:<30} {r['figure']:<40} {r['new']:>10.4g} {r['old']:>10.4g} {r['z']:>6.2f} "
              f"{r['p_welch']:>8.3f} {r['p_welch_holm']:>6.3f} {r['p_paired_holm']:>7.3f}")
    zs = np.array([r["z"] for r in rows])
    print(f"largest |z| {np.abs(zs).max():.2f}; |z| > 1.96 in {int((np.abs(zs) > 1.96).sum())} of {len(rows)} "
          f"(about {0.05 * len(rows):.0f} expected by chance; the figures are correlated)")
    print(f"differ after Holm (alpha {args.alpha}): Welch {len(failed)}, paired {len(failed_paired)}")
    if args.json:
        args.json.write_text(json.dumps({"seeds": args.seeds, "base_seed": args.base_seed, "rows": rows}, indent=1))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
