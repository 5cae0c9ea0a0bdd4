"""Phase 2: the introduction programme: action plan, validation, SFI progress, summer, sanctions,
engagement, and drifting into (or back from) passive assistance. Mechanisms 1 and 4."""

from __future__ import annotations

import numpy as np

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
    weeks = t - P.ti_arrival[:n]
    child_age = P.youngest_age[:n] + weeks / 52.0
    young = P.primary_carer[:n] & (child_age >= 0) & (child_age < YOUNG_CHILD_SCHOOL_AGE)
    childcare = weeks >= M.childcare_wait[P.municipality[:n]]
    factor = np.where(childcare, s.carer_multiplier_with_childcare, s.carer_multiplier)
    factor = np.where(child_age < 1.0, np.minimum(factor, model.behaviour.household.newborn_multiplier), factor)
    return np.where(young, factor, 1.0).astype(np.float32)


def programme(model, t: int) -> None:
    P, M, b = model.population, model.munis, model.behaviour
    n = P.n_arrived
    if n == 0:
        return
    u = model.streams.uniform("programme", (3, n))
    st = P.state[:n]
    muni = P.municipality[:n]
    weeks = t - P.ti_arrival[:n]
    period = model.period

    # Action plan drawn up within the municipality's N weeks (one week with early mapping).
    # The plan is done after N weeks whatever the person does meanwhile (an early internship or
    # job does not skip it); only those still waiting move into the programme.
    plan_weeks = np.where(M.early_mapping[muni], np.minimum(M.plan_weeks[muni], 1), M.plan_weeks[muni])
    done = ~P.plan_done[:n] & PRESENT[st] & (weeks >= plan_weeks)
    idx = np.nonzero(done)[0]
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
    # Hours of tuition and of workplace practice this week (mechanism 1).
    hours = M.hours[muni]
    lang = b.language
    in_prog = (st == S.PROGRAMME)
    in_intern = st == S.INTERNSHIP
    alt = M.alternate[muni]
    share = M.internship_share[muni]
    tuition = np.where(in_prog, hours * lang.tuition_share_of_programme_hours, 0.0)
    tuition = np.where(in_intern & alt, hours * (1 - share), tuition)
    tuition = np.where(st == S.SUBSIDISED_JOB, hours * lang.tuition_share_of_programme_hours * 0.5, tuition)
    workplace = np.where(in_intern, np.where(alt, hours * share, hours), 0.0)
    workplace = workplace + np.where(WORKING[st], P.job_hours[:n], 0.0)
    workplace = workplace + np.where(P.extra_work[:n], b.search.extra_work_hours, 0.0)
    # Summer: a pause stops tuition (and idles people) unless summer courses replace it.
    woy = model.week_of_year[t]
    summer = (woy >= SUMMER_FIRST_ISO_WEEK) & (woy < SUMMER_FIRST_ISO_WEEK + M.summer_break_weeks[muni])
    paused = summer & (in_prog | (in_intern & alt))  # those still waiting for a plan have no tuition
    courses = M.summer_courses[muni]
    tuition = np.where(paused, np.where(courses, M.summer_course_hours[muni] * lang.tuition_share_of_programme_hours, 0.0), tuition)
    idle = paused & ~courses & (st != S.INTERNSHIP)
    avail = model.availability
    tuition = tuition * avail
    tuition = tuition * np.where(period, 1.0, 0.0)

    edu_mult = np.array([lang.education_multiplier[k] for k in EDUCATION_LEVELS], dtype=np.float32)
    mult = (edu_mult[P.education[:n]] * P.aptitude[:n]
            * np.maximum(0.0, 1.0 + lang.engagement_weight * (P.engagement[:n] - 0.5))
            * np.where(P.health[:n], lang.health_multiplier, 1.0))
    # Tuition adapted to the occupation (SFI-X) speeds up tuition, not workplace practice.
    vocational = np.where(M.vocational_sfi[muni] & (P.occupation[:n] >= 0), lang.vocational_multiplier, 1.0)
    tuition = tuition / (1.0 + tuition / lang.tuition_saturation_hours)
    gain = (tuition * lang.sfi_gain_per_tuition_hour * vocational
            + workplace * lang.practice_gain_per_workplace_hour) * mult
    present = PRESENT[st]
    sw = np.clip(P.swedish[:n] + gain - idle * lang.idle_loss_per_week, 0.0, 1.0)
    P.swedish[:n] = np.where(present, sw, P.swedish[:n])
    passed = (P.swedish[:n] >= 1.0) & (P.ti_sfi_passed[:n] < 0)
    P.ti_sfi_passed[:n][passed] = t

    # Waiting-day sanctions (karens) where the wage-like allowance is conditional (seed 000).
    e = b.engagement
    in_activity = (st == S.PLAN) | in_prog | in_intern
    sanctioned = (in_activity & period & M.sanctions[muni]
                  & (u[0] < e.noncompliance_per_week * (1.0 - P.engagement[:n])))
    model.sanctioned = sanctioned
    P.sanctions[:n] += sanctioned

    # Engagement drifts toward a target set by the person's situation (mechanism 4).
    participants = np.bincount(muni[in_activity & period], minlength=M.n)
    intensity = np.minimum(1.0, M.coaches * PARTICIPANTS_PER_COACH_AT_FULL_INTENSITY / np.maximum(participants, 1))
    supported = in_activity & period
    working = WORKING[st] | P.extra_work[:n]
    target = (P.baseline_engagement[:n]
              + e.plan_effect * P.plan_done[:n]
              + e.coaching_effect * intensity[muni] * supported
              + e.wage_like_allowance_effect * (supported & M.wage_like[muni])
              + e.social_assistance_effect * (supported & ~M.wage_like[muni])
              + e.income_offset_effect * (supported & M.income_offset[muni])
              + e.passive_effect * (st == S.PASSIVE)
              + e.idle_effect * idle
              + e.work_effect * (working | in_intern)
              + e.criteria_published_effect * M.agency_partner[muni]
              + e.care_organisation_effect * (supported & M.care_organisation[muni]))
    target = np.clip(target, 0.0, 1.0)
    eng = P.engagement[:n] + e.adjust_rate_per_week * (target - P.engagement[:n]) + e.sanction_effect * sanctioned
    P.engagement[:n] = np.where(present, np.clip(eng, 0.0, 1.0), P.engagement[:n]).astype(np.float32)

    # Dropping out into passive assistance, and coaches bringing people back (mechanism 4).
    pa = b.passivity
    drop_p = (pa.dropout_per_week * (1.0 - P.engagement[:n])
              * np.where(M.care_organisation[muni], pa.care_organisation_multiplier, 1.0)
              * np.where(P.health[:n], pa.health_multiplier, 1.0))
    drop = in_prog & (u[1] < drop_p)
    back_p = pa.reactivation_per_week * np.where(M.care_organisation[muni], 0.1, 1.0)
    back = ((st == S.PASSIVE) | (st == S.NO_SUPPORT)) & period & (u[2] < back_p)
    P.state[:n][drop] = S.PASSIVE
    P.state[:n][back] = S.PROGRAMME
    changed = drop | back
    P.ti_state[:n][changed] = t
