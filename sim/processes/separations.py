"""Phase 5: job separations and other transitions, in named steps: subsidies ending, jobs and
businesses ending, regular education starting and ending, businesses opening, births, and people
moving away or reaching pension age."""

from __future__ import annotations

import numpy as np

from ..states import PRESENT, WORKING, S
from .hiring import began_work, end_internship, end_job

# Rows of the weekly draw.
ENDING, EDUCATION, BUSINESS, MOVE, BIRTH, N_ROWS = range(6)


def separations(model, week) -> None:
    if week.n == 0:
        return
    u = model.streams.block("separations", N_ROWS, week.n)
    end_jobs_and_education(model, week, u[ENDING])
    start_education_or_business(model, week, u)
    births(model, week, u[BIRTH])
    leave(model, week, u[MOVE])


def _age(model, t: int, idx: np.ndarray) -> np.ndarray:
    P = model.population
    return P.age0[idx] + (t - P.ti_arrival[idx]) / 52.0


def end_jobs_and_education(model, week, u: np.ndarray) -> None:
    """Subsidised jobs end with their window (kept on as a regular job, or let go); jobs, agency
    work and businesses end; regular education ends with an upper-secondary level at least."""
    P, E, j, t = model.population, model.employers, model.behaviour.jobs, week.t
    n = week.n
    st = P.state[:n]
    c = np.nonzero(WORKING[st] | (st == S.EDUCATION))[0]
    sc = st[c]
    uc = u[c]
    sub_end = (sc == S.SUBSIDISED_JOB) & (P.ti_subsidy_end[c] <= t)
    kept_m = sub_end & (uc < j.subsidised_conversion)
    kept = c[kept_m]
    P.state[kept] = S.REGULAR_JOB
    P.ti_state[kept] = t
    # Kept on at the employer's hours, part-time if the subsidised job was (same share).
    share = P.job_hours[kept] / model.config.national.instegsjobb.hours_per_week
    P.job_hours[kept] = E.hours[P.employer[kept]] * np.minimum(share, 1.0)
    lost = sub_end & ~kept_m
    lost |= (sc == S.REGULAR_JOB) & (uc < model.param("jobs.regular_separation_per_week", c, np.float32))
    lost |= (sc == S.AGENCY_JOB) & (uc < j.agency_separation_per_week)
    lost |= (sc == S.OWN_BUSINESS) & (uc < j.business_failure_per_week)
    edu_end = c[(sc == S.EDUCATION) & (P.ti_education_end[c] <= t)]
    P.education[edu_end] = np.maximum(P.education[edu_end], 2)
    end_job(model, t, np.sort(np.concatenate([c[lost], edu_end])), week.period)


def start_education_or_business(model, week, u) -> None:
    """Among those free to (present, without work, education, internship or a pending plan):
    regular education for the young enough with enough Swedish, or one's own business."""
    P, b, t = model.population, model.behaviour, week.t
    n = week.n
    st = P.state[:n]
    free = np.nonzero(PRESENT[st] & ~WORKING[st] & (st != S.EDUCATION) & (st != S.INTERNSHIP) & (st != S.PLAN))[0]
    ed, j = b.education, b.jobs
    # One spell of regular education a person (komvux or a vocational course, then work).
    to_edu_m = ((P.swedish[free] >= ed.entry_min_swedish) & (P.ti_education_end[free] < 0)
                & (u[EDUCATION, free] < ed.entry_per_week))
    to_edu_m[to_edu_m] = _age(model, t, free[to_edu_m]) < ed.entry_max_age
    to_edu = free[to_edu_m]
    P.state[to_edu] = S.EDUCATION
    P.ti_education_end[to_edu] = t + ed.weeks
    P.extra_work[to_edu] = False
    P.ti_state[to_edu] = t
    biz = free[~to_edu_m & (P.engagement[free] >= j.business_min_engagement)
               & (P.swedish[free] >= j.business_min_swedish) & (u[BUSINESS, free] < j.business_start_per_week)]
    P.state[biz] = S.OWN_BUSINESS
    P.job_hours[biz] = j.business_hours
    P.hourly_wage[biz] = model.config.national.hourly_wage_sek
    began_work(model, t, biz)


def births(model, week, u: np.ndarray) -> None:
    """A birth makes the household's youngest child a newborn and the mother its primary carer."""
    P, hh, t = model.population, model.behaviour.household, week.t
    n = week.n
    c = np.nonzero((u < hh.birth_rate_per_year / 52.0) & P.female[:n] & PRESENT[P.state[:n]])[0]
    mother = c[_age(model, t, c) < hh.max_birth_age]
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


def leave(model, week, u: np.ndarray) -> None:
    """Leaving the modelled municipalities: moving on (less often when in work) or pension age."""
    P, mob, t = model.population, model.behaviour.mobility, week.t
    n = week.n
    st = P.state[:n]
    pr = np.nonzero(PRESENT[st])[0]
    move_p = mob.onward_move_per_week * np.where(WORKING[st[pr]], mob.working_move_multiplier, 1.0)
    moved = u[pr] < move_p
    old = _age(model, t, pr) >= mob.retirement_age
    gone = moved | old
    if not gone.any():
        return
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
