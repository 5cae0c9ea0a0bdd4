"""Replicates: each scenario run with the same replicate seeds (common random numbers), and their
figures summarised as a mean with a 5th-95th percentile interval.

A replicate's seed derives from (base seed, replicate number) through NumPy's SeedSequence, and its
parameter set (with a posterior ensemble) from (base seed, replicate number // K), K replicates
sharing one draw (`--seeds-per-member`, `sim.ranges`), so the figures are the same whether replicates
run in one process or many, in any order.
"""

from __future__ import annotations

import multiprocessing
import sys
from typing import Any, Callable, Sequence

import numpy as np

from .config import Scenario
from .config.arrivals import expected_arrivals
from .ensemble import Members
from .metrics import HEADLINE_MONTHS
from .ranges import SEEDS_PER_MEMBER
from .results import by_month_table, timeseries_long
from .states import KORA_CATEGORIES
from .stats import combine, interval
from .worlds import Worlds, batch_key


def process_context():
    """Fork where the platform has it: Mesa sets the global start method to 'spawn' on import,
    which would re-import the caller's main module in every worker."""
    return multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")


def replicate_seed(base_seed: int, replicate: int) -> int:
    return int(np.random.SeedSequence([int(base_seed), int(replicate)]).generate_state(1, dtype=np.uint32)[0])


def with_years(scenario: Scenario, years: int | None) -> Scenario:
    if years is None or years == scenario.simulation.years:
        return scenario
    return scenario.model_copy(update={"simulation": scenario.simulation.model_copy(update={"years": years})})


def run_one(scenario: Scenario, seed: int, years: int | None = None, tables: bool = False) -> dict:
    """Run one replicate to the end (no per-week DataCollector); its figures, or with `tables`
    {"figures", "timeseries", "by_month"} with the tidy tables too."""
    return run_block([(scenario, seed, years)], tables)[0]


def outputs_of(world, tables: bool) -> dict:
    """A finished world's figures, or with `tables` its figures and tidy tables."""
    out = world.figures()
    if tables:
        out = {"figures": out, "timeseries": timeseries_long(world), "by_month": by_month_table(world)}
    return out


def run_worlds(worlds: list[tuple[Scenario, int]], read: Callable[[Any, int], Any]) -> list:
    """(scenario, seed) worlds that share a batch key, run as one batch; read(world, i) of each
    finished world (a `WorldView`), in order (bit-identical to running each alone)."""
    batch = Worlds(worlds)
    batch.run()
    out = [read(batch.world(w), w) for w in range(len(worlds))]
    batch.release()
    return out


def run_block(jobs: list[tuple], tables: bool = False) -> list[dict]:
    """Jobs (scenario, seed, years) that share a batch key; each job's outputs, in job order."""
    return run_worlds([(with_years(s, years), seed) for s, seed, years in jobs],
                      lambda world, _: outputs_of(world, tables))


# A batch holds at most this many worlds, and about this much memory, so a block of worlds stays
# within a laptop's memory whatever the scenario's size.
BATCH_MAX_WORLDS = 64
BATCH_MAX_BYTES = 256 * 2**20


def world_bytes(scenario: Scenario) -> int:
    """What one world of `scenario` holds while it runs, roughly: some 450 bytes a person (the
    population's arrays and the week's temporaries; bench.py measures about 380) and some 300
    bytes a municipality and week (the recorder's panels and weekly counts)."""
    return 450 * expected_arrivals(scenario) + 300 * len(scenario.municipalities) * scenario.weeks


def blocks_of(worlds: Sequence[tuple[Scenario, int | None]], workers: int = 1,
              max_worlds: int = BATCH_MAX_WORLDS) -> list[list[int]]:
    """Indices of `worlds` (scenario, years) grouped into blocks that run as one batch: the same
    batch key, at most BATCH_MAX_WORLDS worlds and about BATCH_MAX_BYTES of memory, and at least as
    many blocks as workers where there are enough worlds. Blocks keep the worlds' order within them."""
    keys: dict[tuple[int, int | None], tuple[str, int]] = {}
    groups: dict[str, list[int]] = {}
    size: dict[str, int] = {}
    for i, (s, years) in enumerate(worlds):
        k = keys.get((id(s), years))
        if k is None:
            sy = with_years(s, years)
            k = keys[(id(s), years)] = (batch_key(sy), world_bytes(sy))
        groups.setdefault(k[0], []).append(i)
        size[k[0]] = max(size.get(k[0], 0), k[1])
    total = len(worlds)
    blocks = []
    for key, idx in groups.items():
        per_block = max(1, min(max_worlds, BATCH_MAX_BYTES // max(size[key], 1)))
        n = -(-len(idx) // per_block)
        # Enough blocks to keep every worker busy, in proportion to this group's share of worlds.
        if workers > 1:
            n = max(n, min(len(idx), -(-workers * len(idx) // total)))
        blocks += [[int(i) for i in b] for b in np.array_split(np.array(idx), n) if len(b)]
    return blocks


def _run_block_args(args):
    jobs, tables = args
    return run_block(jobs, tables)


def _worker_signals() -> None:
    """Workers leave Ctrl-C to the parent, which stops the whole pool at once; the parent's
    terminate() (SIGTERM) ends a worker quietly, whatever handler the parent had installed. A
    worker runs its batches on one thread: the pool already uses every core."""
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    single_threaded()


def single_threaded() -> None:
    """This process's batches run on one thread (a worker of a pool of processes)."""
    from . import week
    week.THREADS = 1


def pool_results(fn, jobs: list, workers: int, ordered: bool = True, initializer=_worker_signals,
                 initargs: tuple = ()):
    """Yield fn(job) from a process pool (in job order, or as they finish). An interrupt or error
    in the parent terminates the workers at once rather than waiting for the queued jobs."""
    pool = process_context().Pool(min(workers, len(jobs)), initializer=initializer, initargs=initargs)
    try:
        yield from (pool.imap if ordered else pool.imap_unordered)(fn, jobs)
    except BaseException:
        pool.terminate()
        pool.join()
        raise
    pool.close()
    pool.join()


def _map(jobs: list[tuple], workers: int, progress: Callable[[int], None] | None, tables: bool = False) -> list:
    """Run jobs (scenario, seed, years) in blocks of worlds, in this process or on a pool; the
    outputs come back in job order, and `progress` counts runs."""
    blocks = blocks_of([(s, years) for s, _, years in jobs], workers)
    work = [([jobs[i] for i in b], tables) for b in blocks]
    stream = ((_run_block_args(w) for w in work) if workers <= 1 or len(work) <= 1
              else pool_results(_run_block_args, work, workers))
    results: list = [None] * len(jobs)
    for b, res in zip(blocks, stream):
        for i, r in zip(b, res):
            results[i] = r
        if progress:
            progress(len(b))
    return results


def replicate_jobs(scenarios: list[Scenario], replicates: int, base: int, years: int | None,
                   parameters: str = "ensemble", seeds_per_member: int = SEEDS_PER_MEMBER) -> list[tuple]:
    """Jobs (scenario, seed, years), scenario by scenario then replicate by replicate: replicate r
    of every scenario has seed `replicate_seed(base, r)` and, where the scenario rests on a
    posterior ensemble and `parameters` is 'ensemble', the ensemble's member for
    (base, r // seeds_per_member) (`sim.ensemble`, `sim.ranges`): paired parameter sets and random
    numbers, K consecutive replicates sharing a parameter set with their own seeds."""
    members = Members(parameters, seeds_per_member)
    return [(members.scenario(s, base, r), replicate_seed(base, r), years) for s in scenarios for r in range(replicates)]


def run_replicates(scenario: Scenario, replicates: int, seed: int | None = None,
                   years: int | None = None, workers: int = 1,
                   progress: Callable[[int], None] | None = None, parameters: str = "ensemble",
                   seeds_per_member: int = SEEDS_PER_MEMBER) -> list[dict]:
    """Figures of each replicate; replicate r's seed is `replicate_seed(seed, r)`."""
    base = scenario.simulation.seed if seed is None else seed
    return _map(replicate_jobs([scenario], replicates, base, years, parameters, seeds_per_member), workers, progress)


def run_figures_of(scenarios: list[Scenario], replicates: int, seed: int, years: int | None = None,
                   workers: int = 1, progress: Callable[[int], None] | None = None,
                   parameters: str = "ensemble", seeds_per_member: int = SEEDS_PER_MEMBER) -> list[list[dict]]:
    """Every scenario's figures per replicate, all with the same replicate seeds (no tables)."""
    flat = _map(replicate_jobs(scenarios, replicates, seed, years, parameters, seeds_per_member), workers, progress)
    return [flat[i * replicates:(i + 1) * replicates] for i in range(len(scenarios))]


def run_comparison(scenarios: list[Scenario], replicates: int, seed: int | None = None,
                   years: int | None = None, workers: int = 1,
                   progress: Callable[[int], None] | None = None, parameters: str = "ensemble",
                   seeds_per_member: int = SEEDS_PER_MEMBER) -> list[dict]:
    """Every scenario with the same replicate seeds (common random numbers) and, with an
    ensemble, the same parameter sets (replicate r: the draw for (base seed, r // seeds_per_member));
    tables kept.

    The base seed is `seed`, or the first scenario's, for all scenarios alike; returns, per
    scenario, {"figures": [...], "timeseries": [...], "by_month": [...]} in replicate order.
    """
    base = scenarios[0].simulation.seed if seed is None else seed
    flat = _map(replicate_jobs(scenarios, replicates, base, years, parameters, seeds_per_member), workers, progress,
                tables=True)
    out = []
    for i in range(len(scenarios)):
        chunk = flat[i * replicates:(i + 1) * replicates]
        out.append({k: [c[k] for c in chunk] for k in ("figures", "timeseries", "by_month")})
    return out


def summarise(name: str, runs: list[dict], title: str | None = None, years: int | None = None) -> dict[str, Any]:
    """The `run --json` summary: the keys the README promises, plus a few more (keys are added,
    never renamed)."""
    def by_month(key, sub=None):
        return {str(m): interval([(r[key] if sub is None else r[key][sub])[str(m)] for r in runs])
                for m in HEADLINE_MONTHS}

    return {
        "scenario": name,
        "title": title or name,
        "years": years,
        "replicates": len(runs),
        "refugees": runs[0]["refugees"] if runs else 0,
        "self_sufficiency": by_month("self_sufficiency"),
        "employment": by_month("employment"),
        "employment_by_sex": {s: by_month("employment_by_sex", s) for s in ("female", "male")},
        "self_sufficiency_by_sex": {s: by_month("self_sufficiency_by_sex", s) for s in ("female", "male")},
        "employment_unsubsidised": by_month("employment_unsubsidised"),
        "occupied_off_support": by_month("occupied_off_support"),
        "passive_support": by_month("passive_support"),
        "employment_during_year": {str(k): interval([r["employment_during_year"].get(str(k)) for r in runs])
                                   for k in range(1, 6)},
        "labour_market_contact_year1": interval([r["labour_market_contact_year1"] for r in runs]),
        "job_3_weeks_within_3_years": interval([r["job_3_weeks_within_3_years"] for r in runs]),
        "sfi_course_year1": interval([r["sfi_course_year1"] for r in runs]),
        "sfi_completed_year1": interval([r["sfi_completed_year1"] for r in runs]),
        "median_weeks_to_first_job": interval([r["median_weeks_to_first_job"] for r in runs]),
        "weeks_in_state_first_3_years": {
            k: (None if any(r["weeks_in_state_first_3_years"][k] is None for r in runs)
                else float(np.mean([r["weeks_in_state_first_3_years"][k] for r in runs])))
            for k in KORA_CATEGORIES},
        "median_weeks_to_self_sufficiency": interval([r["median_weeks_to_self_sufficiency"] for r in runs]),
        "private_share_of_internships": interval([r["private_share_of_internships"] for r in runs]),
        "costs_sek_per_refugee": interval([r["costs_sek_per_refugee"] for r in runs]),
        "first_job_within": {k: interval([r["first_job_within"][k] for r in runs])
                             for k in (runs[0].get("first_job_within") or {} if runs else {})},
        "by_municipality": by_municipality_summary(runs),
    }


def by_municipality_summary(runs: list[dict]) -> dict:
    """Each municipality's groups (own refugees, moved in, moved out: `metrics.GROUPS`) and its
    other job seekers' hires, over replicates (mean and 5th-95th percentile)."""
    if not runs or "by_municipality" not in runs[0]:
        return {}
    return combine(interval, [r["by_municipality"] for r in runs])
