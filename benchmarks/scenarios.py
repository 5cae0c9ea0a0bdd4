"""Scenarios the benchmarks share: the typical municipality scaled to any number of refugees.

`scaled_typical` was first written for `large_population.py`; `bench.py` and the Mesa reference
(`mesa_reference.core_only`) build on it too, so it lives here, once.
"""

from __future__ import annotations

import numpy as np

from sim.config import Scenario, load_scenario, scenario_from_dict


def scaled_typical_dict(refugees: int, years: int) -> dict:
    """typical_2006 with `refugees` arrivals spread evenly over `years`, as raw scenario data.

    Every employer kind's count, the staffing agency's hires and the staff are scaled by the
    same factor as the arrivals (typical_2006 settles 50 a year), so the labour market, the
    internship places and the staff per refugee stay those of typical_2006 at any size: a larger
    run is more of the same municipality, not a more crowded one.
    """
    base = load_scenario("typical_2006")
    factor = refugees / (50 * years)
    data = base.model_dump(by_alias=True)
    data["simulation"]["years"] = years
    data["municipalities"]["typical"]["arrivals"] = {"per_year": refugees / years}
    for e in data["employers"].values():
        e["count"] = max(1, round(e["count"] * factor))
    for a in data["staffing_agencies"].values():
        a["hires_per_year"] *= factor
    staff = data["municipalities"]["typical"]["staff"]
    for k in ("coaches", "internship_coordinators"):
        staff[k] *= factor
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
