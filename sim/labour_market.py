"""Each municipality's labour market, year by year: unemployment, labour force and a vacancy index.

The scenario gives levels (sourced from the registers through `register_code`, or set), paths by
calendar year, and a national business cycle (Sweden's unemployment series, a vacancy index, a
stylised recession). The model reads one row per simulated year: arrival cohorts meet the
conditions of their own years, and everyone meets the conditions of the current year (the
studies of quasi-random settlement find both matter: docs/EFFECTS.md, "The local labour market").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .config.schema import BusinessCycle, LabourMarket, Recession, Scenario
from .tables import MAX_YEARS  # a run's longest (Simulation.years)

# A municipality with neither a rate nor a register code: about Sweden's rate of the mid-2000s
# (SCB AKU 6-8 %). Assumption.
DEFAULT_UNEMPLOYMENT = 0.06


def carried(by_year: Mapping[int, float], year: int, default: float) -> float:
    """The value listed for `year`, else the last listed before it, else the first listed."""
    if not by_year:
        return default
    before = [y for y in by_year if y <= year]
    return float(by_year[max(before)] if before else by_year[min(by_year)])


def recession_depth(r: Recession | None, year: int) -> float:
    """0 outside the downturn, rising linearly to 1 at the trough (after `onset_years`), then back
    to 0 over `recovery_years`."""
    if r is None or year < r.start_year:
        return 0.0
    j = year - r.start_year + 1
    if j <= r.onset_years:
        return j / r.onset_years
    return max(0.0, 1.0 - (j - r.onset_years) / (r.recovery_years + 1))


def unemployment(lm: LabourMarket, cycle: BusinessCycle, start_year: int, year: int) -> float:
    """The rate in calendar year `year`: an explicit path wins; else the register's relative rate
    times the national rate; else the set rate (following the national rate if the cycle says so);
    plus a recession's rise and the scenario's shift."""
    national = cycle.national_unemployment_by_year
    level = DEFAULT_UNEMPLOYMENT if lm.unemployment is None else lm.unemployment
    if lm.unemployment_by_year:
        u = carried(lm.unemployment_by_year, year, level)
    elif lm.relative_unemployment is not None and lm.unemployment is None:
        u = lm.relative_unemployment * carried(national, year, 0.0)
    elif cycle.scale_local_rates:
        u = level * carried(national, year, 0.0) / max(carried(national, start_year, 0.0), 1e-9)
    else:
        u = level
    if cycle.recession is not None:
        u += cycle.recession.unemployment_rise * recession_depth(cycle.recession, year)
    return float(min(max(u + lm.unemployment_shift, 0.0), 0.95))


def vacancy_index(lm: LabourMarket, cycle: BusinessCycle, year: int) -> float:
    fall = cycle.recession.vacancy_fall * recession_depth(cycle.recession, year) if cycle.recession else 0.0
    return (lm.vacancy_scale * carried(lm.vacancy_index_by_year, year, 1.0)
            * carried(cycle.vacancy_index_by_year, year, 1.0) * (1.0 - fall))


@dataclass(frozen=True)
class Paths:
    """[municipality, simulated year] arrays (year 0 = the start date's calendar year)."""

    unemployment: np.ndarray
    labour_force: np.ndarray
    vacancy_index: np.ndarray

    def other_job_seekers(self) -> np.ndarray:
        return self.labour_force * self.unemployment


def paths(scenario: Scenario) -> Paths:
    start = scenario.simulation.start_date.year
    cycle = scenario.business_cycle
    ms = list(scenario.municipalities.values())
    years = [start + i for i in range(MAX_YEARS)]
    u = np.array([[unemployment(m.labour_market, cycle, start, y) for y in years] for m in ms], np.float64)
    lf = np.array([[carried(m.labour_market.labour_force_by_year, y, m.labour_market.labour_force) for y in years]
                   for m in ms], np.float64)
    vi = np.array([[vacancy_index(m.labour_market, cycle, y) for y in years] for m in ms], np.float64)
    return Paths(u, lf, vi)
