"""Municipalities, employers and staffing agencies: few, rich `mesa.Agent`s over tables of arrays.

The weekly kernels read their levers and state from arrays (one entry per agent, the tables'
`arrays()`); each Agent object is a named view into its row, which keeps Mesa's conventions
(model.agents, AgentSet queries, agent-type reporters) for users.
"""

from __future__ import annotations

import mesa
import numpy as np

from . import labour_market
from .config.schema import SECTORS, Scenario
from .rng import NYSTARTSJOBB_TAKEUP, stream_key, uniforms
from .states import EDUCATION_INDEX as EDU_INDEX
from .states import PRESENT, VALIDATION_INDEX
from .tables import AGENCY, EMPLOYER, MUNICIPALITY, records


class MunicipalityTable:
    """Per-municipality levers and staff as arrays, indexed by municipality number."""

    def __init__(self, scenario: Scenario):
        self.names = list(scenario.municipalities)
        ms = list(scenario.municipalities.values())
        n = len(ms)
        self.n = n

        def arr(f, dtype=np.float64):
            return np.array([f(m) for m in ms], dtype=dtype)

        self.plan_weeks = arr(lambda m: m.programme.plan_weeks, np.int32)
        self.job_focus = arr(lambda m: m.programme.job_focus, bool)
        self.hours = arr(lambda m: m.programme.hours_per_week)
        self.wage_like = arr(lambda m: m.programme.allowance == "wage_like", bool)
        self.sanctions = arr(lambda m: m.programme.sanctions and m.programme.allowance == "wage_like", bool)
        self.income_offset = arr(lambda m: m.programme.income_offset, bool)
        self.allowance_sek = arr(lambda m: m.programme.allowance_sek_per_week)
        self.summer_break_weeks = arr(lambda m: m.programme.summer_break_weeks, np.int32)
        self.summer_courses = arr(lambda m: m.programme.summer_courses, bool)
        self.summer_course_hours = arr(lambda m: m.programme.summer_course_hours)
        self.alternate = arr(lambda m: m.programme.alternate_sfi_with_internship, bool)
        self.internship_share = arr(lambda m: m.programme.internship_share_of_week)
        self.first_internship_week = arr(lambda m: m.programme.first_internship_week, np.int32)
        self.internship_weeks = arr(lambda m: m.programme.internship_weeks, np.int32)
        self.matched_followup = arr(lambda m: m.programme.competence_matched_followup, bool)
        self.vocational_sfi = arr(lambda m: m.programme.vocational_sfi, bool)
        self.care_organisation = arr(lambda m: m.programme.organisation == "social_services", bool)
        self.validation = arr(lambda m: VALIDATION_INDEX[m.programme.validation], np.int8)
        self.early_mapping = arr(lambda m: m.programme.early_competence_mapping, bool)
        self.childcare_wait = arr(lambda m: m.programme.childcare_wait_weeks, np.int32)
        self.programme_weeks = arr(lambda m: m.programme.programme_weeks, np.int32)
        self.coaches = arr(lambda m: m.staff.coaches)
        self.coach_share = arr(lambda m: m.staff.coach_share_at_employers)
        self.coordinators = arr(lambda m: m.staff.internship_coordinators)
        self.host_families = arr(lambda m: m.network.host_families)
        self.network_strength = arr(lambda m: m.network.employer_network_strength)
        # The labour market year by year; other job seekers (labour force x unemployment) compete
        # for the same vacancies. The kernels set this year's values each week.
        market = labour_market.paths(scenario)
        self.unemployment_path = market.unemployment
        self.labour_force_path = market.labour_force
        self.vacancy_index_path = market.vacancy_index
        self.other_job_seekers = market.other_job_seekers()[:, 0].copy()
        self.vacancy_index = market.vacancy_index[:, 0].copy()
        self.three_year_agreement = arr(lambda m: m.three_year_agreement, bool)
        self.housing_capacity = arr(lambda m: np.inf if m.housing_capacity_per_year is None
                                    else m.housing_capacity_per_year)
        # reach[i, j]: residents of i can work for employers in j (home, or commuting; seed 002).
        self.reach = np.eye(n, dtype=bool)
        for i, m in enumerate(ms):
            for other in m.commuting_to:
                self.reach[i, self.names.index(other)] = True
        # A partnership with any staffing agency (published criteria, referrals).
        self.agency_partner = np.zeros(n, bool)
        for a in scenario.staffing_agencies.values():
            for p in a.partner_municipalities:
                self.agency_partner[self.names.index(p)] = True
        # Fractional weekly quotas carried between weeks (placements coordinators arrange, employer
        # contacts coaches make).
        self.placement_credit = np.zeros(n)
        self.coach_credit = np.zeros(n)
        self.world = np.zeros(n, np.int32)  # the world of a batch each municipality belongs to
        self.other_hires = np.zeros(n)       # hires of other job seekers (displacement), cumulated
        # The kernels' table; the attributes above become views of its fields.
        self.rows = records(self, MUNICIPALITY, n)


class EmployerTable:
    """Employers as arrays; the municipality's own organisation is added where it hosts interns."""

    def __init__(self, scenario: Scenario, munis: MunicipalityTable, seed: int = 0):
        rows = []
        for key, e in scenario.employers.items():
            for k in range(e.count):
                rows.append((f"{key}#{k + 1}" if e.count > 1 else key, e))
        self.names = [r[0] for r in rows]
        n_cfg = len(rows)
        mi = [munis.names.index(e.municipality) for _, e in rows]
        nat = scenario.national
        sector = [SECTORS.index(e.sector) for _, e in rows]
        public = [e.public for _, e in rows]
        # Listed rates; the municipality's vacancy index of the year (vacancy_scale, the business
        # cycle) multiplies them as they are posted (arrivals.post_vacancies).
        vac = [e.vacancies_per_year for _, e in rows]
        hours = [e.hours_per_week for _, e in rows]
        wage = [e.hourly_wage_sek if e.hourly_wage_sek is not None else nat.hourly_wage_sek for _, e in rows]
        min_sw = [e.min_swedish for _, e in rows]
        min_edu = [EDU_INDEX[e.min_education] for _, e in rows]
        req_val = [e.requires_validation for _, e in rows]
        places = [e.intern_places for _, e in rows]
        subs = [e.takes_subsidised for _, e in rows]
        sub_places = [e.subsidised_places_per_year for _, e in rows]
        bias = [e.hiring_bias for _, e in rows]
        rel = [e.relationship if e.relationship is not None else munis.network_strength[mi[j]]
               for j, (_, e) in enumerate(rows)]
        # The municipality as a host of interns in its own organisation (Välkommen till jobbet! 2007
        # prop. 1: e.g. 5 %).
        org = scenario.behaviour.municipal_organisation
        for m_idx, (name, m) in enumerate(scenario.municipalities.items()):
            own_places = int(round(m.network.own_staff_internship_share * m.network.municipal_staff))
            if own_places > 0:
                self.names.append(f"{name} (municipal organisation)")
                mi.append(m_idx)
                sector.append(SECTORS.index("public_administration"))
                public.append(True)
                vac.append(org.vacancies_per_staff_year * m.network.municipal_staff)
                hours.append(org.hours_per_week)
                wage.append(nat.hourly_wage_sek)
                min_sw.append(org.min_swedish)
                min_edu.append(EDU_INDEX["compulsory"])
                req_val.append(False)
                places.append(own_places)
                subs.append(True)
                sub_places.append(max(1, own_places))
                bias.append(org.hiring_bias)
                rel.append(max(org.min_relationship, m.network.employer_network_strength))
        self.n = len(self.names)
        # A stable key per employer (from its name) for counter-based random draws.
        # "kind#k" for configured employers whatever their count, so raising a count from 1 to 2
        # keeps the first employer's draws.
        key_names = [f"{key}#{k + 1}" for key, e in scenario.employers.items() for k in range(e.count)]
        key_names += self.names[n_cfg:]
        self.keys = np.array([stream_key(name) for name in key_names], dtype=np.int64)
        self.municipality = np.array(mi, np.int16)
        self.sector = np.array(sector, np.int8)
        self.public = np.array(public, bool)
        self.vacancies_per_week = np.array(vac, np.float64) / 52.0
        self.hours = np.array(hours, np.float32)
        self.wage = np.array(wage, np.float32)
        self.min_swedish = np.array(min_sw, np.float32)
        self.min_education = np.array(min_edu, np.int8)
        self.requires_validation = np.array(req_val, bool)
        self.intern_places = np.array(places, np.int32)
        self.takes_subsidised = np.array(subs, bool)
        self.subsidised_places = np.array(sub_places, np.int32)  # subsidised hires a year at most
        self.subsidised_left = self.subsidised_places.copy()     # left this year (reset each year)
        # Employers that use the nystartsjobb tax relief: drawn once per employer, keyed by it.
        takeup = scenario.behaviour.hiring.nystartsjobb_employer_takeup
        self.uses_nystartsjobb = uniforms(np.uint64(seed), NYSTARTSJOBB_TAKEUP, self.keys, 0) < takeup
        self.bias = np.array(bias, np.float32)
        self.base_relationship = np.array(rel, np.float32)
        self.relationship = self.base_relationship.copy()
        # Dynamic: open vacancies (filled by refugees, or by others), interns hosted now, and
        # cumulative counts for reporting and invariants.
        self.vacancy_credit = np.zeros(self.n)
        self.open_vacancies = np.zeros(self.n, np.int32)
        self.interns = np.zeros(self.n, np.int32)
        self.hires = np.zeros(self.n, np.int64)
        self.hires_of_former_interns = np.zeros(self.n, np.int64)
        self.interns_hosted = np.zeros(self.n, np.int64)
        # The kernels' table; the attributes above become views of its fields.
        self.rows = records(self, EMPLOYER, self.n)


class AgencyTable:
    def __init__(self, scenario: Scenario, munis: MunicipalityTable):
        ags = list(scenario.staffing_agencies.values())
        self.names = list(scenario.staffing_agencies)
        self.n = len(ags)
        self.hires_per_week = np.array([a.hires_per_year / 52.0 for a in ags])
        self.min_swedish = np.array([a.criteria.min_swedish for a in ags], np.float32)
        self.min_engagement = np.array([a.criteria.min_engagement for a in ags], np.float32)
        self.min_education = np.array([EDU_INDEX[a.criteria.min_education] for a in ags], np.int8)
        self.hours = np.array([a.hours_per_week for a in ags], np.float32)
        self.sector = np.array([SECTORS.index(a.sector) for a in ags], np.int8)
        self.reach = np.zeros((self.n, munis.n), bool)
        self.partner = np.zeros((self.n, munis.n), bool)
        for i, a in enumerate(ags):
            for m in a.municipalities:
                self.reach[i, munis.names.index(m)] = True
            for m in a.partner_municipalities:
                self.reach[i, munis.names.index(m)] = True
                self.partner[i, munis.names.index(m)] = True
        self.credit = np.zeros(self.n)
        self.hires = np.zeros(self.n, np.int64)
        # The kernels' table; the attributes above become views of its fields.
        self.rows = records(self, AGENCY, self.n)


class Municipality(mesa.Agent):
    """A municipality: its introduction rules, staff, network and labour market (docs/ODD.md 2.2)."""

    def __init__(self, model, index: int, name: str, config):
        super().__init__(model)
        self.index = index
        self.name = name
        self.config = config

    @property
    def label(self) -> str:
        return self.config.label or self.name

    def _mine(self):
        pop = self.model.population
        n = pop.n_arrived
        return pop, n, pop.municipality[:n] == self.index

    @property
    def residents(self) -> int:
        pop, n, mine = self._mine()
        return int(np.count_nonzero(mine & PRESENT[pop.state[:n]]))

    @property
    def employed(self) -> int:
        return int(self.model.recorder.last("employed")[self.index])

    @property
    def self_sufficient(self) -> int:
        return int(self.model.recorder.last("self_sufficient")[self.index])

    @property
    def costs_sek(self) -> float:
        return float(self.model.recorder.cost_totals()[self.index].sum())


class Employer(mesa.Agent):
    """An employer: a view of one row of the employer table."""

    def __init__(self, model, index: int, name: str):
        super().__init__(model)
        self.index = index
        self.name = name

    def _t(self):
        return self.model.employers

    @property
    def municipality(self) -> str:
        return self.model.municipalities_table.names[self._t().municipality[self.index]]

    @property
    def sector(self) -> str:
        return SECTORS[self._t().sector[self.index]]

    @property
    def public(self) -> bool:
        return bool(self._t().public[self.index])

    @property
    def open_vacancies(self) -> int:
        return int(self._t().open_vacancies[self.index])

    @property
    def interns(self) -> int:
        return int(self._t().interns[self.index])

    @property
    def hires(self) -> int:
        return int(self._t().hires[self.index])

    @property
    def relationship(self) -> float:
        return float(self._t().relationship[self.index])


class StaffingAgency(mesa.Agent):
    """A staffing agency hiring on published criteria regardless of origin (seed 000 prop. 6)."""

    def __init__(self, model, index: int, name: str):
        super().__init__(model)
        self.index = index
        self.name = name

    @property
    def hires(self) -> int:
        return int(self.model.agencies.hires[self.index])
