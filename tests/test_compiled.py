"""Where the compiled kernels are kept: beside the package when it can be written, else in the
user's cache folder (a package installed read-only), and never stale after a change of the code."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sim import compiled

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import sys
sys.path.insert(0, {pkg!r})
from sim import compiled
said = []
compiled.warm(said.append)
from sim.config import load_scenario
from sim.model import IntroductionModel
from sim.runner import with_years
m = IntroductionModel(with_years(load_scenario("falkenberg"), 1), seed=3, collect=False).run()
print(len(said), m.population.n_arrived, sorted(str(p) for p in compiled.cache_folders())[0])
"""


# One small kernel compiled in a package that cannot be written (the whole week: the slow test).
ONE_KERNEL = """
import sys
sys.path.insert(0, {pkg!r})
from sim import rng, compiled
compiled.keep_fresh()
x = rng.uniform(1, 2, 3, 4)
print(len(rng.uniform.stats.cache_hits), len(rng.uniform.stats.cache_misses), x,
      rng.uniform._cache._cache_path)
"""


def _run(pkg: Path, cache_home: Path, code: str = CHILD) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env["XDG_CACHE_HOME"] = str(cache_home)
    out = subprocess.run([sys.executable, "-c", code.format(pkg=str(pkg))], env=env, capture_output=True,
                         text=True, timeout=600, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout.split()


def _read_only_copy(tmp_path: Path) -> Path:
    """The package, scenarios, data and fitted files copied where no cache folder can be made inside the
    package (a file stands where it would go): as for a wheel installed read-only, and it holds for
    root too, whom file modes do not stop."""
    pkg = tmp_path / "site"
    shutil.copytree(ROOT / "sim", pkg / "sim", ignore=shutil.ignore_patterns("__pycache__", "*.nbi", "*.nbc"))
    shutil.copytree(ROOT / "scenarios", pkg / "scenarios")
    shutil.copytree(ROOT / "data", pkg / "data")
    shutil.copytree(ROOT / "calibration" / "fitted", pkg / "calibration" / "fitted")
    for folder in [pkg / "sim", *(p for p in (pkg / "sim").rglob("*") if p.is_dir())]:
        (folder / "__pycache__").write_text("")
    return pkg


def test_a_kernel_of_a_package_that_cannot_be_written_is_cached_in_the_users_folder(tmp_path):
    pkg, cache_home = _read_only_copy(tmp_path), tmp_path / "cache"
    hits, misses, x, folder = _run(pkg, cache_home, ONE_KERNEL)
    assert folder.startswith(str(cache_home / "numba")) and list((cache_home / "numba").rglob("rng.uniform-*.nbi"))
    hits2, misses2, x2, _ = _run(pkg, cache_home, ONE_KERNEL)
    assert hits2 == "1" and misses2 == "0" and x2 == x  # the next process loads it, the same numbers


@pytest.mark.slow
def test_a_package_folder_that_cannot_be_written_caches_the_whole_week_in_the_users_folder(tmp_path):
    pkg, cache_home = _read_only_copy(tmp_path), tmp_path / "cache"
    said, arrived, folder = _run(pkg, cache_home)
    assert said == "1" and int(arrived) > 0  # compiled (and said so), then ran
    assert folder.startswith(str(cache_home / "numba"))
    assert list((cache_home / "numba").rglob("*.nbi"))
    said, arrived2, _ = _run(pkg, cache_home)
    assert said == "0" and arrived2 == arrived  # the second process loads them: nothing to compile


def test_a_change_of_any_kernel_source_removes_the_cached_code(tmp_path, monkeypatch):
    folder = tmp_path / "__pycache__"
    folder.mkdir()
    def old(name: str) -> None:
        """A file written before this process imported the package (an earlier process's)."""
        (folder / name).write_text("x")
        os.utime(folder / name, (compiled.IMPORTED - 60, compiled.IMPORTED - 60))

    for name in ("matching.matching-55.py311.nbi", "matching.matching-55.py311.1.nbc", "keep.pyc"):
        old(name)
    (folder / "rng.uniform-54.py311.nbi").write_text("x")  # written by this process: current sources
    monkeypatch.setattr(compiled, "cache_folders", lambda: {folder})
    monkeypatch.setattr(compiled, "sources_digest", lambda: "before")
    compiled.keep_fresh()
    assert sorted(p.name for p in folder.iterdir()) == sorted(["keep.pyc", "rng.uniform-54.py311.nbi",
                                                                compiled.STAMP])  # no stamp yet: stale
    old("matching.matching-55.py311.nbi")
    compiled.keep_fresh()
    assert (folder / "matching.matching-55.py311.nbi").exists()  # same sources: kept
    monkeypatch.setattr(compiled, "sources_digest", lambda: "after")
    compiled.keep_fresh()
    assert not (folder / "matching.matching-55.py311.nbi").exists() and (folder / compiled.STAMP).read_text() == "after"


def test_the_driver_runs_the_phases_in_their_order():
    import inspect
    import re

    from sim import week
    called = re.findall(r"^\s+(\w+)\(B, g0, g1, t\)", inspect.getsource(week.run_span.py_func), re.M)
    assert called == [p.py_func.__name__ for p in week.PHASES]
