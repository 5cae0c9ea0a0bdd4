"""The states a refugee can be in (exactly one at a time) and how they map to the KORA categories.

The language course is a separate flag-like quantity (Swedish level and tuition hours), because a
person combines SFI with an internship or a job (seed 000: SFI mornings, internship afternoons).
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


class S:
    """The same codes as plain ints, for the weekly phases: attribute access on an IntEnum class
    costs a Python-level lookup on 3.11, and the phases read these codes thousands of times.
    (tests/test_model.py checks that every code equals its `State`.)"""

    NOT_ARRIVED = 0
    PLAN = 1
    PROGRAMME = 2
    INTERNSHIP = 3
    SUBSIDISED_JOB = 4
    AGENCY_JOB = 5
    REGULAR_JOB = 6
    OWN_BUSINESS = 7
    EDUCATION = 8
    PASSIVE = 9
    NO_SUPPORT = 10
    MOVED_AWAY = 11
    LEFT = 12

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
