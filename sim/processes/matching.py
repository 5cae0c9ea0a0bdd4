"""Phase 4: matching. Own search, coaches and host-family networks make contacts with employers
(mechanism 3); extra work and agency work act as bridges (mechanism 5); each contact may end in a
hire (mechanism 2), at most as many per employer per week as it has open vacancies. Staffing
agencies hire on their criteria regardless of origin (mechanism 5); subsidised jobs are decided in
`hire_probability`: coach-brokered hires inside the national window (mechanism 6)."""

from __future__ import annotations

import numpy as np

from ..rng import binomial_from_uniform, hashed_uniform
from ..states import S, PRESENT, WORKING
from .choice import rank_within
from .hiring import (COACH, hire_probability,
                     mark_contact, start_jobs, within_vacancies)

# Rows of the weekly draw: 0-4 contact per route, 5-9 employer per route, 10-14 hire per route,
# then one row per use.
CONTACT, EMPLOYER, HIRE = 0, 5, 10
(TARGETING, PRIORITY, HOURS, EXTRA_WORK, AGENCY, APPLY, AGENCY_PRIORITY,
 AGENCY_HOURS, N_ROWS) = range(15, 24)


def matching(model, t: int) -> None:
    P, M, E, b = model.population, model.munis, model.employers, model.behaviour
    n = P.n_arrived
    if n == 0:
        return
    s = b.search
    # Always the same draws per person and week, whatever happens below (common random numbers).
    u = model.streams.block("matching", N_ROWS, n)  # rows: see the constants above
    st = P.state[:n]
    muni = P.municipality[:n]
    period = model.period
    avail = model.availability
    eng = P.engagement[:n]
    present = PRESENT[st]
    not_working = present & ~WORKING[st] & (st != S.EDUCATION)
    seeking = not_working & (P.plan_done[:n] | M.job_focus[muni])

    # Contact rates per route (per person per week), computed only for those who can make a
    # contact on the route (a contact needs u < p, and p is 0 elsewhere). The contacts come out
    # route by route, people in index order within a route, as np.nonzero of a (route, person)
    # mask would give them.
    sk = np.nonzero(seeking)[0]
    m_sk = muni[sk]
    avail_sk = avail[sk]
    offset_here = period[sk] & M.income_offset[m_sk]
    own_rate = (s.own_contacts_per_week * 2.0 * eng[sk] * avail_sk
                * np.where(M.job_focus[m_sk], s.job_focus_multiplier, 1.0)
                * np.where(offset_here, s.income_offset_multiplier, 1.0))
    n_seek = np.bincount(muni[seeking & period], minlength=M.n)
    coach_contacts = M.coaches * M.coach_share * s.coach_contacts_per_week
    coach_p = np.minimum(1.0, coach_contacts / np.maximum(n_seek, 1))[m_sk] * avail_sk * period[sk]
    n_present = np.bincount(muni[present], minlength=M.n)
    net_rate = M.host_families * s.network_contacts_per_family_week / np.maximum(n_present, 1)
    bridge = np.nonzero(seeking & P.extra_work[:n])[0]
    in_agency = np.nonzero(st == S.AGENCY_JOB)[0]
    p_bridge = np.full(len(bridge), b.jobs.extra_work_to_regular_per_week)
    p_agency = np.full(len(in_agency), b.jobs.agency_to_regular_per_week)
    routes = [(sk, 1.0 - np.exp(-own_rate)), (sk, coach_p),
              (sk, (1.0 - np.exp(-net_rate[m_sk])) * avail_sk), (bridge, p_bridge), (in_agency, p_agency)]
    whos = [idx[u[CONTACT + r, idx] < p] for r, (idx, p) in enumerate(routes)]
    who = np.concatenate(whos)
    route = np.repeat(np.arange(5), [len(w) for w in whos])

    # Which employer each contact reaches: weighted by open vacancies, in reach (commuting);
    # coaches target the person's own sector when they know it (early mapping, or a drawn-up plan).
    if len(who):
        vac = E.open_vacancies.astype(np.float64)
        m = muni[who].astype(np.int64)
        u_emp = u[EMPLOYER + route, who]
        emp = model.choosers.employer.choose(m, u_emp, vac)
        mapped = M.early_mapping[muni[who]]
        targeting = np.where(mapped, s.mapped_sector_targeting, s.unmapped_sector_targeting)
        targeted = (route == COACH) & (P.occupation[who] >= 0) & (u[TARGETING, who] < targeting)
        if targeted.any():
            key = m * model.n_sectors + np.maximum(P.occupation[who], 0)
            by_sector = model.choosers.employer_by_sector.choose(key, u_emp, vac)
            emp = np.where(targeted & (by_sector >= 0), by_sector, emp)
        keep = emp >= 0
        route, who, emp = route[keep], who[keep], emp[keep]
        p, subsidised = hire_probability(model, t, who, emp, route)
        success = u[HIRE + route, who] < p
        route, who, emp, subsidised = route[success], who[success], emp[success], subsidised[success]
        # One offer per person: the first route in the order own, coach, network, bridges.
        order = np.lexsort((route, who))
        route, who, emp, subsidised = route[order], who[order], emp[order], subsidised[order]
        first = np.ones(len(who), dtype=bool)
        first[1:] = who[1:] != who[:-1]
        route, who, emp, subsidised = route[first], who[first], emp[first], subsidised[first]
        ok = within_vacancies(emp, u[PRIORITY, who], E.open_vacancies)
        route, who, emp, subsidised = route[ok], who[ok], emp[ok], subsidised[ok]
        model.recorder.hires_by_route(route)
        start_jobs(model, t, who, emp, subsidised, u[HOURS, who])

    _extra_work(model, t, u, n, period)
    _agencies(model, t, u, n, period, avail)
    _vacancies_filled_by_others(model)


def _extra_work(model, t, u, n, period) -> None:
    """Evening and weekend work beside the programme: found by own search, worth less under
    income offset (seed 000, Falkenberg: the right to earn extra is often the way in)."""
    P, M, s, j = model.population, model.munis, model.behaviour.search, model.behaviour.jobs
    st = P.state[:n]
    has_all = P.extra_work[:n]
    elig_all = ((st == S.PROGRAMME) | (st == S.INTERNSHIP) | (st == S.PASSIVE)
                | (st == S.NO_SUPPORT)) & (P.swedish[:n] >= 0.2)
    # Only those eligible or with extra work now can start or stop.
    c = np.nonzero(elig_all | has_all)[0]
    eligible = elig_all[c]
    sc = st[c]
    offset_here = (period[c] & M.income_offset[P.municipality[c]]) | (sc == S.PASSIVE)
    p = (s.extra_work_per_week * 2.0 * P.engagement[c]
         * np.where(offset_here, s.extra_work_offset_multiplier, 1.0))
    has = has_all[c]
    uc = u[EXTRA_WORK, c]
    # One draw decides both starting (if without) and ending (if with) extra work.
    start = eligible & ~has & (uc < p)
    stop = has & ((uc < j.extra_work_end_per_week) | ~eligible)
    P.extra_work[c] = (has & ~stop) | start
    if start.any():
        mark_contact(P, c[start], t)


def _agencies(model, t, u, n, period, avail) -> None:
    """Staffing agencies hire people who meet their published criteria, regardless of origin."""
    A, P, M, b = model.agencies, model.population, model.munis, model.behaviour
    if A.n == 0:
        return
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
    own = 1.0 - np.exp(-b.search.own_contacts_per_week * b.search.agency_application_without_partnership
                       * 2.0 * P.engagement[who] * avail[who])
    applies = meets & (partner | (u[APPLY, who] < own))
    who, agency = who[applies], agency[applies]
    ok = rank_within(agency, u[AGENCY_PRIORITY, who]) < np.floor(A.credit[agency])
    who, agency = who[ok], agency[ok]
    if len(who) == 0:
        return
    h = b.hiring  # interns are not among the seekers here, so no internship to end
    P.state[who] = S.AGENCY_JOB
    P.ti_state[who] = t
    P.agency[who] = agency
    P.employer[who] = -1
    P.extra_work[who] = False
    part = u[AGENCY_HOURS, who] < np.where(P.female[who], h.part_time_share_female, h.part_time_share_male)
    P.job_hours[who] = np.where(part, A.hours[agency] * h.part_time_hours_share, A.hours[agency])
    P.hourly_wage[who] = model.config.national.hourly_wage_sek
    first = P.ti_first_job[who] < 0
    P.ti_first_job[who[first]] = t
    mark_contact(P, who, t)
    counts = np.bincount(agency, minlength=A.n)
    A.credit -= counts
    A.hires += counts


def _vacancies_filled_by_others(model) -> None:
    """Open vacancies not taken by a refugee this week may go to someone else."""
    E, M = model.employers, model.munis
    if E.n == 0:
        return
    # Only employers with open vacancies can lose some; draws are keyed by employer, so drawing
    # for these alone gives each of them the same number.
    e = np.nonzero(E.open_vacancies > 0)[0]
    if len(e) == 0:
        return
    p = M.fill_by_others[E.municipality[e]]
    u = hashed_uniform(model.seed, "vacancies", E.keys[e], model.t)
    taken = binomial_from_uniform(u, E.open_vacancies[e], p)
    E.open_vacancies[e] -= taken.astype(np.int32)
