"""How long the explorer's refresh takes on the server, with one worker process and with two,
side by side (the browser's own time, key press to charts on screen, is measured by
tests/test_explorer_browser.py).

    python benchmarks/explorer.py [--scenario falkenberg] [--replicates 20] [--repeats 5] [--json]

A refresh after a control's change: the base comes from the cache; the changed scenario's
replicates are run (each repeat changes the coaches by another half, so none is cached), then
summarised and drawn. Workers 1 and 2 alternate, so that a change in the machine's load hits both;
medians are printed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sim.config import load_scenario  # noqa: E402
from sim.explore import compute, levers  # noqa: E402


def measure(scenario: str, replicates: int, repeats: int) -> dict:
    """Median refresh times with one and with two workers, alternating."""
    base = load_scenario(scenario)
    muni = next(iter(base.municipalities))
    settings = compute.Settings(replicates, base.simulation.seed, "ensemble")
    compute.start_workers(2)
    times: dict[int, list[float]] = {1: [], 2: []}
    parts: dict[int, list[dict]] = {1: [], 2: []}
    try:
        compute.explore(base, base, settings)  # the base into the cache, as the first page does
        coaches = base.municipalities[muni].staff.coaches
        for k in range(repeats):
            for workers in (1, 2):
                changes = {f"{muni}:coaches": coaches + 0.5 * (2 * k + workers)}
                variant = load_scenario(scenario, levers.variant_overrides(base, changes))
                t0 = time.perf_counter()
                out = compute.explore(base, variant, settings, workers=workers)
                times[workers].append(time.perf_counter() - t0)
                parts[workers].append(out.timings)
    finally:
        compute.stop_workers()
    result = {"scenario": scenario, "replicates": replicates, "repeats": repeats,
              "refresh_s": {str(w): statistics.median(v) for w, v in times.items()},
              "variant_runs_s": {str(w): statistics.median(t["variant"] for t in parts[w]) for w in parts},
              "charts_s": {str(w): statistics.median(t["charts"] for t in parts[w]) for w in parts}}
    result["two_workers_over_one"] = result["refresh_s"]["2"] / result["refresh_s"]["1"]
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--scenario", default="falkenberg")
    p.add_argument("--replicates", type=int, default=20)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    result = measure(args.scenario, args.replicates, args.repeats)
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print(f"{args.scenario}, {args.replicates} replicates, median of {args.repeats} refreshes (base cached):")
        for w in ("1", "2"):
            print(f"  {w} worker{'s' if w == '2' else ''}: {result['refresh_s'][w]:.3f} s "
                  f"(runs {result['variant_runs_s'][w]:.3f} s, charts {result['charts_s'][w]:.3f} s)")
        print(f"  two workers / one: {result['two_workers_over_one']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
