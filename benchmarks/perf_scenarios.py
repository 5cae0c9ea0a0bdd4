"""Scenarios for speed work: the typical municipality scaled to N refugees, and a national-like
scenario of many municipalities built from it (commuting rings, staffing agencies per region,
secondary agreements), both from `typical_2006` by scaling.

    from perf_scenarios import scaled_typical, national_like
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.scenarios import scaled_typical  # noqa: E402,F401  (one definition, re-exported)
from sim.config import load_scenario, scenario_from_dict  # noqa: E402


def national_like(n_munis: int = 290, per_year: float = 25_000, years: int = 10, agreements: int = 20,
                  seed_variety: bool = True):
    """`n_munis` copies of the typical municipality with uneven arrivals (25,000 a year in all),
    employers and staff scaled with each municipality's arrivals, commuting to the two neighbours
    on a ring, one staffing agency per ten municipalities and `agreements` secondary agreements."""
    base = load_scenario("typical_2006").model_dump(by_alias=True)
    base["simulation"]["years"] = years
    tmpl = base["municipalities"]["typical"]
    emp_tmpl = base["employers"]
    ag_tmpl = next(iter(base["staffing_agencies"].values()))
    # Uneven sizes: weights 1..5 repeating, normalised to per_year in all.
    w = [1 + (i * 7) % 5 for i in range(n_munis)]
    tot = sum(w)
    names = [f"m{i:03d}" for i in range(n_munis)]
    munis, employers, agencies = {}, {}, {}
    for i, name in enumerate(names):
        m = copy.deepcopy(tmpl)
        arr = per_year * w[i] / tot
        factor = arr / 50.0
        m["label"] = name
        m["arrivals"] = {"per_year": arr}
        m["reception_agreement_per_year"] = arr
        for k in ("coaches", "internship_coordinators"):
            m["staff"][k] *= factor
        if seed_variety:  # a little variety in the levers
            m["programme"]["hours_per_week"] = [15, 20, 30, 40][i % 4]
            m["programme"]["plan_weeks"] = [10, 5, 8][i % 3]
            m["programme"]["allowance"] = ["social_assistance", "wage_like"][i % 2]
            m["programme"]["alternate_sfi_with_internship"] = bool(i % 2)
        if n_munis > 2:
            m["commuting_to"] = [names[(i - 1) % n_munis], names[(i + 1) % n_munis]]
        munis[name] = m
        for key, e in emp_tmpl.items():
            e2 = copy.deepcopy(e)
            e2["municipality"] = name
            e2["count"] = max(1, round(e.get("count", 1) * factor))
            employers[f"{name}_{key}"] = e2
    for r in range(0, n_munis, 10):
        a = copy.deepcopy(ag_tmpl)
        region = names[r:r + 10]
        a["municipalities"] = region
        a["partner_municipalities"] = region[:3] if (r // 10) % 2 else []
        a["hires_per_year"] = ag_tmpl["hires_per_year"] * sum(w[r:r + 10]) / tot * per_year / 50
        agencies[f"agency_{r:03d}"] = a
    sec = {}
    for k in range(min(agreements, n_munis // 2)):
        src, dst = names[2 * k], names[2 * k + 1]
        munis[dst]["housing_capacity_per_year"] = munis[dst]["arrivals"]["per_year"] + 40
        sec[f"g{k}"] = {"from": src, "to": dst, "places_per_year": 30, "within_weeks_of_arrival": 26}
    base["name"] = f"national_like_{n_munis}"
    base["municipalities"] = munis
    base["employers"] = employers
    base["staffing_agencies"] = agencies
    base["secondary_agreements"] = sec
    return scenario_from_dict(base)
