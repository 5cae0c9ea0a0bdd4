"""The week, compiled: every phase of every world of a batch, in order.

Worlds never share people, employers, municipalities or counts, so each world's weeks run on
their own, and a world's results are the same whoever else is in the batch. Within a world the
phases run in the order of `sim.model.IntroductionModel`'s docstring; a phase that is person by
person is one pass over the world's arrived people.

`run_weeks`, the one entry from Python, takes the batch's arrays (`tables.Batch`'s fields, in
order) and puts them in one StructRef, which every phase then takes as one pointer.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numba
import numpy as np
from numba import njit
from numba.experimental import structref

from .compiled import keep_fresh
from .processes.arrivals import arrivals
from .processes.hiring import end_internship
from .processes.income import pay_staff, performance_bonus, programme_end, support, surplus, wage_subsidy
from .processes.internships import internships
from .processes.matching import matching
from .processes.programme import programme
from .processes.separations import separations
from .recorder import record_panels, record_person
from .states import PERFORMANCE_BONUS, PRESENT, SUBSIDISED_JOB, WAGE_SUBSIDY, WORKING
from .tables import BATCH_TYPE, Batch, BatchRef


class BatchProxy(structref.StructRefProxy):
    """The batch reference as Python holds it (between calls of the phases)."""


structref.define_boxing(BatchRef, BatchProxy)


@njit(cache=True)
def make_batch(people, munis, employers, agencies, agreements, worlds, week_of_year, employer_start, employer_target,
               sector_start, sector_target, agency_start, agency_target, agency_partner, month_weeks, panel,
               permit_panel, weekly_states, weekly_present, weekly_employed, weekly_self_sufficient, payments, settled,
               received, internships_ended, jobs_after_internship, arrival_start, permit_order, permit_start, listed,
               listed_too):
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
    B.month_weeks = month_weeks
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
    B.arrival_start = arrival_start
    B.permit_order = permit_order
    B.permit_start = permit_start
    B.listed = listed
    B.listed_too = listed_too
    return B


def run_weeks(B, people: np.ndarray, t0: int, t1: int, threads: int | None = None) -> None:
    """Weeks t0..t1 - 1 of every world, in one compiled call per thread (`run_span`: no Python
    between weeks or phases; it calls the phases' own cached kernels, so it compiles in about a
    second). Worlds never share anything, so they run in groups small enough to stay in the
    processor's cache through all their weeks, and, with several threads, each thread runs its own
    contiguous share of the worlds (about as many people each; the kernels release the GIL): the
    results are the same whatever the grouping or the number of threads. `people[w]` is world w's
    first row (W + 1 offsets)."""
    n_threads = THREADS if threads is None else threads

    def run(first: int, last: int) -> None:
        run_span(B, np.array(cache_groups(people, first, last), np.int64), t0, t1)

    parts = split_worlds(people, n_threads)
    if len(parts) == 1:
        run(*parts[0])
        return
    futures = [_executor(len(parts)).submit(run, first, last) for first, last in parts]
    for f in futures:
        f.result()


@njit(cache=True, nogil=True)
def run_span(B: Batch, groups: np.ndarray, t0: int, t1: int) -> None:
    """Weeks t0..t1 - 1 of each group of worlds (rows of (first, last) world), one group after
    another: a group's people stay in the cache through all its weeks."""
    for k in range(groups.shape[0]):
        g0, g1 = groups[k, 0], groups[k, 1]
        for t in range(t0, t1):
            arrivals(B, g0, g1, t)
            programme(B, g0, g1, t)
            internships(B, g0, g1, t)
            matching(B, g0, g1, t)
            separations(B, g0, g1, t)
            close_week(B, g0, g1, t)


# Worlds of a group hold about this many people at most (132 bytes each, with the recorder's
# arrays about a megabyte: a core's L2 cache).
GROUP_PEOPLE = 6_000


def cache_groups(people: np.ndarray, first: int, last: int) -> list[tuple[int, int]]:
    """Worlds first..last - 1 in consecutive groups of at most GROUP_PEOPLE people (a larger world
    alone)."""
    out = []
    g0 = first
    for w in range(first, last):
        if w > g0 and people[w + 1] - people[g0] > GROUP_PEOPLE:
            out.append((g0, w))
            g0 = w
    out.append((g0, last))
    return out


def split_worlds(people: np.ndarray, n: int) -> list[tuple[int, int]]:
    """Up to n contiguous ranges of worlds with about the same number of people each."""
    W = len(people) - 1
    n = max(1, min(n, W))
    if n == 1:
        return [(0, W)]
    cuts = np.searchsorted(people[1:], people[-1] * np.arange(1, n) / n, side="left") + 1
    bounds = [0] + sorted(set(int(min(max(c, 1), W - 1)) for c in cuts)) + [W]
    return [(a, b) for a, b in zip(bounds[:-1], bounds[1:]) if b > a]


# Threads a batch runs on: NUMBA_NUM_THREADS (the cores, unless set); worker processes of a pool
# set it to 1, as the pool already uses every core.
THREADS: int = numba.config.NUMBA_NUM_THREADS  # type: ignore[attr-defined]
_EXECUTOR: ThreadPoolExecutor | None = None


def _executor(n: int) -> ThreadPoolExecutor:
    global _EXECUTOR
    if _EXECUTOR is None or _EXECUTOR._max_workers < n:
        _EXECUTOR = ThreadPoolExecutor(max_workers=n, thread_name_prefix="sim-worlds")
    return _EXECUTOR


@njit(cache=True, nogil=True)
def close_week(B: Batch, first: int, last: int, t: int) -> None:
    """Each person's support, the end of their introduction period and their record; the week's
    totals per municipality (people by state, and present, employed and self-sufficient by sex)."""
    P, M, E, payments, ended = B.people, B.munis, B.employers, B.payments, B.internships_ended
    states, present_, employed_, self_sufficient_ = (B.weekly_states, B.weekly_present, B.weekly_employed,
                                                     B.weekly_self_sufficient)
    for w in range(first, last):
        b = B.worlds[w]
        pay_staff(M, b, t, payments)
        for i in range(b.p0, b.p0 + b.arrived):
            p = P[i]
            k = p.municipality
            m = M[k]
            s = p.state
            partner = p.partner
            extra = surplus(P[partner], b) if 0 <= partner < b.p0 + b.arrived else 0.0
            need, kind, paid = support(p, m, b, t, extra)
            if PRESENT[s]:
                payments[t, k, kind] += paid
                if s == SUBSIDISED_JOB:
                    payments[t, k, WAGE_SUBSIDY] += wage_subsidy(p, E[p.employer].public, b)
                payments[t, k, PERFORMANCE_BONUS] += performance_bonus(p, b, t)
            if programme_end(p, m, t, need):
                end_internship(p, E, w, t, ended)
            record_person(p, b, t)
            s = p.state
            states[t, k, s] += 1
            if PRESENT[s]:
                sex = 1 if p.female else 0
                present_[t, k, sex] += 1
                employed_[t, k, sex] += WORKING[s] or p.extra_work
                self_sufficient_[t, k, sex] += p.self_sufficient
        record_panels(B, w, b, t)


# The week's phases, in order (`sim.model.IntroductionModel`'s docstring): the order `run_span`
# calls them in (tests/test_compiled.py checks that the two agree).
PHASES = (arrivals, programme, internships, matching, separations, close_week)

# Cached kernels built from sources that have changed since are removed before any is loaded.
keep_fresh()
