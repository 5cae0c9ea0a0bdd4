"""What a placement run measures, and what a comparison of placement rules reports: arrivals and
outcomes by profile and municipality, by county and by sex and education, the fairness measures,
and the static promise of the predictions beside what the simulation delivered."""

from __future__ import annotations

import numpy as np

from ..config.places import counties
from ..states import CHANNELS, EDUCATION_NAMES
from ..stats import interval
from .place import scenario_places
from .prediction import HORIZONS, N_PROFILES, lowest_profiles, profile_names, profile_of

PANEL_MONTHS = (24, 36, 60)   # months: employment and self-sufficiency by county and group
GROUP_NAMES = [f"{'women' if f else 'men'}, {e.replace('_', ' ')}" for f in (0, 1) for e in EDUCATION_NAMES]


def run_placement(model, T: int) -> dict:
    """One run's placement figures: cells [profile, municipality] (arrivals; for each horizon, those
    whose window lies in the run and those with a first job within it), and employment and
    self-sufficiency at 24, 36 and 60 months by municipality and by sex x education (the panel)."""
    P, rec = model.population, model.recorder
    n = P.n_arrived
    M = len(model.config.municipalities)
    prof = profile_of(P.female[:n], P.education0[:n], P.prior_work[:n])
    cell = prof * M + P.home[:n].astype(np.int64)
    arr, first = P.ti_arrival[:n].astype(np.int64), P.ti_first_job[:n].astype(np.int64)
    out: dict = {"arrivals": np.bincount(cell, minlength=N_PROFILES * M).reshape(N_PROFILES, M).tolist(),
                 "notes": list(getattr(P, "placement_notes", []))}
    for mo in HORIZONS:
        window = int(round(mo * 52 / 12))
        base = arr + window <= T
        got = base & (first >= 0) & (first - arr < window)
        out[f"observed_{mo}"] = np.bincount(cell[base], minlength=N_PROFILES * M).reshape(N_PROFILES, M).tolist()
        out[f"first_job_{mo}"] = np.bincount(cell[got], minlength=N_PROFILES * M).reshape(N_PROFILES, M).tolist()
    panel = rec.panel.reshape(M, 8, rec.panel.shape[1], rec.panel.shape[2])  # [municipality, sex x edu, month, ch]
    obs, emp, ss = CHANNELS.index("observed"), CHANNELS.index("employed"), CHANNELS.index("self_sufficient")
    for mo in PANEL_MONTHS:
        if mo >= panel.shape[2]:
            continue
        cells = panel[:, :, mo, :]
        out[f"panel_{mo}"] = {"observed": cells[..., obs].tolist(), "employed": cells[..., emp].tolist(),
                              "self_sufficient": cells[..., ss].tolist()}
    return out


def _ratio(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return np.where(b > 0, a / np.maximum(b, 1), np.nan)


def _spread(rates: np.ndarray) -> float | None:
    """The highest rate minus the lowest, over the groups observed (None if none is)."""
    seen = rates[np.isfinite(rates)]
    return float(seen.max() - seen.min()) if len(seen) else None


def _rounded(values: np.ndarray) -> list:
    return [None if not np.isfinite(v) else round(float(v), 4) for v in values]


def total(runs: list[dict], key: str) -> np.ndarray:
    """A placement cell table ([profile, municipality]) summed over runs."""
    return np.sum([np.asarray(r["placement"][key], float) for r in runs], axis=0)


def low_prospect_profiles(runs: list[dict], horizon: int = 24, quantile: float = 0.25) -> np.ndarray:
    """The profiles in the lowest `quantile` of arrivals by their national first-job rate in `runs`
    (the baseline's): the 'low-prospect' arrivals of the fairness table."""
    obs = total(runs, f"observed_{horizon}").sum(1)
    got = total(runs, f"first_job_{horizon}").sum(1)
    arrivals = total(runs, "arrivals").sum(1)
    rate = np.where(obs > 0, got / np.maximum(obs, 1), np.inf)  # profiles never observed last
    return lowest_profiles(rate, arrivals, quantile)


def summarise(scenario, runs: list[dict], low: np.ndarray, promised: list[float] | None = None) -> dict:
    """A placement scenario's figures over replicates: by county and by sex x education at 24, 36
    and 60 months; per municipality arrivals and first job within 24 months; the fairness measures;
    the promise of the predictions where given."""
    places = scenario_places(scenario)
    county_of = np.array([p.county_code for p in places])
    names = counties()
    unemp = np.array([p.unemployment_2022 for p in places])
    poor = unemp > np.median(unemp)
    out: dict = {"by_county": {}, "by_group": {}, "fairness": {}, "municipalities": {}}
    for mo in PANEL_MONTHS:
        key = f"panel_{mo}"
        if key not in runs[0]["placement"]:
            continue
        obs = [np.asarray(r["placement"][key]["observed"], float) for r in runs]  # [M, 8]
        for what in ("employed", "self_sufficient"):
            num = [np.asarray(r["placement"][key][what], float) for r in runs]
            for code in sorted(set(county_of)):
                row = out["by_county"].setdefault(code, {"name": names[code].name})
                rows = county_of == code
                row.setdefault(what, {})[str(mo)] = interval(
                    [float(_ratio(n_[rows].sum(), o[rows].sum())) for n_, o in zip(num, obs)])
            for g, gname in enumerate(GROUP_NAMES):
                row = out["by_group"].setdefault(gname, {})
                row.setdefault(what, {})[str(mo)] = interval(
                    [float(_ratio(n_[:, g].sum(), o[:, g].sum())) for n_, o in zip(num, obs)])
            if what == "employed":
                # The spread between groups: the best group's rate minus the worst's.
                out["fairness"][f"group_spread_employed_{mo}"] = interval(
                    [_spread(_ratio(n_.sum(0), o.sum(0))) for n_, o in zip(num, obs)])
    arrivals = np.array([np.asarray(r["placement"]["arrivals"], float) for r in runs])  # [R, profile, M]
    per_muni = arrivals.sum(1)
    obs24 = np.array([np.asarray(r["placement"]["observed_24"], float).sum(0) for r in runs])
    got24 = np.array([np.asarray(r["placement"]["first_job_24"], float).sum(0) for r in runs])
    rate24 = _ratio(got24, obs24)  # [R, M]
    low_arr = arrivals[:, low, :].sum(1)
    low_share = _ratio(low_arr, per_muni)
    spreads, lows, poor_low = [], [], []
    for r in range(len(runs)):
        ok = obs24[r] >= 20  # municipalities with enough people observed for a rate
        if ok.sum() >= 3:
            w = obs24[r][ok]
            x = rate24[r][ok]
            order = np.argsort(x)
            cw = np.cumsum(w[order]) / w.sum()
            spreads.append(float(x[order][np.searchsorted(cw, 0.9)] - x[order][np.searchsorted(cw, 0.1)]))
        has = per_muni[r] >= 10
        lows.append(float(np.nanmax(low_share[r][has])) if has.any() else None)
        poor_low.append(float(low_arr[r][poor].sum() / max(low_arr[r].sum(), 1)))
    out["fairness"]["municipal_spread_first_job_24"] = interval(spreads)
    out["fairness"]["largest_low_prospect_share"] = interval(lows)
    out["fairness"]["low_prospect_share_national"] = float(low_arr.sum() / max(per_muni.sum(), 1))
    out["fairness"]["low_prospect_to_high_unemployment"] = interval(poor_low)
    out["municipalities"] = {
        "codes": [p.code for p in places], "names": [p.name for p in places],
        "lat": [p.lat for p in places], "lon": [p.lon for p in places],
        "arrivals_per_year": (per_muni.mean(0) / max(scenario.simulation.years, 1)).round(2).tolist(),
        # Pooled over replicates (a municipality's people of every replicate together).
        "first_job_24": _rounded(_ratio(got24.sum(0), obs24.sum(0))),
        "low_prospect_share": _rounded(_ratio(low_arr.sum(0), per_muni.sum(0)))}
    out["first_job_24"] = interval([float(got24[r].sum() / max(obs24[r].sum(), 1)) for r in range(len(runs))])
    if promised is not None:
        out["promised_first_job"] = interval(promised)
    out["notes"] = sorted({n for r in runs for n in r["placement"].get("notes", [])})
    return out


def promised(run: dict, probability: np.ndarray, horizon: int) -> float:
    """The predictions' expected share with a first job within `horizon` for a run's placement:
    each person's predicted chance in the municipality they were placed in, over those observed."""
    obs = np.asarray(run["placement"][f"observed_{horizon}"], float)
    return float((obs * probability).sum() / max(obs.sum(), 1))


def placement_summaries(scenarios: list, figures: list[list[dict]]) -> list[dict]:
    """Each placement scenario's `summarise`, the low-prospect profiles taken from the first (the
    baseline), and the promise of the predictions where one of the scenarios carries them."""
    from .place import predictions_matrix
    low = low_prospect_profiles(figures[0])
    carrier = next((s for s in scenarios if s.placement.rule == "optimised"
                    and s.placement.optimised.predicted is not None), None)
    prob = horizon = None
    if carrier is not None:
        prob = predictions_matrix(carrier, scenario_places(carrier))
        horizon = carrier.placement.optimised.predicted.horizon_months
    out = []
    for s, runs in zip(scenarios, figures):
        prom = ([promised(r, prob, horizon) for r in runs]
                if prob is not None and horizon in HORIZONS and carrier is not None
                and [p.code for p in scenario_places(s)] == [p.code for p in scenario_places(carrier)] else None)
        block = summarise(s, runs, low, prom)
        block["rule"] = s.placement.rule
        block["low_prospect_profiles"] = [n for n, is_low in zip(profile_names(), low) if is_low]
        if prom is not None:
            block["promised_horizon_months"] = horizon
        out.append(block)
    return out
