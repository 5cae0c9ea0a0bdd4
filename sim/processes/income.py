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

from ..states import IN_PROGRAMME_ACTIVITY, PRESENT, WORKING, S


def income(model, week) -> None:
    P, M, E, nat = model.population, model.munis, model.employers, model.config.national
    n, t = week.n, week.t
    rec = model.recorder
    # Staff are paid every week, whether or not anyone has arrived yet.
    rec.pay_staff(M, nat.coach_cost_sek_per_year / 52.0)
    if n == 0:
        return
    st = P.state[:n]
    muni = P.municipality[:n]
    present = PRESENT[st]
    working = WORKING[st]
    # Earnings: zero except for those present with a job or extra work (`w`).
    w = np.nonzero(present & (working | P.extra_work[:n]))[0]
    earned = np.where(working[w], P.job_hours[w] * P.hourly_wage[w], 0.0)
    earned = earned + np.where(P.extra_work[w], model.behaviour.search.extra_work_hours * nat.hourly_wage_sek, 0.0)
    earnings = np.zeros(n, dtype=np.float32)
    earnings[w] = earned.astype(np.float32)
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
    # Only a partner with earnings (present, arrived) can have a surplus above costs (costs >= 0).
    partner_surplus = np.zeros(n, dtype=np.float32)
    pw = P.partner[w]
    k = (pw >= 0) & (pw < n)
    partner_surplus[pw[k]] = np.maximum(earnings[w[k]] - costs[w[k]], 0.0)
    need = costs - earnings - partner_surplus

    period = week.period
    in_prog = present & period & IN_PROGRAMME_ACTIVITY[st]
    outside = present & ~in_prog & (st != S.EDUCATION)
    # Payments: the allowance or programme assistance for those in programme activity,
    # means-tested assistance outside it; zero for everyone else (and zeros add nothing to a sum).
    ip = np.nonzero(in_prog)[0]
    m_ip = muni[ip]
    wl = M.wage_like[m_ip]
    offset = M.income_offset[m_ip]
    allowance = np.where(offset, M.allowance_sek[m_ip] - earnings[ip], M.allowance_sek[m_ip])
    allowance = allowance * np.where(week.sanctioned[ip], 1.0 - model.behaviour.engagement.sanction_share_of_allowance, 1.0)
    programme_assistance = np.where(offset, need[ip], need[ip] + earnings[ip])
    pay_allowance = np.where(wl, np.maximum(allowance, 0.0), 0.0)
    assist_ip = np.where(~wl, np.maximum(programme_assistance, 0.0), 0.0)
    pay_assistance = np.zeros(n, dtype=np.float32)
    pay_assistance[ip] = assist_ip
    out = np.nonzero(outside)[0]
    pay_assistance[out] = np.maximum(need[out], 0.0)
    so = st[out]
    not_working = out[(so == S.PASSIVE) | (so == S.NO_SUPPORT)]
    nw_need = need[not_working] > 0
    P.state[not_working[nw_need]] = S.PASSIVE
    P.state[not_working[~nw_need]] = S.NO_SUPPORT
    week.household_need = need
    support = np.zeros(n)
    support[ip] = pay_allowance
    support += pay_assistance
    week.support_paid = support

    rec.pay("introduction_allowance", m_ip, pay_allowance)
    paid = np.nonzero(in_prog | outside)[0]
    rec.pay("social_assistance", muni[paid], pay_assistance[paid])
    sub = st == S.SUBSIDISED_JOB
    if sub.any():
        ins = nat.instegsjobb
        emp = P.employer[:n][sub]
        rate = np.where(E.public[emp], ins.subsidy_public, ins.subsidy_private)
        rec.pay("wage_subsidy", muni[sub], rate * earnings[sub])

    # The performance bonus: one year after the permit, for SFI passed or enough weeks of contact.
    # People in their first year after the permit (0 <= t - permit < 52) and those exactly a
    # year after it, found in the permit-sorted order (no pass over everyone).
    y1 = model.permit_range(t - 51, t, n)
    contact = present[y1] & (working[y1] | P.extra_work[y1] | (st[y1] == S.INTERNSHIP))
    P.contact_weeks_year1[y1[contact]] += 1
    due = model.permit_range(t - 52, t - 52, n)
    due = due[present[due]]
    if len(due):
        passed = (P.ti_sfi_passed[due] >= 0) & (P.ti_sfi_passed[due] - P.ti_permit[due] <= 52)
        earned = due[passed | (P.contact_weeks_year1[due] >= nat.performance_bonus_min_weeks)]
        rec.pay("performance_bonus", muni[earned], nat.performance_bonus_sek)
