"""The model outputs a target can be compared with, read off a finished run.

Two kinds. Monthly outputs are shares of the people observed N months after arrival (the recorder's
panel; see `sim/metrics.py`), optionally for one sex or one municipality, and averaged over a range
of months when a source gives one ("after two to two and a half years"). Run outputs are the
figures of `metrics.run_figures` (first-year shares, KORA measures, internships ...).

Employment, self-sufficiency and being occupied off support are different outputs with different
definitions (docs/ODD.md 1.2, "Three outcomes"); a target names exactly one of them. A source's "egen
försörjning" in the municipal sense (in work or education, off allowance and social assistance) is
`occupied_off_support`; own work income covering living costs is `self_sufficiency`.
"""

from __future__ import annotations

import numpy as np

from ..metrics import (
    OCCUPIED_OFF_SUPPORT_DEFINITION,
    PASSIVE_SUPPORT_DEFINITION,
    first_year_base,
    kora_base,
    rates,
    run_figures,
    year_base,
)
from ..states import KORA_CATEGORIES

# name -> (what it is, unit). Monthly outputs need `month` or `months`.
MONTHLY = {
    "employment": ("share employed (any paid work in the week, the register's one-hour measure)", "share"),
    "self_sufficiency": ("share self-sufficient (own work income covers living costs for the "
                         "scenario's min_weeks consecutive weeks)", "share"),
    "sfi_passed": ("share who have passed SFI (Swedish level 1)", "share"),
    "had_contact": ("share who have had labour-market contact (internship or work) so far", "share"),
    "employment_unsubsidised": ("share in paid work other than a subsidised job (the trials' "
                                "'unsubsidised work')", "share"),
    "subsidised_job": ("share in a subsidised job (instegsjobb, wage subsidy)", "share"),
    "sfi_course": ("share who have passed an SFI course here", "share"),
    "occupied_off_support": (f"share {OCCUPIED_OFF_SUPPORT_DEFINITION}", "share"),
    "passive_support": (f"share {PASSIVE_SUPPORT_DEFINITION}", "share"),
}
RUN = {
    "labour_market_contact_year1": ("share with an internship or work in the first year after arrival", "share"),
    "sfi_completed_year1": ("share who passed SFI in the first year", "share"),
    "internship_year1": ("share with an internship in the first year", "share"),
    "job_3_weeks_within_3_years": ("share with a job of at least 3 consecutive weeks within 3 years (KORA)", "share"),
    "private_share_of_internships": ("share of internship placements at private employers", "share"),
    "median_weeks_to_first_internship": ("median weeks from arrival to the first internship, among those "
                                         "who had one", "weeks"),
    "median_weeks_to_self_sufficiency": ("median weeks from arrival to self-sufficiency (Kaplan-Meier)", "weeks"),
    "internship_to_job_share": ("share of internships followed by paid work (at the host or elsewhere) "
                                "within 3 months of their end", "share"),
    "share_of_hires_after_internship": ("share of all hires that follow an internship at the employer", "share"),
    "sfi_course_year1": ("share who passed an SFI course in the first year", "share"),
    "first_job_rate_3_years": ("first jobs per week at risk in the first 3 years after arrival (speed "
                               "to a first job, as KORA measures it)", "rate"),
    "median_weeks_to_first_job": ("median weeks from arrival to the first paid work (Kaplan-Meier)", "weeks"),
    "job_finding_rate_3_years_after_permit": ("job starts per week without work, in the first 3 years "
                                              "after the permit (the outflow to work)", "rate"),
    "nystartsjobb_deadweight_share": ("share of nystartsjobb hires that would have happened without it", "share"),
    "instegsjobb_deadweight_share": ("share of instegsjobb hires that would have happened without the subsidy", "share"),
}
for _year in range(1, 11):
    RUN[f"employment_during_year.{_year}"] = (f"share with any paid work during year {_year} since arrival "
                                              "(among those present all that year)", "share")
for _k in KORA_CATEGORIES:
    RUN[f"weeks_in_state_first_3_years.{_k}"] = (f"average weeks in '{_k}' over the first 3 years (KORA)", "weeks")
    RUN[f"ever_in_state_first_3_years.{_k}"] = (f"share ever in '{_k}' in the first 3 years (KORA)", "share")
METRICS = {**MONTHLY, **RUN}
CHANNEL_OF = {"employment": "employed", "self_sufficiency": "self_sufficient", "sfi_passed": "sfi_passed",
              "had_contact": "had_contact", "employment_unsubsidised": "employed_unsubsidised",
              "subsidised_job": "state_subsidised_job", "sfi_course": "sfi_course",
              "occupied_off_support": "occupied_off_support", "passive_support": "passive_support"}


def figure_text(v: float | None, metric: str, comparison: str, relative: bool, signed: bool = False) -> str:
    """A target's figure in its unit: a share in per cent (an effect in percentage points), a
    relative figure (a ratio effect, a spread) in signed per cent, weeks and rates as numbers."""
    if v is None:
        return "–"
    if relative:
        return f"{100 * v:+.0f} %" if comparison == "effect" else f"{100 * v:.0f} %"
    if METRICS[metric][1] == "share":
        return f"{100 * v:+.1f} pts" if comparison == "effect" or signed else f"{100 * v:.1f} %"
    return f"{v:.3g}"


def months_needed(target) -> int:
    """The latest month since arrival a target reads (0 for run outputs)."""
    return max(target.month_list) if target.metric in MONTHLY else 0


def _group_mask(model, sex: str | None, municipality: str | None) -> np.ndarray | None:
    rec = model.recorder
    g = np.arange(rec.n_groups)
    mask = np.ones(rec.n_groups, dtype=bool)
    # Panel groups are ordered (municipality, sex, education): g = (muni * 2 + sex) * 4 + education.
    if sex is not None:
        mask &= (g // 4) % 2 == (1 if sex == "female" else 0)
    if municipality is not None:
        mask &= g // 8 == model.munis.names.index(municipality)
    return None if mask.all() else mask


def measure(model, targets: list, figures: dict | None = None) -> dict[str, float | None]:
    """Each target's output in this finished run; None where nobody was observed."""
    out: dict[str, float | None] = {}
    for tg in targets:
        if tg.metric in MONTHLY:
            series = rates(model.recorder.panel, CHANNEL_OF[tg.metric], _group_mask(model, tg.sex, tg.municipality))
            vals = [series[m] for m in tg.month_list if m < len(series)]
            ok = len(vals) == len(tg.month_list) and not np.isnan(vals).any()
            out[tg.id] = float(np.mean(vals)) if ok else None
            continue
        if figures is None:
            figures = run_figures(model)
        out[tg.id] = _run_output(model, figures, tg.metric)
    return out


def people_behind(model, tg) -> int:
    """How many simulated people stand behind a target's figure in this run (its denominator): those
    observed at the months read, those whose first year or KORA window lies inside the run, or (for
    other run figures) everyone who arrived. What `check` sets beside the source's population."""
    P, rec = model.population, model.recorder
    n = P.n_arrived
    if tg.metric in MONTHLY:
        mask = _group_mask(model, tg.sex, tg.municipality)
        p = rec.panel if mask is None else rec.panel[mask]
        obs = p[:, :, 0].sum(axis=0)
        got = [int(obs[m]) for m in tg.month_list if m < len(obs)]
        return int(round(float(np.mean(got)))) if got else 0
    T = model.n_weeks
    if tg.metric.startswith("employment_during_year."):
        return int(np.count_nonzero(year_base(P, T, int(tg.metric.split(".", 1)[1]))))
    if tg.metric.endswith("_year1"):
        return int(np.count_nonzero(first_year_base(P, T)))
    if tg.metric.startswith(("weeks_in_state_first_3_years", "ever_in_state_first_3_years", "job_3_weeks")):
        return int(np.count_nonzero(kora_base(P, T, model.config.metrics.kora_window_weeks)))
    return int(n)


def _run_output(model, figures: dict, metric: str) -> float | None:
    if metric == "share_of_hires_after_internship":
        return figures["share_of_hires_by_route"]["internship"]
    if "." in metric:
        group, key = metric.split(".", 1)
        return figures[group].get(key)
    value = figures[metric]
    return None if value is None else float(value)
