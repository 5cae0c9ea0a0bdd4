"""A scenario's placement rule applied to the households drawn at construction: each household's
municipality of settlement. A pure function of the scenario and the `placement` stream, so the same
seed gives the same placement under every number of workers, and every rule meets the same
arrivals (common random numbers: the households are drawn before, and apart from, their placement).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..config.places import Place, municipalities
from ..config.schema import Scenario
from . import numbers
from .assignment import Infeasible, Problem, solve
from .prediction import N_PROFILES, Predictions, lowest_profiles, profile_of


@dataclass
class Households:
    """The drawn households: first person, adults, arrival week, the adults' profiles, and type."""

    person_household: np.ndarray
    adults: np.ndarray
    week: np.ndarray
    profiles: np.ndarray  # [household, 2]: the adults' profiles, -1 for a single's second
    kind: np.ndarray      # household type: index into `kinds`
    kinds: np.ndarray     # [type, 2] profiles

    @classmethod
    def of(cls, cols: dict[str, np.ndarray]) -> "Households":
        hh = cols["household"].astype(np.int64)
        n_hh = int(hh.max()) + 1 if len(hh) else 0
        adults = np.bincount(hh, minlength=n_hh)
        first = np.full(n_hh, len(hh), dtype=np.int64)
        np.minimum.at(first, hh, np.arange(len(hh)))
        prof = profile_of(cols["female"], cols["education"], cols["prior_work"])
        pair = np.full((n_hh, 2), -1, dtype=np.int64)
        pair[:, 0] = prof[first]
        second = np.flatnonzero(np.arange(len(hh)) != first[hh])
        pair[hh[second], 1] = prof[second]
        pair = np.sort(pair, axis=1)[:, ::-1]  # the higher profile first; a single's -1 second
        kinds, kind = np.unique(pair, axis=0, return_inverse=True)
        return cls(hh, adults, cols["ti_arrival"][first].astype(np.int64), pair, kind.ravel(), kinds)


@dataclass
class Placed:
    home: np.ndarray                    # per person
    onward_to: np.ndarray               # per person: where an onward move leads, -1 out of the world
    notes: list[str] = field(default_factory=list)


def scenario_places(scenario: Scenario) -> list[Place]:
    table = municipalities()
    codes = [m.labour_market.register_code for m in scenario.municipalities.values()]
    assert all(codes), "the loader requires a register code for every municipality of a placement"
    return [table[str(c)] for c in codes]


def rule_shares(scenario: Scenario, places: list[Place], rule: str) -> np.ndarray:
    pl = scenario.placement
    assert pl is not None
    if rule == "danish_quota":
        return numbers.danish_quota(np.array([p.population_2021 for p in places], float),
                                    np.array([p.received_2018 for p in places], float))
    if rule == "self_arranged":
        return numbers.self_arranged(places, pl.self_arranged.destinations)
    sa = pl.settlement_act
    year = sa.year or scenario.simulation.start_date.year
    return numbers.settlement_act(places, year, sa.county_numbers == "published", sa.weights)


def _deal(rng: np.random.Generator, households: np.ndarray, counts: np.ndarray, out: np.ndarray) -> None:
    """Households in random order, dealt out to municipalities in `counts` (which add up to them)."""
    labels = np.repeat(np.arange(len(counts)), counts)
    out[households[rng.permutation(len(households))]] = labels


def _self_arranged(rng, hh: np.ndarray, month: np.ndarray, shares: np.ndarray, crowding: float,
                   out: np.ndarray) -> None:
    """Each household chooses, month by month; a municipality's pull falls as its arrivals this year
    exceed its expected share (`crowding`; 0 = proportional by largest remainders)."""
    if crowding <= 0:
        _deal(rng, hh, numbers.largest_remainders(len(hh), shares), out)
        return
    got = np.zeros(len(shares))
    for mo in range(12):
        batch = hh[month == mo]
        if not len(batch):
            continue
        expected = shares * max(got.sum(), 1.0)
        excess = np.maximum(got / np.maximum(expected, 1e-9) - 1.0, 0.0)
        w = shares / (1.0 + crowding * excess)
        choice = rng.choice(len(shares), size=len(batch), p=w / w.sum())
        out[batch] = choice
        got += np.bincount(choice, minlength=len(shares))


def _optimised(scenario: Scenario, H: Households, pred: np.ndarray, capacity: np.ndarray, sa_shares: np.ndarray,
               hh: np.ndarray, month: np.ndarray, low_profile: np.ndarray, rng, out: np.ndarray, notes: list[str],
               year: int) -> None:
    """The year's optimised households (`hh`) assigned under `capacity` (adults; and fairness), in
    one batch or month by month without knowledge of later months."""
    o = scenario.placement.optimised  # type: ignore[union-attr]
    fair = o.fairness
    kinds = H.kinds
    K, M = len(kinds), pred.shape[1]
    valid = kinds >= 0
    per_adult = np.where(valid[:, :, None], pred[np.maximum(kinds, 0)], 0.0)  # [type, adult, municipality]
    value = per_adult.sum(1)
    type_adults = valid.sum(1)
    low = (valid & low_profile[np.maximum(kinds, 0)]).sum(1)
    group_of = np.where(valid, np.maximum(kinds, 0) // 2, -1)  # sex x education
    group_value = np.zeros((8, K, M))
    for a in range(2):
        for g in range(8):
            group_value[g] += np.where((group_of[:, a] == g)[:, None], per_adult[:, a], 0.0)
    adults_total = int(H.adults[hh].sum())
    batches = [hh] if o.batches == "year" else [hh[month == mo] for mo in range(12)]
    remaining_adults = adults_total
    for batch in batches:
        if not len(batch):
            continue
        counts = np.bincount(H.kind[batch], minlength=K)
        adults = int(H.adults[batch].sum())
        cap = capacity if o.batches == "year" else np.ceil(capacity * adults / max(remaining_adults, 1)).astype(np.int64)
        problem = Problem(value, counts, type_adults, np.minimum(cap, capacity).astype(float))
        if fair.group_floor > 0:
            # Each group's expectation under the Settlement Act's numbers, less one household's
            # worth (whole households cannot match a proportional split exactly).
            baseline = (group_value * counts[None, :, None]).sum(1) @ sa_shares
            problem.group_value = group_value * 1.0
            problem.group_floor = fair.group_floor * baseline - value.max()
        if fair.low_prospect_ceiling < 1:
            problem.low, problem.ceiling = low, fair.low_prospect_ceiling
        try:
            x = solve(problem)
        except Infeasible:
            if problem.group_floor is not None or problem.low is not None:
                notes.append(f"year {year + 1}: the fairness constraints could not all be met"
                             f"{'' if o.batches == 'year' else ' in a month'}; assigned without them")
            problem.group_value = problem.group_floor = problem.low = None
            problem.ceiling = 1.0
            problem.capacity = np.maximum(problem.capacity, capacity.astype(float))
            try:
                x = solve(problem)
            except Infeasible:  # whole households cannot fit the rooms left: one couple's worth more each
                notes.append(f"year {year + 1}: capacities raised by 2 adults to fit whole households")
                problem.capacity = problem.capacity + 2
                x = solve(problem)
        for k in np.flatnonzero(counts):
            _deal(rng, batch[H.kind[batch] == k], x[k], out)
        used = np.bincount(out[batch], weights=H.adults[batch], minlength=M).astype(np.int64)
        capacity = np.maximum(capacity - used, 0)
        remaining_adults -= adults


def low_prospect_profiles(pred: np.ndarray, weights: np.ndarray, profile_counts: np.ndarray, quantile: float) -> np.ndarray:
    """Profiles whose predicted outcome (mean over municipalities, weighted by `weights`) is among
    the lowest `quantile` of arrivals (whole profiles, lowest first, while the share stays within it;
    at least the lowest one)."""
    national = np.where(profile_counts > 0, pred @ weights, np.inf)  # only profiles that arrive
    return lowest_profiles(national, profile_counts, quantile)


def predictions_matrix(scenario: Scenario, places: list[Place]) -> np.ndarray:
    """The predictions in the scenario's municipality order (the loader checked they cover them)."""
    pred: Predictions | None = scenario.placement.optimised.predicted  # type: ignore[union-attr]
    assert pred is not None, "the loader reads the predictions of an optimised placement"
    col = {c: i for i, c in enumerate(pred.codes)}
    return pred.probability[:, [col[p.code] for p in places]]


def place(scenario: Scenario, cols: dict[str, np.ndarray], streams) -> Placed:
    """Each person's municipality of settlement under the scenario's placement rule. Each kind of
    draw has its own stream (`streams`: sim.rng.Streams), so that who arranges their own housing,
    where they go, and where onward moves lead are the same under every rule."""
    pl = scenario.placement
    assert pl is not None
    places = scenario_places(scenario)
    H = Households.of(cols)
    n_hh = len(H.adults)
    home_hh = np.zeros(n_hh, dtype=np.int64)
    notes: list[str] = []
    own = streams.get("placement.own_housing").random(n_hh) < pl.self_arranged_share
    rng_own, rng_rule = streams.get("placement.self_arranged"), streams.get("placement.rule")
    if pl.rule == "self_arranged":
        own[:] = True
    ebo = rule_shares(scenario, places, "self_arranged")
    shares = rule_shares(scenario, places, "settlement_act" if pl.rule == "optimised" else pl.rule)
    year_of = H.week // 52
    month_of = np.minimum((H.week % 52) * 12 // 52, 11)
    optimised = np.zeros(n_hh, dtype=bool)
    pred = low_profile = None
    if pl.rule == "optimised":
        optimised = ~own & (streams.get("placement.optimised_share").random(n_hh) < pl.optimised.share)
        pred = predictions_matrix(scenario, places)
        profiles = H.profiles[H.profiles >= 0]
        low_profile = low_prospect_profiles(pred, shares, np.bincount(profiles, minlength=N_PROFILES),
                                            pl.optimised.fairness.low_prospect_quantile)
    for year in np.unique(year_of):
        in_year = year_of == year
        mine = np.flatnonzero(in_year & own)
        _self_arranged(rng_own, mine, month_of[mine], ebo, pl.self_arranged.crowding, home_hh)
        by_rule = np.flatnonzero(in_year & ~own & ~optimised)
        _deal(rng_rule, by_rule, numbers.largest_remainders(len(by_rule), shares), home_hh)
        if pl.rule == "optimised":
            opt = np.flatnonzero(in_year & optimised)
            if len(opt):
                assert pred is not None and low_profile is not None
                # Capacity: the Settlement Act's numbers for everyone assigned this year x (1 +
                # slack), less what the rule's share of them already took.
                total = int(H.adults[in_year & ~own].sum())
                taken = np.bincount(home_hh[by_rule], weights=H.adults[by_rule], minlength=len(places))
                capacity = np.maximum(np.ceil(shares * total * (1 + pl.optimised.capacity_slack) - taken), 0)
                _optimised(scenario, H, pred, capacity.astype(np.int64), shares, opt, month_of[opt],
                           low_profile, rng_rule, home_hh, notes, int(year))
    # Onward moves inside the world: a share of households whose members move on go to another
    # modelled municipality (the household's own, its partner too when they move), towards where
    # self-arranged housing goes (large municipalities, co-nationals), never back home.
    onward_hh = np.full(n_hh, -1, dtype=np.int64)
    if pl.onward_within_share > 0:
        rng_on = streams.get("placement.onward")
        inside = rng_on.random(n_hh) < pl.onward_within_share
        onward_hh[inside] = elsewhere(rng_on, ebo, home_hh[inside])
    return Placed(home_hh[H.person_household].astype(np.int16), onward_hh[H.person_household].astype(np.int16), notes)


def elsewhere(rng: np.random.Generator, weights: np.ndarray, home: np.ndarray) -> np.ndarray:
    """For each entry of `home`, a municipality drawn in proportion to `weights` with `home` left
    out (its weight removed and the rest renormalised)."""
    cdf = np.cumsum(weights)
    below = cdf[home] - weights[home]  # the weight of the municipalities before home
    u = rng.random(len(home)) * (cdf[-1] - weights[home])
    v = np.where(u < below, u, u + weights[home])
    return np.minimum(np.searchsorted(cdf, v, side="right"), len(weights) - 1)
