"""The shipped scenarios give the stored results (tests/baseline.py): a change in any headline
figure fails here until `python tests/baseline.py --refresh` is run and the change explained in its
commit."""

from __future__ import annotations

import json

from baseline import FILE, current, differences


def test_shipped_scenarios_match_the_stored_baseline():
    diff = differences(json.loads(FILE.read_text(encoding="utf-8")), current())
    assert not diff, "\n".join(diff[:20]) + "\n(if intended: python tests/baseline.py --refresh, and say why in the commit)"


def test_the_comparison_sees_a_change():
    stored = json.loads(FILE.read_text(encoding="utf-8"))
    changed = json.loads(json.dumps(stored))
    name = next(iter(changed))
    changed[name]["employment"]["12"] = (changed[name]["employment"]["12"] or 0) + 0.01
    assert differences(stored, changed)
