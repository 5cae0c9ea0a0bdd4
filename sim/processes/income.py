"""Phase 6: income, allowance or social assistance, and self-sufficiency (mechanism 8).

Work income is hours times wage (plus extra work). Living costs are an adult norm plus the
person's share of the children's. During the programme the municipality pays either the wage-like
introduction allowance (a fixed amount for following the plan, less sanctions) or means-tested
social assistance; with income offset, earnings are deducted krona for krona. Outside programme
activity (and not in regular education), anyone whose household cannot cover its costs gets social
assistance, always means-tested; a person without work whose partner covers the household gets no
support.
"""

from __future__ import annotations

import numpy as np

from ..states import S, IN_PROGRAMME_ACTIVITY, PRESENT, WORKING


def income(model, t: int) -> None:
    P, M, E, nat = model.population, model.munis, model.employers, model.config.national
    n = P.n_arrived
    if n == 0:
        return
    st = P.state[:n]
    muni = P.municipality[:n]
    present = PRESENT[st]
    working = WORKING[st]
    earnings = np.where(working, P.job_hours[:n] * P.hourly_wage[:n], 0.0)
    earnings = earnings + np.where(P.extra_work[:n], model.behaviour.search.extra_work_hours * nat.hourly_wage_sek, 0.0)
    earnings = np.where(present, earnings, 0.0).astype(np.float32)
    P.earnings[:n] = earnings
    costs = nat.living_costs_adult_sek_per_week + nat.living_costs_child_sek_per_week * P.children_share[:n]

    # Self-sufficiency: earnings above the threshold, kept for the minimum number of weeks.
    ss = model.config.metrics.self_sufficiency
    above = present & (earnings >= ss.threshold_share_of_living_costs * costs)
    P.weeks_above[:n] = np.where(above, np.minimum(P.weeks_above[:n] + 1, 30000), 0)
    P.self_sufficient[:n] = P.weeks_above[:n] >= ss.min_weeks
    new = P.self_sufficient[:n] & (P.ti_self_sufficient[:n] < 0)
    P.ti_self_sufficient[:n][new] = t

    # The household means test: a partner's earnings above their own costs count for the person.
    partner = P.partner[:n]
    has_partner = (partner >= 0) & (partner < n)
    p_idx = np.where(has_partner, partner, 0)
    partner_surplus = np.where(has_partner & PRESENT[P.state[p_idx]],
                               np.maximum(P.earnings[p_idx] - costs[p_idx], 0.0), 0.0)
    need = costs - earnings - partner_surplus

    period = model.period
    in_prog = present & period & IN_PROGRAMME_ACTIVITY[st]
    offset = M.income_offset[muni]
    wage_like = M.wage_like[muni]
    allowance = np.where(offset, M.allowance_sek[muni] - earnings, M.allowance_sek[muni])
    allowance = allowance * np.where(model.sanctioned, 1.0 - model.behaviour.engagement.sanction_share_of_allowance, 1.0)
    programme_assistance = np.where(offset, need, need + earnings)
    pay_allowance = np.where(in_prog & wage_like, np.maximum(allowance, 0.0), 0.0)
    pay_assistance = np.where(in_prog & ~wage_like, np.maximum(programme_assistance, 0.0), 0.0)
    # Outside programme activity: means-tested social assistance (also as a top-up to low pay).
    outside = present & ~in_prog & (st != S.EDUCATION)
    pay_assistance = pay_assistance + np.where(outside, np.maximum(need, 0.0), 0.0)
    not_working = outside & ((st == S.PASSIVE) | (st == S.NO_SUPPORT))
    P.state[:n][not_working & (need > 0)] = S.PASSIVE
    P.state[:n][not_working & (need <= 0)] = S.NO_SUPPORT
    model.household_need = need
    model.support_paid = pay_allowance + pay_assistance

    rec = model.recorder
    rec.pay("introduction_allowance", muni, pay_allowance)
    rec.pay("social_assistance", muni, pay_assistance)
    sub = st == S.SUBSIDISED_JOB
    if sub.any():
        ins = nat.instegsjobb
        emp = P.employer[:n][sub]
        rate = np.where(E.public[emp], ins.subsidy_public, ins.subsidy_private)
        rec.pay("wage_subsidy", muni[sub], rate * earnings[sub])
    rec.pay_staff(M, nat.coach_cost_sek_per_year / 52.0)

    # The performance bonus: one year after the permit, for SFI passed or enough weeks of contact.
    since_permit = t - P.ti_permit[:n]
    contact = present & (working | P.extra_work[:n] | (st == S.INTERNSHIP))
    in_year1 = (since_permit >= 0) & (since_permit < 52)
    P.contact_weeks_year1[:n] += (contact & in_year1).astype(np.int16)
    due = present & (since_permit == 52)
    if due.any():
        passed = (P.ti_sfi_passed[:n] >= 0) & (P.ti_sfi_passed[:n] - P.ti_permit[:n] <= 52)
        earned = due & (passed | (P.contact_weeks_year1[:n] >= nat.performance_bonus_min_weeks))
        rec.pay("performance_bonus", muni[earned], nat.performance_bonus_sek)
