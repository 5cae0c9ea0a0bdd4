"""The `placement:` block: who is settled where, by a national rule, instead of arrivals per
municipality. Sources of each rule: docs/PLACEMENT.md; the rules themselves are in sim/placement/."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from .base import Section, per_year_counts

# Arrivals a year in a national world: about 25,000 refugees a year in the mid-2000s, 15,200 by
# the county numbers of 2018, some 160,000 asylum seekers in 2015 (MAX_ARRIVALS in the schema).
MAX_NATIONAL_ARRIVALS = 200_000
RULES = ("settlement_act", "self_arranged", "danish_quota", "optimised")
# The weights the government gave the county numbers (länstal) for 2019: labour market and
# establishment conditions 43 %, population 37 %, earlier reception of newly arrived and
# unaccompanied minors 20 % (government decision on the 2019 county numbers).
GOVERNMENT_WEIGHTS_2019 = {"labour_market": 0.43, "population": 0.37, "earlier_reception": 0.20}


class SettlementAct(Section):
    """Bosättningslagen (lag 2016:38) and förordning 2016:40: county numbers (länstal), then
    municipal numbers (kommuntal), and the Migration Agency assigns each person a municipality."""

    county_numbers: Literal["published", "computed"] = Field(
        "published", description="published: the year's county numbers as the government set them (2017-2020, "
                                 "2022, 2026), and for 2018 the county boards' municipal numbers; computed: "
                                 "both from `weights` and the municipalities' data.")
    year: int | None = Field(
        None, ge=2017, le=2026, description="Year of the published numbers (default: the simulation's start year).")
    weights: dict[str, float] = Field(
        dict(GOVERNMENT_WEIGHTS_2019),
        description="Weights of the computed numbers: labour_market, population, earlier_reception; they "
                    "add up to 1 (the government's 2019 weights by default).")

    @field_validator("weights")
    @classmethod
    def _three_weights(cls, v: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(v) - set(GOVERNMENT_WEIGHTS_2019))
        if unknown:
            raise ValueError(f"unknown weight '{unknown[0]}'; expected labour_market, population and earlier_reception")
        missing = sorted(set(GOVERNMENT_WEIGHTS_2019) - set(v))
        if missing:
            raise ValueError(f"weight '{missing[0]}' missing; give labour_market, population and earlier_reception")
        if any(w < 0 for w in v.values()):
            raise ValueError("weights cannot be negative")
        total = sum(v.values())
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"the weights must add up to 1, they add up to {total:g}")
        return v


class SelfArranged(Section):
    """Self-arranged housing (eget boende, EBO): people who find their own housing settle where they
    choose, mostly in large municipalities and near people of their own origin (seed 001)."""

    destinations: Literal["observed_2018", "population"] = Field(
        "observed_2018",
        description="observed_2018: in proportion to those each municipality received in 2018 other than by "
                    "assignment (Migrationsverket: kommunmottagna minus anvisade; EBO, relatives and "
                    "others), which holds the pull of large municipalities and of co-nationals; population: "
                    "in proportion to population.")
    crowding: float = Field(
        0.0, ge=0, le=10,
        description="How much a municipality's pull falls as its self-arranged arrivals this year exceed "
                    "its expected share (1 / (1 + crowding x excess)). Assumption; 0 = no crowding.")


class Fairness(Section):
    """Constraints on the optimised assignment (critics of outcome-based matching: imbalanced
    flows, poor prospects sent to poor regions)."""

    group_floor: float = Field(
        0.0, ge=0, le=2,
        description="Each sex x education group's expected outcome must be at least this share of what the "
                    "Settlement Act's numbers would give it (1 = no group expected worse off; 0 = off).")
    low_prospect_quantile: float = Field(
        0.25, gt=0, lt=1, description="Arrivals whose predicted outcome (national mean) is in this lowest "
                                      "share are 'low-prospect'.")
    low_prospect_ceiling: float = Field(
        1.0, gt=0, le=1,
        description="The largest share of low-prospect arrivals among any municipality's arrivals (1 = off).")

    @model_validator(mode="after")
    def _ceiling_reachable(self):
        if self.low_prospect_ceiling < self.low_prospect_quantile:
            raise ValueError(
                f"low_prospect_ceiling {self.low_prospect_ceiling:g} is below low_prospect_quantile "
                f"{self.low_prospect_quantile:g}: some municipality must take at least the national share of "
                "low-prospect arrivals; raise the ceiling to at least the quantile")
        return self


class Optimised(Section):
    """An outcome-optimised assignment in the manner of GeoMatch (Bansak et al., Science 2018): each
    arrival's predicted outcome in each municipality, then the assignment that maximises the total
    under the municipalities' capacities."""

    predictions: str = Field(
        "placement/predictions_sweden_2018.json",
        description="The predicted outcome of each profile in each municipality (under calibration/; "
                    "`run.py national --predict` writes it from the model's own posterior ensemble).")
    share: float = Field(1.0, ge=0, le=1, description="Share of the assigned arrivals the optimiser places; the "
                                                      "rest by the Settlement Act's numbers.")
    capacity_slack: float = Field(
        0.0, ge=0, le=5,
        description="Capacity of each municipality = its Settlement Act number x (1 + slack): 0 moves only who "
                    "goes where, more lets the optimiser concentrate arrivals.")
    batches: Literal["year", "month"] = Field(
        "year", description="year: each year's arrivals assigned together (known in advance); month: each "
                            "month's as they come, without knowledge of later arrivals.")
    fairness: Fairness = Fairness()
    # The predictions file's contents (sim.placement.prediction.Predictions), read by the loader.
    predicted: Any = Field(None, exclude=True)


class Placement(Section):
    """Arrivals to the whole country, placed by a rule (instead of `arrivals` per municipality)."""

    rule: Literal["settlement_act", "self_arranged", "danish_quota", "optimised"] = Field(
        description="settlement_act (Sweden, lag 2016:38), self_arranged (everyone finds their own housing, "
                    "EBO), danish_quota (Denmark, bekendtgørelse 550/2022 §4) or optimised (GeoMatch-like).")
    arrivals_per_year: float | list[float] = Field(
        description="Adult refugees arriving in the country each year (a list: one number per year).")
    self_arranged_share: float = Field(
        0.0, ge=0, le=1,
        description="Share of arrivals who arrange their own housing (EBO) whatever the rule; about 0.7 in "
                    "2016-2020 (RiR 2021:29: about 30 % received by assignment).")
    settlement_act: SettlementAct = SettlementAct()
    self_arranged: SelfArranged = SelfArranged()
    optimised: Optimised = Optimised()
    onward_within_share: float = Field(
        0.0, ge=0, le=1,
        description="Share of those who move on (behaviour.mobility.onward_move_per_week) who move to another "
                    "modelled municipality, chosen as self-arranged housing is, instead of leaving the world "
                    "(secondary migration towards the cities, seed 001). Assumption; 0 = everyone leaves.")

    @field_validator("arrivals_per_year")
    @classmethod
    def _arrivals(cls, v):
        values = v if isinstance(v, list) else [v]
        if not values:
            raise ValueError("give at least one year's arrivals")
        if any(not 0 <= x <= MAX_NATIONAL_ARRIVALS for x in values):
            raise ValueError(f"arrivals must each be between 0 and {MAX_NATIONAL_ARRIVALS:,}")
        return v

    def per_year(self, years: int) -> list[int]:
        return per_year_counts(self.arrivals_per_year, years)
