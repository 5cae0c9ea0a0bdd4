"""Phase 5: job separations and other transitions, person by person: subsidies ending, jobs and
businesses ending, regular education starting and ending, businesses opening, births, and people
moving away or reaching pension age; then the week's earnings (phase 6 begins, `income.earn`)."""

from __future__ import annotations

from numba import njit

from ..rng import (
    SEPARATION_BIRTH,
    SEPARATION_BUSINESS,
    SEPARATION_EDUCATION,
    SEPARATION_ENDING,
    SEPARATION_MOVE,
    uniform,
)
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
from .income import earn
from .programme import in_period


@njit(cache=True, nogil=True)
def separations(B: Batch, first: int, last: int, t: int) -> None:
    P, M, E, ended, after = B.people, B.munis, B.employers, B.internships_ended, B.jobs_after_internship
    for w in range(first, last):
        b = B.worlds[w]
        for i in range(b.p0, b.p0 + b.arrived):
            p = P[i]
            if PRESENT[p.state]:
                who = i - b.p0
                m = M[p.municipality]
                hours = E[p.employer].hours if p.employer >= 0 else 0.0
                end_job_or_education(p, m, b, t, uniform(b.seed, SEPARATION_ENDING, who, t), hours)
                if start_education_or_business(p, b, t, who):
                    began_work(p, w, b, t, after)
                if birth(p, b, t, uniform(b.seed, SEPARATION_BIRTH, who, t)) and p.partner >= 0:
                    q = P[p.partner]
                    q.youngest_age = -(t - q.ti_arrival) / 52.0
                    q.n_children += 1
                    q.primary_carer = False
                intern = p.state == INTERNSHIP
                if leave(p, M, b, t, uniform(b.seed, SEPARATION_MOVE, who, t)) and intern:
                    end_internship(p, E, w, t, ended)
            earn(p, b)  # this week's work income (income.py), once the person's week is settled


@njit(inline="always")
def age(p, t: int) -> float:
    return p.age0 + (t - p.ti_arrival) / 52.0


@njit(inline="always")
def end_job_or_education(p, m, b, t: int, u: float, employer_hours: float) -> None:
    """Subsidised jobs end with their window (kept on as a regular job at the employer's hours,
    or let go); jobs, agency work and businesses end; regular education ends with an
    upper-secondary level at least."""
    s = p.state
    if s == SUBSIDISED_JOB and p.ti_subsidy_end <= t:
        if u < b.jobs_subsidised_conversion:
            # Kept on at the employer's hours, part-time if the subsidised job was (same share).
            p.state = REGULAR_JOB
            p.ti_state = t
            share = p.job_hours / b.national_instegsjobb_hours_per_week
            p.job_hours = employer_hours * min(share, 1.0)
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
        end_job(p, t, in_period(p, m, t))


@njit(inline="always")
def start_education_or_business(p, b, t: int, who: int) -> bool:
    """For those free to (present, without work, education, internship or a pending plan): regular
    education, once, for the young enough with enough Swedish; or one's own business (returns
    whether one started: it is paid work, `hiring.began_work`)."""
    s = p.state
    if WORKING[s] or s == EDUCATION or s == INTERNSHIP or s == PLAN:
        return False
    if (p.swedish >= b.education_entry_min_swedish and p.ti_education_end < 0
            and uniform(b.seed, SEPARATION_EDUCATION, who, t) < b.education_entry_per_week
            and age(p, t) < b.education_entry_max_age):
        p.state = EDUCATION
        p.ti_education_end = t + int(b.education_weeks)
        p.extra_work = False
        p.ti_state = t
        return False
    if (p.engagement >= b.jobs_business_min_engagement and p.swedish >= b.jobs_business_min_swedish
            and uniform(b.seed, SEPARATION_BUSINESS, who, t) < b.jobs_business_start_per_week):
        p.state = OWN_BUSINESS
        p.job_hours = b.jobs_business_hours
        p.hourly_wage = b.national_hourly_wage_sek
        return True
    return False


@njit(inline="always")
def birth(p, b, t: int, u: float) -> bool:
    """A birth makes the household's youngest child a newborn and the mother its primary carer
    (returns whether there was one: the partner's household has the newborn too)."""
    if not p.female or not u < b.household_birth_rate_per_year / 52.0 or age(p, t) >= b.household_max_birth_age:
        return False
    p.youngest_age = -(t - p.ti_arrival) / 52.0  # age 0 this week
    p.n_children += 1
    p.primary_carer = True
    return True


@njit(inline="always")
def leave(p, M, b, t: int, u: float) -> bool:
    """Moving on (less often when in work) or pension age: out of the modelled municipalities, or,
    in a national world, once to another modelled municipality (`p.onward_to`), where work,
    education and an internship end and the programme goes on. Returns whether the person left
    their municipality (an internship then ends too: the caller's)."""
    s = p.state
    if not PRESENT[s]:
        return False
    move_p = b.mobility_onward_move_per_week * (b.mobility_working_move_multiplier if WORKING[s] else 1.0)
    old = age(p, t) >= b.mobility_retirement_age
    if not (u < move_p or old):
        return False
    if not old and p.onward_to >= 0 and p.onward_to != p.municipality:
        p.municipality = p.onward_to
        p.extra_work = False
        if WORKING[s] or s == EDUCATION or s == INTERNSHIP:
            end_job(p, t, in_period(p, M[p.municipality], t))
        return True
    p.state = LEFT if old else MOVED_AWAY
    p.ti_state = t
    p.ti_left = t
    p.employer = -1
    p.agency = -1
    p.job_hours = 0.0
    p.extra_work = False
    return True
