"""What the model measures (docs/ODD.md 4.11), recorded with array operations.

Each week the recorder adds, for people exactly N months after arrival (and after the permit), their
state, employment and self-sufficiency to a panel indexed by (municipality, sex, education at
arrival, month). Rates by months since arrival are then counts over the people observed at that
month: people who arrived too late to reach it are right-censored and simply not counted, and people
who moved away are no longer observed. Calendar-week totals per municipality (and sex) and every
payment are kept too. No per-person weekly history is stored.

Definitions:
- employed: any paid work in the week (a job of any kind, own business, or extra work), as in
  Swedish register statistics (one hour in the reference week; docs/SOURCES.md);
- self-sufficient: work income at least `threshold_share_of_living_costs` times the person's living
  costs for `min_weeks` consecutive weeks (mechanism 8); both settings are in `metrics`.
"""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd

from ._numpy import clip
from .processes.hiring import CHANNEL_NAMES
from .states import (
    EDUCATION_NAMES,
    KORA_CATEGORIES,
    KORA_OF_STATE,
    N_STATES,
    PRESENT,
    SEX_NAMES,
    STATE_NAMES,
    WORKING,
    S,
)

PAYMENTS = ["introduction_allowance", "social_assistance", "wage_subsidy", "flat_rate_compensation",
            "stimulus_payment", "performance_bonus", "staff"]
_PAYMENT_INDEX = {k: i for i, k in enumerate(PAYMENTS)}
# What the public sector spends on the introduction (the rest are transfers from the state to the
# municipality, which pay for it).
COSTS = ["introduction_allowance", "social_assistance", "wage_subsidy", "staff"]
STATE_PAYMENTS = ["flat_rate_compensation", "stimulus_payment", "performance_bonus"]
# Panel channels: counts of people at a month mark.
CHANNELS = (["observed", "employed", "self_sufficient", "sfi_passed", "had_contact", "sfi_course"]
            + [f"state_{s}" for s in STATE_NAMES])
# Rates read as one channel minus another (paid work other than a subsidised job: the trials'
# "unsubsidised work").
DERIVED_CHANNELS = {"employed_unsubsidised": ("employed", "state_subsidised_job")}
PERMIT_CHANNELS = ["observed", "employed", "self_sufficient"]
HEADLINE_MONTHS = [6, 12, 18, 24, 30, 36, 48, 60]
JOB_AFTER_INTERNSHIP_WEEKS = 13  # "got a job" after an internship: within three months of its end
JOB_FINDING_WINDOW_WEEKS = 156  # the first three years after the permit (the nystartsjobb window)
MAX_YEARS_EMPLOYED = 16          # years since arrival tracked for "any employment during year k"
JOB_STATES = np.zeros(N_STATES, dtype=bool)  # an ordinary job in KORA's sense
JOB_STATES[[S.AGENCY_JOB, S.REGULAR_JOB, S.OWN_BUSINESS]] = True


def month_marks(n_weeks: int) -> np.ndarray:
    """For each duration in weeks, the month it marks (the week closest to N months), or -1."""
    months = np.arange(0, n_weeks * 12 // 52 + 2)
    weeks = np.round(months * 52 / 12).astype(np.int64)
    out = np.full(n_weeks + 1, -1, dtype=np.int64)
    ok = weeks <= n_weeks
    out[weeks[ok]] = months[ok]
    return out


def _summed(name: str) -> property:
    """A read-only sum over the worlds (the first axis) of the per-world counts `name`: an array
    for counts by route or week, a number for a count a world."""
    def get(self):
        total = getattr(self, name).sum(axis=0)
        return int(total) if np.ndim(total) == 0 else total
    return property(get)


class Recorder:
    """Counts per municipality (panels, weekly totals, payments) and, for run-wide counts, per world
    of a batch (the `_w` arrays, world first); `world()` gives one world's recorder, and the
    properties below sum over worlds (a single run has one)."""

    def __init__(self, model):
        self.model = model
        T = model.n_weeks
        K = model.munis.n
        W = self.n_worlds = model.n_worlds
        self.n_months = T * 12 // 52 + 1
        self.n_groups = K * 2 * 4
        self.mark = month_marks(T + 520)  # durations since permit can exceed the run
        # Durations (weeks) that fall on a month mark inside the panel; people at a mark are
        # looked up by arrival (or permit) week instead of testing everyone each week.
        valid = (self.mark >= 0) & (self.mark < self.n_months)
        self._arrival_mark_weeks = np.nonzero(valid)[0]
        self._permit_mark_weeks = np.nonzero(valid[:-1])[0]  # the last entry also covers longer
        self._permit_beyond = bool(valid[-1])
        self._permit_order = model.permit_order
        self._permit_sorted = model.permit_sorted
        self.panel = np.zeros((self.n_groups, self.n_months, len(CHANNELS)), dtype=np.int32)
        self.permit_panel = np.zeros((self.n_groups, self.n_months, len(PERMIT_CHANNELS)), dtype=np.int32)
        self.weekly_states = np.zeros((T, K, N_STATES), dtype=np.int32)
        # (week, municipality, sex): people present, employed, self-sufficient.
        self.weekly_present = np.zeros((T, K, 2), dtype=np.int32)
        self.weekly_employed = np.zeros((T, K, 2), dtype=np.int32)
        self.weekly_self_sufficient = np.zeros((T, K, 2), dtype=np.int32)
        self.payments = np.zeros((T, K, len(PAYMENTS)), dtype=np.float64)
        self.internships_started_w = np.zeros((W, 2), dtype=np.int64)  # [private, public]
        # Internships that ended, and those followed by paid work within JOB_AFTER_INTERNSHIP_WEEKS,
        # by the week the internship ended.
        self.internships_ended_w = np.zeros((W, T), dtype=np.int64)
        self.jobs_after_internship_w = np.zeros((W, T), dtype=np.int64)
        self.hires_route_w = np.zeros((W, 6), dtype=np.int64)
        self.contacts_route_w = np.zeros((W, 6), dtype=np.int64)  # employer contacts made, by route
        self.other_hires = np.zeros(K, dtype=np.float64)        # hires of other job seekers (displacement)
        # National instruments: hires, and those that would have happened without the instrument.
        self.instrument_w = {k: np.zeros(W, dtype=np.int64) for k in
                             ("nystartsjobb", "nystartsjobb_deadweight", "instegsjobb", "instegsjobb_deadweight")}
        # The job-finding rate in the first three years after the permit: job starts and weeks
        # without work (present, not in education) of people inside that window.
        self.job_starts_w = np.zeros(W, dtype=np.int64)
        self.weeks_without_work_w = np.zeros(W, dtype=np.int64)
        self.last_muni_present = np.zeros(K, dtype=np.int64)
        self.last_muni_employed = np.zeros(K, dtype=np.int64)
        self.last_muni_self_sufficient = np.zeros(K, dtype=np.int64)
        self.last_state_totals = [0] * N_STATES
        self._t = 0

    # --- sums over the worlds (one world: its own counts) ---
    internships_started_by_sector_public = _summed("internships_started_w")
    internships_ended_by_week = _summed("internships_ended_w")
    jobs_after_internship_by_week = _summed("jobs_after_internship_w")
    hires_route = _summed("hires_route_w")
    contacts_route = _summed("contacts_route_w")
    job_starts_window = _summed("job_starts_w")
    weeks_without_work_window = _summed("weeks_without_work_w")

    @property
    def instrument_hires(self) -> dict[str, int]:
        return {k: int(v.sum()) for k, v in self.instrument_w.items()}

    def _worlds(self, who: np.ndarray) -> np.ndarray:
        """The world of each person in `who`."""
        return self.model.munis.world[self.model.population.municipality[who]]

    def _by_world(self, who: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray | int:
        """How many of `who` (those in `mask`) are in each world (one world: a number)."""
        if self.n_worlds == 1:
            return len(who) if mask is None else int(np.count_nonzero(mask))
        w = self._worlds(who)
        return np.bincount(w if mask is None else w[mask], minlength=self.n_worlds)

    def _route_by_world(self, route: np.ndarray, who: np.ndarray) -> np.ndarray:
        if self.n_worlds == 1:
            return np.bincount(route, minlength=6)[None, :]
        key = self._worlds(who).astype(np.int64) * 6 + route
        return np.bincount(key, minlength=6 * self.n_worlds).reshape(self.n_worlds, 6)

    def world(self, w: int, model) -> "Recorder":
        """World w's recorder (its municipalities are `model.munis`, numbered from k0 in the batch)."""
        k0 = int(np.searchsorted(self.model.munis.world, w, side="left"))
        k1 = k0 + model.munis.n
        out = copy.copy(self)
        out.model = model
        out.n_worlds = 1
        out.n_groups = (k1 - k0) * 8
        for name in ("panel", "permit_panel"):
            setattr(out, name, getattr(self, name)[k0 * 8:k1 * 8])
        for name in ("weekly_states", "weekly_present", "weekly_employed", "weekly_self_sufficient", "payments"):
            setattr(out, name, getattr(self, name)[:, k0:k1])
        for name in ("other_hires", "last_muni_present", "last_muni_employed", "last_muni_self_sufficient"):
            setattr(out, name, getattr(self, name)[k0:k1])
        for name in ("internships_started_w", "internships_ended_w", "jobs_after_internship_w",
                     "hires_route_w", "contacts_route_w", "job_starts_w", "weeks_without_work_w"):
            setattr(out, name, getattr(self, name)[w:w + 1])
        out.instrument_w = {k: v[w:w + 1] for k, v in self.instrument_w.items()}
        return out

    # --- called by the processes ---
    def pay(self, kind: str, muni: np.ndarray, amount) -> None:
        if len(muni) == 0:
            return
        if np.ndim(amount) == 0:  # the same amount for each (added one by one, as before)
            w = np.full(len(muni), amount, dtype=np.float64)
        else:
            w = np.asarray(amount, dtype=np.float64)
        self.payments[self._t, :, _PAYMENT_INDEX[kind]] += np.bincount(muni, weights=w, minlength=self.model.munis.n)

    def pay_staff(self, munis, cost_per_week: float) -> None:
        self.payments[self._t, :, PAYMENTS.index("staff")] += (munis.coaches + munis.coordinators) * cost_per_week

    def internship_started(self, host: np.ndarray, who: np.ndarray) -> None:
        pub = self.model.employers.public[host]
        self.internships_started_w[:, 0] += self._by_world(who, ~pub)
        self.internships_started_w[:, 1] += self._by_world(who, pub)

    def hires_by_route(self, route: np.ndarray, who: np.ndarray) -> None:
        self.hires_route_w += self._route_by_world(route, who)

    def contacts_by_route(self, route: np.ndarray, who: np.ndarray) -> None:
        self.contacts_route_w += self._route_by_world(route, who)

    def hires_by_others(self, per_municipality: np.ndarray) -> None:
        self.other_hires += per_municipality

    def instruments(self, nystartsjobb: np.ndarray, instegsjobb: np.ndarray, would_anyway: np.ndarray,
                    who: np.ndarray) -> None:
        """Count hires under each instrument and their deadweight (hired anyway: the same draw
        is below the chance without the instrument); masks over `who`."""
        h = self.instrument_w
        h["nystartsjobb"] += self._by_world(who, nystartsjobb)
        h["nystartsjobb_deadweight"] += self._by_world(who, nystartsjobb & would_anyway)
        h["instegsjobb"] += self._by_world(who, instegsjobb)
        h["instegsjobb_deadweight"] += self._by_world(who, instegsjobb & would_anyway)

    def internships_ended(self, who: np.ndarray) -> None:
        self.internships_ended_w[:, self._t] += self._by_world(who)

    def job_after_internship(self, ended: np.ndarray, t: int, who: np.ndarray) -> None:
        soon = t - ended <= JOB_AFTER_INTERNSHIP_WEEKS
        if not soon.any():
            return
        T = self.jobs_after_internship_w.shape[1]
        if self.n_worlds == 1:
            self.jobs_after_internship_w[0] += np.bincount(ended[soon], minlength=T)
        else:
            key = self._worlds(who[soon]).astype(np.int64) * T + ended[soon]
            self.jobs_after_internship_w += np.bincount(key, minlength=self.n_worlds * T).reshape(self.n_worlds, T)

    def internship_to_job_share(self) -> float | None:
        """Share of internships followed by paid work (at the host or elsewhere) within
        JOB_AFTER_INTERNSHIP_WEEKS of their end, among those that ended early enough to know."""
        last = self.model.t + 1 - JOB_AFTER_INTERNSHIP_WEEKS
        ended = int(self.internships_ended_w[:, :max(last, 0)].sum())
        return float(self.jobs_after_internship_w[:, :max(last, 0)].sum() / ended) if ended else None

    def job_started(self, who: np.ndarray) -> None:
        P = self.model.population
        self.job_starts_w += self._by_world(who, self._t - P.ti_permit[who] < JOB_FINDING_WINDOW_WEEKS)

    def begin_week(self, t: int) -> None:
        self._t = t

    # --- the weekly record ---
    def record(self, t: int) -> None:
        m = self.model
        P = m.population
        n = P.n_arrived
        K = m.munis.n
        st = P.state[:n]
        present = PRESENT[st]
        employed = present & (WORKING[st] | P.extra_work[:n])
        ss = present & P.self_sufficient[:n]
        # One count over (municipality, sex, state, employed, self-sufficient) gives every weekly
        # total below (employed and self-sufficient people are present).
        key = (P.municipality[:n].astype(np.int64) * 2 + P.female[:n]) * N_STATES + st
        key *= 4
        key += employed
        key += 2 * ss
        c = np.bincount(key, minlength=K * 2 * N_STATES * 4).reshape(K, 2, N_STATES, 4)
        states = c.sum(axis=(1, 3))
        self.weekly_states[t] = states
        by_flag = c[:, :, PRESENT, :].sum(axis=2)  # (K, sex, flags)
        self.weekly_present[t] = by_flag.sum(axis=2)
        self.weekly_employed[t] = by_flag[:, :, 1] + by_flag[:, :, 3]
        self.weekly_self_sufficient[t] = by_flag[:, :, 2] + by_flag[:, :, 3]
        self.last_muni_present = self.weekly_present[t].sum(axis=1)
        self.last_muni_employed = self.weekly_employed[t].sum(axis=1)
        self.last_muni_self_sufficient = self.weekly_self_sufficient[t].sum(axis=1)
        # Totals of the week as Python numbers, for the DataCollector's reporters (one call each).
        self.last_state_totals = states.sum(axis=0).tolist()

        # Any employment during year k since arrival (register measures over a year).
        w = np.nonzero(employed)[0]
        year = (t - P.ti_arrival[w]) // 52
        w, year = w[year < MAX_YEARS_EMPLOYED], year[year < MAX_YEARS_EMPLOYED]
        P.years_employed[w] |= (np.uint16(1) << year.astype(np.uint16))
        # Weeks without work inside the job-finding window, by permit week (permit-sorted order).
        risk = m.permit_range(t - JOB_FINDING_WINDOW_WEEKS + 1, t, n)
        sr = st[risk]
        self.weeks_without_work_w += self._by_world(risk, PRESENT[sr] & ~WORKING[sr] & (sr != S.EDUCATION))

        # KORA: weeks per category in the window, and a job of >= 3 consecutive weeks (seed 004).
        # People are sorted by arrival week, so those inside the window are the last ones.
        metrics = m.config.metrics
        in_job = present & JOB_STATES[st]
        P.job_run[:n] = np.where(in_job, P.job_run[:n] + 1, 0)
        lo = int(np.searchsorted(P.ti_arrival[:n], t - metrics.kora_window_weeks, side="right"))
        P.kora_job[lo:n] |= P.job_run[lo:n] >= metrics.kora_min_job_weeks
        # One cell per person: a flat index adds without duplicates.
        kw = P.kora_weeks.shape[1]
        P.kora_weeks.reshape(-1)[np.arange(lo * kw, n * kw, kw) + KORA_OF_STATE[st[lo:n]]] += 1

        # Months since arrival: the people who arrived exactly a month mark ago (ranges of the
        # arrival-sorted arrays), present this week. The panel counts do not depend on order.
        L = len(self.mark)
        ws = self._arrival_mark_weeks[self._arrival_mark_weeks <= t]
        sel = _ranges(P.ti_arrival[:n], t - ws)
        sel = sel[present[sel]]
        if len(sel):
            dur = t - P.ti_arrival[sel]
            base = (self._group(sel) * self.n_months + self.mark[np.minimum(dur, L - 1)]) * len(CHANNELS)
            flags = [None, employed[sel], ss[sel],
                     P.ti_sfi_passed[sel] >= 0, P.ti_first_contact[sel] >= 0, P.ti_first_sfi_course[sel] >= 0]
            parts = [base] + [base[f] + c for c, f in enumerate(flags) if c]
            parts.append(base + len(flags) + st[sel])
            _add_counts(self.panel, np.concatenate(parts))
        # Months since the residence permit: the same with permit weeks (sorted once, at start).
        ws = self._permit_mark_weeks[self._permit_mark_weeks <= t - self._permit_sorted[0]] \
            if len(self._permit_sorted) else self._permit_mark_weeks[:0]
        sel = self._permit_order[_ranges(self._permit_sorted, t - ws)]
        if self._permit_beyond and len(self._permit_sorted):
            # durations past the end of `mark` read its last entry (a month mark)
            k = int(np.searchsorted(self._permit_sorted, t - (L - 1), side="right"))
            sel = np.concatenate([sel, self._permit_order[:k]])
        sel = sel[sel < n]
        sel = sel[present[sel]]
        if len(sel):
            dp = t - P.ti_permit[sel]
            pmonth = self.mark[clip(dp, 0, L - 1)]
            base = (self._group(sel) * self.n_months + pmonth) * len(PERMIT_CHANNELS)
            parts = [base, base[employed[sel]] + 1, base[ss[sel]] + 2]
            _add_counts(self.permit_panel, np.concatenate(parts))

    def _group(self, idx: np.ndarray) -> np.ndarray:
        P = self.model.population
        return (P.municipality[idx].astype(np.int64) * 2 + P.female[idx]) * 4 + self.model.education0[idx]

    def cost_totals(self) -> np.ndarray:
        """Payments summed over weeks: (municipality, payment kind)."""
        return self.payments.sum(axis=0)


def _ranges(sorted_values: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Positions in `sorted_values` of every entry equal to one of `wanted` (distinct values):
    the concatenated ranges found by binary search, without a pass over all entries."""
    lo = np.searchsorted(sorted_values, wanted, side="left")
    hi = np.searchsorted(sorted_values, wanted, side="right")
    size = hi - lo
    keep = size > 0
    lo, size = lo[keep], size[keep]
    if len(lo) == 0:
        return np.zeros(0, dtype=np.int64)
    start = np.cumsum(size) - size
    return np.arange(int(size.sum()), dtype=np.int64) + np.repeat(lo - start, size)


def _add_counts(panel: np.ndarray, cells: np.ndarray) -> None:
    """panel.flat[cells] += 1 for each entry (repeats add up). A dense bincount when the cells are
    many for the panel's size; otherwise the cells are sorted and each distinct cell gets its count
    in one fancy-indexed add (several times faster than `np.add.at` on a large panel, whose
    scattered read-modify-writes miss the cache). Integer counts: the same result either way."""
    flat = panel.reshape(-1)
    if len(cells) * 4 >= flat.size:
        flat += np.bincount(cells, minlength=flat.size).astype(flat.dtype, copy=False)
        return
    cells = np.sort(cells)
    starts = np.flatnonzero(np.concatenate(([True], cells[1:] != cells[:-1])))
    counts = np.diff(np.append(starts, len(cells)))
    flat[cells[starts]] += counts.astype(flat.dtype, copy=False)


# --- results: tables and figures from a finished run ----------------------------------------

def _panel_frame(panel: np.ndarray, channels: list[str], muni_names: list[str], clock: str) -> pd.DataFrame:
    G, Mo, C = panel.shape
    K = G // 8
    g = np.arange(G)
    muni = g // 8
    female = (g // 4) % 2
    edu = g % 4
    flat = panel.reshape(G * Mo, C)
    keep = flat[:, 0] > 0
    gi = np.repeat(g, Mo)[keep]
    df = pd.DataFrame(flat[keep], columns=channels)
    df.insert(0, "education", np.array(EDUCATION_NAMES)[edu[gi]])
    df.insert(0, "sex", np.array(SEX_NAMES)[female[gi]])
    df.insert(0, "municipality", np.array(muni_names)[muni[gi]] if K else [])
    df.insert(0, f"months_since_{clock}", np.tile(np.arange(Mo), G)[keep])
    return df


def by_duration(model, clock: str = "arrival") -> pd.DataFrame:
    """Counts by months since arrival (or permit), municipality, sex and education at arrival."""
    rec = model.recorder
    if clock == "arrival":
        return _panel_frame(rec.panel, CHANNELS, model.munis.names, clock)
    if clock == "permit":
        return _panel_frame(rec.permit_panel, PERMIT_CHANNELS, model.munis.names, clock)
    raise ValueError("clock must be 'arrival' or 'permit'")


def rates(panel: np.ndarray, channel: int | str, group_mask: np.ndarray | None = None) -> np.ndarray:
    """Share with `channel` (an index or a name, derived names included) among those observed, by
    month; NaN where no one was observed."""
    p = panel if group_mask is None else panel[group_mask]
    obs = p[:, :, 0].sum(axis=0)
    if isinstance(channel, str) and channel in DERIVED_CHANNELS:
        a, b = DERIVED_CHANNELS[channel]
        num = p[:, :, CHANNELS.index(a)].sum(axis=0) - p[:, :, CHANNELS.index(b)].sum(axis=0)
    else:
        num = p[:, :, CHANNELS.index(channel) if isinstance(channel, str) else channel].sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(obs > 0, num / np.maximum(obs, 1), np.nan)


def kaplan_meier_median(durations: np.ndarray, observed: np.ndarray) -> float:
    """Median time to event with right-censoring; NaN if the curve never falls to one half."""
    if len(durations) == 0:
        return float("nan")
    times = np.unique(durations[observed])
    at_risk_sorted = np.sort(durations)
    surv = 1.0
    for tt in times:
        at_risk = len(at_risk_sorted) - np.searchsorted(at_risk_sorted, tt, side="left")
        events = np.count_nonzero(observed & (durations == tt))
        surv *= 1.0 - events / max(at_risk, 1)
        if surv <= 0.5:
            return float(tt)
    return float("nan")


def run_figures(model) -> dict:
    """The headline figures of one finished run (one replicate), as plain numbers."""
    P, rec = model.population, model.recorder
    T = model.n_weeks
    n = P.n_arrived
    months = HEADLINE_MONTHS
    G = rec.n_groups
    female_mask = (np.arange(G) // 4) % 2 == 1
    out: dict = {"refugees": int(n)}

    def at_months(series):
        return {str(mo): (float(series[mo]) if mo < len(series) and not np.isnan(series[mo]) else None)
                for mo in months}

    out["self_sufficiency"] = at_months(rates(rec.panel, CHANNELS.index("self_sufficient")))
    out["employment"] = at_months(rates(rec.panel, CHANNELS.index("employed")))
    out["employment_by_sex"] = {
        "female": at_months(rates(rec.panel, CHANNELS.index("employed"), female_mask)),
        "male": at_months(rates(rec.panel, CHANNELS.index("employed"), ~female_mask)),
    }
    out["self_sufficiency_by_sex"] = {
        "female": at_months(rates(rec.panel, CHANNELS.index("self_sufficient"), female_mask)),
        "male": at_months(rates(rec.panel, CHANNELS.index("self_sufficient"), ~female_mask)),
    }
    arr = P.ti_arrival[:n]
    left = P.ti_left[:n]
    # First-year measures: people whose first year lies inside the run and who stayed that year.
    year1 = (arr + 52 <= T) & ((left < 0) | (left - arr >= 52))

    def share(mask, base):
        d = np.count_nonzero(base)
        return float(np.count_nonzero(mask & base) / d) if d else None

    out["employment_unsubsidised"] = at_months(rates(rec.panel, "employed_unsubsidised"))
    out["subsidised_job"] = at_months(rates(rec.panel, "state_subsidised_job"))
    out["employment_during_year"] = employment_during_year(model, T)
    out["labour_market_contact_year1"] = share((P.ti_first_contact[:n] >= 0) & (P.ti_first_contact[:n] - arr < 52), year1)
    out["sfi_completed_year1"] = share((P.ti_sfi_passed[:n] >= 0) & (P.ti_sfi_passed[:n] - arr < 52), year1)
    out["sfi_course_year1"] = share((P.ti_first_sfi_course[:n] >= 0) & (P.ti_first_sfi_course[:n] - arr < 52), year1)
    out["internship_year1"] = share((P.ti_first_internship[:n] >= 0) & (P.ti_first_internship[:n] - arr < 52), year1)
    win = model.config.metrics.kora_window_weeks
    full = arr + win <= T
    out["job_3_weeks_within_3_years"] = share(P.kora_job[:n], full)
    if np.count_nonzero(full):
        w = P.kora_weeks[:n][full].mean(axis=0)
        out["weeks_in_state_first_3_years"] = {k: float(v) for k, v in zip(KORA_CATEGORIES, w)}
        out["ever_in_state_first_3_years"] = {k: float(v) for k, v in zip(KORA_CATEGORIES, (P.kora_weeks[:n][full] > 0).mean(axis=0))}
    else:
        out["weeks_in_state_first_3_years"] = {k: None for k in KORA_CATEGORIES}
        out["ever_in_state_first_3_years"] = {k: None for k in KORA_CATEGORIES}
    # Time to self-sufficiency since arrival, right-censored at the end of the run or on leaving.
    event = P.ti_self_sufficient[:n] >= 0
    end = np.where(left >= 0, left, T - 1)
    dur = np.where(event, P.ti_self_sufficient[:n], end) - arr
    median = kaplan_meier_median(dur, event)
    out["median_weeks_to_self_sufficiency"] = None if np.isnan(median) else median  # None: not reached
    # Time to the first paid work since arrival, right-censored likewise.
    job = P.ti_first_job[:n] >= 0
    median = kaplan_meier_median(np.where(job, P.ti_first_job[:n], end) - arr, job)
    out["median_weeks_to_first_job"] = None if np.isnan(median) else median
    out["first_job_rate_3_years"] = first_job_rate(P, n, T, model.config.metrics.kora_window_weeks)
    risk = rec.weeks_without_work_window
    out["job_finding_rate_3_years_after_permit"] = rec.job_starts_window / risk if risk else None
    ih = rec.instrument_hires
    for k in ("nystartsjobb", "instegsjobb"):
        out[f"{k}_hires"] = ih[k]
        out[f"{k}_deadweight_share"] = ih[f"{k}_deadweight"] / ih[k] if ih[k] else None
    out["hires_by_other_job_seekers"] = float(rec.other_hires.sum())
    costs = rec.cost_totals()
    out["costs_sek"] = {k: float(costs[:, i].sum()) for i, k in enumerate(PAYMENTS)}
    spent = [PAYMENTS.index(k) for k in COSTS]
    out["costs_sek_per_refugee"] = float(costs[:, spent].sum() / max(n, 1))
    hires = rec.hires_route.sum()
    out["hires_by_route"] = {k: int(v) for k, v in zip(CHANNEL_NAMES, rec.hires_route)}
    out["hires_by_agencies"] = int(model.agencies.hires.sum())
    out["share_of_hires_by_route"] = {k: (float(v / hires) if hires else None) for k, v in zip(CHANNEL_NAMES, rec.hires_route)}
    out["internship_to_job_share"] = rec.internship_to_job_share()
    pub = rec.internships_started_by_sector_public
    out["private_share_of_internships"] = float(pub[0] / pub.sum()) if pub.sum() else None
    first = P.ti_first_internship[:n]
    got = first >= 0
    out["median_weeks_to_first_internship"] = float(np.median(first[got] - arr[got])) if got.any() else None
    return out


def employment_during_year(model, T: int) -> dict[str, float | None]:
    """Share with any paid work during year k since arrival (k = 1, 2, ...), among those whose year
    k lies wholly inside the run and who were present at its end (the register's yearly measure);
    None for a year no one completed."""
    P = model.population
    n = P.n_arrived
    arr, left = P.ti_arrival[:n], P.ti_left[:n]
    out: dict[str, float | None] = {}
    for k in range(1, MAX_YEARS_EMPLOYED + 1):
        end = arr + 52 * k
        base = (end <= T) & ((left < 0) | (left >= end))
        d = np.count_nonzero(base)
        if d == 0 and k > T // 52:
            break
        had = (P.years_employed[:n] >> np.uint16(k - 1)) & np.uint16(1)
        out[str(k)] = float(np.count_nonzero(had.astype(bool) & base) / d) if d else None
    return out


def first_job_rate(P, n: int, T: int, window: int) -> float | None:
    """Speed to a first job: first jobs per person-week at risk in the first `window` weeks after
    arrival (a hazard, as KORA measures speed to a job; people leave the risk set at their first
    job, when they leave, or at the end of the run)."""
    arr = P.ti_arrival[:n].astype(np.int64)
    first = P.ti_first_job[:n].astype(np.int64)
    left = P.ti_left[:n].astype(np.int64)
    end = np.minimum(arr + window, T)
    end = np.where(left >= 0, np.minimum(end, left), end)
    event = (first >= 0) & (first < end)
    stop = np.where(event, first + 1, end)
    weeks = np.maximum(stop - arr, 0).sum()
    return float(event.sum() / weeks) if weeks else None
