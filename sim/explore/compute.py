"""The explorer's computation: a base scenario and its explored variant, run with the same seeds
and parameter sets as `run.py compare`, summarised by the same code (sim/comparison.py), stepped
week by week so that progress shows and a newer request can stop an older one between weeks.

No web code here; the app calls `explore` (and `comparison_runs` for the full report) from
background tasks.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Callable

import pandas as pd

from ..comparison import summary_of
from ..config import Scenario
from ..headline import spread_words, title_of, verdicts
from ..ranges import SEEDS_PER_MEMBER
from ..results import by_month_table
from ..runner import blocks_of, outputs_of, replicate_jobs, single_threaded, with_years
from ..worlds import Worlds


class Cancelled(Exception):
    """A newer request replaced this one (a control changed again), or the server is stopping."""


@dataclass(frozen=True)
class Settings:
    replicates: int = 20
    seed: int = 1
    parameters: str = "ensemble"
    seeds_per_member: int = SEEDS_PER_MEMBER  # as `run.py compare --seeds-per-member` (sim.ranges)


@dataclass
class Side:
    """One scenario's replicates: per-replicate figures and the by-month table (labelled with
    the scenario's name and the replicate)."""

    figures: list[dict]
    by_month: pd.DataFrame


@dataclass
class Outcome:
    """What the page shows: the comparison's summary (as summary.json), the verdicts, the
    charts and the time each part took."""

    summary: dict
    verdicts: list[str]
    by_month: pd.DataFrame
    figures: list[list[dict]]
    timings: dict[str, float] = field(default_factory=dict)
    charts: dict[str, str] = field(default_factory=dict)


Tick = Callable[[float], None]  # fraction of this step done; raises Cancelled to stop

# Set when the server stops: every run stops at its next tick, in this process and in the workers.
STOPPING = threading.Event()
# One simulation at a time in this process: two browser tabs take turns (there are two cores, and
# a batch already uses NumPy's vectorisation); a cancelled request lets go within a few weeks.
_LOCK = threading.Lock()
_CACHE: OrderedDict[tuple, Side] = OrderedDict()
_CACHE_SIZE = 8
TICK_WEEKS = 4


def _outputs(world, tables: bool) -> dict:
    """What a finished world gives: with `tables`, what `run_comparison` keeps of it (figures,
    weekly series, by-month table); without, the figures and by-month table the page needs."""
    if tables:
        return outputs_of(world, tables=True)
    return {"figures": world.figures(), "by_month": by_month_table(world)}


def _step_block(jobs: list[tuple], tick: Callable[[int], None] | None, tables: bool = False) -> list[dict]:
    """Step the jobs (scenario, seed, years) of one batch key to the end, `tick(weeks)` every
    TICK_WEEKS weeks; each world's outputs."""
    batch = Worlds([(with_years(s, years), seed) for s, seed, years in jobs])
    try:
        done = 0
        while batch.running:
            batch.advance(TICK_WEEKS)
            done = batch.t + 1
            if tick is not None:
                tick(done)
        return [_outputs(batch.world(w), tables) for w in range(len(jobs))]
    finally:
        batch.release()


def replicate_outputs(scenario: Scenario, settings: Settings, tick: Tick | None = None, workers: int = 1,
                      tables: bool = False) -> list[dict]:
    """Each replicate's outputs, in replicate order, as `run.py compare` runs them (replicate r:
    seed from (seed, r), parameter set from (seed, r // K)), in batches of worlds: in this process, or split over
    a pool of worker processes (the same numbers: a world is bit-identical however worlds are
    batched)."""
    jobs = replicate_jobs([scenario], settings.replicates, settings.seed, None, settings.parameters,
                          settings.seeds_per_member)
    parts = [(b, [jobs[i] for i in b]) for b in blocks_of([(s, years) for s, _, years in jobs], workers=workers)]
    total = scenario.weeks * len(parts)
    if workers > 1 and 1 < len(parts) <= _SLOTS:
        results = _pool(workers).run([jobs for _, jobs in parts], total, tick, tables)
    else:
        results = []
        for k, (_, part) in enumerate(parts):
            def weeks(done: int, before: int = k * scenario.weeks) -> None:
                if STOPPING.is_set():
                    raise Cancelled
                if tick is not None:
                    tick((before + done) / total)
            results.append(_step_block(part, weeks, tables))
    out: list[Any] = [None] * settings.replicates
    for (reps, _), res in zip(parts, results):
        for r, o in zip(reps, res):
            out[r] = o
    return out


def simulate(scenario: Scenario, settings: Settings, tick: Tick | None = None, workers: int = 1) -> Side:
    """One scenario's replicates: figures and the by-month table."""
    outs = replicate_outputs(scenario, settings, tick, workers)
    return Side([o["figures"] for o in outs],
                pd.concat([o["by_month"].assign(scenario=scenario.name, replicate=r) for r, o in enumerate(outs)],
                          ignore_index=True))


def comparison_runs(scenarios: list[Scenario], settings: Settings, progress: Callable[[float], None] | None = None,
                    workers: int = 1) -> list[dict]:
    """What `runner.run_comparison` returns for these scenarios and settings (figures, weekly
    series and by-month tables of every replicate), stepped here so that it shows progress and
    stops when the server does."""
    out = []
    with _LOCK:
        for k, s in enumerate(scenarios):
            def tick(f: float, k: int = k) -> None:
                if progress is not None:
                    progress((k + f) / len(scenarios))
            outs = replicate_outputs(s, settings, tick, workers, tables=True)
            out.append({key: [o[key] for o in outs] for key in ("figures", "timeseries", "by_month")})
    return out


# --- a pool of worker processes ------------------------------------------------------------------
# Spawned (not forked: the server has threads), started once and kept: a refresh then costs only
# its runs. Each worker writes its weeks done to a shared array and stops between weeks when the
# shared 'stop' number reaches its request's ticket.

_SLOTS = 4096  # parts of one run at most (more: the run stays in this process)
_WEEKS: Any = None
_STOP: Any = None


def worker_setup(weeks, stop) -> None:
    """A worker's start, after `watchdog.worker_init` has begun watching the server."""
    import signal
    global _WEEKS, _STOP
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    _WEEKS, _STOP = weeks, stop
    single_threaded()  # the pool already uses every core


def _worker_part(args) -> list[dict] | None:
    jobs, slot, ticket, tables = args

    def tick(done: int) -> None:
        _WEEKS[slot] = done
        if _STOP.value >= ticket:
            raise Cancelled
    try:
        return _step_block(jobs, tick, tables)
    except Cancelled:
        return None


class WorkersLost(RuntimeError):
    """A worker process ended unexpectedly; the next run starts new ones."""


class _Pool:
    def __init__(self, workers: int):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        ctx = multiprocessing.get_context("spawn")
        self.workers = workers
        self.weeks = ctx.Array("l", _SLOTS, lock=False)
        self.stop = ctx.Value("l", 0, lock=False)
        self.ticket = 0
        from .watchdog import worker_init
        self.executor = ProcessPoolExecutor(workers, mp_context=ctx, initializer=worker_init,
                                            initargs=(self.weeks, self.stop))

    def warm(self) -> None:
        """Start the workers and import the model in them now, not at the first refresh."""
        list(self.executor.map(_noop, range(self.workers)))

    def run(self, parts: list[list[tuple]], total: int, tick: Tick | None, tables: bool) -> list[list[dict]]:
        from concurrent.futures import FIRST_EXCEPTION, wait
        from concurrent.futures.process import BrokenProcessPool
        self.ticket += 1
        ticket = self.ticket
        slots = range(len(parts))
        for k in slots:
            self.weeks[k] = 0
        try:
            futures = [self.executor.submit(_worker_part, (jobs, k, ticket, tables)) for k, jobs in enumerate(parts)]
        except RuntimeError:  # the pool was shut down: the server is stopping
            raise Cancelled from None
        try:
            while True:
                finished, running = wait(futures, timeout=0.05, return_when=FIRST_EXCEPTION)
                failed = [f for f in finished if f.exception() is not None]
                if failed:
                    raise failed[0].exception()  # type: ignore[misc]
                if STOPPING.is_set():
                    raise Cancelled
                if tick is not None:
                    tick(sum(self.weeks[k] for k in slots) / total)
                if not running:
                    break
        except BaseException as exc:
            self.stop.value = ticket  # the other parts stop at their next tick
            wait(futures)
            if isinstance(exc, BrokenProcessPool):
                _drop(self)
                raise WorkersLost("a worker process ended unexpectedly; the next refresh starts new ones") from None
            raise
        results = [f.result() for f in futures]
        if any(r is None for r in results):
            raise Cancelled
        return results  # type: ignore[return-value]

    def close(self) -> None:
        self.stop.value = self.ticket
        self.executor.shutdown(wait=True, cancel_futures=True)


def _noop(_: int) -> None:
    return None


_POOLS: dict[int, _Pool] = {}


def _pool(workers: int) -> _Pool:
    pool = _POOLS.get(workers)
    if pool is None:
        pool = _POOLS[workers] = _Pool(workers)
    return pool


def _drop(pool: _Pool) -> None:
    for k, p in list(_POOLS.items()):
        if p is pool:
            del _POOLS[k]
    pool.executor.shutdown(wait=False, cancel_futures=True)


def start_workers(workers: int) -> None:
    """Compile or load the kernels, and start (and warm) the pool a refresh will use, so that the
    first refresh is not slow."""
    from .. import compiled
    compiled.ready()  # before the workers start: they load what this compiled
    STOPPING.clear()
    if workers > 1:
        _pool(workers).warm()


def stop_workers() -> None:
    """Stop the worker processes (a run on them stops at its next tick)."""
    for pool in list(_POOLS.values()):
        pool.close()
    _POOLS.clear()


def shutdown() -> None:
    """The server stops: every run stops at its next tick, here and in the workers, and the
    workers end. (`start_workers` opens the way again.)"""
    STOPPING.set()
    stop_workers()


def _cached(scenario: Scenario, settings: Settings, tick: Tick | None, workers: int) -> Side:
    key = (scenario.model_dump_json(), settings)
    hit = _CACHE.get(key)
    if hit is not None:
        _CACHE.move_to_end(key)
        return hit
    side = simulate(scenario, settings, tick, workers)
    _CACHE[key] = side
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return side


def explore(base: Scenario, variant: Scenario, settings: Settings, progress: Callable[[float], None] | None = None,
            current: Callable[[], bool] = lambda: True, charts: bool = True, workers: int = 1) -> Outcome:
    """Base and variant with the same seeds (the base from the cache when it has been run with
    these settings), their summary as `run.py compare` writes it, the verdicts and the charts.
    `current()` turning False stops the work at the next tick with Cancelled."""
    names = [base.name, variant.name]
    timings: dict[str, float] = {}
    parts = [("base", base), ("variant", variant)]

    def check() -> None:
        if STOPPING.is_set() or not current():
            raise Cancelled

    sides = []
    with _LOCK:
        # The share of the work each part is: a cached side costs nothing, charts some 5 %.
        weights = {"base": 0.0 if (base.model_dump_json(), settings) in _CACHE else 1.0, "variant": 1.0}
        whole = sum(weights.values()) * (1.05 if charts else 1.0)
        before = 0.0
        for part, scenario in parts:
            check()

            def tick(f: float, part: str = part, before: float = before) -> None:
                check()
                if progress is not None:
                    progress((before + weights[part] * f) / whole)
            t0 = time.perf_counter()
            sides.append(_cached(scenario, settings, tick, workers))
            timings[part] = time.perf_counter() - t0
            before += weights[part]
        t0 = time.perf_counter()
        figures = [s.figures for s in sides]
        summary = summary_of(names, [base, variant], figures, settings.parameters, settings.seed,
                             settings.seeds_per_member)
        titles = [title_of(s) for s in summary["scenarios"]]
        lines = verdicts(titles, summary["differences"], [base.simulation.years, variant.simulation.years],
                         spread_words(summary))
        by_month = pd.concat([s.by_month for s in sides], ignore_index=True)
        outcome = Outcome(summary, lines, by_month, figures, timings)
        timings["summary"] = time.perf_counter() - t0
        if charts:
            from .charts import draw_all
            check()
            t0 = time.perf_counter()
            outcome.charts = draw_all(outcome)
            timings["charts"] = time.perf_counter() - t0
    if progress is not None:
        progress(1.0)
    return outcome
