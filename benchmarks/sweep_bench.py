"""Sweep throughput and memory: N runs of the Falkenberg scenario with 1 and 2 local workers
(and optionally a Dask LocalCluster), each into a fresh folder, side by side in one invocation.

    python benchmarks/sweep_bench.py [--runs 1000] [--dask] [--workers 1 2]

Prints one JSON object: per configuration the wall time, runs per second and the peak resident
memory of the sweep process (the parent; workers are separate processes), the speed-up of the
largest worker count over one, and whether every configuration produced the same table.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SWEEP = """\
name: bench_falkenberg
base: {base}
seed: 7
replicates: {replicates}
design: grid
dimensions:
  hours_per_week:
    path: municipalities.falkenberg.programme.hours_per_week
    values: [20, 25, 30, 35, 40, 20, 25, 30, 35, 40]
"""


def one(sweep: Path, out: Path, workers: int, scheduler: str | None) -> dict:
    """Run the sweep in a child process and measure it from outside (wall time, peak memory)."""
    code = (
        "import resource, sys, time\n"
        "from pathlib import Path\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from sim.sweeps import run_sweep\n"
        "t = time.perf_counter()\n"
        f"info = run_sweep(Path({str(sweep)!r}), Path({str(out)!r}), {workers}, {scheduler!r}, True)\n"
        "wall = time.perf_counter() - t\n"
        "print(wall, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,\n"
        "      resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, info['ran'])\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    wall, rss_kb, child_kb, ran = res.stdout.split()[-4:]
    return {"workers": workers, "scheduler": scheduler, "runs": int(ran), "wall_s": round(float(wall), 2),
            "runs_per_s": round(int(ran) / float(wall), 3), "peak_rss_mb": round(int(rss_kb) / 1024, 1),
            "largest_worker_peak_rss_mb": round(int(child_kb) / 1024, 1) if int(child_kb) else None}


def table(out: Path):
    import pandas as pd
    df = pd.read_csv(out / "runs.csv").drop(columns=["crc", "wall_time_s"])
    return df.sort_values(["point", "replicate"]).reset_index(drop=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=1000)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--dask", action="store_true", help="also run on a Dask LocalCluster (2 workers)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="sweep-bench-"))
    sweep = tmp / "bench.yaml"
    sweep.write_text(SWEEP.format(base=ROOT / "scenarios" / "falkenberg.yaml", replicates=max(1, args.runs // 10)))
    results, tables = [], []
    configs = [(w, None) for w in args.workers] + ([(2, "local")] if args.dask else [])
    for w, sched in configs:
        out = tmp / f"out-{w}-{sched}"
        results.append(one(sweep, out, w, sched))
        tables.append(table(out))
        print(json.dumps(results[-1]), file=sys.stderr)
    base = next(r for r in results if r["workers"] == 1 and r["scheduler"] is None) if 1 in args.workers else None
    best = max((r for r in results if r["scheduler"] is None), key=lambda r: r["workers"])
    print(json.dumps({
        "configurations": results,
        "speedup": round(base["wall_s"] / best["wall_s"], 2) if base and best is not base else None,
        "identical_tables": all(t.equals(tables[0]) for t in tables[1:]),
        "folder": str(tmp),
    }, indent=1))


if __name__ == "__main__":
    main()
