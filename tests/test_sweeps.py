"""Sweeps: the same table with 1 worker, 2 workers or Dask; resumable after a kill or a torn last
line; a changed sweep is refused; bad sweep files get located messages."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

from sim.config import ScenarioError
from sim.sweeps import load_sweep, run_sweep
from sim.sweeps.design import points

ROOT = Path(__file__).resolve().parents[1]

SWEEP = """\
name: small
base: typical_2006
seed: 3
replicates: 3
years: 2
design: grid
dimensions:
  hours:
    path: municipalities.typical.programme.hours_per_week
    values: [15, 40]
  coaches:
    path: municipalities.typical.staff.coaches
    range: {start: 1, stop: 2, step: 1}
"""


def write(tmp_path: Path, text: str, name: str = "sweep.yaml") -> Path:
    p = tmp_path / name
    p.write_text(textwrap.dedent(text))
    return p


def table(folder: Path) -> pd.DataFrame:
    df = pd.read_csv(folder / "runs.csv").drop(columns=["crc", "wall_time_s"])
    return df.sort_values(["point", "replicate"]).reset_index(drop=True)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ref")
    f = write(tmp, SWEEP)
    run_sweep(f, tmp / "one", workers=1, scheduler=None, fresh=False)
    return f, table(tmp / "one")


def test_grid_has_every_combination(reference):
    _, ref = reference
    assert len(ref) == 2 * 2 * 3
    assert sorted(set(zip(ref["hours"], ref["coaches"]))) == [(15, 1), (15, 2), (40, 1), (40, 2)]
    assert ref["self_sufficiency_24"].isna().all()  # 2 years: 24 months is beyond the horizon
    assert ref["employment_12"].between(0, 1).all()


def test_same_table_with_two_workers(reference, tmp_path):
    f, ref = reference
    run_sweep(f, tmp_path / "two", workers=2, scheduler=None, fresh=False)
    pd.testing.assert_frame_equal(table(tmp_path / "two"), ref)


def test_same_table_on_a_dask_local_cluster(reference, tmp_path):
    pytest.importorskip("distributed")
    f, ref = reference
    run_sweep(f, tmp_path / "dask", workers=2, scheduler="local", fresh=False)
    pd.testing.assert_frame_equal(table(tmp_path / "dask"), ref)


def test_rerun_skips_finished_runs(reference, tmp_path):
    f, ref = reference
    run_sweep(f, tmp_path / "s", workers=1, scheduler=None, fresh=False)
    info = run_sweep(f, tmp_path / "s", workers=1, scheduler=None, fresh=False)
    assert info["ran"] == 0 and info["skipped"] == 12
    pd.testing.assert_frame_equal(table(tmp_path / "s"), ref)


def test_torn_last_line_is_detected_and_redone(reference, tmp_path):
    f, ref = reference
    out = tmp_path / "torn"
    run_sweep(f, out, workers=1, scheduler=None, fresh=False)
    text = (out / "runs.csv").read_text()
    (out / "runs.csv").write_text(text[:-25])  # a run killed while writing its line
    info = run_sweep(f, out, workers=1, scheduler=None, fresh=False)
    assert info["ran"] == 1
    pd.testing.assert_frame_equal(table(out), ref)


def test_killed_sweep_resumes_to_the_same_table(reference, tmp_path):
    f, ref = reference
    out = tmp_path / "killed"
    # One run a batch, so that the kill falls between runs (a batch is written whole).
    cmd = [sys.executable, str(ROOT / "run.py"), "sweep", str(f), "--out", str(out), "--workers", "1", "--quiet",
           "--batch", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while time.time() < deadline:
        runs = out / "runs.csv"
        if runs.exists() and runs.read_text().count("\n") >= 4:  # header and three runs
            break
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    done_before = len(pd.read_csv(out / "runs.csv")) if (out / "runs.csv").exists() else 0
    assert 0 < done_before < 12
    r = subprocess.run(cmd, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "already done" in r.stdout
    pd.testing.assert_frame_equal(table(out), ref)
    assert (out / "report.html").exists()


def test_changed_sweep_is_refused_for_resume(tmp_path):
    f = write(tmp_path, SWEEP)
    run_sweep(f, tmp_path / "out", workers=1, scheduler=None, fresh=False)
    write(tmp_path, SWEEP.replace("values: [15, 40]", "values: [15, 30]"))
    r = subprocess.run([sys.executable, str(ROOT / "run.py"), "sweep", str(f), "--out", str(tmp_path / "out")],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "different sweep" in r.stderr and "--fresh" in r.stderr
    assert "Traceback" not in r.stderr
    r = subprocess.run([sys.executable, str(ROOT / "run.py"), "sweep", str(f), "--out", str(tmp_path / "out"),
                        "--fresh", "--workers", "1", "--quiet"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert sorted(set(table(tmp_path / "out")["hours"])) == [15, 30]


@pytest.mark.parametrize("change, key, words", [
    (("design: grid", "design: grid\nreplicatez: 2"), "replicatez", "did you mean 'replicates'"),
    (("values: [15, 40]", "values: []"), "dimensions.hours", "must not be empty"),
    (("path: municipalities.typical.staff.coaches", "path: municipalities.typical.staff.coachs"),
     "dimensions.coaches.path", "did you mean 'coaches'"),
    (("path: municipalities.typical.staff.coaches", "path: municipalities.nowhere.staff.coaches"),
     "dimensions.coaches.path", "has no 'nowhere'"),
    (("values: [15, 40]", "values: [15, 80]"), "dimensions.hours", "less than or equal to 60"),
    (("range: {start: 1, stop: 2, step: 1}", "sample: {low: 1, high: 2}"), "", "a grid needs values or a range"),
    (("design: grid", "design: lhs"), "", "samples every dimension"),
    (("design: grid", "design: sobol\nsamples: 0"), "samples", "greater than or equal to 1"),
    (("base: typical_2006", "base: nowhere.yaml"), "base", "not found"),
])
def test_bad_sweep_file(tmp_path, change, key, words):
    f = write(tmp_path, SWEEP.replace(*change))
    r = subprocess.run([sys.executable, str(ROOT / "run.py"), "sweep", str(f), "--out", str(tmp_path / "o")],
                       capture_output=True, text=True)
    assert r.returncode == 2, r.stdout
    assert str(f) in r.stderr and key in r.stderr and words in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("design", ["lhs", "sobol"])
def test_sampled_designs(tmp_path, design):
    text = SWEEP.replace("design: grid", f"design: {design}\nsamples: 16").replace(
        "values: [15, 40]", "sample: {low: 10, high: 40}").replace(
        "range: {start: 1, stop: 2, step: 1}", "sample: {low: 0.5, high: 4, integer: true}")
    sweep, _, _ = load_sweep(write(tmp_path, text))
    pts = points(sweep)
    assert len(pts) == 16
    assert all(10 <= p["hours"] <= 40 and isinstance(p["coaches"], int) and 0 <= p["coaches"] <= 4 for p in pts)
    assert points(sweep) == pts  # the design depends on the seed only


def test_example_sweep_is_valid():
    sweep, base, _ = load_sweep(ROOT / "scenarios" / "sweeps" / "example.yaml")
    assert base.name == "falkenberg" and len(points(sweep)) * sweep.replicates == 200


def test_sweep_file_errors_raise_scenario_error(tmp_path):
    with pytest.raises(ScenarioError):
        load_sweep(write(tmp_path, ""))


def test_weekly_series_on_request(tmp_path):
    text = SWEEP.replace("replicates: 3", "replicates: 1").replace("years: 2", "years: 1") + \
        "outputs:\n  timeseries: true\n"
    f = write(tmp_path, text)
    run_sweep(f, tmp_path / "ts", workers=1, scheduler=None, fresh=False)
    files = sorted((tmp_path / "ts" / "timeseries").glob("*.csv"))
    assert len(files) == 4
    ts = pd.read_csv(files[0])
    assert list(ts.columns) == ["week", "municipality", "group", "metric", "value"] and ts["week"].max() == 51


@pytest.mark.slow
def test_remote_dask_scheduler(reference, tmp_path):
    """A separate scheduler and worker processes, as on a cluster: the same table."""
    pytest.importorskip("distributed")
    f, ref = reference
    bin_dir = Path(sys.executable).parent
    sched = subprocess.Popen([str(bin_dir / "dask"), "scheduler", "--host", "127.0.0.1", "--port", "8797",
                              "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    worker = subprocess.Popen([str(bin_dir / "dask"), "worker", "tcp://127.0.0.1:8797", "--nworkers", "2",
                               "--nthreads", "1", "--no-dashboard"], cwd=tmp_path,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(6)
        run_sweep(f, tmp_path / "remote", workers=2, scheduler="tcp://127.0.0.1:8797", fresh=False)
        pd.testing.assert_frame_equal(table(tmp_path / "remote"), ref)
    finally:
        worker.terminate()
        sched.terminate()
        worker.wait(30)
        sched.wait(30)


def test_range_never_passes_stop():
    from sim.sweeps.spec import Dimension
    d = Dimension(path="x", range={"start": 0, "stop": 1, "step": 0.4})
    assert d.grid_values() == [0, 0.4, 0.8]
    assert Dimension(path="x", range={"start": 1, "stop": 4, "step": 1}).grid_values() == [1, 2, 3, 4]


def test_a_backend_that_cannot_start_leaves_no_new_folder(reference, tmp_path, monkeypatch):
    """A Dask scheduler out of reach: the folder the sweep made for it is removed (nothing ran),
    while a folder that already held runs is kept as it was."""
    import sim.sweeps as sweeps
    from sim.errors import BackendError
    f, _ = reference

    def unreachable(*args, **kwargs):
        raise BackendError("cannot reach the Dask scheduler 'tcp://nowhere:1'")
    monkeypatch.setattr(sweeps, "backend", unreachable)
    with pytest.raises(BackendError):
        run_sweep(f, tmp_path / "new", workers=1, scheduler="tcp://nowhere:1", fresh=False)
    assert not (tmp_path / "new").exists() and list(tmp_path.iterdir()) == []
    monkeypatch.undo()
    run_sweep(f, tmp_path / "kept", workers=1, scheduler=None, fresh=False)
    before = table(tmp_path / "kept")
    monkeypatch.setattr(sweeps, "backend", unreachable)
    with pytest.raises(BackendError):
        run_sweep(f, tmp_path / "kept", workers=1, scheduler="tcp://nowhere:1", fresh=False)
    pd.testing.assert_frame_equal(table(tmp_path / "kept"), before)


def test_a_sweep_over_a_behavioural_parameter_runs_as_one_batch(tmp_path):
    """Every world of a batch reads its own parameters: a sweep over a behavioural parameter runs
    its points side by side, and its rows are those of each run alone. Only the simulated period
    splits a batch."""
    from sim.ensemble import Members
    from sim.model import IntroductionModel
    from sim.sweeps.design import point_scenario, run_seed
    from sim.sweeps.execute import Context, task_blocks

    f = write(tmp_path, """\
        name: behaviour
        base: typical_2006
        seed: 5
        replicates: 2
        years: 1
        design: grid
        dimensions:
          own:
            path: behaviour.search.own_contacts_per_week
            values: [0.05, 0.2]
          hours:
            path: municipalities.typical.programme.hours_per_week
            values: [15, 40]
        """)
    sweep, base, _ = load_sweep(f)
    pts = points(sweep)
    ctx = Context(base=base, sweep=sweep, points=pts)
    tasks = [(p, r, run_seed(sweep, p, r)) for p in range(len(pts)) for r in range(2)]
    blocks = task_blocks(ctx, tasks, workers=1)
    assert len(blocks) == 1  # every world reads its own parameters: one batch for all points
    assert len({pts[p]["own"] for p, _, _ in blocks[0]}) == 2
    run_sweep(f, tmp_path / "out", workers=1, scheduler=None, fresh=False)
    rows = table(tmp_path / "out")
    for p, r, seed in tasks[::3]:
        # Replicate r runs the posterior ensemble's parameter set for (sweep seed, r) at every point.
        scen = Members().scenario(point_scenario(base, sweep, pts[p]), sweep.seed, r)
        alone = IntroductionModel(scen, seed=seed, collect=False).run().figures()
        row = rows[(rows.point == p) & (rows.replicate == r)].iloc[0]
        assert row["employment_6"] == alone["employment"]["6"]
        assert row["costs_sek_per_refugee"] == pytest.approx(alone["costs_sek_per_refugee"], rel=1e-12)


def test_replicates_run_the_same_parameter_set_at_every_point(reference, tmp_path):
    """With the shipped ensemble, replicate r runs the set drawn for (sweep seed, r) at every point,
    and the report says its bands hold parameter uncertainty; `parameters: point` runs none."""
    from sim.config import load_scenario
    from sim.ensemble import Members
    from sim.sweeps.report import build_sweep_report
    _, ref = reference
    ens = Members().ensemble(load_scenario("typical_2006"))
    assert ens is not None
    for r, rows in ref.groupby("replicate"):
        assert set(rows["parameter_set"]) == {ens.member(3, r)}
    point = write(tmp_path, SWEEP + "parameters: point\n")
    run_sweep(point, tmp_path / "point", workers=1, scheduler=None, fresh=False)
    pt = table(tmp_path / "point")
    assert pt["parameter_set"].isna().all()
    assert not pt["employment_12"].equals(ref["employment_12"])
    html = build_sweep_report(tmp_path / "point").read_text()
    assert "the fitted point estimate" in html
    (tmp_path / "ens").mkdir()
    for name in ("runs.csv", "sweep.json", "points.csv"):
        (tmp_path / "ens" / name).write_text((reference[0].parent / "one" / name).read_text())
    assert "posterior ensemble" in build_sweep_report(tmp_path / "ens").read_text()
