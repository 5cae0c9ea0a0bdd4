"""Phase 3: internships (praktik). Cycles that end turn into a hire at the host or a return to the
programme; coordinators (limited capacity) and the person's own search place people at willing
employers; hosting builds the employer's relationship with the coaches. Mechanisms 2, 3 and 6."""

from __future__ import annotations

import numpy as np

from .._numpy import clip
from ..states import S
from .choice import in_sorted, rank_within
from .hiring import CONVERSION, acceptance, end_internship, mark_contact, start_jobs, within_subsidy_caps
from .search import search_effort

# Rows of the weekly draw.
CONVERT, CONVERT_PRIORITY, CONVERT_HOURS, PLACEMENT_PRIORITY, OWN_PLACEMENT, HOST, HOST_PRIORITY, N_ROWS = range(8)


def internships(model, week) -> None:
    # No early return when no one has arrived yet: coordinators' credit and employers'
    # relationships move every week, whoever is there (and a world in a batch sees the same).
    u = model.streams.block("internships", N_ROWS, week.n)
    convert_or_return(model, week, u)
    place(model, week, u)
    update_relationships(model)


def convert_or_return(model, week, u) -> None:
    """Cycles ending this week: the host hires the intern (an insider: no open competition, a
    vacancy taken from the host's flow), or the intern returns to the programme."""
    P, E, t = model.population, model.employers, week.t
    n = week.n
    ending = np.nonzero((P.state[:n] == S.INTERNSHIP) & (P.ti_internship_end[:n] <= t))[0]
    if len(ending) == 0:
        return
    host = P.intern_host[ending]
    channel = np.full(len(ending), CONVERSION)
    acc = acceptance(model, t, ending, host, channel, P.matched_internship[ending])
    u_conv = u[CONVERT, ending]
    priority = u[CONVERT_PRIORITY, ending]
    hire = u_conv < acc.p
    subsidised = acc.subsidised & hire
    # A subsidised hire beyond the host's places this year happens only if it would have without
    # the subsidy (the same draw), and is then an ordinary hire.
    capped = ~within_subsidy_caps(model, host, subsidised, priority)
    hire &= ~capped | (u_conv < acc.p_unsubsidised)
    subsidised &= ~capped
    ok = hire.copy()
    ok[hire] = rank_within(host[hire], priority[hire]) < E.conversion_capacity(model.behaviour.internships.conversion_lead_weeks)[host[hire]]
    hired, hosts = ending[ok], host[ok]
    model.recorder.hires_by_route(np.full(len(hired), CONVERSION), hired)
    model.recorder.instruments(acc.nystartsjobb & ok, subsidised & ok, (u_conv < acc.p_unsubsidised) & ok, ending)
    E.take_vacancies(hosts)
    start_jobs(model, t, hired, hosts, subsidised[ok], u[CONVERT_HOURS, hired])
    rest = ending[~ok]
    end_internship(model, rest)
    P.state[rest] = np.where(week.period[rest], S.PROGRAMME, S.PASSIVE)
    P.ti_state[rest] = t


def place(model, week, u) -> None:
    """Those waiting for a plan or in the programme, inside the period, who may start one."""
    P, M, E, b, t = model.population, model.munis, model.employers, model.behaviour, week.t
    n = week.n
    st = P.state[:n]
    muni = P.municipality[:n]
    ib = b.internships
    c = np.nonzero(((st == S.PLAN) | (st == S.PROGRAMME)) & week.period)[0]
    mc = muni[c]
    ready = M.alternate[mc] | (P.swedish[c] >= ib.min_swedish_without_alternation)
    cand = c[((t - P.ti_arrival[c]) >= M.first_internship_week[mc]) & ready]
    avail = week.availability
    # Coordinators arrange a limited number of placements a week per municipality.
    per_week = M.coordinators * model.municipality_param("internships.placements_per_coordinator_week")
    M.placement_credit = np.minimum(M.placement_credit + per_week, per_week * ib.coordinator_credit_cap_weeks)
    rank = np.zeros(0, dtype=np.int64)
    if len(cand):
        # Carers of small children come forward less often: their priority draw is stretched.
        rank = rank_within(muni[cand], u[PLACEMENT_PRIORITY, cand] / np.maximum(avail[cand], 1e-3))
    by_coordinator = cand[rank < np.floor(M.placement_credit[muni[cand]])]
    own_p = ib.own_placement_per_week * search_effort(P.engagement[cand], b.search) * avail[cand]
    by_self = cand[u[OWN_PLACEMENT, cand] < own_p]
    seekers = np.union1d(by_coordinator, by_self)
    if len(seekers) == 0:
        return
    free = np.maximum(E.intern_places - E.interns, 0).astype(np.float64)
    follow_up = M.matched_followup[muni[seekers]] & (P.internships[seekers] >= 1) & (P.occupation[seekers] >= 0)
    u_host = u[HOST, seekers]
    host = model.choosers.employer.choose(muni[seekers].astype(np.int64), u_host, free)
    if follow_up.any():
        key = muni[seekers].astype(np.int64) * model.n_sectors + np.maximum(P.occupation[seekers], 0)
        targeted = model.choosers.employer_by_sector.choose(key, u_host, free)
        host = np.where(follow_up & (targeted >= 0), targeted, host)
    found = host >= 0
    who, host = seekers[found], host[found]
    matched = (P.occupation[who] == E.sector[host]) & follow_up[found]
    ok = rank_within(host, u[HOST_PRIORITY, who]) < free.astype(np.int64)[host]
    who, host, matched = who[ok], host[ok], matched[ok]
    used = np.bincount(muni[who[in_sorted(who, by_coordinator)]], minlength=M.n)  # index order
    M.placement_credit = M.placement_credit - used
    P.state[who] = S.INTERNSHIP
    P.ti_state[who] = t
    P.intern_host[who] = host
    P.ti_internship_end[who] = t + M.internship_weeks[muni[who]]
    P.matched_internship[who] = matched
    first = P.ti_first_internship[who] < 0
    P.ti_first_internship[who[first]] = t
    mark_contact(P, who, t)
    counts = np.bincount(host, minlength=E.n)
    E.interns += counts.astype(np.int32)
    E.interns_hosted += counts
    model.recorder.internship_started(host, who)


def update_relationships(model) -> None:
    """Hosting interns builds the employer's relationship with the coaches; it fades without."""
    E, ib = model.employers, model.behaviour.internships
    E.relationship += ib.relationship_gain_per_intern_week * E.interns
    E.relationship += ib.relationship_decay_per_week * (E.base_relationship - E.relationship)
    clip(E.relationship, 0.0, 1.0, out=E.relationship)
