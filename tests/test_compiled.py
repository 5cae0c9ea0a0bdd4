"""Where the compiled kernels are kept: beside the package when it can be written, else in the
user's cache folder (a package installed read-only), and never stale after a change of the code."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

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


def _run(pkg: Path, cache_home: Path) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env["XDG_CACHE_HOME"] = str(cache_home)
    out = subprocess.run([sys.executable, "-c", CHILD.format(pkg=str(pkg))], env=env, capture_output=True,
                         text=True, timeout=600, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout.split()


def test_a_package_folder_that_cannot_be_written_caches_in_the_users_folder(tmp_path):
    pkg = tmp_path / "site"
    shutil.copytree(ROOT / "sim", pkg / "sim", ignore=shutil.ignore_patterns("__pycache__", "*.nbi", "*.nbc"))
    shutil.copytree(ROOT / "scenarios", pkg / "scenarios")
    shutil.copytree(ROOT / "calibration" / "fitted", pkg / "calibration" / "fitted")
    # No cache folder can be made inside the package (a file stands where it would go): as for a
    # wheel installed read-only, and it holds for root too, whom file modes do not stop.
    for folder in [pkg / "sim", *(p for p in (pkg / "sim").rglob("*") if p.is_dir())]:
        (folder / "__pycache__").write_text("")
    cache_home = tmp_path / "cache"
    said, arrived, folder = _run(pkg, cache_home)
    assert said == "1" and int(arrived) > 0  # compiled (and said so), then ran
    assert folder.startswith(str(cache_home / "numba"))
    assert list((cache_home / "numba").rglob("*.nbi"))
    said, arrived2, _ = _run(pkg, cache_home)
    assert said == "0" and arrived2 == arrived  # the second process loads them: nothing to compile


def test_a_change_of_any_kernel_source_removes_the_cached_code(tmp_path, monkeypatch):
    folder = tmp_path / "__pycache__"
    folder.mkdir()
    for name in ("matching.matching-55.py311.nbi", "matching.matching-55.py311.1.nbc", "keep.pyc"):
        (folder / name).write_text("x")
    monkeypatch.setattr(compiled, "cache_folders", lambda: {folder})
    monkeypatch.setattr(compiled, "sources_digest", lambda: "before")
    compiled.keep_fresh()
    assert sorted(p.name for p in folder.iterdir()) == sorted(["keep.pyc", compiled.STAMP])  # no stamp yet: stale
    (folder / "matching.matching-55.py311.nbi").write_text("x")
    compiled.keep_fresh()
    assert (folder / "matching.matching-55.py311.nbi").exists()  # same sources: kept
    monkeypatch.setattr(compiled, "sources_digest", lambda: "after")
    compiled.keep_fresh()
    assert not (folder / "matching.matching-55.py311.nbi").exists() and (folder / compiled.STAMP).read_text() == "after"
