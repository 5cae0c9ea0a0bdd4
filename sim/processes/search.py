"""Mechanism 3: how much a person searches, and how coaches share their time.

Own search needs time and intent: being in a programme puts the search off until the course is
done, and the hours a week holds for the programme, an internship or extra
work are partly lost to search (lock-in; IFAU 2010:10, Arendt 2020/22), except the programme hours
that a job focus turns into job search with the coach. Coaches have a caseload: a coach-week gives a fixed
number of employer contacts, shared among the seekers of the municipality, at most one a seeker a
week, so more coaching per seeker has diminishing returns.
"""

from __future__ import annotations

import numpy as np

from .._numpy import clip
from ..states import S
from .choice import rank_within

SUMMER_FIRST_ISO_WEEK = 27  # the Swedish summer holiday starts around the first week of July


def search_effort(engagement: np.ndarray, s) -> np.ndarray:
    """Own search effort relative to a person of average engagement (M3, M4)."""
    return np.maximum(1.0 + s.engagement_search * (engagement - 0.5), 0.0)


def summer_pause(model, t: int, muni: np.ndarray) -> np.ndarray:
    """Whether the programme of each municipality in `muni` is in its summer break this week."""
    M = model.munis
    woy = model.week_of_year[t]
    return ((woy >= SUMMER_FIRST_ISO_WEEK) & (woy < SUMMER_FIRST_ISO_WEEK + M.summer_break_weeks))[muni]


def scheduled_hours(model, week, idx: np.ndarray) -> np.ndarray:
    """Hours of the week that `idx` (people not in paid work) give to scheduled activity: the
    programme (less what a job focus spends on job search), an internship with its alternated SFI,
    SFI outside the period, and extra work."""
    P, M, b = model.population, model.munis, model.behaviour
    st = P.state[idx]
    muni = P.municipality[idx]
    hours = M.hours[muni]
    in_period = week.period[idx]
    paused = summer_pause(model, week.t, muni)
    programme = np.where(paused, np.where(M.summer_courses[muni], M.summer_course_hours[muni], 0.0), hours)
    programme = programme * (1.0 - M.job_focus[muni] * model.param("search.job_focus_search_share", idx))
    out = np.where((st == S.PROGRAMME) & in_period, programme, 0.0)
    out = np.where(st == S.INTERNSHIP, hours, out)
    after = ~in_period & ((st == S.PASSIVE) | (st == S.NO_SUPPORT)) & (P.swedish[idx] < 1.0)
    out = out + after * b.language.sfi_after_period_hours
    return out + P.extra_work[idx] * b.search.extra_work_hours


def time_for_search(model, week, idx: np.ndarray) -> np.ndarray:
    """Share of own search left: less for being in a programme (the search put off until the course
    is done), and less again for its scheduled hours (at least 0)."""
    P, M, s = model.population, model.munis, model.behaviour.search
    st = P.state[idx]
    muni = P.municipality[idx]
    # A programme of no hours is no programme: nothing to put the search off for.
    in_programme = (((st == S.PROGRAMME) & week.period[idx]) | (st == S.INTERNSHIP)) & (M.hours[muni] > 0)
    put_off = model.param("search.lock_in_in_programme", idx) * in_programme
    hours = (model.param("search.lock_in_at_full_time", idx)
             * clip(scheduled_hours(model, week, idx) / s.full_time_hours, 0.0, 1.0))
    return np.maximum(1.0 - put_off - hours, 0.0)


def coach_contacts(model, week, seekers: np.ndarray, priority: np.ndarray) -> np.ndarray:
    """Which of `seekers` a coach contacts an employer for this week (a mask over `seekers`).

    A municipality's coaches make coaches x share of time at employers x contacts per coach-week
    contacts a week (fractions carried to the next week, unused time not saved up), one per seeker
    at most, for seekers inside the introduction period, in an order drawn each week (carers of
    young children come forward less often)."""
    M = model.munis
    capacity = M.coaches * M.coach_share * model.municipality_param("search.coach_contacts_per_week")
    M.coach_credit = np.minimum(M.coach_credit + capacity, np.maximum(capacity, 1.0))
    out = np.zeros(len(seekers), dtype=bool)
    served = np.nonzero(week.period[seekers])[0]
    if len(served) == 0:
        return out
    muni = model.population.municipality[seekers[served]]
    rank = rank_within(muni, priority[served] / np.maximum(week.availability[seekers[served]], 1e-3))
    got = rank < np.floor(M.coach_credit)[muni]
    out[served[got]] = True
    M.coach_credit = M.coach_credit - np.bincount(muni[got], minlength=M.n)
    return out
