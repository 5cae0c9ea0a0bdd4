"""Phase 4: matching. Own search (in the time the programme leaves), coaches (a caseload) and
host-family networks make contacts with employers (mechanism 3); extra work and agency assignments
are bridges that raise the odds of a hire (mechanism 5); the employer accepts or not (mechanism 2,
`hiring.acceptance`); an accepted newcomer then competes for the vacancy with the other job seekers
of the local labour market (`hiring.win_against_others`), at most as many hires per employer and
week as it has open vacancies. Staffing agencies hire on their criteria regardless of origin
(mechanism 5, `agencies.py`). Others then fill what is left of the vacancies.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from ..rng import (
    MATCHING_COMPETE,
    MATCHING_CONTACT,
    MATCHING_EMPLOYER,
    MATCHING_EXTRA_WORK,
    MATCHING_HIRE,
    MATCHING_HOURS,
    MATCHING_PRIORITY,
    MATCHING_TARGETING,
    VACANCIES,
    binomial,
    uniform,
)
from ..states import (
    AGENCY_BRIDGE,
    AGENCY_JOB,
    COACH,
    EDUCATION,
    EXTRA_WORK_BRIDGE,
    INTERNSHIP,
    NETWORK,
    NO_SUPPORT,
    OWN,
    PASSIVE,
    PRESENT,
    PROGRAMME,
    WORKING,
)
from ..config.schema import SECTORS
from ..tables import Batch
from .agencies import agencies
from .choice import choose, cumulate, first_by_priority
from .hiring import acceptance, mark_contact, start_job, take_vacancy, win_against_others
from .internships import record_instruments, subsidy_caps
from .programme import availability, in_period
from .search import coach_contacts, search_effort, time_for_search

N_SECTORS = len(SECTORS)

N_CONTACT_ROUTES = 5  # routes a contact comes by in matching (conversions are the internships')


@njit(cache=True)
def matching(B: Batch, n_worlds: int, t: int) -> None:
    # No early return when no one has arrived yet: coaches' and agencies' credit and the vacancies
    # others take move every week, whoever is there.
    woy = B.week_of_year[t]
    for w in range(n_worlds):
        b = B.worlds[w]
        a = others_per_vacancy(B.munis, B.employers, b)
        seekers, contacts = make_contacts(B.people, B.munis, b, t, woy)
        hire(B, w, b, t, seekers, contacts, a)
        extra_work(B.people, B.munis, b, t)
        agencies(B, w, b, t)
        others_fill_vacancies(B.munis, B.employers, b, t, a)


@njit(cache=True)
def others_per_vacancy(M, E, b) -> np.ndarray:
    """Other job seekers' applications per open vacancy this week, per municipality of the world
    (`a` of the urn-ball matching function; behaviour.competition)."""
    open_by_muni = np.zeros(b.k1 - b.k0)
    for e in range(b.e0, b.e1):
        open_by_muni[E[e].municipality - b.k0] += E[e].open_vacancies
    a = np.empty(b.k1 - b.k0)
    for k in range(b.k0, b.k1):
        flow = M[k].other_job_seekers * b.competition_applications_per_unemployed_week
        a[k - b.k0] = flow / max(open_by_muni[k - b.k0], 1.0)
    return a


@njit(inline="always")
def _may_seek(p, M) -> int:
    """2 for someone in agency work (the agency bridge), 1 for someone who may contact employers
    (present, not in paid work or education, past their plan or with a job focus), else 0."""
    s = p.state
    if s == AGENCY_JOB:
        return 2
    if PRESENT[s] and not WORKING[s] and s != EDUCATION and (p.plan_done or M[p.municipality].job_focus):
        return 1
    return 0


@njit(cache=True)
def make_contacts(P, M, b, t: int, woy: int) -> tuple[np.ndarray, np.ndarray]:
    """This week's contacts with employers: for each seeker (in agency work or searching), whether
    a contact is made by each route (own search, a coach, the host-family network, extra work, an
    agency assignment)."""
    n_present = np.zeros(b.k1 - b.k0)
    n = 0
    for i in range(b.p0, b.p0 + b.arrived):
        if PRESENT[P[i].state]:
            n_present[P[i].municipality - b.k0] += 1.0
        n += _may_seek(P[i], M) > 0
    seekers = np.empty(n, np.int64)
    priority = np.empty(n)
    k = 0
    for i in range(b.p0, b.p0 + b.arrived):
        kind = _may_seek(P[i], M)
        if kind > 0:
            seekers[k] = i
            # In agency work: not among the coaches' seekers (an empty priority never comes first).
            priority[k] = (uniform(b.seed, MATCHING_CONTACT + COACH, i - b.p0, t) / max(availability(P[i], M, b, t), 1e-3)
                           if kind == 1 else np.inf)
            k += 1
    coached = np.empty(n, np.bool_)
    searching = np.empty(n, np.int64)
    j = 0
    for k in range(n):
        if priority[k] < np.inf:
            searching[j] = k
            j += 1
    searching = searching[:j]
    ranked = np.empty(j, np.bool_)
    coach_contacts(P, M, b, seekers[searching], priority[searching], t, ranked)
    for k in range(n):
        coached[k] = False
    for k in range(j):
        coached[searching[k]] = ranked[k]
    contacts = np.zeros((n, N_CONTACT_ROUTES), np.bool_)
    for k in range(n):
        _routes(P[seekers[k]], M, b, seekers[k] - b.p0, t, woy, priority[k] < np.inf, coached[k], n_present,
                contacts[k])
    return seekers, contacts


@njit(cache=True)
def _routes(p, M, b, who: int, t: int, woy: int, searching: bool, coached: bool, n_present, made) -> None:
    """Which routes give person p a contact this week (made[route]); counted by route."""
    if not searching:  # in agency work: a bridge to the agency's client employers
        made[AGENCY_BRIDGE] = uniform(b.seed, MATCHING_CONTACT + AGENCY_BRIDGE, who, t) < b.jobs_agency_bridge_contacts_per_week
    else:
        avail = availability(p, M, b, t)
        own_rate = (b.search_own_contacts_per_week * search_effort(b, p.engagement)
                    * time_for_search(p, M, b, t, woy) * avail)
        made[OWN] = uniform(b.seed, MATCHING_CONTACT + OWN, who, t) < -math.expm1(-own_rate)
        made[COACH] = coached
        m = p.municipality
        net_rate = M[m].host_families * b.search_network_contacts_per_family_week / max(n_present[m - b.k0], 1.0)
        made[NETWORK] = uniform(b.seed, MATCHING_CONTACT + NETWORK, who, t) < -math.expm1(-net_rate) * avail
        if p.extra_work:
            u = uniform(b.seed, MATCHING_CONTACT + EXTRA_WORK_BRIDGE, who, t)
            made[EXTRA_WORK_BRIDGE] = u < b.jobs_extra_work_bridge_contacts_per_week
    for r in range(N_CONTACT_ROUTES):
        if made[r]:
            b.contacts_route[r] += 1


@njit(cache=True)
def _employer_reached(B: Batch, b, p, who: int, route: int, cum, cum_sector, t: int) -> int:
    """Which employer a contact reaches: weighted by open vacancies, in reach (commuting); coaches
    target the person's own sector when they know it (early mapping, or a plan)."""
    m = p.municipality
    u = uniform(b.seed, MATCHING_EMPLOYER + route, who, t)
    pair = choose(B.employer_start, cum, m, u)
    emp = B.employer_target[pair] if pair >= 0 else -1
    if route == COACH and p.occupation >= 0:
        targeting = b.search_mapped_sector_targeting if B.munis[m].early_mapping else b.search_unmapped_sector_targeting
        if uniform(b.seed, MATCHING_TARGETING, who, t) < targeting:
            pair = choose(B.sector_start, cum_sector, m * N_SECTORS + p.occupation, u)
            if pair >= 0:
                emp = B.sector_target[pair]
    return emp


@njit(cache=True)
def _offers(B: Batch, b, seekers, contacts, vacancies, t: int):
    """Each seeker's offer, if any: the first route whose contact reaches an employer that accepts.
    Returns (who, employer, route, subsidised, nystartsjobb, the decision's draw, the chance
    without the instruments)."""
    P, E = B.people, B.employers
    cum = np.zeros(len(B.employer_target))
    cumulate(B.employer_start, B.employer_target, vacancies, b.k0, b.k1, cum)
    cum_sector = np.zeros(len(B.sector_target))
    cumulate(B.sector_start, B.sector_target, vacancies, b.k0 * N_SECTORS, b.k1 * N_SECTORS, cum_sector)
    n = len(seekers)
    who, emp, route = np.empty(n, np.int64), np.empty(n, np.int64), np.empty(n, np.int64)
    subsidised, nystartsjobb = np.empty(n, np.bool_), np.empty(n, np.bool_)
    u_hire, p_unsubsidised = np.empty(n), np.empty(n)
    k = 0
    for j in range(n):
        i = seekers[j]
        p = P[i]
        for r in range(N_CONTACT_ROUTES):
            if not contacts[j, r]:
                continue
            e = _employer_reached(B, b, p, i - b.p0, r, cum, cum_sector, t)
            if e < 0:
                continue
            chance, chance0, sub, nys = acceptance(p, E[e], p.last_host == e, b, r, 0.0, t)
            u = uniform(b.seed, MATCHING_HIRE + r, i - b.p0, t)
            if u < chance:
                who[k], emp[k], route[k], subsidised[k], nystartsjobb[k] = i, e, r, sub, nys
                u_hire[k], p_unsubsidised[k] = u, chance0
                k += 1
                break
    return who[:k], emp[:k], route[:k], subsidised[:k], nystartsjobb[:k], u_hire[:k], p_unsubsidised[:k]


@njit(cache=True)
def hire(B: Batch, w: int, b, t: int, seekers, contacts, a) -> None:
    """One offer a person at most (the first accepted route, in the order own, coach, network,
    bridges); subsidised places and open vacancies go by priority; the vacancy goes to the newcomer
    or to one of the other applicants (urn-ball)."""
    P, E = B.people, B.employers
    vacancies = np.zeros(len(E))
    for e in range(b.e0, b.e1):
        vacancies[e] = E[e].open_vacancies
    who, emp, route, subsidised, nystartsjobb, u_hire, p_unsubsidised = _offers(B, b, seekers, contacts, vacancies, t)
    n = len(who)
    priority = np.empty(n)
    for k in range(n):
        priority[k] = uniform(b.seed, MATCHING_PRIORITY, who[k] - b.p0, t)
    # A subsidised hire beyond the employer's places this year happens only if it would have
    # without the subsidy (the same draw), and is then an ordinary hire.
    within = subsidy_caps(E, b, emp, subsidised, priority)
    group = np.empty(n, np.int64)
    n_groups = b.e1 - b.e0
    for k in range(n):
        ok = within[k] or u_hire[k] < p_unsubsidised[k]
        subsidised[k] = subsidised[k] and within[k]
        if ok:
            ok = uniform(b.seed, MATCHING_COMPETE, who[k] - b.p0, t) < win_against_others(a[E[emp[k]].municipality - b.k0])
        group[k] = emp[k] - b.e0 if ok else n_groups  # not hired: a group of its own
    room = np.zeros(n_groups + 1)
    for e in range(b.e0, b.e1):
        room[e - b.e0] = vacancies[e]
    fits = np.empty(n, np.bool_)
    first_by_priority(group, priority, room, n_groups + 1, fits)
    for k in range(n):
        if group[k] == n_groups or not fits[k]:
            continue
        record_instruments(b, nystartsjobb[k], subsidised[k], u_hire[k] < p_unsubsidised[k])
        b.hires_route[route[k]] += 1
        take_vacancy(E[emp[k]])
        u_hours = uniform(b.seed, MATCHING_HOURS, who[k] - b.p0, t)
        start_job(P, E, w, b, who[k], emp[k], subsidised[k], u_hours, t, B.internships_ended, B.jobs_after_internship)


@njit(cache=True)
def extra_work(P, M, b, t: int) -> None:
    """Evening and weekend work beside the programme: found by own search, worth less (and so
    rarer) under income offset or means-tested assistance (Välkommen till jobbet! 2007,
    Falkenberg: the right to earn extra is often the way in). One draw decides both starting (if
    without) and ending (if with)."""
    for i in range(b.p0, b.p0 + b.arrived):
        p = P[i]
        s = p.state
        has = p.extra_work
        eligible = ((s == PROGRAMME or s == INTERNSHIP or s == PASSIVE or s == NO_SUPPORT)
                    and p.swedish >= b.search_extra_work_min_swedish)
        if not (eligible or has):
            continue
        u = uniform(b.seed, MATCHING_EXTRA_WORK, i - b.p0, t)
        if has:
            p.extra_work = not (u < b.jobs_extra_work_end_per_week or not eligible)
            continue
        offset_here = (in_period(p, M, t) and M[p.municipality].income_offset) or s == PASSIVE
        chance = b.search_extra_work_per_week * search_effort(b, p.engagement)
        if offset_here:
            chance *= b.search_extra_work_offset_multiplier
        if u < chance:
            p.extra_work = True
            mark_contact(p, t)


@njit(cache=True)
def others_fill_vacancies(M, E, b, t: int, a) -> None:
    """Each vacancy still open is taken by one of its other applicants if it had any this week
    (chance 1 - exp(-a) under the urn-ball matching function); draws keyed by employer."""
    for k in range(b.e0, b.e1):
        e = E[k]
        if e.open_vacancies <= 0:
            continue
        u = uniform(b.seed, VACANCIES, e.keys, t)
        taken = binomial(u, e.open_vacancies, -math.expm1(-a[e.municipality - b.k0]))
        e.open_vacancies -= taken
        M[e.municipality].other_hires += taken
