"""Shared helpers: a small, fast test world built in code, and replicate averages."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from sim.config import scenario_from_dict
from sim.model import IntroductionModel
from sim.runner import replicate_seed

# The smallest valid scenario file, for tests of loading and of bad input.
MINIMAL_YAML = """\
name: mini
municipalities:
  town:
    arrivals: {per_year: 10}
employers:
  shop:
    municipality: town
    sector: retail_hospitality
"""

BASE_WORLD = {
    "name": "test_world",
    "simulation": {"start_date": "2006-01-02", "years": 3, "seed": 7},
    "municipalities": {
        "home": {
            "arrivals": {"cohort": 300},
            "programme": {"hours_per_week": 20, "plan_weeks": 4, "summer_break_weeks": 0,
                          "first_internship_week": 8, "programme_weeks": 104},
            "staff": {"coaches": 2, "coach_share_at_employers": 0.3, "internship_coordinators": 1},
            "labour_market": {"labour_force": 10000, "unemployment": 0.06},
        },
    },
    "employers": {
        "firms": {"municipality": "home", "sector": "manufacturing", "count": 20, "employees": 50,
                  "vacancies_per_year": 6, "min_swedish": 0.1, "intern_places": 2, "hiring_bias": 0.3},
        "care": {"municipality": "home", "sector": "health_care", "public": True, "employees": 500,
                 "vacancies_per_year": 30, "min_swedish": 0.4, "intern_places": 5, "hiring_bias": 0.2},
        "qualified": {"municipality": "home", "sector": "professional_services", "count": 10,
                      "vacancies_per_year": 4, "min_swedish": 0.3, "min_education": "tertiary",
                      "requires_validation": True, "hiring_bias": 0.3},
    },
}


def world(**changes) -> dict:
    """A deep copy of the base world with dotted-path changes, e.g. world(**{"a.b": 1})."""
    data = copy.deepcopy(BASE_WORLD)
    for dotted, value in changes.items():
        node = data
        keys = dotted.split(".")
        for k in keys[:-1]:
            node = node.setdefault(k, {})
        node[keys[-1]] = value
    return data


def run_world(data: dict, seed: int = 1, collect: bool = False) -> IntroductionModel:
    return IntroductionModel(scenario_from_dict(data), seed=seed, collect=collect).run()


def replicate_mean(data: dict, fn, replicates: int = 6, base_seed: int = 11) -> float:
    """Mean of fn(model) over replicates with the same seeds for every scenario (CRN)."""
    scenario = scenario_from_dict(data)
    vals = []
    for r in range(replicates):
        m = IntroductionModel(scenario, seed=replicate_seed(base_seed, r), collect=False).run()
        vals.append(fn(m))
    return float(np.mean(vals))


@pytest.fixture
def base_world():
    return world()


@pytest.fixture(scope="session", autouse=True)
def compiled_kernels():
    """The week's kernels compiled (or loaded) once, before the first test: test workers started
    together compile once between them (sim.compiled), and the command-line tests' subprocesses
    then load them."""
    from sim import compiled
    compiled.ready()
