"""Staffing agencies (bemanningsföretag) hire people who meet their published criteria, regardless
of origin (mechanism 5; seed 000 prop. 6). With a partnership, coaches refer everyone who meets
the criteria; otherwise only the person's own applications reach the agency."""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from ..rng import MATCHING_AGENCY, MATCHING_AGENCY_HOURS, MATCHING_AGENCY_PRIORITY, MATCHING_APPLY, uniform
from ..states import AGENCY_JOB, EDUCATION, INTERNSHIP, PRESENT, WORKING
from ..tables import Batch
from .choice import CARRY_OVER_WEEKS, carried, choose, cumulate, first_by_priority
from .hiring import began_work
from .programme import availability
from .search import search_effort


@njit(inline="always")
def _may_apply(p, M) -> bool:
    s = p.state
    return (PRESENT[s] and not WORKING[s] and s != EDUCATION and s != INTERNSHIP
            and (p.plan_done or M[p.municipality].job_focus))


@njit(cache=True)
def agencies(B: Batch, w: int, b, t: int) -> None:
    P, M, A = B.people, B.munis, B.agencies
    if b.a1 == b.a0:
        return
    # Hires a week, fractions carried over (and room for at least one hire).
    credit = np.zeros(len(A))
    for a in range(b.a0, b.a1):
        A[a].credit = carried(A[a].credit, A[a].hires_per_week, CARRY_OVER_WEEKS, 1.0)
        credit[a] = A[a].credit
    cum = np.zeros(len(B.agency_target))
    cumulate(B.agency_start, B.agency_target, credit, b.k0, b.k1, cum)
    n = 0
    for i in range(b.p0, b.p0 + b.arrived):
        n += _may_apply(P[i], M)
    who, group, priority = np.empty(n, np.int64), np.empty(n, np.int64), np.empty(n)
    n = 0
    for i in range(b.p0, b.p0 + b.arrived):
        p = P[i]
        if not _may_apply(p, M):
            continue
        pair = choose(B.agency_start, cum, p.municipality, uniform(b.seed, MATCHING_AGENCY, i - b.p0, t))
        if pair < 0:
            continue
        a = B.agency_target[pair]
        ag = A[a]
        if not (p.swedish >= ag.min_swedish and p.engagement >= ag.min_engagement and p.education >= ag.min_education):
            continue
        if not B.agency_partner[pair]:
            own = -math.expm1(-b.search_own_contacts_per_week * b.search_agency_application_without_partnership
                              * search_effort(b, p.engagement) * availability(p, M, b, t))
            if not uniform(b.seed, MATCHING_APPLY, i - b.p0, t) < own:
                continue
        who[n], group[n] = i, a - b.a0
        priority[n] = uniform(b.seed, MATCHING_AGENCY_PRIORITY, i - b.p0, t)
        n += 1
    room = np.empty(b.a1 - b.a0)
    for a in range(b.a0, b.a1):
        room[a - b.a0] = np.floor(credit[a])
    ok = np.empty(n, np.bool_)
    first_by_priority(group[:n], priority[:n], room, b.a1 - b.a0, ok)
    for k in range(n):
        if ok[k]:
            start_agency_job(P[who[k]], A[b.a0 + group[k]], b.a0 + group[k], w, b,
                             uniform(b.seed, MATCHING_AGENCY_HOURS, who[k] - b.p0, t), t, B.jobs_after_internship)


@njit(cache=True)
def start_agency_job(p, ag, a: int, w: int, b, u_hours: float, t: int, after) -> None:
    """Interns are not among an agency's seekers, so there is no internship to end."""
    p.state = AGENCY_JOB
    p.agency = a
    p.employer = -1
    part_share = b.hiring_part_time_share_female if p.female else b.hiring_part_time_share_male
    p.job_hours = ag.hours * b.hiring_part_time_hours_share if u_hours < part_share else ag.hours
    p.hourly_wage = b.national_hourly_wage_sek
    began_work(p, w, b, t, after)
    ag.credit -= 1.0
    ag.hires += 1
