"""What the model measures (docs/ODD.md 4.11), recorded inside the weekly kernel.

Each week every arrived person adds their state, employment and self-sufficiency to the weekly
totals of their municipality and sex; people exactly N months after arrival (and after the permit)
add to a panel indexed by (municipality, sex, education at arrival, month). Rates by months since
arrival are then counts over the people observed at that month: people who arrived too late to
reach it are right-censored and simply not counted, and people who moved away are no longer
observed. Every payment is kept per municipality and week, and run-wide counts (hires by route,
contacts, the national instruments, internships) per world of a batch. No per-person weekly history
is stored.

Definitions:
- employed: any paid work in the week (a job of any kind, own business, or extra work), as in
  Swedish register statistics (one hour in the reference week; docs/SOURCES.md);
- self-sufficient: work income at least `threshold_share_of_living_costs` times the person's living
  costs for `min_weeks` consecutive weeks (mechanism 8); both settings are in `metrics`;
- occupied off support: in work (as employed) or in regular education, and paid neither the
  introduction allowance nor social assistance this week (the municipal sense of "egen
  försörjning"); passive support: paid one of them this week with neither work nor regular
  education (`states.CHANNELS`).
"""

from __future__ import annotations

import copy

import numpy as np
from numba import njit

from .processes.hiring import JOB_AFTER_INTERNSHIP_WEEKS, JOB_FINDING_WINDOW_WEEKS
from .states import (
    CHANNELS,
    EDUCATION,
    EMPLOYED,
    FIRST_STATE_CHANNEL,
    GROUPS_PER_MUNICIPALITY,
    HAD_CONTACT,
    INSTRUMENTS,
    JOB_STATES,
    KORA_OF_STATE,
    N_STATES,
    OBSERVED,
    OCCUPIED_OFF_SUPPORT,
    ON_SUPPORT,
    PASSIVE_SUPPORT,
    PAYMENTS,
    PERMIT_CHANNELS,
    PRESENT,
    SELF_SUFFICIENT,
    SFI_COURSE,
    SFI_PASSED,
    WORKING,
)
from .tables import Batch

MAX_YEARS_EMPLOYED = 16  # years since arrival tracked for "any employment during year k"


def month_marks(n_weeks: int) -> np.ndarray:
    """For each duration in weeks, the month it marks (the week closest to N months), or -1."""
    months = np.arange(0, n_weeks * 12 // 52 + 2)
    weeks = np.round(months * 52 / 12).astype(np.int64)
    out = np.full(n_weeks + 1, -1, dtype=np.int64)
    ok = weeks <= n_weeks
    out[weeks[ok]] = months[ok]
    return out


def _world_field(name: str) -> property:
    """A field of the worlds' records (the kernels count into them), one row per world."""
    return property(lambda self: self.worlds[name])


def _summed(name: str) -> property:
    """A read-only sum over the worlds (the first axis) of the per-world counts `name`: an array
    for counts by route or week, a number for a count a world."""
    def get(self):
        total = getattr(self, name).sum(axis=0)
        return int(total) if np.ndim(total) == 0 else total
    return property(get)


class Recorder:
    """The recorder's arrays (a `tables.Recording` for the kernel): counts per municipality
    (panels, weekly totals, payments) and, for run-wide counts, per world of a batch (world first);
    `world()` gives one world's recorder, and the properties below sum over worlds."""

    def __init__(self, n_weeks: int, n_munis: int, n_worlds: int, years: int, worlds: np.ndarray,
                 munis: np.ndarray):
        T, K, W = n_weeks, n_munis, n_worlds
        self.n_weeks = T
        self.n_worlds = W
        self.n_months = T * 12 // 52 + 1
        self.n_groups = K * GROUPS_PER_MUNICIPALITY
        mark = month_marks(T + 520)  # durations since permit can exceed the run
        # The week of each month mark of the panel (month k is mark k weeks after arrival or permit).
        self.month_weeks = np.flatnonzero((mark >= 0) & (mark < self.n_months)).astype(np.int64)
        self.panel = np.zeros((self.n_groups, self.n_months, len(CHANNELS)), dtype=np.int32)
        self.permit_panel = np.zeros((self.n_groups, self.n_months, len(PERMIT_CHANNELS)), dtype=np.int32)
        self.weekly_states = np.zeros((T, K, N_STATES), dtype=np.int32)
        # (week, municipality, sex): people present, employed, self-sufficient.
        self.weekly_present = np.zeros((T, K, 2), dtype=np.int32)
        self.weekly_employed = np.zeros((T, K, 2), dtype=np.int32)
        self.weekly_self_sufficient = np.zeros((T, K, 2), dtype=np.int32)
        self.payments = np.zeros((T, K, len(PAYMENTS)), dtype=np.float64)
        # Settlements by municipality and year: at arrival (`settled`) and by secondary agreement.
        self.settled = np.zeros((K, years), dtype=np.int64)
        self.received = np.zeros((K, years), dtype=np.int64)
        # Internships that ended, and those followed by paid work within JOB_AFTER_INTERNSHIP_WEEKS,
        # by world and the week the internship ended.
        self.internships_ended = np.zeros((W, T), dtype=np.int64)
        self.jobs_after_internship = np.zeros((W, T), dtype=np.int64)
        self.worlds = worlds  # each world's run-wide counts are fields of its record (`tables.WORLD`)
        self.munis = munis    # and each municipality's hires of other job seekers
        self.t = -1  # the last week recorded

    def index_people(self, arrival: np.ndarray, permit: np.ndarray, people: np.ndarray, worlds: np.ndarray) -> None:
        """Where each world's people of an arrival week (and a permit week) are (`tables.Batch`)."""
        T, W = self.n_weeks, len(worlds)
        first = int(permit.min()) if len(permit) else 0
        span = T + 1 - first
        self.arrival_start = np.zeros((W, T + 2), np.int64)
        self.permit_start = np.zeros((W, span + 1), np.int64)
        self.permit_order = np.zeros(len(permit), np.int32)
        for w in range(W):
            p0, p1 = int(people[w]), int(people[w + 1])
            self.arrival_start[w] = p0 + np.searchsorted(arrival[p0:p1], np.arange(T + 2), side="left")
            order = np.argsort(permit[p0:p1], kind="stable")
            self.permit_order[p0:p1] = p0 + order
            self.permit_start[w] = p0 + np.searchsorted(permit[p0:p1][order], first + np.arange(span + 1), side="left")
        worlds["permit_first"] = first

    # Each world's counts (world first): internships started [private, public], hires and contacts
    # by route, the national instruments (hires, and those that would have happened without the
    # instrument), and for the job-finding rate in the first three years after the permit, job
    # starts and weeks without work (present, not in education).
    internships_started_w = _world_field("internships_started")
    hires_route_w = _world_field("hires_route")
    contacts_route_w = _world_field("contacts_route")
    instruments_w = _world_field("instruments")
    job_starts_w = _world_field("job_starts")
    weeks_without_work_w = _world_field("weeks_without_work")

    @property
    def other_hires(self) -> np.ndarray:
        return self.munis["other_hires"]

    # --- sums over the worlds (one world: its own counts) ---
    internships_started_by_sector_public = _summed("internships_started_w")
    internships_ended_by_week = _summed("internships_ended")
    jobs_after_internship_by_week = _summed("jobs_after_internship")
    hires_route = _summed("hires_route_w")
    contacts_route = _summed("contacts_route_w")
    job_starts_window = _summed("job_starts_w")
    weeks_without_work_window = _summed("weeks_without_work_w")

    @property
    def instrument_hires(self) -> dict[str, int]:
        return {k: int(self.instruments_w[:, j].sum()) for j, k in enumerate(INSTRUMENTS)}

    def world(self, w: int, k0: int, k1: int) -> "Recorder":
        """World w's recorder (its municipalities are k0..k1 - 1 of the batch)."""
        out = copy.copy(self)
        out.n_worlds = 1
        out.n_groups = (k1 - k0) * GROUPS_PER_MUNICIPALITY
        g0, g1 = k0 * GROUPS_PER_MUNICIPALITY, k1 * GROUPS_PER_MUNICIPALITY
        for name in ("panel", "permit_panel"):
            setattr(out, name, getattr(self, name)[g0:g1])
        for name in ("weekly_states", "weekly_present", "weekly_employed", "weekly_self_sufficient", "payments"):
            setattr(out, name, getattr(self, name)[:, k0:k1])
        for name in ("settled", "received"):
            setattr(out, name, getattr(self, name)[k0:k1])
        out.munis = self.munis[k0:k1]
        out.worlds = self.worlds[w:w + 1]
        for name in ("internships_ended", "jobs_after_internship"):
            setattr(out, name, getattr(self, name)[w:w + 1])
        return out

    # --- this week's totals (Mesa's reporters) ---
    def last(self, what: str) -> np.ndarray:
        """This week's count per municipality of people present, employed or self-sufficient."""
        arr = {"present": self.weekly_present, "employed": self.weekly_employed,
               "self_sufficient": self.weekly_self_sufficient}[what]
        return arr[max(self.t, 0)].sum(axis=1)

    def state_totals(self) -> np.ndarray:
        return self.weekly_states[max(self.t, 0)].sum(axis=0)

    def internship_to_job_share(self) -> float | None:
        """Share of internships followed by paid work (at the host or elsewhere) within
        JOB_AFTER_INTERNSHIP_WEEKS of their end, among those that ended early enough to know."""
        last = max(self.t + 1 - JOB_AFTER_INTERNSHIP_WEEKS, 0)
        ended = int(self.internships_ended[:, :last].sum())
        return float(self.jobs_after_internship[:, :last].sum() / ended) if ended else None

    def cost_totals(self) -> np.ndarray:
        """Payments summed over weeks: (municipality, payment kind)."""
        return self.payments.sum(axis=0)


# --- the weekly record, person by person (called from the week's last pass) -------------------

@njit(inline="always")
def record_person(p, b, t: int) -> None:
    """Person record p's week in the run-wide measures (the weekly totals are the caller's)."""
    s = p.state
    present = PRESENT[s]
    p.job_run = p.job_run + 1 if present and JOB_STATES[s] else 0
    if t - p.ti_arrival < b.metrics_kora_window_weeks:
        # KORA (seed 004): weeks per category in the first three years since arrival, and a job
        # of at least three consecutive weeks.
        if p.job_run >= b.metrics_kora_min_job_weeks:
            p.kora_job = True
        p.kora_weeks[KORA_OF_STATE[s]] += 1
    if not present:
        return
    # Any employment during year k since arrival (register measures over a year): bit k.
    year = (t - p.ti_arrival) // 52
    if (WORKING[s] or p.extra_work) and year < MAX_YEARS_EMPLOYED:
        p.years_employed |= np.uint16(1 << year)
    # Weeks without work (present, not in education) inside the first three years after the permit:
    # the denominator of the job-finding rate.
    since = t - p.ti_permit
    if 0 <= since < JOB_FINDING_WINDOW_WEEKS and not WORKING[s] and s != EDUCATION:
        b.weeks_without_work += 1


@njit(cache=True)
def record_panels(B: Batch, w: int, b, t: int) -> None:
    """People exactly a month mark after arrival (and after their permit), present this week,
    into their group's panel: found by arrival (permit) week, not by testing everyone."""
    P, weeks = B.people, B.month_weeks
    panel, permit_panel = B.panel, B.permit_panel
    arrival_start, permit_order, permit_start = B.arrival_start, B.permit_order, B.permit_start
    for month in range(len(weeks)):
        arrival = t - weeks[month]
        if arrival >= 0:
            for i in range(arrival_start[w, arrival], arrival_start[w, arrival + 1]):
                if PRESENT[P[i].state]:
                    _count(panel, P[i], month, True)
        j = t - weeks[month] - b.permit_first
        if 0 <= j < permit_start.shape[1] - 1:
            for k in range(permit_start[w, j], permit_start[w, j + 1]):
                i = permit_order[k]
                if i < b.p0 + b.arrived and PRESENT[P[i].state]:
                    _count(permit_panel, P[i], month, False)


@njit(inline="always")
def _count(panel, p, month: int, every_channel: bool) -> None:
    s = p.state
    group = (p.municipality * 2 + (1 if p.female else 0)) * 4 + p.education0
    cell = panel[group, month]
    cell[OBSERVED] += 1
    cell[EMPLOYED] += WORKING[s] or p.extra_work
    cell[SELF_SUFFICIENT] += p.self_sufficient
    if every_channel:
        cell[SFI_PASSED] += p.ti_sfi_passed >= 0
        cell[HAD_CONTACT] += p.ti_first_contact >= 0
        cell[SFI_COURSE] += p.ti_first_sfi_course >= 0
        # This week's state and this week's payment (`income.support`, paid before the panel is
        # filled): work topped up by social assistance, or a subsidised job on the allowance, is
        # occupied but not off support.
        occupied = WORKING[s] or p.extra_work or s == EDUCATION
        supported = p.support > 0.0
        cell[OCCUPIED_OFF_SUPPORT] += occupied and not supported
        cell[PASSIVE_SUPPORT] += supported and not occupied
        cell[ON_SUPPORT] += supported
        cell[FIRST_STATE_CHANNEL + s] += 1
