"""Mechanism 2: whether an employer accepts a contact, whether the newcomer then wins the vacancy
against the other job seekers of the local labour market, and the start and end of a job.

Every route into a job (own search, coaches, networks, bridges, internship conversions) uses one
rule: the employer's requirements first, then a logistic in Swedish, skills, validated credentials,
education, work experience, health and the person's lasting employability, plus the route's own
term (a coach's employer relationship, an internship at the employer, a bridge), times the part of
the employer's bias that the route does not bypass. The national instruments act in odds form
inside their windows, and the same uniform draw tells whether a subsidised hire would have happened
without the subsidy (its deadweight).
"""

from __future__ import annotations

import math

from numba import njit

from ..states import (
    AGENCY_BRIDGE,
    COACH,
    CONVERSION,
    EXTRA_WORK_BRIDGE,
    INTERNSHIP,
    NETWORK,
    NOT_VALIDATED,
    PASSIVE,
    PROGRAMME,
    REGULAR_JOB,
    SUBSIDISED_JOB,
    TERTIARY,
    UNIVERSITY_CERTIFICATION,
    UPPER_SECONDARY,
)

# The instegsjobb odds ratio is given at the private sector's 75 % subsidy (Välkommen till jobbet!
# 2007); at another rate its log-odds scale with the rate.
INSTEGSJOBB_REFERENCE_RATE = 0.75
JOB_AFTER_INTERNSHIP_WEEKS = 13  # "got a job" after an internship: within three months of its end
JOB_FINDING_WINDOW_WEEKS = 156  # the first three years after the permit (the nystartsjobb window)


@njit(inline="always")
def bias_bypass(b, channel: int) -> float:
    """How much of the employer's bias a route removes: none for an open application; a coach's
    or a network's introduction removes part; an employer who has seen the person work (extra
    work, an agency assignment, an internship) judges them on that, not on origin."""
    if channel == COACH:
        return b.hiring_coach_bias_bypass
    if channel == NETWORK:
        return b.hiring_network_bias_bypass
    if channel >= EXTRA_WORK_BRIDGE:
        return 1.0
    return 0.0


@njit(cache=True)
def acceptance(p, e, who_is_host: bool, b, channel: int, bonus: float, t: int) -> tuple[float, float, bool, bool]:
    """An employer's decision (record e) on a contact from person record p via `channel`
    (`who_is_host`: the person interned there; `bonus`: log-odds of the route's own, such as a
    competence-matched internship): the chance it accepts, the chance without any subsidy, and
    whether the hire would be an instegsjobb (a subsidised job) and whether it has the nystartsjobb
    tax relief."""
    edu = p.education
    sw = p.swedish
    credentials = p.validated != NOT_VALIDATED and edu >= UPPER_SECONDARY
    # Formal requirements (education, recognised credentials) are met or not; the Swedish an
    # employer asks for is a preference: each unit short of it lowers the log-odds.
    if edu < e.min_education or (e.requires_validation and not credentials):
        return 0.0, 0.0, False, False
    x = (b.hiring_intercept + b.hiring_swedish * sw - b.hiring_swedish_shortfall * max(e.min_swedish - sw, 0.0)
         + b.hiring_education * edu + b.hiring_employability_sd * p.employability_z)
    if p.occupation == e.sector:
        x += b.hiring_skill_match
    if p.prior_work:
        x += b.hiring_work_experience
    if p.health:
        x += b.hiring_health_limitation
    if credentials:
        x += b.hiring_validated
    if p.validated == UNIVERSITY_CERTIFICATION and edu == TERTIARY:
        x += b.hiring_university_certification
    # The route's own term.
    if channel == COACH:
        x += b.hiring_relationship * e.relationship
    if who_is_host or channel == CONVERSION:
        x += b.hiring_internship_host
    if channel == EXTRA_WORK_BRIDGE:
        x += b.hiring_extra_work_bridge
    elif channel == AGENCY_BRIDGE:
        x += b.hiring_agency_bridge
    x += bonus
    keep = 1.0 - e.bias * (1.0 - bias_bypass(b, channel))
    p0 = keep / (1.0 + math.exp(-x))
    since_permit = t - p.ti_permit
    subsidised = False
    if b.national_instegsjobb_enabled:
        # Instegsjobb is combined with SFI, so it is for those who have not passed SFI; the subsidy
        # is arranged by the public side, so only hires a coach brokers and conversions at the end
        # of an internship are subsidised, at employers with a subsidised place left this year.
        subsidised = ((channel == COACH or channel == CONVERSION)
                      and since_permit < b.national_instegsjobb_window_weeks_after_permit
                      and e.takes_subsidised and e.subsidised_left > 0 and sw < 1.0)
        if subsidised:
            rate = b.national_instegsjobb_subsidy_public if e.public else b.national_instegsjobb_subsidy_private
            x += math.log(b.hiring_instegsjobb_odds_ratio) * rate / INSTEGSJOBB_REFERENCE_RATE
    nystartsjobb = False
    if b.national_nystartsjobb_enabled:
        # A tax relief on an ordinary job (not combined with a subsidised one), at the employers
        # that use it.
        nystartsjobb = (since_permit < b.national_nystartsjobb_window_weeks_after_permit and e.uses_nystartsjobb
                        and not subsidised)
        if nystartsjobb:
            x += math.log(b.hiring_nystartsjobb_odds_ratio)
    p1 = keep / (1.0 + math.exp(-x))
    return min(max(p1, 0.0), 1.0), min(max(p0, 0.0), 1.0), subsidised, nystartsjobb


@njit(inline="always")
def win_against_others(a: float) -> float:
    """Chance that an accepted applicant gets a vacancy that `a` other applicants (on average,
    Poisson) also want: E[1 / (1 + N)] = (1 - exp(-a)) / a, the urn-ball matching function."""
    if a > 1e-9:
        return -math.expm1(-a) / a
    return 1.0


@njit(inline="always")
def take_vacancy(e) -> None:
    """Use one vacancy for a hire at employer record e: an open one if there is one, else one taken
    ahead (a conversion borrows from the vacancies the employer would post next)."""
    if e.open_vacancies > 0:
        e.open_vacancies -= 1
    else:
        e.vacancy_credit -= 1.0


@njit(cache=True)
def start_job(P, E, w: int, b, i: int, k: int, subsidised: bool, u_hours: float, t: int, ended, after) -> None:
    """Put person i into a job at employer k, leaving an internship and extra work (the vacancy is
    the caller's). `ended` and `after` are the recorder's internships ended and jobs after an
    internship, by world and week."""
    p, e = P[i], E[k]
    if p.state == INTERNSHIP:
        end_internship(p, E, w, t, ended)
    former_intern = p.last_host == k
    p.state = SUBSIDISED_JOB if subsidised else REGULAR_JOB
    p.employer = k
    p.agency = -1
    part_share = b.hiring_part_time_share_female if p.female else b.hiring_part_time_share_male
    full_hours = b.national_instegsjobb_hours_per_week if subsidised else e.hours
    p.job_hours = full_hours * b.hiring_part_time_hours_share if u_hours < part_share else full_hours
    p.hourly_wage = e.wage
    p.ti_subsidy_end = p.ti_permit + int(b.national_instegsjobb_window_weeks_after_permit) if subsidised else -1
    if subsidised:
        e.subsidised_left -= 1
    e.hires += 1
    if former_intern:
        e.hires_of_former_interns += 1
    began_work(p, w, b, t, after)


@njit(inline="always")
def began_work(p, w: int, b, t: int, after) -> None:
    """What every start of paid work records: the state's week, no more extra work, the first job
    and first contact, the job start (for the job-finding rate), and the first paid work after an
    internship (at the host or elsewhere) by the week that internship ended."""
    p.ti_state = t
    p.extra_work = False
    if p.ti_first_job < 0:
        p.ti_first_job = t
    if p.ti_first_contact < 0:
        p.ti_first_contact = t
    if t - p.ti_permit < JOB_FINDING_WINDOW_WEEKS:
        b.job_starts += 1
    if p.after_internship:
        p.after_internship = False
        if t - p.ti_last_internship_end <= JOB_AFTER_INTERNSHIP_WEEKS:
            after[w, p.ti_last_internship_end] += 1


@njit(inline="always")
def end_job(p, t: int, period: bool) -> None:
    """Paid work (or education) ends: back to the programme inside the period, else passivity."""
    p.state = PROGRAMME if period else PASSIVE
    p.employer = -1
    p.agency = -1
    p.job_hours = 0.0
    p.ti_state = t


@njit(inline="always")
def end_internship(p, E, w: int, t: int, ended) -> None:
    """Free the host's intern place and remember the host (it matters for later hiring)."""
    E[p.intern_host].interns -= 1
    p.last_host = p.intern_host
    p.intern_host = -1
    p.internships += 1
    p.ti_internship_end = -1
    p.matched_internship = False
    p.ti_last_internship_end = t
    p.after_internship = True
    ended[w, t] += 1


@njit(inline="always")
def mark_contact(p, t: int) -> None:
    if p.ti_first_contact < 0:
        p.ti_first_contact = t
