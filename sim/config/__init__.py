"""Scenario configuration: typed schema, YAML loading with line numbers, `extends:` chains."""

from .behaviour import EDUCATION_LEVELS, Behaviour
from .errors import Problem, ScenarioError
from .loader import (
    SCENARIO_DIR,
    Sources,
    load_scenario,
    load_scenario_with_sources,
    parse_set_value,
    resolve_scenario_path,
    scenario_from_dict,
)
from .schema import SECTORS, Scenario

__all__ = [
    "EDUCATION_LEVELS", "SECTORS", "SCENARIO_DIR", "Behaviour", "Problem", "Scenario",
    "ScenarioError", "Sources", "load_scenario", "load_scenario_with_sources", "parse_set_value",
    "resolve_scenario_path", "scenario_from_dict",
]
