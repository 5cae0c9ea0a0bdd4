"""The sweep's results table on disk: one line per finished run, appended as it completes.

Each line ends with a CRC32 of the rest of the line and is flushed and fsynced before the next,
so a run killed while writing leaves at most one bad last line, which the next start detects and
drops (that run is redone). The folder also holds `sweep.json` with a fingerprint of the sweep
and its base scenario; a changed sweep is refused for resume.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import os
import shutil
import zlib
from pathlib import Path
from typing import Any, TextIO

from ..metrics import HEADLINE_MONTHS
from ..states import KORA_CATEGORIES

RUNS_FILE = "runs.csv"
SPEC_FILE = "sweep.json"


class ResumeError(Exception):
    """The folder holds results of a different sweep, or cannot be written."""


def figure_columns() -> list[str]:
    cols = []
    for m in HEADLINE_MONTHS:
        cols += [f"self_sufficiency_{m}", f"employment_{m}", f"employment_female_{m}", f"employment_male_{m}"]
    cols += ["labour_market_contact_year1", "job_3_weeks_within_3_years", "sfi_completed_year1",
             "median_weeks_to_self_sufficiency", "costs_sek_per_refugee", "private_share_of_internships"]
    cols += [f"weeks_{k}" for k in KORA_CATEGORIES]
    return cols


def flat_figures(f: dict) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for m in map(str, HEADLINE_MONTHS):
        out[f"self_sufficiency_{m}"] = f["self_sufficiency"][m]
        out[f"employment_{m}"] = f["employment"][m]
        out[f"employment_female_{m}"] = f["employment_by_sex"]["female"][m]
        out[f"employment_male_{m}"] = f["employment_by_sex"]["male"][m]
    for k in ("labour_market_contact_year1", "job_3_weeks_within_3_years", "sfi_completed_year1",
              "median_weeks_to_self_sufficiency", "costs_sek_per_refugee", "private_share_of_internships"):
        out[k] = f[k]
    for k in KORA_CATEGORIES:
        out[f"weeks_{k}"] = f["weeks_in_state_first_3_years"][k]
    return out


def fingerprint(spec: dict, base: dict) -> str:
    text = json.dumps({"sweep": spec, "base": base}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _fmt(v: Any) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, float):
        return repr(v)  # shortest exact round-trip
    return str(v)


def _line(values: list[str]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(values)
    return buf.getvalue()


def _crc(text: str) -> str:
    return f"{zlib.crc32(text.encode('utf-8')):08x}"


class RunStore:
    def __init__(self, folder: Path, columns: list[str]):
        self.folder = Path(folder)
        self.columns = list(columns)
        self.path = self.folder / RUNS_FILE
        self.header = _line(self.columns + ["crc"])
        self._fh: TextIO | None = None

    def prepare(self, spec: dict, base: dict, fresh: bool) -> set[tuple[int, int]]:
        """Check or write the fingerprint; return the (point, replicate) pairs already done."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            probe = self.folder / ".write-test"
            probe.write_text("")
            probe.unlink()
        except OSError as exc:
            raise ResumeError(f"{self.folder}: cannot write the sweep's results here ({exc.strerror}); "
                              "choose another folder with --out") from None
        fp = fingerprint(spec, base)
        spec_path = self.folder / SPEC_FILE
        if fresh:  # everything an earlier sweep wrote here
            for p in [self.path, spec_path, self.folder / "report.html", self.folder / "points.csv",
                      *self.folder.glob("response-*.png"), *self.folder.glob("heatmap-*.png")]:
                if p.exists():
                    p.unlink()
            shutil.rmtree(self.folder / "timeseries", ignore_errors=True)
        if spec_path.exists():
            old = json.loads(spec_path.read_text(encoding="utf-8")).get("fingerprint")
            if old != fp:
                raise ResumeError(
                    f"{self.folder}: holds results of a different sweep (the sweep file or its base "
                    "scenario has changed since); use --fresh to start over, or another --out")
        else:
            tmp = spec_path.with_suffix(".tmp")
            tmp.write_text(json.dumps({"fingerprint": fp, "sweep": spec, "base": base}, indent=1, default=str),
                           encoding="utf-8")
            os.replace(tmp, spec_path)
        done = self._read_and_repair()
        return done

    def _read_and_repair(self) -> set[tuple[int, int]]:
        if not self.path.exists():
            return set()
        raw = self.path.read_text(encoding="utf-8", errors="replace")
        lines = raw.split("\n")
        good = []
        if lines and lines[0] == self.header:
            for text in lines[1:]:
                if not text:
                    continue
                body, _, crc = text.rpartition(",")
                if crc == _crc(body):
                    good.append(text)
        rewrite = (not lines or lines[0] != self.header or len(good) != len([t for t in lines[1:] if t])
                   or not raw.endswith("\n"))
        if rewrite:
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(self.header + "\n" + "".join(g + "\n" for g in good), encoding="utf-8")
            os.replace(tmp, self.path)
        done = set()
        for text in good:
            row = next(csv.reader([text]))
            done.add((int(row[0]), int(row[1])))
        return done

    def append(self, row: dict[str, Any]) -> None:
        if self._fh is None:
            new = not self.path.exists()
            self._fh = open(self.path, "a", encoding="utf-8")
            if new:
                self._fh.write(self.header + "\n")
        body = _line([_fmt(row.get(c)) for c in self.columns])
        assert self._fh is not None
        self._fh.write(f"{body},{_crc(body)}\n")
        self._fh.flush()
        os.fsync(self._fh.fileno())

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
