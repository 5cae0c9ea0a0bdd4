"""Mechanism 2: whether an employer accepts a contact, whether the newcomer then wins the vacancy
against the other job seekers of the local labour market, and the start of a job.

Every route into a job (own search, coaches, networks, bridges, internship conversions) uses one
rule: the employer's requirements first, then a logistic in Swedish, skills, validated credentials,
education, work experience, health and the person's lasting employability, plus the route's own
term (a coach's employer relationship, an internship at the employer, a bridge), times the part of
the employer's bias that the route does not bypass. The national instruments act in odds form
inside their windows, and the same uniform draw tells whether a subsidised hire would have happened
without the subsidy (its deadweight).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._numpy import clip
from ..states import S
from .choice import rank_within

# Contact routes (channels). Order matters: a person with several accepted contacts in a week
# takes the first.
OWN, COACH, NETWORK, EXTRA_WORK_BRIDGE, AGENCY_BRIDGE, CONVERSION = range(6)
CHANNEL_NAMES = ["own", "coach", "network", "extra_work", "agency_bridge", "internship"]
# The instegsjobb odds ratio is given at the private sector's 75 % subsidy (Välkommen till jobbet!
# 2007); at another rate its log-odds scale with the rate.
INSTEGSJOBB_REFERENCE_RATE = 0.75


@dataclass
class Acceptance:
    """For each contact: the chance the employer accepts it, the chance without any subsidy, and
    which national instrument applies."""

    p: np.ndarray
    p_unsubsidised: np.ndarray
    subsidised: np.ndarray    # an instegsjobb (a subsidised job) if hired
    nystartsjobb: np.ndarray  # a hire with the nystartsjobb tax relief if hired


def acceptance(model, t: int, who: np.ndarray, emp: np.ndarray, channel: np.ndarray,
               matched_internship: np.ndarray | None = None) -> Acceptance:
    """The employer's decision on each contact (person `who` at employer `emp` via `channel`)."""
    P, E, nat = model.population, model.employers, model.config.national
    h = model.behaviour.hiring
    edu = P.education[who]
    sw = P.swedish[who]
    validated = P.validated[who]
    credentials = (validated > 0) & (edu >= 2)
    # Formal requirements (education, recognised credentials) are met or not; the Swedish an
    # employer asks for is a preference: each unit short of it lowers the log-odds.
    meets = (edu >= E.min_education[emp]) & (~E.requires_validation[emp] | credentials)
    # Parameters a calibration varies between the worlds of a batch: each person's own world's
    # (float32 where they meet float32 arrays, as the plain numbers of a single run do).
    f32 = np.float32
    x = (model.param("hiring.intercept", who, f32) + model.param("hiring.swedish", who, f32) * sw
         - model.param("hiring.swedish_shortfall", who, f32) * np.maximum(E.min_swedish[emp] - sw, 0.0)
         + h.skill_match * (P.occupation[who] == E.sector[emp])
         + h.education * edu + h.work_experience * P.prior_work[who]
         + model.param("hiring.employability_sd", who, f32) * P.employability_z[who]
         + h.health_limitation * P.health[who]
         + h.validated * credentials + h.university_certification * ((validated == 2) & (edu == 3)))
    # The route's own term.
    x = x + h.relationship * E.relationship[emp] * (channel == COACH)
    x = x + model.param("hiring.internship_host", who) * ((P.last_host[who] == emp) | (channel == CONVERSION))
    x = x + h.extra_work_bridge * (channel == EXTRA_WORK_BRIDGE) + h.agency_bridge * (channel == AGENCY_BRIDGE)
    if matched_internship is not None:
        x = x + h.competence_matched_internship * matched_internship
    # How much of the employer's bias each route removes: none for an open application; a coach's
    # or a network's introduction removes part; an employer who has seen the person work (extra
    # work, an agency assignment, an internship) judges them on that, not on origin.
    bypass = np.array([0.0, h.coach_bias_bypass, h.network_bias_bypass, 1.0, 1.0, 1.0])[channel]
    keep = np.where(meets, 1.0 - E.bias[emp] * (1.0 - bypass), 0.0)
    p0 = keep / (1.0 + np.exp(-x))

    since_permit = t - P.ti_permit[who]
    subsidised = np.zeros(len(who), dtype=bool)
    ins = nat.instegsjobb
    if ins.enabled:
        # Instegsjobb is combined with SFI, so it is for those who have not passed SFI; the subsidy
        # is arranged by the public side, so only hires a coach brokers and conversions at the end
        # of an internship are subsidised, at employers with a subsidised place left this year.
        arranged = (channel == COACH) | (channel == CONVERSION)
        subsidised = (arranged & (since_permit < ins.window_weeks_after_permit) & E.takes_subsidised[emp]
                      & (E.subsidised_left[emp] > 0) & (sw < 1.0))
        rate = np.where(E.public[emp], ins.subsidy_public, ins.subsidy_private)
        x = x + np.log(h.instegsjobb_odds_ratio) * (rate / INSTEGSJOBB_REFERENCE_RATE) * subsidised
    nys = np.zeros(len(who), dtype=bool)
    if nat.nystartsjobb.enabled:
        # A tax relief on an ordinary job (not combined with a subsidised one), at the employers
        # that use it.
        nys = ((since_permit < nat.nystartsjobb.window_weeks_after_permit) & E.uses_nystartsjobb[emp]
               & ~subsidised & meets)
        x = x + np.log(h.nystartsjobb_odds_ratio) * nys
    p = keep / (1.0 + np.exp(-x))
    return Acceptance(clip(p, 0.0, 1.0), clip(p0, 0.0, 1.0), subsidised & meets, nys)


def win_against_others(a: np.ndarray) -> np.ndarray:
    """Chance that an accepted applicant gets a vacancy that `a` other applicants (on average,
    Poisson) also want: E[1 / (1 + N)] = (1 - exp(-a)) / a, the urn-ball matching function."""
    a = np.asarray(a, dtype=np.float64)
    safe = np.maximum(a, 1e-12)
    return np.where(a > 1e-9, -np.expm1(-safe) / safe, 1.0)


def within_vacancies(emp: np.ndarray, priority: np.ndarray, open_vacancies: np.ndarray) -> np.ndarray:
    """Accept successful applicants in priority order, at most the employer's open vacancies."""
    return rank_within(emp, priority) < open_vacancies[emp]


def within_subsidy_caps(model, emp: np.ndarray, subsidised: np.ndarray, priority: np.ndarray) -> np.ndarray:
    """Which of the subsidised hires fit in their employer's subsidised places left this year."""
    ok = np.ones(len(emp), dtype=bool)
    s = np.nonzero(subsidised)[0]
    if len(s):
        ok[s] = rank_within(emp[s], priority[s]) < model.employers.subsidised_left[emp[s]]
    return ok


def start_jobs(model, t: int, who: np.ndarray, emp: np.ndarray, subsidised: np.ndarray,
               u_hours: np.ndarray) -> None:
    """Put `who` into jobs at `emp`; leave internships and extra work. Vacancies are the caller's."""
    if len(who) == 0:
        return
    P, E, h = model.population, model.employers, model.behaviour.hiring
    nat = model.config.national
    end_internship(model, who[P.state[who] == S.INTERNSHIP])
    former_intern = P.last_host[who] == emp
    P.state[who] = np.where(subsidised, S.SUBSIDISED_JOB, S.REGULAR_JOB)
    P.employer[who] = emp
    P.agency[who] = -1
    part_share = np.where(P.female[who], h.part_time_share_female, h.part_time_share_male)
    full_hours = np.where(subsidised, nat.instegsjobb.hours_per_week, E.hours[emp])
    P.job_hours[who] = np.where(u_hours < part_share, full_hours * h.part_time_hours_share, full_hours)
    P.hourly_wage[who] = E.wage[emp]
    P.ti_subsidy_end[who] = np.where(subsidised, P.ti_permit[who] + nat.instegsjobb.window_weeks_after_permit, -1)
    E.subsidised_left -= np.bincount(emp[subsidised], minlength=E.n).astype(E.subsidised_left.dtype)
    E.hires += np.bincount(emp, minlength=E.n)
    E.hires_of_former_interns += np.bincount(emp[former_intern], minlength=E.n)
    began_work(model, t, who)


def began_work(model, t: int, who: np.ndarray) -> None:
    """What every start of paid work records: the state's week, no more extra work, the first job
    and first contact, and the job start (for the job-finding rate)."""
    P = model.population
    P.ti_state[who] = t
    P.extra_work[who] = False
    first = P.ti_first_job[who] < 0
    P.ti_first_job[who[first]] = t
    mark_contact(P, who, t)
    model.recorder.job_started(who)
    # The first paid work after an internship (at the host or elsewhere), by the week it ended.
    after = who[P.after_internship[who]]
    P.after_internship[after] = False
    model.recorder.job_after_internship(P.ti_last_internship_end[after], t, after)


def end_job(model, t: int, who: np.ndarray, period: np.ndarray) -> None:
    """People leave paid work (or education) for the programme inside the period, else passivity."""
    P = model.population
    P.state[who] = np.where(period[who], S.PROGRAMME, S.PASSIVE).astype(np.uint8)
    P.employer[who] = -1
    P.agency[who] = -1
    P.job_hours[who] = 0.0
    P.ti_state[who] = t


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
    P.ti_last_internship_end[who] = model.t
    P.after_internship[who] = True
    model.recorder.internships_ended(who)


def mark_contact(P, who: np.ndarray, t: int) -> None:
    new = P.ti_first_contact[who] < 0
    P.ti_first_contact[who[new]] = t
