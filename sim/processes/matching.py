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

from ..config.schema import SECTORS
from ..rng import (
    MATCHING_COMPETE,
    MATCHING_CONTACT,
    MATCHING_EMPLOYER,
    MATCHING_HIRE,
    MATCHING_HOURS,
    MATCHING_PRIORITY,
    MATCHING_TARGETING,
    VACANCIES,
    VACANCIES_LAPSE,
    binomial,
    uniform,
)
from ..states import (
    AGENCY_BRIDGE,
    AGENCY_JOB,
    COACH,
    EDUCATION,
    EXTRA_WORK_BRIDGE,
    NETWORK,
    OWN,
    PRESENT,
    WORKING,
)
from ..tables import Batch
from .agencies import agencies
from .choice import caseload, choose, cumulate, first_by_priority
from .hiring import acceptance, start_job, take_vacancy, win_against_others
from .internships import record_instruments, subsidy_caps
from .programme import availability
from .search import coach_contacts, search_effort, time_for_search

N_SECTORS = len(SECTORS)

N_CONTACT_ROUTES = 5  # routes a contact comes by in matching (conversions are the internships')


@njit(cache=True, nogil=True)
def matching(B: Batch, first: int, last: int, t: int) -> None:
    # No early return when no one has arrived yet: coaches' and agencies' credit and the vacancies
    # others take move every week, whoever is there.
    woy = B.week_of_year[t]
    for w in range(first, last):
        b = B.worlds[w]
        a = others_per_vacancy(B.munis, B.employers, b)
        seekers, contacts = make_contacts(B.people, B.munis, b, t, woy, B.listed)
        hire(B, w, b, t, seekers, contacts, a)
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
def _may_seek(p, m) -> int:
    """2 for someone in agency work (the agency bridge), 1 for someone who may contact employers
    (present, not in paid work or education, past their plan or with a job focus), else 0."""
    s = p.state
    if s == AGENCY_JOB:
        return 2
    if PRESENT[s] and not WORKING[s] and s != EDUCATION and (p.plan_done or m.job_focus):
        return 1
    return 0


@njit(cache=True)
def make_contacts(P, M, b, t: int, woy: int, listed) -> tuple[np.ndarray, np.ndarray]:
    """This week's contacts with employers: for each seeker (in agency work or searching), the
    routes by which a contact is made (bits 1 << route: own search, a coach, the host-family network,
    extra work, an agency assignment)."""
    n_present = np.zeros(b.k1 - b.k0)
    n = 0
    for i in range(b.p0, b.p0 + b.arrived):
        p = P[i]
        if PRESENT[p.state]:
            n_present[p.municipality - b.k0] += 1.0
            if _may_seek(p, M[p.municipality]) > 0:
                listed[b.p0 + n] = i
                n += 1
    seekers = listed[b.p0:b.p0 + n]
    priority = np.empty(n)
    for k in range(n):
        i = seekers[k]
        # In agency work: not among the coaches' seekers (an empty priority never comes first).
        avail = availability(P[i], M[P[i].municipality], b, t)
        priority[k] = (uniform(b.seed, MATCHING_CONTACT + COACH, i - b.p0, t) / max(avail, 1e-3)
                       if P[i].state != AGENCY_JOB else np.inf)
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
    contacts = np.empty(n, np.int64)
    for k in range(n):
        p = P[seekers[k]]
        contacts[k] = _routes(p, M[p.municipality], b, seekers[k] - b.p0, t, woy, priority[k] < np.inf, coached[k],
                              n_present[p.municipality - b.k0])
    return seekers, contacts


@njit(inline="always")
def _routes(p, m, b, who: int, t: int, woy: int, searching: bool, coached: bool, n_present: float) -> int:
    """The routes that give person p a contact this week, as bits (1 << route); counted by route."""
    made = 0
    if not searching:  # in agency work: a bridge to the agency's client employers
        if uniform(b.seed, MATCHING_CONTACT + AGENCY_BRIDGE, who, t) < b.jobs_agency_bridge_contacts_per_week:
            made |= 1 << AGENCY_BRIDGE
    else:
        avail = availability(p, m, b, t)
        own_rate = (b.search_own_contacts_per_week * search_effort(b, p.engagement)
                    * time_for_search(p, m, b, t, woy) * avail)
        if uniform(b.seed, MATCHING_CONTACT + OWN, who, t) < -math.expm1(-own_rate):
            made |= 1 << OWN
        if coached:
            made |= 1 << COACH
        if m.host_families > 0:
            # The families' contacts shared among the present, saturating per person (choice.caseload).
            net_rate = caseload(m.host_families * b.search_network_contacts_per_family_week, max(n_present, 1.0),
                                b.search_network_contacts_most_per_person_week) / max(n_present, 1.0)
            if uniform(b.seed, MATCHING_CONTACT + NETWORK, who, t) < -math.expm1(-net_rate) * avail:
                made |= 1 << NETWORK
        if p.extra_work:
            if uniform(b.seed, MATCHING_CONTACT + EXTRA_WORK_BRIDGE, who, t) < b.jobs_extra_work_bridge_contacts_per_week:
                made |= 1 << EXTRA_WORK_BRIDGE
    if made:
        for r in range(N_CONTACT_ROUTES):
            if made & (1 << r):
                b.contacts_route[r] += 1
    return made


@njit(inline="always")
def _employer_reached(reach, M, b, p, who: int, route: int, cum, cum_sector, t: int) -> int:
    """Which employer a contact reaches: weighted by open vacancies, in reach (commuting); coaches
    target the person's own sector when they know it (early mapping, or a plan)."""
    es, et, ss, st = reach
    m = p.municipality
    u = uniform(b.seed, MATCHING_EMPLOYER + route, who, t)
    pair = choose(es, cum, es[b.k0], m, u)
    emp = et[pair] if pair >= 0 else -1
    if route == COACH and p.occupation >= 0:
        targeting = b.search_mapped_sector_targeting if M[m].early_mapping else b.search_unmapped_sector_targeting
        if uniform(b.seed, MATCHING_TARGETING, who, t) < targeting:
            pair = choose(ss, cum_sector, ss[b.k0 * N_SECTORS], m * N_SECTORS + p.occupation, u)
            if pair >= 0:
                emp = st[pair]
    return emp


@njit(cache=True)
def _offers(B: Batch, b, seekers, contacts, vacancies, t: int):
    """Each seeker's offer, if any: the first route whose contact reaches an employer that accepts.
    Returns (who, employer, route, subsidised, nystartsjobb, the decision's draw, the chance
    without the instruments)."""
    P, M, E = B.people, B.munis, B.employers
    reach = (B.employer_start, B.employer_target, B.sector_start, B.sector_target)
    cum = cumulate(reach[0], reach[1], vacancies, b.e0, b.k0, b.k1)
    cum_sector = cumulate(reach[2], reach[3], vacancies, b.e0, b.k0 * N_SECTORS, b.k1 * N_SECTORS)
    n = len(seekers)
    who, emp, route = np.empty(n, np.int64), np.empty(n, np.int64), np.empty(n, np.int64)
    subsidised, nystartsjobb = np.empty(n, np.bool_), np.empty(n, np.bool_)
    u_hire, p_unsubsidised = np.empty(n), np.empty(n)
    k = 0
    for j in range(n):
        i = seekers[j]
        p = P[i]
        for r in range(N_CONTACT_ROUTES):
            if not contacts[j] & (1 << r):
                continue
            e = _employer_reached(reach, M, b, p, i - b.p0, r, cum, cum_sector, t)
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
    P, E, ended, after = B.people, B.employers, B.internships_ended, B.jobs_after_internship
    vacancies = np.empty(b.e1 - b.e0)
    for e in range(b.e0, b.e1):
        vacancies[e - b.e0] = E[e].open_vacancies
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
    for e in range(n_groups):
        room[e] = vacancies[e]
    fits = np.empty(n, np.bool_)
    first_by_priority(group, priority, room, n_groups + 1, fits)
    for k in range(n):
        if group[k] == n_groups or not fits[k]:
            continue
        record_instruments(b, nystartsjobb[k], subsidised[k], u_hire[k] < p_unsubsidised[k])
        b.hires_route[route[k]] += 1
        take_vacancy(E[emp[k]])
        # Demand answers supply: a share of a newcomer's hire is a job that would not otherwise
        # exist (behaviour.competition.new_job_share), posted again as a vacancy.
        E[emp[k]].vacancy_credit += b.competition_new_job_share
        u_hours = uniform(b.seed, MATCHING_HOURS, who[k] - b.p0, t)
        start_job(P, E, w, b, who[k], emp[k], subsidised[k], u_hours, t, ended, after)


@njit(cache=True)
def others_fill_vacancies(M, E, b, t: int, a) -> None:
    """Each vacancy still open is taken by one of its other applicants if it had any this week
    (chance 1 - exp(-a) under the urn-ball matching function), and what is left may lapse; draws
    keyed by employer."""
    for k in range(b.e0, b.e1):
        e = E[k]
        if e.open_vacancies <= 0:
            continue
        u = uniform(b.seed, VACANCIES, e.keys, t)
        taken = binomial(u, e.open_vacancies, -math.expm1(-a[e.municipality - b.k0]))
        e.open_vacancies -= taken
        M[e.municipality].other_hires += taken
        # A vacancy no one here took lapses (filled through channels outside the model, or
        # withdrawn) after `vacancy_open_weeks` on average: the stock of open vacancies stays near
        # the flow times that, so a slack market does not pile up vacancies without end.
        lapse = binomial(uniform(b.seed, VACANCIES_LAPSE, e.keys, t), e.open_vacancies,
                         1.0 / max(b.competition_vacancy_open_weeks, 1.0))
        e.open_vacancies -= lapse
