"""Phase 5: job separations and other transitions, person by person: subsidies ending, jobs and
businesses ending, regular education starting and ending, businesses opening, births, and people
moving away or reaching pension age."""

from __future__ import annotations

from numba import njit

from ..rng import SEPARATION_BIRTH, SEPARATION_BUSINESS, SEPARATION_EDUCATION, SEPARATION_ENDING, SEPARATION_MOVE, \
    uniform
from ..states import (
    AGENCY_JOB,
    EDUCATION,
    INTERNSHIP,
    LEFT,
    MOVED_AWAY,
    OWN_BUSINESS,
    PLAN,
    PRESENT,
    REGULAR_JOB,
    SUBSIDISED_JOB,
    UPPER_SECONDARY,
    WORKING,
)
from ..tables import Batch
from .hiring import began_work, end_internship, end_job
from .programme import in_period


@njit(cache=True)
def separations(B: Batch, n_worlds: int, t: int) -> None:
    P, M, E = B.people, B.munis, B.employers
    for w in range(n_worlds):
        b = B.worlds[w]
        for i in range(b.p0, b.p0 + b.arrived):
            p = P[i]
            if not PRESENT[p.state]:
                continue
            who = i - b.p0
            end_job_or_education(p, M, E, b, t, uniform(b.seed, SEPARATION_ENDING, who, t))
            start_education_or_business(p, w, b, t, who, B.jobs_after_internship)
            birth(P, p, b, t, uniform(b.seed, SEPARATION_BIRTH, who, t))
            leave(p, E, w, b, t, uniform(b.seed, SEPARATION_MOVE, who, t), B.internships_ended)


@njit(inline="always")
def age(p, t: int) -> float:
    return p.age0 + (t - p.ti_arrival) / 52.0


@njit(inline="always")
def end_job_or_education(p, M, E, b, t: int, u: float) -> None:
    """Subsidised jobs end with their window (kept on as a regular job, or let go); jobs, agency
    work and businesses end; regular education ends with an upper-secondary level at least."""
    s = p.state
    if s == SUBSIDISED_JOB and p.ti_subsidy_end <= t:
        if u < b.jobs_subsidised_conversion:
            # Kept on at the employer's hours, part-time if the subsidised job was (same share).
            p.state = REGULAR_JOB
            p.ti_state = t
            share = p.job_hours / b.national_instegsjobb_hours_per_week
            p.job_hours = E[p.employer].hours * min(share, 1.0)
            return
        lost = True
    elif s == REGULAR_JOB:
        lost = u < b.jobs_regular_separation_per_week
    elif s == AGENCY_JOB:
        lost = u < b.jobs_agency_separation_per_week
    elif s == OWN_BUSINESS:
        lost = u < b.jobs_business_failure_per_week
    elif s == EDUCATION and p.ti_education_end <= t:
        p.education = max(p.education, UPPER_SECONDARY)
        lost = True
    else:
        lost = False
    if lost:
        end_job(p, t, in_period(p, M, t))


@njit(inline="always")
def start_education_or_business(p, w: int, b, t: int, who: int, after) -> None:
    """For those free to (present, without work, education, internship or a pending plan): regular
    education, once, for the young enough with enough Swedish; or one's own business."""
    s = p.state
    if WORKING[s] or s == EDUCATION or s == INTERNSHIP or s == PLAN:
        return
    if (p.swedish >= b.education_entry_min_swedish and p.ti_education_end < 0
            and uniform(b.seed, SEPARATION_EDUCATION, who, t) < b.education_entry_per_week
            and age(p, t) < b.education_entry_max_age):
        p.state = EDUCATION
        p.ti_education_end = t + int(b.education_weeks)
        p.extra_work = False
        p.ti_state = t
        return
    if (p.engagement >= b.jobs_business_min_engagement and p.swedish >= b.jobs_business_min_swedish
            and uniform(b.seed, SEPARATION_BUSINESS, who, t) < b.jobs_business_start_per_week):
        p.state = OWN_BUSINESS
        p.job_hours = b.jobs_business_hours
        p.hourly_wage = b.national_hourly_wage_sek
        began_work(p, w, b, t, after)


@njit(inline="always")
def birth(P, p, b, t: int, u: float) -> None:
    """A birth makes the household's youngest child a newborn and the mother its primary carer."""
    if not p.female or not u < b.household_birth_rate_per_year / 52.0 or age(p, t) >= b.household_max_birth_age:
        return
    p.youngest_age = -(t - p.ti_arrival) / 52.0  # age 0 this week
    p.n_children += 1
    p.primary_carer = True
    if p.partner >= 0:
        q = P[p.partner]
        q.youngest_age = -(t - q.ti_arrival) / 52.0
        q.n_children += 1
        q.primary_carer = False


@njit(inline="always")
def leave(p, E, w: int, b, t: int, u: float, ended) -> None:
    """Leaving the modelled municipalities: moving on (less often when in work) or pension age."""
    s = p.state
    if not PRESENT[s]:
        return
    move_p = b.mobility_onward_move_per_week * (b.mobility_working_move_multiplier if WORKING[s] else 1.0)
    old = age(p, t) >= b.mobility_retirement_age
    if not (u < move_p or old):
        return
    if s == INTERNSHIP:
        end_internship(p, E, w, t, ended)
    p.state = LEFT if old else MOVED_AWAY
    p.ti_state = t
    p.ti_left = t
    p.employer = -1
    p.agency = -1
    p.job_hours = 0.0
    p.extra_work = False
