"""IntroductionModel: the weekly model of municipal refugee introduction (a `mesa.Model`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import mesa
import numpy as np
import pandas as pd

from .agents import AgencyTable, Employer, EmployerTable, Municipality, MunicipalityTable, StaffingAgency
from .config import Scenario, load_scenario
from .config.schema import SECTORS
from .metrics import PAYMENTS, Recorder, by_duration, run_figures
from .population import Population, RefugeeView
from .processes.arrivals import arrive, transfer
from .processes.choice import SegmentChooser
from .processes.income import income
from .processes.internships import internships
from .processes.matching import matching
from .processes.programme import availability, in_programme_period, programme
from .processes.programme_end import programme_end
from .processes.separations import separations
from .rng import BatchStreams, Streams
from .states import PRESENT, STATE_NAMES, WORKING, State
from .week import Week
from .worlds import (
    PER_WORLD,
    WorldView,
    batch_key,
    behaviour_value,
    merge_agencies,
    merge_employers,
    merge_municipalities,
    merge_populations,
    reach_pairs_of,
)


@dataclass
class Agreement:
    """A secondary agreement's weekly quota, carried between weeks (a read-only record)."""

    name: str
    src: int
    dst: int
    places_per_week: float
    within_weeks: int
    credit: float = 0.0
    moved: int = 0


class Agreements:
    """Secondary agreements as arrays (every world's, one world after another), with `rounds`:
    the k-th agreement of each world, which act together (agreements of one world act in order)."""

    def __init__(self, per_world: list[list[Agreement]]):
        rows = [g for gs in per_world for g in gs]
        self.names = [g.name for g in rows]
        self.src = np.array([g.src for g in rows], np.int64)
        self.dst = np.array([g.dst for g in rows], np.int64)
        self.places_per_week = np.array([g.places_per_week for g in rows], np.float64)
        self.within_weeks = np.array([g.within_weeks for g in rows], np.int64)
        self.credit = np.zeros(len(rows))
        self.moved = np.zeros(len(rows), np.int64)
        position = np.array([k for gs in per_world for k in range(len(gs))], np.int64)
        self.rounds = [np.flatnonzero(position == k) for k in range(int(position.max()) + 1)] if rows else []

    def __len__(self) -> int:
        return len(self.names)

    def records(self, first_muni: int = 0, last_muni: int | None = None) -> list[Agreement]:
        """The agreements from municipalities first_muni..last_muni - 1, numbered from first_muni."""
        last = np.iinfo(np.int64).max if last_muni is None else last_muni
        return [Agreement(self.names[i], int(self.src[i]) - first_muni, int(self.dst[i]) - first_muni,
                          float(self.places_per_week[i]), int(self.within_weeks[i]), float(self.credit[i]),
                          int(self.moved[i]))
                for i in range(len(self)) if first_muni <= self.src[i] < last]

    def __iter__(self):
        return iter(self.records())


# Up to this many employers, their Mesa agents exist from the start (in model.agents at once).
EAGER_EMPLOYER_AGENTS = 2_000

_PRESENT_STATES = [int(k) for k in np.nonzero(PRESENT)[0]]


def _state_total(k: int):
    """A DataCollector reporter: this week's count of people in state k."""
    return lambda m: m.recorder.last_state_totals[k]


class _Choosers:
    """Weighted choices of an employer or agency in reach. Employers are chosen by counts (open
    vacancies, free intern places), agencies by a fractional credit (see SegmentChooser)."""

    def __init__(self, munis: MunicipalityTable, employers: EmployerTable, agencies: AgencyTable,
                 employer_pairs: tuple[np.ndarray, np.ndarray], agency_pairs: tuple[np.ndarray, np.ndarray]):
        m_idx, e_idx = employer_pairs
        self.employer = SegmentChooser(m_idx, e_idx, munis.n)
        n_sec = len(SECTORS)
        self.employer_by_sector = SegmentChooser(m_idx * n_sec + employers.sector[e_idx], e_idx, munis.n * n_sec)
        a_m, a_idx = agency_pairs
        self.agency = SegmentChooser(a_m, a_idx, munis.n, key_world=munis.world)


class IntroductionModel(mesa.Model):
    """Refugees, municipalities, employers and staffing agencies, one week per step.

    The weekly order of phases (each a function in `sim/processes/`, vectorised over people):

    1. Arrivals and transfers (`arrivals.py`): this week's refugees settle (state pays flat-rate
       compensation and stimulus); secondary agreements move newcomers from overloaded to
       receiving municipalities; employers post this week's vacancies.
    2. Programme (`programme.py`): action plans are completed after the municipality's N weeks and
       validation starts; SFI progress from tuition and workplace hours; summer break (pause and
       idleness) or summer courses; waiting-day sanctions; engagement drifts toward its target;
       dropout into passive assistance and reactivation.
    3. Internships (`internships.py`): cycles that end convert to a hire at the host (within its
       vacancies) or return to the programme; coordinators (limited capacity) and own search place
       eligible people at willing employers; hosting builds employer relationships.
    4. Matching (`matching.py`): own search, coaches and host-family networks contact employers,
       extra work and agency jobs act as bridges; hires at most the employer's open vacancies per
       week; subsidised jobs (instegsjobb) when a coach brokers the hire, inside the national
       window (internship conversions too, in phase 3); staffing agencies hire on
       their criteria; unfilled vacancies may be taken by others; extra work starts and ends.
    5. Separations (`separations.py`): subsidies end (kept on or let go), jobs and businesses end,
       regular education starts and ends, people move away or reach 65.
    6. Income (`income.py`): earnings, allowance or social assistance with or without income offset,
       wage subsidies, performance bonus, and self-sufficiency.
    7. End of programme (`programme_end.py`): the introduction period ends; those without work move
       to social assistance or no support.
    8. Recording (`metrics.Recorder`, then Mesa's DataCollector).

    Random draws come from named streams (`rng.Streams`), one per phase, each drawn once per week
    with one row per use and one column per arrived person; employer-level draws are keyed by the
    employer (`rng.hashed_uniform`), so a scenario with other employers leaves the rest unchanged.
    A lever thus changes outcomes only through its effect, not by shifting unrelated draws.

    Construct with a `Scenario` (or a path to a YAML scenario) and an optional seed that overrides
    the scenario's. For `mesa.batch_run`, pass the scenario inside a list:
    `batch_run(IntroductionModel, {"scenario": [s], "seed": [1, 2, 3]}, max_steps=260)`.
    """

    def __init__(self, scenario: Scenario | str = "typical_2006", seed: int | None = None,
                 collect: bool = True):
        if not isinstance(scenario, Scenario):
            scenario = load_scenario(scenario)
        seed = scenario.simulation.seed if seed is None else int(seed)
        super().__init__(rng=seed)
        self.seed = seed
        self._build([(scenario, seed)])
        names = self.munis.names
        # Mesa agents: few and rich; their state lives in the tables above.
        self.municipality_agents = [Municipality(self, i, name, scenario.municipalities[name])
                                    for i, name in enumerate(names)]
        # Employers can be many (a scaled or national scenario has tens of thousands): their agents
        # are made on first use then, rather than holding one Python object each through the run.
        self._employer_agents: list[Employer] | None = None
        if self.employers.n <= EAGER_EMPLOYER_AGENTS:
            self._employer_agents = self.employer_agents
        self.agency_agents = [StaffingAgency(self, i, name) for i, name in enumerate(self.agencies.names)]
        self.collect = collect
        # Reporters read the week's totals that the recorder has just computed (Python numbers),
        # so collecting costs a few dictionary look-ups a week, not NumPy calls over people.
        self.date_strings = [d.isoformat() for d in self.dates]
        self.datacollector = mesa.DataCollector(
            model_reporters={
                "week": lambda m: m.t,
                "date": lambda m: m.date_strings[m.t],
                "present": lambda m: m._present_total(),
                "employed": lambda m: m._employed_total(),
                "self_sufficient": lambda m: m._self_sufficient_total(),
                "employment_rate": lambda m: m._rate(m._employed_total()),
                "self_sufficiency_rate": lambda m: m._rate(m._self_sufficient_total()),
                **{f"in_{s}": _state_total(k) for k, s in enumerate(STATE_NAMES) if k != State.NOT_ARRIVED},
                "payments_sek": lambda m: float(m.recorder.payments[m.t].sum()),
            },
            agenttype_reporters={
                Municipality: {"residents": lambda a: int(a.model.recorder.last_muni_present[a.index]),
                               "employed": "employed", "self_sufficient": "self_sufficient"},
            },
        )

    def _build(self, worlds: list[tuple[Scenario, int]]) -> None:
        """The tables, people and streams of one or more worlds (see sim/worlds.py), which share
        the period, the national rules and the behavioural parameters of the first."""
        scenario = worlds[0][0]
        # The validated configuration. (Mesa 3.5 uses `model.scenario` for its own Scenario class.)
        self.config = scenario
        self.world_specs = worlds
        self.n_worlds = W = len(worlds)
        self.behaviour = scenario.behaviour
        # PER_WORLD parameters whose values differ between the worlds: one value per world.
        self.per_world = {}
        if W > 1:
            for path in PER_WORLD:
                values = np.array([behaviour_value(s.behaviour, path) for s, _ in worlds])
                if np.any(values != values[0]):
                    self.per_world[path] = values
        self.n_weeks = scenario.weeks
        self.world_streams = [Streams(seed) for _, seed in worlds]
        self.streams: Streams | BatchStreams = self.world_streams[0]
        self.t = -1
        self.n_sectors = len(SECTORS)
        start = scenario.simulation.start_date
        self.dates = [start + dt.timedelta(weeks=k) for k in range(self.n_weeks + 1)]
        self.week_of_year = np.array([d.isocalendar()[1] for d in self.dates], dtype=np.int32)

        munis = [MunicipalityTable(s) for s, _ in worlds]
        employers = [EmployerTable(s, m, seed) for (s, seed), m in zip(worlds, munis)]
        agencies = [AgencyTable(s, m) for (s, _), m in zip(worlds, munis)]
        pops = [Population(s, st) for (s, _), st in zip(worlds, self.world_streams)]
        self.muni_offsets = np.cumsum([0] + [m.n for m in munis])
        self.employer_offsets = np.cumsum([0] + [e.n for e in employers])
        self.agency_offsets = np.cumsum([0] + [a.n for a in agencies])
        employer_pairs, agency_pairs = reach_pairs_of(munis, employers, agencies)
        if W == 1:
            self.munis, self.employers, self.agencies, self.population = munis[0], employers[0], agencies[0], pops[0]
            self.world_of = None  # everyone is in world 0
        else:
            self.munis = merge_municipalities(munis)
            self.employers = merge_employers(employers, self.muni_offsets[:-1])
            self.agencies = merge_agencies(agencies, self.muni_offsets[:-1], self.munis.n)
            self.population, self.world_of, local_of = merge_populations(pops, self.muni_offsets[:-1])
            transfers = np.array([bool(s.secondary_agreements) for s, _ in worlds])
            self.streams = BatchStreams(self.world_streams, self.world_of, local_of, self.population.ti_arrival,
                                        self.n_weeks, self._week_now, {"transfers": transfers})
        self.municipalities_table = self.munis
        self.choosers = _Choosers(self.munis, self.employers, self.agencies, employer_pairs, agency_pairs)
        self.education0 = self.population.education.copy()
        # Everyone in order of residence-permit week (fixed), to find people by permit week.
        self.permit_order = np.argsort(self.population.ti_permit, kind="stable").astype(np.int32)
        self.permit_sorted = self.population.ti_permit[self.permit_order]
        P = self.population
        years = scenario.simulation.years + 1
        self.settled = np.zeros((self.munis.n, years), dtype=np.int64)
        np.add.at(self.settled, (P.home.astype(np.int64), np.minimum(P.ti_arrival // 52, years - 1)), 1)
        self.received = np.zeros((self.munis.n, years), dtype=np.int64)
        self.agreements = Agreements([
            [Agreement(k, int(off) + m.names.index(g.from_municipality), int(off) + m.names.index(g.to_municipality),
                       g.places_per_year / 52.0, g.within_weeks_of_arrival)
             for k, g in s.secondary_agreements.items()]
            for (s, _), m, off in zip(worlds, munis, self.muni_offsets)])
        self.week = Week(t=-1, n=0)  # the last week's shared quantities (see sim/week.py)
        self.recorder = Recorder(self)
        self.collect = False
        self.running = True

    # --- stepping ---
    def step(self) -> None:
        """One week, in the order given in the class docstring."""
        if self.t + 1 >= self.n_weeks:
            self.running = False
            return
        self.t += 1
        t = self.t
        self.recorder.begin_week(t)
        if t % 52 == 0:
            self.employers.new_year()
        arrive(self, t)
        transfer(self, t)
        # Who is inside the introduction period, and how much effort carers can give: fixed for
        # the rest of the week once arrivals and transfers are done.
        n = self.population.n_arrived
        week = Week(t=t, n=n, period=in_programme_period(self, t, n), availability=availability(self, t, n))
        self.week = week
        self.employers.post_vacancies()
        programme(self, week)
        internships(self, week)
        matching(self, week)
        separations(self, week)
        income(self, week)
        programme_end(self, week)
        self.recorder.record(t)
        if self.collect:
            self.datacollector.collect(self)
        if self.t + 1 >= self.n_weeks:
            self.running = False

    def run(self) -> "IntroductionModel":
        """Run to the end of the simulated period."""
        while self.running:
            self.step()
        return self

    def release(self) -> None:
        """Let go of this model once its results are read.

        Mesa 3.3 numbers agents in a class-level dict keyed by the model (`Agent._ids`), which
        keeps every model of a process alive; a process running many models (replicates, sweeps)
        must drop the entry or its memory grows with each run.
        """
        ids = getattr(mesa.Agent, "_ids", None)
        if isinstance(ids, dict):
            ids.pop(self, None)

    @property
    def employer_agents(self) -> list[Employer]:
        """One `mesa.Agent` per employer, a view of its row in the employer table."""
        if self._employer_agents is None:
            self._employer_agents = [Employer(self, i, name) for i, name in enumerate(self.employers.names)]
        return self._employer_agents

    def param(self, path: str, who: np.ndarray, dtype=np.float64):
        """Behavioural parameter `path` (section.name) for the people `who`: the plain number when
        every world has the same, else each person's world's value as `dtype`, the type NumPy
        gives the plain number in the expression it enters (float32 beside float32 arrays)."""
        values = self.per_world.get(path)
        if values is None:
            return behaviour_value(self.behaviour, path)
        return values[self.munis.world[self.population.municipality[who]]].astype(dtype)

    def municipality_param(self, path: str):
        """As `param`, for every municipality (float64: it enters per-municipality arithmetic)."""
        values = self.per_world.get(path)
        return behaviour_value(self.behaviour, path) if values is None else values[self.munis.world]

    def _week_now(self) -> int:
        return self.t

    # --- inspection and results ---
    def world(self, w: int = 0) -> WorldView:
        """World w of this run, shaped as a single-world model (its own people and numbering)."""
        return WorldView(self, w)

    def refugee(self, i: int) -> RefugeeView:
        """A read-only snapshot of refugee `i`."""
        return RefugeeView.of(self.population, i, max(self.t, 0), self.munis.names)

    def permit_range(self, first: int, last: int, n: int) -> np.ndarray:
        """Indices (< n, in index order) of people whose permit week is in first..last."""
        lo = int(np.searchsorted(self.permit_sorted, first, side="left"))
        hi = int(np.searchsorted(self.permit_sorted, last, side="right"))
        idx = self.permit_order[lo:hi]
        return np.sort(idx[idx < n])

    def settled_in_year(self, muni: int, year: int) -> int:
        return int(self.settled[muni, year] + self.received[muni, year])

    def _present_total(self) -> int:
        tot = self.recorder.last_state_totals
        return int(sum(tot[k] for k in _PRESENT_STATES))

    def _employed_total(self) -> int:
        return int(self.recorder.last_muni_employed.sum())

    def _self_sufficient_total(self) -> int:
        return int(self.recorder.last_muni_self_sufficient.sum())

    def _rate(self, count) -> float:
        present = self._present_total()
        return float(count / present) if present else 0.0

    def figures(self) -> dict:
        """Headline figures of this run (see `sim.metrics.run_figures`)."""
        return run_figures(self)

    def by_duration(self, clock: str = "arrival") -> pd.DataFrame:
        """Counts by months since arrival or permit, municipality, sex and education."""
        return by_duration(self, clock)

    def weekly(self) -> pd.DataFrame:
        """Tidy weekly series per municipality: states, employed, self-sufficient, payments."""
        rec = self.recorder
        T = self.t + 1
        frames = []
        for k, name in enumerate(self.munis.names):
            d = {"week": np.arange(T), "date": [x.isoformat() for x in self.dates[:T]], "municipality": name}
            for s, sname in enumerate(STATE_NAMES):
                if s != State.NOT_ARRIVED:
                    d[sname] = rec.weekly_states[:T, k, s]
            d["employed"] = rec.weekly_employed[:T, k].sum(axis=1)
            d["self_sufficient"] = rec.weekly_self_sufficient[:T, k].sum(axis=1)
            for j, pname in enumerate(PAYMENTS):
                d[f"{pname}_sek"] = rec.payments[:T, k, j]
            frames.append(pd.DataFrame(d))
        return pd.concat(frames, ignore_index=True)

    def check_invariants(self) -> list[str]:
        """Conditions that must hold every week; returns what is violated (empty when all hold)."""
        P, E, n = self.population, self.employers, self.population.n_arrived
        problems = []
        st = P.state[:n]
        if np.any(st == State.NOT_ARRIVED):
            problems.append("an arrived person is in NOT_ARRIVED")
        if np.any(P.state[n:] != State.NOT_ARRIVED):
            problems.append("a person not yet arrived has a state")
        if np.any(E.open_vacancies < 0):
            problems.append("an employer filled more vacancies than it had")
        interns = np.bincount(P.intern_host[:n][st == State.INTERNSHIP], minlength=E.n)
        if not np.array_equal(interns, E.interns):
            problems.append("interns per employer disagree with the people in internships")
        if np.any(E.subsidised_left < 0):
            problems.append("an employer took more subsidised hires than its places this year")
        if np.any(E.interns > E.intern_places):
            problems.append("an employer hosts more interns than it has places")
        job = np.isin(st, [State.SUBSIDISED_JOB, State.REGULAR_JOB])
        if np.any(P.employer[:n][job] < 0) or np.any(P.employer[:n][~job] >= 0):
            problems.append("employer set for someone without a job, or missing for someone with one")
        sub = st == State.SUBSIDISED_JOB
        if np.any(self.t - P.ti_permit[:n][sub] > self.config.national.instegsjobb.window_weeks_after_permit):
            problems.append("a subsidised job outside its window")
        if np.any(~PRESENT[st] & (P.earnings[:n] > 0)):
            problems.append("earnings for someone who has left")
        paid = self.week.support_paid
        if len(paid) == n and np.any(~PRESENT[st] & (paid > 0)):
            problems.append("support paid to someone who has left")
        if np.any(WORKING[st] & (P.job_hours[:n] <= 0)):
            problems.append("a job with no hours")
        in_activity = np.isin(st, [State.PLAN, State.PROGRAMME, State.INTERNSHIP])
        past = (self.t - P.ti_arrival[:n]) >= self.munis.programme_weeks[P.municipality[:n]]
        if np.any(in_activity & past):
            problems.append("someone in programme activity after the introduction period")
        if np.any((P.ti_internship_end[:n] >= 0) != (st == State.INTERNSHIP)):
            problems.append("an internship end date without an internship, or the reverse")
        if np.any(P.municipality[:n] < 0) or np.any(P.municipality[:n] >= self.munis.n):
            problems.append("a municipality index out of range")
        return problems


class Worlds(IntroductionModel):
    """Many independent worlds stepped together: the replicates of a scenario, the points of a
    sweep, the candidates of a calibration (sim/worlds.py). `worlds` lists (scenario, seed); the
    scenarios must share `sim.worlds.batch_key`. World w's results (`world(w)`) are bit-identical
    to `IntroductionModel(scenario, seed)` run alone. No Mesa agents or DataCollector: a batch
    is for figures; run one world alone to inspect its agents week by week.
    """

    def __init__(self, worlds: list[tuple[Scenario, int]]):
        if not worlds:
            raise ValueError("a batch needs at least one world")
        worlds = [(s, int(seed)) for s, seed in worlds]
        keys: dict[int, str] = {}
        for w, (s, _) in enumerate(worlds):
            k = keys.get(id(s))
            if k is None:
                k = keys[id(s)] = batch_key(s)
            if k != keys[id(worlds[0][0])]:
                raise ValueError(f"world {w} ({s.name}) differs from world 0 ({worlds[0][0].name}) in its period, "
                                 "national rules, measures or behavioural parameters: they cannot share a batch "
                                 "(see sim.worlds.batch_key)")
        mesa.Model.__init__(self, rng=worlds[0][1])
        self.seed = worlds[0][1]
        self._employer_agents = None
        self._build(worlds)
