"""Each world's scalar parameters as one row of a structured array, the form the kernels read.

The kernels read a world's behavioural parameters, national rules and measures' settings as
fields of one record (`par[w].hiring_intercept`), so that the worlds of a batch may differ in any
of them (a calibration's candidates, a sweep over national rules) and every person reads their own
world's values. The record's fields are made from the schema itself (`behaviour`, `national`,
`metrics`, flattened with `_`), so a parameter added to the schema reaches the kernels with no
list to keep in step; booleans and integers are stored as float64 (one dtype, one compiled type).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import BaseModel

from .config.behaviour import Behaviour
from .config.schema import Metrics, National

if TYPE_CHECKING:
    from .config import Scenario

# The sections of a scenario that become fields, and the prefix of their names.
SECTIONS: tuple[tuple[str, type[BaseModel], str], ...] = (
    ("behaviour", Behaviour, ""), ("national", National, "national_"), ("metrics", Metrics, "metrics_"))


def _leaves(model: BaseModel | type[BaseModel], prefix: str) -> list[tuple[str, Any]]:
    """(flattened name, value) of every numeric leaf of a section, in the schema's order."""
    out = []
    cls = model if isinstance(model, type) else type(model)
    for name, field in cls.model_fields.items():
        value = getattr(model, name) if not isinstance(model, type) else None
        sub = field.annotation
        if isinstance(sub, type) and issubclass(sub, BaseModel):
            out += _leaves(value if value is not None else sub, f"{prefix}{name}_")
        else:
            out.append((f"{prefix}{name}", value))
    return out


def _fields() -> list[str]:
    return [name for section, cls, prefix in SECTIONS for name, _ in _leaves(cls, prefix)]


FIELDS = _fields()
DTYPE = np.dtype([(name, np.float64) for name in FIELDS])


def row_values(scenario: "Scenario") -> list[float]:
    """The scenario's values in the order of `FIELDS`."""
    out = []
    for section, _, prefix in SECTIONS:
        out += [float(v) for _, v in _leaves(getattr(scenario, section), prefix)]
    return out


def parameter_rows(scenarios: list["Scenario"]) -> np.ndarray:
    """One record per world (a structured array of `DTYPE`)."""
    rows = np.zeros(len(scenarios), DTYPE)
    cache: dict[int, list[float]] = {}
    for w, s in enumerate(scenarios):
        values = cache.get(id(s))
        if values is None:
            values = cache[id(s)] = row_values(s)
        rows[w] = tuple(values)
    return rows

