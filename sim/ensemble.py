"""A posterior ensemble: weighted sets of behavioural parameters, and which set each replicate uses.

A Bayesian calibration (`run.py calibrate` with `method: history_matching`) leaves a few hundred
parameter sets drawn from the posterior, in a CSV file that the fitted-parameters file names
(`calibration: {ensemble: shipped.ensemble.csv}`). When a scenario rests on such a file, replicate r
of a sweep or a check runs with member k_r of the ensemble, drawn by weight from (base seed, r)
alone; a run, a comparison and the explorer group their replicates by K (`--seeds-per-member`,
`sim.ranges`): replicate r runs the member drawn for (base seed, r // K), so K consecutive
replicates share a parameter set, each with its own seed. Every scenario of a comparison runs
replicate r with the same parameter set and the same random numbers (paired), so a difference's
range over replicates holds both what we do not know about the parameters and the chance of a
single run, and the spread within the groups separates the two (`sim.ranges`). `--parameters point` runs every
replicate at the fitted file's own values (the point estimate), as before ensembles existed: faster
to read, but its ranges are replicate noise alone.

A member's values replace the fitted file's values only where the scenario still has them: a value
a scenario sets itself (`behaviour:` in the scenario, `--set`, a sweep axis) is a deliberate choice
and is kept.
"""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .config.errors import ScenarioError
from .worlds import behaviour_value

if TYPE_CHECKING:
    from .config import Scenario

PARAMETER_MODES = ("ensemble", "point")
MEMBER_STREAM = 0x454E53  # a third SeedSequence word, so member draws never reuse a run's own stream


@dataclass(frozen=True)
class Ensemble:
    path: str
    names: tuple[str, ...]     # parameter paths, "behaviour.hiring.intercept"
    values: np.ndarray         # (members, parameters)
    weights: np.ndarray        # (members,), summing to 1
    header: tuple[str, ...]    # the file's comment lines: what produced it

    def __len__(self) -> int:
        return len(self.weights)

    def member(self, base_seed: int, replicate: int) -> int:
        """The member replicate r uses: a draw by weight from (base seed, r) alone, so it is the
        same for every scenario of a comparison, in any process, whatever the number of replicates."""
        u = np.random.SeedSequence([int(base_seed), int(replicate), MEMBER_STREAM]).generate_state(2, np.uint32)
        x = (int(u[0]) * 2**32 + int(u[1])) / 2**64
        k = int(np.searchsorted(np.cumsum(self.weights), x, side="right"))
        return min(k, len(self.weights) - 1)

    def values_of(self, k: int) -> dict[str, float]:
        return {n: float(v) for n, v in zip(self.names, self.values[k])}


def write_ensemble(path: Path, names: list[str], values: np.ndarray, weights: np.ndarray,
                   header: list[str]) -> str:
    """The file's text (the caller writes it atomically): '#' lines saying what produced it, then
    `weight` and one column per parameter, a row per member."""
    buf = io.StringIO()
    for line in header:
        buf.write(f"# {line}\n")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["weight", *names])
    total = float(np.sum(weights))
    for wt, row in zip(weights, values):
        w.writerow([f"{wt / total:.6g}", *[f"{v:.6g}" for v in row]])
    return buf.getvalue()


@functools.lru_cache(maxsize=16)
def read_ensemble(path: str) -> Ensemble:
    """Read and check an ensemble file; a problem names the file, the line and the column."""
    p = Path(path)
    if not p.is_file():
        raise ScenarioError.single(path, None, "ensemble", "ensemble file not found")
    header: list[str] = []
    rows: list[tuple[int, list[str]]] = []
    names: list[str] | None = None
    for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("#"):
            header.append(line[1:].strip())
        elif line.strip():
            cells = next(csv.reader([line]))
            if names is None:
                names = cells
                if not names or names[0] != "weight" or not all(n.startswith("behaviour.") for n in names[1:]):
                    raise ScenarioError.single(path, i, "header", "expected 'weight' then behavioural parameter "
                                                                  "paths (behaviour.section.name)")
            else:
                rows.append((i, cells))
    if names is None or not rows:
        raise ScenarioError.single(path, None, "", "an ensemble file needs a header row and at least one member")
    data = np.empty((len(rows), len(names)))
    for r, (i, cells) in enumerate(rows):
        if len(cells) != len(names):
            raise ScenarioError.single(path, i, "", f"expected {len(names)} values, found {len(cells)}")
        for c, cell in enumerate(cells):
            try:
                data[r, c] = float(cell)
            except ValueError:
                raise ScenarioError.single(path, i, names[c], f"expected a number, found {cell!r}") from None
    w = data[:, 0]
    if not np.all(np.isfinite(data)) or np.any(w < 0) or w.sum() <= 0:
        raise ScenarioError.single(path, None, "weight", "weights must be finite, at least 0 and not all 0; "
                                                         "values finite")
    return Ensemble(str(p), tuple(names[1:]), data[:, 1:], w / w.sum(), tuple(header))


def ensemble_path_of(fitted_file: Path) -> Path | None:
    """The ensemble a fitted-parameters file names (relative to it), or None."""
    from .config.loader import load_yaml_with_lines
    data, lines = load_yaml_with_lines(fitted_file)
    name = (data.get("calibration") or {}).get("ensemble") if isinstance(data, dict) else None
    if name is None:
        return None
    p = fitted_file.parent / str(name)
    if not p.is_file():
        raise ScenarioError.single(str(fitted_file), lines.get(("calibration", "ensemble"), (None, None))[1],
                                   "calibration.ensemble", f"ensemble file '{name}' not found beside it")
    return p


@functools.lru_cache(maxsize=16)
def _ensemble_for_parameters(name: str) -> Ensemble | None:
    from .config.loader import resolve_parameters_path
    fitted = resolve_parameters_path(name)
    if not fitted.is_file():
        return None
    path = ensemble_path_of(fitted)
    return None if path is None else read_ensemble(str(path))


@functools.lru_cache(maxsize=16)
def _fitted_point(name: str) -> dict[str, Any]:
    """The fitted file's own behavioural values, by path."""
    from .config.annotate import flatten
    from .config.loader import load_yaml_with_lines, resolve_parameters_path
    data, _ = load_yaml_with_lines(resolve_parameters_path(name))
    return {".".join(path): v for path, v in flatten(data.get("behaviour", {}), ("behaviour",)).items()}


def ensemble_of(scenario: "Scenario") -> Ensemble | None:
    """The ensemble behind the scenario's `parameters:` file, if that file names one."""
    return None if scenario.parameters is None else _ensemble_for_parameters(scenario.parameters)


def with_values(scenario: "Scenario", values: dict[str, float]) -> "Scenario":
    """The scenario with these behavioural values (paths behaviour.section.name), unvalidated: the
    values come from a checked ensemble within the calibration's bounds."""
    sections: dict[str, dict[str, float]] = {}
    for path, v in values.items():
        section, name = path.split(".")[1:]
        sections.setdefault(section, {})[name] = v
    behaviour = scenario.behaviour.model_copy(update={
        s: getattr(scenario.behaviour, s).model_copy(update=vals) for s, vals in sections.items()})
    return scenario.model_copy(update={"behaviour": behaviour})


class Members:
    """Which parameter set each replicate of a scenario runs with."""

    def __init__(self, mode: str = "ensemble", seeds_per_member: int = 1):
        if mode not in PARAMETER_MODES:
            raise ValueError(f"parameters: expected one of {', '.join(PARAMETER_MODES)}, not {mode!r}")
        if int(seeds_per_member) < 1:
            raise ValueError(f"seeds_per_member: expected 1 or more, not {seeds_per_member!r}")
        self.mode = mode
        self.seeds_per_member = int(seeds_per_member)  # K: replicate r uses the draw for (base seed, r // K)
        self._bound: tuple[Ensemble | None, dict[str, Any]] | None = None

    def bound_to(self, scenario: "Scenario") -> "Members":
        """These members with the scenario's ensemble and fitted values read now, here: for workers
        (a remote Dask worker) that have the scenarios but not the files."""
        out = Members(self.mode, self.seeds_per_member)
        ens = self.ensemble(scenario)
        out._bound = (ens, {} if ens is None or scenario.parameters is None else _fitted_point(scenario.parameters))
        return out

    def ensemble(self, scenario: "Scenario") -> Ensemble | None:
        if self._bound is not None:
            return self._bound[0]
        return None if self.mode == "point" else ensemble_of(scenario)

    def member(self, ens: Ensemble, base_seed: int, replicate: int) -> int:
        """The member replicate r runs: the ensemble's draw for (base seed, r // K)."""
        return ens.member(base_seed, int(replicate) // self.seeds_per_member)

    def scenario(self, scenario: "Scenario", base_seed: int, replicate: int) -> "Scenario":
        """The scenario replicate r runs: with member k_r's values where the scenario still has the
        fitted file's own (see the module's docstring), else unchanged."""
        ens = self.ensemble(scenario)
        if ens is None:
            return scenario
        if self._bound is not None:
            fitted = self._bound[1]
        else:
            assert scenario.parameters is not None
            fitted = _fitted_point(scenario.parameters)
        k = self.member(ens, base_seed, replicate)
        values = {n: v for n, v in ens.values_of(k).items()
                  if n in fitted and behaviour_value(scenario.behaviour, n.removeprefix("behaviour.")) == fitted[n]}
        return with_values(scenario, values) if values else scenario

    def describe(self, scenarios: list["Scenario"], replicates: int) -> str:
        """What a range printed for these scenarios includes, in plain words."""
        ens = [e for e in (self.ensemble(s) for s in scenarios) if e is not None]
        if not ens:
            why = ("--parameters point" if self.mode == "point"
                   else "the scenarios' parameters have no posterior ensemble")
            return (f"Ranges are the 5th to 95th percentiles over {replicates} replicates at one set of behavioural "
                    f"parameters ({why}): they show the chance of a single run only, not what we do not know "
                    "about the parameters.")
        e = ens[0]
        from .ranges import draws_words
        k = self.seeds_per_member
        each, draws = ("its own set", "") if k == 1 else ("a set", f"; {draws_words(replicates, k)}")
        text = (f"Ranges are the 5th to 95th percentiles over {replicates} replicates, each with {each} of "
                f"behavioural parameters drawn from the calibration's posterior ({len(e)} sets in "
                f"{Path(e.path).name}{draws}), the same set and the same random numbers for every scenario: they include "
                "what the calibration leaves uncertain about the parameters as well as the chance of a single "
                "run. They do not include doubts about the model's structure.")
        without = [s.name for s in scenarios if self.ensemble(s) is None]
        if without:
            text += (f" {', '.join(without)} rest{'s' if len(without) == 1 else ''} on no such calibration and "
                     "run one set of parameters in every replicate: differences from it mix the two.")
        return text
