"""Wall time and peak memory of one large run: the typical municipality scaled to N refugees.

    python benchmarks/large_population.py [--refugees 100000] [--years 10]

Arrivals are spread evenly over the years and every employer kind is scaled with the population,
so the labour market per refugee matches typical_2006. One process, no DataCollector (the weekly
aggregates are still recorded). Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.scenarios import scaled_typical  # noqa: E402
from sim.model import IntroductionModel  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--refugees", type=int, default=100_000)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    scenario = scaled_typical(args.refugees, args.years)
    t0 = time.perf_counter()
    model = IntroductionModel(scenario, seed=args.seed, collect=False)
    t1 = time.perf_counter()
    model.run()
    t2 = time.perf_counter()
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    f = model.figures()
    print(json.dumps({
        "refugees": model.population.n, "years": args.years, "employers": model.employers.n,
        "construct_s": round(t1 - t0, 2), "run_s": round(t2 - t1, 2),
        "peak_rss_mb": round(rss1 / 1024, 1), "rss_growth_mb": round((rss1 - rss0) / 1024, 1),
        "employment_36m": f["employment"]["36"], "self_sufficiency_36m": f["self_sufficiency"]["36"],
    }, indent=1))


if __name__ == "__main__":
    main()
