"""Predictions for the optimised rule, as GeoMatch makes them: outcomes of people already settled
(here the national world under the Settlement Act, each replicate with its own draw from the
posterior ensemble, so the predictions carry the calibration's uncertainty) fitted by a pooled
logit (`prediction.fit`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from ..config import load_scenario
from ..runner import run_figures_of
from .figures import total
from .place import scenario_places
from .prediction import Predictions, fit


def features(places) -> np.ndarray:
    """What the predictions may use of a municipality beside its own effect: its register
    unemployment and (log) population, as a register-based predictor would."""
    return np.column_stack([[p.unemployment_2022 for p in places],
                            np.log([p.population_2005 for p in places])])


def predictions_from_runs(scenario, runs: list[dict], horizon: int) -> Predictions:
    places = scenario_places(scenario)
    obs = total(runs, f"observed_{horizon}")
    got = total(runs, f"first_job_{horizon}")
    prob = fit(obs, got, features(places))
    about = (f"{scenario.name} under the Settlement Act, {len(runs)} replicates each with its own posterior draw, "
             f"{int(obs.sum()):,} people observed {horizon} months")
    return Predictions(horizon, tuple(p.code for p in places), prob, about)


def predict_world(world: Path, replicates: int, horizon: int, workers: int,
                  progress: Callable[[int, int], None] | None = None) -> Predictions:
    scenario = load_scenario(world, [("placement.rule", "settlement_act")])
    done = [0]

    def step(k: int) -> None:
        done[0] += k
        if progress:
            progress(done[0], replicates)

    runs = run_figures_of([scenario], replicates, scenario.simulation.seed + 1, workers=workers, progress=step,
                          seeds_per_member=1)[0]
    return predictions_from_runs(scenario, runs, horizon)
