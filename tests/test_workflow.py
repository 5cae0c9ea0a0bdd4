"""The policy-staff workflow: compare, results folders written whole or not at all, reports,
and bad input that gets one clear line, exit code 2, and no results folder."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from conftest import MINIMAL_YAML

ROOT = Path(__file__).resolve().parents[1]
FAST = ["--replicates", "2", "--years", "3", "--workers", "1"]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "run.py"), *args], capture_output=True, text=True, cwd=cwd)


def folders(path: Path) -> list[Path]:
    return sorted(p for p in path.rglob("*") if p.is_dir()) if path.exists() else []


def test_compare_writes_a_complete_results_folder(tmp_path):
    out = tmp_path / "cmp"
    r = run("compare", "typical_2006", "ten_proposals", *FAST, "--out", str(out), "--json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    names = {p.name for p in out.iterdir()}
    assert {"scenario-typical_2006.yaml", "scenario-ten_proposals.yaml", "metadata.json", "timeseries.csv.gz",
            "by_month.csv", "summary.json", "sources.json", "report.html", "outcomes.png", "by_sex.png",
            "by_education.png", "weeks_in_state.png", "costs.png"} <= names
    summary = json.loads((out / "summary.json").read_text())
    assert json.loads(r.stdout) == summary
    assert [s["scenario"] for s in summary["scenarios"]] == ["typical_2006", "ten_proposals"]
    [diff] = summary["differences"]
    assert diff["baseline"] == "typical_2006" and diff["scenario"] == "ten_proposals"
    # The one-municipality range as the figure's own keys, and both ranges by name (sim/ranges.py).
    assert set(diff["differences"]["self_sufficiency"]["24"]) == {"mean", "lo", "hi", "expected_effect",
                                                                  "one_municipality"}
    ts = pd.read_csv(out / "timeseries.csv.gz")
    assert list(ts.columns) == ["scenario", "replicate", "week", "municipality", "group", "metric", "value"]
    assert set(ts["group"]) == {"all", "female", "male"} and set(ts["replicate"]) == {0, 1}
    meta = json.loads((out / "metadata.json").read_text())
    assert {"package_version", "git_commit", "versions", "seeds", "command", "started", "finished",
            "wall_time_s"} <= set(meta)
    assert len(meta["seeds"]["replicate_seeds"]) == 2
    page = (out / "report.html").read_text()
    assert "data:image/png;base64," in page and 'src="http' not in page and "src='http" not in page
    assert "Headline figures" in page and "How to reproduce" in page and "Assumptions and sources" in page
    assert not any(p.name.startswith(".staging") for p in tmp_path.iterdir())


def test_a_scenario_compared_with_itself_differs_by_exactly_zero(tmp_path):
    out = tmp_path / "same"
    r = run("compare", "typical_2006", "typical_2006", *FAST, "--out", str(out), "--json", "--quiet", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert [s["scenario"] for s in summary["scenarios"]] == ["typical_2006", "typical_2006 (2)"]
    assert (out / "scenario-typical_2006 (2).yaml").exists()
    d = summary["differences"][0]["differences"]
    for leaf in (d["self_sufficiency"]["24"], d["employment"]["12"]):
        assert {k: leaf[k] for k in ("mean", "lo", "hi")} == {"mean": 0.0, "lo": 0.0, "hi": 0.0}
        assert leaf["one_municipality"] == {"mean": 0.0, "lo": 0.0, "hi": 0.0}
        assert leaf["expected_effect"]["mean"] == 0.0  # its range needs two parameter draws: more replicates


def test_run_prints_the_issue_2_json_and_writes_a_folder(tmp_path):
    r = run("run", "falkenberg", *FAST, "--json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["scenario"] == "falkenberg"
    [folder] = [p for p in (tmp_path / "results").iterdir()]
    assert folder.name.startswith("falkenberg-") and (folder / "report.html").exists()
    assert "Report:" in r.stderr


def test_existing_output_folder_is_never_overwritten(tmp_path):
    out = tmp_path / "keep"
    out.mkdir()
    (out / "precious.txt").write_text("mine")
    r = run("run", "typical_2006", *FAST, "--out", str(out), cwd=tmp_path)
    assert r.returncode == 2 and "already exists" in r.stderr and "Traceback" not in r.stderr
    assert [p.name for p in out.iterdir()] == ["precious.txt"]


def test_show_gives_origin_and_source_comment(tmp_path):
    r = run("show", "ten_proposals", "--set", "behaviour.hiring.intercept=-3", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    hours = next(l for l in lines if l.startswith("municipalities.typical.programme.hours_per_week"))
    assert "ten_proposals.yaml:" in hours and "full time" in hours
    inherited = next(l for l in lines if l.startswith("municipalities.typical.programme.summer_break_weeks"))
    assert "ten_proposals.yaml" in inherited  # set again in the child
    female = next(l for l in lines if l.startswith("refugee_profile.female_share"))
    assert "typical_2006.yaml:" in female and "assumption" in female
    assert any(l.startswith("behaviour.hiring.intercept = -3") and "[--set]" in l for l in lines)
    assert any("[default]" in l for l in lines)


MINIMAL = MINIMAL_YAML

BAD = {
    "missing_file": (None, "missing.yaml", "not found"),
    "yaml_syntax": ("name: x\nmunicipalities: [\n", "", "column"),
    "unknown_key": (MINIMAL.replace("arrivals:", "arivals:"), "municipalities.town.arivals", "did you mean 'arrivals'"),
    "wrong_type": (MINIMAL.replace("per_year: 10", "per_year: lots"), "municipalities.town.arrivals.per_year", "'lots'"),
    "negative_arrivals": (MINIMAL.replace("per_year: 10", "per_year: -4"), "municipalities.town.arrivals.per_year", "greater than or equal to 0, found -4"),
    "share_above_one": (MINIMAL + "refugee_profile: {female_share: 1.4}\n", "refugee_profile.female_share", "less than or equal to 1"),
    "hours_above_60": (MINIMAL.replace("arrivals: {per_year: 10}", "arrivals: {per_year: 10}\n    programme: {hours_per_week: 61}"),
                       "municipalities.town.programme.hours_per_week", "less than or equal to 60"),
    "unknown_municipality_in_agreement": (MINIMAL + "secondary_agreements:\n  g: {from: town, to: city, places_per_year: 3}\n",
                                          "secondary_agreements.g.to", "'city' is not a municipality"),
    "empty": ("", "", "empty"),
    "no_refugees": (MINIMAL.replace("per_year: 10", "per_year: 0"), "municipalities", "no refugees"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_scenario_gets_a_clear_error_and_no_folder(tmp_path, case):
    text, key, words = BAD[case]
    path = tmp_path / ("missing.yaml" if text is None else "s.yaml")
    if text is not None:
        path.write_text(text)
    r = run("run", str(path), *FAST, cwd=tmp_path)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    assert str(path) in r.stderr and key in r.stderr and words in r.stderr
    assert not (tmp_path / "results").exists()
    v = run("validate", str(path), cwd=tmp_path)
    assert v.returncode == 2 and v.stderr == r.stderr


def test_extends_cycle_and_missing_parent(tmp_path):
    (tmp_path / "a.yaml").write_text("extends: b.yaml\n" + MINIMAL)
    (tmp_path / "b.yaml").write_text("extends: a.yaml\nname: b\n")
    (tmp_path / "c.yaml").write_text("extends: gone.yaml\nname: c\n")
    for f, words in (("b.yaml", "cycle"), ("c.yaml", "not found")):
        r = run("run", f, *FAST, cwd=tmp_path)
        assert r.returncode == 2 and "extends" in r.stderr and words in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "results").exists()


@pytest.mark.parametrize("setting, words", [
    ("municipalities.nowhere.programme.hours_per_week=30", "has no 'nowhere'"),
    ("municipalities.typical.programme.hours_per_wek=30", "did you mean 'hours_per_week'"),
    ("municipalities.typical.programme.hours_per_week=99", "less than or equal to 60"),
])
def test_bad_set_gets_a_clear_error(tmp_path, setting, words):
    r = run("run", "typical_2006", *FAST, "--set", setting, cwd=tmp_path)
    assert r.returncode == 2 and words in r.stderr and "--set" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "results").exists()


def test_unwritable_output_folder(tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    r = run("run", "typical_2006", *FAST, "--out", str(blocker / "out"), cwd=tmp_path)
    assert r.returncode == 2 and "not a folder" in r.stderr and "Traceback" not in r.stderr


def _start_long_run(tmp_path: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(ROOT / "run.py"), "run", "typical_2006", "--replicates", "60",
                             "--workers", "2", "--out", str(out), "--quiet"], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for_staging(parent: Path, proc: subprocess.Popen) -> Path:
    deadline = time.time() + 60
    while time.time() < deadline:
        staged = [p for p in parent.iterdir() if p.name.startswith(".staging-")]
        if staged:
            time.sleep(1.0)  # let it run into the replicates
            return staged[0]
        assert proc.poll() is None, proc.stderr.read()
        time.sleep(0.05)
    raise AssertionError("the run never started writing")


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_run_leaves_nothing(tmp_path, sig):
    out = tmp_path / "results" / "interrupted"
    out.parent.mkdir()
    proc = _start_long_run(tmp_path, out)
    _wait_for_staging(out.parent, proc)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "no results were written" in err and "Traceback" not in err
    assert list(out.parent.iterdir()) == []


def test_killed_run_leaves_no_results_folder_and_the_next_run_cleans_up(tmp_path):
    out = tmp_path / "results" / "killed"
    out.parent.mkdir()
    proc = _start_long_run(tmp_path, out)
    staging = _wait_for_staging(out.parent, proc)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    assert not out.exists()
    # Only hidden files are left: the staging folder and the folder's lock, both named by the dead pid.
    assert sorted(p.name for p in out.parent.iterdir()) == sorted([staging.name, f".lock-{out.name}"])
    r = run("run", "typical_2006", *FAST, "--out", str(out.parent / "next"), "--quiet", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert [p.name for p in out.parent.iterdir()] == ["next"]
