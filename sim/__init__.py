"""Agent-based simulation of how municipalities introduce newly arrived refugees into work."""

from __future__ import annotations

import importlib
import time
from typing import TYPE_CHECKING

# When this process first imported the package: cached kernels written after it were compiled from
# the sources this process runs (`sim.compiled.keep_fresh` keeps them).
IMPORTED = time.time()

__version__ = "0.2.0"
__all__ = ["IntroductionModel", "Scenario", "ScenarioError", "State", "load_scenario", "__version__"]

# The public names are imported on first use (PEP 562), so that `import sim.cli` (and with it
# `run.py --help`) does not pay for NumPy, pandas and Mesa.
_WHERE = {"IntroductionModel": "sim.model", "Scenario": "sim.config", "ScenarioError": "sim.config",
          "load_scenario": "sim.config", "State": "sim.states"}

if TYPE_CHECKING:
    from .config import Scenario, ScenarioError, load_scenario
    from .model import IntroductionModel
    from .states import State


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
