"""The results folder: written completely or not at all.

Everything is written into a hidden staging folder beside the destination and renamed into place
at the end (a rename within one file system is atomic). An error or an interrupt removes the
staging folder; a staging folder left by a killed process (SIGKILL cannot be caught) is removed by
the next run that writes beside it. The destination itself never exists half-written, and an
existing folder is never overwritten.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Literal

import yaml

from .errors import OutputError  # noqa: F401  (raised here; the CLI catches it)

STAGING_PREFIX = ".staging-"
LOCK_PREFIX = ".lock-"


def default_folder(root: Path, name: str, when: dt.datetime) -> Path:
    return root / f"{name}-{when.strftime('%Y%m%d-%H%M%S')}"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_stale_staging(parent: Path) -> None:
    """Remove staging folders and folder locks whose writer process is gone (killed before it
    could clean up)."""
    if not parent.is_dir():
        return
    for p in parent.glob(f"{STAGING_PREFIX}*"):
        try:
            pid = int(p.name.rsplit("-", 1)[1])
        except (IndexError, ValueError):
            continue
        if not _pid_alive(pid):
            shutil.rmtree(p, ignore_errors=True)
    for p in parent.glob(f"{LOCK_PREFIX}*"):
        try:
            pid = int(p.read_text().strip() or 0)
        except (OSError, ValueError):
            continue
        if pid and not _pid_alive(pid):
            p.unlink(missing_ok=True)


def check_destination(final: Path) -> None:
    """Fail before any work if the folder exists or its parent cannot be written."""
    if final.exists():
        raise OutputError(f"{final}: already exists; choose another folder with --out "
                          "(results are never overwritten)")
    parent = final.parent
    probe = parent
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir():
        raise OutputError(f"{final}: '{probe}' is not a folder")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise OutputError(f"{final}: the folder '{probe}' is not writable; choose another with --out")


class FolderLock:
    """`with FolderLock(folder):` only one process at a time writes `folder`.

    The lock is a file `.lock-<name>` beside the folder, created atomically with the writer's pid;
    a second writer fails at once, before any work, instead of computing everything and then
    finding the folder taken (or appending the same rows twice). A lock left by a killed process
    (its pid no longer runs) is taken over."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.path = self.folder.parent / f"{LOCK_PREFIX}{self.folder.name}"
        self.held = False

    def __enter__(self) -> FolderLock:
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                try:
                    pid = int(self.path.read_text().strip() or 0)
                except (OSError, ValueError):
                    pid = 0
                if pid and pid != os.getpid() and _pid_alive(pid):
                    raise OutputError(f"{self.folder}: another run (process {pid}) is writing it; wait for it "
                                      "to finish or choose another folder") from None
                self.path.unlink(missing_ok=True)  # left by a process that is gone
                continue
            except OSError as exc:
                raise OutputError(f"{self.folder}: cannot be written ({exc.strerror})") from None
            with os.fdopen(fd, "w") as fh:
                fh.write(str(os.getpid()))
            self.held = True
            return self
        raise OutputError(f"{self.folder}: cannot take its lock {self.path}")

    def __exit__(self, *exc) -> Literal[False]:
        if self.held:
            self.path.unlink(missing_ok=True)
            self.held = False
        return False


class StagedFolder:
    """`with StagedFolder(final) as tmp:` write into tmp; on success it becomes `final`."""

    def __init__(self, final: Path):
        self.final = Path(final)
        self.staging = self.final.parent / f"{STAGING_PREFIX}{self.final.name}-{os.getpid()}"

    def __enter__(self) -> Path:
        check_destination(self.final)
        self.lock = FolderLock(self.final).__enter__()
        try:
            check_destination(self.final)  # finished by another run before we held the lock?
        except OutputError:
            self.lock.__exit__()
            raise
        try:
            self.final.parent.mkdir(parents=True, exist_ok=True)
            sweep_stale_staging(self.final.parent)
            self.staging.mkdir()
        except OSError as exc:
            self.lock.__exit__()
            raise OutputError(f"{self.final}: cannot create the results folder: {exc.strerror}") from None
        return self.staging

    def __exit__(self, exc_type, exc, tb) -> Literal[False]:
        try:
            return self._finish(exc_type)
        finally:
            self.lock.__exit__()

    def _finish(self, exc_type) -> Literal[False]:
        if exc_type is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            return False
        try:
            if self.final.exists():  # appeared while we ran: never overwrite it
                raise OSError(17, "it appeared while the run was going")
            os.rename(self.staging, self.final)
        except OSError as exc:
            shutil.rmtree(self.staging, ignore_errors=True)
            raise OutputError(f"{self.final}: cannot be written ({exc.strerror}); nothing was saved") from None
        return False


# --- what goes into the folder ---------------------------------------------------------------

def _git_commit() -> str | None:
    root = Path(__file__).resolve().parents[1]
    try:
        out = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True,
                             text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def _versions() -> dict[str, str | None]:
    out: dict[str, str | None] = {"python": platform.python_version()}
    for pkg in ("mesa", "numpy", "scipy", "pandas", "matplotlib", "pydantic", "PyYAML", "pyarrow"):
        try:
            out[pkg] = importlib_metadata.version(pkg)
        except importlib_metadata.PackageNotFoundError:
            out[pkg] = None
    return out


def write_metadata(folder: Path, *, seeds: dict, started: dt.datetime, finished: dt.datetime,
                   argv: list[str], scenarios: list[str], replicates: int) -> None:
    from . import __version__
    meta = {
        "package": "refugee-introduction-sim", "package_version": __version__,
        "git_commit": _git_commit(), "versions": _versions(), "platform": platform.platform(),
        "command": " ".join([Path(sys.executable).name, *argv]),
        "argv": argv, "scenarios": scenarios, "replicates": replicates, "seeds": seeds,
        "started": started.isoformat(timespec="seconds"), "finished": finished.isoformat(timespec="seconds"),
        "wall_time_s": round((finished - started).total_seconds(), 3),
    }
    (folder / "metadata.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")


def write_scenario(folder: Path, scenario, name: str | None = None) -> Path:
    name = name or scenario.name
    path = folder / f"scenario-{name}.yaml"
    data = scenario.model_dump(mode="json", by_alias=True)
    data["name"] = name
    # libyaml's emitter where PyYAML has it: a national world is some 1.4 MB of YAML.
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    path.write_text(f"# The resolved scenario '{name}': every value, defaults included.\n"
                    + yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def write_tables(folder: Path, names: list[str], runs: list[dict]) -> None:
    """timeseries.csv.gz (tidy long, gzip-compressed) and by_month.csv, plus Parquet copies when
    pyarrow is there."""
    ts, bm = [], []
    for name, r in zip(names, runs):
        for rep, (t, b) in enumerate(zip(r["timeseries"], r["by_month"])):
            ts.append(t.assign(scenario=name, replicate=rep))
            bm.append(b.assign(scenario=name, replicate=rep))
    import pandas as pd
    timeseries = pd.concat(ts, ignore_index=True)[["scenario", "replicate", "week", "municipality", "group", "metric", "value"]]
    by_month = pd.concat(bm, ignore_index=True)
    by_month = by_month[["scenario", "replicate"] + [c for c in by_month.columns if c not in ("scenario", "replicate")]]
    # Compressed: the weekly series are most of a run's bytes (15 of 18 MB for the default run as
    # plain text); pandas and most tools read .csv.gz directly.
    timeseries.to_csv(folder / "timeseries.csv.gz", index=False, compression={"method": "gzip", "compresslevel": 6, "mtime": 0})
    by_month.to_csv(folder / "by_month.csv", index=False)
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return
    timeseries.to_parquet(folder / "timeseries.parquet", index=False)
    by_month.to_parquet(folder / "by_month.parquet", index=False)


def write_placement_table(folder: Path, summary: dict) -> None:
    """placement_municipalities.csv: for each placement scenario and municipality, its arrivals a
    year, share with a first job within 24 months and share of low-prospect arrivals (pooled over
    replicates); nothing for scenarios without placement."""
    import pandas as pd
    rows = []
    for s in summary["scenarios"]:
        m = (s.get("placement") or {}).get("municipalities")
        if not m:
            continue
        rows.append(pd.DataFrame({"scenario": s["scenario"], "code": m["codes"], "municipality": m["names"],
                                  "arrivals_per_year": m["arrivals_per_year"], "first_job_24": m["first_job_24"],
                                  "low_prospect_share": m["low_prospect_share"]}))
    if rows:
        pd.concat(rows, ignore_index=True).to_csv(folder / "placement_municipalities.csv", index=False)


def write_summary(folder: Path, summary: dict) -> None:
    (folder / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
