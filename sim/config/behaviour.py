"""Behavioural parameters: the one place where the sizes of the model's mechanisms live.

Every field names the mechanism it belongs to (M1-M8, as in docs/ODD.md "Design concepts"), the
sign of its effect, and its source by title (docs/SOURCES.md lists every source document, what it
says and how the model uses it). A size that no source gives is marked "assumption"; many of those
are fitted (calibration/specs/shipped.yaml) and the fitted file records the values used.

One parameter per channel (issue 10): each policy lever acts on outcomes through its own named
parameter here, never through a shared score that feeds several channels, so that each lever's
effect can be sized, fitted and shown (`run.py effects`, docs/EFFECTS.md).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Section

EducationLevel = Literal["none", "compulsory", "upper_secondary", "tertiary"]
EDUCATION_LEVELS: tuple[EducationLevel, ...] = ("none", "compulsory", "upper_secondary", "tertiary")


def _f(default: float, lo: float | None, hi: float | None, doc: str):
    return Field(default, ge=lo, le=hi, description=doc)


class EducationMultiplier(Section):
    """Learning speed by education level at arrival (M1). Typed, so a misspelt level is refused."""

    none: float = _f(0.45, 0, 5, "Learning speed without schooling. Assumption.")
    compulsory: float = _f(0.8, 0, 5, "With compulsory schooling. Assumption.")
    upper_secondary: float = _f(1.0, 0, 5, "With upper-secondary schooling (the reference). Assumption.")
    tertiary: float = _f(1.25, 0, 5, "With tertiary education. Assumption.")

    def as_list(self) -> list[float]:
        return [getattr(self, k) for k in EDUCATION_LEVELS]


class Language(Section):
    """M1: Swedish (0 = none, 1 = SFI course D passed) grows with tuition, workplace practice and,
    more slowly, everyday life."""

    sfi_gain_per_tuition_hour: float = _f(
        0.0016, 0, 0.05,
        "M1 (+). Swedish gained per effective hour of SFI tuition for an average learner. "
        "Assumption: about two years to pass course D at 9 tuition hours a week.")
    tuition_saturation_hours: float = _f(
        30.0, 1, 1000,
        "M1. Effective tuition hours are h / (1 + h / saturation): an hour adds less when the week "
        "is already full of tuition. Assumption.")
    practice_gain_per_workplace_hour: float = _f(
        0.00025, 0, 0.05,
        "M1 (+). Swedish gained per hour at a workplace (internship or job). Välkommen till jobbet! "
        "2007 (Värnamo: SFI mornings, internship afternoons); KORA 2016 (Fredensborg: colleagues who "
        "speak the language). Size: assumption, about a sixth of a tuition hour.")
    everyday_gain_per_week: float = _f(
        0.003, 0, 0.05,
        "M1 (+). Swedish gained each week by everyone present, from everyday life, outside tuition "
        "and work, so that people without a job or course catch up slowly (issue 10 item 5; IFAU "
        "2010:10: non-participants' employment catches up with SFI participants' by year 5). "
        "Assumption: about 0.15 a year.")
    everyday_ceiling: float = _f(
        0.5, 0, 1,
        "M1. Everyday life brings Swedish up to this level and no further; beyond it takes tuition or "
        "work (learners without instruction level off). Fitted through SFI's long-run advantage "
        "(IFAU 2010:10: +5 points at 10 years); the default is about SFI course B.")
    sfi_after_period_hours: float = _f(
        4.0, 0, 40,
        "M1 (+). Hours a week of SFI taken, outside the introduction period, by those present who "
        "have not passed course D and are not in full-time work (SFI is open to every adult). "
        "Assumption.")
    tuition_share_of_programme_hours: float = _f(
        0.6, 0, 1,
        "M1. Share of programme hours that are language tuition (the rest: civic orientation, "
        "guidance). Assumption.")
    subsidised_job_tuition_share: float = _f(
        0.3, 0, 1,
        "M1. Tuition hours beside a subsidised job (instegsjobb is combined with SFI), as a share of "
        "the municipality's programme hours. Välkommen till jobbet! 2007 (instegsjobb); share: "
        "assumption.")
    education_multiplier: EducationMultiplier = Field(
        EducationMultiplier(),
        description="M1 (+ with schooling). Learning speed by education level. Direction: IFAU "
                    "2010:10 (the low-educated progress more slowly); sizes are an assumption.")
    aptitude_sd: float = _f(
        0.35, 0, 2, "M1. Log-normal spread of individual learning speed. Assumption.")
    health_multiplier: float = _f(
        0.7, 0, 1, "M1 (-). Learning speed of a person with a health limitation. Assumption.")
    vocational_multiplier: float = _f(
        1.25, 1, 3,
        "M1 (+). Tuition adapted to the person's occupation (SFI-X, Swedish for entrepreneurs). "
        "Nutek 2007. Size: assumption.")
    idle_loss_per_week: float = _f(
        0.002, 0, 0.1,
        "M1 (-). Swedish lost per idle week (summer break without courses). Välkommen till jobbet! "
        "2007 prop. 4 says a pause stops progress; the loss is an assumption.")
    prior_swedish_share: float = _f(
        0.03, 0, 1, "Share who arrive with some Swedish. Assumption.")
    prior_swedish_level: float = _f(
        0.3, 0, 1, "Swedish level of those who arrive with some. Assumption.")
    sfi_courses: int = Field(
        4, ge=1, le=10,
        description="SFI courses (A-D) spread evenly over the Swedish scale: course k of 4 is passed "
                    "at level k/4, course D at 1. The output 'an SFI course passed' counts any. "
                    "Skolverket's course structure; evenly spread is an assumption.")


class Engagement(Section):
    """M4: engagement (0-1), mapped at intake, erodes under passive support and idleness and grows
    in activity. It drives own search effort and dropout only; levers act on their own channels."""

    adjust_rate_per_week: float = _f(
        0.05, 0, 1, "M4. Weekly share of the gap to the target that is closed. Assumption.")
    passive_effect: float = _f(
        -0.15, -1, 1,
        "M4 (-). Target shift on passive social assistance with no activity. Välkommen till jobbet! "
        "2007; KORA 2016 (4 in 10 of the weakest passive). Size: assumption.")
    idle_effect: float = _f(
        -0.10, -1, 1,
        "M4 (-). Target shift in an idle week (summer break without courses). Välkommen till "
        "jobbet! 2007 prop. 4. Size: assumption.")
    activity_effect: float = _f(
        0.05, -1, 1, "M4 (+). Target shift in work, extra work or an internship. Assumption.")
    noncompliance_per_week: float = _f(
        0.04, 0, 1,
        "Weekly chance that a person with engagement 0 does not follow the plan (scaled by "
        "1 - engagement); where sanctions apply, each such week is a waiting-day sanction. Assumption.")
    sanction_share_of_allowance: float = _f(
        0.2, 0, 1, "Share of a week's allowance withheld by one sanction (one day of five). Assumption.")


class Search(Section):
    """M3: contacts with employers from own search, coaches and networks, in the time left by the
    programme."""

    own_contacts_per_week: float = _f(
        0.12, 0, 5,
        "M3 (+). Employer contacts a week from a person's own search at average engagement with no "
        "scheduled hours. Välkommen till jobbet! 2007: only about a third of jobs pass through the "
        "employment service. Size: assumption (fitted).")
    engagement_search: float = _f(
        2.0, 0, 10,
        "M3, M4 (+). Own search effort is 1 + this x (engagement - 0.5), at least 0. Välkommen till "
        "jobbet! 2007 (Falkenberg maps engagement at intake as the key to success). Size: assumption.")
    lock_in_in_programme: float = _f(
        0.3, 0, 1,
        "M3 (-). Share of own search lost while in the programme at all (in it or in an internship), "
        "whatever its hours: people put the job search off until the course is done. IFAU 2010:10 "
        "(SFI participants, part-time ones too, have clearly lower employment in the first years). "
        "A job focus does not remove it (its effect is bounded by the TIP trial). Size: fitted.")
    lock_in_at_full_time: float = _f(
        0.3, 0, 1,
        "M3 (-). Share of own search lost to a full week of scheduled hours (programme, internship, "
        "extra work), in proportion below that: time is scarce. Arendt 2020/22 (work-first crowds "
        "out language training and the reverse). Size: fitted.")
    full_time_hours: float = _f(
        40.0, 1, 80, "Hours of a full week of scheduled activity (the lock-in scale). Swedish full time.")
    job_focus_search_share: float = _f(
        0.3, 0, 1,
        "M3 (+). Under a job focus from day one, this share of programme hours is job search with "
        "the coach (not lost to search) and search starts before the plan. Välkommen till jobbet! "
        "2007 prop. 1 (Falkenberg). Size: assumption (fitted through the TIP trial).")
    coach_contacts_per_week: float = _f(
        1.0, 0, 50,
        "M3 (+). Employer contacts a week made by one coach working full time at employers: the "
        "coach's capacity, shared among the seekers of the caseload, saturating as the caseload "
        "shrinks (coached_contacts_most_per_seeker_week). Välkommen till jobbet! 2007 prop. 1 (coaches spend much of their time at companies). "
        "Size: fitted through the TIP trial (Andersson Joona and Nekby 2009).")
    coached_contacts_most_per_seeker_week: float = _f(
        0.015, 0, 1,
        "M3 (+). The most coached employer contacts a seeker gets a week however small the caseload: "
        "coaches' contacts saturate as their caseload shrinks (sim/processes/choice.caseload). The "
        "caseload evidence bounds it: TIP's caseloads of 35-40 against the usual 200-250 gave men "
        "+4.1 to +5.0 points (Andersson Joona and Nekby 2009); halving caseloads (1:70 against "
        "1:150) shortened unemployment by about ten days (Hainmueller et al. 2016). Size: "
        "assumption, chosen so that coaches at the schema's maximum stay inside that envelope "
        "(docs/EFFECTS.md, 'Staff').")
    network_contacts_per_family_week: float = _f(
        0.05, 0, 5,
        "M3 (+). Employer contacts a week opened by one host or network family. Välkommen till "
        "jobbet! 2007 (Värnamo, about 50 host families); KORA 2016 (Struer, 30 network families). "
        "Size: assumption.")
    network_contacts_most_per_person_week: float = _f(
        0.02, 0, 1,
        "M3 (+). The most network contacts a person gets a week however many families: contacts "
        "saturate as families outnumber newcomers (sim/processes/choice.caseload), one in 50 weeks at "
        "the most. No evaluation of host-family programmes was found: size is an assumption, chosen "
        "so that no number of families takes employment beyond the +10 points set as a single "
        "lever's ceiling (docs/EFFECTS.md, 'Dose-response').")
    mapped_sector_targeting: float = _f(
        0.8, 0, 1,
        "M2 (+). Chance that a coach contact targets the person's own sector when competences were "
        "mapped early (KORA 2016, Fredensborg; the central agreement 2006 on early mapping); "
        "otherwise the sector is known once the plan is drawn up.")
    unmapped_sector_targeting: float = _f(
        0.3, 0, 1, "M2. Sector targeting of coach contacts without early mapping. Assumption.")
    carer_multiplier: float = _f(
        0.3, 0, 1,
        "Search, placement and tuition effort of the primary carer of a child under school age "
        "before childcare is arranged. Assumption; gives a gender gap through households (Hernes et "
        "al. 2022: women's employment lower).")
    carer_multiplier_with_childcare: float = _f(
        0.6, 0, 1, "Same, once childcare is arranged. Assumption.")
    agency_application_without_partnership: float = _f(
        0.2, 0, 1,
        "M5. Without a partnership, the share of a person's own employer contacts that reach a "
        "staffing agency (its criteria unknown, no referral). Välkommen till jobbet! 2007 prop. 6. "
        "Assumption.")
    extra_work_per_week: float = _f(
        0.003, 0, 1,
        "M3 (+). Weekly chance of finding extra work (evenings, weekends) at average engagement "
        "without income offset. Välkommen till jobbet! 2007 (Falkenberg: the right to earn extra is "
        "often the way in). Size: fitted (bounded by the 2010 reform, which ended the offset).")
    extra_work_offset_multiplier: float = _f(
        0.5, 0, 1,
        "M4 (-). Extra work found when earnings are deducted krona for krona (inkomstavräkning: it "
        "does not pay). Välkommen till jobbet! 2007. The income offset's only channel. Size: "
        "assumption.")
    extra_work_hours: float = _f(8.0, 0, 40, "Hours a week of extra work. Assumption.")
    extra_work_min_swedish: float = _f(
        0.1, 0, 1, "Swedish level needed to find extra work. Assumption.")


class Hiring(Section):
    """M2: the chance that an employer accepts a contact (logistic in the log-odds below), and the
    national instruments in odds form."""

    intercept: float = _f(-2.0, -20, 20, "M2. Log-odds of acceptance at baseline. Size: fitted.")
    employability_sd: float = _f(
        1.0, 0, 5,
        "M2. Standard deviation of a lasting personal employability (log-odds), drawn at arrival, "
        "beside education, work experience and health: people differ for good, so those left "
        "without a job are the harder cases (issue 10 item 1). Size: fitted.")
    swedish: float = _f(1.0, 0, 20, "M2 (+). Per unit of Swedish level. Välkommen till jobbet! 2007; "
                        "Nutek 2007. Size: fitted through IFAU 2010:10's long-run SFI effect.")
    swedish_shortfall: float = _f(
        6.0, 0, 50,
        "M2 (-). Log-odds lost per unit of Swedish below the employer's requirement (min_swedish): "
        "employers prefer, rather than demand, the Swedish they ask for, so newcomers without SFI can "
        "get entry jobs (IFAU 2010:10: non-participants work more in the first years). Size: "
        "fitted through IFAU 2010:10's SFI effects.")
    skill_match: float = _f(
        0.8, 0, 10, "M2 (+). Prior experience in the employer's sector. Välkommen till jobbet! "
        "2007; Nutek 2007. Size: assumption.")
    education: float = _f(0.2, 0, 5, "M2 (+). Per education level above none. Assumption.")
    validated: float = _f(
        0.6, 0, 10,
        "M2 (+). Validated foreign education (upper-secondary and tertiary). Välkommen till jobbet! "
        "2007 prop. 8; Nutek 2007 (validation centres). Size: assumption.")
    university_certification: float = _f(
        0.3, 0, 10,
        "M2 (+). Extra for tertiary graduates certified through a university. Välkommen till "
        "jobbet! 2007 prop. 8. Size: assumption.")
    relationship: float = _f(
        1.0, 0, 10,
        "M2 (+). Per unit of the employer's relationship with the municipality's coaches, on "
        "contacts made by coaches. Välkommen till jobbet! 2007 prop. 1, 10. Size: assumption.")
    work_experience: float = _f(
        0.8, 0, 10,
        "M2 (+). Prior work experience in any sector. Direction: Hernes et al. 2022 (women's lower "
        "prior employment goes with lower employment); size: assumption.")
    health_limitation: float = _f(-1.0, -10, 0, "M2 (-). Health limitation. Assumption.")
    internship_host: float = _f(
        0.5, -5, 10,
        "M2, M6. Log-odds at an employer where the person interned (and at the end of the internship), "
        "beside the bias the employer no longer applies and the vacancy no one else competes for; "
        "the fit finds its size, negative if those alone make internships convert too often. "
        "KORA 2016 (Fredensborg: a job waiting after the internship); Vårt Göteborg about 2009 "
        "(1 in 4 SFI interns got a job). Size: fitted.")
    competence_matched_internship: float = _f(
        0.5, 0, 10,
        "M2, M6 (+). Extra at the end of a second internship matched to the person's competences. "
        "KORA 2016 (Fredensborg). Size: assumption.")
    coach_bias_bypass: float = _f(
        0.5, 0, 1,
        "M2, M3 (+). Share of an employer's bias that a coach's introduction removes. Assumption.")
    network_bias_bypass: float = _f(
        0.3, 0, 1, "M3 (+). Share of an employer's bias that a network introduction removes. Assumption.")
    extra_work_bridge: float = _f(
        1.0, 0, 10,
        "M3, M5 (+). Log-odds added when an employer who has seen the person in extra work hires: "
        "a bridge raises the odds of a hire, it does not force one. Välkommen till jobbet! 2007 "
        "(Falkenberg). Size: assumption.")
    agency_bridge: float = _f(
        1.0, 0, 10,
        "M5 (+). Log-odds added when a client employer hires a person from an agency assignment. "
        "Andersson and Wadensjö 2004 (IZA DP 1090: a stepping stone). Size: assumption.")
    nystartsjobb_odds_ratio: float = _f(
        1.59, 1, 10,
        "National instrument (+). Odds ratio of a hire at an employer that uses nystartsjobb, inside "
        "the window: 1 / 0.63, since about 63 % of nystartsjobb hires would have happened anyway "
        "(Liljeberg, Sjögren and Vikström, IFAU 2012:6).")
    nystartsjobb_employer_takeup: float = _f(
        0.29, 0, 1,
        "National instrument. Share of employers that use nystartsjobb (drawn once per employer). "
        "Fitted to the outflow to work rising by about 17 % (IFAU 2012:6); the default is that "
        "figure's reading for rare hires, 0.17 / (1.59 - 1).")
    instegsjobb_odds_ratio: float = _f(
        2.0, 1, 20,
        "M6 (+). Odds ratio of a brokered hire (or internship conversion) at a 75 % subsidy, inside "
        "the instegsjobb window at an employer with a subsidised place left this year; at another "
        "rate the log-odds scale with the rate. Välkommen till jobbet! 2007 (instegsjobb); RiR "
        "2013:17. Size: assumption.")
    part_time_share_male: float = _f(
        0.35, 0, 1, "Share of hires of men that are part-time. Assumption (Arendt: few hours).")
    part_time_share_female: float = _f(
        0.55, 0, 1, "Share of hires of women that are part-time. Assumption (women more often part-time).")
    part_time_hours_share: float = _f(
        0.55, 0.05, 1, "Hours of a part-time job as a share of full time. Assumption (an earlier fit to "
                       "Falkenberg gave 0.55).")


class Competition(Section):
    """M2: refugees compete for each vacancy with the other job seekers of the local labour market
    (an urn-ball matching function: Butters 1977; Petrongolo and Pissarides 2001)."""

    applications_per_unemployed_week: float = _f(
        0.01, 0, 10,
        "M2 (-). Applications a week that one other unemployed person of the local labour market "
        "sends to the vacancies in the model (those open to newcomers). With U other unemployed and "
        "V open vacancies, each vacancy gets a = U x this / V other applicants a week, a newcomer "
        "the employer accepts wins it against them with chance (1 - exp(-a)) / a, and others fill a "
        "vacancy with chance 1 - exp(-a). Size: fitted, to the local-labour-market targets (Azlor, "
        "Damm and Schultz-Nielsen 2020: -0.9 to -1.7 points of employment per point of "
        "unemployment, 2-4 years after arrival; calibration/targets/labour_market.yaml).")
    vacancy_open_weeks: float = _f(
        8.0, 1, 1_000_000,
        "M2. Mean weeks a vacancy open to newcomers stays open when no one in the model takes it (it "
        "is then filled through other channels or withdrawn). Without it a slack market piles up "
        "vacancies and newcomers win every one, a threshold the evidence does not show. Size: "
        "assumption (Swedish vacancies are mostly advertised for some weeks; not fitted).")
    new_job_share: float = _f(
        0.75, 0, 1,
        "M2 (+). Share of a newcomer's hire that is a job that would not exist without them (local "
        "labour demand answering supply): it is posted again as a vacancy, so that newcomers crowd out "
        "other job seekers by 1 - this, not one for one. 0 = a fixed number of jobs. Foged and Peri "
        "(2016, Danish municipalities 1991-2008) found refugee inflows did not displace low-skilled "
        "natives; Bratsberg et al. (2014, Norway) that earlier immigrants bear more of an inflow. "
        "Size: assumption within 0.5-1 (docs/EFFECTS.md, 'Displacement', shows 0, 0.5 and 1).")


class Internships(Section):
    """M2, M6: internships (praktik) found by coordinators or by the person."""

    placements_per_coordinator_week: float = _f(
        1.0, 0, 20,
        "M6 (+). Internship placements one full-time coordinator arranges a week. Välkommen till "
        "jobbet! 2007 (Värnamo: three internship coordinators). Size: fitted (KORA 2016's spread and "
        "Denmark's weeks in internships bound it).")
    placements_most_per_candidate_week: float = _f(
        0.05, 0, 1,
        "M6 (+). The most coordinator placements a candidate gets a week however many coordinators: "
        "placements saturate as the caseload of candidates shrinks (sim/processes/choice.caseload). "
        "No caseload evaluation of internship coordinators was found: size is an assumption (one "
        "placement in 20 weeks at the most), chosen so that no number of coordinators takes "
        "employment beyond the +10 points set as a single lever's ceiling (docs/EFFECTS.md, 'Staff').")
    coordinator_credit_cap_weeks: int = Field(
        4, ge=1, le=52,
        description="Unused coordinator time carries over at most this many weeks. Assumption.")
    own_placement_per_week: float = _f(
        0.005, 0, 1,
        "M3 (+). Weekly chance of finding one's own internship at average engagement. Välkommen "
        "till jobbet! 2007 (Falkenberg: refugees find their own places). Size: assumption.")
    conversion_lead_weeks: float = _f(
        13.0, 0, 520,
        "M2, M6. A host hires its intern into a vacancy it has open, or one it would open within this "
        "many weeks (taken ahead, then not posted): a job waiting after the internship needs an "
        "opening. KORA 2016 (only 1 in 8 gets a job after an activation spell). Size: assumption.")
    relationship_gain_per_intern_week: float = _f(
        0.003, 0, 1, "M2 (+). Employer relationship gained per intern-week hosted. Assumption.")
    relationship_decay_per_week: float = _f(
        0.002, 0, 1, "M2. Weekly decay of an employer relationship toward the municipality's base.")
    min_swedish_without_alternation: float = _f(
        0.3, 0, 1,
        "M1, M6. Without alternating SFI and internship, an internship starts only after this "
        "Swedish level (language first, the typical 2006 sequence). Välkommen till jobbet! 2007 "
        "prop. 5. Level: assumption.")


class Jobs(Section):
    """Separations, bridges and other transitions (M5, M6, M8)."""

    regular_separation_per_week: float = _f(
        0.003, 0, 1, "Weekly chance that a regular job ends. Size: fitted.")
    agency_separation_per_week: float = _f(
        0.012, 0, 1, "Weekly chance that a staffing-agency job ends. Assumption.")
    agency_bridge_contacts_per_week: float = _f(
        0.02, 0, 1,
        "M5 (+). Weekly chance that an agency worker is considered for a job by a client employer "
        "(the hire then follows the hiring rule with the agency bridge). Andersson and Wadensjö "
        "2004 (stepping stone); Välkommen till jobbet! 2007 prop. 6. Size: assumption.")
    extra_work_bridge_contacts_per_week: float = _f(
        0.02, 0, 1,
        "M3 (+). Weekly chance that a person in extra work is considered for a regular job by an "
        "employer who has seen them work. Välkommen till jobbet! 2007 (Falkenberg). Assumption.")
    subsidised_conversion: float = _f(
        0.5, 0, 1,
        "M6 (+). Chance that a subsidised job becomes a regular one when its window ends. "
        "RiR 2013:17 (instegsjobb followed by nystartsjobb is the most favourable chain). Size: "
        "assumption.")
    extra_work_end_per_week: float = _f(0.03, 0, 1, "Weekly chance that extra work ends. Assumption.")
    business_start_per_week: float = _f(
        0.0004, 0, 1,
        "Weekly chance of starting a business (engaged, enough Swedish). Välkommen till jobbet! "
        "2007 (Värnamo: 8 of 21 in a start-up course started one). Size: assumption.")
    business_min_swedish: float = _f(0.5, 0, 1, "Swedish level needed to start a business. Assumption.")
    business_min_engagement: float = _f(0.5, 0, 1, "Engagement needed to start a business. Assumption.")
    business_hours: float = _f(35.0, 1, 80, "Hours a week in one's own business. Assumption.")
    business_failure_per_week: float = _f(0.004, 0, 1, "Weekly chance that a business closes. Assumption.")


class Passivity(Section):
    """M4: drifting from the programme into passive assistance, and coming back."""

    dropout_per_week: float = _f(
        0.004, 0, 1,
        "M4 (-). Weekly chance, at engagement 0, of leaving the programme for passive assistance "
        "(scaled by 1 - engagement). Välkommen till jobbet! 2007; KORA 2016 (4 in 10 of the "
        "weakest passive). Size: assumption.")
    care_organisation_multiplier: float = _f(
        2.0, 1, 10,
        "M4 (-). Dropout multiplier when the programme is run by social services (care "
        "perspective). Välkommen till jobbet! 2007 prop. 7. Size: assumption.")
    care_reactivation_multiplier: float = _f(
        0.3, 0, 1,
        "M4 (-). Reactivation multiplier under social services: fewer are brought back into the "
        "programme. Välkommen till jobbet! 2007 prop. 7. Size: assumption.")
    wage_like_multiplier: float = _f(
        0.7, 0, 1,
        "M4 (+). Dropout multiplier under a wage-like allowance paid for following the plan (the "
        "allowance's only channel besides the money). Välkommen till jobbet! 2007 prop. 3. Size: "
        "assumption, bounded by the 2010 reform's small effect (Andersson Joona, Lanninger and "
        "Sundström 2016).")
    sanctions_multiplier: float = _f(
        0.8, 0, 1,
        "M4 (+). Dropout multiplier where waiting-day sanctions (karens) back the plan. Välkommen "
        "till jobbet! 2007 (Falkenberg). Size: assumption.")
    health_multiplier: float = _f(
        3.0, 1, 10, "Dropout multiplier for a health limitation. Assumption.")
    reactivation_per_week: float = _f(
        0.02, 0, 1,
        "Weekly chance that coaches bring a person on passive or no support back into the "
        "programme during the introduction period. Assumption.")


class Education(Section):
    """Regular education (komvux, vocational, university), a state of its own in KORA's accounting."""

    entry_per_week: float = _f(
        0.002, 0, 1,
        "Weekly chance for someone young enough with enough Swedish, not in work and never in "
        "regular education before, to start one spell of it. SCB 2014:315 (many study in the years "
        "after arrival). Size: assumption.")
    entry_max_age: float = _f(40.0, 18, 65, "Oldest age at which people start regular education. Assumption.")
    entry_min_swedish: float = _f(
        0.5, 0, 1, "Swedish level needed for regular education (SFI course B-C). Assumption.")
    weeks: int = Field(52, ge=1, le=520, description="Length of a spell of education. Assumption.")
    validation_office_weeks: int = Field(
        26, ge=1, le=520, description="Weeks a validation office needs. Nutek 2007. Assumption.")
    university_certification_weeks: int = Field(
        39, ge=1, le=520, description="Weeks for university certification. Välkommen till jobbet! "
                                      "2007 prop. 8. Assumption.")


class Mobility(Section):
    """People leaving the modelled municipalities."""

    onward_move_per_week: float = _f(
        0.0008, 0, 1,
        "Weekly chance of moving away from the modelled municipalities (secondary migration to the "
        "big cities). Jämtland ESF 2008 (EBO). Size: assumption.")
    working_move_multiplier: float = _f(
        0.33, 0, 1, "Onward moves of those in work, relative to others. Assumption.")
    retirement_age: float = _f(65.0, 50, 80, "Age at which people leave the population (pension).")


class Household(Section):
    """Children and care: the household mechanism behind women's lower employment."""

    primary_carer_female_share: float = _f(
        0.9, 0, 1,
        "Share of couples with a child under school age in which the woman is the primary carer. "
        "Assumption (the mechanism behind the gender gap; Hernes et al. 2022).")
    birth_rate_per_year: float = _f(
        0.08, 0, 1,
        "Yearly chance of a birth for a woman under the maximum age. Assumption: fertility of newly "
        "arrived women is high in the first years (direction: Andersson, Int. Migration Review "
        "2004); the mother becomes the primary carer.")
    max_birth_age: float = _f(42.0, 18, 55, "Oldest age of a mother at a birth in the model. Assumption.")
    newborn_multiplier: float = _f(
        0.1, 0, 1, "Effort of the primary carer of a child under one (parental leave). Assumption.")


class MunicipalOrganisation(Section):
    """The municipality's own organisation as an employer where it hosts interns (prop. 1)."""

    vacancies_per_staff_year: float = _f(
        0.01, 0, 1,
        "Vacancies open to newcomers a year per municipal employee. Assumption (about 1 % of staff; "
        "municipal turnover is higher, most posts need Swedish).")
    hiring_bias: float = _f(
        0.1, 0, 1, "Bias of a municipality with an integration policy. Assumption.")
    min_swedish: float = _f(0.5, 0, 1, "Swedish its posts need. Assumption.")
    hours_per_week: float = _f(38.0, 1, 60, "Hours of its jobs. Assumption (Swedish full time).")
    min_relationship: float = _f(
        0.8, 0, 1, "Its relationship with its own coaches, at least. Assumption.")


class Behaviour(Section):
    """Every behavioural parameter, grouped by mechanism; calibration fits some of them."""

    language: Language = Language()
    engagement: Engagement = Engagement()
    search: Search = Search()
    hiring: Hiring = Hiring()
    competition: Competition = Competition()
    internships: Internships = Internships()
    jobs: Jobs = Jobs()
    passivity: Passivity = Passivity()
    education: Education = Education()
    mobility: Mobility = Mobility()
    household: Household = Household()
    municipal_organisation: MunicipalOrganisation = MunicipalOrganisation()
