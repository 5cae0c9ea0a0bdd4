"""The typed tables the weekly kernels take: one record array per kind of agent, for all worlds.

A batch lays its worlds side by side, world by world: world w's people are rows
`worlds[w].p0` to `worlds[w].p1 - 1` of `people` (sorted by arrival week within the world, so
those arrived by week t are a prefix of the world's rows), and likewise its municipalities
(`k0..k1`), employers (`e0..e1`), agencies (`a0..a1`) and secondary agreements (`g0..g1`).
Indices between kinds (a person's municipality, employer, partner) are rows of the batch.

Each kind is one structured NumPy array (a record per agent, fields in the narrowest type that
holds them): the Python-side tables (`population.py`, `agents.py`) read and write its fields as
NumPy views, and the kernels read `people[i].state`. Records rather than one array per attribute
because numba's compilation cost grows with the number of arrays a function takes: a week of some
150 separate arrays took minutes to compile, the same week over a few record arrays seconds. The
kernels receive the batch as one reference (`Batch`, a numba StructRef) whose fields are those
arrays and the recorder's.
"""

from __future__ import annotations

from typing import Any, get_type_hints

import numpy as np
from numba import typeof, types
from numba.experimental import structref

from .parameters import FIELDS as PARAMETER_FIELDS
from .states import N_ROUTES, N_STATES

MAX_YEARS = 40  # a run's longest (Simulation.years); the labour market's paths have a row per year

# Weeks are int16 (a run is at most 40 years, 2,080 weeks; a permit some weeks before the start).
PERSON = np.dtype([
    # Drawn at construction (float32, int32, int16, then one-byte fields: aligned, 136 bytes).
    ("youngest_age", np.float32),         # years at arrival; -1 = no young child
    ("age0", np.float32),                 # age at arrival
    ("aptitude", np.float32),             # learning speed, mean 1
    ("baseline_engagement", np.float32),  # engagement mapped at intake
    ("employability_z", np.float32),      # lasting employability (log-odds of a hire, standard normal)
    # Week by week.
    ("swedish", np.float32),              # Swedish level, 0..1 (1 = SFI course D)
    ("engagement", np.float32),
    ("job_hours", np.float32),
    ("hourly_wage", np.float32),
    ("earnings", np.float32),             # this week's work income (SEK)
    ("support", np.float32),              # this week's allowance or assistance (SEK)
    ("partner", np.int32),                # -1: single
    ("employer", np.int32),               # employer of the current job, -1 none
    ("intern_host", np.int32),            # host of the current internship
    ("last_host", np.int32),              # host of the most recent internship
    ("ti_arrival", np.int16),             # week settled in the municipality
    ("ti_permit", np.int16),              # week of the residence permit
    ("home", np.int16),                   # municipality of settlement
    ("municipality", np.int16),           # municipality now (a transfer changes it)
    ("onward_to", np.int16),              # where an onward move leads inside the world, -1 out of it
    ("ti_state", np.int16),               # week the current state began
    ("ti_validated", np.int16),           # week validation completes
    ("agency", np.int16),                 # staffing agency of an agency job
    ("ti_internship_end", np.int16),
    ("ti_last_internship_end", np.int16),  # week the latest internship ended
    ("ti_subsidy_end", np.int16),
    ("ti_education_end", np.int16),
    ("weeks_above", np.int16),            # consecutive weeks above the self-sufficiency threshold
    ("ti_self_sufficient", np.int16),     # first week self-sufficient
    ("ti_first_contact", np.int16),       # first internship or paid work
    ("ti_first_internship", np.int16),
    ("ti_first_job", np.int16),
    ("ti_sfi_passed", np.int16),          # SFI course D passed (Swedish level 1)
    ("ti_first_sfi_course", np.int16),    # first SFI course passed here
    ("job_run", np.int16),                # consecutive weeks in paid work
    ("ti_left", np.int16),
    ("sanctions", np.int16),
    ("years_employed", np.uint16),        # bit k: employed in some week of year k since arrival
    ("female", np.bool_),
    ("n_children", np.int8),
    ("education0", np.int8),              # 0 none .. 3 tertiary, at arrival
    ("education", np.int8),               # raised by regular education
    ("prior_work", np.bool_),
    ("occupation", np.int8),              # sector of the prior occupation, -1 none
    ("health", np.bool_),                 # health limitation
    ("primary_carer", np.bool_),          # cares for a child under school age
    ("state", np.uint8),
    ("plan_done", np.bool_),
    ("validated", np.int8),               # 0 no, 1 validation office, 2 university
    ("internships", np.int8),
    ("matched_internship", np.bool_),     # current internship matched to competences
    ("after_internship", np.bool_),       # no paid work yet since the last internship
    ("extra_work", np.bool_),             # extra work beside the programme
    ("transferred", np.bool_),            # moved under a secondary agreement
    ("self_sufficient", np.bool_),
    ("sfi_courses", np.int8),             # SFI courses passed
    ("kora_job", np.bool_),               # a job of >= 3 weeks in KORA's window
    ("contact_weeks_year1", np.uint8),    # weeks of internship or work, first year after the permit
    ("sanctioned", np.bool_),             # a waiting-day sanction (karens) this week
    ("kora_weeks", np.uint8, (7,)),       # weeks per KORA category in the window (<= 156)
], align=True)

MUNICIPALITY = np.dtype([
    ("hours", np.float64), ("allowance_sek", np.float64), ("summer_course_hours", np.float64),
    ("internship_share", np.float64), ("coaches", np.float64), ("coach_share", np.float64),
    ("coordinators", np.float64), ("host_families", np.float64), ("other_job_seekers", np.float64),
    ("housing_capacity", np.float64),
    ("placement_credit", np.float64), ("coach_credit", np.float64),  # room carried between weeks
    ("other_hires", np.float64),  # hires of other job seekers (displacement), cumulated
    ("vacancy_index", np.float64),  # this year's vacancies relative to the employers' listed rates
    # The labour market by simulated year (sim/labour_market.py): the kernels take this year's row.
    ("unemployment_path", np.float64, (MAX_YEARS,)), ("labour_force_path", np.float64, (MAX_YEARS,)),
    ("vacancy_index_path", np.float64, (MAX_YEARS,)),
    ("world", np.int32), ("plan_weeks", np.int32), ("summer_break_weeks", np.int32),
    ("first_internship_week", np.int32), ("internship_weeks", np.int32), ("childcare_wait", np.int32),
    ("programme_weeks", np.int32),
    ("job_focus", np.bool_), ("wage_like", np.bool_), ("sanctions", np.bool_), ("income_offset", np.bool_),
    ("summer_courses", np.bool_), ("alternate", np.bool_), ("matched_followup", np.bool_),
    ("vocational_sfi", np.bool_), ("care_organisation", np.bool_), ("validation", np.int8),
    ("early_mapping", np.bool_), ("three_year_agreement", np.bool_),
], align=True)

EMPLOYER = np.dtype([
    ("keys", np.int64), ("vacancies_per_week", np.float64), ("vacancy_credit", np.float64),
    ("hires", np.int64), ("hires_of_former_interns", np.int64), ("interns_hosted", np.int64),
    ("hours", np.float32), ("wage", np.float32), ("min_swedish", np.float32), ("bias", np.float32),
    ("base_relationship", np.float32), ("relationship", np.float32),
    ("intern_places", np.int32), ("subsidised_places", np.int32), ("subsidised_left", np.int32),
    ("open_vacancies", np.int32), ("interns", np.int32),
    ("municipality", np.int16), ("sector", np.int8), ("public", np.bool_), ("min_education", np.int8),
    ("requires_validation", np.bool_), ("takes_subsidised", np.bool_), ("uses_nystartsjobb", np.bool_),
], align=True)

AGENCY = np.dtype([
    ("hires_per_week", np.float64), ("credit", np.float64), ("hires", np.int64),
    ("min_swedish", np.float32), ("min_engagement", np.float32), ("hours", np.float32),
    ("min_education", np.int8),
], align=True)

AGREEMENT = np.dtype([
    ("src", np.int64), ("dst", np.int64), ("places_per_week", np.float64), ("within_weeks", np.int64),
    ("credit", np.float64), ("moved", np.int64),
], align=True)

# One record a world: its parameters (`parameters.FIELDS`), where its rows are, and its run-wide
# counts.
WORLD = np.dtype(
    [(name, np.float64) for name in PARAMETER_FIELDS]
    + [(name, np.int64) for name in ("p0", "p1", "k0", "k1", "e0", "e1", "a0", "a1", "g0", "g1", "arrived",
                                     "permit_first")]
    + [("seed", np.uint64),
       ("internships_started", np.int64, (2,)),   # [private, public]
       ("hires_route", np.int64, (N_ROUTES,)),
       ("contacts_route", np.int64, (N_ROUTES,)),  # employer contacts made, by route
       ("instruments", np.int64, (4,)),            # states.INSTRUMENTS
       ("job_starts", np.int64),                   # in the first three years after the permit
       ("weeks_without_work", np.int64)],          # the same window's weeks at risk
    align=True)
assert N_STATES == 13


class Batch:
    """The fields of the batch the kernels take (a StructRef of these arrays; for mypy, this
    class). `sim.recorder.Recorder` documents the recorder's arrays."""

    people: np.ndarray
    munis: np.ndarray
    employers: np.ndarray
    agencies: np.ndarray
    agreements: np.ndarray
    worlds: np.ndarray
    week_of_year: np.ndarray
    # Who can reach whom, as segments of pairs: `*_start[key]` to `*_start[key + 1] - 1` are the
    # pairs of segment `key`, `*_target[pair]` the employer or agency. Employers by the searcher's
    # municipality, by (municipality, sector), and agencies by municipality (with whether the
    # municipality is the agency's partner).
    employer_start: np.ndarray
    employer_target: np.ndarray
    sector_start: np.ndarray
    sector_target: np.ndarray
    agency_start: np.ndarray
    agency_target: np.ndarray
    agency_partner: np.ndarray
    # The recorder's.
    month_weeks: np.ndarray
    panel: np.ndarray
    permit_panel: np.ndarray
    weekly_states: np.ndarray
    weekly_present: np.ndarray
    weekly_employed: np.ndarray
    weekly_self_sufficient: np.ndarray
    payments: np.ndarray
    settled: np.ndarray
    received: np.ndarray
    internships_ended: np.ndarray
    jobs_after_internship: np.ndarray
    # Where to find people by arrival week and by permit week: world w's people who arrived in week
    # a are rows arrival_start[w, a] to arrival_start[w, a + 1] - 1; those whose permit came in
    # week q are permit_order[permit_start[w, j]:permit_start[w, j + 1]], j = q - worlds[w].permit_first.
    arrival_start: np.ndarray
    permit_order: np.ndarray
    permit_start: np.ndarray
    # Scratch: lists of people a phase collects (world w uses rows p0..p1 - 1 of each).
    listed: np.ndarray
    listed_too: np.ndarray


BATCH_FIELDS = list(get_type_hints(Batch))

# The numba type of each field: its dtype and dimensions, fixed here so that every batch has one
# compiled type (and the compiled week is cached once).
_TYPES: dict[str, tuple[Any, int]] = {
    "people": (PERSON, 1), "munis": (MUNICIPALITY, 1), "employers": (EMPLOYER, 1), "agencies": (AGENCY, 1),
    "agreements": (AGREEMENT, 1), "worlds": (WORLD, 1), "week_of_year": (np.int64, 1),
    "employer_start": (np.int64, 1), "employer_target": (np.int64, 1), "sector_start": (np.int64, 1),
    "sector_target": (np.int64, 1), "agency_start": (np.int64, 1), "agency_target": (np.int64, 1),
    "agency_partner": (np.bool_, 1), "month_weeks": (np.int64, 1), "panel": (np.int32, 3), "permit_panel": (np.int32, 3),
    "weekly_states": (np.int32, 3), "weekly_present": (np.int32, 3), "weekly_employed": (np.int32, 3),
    "weekly_self_sufficient": (np.int32, 3), "payments": (np.float64, 3), "settled": (np.int64, 2),
    "received": (np.int64, 2), "internships_ended": (np.int64, 2), "jobs_after_internship": (np.int64, 2),
    "arrival_start": (np.int64, 2), "permit_order": (np.int32, 1), "permit_start": (np.int64, 2),
    "listed": (np.int32, 1), "listed_too": (np.int32, 1),
}
assert list(_TYPES) == BATCH_FIELDS


@structref.register
class BatchRef(types.StructRef):
    """The batch as a reference type: the kernels pass one pointer, not some 25 arrays."""

    def preprocess_fields(self, fields):
        return tuple((name, types.unliteral(typ)) for name, typ in fields)


BATCH_TYPE = BatchRef([(name, typeof(np.zeros((0,) * ndim, dtype))) for name, (dtype, ndim) in _TYPES.items()])


def check(name: str, array: np.ndarray) -> np.ndarray:
    """`array` if it has the type field `name` of the batch is compiled for; else a TypeError."""
    dtype, ndim = _TYPES[name]
    if not isinstance(array, np.ndarray) or array.dtype != np.dtype(dtype) or array.ndim != ndim \
            or not array.flags.c_contiguous:
        got = f"{array.dtype}, {array.ndim}-d" if isinstance(array, np.ndarray) else type(array).__name__
        raise TypeError(f"batch field {name}: expected a C-contiguous {ndim}-d {np.dtype(dtype)} array, got {got}")
    return array


def names(dtype: np.dtype) -> tuple[str, ...]:
    """The field names of a record dtype (none for a plain one)."""
    return dtype.names or ()


def records(obj, dtype: np.dtype, n: int) -> np.ndarray:
    """A record array of `dtype` from `obj`'s attributes of the same names; `obj`'s attributes
    then become views of its fields, so that Python code and the kernels share one copy."""
    rows = np.zeros(n, dtype)
    for name in names(dtype):
        value = getattr(obj, name, None)
        if value is not None:
            rows[name] = value
        setattr(obj, name, rows[name])
    return rows
