"""The command line: reads arguments, calls the runner and the writers, prints. No model logic.

    python run.py [--out DIR] [--quiet]       the built-in default comparison, with a report
    python run.py run SCENARIO [options]      one scenario's replicates, with a report
    python run.py compare A B [C ...] [opts]  scenarios side by side, differences from A
    python run.py validate FILE...            exit 0 if every file is valid, 2 if not
    python run.py show FILE                   every resolved value, where it came from, its source
    python run.py sweep SWEEP.yaml [--workers N] [--scheduler ADDRESS|local] [--out DIR] [--fresh]
    python run.py calibrate SPEC.yaml         fit behavioural parameters (a posterior ensemble, or a point); a report
    python run.py check TARGETS.yaml          exit 0 if every observed figure is inside its 90 % predictive interval, 1 if not
    python run.py sensitivity SPEC.yaml       Morris (or Sobol) sensitivity of the headline outputs
    python run.py explore [SCENARIO] [--port N]  a page in the browser: levers and the comparison, live

Options of run and compare: --replicates N, --seed S, --years Y, --workers W,
--set key.path=value (repeatable), --parameters ensemble|point, --seeds-per-member K, --out DIR,
--json, --quiet.
Bad input exits with code 2 and one line per problem, never a traceback, and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import signal
import sys
from pathlib import Path

from . import cli_calibration, cli_placement
from .cli_parser import EXIT_BAD_INPUT, EXIT_INTERRUPTED, build_parser
from .config.errors import ScenarioError
from .errors import BackendError, OutputError
from .terminal import Progress, SweepProgress, table

# The modules that do the work (NumPy, pandas, Mesa, pydantic) are imported by the command that
# needs them, so that `--help` and argument errors answer at once.

DEFAULT_SCENARIOS = ["typical_2006", "ten_proposals", "falkenberg"]


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
    progress = Progress(len(scenarios) * args.replicates, enabled=not args.quiet)
    with StagedFolder(final) as tmp:
        try:
            runs = run_comparison(scenarios, args.replicates, seed=base_seed, workers=args.workers,
                                  progress=progress, parameters=args.parameters, seeds_per_member=args.seeds_per_member)
        finally:
            progress.close()
        summary = summary_of(names, scenarios, [r["figures"] for r in runs], args.parameters, base_seed,
                             args.seeds_per_member)
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


def _lever_study(args, argv: list[str], stem: str, scenarios: list, folder_name: str, runs: int, compute,
                 module) -> int:
    """What `effects` and `effects --doses` share: a staged results folder with `<stem>.json`,
    `.md` and `.png` (the module's `to_markdown` and `plot`) and metadata; the markdown printed."""
    from .comparison import clean_json, uncertainty
    from .output import StagedFolder, check_destination, default_folder, write_metadata
    from .runner import replicate_seed
    started = dt.datetime.now().astimezone()
    final = args.out if args.out is not None else default_folder(Path("results"), folder_name[:80], started)
    check_destination(final)
    seed = scenarios[0].simulation.seed if args.seed is None else args.seed
    progress = Progress(runs * args.replicates, enabled=not args.quiet)
    with StagedFolder(final) as tmp:  # taken before the work: a second run into it stops at once
        try:
            result = compute(seed, progress)
        finally:
            progress.close()
        result["uncertainty"] = uncertainty(scenarios, args.parameters, seed, args.replicates, seeds_per_member=1)
        result = clean_json(result)
        markdown = module.to_markdown(result)
        (tmp / f"{stem}.json").write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")
        (tmp / f"{stem}.md").write_text(markdown, encoding="utf-8")
        module.plot(result, tmp / f"{stem}.png")
        write_metadata(tmp, seeds={"base_seed": seed, "replicate_seeds": [replicate_seed(seed, r) for r in range(args.replicates)]},
                       started=started, finished=dt.datetime.now().astimezone(), argv=argv,
                       scenarios=[s.name for s in scenarios], replicates=args.replicates)
    if args.json:
        print(json.dumps(result, indent=2, default=str))
    elif not args.quiet:
        print(markdown)
    print(f"{stem.capitalize()}: {final / (stem + '.md')} and {final / (stem + '.png')}",
          file=sys.stderr if args.json else sys.stdout)
    return 0


def _effects(args, argv: list[str]) -> int:
    from . import doses, effects
    from .config import load_scenario_with_sources
    overrides = list(args.overrides or [])
    if args.years is not None:
        overrides.append(("simulation.years", args.years))
    if args.doses:  # each lever of one scenario at several levels (sim/doses.py)
        base, _ = load_scenario_with_sources(args.scenario, overrides)
        runs = 1 + sum(len(d.levels) + (1 if d.also else 0) for d in doses.DOSES)
        return _lever_study(args, argv, "doses", [base], f"doses-{base.name}", runs,
                            lambda seed, progress: doses.dose_response(
                                base, args.replicates, seed, workers=args.workers, progress=progress,
                                parameters=args.parameters), doses)
    if args.against is None:
        raise ScenarioError.single("--against", None, "", "missing: give --against BASE (the scenario the levers are "
                                   "switched on in), or --doses")
    base, _ = load_scenario_with_sources(args.against, overrides)
    other, _ = load_scenario_with_sources(args.scenario, overrides)
    levers = effects.lever_differences(base, other)
    if not levers:
        raise ScenarioError.single(args.scenario, None, "", f"no lever differs from '{args.against}'")
    return _lever_study(args, argv, "effects", [base, other], f"effects-{other.name}-vs-{base.name}",
                        2 + 2 * len(levers),
                        lambda seed, progress: effects.lever_effects(
                            base, other, args.replicates, seed, workers=args.workers, progress=progress,
                            parameters=args.parameters), effects)


def _unique(names: list[str]) -> list[str]:
    """Scenario names as shown in results; a repeated name gets a number ('typical_2006 (2)')."""
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n} ({seen[n]})")
    return out


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
    progress = SweepProgress(args.quiet)
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
              parameters=args.parameters, seeds_per_member=args.seeds_per_member, results=args.results,
              workers=args.workers,
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
        if args.command == "national":
            return cli_placement.national(args)
        if args.command == "placement-gap":
            return cli_placement.placement_gap(args, ["run.py", *argv])
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
