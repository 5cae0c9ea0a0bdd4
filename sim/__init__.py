"""Agent-based simulation of how municipalities introduce newly arrived refugees into work."""

from .config import Scenario, ScenarioError, load_scenario
from .model import IntroductionModel
from .states import State

__version__ = "0.1.0"
__all__ = ["IntroductionModel", "Scenario", "ScenarioError", "State", "load_scenario", "__version__"]
