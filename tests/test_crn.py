"""Common random numbers, stream by stream: a lever changes outcomes only through its effect.

Every random number a run draws is recorded (stream, week, shape and values). Changing any one
lever must leave every stream's draws exactly as they were, week by week, within each stream too:
a stream that drew a lever-dependent number of rows (or skipped a draw) would shift every later
number of that stream and make a comparison's difference partly noise.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.config import scenario_from_dict
from sim.model import IntroductionModel
from sim.rng import Streams

from conftest import world

WEEKS = 60

TWO_TOWNS = {
    "municipalities.other": {"arrivals": {"per_year": 150}, "labour_market": {"labour_force": 8000, "unemployment": 0.1}},
    "employers.shop": {"municipality": "other", "sector": "retail_hospitality", "count": 5, "vacancies_per_year": 3},
    "staffing_agencies": {"a": {"municipalities": ["home", "other"], "hires_per_year": 20}},
    "secondary_agreements": {"g": {"from": "other", "to": "home", "places_per_year": 30}},
}

LEVERS = {
    "hours_per_week": 40, "job_focus": True, "plan_weeks": 2, "allowance": "wage_like", "income_offset": False,
    "summer_break_weeks": 8, "summer_courses": True, "alternate_sfi_with_internship": True,
    "first_internship_week": 2, "internship_weeks": 6, "competence_matched_followup": True,
    "vocational_sfi": True, "organisation": "labour_market", "validation": "university",
    "early_competence_mapping": True, "childcare_wait_weeks": 2, "programme_weeks": 60,
}
STAFF = {"staff.coaches": 5, "staff.coach_share_at_employers": 0.8, "staff.internship_coordinators": 3,
         "network.host_families": 30, "network.employer_network_strength": 0.7,
         "network.own_staff_internship_share": 0.05, "network.municipal_staff": 1000}


def record(data: dict) -> list[tuple]:
    """Every draw of every stream in the first WEEKS weeks: (stream, kind, shape, values)."""
    draws: list[tuple] = []
    original_block, original_uniform = Streams.block, Streams.uniform

    def block(self, name, rows, n):
        out = original_block(self, name, rows, n)
        values = np.array([out[r] for r in range(rows)]) if rows else np.zeros((0, n))
        draws.append((name, "block", (rows, n), values))
        return out

    def uniform(self, name, shape):
        out = original_uniform(self, name, shape)
        draws.append((name, "uniform", np.shape(out), out.copy()))
        return out

    Streams.block, Streams.uniform = block, uniform
    try:
        m = IntroductionModel(scenario_from_dict(data), seed=5, collect=False)
        for _ in range(WEEKS):
            m.step()
    finally:
        Streams.block, Streams.uniform = original_block, original_uniform
    return draws


def base() -> dict:
    return world(**TWO_TOWNS)


@pytest.fixture(scope="module")
def base_draws():
    return record(base())


def assert_same_draws(a: list[tuple], b: list[tuple], what: str) -> None:
    assert len(a) == len(b), f"{what}: {len(a)} draws against {len(b)}"
    for k, (da, db) in enumerate(zip(a, b)):
        assert da[:3] == db[:3], f"{what}: draw {k} is {da[:3]} against {db[:3]}"
        np.testing.assert_array_equal(da[3], db[3], err_msg=f"{what}: draw {k} ({da[0]}) differs")


@pytest.mark.parametrize("lever", sorted(LEVERS) + sorted(STAFF))
def test_a_lever_leaves_every_stream_unchanged(base_draws, lever):
    path = f"municipalities.home.programme.{lever}" if lever in LEVERS else f"municipalities.home.{lever}"
    value = LEVERS.get(lever, STAFF.get(lever))
    changed = record(world(**TWO_TOWNS, **{path: value}))
    assert_same_draws(base_draws, changed, lever)


def test_the_recording_sees_every_stream(base_draws):
    names = {d[0] for d in base_draws}
    assert names == {"programme", "internships", "matching", "separations", "transfers"}


def test_a_stream_that_drew_lever_dependent_rows_would_be_caught(base_draws, monkeypatch):
    """The test bites: one extra row drawn when a lever is on shifts the stream."""
    import sim.processes.programme as programme
    monkeypatch.setattr(programme, "N_ROWS", programme.N_ROWS + 1)
    changed = record(base())
    with pytest.raises(AssertionError):
        assert_same_draws(base_draws, changed, "extra row")
