"""Phase 3: internships (praktik). Cycles that end turn into a hire at the host or a return to the
programme; coordinators (limited capacity) and the person's own search place people at willing
employers; hosting builds the employer's relationship with the coaches. Mechanisms 2, 3 and 6."""

from __future__ import annotations

import numpy as np
from numba import njit

from ..config.schema import SECTORS
from ..rng import (
    INTERNSHIP_CONVERT,
    INTERNSHIP_CONVERT_HOURS,
    INTERNSHIP_CONVERT_PRIORITY,
    INTERNSHIP_HOST,
    INTERNSHIP_HOST_PRIORITY,
    INTERNSHIP_OWN_PLACEMENT,
    INTERNSHIP_PLACEMENT_PRIORITY,
    uniform,
)
from ..states import (
    CONVERSION,
    INSTEGSJOBB,
    INSTEGSJOBB_DEADWEIGHT,
    INTERNSHIP,
    NYSTARTSJOBB,
    NYSTARTSJOBB_DEADWEIGHT,
    PASSIVE,
    PLAN,
    PROGRAMME,
    ROUTES,
)
from ..tables import Batch
from .choice import carried, caseload, choose, cumulate, first_by_priority
from .hiring import acceptance, end_internship, mark_contact, start_job, take_vacancy
from .programme import availability, in_period
from .search import search_effort

N_SECTORS = len(SECTORS)


@njit(cache=True, nogil=True)
def internships(B: Batch, first: int, last: int, t: int) -> None:
    # No early return when no one has arrived yet: coordinators' credit and employers'
    # relationships move every week, whoever is there.
    for w in range(first, last):
        b = B.worlds[w]
        convert_or_return(B.people, B.munis, B.employers, w, b, t, B.internships_ended, B.jobs_after_internship,
                          B.listed)
        place(B, w, b, t)
        update_relationships(B.employers, b)


@njit(cache=True)
def convert_or_return(P, M, E, w: int, b, t: int, ended, after, listed) -> None:
    """Cycles ending this week: the host hires the intern (an insider: no open competition, a
    vacancy taken from the host's flow), or the intern returns to the programme."""
    m = 0
    for i in range(b.p0, b.p0 + b.arrived):
        if P[i].state == INTERNSHIP and P[i].ti_internship_end <= t:
            listed[b.p0 + m] = i
            m += 1
    if m == 0:
        return
    ending, host = listed[b.p0:b.p0 + m], np.empty(m, np.int64)
    u_hire, p_unsubsidised, priority = np.empty(m), np.empty(m), np.empty(m)
    hire, subsidised, nystartsjobb = np.empty(m, np.bool_), np.empty(m, np.bool_), np.empty(m, np.bool_)
    for k in range(m):
        i = ending[k]
        p = P[i]
        host[k] = p.intern_host
        bonus = b.hiring_competence_matched_internship if p.matched_internship else 0.0
        chance, p_unsubsidised[k], sub, nystartsjobb[k] = acceptance(p, E[p.intern_host], p.intern_host >= 0, b,
                                                                     ROUTES[CONVERSION], bonus, t)
        u_hire[k] = uniform(b.seed, INTERNSHIP_CONVERT, i - b.p0, t)
        priority[k] = uniform(b.seed, INTERNSHIP_CONVERT_PRIORITY, i - b.p0, t)
        hire[k] = u_hire[k] < chance
        subsidised[k] = sub and hire[k]
    # A subsidised hire beyond the host's places this year happens only if it would have without
    # the subsidy (the same draw), and is then an ordinary hire.
    within = subsidy_caps(E, b, host, subsidised, priority)
    for k in range(m):
        if not within[k]:
            hire[k] = u_hire[k] < p_unsubsidised[k]
            subsidised[k] = False
    # At most as many conversions at a host as its open vacancies and those it would open within
    # the lead time (taken ahead).
    room = np.zeros(b.e1 - b.e0 + 1)
    for e in range(b.e0, b.e1):
        ahead = np.floor(E[e].vacancy_credit + b.internships_conversion_lead_weeks * E[e].vacancies_per_week
                         * M[E[e].municipality].vacancy_index)
        room[e - b.e0] = E[e].open_vacancies + max(ahead, 0.0)
    group = np.empty(m, np.int64)
    for k in range(m):
        group[k] = host[k] - b.e0 if hire[k] else b.e1 - b.e0  # those not hired: a group of their own
    converted = np.empty(m, np.bool_)
    first_by_priority(group, priority, room, b.e1 - b.e0 + 1, converted)
    for k in range(m):
        p = P[ending[k]]
        if hire[k] and converted[k]:
            b.hires_route[CONVERSION] += 1
            record_instruments(b, nystartsjobb[k], subsidised[k], u_hire[k] < p_unsubsidised[k])
            take_vacancy(E[host[k]])
            E[host[k]].vacancy_credit += b.competition_new_job_share  # demand answers supply (M2)
            u_hours = uniform(b.seed, INTERNSHIP_CONVERT_HOURS, ending[k] - b.p0, t)
            start_job(P, E, w, b, ending[k], host[k], subsidised[k], u_hours, t, ended, after)
        else:
            end_internship(p, E, w, t, ended)
            p.state = PROGRAMME if in_period(p, M[p.municipality], t) else PASSIVE
            p.ti_state = t


@njit(inline="always")
def record_instruments(b, nystartsjobb: bool, instegsjobb: bool, would_anyway: bool) -> None:
    """Count a hire under each national instrument, and its deadweight (hired anyway: the same
    draw is below the chance without the instrument)."""
    if nystartsjobb:
        b.instruments[NYSTARTSJOBB] += 1
        if would_anyway:
            b.instruments[NYSTARTSJOBB_DEADWEIGHT] += 1
    if instegsjobb:
        b.instruments[INSTEGSJOBB] += 1
        if would_anyway:
            b.instruments[INSTEGSJOBB_DEADWEIGHT] += 1


@njit(cache=True)
def subsidy_caps(E, b, emp, subsidised, priority) -> np.ndarray:
    """Which of the hires fit in their employer's subsidised places left this year (those not
    subsidised always do: a group of their own with room for all)."""
    n_groups = b.e1 - b.e0
    room = np.empty(n_groups + 1)
    for e in range(b.e0, b.e1):
        room[e - b.e0] = E[e].subsidised_left
    room[n_groups] = len(emp)
    group = np.empty(len(emp), np.int64)
    for k in range(len(emp)):
        group[k] = emp[k] - b.e0 if subsidised[k] else n_groups
    ok = np.empty(len(emp), np.bool_)
    first_by_priority(group, priority, room, n_groups + 1, ok)
    return ok


@njit(cache=True)
def place(B: Batch, w: int, b, t: int) -> None:
    """Coordinators arrange a limited number of placements a week per municipality (in an order
    drawn each week; carers of small children come forward less often), and people find some by
    their own search; each goes to a willing employer in reach with a free place. Candidates are
    those waiting for a plan or in the programme, inside the period, far enough into it, and ready
    (alternating SFI with the internship, or with enough Swedish)."""
    P, M, E = B.people, B.munis, B.employers
    k0, k1, e0, e1 = b.k0, b.k1, b.e0, b.e1
    listed = B.listed
    c = 0
    candidates = np.zeros(k1 - k0)
    for i in range(b.p0, b.p0 + b.arrived):
        if _may_intern(P[i], M[P[i].municipality], b, t):
            listed[b.p0 + c] = i
            candidates[P[i].municipality - k0] += 1.0
            c += 1
    # Coordinators' placements a week, saturating as their caseload of candidates shrinks.
    credit = np.empty(k1 - k0)
    for k in range(k0, k1):
        per_week = caseload(M[k].coordinators * b.internships_placements_per_coordinator_week, candidates[k - k0],
                            b.internships_placements_most_per_candidate_week)
        M[k].placement_credit = carried(M[k].placement_credit, per_week, b.internships_coordinator_credit_cap_weeks, 0.0)
        credit[k - k0] = np.floor(M[k].placement_credit)
    if c == 0:
        return
    cand, group = listed[b.p0:b.p0 + c], np.empty(c, np.int64)
    priority, by_self, by_coordinator = np.empty(c), np.empty(c, np.bool_), np.empty(c, np.bool_)
    for k in range(c):
        i = cand[k]
        p = P[i]
        avail = availability(p, M[p.municipality], b, t)
        group[k] = p.municipality - k0
        priority[k] = uniform(b.seed, INTERNSHIP_PLACEMENT_PRIORITY, i - b.p0, t) / max(avail, 1e-3)
        own = b.internships_own_placement_per_week * search_effort(b, p.engagement) * avail
        by_self[k] = uniform(b.seed, INTERNSHIP_OWN_PLACEMENT, i - b.p0, t) < own
    first_by_priority(group, priority, credit, k1 - k0, by_coordinator)
    free = np.empty(e1 - e0)
    for e in range(e0, e1):
        free[e - e0] = max(E[e].intern_places - E[e].interns, 0)
    host, matched, pri = _hosts(B, b, cand, by_coordinator | by_self, free, t)
    group = np.empty(c, np.int64)
    for k in range(c):
        group[k] = host[k] - e0 if host[k] >= 0 else e1 - e0  # no host: a group of its own
    room = np.zeros(e1 - e0 + 1)
    for e in range(e1 - e0):
        room[e] = free[e]
    ok = np.empty(c, np.bool_)
    first_by_priority(group, pri, room, e1 - e0 + 1, ok)
    for k in range(c):
        if host[k] >= 0 and ok[k]:
            p = P[cand[k]]
            start_internship(p, M, E, host[k], matched[k], t)
            b.internships_started[1 if E[host[k]].public else 0] += 1
            if by_coordinator[k]:
                M[p.municipality].placement_credit -= 1.0


@njit(inline="always")
def _may_intern(p, m, b, t: int) -> bool:
    if not (p.state == PLAN or p.state == PROGRAMME) or not in_period(p, m, t):
        return False
    ready = m.alternate or p.swedish >= b.internships_min_swedish_without_alternation
    return ready and t - p.ti_arrival >= m.first_internship_week


@njit(cache=True)
def _hosts(B: Batch, b, cand, seeking, free, t: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The employer each seeking candidate would intern at (weighted by free places, in reach; a
    competence-matched follow-up goes to the person's own sector), whether it is matched, and the
    host's order of candidates; -1 for no host."""
    P, M, E = B.people, B.munis, B.employers
    es, et, ss, st = B.employer_start, B.employer_target, B.sector_start, B.sector_target
    cum = cumulate(es, et, free, b.e0, b.k0, b.k1)
    cum_sector = cumulate(ss, st, free, b.e0, b.k0 * N_SECTORS, b.k1 * N_SECTORS)
    n = len(cand)
    host, matched, pri = np.empty(n, np.int64), np.zeros(n, np.bool_), np.zeros(n)
    for j in range(n):
        host[j] = -1
        if not seeking[j]:
            continue
        i = cand[j]
        p = P[i]
        u = uniform(b.seed, INTERNSHIP_HOST, i - b.p0, t)
        pair = choose(es, cum, es[b.k0], p.municipality, u)
        if pair >= 0:
            host[j] = et[pair]
        follow_up = M[p.municipality].matched_followup and p.internships >= 1 and p.occupation >= 0
        if follow_up:
            pair = choose(ss, cum_sector, ss[b.k0 * N_SECTORS], p.municipality * N_SECTORS + p.occupation, u)
            if pair >= 0:
                host[j] = st[pair]
        if host[j] >= 0:
            matched[j] = follow_up and p.occupation == E[host[j]].sector
        pri[j] = uniform(b.seed, INTERNSHIP_HOST_PRIORITY, i - b.p0, t)
    return host, matched, pri


@njit(inline="always")
def start_internship(p, M, E, host: int, matched: bool, t: int) -> None:
    p.state = INTERNSHIP
    p.ti_state = t
    p.intern_host = host
    p.ti_internship_end = t + M[p.municipality].internship_weeks
    p.matched_internship = matched
    if p.ti_first_internship < 0:
        p.ti_first_internship = t
    mark_contact(p, t)
    E[host].interns += 1
    E[host].interns_hosted += 1


@njit(cache=True)
def update_relationships(E, b) -> None:
    """Hosting interns builds the employer's relationship with the coaches; it fades without,
    toward the employer's base level."""
    for k in range(b.e0, b.e1):
        e = E[k]
        r = e.relationship + b.internships_relationship_gain_per_intern_week * e.interns
        r += b.internships_relationship_decay_per_week * (e.base_relationship - r)
        e.relationship = min(max(r, 0.0), 1.0)
