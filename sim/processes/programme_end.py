"""Phase 7: the end of the introduction period. Those still in programme activity without work move
to social assistance (or to no support, if their household covers its costs)."""

from __future__ import annotations

import numpy as np

from ..states import S
from .hiring import end_internship


def programme_end(model, week) -> None:
    P, M, t = model.population, model.munis, week.t
    n = week.n
    if n == 0:
        return
    st = P.state[:n]
    # >=, not ==: someone transferred to a municipality with a shorter period is past it already.
    ending = (t - P.ti_arrival[:n]) >= M.programme_weeks[P.municipality[:n]]
    ending &= (st == S.PLAN) | (st == S.PROGRAMME) | (st == S.INTERNSHIP)
    idx = np.nonzero(ending)[0]
    if len(idx) == 0:
        return
    end_internship(model, idx[P.state[idx] == S.INTERNSHIP])
    need = week.household_need[idx]
    P.state[idx] = np.where(need > 0, S.PASSIVE, S.NO_SUPPORT)
    P.ti_state[idx] = t
