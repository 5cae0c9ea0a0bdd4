"""Bit-identity check for speed work: run every shipped scenario (2 seeds; one with Mesa's
DataCollector, one without), a scaled typical municipality and a small national-like scenario,
and dump everything a run produces: `figures()`, `by_duration()` (arrival and permit clocks),
`weekly()`, the DataCollector's tables, and the final state of every population, employer,
municipality and agency array.

    python benchmarks/identity_check.py --save /tmp/perf-baseline.pkl   # on the reference code
    python benchmarks/identity_check.py --check /tmp/perf-baseline.pkl  # after a change

`--check` compares: integers, booleans and strings exactly; floats exactly or within 1e-12
relative (summation order). Array dtypes may differ (compacted storage); values may not.
Exit code 0 when everything matches, 1 otherwise (with the first differences listed).

    python benchmarks/identity_check.py --worlds          # many worlds in one run (sim/worlds.py)

`--worlds` runs every shipped scenario at its own length alone (seeds 1-3), then as worlds of
batches of 1, 7 and 64 (the scenarios that share a batch key mixed, in two orders; the 64 with
other seeds beside them) and through `run_comparison` with 1 and 2 workers, and compares each
world's figures, tables and final arrays with its run alone: exactly, no tolerance.
"""

from __future__ import annotations

import argparse
import math
import pickle
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from perf_scenarios import national_like, scaled_typical

from sim.config import load_scenario
from sim.model import IntroductionModel

RTOL = 1e-12


def _arrays(obj) -> dict:
    return {k: np.array(v, copy=True) for k, v in vars(obj).items() if isinstance(v, np.ndarray)}


def snapshot(model: IntroductionModel) -> dict:
    out = {
        "figures": model.figures(),
        "by_duration": model.by_duration(),
        "by_duration_permit": model.by_duration("permit"),
        "weekly": model.weekly(),
        "population": _arrays(model.population),
        "employers": _arrays(model.employers),
        "munis": _arrays(model.munis),
        "agencies": _arrays(model.agencies),
        "agreements": [(g.name, g.credit, g.moved) for g in model.agreements],
        "received": model.received.copy(),
    }
    if model.collect:
        out["dc_model"] = model.datacollector.get_model_vars_dataframe()
        out["dc_agents"] = model.datacollector.get_agenttype_vars_dataframe(
            type(model.municipality_agents[0]))
    return out


def cases(quick: bool = False):
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        s = load_scenario(str(path))
        for seed, collect in ((1, True), (2, False)):
            yield f"{path.stem}/seed{seed}", s, seed, collect
    yield "scaled_typical_3000x4/seed1", scaled_typical(3000, 4), 1, False
    yield "national_like_30/seed1", national_like(30, 3000, 3, agreements=6), 1, True
    if not quick:
        yield "scaled_typical_20000x3/seed3", scaled_typical(20000, 3), 3, False


def run_all(quick: bool = False) -> dict:
    res = {}
    for name, s, seed, collect in cases(quick):
        t0 = time.perf_counter()
        m = IntroductionModel(s, seed=seed, collect=collect).run()
        res[name] = snapshot(m)
        print(f"{name}: {time.perf_counter() - t0:.2f} s", file=sys.stderr)
    return res


def _float_eq(a: np.ndarray, b: np.ndarray) -> bool:
    a = a.astype(np.float64)
    b = b.astype(np.float64)
    same = (a == b) | (np.isnan(a) & np.isnan(b))
    if same.all():
        return True
    with np.errstate(invalid="ignore"):
        close = np.abs(a - b) <= RTOL * np.maximum(np.abs(a), np.abs(b))
    return bool((same | close).all())


def compare(a, b, path: str, diffs: list[str]) -> None:
    if len(diffs) > 30:
        return
    if isinstance(a, dict):
        # New keys in the run checked (attributes added since the baseline) are not differences.
        if not isinstance(b, dict) or not set(a) <= set(b):
            diffs.append(f"{path}: keys missing {set(a) - set(b if isinstance(b, dict) else {})}")
            return
        for k in a:
            compare(a[k], b[k], f"{path}.{k}", diffs)
    elif isinstance(a, (list, tuple)):
        if not isinstance(b, (list, tuple)) or len(a) != len(b):
            diffs.append(f"{path}: lengths differ")
            return
        for i, (x, y) in enumerate(zip(a, b)):
            compare(x, y, f"{path}[{i}]", diffs)
    elif isinstance(a, pd.DataFrame):
        if not isinstance(b, pd.DataFrame) or list(a.columns) != list(b.columns) or a.shape != b.shape \
                or not a.index.equals(b.index):
            diffs.append(f"{path}: frame shape, columns or index differ")
            return
        for c in a.columns:
            compare(a[c].to_numpy(), b[c].to_numpy(), f"{path}[{c}]", diffs)
    elif isinstance(a, np.ndarray):
        if not isinstance(b, np.ndarray) or a.shape != b.shape:
            diffs.append(f"{path}: shape differs")
            return
        if a.dtype.kind == "f" or b.dtype.kind == "f":
            if not _float_eq(a, b):
                i = np.flatnonzero(~((a == b) | (np.isnan(a.astype(float)) & np.isnan(b.astype(float)))))[:3]
                diffs.append(f"{path}: floats differ at {i.tolist()}: {a.flat[i[0]]!r} vs {b.flat[i[0]]!r}")
        elif a.dtype.kind == "O" or b.dtype.kind == "O":
            if a.tolist() != b.tolist():
                diffs.append(f"{path}: objects differ")
        elif not np.array_equal(a, b):
            i = np.flatnonzero(a != b)[:3]
            diffs.append(f"{path}: values differ at {i.tolist()}: {a.flat[i[0]]!r} vs {b.flat[i[0]]!r}")
    elif isinstance(a, float) and isinstance(b, float):
        if not (a == b or (math.isnan(a) and math.isnan(b)) or abs(a - b) <= RTOL * max(abs(a), abs(b))):
            diffs.append(f"{path}: {a!r} vs {b!r}")
    elif a != b:
        diffs.append(f"{path}: {a!r} vs {b!r}")


def world_snapshot(m) -> dict:
    from sim.results import timeseries_long
    return {"figures": m.figures(), "by_duration": m.by_duration(), "by_duration_permit": m.by_duration("permit"),
            "timeseries": timeseries_long(m), "population": _arrays(m.population),
            "employers": _arrays(m.employers),
            "munis": {k: v for k, v in _arrays(m.munis).items() if k not in ("reach", "world")},
            "agencies": _arrays(m.agencies), "received": m.received.copy()}


def check_worlds() -> int:
    """Every shipped scenario alone against the same world in batches of 1, 7 and 64, in two
    orders, and through run_comparison with 1 and 2 workers."""
    from sim.ensemble import Members
    from sim.runner import replicate_seed, run_comparison
    from sim.worlds import Worlds, batch_key

    groups: dict[str, list] = {}
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        s = load_scenario(str(path))
        groups.setdefault(batch_key(s), []).append((path.stem, s))
    diffs: list[str] = []
    n_worlds = 0
    for members in groups.values():
        t0 = time.perf_counter()
        alone = {(name, seed): world_snapshot(IntroductionModel(s, seed=seed, collect=False).run())
                 for name, s in members for seed in (1, 2, 3)}
        t_alone = time.perf_counter() - t0
        specs = [(name, s, seed) for seed in (1, 2, 3) for name, s in members]
        others = [(members[k % len(members)][0], members[k % len(members)][1], 100 + k) for k in range(64)]
        batches = {1: [specs[0]], 7: specs[:7], 64: (specs + others)[:64]}
        for size, chosen in batches.items():
            for order in (chosen, chosen[::-1]):
                t1 = time.perf_counter()
                b = Worlds([(s, seed) for _, s, seed in order]).run()
                t_batch = time.perf_counter() - t1
                for w, (name, _, seed) in enumerate(order):
                    if (name, seed) in alone:
                        compare(alone[(name, seed)], world_snapshot(b.world(w)), f"{name}/seed{seed}/W{size}", diffs)
                        n_worlds += 1
                b.release()
            print(f"{'+'.join(n for n, _ in members)}: W={size} ({len(chosen)} worlds) {t_batch:.2f} s; "
                  f"the compared ones alone {t_alone:.2f} s for {len(alone)}", file=sys.stderr)
        # Workers: the comparison's tables and figures with 1 and 2 worker processes.
        scen = [s for _, s in members]
        one = run_comparison(scen, 3, seed=1, workers=1)
        two = run_comparison(scen, 3, seed=1, workers=2)
        compare(one, two, f"{'+'.join(n for n, _ in members)}/workers", diffs)
        for (name, _), res in zip(members, one):
            for r in range(3):
                seed = replicate_seed(1, r)
                # Replicate r runs the posterior ensemble's parameter set for (1, r).
                ref = IntroductionModel(Members().scenario(dict(members)[name], 1, r), seed=seed,
                                        collect=False).run().figures()
                compare(ref, res["figures"][r], f"{name}/replicate{r}/workers", diffs)
    if diffs:
        print("DIFFERENT:\n  " + "\n  ".join(diffs[:30]))
        return 1
    print(f"IDENTICAL: {n_worlds} worlds in batches of 1, 7 and 64, two orders; run_comparison with 1 and 2 workers")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser()
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--save", type=Path)
    g.add_argument("--check", type=Path)
    g.add_argument("--worlds", action="store_true", help="many worlds in one run against each world alone")
    ap.add_argument("--quick", action="store_true", help="skip the 20,000-refugee case")
    args = ap.parse_args()
    if args.worlds:
        return check_worlds()
    res = run_all(args.quick)
    if args.save:
        args.save.parent.mkdir(parents=True, exist_ok=True)
        with open(args.save, "wb") as f:
            pickle.dump(res, f)
        print(f"saved {len(res)} runs to {args.save}")
        return 0
    with open(args.check, "rb") as f:
        base = pickle.load(f)
    diffs: list[str] = []
    for name in res:
        if name not in base:
            diffs.append(f"{name}: not in the baseline")
            continue
        compare(base[name], res[name], name, diffs)
    if diffs:
        print("DIFFERENT:\n  " + "\n  ".join(diffs[:30]))
        return 1
    print(f"IDENTICAL: {len(res)} runs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
