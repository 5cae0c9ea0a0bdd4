"""The week's shared quantities, passed explicitly from phase to phase.

A phase reads what earlier phases of the same week decided (who is inside the introduction period,
who was sanctioned, each household's need) from this object rather than from model attributes, so
that what flows between phases is written down in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Week:
    """One week's shared quantities for the first `n` (arrived) people."""

    t: int
    n: int
    # Set after arrivals and transfers (people, their municipality and the period are then fixed):
    period: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    """inside the municipality's introduction period"""
    availability: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))
    """effort a person can give (lowered for the primary carer of a young child)"""
    # Set by the programme phase, read by income:
    sanctioned: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    """a waiting-day sanction (karens) this week"""
    # Set by income, read by the end of the programme:
    household_need: np.ndarray = field(default_factory=lambda: np.zeros(0))
    """living costs not covered by the household's earnings (SEK)"""
    support_paid: np.ndarray = field(default_factory=lambda: np.zeros(0))
    """allowance and assistance paid to each person this week (SEK)"""
