"""Phase 2: the introduction programme, person by person: action plans, validation, Swedish (SFI
tuition, workplace practice, everyday life, the summer), waiting-day sanctions, engagement, and
drifting into (or back from) passive assistance. Mechanisms 1 and 4.

Each person's week here depends on nothing but their own state and their municipality's rules, so
the phase is one pass over each world's arrived people.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ..population import YOUNG_CHILD_SCHOOL_AGE
from ..rng import PROGRAMME_DROPOUT, PROGRAMME_REACTIVATION, PROGRAMME_SANCTION, uniform
from ..states import (
    EDUCATION,
    INTERNSHIP,
    NO_SUPPORT,
    NOT_VALIDATED,
    PASSIVE,
    PLAN,
    PRESENT,
    PROGRAMME,
    SUBSIDISED_JOB,
    TERTIARY,
    UNIVERSITY_CERTIFICATION,
    UPPER_SECONDARY,
    VALIDATION_OFFICE,
    WORKING,
)
from ..tables import Batch

SUMMER_FIRST_ISO_WEEK = 27  # the Swedish summer holiday starts around the first week of July


@njit(inline="always")
def in_period(p, m, t: int) -> bool:
    """Person record p is inside the introduction period of their municipality (record m; about
    two years)."""
    return t - p.ti_arrival < m.programme_weeks


@njit(inline="always")
def availability(p, m, b, t: int) -> float:
    """Effort person p can give, lowered for the primary carer of a child under school age (a
    newborn lowers it further); childcare after the municipality's wait restores some of it."""
    if not p.primary_carer:
        return 1.0
    weeks = t - p.ti_arrival
    child_age = p.youngest_age + weeks / 52.0
    if child_age < 0.0 or child_age >= YOUNG_CHILD_SCHOOL_AGE:
        return 1.0
    if weeks >= m.childcare_wait:
        factor = b.search_carer_multiplier_with_childcare
    else:
        factor = b.search_carer_multiplier
    if child_age < 1.0:
        factor = min(factor, b.household_newborn_multiplier)
    return factor


@njit(inline="always")
def summer_pause(m, week_of_year: int) -> bool:
    """Whether municipality record m's programme is in its summer break."""
    return SUMMER_FIRST_ISO_WEEK <= week_of_year < SUMMER_FIRST_ISO_WEEK + m.summer_break_weeks


@njit(cache=True, nogil=True)
def programme(B: Batch, first: int, last: int, t: int) -> None:
    P, M = B.people, B.munis
    woy = B.week_of_year[t]
    for w in range(first, last):
        b = B.worlds[w]
        for i in range(b.p0, b.p0 + b.arrived):
            p = P[i]
            p.sanctioned = False
            if not PRESENT[p.state]:
                continue
            who = i - b.p0
            m = M[p.municipality]
            complete_plan(p, m, b, t)
            idle = learn_swedish(p, m, b, t, woy)
            if p.state == PLAN or p.state == PROGRAMME or p.state == INTERNSHIP:
                sanction(p, m, b, t, uniform(b.seed, PROGRAMME_SANCTION, who, t))
            drift_engagement(p, b, idle)
            drop_out_or_return(p, m, b, t, who)


@njit(inline="always")
def complete_plan(p, m, b, t: int) -> None:
    """Action plans are drawn up after the municipality's N weeks (one week with early mapping),
    whatever the person does meanwhile; someone still waiting moves into the programme, and
    validation of upper-secondary and tertiary education starts (Välkommen till jobbet! prop. 8)
    and completes after its weeks."""
    if not p.plan_done:
        plan_weeks = min(m.plan_weeks, 1) if m.early_mapping else m.plan_weeks
        if t - p.ti_arrival >= plan_weeks:
            if p.state == PLAN:
                p.state = PROGRAMME
                p.ti_state = t
            p.plan_done = True
            if m.validation != NOT_VALIDATED and p.education >= UPPER_SECONDARY and p.validated == NOT_VALIDATED:
                if m.validation == UNIVERSITY_CERTIFICATION and p.education == TERTIARY:
                    p.ti_validated = t + int(b.education_university_certification_weeks)
                else:
                    p.ti_validated = t + int(b.education_validation_office_weeks)
    if p.ti_validated == t:
        certified = m.validation == UNIVERSITY_CERTIFICATION and p.education == TERTIARY
        p.validated = UNIVERSITY_CERTIFICATION if certified else VALIDATION_OFFICE


@njit(inline="always")
def tuition_hours(p, m, b, period: bool, paused: bool) -> float:
    """SFI hours this week, before the person's availability: the programme's share of its
    hours, the SFI half of an alternated internship, SFI beside a subsidised job, summer courses in
    a break; outside programme activity, SFI courses unless in full-time work."""
    s = p.state
    if not period:
        full_time_work = WORKING[s] and p.job_hours >= 0.75 * b.search_full_time_hours
        if (s == INTERNSHIP or s == EDUCATION or full_time_work or s == PLAN or s == PROGRAMME
                or s == SUBSIDISED_JOB):
            return 0.0
        return b.language_sfi_after_period_hours
    if paused:
        return m.summer_course_hours * b.language_tuition_share_of_programme_hours if m.summer_courses else 0.0
    if s == PROGRAMME:
        return m.hours * b.language_tuition_share_of_programme_hours
    if s == INTERNSHIP and m.alternate:
        return m.hours * (1.0 - m.internship_share)
    if s == SUBSIDISED_JOB:
        return m.hours * b.language_subsidised_job_tuition_share
    return 0.0


@njit(inline="always")
def learn_swedish(p, m, b, t: int, woy: int) -> bool:
    """Swedish grows with SFI tuition, hours at a workplace and, slowly, everyday life (M1); a
    summer pause without courses stops tuition and idles people. Returns whether they were idle.
    SFI courses passed (A-D spread over the Swedish scale) and course D (level 1) are counted."""
    if p.swedish >= 1.0:
        return False
    s = p.state
    period = in_period(p, m, t)
    paused = (s == PROGRAMME or (s == INTERNSHIP and m.alternate)) and summer_pause(m, woy)
    idle = paused and not m.summer_courses and s != INTERNSHIP
    tuition = tuition_hours(p, m, b, period, paused) * availability(p, m, b, t)
    vocational = b.language_vocational_multiplier if m.vocational_sfi and p.occupation >= 0 and period else 1.0
    effective = tuition / (1.0 + tuition / b.language_tuition_saturation_hours)
    workplace = 0.0
    if s == INTERNSHIP:
        workplace = m.hours * m.internship_share if m.alternate else m.hours
    if WORKING[s]:
        workplace += p.job_hours
    if p.extra_work:
        workplace += b.search_extra_work_hours
    speed = education_speed(b, p.education) * p.aptitude * (b.language_health_multiplier if p.health else 1.0)
    everyday = b.language_everyday_gain_per_week if p.swedish < b.language_everyday_ceiling else 0.0
    gain = (effective * b.language_sfi_gain_per_tuition_hour * vocational
            + workplace * b.language_practice_gain_per_workplace_hour + everyday) * speed
    p.swedish = min(max(p.swedish + gain - (b.language_idle_loss_per_week if idle else 0.0), 0.0), 1.0)
    courses = int(np.floor(p.swedish * b.language_sfi_courses + 1e-6))
    if courses > p.sfi_courses:
        if p.ti_first_sfi_course < 0:
            p.ti_first_sfi_course = t
        p.sfi_courses = courses
    if p.swedish >= 1.0 and p.ti_sfi_passed < 0:
        p.ti_sfi_passed = t
    return idle


@njit(inline="always")
def education_speed(b, education: int) -> float:
    if education == 0:
        return b.language_education_multiplier_none
    if education == 1:
        return b.language_education_multiplier_compulsory
    if education == 2:
        return b.language_education_multiplier_upper_secondary
    return b.language_education_multiplier_tertiary


@njit(inline="always")
def sanction(p, m, b, t: int, u: float) -> None:
    """Waiting-day sanctions (karens) where the wage-like allowance is conditional (Välkommen till
    jobbet! 2007, Falkenberg): a week the plan is not followed costs a day's allowance."""
    if not m.sanctions or not in_period(p, m, t):
        return
    if u < b.engagement_noncompliance_per_week * (1.0 - p.engagement):
        p.sanctioned = True
        p.sanctions += 1


@njit(inline="always")
def drift_engagement(p, b, idle: bool) -> None:
    """Engagement drifts toward the intake level, lowered on passive support and in idle weeks,
    raised in work and internships (M4). No lever enters here: levers act on their own channels."""
    s = p.state
    target = float(p.baseline_engagement)
    if s == PASSIVE:
        target += b.engagement_passive_effect
    if idle:
        target += b.engagement_idle_effect
    if WORKING[s] or p.extra_work or s == INTERNSHIP:
        target += b.engagement_activity_effect
    target = min(max(target, 0.0), 1.0)
    e = p.engagement
    p.engagement = min(max(e + b.engagement_adjust_rate_per_week * (target - e), 0.0), 1.0)


@njit(inline="always")
def drop_out_or_return(p, m, b, t: int, who: int) -> None:
    """Leaving the programme for passive assistance, less often under a wage-like allowance or
    sanctions, more often under social services; coaches bring people back inside the period."""
    s = p.state
    if s == PROGRAMME:
        chance = b.passivity_dropout_per_week * (1.0 - p.engagement)
        if m.care_organisation:
            chance *= b.passivity_care_organisation_multiplier
        if m.wage_like:
            chance *= b.passivity_wage_like_multiplier
        if m.sanctions:
            chance *= b.passivity_sanctions_multiplier
        if p.health:
            chance *= b.passivity_health_multiplier
        if uniform(b.seed, PROGRAMME_DROPOUT, who, t) < chance:
            p.state = PASSIVE
            p.ti_state = t
    elif (s == PASSIVE or s == NO_SUPPORT) and in_period(p, m, t):
        chance = b.passivity_reactivation_per_week
        if m.care_organisation:
            chance *= b.passivity_care_reactivation_multiplier
        if uniform(b.seed, PROGRAMME_REACTIVATION, who, t) < chance:
            p.state = PROGRAMME
            p.ti_state = t
