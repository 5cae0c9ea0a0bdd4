"""Who arrives when: arrival blocks per municipality and year, and each municipality's refugee
profile. Pure functions of a validated scenario (used by the loader's checks and the population)."""

from __future__ import annotations

from .base import deep_merge, per_year_counts
from .schema import RefugeeProfile, Scenario


def arrivals_by_year(scenario: Scenario) -> list[tuple[int, int, int]]:
    """(municipality index, first week, count) blocks; a cohort is one block of one week."""
    blocks = []
    if scenario.placement is not None:  # the whole country's arrivals, placed at construction
        national = scenario.placement.per_year(scenario.simulation.years)
        return [(0, 52 * y, n) for y, n in enumerate(national) if n > 0]
    for m, muni in enumerate(scenario.municipalities.values()):
        a = muni.arrivals
        assert a is not None  # the loader requires arrivals where there is no placement
        if a.cohort is not None:
            if a.cohort > 0 and a.cohort_week < scenario.weeks:
                blocks.append((m, a.cohort_week, a.cohort))
            continue
        assert a.per_year is not None  # the schema gives exactly one of per_year and cohort
        for y, n in enumerate(per_year_counts(a.per_year, scenario.simulation.years)):
            if n > 0:
                blocks.append((m, 52 * y, n))
    return blocks


def expected_arrivals(scenario: Scenario) -> int:
    return sum(n for _, _, n in arrivals_by_year(scenario))


def municipality_profile(scenario: Scenario, name: str) -> RefugeeProfile:
    muni = scenario.municipalities[name]
    if not muni.profile:
        return scenario.refugee_profile
    return RefugeeProfile.model_validate(deep_merge(scenario.refugee_profile.model_dump(), muni.profile))
