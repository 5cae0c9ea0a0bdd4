"""The command line's arguments: every subcommand, its options and how each value is checked
(a bad value is one line on stderr and exit code 2, as argparse's own errors are)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from . import cli_calibration, cli_placement

EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse's usage error: one line, exit 2
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}\n")


def _int_at_least(low: int):
    def parse(text: str) -> int:
        try:
            v = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, found '{text}'") from None
        if v < low:
            raise argparse.ArgumentTypeError(f"expected {low} or more, found {v}")
        return v
    return parse


def _int_between(low: int, high: int):
    at_least = _int_at_least(low)

    def parse(text: str) -> int:
        v = at_least(text)
        if v > high:
            raise argparse.ArgumentTypeError(f"expected {high} or less, found {v}")
        return v
    return parse


def _set_pair(text: str):
    if "=" not in text:
        raise argparse.ArgumentTypeError(f"expected key.path=value, found '{text}'")
    key, value = text.split("=", 1)
    from .config import parse_set_value
    try:
        return key.strip(), parse_set_value(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


# 2 is sim.ranges.SEEDS_PER_MEMBER, not imported here: `--help` answers without NumPy.
SEEDS_PER_MEMBER = 2
RUN_DEFAULTS = {"replicates": 10, "seed": None, "years": None, "workers": min(2, os.cpu_count() or 1),
                "overrides": None, "out": None, "json": False, "quiet": False, "parameters": "ensemble",
                "seeds_per_member": SEEDS_PER_MEMBER}
SEEDS_PER_MEMBER_HELP = ("replicates that share one parameter set drawn from the posterior ensemble, each with its "
                         f"own seed (default {SEEDS_PER_MEMBER}): the spread within these groups is the chance of one "
                         "cohort, which separates a difference's expected effect (parameter uncertainty, large "
                         "population) from what one municipality of the simulated size may see; 1 gives every "
                         "replicate its own draw, and no expected-effect range")


def _run_options(p: argparse.ArgumentParser, top: bool = False, members: bool = True) -> None:
    """The options of run and compare. On a subcommand they default to 'not given', so that the
    same option placed before the subcommand (run.py --seed 7 run X) is not overwritten."""
    d = (lambda k: RUN_DEFAULTS[k]) if top else (lambda k: argparse.SUPPRESS)
    p.add_argument("--replicates", type=_int_at_least(1), default=d("replicates"), help="replicates per scenario (default 10)")
    # 2**32 - 1 and 40 are sim.config.schema's MAX_SEED and Simulation.years' bound (not imported:
    # `--help` answers without pydantic); the same bounds as in a scenario file.
    p.add_argument("--seed", type=_int_between(0, 2**32 - 1), default=d("seed"),
                   help="base seed (default: the first scenario's)")
    p.add_argument("--years", type=_int_between(1, 40), default=d("years"),
                   help="simulated years, 1 to 40 (default: the scenario's)")
    p.add_argument("--workers", type=_int_at_least(1), default=d("workers"),
                   help="worker processes (the results do not depend on it)")
    p.add_argument("--set", dest="overrides", type=_set_pair, action="append", default=d("overrides"),
                   metavar="KEY.PATH=VALUE", help="change one scenario value, checked like the file (repeatable)")
    p.add_argument("--parameters", choices=["ensemble", "point"], default=d("parameters"),
                   help="ensemble (default): each replicate draws a parameter set from the calibration's posterior "
                        "ensemble, so ranges include parameter uncertainty; point: every replicate at the fitted "
                        "point estimate (ranges are replicate noise only)")
    p.add_argument("--out", type=Path, default=d("out"), help="results folder (default results/<name>-<time>)")
    if members:
        p.add_argument("--seeds-per-member", type=_int_at_least(1), default=d("seeds_per_member"), metavar="K",
                       help=SEEDS_PER_MEMBER_HELP)
    p.add_argument("--json", action="store_true", default=d("json"), help="also print the summary as JSON")
    p.add_argument("--quiet", action="store_true", default=d("quiet"),
                   help="no progress bar and no table; print the report's path")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="run.py", description="Simulate municipal refugee introduction programmes. "
                "Without a command: the typical 2006 municipality, the ten proposals and Falkenberg compared.")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)
    r = sub.add_parser("run", help="run one scenario's replicates; write results and a report")
    r.add_argument("scenario", help="a scenario file, or the name of a built-in scenario")
    _run_options(r)
    c = sub.add_parser("compare", help="compare scenarios with the same seeds; differences from the first")
    c.add_argument("scenarios", nargs="+", help="scenario files or built-in names; the first is the baseline")
    c.add_argument("--baseline", default=None, metavar="NAME",
                   help="the scenario the others are compared with (a name or file among SCENARIOS; default the first)")
    _run_options(c)
    v = sub.add_parser("validate", help="check scenario files; exit 0 if all are valid, 2 if not")
    v.add_argument("files", nargs="+", help="scenario files or built-in names")
    sub.add_parser("list", help="the built-in scenarios, one line each")
    w = sub.add_parser("sweep", help="run a sweep file: many runs, resumable, locally or on Dask")
    w.add_argument("file", help="a sweep file (see scenarios/sweeps/example.yaml)")
    w.add_argument("--workers", type=_int_at_least(1), default=os.cpu_count() or 1,
                   help="worker processes (default: all cores; the results do not depend on it)")
    w.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="run on a Dask cluster (tcp://host:8786), or 'local' for a Dask LocalCluster")
    w.add_argument("--out", type=Path, default=None, help="results folder (default results/sweep-<name>)")
    mode = w.add_mutually_exclusive_group()
    mode.add_argument("--resume", dest="fresh", action="store_false", help="skip finished runs (the default)")
    mode.add_argument("--fresh", dest="fresh", action="store_true", help="discard earlier results and start over")
    w.add_argument("--batch", type=_int_at_least(1), default=None, metavar="N",
                   help="runs stepped together in one batch at most (default 64; a killed sweep redoes "
                        "its unfinished batches; the results do not depend on it)")
    w.add_argument("--parameters", choices=["ensemble", "point"], default=None,
                   help="override the sweep file's 'parameters' (ensemble: replicate r draws a parameter set from "
                        "the calibration's posterior ensemble, the same at every point; point: the point estimate)")
    w.add_argument("--quiet", action="store_true", help="no progress")
    w.set_defaults(fresh=False)  # resume is the default (store_false alone would default to True)
    e = sub.add_parser("effects", help="what each lever that differs between two scenarios does on its own")
    e.add_argument("scenario", help="the scenario whose levers are examined (a file or a built-in name)")
    e.add_argument("--against", default=None, metavar="BASE",
                   help="the base scenario: each lever is switched on alone in it, and off alone in SCENARIO")
    e.add_argument("--doses", action="store_true",
                   help="instead: each lever of SCENARIO at 4-6 levels across its range, against SCENARIO as it is, "
                        "with the evidence band where there is one (sim/doses.py; docs/EFFECTS.md)")
    _run_options(e, members=False)  # one draw per replicate: docs/EFFECTS.md's design (sim/effects.py)
    s = sub.add_parser("show", help="print the resolved scenario: each value, its origin and source")
    s.add_argument("file", help="a scenario file or the name of a built-in scenario")
    s.add_argument("--set", dest="overrides", type=_set_pair, action="append", default=[], metavar="KEY.PATH=VALUE",
                   help="change one value first, as in run (repeatable)")
    s.add_argument("--changed", action="store_true",
                   help="only the values this file (or --set) sets, not those inherited through 'extends' or defaults")
    x = sub.add_parser("explore", help="a page in the browser: change levers and see the comparison with the base at once")
    x.add_argument("scenario", nargs="?", default="falkenberg",
                   help="the base scenario to start from (a file or a built-in name; default falkenberg)")
    x.add_argument("--port", type=_int_between(1, 65535), default=8765, help="the port on localhost (default 8765)")
    x.add_argument("--replicates", type=_int_between(2, 1000), default=20,
                   help="replicates per scenario to start with (default 20)")
    # 2**32 - 1 is sim.config.schema.MAX_SEED, not imported here: `--help` answers without pydantic.
    x.add_argument("--seed", type=_int_between(0, 2**32 - 1), default=None, help="base seed (default: the base scenario's)")
    x.add_argument("--parameters", choices=["ensemble", "point"], default="ensemble",
                   help="ensemble (default) or point, as for compare")
    x.add_argument("--seeds-per-member", type=_int_at_least(1), default=SEEDS_PER_MEMBER, metavar="K",
                   help=SEEDS_PER_MEMBER_HELP)
    x.add_argument("--workers", type=_int_at_least(1), default=min(2, os.cpu_count() or 1),
                   help="worker processes for a refresh (default 2; the results do not depend on it)")
    x.add_argument("--results", type=Path, default=Path("results"),
                   help="where 'Write full report' puts its folder (default results)")
    cli_calibration.add_parsers(sub, _int_at_least)
    cli_placement.add_parsers(sub, _int_at_least, _int_between, _set_pair)
    _run_options(p, top=True)
    return p
