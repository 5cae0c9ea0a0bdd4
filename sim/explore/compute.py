"""The explorer's computation: a base scenario and its explored variant, run with the same seeds
and parameter sets as `run.py compare`, summarised by the same code (sim/comparison.py), stepped
week by week so that progress shows and a newer request can stop an older one between weeks.

No web code here; the app calls `explore` from a background task.
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
from ..model import Worlds
from ..results import by_month_table
from ..runner import blocks_of, replicate_jobs, with_years


class Cancelled(Exception):
    """A newer request replaced this one (a control changed again)."""


@dataclass(frozen=True)
class Settings:
    replicates: int = 20
    seed: int = 1
    parameters: str = "ensemble"


@dataclass
class Side:
    """One scenario's replicates: per-replicate figures and the by-month table."""

    name: str
    figures: list[dict]
    by_month: pd.DataFrame
    seconds: float


@dataclass
class Outcome:
    """What the page shows: the comparison's summary (as summary.json), the verdicts and the
    time each part took."""

    summary: dict
    verdicts: list[str]
    by_month: pd.DataFrame
    figures: list[list[dict]]
    timings: dict[str, float] = field(default_factory=dict)
    charts: dict[str, bytes | str] = field(default_factory=dict)


Tick = Callable[[float], None]  # fraction of this step done; raises Cancelled to stop


# One simulation at a time in this process: two browser tabs take turns (there are two cores, and
# the batch already uses NumPy's vectorisation); a cancelled request lets go within a few weeks.
_LOCK = threading.Lock()
_CACHE: OrderedDict[tuple, Side] = OrderedDict()
_CACHE_SIZE = 8
TICK_WEEKS = 4


def _step_block(jobs: list[tuple], name: str, replicates: list[int],
                tick: Callable[[int], None] | None) -> tuple[list, list]:
    """Step the jobs (scenario, seed, years) of one batch key to the end: their figures and
    by-month tables (labelled with their replicate numbers); `tick(weeks)` every TICK_WEEKS weeks."""
    batch = Worlds([(with_years(s, years), seed) for s, seed, years in jobs])
    try:
        done = 0
        while batch.running:
            batch.step()
            done += 1
            if tick is not None and done % TICK_WEEKS == 0:
                tick(done)
        figures, tables = [], []
        for w in range(len(jobs)):
            world = batch.world(w)
            figures.append(world.figures())
            tables.append(by_month_table(world).assign(scenario=name, replicate=replicates[w]))
        return figures, tables
    finally:
        batch.release()


def _parts(scenario: Scenario, settings: Settings, workers: int) -> list[tuple[list[int], list[tuple]]]:
    """The replicates as `run.py compare` runs them (replicate r: seed and parameter set from
    (seed, r)), cut into batches of worlds, one or more a worker: (replicate numbers, jobs)."""
    jobs = replicate_jobs([scenario], settings.replicates, settings.seed, None, settings.parameters)
    return [(b, [jobs[i] for i in b]) for b in blocks_of([(s, years) for s, _, years in jobs], workers=workers)]


def simulate(scenario: Scenario, name: str, settings: Settings, tick: Tick | None = None, workers: int = 1) -> Side:
    """One scenario's replicates: in this process, or split over a pool of worker processes
    (the same figures: each world is bit-identical however the worlds are batched)."""
    start = time.perf_counter()
    parts = _parts(scenario, settings, workers)
    total = scenario.weeks * len(parts)
    figures: list[Any] = [None] * settings.replicates
    tables: list[Any] = [None] * settings.replicates
    if workers > 1 and len(parts) > 1:
        results = _pool(workers).run([(jobs, name, reps) for reps, jobs in parts], total, tick)
    else:
        results = []
        for k, (reps, jobs) in enumerate(parts):
            def weeks(done: int, before: int = k * scenario.weeks) -> None:
                if tick is not None:
                    tick((before + done) / total)
            results.append(_step_block(jobs, name, reps, weeks))
    for (reps, _), (f, t) in zip(parts, results):
        for r, fr, tr in zip(reps, f, t):
            figures[r], tables[r] = fr, tr
    return Side(name, figures, pd.concat(tables, ignore_index=True), time.perf_counter() - start)


# --- a pool of worker processes ------------------------------------------------------------------
# Spawned (not forked: the server has threads), started once and kept: a refresh then costs only
# its runs. Each worker writes its weeks done to a shared array and stops between weeks when the
# shared 'stop' number reaches its request's ticket.

_WEEKS: Any = None
_STOP: Any = None


def _worker_init(weeks, stop) -> None:
    import os
    import signal
    global _WEEKS, _STOP
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    _WEEKS, _STOP = weeks, stop
    parent = os.getppid()

    def watch() -> None:  # a server killed outright (SIGKILL) cannot stop its workers: they stop themselves
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)
    threading.Thread(target=watch, daemon=True).start()


def _worker_part(args) -> tuple[list, list] | None:
    jobs, name, replicates, slot, ticket = args

    def tick(done: int) -> None:
        _WEEKS[slot] = done
        if _STOP.value >= ticket:
            raise Cancelled
    try:
        return _step_block(jobs, name, replicates, tick)
    except Cancelled:
        return None


class _Pool:
    def __init__(self, workers: int, slots: int = 64):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        ctx = multiprocessing.get_context("spawn")
        self.workers = workers
        self.weeks = ctx.Array("l", slots, lock=False)
        self.stop = ctx.Value("l", 0, lock=False)
        self.ticket = 0
        self.executor = ProcessPoolExecutor(workers, mp_context=ctx, initializer=_worker_init,
                                            initargs=(self.weeks, self.stop))

    def warm(self) -> None:
        """Start the workers and import the model in them now, not at the first refresh."""
        list(self.executor.map(_noop, range(self.workers)))

    def run(self, parts: list[tuple], total: int, tick: Tick | None) -> list[tuple[list, list]]:
        from concurrent.futures import FIRST_EXCEPTION, wait
        self.ticket += 1
        ticket = self.ticket
        slots = range(len(parts))
        for k in slots:
            self.weeks[k] = 0
        futures = [self.executor.submit(_worker_part, (jobs, name, reps, k, ticket))
                   for k, (jobs, name, reps) in enumerate(parts)]
        try:
            while True:
                finished, running = wait(futures, timeout=0.05, return_when=FIRST_EXCEPTION)
                if tick is not None:
                    tick(sum(self.weeks[k] for k in slots) / total)
                if not running:
                    break
        except Cancelled:
            self.stop.value = ticket  # the workers stop at their next tick
            wait(futures)
            raise
        results = [f.result() for f in futures]
        if any(r is None for r in results):
            raise Cancelled
        return results  # type: ignore[return-value]

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


def _noop(_: int) -> None:
    return None


_POOLS: dict[int, _Pool] = {}


def _pool(workers: int) -> _Pool:
    pool = _POOLS.get(workers)
    if pool is None:
        pool = _POOLS[workers] = _Pool(workers)
    return pool


def start_workers(workers: int) -> None:
    """Start (and warm) the pool a refresh will use, so that the first one is not slow."""
    if workers > 1:
        _pool(workers).warm()


def stop_workers() -> None:
    for pool in _POOLS.values():
        pool.close()
    _POOLS.clear()


def _cached(scenario: Scenario, name: str, settings: Settings, tick: Tick | None, workers: int) -> Side:
    key = (scenario.model_dump_json(), name, settings)
    hit = _CACHE.get(key)
    if hit is not None:
        _CACHE.move_to_end(key)
        return hit
    side = simulate(scenario, name, settings, tick, workers)
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
    key_of = (base.model_dump_json(), names[0], settings)
    parts = [("base", base, names[0]), ("variant", variant, names[1])]
    # The share of the work each part is: a cached side costs nothing, charts some 15 %.
    weights = {"base": 0.0 if key_of in _CACHE else 1.0, "variant": 1.0}
    whole = sum(weights.values()) * (1.15 if charts else 1.0)
    before = 0.0

    def tick_for(part: str) -> Tick:
        def tick(f: float) -> None:
            if not current():
                raise Cancelled
            if progress is not None:
                progress((before + weights[part] * f) / whole)
        return tick

    sides = []
    with _LOCK:
        for part, scenario, name in parts:
            if not current():
                raise Cancelled
            t0 = time.perf_counter()
            sides.append(_cached(scenario, name, settings, tick_for(part), workers))
            timings[part] = time.perf_counter() - t0
            before += weights[part]
        t0 = time.perf_counter()
        figures = [s.figures for s in sides]
        summary = summary_of(names, [base, variant], figures, settings.parameters, settings.seed)
        titles = [title_of(s) for s in summary["scenarios"]]
        lines = verdicts(titles, summary["differences"], [base.simulation.years, variant.simulation.years],
                         spread_words(summary))
        by_month = pd.concat([s.by_month for s in sides], ignore_index=True)
        outcome = Outcome(summary, lines, by_month, figures, timings)
        timings["summary"] = time.perf_counter() - t0
        if charts:
            from .charts import draw_all
            if not current():
                raise Cancelled
            t0 = time.perf_counter()
            outcome.charts = draw_all(outcome)
            timings["charts"] = time.perf_counter() - t0
    if progress is not None:
        progress(1.0)
    return outcome
