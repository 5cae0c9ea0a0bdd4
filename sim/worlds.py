"""Many worlds in one run: the tables of W independent worlds laid side by side.

A world is one run of a scenario with one seed: a replicate, a sweep point or a calibration
candidate. Each world keeps its own municipalities, employers, agencies, people and random streams;
`merge` numbers them one after the other (the municipalities, employers and agencies of world 0,
then of world 1, ...) and orders people by arrival week, then world, so the people present in week
t are still a prefix of every array and every phase of the weekly step covers all worlds with the
same array operations. The worlds of one batch share the simulated period, the national rules and
the behavioural parameters (`batch_key`); levers, municipalities and seeds differ freely.

A world's results are bit-identical to running it alone:
- every draw comes from the world's own streams (`rng.BatchStreams`) or is keyed by its seed;
- every count or sum is per municipality, employer or agency (never across worlds), and people of
  one world keep their relative order, which is all that ties are broken by;
- weighted choices keep each world's running sums apart (`choice.SegmentChooser`).

`WorldView` gives one world of a finished batch in the shape of a single-world model, for the
results code (figures, tables, calibration outputs), which therefore has one path for both.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import numpy as np

from .agents import AgencyTable, EmployerTable, MunicipalityTable
from .metrics import by_duration, run_figures
from .population import NO_ONE, Population

if TYPE_CHECKING:
    from .config import Scenario

# Municipality and agency numbers are int16 in the people's arrays.
MAX_MUNICIPALITIES = np.iinfo(np.int16).max


# Behavioural parameters that may differ between the worlds of a batch: where the weekly step
# reads them, each person (or municipality) gets its own world's value (`IntroductionModel.param`),
# with the arithmetic a single run does on the plain number. These are the parameters the shipped
# calibration frees; the rest are read as one number for the whole batch.
PER_WORLD = ("hiring.intercept", "hiring.swedish", "hiring.swedish_shortfall", "hiring.employability_sd",
             "hiring.internship_host", "hiring.nystartsjobb_employer_takeup", "search.coach_contacts_per_week",
             "search.job_focus_search_share", "search.lock_in_in_programme", "search.lock_in_at_full_time",
             "search.extra_work_per_week", "language.everyday_ceiling", "jobs.regular_separation_per_week",
             "internships.placements_per_coordinator_week")


def behaviour_value(behaviour, path: str) -> float:
    section, name = path.split(".")
    return float(getattr(getattr(behaviour, section), name))


def batch_key(scenario: "Scenario") -> str:
    """What the worlds of one batch must share: the simulated period and start, the national
    rules, the measures' definitions and the behavioural parameters read as one number by the
    weekly step (all but PER_WORLD). Scenarios with equal keys can run as worlds of one batch."""
    shared = scenario.model_dump(mode="json", include={"national", "metrics", "behaviour"})
    for path in PER_WORLD:
        section, name = path.split(".")
        shared["behaviour"][section].pop(name, None)
    shared["weeks"] = scenario.weeks
    shared["start"] = scenario.simulation.start_date.isoformat()
    return json.dumps(shared, sort_keys=True)


def _concat(tables: list, skip: tuple[str, ...] = ()) -> Any:
    """A table of the same class whose per-row arrays and name lists are the worlds' one after
    another (rows of world 0 first)."""
    out = object.__new__(type(tables[0]))
    first = vars(tables[0])
    n = [t.n for t in tables]
    for k, v in first.items():
        if k in skip:
            continue
        if isinstance(v, list):
            setattr(out, k, [x for t in tables for x in getattr(t, k)])
        elif isinstance(v, np.ndarray) and v.ndim >= 1 and v.shape[0] == n[0]:
            setattr(out, k, np.concatenate([getattr(t, k) for t in tables]))
    out.n = sum(n)
    return out


def merge_municipalities(tables: list[MunicipalityTable]) -> MunicipalityTable:
    out = _concat(tables, skip=("reach",))
    if out.n > MAX_MUNICIPALITIES:
        raise ValueError(f"a batch holds at most {MAX_MUNICIPALITIES} municipalities; got {out.n}")
    out.world = np.repeat(np.arange(len(tables), dtype=np.int32), [t.n for t in tables])
    out.reach = None  # per world: see `reach_pairs_of`
    return out


def merge_employers(tables: list[EmployerTable], muni_offsets: np.ndarray) -> EmployerTable:
    out = _concat(tables)
    out.one_seed = None
    out.municipality = np.concatenate([t.municipality.astype(np.int32) + o for t, o in zip(tables, muni_offsets)])
    out.municipality = out.municipality.astype(np.int16)
    return out


def merge_agencies(tables: list[AgencyTable], muni_offsets: np.ndarray, n_munis: int) -> AgencyTable:
    out = _concat(tables, skip=("reach", "partner"))
    out.reach = np.zeros((out.n, n_munis), bool)
    out.partner = np.zeros((out.n, n_munis), bool)
    a = 0
    for t, o in zip(tables, muni_offsets):
        out.reach[a:a + t.n, o:o + t.reach.shape[1]] = t.reach
        out.partner[a:a + t.n, o:o + t.partner.shape[1]] = t.partner
        a += t.n
    return out


def reach_pairs_of(munis: list[MunicipalityTable], employers: list[EmployerTable],
                   agencies: list[AgencyTable]) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """(municipality, employer) and (municipality, agency) pairs in reach, world by world, numbered
    as in the batch (a world reaches only its own employers and agencies)."""
    em, ee, am, aa = [], [], [], []
    mo = eo = ao = 0
    for m, e, a in zip(munis, employers, agencies):
        i, j = np.nonzero(m.reach[:, e.municipality])
        em.append(i + mo)
        ee.append(j + eo)
        i, j = np.nonzero(a.reach.T)
        am.append(i + mo)
        aa.append(j + ao)
        mo, eo, ao = mo + m.n, eo + e.n, ao + a.n

    def cat(parts):
        return np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, np.int64)
    return (cat(em), cat(ee)), (cat(am), cat(aa))


def merge_populations(pops: list[Population], muni_offsets: np.ndarray) -> tuple[Population, np.ndarray, np.ndarray]:
    """The worlds' people in one population, ordered by arrival week, then world, then their own
    order; returns it with each person's world and number within their world."""
    sizes = np.array([p.n for p in pops], dtype=np.int64)
    starts = np.cumsum(sizes) - sizes
    world = np.repeat(np.arange(len(pops), dtype=np.int32), sizes)
    local = (np.arange(int(sizes.sum()), dtype=np.int64) - np.repeat(starts, sizes)).astype(np.int32)
    order = np.argsort(np.concatenate([p.ti_arrival for p in pops]), kind="stable")  # batch slot -> concatenated
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))                                       # concatenated -> batch slot
    hh_offsets = np.cumsum([0] + [int(p.household.max()) + 1 if p.n else 0 for p in pops])[:-1]
    out = object.__new__(Population)
    for k, v in vars(pops[0]).items():
        if not (isinstance(v, np.ndarray) and v.ndim >= 1 and v.shape[0] == pops[0].n):
            continue
        cat = np.concatenate([getattr(p, k) for p in pops])
        if k == "partner":
            cat = np.where(cat >= 0, rank[np.maximum(cat, 0) + np.repeat(starts, sizes)], NO_ONE).astype(v.dtype)
        elif k in ("home", "municipality"):
            cat = (cat.astype(np.int32) + np.repeat(muni_offsets, sizes)).astype(v.dtype)
        elif k == "household":
            cat = (cat.astype(np.int64) + np.repeat(hh_offsets, sizes)).astype(v.dtype)
        setattr(out, k, cat[order])
    out.n = int(sizes.sum())
    out.n_arrived = 0
    return out, world[order], local[order]


class WorldView:
    """One world of a finished (or running) batch, shaped as a single-world model: its people in
    their own order and numbering, its municipalities, employers and agencies, its recorder."""

    def __init__(self, batch, w: int):
        scenario, seed = batch.world_specs[w]
        self.config = scenario
        self.seed = seed
        self.behaviour = scenario.behaviour
        self.n_weeks = batch.n_weeks
        self.t = batch.t
        self.dates = batch.dates
        self.collect = False
        self.n_worlds = 1
        if batch.n_worlds == 1:  # the model's own tables and people (no copies)
            for name in ("munis", "employers", "agencies", "population", "education0", "permit_order",
                         "permit_sorted", "received", "settled", "agreements"):
                setattr(self, name, getattr(batch, name))
            self.municipalities_table = batch.munis
            self.recorder = batch.recorder.world(0, self)
            return
        k0, k1 = (int(x) for x in batch.muni_offsets[w:w + 2])
        e0, e1 = (int(x) for x in batch.employer_offsets[w:w + 2])
        a0, a1 = (int(x) for x in batch.agency_offsets[w:w + 2])
        self.munis = _rows(batch.munis, k0, k1, skip=("reach", "world"))
        self.munis.world = np.zeros(k1 - k0, np.int32)
        self.employers = _rows(batch.employers, e0, e1)
        self.employers.one_seed = seed
        self.employers.municipality = (batch.employers.municipality[e0:e1] - k0).astype(np.int16)
        self.agencies = _rows(batch.agencies, a0, a1, skip=("reach", "partner"))
        self.agencies.reach = batch.agencies.reach[a0:a1, k0:k1]
        self.agencies.partner = batch.agencies.partner[a0:a1, k0:k1]
        self.municipalities_table = self.munis
        idx = np.flatnonzero(batch.world_of == w)
        self.population = _people(batch.population, idx, k0, e0, a0)
        self.education0 = batch.education0[idx]
        self.permit_order = np.argsort(self.population.ti_permit, kind="stable").astype(np.int32)
        self.permit_sorted = self.population.ti_permit[self.permit_order]
        self.received = batch.received[k0:k1]
        self.settled = batch.settled[k0:k1]
        self.agreements = batch.agreements.records(k0, k1)
        self.recorder = batch.recorder.world(w, self)

    def figures(self) -> dict:
        return run_figures(self)

    def by_duration(self, clock: str = "arrival"):
        return by_duration(self, clock)


def _rows(table, lo: int, hi: int, skip: tuple[str, ...] = ()) -> Any:
    out = object.__new__(type(table))
    for k, v in vars(table).items():
        if k in skip:
            continue
        if isinstance(v, list):
            setattr(out, k, v[lo:hi])
        elif isinstance(v, np.ndarray) and v.ndim >= 1 and v.shape[0] == table.n:
            setattr(out, k, v[lo:hi])
    out.n = hi - lo
    return out


def _people(P: Population, idx: np.ndarray, k0: int, e0: int, a0: int) -> Population:
    """World's people (batch slots `idx`, in their own order) with their own numbering."""
    local = np.full(P.n, NO_ONE, np.int64)
    local[idx] = np.arange(len(idx))
    out = object.__new__(Population)
    for k, v in vars(P).items():
        if not (isinstance(v, np.ndarray) and v.ndim >= 1 and v.shape[0] == P.n):
            continue
        x = v[idx]
        if k == "partner":
            x = np.where(x >= 0, local[np.maximum(x, 0)], NO_ONE).astype(v.dtype)
        elif k in ("home", "municipality"):
            x = (x - k0).astype(v.dtype)
        elif k in ("employer", "intern_host", "last_host"):
            x = np.where(x >= 0, x - e0, NO_ONE).astype(v.dtype)
        elif k == "agency":
            x = np.where(x >= 0, x - a0, NO_ONE).astype(v.dtype)
        elif k == "household" and len(x):
            x = x - x.min()  # a world's households are numbered from 0
        setattr(out, k, x)
    out.n = len(idx)
    out.n_arrived = int(np.count_nonzero(idx < P.n_arrived))
    return out
