"""Speed and memory of the model against the targets of issue 22 (the compiled week), in one table (or one JSON object).

    python benchmarks/bench.py                  # the full benchmark (about 20 minutes on 2 cores)
    python benchmarks/bench.py --json           # the same; stdout is one JSON object, the table goes to stderr
    python benchmarks/bench.py --quick          # a reduced version in under a minute, for routine checks (CI runs it)
    python benchmarks/bench.py --only falkenberg_run_s,mesa_ratio   # a subset

What each key measures (timings are wall-clock medians; the model runs in this process unless
said otherwise; imports and scenario loading or generation are never timed, model construction
always is):

- `refugee_weeks_per_s` {"1000", "10000", "100000"}: the full model (`IntroductionModel`,
  `collect=False`, so no DataCollector; the weekly aggregates are still recorded) on the typical
  municipality scaled to that many refugees over 10 years (`benchmarks.scenarios.scaled_typical`),
  one process. A refugee-week is one refugee simulated for one week after their arrival
  (`benchmarks.scenarios.refugee_weeks`: the sum over arrived refugees of the weeks from their
  arrival to the end of the run, whatever happens to them), the unit of work of a run; arrivals
  are spread evenly, so a run has about refugees x weeks / 2 of them.
- `mesa_ratio` {"1000", "10000"}: our refugee-weeks per second over those of the plain-Mesa
  reference (`benchmarks/mesa_reference.py`) on the same core-only scenario (`core_only`, 10
  years), both with their DataCollector on (the reference collects weekly counts, so ours does
  too). Runs are interleaved (ours, reference, ours, reference, ...) so that a change in machine
  load hits both alike; each side's median of at least 3.
- `bytes_per_refugee`: at 1,000,000 refugees over 10 years, in a fresh subprocess: the peak
  resident memory (`ru_maxrss`) after construction and run minus the peak before construction
  (after imports, the scenario and loading the compiled kernels), divided by the number of
  refugees.
- `million_run_s`: the same run's construction and run time (1,000,000 refugees, 10 years, one
  process), and its peak memory in the details (`peak_bytes`; the target: under 4 GiB).
- `falkenberg_run_s`: one 5-year run of the shipped `falkenberg` scenario (construction and run,
  `collect=False` as in replicates and sweeps), after one untimed warm-up run; median of 9, each
  with its own replicate seed.
- `national_run_s`: the national world (`benchmarks/national.py`: Sweden's 290 municipalities
  with their own labour markets, 25,000 arrivals a year for 10 years placed by the Settlement Act,
  some 20,000 employers, 21 staffing agencies), construction and run, `collect=False`; one run.
- `sweep_runs_per_s`: 1,000 five-year Falkenberg runs through the project's sweep machinery
  (`sim.sweeps.run_sweep` on a local process pool with one worker per core, in a subprocess, as
  `benchmarks/sweep_bench.py` does), runs per second of the whole sweep (pool start, checking
  every point, writing the table).
- `falkenberg_20_replicates_s`: 20 replicates of the 5-year Falkenberg scenario through
  `sim.runner.run_replicates` in one process (construction, run and figures of all 20: one
  batch of 20 worlds since issue 11, 20 runs one after another before); median of 3 after an
  untimed warm-up.
- `calibration_generation_s`: one generation of a calibration: 64 candidate parameter sets (drawn
  uniformly within the shipped spec's bounds, seed 0) x the first 4 run groups of the shipped
  spec (Falkenberg 4 y, typical_2006 11 y, the TIP treatment 4 y, typical_2006 4 y) x 8
  replicates = 2,048 runs through the calibration's `Evaluator` with one worker per core.
- `mesa_ratio_replicates`: 20 replicates of the 1,000-refugee core-only scenario (10 years): the
  reference's refugee-weeks per second run one after another (with its DataCollector) over ours
  through `run_replicates` in one process (one batch of 20 worlds; the recorder keeps the same
  weekly counts per municipality, so no DataCollector).
- `explorer_change_s`: the explorer's refresh after a change of a control, on the server
  (`benchmarks/explorer.py`: Falkenberg, 20 replicates, the base cached, two worker processes),
  median of `explorer_repeats`.
- `shipped_calibration_s`: `run.py calibrate calibration/specs/shipped.yaml` from scratch (an
  empty store, every design point simulated), one worker per core, in a subprocess that writes
  to a temporary folder; the full benchmark only (it takes minutes).

Every row is also given as **a multiple of the plain-Mesa reference measured in the same run**
(`x Mesa` in the table, `relative_to_mesa` in the JSON): the work of the row in refugee-weeks per
second of wall time over the reference's refugee-weeks per second on the 1,000-refugee core-only
scenario (`mesa_years`), one core (the reference runs of `mesa_ratio` at 1,000 where it ran).
Absolute times on a shared machine drift; the ratio to a reference timed minutes apart drifts much
less. Memory has no ratio (it does not drift),
nor does the calibration (its work is not counted in refugee-weeks).

The kernels are compiled (or loaded from their cache) before anything is timed; the seconds that
took are printed and kept (`kernels_ready_s`).

`--quick` measures smaller sizes with fewer repeats; the output says what was reduced (`quick`,
`reduced`, `sizes`) and a target is judged only where it was measured at its own size.
Timings are noisy on a shared machine; the table is for tracking, never a test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if __package__ in (None, ""):
    sys.path.insert(0, str(ROOT))

from benchmarks.mesa_reference import ReferenceModel, core_only  # noqa: E402
from benchmarks.national import describe, national_scenario  # noqa: E402
from benchmarks.scenarios import refugee_weeks, scaled_typical  # noqa: E402
from benchmarks.sweep_bench import one as run_sweep_child  # noqa: E402
from sim.config import load_scenario  # noqa: E402
from sim.model import IntroductionModel  # noqa: E402
from sim.runner import replicate_seed, with_years  # noqa: E402

KEYS = ["refugee_weeks_per_s", "mesa_ratio", "bytes_per_refugee", "million_run_s", "falkenberg_run_s",
        "national_run_s", "sweep_runs_per_s", "falkenberg_20_replicates_s", "calibration_generation_s",
        "mesa_ratio_replicates", "explorer_change_s", "shipped_calibration_s"]


@dataclass(frozen=True)
class Plan:
    """What to measure and how often; FULL is the definition of issue 22, QUICK a reduced one."""

    quick: bool = False
    population_sizes: tuple[int, ...] = (1_000, 10_000, 100_000)
    population_years: int = 10
    population_repeats: tuple[int, ...] = (5, 3, 3)  # one per size
    mesa_sizes: tuple[int, ...] = (1_000, 10_000)
    mesa_years: int = 10
    mesa_repeats: int = 3
    memory_refugees: int = 1_000_000
    memory_years: int = 10
    falkenberg_years: int = 5
    falkenberg_repeats: int = 9
    national_arrivals_per_year: int = 25_000
    national_years: int = 10
    national_repeats: int = 1
    sweep_runs: int = 1_000
    sweep_years: int = 5
    sweep_workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    replicates_repeats: int = 3
    generation_candidates: int = 64
    generation_groups: int = 4
    generation_replicates: int = 8
    mesa_replicates: int = 20
    mesa_replicates_years: int = 10
    explorer_repeats: int = 5
    explorer_replicates: int = 20
    shipped_calibration: bool = True


FULL = Plan()
QUICK = Plan(quick=True, population_sizes=(1_000, 10_000), population_repeats=(1, 1),
             mesa_sizes=(1_000,), mesa_years=3, memory_refugees=20_000, memory_years=5,
             falkenberg_repeats=3, national_arrivals_per_year=2_500, national_years=2,
             sweep_runs=10, replicates_repeats=1, generation_candidates=4, mesa_replicates_years=3,
             explorer_repeats=2, shipped_calibration=False)

# (key, size the target is measured at or None, comparison, threshold, label): issue 22's targets
TARGETS = [
    ("refugee_weeks_per_s", "100000", ">=", 20e6, ">= 2e7 at 100,000"),
    ("mesa_ratio", "10000", ">=", 100.0, ">= 100 at 10,000"),
    ("bytes_per_refugee", None, "<=", 200.0, "<= 200 at 1,000,000"),
    ("million_run_s", None, "<", 60.0, "< 60 s, < 4 GiB"),
    ("falkenberg_20_replicates_s", None, "<", 0.1, "< 0.1 s"),
    ("national_run_s", None, "<", 5.0, "< 5 s"),
    ("calibration_generation_s", None, "<", 5.0, "< 5 s"),
    ("sweep_runs_per_s", None, ">=", 200.0, ">= 200"),
    ("mesa_ratio_replicates", None, ">=", 50.0, ">= 50"),
    ("shipped_calibration_s", None, "<", 180.0, "< 180 s"),
    ("explorer_change_s", None, "<", 0.4, "< 0.4 s"),
]
GIB = 2**30


def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _timed(fn: Callable, *args) -> tuple[float, object]:
    """(wall seconds, result) of fn(*args)."""
    t0 = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - t0, out


def _run_ours(scenario, seed: int, collect: bool):
    model = IntroductionModel(scenario, seed=seed, collect=collect)
    model.run()
    return model


def _run_reference(scenario, seed: int):
    return ReferenceModel(scenario, seed).run()


def _work(scenario, seeds: list[int]) -> int:
    """Refugee-weeks of `scenario` run with each of `seeds` (untimed): the work of a timed row."""
    from sim.worlds import Worlds
    batch = Worlds([(scenario, s) for s in seeds])
    batch.run()
    out = refugee_weeks(batch)
    batch.release()
    return out


def measure_reference_speed(plan: Plan) -> tuple[float, dict]:
    """The plain-Mesa reference's refugee-weeks per second (1,000 core-only refugees, one core):
    what every row is also given as a multiple of."""
    scenario = core_only(1_000, plan.mesa_years)
    times, work = [], 0
    for _ in range(plan.mesa_repeats):
        dt, ref = _timed(_run_reference, scenario, 1)
        times.append(dt)
        work = ref.refugee_weeks()
        del ref
    speed = work / statistics.median(times)
    _log(f"  the Mesa reference: {speed:,.0f} refugee-weeks/s (1,000 core-only, {plan.mesa_years} y)")
    return speed, {"years": plan.mesa_years, "runs_s": times, "refugee_weeks": work}


# --- the measurements -------------------------------------------------------------------------

def measure_refugee_weeks(plan: Plan) -> tuple[dict, dict]:
    out, details = {}, {}
    for n, repeats in zip(plan.population_sizes, plan.population_repeats):
        scenario = scaled_typical(n, plan.population_years)
        times, work = [], 0
        for _ in range(repeats):
            dt, model = _timed(_run_ours, scenario, 1, False)
            times.append(dt)
            work = refugee_weeks(model)
            model.release()
            del model
        med = statistics.median(times)
        out[str(n)] = work / med
        details[str(n)] = {"refugee_weeks": work, "median_s": med, "runs_s": times}
        _log(f"  refugee-weeks/s at {n:,}: {work / med:,.0f} ({med:.2f} s a run, {repeats} runs)")
    return out, details


def measure_mesa_ratio(plan: Plan) -> tuple[dict, dict]:
    out, details = {}, {}
    for n in plan.mesa_sizes:
        scenario = core_only(n, plan.mesa_years)
        ours_t, ref_t, ours_w, ref_w = [], [], 0, 0
        for _ in range(plan.mesa_repeats):
            dt, model = _timed(_run_ours, scenario, 1, True)
            ours_t.append(dt)
            ours_w = refugee_weeks(model)
            model.release()
            del model
            dt, ref = _timed(_run_reference, scenario, 1)
            ref_t.append(dt)
            ref_w = ref.refugee_weeks()
            del ref
        ours_speed = ours_w / statistics.median(ours_t)
        ref_speed = ref_w / statistics.median(ref_t)
        out[str(n)] = ours_speed / ref_speed
        details[str(n)] = {"years": plan.mesa_years, "ours_s": ours_t, "reference_s": ref_t,
                           "ours_refugee_weeks": ours_w, "reference_refugee_weeks": ref_w,
                           "ours_refugee_weeks_per_s": ours_speed, "reference_refugee_weeks_per_s": ref_speed}
        _log(f"  Mesa ratio at {n:,}: {out[str(n)]:.2f} (ours {statistics.median(ours_t):.2f} s, "
             f"reference {statistics.median(ref_t):.2f} s)")
    return out, details


def memory_child(refugees: int, years: int) -> None:
    """Run in a fresh interpreter by `measure_memory`: print the peak memory before and after.

    The peak is `ru_maxrss`, read on Linux as the process's own high-water mark (VmHWM): a child
    started by a large parent inherits the parent's peak in `ru_maxrss` across exec (Linux keeps
    the old address space's high-water mark, and subprocess starts children with vfork), which
    would hide the model's growth behind the bench process's earlier runs. Both are printed.
    """
    import resource

    from sim import compiled
    compiled.ready()  # loading (or compiling) the kernels is not the model's memory
    scenario = scaled_typical(refugees, years)
    rss_now = _proc_status("VmRSS")
    peak0, maxrss0 = _proc_status("VmHWM"), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    model = IntroductionModel(scenario, seed=1, collect=False)
    model.run()
    run_s = time.perf_counter() - t0
    peak1, maxrss1 = _proc_status("VmHWM"), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    unit = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: kilobytes on Linux, bytes on macOS
    print(json.dumps({
        "refugees": int(model.population.n),
        "before_bytes": peak0 if peak0 is not None else maxrss0 * unit,
        "after_bytes": peak1 if peak1 is not None else maxrss1 * unit,
        "ru_maxrss_before_bytes": maxrss0 * unit, "ru_maxrss_after_bytes": maxrss1 * unit,
        "current_before_bytes": rss_now, "run_s": run_s, "refugee_weeks": refugee_weeks(model)}))


def _proc_status(field: str) -> int | None:
    """A memory figure of this process from /proc/self/status (Linux), in bytes; None elsewhere."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


_MEMORY_RUNS: dict[tuple[int, int], dict] = {}


def _memory_run(plan: Plan) -> dict:
    """The large run in a fresh process (once per size: bytes_per_refugee and million_run_s share it)."""
    key = (plan.memory_refugees, plan.memory_years)
    if key not in _MEMORY_RUNS:
        code = (f"import sys; sys.path.insert(0, {str(ROOT)!r}); from benchmarks.bench import memory_child; "
                f"memory_child({plan.memory_refugees}, {plan.memory_years})")
        res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        _MEMORY_RUNS[key] = json.loads(res.stdout.strip().splitlines()[-1])
    return dict(_MEMORY_RUNS[key])


def measure_million(plan: Plan) -> tuple[float, dict]:
    d = _memory_run(plan)
    _log(f"  {d['refugees']:,} refugees, {plan.memory_years} y: {d['run_s']:.1f} s, peak memory "
         f"{d['after_bytes'] / GIB:.2f} GiB")
    return d["run_s"], {"refugees": d["refugees"], "years": plan.memory_years, "peak_bytes": d["after_bytes"],
                        "fits_in_4_gib": d["after_bytes"] < 4 * GIB, "refugee_weeks": d["refugee_weeks"]}


def measure_memory(plan: Plan) -> tuple[float, dict]:
    d = _memory_run(plan)
    value = (d["after_bytes"] - d["before_bytes"]) / d["refugees"]
    # The same growth counted from the resident memory just before construction instead of the
    # earlier peak (imports): an upper reading, shown beside the defined one.
    cur = d["current_before_bytes"]
    d["bytes_per_refugee_from_current_rss"] = (d["after_bytes"] - cur) / d["refugees"] if cur else None
    _log(f"  bytes per refugee at {d['refugees']:,}: {value:.0f} (peak {d['after_bytes'] / 2**20:.0f} MB; "
         f"{d['bytes_per_refugee_from_current_rss'] or float('nan'):.0f} counted from the RSS before construction)")
    return value, {**d, "years": plan.memory_years}


def measure_falkenberg(plan: Plan) -> tuple[float, dict]:
    scenario = with_years(load_scenario("falkenberg"), plan.falkenberg_years)
    _run_ours(scenario, replicate_seed(2006, 999), collect=False).release()  # warm-up, not timed
    times = []
    for r in range(plan.falkenberg_repeats):
        dt, model = _timed(_run_ours, scenario, replicate_seed(2006, r), False)
        times.append(dt)
        model.release()
    med = statistics.median(times)
    work = _work(scenario, [replicate_seed(2006, r) for r in range(plan.falkenberg_repeats)]) / plan.falkenberg_repeats
    _log(f"  Falkenberg run: {med * 1000:.1f} ms (median of {len(times)})")
    return med, {"years": plan.falkenberg_years, "runs_s": times, "refugee_weeks": work}


def measure_national(plan: Plan) -> tuple[float, dict]:
    scenario = national_scenario(plan.national_arrivals_per_year, plan.national_years)
    times, n, work = [], 0, 0
    for r in range(plan.national_repeats):
        dt, model = _timed(_run_ours, scenario, r + 1, False)
        times.append(dt)
        n = int(model.population.n)
        work = refugee_weeks(model)
        model.release()
        del model
    med = statistics.median(times)
    _log(f"  national run: {med:.1f} s ({n:,} refugees)")
    return med, {**describe(scenario), "refugees": n, "runs_s": times, "refugee_weeks": work}


SWEEP = """\
name: bench_falkenberg
base: {base}
seed: 7
replicates: {replicates}
years: {years}
design: grid
dimensions:
  hours_per_week:
    path: municipalities.falkenberg.programme.hours_per_week
    values: {values}
"""


def measure_sweep(plan: Plan) -> tuple[float, dict]:
    points = min(10, plan.sweep_runs)
    replicates = max(1, plan.sweep_runs // points)
    values = [[20, 25, 30, 35, 40][i % 5] for i in range(points)]
    tmp = Path(tempfile.mkdtemp(prefix="bench-sweep-"))
    try:
        sweep = tmp / "bench.yaml"
        sweep.write_text(SWEEP.format(base=ROOT / "scenarios" / "falkenberg.yaml", replicates=replicates,
                                      years=plan.sweep_years, values=values))
        r = run_sweep_child(sweep, tmp / "out", plan.sweep_workers, None)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    value = r["runs"] / r["wall_s"] if r["wall_s"] else float("nan")
    falkenberg = with_years(load_scenario("falkenberg"), plan.sweep_years)
    r["refugee_weeks"] = _work(falkenberg, [replicate_seed(7, k) for k in range(replicates)]) * points
    _log(f"  sweep: {value:.2f} runs/s ({r['runs']} runs, {plan.sweep_workers} workers, {r['wall_s']} s)")
    return value, {**r, "years": plan.sweep_years}


def measure_replicates(plan: Plan) -> tuple[float, dict]:
    from sim.runner import run_replicates
    scenario = with_years(load_scenario("falkenberg"), plan.falkenberg_years)
    run_replicates(scenario, 20, seed=999, workers=1)  # warm-up, not timed
    times = [_timed(run_replicates, scenario, 20, r + 1, None, 1)[0] for r in range(plan.replicates_repeats)]
    med = statistics.median(times)
    work = sum(_work(scenario, [replicate_seed(r + 1, k) for k in range(20)])
               for r in range(plan.replicates_repeats)) / plan.replicates_repeats
    _log(f"  20 Falkenberg replicates: {med:.2f} s ({med / 20 * 1000:.0f} ms a run)")
    return med, {"years": plan.falkenberg_years, "runs_s": times, "refugee_weeks": work}


def measure_generation(plan: Plan) -> tuple[float, dict]:
    import numpy as np

    from sim.calibration.evaluate import Evaluator, build_groups, scenario_at
    from sim.calibration.spec import load_spec
    spec, targets = load_spec(ROOT / "calibration" / "specs" / "shipped.yaml")
    groups = build_groups(targets, ignore_scenario_parameters=True)[:plan.generation_groups]
    wanted = {tid for g in groups for tid in g.target_ids}
    targets = [t for t in targets if t.target.id in wanted]
    rng = np.random.default_rng(0)
    points = [{k: float(rng.uniform(p.low, p.high)) for k, p in spec.parameters.items()}
              for _ in range(plan.generation_candidates)]
    workers = plan.sweep_workers
    t0 = time.perf_counter()
    with Evaluator(targets, groups, plan.generation_replicates, spec.seed, workers) as ev:
        ev.run(points)
    dt = time.perf_counter() - t0
    runs = len(points) * len(groups) * plan.generation_replicates
    seeds = [replicate_seed(spec.seed, r) for r in range(plan.generation_replicates)]
    work = len(points) * sum(_work(scenario_at(g, {}), seeds) for g in groups)  # arrivals do not move with parameters
    _log(f"  calibration generation: {dt:.1f} s ({runs} runs, {workers} workers)")
    return dt, {"candidates": len(points), "groups": [f"{g.name} {g.years} y" for g in groups],
                "replicates": plan.generation_replicates, "runs": runs, "workers": workers, "refugee_weeks": work}


def measure_mesa_replicates(plan: Plan) -> tuple[float, dict]:
    from sim.runner import run_replicates
    scenario = core_only(1_000, plan.mesa_replicates_years)
    n = plan.mesa_replicates
    ours_t, _ = _timed(run_replicates, scenario, n, 1, None, 1)
    work = 0
    ref_t = 0.0
    for r in range(n):
        dt, ref = _timed(_run_reference, scenario, replicate_seed(1, r))
        ref_t += dt
        work += ref.refugee_weeks()
        del ref
    ratio = ref_t / ours_t  # the same refugee-weeks on both sides (the same scenario and seeds)
    _log(f"  Mesa ratio, {n} replicates at 1,000: {ratio:.1f} (ours {ours_t:.2f} s, reference {ref_t:.2f} s)")
    return ratio, {"replicates": n, "years": plan.mesa_replicates_years, "ours_s": ours_t, "reference_s": ref_t,
                   "reference_refugee_weeks": work}


def measure_explorer(plan: Plan) -> tuple[float, dict]:
    """The explorer's refresh after a change, two worker processes (benchmarks/explorer.py)."""
    from benchmarks import explorer
    n = plan.explorer_replicates
    r = explorer.measure("falkenberg", n, plan.explorer_repeats)
    falkenberg = load_scenario("falkenberg")
    r["refugee_weeks"] = _work(falkenberg, [replicate_seed(falkenberg.simulation.seed, k) for k in range(n)])
    value = r["refresh_s"]["2"]
    _log(f"  explorer refresh after a change: {value:.3f} s (2 workers; 1 worker {r['refresh_s']['1']:.3f} s)")
    return value, r


def measure_shipped_calibration(plan: Plan) -> tuple[float | None, dict]:
    """`run.py calibrate` on the shipped spec from an empty store, into a temporary folder."""
    if not plan.shipped_calibration:
        return None, {"skipped": "not in --quick (it takes minutes)"}
    tmp = Path(tempfile.mkdtemp(prefix="bench-calibration-"))
    try:
        cmd = [sys.executable, str(ROOT / "run.py"), "calibrate", str(ROOT / "calibration" / "specs" / "shipped.yaml"),
               "--workers", str(plan.sweep_workers), "--out", str(tmp / "report"), "--fitted", str(tmp / "fitted.yaml"),
               "--store", str(tmp / "store.jsonl"), "--quiet"]
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, text=True)
        dt = time.perf_counter() - t0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    _log(f"  the shipped calibration from scratch: {dt:.0f} s ({plan.sweep_workers} workers)")
    return dt, {"workers": plan.sweep_workers}


MEASURES = {
    "refugee_weeks_per_s": measure_refugee_weeks,
    "mesa_ratio": measure_mesa_ratio,
    "bytes_per_refugee": measure_memory,
    "falkenberg_run_s": measure_falkenberg,
    "national_run_s": measure_national,
    "sweep_runs_per_s": measure_sweep,
    "falkenberg_20_replicates_s": measure_replicates,
    "calibration_generation_s": measure_generation,
    "mesa_ratio_replicates": measure_mesa_replicates,
    "million_run_s": measure_million,
    "explorer_change_s": measure_explorer,
    "shipped_calibration_s": measure_shipped_calibration,
}


# --- the result -----------------------------------------------------------------------------

def sizes(plan: Plan) -> dict:
    """What each key was measured on (the JSON says it, so that quick and full are not confused)."""
    return {
        "refugee_weeks_per_s": {"refugees": list(plan.population_sizes), "years": plan.population_years,
                                "runs": list(plan.population_repeats)},
        "mesa_ratio": {"refugees": list(plan.mesa_sizes), "years": plan.mesa_years, "runs_each": plan.mesa_repeats},
        "bytes_per_refugee": {"refugees": plan.memory_refugees, "years": plan.memory_years},
        "falkenberg_run_s": {"years": plan.falkenberg_years, "runs": plan.falkenberg_repeats},
        "national_run_s": {"arrivals_per_year": plan.national_arrivals_per_year, "years": plan.national_years,
                           "runs": plan.national_repeats},
        "sweep_runs_per_s": {"runs": plan.sweep_runs, "years": plan.sweep_years, "workers": plan.sweep_workers},
        "falkenberg_20_replicates_s": {"years": plan.falkenberg_years, "runs": plan.replicates_repeats},
        "calibration_generation_s": {"candidates": plan.generation_candidates, "groups": plan.generation_groups,
                                     "replicates": plan.generation_replicates, "workers": plan.sweep_workers},
        "mesa_ratio_replicates": {"replicates": plan.mesa_replicates, "years": plan.mesa_replicates_years},
        "million_run_s": {"refugees": plan.memory_refugees, "years": plan.memory_years},
        "explorer_change_s": {"replicates": plan.explorer_replicates, "repeats": plan.explorer_repeats, "workers": 2},
        "shipped_calibration_s": {"measured": plan.shipped_calibration, "workers": plan.sweep_workers},
    }


def reduced(plan: Plan) -> list[str]:
    """Plain words for every way `plan` differs from the full benchmark."""
    full, out = asdict(FULL), []
    for k, v in asdict(plan).items():
        if k not in ("quick", "sweep_workers") and v != full[k]:
            out.append(f"{k}: {v} instead of {full[k]}")
    return out


def _target_applies(plan: Plan, key: str) -> bool:
    """A target is judged only where the measurement was made at the target's own size."""
    return {
        "refugee_weeks_per_s": 100_000 in plan.population_sizes and plan.population_years == 10,
        "mesa_ratio": 10_000 in plan.mesa_sizes and plan.mesa_years == 10,
        "bytes_per_refugee": plan.memory_refugees == 1_000_000 and plan.memory_years == 10,
        "million_run_s": plan.memory_refugees == 1_000_000 and plan.memory_years == 10,
        "explorer_change_s": plan.explorer_replicates == 20,
        "shipped_calibration_s": plan.shipped_calibration,
        "falkenberg_run_s": plan.falkenberg_years == 5,
        "national_run_s": (plan.national_arrivals_per_year, plan.national_years) == (25_000, 10),
        "sweep_runs_per_s": plan.sweep_runs == 1_000,
        "falkenberg_20_replicates_s": plan.falkenberg_years == 5,
        "calibration_generation_s": (plan.generation_candidates, plan.generation_groups,
                                     plan.generation_replicates) == (64, 4, 8),
        "mesa_ratio_replicates": (plan.mesa_replicates, plan.mesa_replicates_years) == (20, 10),
    }[key]


def judge(result: dict, plan: Plan) -> dict:
    out = {}
    for key, size, op, threshold, label in TARGETS:
        if key not in result:
            continue
        value = result[key].get(size) if size else result[key]
        if value is None or value != value or not _target_applies(plan, key):
            status = "n/a"
        else:
            met = {">=": value >= threshold, "<=": value <= threshold, "<": value < threshold}[op]
            if key == "million_run_s":
                met = met and result["details"][key]["fits_in_4_gib"]
            status = "PASS" if met else "MISS"
        out[key] = {"target": label, "value": value if status != "n/a" else None, "status": status}
    return out


def environment() -> dict:
    import mesa
    import numba
    import numpy

    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True, timeout=10, check=False).stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        commit = None
    return {"python": platform.python_version(), "numpy": numpy.__version__, "mesa": mesa.__version__,
            "numba": numba.__version__,
            "cpus": os.cpu_count(), "machine": platform.machine(), "commit": commit}


def run_bench(plan: Plan = FULL, only: list[str] | None = None) -> dict:
    """Measure every key (or those in `only`) under `plan`; the JSON object `--json` prints."""
    from sim import compiled
    keys = [k for k in KEYS if only is None or k in only]
    result: dict = {}
    details: dict = {}
    t0 = time.perf_counter()
    result["kernels_ready_s"] = compiled.warm()
    _log(f"kernels compiled or loaded in {result['kernels_ready_s']:.1f} s")
    for key in keys:
        _log(f"{key} ...")
        result[key], details[key] = MEASURES[key](plan)
    # The reference's speed for the "x Mesa" column: mesa_ratio timed it at 1,000 already, where
    # it ran; else it is timed now.
    at_1000 = details.get("mesa_ratio", {}).get("1000")
    if at_1000 is not None:
        result["reference_refugee_weeks_per_s"] = at_1000["reference_refugee_weeks_per_s"]
        details["reference"] = {"from": "mesa_ratio at 1,000"}
    else:
        result["reference_refugee_weeks_per_s"], details["reference"] = measure_reference_speed(plan)
    result["quick"] = plan.quick
    result["reduced"] = reduced(plan)
    result["sizes"] = {k: v for k, v in sizes(plan).items() if k in keys}
    result["details"] = details
    result["targets"] = judge(result, plan)
    result["relative_to_mesa"] = relative(result)
    result["environment"] = environment()
    result["wall_s"] = time.perf_counter() - t0
    return result


def relative(result: dict) -> dict:
    """Each row as a multiple of the Mesa reference's refugee-weeks per second of this run: the
    row's refugee-weeks per second of wall time over the reference's (None: no such ratio)."""
    ref = result["reference_refugee_weeks_per_s"]
    d = result["details"]
    out: dict = {}
    for key in result:
        if key not in MEASURES:
            continue
        value = result[key]
        if key == "refugee_weeks_per_s":
            out[key] = {n: v / ref for n, v in value.items()}
        elif key in ("mesa_ratio", "mesa_ratio_replicates"):
            out[key] = value  # measured against the reference side by side already
        elif key == "bytes_per_refugee":
            out[key] = None  # memory does not drift with the machine's load
        elif key == "sweep_runs_per_s":
            out[key] = d[key]["refugee_weeks"] / d[key]["wall_s"] / ref
        elif "refugee_weeks" in d.get(key, {}) and value is not None and value > 0:
            out[key] = d[key]["refugee_weeks"] / value / ref
        else:
            out[key] = None
    return out


def _fmt(v: float) -> str:
    if v >= 100:
        return f"{v:,.0f}"
    if v >= 1:
        return f"{v:.2f}"
    return f"{v:.3f}"


def table(result: dict) -> str:
    """The human-readable table: every value, its multiple of the Mesa reference of this run, its
    target and PASS/MISS (n/a: not at the target's size)."""
    targets = {t[0]: t for t in TARGETS}
    judged = result.get("targets", {})
    rel_all = result.get("relative_to_mesa", {})
    rows = [("measure", "measured on", "value", "x Mesa", "target", "status")]

    def unmeasured(key, name):
        """A target at a size this run did not measure (a quick run): say so rather than drop it."""
        t = targets[key]
        if t[1] not in result[key]:
            rows.append((name, f"{int(t[1]):,} (not measured)", "-", "-", t[4], "n/a"))

    def add(key, name, on, value, sub=None):
        t = targets.get(key)
        if t is None:
            target, status = "(none)", ""
        elif t[1] is not None and sub != t[1]:
            target, status = "", ""
        else:
            target, status = t[4], judged.get(key, {}).get("status", "")
        rel = rel_all.get(key)
        rel = rel.get(sub) if isinstance(rel, dict) else rel
        shown = "-" if value is None or value != value else _fmt(value)
        rows.append((name, on, shown, "-" if rel is None else _fmt(rel), target, status))

    sz = result.get("sizes", {})
    det = result.get("details", {})
    if "refugee_weeks_per_s" in result:
        years = sz["refugee_weeks_per_s"]["years"]
        for n, v in result["refugee_weeks_per_s"].items():
            add("refugee_weeks_per_s", "refugee-weeks per second", f"{int(n):,} refugees, {years} y", v, n)
        unmeasured("refugee_weeks_per_s", "refugee-weeks per second")
    if "mesa_ratio" in result:
        years = sz["mesa_ratio"]["years"]
        for n, v in result["mesa_ratio"].items():
            add("mesa_ratio", "speed over the Mesa reference", f"{int(n):,} core-only, {years} y", v, n)
        unmeasured("mesa_ratio", "speed over the Mesa reference")
    if "mesa_ratio_replicates" in result:
        s = sz["mesa_ratio_replicates"]
        add("mesa_ratio_replicates", "speed over Mesa, replicates", f"{s['replicates']} x 1,000 core-only, {s['years']} y",
            result["mesa_ratio_replicates"])
    if "bytes_per_refugee" in result:
        s = sz["bytes_per_refugee"]
        add("bytes_per_refugee", "bytes per refugee (peak RSS)", f"{s['refugees']:,} refugees, {s['years']} y",
            result["bytes_per_refugee"])
    if "million_run_s" in result:
        s, d = sz["million_run_s"], det["million_run_s"]
        add("million_run_s", "large run (s)",
            f"{s['refugees']:,} refugees, {s['years']} y, peak {d['peak_bytes'] / GIB:.2f} GiB", result["million_run_s"])
    if "falkenberg_run_s" in result:
        s = sz["falkenberg_run_s"]
        add("falkenberg_run_s", "Falkenberg run (s)", f"{s['years']} y, median of {s['runs']}", result["falkenberg_run_s"])
    if "falkenberg_20_replicates_s" in result:
        s = sz["falkenberg_20_replicates_s"]
        add("falkenberg_20_replicates_s", "20 Falkenberg replicates (s)", f"{s['years']} y, median of {s['runs']}",
            result["falkenberg_20_replicates_s"])
    if "national_run_s" in result:
        d = det["national_run_s"]
        add("national_run_s", "national run (s)",
            f"{d['municipalities']} munis, {d['arrivals_per_year']:,}/y, {d['years']} y", result["national_run_s"])
    if "calibration_generation_s" in result:
        s = sz["calibration_generation_s"]
        add("calibration_generation_s", "calibration generation (s)",
            f"{s['candidates']} x {s['groups']} x {s['replicates']}, {s['workers']} workers",
            result["calibration_generation_s"])
    if "sweep_runs_per_s" in result:
        s = sz["sweep_runs_per_s"]
        add("sweep_runs_per_s", "sweep runs per second", f"{s['runs']:,} Falkenberg runs, {s['workers']} workers",
            result["sweep_runs_per_s"])
    if "shipped_calibration_s" in result:
        s = sz["shipped_calibration_s"]
        add("shipped_calibration_s", "shipped calibration (s)",
            f"from scratch, {s['workers']} workers" if s["measured"] else "not measured (--quick)",
            result["shipped_calibration_s"])
    if "explorer_change_s" in result:
        s = sz["explorer_change_s"]
        add("explorer_change_s", "explorer: change to charts (s)",
            f"Falkenberg, {s['replicates']} replicates, median of {s['repeats']}", result["explorer_change_s"])
    widths = [max(len(r[i]) for r in rows) for i in range(6)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    if "reference_refugee_weeks_per_s" in result:
        lines.append(f"x Mesa: the row's refugee-weeks per second over the plain-Mesa reference's in this run "
                     f"({result['reference_refugee_weeks_per_s']:,.0f}, 1,000 core-only refugees, one core)")
    if "kernels_ready_s" in result:
        lines.append(f"kernels compiled or loaded before timing: {result['kernels_ready_s']:.1f} s")
    if result.get("quick"):
        lines.append("quick run: targets are judged only where measured at their own size (n/a otherwise); reduced:")
        lines += [f"  {r}" for r in result.get("reduced", [])]
    env = result.get("environment", {})
    lines.append(f"Python {env.get('python')}, NumPy {env.get('numpy')}, Mesa {env.get('mesa')}, "
                 f"numba {env.get('numba')}, {env.get('cpus')} CPUs, commit {env.get('commit')}; "
                 f"{result.get('wall_s', 0):.0f} s in all")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print one JSON object on stdout (the table goes to stderr)")
    ap.add_argument("--quick", action="store_true", help="reduced sizes and repeats, under a minute")
    ap.add_argument("--only", help=f"comma-separated keys to measure: {', '.join(KEYS)}")
    ap.add_argument("--workers", type=int, help="sweep workers (default: one per core)")
    args = ap.parse_args(argv)
    only = None
    if args.only:
        only = [k.strip() for k in args.only.split(",") if k.strip()]
        unknown = [k for k in only if k not in KEYS]
        if unknown:
            ap.error(f"unknown key(s) {', '.join(unknown)}; known: {', '.join(KEYS)}")
    plan = QUICK if args.quick else FULL
    if args.workers:
        plan = replace(plan, sweep_workers=args.workers)
    result = run_bench(plan, only)
    if args.json:
        print(table(result), file=sys.stderr)
        print(json.dumps(result, indent=1))
    else:
        print(table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
