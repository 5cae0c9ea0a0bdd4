"""The command line: reads arguments, calls the runner and the writers, prints. No model logic.

    python run.py [--out DIR] [--quiet]       the built-in default comparison, with a report
    python run.py run SCENARIO [options]      one scenario's replicates, with a report
    python run.py compare A B [C ...] [opts]  scenarios side by side, differences from A
    python run.py validate FILE...            exit 0 if every file is valid, 2 if not
    python run.py show FILE                   every resolved value, where it came from, its source
    python run.py sweep SWEEP.yaml [--workers N] [--scheduler ADDRESS|local] [--out DIR] [--fresh]
    python run.py calibrate SPEC.yaml         fit behavioural parameters (a posterior ensemble, or a point); a report
    python run.py check TARGETS.yaml          exit 0 if every target is inside its tolerance, 1 if not
    python run.py sensitivity SPEC.yaml       Morris (or Sobol) sensitivity of the headline outputs
    python run.py explore [SCENARIO] [--port N]  a page in the browser: levers and the comparison, live

Options of run and compare: --replicates N, --seed S, --years Y, --workers W,
--set key.path=value (repeatable), --parameters ensemble|point, --out DIR, --json, --quiet.
Bad input exits with code 2 and one line per problem, never a traceback, and writes nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import signal
import sys
from pathlib import Path

from . import cli_calibration
from .config.errors import ScenarioError
from .errors import BackendError, OutputError

# The modules that do the work (NumPy, pandas, Mesa, pydantic) are imported by the command that
# needs them, so that `--help` and argument errors answer at once.

DEFAULT_SCENARIOS = ["typical_2006", "ten_proposals", "falkenberg"]
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


RUN_DEFAULTS = {"replicates": 10, "seed": None, "years": None, "workers": min(2, os.cpu_count() or 1),
                "overrides": None, "out": None, "json": False, "quiet": False, "parameters": "ensemble"}


def _run_options(p: argparse.ArgumentParser, top: bool = False) -> None:
    """The options of run and compare. On a subcommand they default to 'not given', so that the
    same option placed before the subcommand (run.py --seed 7 run X) is not overwritten."""
    d = (lambda k: RUN_DEFAULTS[k]) if top else (lambda k: argparse.SUPPRESS)
    p.add_argument("--replicates", type=_int_at_least(1), default=d("replicates"), help="replicates per scenario (default 10)")
    p.add_argument("--seed", type=_int_at_least(0), default=d("seed"), help="base seed (default: the first scenario's)")
    p.add_argument("--years", type=_int_at_least(1), default=d("years"), help="simulated years (default: the scenario's)")
    p.add_argument("--workers", type=_int_at_least(1), default=d("workers"),
                   help="worker processes (the results do not depend on it)")
    p.add_argument("--set", dest="overrides", type=_set_pair, action="append", default=d("overrides"),
                   metavar="KEY.PATH=VALUE", help="change one scenario value, checked like the file (repeatable)")
    p.add_argument("--parameters", choices=["ensemble", "point"], default=d("parameters"),
                   help="ensemble (default): each replicate draws a parameter set from the calibration's posterior "
                        "ensemble, so ranges include parameter uncertainty; point: every replicate at the fitted "
                        "point estimate (ranges are replicate noise only)")
    p.add_argument("--out", type=Path, default=d("out"), help="results folder (default results/<name>-<time>)")
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
    e.add_argument("--against", required=True, metavar="BASE",
                   help="the base scenario: each lever is switched on alone in it, and off alone in SCENARIO")
    _run_options(e)
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
    x.add_argument("--workers", type=_int_at_least(1), default=min(2, os.cpu_count() or 1),
                   help="worker processes for a refresh (default 2; the results do not depend on it)")
    x.add_argument("--results", type=Path, default=Path("results"),
                   help="where 'Write full report' puts its folder (default results)")
    cli_calibration.add_parsers(sub, _int_at_least)
    _run_options(p, top=True)
    return p


# --- printing --------------------------------------------------------------------------------

def _block(header: list[str], rows: list[tuple[str, list[str]]]) -> list[str]:
    rows = [("", header)] + rows
    w0 = max(len(r[0]) for r in rows)
    widths = [max(len(r[1][i]) for r in rows) for i in range(len(header))]
    return [label.ljust(w0) + "  " + "  ".join(c.rjust(w) for c, w in zip(cells, widths)) for label, cells in rows]


def table(summaries: list[dict], diffs: list[dict] | None = None, uncertainty: dict | None = None) -> str:
    """The verdicts first; then the headline figures, one column per scenario, and each
    scenario's difference from the first."""
    from .headline import ROWS, other_horizon, ranges_text, spread_words, title_of, verdicts
    from .headline import format_range as _fmt
    titles = [title_of(s) for s in summaries]
    lines = []
    if diffs:
        lines += verdicts(titles, diffs, [s.get("years") for s in summaries],
                          spread_words({"uncertainty": uncertainty})) + [""]
    lines += _block(titles, [(row.label, [_fmt(row.get(s), row.kind == "pct") for s in summaries]) for row in ROWS])
    if diffs:
        lines.append("")
        def diff_cell(row, i, d):
            horizon = other_horizon(summaries[0].get("years"), summaries[i].get("years"))
            if row.kind == "sek" and horizon:
                return f"not comparable ({horizon})"
            return _fmt(row.get(d["differences"]), row.kind == "pct", signed=True)
        lines += _block([f"{t} − {titles[0]}" for t in titles[1:]],
                        [(row.label, [diff_cell(row, i, d) for i, d in enumerate(diffs, start=1)]) for row in ROWS])
    reps = summaries[0]["replicates"] if summaries else 0
    lines.append(f"Shares in per cent{' (differences in percentage points)' if diffs else ''}, spending in SEK per "
                 f"refugee; mean over {reps} replicates{' (the same seeds for every scenario)' if diffs else ''} with "
                 "the 5th…95th percentile in brackets; '–' = beyond the simulated period. "
                 + ranges_text({"uncertainty": uncertainty}))
    return "\n".join(lines)


class _Progress:
    """Progress on stderr unless --quiet: a bar on a terminal; otherwise (a log file, a batch
    job) a plain line at most every `every` seconds and one at the end."""

    def __init__(self, total: int, enabled: bool, every: float = 5.0, what: str = "runs"):
        import time
        self.bar = None
        self.total, self.done, self.what, self.every = total, 0, what, every
        self.enabled = enabled
        self.clock = time.monotonic
        self.start = self.last = self.clock()
        if enabled and sys.stderr.isatty():
            from tqdm import tqdm
            self.bar = tqdm(total=total, unit="run", desc="replicates", file=sys.stderr, leave=False)

    def __call__(self, k: int) -> None:
        self.done += k
        if self.bar is not None:
            self.bar.update(k)
        elif self.enabled and (self.clock() - self.last >= self.every or self.done >= self.total):
            self.last = self.clock()
            print(f"{self.done}/{self.total} {self.what} done ({100 * self.done / max(self.total, 1):.0f} %), "
                  f"{self.last - self.start:.0f} s", file=sys.stderr, flush=True)

    def note(self, text: str) -> None:
        """A step after the runs (writing tables, drawing plots), shown when not quiet."""
        if self.enabled:
            print(text, file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


# --- commands --------------------------------------------------------------------------------

def _print_problems(exc: ScenarioError) -> None:
    for p in exc.problems:
        print(str(p), file=sys.stderr)


def _warn(scenario, sources) -> None:
    """Valid but almost surely unintended settings, one located line each on stderr."""
    from .config.inert import warnings_for
    for line in warnings_for(scenario, sources):
        print(line, file=sys.stderr)


def _validate(files: list[str]) -> int:
    from .config import load_scenario_with_sources
    bad = 0
    for f in files:
        try:
            scenario, sources = load_scenario_with_sources(f)
            _warn(scenario, sources)
            print(f"{f}: valid")
        except ScenarioError as exc:
            bad += 1
            _print_problems(exc)
    return EXIT_BAD_INPUT if bad else 0


def _list() -> int:
    """Each built-in scenario with the first sentence of its description."""
    import yaml

    from .config.paths import SCENARIO_DIR
    rows = []
    for path in sorted(SCENARIO_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        text = " ".join(str(data.get("description", "")).split())
        first = text.split(". ")[0].split(": ")[-1].rstrip(".")
        if first.split(" ", 1)[0] in ("A", "An", "The"):  # it follows the title and a colon
            first = first[0].lower() + first[1:]
        first = first if len(first) <= 90 else first[:first.rfind(" ", 0, 88)] + " …"
        parent = f" [extends {Path(data['extends']).stem}]" if data.get("extends") else ""
        title = data.get("title") or path.stem
        rows.append((path.stem, f"{title}: {first}{parent}"))
    width = max(len(n) for n, _ in rows)
    for name, text in rows:
        print(f"{name.ljust(width)}  {text}")
    me = "python run.py" if Path(sys.argv[0]).name == "run.py" else Path(sys.argv[0]).name
    print(f"\nRun one: {me} run NAME; see every value: {me} show NAME; files in {SCENARIO_DIR}")
    return 0


def _baseline_first(args) -> list[str]:
    """The scenarios to compare, the chosen baseline first."""
    names = list(args.scenarios)
    if args.baseline is None:
        return names
    if args.baseline not in names:
        raise ScenarioError.single("--baseline", None, "", f"'{args.baseline}' is not one of the scenarios compared "
                                                           f"({', '.join(names)})")
    names.remove(args.baseline)
    return [args.baseline, *names]


def _show(file: str, overrides, changed: bool = False) -> int:
    from .config import load_scenario_with_sources
    from .config.annotate import annotate, shown_path
    from .sources import expand
    scenario, sources = load_scenario_with_sources(file, overrides)
    own = shown_path(sources.files[0]) if sources.files else None
    for row in annotate(scenario, sources):
        if changed and not (row["origin"] == "--set" or (own and row["origin"].rpartition(":")[0] == own)):
            continue
        value = json.dumps(row["value"], ensure_ascii=False)
        comment = f"  # {expand(row['comment'])}" if row["comment"] else ""
        print(f"{row['path']} = {value}    [{row['origin']}]{comment}")
    return 0


def _simulate(names: list[str], args, argv: list[str]) -> int:
    from .comparison import summary_of, write_comparison
    from .config import load_scenario_with_sources
    from .output import StagedFolder, check_destination, default_folder
    from .runner import run_comparison
    overrides = list(args.overrides or [])
    if args.years is not None:  # --years is a change like any --set, saved with the scenario
        overrides.append(("simulation.years", args.years))
    loaded = [load_scenario_with_sources(n, overrides) for n in names]  # all valid before any run
    for scenario, sources in loaded:
        _warn(scenario, sources)
    scenarios = [s for s, _ in loaded]
    names = _unique([s.name for s in scenarios])
    label = names[0] if len(names) == 1 else "-vs-".join(s.name for s in scenarios)[:80]
    started = dt.datetime.now().astimezone()
    final = args.out if args.out is not None else default_folder(Path("results"), label, started)
    check_destination(final)  # before any work: a run that cannot be saved does not start
    base_seed = scenarios[0].simulation.seed if args.seed is None else args.seed
    progress = _Progress(len(scenarios) * args.replicates, enabled=not args.quiet)
    with StagedFolder(final) as tmp:
        try:
            runs = run_comparison(scenarios, args.replicates, seed=base_seed, workers=args.workers,
                                  progress=progress, parameters=args.parameters)
        finally:
            progress.close()
        summary = summary_of(names, scenarios, [r["figures"] for r in runs], args.parameters, base_seed)
        write_comparison(tmp, names, loaded, runs, summary, base_seed=base_seed, started=started, argv=argv,
                         note=progress.note)
    if args.json:
        payload = summary["scenarios"][0] if len(scenarios) == 1 else summary
        print(json.dumps(payload, indent=2))
    elif not args.quiet:
        print(table(summary["scenarios"], summary["differences"], summary["uncertainty"]))
    # With --json, stdout carries only the JSON; the report's path goes to stderr.
    print(f"Report: {final / 'report.html'}", file=sys.stderr if args.json else sys.stdout)
    return 0


def _effects(args, argv: list[str]) -> int:
    from . import effects
    from .comparison import clean_json, uncertainty
    from .config import load_scenario_with_sources
    from .output import StagedFolder, check_destination, default_folder, write_metadata
    from .runner import replicate_seed
    overrides = list(args.overrides or [])
    if args.years is not None:
        overrides.append(("simulation.years", args.years))
    base, _ = load_scenario_with_sources(args.against, overrides)
    other, _ = load_scenario_with_sources(args.scenario, overrides)
    levers = effects.lever_differences(base, other)
    if not levers:
        raise ScenarioError.single(args.scenario, None, "", f"no lever differs from '{args.against}'")
    started = dt.datetime.now().astimezone()
    final = args.out if args.out is not None else default_folder(
        Path("results"), f"effects-{other.name}-vs-{base.name}"[:80], started)
    check_destination(final)
    seed = base.simulation.seed if args.seed is None else args.seed
    progress = _Progress((2 + 2 * len(levers)) * args.replicates, enabled=not args.quiet)
    with StagedFolder(final) as tmp:  # taken before the work: a second run into it stops at once
        try:
            result = effects.lever_effects(base, other, args.replicates, seed, workers=args.workers,
                                           progress=progress, parameters=args.parameters)
        finally:
            progress.close()
        result["uncertainty"] = uncertainty([base, other], args.parameters, seed, args.replicates)
        result = clean_json(result)
        markdown = effects.to_markdown(result)
        (tmp / "effects.json").write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")
        (tmp / "effects.md").write_text(markdown, encoding="utf-8")
        effects.plot(result, tmp / "effects.png")
        write_metadata(tmp, seeds={"base_seed": seed, "replicate_seeds": [replicate_seed(seed, r) for r in range(args.replicates)]},
                       started=started, finished=dt.datetime.now().astimezone(), argv=argv,
                       scenarios=[base.name, other.name], replicates=args.replicates)
    if args.json:
        print(json.dumps(result, indent=2, default=str))
    elif not args.quiet:
        print(markdown)
    print(f"Effects: {final / 'effects.md'} and {final / 'effects.png'}", file=sys.stderr if args.json else sys.stdout)
    return 0


def _unique(names: list[str]) -> list[str]:
    """Scenario names as shown in results; a repeated name gets a number ('typical_2006 (2)')."""
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n} ({seen[n]})")
    return out


class _SweepProgress:
    """runs done, runs per second and time left: a bar on a terminal, a line every 10 s otherwise."""

    def __init__(self, quiet: bool):
        import time
        self.quiet, self.bar, self.time = quiet, None, time
        self.start = time.perf_counter()
        self.last = self.start
        self.first_done: int | None = None

    def __call__(self, k: int, done: int, total: int) -> None:
        if self.quiet:
            return
        if self.first_done is None:
            self.first_done = done
            if sys.stderr.isatty():
                from tqdm import tqdm
                self.bar = tqdm(total=total, initial=done, unit="run", desc="sweep", file=sys.stderr)
            elif done:
                print(f"resuming: {done} of {total} runs already done", file=sys.stderr)
            return
        if self.bar is not None:
            self.bar.update(k)
            return
        now = self.time.perf_counter()
        if now - self.last >= 10 or done == total:
            self.last = now
            rate = (done - self.first_done) / max(now - self.start, 1e-9)
            left = (total - done) / rate if rate > 0 else float("nan")
            print(f"{done}/{total} runs, {rate:.1f} runs/s, {left:.0f} s left", file=sys.stderr)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _sweep(args) -> int:
    import time

    from .sweeps import ResumeError, load_sweep, run_sweep
    from .sweeps.report import build_sweep_report
    loaded = load_sweep(args.file)  # a bad file fails here, before any folder exists
    if args.parameters is not None:
        loaded = (loaded[0].model_copy(update={"parameters": args.parameters}), *loaded[1:])
    sweep = loaded[0]
    folder = args.out if args.out is not None else Path("results") / f"sweep-{sweep.name}"
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder}: is not a folder")
    progress = _SweepProgress(args.quiet)
    t0 = time.perf_counter()
    try:
        info = run_sweep(Path(args.file), folder, args.workers, args.scheduler, args.fresh, progress,
                         on_start=None if args.quiet else (lambda m: print(m, file=sys.stderr)), loaded=loaded,
                         batch=args.batch)
    except ResumeError as exc:
        raise OutputError(str(exc)) from None
    except KeyboardInterrupt:
        progress.close()
        print(f"interrupted: finished runs are saved in {folder / 'runs.csv'}; "
              "run the same command again to resume", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        progress.close()
    wall = time.perf_counter() - t0
    report = build_sweep_report(folder)
    rate = info["ran"] / wall if wall > 0 else float("nan")
    print(f"{info['runs']} runs ({info['points']} points x {info['replicates']} replicates): {info['ran']} run now, "
          f"{info['skipped']} already done; {wall:.1f} s, {rate:.2f} runs/s")
    print(f"Results: {folder / 'runs.csv'}\nReport: {report}")
    return 0


def _explore(args) -> int:
    from .config import load_scenario_with_sources
    scenario, sources = load_scenario_with_sources(args.scenario)  # a bad file stops here, as in run
    _warn(scenario, sources)
    from .explore.server import serve
    try:
        serve(args.port, scenario=args.scenario, replicates=args.replicates, seed=args.seed,
              parameters=args.parameters, results=args.results, workers=args.workers,
              announce=lambda text: print(text, flush=True))
    except KeyboardInterrupt:
        pass
    print("explorer stopped", file=sys.stderr)
    return 0


def _terminate(signum, frame):  # SIGTERM behaves like Ctrl-C: clean up, write nothing
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    if not getattr(args, "quiet", False):
        from . import compiled
        compiled.ANNOUNCE = lambda text: print(text, file=sys.stderr, flush=True)
    previous = signal.signal(signal.SIGTERM, _terminate)
    # Ctrl-C interrupts even when started from a parent that ignores SIGINT (a background job).
    previous_int = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        if args.command == "validate":
            return _validate(args.files)
        if args.command == "list":
            return _list()
        if args.command == "show":
            return _show(args.file, args.overrides, args.changed)
        if args.command == "sweep":
            return _sweep(args)
        if args.command == "calibrate":
            return cli_calibration.calibrate(args, ["run.py", *argv])
        if args.command == "check":
            return cli_calibration.check(args)
        if args.command == "sensitivity":
            return cli_calibration.sensitivity(args, ["run.py", *argv])
        if args.command == "effects":
            return _effects(args, ["run.py", *argv])
        if args.command == "explore":
            return _explore(args)
        names = {"run": lambda: [args.scenario], "compare": lambda: _baseline_first(args)}.get(
            args.command, lambda: DEFAULT_SCENARIOS)()
        return _simulate(names, args, ["run.py", *argv])
    except ScenarioError as exc:
        _print_problems(exc)
        return EXIT_BAD_INPUT
    except OutputError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    except BackendError as exc:  # Dask not installed, or its scheduler unreachable
        print(str(exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted: no results were written", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGINT, previous_int)
