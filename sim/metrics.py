"""The results of a finished run, from what the recorder kept (`sim/recorder.py` says what is
recorded and defines employment, self-sufficiency and being off support): rates by months since arrival, the headline
figures, Kaplan-Meier medians, and tidy tables of the panels.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .processes.hiring import JOB_AFTER_INTERNSHIP_WEEKS, JOB_FINDING_WINDOW_WEEKS  # noqa: F401 (re-exported)
from .recorder import MAX_YEARS_EMPLOYED, month_marks  # noqa: F401 (re-exported)
from .states import (  # noqa: F401 (COSTS and STATE_PAYMENTS re-exported)
    CHANNELS,
    COSTS,
    EDUCATION_NAMES,
    KORA_CATEGORIES,
    PAYMENTS,
    PERMIT_CHANNELS,
    ROUTE_NAMES,
    SEX_NAMES,
    STATE_PAYMENTS,
)

# Rates read as one channel minus another (paid work other than a subsidised job: the trials'
# "unsubsidised work").
DERIVED_CHANNELS = {"employed_unsubsidised": ("employed", "state_subsidised_job")}
HEADLINE_MONTHS = [6, 12, 18, 24, 30, 36, 48, 60]

# The outcomes by months since arrival, each with its definition in plain words (the report, the
# explorer and the calibration's outputs show these; docs/ODD.md 1.2 and 4.11 give them in full).
# Self-sufficiency's threshold and duration are settings (`metrics.self_sufficiency`), so its text
# names them in general.
OCCUPIED_OFF_SUPPORT_DEFINITION = (
    "in work (any paid work in the week, a subsidised job or extra work included) or in regular "
    "education (komvux, vocational, university), and paid neither the introduction allowance nor "
    "social assistance that week (the municipalities' \"egen försörjning\"; work topped up by social "
    "assistance, or a subsidised job on the allowance, does not count)")
PASSIVE_SUPPORT_DEFINITION = (
    "paid the introduction allowance or social assistance that week, with neither paid work nor "
    "regular education (SFI, guidance or an internship on the allowance during the introduction "
    "period; social assistance without activity after it)")
OUTCOME_DEFINITIONS = {
    "employed": "any paid work in the week (a job, an agency job, a subsidised job, own business or "
                "extra work), the register's one-hour measure",
    "self_sufficient": "own work income at or above the living-cost threshold for the set number of "
                       "weeks running, whether or not support is still paid",
    "occupied_off_support": OCCUPIED_OFF_SUPPORT_DEFINITION,
    "passive_support": PASSIVE_SUPPORT_DEFINITION,
}


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
    times, events = np.unique(durations[observed], return_counts=True)
    at_risk = len(durations) - np.searchsorted(np.sort(durations), times, side="left")
    surv = np.cumprod(1.0 - events / np.maximum(at_risk, 1))  # the product-limit estimate, in time order
    below = np.flatnonzero(surv <= 0.5)
    return float(times[below[0]]) if len(below) else float("nan")


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
    # In work or education and off allowance and social assistance; on support without either.
    out["occupied_off_support"] = at_months(rates(rec.panel, "occupied_off_support"))
    out["passive_support"] = at_months(rates(rec.panel, "passive_support"))
    arr = P.ti_arrival[:n]
    left = P.ti_left[:n]
    year1 = first_year_base(P, T)

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
    full = kora_base(P, T, model.config.metrics.kora_window_weeks)
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
    if model.config.placement is None:
        out["by_municipality"] = by_municipality(model, T)
    else:  # a national placement: its own figures (the agreements' groups would be 290 rows)
        from .placement.figures import run_placement
        out["by_municipality"] = {}
        out["placement"] = run_placement(model, T)
    out["first_job_within"] = first_job_within(P, T, np.ones(n, bool))
    costs = rec.cost_totals()
    out["costs_sek"] = {k: float(costs[:, i].sum()) for i, k in enumerate(PAYMENTS)}
    spent = [PAYMENTS.index(k) for k in COSTS]
    out["costs_sek_per_refugee"] = float(costs[:, spent].sum() / max(n, 1))
    hires = rec.hires_route.sum()
    out["hires_by_route"] = {k: int(v) for k, v in zip(ROUTE_NAMES, rec.hires_route)}
    out["hires_by_agencies"] = int(model.agencies.hires.sum())
    out["share_of_hires_by_route"] = {k: (float(v / hires) if hires else None) for k, v in zip(ROUTE_NAMES, rec.hires_route)}
    out["internship_to_job_share"] = rec.internship_to_job_share()
    pub = rec.internships_started_by_sector_public
    out["private_share_of_internships"] = float(pub[0] / pub.sum()) if pub.sum() else None
    first = P.ti_first_internship[:n]
    got = first >= 0
    out["median_weeks_to_first_internship"] = float(np.median(first[got] - arr[got])) if got.any() else None
    return out


def first_year_base(P, T: int) -> np.ndarray:
    """First-year measures' people: those whose first year lies inside the run and who stayed that year."""
    n = P.n_arrived
    arr, left = P.ti_arrival[:n], P.ti_left[:n]
    return (arr + 52 <= T) & ((left < 0) | (left - arr >= 52))


def kora_base(P, T: int, window: int) -> np.ndarray:
    """KORA's measures' people: those whose first `window` weeks lie inside the run."""
    return P.ti_arrival[:P.n_arrived] + window <= T


def year_base(P, T: int, k: int) -> np.ndarray:
    """Year k's people: those whose year k since arrival lies wholly inside the run and who were
    present at its end (the register's yearly measure)."""
    n = P.n_arrived
    end = P.ti_arrival[:n] + 52 * k
    left = P.ti_left[:n]
    return (end <= T) & ((left < 0) | (left >= end))


def employment_during_year(model, T: int) -> dict[str, float | None]:
    """Share with any paid work during year k since arrival (k = 1, 2, ...), among those whose year
    k lies wholly inside the run and who were present at its end (the register's yearly measure);
    None for a year no one completed."""
    P = model.population
    n = P.n_arrived
    out: dict[str, float | None] = {}
    for k in range(1, MAX_YEARS_EMPLOYED + 1):
        base = year_base(P, T, k)
        d = np.count_nonzero(base)
        if d == 0 and k > T // 52:
            break
        had = (P.years_employed[:n] >> np.uint16(k - 1)) & np.uint16(1)
        out[str(k)] = float(np.count_nonzero(had.astype(bool) & base) / d) if d else None
    return out


# Who an agreement (or any rule that moves people) moves, and who it may crowd out, kept apart: a
# municipality's own refugees (settled there and not moved), those moved in, those moved out, and
# the other job seekers of its labour market. The pooled figure hides their opposite changes.
GROUPS = ("own", "moved_in", "moved_out")
GROUP_NAMES = {"own": "own refugees (settled here, not moved)", "moved_in": "moved here by an agreement",
               "moved_out": "moved away by an agreement"}
FIRST_JOB_MONTHS = (12, 24, 36)


def first_job_within(P, T: int, mask: np.ndarray) -> dict[str, float | None]:
    """Share of `mask`'s people with a first paid job within 12, 24 and 36 months of arrival, among
    those whose window lies inside the run."""
    n = P.n_arrived
    arr, first = P.ti_arrival[:n].astype(np.int64), P.ti_first_job[:n].astype(np.int64)
    out: dict[str, float | None] = {}
    for mo in FIRST_JOB_MONTHS:
        window = int(round(mo * 52 / 12))
        base = mask & (arr + window <= T)
        d = np.count_nonzero(base)
        got = base & (first >= 0) & (first - arr < window)
        out[str(mo)] = float(np.count_nonzero(got) / d) if d else None
    return out


def by_municipality(model, T: int) -> dict[str, dict]:
    """Per municipality: each group's number and share with a first paid job within 12, 24 and 36
    months of arrival (among those whose window lies inside the run), and the other job seekers'
    hires a year."""
    P = model.population
    n = P.n_arrived
    home, now, moved = P.home[:n], P.municipality[:n], P.transferred[:n]
    years = max(T / 52.0, 1e-9)
    out: dict[str, dict] = {}
    other_hires = model.recorder.other_hires
    for k, name in enumerate(model.config.municipalities):
        groups = {"own": (home == k) & ~moved, "moved_in": moved & (now == k), "moved_out": moved & (home == k)}
        row: dict = {}
        for g, mask in groups.items():
            row[g] = {"refugees": int(np.count_nonzero(mask)),
                      **{f"first_job_{mo}": v for mo, v in first_job_within(P, T, mask).items()}}
        row["local_job_seekers_hires_per_year"] = float(other_hires[k] / years)
        out[name] = row
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
