"""The refugee population as a structure of arrays: one NumPy array per attribute, in the
narrowest type that holds it.

Everyone who will arrive during the run is drawn at construction, from the `arrivals`, `profile` and
`households` streams only, and sorted by arrival week: the people present in week t are a prefix
of the arrays, and no policy lever can change who arrives or their attributes (common random
numbers). Slots never move; a transfer to another municipality changes `municipality` only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .config.arrivals import arrivals_by_year, municipality_profile
from .config.behaviour import EDUCATION_LEVELS
from .config.schema import SECTORS, Scenario
from .placement.place import place
from .rng import Streams
from .states import EDUCATION_NAMES, STATE_NAMES, State
from .tables import PERSON, names

NO_ONE = -1
YOUNG_CHILD_SCHOOL_AGE = 6.0  # years; Swedish children start school (förskoleklass) at six.


def _beta(rng: np.random.Generator, mean: float, sd: float, n: int) -> np.ndarray:
    var = min(sd * sd, mean * (1 - mean) * 0.99)
    if var <= 0:
        return np.full(n, mean, dtype=np.float32)
    k = mean * (1 - mean) / var - 1
    return rng.beta(mean * k, (1 - mean) * k, n).astype(np.float32)


def _households(scenario: Scenario, prof, m: int, week0: int, count: int, offset: int, hh_offset: int,
                rng_arr: np.random.Generator, rng_hh: np.random.Generator, cohort: bool) -> tuple[dict, int]:
    """One arrival block's households of one or two adults (couples arrive together), their
    children and arrival weeks: columns per person, and the number of households."""
    hh = prof.household
    b = scenario.behaviour
    couple_hh_share = hh.couple_share / (2 - hh.couple_share) if hh.couple_share < 1 else 1.0
    is_couple = rng_hh.random(count) < couple_hh_share
    sizes = 1 + is_couple.astype(np.int64)
    k = int(np.searchsorted(np.cumsum(sizes), count, side="right"))
    sizes = sizes[:k]
    if sizes.sum() < count:
        sizes = np.append(sizes, 1)
    n_hh = len(sizes)
    if cohort:
        hh_week = np.full(n_hh, week0, dtype=np.int64)
    else:  # spread over the year
        hh_week = week0 + np.floor(rng_arr.random(n_hh) * 52).astype(np.int64)
    young = rng_hh.random(n_hh) < hh.young_children_share
    n_kids = rng_hh.poisson(hh.children_mean, n_hh)
    n_kids = np.where(young, np.maximum(n_kids, 1), n_kids)
    youngest = np.where(young, rng_hh.random(n_hh) * YOUNG_CHILD_SCHOOL_AGE, -1.0)
    # Primary carer of a child under school age: the mother in most couples (assumption, see
    # behaviour.household), the adult in a single-adult household.
    mother_cares = rng_hh.random(n_hh) < b.household.primary_carer_female_share
    person_hh = np.repeat(np.arange(n_hh), sizes)
    first = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    pos_in_hh = np.arange(count) - first[person_hh]
    in_couple = sizes[person_hh] == 2
    # In couples the first adult is the woman (assumption: the childcare mechanism needs a mother
    # and a father); singles are women with the share that keeps `female_share`.
    single_f = (prof.female_share - hh.couple_share / 2) / max(1e-9, 1 - hh.couple_share)
    single_f = float(np.clip(single_f, 0, 1))
    female = np.where(in_couple, pos_in_hh == 0, rng_hh.random(count) < single_f)
    partner = np.where(in_couple, offset + np.where(pos_in_hh == 0, np.arange(count) + 1, np.arange(count) - 1),
                       NO_ONE)
    cols = {
        "ti_arrival": hh_week[person_hh].astype(np.int32),
        "home": np.full(count, m, dtype=np.int16),
        "female": female,
        "partner": partner.astype(np.int32),
        "household": (hh_offset + person_hh).astype(np.int32),
        "n_children": n_kids[person_hh].astype(np.int8),
        "youngest_age": youngest[person_hh].astype(np.float32),
        "carer": young[person_hh] & np.where(in_couple, female == mother_cares[person_hh], True),
    }
    return cols, n_hh


def _persons(scenario: Scenario, prof, female: np.ndarray, rng_prof: np.random.Generator) -> dict:
    """One arrival block's personal attributes, drawn from the (municipality's) refugee profile."""
    count = len(female)
    age = np.clip(rng_prof.normal(prof.age.mean, prof.age.sd, count), 18, 64)
    edu_m = np.array([prof.education_shares[e] for e in EDUCATION_LEVELS])
    edu_f = np.array([(prof.education_shares_female or prof.education_shares)[e] for e in EDUCATION_LEVELS])
    u = rng_prof.random(count)
    edu = np.where(female, np.searchsorted(np.cumsum(edu_f), u, side="right"),
                   np.searchsorted(np.cumsum(edu_m), u, side="right")).clip(0, 3)
    u = rng_prof.random(count)
    prior_work = u < np.where(female, prof.prior_work_share_female, prof.prior_work_share_male)
    occ_names = list(prof.occupation_shares)
    occ_cdf = np.cumsum([prof.occupation_shares[s] for s in occ_names])
    occ_local = np.searchsorted(occ_cdf, rng_prof.random(count), side="right").clip(0, len(occ_names) - 1)
    occ_global = np.array([SECTORS.index(s) for s in occ_names])[occ_local]
    cols = {
        "age": age.astype(np.float32),
        "education": edu.astype(np.int8),
        "prior_work": prior_work,
        "occupation": np.where(prior_work, occ_global, NO_ONE).astype(np.int8),
        "health": rng_prof.random(count) < prof.health_limitation_share,
        "engagement": _beta(rng_prof, prof.engagement.mean, prof.engagement.sd, count),
    }
    lag_mean = prof.permit_to_arrival_weeks_mean
    cols["permit_lag"] = (np.round(rng_prof.gamma(2.0, lag_mean / 2.0, count)).astype(np.int32)
                          if lag_mean > 0 else np.zeros(count, np.int32))
    cols["aptitude_z"] = rng_prof.standard_normal(count).astype(np.float32)
    cols["prior_swedish"] = rng_prof.random(count) < scenario.behaviour.language.prior_swedish_share
    cols["employability_z"] = rng_prof.standard_normal(count).astype(np.float32)
    return cols


def draw_everyone(scenario: Scenario, streams: Streams) -> dict[str, np.ndarray]:
    """Every person who will arrive during the run, block by block (municipality, year), from the
    arrivals, profile and households streams only; columns in the order drawn."""
    rng_arr, rng_prof, rng_hh = (streams.get(k) for k in ("arrivals", "profile", "households"))
    parts: dict[str, list[np.ndarray]] = {}
    offset = hh_offset = 0
    names = list(scenario.municipalities)
    national = scenario.placement is not None
    for m, week0, count in arrivals_by_year(scenario):
        # Under a placement, the country's arrivals are drawn from the national profile and placed
        # afterwards; `home` is set by the rule below.
        prof = scenario.refugee_profile if national else municipality_profile(scenario, names[m])
        muni = scenario.municipalities[names[m]]
        cohort = not national and muni.arrivals is not None and muni.arrivals.cohort is not None
        hh_cols, n_hh = _households(scenario, prof, m, week0, count, offset, hh_offset, rng_arr, rng_hh, cohort)
        for key, col in {**hh_cols, **_persons(scenario, prof, hh_cols["female"], rng_prof)}.items():
            parts.setdefault(key, []).append(col)
        offset += count
        hh_offset += n_hh
    drawn = {k: np.concatenate(v) for k, v in parts.items()}
    if national and drawn:
        placed = place(scenario, drawn, streams)
        drawn["home"] = placed.home
        drawn["onward_to"] = placed.onward_to
        drawn["placement_notes"] = np.array(placed.notes, dtype=object)
    return drawn


# Weeks are stored as int16 (a run is at most 40 years, 2,080 weeks; a permit some weeks before
# the start), counts and small codes as int8 or uint8 (`tables.PERSON`: 136 bytes a person).
WEEK = np.int16


class Population:
    """Every refugee slot: one record each (`rows`, of `tables.PERSON`, which documents every
    field), and each field as an attribute (a NumPy view of the records)."""

    def __init__(self, scenario: Scenario, streams: Streams):
        drawn = draw_everyone(scenario, streams)
        # What the placement rule had to relax (reported with the run's figures).
        self.placement_notes = [str(x) for x in drawn.pop("placement_notes", ())]
        self.n = len(drawn.get("ti_arrival", ()))
        self.rows = np.zeros(self.n, PERSON)
        prior_swedish = self._set_fixed(scenario, drawn)
        del drawn
        self._set_dynamic(scenario, prior_swedish)
        self.bind()

    def __setattr__(self, name: str, value) -> None:
        """A field's values are written into the records (a column computed at construction is
        let go at once); other attributes are plain."""
        rows = self.__dict__.get("rows")
        if rows is not None and name in names(PERSON) and not (isinstance(value, np.ndarray) and value.base is rows):
            rows[name] = value
            value = rows[name]
        object.__setattr__(self, name, value)

    def bind(self) -> None:
        """Make each field's attribute a view of the records (after `rows` is replaced)."""
        for name in names(PERSON):
            object.__setattr__(self, name, self.rows[name])

    def _set_fixed(self, scenario: Scenario, drawn: dict[str, np.ndarray]) -> np.ndarray:
        """The attributes drawn at construction, sorted by arrival week; returns who arrives with
        some Swedish (the start of a dynamic attribute)."""
        b = scenario.behaviour
        ti_arrival = drawn.get("ti_arrival", np.zeros(0, np.int32)).astype(np.int32)
        order = np.argsort(ti_arrival, kind="stable").astype(np.int32)  # int32: less memory at 1,000,000
        rank = np.empty_like(order)
        rank[order] = np.arange(self.n, dtype=np.int32)

        def take(key, dtype):
            return drawn.pop(key).astype(dtype, copy=False)[order] if key in drawn else np.zeros(0, dtype)

        self.ti_arrival = ti_arrival[order].astype(WEEK)         # week settled in the municipality
        self.ti_permit = (ti_arrival[order] - take("permit_lag", np.int32)).astype(WEEK)  # week of residence permit
        self.home = take("home", np.int16)                       # municipality of settlement
        # Where an onward move leads: another modelled municipality (a national placement world's
        # `placement.onward_within_share`), or -1: out of the modelled municipalities.
        self.onward_to = take("onward_to", np.int16) if "onward_to" in drawn else np.full(self.n, NO_ONE, np.int16)
        self.female = take("female", bool)
        partner = take("partner", np.int32)
        self.partner = np.where(partner >= 0, rank[np.maximum(partner, 0)], NO_ONE).astype(np.int32)
        self.n_children = take("n_children", np.int8)
        self.youngest_age = take("youngest_age", np.float32)     # years at arrival; -1 = no young child
        self.age0 = take("age", np.float32)                      # age at arrival
        self.education0 = take("education", np.int8)            # 0 none .. 3 tertiary, at arrival
        self.prior_work = take("prior_work", bool)
        self.occupation = take("occupation", np.int8)            # sector index of prior occupation, -1 none
        self.health = take("health", bool)                       # health limitation
        sd = b.language.aptitude_sd
        self.aptitude = np.exp(sd * take("aptitude_z", np.float32) - sd * sd / 2).astype(np.float32)  # learning speed, mean 1
        self.baseline_engagement = take("engagement", np.float32)  # engagement mapped at intake
        # Lasting employability beside education, work experience and health (log-odds of a hire,
        # standard normal; scaled by behaviour.hiring.employability_sd where it is used).
        self.employability_z = take("employability_z", np.float32)
        self.primary_carer = take("carer", bool)             # cares for a child under school age
        drawn.pop("household", None)
        return take("prior_swedish", bool)

    def _set_dynamic(self, scenario: Scenario, prior_swedish: np.ndarray) -> None:
        """The state that changes week by week, at its starting values."""
        b = scenario.behaviour
        n = self.n

        def weeks():
            return np.full(n, NO_ONE, WEEK)

        self.state = np.full(n, State.NOT_ARRIVED, dtype=np.uint8)
        self.municipality = self.home.copy()
        self.ti_state = np.zeros(n, WEEK)
        self.plan_done = np.zeros(n, bool)
        self.education = self.education0.copy()              # raised by regular education
        self.swedish = np.where(prior_swedish, b.language.prior_swedish_level, 0.0).astype(np.float32)
        self.engagement = self.baseline_engagement.copy()
        self.validated = np.zeros(n, np.int8)                # 0 no, 1 validation office, 2 university
        self.ti_validated = weeks()                          # week validation completes
        self.employer = np.full(n, NO_ONE, np.int32)         # employer of the current job
        self.agency = np.full(n, NO_ONE, np.int16)           # staffing agency of an agency job
        self.intern_host = np.full(n, NO_ONE, np.int32)      # host of the current internship
        self.last_host = np.full(n, NO_ONE, np.int32)        # host of the most recent internship
        self.internships = np.zeros(n, np.int8)
        self.ti_internship_end = weeks()
        self.matched_internship = np.zeros(n, bool)          # current internship matched to competences
        self.ti_last_internship_end = weeks()                # week the latest internship ended
        self.after_internship = np.zeros(n, bool)            # no paid work yet since that internship
        self.job_hours = np.zeros(n, np.float32)
        self.hourly_wage = np.zeros(n, np.float32)
        self.extra_work = np.zeros(n, bool)                  # extra work beside the programme
        self.ti_subsidy_end = weeks()
        self.ti_education_end = weeks()
        self.transferred = np.zeros(n, bool)                 # moved under a secondary agreement
        self.earnings = np.zeros(n, np.float32)              # this week's work income (SEK)
        self.support = np.zeros(n, np.float32)               # this week's allowance or assistance (SEK)
        self.sanctioned = np.zeros(n, bool)                  # a waiting-day sanction (karens) this week
        self.weeks_above = np.zeros(n, np.int16)             # consecutive weeks above the threshold
        self.self_sufficient = np.zeros(n, bool)
        self.ti_self_sufficient = weeks()                    # first week self-sufficient
        self.ti_first_contact = weeks()                      # first internship or paid work
        self.ti_first_internship = weeks()
        self.ti_first_job = weeks()
        self.ti_sfi_passed = weeks()                         # SFI course D passed (Swedish level 1)
        self.sfi_courses = np.floor(self.swedish * b.language.sfi_courses + 1e-6).astype(np.int8)  # courses passed
        self.ti_first_sfi_course = weeks()                   # first SFI course passed here
        self.job_run = np.zeros(n, np.int16)                 # consecutive weeks in paid work
        self.kora_job = np.zeros(n, bool)                    # a job of >= 3 weeks in KORA's window
        self.ti_left = weeks()
        self.years_employed = np.zeros(n, np.uint16)         # bit k: employed in some week of year k since arrival
        self.contact_weeks_year1 = np.zeros(n, np.uint8)     # weeks of internship or work, 1st year after permit
        self.kora_weeks = np.zeros((n, 7), np.uint8)         # weeks per KORA category in the window (<= 156)
        self.sanctions = np.zeros(n, np.int16)
        self.n_arrived = 0

    def age(self, t: int, n: int | None = None) -> np.ndarray:
        """Age in years in week t (of the first n people)."""
        return self.age0[:n] + (t - self.ti_arrival[:n]) / 52.0


@dataclass(frozen=True)
class RefugeeView:
    """A read-only snapshot of one refugee, for inspection and tests (not for the hot path)."""

    index: int
    state: str
    municipality: str
    home_municipality: str
    age: float
    female: bool
    education: str
    prior_work: bool
    occupation: str | None
    health_limitation: bool
    partner: int | None
    children: int
    primary_carer: bool
    swedish: float
    engagement: float
    validated: int
    employer: int | None
    internships: int
    earnings_sek_per_week: float
    self_sufficient: bool
    weeks_since_arrival: int
    weeks_since_permit: int
    transferred: bool

    @classmethod
    def of(cls, pop: Population, i: int, t: int, muni_names: list[str]) -> "RefugeeView":
        if not 0 <= i < pop.n:
            raise IndexError(f"refugee {i} does not exist (population has {pop.n})")
        occ = int(pop.occupation[i])
        return cls(
            index=i, state=STATE_NAMES[pop.state[i]], municipality=muni_names[pop.municipality[i]],
            home_municipality=muni_names[pop.home[i]],
            age=float(pop.age(t, i + 1)[i]),
            female=bool(pop.female[i]), education=EDUCATION_NAMES[pop.education[i]],
            prior_work=bool(pop.prior_work[i]), occupation=SECTORS[occ] if occ >= 0 else None,
            health_limitation=bool(pop.health[i]),
            partner=int(pop.partner[i]) if pop.partner[i] >= 0 else None,
            children=int(pop.n_children[i]), primary_carer=bool(pop.primary_carer[i]),
            swedish=float(pop.swedish[i]), engagement=float(pop.engagement[i]),
            validated=int(pop.validated[i]),
            employer=int(pop.employer[i]) if pop.employer[i] >= 0 else None,
            internships=int(pop.internships[i]), earnings_sek_per_week=float(pop.earnings[i]),
            self_sufficient=bool(pop.self_sufficient[i]),
            weeks_since_arrival=int(t - pop.ti_arrival[i]), weeks_since_permit=int(t - pop.ti_permit[i]),
            transferred=bool(pop.transferred[i]),
        )
