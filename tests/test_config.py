"""Scenario loading: every shipped scenario is valid; every kind of mistake gets a located message."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sim.config import SCENARIO_DIR, ScenarioError, load_scenario, load_scenario_with_sources

from conftest import MINIMAL_YAML

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted(p.name for p in SCENARIO_DIR.glob("*.yaml"))
REQUIRED = ["typical_2006.yaml", "falkenberg.yaml", "varnamo.yaml", "solna.yaml", "sorsele.yaml",
            "ten_proposals.yaml", "regional_secondary.yaml", "fredensborg_dk.yaml", "struer_dk.yaml"]

MINIMAL = MINIMAL_YAML


def write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    p = tmp_path / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def problems(path: Path) -> list:
    with pytest.raises(ScenarioError) as exc:
        load_scenario(path)
    return exc.value.problems


def test_every_required_scenario_is_shipped():
    assert set(REQUIRED) <= set(SHIPPED)


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_scenario_loads(name):
    s = load_scenario(SCENARIO_DIR / name)
    assert s.municipalities


def test_minimal_scenario_loads_with_defaults(tmp_path):
    s = load_scenario(write(tmp_path, MINIMAL))
    assert s.municipalities["town"].programme.hours_per_week == 20
    assert s.simulation.step == "week"


def test_unknown_key_suggests_the_closest_name(tmp_path):
    p = write(tmp_path, MINIMAL.replace("arrivals: {per_year: 10}",
                                        "arrivals: {per_year: 10}\n    programme: {hours_per_wek: 30}"))
    [prob] = problems(p)
    assert prob.file == str(p) and prob.line == 5
    assert prob.key == "municipalities.town.programme.hours_per_wek"
    assert "did you mean 'hours_per_week'" in prob.message


def test_wrong_type_names_file_line_and_key(tmp_path):
    p = write(tmp_path, MINIMAL.replace("per_year: 10", "per_year: many"))
    [prob] = problems(p)
    assert (prob.line, prob.key) == (4, "municipalities.town.arrivals.per_year")
    assert "'many'" in prob.message
    assert str(p) in str(prob) and ":4:" in str(prob)


@pytest.mark.parametrize("snippet, key, words", [
    ("arrivals: {per_year: -5}", "municipalities.town.arrivals.per_year", "greater than or equal to 0, found -5"),
    ("arrivals: {per_year: 10}\n    programme: {hours_per_week: 70}",
     "municipalities.town.programme.hours_per_week", "less than or equal to 60"),
    ("arrivals: {per_year: 10}\n    staff: {coach_share_at_employers: 1.5}",
     "municipalities.town.staff.coach_share_at_employers", "less than or equal to 1"),
])
def test_values_out_of_range(tmp_path, snippet, key, words):
    p = write(tmp_path, MINIMAL.replace("arrivals: {per_year: 10}", snippet))
    [prob] = problems(p)
    assert prob.key == key and words in prob.message and prob.line is not None


def test_shares_must_add_up(tmp_path):
    p = write(tmp_path, MINIMAL + "refugee_profile:\n  education_shares: {none: 0.5, compulsory: 0.5, "
                                  "upper_secondary: 0.5, tertiary: 0.5}\n")
    [prob] = problems(p)
    assert prob.key == "refugee_profile.education_shares" and "add up to 1" in prob.message


def test_every_problem_is_reported_at_once(tmp_path):
    p = write(tmp_path, MINIMAL.replace("per_year: 10", "per_year: -1").replace(
        "sector: retail_hospitality", "sector: retail_hospitality\n    hiring_bias: 2"))
    assert len(problems(p)) == 2


def test_yaml_syntax_error_has_line_and_column(tmp_path):
    p = write(tmp_path, "name: x\nmunicipalities:\n  town: [unclosed\n")
    [prob] = problems(p)
    assert prob.line is not None and "column" in prob.message


def test_duplicate_key_is_an_error(tmp_path):
    p = write(tmp_path, MINIMAL + "name: again\n")
    [prob] = problems(p)
    assert "duplicate key" in prob.message and prob.key == "name"


def test_empty_file(tmp_path):
    [prob] = problems(write(tmp_path, ""))
    assert "empty" in prob.message


def test_missing_file(tmp_path):
    [prob] = problems(tmp_path / "absent.yaml")
    assert "not found" in prob.message


def test_no_refugees(tmp_path):
    [prob] = problems(write(tmp_path, MINIMAL.replace("per_year: 10", "per_year: 0")))
    assert prob.key == "municipalities" and "no refugees" in prob.message


def test_unknown_municipality_in_agreement(tmp_path):
    p = write(tmp_path, MINIMAL + "secondary_agreements:\n  g:\n    from: town\n    to: twon\n"
                                  "    places_per_year: 5\n")
    [prob] = problems(p)
    assert prob.key == "secondary_agreements.g.to" and "did you mean 'town'" in prob.message
    assert prob.line == 12


def test_extends_overrides_single_values(tmp_path):
    write(tmp_path, MINIMAL, "base.yaml")
    child = write(tmp_path, "extends: base.yaml\nname: child\nmunicipalities:\n  town:\n"
                            "    programme: {hours_per_week: 40}\n", "child.yaml")
    s, sources = load_scenario_with_sources(child)
    assert s.name == "child"
    assert s.municipalities["town"].programme.hours_per_week == 40
    assert s.municipalities["town"].arrivals.per_year == 10  # inherited
    assert sources.lines[("municipalities", "town", "programme", "hours_per_week")] == (str(child), 5)
    assert sources.lines[("municipalities", "town", "arrivals")][0].endswith("base.yaml")


def test_error_in_parent_names_the_parent_file(tmp_path):
    base = write(tmp_path, MINIMAL.replace("per_year: 10", "per_year: -3"), "base.yaml")
    child = write(tmp_path, "extends: base.yaml\nname: child\n", "child.yaml")
    [prob] = problems(child)
    assert prob.file == str(base) and prob.line == 4


def test_extends_cycle(tmp_path):
    write(tmp_path, "extends: b.yaml\n" + MINIMAL, "a.yaml")
    b = write(tmp_path, "extends: a.yaml\nname: b\n", "b.yaml")
    [prob] = problems(b)
    assert "cycle" in prob.message and prob.key == "extends"


def test_missing_parent(tmp_path):
    p = write(tmp_path, "extends: nowhere.yaml\nname: x\n")
    [prob] = problems(p)
    assert prob.key == "extends" and "not found" in prob.message and prob.line == 1


def test_overrides_are_validated(tmp_path):
    p = write(tmp_path, MINIMAL)
    s = load_scenario(p, [("municipalities.town.programme.hours_per_week", 35)])
    assert s.municipalities["town"].programme.hours_per_week == 35
    with pytest.raises(ScenarioError) as exc:
        load_scenario(p, [("municipalities.town.programme.hours_per_week", 99)])
    assert exc.value.problems[0].file == "--set"


def test_cli_bad_input_exits_2_without_traceback(tmp_path):
    p = write(tmp_path, MINIMAL.replace("per_year: 10", "per_year: -1"))
    r = subprocess.run([sys.executable, str(ROOT / "run.py"), "run", str(p), "--replicates", "1"],
                       capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    assert f"{p}:4: municipalities.town.arrivals.per_year:" in r.stderr
    assert not (tmp_path / "results").exists()


def test_cli_validate(tmp_path):
    good = write(tmp_path, MINIMAL, "good.yaml")
    bad = write(tmp_path, MINIMAL.replace("sector: retail_hospitality", "sector: retail"), "bad.yaml")
    ok = subprocess.run([sys.executable, str(ROOT / "run.py"), "validate", str(good)], capture_output=True, text=True)
    assert ok.returncode == 0
    no = subprocess.run([sys.executable, str(ROOT / "run.py"), "validate", str(good), str(bad)],
                        capture_output=True, text=True)
    assert no.returncode == 2 and "employers.shop.sector" in no.stderr and "Traceback" not in no.stderr
