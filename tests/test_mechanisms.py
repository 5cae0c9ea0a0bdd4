"""Each mechanism on a toy world where the answer is known, and each lever's direction on its own:
one lever changed, everything else fixed, averaged over replicates that share their seeds
(common random numbers)."""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest

from sim.config import scenario_from_dict
from sim.metrics import CHANNELS, rates
from sim.model import IntroductionModel
from sim.processes.hiring import acceptance, win_against_others
from sim.processes.search import time_for_search
from sim.runner import replicate_seed
from sim.states import (
    AGENCY_BRIDGE,
    AGENCY_JOB,
    COACH,
    CONVERSION,
    EXTRA_WORK_BRIDGE,
    OWN,
    PASSIVE,
    SUBSIDISED_JOB,
    UPPER_SECONDARY,
)

from conftest import replicate_mean, run_world, world

REPS = 6

# A world where nothing happens unless a test switches it on: no hires, moves, births or dropouts.
QUIET = {
    "hiring": {"intercept": -20.0},
    "search": {"own_contacts_per_week": 0.0, "extra_work_per_week": 0.0, "network_contacts_per_family_week": 0.0},
    "competition": {"applications_per_unemployed_week": 0.0, "new_job_share": 0.0, "vacancy_open_weeks": 1_000_000},
    "jobs": {"regular_separation_per_week": 0.0, "business_start_per_week": 0.0},
    "mobility": {"onward_move_per_week": 0.0},
    "education": {"entry_per_week": 0.0},
    "passivity": {"dropout_per_week": 0.0, "reactivation_per_week": 0.0},
    "household": {"birth_rate_per_year": 0.0},
    "internships": {"own_placement_per_week": 0.0},
}


def toy(behaviour: dict | None = None, **changes) -> dict:
    """One municipality, a cohort of 200 at week 0 in the programme from day one, one kind of
    employer; QUIET behaviour with `behaviour` laid over it; dotted `changes` on top."""
    b = copy.deepcopy(QUIET)
    for section, values in (behaviour or {}).items():
        b.setdefault(section, {}).update(values)
    data = {
        "name": "toy", "simulation": {"years": 1, "seed": 1},
        "municipalities": {"t": {
            "arrivals": {"cohort": 200},
            "programme": {"job_focus": True, "plan_weeks": 0, "first_internship_week": 200,
                          "summer_break_weeks": 0, "hours_per_week": 20},
            "staff": {"coaches": 0, "internship_coordinators": 0},
            "labour_market": {"labour_force": 0}}},
        "employers": {"firms": {"municipality": "t", "sector": "manufacturing", "count": 10,
                                "vacancies_per_year": 52, "min_swedish": 0.0, "hiring_bias": 0.0,
                                "takes_subsidised": False}},
        "national": {"instegsjobb": {"enabled": False}, "nystartsjobb": {"enabled": False}},
        "behaviour": b,
    }
    for dotted, value in changes.items():
        node = data
        keys = dotted.split(".")
        for k in keys[:-1]:
            node = node.setdefault(k, {})
        node[keys[-1]] = value
    return data


def model_of(data: dict, seed: int = 1) -> IntroductionModel:
    return IntroductionModel(scenario_from_dict(data), seed=seed, collect=False)


# --- capacity that binds ----------------------------------------------------------------------

@pytest.mark.parametrize("k", [1, 3, 7])
def test_a_coach_caseload_of_k_gives_about_k_contacts_a_week_while_the_caseload_is_large(k):
    q = 0.15  # the most coached contacts a seeker gets a week
    m = model_of(toy(behaviour={"search": {"coach_contacts_per_week": 1.0, "coached_contacts_most_per_seeker_week": q}},
                     **{"municipalities.t.staff": {"coaches": k, "coach_share_at_employers": 1.0}}))
    for _ in range(20):
        m.step()
    # 200 seekers, none hired: capacity k delivers 200 q (1 - exp(-k / (200 q))) a week, fractions
    # carried; a little under k, since even a large caseload saturates a little.
    expected = 20 * 200 * q * -math.expm1(-k / (200 * q))
    assert expected - 1 <= m.recorder.contacts_route[COACH] <= expected + 1
    assert m.recorder.contacts_route[COACH] <= 20 * k
    # Many coaches for the same seekers: contacts saturate at q a seeker a week, not at capacity.
    m = model_of(toy(behaviour={"search": {"coach_contacts_per_week": 50.0, "coached_contacts_most_per_seeker_week": q}},
                     **{"municipalities.t.staff": {"coaches": 10, "coach_share_at_employers": 1.0}}))
    m.step()
    assert m.recorder.contacts_route[COACH] == math.floor(200 * q * -math.expm1(-500 / (200 * q)))


def test_a_capped_subsidy_never_exceeds_its_cap():
    cap = 2
    data = toy(behaviour={"hiring": {"intercept": 20.0}, "search": {"coach_contacts_per_week": 5.0}},
               **{"municipalities.t.staff": {"coaches": 4, "coach_share_at_employers": 1.0},
                  "employers.firms.takes_subsidised": True, "employers.firms.subsidised_places_per_year": cap,
                  "national.instegsjobb": {"enabled": True, "window_weeks_after_permit": 520},
                  "simulation.years": 2})
    m = model_of(data)
    P, E = m.population, m.employers
    per_year = np.zeros((2, E.n), dtype=int)
    while m.running:
        m.step()
        new = (P.state == SUBSIDISED_JOB) & (P.ti_state == m.t)
        per_year[m.t // 52] += np.bincount(P.employer[new], minlength=E.n)
        assert m.check_invariants() == []
    assert per_year.max() == cap  # the cap binds, and is never passed
    assert np.all(per_year <= cap)


def test_conversions_take_the_hosts_future_vacancies_when_none_is_open():
    data = toy(behaviour={"hiring": {"intercept": 20.0},
                          "internships": {"placements_per_coordinator_week": 5.0, "conversion_lead_weeks": 52.0}},
               **{"municipalities.t.programme": {"job_focus": False, "plan_weeks": 0, "first_internship_week": 0,
                                                  "alternate_sfi_with_internship": True, "internship_weeks": 4,
                                                  "summer_break_weeks": 0},
                  "municipalities.t.staff": {"coaches": 0, "internship_coordinators": 1},
                  "employers.firms": {"municipality": "t", "sector": "manufacturing", "count": 1,
                                      "vacancies_per_year": 2, "intern_places": 5, "min_swedish": 0.0,
                                      "hiring_bias": 0.0, "takes_subsidised": False}})
    m = model_of(data)
    for _ in range(5):
        m.step()
    # Five interns end their cycle in week 4; the employer had no open vacancy and converts the
    # vacancies it would open within the lead (52 weeks here: 2), which it then does not post.
    assert m.recorder.hires_route[CONVERSION] == 2
    assert m.employers.vacancy_credit[0] < 0
    for _ in range(30):
        m.step()
    # Paid back at 2 a year: a third conversion once the credit is within a year again (week 28),
    # and no vacancy posted meanwhile.
    assert m.employers.open_vacancies[0] == 0 and m.employers.hires[0] == 3
    # With a lead of 13 weeks (half a vacancy ahead) the same interns cannot be taken on at once.
    data["behaviour"]["internships"]["conversion_lead_weeks"] = 13.0
    m = model_of(data)
    for _ in range(5):
        m.step()
    assert m.recorder.hires_route[CONVERSION] == 0


# --- time is scarce ---------------------------------------------------------------------------

def test_a_full_time_programme_lowers_own_search_in_the_first_months():
    no_learning = {"language": {"sfi_gain_per_tuition_hour": 0.0, "practice_gain_per_workplace_hour": 0.0,
                                "everyday_gain_per_week": 0.0},
                   "search": {"own_contacts_per_week": 0.5, "lock_in_at_full_time": 0.6,
                              "lock_in_in_programme": 0.0}}

    def own_contacts(hours, job_focus=False):
        m = model_of(toy(behaviour=no_learning, **{"municipalities.t.programme.hours_per_week": hours,
                                                   "municipalities.t.programme.job_focus": job_focus,
                                                   "municipalities.t.programme.plan_weeks": 0}))
        for _ in range(26):
            m.step()
        return int(m.recorder.contacts_route[OWN])
    none, part, full = own_contacts(0), own_contacts(15), own_contacts(40)
    assert full < part < none
    # The same draws: 40 hours lose about the lock-in share of search (0.6 at full time).
    assert 0.3 < full / none < 0.5
    # A job focus turns part of the programme hours into search.
    assert own_contacts(40, job_focus=True) > full


def test_time_for_search_is_one_minus_both_parts_of_the_lock_in():
    def left(hours, in_programme, at_full_time):
        m = model_of(toy(behaviour={"search": {"lock_in_at_full_time": at_full_time,
                                               "lock_in_in_programme": in_programme}},
                         **{"municipalities.t.programme.hours_per_week": hours,
                            "municipalities.t.programme.job_focus": False}))
        m.step()
        P, M, b = m.population.rows, m.munis.rows, m.index[0]
        woy = int(m.tables.week_of_year[m.t])
        return np.array([time_for_search(P[i], M[P[i]["municipality"]], b, m.t, woy) for i in range(10)])
    np.testing.assert_allclose(left(40, 0.0, 0.5), 0.5)
    np.testing.assert_allclose(left(40, 0.3, 0.5), 0.2)   # the two parts add
    np.testing.assert_allclose(left(20, 0.3, 0.5), 0.45)  # the hours part scales with scheduled / 40
    np.testing.assert_allclose(left(0, 0.3, 0.5), 1.0)    # no hours, no programme to put search off for


# --- the hiring rule -------------------------------------------------------------------------

class Accepted:
    """The employer's decisions on several contacts (as arrays)."""

    def __init__(self, rows):
        self.p, self.p_unsubsidised, self.subsidised, self.nystartsjobb = (np.array(x) for x in zip(*rows))


def _accept(data, channel):
    """The first 50 people's contacts with the first employer, after one week."""
    m = model_of(data)
    m.step()
    P, E, b = m.population.rows, m.employers.rows, m.index[0]
    return m, Accepted([acceptance(P[i], E[0], P[i]["last_host"] == 0, b, channel, 0.0, m.t) for i in range(50)])


def test_nystartsjobb_multiplies_the_odds_not_the_probability():
    base = {"hiring": {"intercept": 0.5, "nystartsjobb_odds_ratio": 3.0, "nystartsjobb_employer_takeup": 1.0}}
    _, with_ = _accept(toy(behaviour=base, **{"national.nystartsjobb.enabled": True}), OWN)
    _, without = _accept(toy(behaviour=base), OWN)
    odds = lambda p: p / (1 - p)
    assert with_.nystartsjobb.all() and not without.nystartsjobb.any()
    np.testing.assert_allclose(odds(with_.p) / odds(without.p), 3.0, rtol=1e-6)
    np.testing.assert_allclose(with_.p_unsubsidised, without.p, rtol=1e-12)
    assert np.all(with_.p < 1)


def test_bridges_raise_the_odds_of_a_hire_but_do_not_force_one():
    data = toy(behaviour={"hiring": {"intercept": -3.0, "extra_work_bridge": 1.0, "agency_bridge": 2.0}},
               **{"employers.firms.hiring_bias": 0.0})
    _, own = _accept(data, OWN)
    _, extra = _accept(data, EXTRA_WORK_BRIDGE)
    _, agency = _accept(data, AGENCY_BRIDGE)
    logit = lambda p: np.log(p / (1 - p))
    np.testing.assert_allclose(logit(extra.p) - logit(own.p), 1.0, rtol=1e-6)
    np.testing.assert_allclose(logit(agency.p) - logit(own.p), 2.0, rtol=1e-6)
    assert np.all(agency.p < 0.99) and agency.p.mean() < 0.5  # raised odds, no certainty


def test_swedish_below_the_employers_requirement_lowers_the_odds_by_the_shortfall():
    b = {"hiring": {"intercept": 0.0, "swedish_shortfall": 4.0}}
    m, low = _accept(toy(behaviour=b, **{"employers.firms.min_swedish": 0.5}), OWN)
    _, none = _accept(toy(behaviour=b, **{"employers.firms.min_swedish": 0.0}), OWN)
    short = np.maximum(0.5 - m.population.swedish[:50], 0)
    logit = lambda p: np.log(p / (1 - p))
    np.testing.assert_allclose(logit(none.p) - logit(low.p), 4.0 * short, atol=1e-5)


def test_the_urn_ball_chance_of_beating_other_applicants():
    a = [0.0, 1e-12, 1.0, 4.0, 100.0]
    np.testing.assert_allclose([win_against_others(x) for x in a],
                               [1.0, 1.0, 1 - np.exp(-1), (1 - np.exp(-4)) / 4, 0.01], rtol=1e-9)


def test_other_job_seekers_take_vacancies_and_leave_newcomers_fewer():
    hire = {"hiring": {"intercept": 20.0}, "search": {"own_contacts_per_week": 0.2}}

    def run(labour_force):
        m = run_world(toy(behaviour={**hire, "competition": {"applications_per_unemployed_week": 0.01}},
                          **{"municipalities.t.labour_market": {"labour_force": labour_force, "unemployment": 0.1}}))
        return int(m.recorder.hires_route.sum()), float(m.recorder.other_hires.sum())
    alone, none_other = run(0)
    crowded, others = run(20000)
    assert none_other == 0 and others > 0
    assert crowded < alone


def test_fewer_vacancies_mean_fewer_hires_for_newcomers():
    b = {"hiring": {"intercept": 0.0}, "search": {"own_contacts_per_week": 0.3},
         "competition": {"applications_per_unemployed_week": 0.01}}
    lm = {"municipalities.t.labour_market": {"labour_force": 5000, "unemployment": 0.08}}
    hires = lambda v: replicate_mean(toy(behaviour=b, **lm, **{"employers.firms.vacancies_per_year": v}),
                                     lambda m: m.recorder.hires_route.sum(), REPS)
    assert hires(2) < hires(4) < hires(8)


# --- effects that fade; outputs with the sources' definitions -----------------------------------

def test_swedish_keeps_improving_after_the_programme_without_a_job():
    data = toy(behaviour={"language": {"everyday_gain_per_week": 0.004, "sfi_after_period_hours": 0.0}},
               **{"municipalities.t.programme.hours_per_week": 0, "municipalities.t.programme.programme_weeks": 4,
                  "behaviour.language.prior_swedish_share": 0.0, "behaviour.language.aptitude_sd": 0.0})
    m = run_world(data)
    P = m.population
    assert np.all(P.ti_first_job < 0)  # nobody works, nobody is in the programme after week 4
    assert 0.1 < P.swedish.mean() < 0.3  # 52 weeks of everyday gain at 0.004, times learning speed


def test_a_figure_over_a_window_no_one_completed_is_null():
    f = run_world(toy(**{"simulation.years": 2})).figures()
    assert f["job_3_weeks_within_3_years"] is None
    assert all(v is None for v in f["weeks_in_state_first_3_years"].values())
    assert f["employment"]["36"] is None
    assert f["employment_during_year"]["1"] is not None and f["employment_during_year"].get("3") is None


def test_employment_during_a_year_counts_any_week_of_work():
    from sim.metrics import employment_during_year
    # Everyone is hired in the first weeks and keeps the job: employed in every year.
    b = {"hiring": {"intercept": 20.0}, "search": {"own_contacts_per_week": 5.0}}
    m = run_world(toy(behaviour=b, **{"simulation.years": 3, "employers.firms.vacancies_per_year": 52 * 200}))
    assert m.figures()["employment_during_year"] == {"1": 1.0, "2": 1.0, "3": 1.0}
    # The yearly share counts a person for year k if any week of that year had work.
    m = run_world(toy(**{"simulation.years": 3}))
    P = m.population
    P.years_employed[:50] = 0b001    # year 1 only
    P.years_employed[50:80] = 0b010  # year 2 only
    P.years_employed[80:] = 0
    assert employment_during_year(m, m.n_weeks) == {"1": 50 / 200, "2": 30 / 200, "3": 0.0}


def test_sfi_courses_are_counted_as_they_are_passed():
    data = toy(behaviour={"language": {"sfi_gain_per_tuition_hour": 0.01, "prior_swedish_share": 0.0,
                                       "aptitude_sd": 0.0}},
               **{"municipalities.t.programme.hours_per_week": 20})
    m = model_of(data)
    for _ in range(12):
        m.step()
    P = m.population
    expected = np.floor(P.swedish * 4 + 1e-6).astype(int)
    np.testing.assert_array_equal(P.sfi_courses, expected)
    assert np.all((P.ti_first_sfi_course >= 0) == (expected >= 1))
    assert np.all(P.ti_sfi_passed[P.swedish < 1] < 0)


# --- each lever's direction, alone -------------------------------------------------------------

def emp_at(month: int):
    return lambda m: m.figures()["employment"][str(month)]


def ss_at(month: int):
    return lambda m: m.figures()["self_sufficiency"][str(month)]


def swedish_now(m) -> float:
    return float(m.population.swedish[: m.population.n_arrived].mean())


def test_full_time_beats_part_time_on_swedish():
    one_year = {"simulation.years": 1}
    part = world(**{"municipalities.home.programme.hours_per_week": 20, **one_year})
    full = world(**{"municipalities.home.programme.hours_per_week": 40, **one_year})
    assert replicate_mean(full, swedish_now, REPS) > replicate_mean(part, swedish_now, REPS) + 0.05


def test_no_summer_break_beats_a_summer_break_on_swedish():
    one_year = {"simulation.years": 1}
    pause = world(**{"municipalities.home.programme.summer_break_weeks": 10, **one_year})
    none = world(**{"municipalities.home.programme.summer_break_weeks": 0, **one_year})
    assert replicate_mean(none, swedish_now, REPS) > replicate_mean(pause, swedish_now, REPS)


def test_more_coaches_more_jobs_and_fewer_for_others():
    few = world(**{"municipalities.home.staff.coaches": 0.5})
    many = world(**{"municipalities.home.staff.coaches": 6})
    assert replicate_mean(many, emp_at(12), REPS) > replicate_mean(few, emp_at(12), REPS)
    others = lambda m: m.recorder.other_hires.sum()
    assert replicate_mean(many, others, REPS) < replicate_mean(few, others, REPS)  # displacement


def test_job_focus_brings_search_forward():
    slow = world(**{"municipalities.home.programme.plan_weeks": 12, "municipalities.home.programme.job_focus": False})
    focus = world(**{"municipalities.home.programme.plan_weeks": 12, "municipalities.home.programme.job_focus": True})
    own = lambda m: m.recorder.contacts_route[OWN]
    assert replicate_mean(focus, own, REPS) > replicate_mean(slow, own, REPS)


def test_wage_like_allowance_and_sanctions_lower_dropout():
    passive = lambda m: float(np.mean(m.recorder.weekly_states[:52, :, PASSIVE]))
    b = {"behaviour.passivity.dropout_per_week": 0.02}
    assistance = world(**b, **{"municipalities.home.programme.allowance": "social_assistance"})
    wage_like = world(**b, **{"municipalities.home.programme.allowance": "wage_like"})
    sanctions = world(**b, **{"municipalities.home.programme.allowance": "wage_like",
                              "municipalities.home.programme.sanctions": True})
    a, w, s = (replicate_mean(d, passive, REPS) for d in (assistance, wage_like, sanctions))
    assert a > w > s


def test_care_organisation_raises_dropout():
    passive = lambda m: float(np.mean(m.recorder.weekly_states[:52, :, PASSIVE]))
    care = world(**{"municipalities.home.programme.organisation": "social_services"})
    work = world(**{"municipalities.home.programme.organisation": "labour_market"})
    assert replicate_mean(care, passive, REPS) > replicate_mean(work, passive, REPS)


def test_income_offset_lowers_extra_work():
    def extra(m):
        return float(np.mean(m.population.ti_first_contact >= 0))
    on = world(**{"municipalities.home.programme.income_offset": True, "municipalities.home.programme.first_internship_week": 200,
                  "behaviour.search.extra_work_per_week": 0.01})
    off = world(**{"municipalities.home.programme.income_offset": False, "municipalities.home.programme.first_internship_week": 200,
                   "behaviour.search.extra_work_per_week": 0.01})
    assert replicate_mean(off, extra, REPS) > replicate_mean(on, extra, REPS)


def test_staffing_partnership_raises_employment_where_bias_is_high():
    biased = {f"employers.{k}.hiring_bias": 0.9 for k in ("firms", "care", "qualified")}
    agency = {"municipalities": ["home"], "hires_per_year": 100,
              "criteria": {"min_swedish": 0.3, "min_engagement": 0.4, "min_education": "none"}}
    without = world(**biased, **{"staffing_agencies": {"a": {**agency, "partner_municipalities": []}}})
    partner = world(**biased, **{"staffing_agencies": {"a": {**agency, "partner_municipalities": ["home"]}}})
    assert replicate_mean(partner, emp_at(24), REPS) > replicate_mean(without, emp_at(24), REPS) + 0.02


def test_agencies_hire_only_those_who_meet_their_criteria():
    agency = {"municipalities": ["home"], "partner_municipalities": ["home"], "hires_per_year": 500,
              "criteria": {"min_swedish": 0.4, "min_engagement": 0.5, "min_education": "upper_secondary"}}
    m = IntroductionModel(scenario_from_dict(world(**{"staffing_agencies": {"a": agency}})), seed=3, collect=False)
    P = m.population
    checked = 0
    while m.running:
        m.step()
        new = (P.state == AGENCY_JOB) & (P.ti_state == m.t)
        checked += int(new.sum())
        assert np.all(P.swedish[new] >= 0.4) and np.all(P.engagement[new] >= 0.5)
        assert np.all(P.education[new] >= UPPER_SECONDARY)
    assert checked > 10


def tertiary_employment(m) -> float:
    groups = np.arange(m.recorder.n_groups)
    return float(np.nanmean(rates(m.recorder.panel, CHANNELS.index("employed"), groups % 4 == 3)[24:31]))


def test_validation_raises_jobs_for_the_tertiary_educated():
    none = world(**{"municipalities.home.programme.validation": "none"})
    university = world(**{"municipalities.home.programme.validation": "university"})
    assert replicate_mean(university, tertiary_employment, REPS) > replicate_mean(none, tertiary_employment, REPS) + 0.02


def test_nystartsjobb_raises_the_job_finding_rate():
    rate = lambda m: m.figures()["job_finding_rate_3_years_after_permit"]
    on = world(**{"national.nystartsjobb.enabled": True, "behaviour.hiring.nystartsjobb_employer_takeup": 1.0})
    off = world(**{"national.nystartsjobb.enabled": False})
    assert replicate_mean(on, rate, REPS) > replicate_mean(off, rate, REPS)


def test_secondary_agreement_helps_those_moved_to_a_better_labour_market():
    base = world(**{
        "municipalities.crowded": {"arrivals": {"cohort": 300},
                                   "labour_market": {"labour_force": 30000, "unemployment": 0.2}},
        "employers.few": {"municipality": "crowded", "sector": "cleaning_logistics", "count": 3,
                          "vacancies_per_year": 2, "min_swedish": 0.2, "hiring_bias": 0.5},
    })
    moved = dict(base)
    moved["secondary_agreements"] = {"g": {"from": "crowded", "to": "home", "places_per_year": 2000,
                                           "within_weeks_of_arrival": 4}}
    moved_s, base_s = scenario_from_dict(moved), scenario_from_dict(base)
    gains = []
    for r in range(REPS):
        seed = replicate_seed(5, r)
        a = IntroductionModel(moved_s, seed=seed, collect=False).run()
        b = IntroductionModel(base_s, seed=seed, collect=False).run()
        who = np.nonzero(a.population.transferred)[0]
        assert len(who) > 50
        # The same people (same slots, same draws) with and without the agreement.
        gains.append(np.mean(a.population.ti_first_job[who] >= 0) - np.mean(b.population.ti_first_job[who] >= 0))
    assert np.mean(gains) > 0.05


def test_internships_raise_hires_at_the_host_employer():
    places = {"employers.firms.intern_places": 2, "employers.care.intern_places": 0}
    none = {"employers.firms.intern_places": 0, "employers.care.intern_places": 0}
    hires = lambda m: float(m.employers.hires[: 20].sum())  # the 20 'firms' come first
    assert replicate_mean(world(**places), hires, REPS) > replicate_mean(world(**none), hires, REPS)
