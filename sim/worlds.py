"""Many worlds stepped together (`Worlds`), and one world of a batch seen on its own (`WorldView`).

A world is one run of a scenario with one seed: a replicate, a sweep point or a calibration
candidate. `sim/batch.py` lays the worlds' tables side by side; the worlds of one batch share only
the simulated period and its start (`batch_key`): levers, municipalities, behavioural parameters,
national rules and seeds differ freely. World w's results are bit-identical to its run alone.

`WorldView` gives one world of a finished batch in the shape of a single-world model, for the
results code (figures, tables, calibration outputs), which therefore has one path for both.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import mesa
import numpy as np

from .metrics import by_duration, run_figures
from .model import IntroductionModel, agreement_records
from .population import NO_ONE, Population
from .tables import AGENCY, EMPLOYER, MUNICIPALITY, names

if TYPE_CHECKING:
    from .config import Scenario


def behaviour_value(behaviour, path: str) -> float:
    section, name = path.split(".")
    return float(getattr(getattr(behaviour, section), name))


def batch_key(scenario: "Scenario") -> str:
    """What the worlds of one batch must share: the simulated period and its start (the weekly
    arrays and the calendar). Scenarios with equal keys can run as worlds of one batch."""
    return json.dumps({"weeks": scenario.weeks, "start": scenario.simulation.start_date.isoformat()})


class Worlds(IntroductionModel):
    """Many independent worlds stepped together: the replicates of a scenario, the points of a
    sweep, the candidates of a calibration. `worlds` lists (scenario, seed); the scenarios must
    share `batch_key`. World w's results (`world(w)`) are bit-identical to
    `IntroductionModel(scenario, seed)` run alone. No Mesa agents or DataCollector: a batch is for
    figures; run one world alone to inspect its agents week by week.
    """

    def __init__(self, worlds: list[tuple["Scenario", int]]):
        if not worlds:
            raise ValueError("a batch needs at least one world")
        worlds = [(s, int(seed)) for s, seed in worlds]
        keys: dict[int, str] = {}
        for w, (s, _) in enumerate(worlds):
            k = keys.get(id(s))
            if k is None:
                k = keys[id(s)] = batch_key(s)
            if k != keys[id(worlds[0][0])]:
                raise ValueError(f"world {w} ({s.name}) differs from world 0 ({worlds[0][0].name}) in its simulated "
                                 "period or start: they cannot share a batch (see sim.worlds.batch_key)")
        mesa.Model.__init__(self, rng=worlds[0][1])
        self.seed = worlds[0][1]
        self._employer_agents = None
        self._build(worlds)


class WorldView:
    """One world of a finished (or running) batch, shaped as a single-world model: its people in
    their own order and numbering, its municipalities, employers and agencies, its recorder."""

    def __init__(self, batch: IntroductionModel, w: int):
        scenario, seed = batch.world_specs[w]
        self.config = scenario
        self.seed = seed
        self.behaviour = scenario.behaviour
        self.n_weeks = batch.n_weeks
        self.t = batch.t
        self.dates = batch.dates
        self.collect = False
        self.n_worlds = 1
        x = batch.index[w]
        k0, k1, e0, e1, a0, a1, p0, p1, g0, g1 = (int(x[k]) for k in ("k0", "k1", "e0", "e1", "a0", "a1", "p0", "p1",
                                                                     "g0", "g1"))
        self.recorder = batch.recorder.world(w, k0, k1)
        self.agreements = agreement_records(batch.tables.agreement_names, batch.tables.agreements, g0, g1, k0)
        self.received = self.recorder.received
        self.settled = self.recorder.settled
        if batch.n_worlds == 1:  # the model's own tables and people (no copies)
            self.munis, self.employers, self.agencies = batch.munis, batch.employers, batch.agencies
            self.population = batch.population
        else:
            self.munis = _rows(batch.munis, k0, k1, MUNICIPALITY)
            self.munis.world[:] = 0
            self.employers = _rows(batch.employers, e0, e1, EMPLOYER)
            self.employers.municipality[:] -= k0
            self.agencies = _rows(batch.agencies, a0, a1, AGENCY)
            self.population = _people(batch.population, p0, p1, k0, e0, a0, int(x["arrived"]))
        self.municipalities_table = self.munis
        self.education0 = self.population.education0

    def figures(self) -> dict:
        return run_figures(self)

    def by_duration(self, clock: str = "arrival"):
        return by_duration(self, clock)


def _rows(table, lo: int, hi: int, dtype: np.dtype) -> Any:
    """Rows lo..hi - 1 of a table (a copy of its records, its names), as a table of its own."""
    out = object.__new__(type(table))
    for k, v in vars(table).items():
        if isinstance(v, list):
            setattr(out, k, v[lo:hi])
    out.n = hi - lo
    out.rows = table.rows[lo:hi].copy()
    for name in names(dtype):
        setattr(out, name, out.rows[name])
    return out


def _people(P: Population, p0: int, p1: int, k0: int, e0: int, a0: int, arrived: int) -> Population:
    """A world's people (batch rows p0..p1 - 1, a copy) with their own numbering."""
    out = object.__new__(Population)
    rows = P.rows[p0:p1].copy()
    for name, first in (("partner", p0), ("employer", e0), ("intern_host", e0), ("last_host", e0), ("agency", a0)):
        rows[name] = np.where(rows[name] >= 0, rows[name] - first, NO_ONE)
    rows["home"] -= k0
    rows["municipality"] -= k0
    rows["onward_to"] = np.where(rows["onward_to"] >= 0, rows["onward_to"] - k0, NO_ONE)
    object.__setattr__(out, "rows", rows)
    object.__setattr__(out, "n", p1 - p0)
    object.__setattr__(out, "n_arrived", arrived)
    out.bind()
    return out
