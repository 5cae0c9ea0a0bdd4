"""The core rules of the model written the way a Mesa user would: a yardstick for speed (issue 6).

One `mesa.Agent` per refugee, one per employer. Each week the employers post vacancies and
advertise them, the refugees act one by one in random order
(`model.agents_by_type[Refugee].shuffle_do("step")`, Mesa's standard activation), employers lose
unfilled vacancies to other job seekers, and a `mesa.DataCollector` counts the refugees present,
employed and self-sufficient. Every number comes from the same `Scenario` (and its `Behaviour`)
that `sim.model.IntroductionModel` reads, so the two implementations run the same rules on the same
parameters; `core_only` builds a scenario that the full model runs with everything else switched
off, and `tests/test_benchmarks.py` checks that the two give the same curves within replicate noise.

The rules kept (each as in the `sim/processes/` module named):

- Arrivals (`arrivals.py`, `population.py`): single adults arrive spread over each year; their
  sex, age, education, work experience, occupation, health, engagement, learning aptitude, prior
  Swedish and children are drawn from the scenario's refugee profile.
- Programme (`programme.py`): the action plan is done after the municipality's plan weeks; SFI
  progress from tuition hours (programme hours x tuition share, saturating), from workplace hours
  in an internship or a job, and from everyday life (up to a ceiling), times the learner's education, aptitude and
  health multipliers; tuition only inside the introduction period.
- Internships (`internships.py`): from the municipality's first internship week, with enough
  Swedish, a weekly chance of finding a place at an employer with a free intern place (employers
  weighted by their free places); after the cycle, a hire at the host (the logistic acceptance,
  bias bypassed, within the host's open vacancies and those it would open within the conversion lead)
  or back to the programme.
- Search and hiring (`search.py`, `matching.py`, `hiring.py`): people who are not working (interns
  included) contact an employer with a weekly chance from their own search, lowered by their
  scheduled programme hours (lock-in) and raised by engagement; the employer is drawn by its open
  vacancies; it accepts with the logistic in Swedish, the shortfall below its Swedish requirement,
  sector match, education, work experience, health, lasting employability and a former internship
  there, times its bias; an accepted newcomer wins the vacancy against the local labour market's
  other applicants with the urn-ball chance (1 - exp(-a)) / a; a hire only while the employer still
  has an open vacancy; part-time by sex. Employers post vacancies at their yearly rate; after the
  newcomers, others fill each open vacancy with chance 1 - exp(-a).
- Separations (`separations.py`): a weekly chance of losing a job (back to the programme inside
  the period, to assistance after it); leaving at 65.
- Income and self-sufficiency (`income.py`, `metrics`): earnings are hours x wage; self-sufficient
  after `min_weeks` consecutive weeks with earnings at least the threshold share of living costs
  (adult norm plus children).
- End of the introduction period (`programme_end.py`): those still in the programme or an
  internship move to assistance; they keep searching.

Left out, because they are hard to express per agent or need state shared across agents beyond
an employer's vacancies (and switched off in `core_only`): couples and households (a partner's
income, the household means test, childcare and the primary carer, births), engagement dynamics
(engagement stays at its intake value), SFI outside the introduction period, dropout into
passivity and reactivation, sanctions,
summer breaks, validation of education, vocational SFI and alternation of SFI with internships,
coaches, internship coordinators and host-family networks, extra work, staffing agencies, the
municipality's own organisation as a host, national instruments (nystartsjobb, instegsjobb),
regular education, own businesses, onward moves, secondary agreements between municipalities,
commuting, and all payments (allowances, assistance, subsidies, state compensation).

Differences that remain by design (the test bounds their effect): the full model runs each phase
for everyone before the next (all internship conversions before any search), the reference runs
each person's whole week in turn, so a searcher can take a vacancy before a host converts its
intern; intern places freed this week are advertised from the next week on (the full model
offers them the same week); and both draw from different random streams, so they agree in
distribution, not run by run.

A fair, idiomatic Mesa implementation, not a deliberately slow one: each person's constant terms
(learning multiplier, contact chance, the person's part of the hire log-odds) are computed once;
employers are drawn with cumulative weights built once a week (`random.choices(cum_weights=...)`,
a bisection), not by scanning the employers for every contact; scalar draws use the model's
seeded `random.Random` (`self.random`), the cheapest seeded source in Python.
"""

from __future__ import annotations

import itertools
import math
import sys
from pathlib import Path

import mesa
import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.scenarios import scaled_typical_dict  # noqa: E402
from sim import labour_market  # noqa: E402
from sim.config import EDUCATION_LEVELS, Scenario, scenario_from_dict  # noqa: E402

# States of a refugee in the reference (strings compare by identity; a Mesa user's usual choice).
PLAN, PROGRAMME, INTERNSHIP, JOB, ASSISTANCE = "plan", "programme", "internship", "job", "assistance"


# --- the core-only scenario -----------------------------------------------------------------

def core_only_dict(refugees: int, years: int) -> dict:
    """typical_2006 scaled to `refugees` over `years` (see `benchmarks.scenarios`), with every
    mechanism the reference leaves out switched off through the scenario's own parameters.

    What each change switches off in the full model (so that its remaining dynamics are the
    reference's):
    - couple_share 0, young_children_share 0: single adults, no child under school age, so no
      household means test, no primary carer and full availability; children_mean stays, so
      older children still raise living costs (the self-sufficiency threshold);
    - birth_rate 0: no births (which would make new carers);
    - engagement.adjust_rate_per_week 0: engagement stays at its intake value;
    - language.sfi_after_period_hours 0: no SFI after the introduction period;
    - passivity dropout and reactivation 0; sanctions off; summer_break_weeks 0;
    - income_offset false: own search is not damped by the offset (payments only otherwise);
    - coaches, internship coordinators and host families 0: own search and own placements only;
    - extra work, business starts, regular education and onward moves at rate 0;
    - no staffing agencies, no secondary agreements, no commuting, nystartsjobb and instegsjobb off;
    - validation none, vocational SFI off, no alternation, no early mapping, no own-organisation
      hosts, no competence-matched follow-up (typical_2006 has these off already; set anyway).
    """
    data = scaled_typical_dict(refugees, years)
    data["name"] = f"core_only_{refugees}"
    data["description"] = "typical_2006 scaled, with only the rules of benchmarks/mesa_reference.py on"
    hh = data["refugee_profile"]["household"]
    hh["couple_share"] = 0.0
    hh["young_children_share"] = 0.0
    for m in data["municipalities"].values():
        prog = m["programme"]
        prog.update(summer_break_weeks=0, sanctions=False, income_offset=False, validation="none",
                    vocational_sfi=False, alternate_sfi_with_internship=False,
                    early_competence_mapping=False, competence_matched_followup=False)
        m["staff"].update(coaches=0.0, internship_coordinators=0.0)
        m["network"].update(host_families=0, own_staff_internship_share=0.0)
        m["commuting_to"] = []
    data["staffing_agencies"] = {}
    data["secondary_agreements"] = {}
    data["national"]["nystartsjobb"]["enabled"] = False
    data["national"]["instegsjobb"]["enabled"] = False
    b = data["behaviour"]
    b["household"]["birth_rate_per_year"] = 0.0
    b["engagement"]["adjust_rate_per_week"] = 0.0
    b["language"]["sfi_after_period_hours"] = 0.0
    b["passivity"].update(dropout_per_week=0.0, reactivation_per_week=0.0)
    b["search"]["extra_work_per_week"] = 0.0
    b["jobs"]["business_start_per_week"] = 0.0
    b["education"]["entry_per_week"] = 0.0
    b["mobility"]["onward_move_per_week"] = 0.0
    return data


def core_only(refugees: int, years: int) -> Scenario:
    """The validated core-only scenario: both implementations run it (see `core_only_dict`)."""
    return scenario_from_dict(core_only_dict(refugees, years))


def unsupported(scenario: Scenario) -> list[str]:
    """What in `scenario` the reference does not implement (empty for a core-only scenario).

    The reference refuses such a scenario rather than silently running other rules than the
    full model would.
    """
    s, b = scenario, scenario.behaviour
    out = []
    hh = s.refugee_profile.household
    if hh.couple_share > 0 or hh.young_children_share > 0:
        out.append("couples or young children (refugee_profile.household)")
    for name, m in s.municipalities.items():
        if m.profile:
            out.append(f"{name}: a municipality's own refugee profile")
        p = m.programme
        if m.arrivals.cohort is not None:
            out.append(f"{name}: a cohort (only per_year arrivals)")
        if p.summer_break_weeks or p.sanctions or p.income_offset or p.validation != "none":
            out.append(f"{name}: summer break, sanctions, income offset or validation")
        if p.vocational_sfi or p.alternate_sfi_with_internship or p.early_competence_mapping \
                or p.competence_matched_followup:
            out.append(f"{name}: vocational SFI, alternation, early mapping or matched follow-up")
        if m.staff.coaches or m.staff.internship_coordinators or m.network.host_families:
            out.append(f"{name}: coaches, coordinators or host families")
        if m.network.own_staff_internship_share > 0 or m.commuting_to:
            out.append(f"{name}: own-organisation hosts or commuting")
    if s.staffing_agencies or s.secondary_agreements:
        out.append("staffing agencies or secondary agreements")
    if s.national.nystartsjobb.enabled or s.national.instegsjobb.enabled:
        out.append("nystartsjobb or instegsjobb")
    if b.household.birth_rate_per_year or b.engagement.adjust_rate_per_week:
        out.append("births or engagement dynamics")
    if b.language.sfi_after_period_hours:
        out.append("SFI after the introduction period")
    if b.passivity.dropout_per_week or b.passivity.reactivation_per_week:
        out.append("dropout or reactivation")
    if b.search.extra_work_per_week or b.jobs.business_start_per_week or b.education.entry_per_week \
            or b.mobility.onward_move_per_week:
        out.append("extra work, businesses, regular education or onward moves")
    return out


# --- agents ---------------------------------------------------------------------------------

class Employer(mesa.Agent):
    """An employer: weekly vacancies, intern places, and the decision on a contact."""

    def __init__(self, model, municipality: str, config, national):
        super().__init__(model)
        self.municipality = municipality
        self.sector = config.sector
        self.vacancies_per_week = config.vacancies_per_year / 52.0  # times the year's vacancy index
        self.hours = config.hours_per_week
        self.wage = config.hourly_wage_sek if config.hourly_wage_sek is not None else national.hourly_wage_sek
        self.min_swedish = config.min_swedish
        self.min_education = EDUCATION_LEVELS.index(config.min_education)
        self.requires_validation = config.requires_validation  # nobody is validated here: never hires
        self.intern_places = config.intern_places
        self.bias = config.hiring_bias
        self.vacancy_credit = 0.0
        self.open_vacancies = 0
        self.interns = 0

    def post_vacancies(self) -> None:
        """Open this week's vacancies at the yearly rate (fractions carried over; nothing while a
        credit taken ahead for conversions is paid back)."""
        self.vacancy_credit += self.vacancies_per_week * self.model.vacancy_index[self.municipality]
        new = max(math.floor(self.vacancy_credit), 0)
        self.vacancy_credit -= new
        self.open_vacancies += new

    def conversion_room(self) -> bool:
        """An open vacancy, or one it would open within the conversion lead, taken ahead."""
        lead = self.model.internship_rules.conversion_lead_weeks
        ahead = lead * self.vacancies_per_week * self.model.vacancy_index[self.municipality]
        return self.open_vacancies > 0 or math.floor(self.vacancy_credit + ahead) >= 1

    def take_vacancy(self) -> None:
        if self.open_vacancies > 0:
            self.open_vacancies -= 1
        else:
            self.vacancy_credit -= 1
        self.vacancy_credit += self.model.competition.new_job_share  # part of a newcomer's job is new

    def lose_vacancies_to_others(self, a: float) -> None:
        """Each vacancy still open goes to another applicant if it had one this week."""
        if self.open_vacancies > 0:
            self.open_vacancies -= int(self.rng.binomial(self.open_vacancies, -math.expm1(-a)))
        if self.open_vacancies > 0:  # what no one here took lapses after vacancy_open_weeks on average
            lapse = 1.0 / max(self.model.competition.vacancy_open_weeks, 1.0)
            self.open_vacancies -= int(self.rng.binomial(self.open_vacancies, lapse))

    def accept_chance(self, person: Refugee, conversion: bool) -> float:
        """The logistic acceptance of `sim/processes/hiring.py` for one contact."""
        if person.education < self.min_education or self.requires_validation:
            return 0.0
        h = self.model.hiring
        x = (person.hire_log_odds + h.swedish * person.swedish
             - h.swedish_shortfall * max(self.min_swedish - person.swedish, 0.0)
             + (h.skill_match if person.occupation == self.sector else 0.0)
             + (h.internship_host if (person.last_host is self or conversion) else 0.0))
        if conversion:
            return 1.0 / (1.0 + math.exp(-x))  # seen at work: the bias bypassed
        return (1.0 - self.bias) / (1.0 + math.exp(-x))


class Refugee(mesa.Agent):
    """A refugee: attributes drawn from the profile at arrival; one week of life per step."""

    def __init__(self, model, municipality: str, week: int):
        super().__init__(model)
        s, b = model.config, model.config.behaviour
        prof = s.refugee_profile
        r = self.random
        self.municipality = municipality
        self.rules = model.config.municipalities[municipality].programme
        self.ti_arrival = week
        self.female = r.random() < prof.female_share
        self.age0 = min(max(r.gauss(prof.age.mean, prof.age.sd), 18.0), 64.0)
        shares = (prof.education_shares_female or prof.education_shares) if self.female else prof.education_shares
        self.education = r.choices(range(4), weights=[shares[e] for e in EDUCATION_LEVELS])[0]
        self.prior_work = r.random() < (prof.prior_work_share_female if self.female else prof.prior_work_share_male)
        self.occupation = (r.choices(list(prof.occupation_shares), weights=list(prof.occupation_shares.values()))[0]
                           if self.prior_work else None)
        self.health = r.random() < prof.health_limitation_share
        m, sd = prof.engagement.mean, prof.engagement.sd
        var = min(sd * sd, m * (1 - m) * 0.99)
        k = m * (1 - m) / var - 1 if var > 0 else 0.0
        self.engagement = r.betavariate(m * k, (1 - m) * k) if var > 0 else m
        lang = b.language
        aptitude = math.exp(lang.aptitude_sd * r.gauss(0.0, 1.0) - lang.aptitude_sd ** 2 / 2)
        self.swedish = lang.prior_swedish_level if r.random() < lang.prior_swedish_share else 0.0
        children = int(self.rng.poisson(prof.household.children_mean))
        nat = s.national
        self.living_costs = nat.living_costs_adult_sek_per_week + nat.living_costs_child_sek_per_week * children
        employability = r.gauss(0.0, 1.0)
        # Terms that stay fixed for this person (engagement does not drift in the core rules).
        self.learning = (getattr(lang.education_multiplier, EDUCATION_LEVELS[self.education]) * aptitude
                         * (lang.health_multiplier if self.health else 1.0))
        h, sr = b.hiring, b.search
        self.hire_log_odds = (h.intercept + h.education * self.education
                              + h.work_experience * self.prior_work
                              + h.employability_sd * employability
                              + h.health_limitation * self.health)
        effort = max(1.0 + sr.engagement_search * (self.engagement - 0.5), 0.0)
        self.search_rate = sr.own_contacts_per_week * effort
        programme_hours = self.rules.hours_per_week * (1.0 - self.rules.job_focus * sr.job_focus_search_share)
        put_off = sr.lock_in_in_programme if self.rules.hours_per_week else 0.0
        self.time_in_programme = max(
            1.0 - put_off - sr.lock_in_at_full_time * min(programme_hours / sr.full_time_hours, 1.0), 0.0)
        self.time_in_internship = max(
            1.0 - put_off - sr.lock_in_at_full_time * min(self.rules.hours_per_week / sr.full_time_hours, 1.0), 0.0)
        self.placement_chance = b.internships.own_placement_per_week * effort
        self.part_time_share = h.part_time_share_female if self.female else h.part_time_share_male
        # Dynamic state.
        self.state = PLAN
        self.plan_done = False
        self.employer: Employer | None = None
        self.host: Employer | None = None
        self.last_host: Employer | None = None
        self.internship_end = -1
        self.job_hours = 0.0
        self.wage = 0.0
        self.weeks_above = 0
        self.self_sufficient = False

    @property
    def employed(self) -> bool:
        return self.state is JOB

    def step(self) -> None:
        """One week, in the order of the full model's phases (2 to 7)."""
        model = self.model
        t = model.t
        rules = self.rules
        weeks = t - self.ti_arrival
        in_period = weeks < rules.programme_weeks
        self.programme(weeks, in_period)
        self.internship(t, weeks, in_period)
        self.search(in_period)
        if self.separation(t, in_period):
            return
        self.income()
        if not in_period and self.state in (PLAN, PROGRAMME, INTERNSHIP):
            if self.state is INTERNSHIP:
                self.end_internship()
            self.state = ASSISTANCE  # end of the introduction period: still searching

    def programme(self, weeks: int, in_period: bool) -> None:
        """Plan, then SFI progress from tuition and workplace hours."""
        rules, lang = self.rules, self.model.language
        if not self.plan_done and weeks >= rules.plan_weeks:
            self.plan_done = True
            if self.state is PLAN:
                self.state = PROGRAMME
        tuition = workplace = 0.0
        if self.state is PROGRAMME and in_period:
            tuition = rules.hours_per_week * lang.tuition_share_of_programme_hours
            tuition = tuition / (1.0 + tuition / lang.tuition_saturation_hours)
        elif self.state is INTERNSHIP:
            workplace = rules.hours_per_week
        elif self.state is JOB:
            workplace = self.job_hours
        if self.swedish < 1.0:
            everyday = lang.everyday_gain_per_week if self.swedish < lang.everyday_ceiling else 0.0
            gain = (tuition * lang.sfi_gain_per_tuition_hour + workplace * lang.practice_gain_per_workplace_hour
                    + everyday) * self.learning
            self.swedish = min(1.0, self.swedish + gain)

    def internship(self, t: int, weeks: int, in_period: bool) -> None:
        """A cycle that ends: a hire at the host or back to the programme; then a new placement."""
        if self.state is INTERNSHIP and self.internship_end <= t:
            host = self.host
            if self.random.random() < host.accept_chance(self, conversion=True) and host.conversion_room():
                self.start_job(host)
            else:
                self.end_internship()
                self.state = PROGRAMME if in_period else ASSISTANCE
        if (self.state in (PLAN, PROGRAMME) and in_period and weeks >= self.rules.first_internship_week
                and self.swedish >= self.model.internship_rules.min_swedish_without_alternation
                and self.random.random() < self.placement_chance):
            host = self.model.choose_host(self.municipality)
            if host is not None and host.interns < host.intern_places:
                host.interns += 1
                self.host = host
                self.state = INTERNSHIP
                self.internship_end = t + self.rules.internship_weeks

    def search(self, in_period: bool) -> None:
        """Own search in the time left: a contact with an employer, who may accept; then the
        vacancy goes to the newcomer or to one of the other applicants."""
        if self.state is JOB or not (self.plan_done or self.rules.job_focus):
            return
        time = (self.time_in_programme if self.state is PROGRAMME and in_period
                else self.time_in_internship if self.state is INTERNSHIP else 1.0)
        if self.random.random() < -math.expm1(-self.search_rate * time):
            employer = self.model.choose_employer(self.municipality)
            if (employer is not None and self.random.random() < employer.accept_chance(self, conversion=False)
                    and self.random.random() < self.model.win_chance[self.municipality]
                    and employer.open_vacancies > 0):
                self.start_job(employer)

    def separation(self, t: int, in_period: bool) -> bool:
        """A job may end; at 65 the person leaves the model (returns True if they left)."""
        if self.state is JOB and self.random.random() < self.model.jobs.regular_separation_per_week:
            self.state = PROGRAMME if in_period else ASSISTANCE
            self.employer = None
            self.job_hours = 0.0
        if self.age0 + (t - self.ti_arrival) / 52.0 >= self.model.mobility.retirement_age:
            if self.state is INTERNSHIP:
                self.end_internship()
            self.remove()
            return True
        return False

    def income(self) -> None:
        """Earnings and self-sufficiency: above the threshold for `min_weeks` weeks in a row."""
        earnings = self.job_hours * self.wage if self.state is JOB else 0.0
        ss = self.model.self_sufficiency
        if earnings >= ss.threshold_share_of_living_costs * self.living_costs:
            self.weeks_above += 1
        else:
            self.weeks_above = 0
        self.self_sufficient = self.weeks_above >= ss.min_weeks

    def start_job(self, employer: Employer) -> None:
        if self.state is INTERNSHIP:
            self.end_internship()
        employer.take_vacancy()
        self.state = JOB
        self.employer = employer
        full = employer.hours
        part = self.random.random() < self.part_time_share
        self.job_hours = full * self.model.hiring.part_time_hours_share if part else full
        self.wage = employer.wage

    def end_internship(self) -> None:
        self.host.interns -= 1
        self.last_host = self.host
        self.host = None
        self.internship_end = -1


# --- the model ------------------------------------------------------------------------------

class ReferenceModel(mesa.Model):
    """The core rules, one agent per refugee; construct with a core-only `Scenario` and a seed."""

    def __init__(self, scenario: Scenario, seed: int = 1):
        problems = unsupported(scenario)
        if problems:
            raise ValueError("the Mesa reference does not implement: " + "; ".join(problems))
        super().__init__(rng=seed)
        self.config = scenario
        b = scenario.behaviour
        self.language, self.hiring, self.jobs, self.mobility = b.language, b.hiring, b.jobs, b.mobility
        self.internship_rules = b.internships
        self.self_sufficiency = scenario.metrics.self_sufficiency
        self.n_weeks = scenario.weeks
        self.t = -1
        self.employers_in: dict[str, list[Employer]] = {name: [] for name in scenario.municipalities}
        for cfg in scenario.employers.values():
            for _ in range(cfg.count):
                self.employers_in[cfg.municipality].append(Employer(self, cfg.municipality, cfg, scenario.national))
        # Arrival week of everyone who will arrive: spread over each year, as the full model.
        self.arrivals: dict[int, list[str]] = {}
        self.arrival_weeks: list[int] = []
        for name, m in scenario.municipalities.items():
            per_year = m.arrivals.per_year
            per_year = per_year if isinstance(per_year, list) else [per_year] * scenario.simulation.years
            for y, n in enumerate(per_year[: scenario.simulation.years]):
                for _ in range(round(n)):
                    week = 52 * y + int(self.random.random() * 52)
                    self.arrivals.setdefault(week, []).append(name)
                    self.arrival_weeks.append(week)
        self.competition = b.competition
        # The labour market year by year (sim/labour_market.py: the same paths as the model's).
        self.market = labour_market.paths(scenario)
        self.other_applications: dict[str, float] = {}
        self.vacancy_index: dict[str, float] = {}
        self.others_per_vacancy: dict[str, float] = {}
        self.win_chance: dict[str, float] = {}
        self.job_board: dict[str, tuple[list[Employer], list[float]]] = {}
        self.intern_board: dict[str, tuple[list[Employer], list[float]]] = {}
        self.datacollector = mesa.DataCollector(model_reporters={
            "week": "t",
            "present": lambda m: len(m.refugees()),
            "employed": lambda m: m.refugees().agg("employed", sum),
            "self_sufficient": lambda m: m.refugees().agg("self_sufficient", sum),
        })

    def refugees(self) -> mesa.agent.AgentSet:
        return self.agents_by_type.get(Refugee) or mesa.agent.AgentSet([], random=self.random)

    def step(self) -> None:
        self.t += 1
        t = self.t
        for name in self.arrivals.pop(t, ()):
            Refugee(self, name, t)
        year = min(t // 52, labour_market.MAX_YEARS - 1)
        for k, name in enumerate(self.config.municipalities):
            self.other_applications[name] = (self.market.labour_force[k, year] * self.market.unemployment[k, year]
                                             * self.competition.applications_per_unemployed_week)
            self.vacancy_index[name] = self.market.vacancy_index[k, year]
        employers = self.agents_by_type[Employer]
        employers.do("post_vacancies")
        self._advertise()
        self.refugees().shuffle_do("step")
        for name in self.config.municipalities:
            for e in self.employers_in[name]:
                e.lose_vacancies_to_others(self.others_per_vacancy[name])
        self.datacollector.collect(self)
        if self.t + 1 >= self.n_weeks:
            self.running = False

    def run(self) -> ReferenceModel:
        while self.running:
            self.step()
        return self

    def refugee_weeks(self) -> int:
        """Weeks simulated after each refugee's arrival, summed (as `benchmarks.scenarios.refugee_weeks`)."""
        return sum(self.n_weeks - w for w in self.arrival_weeks if w < self.n_weeks)

    def _advertise(self) -> None:
        """This week's job and internship boards: cumulative weights, built once a week."""
        for name, emps in self.employers_in.items():
            self.job_board[name] = (emps, list(itertools.accumulate(e.open_vacancies for e in emps)))
            a = self.other_applications[name] / max(sum(e.open_vacancies for e in emps), 1)
            self.others_per_vacancy[name] = a
            self.win_chance[name] = -math.expm1(-a) / a if a > 1e-9 else 1.0
            self.intern_board[name] = (emps, list(itertools.accumulate(max(e.intern_places - e.interns, 0)
                                                                       for e in emps)))

    def _draw(self, board) -> Employer | None:
        emps, cum = board
        if not cum or cum[-1] <= 0:
            return None
        return self.random.choices(emps, cum_weights=cum)[0]

    def choose_employer(self, municipality: str) -> Employer | None:
        """An employer in reach, drawn by the vacancies it advertised this week."""
        return self._draw(self.job_board[municipality])

    def choose_host(self, municipality: str) -> Employer | None:
        """A host drawn by the intern places it advertised free this week."""
        return self._draw(self.intern_board[municipality])


def run_reference(scenario: Scenario, seed: int = 1) -> ReferenceModel:
    return ReferenceModel(scenario, seed).run()


def weekly_counts(model) -> np.ndarray:
    """(weeks, 3) array of people present, employed and self-sufficient each week, from the
    DataCollector of either implementation (both name the columns alike)."""
    df = model.datacollector.get_model_vars_dataframe()
    return df[["present", "employed", "self_sufficient"]].to_numpy(dtype=float)


if __name__ == "__main__":
    import argparse
    import json
    import time

    ap = argparse.ArgumentParser(description="Run the Mesa reference on the core-only scenario.")
    ap.add_argument("--refugees", type=int, default=1000)
    ap.add_argument("--years", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    t0 = time.perf_counter()
    model = run_reference(core_only(args.refugees, args.years), args.seed)
    df = model.datacollector.get_model_vars_dataframe()
    print(json.dumps({"wall_s": round(time.perf_counter() - t0, 2), "final": df.iloc[-1].to_dict()}))
