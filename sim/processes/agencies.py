"""Staffing agencies (bemanningsföretag) hire people who meet their published criteria, regardless
of origin (mechanism 5; seed 000 prop. 6). With a partnership, coaches refer everyone who meets
the criteria; otherwise only the person's own applications reach the agency."""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from ..rng import (
    MATCHING_AGENCY,
    MATCHING_AGENCY_HOURS,
    MATCHING_AGENCY_PRIORITY,
    MATCHING_APPLY,
    MATCHING_EXTRA_WORK,
    uniform,
)
from ..states import AGENCY_JOB, EDUCATION, INTERNSHIP, NO_SUPPORT, PASSIVE, PRESENT, PROGRAMME, WORKING
from ..tables import Batch
from .choice import CARRY_OVER_WEEKS, carried, choose, cumulate, first_by_priority
from .hiring import began_work, mark_contact
from .programme import availability, in_period
from .search import search_effort


@njit(inline="always")
def _may_apply(p, m) -> bool:
    s = p.state
    return (PRESENT[s] and not WORKING[s] and s != EDUCATION and s != INTERNSHIP
            and (p.plan_done or m.job_focus))


@njit(cache=True)
def agencies(B: Batch, w: int, b, t: int) -> None:
    """Extra work starts and ends; staffing agencies hire (one pass finds the agencies' seekers)."""
    P, M, A, listed = B.people, B.munis, B.agencies, B.listed
    n = 0
    for i in range(b.p0, b.p0 + b.arrived):
        p = P[i]
        m = M[p.municipality]
        extra_work(p, m, b, t, i - b.p0)
        if _may_apply(p, m):
            listed[b.p0 + n] = i
            n += 1
    if b.a1 == b.a0:
        return
    # Hires a week, fractions carried over (and room for at least one hire).
    credit = np.empty(b.a1 - b.a0)
    for a in range(b.a0, b.a1):
        A[a].credit = carried(A[a].credit, A[a].hires_per_week, CARRY_OVER_WEEKS, 1.0)
        credit[a - b.a0] = A[a].credit
    start, target, partner, after = B.agency_start, B.agency_target, B.agency_partner, B.jobs_after_internship
    cum = cumulate(start, target, credit, b.a0, b.k0, b.k1)
    seekers = listed[b.p0:b.p0 + n]
    who, group, priority = np.empty(n, np.int64), np.empty(n, np.int64), np.empty(n)
    n = 0
    for i in seekers:
        p = P[i]
        pair = choose(start, cum, start[b.k0], p.municipality, uniform(b.seed, MATCHING_AGENCY, i - b.p0, t))
        if pair < 0:
            continue
        a = target[pair]
        ag = A[a]
        if not (p.swedish >= ag.min_swedish and p.engagement >= ag.min_engagement and p.education >= ag.min_education):
            continue
        if not partner[pair]:
            own = -math.expm1(-b.search_own_contacts_per_week * b.search_agency_application_without_partnership
                              * search_effort(b, p.engagement) * availability(p, M[p.municipality], b, t))
            if not uniform(b.seed, MATCHING_APPLY, i - b.p0, t) < own:
                continue
        who[n], group[n] = i, a - b.a0
        priority[n] = uniform(b.seed, MATCHING_AGENCY_PRIORITY, i - b.p0, t)
        n += 1
    room = np.empty(b.a1 - b.a0)
    for a in range(b.a1 - b.a0):
        room[a] = np.floor(credit[a])
    ok = np.empty(n, np.bool_)
    first_by_priority(group[:n], priority[:n], room, b.a1 - b.a0, ok)
    for k in range(n):
        if ok[k]:
            start_agency_job(P[who[k]], A[b.a0 + group[k]], b.a0 + group[k], w, b,
                             uniform(b.seed, MATCHING_AGENCY_HOURS, who[k] - b.p0, t), t, after)


@njit(inline="always")
def extra_work(p, m, b, t: int, who: int) -> None:
    """Evening and weekend work beside the programme: found by own search, worth less (and so
    rarer) under income offset or means-tested assistance (Välkommen till jobbet! 2007,
    Falkenberg: the right to earn extra is often the way in). One draw decides both starting (if
    without) and ending (if with)."""
    s = p.state
    has = p.extra_work
    eligible = ((s == PROGRAMME or s == INTERNSHIP or s == PASSIVE or s == NO_SUPPORT)
                and p.swedish >= b.search_extra_work_min_swedish)
    if not (eligible or has):
        return
    u = uniform(b.seed, MATCHING_EXTRA_WORK, who, t)
    if has:
        p.extra_work = not (u < b.jobs_extra_work_end_per_week or not eligible)
        return
    offset_here = (in_period(p, m, t) and m.income_offset) or s == PASSIVE
    chance = b.search_extra_work_per_week * search_effort(b, p.engagement)
    if offset_here:
        chance *= b.search_extra_work_offset_multiplier
    if u < chance:
        p.extra_work = True
        mark_contact(p, t)


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
