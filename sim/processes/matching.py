"""Phase 4: matching. Own search (in the time the programme leaves), coaches (a caseload) and
host-family networks make contacts with employers (mechanism 3); extra work and agency assignments
are bridges that raise the odds of a hire (mechanism 5); the employer accepts or not (mechanism 2,
`hiring.acceptance`); an accepted newcomer then competes for the vacancy with the other job seekers
of the local labour market (`hiring.win_against_others`), at most as many hires per employer and
week as it has open vacancies. Staffing agencies hire on their criteria regardless of origin
(mechanism 5). Others then fill what is left of the vacancies.
"""

from __future__ import annotations

import numpy as np

from ..rng import binomial_from_uniform, hashed_uniform
from ..states import PRESENT, WORKING, S
from .choice import rank_within
from .hiring import (
    AGENCY_BRIDGE,
    COACH,
    EXTRA_WORK_BRIDGE,
    NETWORK,
    OWN,
    acceptance,
    began_work,
    mark_contact,
    start_jobs,
    win_against_others,
    within_subsidy_caps,
    within_vacancies,
)
from .search import coach_contacts, search_effort, time_for_search

N_ROUTES = 5
# Rows of the weekly draw: a contact per route (the coach route's row is the coach's order of
# seekers), the employer reached per route, the employer's decision per route; then one row per use.
CONTACT, EMPLOYER, HIRE = 0, N_ROUTES, 2 * N_ROUTES
(TARGETING, PRIORITY, HOURS, EXTRA_WORK, AGENCY, APPLY, AGENCY_PRIORITY, AGENCY_HOURS, COMPETE,
 N_ROWS) = range(3 * N_ROUTES, 3 * N_ROUTES + 10)


def others_per_vacancy(model) -> np.ndarray:
    """Other job seekers' applications per open vacancy this week, per municipality (`a` of the
    urn-ball matching function; behaviour.competition)."""
    M, E = model.munis, model.employers
    open_by_muni = np.bincount(E.municipality, weights=E.open_vacancies, minlength=M.n)
    flow = M.other_job_seekers * model.behaviour.competition.applications_per_unemployed_week
    return flow / np.maximum(open_by_muni, 1.0)


def matching(model, week) -> None:
    # No early return when no one has arrived yet: coaches' and agencies' credit and the vacancies
    # others take move every week, whoever is there (and a world in a batch sees the same).
    # Always the same draws per person and week, whatever happens below (common random numbers).
    u = model.streams.block("matching", N_ROWS, week.n)
    a = others_per_vacancy(model)
    who, route = _contacts(model, week, u)
    model.recorder.contacts_by_route(route, who)
    if len(who):
        _hire(model, week, u, who, route, a)
    _extra_work(model, week, u)
    _agencies(model, week, u)
    _others_fill_vacancies(model, week.t, a)


def _contacts(model, week, u) -> tuple[np.ndarray, np.ndarray]:
    """This week's contacts with employers, route by route, people in index order within a route."""
    P, M, s = model.population, model.munis, model.behaviour.search
    n = week.n
    st = P.state[:n]
    muni = P.municipality[:n]
    present = PRESENT[st]
    not_working = present & ~WORKING[st] & (st != S.EDUCATION)
    seeking = not_working & (P.plan_done[:n] | M.job_focus[muni])
    sk = np.nonzero(seeking)[0]
    avail = week.availability[sk]
    own_rate = (s.own_contacts_per_week * search_effort(P.engagement[sk], s)
                * time_for_search(model, week, sk) * avail)
    coached = coach_contacts(model, week, sk, u[CONTACT + COACH, sk])
    n_present = np.bincount(muni[present], minlength=M.n)
    net_rate = (M.host_families * s.network_contacts_per_family_week / np.maximum(n_present, 1))[muni[sk]]
    j = model.behaviour.jobs
    bridge = np.nonzero(seeking & P.extra_work[:n])[0]
    in_agency = np.nonzero(st == S.AGENCY_JOB)[0]
    routes = {
        OWN: (sk, u[CONTACT + OWN, sk] < -np.expm1(-own_rate)),
        COACH: (sk, coached),
        NETWORK: (sk, u[CONTACT + NETWORK, sk] < -np.expm1(-net_rate) * avail),
        EXTRA_WORK_BRIDGE: (bridge, u[CONTACT + EXTRA_WORK_BRIDGE, bridge] < j.extra_work_bridge_contacts_per_week),
        AGENCY_BRIDGE: (in_agency, u[CONTACT + AGENCY_BRIDGE, in_agency] < j.agency_bridge_contacts_per_week),
    }
    whos = [idx[made] for idx, made in routes.values()]
    who = np.concatenate(whos)
    route = np.repeat(np.array(list(routes)), [len(w) for w in whos])
    return who, route


def _hire(model, week, u, who, route, a) -> None:
    P, M, E, s, t = model.population, model.munis, model.employers, model.behaviour.search, week.t
    # Which employer each contact reaches: weighted by open vacancies, in reach (commuting);
    # coaches target the person's own sector when they know it (early mapping, or a plan).
    vac = E.open_vacancies.astype(np.float64)
    m = P.municipality[who].astype(np.int64)
    u_emp = u[EMPLOYER + route, who]
    emp = model.choosers.employer.choose(m, u_emp, vac)
    targeting = np.where(M.early_mapping[m], s.mapped_sector_targeting, s.unmapped_sector_targeting)
    targeted = (route == COACH) & (P.occupation[who] >= 0) & (u[TARGETING, who] < targeting)
    if targeted.any():
        key = m * model.n_sectors + np.maximum(P.occupation[who], 0)
        by_sector = model.choosers.employer_by_sector.choose(key, u_emp, vac)
        emp = np.where(targeted & (by_sector >= 0), by_sector, emp)
    keep = emp >= 0
    route, who, emp = route[keep], who[keep], emp[keep]
    acc = acceptance(model, t, who, emp, route)
    u_hire = u[HIRE + route, who]
    accepted = u_hire < acc.p
    # One offer per person: the first accepted route in the order own, coach, network, bridges.
    order = np.lexsort((route, who))
    order = order[accepted[order]]
    first = np.ones(len(order), dtype=bool)
    first[1:] = who[order][1:] != who[order][:-1]
    pick = order[first]
    route, who, emp, u_hire = route[pick], who[pick], emp[pick], u_hire[pick]
    p_unsubsidised, nystartsjobb, subsidised = acc.p_unsubsidised[pick], acc.nystartsjobb[pick], acc.subsidised[pick]
    # A subsidised hire beyond the employer's places this year happens only if it would have
    # without the subsidy (the same draw), and is then an ordinary hire.
    capped = ~within_subsidy_caps(model, emp, subsidised, u[PRIORITY, who])
    ok = ~capped | (u_hire < p_unsubsidised)
    subsidised &= ~capped
    # The vacancy goes to the newcomer or to one of the other applicants (urn-ball).
    ok &= u[COMPETE, who] < win_against_others(a[E.municipality[emp]])
    ok[ok] = within_vacancies(emp[ok], u[PRIORITY, who[ok]], E.open_vacancies)
    would_anyway = u_hire < p_unsubsidised
    model.recorder.instruments(nystartsjobb & ok, subsidised & ok, would_anyway & ok, who)
    route, who, emp, subsidised = route[ok], who[ok], emp[ok], subsidised[ok]
    model.recorder.hires_by_route(route, who)
    E.take_vacancies(emp)
    start_jobs(model, t, who, emp, subsidised, u[HOURS, who])


def _extra_work(model, week, u) -> None:
    """Evening and weekend work beside the programme: found by own search, worth less (and so
    rarer) under income offset or means-tested assistance (Välkommen till jobbet! 2007,
    Falkenberg: the right to earn extra is often the way in)."""
    P, M, s, j = model.population, model.munis, model.behaviour.search, model.behaviour.jobs
    n = week.n
    st = P.state[:n]
    has_all = P.extra_work[:n]
    elig_all = (((st == S.PROGRAMME) | (st == S.INTERNSHIP) | (st == S.PASSIVE) | (st == S.NO_SUPPORT))
                & (P.swedish[:n] >= s.extra_work_min_swedish))
    # Only those eligible or with extra work now can start or stop.
    c = np.nonzero(elig_all | has_all)[0]
    eligible = elig_all[c]
    sc = st[c]
    offset_here = (week.period[c] & M.income_offset[P.municipality[c]]) | (sc == S.PASSIVE)
    p = (model.param("search.extra_work_per_week", c, np.float32) * search_effort(P.engagement[c], s)
         * np.where(offset_here, s.extra_work_offset_multiplier, 1.0))
    has = has_all[c]
    uc = u[EXTRA_WORK, c]
    # One draw decides both starting (if without) and ending (if with) extra work.
    start = eligible & ~has & (uc < p)
    stop = has & ((uc < j.extra_work_end_per_week) | ~eligible)
    P.extra_work[c] = (has & ~stop) | start
    if start.any():
        mark_contact(P, c[start], week.t)


def _agencies(model, week, u) -> None:
    """Staffing agencies hire people who meet their published criteria, regardless of origin."""
    A, P, M, b, t = model.agencies, model.population, model.munis, model.behaviour, week.t
    if A.n == 0:
        return
    n = week.n
    st = P.state[:n]
    muni = P.municipality[:n]
    A.credit = np.minimum(A.credit + A.hires_per_week, np.maximum(A.hires_per_week * 4, 1.0))
    seeking = (PRESENT[st] & ~WORKING[st] & (st != S.EDUCATION) & (st != S.INTERNSHIP)
               & (P.plan_done[:n] | M.job_focus[muni]))
    # Only those who meet the least demanding agency's criteria can be hired below (`meets`);
    # the choice of agency is per person, so leaving the rest out changes no one's draw or result.
    seeking &= ((P.swedish[:n] >= A.min_swedish.min()) & (P.engagement[:n] >= A.min_engagement.min())
                & (P.education[:n] >= A.min_education.min()))
    who = np.nonzero(seeking)[0]
    if len(who) == 0:
        return
    agency = model.choosers.agency.choose(muni[who].astype(np.int64), u[AGENCY, who], A.credit)
    keep = agency >= 0
    who, agency = who[keep], agency[keep]
    meets = ((P.swedish[who] >= A.min_swedish[agency]) & (P.engagement[who] >= A.min_engagement[agency])
             & (P.education[who] >= A.min_education[agency]))
    # With a partnership, coaches refer everyone who meets the criteria; otherwise only the
    # person's own applications reach the agency.
    partner = A.partner[agency, muni[who]]
    own = -np.expm1(-b.search.own_contacts_per_week * b.search.agency_application_without_partnership
                    * search_effort(P.engagement[who], b.search) * week.availability[who])
    applies = meets & (partner | (u[APPLY, who] < own))
    who, agency = who[applies], agency[applies]
    ok = rank_within(agency, u[AGENCY_PRIORITY, who]) < np.floor(A.credit[agency])
    who, agency = who[ok], agency[ok]
    if len(who) == 0:
        return
    h = b.hiring  # interns are not among the seekers here, so no internship to end
    P.state[who] = S.AGENCY_JOB
    P.agency[who] = agency
    P.employer[who] = -1
    part = u[AGENCY_HOURS, who] < np.where(P.female[who], h.part_time_share_female, h.part_time_share_male)
    P.job_hours[who] = np.where(part, A.hours[agency] * h.part_time_hours_share, A.hours[agency])
    P.hourly_wage[who] = model.config.national.hourly_wage_sek
    began_work(model, t, who)
    counts = np.bincount(agency, minlength=A.n)
    A.credit -= counts
    A.hires += counts


def _others_fill_vacancies(model, t: int, a: np.ndarray) -> None:
    """Each vacancy still open is taken by one of its other applicants if it had any this week
    (chance 1 - exp(-a) under the urn-ball matching function)."""
    E, M = model.employers, model.munis
    e = np.nonzero(E.open_vacancies > 0)[0]
    if len(e) == 0:
        return
    k = E.municipality[e]
    # Draws keyed by employer, so drawing for these alone gives each of them the same number.
    u = hashed_uniform(E.seeds(e), "vacancies", E.keys[e], t)
    taken = binomial_from_uniform(u, E.open_vacancies[e], -np.expm1(-a[k]))
    E.open_vacancies[e] -= taken.astype(np.int32)
    model.recorder.hires_by_others(np.bincount(k, weights=taken, minlength=M.n))
