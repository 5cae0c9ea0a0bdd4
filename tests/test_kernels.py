"""The weekly kernels' rules checked exactly, person by person, on toy worlds: each expected value
is computed here from the rule as the docs state it, not read from a stored run. A lever that
reaches the wrong group, or a state that moves the wrong way, fails here."""

from __future__ import annotations

import numpy as np
import pytest
from numba import njit

from sim.processes.internships import update_relationships
from sim.processes.programme import availability
from sim.states import (
    COMPULSORY,
    NO_SCHOOLING,
    NOT_VALIDATED,
    TERTIARY,
    UNIVERSITY_CERTIFICATION,
    UPPER_SECONDARY,
    VALIDATION_OFFICE,
)
from sim.tables import EMPLOYER, MUNICIPALITY, PERSON, WORLD

from test_mechanisms import model_of, toy

# --- programme: who a lever reaches ------------------------------------------------------------

@pytest.mark.parametrize("validation", ["office", "university"])
def test_validation_reaches_upper_secondary_and_tertiary_only_and_completes_after_its_weeks(validation):
    data = toy(behaviour={"education": {"validation_office_weeks": 6, "university_certification_weeks": 9}},
               **{"municipalities.t.programme.validation": validation, "simulation.years": 1})
    m = model_of(data)
    P = m.population
    for _ in range(12):
        m.step()
    edu = P.education
    assert {NO_SCHOOLING, COMPULSORY, UPPER_SECONDARY, TERTIARY} <= set(edu.tolist())  # every group is there
    low = (edu == NO_SCHOOLING) | (edu == COMPULSORY)
    assert np.all(P.validated[low] == NOT_VALIDATED) and np.all(P.ti_validated[low] < 0)
    upper = edu == UPPER_SECONDARY
    assert np.all(P.validated[upper] == VALIDATION_OFFICE) and np.all(P.ti_validated[upper] == 6)
    tert = edu == TERTIARY
    if validation == "university":  # certification at a university takes its own, longer time
        assert np.all(P.validated[tert] == UNIVERSITY_CERTIFICATION) and np.all(P.ti_validated[tert] == 9)
    else:
        assert np.all(P.validated[tert] == VALIDATION_OFFICE) and np.all(P.ti_validated[tert] == 6)


def test_no_validation_validates_no_one():
    m = model_of(toy(**{"municipalities.t.programme.validation": "none"}))
    for _ in range(12):
        m.step()
    assert np.all(m.population.validated == NOT_VALIDATED)


@pytest.mark.parametrize("vocational", [False, True])
def test_the_first_weeks_swedish_gain_follows_the_rule_for_every_person(vocational):
    """Week 0 in a full programme: gain = saturated tuition x gain per hour x (vocational SFI for
    those with a prior occupation) + everyday gain below its ceiling, all x the education level's
    speed x aptitude x (health multiplier); a carer's tuition is lowered by availability."""
    data = toy(**{"municipalities.t.programme.vocational_sfi": vocational,
                  "municipalities.t.programme.hours_per_week": 20})
    m = model_of(data)
    P, b = m.population, m.index[0]
    before = P.swedish.astype(np.float64).copy()
    m.step()
    speed_of = np.array([b[f"language_education_multiplier_{k}"]
                         for k in ("none", "compulsory", "upper_secondary", "tertiary")])
    avail = np.array([availability(m.population.rows[i], m.munis.rows[0], b, 0) for i in range(P.n)])
    tuition = 20 * b["language_tuition_share_of_programme_hours"] * avail
    effective = tuition / (1 + tuition / b["language_tuition_saturation_hours"])
    voc = np.where(vocational & (P.occupation >= 0), b["language_vocational_multiplier"], 1.0)
    everyday = np.where(before < b["language_everyday_ceiling"], b["language_everyday_gain_per_week"], 0.0)
    speed = speed_of[P.education] * P.aptitude * np.where(P.health, b["language_health_multiplier"], 1.0)
    expected = np.clip(before + (effective * b["language_sfi_gain_per_tuition_hour"] * voc + everyday) * speed, 0, 1)
    started = before < 1.0
    assert started.sum() > 150 and (P.occupation >= 0).any() and (P.occupation < 0).any()
    np.testing.assert_allclose(P.swedish[started], expected[started], rtol=1e-6, atol=1e-7)


def test_vocational_sfi_changes_nothing_for_those_without_a_prior_occupation():
    runs = {}
    for vocational in (False, True):
        m = model_of(toy(**{"municipalities.t.programme.vocational_sfi": vocational}))
        for _ in range(20):
            m.step()
        runs[vocational] = m.population
    without = runs[False].occupation < 0
    assert without.any() and (~without).any()
    assert np.array_equal(runs[False].swedish[without], runs[True].swedish[without])
    rising = ~without & (runs[False].swedish < 1.0)
    assert np.all(runs[True].swedish[rising] > runs[False].swedish[rising])


def test_sanctions_fall_only_where_the_municipality_uses_them_and_only_inside_the_period():
    """Waiting days (karens) cut a wage-like allowance; social assistance has none to cut."""
    behaviour = {"engagement": {"noncompliance_per_week": 1.0}}
    programme = "municipalities.t.programme"
    off = model_of(toy(behaviour=behaviour, **{f"{programme}.sanctions": False, f"{programme}.allowance": "wage_like"}))
    assistance = model_of(toy(behaviour=behaviour, **{f"{programme}.sanctions": True,
                                                      f"{programme}.allowance": "social_assistance"}))
    on = model_of(toy(behaviour=behaviour, **{f"{programme}.sanctions": True, f"{programme}.allowance": "wage_like",
                                              f"{programme}.programme_weeks": 8}))
    for _ in range(8):
        off.step()
        assistance.step()
        on.step()
    assert off.population.sanctions.sum() == 0 and assistance.population.sanctions.sum() == 0
    at_end_of_period = on.population.sanctions.copy()
    assert at_end_of_period.sum() > 0 and at_end_of_period.max() <= 8
    for _ in range(8):
        on.step()
    assert np.array_equal(on.population.sanctions, at_end_of_period)  # none after the period


@njit
def _availability_of(P, M, W, t):
    return availability(P[0], M[0], W[0], t)


def test_availability_lowers_only_carers_of_a_child_under_school_age_and_childcare_restores_it():
    P, M, W = np.zeros(1, PERSON), np.zeros(1, MUNICIPALITY), np.zeros(1, WORLD)
    W[0]["search_carer_multiplier"], W[0]["search_carer_multiplier_with_childcare"] = 0.3, 0.7
    W[0]["household_newborn_multiplier"] = 0.1
    M[0]["childcare_wait"] = 26
    P[0]["ti_arrival"] = 0
    P[0]["youngest_age"] = 2.0
    assert _availability_of(P, M, W, 10) == 1.0                   # not the primary carer
    P[0]["primary_carer"] = True
    assert _availability_of(P, M, W, 10) == pytest.approx(0.3)    # before childcare
    assert _availability_of(P, M, W, 26) == pytest.approx(0.7)    # childcare after the wait
    assert _availability_of(P, M, W, 52 * 5) == 1.0               # the child is at school (age 7)
    P[0]["youngest_age"] = 0.2
    assert _availability_of(P, M, W, 30) == pytest.approx(0.1)    # a newborn: lowest of the two
    P[0]["youngest_age"] = -1.0
    assert _availability_of(P, M, W, 10) == 1.0                   # no young child


# --- internships: the employer's relationship ---------------------------------------------------

@njit
def _relationships(E, W):
    update_relationships(E, W[0])


def test_relationships_grow_with_interns_and_fade_toward_the_base_without():
    E, W = np.zeros(4, EMPLOYER), np.zeros(1, WORLD)
    W[0]["e0"], W[0]["e1"] = 0, 4
    gain, decay = 0.02, 0.1
    W[0]["internships_relationship_gain_per_intern_week"] = gain
    W[0]["internships_relationship_decay_per_week"] = decay
    E["base_relationship"] = [0.2, 0.2, 0.2, 0.9]
    E["relationship"] = [0.5, 0.1, 0.2, 0.99]
    E["interns"] = [0, 0, 3, 10]
    _relationships(E, W)
    # Above its base, an employer without interns fades down toward it; below, it recovers up.
    assert E["relationship"][0] == pytest.approx(0.5 + decay * (0.2 - 0.5))
    assert E["relationship"][1] == pytest.approx(0.1 + decay * (0.2 - 0.1))
    # Interns add their gain, then the fade acts on the result; the relationship stays in [0, 1].
    r = 0.2 + 3 * gain
    assert E["relationship"][2] == pytest.approx(r + decay * (0.2 - r))
    assert E["relationship"][3] == 1.0
    # Without interns every employer converges to its base.
    E["interns"] = 0
    for _ in range(300):
        _relationships(E, W)
    np.testing.assert_allclose(E["relationship"], E["base_relationship"], atol=1e-6)  # float32
