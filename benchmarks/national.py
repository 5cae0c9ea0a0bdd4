"""Sweden's 290 municipalities as one scenario, for the benchmarks: the national world of
`run.py national` (sim/national.py: real codes, populations, register unemployment, the 2018
settlement numbers; programmes, staff and employers from the shipped templates), with the
Settlement Act placing the arrivals. It replaced a generated country of assumed sizes (issue 25).

    python benchmarks/national.py [--arrivals 25000] [--years 10]   # prints its size, then runs it
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sim.config import Scenario, scenario_from_dict  # noqa: E402
from sim.national import national_dict  # noqa: E402


def national_scenario(arrivals_per_year: int = 25_000, years: int = 10, rule: str = "settlement_act") -> Scenario:
    """The validated national world (2018 rules and labour market) with this many arrivals."""
    return scenario_from_dict(national_dict(2018, arrivals_per_year, years, rule))


def describe(s: Scenario) -> dict:
    """Sizes of a national scenario, for the benchmark's output."""
    return {"municipalities": len(s.municipalities),
            "arrivals_per_year": s.placement.per_year(s.simulation.years)[0] if s.placement else 0,
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
