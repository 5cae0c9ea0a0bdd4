"""The week, compiled: every phase of every world of a batch, in order.

Worlds never share people, employers, municipalities or counts, so each world's weeks run on
their own, and a world's results are the same whoever else is in the batch. Within a world the
phases run in the order of `sim.model.IntroductionModel`'s docstring; a phase that is person by
person is one pass over the world's arrived people.

`run_weeks`, the one entry from Python, takes the batch's arrays (`tables.Batch`'s fields, in
order) and puts them in one StructRef, which every phase then takes as one pointer.
"""

from __future__ import annotations

from numba import njit
from numba.experimental import structref

from .processes.arrivals import arrivals
from .processes.income import income, programme_end, support
from .processes.internships import internships
from .processes.matching import matching
from .processes.programme import programme
from .processes.separations import separations
from .recorder import record_person
from .tables import BATCH_TYPE, Batch, BatchRef


class BatchProxy(structref.StructRefProxy):
    """The batch reference as Python holds it (between calls of the phases)."""


structref.define_boxing(BatchRef, BatchProxy)


@njit(cache=True)
def make_batch(people, munis, employers, agencies, agreements, worlds, week_of_year, employer_start, employer_target, sector_start, sector_target, agency_start, agency_target, agency_partner, mark, panel, permit_panel, weekly_states, weekly_present, weekly_employed, weekly_self_sufficient, payments, settled, received, internships_ended, jobs_after_internship):
    """The batch as one reference (the arguments: `tables.Batch`'s fields)."""
    B = structref.new(BATCH_TYPE)
    B.people = people
    B.munis = munis
    B.employers = employers
    B.agencies = agencies
    B.agreements = agreements
    B.worlds = worlds
    B.week_of_year = week_of_year
    B.employer_start = employer_start
    B.employer_target = employer_target
    B.sector_start = sector_start
    B.sector_target = sector_target
    B.agency_start = agency_start
    B.agency_target = agency_target
    B.agency_partner = agency_partner
    B.mark = mark
    B.panel = panel
    B.permit_panel = permit_panel
    B.weekly_states = weekly_states
    B.weekly_present = weekly_present
    B.weekly_employed = weekly_employed
    B.weekly_self_sufficient = weekly_self_sufficient
    B.payments = payments
    B.settled = settled
    B.received = received
    B.internships_ended = internships_ended
    B.jobs_after_internship = jobs_after_internship
    return B


def run_weeks(B, n_worlds: int, t0: int, t1: int) -> None:
    """Weeks t0..t1 - 1 of every world, phase by phase (each phase a compiled kernel over every
    world, called from here: a kernel that called the others would compile the whole week again)."""
    for t in range(t0, t1):
        for phase in PHASES:
            phase(B, n_worlds, t)


@njit(cache=True)
def close_week(B: Batch, n_worlds: int, t: int) -> None:
    """Each person's support, the end of their introduction period, and their record."""
    P, M, E = B.people, B.munis, B.employers
    for w in range(n_worlds):
        b = B.worlds[w]
        for i in range(b.p0, b.p0 + b.arrived):
            need = support(P, M, E, b, i, t, B.payments)
            programme_end(P[i], M, E, w, t, need, B.internships_ended)
            record_person(B, P[i], b, t)


# The week's phases, in order (`sim.model.IntroductionModel`'s docstring).
PHASES = (arrivals, programme, internships, matching, separations, income, close_week)
