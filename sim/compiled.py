"""The compiled week's kernels: their cache, kept fresh, and compiled ahead of the first run.

numba caches each kernel's machine code next to its source (`__pycache__`, or a user cache folder
when the package folder is read-only, as in a wheel installed system-wide; NUMBA_CACHE_DIR chooses
another) and checks the cache against that one source file only. A kernel inlines the helpers of
other modules, so a change to `choice.py` would leave `matching.py`'s cached kernel stale. Here the
cache is checked against every source the kernels are built from (the phases, the tables' record
types, the parameters' schema): when one changed, the kernels' cached files are removed and they
compile again.

`warm()` compiles (or loads) every kernel before a run needs it, on a toy world, splitting the
work over two processes (numba compiles one function at a time per process; there are two cores),
and under a file lock, so that processes started together (test workers, the explorer's workers)
compile once between them and the others load the result.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from . import IMPORTED

HERE = Path(__file__).resolve().parent
# The sources the compiled kernels depend on (a change to any of them changes the machine code).
SOURCES = sorted([*HERE.glob("processes/*.py"), HERE / "rng.py", HERE / "recorder.py", HERE / "week.py",
                  HERE / "tables.py", HERE / "states.py", HERE / "parameters.py", HERE / "population.py",
                  HERE / "config" / "behaviour.py", HERE / "config" / "schema.py"])
STAMP = "sim-kernels.sha256"


def sources_digest() -> str:
    h = hashlib.sha256()
    for path in SOURCES:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def dispatchers() -> list:
    """Every cached kernel (numba dispatcher) of the week, phases first."""
    from . import recorder, rng, week
    from .processes import (
        agencies,
        arrivals,
        choice,
        hiring,
        income,
        internships,
        matching,
        programme,
        search,
        separations,
    )
    found = list(week.PHASES) + [week.run_span, week.make_batch]
    for mod in (rng, choice, programme, search, hiring, internships, matching, agencies, separations, income,
                arrivals, recorder, week):
        for value in vars(mod).items():
            d = value[1]
            if hasattr(d, "_cache") and hasattr(d, "py_func") and d.py_func.__module__ == mod.__name__ and d not in found:
                found.append(d)
    return found


def cache_folders() -> set[Path]:
    folders = set()
    for d in dispatchers():
        path = getattr(d._cache, "_cache_path", None)
        if path:
            folders.add(Path(path))
    return folders


def keep_fresh() -> None:
    """Remove the kernels' cached machine code when any source they are built from has changed
    since it was written (numba itself checks only each kernel's own file). Code this process
    wrote (kernels with a signature compile as their module is imported) is from the current
    sources and is kept."""
    digest = sources_digest()
    for folder in cache_folders():
        stamp = folder / STAMP
        try:
            if stamp.read_text() == digest:
                continue
        except OSError:
            pass
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for f in folder.iterdir():
                if f.suffix in (".nbi", ".nbc") and f.stat().st_mtime < IMPORTED:
                    f.unlink(missing_ok=True)
            stamp.write_text(digest)
        except OSError:
            pass  # a folder we cannot write: numba compiles in memory and cannot cache there either


def is_cached() -> bool:
    """Whether every phase of the week has cached machine code (its index file exists)."""
    from . import week
    kernels: list[Any] = [*week.PHASES, week.run_span, week.make_batch]
    return all(os.path.exists(d._cache._cache_file._index_path) for d in kernels)


@contextlib.contextmanager
def _lock() -> Iterator[None]:
    """A lock shared by every process that uses this cache (one compiles, the others wait)."""
    try:
        import fcntl
    except ImportError:  # Windows: no lock; processes may compile side by side
        yield
        return
    folder = sorted(cache_folders())[0] if cache_folders() else Path(HERE / "__pycache__")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        f = open(folder / "sim-kernels.lock", "a+")
    except OSError:
        yield
        return
    with f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def toy_batch():
    """A small world that uses every kernel: two municipalities, employers, an agency, a secondary
    agreement (built in code; no file)."""
    from .batch import build
    from .config import scenario_from_dict
    from .week import make_batch
    data = {
        "name": "warm_up", "simulation": {"years": 1, "seed": 1},
        "municipalities": {
            "a": {"arrivals": {"per_year": 20}, "commuting_to": ["b"], "network": {"host_families": 2}},
            "b": {"arrivals": {"per_year": 5}, "housing_capacity_per_year": 50}},
        "employers": {"firm": {"municipality": "a", "sector": "manufacturing", "intern_places": 1}},
        "staffing_agencies": {"agency": {"municipalities": ["a"], "partner_municipalities": ["b"]}},
        "secondary_agreements": {"ab": {"from": "a", "to": "b", "places_per_year": 5}},
    }
    tables = build([(scenario_from_dict(data), 1)])
    return make_batch(*tables.arrays())


# The phases' split between the two processes of `warm`, about equal in compile time.
GROUPS = (("internships", "separations", "close_week"), ("matching", "arrivals", "programme"))


def compile_group(k: int) -> None:
    """Compile (or load) the phases of GROUPS[k] (a process of `warm`)."""
    from . import week
    keep_fresh()
    B = toy_batch()
    for phase in week.PHASES:
        if phase.py_func.__name__ in GROUPS[k]:
            phase(B, 0, 1, 0)


def warm(message=None) -> float:
    """Compile or load every kernel now; returns the seconds it took. `message(text)` is told
    when they must be compiled (the first run after an installation or a change), which takes
    some seconds."""
    t0 = time.perf_counter()
    keep_fresh()
    if not is_cached():
        with _lock():
            if not is_cached():  # another process may have compiled them while this one waited
                if message is not None:
                    message("compiling the model's kernels (after an installation or a change of the code only; "
                            "about 10-20 s)")
                helper = _start_helper()
                compile_group(0)
                if helper is not None:
                    helper.wait()
                _drive()  # the driver too, before another process may look
    _drive()
    return time.perf_counter() - t0


def _drive() -> None:
    """Run the week's driver on a toy world: loads the phases and compiles (or loads) the driver."""
    import numpy as np

    from . import week
    week.run_span(toy_batch(), np.array([[0, 1]], np.int64), 0, 1)


def _start_helper() -> subprocess.Popen | None:
    """A second process compiling the other half of the phases (None where one cannot start)."""
    if (os.cpu_count() or 1) < 2:
        return None
    root = str(HERE.parent)
    code = f"import sys; sys.path.insert(0, {root!r}); from sim.compiled import compile_group; compile_group(1)"
    try:
        return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        return None


# Told when the kernels must be compiled (the command line prints it unless --quiet).
ANNOUNCE: Callable[[str], None] | None = None
_READY = False


def ready() -> None:
    """Compile or load the kernels once per process, before its first model runs (a forked worker
    inherits them)."""
    global _READY
    if not _READY:
        warm(ANNOUNCE)
        _READY = True
