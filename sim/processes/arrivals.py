"""Phase 1: arrivals, secondary-agreement transfers, and employers posting vacancies."""

from __future__ import annotations

import numpy as np

from ..states import S


def arrive(model, t: int) -> None:
    """Settle this week's arrivals; the state pays flat-rate compensation and stimulus."""
    P, M, nat = model.population, model.munis, model.config.national
    start = P.n_arrived
    stop = int(np.searchsorted(P.ti_arrival, t, side="right"))
    if stop == start:
        return
    new = np.arange(start, stop)
    P.state[new] = S.PLAN
    P.ti_state[new] = t
    P.n_arrived = stop
    muni = P.municipality[new]
    model.recorder.pay("flat_rate_compensation", muni, nat.flat_rate_compensation_sek)
    stim = M.three_year_agreement[muni]
    model.recorder.pay("stimulus_payment", muni[stim], nat.stimulus_payment_sek)


def transfer(model, t: int) -> None:
    """Secondary agreements (seed 000 prop. 9): newcomers move from an overloaded municipality.

    Whole households move; newest arrivals first within the agreement's window; the receiving
    municipality's housing capacity for the year caps what it takes. The receiving municipality's
    programme and labour market apply from the move on (mechanism 7).
    """
    agreements = model.agreements
    if not agreements:
        return
    P, M = model.population, model.munis
    n = P.n_arrived
    u = model.streams.uniform("transfers", n)
    year = t // 52
    # Everyone who could move this week under some agreement (waiting for a plan or in the
    # programme, not moved before), grouped by municipality once for all agreements. Within the
    # loop only `transferred` and `municipality` change, and only for people who moved (who are
    # then transferred), so filtering this set again gives each agreement the eligible people.
    st = P.state[:n]
    cand = np.nonzero(((st == S.PLAN) | (st == S.PROGRAMME)) & ~P.transferred[:n])[0]
    by_muni = np.argsort(P.municipality[cand], kind="stable")
    cand = cand[by_muni]
    cand_muni = P.municipality[cand]
    for g in agreements:
        # Places not used (no one eligible, no housing) carry over four weeks at most.
        g.credit = min(g.credit + g.places_per_week, max(4 * g.places_per_week, 2.0))
        quota = int(g.credit)
        spare = M.housing_capacity[g.dst] - model.settled_in_year(g.dst, year)
        quota = int(min(quota, max(spare, 0)))
        if quota <= 0:
            continue
        lo, hi = np.searchsorted(cand_muni, [g.src, g.src + 1])
        c = cand[lo:hi]  # in index order (stable sort)
        idx = c[~P.transferred[c] & (P.municipality[c] == g.src) & (t - P.ti_arrival[c] < g.within_weeks)]

        def eligible(i, g=g):
            s = P.state[i]
            return (((s == S.PLAN) | (s == S.PROGRAMME)) & ~P.transferred[i]
                    & (P.municipality[i] == g.src) & (t - P.ti_arrival[i] < g.within_weeks))
        # Household heads: singles, and the first adult of a couple; a couple moves if both may.
        partner = P.partner[idx]
        couple = partner >= 0
        head = ~couple | (partner > idx)
        partner_ok = ~couple | eligible(np.maximum(partner, 0))
        heads = idx[head & partner_ok]
        if len(heads) == 0:
            continue
        # Newest arrivals first, ties broken by the transfers stream.
        order = np.lexsort((u[heads], -P.ti_arrival[heads]))
        heads = heads[order]
        size = np.where(P.partner[heads] >= 0, 2, 1)
        take = np.cumsum(size) <= quota
        # A couple that does not fit must not block the singles queued behind it.
        room = quota - size[take].sum()
        singles_after = np.nonzero(~take & (size == 1))[0][:max(room, 0)]
        take[singles_after] = True
        movers_heads = heads[take]
        movers = np.concatenate([movers_heads, P.partner[movers_heads][P.partner[movers_heads] >= 0]])
        if len(movers) == 0:
            continue
        P.municipality[movers] = g.dst
        P.transferred[movers] = True
        model.received[g.dst, year] += len(movers)
        g.credit -= len(movers)
        g.moved += len(movers)
