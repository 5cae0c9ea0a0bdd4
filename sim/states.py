"""The codes the weekly kernels and the results share, each named once: a refugee's state (exactly
one at a time) and its KORA category, education levels, validation levels, contact routes into a
job, payment kinds and the groups of the recorder's panels.

The kernels read the plain ints below (numba freezes module-level ints as constants); `State` is the
same codes as an IntEnum for Python code. The language course is a separate quantity (Swedish
level and tuition hours), because a person combines SFI with an internship or a job (seed 000: SFI
mornings, internship afternoons).
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np


class State(IntEnum):
    NOT_ARRIVED = 0     # settled later in the simulation
    PLAN = 1            # waiting while the action plan is drawn up (introduktionsplan), unless an
                        # early internship or job ends the wait; the plan still completes on time
    PROGRAMME = 2       # SFI, civic orientation, guidance (svenska för invandrare, samhällsorientering)
    INTERNSHIP = 3      # workplace internship (praktik), usually alternated with SFI
    SUBSIDISED_JOB = 4  # instegsjobb / wage subsidy (lönesubvention; DK løntilskud)
    AGENCY_JOB = 5      # employed by a staffing agency (bemanningsföretag)
    REGULAR_JOB = 6     # unsubsidised job (nystartsjobb counts here: a tax relief, not a job type)
    OWN_BUSINESS = 7    # self-employed
    EDUCATION = 8       # regular education (komvux, vocational, university)
    PASSIVE = 9         # social assistance with no activity (försörjningsstöd)
    NO_SUPPORT = 10     # neither work nor support (a partner's income covers the household)
    MOVED_AWAY = 11     # moved out of the modelled municipalities
    LEFT = 12           # reached 65 (emigration is part of MOVED_AWAY)


N_STATES = len(State)
STATE_NAMES = [s.name.lower() for s in State]

WORKING = np.zeros(N_STATES, dtype=bool)
WORKING[[State.SUBSIDISED_JOB, State.AGENCY_JOB, State.REGULAR_JOB, State.OWN_BUSINESS]] = True

PRESENT = np.ones(N_STATES, dtype=bool)
PRESENT[[State.NOT_ARRIVED, State.MOVED_AWAY, State.LEFT]] = False

IN_PROGRAMME_ACTIVITY = np.zeros(N_STATES, dtype=bool)  # states the introduction allowance pays for
IN_PROGRAMME_ACTIVITY[[State.PLAN, State.PROGRAMME, State.INTERNSHIP, State.SUBSIDISED_JOB]] = True

# KORA's categories of weeks over the first three years (seed 004), plus 'left' so weeks add up.
KORA_CATEGORIES = ["passive", "guidance_upskilling", "internship_subsidy", "job", "education",
                   "no_support", "left"]
KORA_OF_STATE = np.full(N_STATES, 6, dtype=np.int8)
KORA_OF_STATE[State.PASSIVE] = 0
KORA_OF_STATE[[State.PLAN, State.PROGRAMME]] = 1
KORA_OF_STATE[[State.INTERNSHIP, State.SUBSIDISED_JOB]] = 2
KORA_OF_STATE[[State.AGENCY_JOB, State.REGULAR_JOB, State.OWN_BUSINESS]] = 3
KORA_OF_STATE[State.EDUCATION] = 4
KORA_OF_STATE[State.NO_SUPPORT] = 5

EDUCATION_NAMES = ["none", "compulsory", "upper_secondary", "tertiary"]
SEX_NAMES = ["male", "female"]

# The same codes as plain ints, for the kernels (tests/test_model.py checks they equal `State`).
NOT_ARRIVED, PLAN, PROGRAMME, INTERNSHIP, SUBSIDISED_JOB, AGENCY_JOB, REGULAR_JOB, OWN_BUSINESS, \
    EDUCATION, PASSIVE, NO_SUPPORT, MOVED_AWAY, LEFT = range(13)

JOB_STATES = np.zeros(N_STATES, dtype=bool)  # an ordinary job in KORA's sense
JOB_STATES[[State.AGENCY_JOB, State.REGULAR_JOB, State.OWN_BUSINESS]] = True

# Highest completed education (the profile's `education_shares`), ordered.
NO_SCHOOLING, COMPULSORY, UPPER_SECONDARY, TERTIARY = range(4)
EDUCATION_INDEX = {name: i for i, name in enumerate(EDUCATION_NAMES)}

# Validation of education (Välkommen till jobbet! prop. 8): a person's `validated`, and a
# municipality's `validation` lever.
NOT_VALIDATED, VALIDATION_OFFICE, UNIVERSITY_CERTIFICATION = range(3)
VALIDATION_INDEX = {"none": NOT_VALIDATED, "office": VALIDATION_OFFICE, "university": UNIVERSITY_CERTIFICATION}

# Contact routes into a job (channels). Order matters: a person with several accepted contacts in
# a week takes the first.
OWN, COACH, NETWORK, EXTRA_WORK_BRIDGE, AGENCY_BRIDGE, CONVERSION = range(6)
N_ROUTES = 6
# The routes as an array: ROUTES[CONVERSION] is the code as a number the kernels compute with (a
# bare constant would make numba compile a function taking it once per constant).
ROUTES = np.arange(N_ROUTES)
ROUTE_NAMES = ["own", "coach", "network", "extra_work", "agency_bridge", "internship"]

# Payments, per municipality and week. What the public sector spends on the introduction (COSTS);
# the rest are transfers from the state to the municipality, which pay for it.
PAYMENTS = ["introduction_allowance", "social_assistance", "wage_subsidy", "flat_rate_compensation",
            "stimulus_payment", "performance_bonus", "staff"]
INTRODUCTION_ALLOWANCE, SOCIAL_ASSISTANCE, WAGE_SUBSIDY, FLAT_RATE_COMPENSATION, STIMULUS_PAYMENT, \
    PERFORMANCE_BONUS, STAFF = range(7)
COSTS = ["introduction_allowance", "social_assistance", "wage_subsidy", "staff"]
STATE_PAYMENTS = ["flat_rate_compensation", "stimulus_payment", "performance_bonus"]

# National instruments counted at each hire (the recorder's `instruments`).
INSTRUMENTS = ["nystartsjobb", "nystartsjobb_deadweight", "instegsjobb", "instegsjobb_deadweight"]
NYSTARTSJOBB, NYSTARTSJOBB_DEADWEIGHT, INSTEGSJOBB, INSTEGSJOBB_DEADWEIGHT = range(4)

# Population groups of the panels: (municipality, sex, education at arrival), group =
# (municipality * 2 + female) * 4 + education.
GROUPS_PER_MUNICIPALITY = 2 * len(EDUCATION_NAMES)

# Panel channels: counts of people at a month mark, then one per state. Support is this week's
# payment to the person (`income.support`: introduction allowance or social assistance, > 0):
# - occupied_off_support: in work (any paid work, extra work included) or in regular education
#   (EDUCATION), and paid neither allowance nor social assistance this week (the municipal sense of
#   "egen försörjning": seed 000's Falkenberg, seed 001's "sysselsatta i arbete eller utbildning");
# - passive_support: paid allowance or social assistance this week, with neither work nor regular
#   education (on the allowance in SFI, guidance or an internship during the period; on social
#   assistance without activity after it, or before a first job);
# - on_support: paid allowance or social assistance this week (so that the two above, people
#   occupied but on support, on_support - passive_support, and people with neither work,
#   education nor support, observed - occupied_off_support - on_support, add up to observed).
CHANNELS = (["observed", "employed", "self_sufficient", "sfi_passed", "had_contact", "sfi_course",
             "occupied_off_support", "passive_support", "on_support"]
            + [f"state_{s}" for s in STATE_NAMES])
OBSERVED, EMPLOYED, SELF_SUFFICIENT, SFI_PASSED, HAD_CONTACT, SFI_COURSE, OCCUPIED_OFF_SUPPORT, PASSIVE_SUPPORT, \
    ON_SUPPORT, FIRST_STATE_CHANNEL = range(10)
PERMIT_CHANNELS = ["observed", "employed", "self_sufficient"]
