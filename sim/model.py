"""IntroductionModel: the weekly model of municipal refugee introduction (a `mesa.Model`)."""

from __future__ import annotations

from dataclasses import dataclass

import mesa
import numpy as np
import pandas as pd

from . import compiled
from .agents import Employer, Municipality, StaffingAgency
from .batch import build
from .config import Scenario, load_scenario
from .metrics import by_duration, run_figures
from .population import RefugeeView
from .states import PAYMENTS, PRESENT, STATE_NAMES, WORKING, State
from .week import make_batch, run_weeks


@dataclass
class Agreement:
    """A secondary agreement's state (a read-only record)."""

    name: str
    src: int
    dst: int
    places_per_week: float
    within_weeks: int
    credit: float = 0.0
    moved: int = 0


def agreement_records(names: list[str], G, first: int, last: int, muni0: int) -> list[Agreement]:
    """Agreements first..last - 1 of a batch, their municipalities numbered from muni0."""
    return [Agreement(names[g], int(G[g]["src"]) - muni0, int(G[g]["dst"]) - muni0, float(G[g]["places_per_week"]),
                      int(G[g]["within_weeks"]), float(G[g]["credit"]), int(G[g]["moved"])) for g in range(first, last)]


# Up to this many employers, their Mesa agents exist from the start (in model.agents at once).
EAGER_EMPLOYER_AGENTS = 2_000

_PRESENT_STATES = [int(k) for k in np.nonzero(PRESENT)[0]]


def _state_total(k: int):
    """A DataCollector reporter: this week's count of people in state k."""
    return lambda m: int(m.recorder.state_totals()[k])


class IntroductionModel(mesa.Model):
    """Refugees, municipalities, employers and staffing agencies, one week per step.

    The weekly order of phases (each a compiled function in `sim/processes/`, run for every world
    of a batch by `sim.week.run_weeks`):

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
    7. End of programme (`income.programme_end`): the introduction period ends; those without
       work move to social assistance or no support.
    8. Recording (`recorder.record_person`, then Mesa's DataCollector).

    Random draws are counter-based (`rng.uniform`): a hash of the world's seed, the stream and its
    row, the person's (or employer's) number and the week, so person i's draw in week t is the same
    under every policy and in any batch. A lever changes outcomes only through its effect, not by
    shifting unrelated draws.

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
        # Reporters read the week's totals that the kernel has just recorded.
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
                Municipality: {"residents": lambda a: int(a.model.recorder.last("present")[a.index]),
                               "employed": "employed", "self_sufficient": "self_sufficient"},
            },
        )

    def _build(self, worlds: list[tuple[Scenario, int]]) -> None:
        """The tables, people and parameters of one or more worlds (see sim/batch.py), which share
        the simulated period and start."""
        scenario = worlds[0][0]
        # The validated configuration. (Mesa 3.5 uses `model.scenario` for its own Scenario class.)
        self.config = scenario
        self.world_specs = worlds
        self.n_worlds = len(worlds)
        self.behaviour = scenario.behaviour
        self.n_weeks = scenario.weeks
        self.t = -1
        compiled.ready()
        tables = build(worlds)
        self.tables = tables
        self.munis = self.municipalities_table = tables.munis
        self.employers = tables.employers
        self.agencies = tables.agencies
        self.population = tables.population
        self.recorder = tables.recorder
        self.dates = tables.dates
        self.index = tables.worlds
        self.kernel = make_batch(*tables.arrays())
        self.people_offsets = np.append(tables.worlds["p0"], tables.worlds["p1"][-1:])
        self.collect = False
        self.running = True

    # --- stepping ---
    def step(self) -> None:
        """One week, in the order given in the class docstring."""
        self.advance(1)

    def advance(self, weeks: int) -> None:
        """The next `weeks` weeks (fewer at the end of the period), compiled in one call; Mesa's
        DataCollector collects once, at the end."""
        t0 = self.t + 1
        t1 = min(t0 + max(int(weeks), 0), self.n_weeks)
        if t1 > t0:
            run_weeks(self.kernel, self.people_offsets, t0, t1)
            self.t = t1 - 1
            self.recorder.t = self.t
            self.population.n_arrived = int(self.index["arrived"].sum())
            if self.collect:
                self.datacollector.collect(self)
        if self.t + 1 >= self.n_weeks:
            self.running = False

    def run(self) -> "IntroductionModel":
        """Run to the end of the simulated period (week by week when the DataCollector collects)."""
        while self.running:
            self.advance(1 if self.collect else self.n_weeks)
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

    @property
    def agreements(self) -> list[Agreement]:
        """Every secondary agreement's state (places carried, people moved)."""
        G = self.tables.agreements
        return agreement_records(self.tables.agreement_names, G, 0, len(G), 0)

    @property
    def received(self) -> np.ndarray:
        return self.recorder.received

    @property
    def settled(self) -> np.ndarray:
        return self.recorder.settled

    @property
    def education0(self) -> np.ndarray:
        return self.population.education0

    # --- inspection and results ---
    def world(self, w: int = 0):
        """World w of this run, shaped as a single-world model (its own people and numbering)."""
        from .worlds import WorldView
        return WorldView(self, w)

    def refugee(self, i: int) -> RefugeeView:
        """A read-only snapshot of refugee `i`."""
        return RefugeeView.of(self.population, i, max(self.t, 0), self.munis.names)

    def settled_in_year(self, muni: int, year: int) -> int:
        return int(self.settled[muni, year] + self.received[muni, year])

    def _present_total(self) -> int:
        tot = self.recorder.state_totals()
        return int(sum(tot[k] for k in _PRESENT_STATES))

    def _employed_total(self) -> int:
        return int(self.recorder.last("employed").sum())

    def _self_sufficient_total(self) -> int:
        return int(self.recorder.last("self_sufficient").sum())

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
        """Conditions that must hold every week, in every world; returns what is violated (empty
        when all hold)."""
        P, E, X = self.population, self.employers, self.index
        problems = []
        arrived = np.zeros(P.n, bool)
        window = np.zeros(P.n)
        for x in X:
            arrived[x["p0"]:x["p0"] + x["arrived"]] = True
            window[x["p0"]:x["p1"]] = x["national_instegsjobb_window_weeks_after_permit"]
        st = P.state
        if np.any(st[arrived] == State.NOT_ARRIVED):
            problems.append("an arrived person is in NOT_ARRIVED")
        if np.any(st[~arrived] != State.NOT_ARRIVED):
            problems.append("a person not yet arrived has a state")
        if np.any(E.open_vacancies < 0):
            problems.append("an employer filled more vacancies than it had")
        interns = np.bincount(P.intern_host[arrived & (st == State.INTERNSHIP)], minlength=E.n)
        if not np.array_equal(interns, E.interns):
            problems.append("interns per employer disagree with the people in internships")
        if np.any(E.subsidised_left < 0):
            problems.append("an employer took more subsidised hires than its places this year")
        if np.any(E.interns > E.intern_places):
            problems.append("an employer hosts more interns than it has places")
        job = np.isin(st, [State.SUBSIDISED_JOB, State.REGULAR_JOB])
        if np.any(P.employer[job] < 0) or np.any(P.employer[~job] >= 0):
            problems.append("employer set for someone without a job, or missing for someone with one")
        sub = st == State.SUBSIDISED_JOB
        if np.any(self.t - P.ti_permit[sub] > window[sub]):
            problems.append("a subsidised job outside its window")
        if np.any(~PRESENT[st] & (P.earnings > 0)):
            problems.append("earnings for someone who has left")
        if np.any(~PRESENT[st] & (P.support > 0)):
            problems.append("support paid to someone who has left")
        if np.any(WORKING[st] & (P.job_hours <= 0)):
            problems.append("a job with no hours")
        in_activity = np.isin(st, [State.PLAN, State.PROGRAMME, State.INTERNSHIP])
        past = (self.t - P.ti_arrival) >= self.munis.programme_weeks[P.municipality]
        if np.any(in_activity & past):
            problems.append("someone in programme activity after the introduction period")
        if np.any((P.ti_internship_end >= 0) != (st == State.INTERNSHIP)):
            problems.append("an internship end date without an internship, or the reverse")
        if np.any(P.municipality < 0) or np.any(P.municipality >= self.munis.n):
            problems.append("a municipality index out of range")
        return problems
