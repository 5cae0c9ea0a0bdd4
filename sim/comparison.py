"""A comparison of scenarios as `run.py compare` reports it: the summary (each scenario's figures,
the paired differences from the first, what the ranges include) and the results folder with its
report. One module, so that the command line and the explorer show the same numbers from the
same code.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Callable


def clean_json(obj):
    """JSON has no NaN: write null instead."""
    if isinstance(obj, float) and math.isnan(obj):
        return None
    if isinstance(obj, dict):
        return {k: clean_json(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [clean_json(v) for v in obj]
    return obj


def uncertainty(scenarios, parameters: str, base_seed: int, replicates: int) -> dict:
    """What the ranges of a run hold: the parameter mode, the ensemble used (if any), the member
    each replicate ran with, and the sentence that says it."""
    from .ensemble import Members
    members = Members(parameters)
    ens = next((e for e in (members.ensemble(s) for s in scenarios) if e is not None), None)
    return {"parameters": parameters, "ensemble": None if ens is None else ens.path,
            "sets": None if ens is None else len(ens),
            "members": None if ens is None else [ens.member(base_seed, r) for r in range(replicates)],
            "text": members.describe(scenarios, replicates)}


def summary_of(names: list[str], scenarios: list, figures: list[list[dict]], parameters: str,
               base_seed: int) -> dict:
    """`summary.json` of a comparison: per scenario its figures over replicates, per other
    scenario its paired differences from the first, and what the ranges include."""
    from .results import differences
    from .runner import summarise
    replicates = len(figures[0]) if figures else 0
    summaries = [summarise(name, f, s.display_title, s.simulation.years)
                 for name, s, f in zip(names, scenarios, figures)]
    diffs = [{"scenario": name, "baseline": names[0], "differences": differences(figures[0], f)}
             for name, f in zip(names[1:], figures[1:])]
    return clean_json({"scenarios": summaries, "differences": diffs,
                       "uncertainty": uncertainty(scenarios, parameters, base_seed, replicates)})


def write_comparison(tmp: Path, names: list[str], loaded: list[tuple], runs: list[dict], summary: dict, *,
                     base_seed: int, started: dt.datetime, argv: list[str],
                     note: Callable[[str], None] = lambda _: None) -> Path:
    """Everything of a comparison into `tmp` (a staged folder): the resolved scenarios, where
    each value came from, the tables, summary.json, metadata.json, the plots and report.html.
    `loaded` holds (scenario, sources) per name; `runs` what `run_comparison` returned."""
    from .config.annotate import annotate
    from .output import write_metadata, write_scenario, write_summary, write_tables
    from .report import build_report
    from .runner import replicate_seed
    replicates = summary["scenarios"][0]["replicates"] if summary["scenarios"] else 0
    for name, (s, _) in zip(names, loaded):
        write_scenario(tmp, s, name)
    (tmp / "sources.json").write_text(json.dumps(
        {name: annotate(s, src) for name, (s, src) in zip(names, loaded)}, indent=1, default=str), encoding="utf-8")
    note("writing tables")
    write_tables(tmp, names, runs)
    write_summary(tmp, summary)
    write_metadata(tmp, seeds={"base_seed": base_seed,
                               "replicate_seeds": [replicate_seed(base_seed, r) for r in range(replicates)],
                               "parameter_sets": summary["uncertainty"]["members"]},
                   started=started, finished=dt.datetime.now().astimezone(), argv=argv,
                   scenarios=names, replicates=replicates)
    note("drawing plots and writing the report")
    return build_report(tmp)
