"""Running a sweep: in this process, on a local process pool, or on a Dask cluster.

Every run is a task (point, replicate, seed); tasks run in blocks of worlds stepped together
(`sim.worlds`), a block per pool job or Dask task. The base scenario and the points travel to the
workers once (a pool's initializer, or a Dask broadcast), so no YAML file is needed there. Results
stream back in any order and are appended to the store as they come; memory stays flat because
only a bounded number of blocks is in flight on Dask and a pool's results are consumed at once.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
import zipfile
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import pandas as pd

from ..config.schema import Scenario
from ..ensemble import Members
from ..errors import BackendError
from ..results import timeseries_long
from ..runner import BATCH_MAX_WORLDS, _worker_signals, blocks_of, pool_results, run_worlds
from .design import point_scenario
from .spec import Sweep
from .store import flat_figures

Task = tuple[int, int, int]  # (point, replicate, seed)


@dataclass
class Context:
    """What every worker needs: the base scenario, the sweep and its points."""

    base: Scenario
    sweep: Sweep
    points: list[dict[str, Any]]
    batch: int = BATCH_MAX_WORLDS  # runs stepped together at most (a killed block is redone)
    members: Members | None = None  # default: the base scenario's ensemble for sweep.parameters

    def __post_init__(self) -> None:
        # Read here, where the files are: the context travels to workers (a remote Dask worker has
        # this package but not its data files) with the ensemble in it.
        if self.members is None:
            self.members = Members(self.sweep.parameters).bound_to(self.base)


def run_task(ctx: Context, task: Task) -> dict:
    """One run; returns its row (and its weekly series when the sweep asks for them)."""
    return run_tasks(ctx, [task])[0]


def run_tasks(ctx: Context, tasks: list[Task]) -> list[dict]:
    """Runs that share a batch key, as the worlds of one batch (bit-identical to each alone);
    each run's row (and weekly series). A row's wall time is its share of the batch's."""
    t0 = time.perf_counter()
    scenarios: dict[int, Scenario] = {}
    for point, _, _ in tasks:
        if point not in scenarios:
            scenarios[point] = point_scenario(ctx.base, ctx.sweep, ctx.points[point])

    members = ctx.members
    assert members is not None  # set when the context was made
    ens = members.ensemble(ctx.base)

    def read(world, i: int) -> dict:
        point, replicate, seed = tasks[i]
        out: dict = {"row": {"point": point, "replicate": replicate, "seed": seed,
                             "parameter_set": None if ens is None else ens.member(ctx.sweep.seed, replicate),
                             **ctx.points[point], **flat_figures(world.figures())}}
        if ctx.sweep.outputs.timeseries:
            out["timeseries"] = timeseries_long(world)
        return out
    # Replicate r runs the ensemble's set for (sweep seed, r) at every point: points are compared
    # with the same parameter sets, as scenarios are in a comparison.
    outs = run_worlds([(members.scenario(scenarios[point], ctx.sweep.seed, replicate), seed)
                       for point, replicate, seed in tasks], read)
    share = round((time.perf_counter() - t0) / len(tasks), 4)
    for out in outs:
        out["row"]["wall_time_s"] = share
    return outs


# Paths whose values the worlds of a batch must share (see sim.worlds.batch_key: the simulated
# period and its start).
_SHARED_PREFIXES = ("simulation.",)


def task_blocks(ctx: Context, tasks: list[Task], workers: int) -> list[list[Task]]:
    """Tasks grouped into blocks of worlds (see runner.blocks_of). A sweep over anything but the
    simulated period shares one batch key; one over the period is grouped point by point."""
    varies_shared = any(d.path.startswith(_SHARED_PREFIXES) for d in ctx.sweep.dimensions.values())
    if varies_shared:
        by_point: dict[int, Scenario] = {}
        for point, _, _ in tasks:
            if point not in by_point:
                by_point[point] = point_scenario(ctx.base, ctx.sweep, ctx.points[point])
        worlds = [(by_point[p], None) for p, _, _ in tasks]
    else:
        first = point_scenario(ctx.base, ctx.sweep, ctx.points[tasks[0][0]]) if tasks else ctx.base
        worlds = [(first, None)] * len(tasks)
    return [[tasks[i] for i in b] for b in blocks_of(worlds, workers, ctx.batch)]


_CTX: Context | None = None


def _init_worker(ctx: Context) -> None:
    global _CTX
    _CTX = ctx
    _worker_signals()


def _pool_block(block: list[Task]) -> list[dict]:
    assert _CTX is not None, "the pool's initializer sets the context"
    return run_tasks(_CTX, block)


def serial(ctx: Context, blocks: list[list[Task]]) -> Iterator[dict]:
    for b in blocks:
        yield from run_tasks(ctx, b)


def local_pool(ctx: Context, blocks: list[list[Task]], workers: int) -> Iterator[dict]:
    for outs in pool_results(_pool_block, blocks, workers, ordered=False, initializer=_init_worker,
                             initargs=(ctx,)):
        yield from outs


def _package_zip() -> Path:
    """The `sim` package as a zip, so that remote Dask workers run this very code."""
    root = Path(__file__).resolve().parents[1]
    fd, name = tempfile.mkstemp(suffix=".zip", prefix="sim-")
    os.close(fd)
    with zipfile.ZipFile(name, "w", zipfile.ZIP_DEFLATED) as z:
        for p in root.rglob("*.py"):
            z.write(p, Path("sim") / p.relative_to(root))
    return Path(name)


@contextlib.contextmanager
def dask_client(scheduler: str, workers: int) -> Iterator[Any]:
    """A Dask client: a LocalCluster of `workers` processes for 'local', else the scheduler at that
    address, with this very `sim` package uploaded to its workers."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise BackendError("Dask is not installed: pip install -e '.[cluster]'") from None
    cluster = None
    try:
        if scheduler == "local":
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
            client = Client(cluster)
        else:
            client = Client(scheduler, timeout="20s")
            package = _package_zip()
            try:
                client.upload_file(str(package))
            finally:
                package.unlink(missing_ok=True)
    except (OSError, TimeoutError, ValueError) as exc:
        if cluster is not None:
            cluster.close()
        raise BackendError(f"cannot reach the Dask scheduler '{scheduler}': {exc}") from None
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def dask(ctx: Context, blocks: list[list[Task]], scheduler: str, workers: int,
         on_start: Callable[[str], None] | None = None) -> Iterator[dict]:
    from distributed import as_completed
    with dask_client(scheduler, workers) as client:
        n_threads = max(1, sum(client.nthreads().values()))
        if on_start:
            on_start(f"Dask: {len(client.nthreads())} workers, {n_threads} threads at {client.scheduler.address}")
        ctx_future = client.scatter(ctx, broadcast=True)
        it = iter(blocks)
        queue = as_completed()
        for b in islice(it, 2 * n_threads):  # a bounded number in flight keeps memory flat
            queue.add(client.submit(run_tasks, ctx_future, b, pure=False))
        for fut in queue:
            res = fut.result()
            fut.release()
            yield from res
            nxt = next(it, None)
            if nxt is not None:
                queue.add(client.submit(run_tasks, ctx_future, nxt, pure=False))


def write_timeseries(folder: Path, result: dict) -> None:
    """One file per run, written whole (temporary name, then rename) before its row is appended."""
    ts: pd.DataFrame | None = result.get("timeseries")
    if ts is None:
        return
    row = result["row"]
    d = folder / "timeseries"
    d.mkdir(exist_ok=True)
    final = d / f"point{row['point']:05d}-rep{row['replicate']:04d}.csv"
    tmp = final.with_suffix(".tmp")
    ts.to_csv(tmp, index=False)
    os.replace(tmp, final)


def backend(ctx: Context, tasks: list[Task], workers: int, scheduler: str | None,
            on_start: Callable[[str], None] | None = None) -> Iterable[dict]:
    if scheduler:
        # Dask spreads blocks over however many threads the cluster has: blocks for 8 of them.
        return dask(ctx, task_blocks(ctx, tasks, max(workers, 8)), scheduler, workers, on_start)
    blocks = task_blocks(ctx, tasks, workers)
    if workers <= 1 or len(blocks) <= 1:
        return serial(ctx, blocks)
    return local_pool(ctx, blocks, workers)
