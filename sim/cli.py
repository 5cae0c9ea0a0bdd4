"""The command line: reads arguments, runs the runner, prints. No model logic lives here.

    python run.py                         the built-in default: typical_2006 against ten_proposals
    python run.py run SCENARIO [--replicates N] [--seed S] [--years Y] [--json] [--workers W]
    python run.py validate FILE...        exit 0 if every file is valid, 2 if not

Bad input exits with code 2 and one line per problem, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys

from .config import ScenarioError, load_scenario, parse_set_value
from .runner import run_replicates, summarise

DEFAULT_SCENARIOS = ["typical_2006", "ten_proposals"]
EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse's usage error: one line, exit 2
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}\n")


def _positive(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, found '{text}'") from None
    if v < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1, found {v}")
    return v


def _non_negative(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, found '{text}'") from None
    if v < 0:
        raise argparse.ArgumentTypeError(f"expected 0 or more, found {v}")
    return v


def _set_pair(text: str):
    if "=" not in text:
        raise argparse.ArgumentTypeError(f"expected key.path=value, found '{text}'")
    key, value = text.split("=", 1)
    return key.strip(), parse_set_value(value)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="run.py", description="Simulate municipal refugee introduction programmes.")
    sub = p.add_subparsers(dest="command")

    r = sub.add_parser("run", help="run one scenario's replicates and print its figures")
    r.add_argument("scenario", help="a scenario file, or the name of a built-in scenario")
    _common(r)
    r.error = p.error  # type: ignore[method-assign]

    v = sub.add_parser("validate", help="check scenario files; exit 0 if all are valid, 2 if not")
    v.add_argument("files", nargs="+")
    v.error = p.error  # type: ignore[method-assign]
    _common_defaults(p)
    return p


def _common(r):
    r.add_argument("--replicates", type=_positive, default=10, help="replicates per scenario (default 10)")
    r.add_argument("--seed", type=_non_negative, default=None, help="base seed (default: the scenario's)")
    r.add_argument("--years", type=_positive, default=None, help="simulated years (default: the scenario's)")
    r.add_argument("--workers", type=_positive, default=min(2, os.cpu_count() or 1),
                   help="worker processes (results do not depend on it)")
    r.add_argument("--set", dest="overrides", type=_set_pair, action="append", default=[],
                   metavar="KEY.PATH=VALUE", help="override one scenario value (repeatable)")
    r.add_argument("--json", action="store_true", help="print the summary as one JSON object")


def _common_defaults(p):
    _common(p)


def _fmt(d: dict | None, pct: bool = True) -> str:
    if not d or d.get("mean") is None:
        return "–"
    if pct:
        return f"{100 * d['mean']:.0f}% ({100 * d['lo']:.0f}–{100 * d['hi']:.0f})"
    return f"{d['mean']:.0f} ({d['lo']:.0f}–{d['hi']:.0f})"


def table(summaries: list[dict]) -> str:
    """A plain-text table of the headline figures, one column per scenario."""
    rows = [("", [s["scenario"] for s in summaries])]
    for m in ("12", "24", "36", "60"):
        rows.append((f"self-sufficient at {m} months", [_fmt(s["self_sufficiency"][m]) for s in summaries]))
    for m in ("12", "24", "36", "60"):
        rows.append((f"employed at {m} months", [_fmt(s["employment"][m]) for s in summaries]))
    rows.append(("women employed at 60 months", [_fmt(s["employment_by_sex"]["female"]["60"]) for s in summaries]))
    rows.append(("men employed at 60 months", [_fmt(s["employment_by_sex"]["male"]["60"]) for s in summaries]))
    rows.append(("labour-market contact, year 1", [_fmt(s["labour_market_contact_year1"]) for s in summaries]))
    rows.append(("SFI passed, year 1", [_fmt(s["sfi_completed_year1"]) for s in summaries]))
    rows.append(("job of 3+ weeks within 3 years", [_fmt(s["job_3_weeks_within_3_years"]) for s in summaries]))
    rows.append(("cost per refugee, SEK", [_fmt(s["costs_sek_per_refugee"], pct=False) for s in summaries]))
    w0 = max(len(r[0]) for r in rows)
    widths = [max(len(r[1][i]) for r in rows) for i in range(len(summaries))]
    lines = []
    for label, cells in rows:
        lines.append(label.ljust(w0) + "  " + "  ".join(c.rjust(w) for c, w in zip(cells, widths)))
    reps = summaries[0]["replicates"] if summaries else 0
    lines.append(f"Mean over {reps} replicates, with the 5th–95th percentile range in brackets; "
                 "'–' = beyond the simulated horizon.")
    return "\n".join(lines)


def _progress(quiet: bool):
    if quiet or not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        sys.stderr.write(f"\r  replicate {done}/{total}")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()
    return show


def _run_scenarios(names: list[str], args) -> list[dict]:
    scenarios = [load_scenario(n, args.overrides) for n in names]  # validate all before running any
    out = []
    for name, s in zip(names, scenarios):
        runs = run_replicates(s, args.replicates, seed=args.seed, years=args.years,
                              workers=args.workers, progress=_progress(args.json))
        out.append(summarise(s.name, runs))
    return out


def _clean(obj):
    """JSON has no NaN: write null instead."""
    if isinstance(obj, float) and math.isnan(obj):
        return None
    if isinstance(obj, dict):
        return {k: _clean(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_clean(v) for v in obj]
    return obj


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "validate":
            bad = 0
            for f in args.files:
                try:
                    load_scenario(f)
                    print(f"{f}: valid")
                except ScenarioError as exc:
                    bad += 1
                    for p in exc.problems:
                        print(str(p), file=sys.stderr)
            return EXIT_BAD_INPUT if bad else 0
        names = [args.scenario] if args.command == "run" else DEFAULT_SCENARIOS
        summaries = _run_scenarios(names, args)
    except ScenarioError as exc:
        for p in exc.problems:
            print(str(p), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    if args.json:
        payload = summaries[0] if len(summaries) == 1 else {"scenarios": summaries}
        print(json.dumps(_clean(payload), indent=2))
    else:
        print(table(summaries))
    return 0
