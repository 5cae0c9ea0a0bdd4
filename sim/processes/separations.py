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


def births(model, t: int, n: int, u: np.ndarray, age_of) -> None:
    """A birth makes the household's youngest child a newborn and the mother its primary carer."""
    P = model.population
    rate = model.behaviour.household.birth_rate_per_year / 52.0
    c = np.nonzero((u < rate) & P.female[:n] & PRESENT[P.state[:n]])[0]
    mother = c[age_of(c) < MAX_BIRTH_AGE]
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
    u = model.streams.block("separations", 5, n)
    st = P.state[:n].copy()  # this week's states, before any change below
    period = model.period

    def age_of(idx):  # age in week t of the people idx (as Population.age, for a subset)
        return P.age0[idx] + (t - P.ti_arrival[idx]) / 52.0

    # Jobs, businesses and regular education end: only people in them are concerned.
    c = np.nonzero(WORKING[st] | (st == S.EDUCATION))[0]
    sc = st[c]
    u0 = u[0, c]
    # Subsidised jobs end with their window: kept on as a regular job, or let go.
    sub_end = (sc == S.SUBSIDISED_JOB) & (P.ti_subsidy_end[c] <= t)
    kept_m = sub_end & (u0 < j.subsidised_conversion)
    kept = c[kept_m]
    P.state[kept] = S.REGULAR_JOB
    # Kept on at the employer's hours, part-time if the subsidised job was (same share).
    share = P.job_hours[kept] / model.config.national.instegsjobb.hours_per_week
    P.job_hours[kept] = E.hours[P.employer[kept]] * np.minimum(share, 1.0)
    lost = (sub_end & ~kept_m)
    lost |= (sc == S.REGULAR_JOB) & (u0 < j.regular_separation_per_week)
    lost |= (sc == S.AGENCY_JOB) & (u0 < j.agency_separation_per_week)
    lost |= (sc == S.OWN_BUSINESS) & (u0 < j.business_failure_per_week)
    # Regular education ends; people return to search with an upper-secondary level at least.
    edu_end = c[(sc == S.EDUCATION) & (P.ti_education_end[c] <= t)]
    P.education[edu_end] = np.maximum(P.education[edu_end], 2)
    out = np.sort(np.concatenate([c[lost], edu_end]))
    P.state[out] = np.where(period[out], S.PROGRAMME, S.PASSIVE).astype(np.uint8)
    P.employer[out] = -1
    P.agency[out] = -1
    P.job_hours[out] = 0.0
    P.ti_state[out] = t
    P.ti_state[kept] = t

    st = P.state[:n]
    free = np.nonzero(PRESENT[st] & ~WORKING[st] & (st != S.EDUCATION) & (st != S.INTERNSHIP) & (st != S.PLAN))[0]
    to_edu_m = ((P.swedish[free] >= EDUCATION_ENTRY_MIN_SWEDISH) & (u[1, free] < b.education.entry_per_week))
    to_edu_m[to_edu_m] = age_of(free[to_edu_m]) < EDUCATION_ENTRY_MAX_AGE
    to_edu = free[to_edu_m]
    P.state[to_edu] = S.EDUCATION
    P.ti_education_end[to_edu] = t + b.education.weeks
    biz = free[~to_edu_m & (P.engagement[free] >= 0.5) & (P.swedish[free] >= BUSINESS_MIN_SWEDISH)
               & (u[2, free] < j.business_start_per_week)]
    P.state[biz] = S.OWN_BUSINESS
    P.job_hours[biz] = BUSINESS_HOURS
    P.hourly_wage[biz] = model.config.national.hourly_wage_sek
    P.extra_work[to_edu] = False
    P.extra_work[biz] = False
    first = biz[P.ti_first_job[biz] < 0]
    P.ti_first_job[first] = t
    mark_contact(P, biz, t)
    P.ti_state[to_edu] = t
    P.ti_state[biz] = t

    births(model, t, n, u[4], age_of)

    # Leaving the modelled municipalities: moving on (less often when in work) or reaching 65.
    st = P.state[:n]
    pr = np.nonzero(PRESENT[st])[0]
    move_p = b.mobility.onward_move_per_week * np.where(WORKING[st[pr]], 1 / 3, 1.0)
    moved = u[3, pr] < move_p
    old = age_of(pr) >= RETIREMENT_AGE
    gone = moved | old
    if gone.any():
        idx = pr[gone]
        old = old[gone]
        end_internship(model, idx[P.state[idx] == S.INTERNSHIP])
        P.state[idx] = np.where(old, S.LEFT, S.MOVED_AWAY)
        P.ti_state[idx] = t
        P.ti_left[idx] = t
        P.employer[idx] = -1
        P.agency[idx] = -1
        P.job_hours[idx] = 0.0
        P.extra_work[idx] = False
