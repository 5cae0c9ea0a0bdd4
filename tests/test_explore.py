"""The explorer's parts without a browser: its levers carry the schema's bounds and become the
same scenario whether applied as overrides or saved as a file that extends the base; its
computation gives `run.py compare`'s numbers and stops when a newer request comes; saving never
leaves a half-written or invalid file; the command refuses bad input like the others."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.comparison import summary_of
from sim.config import load_scenario, load_scenario_with_sources
from sim.config.loader import shipped_scenarios
from sim.config.paths import SCENARIO_DIR
from sim.config.schema import Programme, SecondaryAgreement, Staff
from sim.explore import compute, levers
from sim.headline import ROWS, format_range
from sim.runner import run_comparison

ROOT = Path(__file__).resolve().parents[1]
SHORT = [("simulation.years", 2)]  # two simulated years: fast, and still a 12- and 24-month figure


def _dump(s) -> dict:
    d = s.model_dump(mode="json", by_alias=True)
    for k in ("name", "title", "description"):
        d.pop(k)
    return d


# --- levers --------------------------------------------------------------------------------------

def test_every_lever_carries_the_schemas_bounds():
    schema = {"hours_per_week": (Programme, 0, 60), "summer_break_weeks": (Programme, 0, 16),
              "coaches": (Staff, 0, 1000), "coach_share_at_employers": (Staff, 0, 1),
              "internship_coordinators": (Staff, 0, 1000)}
    for key, (model, lo, hi) in schema.items():
        lever = levers.BY_KEY[key]
        assert lever.model is model and lever.bounds() == (lo, hi)
    assert levers.AGREEMENT.model is SecondaryAgreement and levers.AGREEMENT.bounds() == (0, 100000)
    # The choices are the schema's Literal values, no more and no fewer.
    for key in ("allowance", "validation"):
        lever = levers.BY_KEY[key]
        assert set(dict(lever.choices)) == set(Programme.model_fields[key].annotation.__args__)


@pytest.mark.parametrize("name", shipped_scenarios())
def test_every_control_of_every_shipped_scenario_holds_its_base_value_within_the_schema(name):
    s = load_scenario(name)
    for muni in s.municipalities:
        for lid, lever in levers.controls(s, muni):
            value = levers.base_value(s, lid)
            if lever.kind == "number":
                lo, hi = lever.slider_range(value)
                schema_lo, schema_hi = lever.bounds()
                assert schema_lo <= lo <= value <= hi <= schema_hi, (name, lid, value, lo, hi)
            elif lever.kind == "choice":
                assert value in dict(lever.choices)
            else:
                assert isinstance(value, bool)


def test_a_slider_never_passes_the_schemas_top_even_for_a_large_base_value():
    lever = levers.BY_KEY["coaches"]
    assert lever.slider_range(3.0) == (0, 20)
    assert lever.slider_range(600.0) == (0, 1000)  # twice 600 would pass the schema's 1000


def test_changes_made_for_another_base_are_no_change_here():
    typical = load_scenario("typical_2006")
    stale = {"falkenberg:coaches": 9.0, "agreement:sodertalje_to_gavleborg": 3, "typical:nonsense": 1}
    assert levers.effective(typical, stale) == {}
    assert levers.overrides(typical, stale) == []
    assert levers.effective(typical, {**stale, "typical:coaches": 2.0}) == {"typical:coaches": 2.0}


def test_the_explored_name_differs_from_the_base_whatever_its_length():
    long = load_scenario("falkenberg", [("name", "x" * 64)])
    assert levers.explored_name(long) != long.name and levers.valid_name(levers.explored_name(long))


def test_a_control_moved_back_is_no_change():
    s = load_scenario("falkenberg")
    assert levers.effective(s, {"falkenberg:summer_break_weeks": 4, "falkenberg:coaches": 4.0}) == {}
    assert levers.overrides(s, {"falkenberg:summer_break_weeks": 0}) == [
        ("municipalities.falkenberg.programme.summer_break_weeks", 0)]


def test_the_partnership_switch_adds_and_removes_the_municipality_at_every_agency_recruiting_there():
    typical = load_scenario("typical_2006")
    assert levers.base_value(typical, "typical:partnership") is False
    assert levers.overrides(typical, {"typical:partnership": True}) == [
        ("staffing_agencies.regional_agency.partner_municipalities", ["typical"])]
    falkenberg = load_scenario("falkenberg")
    assert levers.base_value(falkenberg, "falkenberg:partnership") is True
    off, _ = load_scenario_with_sources("falkenberg", levers.overrides(falkenberg, {"falkenberg:partnership": False}))
    assert off.staffing_agencies["manpower"].partner_municipalities == []


def _roundtrip(tmp_path, name: str, changes: dict):
    base = load_scenario(name)
    path = tmp_path / "explored.yaml"
    path.write_text(levers.scenario_yaml(base, levers.extends_reference(SCENARIO_DIR / f"{name}.yaml", path, SCENARIO_DIR),
                                         changes, "explored"), encoding="utf-8")
    saved = load_scenario(path)
    applied = load_scenario(name, levers.overrides(base, changes))
    return base, path, saved, applied


@pytest.mark.parametrize("name,changes", [
    ("falkenberg", {"falkenberg:summer_break_weeks": 0, "falkenberg:coaches": 6.5,
                    "falkenberg:coach_share_at_employers": 0.75, "falkenberg:allowance": "social_assistance",
                    "falkenberg:income_offset": True, "falkenberg:validation": "university",
                    "falkenberg:partnership": False}),
    ("typical_2006", {"typical:hours_per_week": 40, "typical:alternate_sfi_with_internship": True,
                      "typical:partnership": True, "typical:internship_coordinators": 1.2}),
    ("regional_secondary", {"agreement:sodertalje_to_gavleborg": 40, "umea:summer_courses": True}),
])
def test_a_saved_scenario_extends_the_base_with_only_the_changes_and_equals_the_overrides(tmp_path, name, changes):
    base, path, saved, applied = _roundtrip(tmp_path, name, changes)
    assert _dump(saved) == _dump(applied)
    assert _dump(saved) != _dump(base)
    text = path.read_text(encoding="utf-8")
    assert f"extends: {name}.yaml" in text
    data = __import__("yaml").safe_load(text)
    # Only what changed: one key per changed lever below the municipalities (and agencies, agreements).
    flat = [k for k in _leaves(data) if k[0] in ("municipalities", "staffing_agencies", "secondary_agreements")]
    assert len(flat) == len(changes)
    assert saved.title == f"{base.display_title}, explored"


def _leaves(d, prefix=()):
    for k, v in d.items():
        if isinstance(v, dict):
            yield from _leaves(v, prefix + (k,))
        else:
            yield prefix + (k,)


_BASES = {name: load_scenario(name) for name in ("falkenberg", "typical_2006", "regional_secondary")}


@st.composite
def _changes(draw):
    """A base and any set of control values inside the controls' ranges."""
    name = draw(st.sampled_from(sorted(_BASES)))
    base = _BASES[name]
    changes = {}
    for muni in base.municipalities:
        for lid, lever in levers.controls(base, muni):
            if lid in changes or not draw(st.booleans()):
                continue
            if lever.kind == "switch":
                changes[lid] = draw(st.booleans())
            elif lever.kind == "choice":
                changes[lid] = draw(st.sampled_from([v for v, _ in lever.choices]))
            else:
                lo, hi = lever.slider_range(levers.base_value(base, lid))
                steps = int(round((hi - lo) / lever.step))
                changes[lid] = round(lo + lever.step * draw(st.integers(0, steps)), 4)
    return name, changes


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_changes())
def test_any_settings_of_the_controls_make_a_valid_scenario_saved_as_it_runs(tmp_path, case):
    name, changes = case
    base = _BASES[name]
    path = tmp_path / "any.yaml"
    path.write_text(levers.scenario_yaml(base, f"{name}.yaml", changes, "any"), encoding="utf-8")
    saved = load_scenario(path)  # valid: every control stays inside the schema's bounds
    applied = load_scenario(name, levers.overrides(base, changes))
    assert _dump(saved) == _dump(applied)
    for lid, value in levers.effective(base, changes).items():  # each change is in the scenario run
        assert levers.base_value(applied, lid) == value


def test_a_saved_scenario_names_a_base_file_by_its_path_relative_to_itself(tmp_path):
    own = tmp_path / "town" / "base.yaml"
    own.parent.mkdir()
    own.write_text((SCENARIO_DIR / "falkenberg.yaml").read_text(encoding="utf-8").replace(
        "parameters: fitted/shipped.yaml", f"parameters: {ROOT / 'calibration' / 'fitted' / 'shipped.yaml'}"),
        encoding="utf-8")
    saved = tmp_path / "out" / "x.yaml"
    assert levers.extends_reference(own, saved, SCENARIO_DIR) == "../town/base.yaml"


# --- computation -----------------------------------------------------------------------------

def _short(name: str, changes: dict):
    base = load_scenario(name, SHORT)
    variant = load_scenario(name, SHORT + levers.variant_overrides(base, changes))
    return base, variant


@pytest.mark.parametrize("parameters", ["ensemble", "point"])
def test_the_explorers_summary_is_run_compare_s(parameters):
    base, variant = _short("falkenberg", {"falkenberg:summer_break_weeks": 0, "falkenberg:coaches": 6.0})
    settings = compute.Settings(replicates=4, seed=11, parameters=parameters)
    compute._CACHE.clear()
    out = compute.explore(base, variant, settings, charts=False)
    runs = run_comparison([base, variant], 4, seed=11, workers=1, parameters=parameters)
    expected = summary_of([base.name, variant.name], [base, variant], [r["figures"] for r in runs], parameters, 11)
    assert json.dumps(out.summary, sort_keys=True) == json.dumps(expected, sort_keys=True)
    assert out.summary["uncertainty"]["parameters"] == parameters
    # The by-month table is the one `run.py compare` writes (by_month.csv), row for row.
    import pandas as pd
    table = pd.concat([b.assign(scenario=n, replicate=i) for n, r in zip([base.name, variant.name], runs)
                       for i, b in enumerate(r["by_month"])], ignore_index=True)
    assert out.by_month[table.columns].reset_index(drop=True).equals(table)


@pytest.mark.parametrize("workers", [1, 2])
def test_the_reports_runs_are_run_comparisons(workers):
    base, variant = _short("typical_2006", {"typical:hours_per_week": 40})
    settings = compute.Settings(replicates=3, seed=9, parameters="ensemble")
    try:
        ours = compute.comparison_runs([base, variant], settings, workers=workers)
    finally:
        compute.stop_workers()
    theirs = run_comparison([base, variant], 3, seed=9, workers=1, parameters="ensemble")
    for a, b in zip(ours, theirs):
        assert json.dumps(a["figures"], sort_keys=True) == json.dumps(b["figures"], sort_keys=True)
        assert all(x.equals(y) for x, y in zip(a["timeseries"], b["timeseries"]))
        assert all(x.equals(y) for x, y in zip(a["by_month"], b["by_month"]))


def test_worker_processes_give_the_same_numbers_and_stop_when_told():
    # Thirty simulated years (some tenths of a second a worker), so that a cancelled part is caught
    # part-way however fast the machine.
    base = load_scenario("falkenberg", [("simulation.years", 30)])
    variant = load_scenario("falkenberg", [("simulation.years", 30)] + levers.variant_overrides(
        base, {"falkenberg:hours_per_week": 20}))
    settings = compute.Settings(replicates=4, seed=5, parameters="ensemble")
    try:
        compute._CACHE.clear()
        alone = compute.explore(base, variant, settings, charts=False, workers=1)
        compute._CACHE.clear()
        pooled = compute.explore(base, variant, settings, charts=False, workers=2)
        assert json.dumps(alone.summary) == json.dumps(pooled.summary)
        # A request that stops being current is cancelled, and the pool serves the next one.
        compute._CACHE.clear()
        calls = []

        def current() -> bool:
            calls.append(1)
            return len(calls) < 3
        with pytest.raises(compute.Cancelled):
            compute.explore(base, variant, settings, charts=False, workers=2, current=current)
        weeks = [compute._POOLS[2].weeks[k] for k in range(2)]
        assert min(weeks) < base.weeks  # the workers stopped part-way, not at the end
        again = compute.explore(base, variant, settings, charts=False, workers=2)
        assert json.dumps(again.summary) == json.dumps(alone.summary)
    finally:
        compute.stop_workers()


def test_a_cancelled_request_stops_between_weeks_and_caches_nothing():
    base, variant = _short("typical_2006", {"typical:summer_break_weeks": 0})
    settings = compute.Settings(replicates=3, seed=2, parameters="point")
    compute._CACHE.clear()
    seen = []
    with pytest.raises(compute.Cancelled):
        compute.explore(base, variant, settings, progress=seen.append, current=lambda: len(seen) < 2, charts=False)
    assert len(seen) == 2 and seen[-1] < 0.5  # stopped early in the base's run, not at its end
    assert not compute._CACHE


def test_progress_rises_to_one_and_a_cached_base_is_not_run_again(monkeypatch):
    base, variant = _short("typical_2006", {"typical:hours_per_week": 30})
    settings = compute.Settings(replicates=2, seed=3, parameters="point")
    compute._CACHE.clear()
    seen: list[float] = []
    first = compute.explore(base, variant, settings, progress=seen.append, charts=True)
    assert seen == sorted(seen) and seen[-1] == 1.0
    assert set(first.charts) == {"outcomes", "outcomes_occupied_off_support", "outcomes_passive_support",
                                 "weeks_in_state", "spending", "state_payments"}
    for chart in ("outcomes", "outcomes_occupied_off_support", "outcomes_passive_support"):
        assert first.charts[chart].startswith("<svg") and first.charts[chart].count("<polyline") == 4
    other = load_scenario("typical_2006", SHORT + levers.variant_overrides(base, {"typical:hours_per_week": 35}))
    ran = []
    real = compute.simulate
    monkeypatch.setattr(compute, "simulate", lambda s, *a, **k: ran.append(s.name) or real(s, *a, **k))
    compute.explore(base, other, settings, charts=False)
    assert ran == [other.name]  # the base came from the cache


def test_spending_bars_add_up_to_the_headline_spending():
    base, variant = _short("falkenberg", {"falkenberg:coaches": 8.0})
    out = compute.explore(base, variant, compute.Settings(3, 4, "point"), charts=False)
    from sim.explore.charts import costs_by_kind
    from sim.metrics import COSTS
    for s, figs in zip(out.summary["scenarios"], out.figures):
        assert sum(costs_by_kind(figs, COSTS).values()) == pytest.approx(s["costs_sek_per_refugee"]["mean"])


def test_the_page_shows_every_headline_row_as_the_terminal_formats_it():
    pytest.importorskip("solara")
    from sim.explore.app import headline_html
    base, variant = _short("falkenberg", {"falkenberg:summer_break_weeks": 0})
    out = compute.explore(base, variant, compute.Settings(3, 4, "point"), charts=False)
    html = headline_html(out.summary)
    for row in ROWS:
        for s in out.summary["scenarios"]:
            assert format_range(row.get(s), row.kind == "pct") in html
        assert f"data-row='{row.label}'" in html


# --- saving ----------------------------------------------------------------------------------

def test_saving_checks_the_file_before_it_takes_its_place_and_never_overwrites_unasked(tmp_path):
    pytest.importorskip("solara")
    from sim.explore.app import save_scenario
    base = load_scenario("falkenberg")
    target = tmp_path / "sub" / "mine.yaml"
    ok, lines = save_scenario(base, "falkenberg", {"falkenberg:summer_break_weeks": 0}, str(target), False)
    assert ok and target.is_file() and "valid" in lines[0]
    assert load_scenario(target).municipalities["falkenberg"].programme.summer_break_weeks == 0
    assert load_scenario(target).name == "mine"
    before = target.read_text(encoding="utf-8")
    ok, lines = save_scenario(base, "falkenberg", {"falkenberg:summer_break_weeks": 2}, str(target), False)
    assert not ok and "exists already" in lines[0] and target.read_text(encoding="utf-8") == before
    ok, _ = save_scenario(base, "falkenberg", {"falkenberg:summer_break_weeks": 2}, str(target), True)
    assert ok and load_scenario(target).municipalities["falkenberg"].programme.summer_break_weeks == 2
    ok, lines = save_scenario(base, "falkenberg", {}, str(tmp_path / "mine.txt"), False)
    assert not ok and "ending in .yaml" in lines[0]
    assert sorted(p.name for p in target.parent.iterdir()) == ["mine.yaml"]  # no temporary file left
    folder = tmp_path / "taken.yaml"
    folder.mkdir()
    ok, lines = save_scenario(base, "falkenberg", {}, str(folder), True)
    assert not ok and "is a folder" in lines[0]
    # A file named as its base, beside nothing else: 'extends: falkenberg.yaml' would name itself.
    ok, lines = save_scenario(base, "falkenberg", {"falkenberg:coaches": 5.0}, str(tmp_path / "falkenberg.yaml"), False)
    assert not ok and "would extend itself" in lines[0] and not (tmp_path / "falkenberg.yaml").exists()


def test_the_saved_message_gives_the_command_that_reproduces_the_page(tmp_path):
    pytest.importorskip("solara")
    from sim.explore.app import save_scenario
    base = load_scenario("falkenberg")
    target = tmp_path / "mine.yaml"
    ok, lines = save_scenario(base, "falkenberg", {"falkenberg:coaches": 5.0}, str(target), False,
                              compute.Settings(20, 2006, "point"))
    assert ok
    assert lines[0].endswith(f"python run.py compare falkenberg {target} --replicates 20 --seed 2006 --parameters point")


# --- the command -----------------------------------------------------------------------------

def _explore(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "run.py"), "explore", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=60)


def test_explore_refuses_a_bad_scenario_with_the_located_message_and_starts_nothing(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("extends: falkenberg.yaml\nmunicipalities:\n  falkenberg:\n    programme:\n"
                   "      hours_per_week: 90\n", encoding="utf-8")
    r = _explore(str(bad), "--port", "1", cwd=tmp_path)
    assert r.returncode == 2
    assert f"{bad}:5: municipalities.falkenberg.programme.hours_per_week" in r.stderr
    assert "Traceback" not in r.stderr and "Explorer:" not in r.stdout


def test_explore_refuses_a_port_in_use(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        r = _explore("falkenberg", "--port", str(port), cwd=tmp_path)
    assert r.returncode == 2
    assert f"port {port} on 127.0.0.1 is in use" in r.stderr and "Traceback" not in r.stderr


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(x) for x in path.read_text().split()] if path.exists() else []


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has exited


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads child processes from /proc (Linux)")
@pytest.mark.parametrize("how", ["SIGTERM", "SIGKILL"])
def test_the_explorers_workers_never_outlive_it(tmp_path, how):
    import signal
    import time
    port = socket.socket()
    port.bind(("127.0.0.1", 0))
    number = port.getsockname()[1]
    port.close()
    proc = subprocess.Popen([sys.executable, str(ROOT / "run.py"), "explore", "falkenberg", "--port", str(number)],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        import select
        ready, _, _ = select.select([proc.stdout], [], [], 60)
        assert ready and proc.stdout.readline().startswith("Explorer: http://127.0.0.1:")
        workers = _children(proc.pid)
        assert len(workers) >= 3  # the two workers and multiprocessing's resource tracker
        proc.send_signal(getattr(signal, how))
        _, err = proc.communicate(timeout=30)
        if how == "SIGTERM":  # a clean stop, as after Ctrl-C
            assert proc.returncode == 0 and "explorer stopped" in err and "Traceback" not in err, err
        deadline = time.monotonic() + 10
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(_alive(w) for w in workers)
    finally:
        if proc.poll() is None:
            proc.kill()
