"""Side-by-side timing of two source trees (e.g. a reference checkout and this one), interleaved
A, B, A, B ... in fresh processes so that machine noise hits both alike; prints medians and ratios.

    git archive <ref> | tar -x -C /tmp/ref
    python benchmarks/ab.py --a /tmp/ref --b . --case falkenberg --rounds 5

Cases: falkenberg (5 years, no DataCollector, 3 seeds per process), falkenberg_collect (the same
with the DataCollector), large (100,000 refugees x 10 years), national (290 municipalities, 25,000
arrivals a year, 10 years; --years to shorten). Each process reports wall and CPU time of the
run and peak RSS growth; speed-ups are given for both (CPU time is steadier on a shared machine).
refugee_weeks_per_s counts weeks after arrival; slot_weeks_per_s is refugees x weeks / run time
(the issue's "refugee-weeks per second").
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, {tree!r})
sys.path.insert(0, {bench!r})
from sim.config import load_scenario
from sim.model import IntroductionModel
from perf_scenarios import national_like, scaled_typical
case, years, refugees = {case!r}, {years!r}, {refugees!r}
if case.startswith("falkenberg"):
    s = load_scenario("falkenberg")
    IntroductionModel(s, seed=99, collect=False).run()  # warm up imports and caches
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0, c0 = time.perf_counter(), time.process_time()
    for seed in (1, 2, 3):
        IntroductionModel(s, seed=seed, collect=case.endswith("collect")).run()
    run, cpu = (time.perf_counter() - t0) / 3, (time.process_time() - c0) / 3
    n = refugee_weeks = weeks = None
else:
    s = scaled_typical(refugees, years) if case == "large" else national_like(290, 25000, years)
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    m = IntroductionModel(s, seed=1, collect=False)
    t0, c0 = time.perf_counter(), time.process_time()
    m.run()
    run, cpu = time.perf_counter() - t0, time.process_time() - c0
    n = int(m.population.n)
    refugee_weeks = int(((m.n_weeks - m.population.ti_arrival).clip(0)).sum())
    weeks = int(m.n_weeks)
rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"run_s": run, "cpu_s": cpu, "rss_growth_mb": (rss1 - rss0) / 1024, "n": n,
                   "refugee_weeks": refugee_weeks, "weeks": weeks}}))
"""


def one(tree: str, case: str, years: int, refugees: int) -> dict:
    code = CHILD.format(tree=str(Path(tree).resolve()), bench=str(HERE), case=case, years=years,
                        refugees=refugees)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd="/tmp")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--a", required=True)
    ap.add_argument("--b", required=True)
    ap.add_argument("--case", default="falkenberg")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--refugees", type=int, default=100_000)
    args = ap.parse_args()
    res = {"a": [], "b": []}
    for r in range(args.rounds):
        for k in ("a", "b") if r % 2 == 0 else ("b", "a"):
            res[k].append(one(getattr(args, k), args.case, args.years, args.refugees))
    summary = {}
    for k in ("a", "b"):
        t = statistics.median(x["run_s"] for x in res[k])
        c = statistics.median(x["cpu_s"] for x in res[k])
        mem = statistics.median(x["rss_growth_mb"] for x in res[k])
        rw = res[k][0]["refugee_weeks"]
        summary[k] = {"run_s_median": round(t, 4), "runs": [round(x["run_s"], 4) for x in res[k]],
                      "cpu_s_median": round(c, 4), "cpu": [round(x["cpu_s"], 4) for x in res[k]],
                      "rss_growth_mb": round(mem, 1)}
        if rw:
            summary[k]["refugee_weeks_per_s"] = round(rw / t)
            summary[k]["slot_weeks_per_s"] = round(res[k][0]["n"] * res[k][0]["weeks"] / t)
            summary[k]["rss_bytes_per_refugee"] = round(mem * 1024 * 1024 / res[k][0]["n"])
    summary["speedup_a_over_b"] = round(summary["a"]["run_s_median"] / summary["b"]["run_s_median"], 3)
    # CPU time of the process is less disturbed by other work on the machine than wall time.
    summary["cpu_speedup_a_over_b"] = round(summary["a"]["cpu_s_median"] / summary["b"]["cpu_s_median"], 3)
    print(json.dumps({"case": args.case, **summary}, indent=1))


if __name__ == "__main__":
    main()
