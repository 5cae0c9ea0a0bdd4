"""Phase 6: income, allowance or social assistance, and self-sufficiency (mechanism 8); phase 7:
the end of the introduction period.

Work income is hours times wage (plus extra work). Living costs are an adult norm plus the
person's share of the children's. During the programme the municipality pays either the wage-like
introduction allowance (a fixed amount for following the plan, less sanctions) or means-tested
social assistance; with income offset, earnings are deducted krona for krona. Outside programme
activity (and not in regular education), anyone whose household cannot cover its costs gets social
assistance, always means-tested; a person without work whose partner covers the household gets no
support. When the introduction period ends, those still in programme activity without work move to
social assistance (or to no support, if their household covers its costs).

The means test reads the partner's earnings, so earnings come first, for everyone (`income`); then
each person's support, the end of their period and their record (`support`, `programme_end`,
`recorder.record_person`) in one pass (`week.close_week`).
"""

from __future__ import annotations

from numba import njit

from ..states import (
    EDUCATION,
    IN_PROGRAMME_ACTIVITY,
    INTERNSHIP,
    INTRODUCTION_ALLOWANCE,
    NO_SUPPORT,
    PASSIVE,
    PERFORMANCE_BONUS,
    PLAN,
    PRESENT,
    PROGRAMME,
    SOCIAL_ASSISTANCE,
    STAFF,
    SUBSIDISED_JOB,
    WAGE_SUBSIDY,
    WORKING,
)
from ..tables import Batch
from .hiring import end_internship
from .programme import in_period


@njit(cache=True)
def income(B: Batch, n_worlds: int, t: int) -> None:
    """Staff are paid every week, whether or not anyone has arrived yet; then everyone's earnings."""
    P, M = B.people, B.munis
    for w in range(n_worlds):
        b = B.worlds[w]
        cost = b.national_coach_cost_sek_per_year / 52.0
        for k in range(b.k0, b.k1):
            B.payments[t, k, STAFF] += (M[k].coaches + M[k].coordinators) * cost
        for i in range(b.p0, b.p0 + b.arrived):
            earn(P[i], b)


@njit(inline="always")
def earn(p, b) -> None:
    """This week's work income: a job's hours times its wage, plus extra work."""
    earned = 0.0
    if PRESENT[p.state]:
        if WORKING[p.state]:
            earned = p.job_hours * p.hourly_wage
        if p.extra_work:
            earned += b.search_extra_work_hours * b.national_hourly_wage_sek
    p.earnings = earned


@njit(inline="always")
def living_costs(p, b) -> float:
    """The adult norm plus the person's share of the children's costs."""
    adults = 2.0 if p.partner >= 0 else 1.0
    return b.national_living_costs_adult_sek_per_week + b.national_living_costs_child_sek_per_week * (
        p.n_children / adults)


@njit(cache=True)
def support(P, M, E, b, i: int, t: int, payments) -> float:
    """Self-sufficiency, and the allowance or assistance paid to person i; returns the household's
    need (living costs its earnings do not cover)."""
    p = P[i]
    s = p.state
    present = PRESENT[s]
    earnings = p.earnings
    costs = living_costs(p, b)
    # Self-sufficiency: earnings above the threshold, kept for the minimum number of weeks.
    if present and earnings >= b.metrics_self_sufficiency_threshold_share_of_living_costs * costs:
        p.weeks_above = min(p.weeks_above + 1, 30000)
    else:
        p.weeks_above = 0
    p.self_sufficient = p.weeks_above >= b.metrics_self_sufficiency_min_weeks
    if p.self_sufficient and p.ti_self_sufficient < 0:
        p.ti_self_sufficient = t
    # The household means test: a partner's earnings above their own costs count for the person.
    need = costs - earnings
    if p.partner >= 0 and p.partner < b.p0 + b.arrived:
        q = P[p.partner]
        need -= max(q.earnings - living_costs(q, b), 0.0)
    p.support = 0.0
    if not present:
        return need
    m = M[p.municipality]
    if in_period(p, M, t) and IN_PROGRAMME_ACTIVITY[s]:
        if m.wage_like:
            allowance = m.allowance_sek - earnings if m.income_offset else m.allowance_sek
            if p.sanctioned:
                allowance *= 1.0 - b.engagement_sanction_share_of_allowance
            paid = max(allowance, 0.0)
            payments[t, p.municipality, INTRODUCTION_ALLOWANCE] += paid
        else:  # programme assistance: means-tested, earnings deducted only with income offset
            paid = max(need if m.income_offset else need + earnings, 0.0)
            payments[t, p.municipality, SOCIAL_ASSISTANCE] += paid
        p.support = paid
    elif s != EDUCATION:
        paid = max(need, 0.0)
        payments[t, p.municipality, SOCIAL_ASSISTANCE] += paid
        p.support = paid
        if s == PASSIVE or s == NO_SUPPORT:
            p.state = PASSIVE if need > 0 else NO_SUPPORT
    if s == SUBSIDISED_JOB:
        rate = b.national_instegsjobb_subsidy_public if E[p.employer].public else b.national_instegsjobb_subsidy_private
        payments[t, p.municipality, WAGE_SUBSIDY] += rate * earnings
    performance_bonus(p, b, t, payments)
    return need


@njit(inline="always")
def performance_bonus(p, b, t: int, payments) -> None:
    """One year after the permit, for SFI passed or enough weeks of contact (internship or work)
    in that year; the person is present."""
    since_permit = t - p.ti_permit
    if 0 <= since_permit < 52 and (WORKING[p.state] or p.extra_work or p.state == INTERNSHIP):
        p.contact_weeks_year1 += 1
    if since_permit == 52:
        passed = p.ti_sfi_passed >= 0 and p.ti_sfi_passed - p.ti_permit <= 52
        if passed or p.contact_weeks_year1 >= b.national_performance_bonus_min_weeks:
            payments[t, p.municipality, PERFORMANCE_BONUS] += b.national_performance_bonus_sek


@njit(cache=True)
def programme_end(p, M, E, w: int, t: int, need: float, ended) -> None:
    """The introduction period is over (>=, not ==: someone transferred to a municipality with a
    shorter period is past it already): programme activity without work ends."""
    s = p.state
    if not (s == PLAN or s == PROGRAMME or s == INTERNSHIP) or in_period(p, M, t):
        return
    if s == INTERNSHIP:
        end_internship(p, E, w, t, ended)
    p.state = PASSIVE if need > 0 else NO_SUPPORT
    p.ti_state = t
