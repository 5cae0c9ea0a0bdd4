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
    PLAN,
    PRESENT,
    PROGRAMME,
    SOCIAL_ASSISTANCE,
    STAFF,
    WORKING,
)
from .programme import in_period


@njit(inline="always")
def pay_staff(M, b, t: int, payments) -> None:
    """Staff are paid every week, whether or not anyone has arrived yet."""
    cost = b.national_coach_cost_sek_per_year / 52.0
    for k in range(b.k0, b.k1):
        payments[t, k, STAFF] += (M[k].coaches + M[k].coordinators) * cost


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


@njit(inline="always")
def support(p, m, b, t: int, partner_surplus: float) -> tuple[float, int, float]:
    """Self-sufficiency, and the allowance or assistance paid to person record p (in municipality
    record m; `partner_surplus`: the partner's earnings above their own costs, which the household
    means test counts). Returns the household's need (living costs its earnings do not cover), and
    what is paid: the kind (`states.PAYMENTS`) and the amount."""
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
    need = costs - earnings - partner_surplus
    p.support = 0.0
    if not present:
        return need, SOCIAL_ASSISTANCE, 0.0
    kind, paid = SOCIAL_ASSISTANCE, 0.0
    if in_period(p, m, t) and IN_PROGRAMME_ACTIVITY[s]:
        if m.wage_like:
            allowance = m.allowance_sek - earnings if m.income_offset else m.allowance_sek
            if p.sanctioned:
                allowance *= 1.0 - b.engagement_sanction_share_of_allowance
            kind, paid = INTRODUCTION_ALLOWANCE, max(allowance, 0.0)
        else:  # programme assistance: means-tested, earnings deducted only with income offset
            paid = max(need if m.income_offset else need + earnings, 0.0)
    elif s != EDUCATION:
        paid = max(need, 0.0)
        if s == PASSIVE or s == NO_SUPPORT:
            p.state = PASSIVE if need > 0 else NO_SUPPORT
    p.support = paid
    return need, kind, paid


@njit(inline="always")
def surplus(q, b) -> float:
    """A partner's earnings above their own living costs (what the means test counts)."""
    return max(q.earnings - living_costs(q, b), 0.0)


@njit(inline="always")
def wage_subsidy(p, public: bool, b) -> float:
    """The state's subsidy of a subsidised job's wage (instegsjobb), this week."""
    rate = b.national_instegsjobb_subsidy_public if public else b.national_instegsjobb_subsidy_private
    return rate * p.earnings


@njit(inline="always")
def performance_bonus(p, b, t: int) -> float:
    """One year after the permit, for SFI passed or enough weeks of contact (internship or work)
    in that year (the person is present): what the state pays the municipality this week."""
    since_permit = t - p.ti_permit
    if 0 <= since_permit < 52 and (WORKING[p.state] or p.extra_work or p.state == INTERNSHIP):
        p.contact_weeks_year1 += 1
    if since_permit == 52:
        passed = p.ti_sfi_passed >= 0 and p.ti_sfi_passed - p.ti_permit <= 52
        if passed or p.contact_weeks_year1 >= b.national_performance_bonus_min_weeks:
            return b.national_performance_bonus_sek
    return 0.0


@njit(inline="always")
def programme_end(p, m, t: int, need: float) -> bool:
    """The introduction period is over (>=, not ==: someone transferred to a municipality with a
    shorter period is past it already): programme activity without work ends. Returns whether an
    internship ended with it (the caller's `hiring.end_internship`)."""
    s = p.state
    if not (s == PLAN or s == PROGRAMME or s == INTERNSHIP) or in_period(p, m, t):
        return False
    p.state = PASSIVE if need > 0 else NO_SUPPORT
    p.ti_state = t
    return s == INTERNSHIP
