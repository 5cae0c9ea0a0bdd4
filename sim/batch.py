"""Many worlds in one run: the tables of W independent worlds laid side by side, world by world.

A world is one run of a scenario with one seed: a replicate, a sweep point or a calibration
candidate. Each world keeps its own municipalities, employers, agencies, people, agreements and
seed; `build` lays them one world after another (every index between kinds numbered in the batch)
and gives the kernels their typed view (`tables.Batch`). The worlds of one batch share the
simulated period and start (`worlds.batch_key`); everything else, behavioural parameters and
national rules included, may differ, since each world reads its own parameter record.

A world's results are bit-identical to running it alone: every draw is keyed by the world's seed
and the drawer's number within its world (`rng`), every count and sum is per municipality,
employer, agency or world, and each world's weeks run on their own (`week.run_weeks`).

A kind's tables (`MunicipalityTable`, ...) keep each world's rows of `tables.MUNICIPALITY` ...;
the batch's are their concatenation, with indices between kinds offset.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np

from .agents import AgencyTable, EmployerTable, MunicipalityTable
from .config import Scenario
from .config.schema import SECTORS
from .parameters import parameter_rows
from .population import NO_ONE, Population
from .recorder import Recorder
from .rng import Streams
from .tables import AGENCY, AGREEMENT, BATCH_FIELDS, EMPLOYER, MUNICIPALITY, PERSON, WORLD, check, names

# Municipality and agency numbers are int16 in the people's arrays.
MAX_MUNICIPALITIES = np.iinfo(np.int16).max


@dataclass
class Tables:
    """The batch's tables (Python side) and the kernels' view of them."""

    munis: MunicipalityTable
    employers: EmployerTable
    agencies: AgencyTable
    population: Population
    agreement_names: list[str]
    agreements: np.ndarray
    reach: dict[str, np.ndarray]
    recorder: Recorder
    worlds: np.ndarray
    week_of_year: np.ndarray
    dates: list[dt.date]

    def arrays(self) -> tuple[np.ndarray, ...]:
        """The batch's arrays in the order of `tables.Batch`'s fields (what `week.run_weeks` takes)."""
        rec = self.recorder
        n = self.population.n
        fields = {"people": self.population.rows, "munis": self.munis.rows, "employers": self.employers.rows,
                  "agencies": self.agencies.rows, "agreements": self.agreements, "worlds": self.worlds,
                  "week_of_year": self.week_of_year, **self.reach,
                  "listed": np.zeros(n, np.int32), "listed_too": np.zeros(n, np.int32)}
        return tuple(check(name, fields[name] if name in fields else getattr(rec, name)) for name in BATCH_FIELDS)


def _concat(tables: list, dtype: np.dtype, skip: tuple[str, ...] = ()) -> Any:
    """A table of the same class whose records and name lists are the worlds' one after another
    (rows of world 0 first)."""
    out = object.__new__(type(tables[0]))
    for k, v in vars(tables[0]).items():
        if k not in skip and isinstance(v, list):
            setattr(out, k, [x for t in tables for x in getattr(t, k)])
    out.n = sum(t.n for t in tables)
    out.rows = np.concatenate([t.rows for t in tables])
    for name in names(dtype):
        setattr(out, name, out.rows[name])
    return out


def offsets(sizes: list[int]) -> np.ndarray:
    return np.cumsum([0] + list(sizes)).astype(np.int64)


def _population(pops: list[Population], people_off: np.ndarray, muni_off: np.ndarray) -> Population:
    """The worlds' people one world after another; partners and municipalities numbered in the batch."""
    if len(pops) == 1:
        return pops[0]
    out = object.__new__(Population)
    object.__setattr__(out, "n", int(people_off[-1]))
    object.__setattr__(out, "n_arrived", 0)
    rows = np.empty(int(people_off[-1]), PERSON)
    for p, po, mo in zip(pops, people_off, muni_off):
        part = rows[po:po + p.n]
        part[:] = p.rows
        part["partner"] = np.where(p.rows["partner"] >= 0, p.rows["partner"] + po, NO_ONE)
        part["home"] += mo
        part["municipality"] += mo
        part["onward_to"] = np.where(p.rows["onward_to"] >= 0, p.rows["onward_to"] + mo, NO_ONE)
        p.__dict__.clear()  # let go of the world's copy as the batch's is made
    object.__setattr__(out, "rows", rows)
    out.bind()
    return out


def _reach(munis: list[MunicipalityTable], employers: list[EmployerTable], agencies: list[AgencyTable],
           muni_off: np.ndarray, emp_off: np.ndarray, ag_off: np.ndarray) -> dict[str, np.ndarray]:
    """Segments of reach pairs, numbered in the batch (a world reaches only its own employers and
    agencies): employers by municipality and by (municipality, sector), in employer order;
    agencies by municipality, in agency order."""
    n_sec = len(SECTORS)
    emp_key, emp_target, sec_key, ag_key, ag_target, ag_partner = ([] for _ in range(6))
    for m, e, a, mo, eo, ao in zip(munis, employers, agencies, muni_off, emp_off, ag_off):
        i, j = np.nonzero(m.reach[:, e.municipality])
        emp_key.append(i + mo)
        emp_target.append(j + eo)
        sec_key.append((i + mo) * n_sec + e.sector[j])
        i, j = np.nonzero(a.reach.T)
        ag_key.append(i + mo)
        ag_target.append(j + ao)
        ag_partner.append(a.partner.T[i, j])

    def segments(keys, targets, n_keys):
        key = np.concatenate(keys).astype(np.int64)
        target = np.concatenate(targets).astype(np.int64)
        order = np.argsort(key, kind="stable")
        return np.searchsorted(key[order], np.arange(n_keys + 1)).astype(np.int64), target[order], order

    n_munis = int(muni_off[-1])
    out = {}
    out["employer_start"], out["employer_target"], _ = segments(emp_key, emp_target, n_munis)
    out["sector_start"], out["sector_target"], _ = segments(sec_key, emp_target, n_munis * n_sec)
    out["agency_start"], out["agency_target"], order = segments(ag_key, ag_target, n_munis)
    out["agency_partner"] = np.ascontiguousarray(np.concatenate(ag_partner).astype(bool)[order])
    return out


def _agreements(worlds: list[tuple[Scenario, int]], munis: list[MunicipalityTable],
                muni_off: np.ndarray) -> tuple[list[str], np.ndarray, np.ndarray]:
    names, rows, counts = [], [], []
    for (s, _), m, off in zip(worlds, munis, muni_off):
        for k, g in s.secondary_agreements.items():
            names.append(k)
            rows.append((int(off) + m.names.index(g.from_municipality), int(off) + m.names.index(g.to_municipality),
                         g.places_per_year / 52.0, g.within_weeks_of_arrival, 0.0, 0))
        counts.append(len(s.secondary_agreements))
    return names, np.array(rows, AGREEMENT), offsets(counts)


def _worlds(worlds: list[tuple[Scenario, int]], people: np.ndarray, munis: np.ndarray, employers: np.ndarray,
            agencies: np.ndarray, agreements: np.ndarray) -> np.ndarray:
    """One record per world: its parameters and where its rows are."""
    out = np.zeros(len(worlds), WORLD)
    par = parameter_rows([s for s, _ in worlds])
    for name in names(par.dtype):
        out[name] = par[name]
    for first, last, off in (("p0", "p1", people), ("k0", "k1", munis), ("e0", "e1", employers),
                             ("a0", "a1", agencies), ("g0", "g1", agreements)):
        out[first], out[last] = off[:-1], off[1:]
    out["seed"] = [seed for _, seed in worlds]
    return out


def build(worlds: list[tuple[Scenario, int]]) -> Tables:
    """The tables, people and parameters of one or more worlds (scenario, seed) that share the
    simulated period and start."""
    scenario = worlds[0][0]
    W = len(worlds)
    munis = [MunicipalityTable(s) for s, _ in worlds]
    employers = [EmployerTable(s, m, seed) for (s, seed), m in zip(worlds, munis)]
    agencies = [AgencyTable(s, m) for (s, _), m in zip(worlds, munis)]
    pops = [Population(s, Streams(seed)) for s, seed in worlds]
    muni_off = offsets([m.n for m in munis])
    emp_off = offsets([e.n for e in employers])
    ag_off = offsets([a.n for a in agencies])
    people_off = offsets([p.n for p in pops])
    if muni_off[-1] > MAX_MUNICIPALITIES:
        raise ValueError(f"a batch holds at most {MAX_MUNICIPALITIES} municipalities; got {muni_off[-1]}")
    if ag_off[-1] > np.iinfo(np.int16).max:
        raise ValueError(f"a batch holds at most {np.iinfo(np.int16).max} staffing agencies; got {ag_off[-1]}")
    reach = _reach(munis, employers, agencies, muni_off, emp_off, ag_off)
    names, agreements, agreement_off = _agreements(worlds, munis, muni_off)
    if W == 1:
        munis_t, employers_t, agencies_t = munis[0], employers[0], agencies[0]
    else:
        munis_t = _concat(munis, MUNICIPALITY, skip=("reach",))
        munis_t.world[:] = np.repeat(np.arange(W, dtype=np.int32), [m.n for m in munis])
        employers_t = _concat(employers, EMPLOYER)
        employers_t.municipality[:] = np.concatenate(
            [e.municipality.astype(np.int32) + o for e, o in zip(employers, muni_off)]).astype(np.int16)
        agencies_t = _concat(agencies, AGENCY, skip=("reach", "partner"))
    population = _population(pops, people_off, muni_off)
    start = scenario.simulation.start_date
    n_weeks = scenario.weeks
    dates = [start + dt.timedelta(weeks=k) for k in range(n_weeks + 1)]
    years = scenario.simulation.years + 1
    world_rows = _worlds(worlds, people_off, muni_off, emp_off, ag_off, agreement_off)
    recorder = Recorder(n_weeks, int(muni_off[-1]), W, years, world_rows, munis_t.rows)
    P = population
    np.add.at(recorder.settled, (P.home.astype(np.int64), np.minimum(P.ti_arrival // 52, years - 1)), 1)
    recorder.index_people(P.ti_arrival, P.ti_permit, people_off, world_rows)
    week_of_year = np.array([d.isocalendar()[1] for d in dates], dtype=np.int64)
    return Tables(munis_t, employers_t, agencies_t, population, names, agreements, reach, recorder, world_rows,
                  week_of_year, dates)
