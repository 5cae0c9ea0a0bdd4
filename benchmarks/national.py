"""A generated national scenario: every Swedish municipality's introduction at once (issue 6).

    python benchmarks/national.py [--arrivals 25000] [--years 10]   # prints its size, then runs it

Sweden has had 290 municipalities since 2003; about 25,000 refugees a year were settled in the
mid-2000s. Nothing here is calibrated: the scenario exists to measure how the model scales to a
country (many municipalities, tens of thousands of employers, agencies and agreements across
municipalities), so its sizes need to be plausible, not right. Every generated value is an
assumption and is marked so below; the refugee profile, national rules and behaviour are
typical_2006's, and the two programme templates are typical_2006's and Falkenberg's.

The same arguments always give the same scenario (a fixed seed for the generated spread).
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path
from statistics import NormalDist

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sim.config import Scenario, load_scenario, scenario_from_dict  # noqa: E402

MUNICIPALITIES = 290  # Sweden's municipalities since 2003
# The ten largest municipalities and their populations, rounded (about 2006, SCB); their order
# matters, the exact numbers do not. Assumption-level precision.
LARGEST = [("stockholm", 783_000), ("goteborg", 489_000), ("malmo", 276_000), ("uppsala", 187_000),
           ("linkoping", 139_000), ("vasteras", 133_000), ("orebro", 130_000),
           ("norrkoping", 126_000), ("helsingborg", 122_000), ("jonkoping", 121_000)]
# The other municipalities: a log-normal spread of sizes (assumption: median 16,000 inhabitants,
# log-sd 0.8, clipped to 2,500-115,000), which puts about 9 million people in the country.
MEDIAN_POPULATION = 16_000
LOG_SD = 0.8
SMALLEST, LARGEST_OF_REST = 2_500, 115_000
REGIONS = 21  # groupings like Sweden's 21 counties, each around one of the 21 largest (assumption)
ACTIVE_SHARE = 0.25  # assumption: a quarter run a Falkenberg-like programme, the rest a typical one
COMMUTE_BELOW = 20_000  # assumption: residents of smaller municipalities also work in the centre
MUNICIPAL_STAFF_SHARE = 0.07  # assumption: a municipality employs about 7 % of its inhabitants
UNEMPLOYMENT_MEAN, UNEMPLOYMENT_SD = 0.065, 0.02  # assumption: local unemployment spread
AGENCY_HIRES_PER_ARRIVAL = 8 / 50  # typical_2006's agency: 8 hires a year per 50 arrivals
AGREEMENT_SHARE = 0.02  # assumption: a big city moves 2 % of its arrivals to each of two partners
PUBLIC_KINDS = ("elder_care", "schools")  # one organisation per municipality, scaled in size
SEED = 290


def populations() -> list[tuple[str, int]]:
    """(name, inhabitants) for every municipality, largest first."""
    rest = MUNICIPALITIES - len(LARGEST)
    nd = NormalDist()
    sizes = [MEDIAN_POPULATION * float(np.exp(LOG_SD * nd.inv_cdf((i + 0.5) / rest))) for i in range(rest)]
    sizes = sorted((int(min(max(s, SMALLEST), LARGEST_OF_REST)) for s in sizes), reverse=True)
    return LARGEST + [(f"m{i + len(LARGEST) + 1:03d}", s) for i, s in enumerate(sizes)]


def share_out(total: int, weights: list[float]) -> list[int]:
    """Integers proportional to `weights` that add up to `total` (largest remainders)."""
    w = np.asarray(weights, dtype=float)
    exact = total * w / w.sum()
    out = np.floor(exact).astype(int)
    out[np.argsort(-(exact - out), kind="stable")[: total - out.sum()]] += 1
    return out.tolist()


def national_dict(arrivals_per_year: int = 25_000, years: int = 10) -> dict:
    """The national scenario as raw data (see the module docstring)."""
    typical = load_scenario("typical_2006").model_dump(by_alias=True)
    falkenberg = load_scenario("falkenberg").model_dump(by_alias=True)
    templates = {"typical": (typical["municipalities"]["typical"], 50.0),
                 "active": (falkenberg["municipalities"]["falkenberg"], 40.0)}
    rng = np.random.default_rng(SEED)
    pops = populations()
    names = [n for n, _ in pops]
    arrivals = share_out(arrivals_per_year, [p for _, p in pops])
    # Regions: the 21 largest are the centres; the others are dealt out by size, so each region
    # has large and small members (assumption).
    region = [i if i < REGIONS else (i - REGIONS) % REGIONS for i in range(len(pops))]
    active = rng.random(len(pops)) < ACTIVE_SHARE

    data = copy.deepcopy(typical)
    data["name"] = "national"
    data["description"] = (f"{len(pops)} generated municipalities, {arrivals_per_year} arrivals a year "
                           "(benchmarks/national.py; sizes are assumptions)")
    data["simulation"]["years"] = years
    data["municipalities"], data["employers"], data["staffing_agencies"] = {}, {}, {}
    data["secondary_agreements"] = {}
    for i, (name, pop) in enumerate(pops):
        tmpl, tmpl_arrivals = templates["active" if active[i] else "typical"]
        m = copy.deepcopy(tmpl)
        a = arrivals[i]
        m["label"] = name
        m["reception_agreement_per_year"] = a
        m["arrivals"] = {"per_year": a}
        staff_scale = a / tmpl_arrivals  # staff per arrival as in the template
        m["staff"]["coaches"] = tmpl["staff"]["coaches"] * staff_scale
        m["staff"]["internship_coordinators"] = tmpl["staff"]["internship_coordinators"] * staff_scale
        m["network"]["municipal_staff"] = int(pop * MUNICIPAL_STAFF_SHARE)
        # Other job seekers in proportion to the vacancies (employers scale with arrivals below),
        # so competition per vacancy is typical_2006's at the typical rate.
        m["labour_market"]["labour_force"] = int(tmpl["labour_market"]["labour_force"] * max(a, 1) / tmpl_arrivals)
        m["labour_market"]["unemployment"] = float(np.clip(rng.normal(UNEMPLOYMENT_MEAN, UNEMPLOYMENT_SD), 0.02, 0.2))
        centre = names[region[i]]
        m["commuting_to"] = [centre] if pop < COMMUTE_BELOW and centre != name else []
        data["municipalities"][name] = m
        # The local labour market: typical_2006's employer kinds scaled to the arrivals (its 50 a
        # year), so vacancies and intern places per refugee are the typical ones everywhere;
        # firms multiply, the public organisations grow. At least one of each kind (assumption).
        f = max(a, 1) / 50.0
        for kind, e in typical["employers"].items():
            e = copy.deepcopy(e)
            e["municipality"] = name
            if kind in PUBLIC_KINDS:
                e["vacancies_per_year"] = e["vacancies_per_year"] * f
                e["employees"] = max(1, int(e["employees"] * f))
                e["intern_places"] = max(1, round(e["intern_places"] * f)) if e["intern_places"] else 0
            else:
                e["count"] = max(1, round(e["count"] * f))
            data["employers"][f"{name}_{kind}"] = e
    # One staffing agency per region; a partnership where the programme is Falkenberg-like.
    agency = typical["staffing_agencies"]["regional_agency"]
    for r in range(REGIONS):
        members = [i for i in range(len(pops)) if region[i] == r]
        ag = copy.deepcopy(agency)
        ag["municipalities"] = [names[i] for i in members]
        ag["partner_municipalities"] = [names[i] for i in members if active[i]]
        ag["hires_per_year"] = AGENCY_HIRES_PER_ARRIVAL * sum(arrivals[i] for i in members)
        data["staffing_agencies"][f"agency_{names[r]}"] = ag
    # Secondary agreements: each of the three largest cities sends newcomers to the two smallest
    # municipalities of its region, which have housing for them (assumption).
    for r in range(3):
        members = sorted((i for i in range(len(pops)) if region[i] == r), key=lambda i: pops[i][1])
        for dst in members[:2]:
            places = max(1, round(AGREEMENT_SHARE * arrivals[r]))
            data["secondary_agreements"][f"{names[r]}_to_{names[dst]}"] = {
                "from": names[r], "to": names[dst], "places_per_year": places, "within_weeks_of_arrival": 26}
            data["municipalities"][names[dst]]["housing_capacity_per_year"] = arrivals[dst] + places
    return data


def national_scenario(arrivals_per_year: int = 25_000, years: int = 10) -> Scenario:
    """The validated national scenario."""
    return scenario_from_dict(national_dict(arrivals_per_year, years))


def describe(s: Scenario) -> dict:
    """Sizes of a national scenario, for the benchmark's output."""
    return {"municipalities": len(s.municipalities),
            "arrivals_per_year": int(sum(m.arrivals.per_year for m in s.municipalities.values())),
            "years": s.simulation.years,
            "employers": sum(e.count for e in s.employers.values()),
            "staffing_agencies": len(s.staffing_agencies),
            "secondary_agreements": len(s.secondary_agreements)}


if __name__ == "__main__":
    import argparse
    import json
    import time

    from sim.model import IntroductionModel

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--arrivals", type=int, default=25_000)
    ap.add_argument("--years", type=int, default=10)
    args = ap.parse_args()
    t0 = time.perf_counter()
    scenario = national_scenario(args.arrivals, args.years)
    t1 = time.perf_counter()
    print(json.dumps({**describe(scenario), "generate_s": round(t1 - t0, 2)}), flush=True)
    model = IntroductionModel(scenario, seed=1, collect=False)
    t2 = time.perf_counter()
    model.run()
    t3 = time.perf_counter()
    print(json.dumps({"refugees": model.population.n, "construct_s": round(t2 - t1, 2),
                      "run_s": round(t3 - t2, 2), "employment_36m": model.figures()["employment"]["36"]}))
