"""`run.py effects`: every lever that differs is found (and nothing that only names a scenario),
each is switched on alone and off alone on the same seeds, and the outputs are written."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

from sim import effects
from sim.config import load_scenario

ROOT = Path(__file__).resolve().parents[1]


def test_the_levers_of_the_ten_proposals_are_exactly_what_differs():
    base, other = load_scenario("typical_2006"), load_scenario("ten_proposals")
    levers = effects.lever_differences(base, other)
    paths = {lv.path for lv in levers}
    assert ("municipalities", "typical", "programme", "hours_per_week") in paths
    assert ("municipalities", "typical", "programme", "allowance") in paths
    assert not any(p[-1] in ("label", "title", "name", "description") for p in paths)
    for lv in levers:  # each really differs
        assert lv.base != lv.other
    # Switching one lever on alone changes that value and nothing else.
    lv = next(lv for lv in levers if lv.path[-1] == "hours_per_week")
    data = effects._set(base.model_dump(mode="json", by_alias=True), lv.path, lv.other)
    assert data["municipalities"]["typical"]["programme"]["hours_per_week"] == lv.other
    assert base.municipalities["typical"].programme.hours_per_week == lv.base


def test_a_lever_that_does_nothing_has_an_effect_of_exactly_zero():
    base = load_scenario("typical_2006")
    data = base.model_dump(mode="json", by_alias=True)
    # The allowance amount is inert under social assistance: on alone it must change nothing at all.
    data["municipalities"]["typical"]["programme"]["allowance_sek_per_week"] = 2500
    from sim.config import scenario_from_dict
    other = scenario_from_dict(data)
    result = effects.lever_effects(base, other, replicates=2, seed=1, years=3)
    (row,) = result["levers"]
    reached = [d for d in row["on_alone"].values() if d["mean"] is not None]
    assert len(reached) >= 3  # 12 and 24 months, spending, ...
    for d in reached:
        assert d["mean"] == 0 and d["lo"] == 0 and d["hi"] == 0
    assert result["total"] == row["on_alone"]


def test_the_plot_accepts_intervals_of_no_width(tmp_path):
    d = {"mean": 0.1, "lo": 0.1 + 1e-17, "hi": 0.1 - 1e-17}
    result = {"base": "a", "other": "b", "replicates": 2, "seed": 1, "outcomes": [effects.headline_label()],
              "total": {effects.headline_label(): d},
              "levers": [{"lever": "x.y", "on_alone": {effects.headline_label(): d},
                          "off_alone": {effects.headline_label(): d}}]}
    effects.plot(result, tmp_path / "e.png")
    assert (tmp_path / "e.png").stat().st_size > 0


def test_the_command_writes_table_plot_and_json(tmp_path):
    out = tmp_path / "e"
    r = subprocess.run([sys.executable, str(ROOT / "run.py"), "effects", "ten_proposals", "--against", "typical_2006",
                        "--replicates", "2", "--years", "2", "--out", str(out), "--quiet"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    result = json.loads((out / "effects.json").read_text(encoding="utf-8"))
    md = (out / "effects.md").read_text(encoding="utf-8")
    assert (out / "effects.png").is_file()
    assert result["levers"] and all(row["lever"] in md for row in result["levers"])
    total = result["total"][effects.headline_label()]
    assert total["mean"] is None or np.isfinite(total["mean"])
