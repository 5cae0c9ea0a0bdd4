"""Writing a scenario from a shipped one: titles, renaming and removing inherited entries, warnings
for settings that do nothing, and the report and table that speak in names, not keys."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sim.config import SCENARIO_DIR, ScenarioError, load_scenario, load_scenario_with_sources
from sim.config.inert import inert_levers, warnings_for
from sim.headline import ROWS, verdicts

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted(p.stem for p in SCENARIO_DIR.glob("*.yaml"))


def write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    p = tmp_path / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_scenario_has_a_title_and_no_warning(name):
    scenario, sources = load_scenario_with_sources(name)
    assert scenario.title and scenario.title != scenario.name
    assert warnings_for(scenario, sources) == []


def test_a_child_does_not_inherit_its_parents_title(tmp_path):
    child = load_scenario(write(tmp_path, "extends: typical_2006.yaml\nname: child\n"))
    assert child.title == "" and child.display_title == "child"
    titled = load_scenario(write(tmp_path, "extends: typical_2006.yaml\nname: c2\ntitle: Mine\n", "t.yaml"))
    assert titled.display_title == "Mine"


def test_renaming_a_municipality_moves_every_reference(tmp_path):
    s = load_scenario(write(tmp_path, """
        extends: falkenberg.yaml
        name: town
        rename_municipalities: {falkenberg: town}
        municipalities:
          town:
            arrivals: {per_year: 60}
        """))
    parent = load_scenario("falkenberg")
    assert list(s.municipalities) == ["town"]
    assert s.municipalities["town"].arrivals.per_year == 60
    # Everything else of the parent's municipality came along under the new key.
    assert s.municipalities["town"].programme == parent.municipalities["falkenberg"].programme
    assert {e.municipality for e in s.employers.values()} == {"town"}
    assert len(s.employers) == len(parent.employers)
    assert all(a.municipalities == ["town"] for a in s.staffing_agencies.values())
    # And its values keep their file and line.
    _, sources = load_scenario_with_sources(tmp_path / "s.yaml")
    file, line = sources.lines[("municipalities", "town", "programme", "hours_per_week")]
    assert file.endswith("falkenberg.yaml") and line > 0


def first_problem(path: Path):
    with pytest.raises(ScenarioError) as exc:
        load_scenario(path)
    return exc.value.problems[0]


def test_renaming_what_the_parent_lacks_is_a_located_error(tmp_path):
    p = first_problem(write(tmp_path, "extends: falkenberg.yaml\nname: x\nrename_municipalities: {varnamo: town}\n"))
    assert p.line == 3 and p.key == "rename_municipalities.varnamo" and "falkenberg" in p.message


def test_null_removes_an_inherited_municipality_with_its_employers(tmp_path):
    s = load_scenario(write(tmp_path, """
        extends: regional_secondary.yaml
        name: smaller
        municipalities:
          ragunda: null
        """))
    parent = load_scenario("regional_secondary")
    assert "ragunda" in parent.municipalities and "ragunda" not in s.municipalities
    assert all(e.municipality != "ragunda" for e in s.employers.values())
    assert all("ragunda" not in (g.from_municipality, g.to_municipality) for g in s.secondary_agreements.values())
    assert len(s.municipalities) == len(parent.municipalities) - 1


def test_null_for_something_not_inherited_is_a_located_error(tmp_path):
    p = first_problem(write(tmp_path, "extends: typical_2006.yaml\nname: x\nemployers:\n  nowhere: null\n"))
    assert p.line == 4 and p.key == "employers.nowhere" and "no 'nowhere'" in p.message


def test_inert_levers_are_named_with_why():
    social = {"programme": {"allowance": "social_assistance", "sanctions": True, "summer_break_weeks": 0,
                            "summer_courses": True, "alternate_sfi_with_internship": False},
              "staff": {"coaches": 0}}
    why = inert_levers(social)
    assert set(why) == {"programme.allowance_sek_per_week", "programme.sanctions", "programme.summer_courses",
                        "programme.summer_course_hours", "programme.internship_share_of_week",
                        "staff.coach_share_at_employers"}
    active = {"programme": {"allowance": "wage_like", "sanctions": True, "summer_break_weeks": 4,
                            "summer_courses": True, "alternate_sfi_with_internship": True},
              "staff": {"coaches": 2}}
    assert inert_levers(active) == {}


def test_validate_warns_on_an_inert_lever_the_file_sets(tmp_path):
    path = write(tmp_path, """
        extends: typical_2006.yaml
        name: w
        municipalities:
          typical:
            programme: {allowance_sek_per_week: 2500}
        """)
    r = subprocess.run([sys.executable, str(ROOT / "run.py"), "validate", str(path)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert f"{path}:6: municipalities.typical.programme.allowance_sek_per_week: warning: not used" in r.stderr
    assert "Traceback" not in r.stderr


def _diff(mean, lo, hi):
    return {"mean": mean, "lo": lo, "hi": hi}


def test_verdicts_say_direction_size_noise_and_cost():
    diffs = [{"differences": {"employment": {"24": _diff(0.12, 0.08, 0.15)},
                              "self_sufficiency": {"24": _diff(-0.02, -0.05, 0.01)},
                              "costs_sek_per_refugee": _diff(-3000.0, -5000.0, -1000.0)}}]
    (line,) = verdicts(["Base", "Other"], diffs)
    assert line.startswith("Other, compared with Base: 12 percentage points more employed at 24 months, beyond the noise")
    assert "2 percentage points fewer self-sufficient at 24 months, within the noise" in line
    assert "3 000 SEK less spent per refugee" in line
    # A run too short for 24 months speaks about 12.
    short = [{"differences": {"employment": {"24": _diff(None, None, None), "12": _diff(0.05, 0.01, 0.09)}}}]
    assert "5 percentage points more employed at 12 months" in verdicts(["A", "B"], short)[0]


def test_the_report_has_every_row_of_the_table_and_speaks_in_titles(tmp_path):
    out = tmp_path / "r"
    r = subprocess.run([sys.executable, str(ROOT / "run.py"), "compare", "typical_2006", "falkenberg",
                        "--replicates", "2", "--years", "2", "--out", str(out)],
                       capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    html = (out / "report.html").read_text(encoding="utf-8")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    titles = [s["title"] for s in summary["scenarios"]]
    assert titles == [load_scenario("typical_2006").title, load_scenario("falkenberg").title]
    assert f"<h1>Refugee introduction: {titles[0]} vs {titles[1]}</h1>" in html
    for row in ROWS:  # every row of the terminal's table
        assert f"<th>{row.label[0].upper() + row.label[1:]}</th>" in html, row.label
        assert row.label in r.stdout
    assert "In short" in html and f"{titles[1]}, compared with {titles[0]}:" in html
    assert f"{titles[1]}, compared with {titles[0]}:" in r.stdout
    # What the ranges include, in words: the shipped scenarios draw parameter sets from the ensemble.
    assert "set of behavioural parameters drawn from the calibration&#x27;s posterior" in html
    assert "seed 000" not in html and "Välkommen till jobbet!" in html
    assert str(ROOT) not in html  # paths relative to the project
    assert ">not used<" in html   # typical_2006's allowance amount under social assistance


def test_progress_when_stderr_is_not_a_terminal_and_show_changed(tmp_path):
    r = subprocess.run([sys.executable, str(ROOT / "run.py"), "run", "typical_2006", "--replicates", "2",
                        "--years", "1", "--out", str(tmp_path / "r")], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "2/2 runs done (100 %)" in r.stderr
    assert "writing tables" in r.stderr and "drawing plots and writing the report" in r.stderr
    q = subprocess.run([sys.executable, str(ROOT / "run.py"), "run", "typical_2006", "--replicates", "2",
                        "--years", "1", "--out", str(tmp_path / "q"), "--quiet"], capture_output=True, text=True)
    assert q.returncode == 0 and "runs done" not in q.stderr
    # The results folder keeps the weekly series compressed.
    assert (tmp_path / "r" / "timeseries.csv.gz").is_file() and not (tmp_path / "r" / "timeseries.csv").exists()
    s = subprocess.run([sys.executable, str(ROOT / "run.py"), "show", "ten_proposals", "--changed"],
                       capture_output=True, text=True)
    lines = s.stdout.splitlines()
    assert s.returncode == 0 and lines
    assert all("ten_proposals.yaml:" in line for line in lines)
    assert any(line.startswith("municipalities.typical.programme.hours_per_week = 40") for line in lines)


def test_a_scenario_with_several_municipalities_has_rows_for_each(tmp_path):
    out = tmp_path / "r"
    r = subprocess.run([sys.executable, str(ROOT / "run.py"), "run", "regional_secondary", "--replicates", "2",
                        "--years", "2", "--out", str(out), "--quiet"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    html = (out / "report.html").read_text(encoding="utf-8")
    scenario = load_scenario("regional_secondary")
    assert f"{scenario.display_title}, by municipality of residence" in html
    for m in scenario.municipalities.values():
        assert f"<tr><th>{m.label}</th>" in html, m.label
    assert "<tr><th>All, pooled</th>" in html


def test_verdicts_never_compare_spending_over_different_horizons():
    diffs = [{"differences": {"employment": {"24": _diff(0.1, 0.05, 0.15)},
                              "costs_sek_per_refugee": _diff(-70000.0, -80000.0, -60000.0)}}]
    (line,) = verdicts(["Base", "Other"], diffs, [7, 5])
    assert "spending per refugee not compared (5 simulated years against 7)" in line and "SEK" not in line
    (same,) = verdicts(["Base", "Other"], diffs, [5, 5])
    assert "70 000 SEK less spent per refugee" in same


def test_warnings_for_a_town_without_employers_and_a_receiver_without_staff():
    from sim.config.inert import scenario_warnings
    staffed = {"programme": {"allowance": "wage_like", "summer_break_weeks": 4, "summer_courses": True,
                             "alternate_sfi_with_internship": True}, "staff": {"coaches": 1}}
    bare = {"programme": dict(staffed["programme"]), "staff": {"coaches": 0, "internship_coordinators": 0},
            "commuting_to": []}
    data = {"municipalities": {"hub": staffed, "village": bare},
            "employers": {"firms": {"municipality": "hub"}},
            "secondary_agreements": {"move": {"from": "hub", "to": "village"}}}
    found = dict(scenario_warnings(data))
    assert "no employers" in found["municipalities.village"]
    assert "'village' has no coaches" in found["secondary_agreements.move"]
    assert "municipalities.hub" not in found
    bare["commuting_to"] = ["hub"]  # commuting to a town with employers is a way to work
    assert "municipalities.village" not in dict(scenario_warnings(data))
