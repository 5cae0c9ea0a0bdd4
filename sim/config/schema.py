"""The scenario: every lever, labour market, instrument and behavioural parameter, typed and checked.

Levers and their sources: docs/ODD.md section 6 and docs/SOURCES.md. Municipalities, employers, staffing agencies and secondary agreements
are mappings keyed by name, so that a scenario that `extends:` another can override one value of
one municipality without copying the rest. Monetary amounts are in SEK (DKK scenarios convert).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from .base import Section
from .behaviour import EDUCATION_LEVELS, Behaviour, EducationLevel
from .placement import Placement
from .places import municipalities, national_unemployment, register_labour_market

Education = EducationLevel

# Sectors of employers and of refugees' prior occupations. A fixed vocabulary, so that a typo is
# caught and matching an occupation to an employer is exact.
SECTORS = (
    "manufacturing", "construction", "retail_hospitality", "cleaning_logistics", "health_care",
    "education", "public_administration", "agriculture_forestry", "professional_services",
)
Sector = Literal[
    "manufacturing", "construction", "retail_hospitality", "cleaning_logistics", "health_care",
    "education", "public_administration", "agriculture_forestry", "professional_services",
]

Share = Field(ge=0, le=1)
# A name that becomes part of a file or folder name: no path separators, no leading dot.
NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
# The most refugees one municipality settles in a year (Sweden received about 30,000 refugees a
# year at the time, some 160,000 in 2015), and in one scenario: a laptop holds about 2 million
# people (some 400 bytes each) comfortably.
MAX_ARRIVALS = 200_000
MAX_SEED = 2**32 - 1  # seeds are 32-bit words (NumPy's SeedSequence entropy)
MAX_POPULATION = 2_000_000
YearlyArrivals = Annotated[float, Field(ge=0, le=MAX_ARRIVALS)]


def _shares_sum_to_one(shares: dict[str, float], what: str) -> dict[str, float]:
    bad = [k for k, v in shares.items() if not 0 <= v <= 1]
    if bad:
        raise ValueError(f"{what} must each be between 0 and 1; {', '.join(bad)} is not")
    total = sum(shares.values())
    if abs(total - 1.0) > 1e-6:
        raise ValueError(f"{what} must add up to 1, they add up to {total:g}")
    return shares


class Simulation(Section):
    start_date: dt.date = Field(dt.date(2006, 1, 2), description="First simulated week (a Monday is usual).")
    years: int = Field(5, ge=1, le=40, description="Simulated years (52 weeks each).")
    step: Literal["week"] = Field("week", description="The model steps one week at a time.")
    seed: int = Field(1, ge=0, le=MAX_SEED, description="Seed of every random stream (common random numbers).")


class SelfSufficiency(Section):
    """M8: own work income above living costs, kept over time (docs/ODD.md 4.11)."""

    threshold_share_of_living_costs: float = Field(
        1.0, ge=0, le=5,
        description="Weekly earnings must reach this share of the person's living costs (own adult "
                    "norm plus their share of the children's). 1.0 = covers living costs.")
    min_weeks: int = Field(
        13, ge=1, le=104,
        description="Consecutive weeks above the threshold before a person counts as "
                    "self-sufficient (13 = three months). Assumption; configurable.")


class Metrics(Section):
    self_sufficiency: SelfSufficiency = SelfSufficiency()
    kora_window_weeks: int = Field(
        156, ge=1, le=520, description="KORA's 3-year window (seed 004), counted from arrival.")
    kora_min_job_weeks: int = Field(
        3, ge=1, le=52, description="KORA: a job of at least 3 consecutive weeks (seed 004).")


class AgeProfile(Section):
    mean: float = Field(31.0, ge=18, le=64, description="Mean age of adult arrivals. Assumption.")
    sd: float = Field(9.0, ge=0, le=30)


class EngagementProfile(Section):
    mean: float = Field(0.5, ge=0.01, le=0.99, description="Mean engagement at intake (0-1).")
    sd: float = Field(0.15, ge=0, le=0.45)


class HouseholdProfile(Section):
    couple_share: float = Field(
        0.5, ge=0, le=1, description="Share of adult arrivals who come with an adult partner. Assumption.")
    young_children_share: float = Field(
        0.35, ge=0, le=1, description="Share of households with a child under school age. Assumption.")
    children_mean: float = Field(1.2, ge=0, le=10, description="Mean number of children per household.")


class RefugeeProfile(Section):
    """Who arrives: the attributes every rule depends on (docs/ODD.md 2.1)."""

    age: AgeProfile = AgeProfile()
    female_share: float = Field(0.45, ge=0, le=1, description="Share of adult arrivals who are women.")
    education_shares: dict[Education, float] = Field(
        {"none": 0.15, "compulsory": 0.35, "upper_secondary": 0.30, "tertiary": 0.20},
        description="Highest completed education of men (and of women unless given separately).")
    education_shares_female: dict[Education, float] | None = Field(
        None, description="Highest completed education of women, if it differs.")
    prior_work_share_male: float = Field(0.8, ge=0, le=1, description="Men with work experience.")
    prior_work_share_female: float = Field(0.45, ge=0, le=1, description="Women with work experience.")
    occupation_shares: dict[Sector, float] = Field(
        {"manufacturing": 0.15, "construction": 0.12, "retail_hospitality": 0.18,
         "cleaning_logistics": 0.12, "health_care": 0.10, "education": 0.08,
         "public_administration": 0.05, "agriculture_forestry": 0.12, "professional_services": 0.08},
        description="Sector of prior occupation, for those with work experience.")
    health_limitation_share: float = Field(0.15, ge=0, le=1, description="Share with a health limitation.")
    engagement: EngagementProfile = EngagementProfile()
    household: HouseholdProfile = HouseholdProfile()
    permit_to_arrival_weeks_mean: float = Field(
        12.0, ge=0, le=260, description="Mean weeks from residence permit to settling in the municipality.")

    @field_validator("education_shares", "education_shares_female")
    @classmethod
    def _edu(cls, v):
        if v is None:
            return v
        missing = set(EDUCATION_LEVELS) - set(v)
        if missing:
            raise ValueError(f"education shares need every level; missing {sorted(missing)}")
        return _shares_sum_to_one(v, "education shares")

    @field_validator("occupation_shares")
    @classmethod
    def _occ(cls, v):
        if not v:
            raise ValueError("give at least one sector")
        return _shares_sum_to_one(v, "occupation shares")


class Arrivals(Section):
    """Either arrivals per year (a number for every year, or a list, one per year) or one cohort."""

    per_year: YearlyArrivals | list[YearlyArrivals] | None = Field(
        None, description="Refugees settled per year; a list gives one number per year (later years none).")
    cohort: int | None = Field(None, ge=0, le=MAX_ARRIVALS, description="One cohort of this size arriving in `cohort_week`.")
    cohort_week: int = Field(0, ge=0, le=52 * 40, description="Week of the cohort's arrival.")

    @field_validator("per_year")
    @classmethod
    def _non_negative(cls, v):
        values = v if isinstance(v, list) else [v] if v is not None else []
        if any(x < 0 for x in values):
            raise ValueError("arrivals cannot be negative")
        if isinstance(v, list) and not v:
            raise ValueError("give at least one year's arrivals")
        return v

    @model_validator(mode="after")
    def _one_kind(self):
        if (self.per_year is None) == (self.cohort is None):
            raise ValueError("give exactly one of per_year or cohort")
        return self


class Programme(Section):
    """The municipality's introduction rules: the levers (docs/ODD.md section 6)."""

    plan_weeks: int = Field(
        8, ge=0, le=52, description="Weeks to draw up the individual action plan (Falkenberg: 5; seed 000 prop. 1).")
    job_focus: bool = Field(False, description="Job focus from day one (seed 000 prop. 1).")
    hours_per_week: float = Field(
        20, ge=0, le=60, description="Programme hours a week (typical under 20, full time 40; seed 000 prop. 2).")
    allowance: Literal["wage_like", "social_assistance"] = Field(
        "social_assistance",
        description="Wage-like introduction allowance paid for following the plan, or means-tested "
                    "social assistance (seed 000 prop. 3).")
    sanctions: bool = Field(False, description="Waiting-day sanction (karens) when the plan is not followed.")
    income_offset: bool = Field(
        True, description="Extra earnings deducted from the support krona for krona (inkomstavräkning).")
    allowance_sek_per_week: float = Field(
        1900, ge=0, le=20000,
        description="Wage-like allowance per week (Falkenberg: slightly above social assistance). Assumption.")
    summer_break_weeks: int = Field(
        0, ge=0, le=16, description="Weeks of summer pause from ISO week 27 (seed 000 prop. 4).")
    summer_courses: bool = Field(
        False, description="Summer courses or projects replace the pause (Sorsele forest project, seed 000).")
    summer_course_hours: float = Field(20, ge=0, le=60, description="Hours a week of summer courses.")
    alternate_sfi_with_internship: bool = Field(
        False, description="SFI alternated with internship from the start (seed 000 prop. 5, Värnamo).")
    internship_share_of_week: float = Field(
        0.5, ge=0, le=1, description="Share of programme hours at the internship (Värnamo: afternoons).")
    first_internship_week: int = Field(
        26, ge=0, le=260,
        description="Earliest week after arrival for an internship (Värnamo: a few weeks; "
                    "Fredensborg: within 72 hours; Struer: within a month).")
    internship_weeks: int = Field(13, ge=1, le=104, description="Length of one internship cycle (Fredensborg: 13).")
    competence_matched_followup: bool = Field(
        False, description="A second internship matched to the person's competences (Fredensborg).")
    vocational_sfi: bool = Field(False, description="SFI adapted to occupation (SFI-X; seed 002).")
    organisation: Literal["labour_market", "social_services"] = Field(
        "social_services", description="Competence perspective or care perspective (seed 000 prop. 7).")
    validation: Literal["none", "office", "university"] = Field(
        "none", description="Validation of education: none, a validation office, or with university "
                            "certification (seed 000 prop. 8).")
    early_competence_mapping: bool = Field(
        False, description="Competences mapped before arrival, in the asylum centre (Fredensborg; seed 003).")
    childcare_wait_weeks: int = Field(
        26, ge=0, le=260, description="Weeks until childcare is arranged (Struer: before arrival). Assumption.")
    programme_weeks: int = Field(
        104, ge=4, le=260, description="Length of the introduction period (seed 000: two to three years).")


class Staff(Section):
    coaches: float = Field(1.0, ge=0, le=1000, description="Full-time coaches working with the refugees.")
    coach_share_at_employers: float = Field(
        0.2, ge=0, le=1, description="Share of coaches' time spent at employers (seed 000 prop. 1).")
    internship_coordinators: float = Field(
        0.5, ge=0, le=1000, description="Full-time internship coordinators (Värnamo: 3, one mostly for refugees).")


class Network(Section):
    host_families: int = Field(0, ge=0, le=100000, description="Host or network families (Värnamo ~50, Struer 30).")
    employer_network_strength: float = Field(
        0.2, ge=0, le=1, description="Base relationship between coaches and employers (seed 000 prop. 10).")
    own_staff_internship_share: float = Field(
        0.0, ge=0, le=0.2,
        description="Internship places in the municipality's own organisation as a share of its "
                    "staff (seed 000 prop. 1: e.g. 5 %).")
    municipal_staff: int = Field(
        0, ge=0, le=1000000, description="Employees of the municipality itself (hosts its own interns).")


Year = Annotated[int, Field(ge=1900, le=2100)]


# What each path by calendar year holds, and its bounds.
BY_YEAR_BOUNDS = {
    "unemployment_by_year": ("unemployment rates", 0.0, 1.0),
    "national_unemployment_by_year": ("national unemployment rates", 0.0, 1.0),
    "vacancy_index_by_year": ("vacancy indices", 0.0, 100.0),
    "labour_force_by_year": ("labour forces", 0, 50_000_000),
}


def _by_year(v: dict, what: str, low: float, high: float) -> dict:
    bad = [y for y, x in v.items() if not low <= x <= high]
    if bad:
        raise ValueError(f"{what} must be between {low:g} and {high:g}; the value for {bad[0]} is not")
    return v


class LabourMarket(Section):
    """The local labour market in which newcomers compete for vacancies with other job seekers
    (mechanism 2; the matching function is described at `behaviour.competition`), year by year
    (sim/labour_market.py: how a year's figures are made from these)."""

    register_code: str | None = Field(
        None, pattern=r"^(\d{4}|national)$",
        description="SCB municipality code (kommunkod, e.g. '1382' Falkenberg) whose sourced figures "
                    "give the labour force (population 2005 x 0.53) and unemployment (its register rate "
                    "relative to the nation's, times the national rate of each year), unless set "
                    "below; 'national' = the average municipality (mean size, national rate). "
                    "data/SOURCES.md.")
    labour_force: int = Field(
        20000, ge=0, le=50_000_000,
        description="People in the local labour market (its size): employed and unemployed residents.")
    unemployment: float | None = Field(
        None, ge=0, le=1,
        description="Unemployment rate in the start year (a share: 0.065 = 6.5 %) of the local labour "
                    "market: labour_force x unemployment other job seekers compete with newcomers for "
                    "the vacancies. Empty: from register_code, else 0.06 (assumption). Set with a "
                    "register_code, it overrides the sourced rate.")
    relative_unemployment: float | None = Field(
        None, ge=0, le=20,
        description="This municipality's unemployment relative to the nation's (filled from "
                    "register_code: SCB BAS 2022); each year's rate is this times the national rate.")
    unemployment_by_year: dict[Year, float] = Field(
        {}, description="Unemployment by calendar year (a share); a year not listed takes the last "
                        "listed before it (the first, before any). Overrides the rates above.")
    unemployment_shift: float = Field(
        0.0, ge=-0.2, le=0.2,
        description="Added to every year's unemployment (0.01 = one percentage point more): a "
                    "what-if, and how the local-labour-market targets vary it.")
    labour_force_by_year: dict[Year, int] = Field(
        {}, description="Labour force by calendar year (carried as unemployment_by_year is).")
    vacancy_scale: float = Field(
        1.0, ge=0, le=100,
        description="Multiplies the vacancies of every employer in this municipality: a what-if of more "
                    "or fewer jobs, or a labour market's level fitted to its figures.")
    vacancy_index_by_year: dict[Year, float] = Field(
        {}, description="Vacancies by calendar year relative to the employers' listed rates (1 = as "
                        "listed), on top of vacancy_scale and the business cycle's index.")

    @model_validator(mode="before")
    @classmethod
    def _from_register(cls, data):
        if isinstance(data, dict) and isinstance(data.get("register_code"), int) \
                and not isinstance(data.get("register_code"), bool) and 0 <= data["register_code"] <= 9999:
            # An unquoted code in YAML is a number: 1382 reads back as '1382' (but see _known_code).
            data = {**data, "register_code": f"{data['register_code']:04d}"}
        if not isinstance(data, dict) or not isinstance(data.get("register_code"), str):
            return data
        code = data["register_code"]
        if code != "national" and code not in municipalities():
            return data  # the field validator below names the problem
        labour_force, relative, _ = register_labour_market(code)
        out = dict(data)
        out.setdefault("labour_force", labour_force)
        out.setdefault("relative_unemployment", relative)
        return out

    @field_validator("register_code")
    @classmethod
    def _known_code(cls, v):
        if v is not None and v != "national" and v not in municipalities():
            raise ValueError(f"'{v}' is not one of Sweden's 290 municipality codes (data/municipalities.csv), "
                             "nor 'national'; give the code in quotes (register_code: '0114': YAML reads an "
                             "unquoted 0114 as the octal number 76)")
        return v

    @field_validator("unemployment_by_year", "vacancy_index_by_year", "labour_force_by_year")
    @classmethod
    def _paths(cls, v, info):
        return _by_year(v, *BY_YEAR_BOUNDS[info.field_name])


class Recession(Section):
    """A stylised downturn: unemployment rises and vacancies fall over `onset_years`, then recover
    linearly over `recovery_years` (sim/labour_market.py: recession_depth)."""

    start_year: Year = Field(description="Calendar year the downturn begins.")
    unemployment_rise: float = Field(
        0.02, ge=0, le=0.2, description="Percentage points added to every municipality's rate at the trough "
                                        "(0.022: Sweden 2008 to 2010, SCB AKU 6.3 % to 8.8 %).")
    vacancy_fall: float = Field(
        0.35, ge=0, le=0.95, description="Share of vacancies lost at the trough (Sweden 2008 to 2009: some "
                                         "35-40 % fewer, SCB's vacancy survey and the employment service).")
    onset_years: int = Field(1, ge=1, le=5, description="Years from the start to the trough.")
    recovery_years: int = Field(3, ge=0, le=15, description="Years from the trough back to normal.")


class BusinessCycle(Section):
    """The national business cycle every municipality's labour market moves with."""

    national_unemployment_by_year: dict[Year, float] = Field(
        default_factory=lambda: dict(national_unemployment()),
        description="The national unemployment rate by calendar year; Sweden's (SCB AKU 15-74, "
                    "data/national_unemployment.csv) unless given. Municipalities with a register_code "
                    "take their relative rate times this.")
    scale_local_rates: bool = Field(
        False, description="Municipalities with an explicit 'unemployment' (no register code) follow the "
                           "national rate too: their rate x national(year) / national(start year).")
    vacancy_index_by_year: dict[Year, float] = Field(
        {}, description="National vacancies by calendar year relative to normal (1), for every municipality.")
    recession: Recession | None = Field(None, description="A stylised downturn on top of the series.")

    @field_validator("national_unemployment_by_year", "vacancy_index_by_year")
    @classmethod
    def _paths(cls, v, info):
        if info.field_name == "national_unemployment_by_year" and not v:
            raise ValueError("give at least one year's national rate")
        return _by_year(v, *BY_YEAR_BOUNDS[info.field_name])


# Keys that older scenario files may still have, with what replaced them (shown instead of a bare
# "unknown key").
REMOVED_KEYS = {
    ("LabourMarket", "unemployment_foreign_born"):
        "removed in 0.2: newcomers now compete with the other job seekers of the local labour "
        "market; give its 'labour_force' and overall 'unemployment' instead",
    ("LabourMarket", "vacancy_fill_by_others_per_week"):
        "removed in 0.2: others fill vacancies through the matching function (labour_force, "
        "unemployment and behaviour.competition)",
}


class Municipality(Section):
    label: str | None = Field(None, description="Name to show in reports.")
    reception_agreement_per_year: float = Field(
        0, ge=0, le=100000,
        description="Places in the reception agreement (Värnamo: 30). Descriptive: reported beside "
                    "arrivals; no rule depends on it (arrivals and housing capacity do).")
    three_year_agreement: bool = Field(
        False, description="A 3-year agreement, which brings the stimulus payment (seed 000).")
    housing_capacity_per_year: float | None = Field(
        None, ge=0, le=1_000_000, description="Settlements a year housing allows; caps arrivals by secondary agreement.")
    arrivals: Arrivals | None = Field(
        None, description="Refugees settled here; required unless the scenario's `placement:` places them.")
    profile: dict | None = Field(None, description="Overrides of the scenario's refugee profile.")
    programme: Programme = Programme()
    staff: Staff = Staff()
    network: Network = Network()
    labour_market: LabourMarket = LabourMarket()
    commuting_to: list[str] = Field(
        [], description="Municipalities whose employers residents can reach by commuting (seed 002, Umeå region).")


class Employer(Section):
    """One kind of employer in one municipality; `count` identical employers are created."""

    municipality: str
    sector: Sector
    public: bool = False
    count: int = Field(1, ge=1, le=100000)
    employees: int = Field(20, ge=1, le=1000000, description="Size; descriptive (vacancies are given directly).")
    vacancies_per_year: float = Field(
        2.0, ge=0, le=100000, description="New vacancies open to refugees per employer per year.")
    hours_per_week: float = Field(38.0, ge=1, le=60)
    hourly_wage_sek: float | None = Field(None, ge=0, le=10_000, description="Defaults to the national wage.")
    min_swedish: float = Field(0.3, ge=0, le=1, description="Swedish level required.")
    min_education: Education = "none"
    requires_validation: bool = Field(False, description="Only validated credentials count (qualified jobs).")
    intern_places: int = Field(0, ge=0, le=100000, description="Interns it hosts at once; 0 = unwilling.")
    takes_subsidised: bool = Field(True, description="Willing to take subsidised hires (instegsjobb).")
    subsidised_places_per_year: int = Field(
        1, ge=0, le=100000,
        description="Subsidised hires (instegsjobb) it takes a year at most. Assumption: instegsjobb "
                    "were rare (RiR 2013:17).")
    hiring_bias: float = Field(0.3, ge=0, le=1, description="Share of foreign-born applicants turned away for origin.")
    relationship: float | None = Field(
        None, ge=0, le=1, description="Relationship with the coaches; defaults to the municipality's network strength.")


class AgencyCriteria(Section):
    min_swedish: float = Field(0.6, ge=0, le=1, description="Language (Falkenberg/Manpower criteria, seed 000).")
    min_engagement: float = Field(0.55, ge=0, le=1, description="Social competence and drive.")
    min_education: Education = "compulsory"


class StaffingAgency(Section):
    municipalities: list[str] = Field(description="Municipalities where it recruits and places staff.")
    partner_municipalities: list[str] = Field(
        [], description="Municipalities with a partnership: referrals and published criteria (seed 000 prop. 6).")
    hires_per_year: float = Field(10, ge=0, le=100000, description="Hires of newcomers it can make a year.")
    criteria: AgencyCriteria = AgencyCriteria()
    hours_per_week: float = Field(32.0, ge=1, le=60)
    sector: Sector = Field("cleaning_logistics", description="Main client sector; descriptive.")


class SecondaryAgreement(Section):
    """Seed 000 prop. 9: a municipality with capacity takes newcomers from an overloaded one."""

    from_municipality: str = Field(alias="from")
    to_municipality: str = Field(alias="to")
    places_per_year: float = Field(ge=0, le=100000)
    within_weeks_of_arrival: int = Field(
        26, ge=1, le=260, description="Only newcomers within this many weeks of arrival move.")


class Nystartsjobb(Section):
    enabled: bool = True
    window_weeks_after_permit: int = Field(156, ge=0, le=520, description="First 3 years after the permit (seed 000).")


class Instegsjobb(Section):
    enabled: bool = True
    window_weeks_after_permit: int = Field(78, ge=0, le=520, description="First 18 months after the permit (seed 000).")
    subsidy_public: float = Field(0.5, ge=0, le=1, description="Wage subsidy, public sector (seed 000).")
    subsidy_private: float = Field(0.75, ge=0, le=1, description="Wage subsidy, private sector (seed 000).")
    hours_per_week: float = Field(25, ge=1, le=60, description="Hours of the job; combined with SFI. Assumption.")


class National(Section):
    """National instruments of 2007 (seed 000) and money amounts."""

    nystartsjobb: Nystartsjobb = Nystartsjobb()
    instegsjobb: Instegsjobb = Instegsjobb()
    stimulus_payment_sek: float = Field(
        10000, ge=0, le=10_000_000, description="Per person received, to municipalities with 3-year agreements (seed 000).")
    performance_bonus_sek: float = Field(
        20000, ge=0, le=10_000_000,
        description="Per adult who within a year of the permit passes SFI or has an internship or "
                    "work for `performance_bonus_min_weeks` (seed 000).")
    performance_bonus_min_weeks: int = Field(
        12, ge=1, le=52, description="'For a certain time' in seed 000. Assumption.")
    flat_rate_compensation_sek: float = Field(
        186000, ge=0, le=10_000_000,
        description="State flat-rate compensation (schablonersättning) per adult, paid at arrival. "
                    "Assumption: approximate 2007 level.")
    living_costs_adult_sek_per_week: float = Field(
        1650, ge=0, le=10_000_000, description="Living costs of an adult incl. housing (social assistance norm). Assumption.")
    living_costs_child_sek_per_week: float = Field(
        550, ge=0, le=10_000_000, description="Living costs per child. Assumption.")
    hourly_wage_sek: float = Field(110, ge=0, le=10_000_000, description="Entry-level hourly wage, 2006. Assumption.")
    coach_cost_sek_per_year: float = Field(480000, ge=0, le=10_000_000, description="Cost of one coach or coordinator. Assumption.")


class Scenario(Section):
    name: str = Field(
        "scenario", pattern=NAME_PATTERN,
        description="Short name used in results (and in the results folder's name): letters, digits, "
                    "'_', '.' and '-', starting with a letter or digit, at most 64 characters.")
    title: str = Field(
        "", max_length=120,
        description="The scenario's name for people, in tables, plots and the report (e.g. 'Typical "
                    "municipality (2006)'); the short name when empty. Not inherited through 'extends'.")
    description: str = ""
    simulation: Simulation = Simulation()
    metrics: Metrics = Metrics()
    refugee_profile: RefugeeProfile = RefugeeProfile()
    municipalities: dict[str, Municipality]
    employers: dict[str, Employer] = {}
    staffing_agencies: dict[str, StaffingAgency] = {}
    secondary_agreements: dict[str, SecondaryAgreement] = {}
    national: National = National()
    business_cycle: BusinessCycle = BusinessCycle()
    placement: Placement | None = Field(
        None, description="Arrivals to the whole country placed by a national rule, instead of each "
                          "municipality's `arrivals` (docs/PLACEMENT.md).")
    parameters: str | None = Field(
        None, description="The calibration this scenario rests on: a fitted-parameters file "
                          "(e.g. fitted/shipped.yaml, under calibration/) whose behavioural values "
                          "are used unless the scenario's own 'behaviour' section sets them.")
    behaviour: Behaviour = Behaviour()

    @field_validator("municipalities")
    @classmethod
    def _at_least_one(cls, v):
        if not v:
            raise ValueError("a scenario needs at least one municipality")
        return v

    @property
    def weeks(self) -> int:
        return 52 * self.simulation.years

    @property
    def display_title(self) -> str:
        return self.title or self.name
