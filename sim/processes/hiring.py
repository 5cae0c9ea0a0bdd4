"""Mechanism 2: the chance that a contact with an employer ends in a hire, and the hire itself.

Shared by matching (own search, coaches, networks, bridges) and by internship conversion, so that
every route into a job uses one rule: requirements first, then a logistic in Swedish, skills,
validated credentials, relationship, engagement, health and local unemployment, times the part of
employer bias the route does not bypass, times the national instruments inside their windows.
"""

from __future__ import annotations

import numpy as np

from .._numpy import clip
from ..states import S
from .choice import rank_within

# Contact routes (channels). Order matters: a person with several successful contacts in a week
# takes the first.
OWN, COACH, NETWORK, EXTRA_WORK_BRIDGE, AGENCY_BRIDGE, CONVERSION = range(6)
CHANNEL_NAMES = ["own", "coach", "network", "extra_work", "agency_bridge", "internship"]


def hire_probability(model, t: int, who: np.ndarray, emp: np.ndarray, channel: np.ndarray,
                     matched_internship: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(probability, subsidised) for each contact (person `who` at employer `emp` via `channel`)."""
    P, E, M, nat = model.population, model.employers, model.munis, model.config.national
    h = model.behaviour.hiring
    edu = P.education[who]
    sw = P.swedish[who]
    validated = P.validated[who]
    meets = (sw >= E.min_swedish[emp]) & (edu >= E.min_education[emp])
    meets &= ~E.requires_validation[emp] | ((validated > 0) & (edu >= 2))
    skill = (P.occupation[who] == E.sector[emp]).astype(np.float32)
    x = (h.intercept + h.swedish * sw + h.skill_match * skill + h.education * edu
         + h.work_experience * P.prior_work[who]
         + h.validated * ((validated > 0) & (edu >= 2))
         + h.university_certification * ((validated == 2) & (edu == 3))
         + h.engagement * (P.engagement[who] - 0.5)
         + h.health_limitation * P.health[who]
         + h.unemployment * M.unemployment[E.municipality[emp]])
    x = x + h.relationship * E.relationship[emp] * (channel == COACH)
    x = x + h.internship_host * (P.last_host[who] == emp) + h.internship_host * (channel == CONVERSION)
    if matched_internship is not None:
        x = x + h.competence_matched_internship * matched_internship
    p = 1.0 / (1.0 + np.exp(-x))
    # How much of the employer's bias each route removes: none for an open application; a coach's
    # or a network's introduction removes part; an employer who has seen the person work (extra
    # work, agency assignment, internship) judges them on that, not on origin.
    bypass = np.array([0.0, h.coach_bias_bypass, h.network_bias_bypass, 1.0, 1.0, 1.0])[channel]
    p = p * (1.0 - E.bias[emp] * (1.0 - bypass))
    since_permit = t - P.ti_permit[who]
    if nat.nystartsjobb.enabled:
        p = np.where(since_permit < nat.nystartsjobb.window_weeks_after_permit, p * h.nystartsjobb_multiplier, p)
    ins = nat.instegsjobb
    subsidised = np.zeros(len(who), dtype=bool)
    if ins.enabled:
        # Instegsjobb is always combined with SFI, so it is for those who have not passed SFI yet;
        # the subsidy is a decision the public side arranges, so only hires that a coach brokers,
        # and conversions at the end of an internship in the programme, are subsidised (an open
        # application is an ordinary hire).
        arranged = (channel == COACH) | (channel == CONVERSION)
        subsidised = (arranged & (since_permit < ins.window_weeks_after_permit) & E.takes_subsidised[emp]
                      & (sw < 1.0))
        rate = np.where(E.public[emp], ins.subsidy_public, ins.subsidy_private)
        p = np.where(subsidised, p * (1.0 + h.instegsjobb_effect * rate), p)
    forced = (channel == EXTRA_WORK_BRIDGE) | (channel == AGENCY_BRIDGE)
    p = np.where(forced, 1.0, p)
    return np.where(meets, clip(p, 0.0, 1.0), 0.0), subsidised


def within_vacancies(emp: np.ndarray, priority: np.ndarray, open_vacancies: np.ndarray) -> np.ndarray:
    """Accept successful applicants in priority order, at most the employer's open vacancies."""
    return rank_within(emp, priority) < open_vacancies[emp]


def start_jobs(model, t: int, who: np.ndarray, emp: np.ndarray, subsidised: np.ndarray,
               u_hours: np.ndarray) -> None:
    """Put `who` into jobs at `emp`; leave internships and extra work; use up vacancies."""
    if len(who) == 0:
        return
    P, E, h = model.population, model.employers, model.behaviour.hiring
    nat = model.config.national
    end_internship(model, who[P.state[who] == S.INTERNSHIP])
    former_intern = P.last_host[who] == emp
    P.state[who] = np.where(subsidised, S.SUBSIDISED_JOB, S.REGULAR_JOB)
    P.ti_state[who] = t
    P.employer[who] = emp
    P.agency[who] = -1
    P.extra_work[who] = False
    part_share = np.where(P.female[who], h.part_time_share_female, h.part_time_share_male)
    part = u_hours < part_share
    full_hours = np.where(subsidised, nat.instegsjobb.hours_per_week, E.hours[emp])
    P.job_hours[who] = np.where(part, full_hours * h.part_time_hours_share, full_hours)
    P.hourly_wage[who] = E.wage[emp]
    P.ti_subsidy_end[who] = np.where(subsidised, P.ti_permit[who] + nat.instegsjobb.window_weeks_after_permit, -1)
    first = P.ti_first_job[who] < 0
    P.ti_first_job[who[first]] = t
    mark_contact(P, who, t)
    counts = np.bincount(emp, minlength=E.n)
    E.open_vacancies -= counts.astype(np.int32)
    E.hires += counts
    E.hires_of_former_interns += np.bincount(emp[former_intern], minlength=E.n)


def end_internship(model, who: np.ndarray) -> None:
    """Free the host's intern place and remember the host (it matters for later hiring)."""
    if len(who) == 0:
        return
    P, E = model.population, model.employers
    host = P.intern_host[who]
    E.interns -= np.bincount(host, minlength=E.n).astype(np.int32)
    P.last_host[who] = host
    P.intern_host[who] = -1
    P.internships[who] += 1
    P.ti_internship_end[who] = -1
    P.matched_internship[who] = False


def mark_contact(P, who: np.ndarray, t: int) -> None:
    new = P.ti_first_contact[who] < 0
    P.ti_first_contact[who[new]] = t
