"""Running a sweep: in this process, on a local process pool, or on a Dask cluster.

Every run is a task (point, replicate, seed); the base scenario and the points travel to the
workers once (a pool's initializer, or a Dask broadcast), so no YAML file is needed there. Results
stream back in any order and are appended to the store as they come; memory stays flat because
only a bounded number of tasks is in flight on Dask and a pool's results are consumed at once.
"""

from __future__ import annotations

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
from ..errors import BackendError
from ..model import IntroductionModel
from ..runner import _worker_signals, pool_results
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


def run_task(ctx: Context, task: Task) -> dict:
    """One run; returns its row (and its weekly series when the sweep asks for them)."""
    point, replicate, seed = task
    t0 = time.perf_counter()
    scenario = point_scenario(ctx.base, ctx.sweep, ctx.points[point])
    model = IntroductionModel(scenario, seed=seed, collect=False)
    model.run()
    row = {"point": point, "replicate": replicate, "seed": seed, **ctx.points[point],
           **flat_figures(model.figures())}
    out = {"row": row}
    if ctx.sweep.outputs.timeseries:
        from ..results import timeseries_long
        out["timeseries"] = timeseries_long(model)
    model.release()
    row["wall_time_s"] = round(time.perf_counter() - t0, 4)
    return out


_CTX: Context | None = None


def _init_worker(ctx: Context) -> None:
    global _CTX
    _CTX = ctx
    _worker_signals()


def _pool_task(task: Task) -> dict:
    assert _CTX is not None, "the pool's initializer sets the context"
    return run_task(_CTX, task)


def serial(ctx: Context, tasks: list[Task]) -> Iterator[dict]:
    for t in tasks:
        yield run_task(ctx, t)


def local_pool(ctx: Context, tasks: list[Task], workers: int) -> Iterator[dict]:
    return pool_results(_pool_task, tasks, workers, ordered=False, initializer=_init_worker, initargs=(ctx,))


def _package_zip() -> Path:
    """The `sim` package as a zip, so that remote Dask workers run this very code."""
    root = Path(__file__).resolve().parents[1]
    fd, name = tempfile.mkstemp(suffix=".zip", prefix="sim-")
    os.close(fd)
    with zipfile.ZipFile(name, "w", zipfile.ZIP_DEFLATED) as z:
        for p in root.rglob("*.py"):
            z.write(p, Path("sim") / p.relative_to(root))
    return Path(name)


def dask(ctx: Context, tasks: list[Task], scheduler: str, workers: int,
         on_start: Callable[[str], None] | None = None) -> Iterator[dict]:
    try:
        from distributed import Client, LocalCluster, as_completed
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
        n_threads = max(1, sum(client.nthreads().values()))
        if on_start:
            on_start(f"Dask: {len(client.nthreads())} workers, {n_threads} threads at {client.scheduler.address}")
        ctx_future = client.scatter(ctx, broadcast=True)
        it = iter(tasks)
        queue = as_completed()
        for t in islice(it, 4 * n_threads):  # a bounded number in flight keeps memory flat
            queue.add(client.submit(run_task, ctx_future, t, pure=False))
        for fut in queue:
            res = fut.result()
            fut.release()
            yield res
            nxt = next(it, None)
            if nxt is not None:
                queue.add(client.submit(run_task, ctx_future, nxt, pure=False))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


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
        return dask(ctx, tasks, scheduler, workers, on_start)
    if workers <= 1 or len(tasks) <= 1:
        return serial(ctx, tasks)
    return local_pool(ctx, tasks, workers)
