"""Phase 1: arrivals, secondary-agreement transfers, and employers posting vacancies."""

from __future__ import annotations

import numpy as np
from numba import njit

from ..rng import TRANSFER_ORDER, uniform
from ..states import FLAT_RATE_COMPENSATION, PLAN, PROGRAMME, STIMULUS_PAYMENT
from ..tables import Batch
from .choice import CARRY_OVER_WEEKS, carried, sort_by

# Places of a secondary agreement not used in a week (no one eligible, no housing) carry over
# (choice.CARRY_OVER_WEEKS), and reach at least two, so that an agreement of under one place a week
# can still move a couple. Assumption.
AGREEMENT_MIN_PLACES = 2.0


@njit(cache=True, nogil=True)
def arrivals(B: Batch, first: int, last: int, t: int) -> None:
    """This week's arrivals and transfers, and the vacancies employers post."""
    for w in range(first, last):
        b = B.worlds[w]
        this_years_market(B.munis, b, t)
        arrive(B.people, B.munis, b, t, B.payments)
        for g in range(b.g0, b.g1):
            transfer(B, b, B.agreements[g], t)
        post_vacancies(B.employers, B.munis, b, t)


@njit(cache=True)
def this_years_market(M, b, t: int) -> None:
    """The labour market of the current simulated year (sim/labour_market.py): other job seekers
    and the vacancy index."""
    y = min(t // 52, M[b.k0].unemployment_path.shape[0] - 1)
    for k in range(b.k0, b.k1):
        M[k].other_job_seekers = M[k].labour_force_path[y] * M[k].unemployment_path[y]
        M[k].vacancy_index = M[k].vacancy_index_path[y]


@njit(cache=True)
def arrive(P, M, b, t: int, payments) -> None:
    """Settle this week's arrivals (a world's people are sorted by arrival week); the state pays
    flat-rate compensation, and stimulus to municipalities with a three-year agreement."""
    i = b.p0 + b.arrived
    while i < b.p1 and P[i].ti_arrival <= t:
        p = P[i]
        p.state = PLAN
        p.ti_state = t
        payments[t, p.municipality, FLAT_RATE_COMPENSATION] += b.national_flat_rate_compensation_sek
        if M[p.municipality].three_year_agreement:
            payments[t, p.municipality, STIMULUS_PAYMENT] += b.national_stimulus_payment_sek
        i += 1
    b.arrived = i - b.p0


@njit(cache=True)
def post_vacancies(E, M, b, t: int) -> None:
    """Open this week's vacancies at each employer's yearly rate times its municipality's vacancy
    index of the year (fractions carried over; a credit below zero, from conversions taken ahead,
    opens nothing until it is paid back). Subsidised places are per year."""
    for k in range(b.e0, b.e1):
        e = E[k]
        if t % 52 == 0:
            e.subsidised_left = e.subsidised_places
        e.vacancy_credit += e.vacancies_per_week * M[e.municipality].vacancy_index
        new = max(np.floor(e.vacancy_credit), 0.0)
        e.vacancy_credit -= new
        e.open_vacancies += int(new)


@njit(inline="always")
def _may_move(p, g, t: int) -> bool:
    """Waiting for a plan or in the programme, not moved before, in the agreement's source
    municipality and within its window after arrival."""
    s = p.state
    return ((s == PLAN or s == PROGRAMME) and not p.transferred and p.municipality == g.src
            and t - p.ti_arrival < g.within_weeks)


@njit(cache=True)
def transfer(B: Batch, b, g, t: int) -> None:
    """Secondary agreement g (seed 000 prop. 9): newcomers move from an overloaded municipality.

    Whole households move; newest arrivals first within the agreement's window (ties by a draw);
    the receiving municipality's housing capacity for the year caps what it takes. The receiving
    municipality's programme and labour market apply from the move on (mechanism 7). A world's
    agreements act one after another in the order written: a later one sees who an earlier one
    moved and the housing it used."""
    P = B.people
    year = t // 52
    g.credit = carried(g.credit, g.places_per_week, CARRY_OVER_WEEKS, AGREEMENT_MIN_PLACES)
    spare = B.munis[g.dst].housing_capacity - (B.settled[g.dst, year] + B.received[g.dst, year])
    quota = min(np.floor(g.credit), max(spare, 0.0))
    if quota <= 0:
        return
    # Household heads (singles, and the first adult of a couple; a couple moves if both may),
    # among the recent arrivals (people are sorted by arrival week within their world).
    end = b.p0 + b.arrived
    first = end
    while first > b.p0 and t - P[first - 1].ti_arrival < g.within_weeks:
        first -= 1
    heads = np.empty(end - first, np.int64)
    key = np.empty(end - first)
    h = 0
    for i in range(first, end):
        k = P[i].partner
        if not _may_move(P[i], g, t) or (k >= 0 and (k < i or not _may_move(P[k], g, t))):
            continue
        # Newest arrivals first, ties broken by the transfers stream.
        key[h] = uniform(b.seed, TRANSFER_ORDER, i - b.p0, t) - P[i].ti_arrival
        heads[h] = i
        h += 1
    order = np.empty(h, np.int64)
    for j in range(h):
        order[j] = j
    sort_by(key, order, np.empty(h, np.int64))
    # Whole households in order while they fit; then the singles behind a couple that did not fit.
    room = int(quota)
    blocked = False
    moved = 0
    for o in order:
        p = P[heads[o]]
        size = 2 if p.partner >= 0 else 1
        if (not blocked and size <= room) or (blocked and size == 1 and room >= 1):
            p.municipality = g.dst
            p.transferred = True
            if p.partner >= 0:
                P[p.partner].municipality = g.dst
                P[p.partner].transferred = True
            room -= size
            moved += size
        else:
            blocked = True
    B.received[g.dst, year] += moved
    g.credit -= moved
    g.moved += moved
