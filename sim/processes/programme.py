"""Phase 2: the introduction programme: action plan, validation, SFI progress, summer, sanctions,
engagement, and drifting into (or back from) passive assistance. Mechanisms 1 and 4."""

from __future__ import annotations

import numpy as np

from .._numpy import clip

from ..config.behaviour import EDUCATION_LEVELS
from ..states import S, PRESENT, WORKING
from ..population import YOUNG_CHILD_SCHOOL_AGE

# Coach intensity is 1 at this many participants per coach. Assumption (a caseload of 25).
PARTICIPANTS_PER_COACH_AT_FULL_INTENSITY = 25.0
SUMMER_FIRST_ISO_WEEK = 27  # the Swedish summer holiday starts around the first week of July


def in_programme_period(model, t: int, n: int) -> np.ndarray:
    P, M = model.population, model.munis
    return (t - P.ti_arrival[:n]) < M.programme_weeks[P.municipality[:n]]


def availability(model, t: int, n: int) -> np.ndarray:
    """Effort a person can give, lowered for the primary carer of a child under school age."""
    P, M, s = model.population, model.munis, model.behaviour.search
    out = np.ones(n, dtype=np.float32)
    # Only primary carers can have a lowered availability; everyone else gives 1.
    c = np.nonzero(P.primary_carer[:n])[0]
    if len(c) == 0:
        return out
    weeks = t - P.ti_arrival[c]
    child_age = P.youngest_age[c] + weeks / 52.0
    young = (child_age >= 0) & (child_age < YOUNG_CHILD_SCHOOL_AGE)
    childcare = weeks >= M.childcare_wait[P.municipality[c]]
    factor = np.where(childcare, s.carer_multiplier_with_childcare, s.carer_multiplier)
    factor = np.where(child_age < 1.0, np.minimum(factor, model.behaviour.household.newborn_multiplier), factor)
    out[c] = np.where(young, factor, 1.0).astype(np.float32)
    return out


def programme(model, t: int) -> None:
    P, M, b = model.population, model.munis, model.behaviour
    n = P.n_arrived
    if n == 0:
        return
    u = model.streams.block("programme", 3, n)
    st = P.state[:n]
    muni = P.municipality[:n]
    period = model.period

    # Action plan drawn up within the municipality's N weeks (one week with early mapping).
    # The plan is done after N weeks whatever the person does meanwhile (an early internship or
    # job does not skip it); only those still waiting move into the programme.
    no_plan = np.nonzero(~P.plan_done[:n])[0]
    plan_weeks = np.where(M.early_mapping, np.minimum(M.plan_weeks, 1), M.plan_weeks)
    done = PRESENT[st[no_plan]] & ((t - P.ti_arrival[no_plan]) >= plan_weeks[muni[no_plan]])
    idx = no_plan[done]
    waiting = idx[st[idx] == S.PLAN]
    P.state[waiting] = S.PROGRAMME
    P.ti_state[waiting] = t
    P.plan_done[idx] = True
    # Validation of upper-secondary and tertiary education starts with the plan (seed 000 prop. 8).
    level = M.validation[muni[idx]]
    start = (level > 0) & (P.education[idx] >= 2) & (P.validated[idx] == 0)
    ed = b.education
    dur = np.where((level == 2) & (P.education[idx] == 3), ed.university_certification_weeks,
                   ed.validation_office_weeks)
    P.ti_validated[idx[start]] = t + dur[start]
    finished = np.nonzero(P.ti_validated[:n] == t)[0]
    lvl = M.validation[muni[finished]]
    P.validated[finished] = np.where((lvl == 2) & (P.education[finished] == 3), 2, 1)

    st = P.state[:n]
    present = PRESENT[st]
    in_prog = (st == S.PROGRAMME)
    in_intern = st == S.INTERNSHIP
    working = WORKING[st]
    # Hours of tuition and of workplace practice this week (mechanism 1). Swedish changes only for
    # those present with tuition, workplace hours or a summer pause (all inside the set `a`); for
    # everyone else the gain is exactly zero and their level stays as it is.
    a = np.nonzero(present & (in_prog | in_intern | working | P.extra_work[:n]))[0]
    sa = st[a]
    ma = muni[a]
    prog_a = in_prog[a]
    intern_a = in_intern[a]
    hours = M.hours[ma]
    lang = b.language
    alt = M.alternate[ma]
    share = M.internship_share[ma]
    tuition = np.where(prog_a, hours * lang.tuition_share_of_programme_hours, 0.0)
    tuition = np.where(intern_a & alt, hours * (1 - share), tuition)
    tuition = np.where(sa == S.SUBSIDISED_JOB, hours * lang.tuition_share_of_programme_hours * 0.5, tuition)
    workplace = np.where(intern_a, np.where(alt, hours * share, hours), 0.0)
    workplace = workplace + np.where(working[a], P.job_hours[a], 0.0)
    workplace = workplace + np.where(P.extra_work[a], b.search.extra_work_hours, 0.0)
    # Summer: a pause stops tuition (and idles people) unless summer courses replace it.
    woy = model.week_of_year[t]
    summer = ((woy >= SUMMER_FIRST_ISO_WEEK) & (woy < SUMMER_FIRST_ISO_WEEK + M.summer_break_weeks))[ma]
    paused = summer & (prog_a | (intern_a & alt))  # those still waiting for a plan have no tuition
    courses = M.summer_courses[ma]
    tuition = np.where(paused, np.where(courses, M.summer_course_hours[ma] * lang.tuition_share_of_programme_hours, 0.0), tuition)
    idle_a = paused & ~courses & (sa != S.INTERNSHIP)
    tuition = tuition * model.availability[a]
    tuition = tuition * np.where(period[a], 1.0, 0.0)

    edu_mult = np.array([lang.education_multiplier[k] for k in EDUCATION_LEVELS], dtype=np.float32)
    mult = (edu_mult[P.education[a]] * P.aptitude[a]
            * np.maximum(0.0, 1.0 + lang.engagement_weight * (P.engagement[a] - 0.5))
            * np.where(P.health[a], lang.health_multiplier, 1.0))
    # Tuition adapted to the occupation (SFI-X) speeds up tuition, not workplace practice.
    vocational = np.where(M.vocational_sfi[ma] & (P.occupation[a] >= 0), lang.vocational_multiplier, 1.0)
    tuition = tuition / (1.0 + tuition / lang.tuition_saturation_hours)
    gain = (tuition * lang.sfi_gain_per_tuition_hour * vocational
            + workplace * lang.practice_gain_per_workplace_hour) * mult
    P.swedish[a] = clip(P.swedish[a] + gain - idle_a * lang.idle_loss_per_week, 0.0, 1.0)
    passed = (P.swedish[:n] >= 1.0) & (P.ti_sfi_passed[:n] < 0)
    P.ti_sfi_passed[:n][passed] = t
    idle = np.zeros(n, dtype=bool)
    idle[a] = idle_a
    # Free the per-person temporaries before the next part (peak memory with many people).
    del a, sa, ma, prog_a, intern_a, hours, alt, share, tuition, workplace, summer, paused, courses
    del idle_a, mult, vocational, gain

    # Waiting-day sanctions (karens) where the wage-like allowance is conditional (seed 000).
    e = b.engagement
    in_activity = (st == S.PLAN) | in_prog | in_intern
    supported = in_activity & period
    sanctioned = np.zeros(n, dtype=bool)
    if M.sanctions.any():
        c = np.nonzero(supported & M.sanctions[muni])[0]
        hit = c[u[0, c] < e.noncompliance_per_week * (1.0 - P.engagement[c])]
        sanctioned[hit] = True
        P.sanctions[hit] += 1
    model.sanctioned = sanctioned

    # Engagement drifts toward a target set by the person's situation (mechanism 4); it changes
    # for those present only.
    participants = np.bincount(muni[supported], minlength=M.n)
    intensity = np.minimum(1.0, M.coaches * PARTICIPANTS_PER_COACH_AT_FULL_INTENSITY / np.maximum(participants, 1))
    pr = np.nonzero(present)[0]
    mp = muni[pr]
    sup = supported[pr]
    # Summed term by term in place, in the order written (the same float64 additions as one
    # expression, with fewer temporaries alive at once).
    target = P.baseline_engagement[pr].astype(np.float64)
    target += e.plan_effect * P.plan_done[pr]
    target += e.coaching_effect * intensity[mp] * sup
    target += e.wage_like_allowance_effect * (sup & M.wage_like[mp])
    target += e.social_assistance_effect * (sup & ~M.wage_like[mp])
    target += e.income_offset_effect * (sup & M.income_offset[mp])
    target += e.passive_effect * (st[pr] == S.PASSIVE)
    target += e.idle_effect * idle[pr]
    target += e.work_effect * (working[pr] | P.extra_work[pr] | in_intern[pr])
    target += e.criteria_published_effect * M.agency_partner[mp]
    target += e.care_organisation_effect * (sup & M.care_organisation[mp])
    target = clip(target, 0.0, 1.0)
    eng0 = P.engagement[pr]
    eng = eng0 + e.adjust_rate_per_week * (target - eng0) + e.sanction_effect * sanctioned[pr]
    P.engagement[pr] = clip(eng, 0.0, 1.0).astype(np.float32)

    # Dropping out into passive assistance, and coaches bringing people back (mechanism 4).
    pa = b.passivity
    c = np.nonzero(in_prog)[0]
    drop_p = (pa.dropout_per_week * (1.0 - P.engagement[c])
              * np.where(M.care_organisation[muni[c]], pa.care_organisation_multiplier, 1.0)
              * np.where(P.health[c], pa.health_multiplier, 1.0))
    drop = c[u[1, c] < drop_p]
    c = np.nonzero(((st == S.PASSIVE) | (st == S.NO_SUPPORT)) & period)[0]
    back_p = pa.reactivation_per_week * np.where(M.care_organisation[muni[c]], 0.1, 1.0)
    back = c[u[2, c] < back_p]
    P.state[drop] = S.PASSIVE
    P.state[back] = S.PROGRAMME
    P.ti_state[drop] = t
    P.ti_state[back] = t
