"""Common random numbers: a lever changes outcomes only through its effect.

Every weekly draw is a function of (the world's seed, the stream and its row, who draws, the
week) alone (`sim.rng.uniform`). So a lever leaves every draw as it was if it leaves those inputs
as they were: the same seed and the same people, numbered the same, whatever the lever. These
tests check that directly (the population a lever sees), then the consequence on a run (people
whose week no lever touches do the same in both), and that the same world alone and in a batch of
50 gives identical results.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.config import load_scenario, scenario_from_dict
from sim.model import IntroductionModel
from sim.runner import replicate_seed, with_years
from sim.tables import PERSON
from sim.worlds import Worlds

from conftest import world

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
# Fields drawn at construction: the people a lever finds, and the numbering their draws use.
DRAWN = ["ti_arrival", "ti_permit", "home", "female", "partner", "n_children", "youngest_age", "age0",
         "education0", "prior_work", "occupation", "health", "aptitude", "baseline_engagement",
         "employability_z", "primary_carer"]


def lever_path(lever: str) -> str:
    return f"municipalities.home.programme.{lever}" if lever in LEVERS else f"municipalities.home.{lever}"


@pytest.mark.parametrize("lever", sorted(LEVERS) + sorted(STAFF))
def test_a_lever_leaves_every_draw_unchanged(lever):
    """The same seed, the same people in the same rows: every draw of every stream, in every week,
    is the same number under the lever (the draws are a function of these inputs only)."""
    base = IntroductionModel(scenario_from_dict(world(**TWO_TOWNS)), seed=5, collect=False)
    changed = IntroductionModel(scenario_from_dict(world(**TWO_TOWNS, **{lever_path(lever): LEVERS.get(lever, STAFF.get(lever))})),
                                seed=5, collect=False)
    assert base.index["seed"].tolist() == changed.index["seed"].tolist()
    assert base.index["p0"].tolist() == changed.index["p0"].tolist()
    for name in DRAWN:
        np.testing.assert_array_equal(base.population.rows[name], changed.population.rows[name], err_msg=name)
    # Employer-keyed draws: the same employers, the same keys (the municipality's own organisation
    # as a host is added when own_staff_internship_share makes places; its key is its name).
    common = [k for k in base.employers.names if k in changed.employers.names]
    np.testing.assert_array_equal([base.employers.keys[base.employers.names.index(k)] for k in common],
                                  [changed.employers.keys[changed.employers.names.index(k)] for k in common])


def test_every_drawn_field_is_checked():
    """The list above is every field the population draws at construction (the rest start empty)."""
    fresh = IntroductionModel(scenario_from_dict(world(**TWO_TOWNS)), seed=5, collect=False).population.rows
    starts_empty = [n for n in PERSON.names if n not in DRAWN]
    differ = [n for n in starts_empty if len(np.unique(fresh[n], axis=0)) > 1]
    assert set(differ) <= {"municipality", "education", "engagement", "swedish", "sfi_courses"}  # copies of drawn ones


def test_people_a_lever_does_not_reach_do_the_same():
    """A lever of one town (the summer break of `home`) leaves the other town's people who never
    move exactly as they were, week for week: their draws are the same numbers, and nothing they
    meet (their town's employers and staff, no agency shared with `home`) changes. (Those moved to
    `home` under the agreement meet the lever, and may do differently.)"""
    apart = {k: v for k, v in TWO_TOWNS.items() if k != "staffing_agencies"}  # no agency shared by both
    a = IntroductionModel(scenario_from_dict(world(**apart)), seed=8, collect=False).run()
    b = IntroductionModel(scenario_from_dict(world(**apart, **{lever_path("summer_break_weeks"): 10})),
                          seed=8, collect=False).run()
    pa, pb = a.population.rows, b.population.rows
    stay = (pa["home"] == 1) & ~pa["transferred"] & ~pb["transferred"]
    assert stay.sum() > 100
    for name in ("state", "swedish", "engagement", "ti_first_job", "ti_left", "employer", "kora_weeks"):
        np.testing.assert_array_equal(pa[name][stay], pb[name][stay], err_msg=name)
    home = pa["home"] == 0
    assert not np.array_equal(pa["swedish"][home], pb["swedish"][home])  # the lever did act at home


def test_a_world_alone_and_in_a_batch_of_fifty_is_the_same():
    """World w's draws use its own seed and its people's own numbers, so the other 49 worlds (other
    scenarios, other seeds, before and after it) change nothing in it, to the last bit."""
    names = ["falkenberg", "solna", "varnamo", "regional_secondary"]
    scen = {n: with_years(load_scenario(n), 2) for n in names}
    target = (scen["regional_secondary"], replicate_seed(3, 0))
    others = [(scen[names[k % 4]], replicate_seed(9, k)) for k in range(49)]
    batch = Worlds(others[:20] + [target] + others[20:]).run()
    alone = IntroductionModel(*target, collect=False).run()
    inside = batch.world(20)
    assert inside.figures() == alone.figures()
    for name in PERSON.names:
        np.testing.assert_array_equal(np.asarray(inside.population.rows[name]), np.asarray(alone.population.rows[name]),
                                      err_msg=name)
    np.testing.assert_array_equal(inside.recorder.panel, alone.recorder.panel)
    np.testing.assert_array_equal(inside.recorder.payments, alone.recorder.payments)
