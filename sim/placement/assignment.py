"""The optimised assignment: how many households of each type go to each municipality, maximising the
predicted outcome under the municipalities' capacities.

Solver: SciPy's HiGHS (`linprog`, already a dependency). Households are grouped into types (the
adults' profiles), so the problem is a transportation problem of types x municipalities (some 80 x
290 flows for 15,000 arrivals) rather than 15,000 x 15,000 seats, and, unlike an assignment solver
(`scipy.optimize.linear_sum_assignment`), it takes the side constraints fairness needs: a floor on
each group's expected outcome and a ceiling on each municipality's share of low-prospect arrivals.

Capacities count adults and households have one or two, so the problem is not totally unimodular.
HiGHS's branch and bound (`milp`) took 1 s in some years of arrivals and 15 s in others, the time
spent at the root whatever the node limit, and a time limit would make the placement depend on the
machine. So the linear relaxation is solved exactly (HiGHS simplex, about 1 s for a year) and its
few fractional flows (some 70 of 23,000) are rounded to whole households deterministically
(`_round`); the relaxation's optimum bounds every integer assignment, so the gap returned is
certified: under 1e-3 of the objective in the national world (4 of some 4,500 expected first jobs,
0.03 points of the promised share; benchmarks/placement.py), far inside the predictions' own
posterior spread. Where the relaxation is integral (every household of one
adult, say) the result is exactly optimal. The fairness constraints hold in the relaxation; the
rounding moves at most the ~70 rounded households.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import LinearConstraint, linprog, milp


@dataclass
class Problem:
    """value[k, m]: expected outcome (adults in work) of a type-k household in municipality m;
    counts[k]: households of type k; adults[k]: adults per household; capacity[m]: adults it can
    take. Optional: group_value[g, k, m] and group_floor[g] (sum over the flows at least the
    floor); low[k] (low-prospect adults per household) with `ceiling` (a municipality's
    low-prospect adults at most `ceiling` x its adults)."""

    value: np.ndarray
    counts: np.ndarray
    adults: np.ndarray
    capacity: np.ndarray
    group_value: np.ndarray | None = None
    group_floor: np.ndarray | None = None
    low: np.ndarray | None = None
    ceiling: float = 1.0


class Infeasible(Exception):
    """No assignment meets every constraint."""


def solve(p: Problem) -> np.ndarray:
    """The flows x[k, m] (whole households) of the assignment; Infeasible if there is none."""
    return solve_with_gap(p)[0]


def solve_with_gap(p: Problem) -> tuple[np.ndarray, float]:
    """`solve`'s flows and their certified relative gap to the relaxation's optimum (an upper
    bound on every assignment's value)."""
    K, M = p.value.shape
    if int(p.counts.sum()) == 0:
        return np.zeros((K, M), dtype=np.int64), 0.0
    if float(p.adults @ p.counts) > float(p.capacity.sum()) + 1e-9:
        raise Infeasible(f"{int(p.adults @ p.counts)} adults arrive but the municipalities can take "
                         f"{int(p.capacity.sum())}")
    n = K * M
    k_of = np.repeat(np.arange(K), M)
    m_of = np.tile(np.arange(M), K)
    cols = np.arange(n)
    a_eq = sparse.csr_array((np.ones(n), (k_of, cols)), shape=(K, n))  # every household placed
    ub = [sparse.csr_array((p.adults[k_of].astype(float), (m_of, cols)), shape=(M, n))]  # capacities, adults
    b_ub = [np.asarray(p.capacity, float)]
    if p.group_value is not None and p.group_floor is not None:
        G = p.group_value.shape[0]
        ub.append(sparse.csr_array(-p.group_value.reshape(G, n)))
        b_ub.append(-np.asarray(p.group_floor, float))
    if p.low is not None and p.ceiling < 1.0:
        coef = (p.low - p.ceiling * p.adults)[k_of].astype(float)
        ub.append(sparse.csr_array((coef, (m_of, cols)), shape=(M, n)))
        b_ub.append(np.zeros(M))
    res = linprog(-p.value.ravel(), A_ub=sparse.vstack(ub).tocsr(), b_ub=np.concatenate(b_ub), A_eq=a_eq,
                  b_eq=p.counts.astype(float), bounds=(0, None), method="highs")
    if res.status != 0 or res.x is None:
        raise Infeasible(res.message)
    bound = -float(res.fun)
    x = _round(res.x.reshape(K, M), p)
    value = float((p.value * x).sum())
    return x, max(bound - value, 0.0) / max(abs(bound), 1e-12)


def _round(x: np.ndarray, p: Problem) -> np.ndarray:
    """Whole households from the relaxation's flows: each flow's whole part, then the few remaining
    households placed exactly by a small integer programme (HiGHS `milp`) over the room the whole
    parts leave. Where that room cannot hold them (couples and rooms of one adult), the whole
    problem's integer programme instead: exact, slower, rare in a national world."""
    flows = np.floor(x + 1e-9).astype(np.int64)
    room = p.capacity - (p.adults[:, None] * flows).sum(0)
    rest = p.counts - flows.sum(1)
    types = np.flatnonzero(rest > 0)
    if not len(types):
        return flows
    kk, mm = np.nonzero(room[None, :] >= p.adults[types, None] - 1e-9)
    residual = _integer(p.value[types[kk], mm], types, kk, mm, rest, p.adults, np.maximum(room, 0), len(room))
    if residual is not None:
        np.add.at(flows, (types[kk], mm), residual)
        return flows
    K, M = p.value.shape
    kk, mm = np.divmod(np.arange(K * M), M)
    whole = _integer(p.value.ravel(), np.arange(K), kk, mm, p.counts, p.adults, p.capacity, M)
    if whole is None:
        raise Infeasible("no assignment of whole households fits the capacities")
    return whole.reshape(K, M)


def _integer(value, types, kk, mm, counts, adults, room, M: int) -> np.ndarray | None:
    """The best whole flows of households of `types[kk]` to municipalities `mm` (pairs), each type's
    `counts` placed, within `room`; None if there are none."""
    n = len(kk)
    if n == 0:
        return None
    cons = [LinearConstraint(sparse.csr_array((np.ones(n), (kk, np.arange(n))), shape=(len(types), n)),
                             counts[types], counts[types]),
            LinearConstraint(sparse.csr_array((adults[types][kk].astype(float), (mm, np.arange(n))), shape=(M, n)),
                             -np.inf, room)]
    res = milp(-value, constraints=cons, integrality=np.ones(n), bounds=(0, counts[types][kk].astype(float)))
    if res.status != 0 or res.x is None:
        return None
    return np.rint(res.x).astype(np.int64)
