"""Each rule's share of the arrivals per municipality: pure arithmetic on the municipalities'
sourced figures (sim.config.places), so that a test can check it by hand."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..config.places import Place, counties, municipalities, national_register_unemployment


def largest_remainders(total: int, shares: np.ndarray) -> np.ndarray:
    """Whole numbers proportional to `shares` that add up to `total` (Hamilton's method; ties to
    the lower index, so the result is deterministic)."""
    w = np.asarray(shares, dtype=float)
    if total <= 0 or w.sum() <= 0:
        return np.zeros(len(w), dtype=np.int64)
    exact = total * w / w.sum()
    out = np.floor(exact).astype(np.int64)
    out[np.argsort(-(exact - out), kind="stable")[: total - int(out.sum())]] += 1
    return out


def _normalised(w: np.ndarray) -> np.ndarray:
    s = w.sum()
    return w / s if s > 0 else np.full(len(w), 1.0 / len(w))


def _share_or_zero(w: np.ndarray) -> np.ndarray:
    s = w.sum()
    return w / s if s > 0 else np.zeros(len(w))


def danish_quota(population: np.ndarray, earlier: np.ndarray) -> np.ndarray:
    """Denmark's municipal quotas (bekendtgørelse 550/2022 §4): a municipality's share is twice its
    share of the population minus its share of the immigrants already there; negative shares are set
    to zero and the rest rescaled to the national number. `earlier` stands for the immigrants the
    order counts (in the Swedish world: those received in 2018, an assumption)."""
    share = 2 * _normalised(np.asarray(population, float)) - _share_or_zero(np.asarray(earlier, float))
    return _normalised(np.maximum(share, 0.0))


def settlement_weights(places: Sequence[Place], weights: dict[str, float]) -> np.ndarray:
    """Shares from the government's three criteria for the county numbers (förordning 2016:40):
    - labour market: population x (national / local register unemployment): a municipality with half
      the nation's unemployment counts double (assumption: the government's labour-market index is
      not published; this keeps its direction);
    - population (2021);
    - earlier reception: population x 2r / (r_m + r), r_m those received in 2018 per inhabitant, r
      the nation's: a municipality that received twice the national rate counts two thirds, one that
      received none double (assumption: the direction of the criterion, its form ours)."""
    pop = np.array([p.population_2021 for p in places], float)
    unemp = np.array([p.unemployment_2022 for p in places], float)
    rec = np.array([p.received_2018 for p in places], float) / pop
    r = float(np.array([p.received_2018 for p in places], float).sum() / pop.sum())
    labour = _normalised(pop * national_register_unemployment() / np.maximum(unemp, 1e-3))
    earlier = _normalised(pop * 2 * r / (rec + r)) if r > 0 else _normalised(pop)
    return _normalised(weights["labour_market"] * labour + weights["population"] * _normalised(pop)
                       + weights["earlier_reception"] * earlier)


def published_years() -> list[int]:
    years = set.intersection(*(set(c.numbers) for c in counties().values()))
    return sorted(years)


def settlement_act(places: Sequence[Place], year: int, published: bool, weights: dict[str, float]) -> np.ndarray:
    """The Settlement Act's municipal shares (lag 2016:38): county numbers (länstal), published for
    `year` or computed from `weights`; a municipality's number is its county's times its share of
    the county board's 2018 municipal numbers (kommuntal; for other years an assumption: the same
    split), else by the weights. Shares of the municipalities given (a world of some of Sweden's
    municipalities gets their own numbers, rescaled)."""
    computed = settlement_weights(places, weights)
    if not published:
        return computed
    every = municipalities().values()
    county_kommuntal: dict[str, int] = {}
    for p in every:
        county_kommuntal[p.county_code] = county_kommuntal.get(p.county_code, 0) + p.kommuntal_2018
    table = counties()
    out = np.zeros(len(places))
    for i, p in enumerate(places):
        if county_kommuntal[p.county_code] > 0:
            out[i] = table[p.county_code].numbers[year] * p.kommuntal_2018 / county_kommuntal[p.county_code]
    county_of = np.array([p.county_code for p in places])
    for code in sorted(set(county_of)):  # a county without 2018 numbers: its members by the weights
        members = np.flatnonzero(county_of == code)
        if county_kommuntal[code] == 0:
            out[members] = table[code].numbers[year] * _normalised(computed[members])
    return _normalised(out)


def self_arranged(places: Sequence[Place], destinations: str) -> np.ndarray:
    """Where people who arrange their own housing (EBO) go: in proportion to those received in 2018
    other than by assignment, or to population."""
    if destinations == "population":
        return _normalised(np.array([p.population_2021 for p in places], float))
    return _normalised(np.array([p.received_not_assigned_2018 for p in places], float))


def planned_reception(places: Sequence[Place]) -> np.ndarray:
    """Each municipality's share of all newly arrived received in 2018 (kommunmottagna): the load its
    introduction unit is sized for (an assumption of the national world, fixed under every rule)."""
    return _normalised(np.array([p.received_2018 for p in places], float))
