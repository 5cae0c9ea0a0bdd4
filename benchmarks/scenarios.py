"""Scenarios the benchmarks share: the typical municipality scaled to any number of refugees.

`scaled_typical` was first written for `large_population.py`; `bench.py` and the Mesa reference
(`mesa_reference.core_only`) build on it too, so it lives here, once.
"""

from __future__ import annotations

import copy

import numpy as np

from sim.config import Scenario, load_scenario, scenario_from_dict

# The most refugees one copy of the typical municipality takes: above it, its staff would pass
# the schema's bounds for one municipality (1,000 coaches), so a larger run is several copies.
PER_MUNICIPALITY = 100_000


def scaled_typical_dict(refugees: int, years: int) -> dict:
    """typical_2006 with `refugees` arrivals spread evenly over `years`, as raw scenario data.

    Every employer kind's count, the staffing agency's hires and the staff are scaled by the
    same factor as the arrivals (typical_2006 settles 50 a year), so the labour market, the
    internship places and the staff per refugee stay those of typical_2006 at any size: a larger
    run is more of the same municipality, not a more crowded one. Above PER_MUNICIPALITY refugees
    the run is that many equal copies of the scaled municipality (`typical_1`, `typical_2`, ...),
    each with its own employers and agency.
    """
    base = load_scenario("typical_2006")
    copies = -(-refugees // PER_MUNICIPALITY)
    each = refugees / copies
    factor = each / (50 * years)
    data = base.model_dump(by_alias=True)
    data["simulation"]["years"] = years
    muni = data["municipalities"]["typical"]
    muni["arrivals"] = {"per_year": each / years}
    for e in data["employers"].values():
        e["count"] = max(1, round(e["count"] * factor))
    for a in data["staffing_agencies"].values():
        a["hires_per_year"] *= factor
    for k in ("coaches", "internship_coordinators"):
        muni["staff"][k] *= factor
    if copies == 1:
        return data
    names = [f"typical_{c + 1}" for c in range(copies)]
    data["municipalities"] = {n: copy.deepcopy(muni) for n in names}
    data["employers"] = {f"{k}_{n}": {**copy.deepcopy(e), "municipality": n}
                         for n in names for k, e in data["employers"].items()}
    data["staffing_agencies"] = {f"{k}_{n}": {**copy.deepcopy(a), "municipalities": [n], "partner_municipalities": []}
                                 for n in names for k, a in data["staffing_agencies"].items()}
    return data


def scaled_typical(refugees: int, years: int) -> Scenario:
    """The validated scenario of `scaled_typical_dict`."""
    return scenario_from_dict(scaled_typical_dict(refugees, years))


def refugee_weeks(model) -> int:
    """Refugee-weeks of a finished run: for every refugee who arrived, the weeks simulated from
    their arrival week to the end of the run (arrival week included).

    Every arrived person stays in the arrays each phase works on, whatever their state, so this
    is the work a run does, and it is fixed by the scenario and the seed: leaving, finding work
    or any other outcome does not change it. Someone arriving in week 0 of a 520-week run counts
    520; evenly spread arrivals give about refugees x weeks / 2.
    """
    P = model.population
    arrived = P.ti_arrival[:P.n_arrived]
    return int(np.sum(model.n_weeks - arrived.astype(np.int64)))
