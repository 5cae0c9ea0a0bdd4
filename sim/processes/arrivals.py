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

    A scenario's agreements act one after another in the order written (a later one sees who an
    earlier one moved and the housing it used); in a batch, the k-th agreements of every world act
    together (`Agreements.rounds`), as worlds never share people or housing.
    """
    G = model.agreements
    if len(G) == 0:
        return
    P = model.population
    n = P.n_arrived
    u = model.streams.uniform("transfers", n)
    year = t // 52
    # Everyone who could move this week under some agreement (waiting for a plan or in the
    # programme, not moved before), grouped by municipality once for all agreements. Within the
    # rounds only `transferred` and `municipality` change, and only for people who moved (who are
    # then transferred), so filtering this set again gives each agreement the eligible people.
    st = P.state[:n]
    cand = np.nonzero(((st == S.PLAN) | (st == S.PROGRAMME)) & ~P.transferred[:n])[0]
    cand = cand[np.argsort(P.municipality[cand], kind="stable")]
    cand_muni = P.municipality[cand]
    for g in G.rounds:
        _move(model, G, g, t, year, u, cand, cand_muni)


def _move(model, G, g: np.ndarray, t: int, year: int, u: np.ndarray, cand: np.ndarray,
          cand_muni: np.ndarray) -> None:
    """The agreements `g` (of different worlds) move whom their quotas and housing allow."""
    P, M = model.population, model.munis
    # Places not used (no one eligible, no housing) carry over four weeks at most.
    G.credit[g] = np.minimum(G.credit[g] + G.places_per_week[g], np.maximum(4 * G.places_per_week[g], 2.0))
    spare = M.housing_capacity[G.dst[g]] - (model.settled[G.dst[g], year] + model.received[G.dst[g], year])
    quota = np.minimum(np.floor(G.credit[g]), np.maximum(spare, 0))
    g = g[quota > 0]
    quota = quota[quota > 0].astype(np.int64)
    if len(g) == 0:
        return
    # The candidates in each agreement's source municipality, agreement by agreement (index order).
    lo = np.searchsorted(cand_muni, G.src[g], side="left")
    hi = np.searchsorted(cand_muni, G.src[g], side="right")
    k = np.repeat(np.arange(len(g)), hi - lo)  # position in g of each candidate's agreement
    start = np.cumsum(hi - lo) - (hi - lo)
    c = cand[np.arange(len(k)) - start[k] + lo[k]]
    src, within = G.src[g], G.within_weeks[g]

    def eligible(i, k):
        s = P.state[i]
        return (((s == S.PLAN) | (s == S.PROGRAMME)) & ~P.transferred[i]
                & (P.municipality[i] == src[k]) & (t - P.ti_arrival[i] < within[k]))
    ok = ~P.transferred[c] & (P.municipality[c] == src[k]) & (t - P.ti_arrival[c] < within[k])
    idx, k = c[ok], k[ok]
    # Household heads: singles, and the first adult of a couple; a couple moves if both may.
    partner = P.partner[idx]
    couple = partner >= 0
    head = ~couple | (partner > idx)
    partner_ok = ~couple | eligible(np.maximum(partner, 0), k)
    heads, k = idx[head & partner_ok], k[head & partner_ok]
    if len(heads) == 0:
        return
    # Newest arrivals first, ties broken by the transfers stream, agreement by agreement.
    order = np.lexsort((u[heads], -P.ti_arrival[heads], k))
    heads, k = heads[order], k[order]
    size = np.where(P.partner[heads] >= 0, 2, 1)
    first = np.searchsorted(k, k, side="left")
    cum = np.cumsum(size)
    before = (cum - size)[first]  # households of earlier agreements (whole numbers: exact)
    take = cum - before <= quota[k]
    # A couple that does not fit must not block the singles queued behind it.
    room = quota - np.bincount(k[take], weights=size[take], minlength=len(g)).astype(np.int64)
    late_single = ~take & (size == 1)
    rank = np.cumsum(late_single) - late_single  # late singles before this one, all agreements
    rank = rank - rank[first]
    take |= late_single & (rank < np.maximum(room[k], 0))
    movers_heads, k = heads[take], k[take]
    partners = P.partner[movers_heads]
    movers = np.concatenate([movers_heads, partners[partners >= 0]])
    if len(movers) == 0:
        return
    counts = np.bincount(np.concatenate([k, k[partners >= 0]]), minlength=len(g))
    P.municipality[movers] = np.concatenate([G.dst[g][k], G.dst[g][k[partners >= 0]]])
    P.transferred[movers] = True
    np.add.at(model.received, (G.dst[g], year), counts)
    G.credit[g] -= counts
    G.moved[g] += counts
