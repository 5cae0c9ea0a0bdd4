"""Behavioural parameters of the eight mechanisms: the one place where their sizes live.

Every field says the mechanism it belongs to (M1-M8, numbered as in shared/BRIEF.md "Mechanisms"),
the sign of its effect and its source. The seeds give directions, rarely sizes: a size without a
published figure behind it is marked "assumption" and is a candidate for calibration (issue 4).
"""

from __future__ import annotations

from pydantic import Field

from .base import Section

EDUCATION_LEVELS = ("none", "compulsory", "upper_secondary", "tertiary")


def _f(default: float, lo: float | None, hi: float | None, doc: str):
    return Field(default, ge=lo, le=hi, description=doc)


class Language(Section):
    """M1: Swedish (0 = none, 1 = SFI course D passed) grows with tuition and workplace practice."""

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
        "M1 (+). Swedish gained per hour at a workplace (internship or job). Seed 000 (Värnamo: SFI "
        "mornings, internship afternoons), seed 004 (Fredensborg: Danish-speaking colleagues). "
        "Size: assumption, about a third of a tuition hour.")
    tuition_share_of_programme_hours: float = _f(
        0.6, 0, 1,
        "M1. Share of programme hours that are language tuition (the rest: civic orientation, "
        "guidance). Assumption.")
    education_multiplier: dict[str, float] = Field(
        {"none": 0.45, "compulsory": 0.8, "upper_secondary": 1.0, "tertiary": 1.25},
        description="M1 (+ with schooling). Learning speed by education level. Direction: IFAU "
                    "2010:10 (low-educated progress more slowly); sizes are an assumption.")
    aptitude_sd: float = _f(
        0.35, 0, 2, "M1. Log-normal spread of individual learning speed. Assumption.")
    engagement_weight: float = _f(
        1.0, 0, 5,
        "M1 (+). Learning multiplier is 1 + weight * (engagement - 0.5). Seed 000 (Falkenberg: "
        "the will to learn the language shapes the programme). Size: assumption.")
    health_multiplier: float = _f(
        0.7, 0, 1, "M1 (-). Learning speed of a person with a health limitation. Assumption.")
    vocational_multiplier: float = _f(
        1.25, 1, 3,
        "M1 (+). Tuition adapted to the person's occupation (SFI-X, Swedish for entrepreneurs). "
        "Seed 002. Size: assumption.")
    idle_loss_per_week: float = _f(
        0.002, 0, 0.1,
        "M1 (-). Swedish lost per idle week (summer break without courses). Seed 000 prop. 4 says "
        "a pause stops progress; the loss is an assumption.")
    prior_swedish_share: float = _f(
        0.03, 0, 1, "Share who arrive with some Swedish (level 0.3). Assumption.")


class Engagement(Section):
    """M4: engagement (0-1) drifts toward a target set by the person's situation."""

    adjust_rate_per_week: float = _f(
        0.05, 0, 1, "M4. Weekly share of the gap to the target that is closed. Assumption.")
    plan_effect: float = _f(
        0.05, -1, 1, "M4 (+). A clear individual action plan. Seed 000 prop. 1, Falkenberg.")
    coaching_effect: float = _f(
        0.08, -1, 1,
        "M4 (+). Coaching at full coach intensity. Seed 000 (Falkenberg: coaching builds "
        "engagement). Size: assumption.")
    wage_like_allowance_effect: float = _f(
        0.08, -1, 1,
        "M4 (+). Wage-like allowance paid for following the plan. Seed 000 prop. 3. Size: assumption.")
    social_assistance_effect: float = _f(
        -0.05, -1, 1, "M4 (-). Living on means-tested social assistance in the programme. Seed 000.")
    income_offset_effect: float = _f(
        -0.05, -1, 1,
        "M4 (-). Extra earnings deducted krona for krona (inkomstavräkning). Seed 000.")
    passive_effect: float = _f(
        -0.15, -1, 1, "M4 (-). Passive social assistance with no activity. Seed 000, seed 004.")
    idle_effect: float = _f(
        -0.10, -1, 1, "M4 (-). An idle week (summer break without courses). Seed 000 prop. 4.")
    work_effect: float = _f(
        0.05, -1, 1, "M4 (+). Being in work or an internship. Assumption.")
    criteria_published_effect: float = _f(
        0.05, -1, 1,
        "M4, M5 (+). Published staffing-agency criteria show what to reach (Falkenberg and "
        "Manpower, seed 000). Size: assumption.")
    care_organisation_effect: float = _f(
        -0.05, -1, 1,
        "M4 (-). Programme run by social services (care perspective). Seed 000 prop. 7.")
    sanction_effect: float = _f(
        0.03, 0, 1,
        "M4 (+). Immediate engagement gain after a waiting-day sanction (karens). Seed 000 "
        "(Falkenberg uses karens). Size: assumption.")
    noncompliance_per_week: float = _f(
        0.04, 0, 1,
        "Weekly chance that a person with engagement 0 does not follow the plan (scaled by "
        "1 - engagement). Assumption.")
    sanction_share_of_allowance: float = _f(
        0.2, 0, 1, "Share of a week's allowance withheld by one sanction (one day of five). Assumption.")


class Search(Section):
    """M3: contacts with employers come from own search, coaches and networks."""

    own_contacts_per_week: float = _f(
        0.08, 0, 5,
        "M3 (+). Employer contacts per week from a person's own search at engagement 0.5. "
        "Seed 000: only about a third of jobs pass through the employment service. Assumption.")
    job_focus_multiplier: float = _f(
        1.3, 1, 5,
        "M3, M4 (+). Own search under a job focus from day one. Seed 000 prop. 1. Assumption.")
    income_offset_multiplier: float = _f(
        0.7, 0, 1,
        "M4 (-). Own search when extra earnings are deducted (it does not pay to work). Seed 000.")
    coach_contacts_per_week: float = _f(
        4.0, 0, 50,
        "M3 (+). Employer contacts per week made by one coach working full time at employers. "
        "Seed 000 prop. 1 (coaches spend much of their time at companies). Size: assumption.")
    network_contacts_per_family_week: float = _f(
        0.10, 0, 5,
        "M3 (+). Employer contacts per week opened by one host or network family. Seed 000 "
        "(Värnamo, about 50 host families), seed 004 (Struer, 30 network families). Assumption.")
    mapped_sector_targeting: float = _f(
        0.8, 0, 1,
        "M2 (+). Chance that a coach contact targets the person's own sector when competences were "
        "mapped early (seed 004 Fredensborg; seed 003 early mapping); otherwise the sector is "
        "known only once the plan is drawn up and targeting is `unmapped_sector_targeting`.")
    unmapped_sector_targeting: float = _f(
        0.3, 0, 1, "M2. Sector targeting of coach contacts without early mapping. Assumption.")
    carer_multiplier: float = _f(
        0.3, 0, 1,
        "Search, placement and tuition effort of the primary carer of a child under school age "
        "before childcare is arranged. Assumption; gives a gender gap through households (Hernes et al. "
        "2022: women's employment lower).")
    carer_multiplier_with_childcare: float = _f(
        0.6, 0, 1, "Same, once childcare is arranged. Assumption.")
    agency_application_without_partnership: float = _f(
        0.2, 0, 1,
        "M5. Without a partnership, the share of a person's own employer contacts that reach a "
        "staffing agency (its criteria unknown, no referral). Seed 000 prop. 6. Assumption.")
    extra_work_per_week: float = _f(
        0.008, 0, 1,
        "M3, M4 (+). Weekly chance of finding extra work (evenings, weekends) in the programme at "
        "engagement 0.5. Seed 000 (Falkenberg: extra work is often the way in). Assumption.")
    extra_work_offset_multiplier: float = _f(
        0.3, 0, 1,
        "M4 (-). Extra work when earnings are deducted krona for krona. Seed 000. Assumption.")
    extra_work_hours: float = _f(8.0, 0, 40, "Hours a week of extra work. Assumption.")


class Hiring(Section):
    """M2: chance that an employer contact ends in a hire (logistic), and the instruments."""

    intercept: float = _f(-3.5, -20, 20, "M2. Log-odds of a hire at baseline. Fitted in "
                          "calibration/fitted/shipped.yaml; this default (an assumption) is the prior's centre.")
    swedish: float = _f(3.0, 0, 20, "M2 (+). Per unit of Swedish level. Seed 000, seed 002.")
    skill_match: float = _f(
        0.8, 0, 10, "M2 (+). Prior experience in the employer's sector. Seed 000, 002. Assumption.")
    education: float = _f(0.2, 0, 5, "M2 (+). Per education level above none. Assumption.")
    validated: float = _f(
        1.0, 0, 10,
        "M2 (+). Validated foreign education (applies to upper-secondary and tertiary). Seed 000 "
        "prop. 8, seed 002 (validation centres). Size: assumption.")
    university_certification: float = _f(
        0.5, 0, 10,
        "M2 (+). Extra for tertiary graduates certified through a university. Seed 000 prop. 8.")
    relationship: float = _f(
        1.5, 0, 10,
        "M2 (+). Per unit of the employer's relationship with the municipality's coaches, on "
        "contacts made by coaches. Seed 000 prop. 1, 10. Size: assumption.")
    engagement: float = _f(1.0, 0, 10, "M2, M4 (+). Per unit of engagement above 0.5. Seed 000.")
    work_experience: float = _f(
        1.0, 0, 10,
        "M2 (+). Prior work experience in any sector (skills). Direction: Hernes et al. 2022 "
        "(women's lower prior employment goes with lower employment); size: assumption.")
    health_limitation: float = _f(-1.0, -10, 0, "M2 (-). Health limitation. Assumption.")
    unemployment: float = _f(
        -8.0, -50, 0, "M2 (-). Per unit of local unemployment among the foreign-born. Seed 000 (Solna).")
    internship_host: float = _f(
        1.2, 0, 10,
        "M2, M6 (+). At an employer where the person interned. Seed 004 (Fredensborg: a job waiting "
        "after the internship); FIGURES (Gothenburg: 1 in 4 interns got a job). Size: assumption.")
    competence_matched_internship: float = _f(
        0.7, 0, 10,
        "M2, M6 (+). Extra at the end of a second internship matched to the person's competences. "
        "Seed 004 (Fredensborg). Assumption.")
    coach_bias_bypass: float = _f(
        0.5, 0, 1,
        "M2, M3 (+). Share of employer bias a coach's introduction removes. Assumption.")
    network_bias_bypass: float = _f(
        0.3, 0, 1, "M3 (+). Share of employer bias a network introduction removes. Assumption.")
    nystartsjobb_multiplier: float = _f(
        1.17, 1, 5,
        "National instrument (+). Hire chance inside the nystartsjobb window: about +17 % outflow "
        "to work (Liljeberg, Sjögren and Vikström, IFAU 2012:6).")
    instegsjobb_effect: float = _f(
        0.8, 0, 5,
        "M6 (+). For hires a coach brokers (and internship conversions) inside the instegsjobb "
        "window, at employers willing to take subsidised hires, the hire chance is multiplied by "
        "1 + effect * subsidy rate. Seed 000 (instegsjobb), KORA (seed 004). Assumption.")
    part_time_share_male: float = _f(
        0.35, 0, 1, "Share of hires of men that are part-time. Assumption (Arendt: few hours).")
    part_time_share_female: float = _f(
        0.55, 0, 1, "Share of hires of women that are part-time. Assumption (women more often part-time).")
    part_time_hours_share: float = _f(
        0.5, 0.05, 1, "Hours of a part-time job as a share of full time. Fitted in "
                      "calibration/fitted/shipped.yaml; this default (an assumption) is the prior's centre.")


class Internships(Section):
    """M2, M6: internships (praktik) found by coordinators or by the person."""

    placements_per_coordinator_week: float = _f(
        1.0, 0, 20,
        "M6 (+). Internship placements one full-time coordinator arranges per week. Seed 000 "
        "(Värnamo: three internship coordinators). Size: assumption.")
    own_placement_per_week: float = _f(
        0.03, 0, 1,
        "M3 (+). Weekly chance of finding one's own internship at engagement 0.5 (x job focus "
        "multiplier). Seed 000 (Falkenberg: refugees find their own places).")
    relationship_gain_per_intern_week: float = _f(
        0.003, 0, 1, "M2 (+). Employer relationship gained per intern-week hosted. Assumption.")
    relationship_decay_per_week: float = _f(
        0.002, 0, 1, "M2. Weekly decay of an employer relationship toward the municipality's base.")
    min_swedish_without_alternation: float = _f(
        0.3, 0, 1,
        "M1, M6. Without alternating SFI and internship, an internship starts only after this "
        "Swedish level (language first, the typical 2006 sequence). Seed 000 prop. 5. Assumption.")


class Jobs(Section):
    """Separations, bridges and other transitions (M5, M6, M8)."""

    regular_separation_per_week: float = _f(
        0.005, 0, 1, "Weekly chance that a regular job ends. Fitted in calibration/fitted/shipped.yaml; "
                     "this default (an assumption, about 23 % a year) is the prior's centre.")
    agency_separation_per_week: float = _f(
        0.012, 0, 1, "Weekly chance that a staffing-agency job ends. Assumption.")
    agency_to_regular_per_week: float = _f(
        0.01, 0, 1,
        "M5 (+). Weekly chance that an agency worker is hired by a client. Andersson and Wadensjö, "
        "IZA DP 1090 (stepping stone); seed 000 prop. 6. Size: assumption.")
    subsidised_conversion: float = _f(
        0.5, 0, 1,
        "M6 (+). Chance that a subsidised job becomes a regular one when its window ends. "
        "Riksrevisionen RiR 2013:17. Size: assumption.")
    extra_work_to_regular_per_week: float = _f(
        0.02, 0, 1, "M3 (+). Weekly chance that extra work turns into a regular job. Seed 000 (Falkenberg).")
    extra_work_end_per_week: float = _f(0.03, 0, 1, "Weekly chance that extra work ends. Assumption.")
    business_start_per_week: float = _f(
        0.0004, 0, 1,
        "Weekly chance of starting a business (engaged, Swedish >= 0.5). Seed 000 (Värnamo: 8 of 21 "
        "in a start-up course started one). Assumption.")
    business_failure_per_week: float = _f(0.004, 0, 1, "Weekly chance that a business closes. Assumption.")


class Passivity(Section):
    """M4: drifting into passive assistance, and coming back."""

    dropout_per_week: float = _f(
        0.004, 0, 1,
        "M4 (-). Weekly chance, at engagement 0, of leaving the programme for passive assistance "
        "(scaled by 1 - engagement). Seed 000, seed 004 (4 in 10 of the weakest passive). Assumption.")
    care_organisation_multiplier: float = _f(
        2.5, 1, 10,
        "M4 (-). Dropout multiplier when the programme is run by social services (care "
        "perspective). Seed 000 prop. 7. Assumption.")
    health_multiplier: float = _f(
        3.0, 1, 10, "Dropout multiplier for a health limitation. Assumption.")
    reactivation_per_week: float = _f(
        0.02, 0, 1,
        "Weekly chance that coaches bring a person on passive or no support back into the "
        "programme during the introduction period (labour-market "
        "organisation; a tenth of it under social services). Assumption.")


class Education(Section):
    """Regular education (vocational or university), a state of its own in KORA's accounting."""

    entry_per_week: float = _f(
        0.003, 0, 1,
        "Weekly chance for someone under 35 with Swedish >= 0.7 and not in work to start regular "
        "education. SCB 2014:315 (many study the year after arrival). Size: assumption.")
    weeks: int = Field(52, ge=1, le=520, description="Length of a spell of education. Assumption.")
    validation_office_weeks: int = Field(
        26, ge=1, le=520, description="Weeks a validation office needs. Seed 002. Assumption.")
    university_certification_weeks: int = Field(
        39, ge=1, le=520, description="Weeks for university certification. Seed 000 prop. 8. Assumption.")


class Mobility(Section):
    """People leaving the modelled municipalities."""

    onward_move_per_week: float = _f(
        0.0008, 0, 1,
        "Weekly chance of moving away from the modelled municipalities (secondary migration to the "
        "big cities), a third of it for those in work. Seed 001 (EBO). Assumption.")


class Household(Section):
    """Children and care: the household mechanism behind women's lower employment."""

    primary_carer_female_share: float = _f(
        0.9, 0, 1,
        "Share of couples with a child under school age in which the woman is the primary carer. "
        "Assumption (the mechanism behind the gender gap; Hernes et al. 2022, FIGURES.md).")
    birth_rate_per_year: float = _f(
        0.08, 0, 1,
        "Yearly chance of a birth for a woman under 42. Assumption: fertility of newly arrived "
        "women is high in the first years after migration (direction: Andersson, Int. Migration "
        "Review 2004); the mother becomes the primary carer.")
    newborn_multiplier: float = _f(
        0.1, 0, 1,
        "Effort of the primary carer of a child under one (parental leave). Assumption.")


class Behaviour(Section):
    """Every behavioural parameter, grouped by mechanism; calibration (issue 4) fits these."""

    language: Language = Language()
    engagement: Engagement = Engagement()
    search: Search = Search()
    hiring: Hiring = Hiring()
    internships: Internships = Internships()
    jobs: Jobs = Jobs()
    passivity: Passivity = Passivity()
    education: Education = Education()
    mobility: Mobility = Mobility()
    household: Household = Household()
