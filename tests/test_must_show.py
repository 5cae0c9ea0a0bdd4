"""The engine issue's must-show figures, measured on the shipped scenarios (slow: run with -m slow)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.config import load_scenario
from sim.runner import run_replicates

pytestmark = pytest.mark.slow
REPS = 20


@pytest.fixture(scope="module")
def runs():
    return {name: run_replicates(load_scenario(name), REPS, workers=2) for name in ("typical_2006", "ten_proposals")}


def test_ten_proposals_beat_typical_by_more_than_the_spread(runs):
    typ = np.array([r["self_sufficiency"]["24"] for r in runs["typical_2006"]])
    ten = np.array([r["self_sufficiency"]["24"] for r in runs["ten_proposals"]])
    assert ten.mean() - typ.mean() > np.percentile(typ, 95) - np.percentile(typ, 5)
    assert np.all(ten > typ)  # paired by seed


def test_typical_has_under_half_with_labour_market_contact_in_year_one(runs):
    contact = np.array([r["labour_market_contact_year1"] for r in runs["typical_2006"]])
    assert contact.mean() < 0.5 and np.percentile(contact, 95) < 0.5


def test_women_employed_less_than_men_at_60_months_in_typical(runs):
    gap = np.array([r["employment_by_sex"]["male"]["60"] - r["employment_by_sex"]["female"]["60"]
                    for r in runs["typical_2006"]])
    assert gap.mean() > 0 and gap.mean() > 2 * gap.std(ddof=1) / np.sqrt(len(gap))


def test_fitted_calibration_gives_falkenberg_and_typical_with_the_same_parameters(runs):
    """One set of behavioural parameters for Falkenberg and the typical municipality, so the
    difference between them is levers and labour markets: the typical municipality stays under
    half with contact in year 1, and Falkenberg is well above it in self-sufficiency at 24-30
    months. Falkenberg's own 80 % is checked, not fitted (held_out_sweden.yaml: a municipality's
    claim yields to the trials and registers; calibration/README.md), so its level is not
    asserted here; issue 4's first fit asserted it before the behaviour rebuild."""
    from sim.calibration.check import check_loaded, scenarios_ensemble
    from sim.calibration.evaluate import build_groups
    from sim.calibration.spec import load_spec
    from sim.calibration.targets import load_targets
    falk, typ = load_scenario("falkenberg"), load_scenario("typical_2006")
    assert falk.parameters == typ.parameters == "fitted/shipped.yaml"
    assert falk.behaviour == typ.behaviour
    spec, fitted = load_spec(Path(__file__).resolve().parents[1] / "calibration" / "specs" / "shipped.yaml")
    assert not any(t.id.startswith("falkenberg") for t in fitted)
    _, held = load_targets("held_out_sweden")
    wanted = [t for t in fitted + held if t.id in ("typical_contact_year1", "falkenberg_self_sufficiency_24_30")]
    ens = scenarios_ensemble("shipped scenarios", build_groups(wanted))
    rows, _ = check_loaded(wanted, REPS, seed=1, workers=2, ens=ens, max_seeds=2)
    by_id = {r["id"]: r for r in rows}
    assert by_id["typical_contact_year1"]["inside_90"] and by_id["typical_contact_year1"]["simulated"] < 0.5
    typical_24_30 = np.mean([np.mean([r["self_sufficiency"][m] for m in ("24", "30")]) for r in runs["typical_2006"]])
    assert by_id["falkenberg_self_sufficiency_24_30"]["simulated"] > typical_24_30 + 0.10
