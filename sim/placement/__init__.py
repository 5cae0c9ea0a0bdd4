"""Placement: where each arriving refugee is settled, by the rules Sweden and Denmark use and by an
outcome-optimised assignment (docs/PLACEMENT.md).

`numbers` gives each rule's share of arrivals per municipality, `assignment` solves the optimised
assignment under capacities, `prediction` holds the predicted outcomes it maximises, and `place`
applies a scenario's rule to the households drawn at construction.
"""
