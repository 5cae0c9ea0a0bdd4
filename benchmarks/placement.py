"""Placement's speed: the optimised assignment for one year's arrivals in the national world, and
(with --comparison) the shipped four-rule comparison.

    python benchmarks/placement.py [--arrivals 15000] [--comparison --replicates 20]

Prints one JSON line per measurement. The assignment is timed as the model runs it (HiGHS's
linear relaxation, then whole households: sim/placement/assignment.py) beside HiGHS's full integer
programme (`milp`) on the same problem, with each one's value and certified gap; the target is
under 10 s for 15,000 arrivals and 290 municipalities (issue 25). Ratios, not absolute times, are
what carries between machines.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if __package__ in (None, ""):
    sys.path.insert(0, str(ROOT))

from sim.config import load_scenario  # noqa: E402
from sim.placement import assignment  # noqa: E402
from sim.population import draw_everyone  # noqa: E402
from sim.rng import Streams  # noqa: E402


def problems_of(arrivals: int, years: int) -> list:
    """The assignment problems the model solves for the optimised rule (one per year)."""
    s = load_scenario("sweden_2018_optimised", [("placement.arrivals_per_year", arrivals),
                                                ("simulation.years", years)])
    seen = []
    real = assignment.solve_with_gap

    def keep(p, *a, **k):
        seen.append(p)
        return real(p, *a, **k)
    import sim.placement.place as place
    original = place.solve
    place.solve = lambda p: keep(p)[0]
    try:
        draw_everyone(s, Streams(1))
    finally:
        place.solve = original
    return seen


def full_milp(p) -> tuple[float, float]:
    from scipy import sparse
    from scipy.optimize import LinearConstraint, milp
    K, M = p.value.shape
    n = K * M
    k_of, m_of = np.divmod(np.arange(n), M)
    cons = [LinearConstraint(sparse.csr_array((np.ones(n), (k_of, np.arange(n))), shape=(K, n)), p.counts, p.counts),
            LinearConstraint(sparse.csr_array((p.adults[k_of].astype(float), (m_of, np.arange(n))), shape=(M, n)),
                             -np.inf, p.capacity)]
    t = time.perf_counter()
    res = milp(-p.value.ravel(), constraints=cons, integrality=np.ones(n), bounds=(0, p.counts[k_of].astype(float)),
               options={"mip_rel_gap": 1e-9})
    return time.perf_counter() - t, -float(res.fun)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--arrivals", type=int, default=15_000)
    ap.add_argument("--years", type=int, default=3)
    ap.add_argument("--comparison", action="store_true")
    ap.add_argument("--replicates", type=int, default=20)
    args = ap.parse_args()
    for year, p in enumerate(problems_of(args.arrivals, args.years)):
        t = time.perf_counter()
        x, gap = assignment.solve_with_gap(p)
        ours = time.perf_counter() - t
        value = float((p.value * x).sum())
        milp_s, best = full_milp(p)
        print(json.dumps({"year": year + 1, "households": int(p.counts.sum()), "types": int(p.value.shape[0]),
                          "municipalities": int(p.value.shape[1]), "assignment_s": round(ours, 2),
                          "certified_gap": gap, "full_milp_s": round(milp_s, 2),
                          "value": round(value, 3), "full_milp_value": round(best, 3),
                          "share_of_optimum": value / best}), flush=True)
    if args.comparison:
        cmd = [sys.executable, str(ROOT / "run.py"), "compare", "sweden_2018", "sweden_2018_self_arranged",
               "sweden_2018_danish_quota", "sweden_2018_optimised", "--replicates", str(args.replicates),
               "--quiet", "--out", str(ROOT / "results" / "bench-placement-comparison")]
        shutil.rmtree(ROOT / "results" / "bench-placement-comparison", ignore_errors=True)
        t = time.perf_counter()
        subprocess.run(cmd, check=True)
        print(json.dumps({"comparison": "four rules", "replicates": args.replicates, "years": 10,
                          "wall_s": round(time.perf_counter() - t, 1)}))


if __name__ == "__main__":
    main()
