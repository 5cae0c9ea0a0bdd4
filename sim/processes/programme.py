"""Phase 2: the introduction programme, in named steps: action plans, validation, Swedish (SFI
tuition, workplace practice, everyday life, the summer), waiting-day sanctions, engagement, and
drifting into (or back from) passive assistance. Mechanisms 1 and 4."""

from __future__ import annotations

import numpy as np

from .._numpy import clip
from ..population import YOUNG_CHILD_SCHOOL_AGE
from ..states import PRESENT, WORKING, S
from .search import summer_pause

# Rows of the weekly draw.
SANCTION, DROPOUT, REACTIVATION, N_ROWS = range(4)


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


def programme(model, week) -> None:
    if week.n == 0:
        return
    u = model.streams.block("programme", N_ROWS, week.n)
    complete_plans(model, week)
    finish_validation(model, week)
    idle = learn_swedish(model, week)
    week.sanctioned = sanction(model, week, u[SANCTION])
    drift_engagement(model, week, idle)
    drop_out_and_return(model, week, u)


def complete_plans(model, week) -> None:
    """Action plans are drawn up after the municipality's N weeks (one week with early mapping),
    whatever the person does meanwhile; those still waiting move into the programme, and
    validation of upper-secondary and tertiary education starts (Välkommen till jobbet! prop. 8)."""
    P, M, ed, t = model.population, model.munis, model.behaviour.education, week.t
    n = week.n
    no_plan = np.nonzero(~P.plan_done[:n])[0]
    muni = P.municipality[no_plan]
    plan_weeks = np.where(M.early_mapping, np.minimum(M.plan_weeks, 1), M.plan_weeks)
    done = PRESENT[P.state[no_plan]] & ((t - P.ti_arrival[no_plan]) >= plan_weeks[muni])
    idx = no_plan[done]
    waiting = idx[P.state[idx] == S.PLAN]
    P.state[waiting] = S.PROGRAMME
    P.ti_state[waiting] = t
    P.plan_done[idx] = True
    level = M.validation[P.municipality[idx]]
    start = (level > 0) & (P.education[idx] >= 2) & (P.validated[idx] == 0)
    dur = np.where((level == 2) & (P.education[idx] == 3), ed.university_certification_weeks,
                   ed.validation_office_weeks)
    P.ti_validated[idx[start]] = t + dur[start]


def finish_validation(model, week) -> None:
    P, M = model.population, model.munis
    finished = np.nonzero(P.ti_validated[:week.n] == week.t)[0]
    lvl = M.validation[P.municipality[finished]]
    P.validated[finished] = np.where((lvl == 2) & (P.education[finished] == 3), 2, 1)


def learn_swedish(model, week) -> np.ndarray:
    """Swedish grows with SFI tuition, hours at a workplace and, slowly, everyday life (M1); a
    summer pause without courses stops tuition and idles people. Returns who was idle."""
    P, M, b, t = model.population, model.munis, model.behaviour, week.t
    n = week.n
    lang = b.language
    st = P.state[:n]
    idle = np.zeros(n, dtype=bool)
    # Everyone present below level 1 can gain (at level 1 every gain is clipped away).
    a = np.nonzero(PRESENT[st] & (P.swedish[:n] < 1.0))[0]
    if len(a) == 0:
        return idle
    sa = st[a]
    ma = P.municipality[a]
    period = week.period[a]
    hours = M.hours[ma]
    alt = M.alternate[ma]
    share = M.internship_share[ma]
    in_prog = sa == S.PROGRAMME
    intern = sa == S.INTERNSHIP
    working = WORKING[sa]
    # Tuition hours: the programme's, the SFI half of an alternated internship, SFI beside a
    # subsidised job; outside programme activity, SFI courses unless in full-time work.
    tuition = np.where(in_prog, hours * lang.tuition_share_of_programme_hours, 0.0)
    tuition = np.where(intern & alt, hours * (1 - share), tuition)
    tuition = np.where(sa == S.SUBSIDISED_JOB, hours * lang.subsidised_job_tuition_share, tuition)
    paused = summer_pause(model, t, ma) & (in_prog | (intern & alt))
    courses = M.summer_courses[ma]
    tuition = np.where(paused, np.where(courses, M.summer_course_hours[ma] * lang.tuition_share_of_programme_hours, 0.0), tuition)
    tuition = tuition * period
    outside = ~period & ~intern & (sa != S.EDUCATION) & ~(working & (P.job_hours[a] >= 0.75 * b.search.full_time_hours))
    outside &= (sa != S.PLAN) & (sa != S.PROGRAMME) & (sa != S.SUBSIDISED_JOB)
    tuition = np.where(outside, lang.sfi_after_period_hours, tuition) * week.availability[a]
    vocational = np.where(M.vocational_sfi[ma] & (P.occupation[a] >= 0) & period, lang.vocational_multiplier, 1.0)
    effective = tuition / (1.0 + tuition / lang.tuition_saturation_hours)
    workplace = np.where(intern, np.where(alt, hours * share, hours), 0.0)
    workplace = workplace + np.where(working, P.job_hours[a], 0.0) + P.extra_work[a] * b.search.extra_work_hours
    speed = (np.array(lang.education_multiplier.as_list(), dtype=np.float32)[P.education[a]] * P.aptitude[a]
             * np.where(P.health[a], lang.health_multiplier, 1.0))
    everyday = np.where(P.swedish[a] < model.param("language.everyday_ceiling", a, np.float32),
                        lang.everyday_gain_per_week, 0.0)
    gain = (effective * lang.sfi_gain_per_tuition_hour * vocational
            + workplace * lang.practice_gain_per_workplace_hour + everyday) * speed
    idle_a = paused & ~courses & ~intern
    P.swedish[a] = clip(P.swedish[a] + gain - idle_a * lang.idle_loss_per_week, 0.0, 1.0)
    idle[a] = idle_a
    _sfi_courses(model, t, a)
    return idle


def _sfi_courses(model, t: int, a: np.ndarray) -> None:
    """SFI courses passed (A-D spread over the Swedish scale) and course D (level 1)."""
    P, k = model.population, model.behaviour.language.sfi_courses
    courses = np.floor(P.swedish[a] * k + 1e-6).astype(np.int8)
    new = courses > P.sfi_courses[a]
    first = new & (P.ti_first_sfi_course[a] < 0)
    P.ti_first_sfi_course[a[first]] = t
    P.sfi_courses[a] = np.maximum(courses, P.sfi_courses[a])
    passed = a[(P.swedish[a] >= 1.0) & (P.ti_sfi_passed[a] < 0)]
    P.ti_sfi_passed[passed] = t


def sanction(model, week, u: np.ndarray) -> np.ndarray:
    """Waiting-day sanctions (karens) where the wage-like allowance is conditional (Välkommen till
    jobbet! 2007, Falkenberg): a week the plan is not followed costs a day's allowance."""
    P, M, e = model.population, model.munis, model.behaviour.engagement
    n = week.n
    sanctioned = np.zeros(n, dtype=bool)
    if not M.sanctions.any():
        return sanctioned
    st = P.state[:n]
    supported = ((st == S.PLAN) | (st == S.PROGRAMME) | (st == S.INTERNSHIP)) & week.period
    c = np.nonzero(supported & M.sanctions[P.municipality[:n]])[0]
    hit = c[u[c] < e.noncompliance_per_week * (1.0 - P.engagement[c])]
    sanctioned[hit] = True
    P.sanctions[hit] += 1
    return sanctioned


def drift_engagement(model, week, idle: np.ndarray) -> None:
    """Engagement drifts toward the intake level, lowered on passive support and in idle weeks,
    raised in work and internships (M4). No lever enters here: levers act on their own channels."""
    P, e = model.population, model.behaviour.engagement
    n = week.n
    st = P.state[:n]
    pr = np.nonzero(PRESENT[st])[0]
    sp = st[pr]
    target = P.baseline_engagement[pr].astype(np.float64)
    target += e.passive_effect * (sp == S.PASSIVE)
    target += e.idle_effect * idle[pr]
    target += e.activity_effect * (WORKING[sp] | P.extra_work[pr] | (sp == S.INTERNSHIP))
    target = clip(target, 0.0, 1.0)
    eng0 = P.engagement[pr]
    P.engagement[pr] = clip(eng0 + e.adjust_rate_per_week * (target - eng0), 0.0, 1.0).astype(np.float32)


def drop_out_and_return(model, week, u) -> None:
    """Leaving the programme for passive assistance, less often under a wage-like allowance or
    sanctions, more often under social services; coaches bring people back inside the period."""
    P, M, pa, t = model.population, model.munis, model.behaviour.passivity, week.t
    n = week.n
    st = P.state[:n]
    muni = P.municipality[:n]
    c = np.nonzero(st == S.PROGRAMME)[0]
    mc = muni[c]
    drop_p = (pa.dropout_per_week * (1.0 - P.engagement[c])
              * np.where(M.care_organisation[mc], pa.care_organisation_multiplier, 1.0)
              * np.where(M.wage_like[mc], pa.wage_like_multiplier, 1.0)
              * np.where(M.sanctions[mc], pa.sanctions_multiplier, 1.0)
              * np.where(P.health[c], pa.health_multiplier, 1.0))
    drop = c[u[DROPOUT, c] < drop_p]
    c = np.nonzero(((st == S.PASSIVE) | (st == S.NO_SUPPORT)) & week.period)[0]
    back_p = pa.reactivation_per_week * np.where(M.care_organisation[muni[c]], pa.care_reactivation_multiplier, 1.0)
    back = c[u[REACTIVATION, c] < back_p]
    P.state[drop] = S.PASSIVE
    P.state[back] = S.PROGRAMME
    P.ti_state[drop] = t
    P.ti_state[back] = t
