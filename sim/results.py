"""Results of finished runs as tidy tables, and comparisons of scenarios over paired replicates.

Tables are built from a finished model once, then written to the results folder; plots and the
report read those tables, never a live model.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .metrics import HEADLINE_MONTHS, PAYMENTS
from .ranges import SEEDS_PER_MEMBER, two_ranges
from .states import KORA_CATEGORIES, N_STATES, SEX_NAMES, STATE_NAMES
from .stats import combine

BY_MONTH_COLUMNS = ["observed", "employed", "self_sufficient", "had_contact", "sfi_passed", "occupied_off_support",
                    "passive_support"]


def areas(model) -> tuple[list[str], np.ndarray]:
    """The areas the tables are kept by: each municipality, or in a national placement world its
    county (290 municipalities' weekly series would be some 100 MB a comparison; the county is
    what a county board reads). Returns the area names and each municipality's area."""
    if model.config.placement is None:
        return list(model.munis.names), np.arange(model.munis.n)
    from .config.places import counties
    from .placement.place import scenario_places
    codes = [p.county_code for p in scenario_places(model.config)]
    order = sorted(set(codes))
    table = counties()
    return [table[c].name for c in order], np.array([order.index(c) for c in codes])


def timeseries_long(model) -> pd.DataFrame:
    """Weekly series per municipality (per county in a national placement world) in tidy long form:
    week, municipality, group, metric, value.

    Groups: 'all' for states and payments; 'all', 'female' and 'male' for people present,
    employed and self-sufficient.
    """
    rec = model.recorder
    T = model.t + 1
    area_names, area_of = areas(model)
    K = len(area_names)
    names = np.array(area_names)
    parts = []

    def add(values: np.ndarray, metric: str, group: str):
        # values: (T, municipalities), summed into the areas
        if K != len(area_of) or not np.array_equal(area_of, np.arange(K)):
            summed = np.zeros((values.shape[0], K), dtype=np.float64)
            np.add.at(summed.T, area_of, values.T)
            values = summed
        parts.append(pd.DataFrame({
            "week": np.repeat(np.arange(T), K), "municipality": np.tile(names, T),
            "group": group, "metric": metric, "value": values[:T].reshape(-1).astype(np.float64)}))

    for arr, metric in ((rec.weekly_present, "present"), (rec.weekly_employed, "employed"),
                        (rec.weekly_self_sufficient, "self_sufficient")):
        add(arr[:T].sum(axis=2), metric, "all")
        for s, sex in enumerate(SEX_NAMES):
            add(arr[:T, :, s], metric, sex)
    for s in range(1, N_STATES):  # every state but NOT_ARRIVED
        add(rec.weekly_states[:T, :, s], f"state_{STATE_NAMES[s]}", "all")
    for j, pname in enumerate(PAYMENTS):
        add(rec.payments[:T, :, j], f"payment_{pname}_sek", "all")
    return pd.concat(parts, ignore_index=True)


def by_month_table(model) -> pd.DataFrame:
    """Counts by months since arrival, municipality, sex and education at arrival."""
    df = model.by_duration("arrival")
    df = df[["months_since_arrival", "municipality", "sex", "education", *BY_MONTH_COLUMNS]]
    if model.config.placement is not None:  # by county (see `areas`)
        area_names, area_of = areas(model)
        to_area = dict(zip(model.munis.names, (area_names[a] for a in area_of)))
        df = (df.assign(municipality=df["municipality"].map(to_area))
              .groupby(["months_since_arrival", "municipality", "sex", "education"], sort=False, as_index=False)
              [list(BY_MONTH_COLUMNS)].sum())
    return df


@dataclass
class ScenarioRuns:
    """One scenario's replicates: figures per replicate, and tables when they were kept."""

    name: str
    scenario: object
    figures: list[dict] = field(default_factory=list)
    timeseries: list[pd.DataFrame] = field(default_factory=list)
    by_month: list[pd.DataFrame] = field(default_factory=list)


def differences(base: list[dict], other: list[dict], seeds_per_member: int = SEEDS_PER_MEMBER,
                parameter_uncertainty: bool = True) -> dict:
    """Each headline figure's difference (other - base) over paired replicates, with its two ranges
    (`sim.ranges.two_ranges`): the expected effect, and what one municipality may see (also the
    figure's own mean, lo and hi). `seeds_per_member` is the K the replicates were run with;
    `parameter_uncertainty` whether they drew parameter sets from an ensemble."""
    def paired_interval(a: list, b: list) -> dict:
        return two_ranges(a, b, seeds_per_member, parameter_uncertainty)

    def months(key, sub=None):
        get = (lambda r: r[key]) if sub is None else (lambda r: r[key][sub])
        return {str(m): paired_interval([get(r)[str(m)] for r in base], [get(r)[str(m)] for r in other])
                for m in HEADLINE_MONTHS}

    scalars = ["labour_market_contact_year1", "job_3_weeks_within_3_years", "sfi_course_year1",
               "sfi_completed_year1", "median_weeks_to_first_job", "median_weeks_to_self_sufficiency",
               "costs_sek_per_refugee"]
    out = {
        "self_sufficiency": months("self_sufficiency"),
        "employment": months("employment"),
        "employment_by_sex": {s: months("employment_by_sex", s) for s in ("female", "male")},
        "employment_unsubsidised": months("employment_unsubsidised"),
        "occupied_off_support": months("occupied_off_support"),
        "passive_support": months("passive_support"),
        "employment_during_year": {str(k): paired_interval([r["employment_during_year"].get(str(k)) for r in base],
                                                           [r["employment_during_year"].get(str(k)) for r in other])
                                   for k in range(1, 6)},
    }
    for k in scalars:
        out[k] = paired_interval([r[k] for r in base], [r[k] for r in other])
    out["weeks_in_state_first_3_years"] = {
        k: paired_interval([r["weeks_in_state_first_3_years"][k] for r in base],
                   [r["weeks_in_state_first_3_years"][k] for r in other]) for k in KORA_CATEGORIES}
    out["by_municipality"] = municipality_differences(base, other, paired_interval)
    if base and other and "first_job_within" in base[0] and "first_job_within" in other[0]:
        out["first_job_within"] = {k: paired_interval([r["first_job_within"][k] for r in base],
                                                      [r["first_job_within"][k] for r in other])
                                   for k in base[0]["first_job_within"]}
    return out


def municipality_differences(base: list[dict], other: list[dict], paired_interval) -> dict:
    """Paired differences of each municipality's groups (own refugees, moved in, moved out) and of
    its other job seekers' hires, for the municipalities both scenarios have: who gains and who
    loses beside the pooled figure."""
    if not base or not other or "by_municipality" not in base[0] or "by_municipality" not in other[0]:
        return {}
    return combine(paired_interval, [r["by_municipality"] for r in base], [r["by_municipality"] for r in other],
                   skip=frozenset({"refugees"}))
