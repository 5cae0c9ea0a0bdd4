"""A comparison of scenarios as `run.py compare` reports it: the summary (each scenario's figures,
the paired differences from the first, what the ranges include) and the results folder with its
report. One module, so that the command line and the explorer show the same numbers from the
same code.

Each difference has two ranges (`sim.ranges`): the expected effect (parameter uncertainty, at a
large population) under `expected_effect`, and what one municipality of the simulated size may see
(adding the chance of one cohort) under `one_municipality`, whose mean, lo and hi are also the
difference's own keys, as before there were two.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Callable

from .ranges import SEEDS_PER_MEMBER


def clean_json(obj):
    """JSON has no NaN: write null instead."""
    if isinstance(obj, float) and math.isnan(obj):
        return None
    if isinstance(obj, dict):
        return {k: clean_json(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [clean_json(v) for v in obj]
    return obj


def uncertainty(scenarios, parameters: str, base_seed: int, replicates: int,
                seeds_per_member: int = SEEDS_PER_MEMBER) -> dict:
    """What the ranges of a run hold: the parameter mode, the ensemble used (if any), the member
    each replicate ran with (replicate r: the draw for (base seed, r // seeds_per_member)), the
    sentence that says it, and the two ranges of a difference in words (`ranges`)."""
    from .ensemble import Members
    from .ranges import design_text, draws
    members = Members(parameters, seeds_per_member)
    ens = next((e for e in (members.ensemble(s) for s in scenarios) if e is not None), None)
    return {"parameters": parameters, "ensemble": None if ens is None else ens.path,
            "sets": None if ens is None else len(ens),
            "members": None if ens is None else [members.member(ens, base_seed, r) for r in range(replicates)],
            "seeds_per_member": members.seeds_per_member,
            "parameter_draws": None if ens is None else draws(replicates, members.seeds_per_member),
            "text": members.describe(scenarios, replicates),
            "ranges": design_text(replicates, members.seeds_per_member, ens is not None)}


def summary_of(names: list[str], scenarios: list, figures: list[list[dict]], parameters: str,
               base_seed: int, seeds_per_member: int = SEEDS_PER_MEMBER) -> dict:
    """`summary.json` of a comparison: per scenario its figures over replicates, per other
    scenario its paired differences from the first (each with its two ranges), and what the
    ranges include. `seeds_per_member` is the K the runs were made with (`sim.ranges`)."""
    from .results import differences
    from .runner import summarise
    replicates = len(figures[0]) if figures else 0
    about = uncertainty(scenarios, parameters, base_seed, replicates, seeds_per_member)
    summaries = [summarise(name, f, s.display_title, s.simulation.years)
                 for name, s, f in zip(names, scenarios, figures)]
    for summary, s in zip(summaries, scenarios):  # municipalities' names for people (groups.py)
        summary["municipality_labels"] = {k: m.label or k for k, m in s.municipalities.items()}
    if all(sc.placement is not None for sc in scenarios) and figures and figures[0]:
        from .placement.figures import placement_summaries
        for summary, block in zip(summaries, placement_summaries(scenarios, figures)):
            summary["placement"] = block
    diffs = [{"scenario": name, "baseline": names[0],
              "differences": differences(figures[0], f, seeds_per_member, about["ensemble"] is not None)}
             for name, f in zip(names[1:], figures[1:])]
    return clean_json({"scenarios": summaries, "differences": diffs, "uncertainty": about})


def write_comparison(tmp: Path, names: list[str], loaded: list[tuple], runs: list[dict], summary: dict, *,
                     base_seed: int, started: dt.datetime, argv: list[str],
                     note: Callable[[str], None] = lambda _: None) -> Path:
    """Everything of a comparison into `tmp` (a staged folder): the resolved scenarios, where
    each value came from, the tables, summary.json, metadata.json, the plots and report.html.
    `loaded` holds (scenario, sources) per name; `runs` what `run_comparison` returned."""
    from .config.annotate import annotate
    from .output import write_metadata, write_placement_table, write_scenario, write_summary, write_tables
    from .report import build_report
    from .runner import replicate_seed
    replicates = summary["scenarios"][0]["replicates"] if summary["scenarios"] else 0
    for name, (s, _) in zip(names, loaded):
        write_scenario(tmp, s, name)
    def annotated(s, src) -> list:
        # A national world's generated municipalities, employers and agencies are in its scenario file.
        return annotate(s, src, skip=("municipalities", "employers", "staffing_agencies") if s.placement else ())
    (tmp / "sources.json").write_text(json.dumps(
        {name: annotated(s, src) for name, (s, src) in zip(names, loaded)}, indent=1, default=str), encoding="utf-8")
    note("writing tables")
    write_tables(tmp, names, runs)
    write_summary(tmp, summary)
    write_placement_table(tmp, summary)
    write_metadata(tmp, seeds={"base_seed": base_seed,
                               "replicate_seeds": [replicate_seed(base_seed, r) for r in range(replicates)],
                               "parameter_sets": summary["uncertainty"]["members"],
                               "seeds_per_member": summary["uncertainty"].get("seeds_per_member", 1)},
                   started=started, finished=dt.datetime.now().astimezone(), argv=argv,
                   scenarios=names, replicates=replicates)
    note("drawing plots and writing the report")
    return build_report(tmp)
