"""Batch sweeps over levers and parameters: reproducible, resumable, streaming, local or on Dask."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Callable

import pandas as pd

from ..errors import BackendError
from ..output import FolderLock
from .design import check_points, points, run_seed
from .execute import Context, backend, write_timeseries
from .spec import Sweep, load_sweep
from .store import ResumeError, RunStore, figure_columns

__all__ = ["ResumeError", "Sweep", "load_sweep", "run_sweep", "sweep_columns"]


def sweep_columns(sweep: Sweep) -> list[str]:
    return ["point", "replicate", "seed", "parameter_set", *sweep.dimensions, *figure_columns(), "wall_time_s"]


def run_sweep(sweep_file: Path, folder: Path, workers: int, scheduler: str | None, fresh: bool,
              progress: Callable[[int, int, int], None] | None = None,
              on_start: Callable[[str], None] | None = None, loaded=None, batch: int | None = None) -> dict:
    """Run every (point, replicate) not yet in the folder's table; returns counts.

    progress(done_now, done_total, total) is called after each run; `loaded` is what
    `load_sweep(sweep_file)` returned, if the caller has it already; `batch` caps the runs stepped
    together as one batch of worlds (default runner.BATCH_MAX_WORLDS).
    """
    sweep, base, _ = loaded or load_sweep(sweep_file)
    pts = points(sweep)
    check_points(base, sweep, pts, str(sweep_file))
    with FolderLock(folder):  # a second sweep into the same folder stops here, before any run
        return _run_locked(sweep_file, folder, workers, scheduler, fresh, progress, on_start, sweep, base, pts,
                           batch)


def _run_locked(sweep_file, folder, workers, scheduler, fresh, progress, on_start, sweep, base, pts, batch) -> dict:
    new = not Path(folder).exists()
    ran = [0]
    try:
        return _run_in(folder, workers, scheduler, fresh, progress, on_start, sweep, base, pts, ran, batch)
    except BackendError:
        # The backend could not start (a Dask scheduler out of reach): a folder this call made
        # holds no run yet, so it goes, and the same command can simply be given again.
        if new and ran[0] == 0:
            shutil.rmtree(folder, ignore_errors=True)
        raise


def _run_in(folder, workers, scheduler, fresh, progress, on_start, sweep, base, pts, ran: list[int],
            batch: int | None) -> dict:
    store = RunStore(folder, sweep_columns(sweep))
    done = store.prepare(sweep.model_dump(mode="json"), base.model_dump(mode="json", by_alias=True), fresh)
    table = pd.DataFrame([{"point": i, **p} for i, p in enumerate(pts)])
    tmp = folder / "points.csv.tmp"
    table.to_csv(tmp, index=False)
    os.replace(tmp, folder / "points.csv")
    tasks = [(p, r, run_seed(sweep, p, r)) for p in range(len(pts)) for r in range(sweep.replicates)
             if (p, r) not in done]
    total = len(pts) * sweep.replicates
    n_done = len(done)
    if progress:
        progress(0, n_done, total)
    ctx = Context(base=base, sweep=sweep, points=pts)
    if batch is not None:
        ctx.batch = batch
    try:
        for result in backend(ctx, tasks, workers, scheduler, on_start):
            write_timeseries(folder, result)
            store.append(result["row"])
            ran[0] += 1
            n_done += 1
            if progress:
                progress(1, n_done, total)
    finally:
        store.close()
    return {"points": len(pts), "replicates": sweep.replicates, "runs": total,
            "skipped": len(done), "ran": len(tasks), "sweep": sweep}

