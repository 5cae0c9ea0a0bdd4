"""The command line's contract: `run --json` keys (other issues add keys, never rename) and the
default run's table."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sim.config import load_scenario

ROOT = Path(__file__).resolve().parents[1]
MONTHS = ["6", "12", "18", "24", "30", "36", "48", "60"]
KORA = {"passive", "guidance_upskilling", "internship_subsidy", "job", "education", "no_support"}


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "run.py"), *args], capture_output=True, text=True, cwd=cwd)


def test_run_json_contract(tmp_path):
    r = run("run", "typical_2006", "--replicates", "2", "--years", "4", "--json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    required = {"scenario", "replicates", "refugees", "self_sufficiency", "employment", "employment_by_sex",
                "labour_market_contact_year1", "job_3_weeks_within_3_years", "sfi_completed_year1",
                "weeks_in_state_first_3_years"}
    assert required <= set(out)
    assert out["scenario"] == "typical_2006" and out["replicates"] == 2 and out["refugees"] == 200
    for key in ("self_sufficiency", "employment"):
        assert list(out[key]) == MONTHS
        assert set(out[key]["24"]) == {"mean", "lo", "hi"}
        assert out[key]["24"]["lo"] <= out[key]["24"]["mean"] <= out[key]["24"]["hi"]
        assert out[key]["48"]["mean"] is None and out[key]["60"]["mean"] is None  # beyond 4 years
    assert set(out["employment_by_sex"]) == {"female", "male"}
    assert list(out["employment_by_sex"]["female"]) == MONTHS
    for key in ("labour_market_contact_year1", "job_3_weeks_within_3_years", "sfi_completed_year1"):
        assert set(out[key]) == {"mean", "lo", "hi"} and 0 <= out[key]["mean"] <= 1
    assert KORA <= set(out["weeks_in_state_first_3_years"])
    total = sum(out["weeks_in_state_first_3_years"].values())
    assert total == pytest.approx(156, abs=1e-6)  # every week of the window is in one category


def test_default_run_prints_the_headline_table_and_writes_a_report(tmp_path):
    r = run("--replicates", "2", "--years", "3", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    # Columns carry the scenarios' titles, the verdicts come first.
    typical, ten, falkenberg = (load_scenario(n).display_title for n in ("typical_2006", "ten_proposals", "falkenberg"))
    assert typical in r.stdout and ten in r.stdout and falkenberg in r.stdout
    assert "self-sufficient at 24 months" in r.stdout and f"{ten} − {typical}" in r.stdout
    assert r.stdout.startswith(f"{ten}, compared with {typical}: ")
    [folder] = list((tmp_path / "results").iterdir())
    assert f"Report: results/{folder.name}/report.html" in r.stdout
    assert (folder / "report.html").exists() and (folder / "summary.json").exists()


def test_bad_arguments_exit_2(tmp_path):
    r = run("run", "typical_2006", "--replicates", "zero", cwd=tmp_path)
    assert r.returncode == 2 and "Traceback" not in r.stderr and "--replicates" in r.stderr


def test_options_before_the_subcommand_count_and_years_are_saved(tmp_path):
    r = run("--replicates", "1", "--seed", "5", "run", "typical_2006", "--years", "2", "--json",
            "--out", str(tmp_path / "o"), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["replicates"] == 1
    assert "years: 2" in (tmp_path / "o" / "scenario-typical_2006.yaml").read_text()
    meta = json.loads((tmp_path / "o" / "metadata.json").read_text())
    assert meta["seeds"]["base_seed"] == 5


def test_help_of_every_command_prints():
    """Every command's --help formats (a bare '%' in a help text once made the top-level help fail)."""
    from sim.cli_parser import build_parser
    parser = build_parser()
    parser.format_help()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, p in sub.choices.items():
        assert p.format_help(), name


def test_effects_doses_writes_its_curves_and_effects_needs_a_base(tmp_path):
    out = tmp_path / "doses"
    r = run("effects", "--doses", "typical_2006", "--replicates", "2", "--years", "2", "--parameters", "point",
            "--out", str(out), "--quiet", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    result = json.loads((out / "doses.json").read_text(encoding="utf-8"))
    assert {d["lever"] for d in result["doses"]} >= {"staff.coaches", "labour_market.unemployment_shift"}
    assert (out / "doses.png").stat().st_size > 10_000 and "coaches" in (out / "doses.md").read_text(encoding="utf-8")
    r = run("effects", "typical_2006", cwd=tmp_path)
    assert r.returncode == 2 and "--against" in r.stderr and "Traceback" not in r.stderr
