"""Phase 3: internships (praktik). Cycles end in a hire at the host or a return to the programme;
coordinators (limited capacity) and the person's own search place people at willing employers.
Mechanisms 2, 3 and 6."""

from __future__ import annotations

import numpy as np

from .._numpy import clip

from ..states import S
from .choice import in_sorted, rank_within
from .hiring import CONVERSION, end_internship, hire_probability, mark_contact, start_jobs, within_vacancies

COORDINATOR_CREDIT_CAP_WEEKS = 4  # unused coordinator time carries over a month at most


def internships(model, t: int) -> None:
    P, M, E, b = model.population, model.munis, model.employers, model.behaviour
    n = P.n_arrived
    if n == 0:
        return
    u = model.streams.block("internships", 7, n)
    st = P.state[:n]
    period = model.period

    # --- cycles that end this week: a hire at the host, or back to the programme ---
    ending = np.nonzero((st == S.INTERNSHIP) & (P.ti_internship_end[:n] <= t))[0]
    if len(ending):
        host = P.intern_host[ending]
        channel = np.full(len(ending), CONVERSION)
        p, subsidised = hire_probability(model, t, ending, host, channel, P.matched_internship[ending])
        success = u[0, ending] < p
        ok = within_vacancies(host[success], u[1, ending[success]], E.open_vacancies)
        hired = ending[success][ok]
        model.recorder.hires_by_route(np.full(len(hired), CONVERSION))
        start_jobs(model, t, hired, host[success][ok], subsidised[success][ok], u[2, hired])
        rest = ending[~in_sorted(ending, hired)]  # both in index order
        end_internship(model, rest)
        P.state[rest] = np.where(period[rest], S.PROGRAMME, S.PASSIVE)
        P.ti_state[rest] = t

    # --- placements ---
    # Only those waiting for a plan or in the programme, inside the period, can be placed.
    st = P.state[:n]
    muni = P.municipality[:n]
    ib = b.internships
    c = np.nonzero(((st == S.PLAN) | (st == S.PROGRAMME)) & period)[0]
    mc = muni[c]
    ready = M.alternate[mc] | (P.swedish[c] >= ib.min_swedish_without_alternation)
    cand = c[((t - P.ti_arrival[c]) >= M.first_internship_week[mc]) & ready]
    avail = model.availability
    # Coordinators arrange a limited number of placements a week per municipality.
    M.placement_credit = np.minimum(M.placement_credit + M.coordinators * ib.placements_per_coordinator_week,
                                    M.coordinators * ib.placements_per_coordinator_week * COORDINATOR_CREDIT_CAP_WEEKS)
    rank = np.zeros(0, dtype=np.int64)
    if len(cand):
        # Carers of small children come forward less often: their priority draw is stretched.
        rank = rank_within(muni[cand], u[3, cand] / np.maximum(avail[cand], 1e-3))
    by_coordinator = cand[rank < np.floor(M.placement_credit[muni[cand]])]
    focus = np.where(M.job_focus[muni[cand]], b.search.job_focus_multiplier, 1.0)
    own_p = ib.own_placement_per_week * 2.0 * P.engagement[cand] * focus * avail[cand]
    by_self = cand[u[4, cand] < own_p]
    seekers = np.union1d(by_coordinator, by_self)
    if len(seekers) == 0:
        _update_relationships(model)
        return
    free = np.maximum(E.intern_places - E.interns, 0).astype(np.float64)
    follow_up = M.matched_followup[muni[seekers]] & (P.internships[seekers] >= 1) & (P.occupation[seekers] >= 0)
    u_host = u[5, seekers]
    host = model.choosers.employer.choose(muni[seekers].astype(np.int64), u_host, free)
    if follow_up.any():
        key = muni[seekers].astype(np.int64) * model.n_sectors + np.maximum(P.occupation[seekers], 0)
        targeted = model.choosers.employer_by_sector.choose(key, u_host, free)
        host = np.where(follow_up & (targeted >= 0), targeted, host)
    found = host >= 0
    who, host = seekers[found], host[found]
    matched = (P.occupation[who] == E.sector[host]) & follow_up[found]
    ok = within_vacancies(host, u[6, who], free.astype(np.int64))
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
    model.recorder.internship_started(host)
    _update_relationships(model)


def _update_relationships(model) -> None:
    """Hosting interns builds the employer's relationship with the coaches; it fades without."""
    E, ib = model.employers, model.behaviour.internships
    E.relationship += ib.relationship_gain_per_intern_week * E.interns
    E.relationship += ib.relationship_decay_per_week * (E.base_relationship - E.relationship)
    clip(E.relationship, 0.0, 1.0, out=E.relationship)
