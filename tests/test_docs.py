"""The documentation says what the code does: the ODD's parameter tables are generated from
`sim/config/behaviour.py` and must agree with it, section by section."""

from __future__ import annotations

from pathlib import Path

from sim.config.behaviour import Behaviour
from sim.config.odd_tables import main, parameter_table, render, sections_in

ODD = Path(__file__).resolve().parents[1] / "docs" / "ODD.md"


def test_odd_parameter_tables_agree_with_behaviour():
    text = ODD.read_text(encoding="utf-8")
    assert render(text) == text, "run: python -m sim.config.odd_tables docs/ODD.md"
    assert sorted(sections_in(text)) == sorted(Behaviour.model_fields)
    assert main([str(ODD), "--check"]) == 0


def test_a_changed_default_is_caught(tmp_path):
    text = ODD.read_text(encoding="utf-8")
    stale = text.replace(parameter_table("hiring"), parameter_table("hiring").replace("| `swedish` |", "| `swedish_old` |"))
    assert stale != text
    p = tmp_path / "ODD.md"
    p.write_text(stale, encoding="utf-8")
    assert main([str(p), "--check"]) == 1
