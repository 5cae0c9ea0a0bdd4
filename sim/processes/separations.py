"""Phase 5: job separations and other transitions: subsidies ending, agency and regular jobs
ending, businesses opening and closing, regular education, moving away, reaching 65."""

from __future__ import annotations

import numpy as np

from ..states import S, PRESENT, WORKING
from .hiring import end_internship, mark_contact

EDUCATION_ENTRY_MAX_AGE = 35
EDUCATION_ENTRY_MIN_SWEDISH = 0.7
BUSINESS_MIN_SWEDISH = 0.5
BUSINESS_HOURS = 35.0
RETIREMENT_AGE = 65.0
MAX_BIRTH_AGE = 42.0


def births(model, t: int, n: int, u: np.ndarray, age: np.ndarray) -> None:
    """A birth makes the household's youngest child a newborn and the mother its primary carer."""
    P = model.population
    rate = model.behaviour.household.birth_rate_per_year / 52.0
    mother = np.nonzero(PRESENT[P.state[:n]] & P.female[:n] & (age < MAX_BIRTH_AGE) & (u < rate))[0]
    if len(mother) == 0:
        return
    partner = P.partner[mother]
    parents = np.concatenate([mother, partner[partner >= 0]])
    P.youngest_age[parents] = -(t - P.ti_arrival[parents]) / 52.0  # age 0 this week
    P.n_children[parents] += 1
    adults = np.where(P.partner[parents] >= 0, 2, 1)
    P.children_share[parents] = P.n_children[parents] / adults
    P.primary_carer[mother] = True
    P.primary_carer[partner[partner >= 0]] = False


def separations(model, t: int) -> None:
    P, E, b = model.population, model.employers, model.behaviour
    n = P.n_arrived
    if n == 0:
        return
    j = b.jobs
    u = model.streams.uniform("separations", (5, n))
    st = P.state[:n].copy()  # this week's states, before any change below
    period = model.period
    back_to = np.where(period, S.PROGRAMME, S.PASSIVE).astype(np.uint8)

    # Subsidised jobs end with their window: kept on as a regular job, or let go.
    sub_end = (st == S.SUBSIDISED_JOB) & (P.ti_subsidy_end[:n] <= t)
    kept = sub_end & (u[0] < j.subsidised_conversion)
    P.state[:n][kept] = S.REGULAR_JOB
    # Kept on at the employer's hours, part-time if the subsidised job was (same share).
    share = P.job_hours[:n][kept] / model.config.national.instegsjobb.hours_per_week
    P.job_hours[:n][kept] = E.hours[P.employer[:n][kept]] * np.minimum(share, 1.0)
    lost = (sub_end & ~kept)
    lost |= (st == S.REGULAR_JOB) & (u[0] < j.regular_separation_per_week)
    lost |= (st == S.AGENCY_JOB) & (u[0] < j.agency_separation_per_week)
    lost |= (st == S.OWN_BUSINESS) & (u[0] < j.business_failure_per_week)
    # Regular education ends; people return to search with an upper-secondary level at least.
    edu_end = (st == S.EDUCATION) & (P.ti_education_end[:n] <= t)
    P.education[:n][edu_end] = np.maximum(P.education[:n][edu_end], 2)
    out = lost | edu_end
    P.state[:n][out] = back_to[out]
    P.employer[:n][out] = -1
    P.agency[:n][out] = -1
    P.job_hours[:n][out] = 0.0
    P.ti_state[:n][out | kept] = t

    st = P.state[:n]
    free = PRESENT[st] & ~WORKING[st] & (st != S.EDUCATION) & (st != S.INTERNSHIP) & (st != S.PLAN)
    age = P.age(t, n)
    to_edu = (free & (age < EDUCATION_ENTRY_MAX_AGE) & (P.swedish[:n] >= EDUCATION_ENTRY_MIN_SWEDISH)
              & (u[1] < b.education.entry_per_week))
    P.state[:n][to_edu] = S.EDUCATION
    P.ti_education_end[:n][to_edu] = t + b.education.weeks
    biz = (free & ~to_edu & (P.engagement[:n] >= 0.5) & (P.swedish[:n] >= BUSINESS_MIN_SWEDISH)
           & (u[2] < j.business_start_per_week))
    P.state[:n][biz] = S.OWN_BUSINESS
    P.job_hours[:n][biz] = BUSINESS_HOURS
    P.hourly_wage[:n][biz] = model.config.national.hourly_wage_sek
    P.extra_work[:n][to_edu | biz] = False
    first = biz & (P.ti_first_job[:n] < 0)
    P.ti_first_job[:n][first] = t
    mark_contact(P, np.nonzero(biz)[0], t)
    P.ti_state[:n][to_edu | biz] = t

    births(model, t, n, u[4], age)

    # Leaving the modelled municipalities: moving on (less often when in work) or reaching 65.
    st = P.state[:n]
    present = PRESENT[st]
    move_p = b.mobility.onward_move_per_week * np.where(WORKING[st], 1 / 3, 1.0)
    moved = present & (u[3] < move_p)
    old = present & (age >= RETIREMENT_AGE)
    gone = moved | old
    if gone.any():
        idx = np.nonzero(gone)[0]
        end_internship(model, idx[P.state[idx] == S.INTERNSHIP])
        P.state[idx] = np.where(old[idx], S.LEFT, S.MOVED_AWAY)
        P.ti_state[idx] = t
        P.ti_left[idx] = t
        P.employer[idx] = -1
        P.agency[idx] = -1
        P.job_hours[idx] = 0.0
        P.extra_work[idx] = False
