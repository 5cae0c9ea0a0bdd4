"""Sweden's municipalities and national unemployment, read from the project's data folder.

The configuration reads them once, so that a scenario can name a municipality by its SCB code and
get its labour market from sourced figures (data/SOURCES.md); the model only ever sees the numbers.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass

from .paths import shipped

# Sweden's labour force 15-74 was about 4.8 million of 9.1 million inhabitants in 2006 (SCB AKU):
# a labour force of 0.53 per inhabitant, assumed the same in every municipality (data/SOURCES.md).
LABOUR_FORCE_PER_INHABITANT = 0.53
NATIONAL = "national"  # the register code of the typical (national-average) municipality


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    county: str
    population_2005: int
    population_2021: int
    unemployment_2022: float  # SCB BAS 2022, register unemployment 16-64, a share
    county_code: str = ""
    lat: float = 0.0
    lon: float = 0.0
    # Migrationsverket 2018: the municipal number under the Settlement Act (kommuntal; 0 where the
    # table has no row), those received on assignment (anvisade), everyone received who gives the
    # municipality state compensation (kommunmottagna: assigned, self-arranged housing (EBO),
    # quota refugees, relatives), and quota refugees.
    kommuntal_2018: int = 0
    assigned_2018: int = 0
    received_2018: int = 0
    quota_refugees_2018: int = 0

    @property
    def received_not_assigned_2018(self) -> int:
        """Received in 2018 other than by assignment: self-arranged housing (EBO), relatives and
        others (kommunmottagna minus anvisade; the few negative differences read as 0)."""
        return max(self.received_2018 - self.assigned_2018, 0)


@dataclass(frozen=True)
class County:
    code: str
    name: str
    # County numbers (länstal) by year, as published (data/SOURCES.md); the revised 2017 numbers.
    numbers: dict[int, int]


@functools.cache
def municipalities() -> dict[str, Place]:
    with open(shipped("data") / "municipalities.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))

    def count(text: str) -> int:
        return int(text) if text.strip() else 0

    return {r["municipality_code"]: Place(r["municipality_code"], r["municipality_name"], r["county_name"],
                                          int(r["population_2005"]), int(r["population_2021"]),
                                          float(r["unemployment_rate_16_64_2022_pct"]) / 100.0,
                                          r["county_code"], float(r["centroid_lat"]), float(r["centroid_lon"]),
                                          count(r["kommuntal_2018"]), count(r["anvisade_mottagna_2018"]),
                                          count(r["kommunmottagna_total_2018"]),
                                          count(r["kommunmottagna_kvotflykting_2018"]))
            for r in rows}


# The columns of data/counties.csv that hold a year's published county numbers (länstal); 2017's
# revised numbers (SFS 2017:27) are the ones that applied.
COUNTY_NUMBER_COLUMNS = {2017: "lanstal_2017_revised_SFS2017_27", 2018: "lanstal_2018_migrationsverket_stat",
                         2019: "lanstal_2019_SFS2018_1592", 2020: "lanstal_2020_SFS2019_599",
                         2022: "lanstal_2022_SFS2021_870", 2026: "lanstal_2026_SFS2025_894"}


@functools.cache
def counties() -> dict[str, County]:
    """Sweden's 21 counties with their published county numbers (länstal) by year."""
    with open(shipped("data") / "counties.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return {r["county_code"]: County(r["county_code"], r["county_name"],
                                     {y: int(r[c]) for y, c in COUNTY_NUMBER_COLUMNS.items() if r.get(c, "").strip()})
            for r in rows}


@functools.cache
def national_register_unemployment() -> float:
    """BAS 2022 for the nation: the municipal rates weighted by population (4.72 %)."""
    places = municipalities().values()
    return sum(p.population_2021 * p.unemployment_2022 for p in places) / sum(p.population_2021 for p in places)


@functools.cache
def mean_population_2005() -> float:
    places = municipalities().values()
    return sum(p.population_2005 for p in places) / len(places)


@functools.cache
def national_unemployment() -> dict[int, float]:
    """Sweden's unemployment 15-74 by calendar year (SCB AKU; data/national_unemployment.csv), shares."""
    with open(shipped("data") / "national_unemployment.csv", encoding="utf-8", newline="") as f:
        return {int(r["year"]): float(r["unemployment_15_74_pct"]) / 100.0 for r in csv.DictReader(f)}


def register_labour_market(code: str) -> tuple[int, float, str]:
    """(labour force, unemployment relative to the nation's, name) of a municipality by SCB code,
    or of the typical municipality (`national`: the mean size, 31,200 inhabitants in 2005, and the
    national rate)."""
    if code == NATIONAL:
        return round(mean_population_2005() * LABOUR_FORCE_PER_INHABITANT), 1.0, "Sweden (average municipality)"
    place = municipalities()[code]
    return (round(place.population_2005 * LABOUR_FORCE_PER_INHABITANT),
            place.unemployment_2022 / national_register_unemployment(), place.name)
