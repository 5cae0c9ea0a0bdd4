"""Mechanism 3: how much a person searches, and how coaches share their time.

Own search needs time and intent: being in a programme puts the search off until the course is
done, and the hours a week holds for the programme, an internship or extra work are partly lost to
search (lock-in; IFAU 2010:10, Arendt 2020/22), except the programme hours that a job focus turns
into job search with the coach. Coaches have a caseload: a coach-week gives a fixed number of
employer contacts, shared among the seekers of the municipality, at most one a seeker a week, so
more coaching per seeker has diminishing returns.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ..states import INTERNSHIP, NO_SUPPORT, PASSIVE, PROGRAMME
from .choice import carried, caseload, first_by_priority
from .programme import in_period, summer_pause


@njit(inline="always")
def search_effort(b, engagement: float) -> float:
    """Own search effort relative to a person of average engagement (M3, M4)."""
    return max(1.0 + b.search_engagement_search * (engagement - 0.5), 0.0)


@njit(inline="always")
def time_for_search(p, m, b, t: int, woy: int) -> float:
    """Share of own search left to person p (not in paid work): less for being in a programme (the
    search put off until the course is done), and less again for the hours the week holds for
    scheduled activity (the programme, less what a job focus spends on job search; an internship
    with its alternated SFI; SFI outside the period; extra work), at least 0."""
    s = p.state
    period = in_period(p, m, t)
    hours = 0.0
    if s == INTERNSHIP:
        hours = m.hours
    elif s == PROGRAMME and period:
        if summer_pause(m, woy):
            hours = m.summer_course_hours if m.summer_courses else 0.0
        else:
            hours = m.hours
        if m.job_focus:
            hours *= 1.0 - b.search_job_focus_search_share
    if not period and (s == PASSIVE or s == NO_SUPPORT) and p.swedish < 1.0:
        hours += b.language_sfi_after_period_hours
    if p.extra_work:
        hours += b.search_extra_work_hours
    # A programme of no hours is no programme: nothing to put the search off for.
    in_programme = ((s == PROGRAMME and period) or s == INTERNSHIP) and m.hours > 0
    put_off = b.search_lock_in_in_programme if in_programme else 0.0
    busy = min(max(hours / b.search_full_time_hours, 0.0), 1.0)
    return max(1.0 - put_off - b.search_lock_in_at_full_time * busy, 0.0)


@njit(cache=True)
def coach_contacts(P, M, b, seekers, priority, t: int, out) -> None:
    """out[k] = whether a coach contacts an employer for seekers[k] this week.

    A municipality's coaches make coaches x share of time at employers x contacts per coach-week
    contacts a week while the caseload is large, saturating as it shrinks (`choice.caseload`;
    fractions and at most one week's unused time carried), one per seeker at most, for seekers
    inside the introduction period, in an order drawn each week (`priority`, already stretched for
    carers of young children, who come forward less often)."""
    k0, k1 = b.k0, b.k1
    caseload_of = np.zeros(k1 - k0)
    n = 0
    for k in range(len(seekers)):
        out[k] = False
        p = P[seekers[k]]
        if in_period(p, M[p.municipality], t):
            caseload_of[p.municipality - k0] += 1.0
            n += 1
    room = np.empty(k1 - k0)
    for k in range(k0, k1):
        m = M[k]
        capacity = caseload(m.coaches * m.coach_share * b.search_coach_contacts_per_week, caseload_of[k - k0],
                            b.search_coached_contacts_most_per_seeker_week)
        # Fractions carried, and a week's unused time at most (a rate below one still gives one).
        m.coach_credit = carried(m.coach_credit, capacity, 2.0, 1.0)
        room[k - k0] = np.floor(m.coach_credit)
    group = np.empty(n, np.int64)
    pri = np.empty(n)
    pos = np.empty(n, np.int64)
    j = 0
    for k in range(len(seekers)):
        p = P[seekers[k]]
        if in_period(p, M[p.municipality], t):
            group[j] = P[seekers[k]].municipality - k0
            pri[j] = priority[k]
            pos[j] = k
            j += 1
    ok = np.empty(n, np.bool_)
    first_by_priority(group, pri, room, k1 - k0, ok)
    for j in range(n):
        if ok[j]:
            out[pos[j]] = True
            M[k0 + group[j]].coach_credit -= 1.0
