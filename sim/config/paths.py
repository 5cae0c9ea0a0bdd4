"""Where the shipped scenarios and calibration files are: the project's top-level folders in a
source checkout, the package data `sim.shipped.*` in an installed wheel (pyproject.toml)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def shipped(name: str) -> Path:
    """The folder of shipped `scenarios` or `calibration` files."""
    installed = Path(str(resources.files("sim.shipped"))) / name
    if installed.is_dir():  # a wheel: sim/shipped/<name>
        return installed
    return Path(__file__).resolve().parents[2] / name  # a source tree (installed editable or not)


SCENARIO_DIR = shipped("scenarios")
CALIBRATION_DIR = shipped("calibration")
