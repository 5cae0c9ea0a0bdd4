"""The explorer's page: a base scenario, the main levers as controls, and the comparison of the
base with the changed settings (the same seeds, as `run.py compare`), refreshed as controls move.

Solara components only; what a control does to a scenario is in levers.py, the computation in
compute.py. Served by server.py (`run.py explore`). Mesa's SolaraViz steps one model and draws its
agents; the explorer compares 2 x 20 batched worlds by months since arrival, so it has its own
components (docs/EXPLORER.md).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import solara
import solara.lab

from .. import groups
from ..config import load_scenario_with_sources
from ..config.errors import ScenarioError
from ..config.loader import resolve_scenario_path, shipped_scenarios
from ..config.paths import SCENARIO_DIR
from ..config.schema import MAX_SEED
from ..headline import (
    ROWS,
    excludes_zero,
    expected_of,
    format_expected,
    format_range,
    other_horizon,
    ranges_text,
    shows_expected,
    title_of,
)
from ..metrics import OUTCOME_DEFINITIONS
from ..page import e
from ..plots import LABELS
from ..ranges import EXPECTED, ONE_MUNICIPALITY
from . import compute, levers
from .charts import BESIDE_EMPLOYMENT

# What `run.py explore` starts with (server.configure sets it before the first page).
CONFIG: dict[str, Any] = {"scenario": "falkenberg", "replicates": 20, "seed": None, "parameters": "ensemble",
                          "seeds_per_member": compute.SEEDS_PER_MEMBER,
                          "results": Path("results"), "workers": 1}
PROGRESS_EVERY_S = 0.4
_generation = itertools.count(1)


def configure(**settings: Any) -> None:
    CONFIG.update({k: v for k, v in settings.items() if v is not None})


@dataclass
class Shown:
    """A finished refresh: what was asked, what came back, and the changes in words (described
    against the base it ran with)."""

    ref: str
    changes: tuple
    settings: compute.Settings
    outcome: compute.Outcome
    described: list[str]
    generation: int
    seconds: float


# The files each base read (its `extends` chain and fitted parameters), so that an edit to any of
# them reloads it.
_FILES: dict[str, list[str]] = {}


def _stamp(ref: str) -> tuple:
    files = _FILES.get(ref) or [str(resolve_scenario_path(ref))]
    out = []
    for f in files:
        try:
            out.append(Path(f).stat().st_mtime_ns)
        except OSError:
            out.append(0)
    return tuple(out)


def load_base(ref: str):
    """(scenario, sources) of the base, or raise ScenarioError with located problems."""
    scenario, sources = load_scenario_with_sources(ref)
    _FILES[ref] = list(sources.files)
    return scenario, sources


def load_variant(ref: str, base, changes: dict):
    return load_scenario_with_sources(ref, levers.variant_overrides(base, changes))


@solara.lab.task(prefer_threaded=True)
def refresh(ref: str, changes: tuple, settings: compute.Settings) -> Shown | None:
    t0 = time.perf_counter()
    base, _ = load_base(ref)
    variant, _ = load_variant(ref, base, dict(changes))
    last = [t0]

    def progress(f: float) -> None:
        # A few times a second at most: each update re-renders the page and crosses the websocket,
        # and takes time from the run itself on a laptop's two cores.
        now = time.perf_counter()
        if now - last[0] >= PROGRESS_EVERY_S:
            last[0] = now
            refresh.progress = int(100 * f)

    try:
        outcome = compute.explore(base, variant, settings, progress=progress, current=refresh.is_current,
                                  workers=int(CONFIG["workers"]))
    except compute.Cancelled:
        return None  # a newer request is running (or the server stops); the page keeps what it shows
    described = [levers.describe_change(base, lid, v) for lid, v in changes]
    return Shown(ref, changes, settings, outcome, described, next(_generation), time.perf_counter() - t0)


@solara.lab.task(prefer_threaded=True)
def write_report(ref: str, changes: tuple, settings: compute.Settings) -> Path:
    """The full report of the comparison on screen: `run.py compare` of the base and the explored
    variant (saved beside it as a scenario that extends the base), with tables, plots and sources."""
    from ..comparison import summary_of, write_comparison
    from ..output import StagedFolder, check_destination, default_folder
    base, base_sources = load_base(ref)
    variant, variant_sources = load_variant(ref, base, dict(changes))
    started = dt.datetime.now().astimezone()
    final = default_folder(Path(CONFIG["results"]), f"explore-{variant.name}"[:80], started)
    check_destination(final)
    names = [base.name, variant.name]

    def progress(f: float) -> None:
        write_report.progress = round(90 * f)  # the tables, plots and report are the last tenth

    with StagedFolder(final) as tmp:
        runs = compute.comparison_runs([base, variant], settings, progress, workers=int(CONFIG["workers"]))
        summary = summary_of(names, [base, variant], [r["figures"] for r in runs], settings.parameters, settings.seed,
                             settings.seeds_per_member)
        saved = tmp / f"{variant.name}.yaml"
        saved.write_text(levers.scenario_yaml(
            base, levers.extends_reference(resolve_scenario_path(ref), final / saved.name, SCENARIO_DIR),
            dict(changes), variant.name), encoding="utf-8")
        load_scenario_with_sources(saved)  # beside the folder's final place: the same parent, so the same extends
        argv = ["run.py", "compare", ref, str(final / saved.name), *_run_options(settings)]
        write_comparison(tmp, names, [(base, base_sources), (variant, variant_sources)], runs, summary,
                         base_seed=settings.seed, started=started, argv=argv)
    return final / "report.html"


def _run_options(settings: compute.Settings) -> list[str]:
    """`compare`'s options for the same runs as the page's."""
    k = settings.seeds_per_member  # compare's default need not be said
    return ["--replicates", str(settings.replicates), "--seed", str(settings.seed), "--parameters", settings.parameters,
            *(["--seeds-per-member", str(k)] if k != compute.SEEDS_PER_MEMBER else [])]


def save_scenario(base, ref: str, changes: dict, path_text: str, overwrite: bool,
                  settings: compute.Settings | None = None) -> tuple[bool, list[str]]:
    """Write the scenario file (extends the base, only what changed), checked by the loader
    where it will live before it is kept: (saved?, messages). An existing file is replaced only
    with `overwrite`, and is back as it was if the new one fails its check."""
    text_in = path_text.strip()
    if not text_in:
        return False, ["Give a file name, e.g. results/explorer/my-scenario.yaml"]
    path = Path(text_in).expanduser()
    if path.suffix not in (".yaml", ".yml"):
        return False, [f"{path}: expected a file name ending in .yaml"]
    if path.is_dir():
        return False, [f"{path}: is a folder; give a file name"]
    if path.exists() and not overwrite:
        return False, [f"{path}: exists already; tick 'replace it' to write over it, or choose another name"]
    extends = levers.extends_reference(resolve_scenario_path(ref), path, SCENARIO_DIR)
    if (path.parent / extends).resolve() == path.resolve():
        return False, [f"{path}: would extend itself (its base is '{extends}' in the same folder); choose another name"]
    name = path.stem if levers.valid_name(path.stem) else levers.explored_name(base)
    text = levers.scenario_yaml(base, extends, changes, name)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp.yaml")
    backup = path.with_name(f".{path.name}.{os.getpid()}.previous.yaml")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(text, encoding="utf-8")
        load_scenario_with_sources(tmp)  # the same checks as `run.py validate`, in the same folder
        had = path.exists()
        if had:
            os.replace(path, backup)
        os.replace(tmp, path)
        try:
            load_scenario_with_sources(path)  # and under its own name
        except ScenarioError:
            if had:
                os.replace(backup, path)
            else:
                path.unlink()
            raise
    except ScenarioError as exc:
        return False, [str(p).replace(str(tmp), str(path)) for p in exc.problems]
    except OSError as exc:
        return False, [f"{path}: cannot be written: {exc.strerror or exc}"]
    finally:
        tmp.unlink(missing_ok=True)
        backup.unlink(missing_ok=True)
    how = f"python run.py compare {ref} {path}" + (" " + " ".join(_run_options(settings)) if settings else "")
    return True, [f"Saved {path}: valid. The page's numbers again: {how}"]


CSS = """
.explorer { font-size: 14px; padding: 8px 12px; }
.explorer h3 { font-size: 15px; margin: 10px 0 4px 0; font-weight: 600; }
.explorer .controls { max-height: calc(100vh - 24px); overflow-y: auto; padding-right: 6px; }
.explorer .hint { color: #555; font-size: 12px; margin: 0 0 6px 0; }
.explorer .problems { font-family: monospace; font-size: 12px; white-space: pre-wrap; overflow-wrap: anywhere; }
.explorer table.headline { border-collapse: collapse; width: 100%; font-size: 13px; }
.explorer table.headline th, .explorer table.headline td { border-bottom: 1px solid #ddd; padding: 2px 6px;
                                                          font-size: 13px; line-height: 1.4; }
.explorer table.headline td { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.explorer table.headline th { text-align: left; font-weight: normal; }
.explorer table.headline thead th { font-weight: 600; text-align: right; }
.explorer table.headline td.beyond { font-weight: 600; }
.explorer .verdict { background: #eef4fb; border-left: 4px solid #1f77b4; padding: 6px 10px; margin: 6px 0; }
.explorer .small { color: #555; font-size: 12px; }
.explorer .bars { margin: 4px 0 10px 0; }
.explorer .barrow { display: flex; align-items: center; margin: 3px 0; }
.explorer .barlabel { width: 190px; flex: none; font-size: 12px; text-align: right; padding-right: 8px; }
.explorer .bar { flex: 1; display: flex; align-items: center; height: 24px; }
.explorer .seg { height: 100%; color: #fff; font-size: 11px; text-align: center; line-height: 24px;
                 overflow: hidden; border-right: 1px solid #fff; text-shadow: 0 0 2px #000; }
.explorer .total { font-size: 12px; padding-left: 6px; }
.explorer .legend { font-size: 11px; color: #333; margin: 4px 0 0 198px; }
.explorer .key { margin-right: 12px; white-space: nowrap; }
.explorer .key i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; vertical-align: middle; }
.explorer .stale { opacity: 0.55; transition: opacity 0.2s; }
.explorer .lever-label { font-size: 13px; margin-top: 6px; }
.explorer .intro { font-size: 13px; color: #333; margin: 0 0 6px 0; }
.explorer h2 { font-size: 18px; margin: 4px 0 2px 0; font-weight: 600; }
"""


def headline_html(summary: dict) -> str:
    """The terminal's headline table for the base, the variant and their difference, every cell
    formatted as `run.py compare` prints it: the difference's expected effect (parameter
    uncertainty, large population) and what one municipality of this size may see (adds the
    chance of one cohort; `sim.ranges`), each in bold where its range excludes 0."""
    scen = summary["scenarios"]
    diff = summary["differences"][0]["differences"]
    both = shows_expected(summary["differences"], summary.get("uncertainty"))
    titles = [title_of(s) for s in scen]
    horizon = other_horizon(scen[0].get("years"), scen[1].get("years"))
    rows = []
    for row in ROWS:
        d = row.get(diff) or {}
        if row.kind == "sek" and horizon:
            expected_text = diff_text = f"not comparable ({horizon})"
        else:
            expected_text = format_expected(d, row.kind == "pct")
            diff_text = format_range(d, row.kind == "pct", signed=True)
        cells = [format_range(row.get(s), row.kind == "pct") for s in scen]
        rows.append(f"<tr data-row='{e(row.label)}'><th>{e(row.label[0].upper() + row.label[1:])}</th>"
                    f"<td data-col='base'>{e(cells[0])}</td><td data-col='variant'>{e(cells[1])}</td>"
                    + (f"<td data-col='expected' class='{'beyond' if excludes_zero(expected_of(d)) else ''}'>"
                       f"{e(expected_text)}</td>" if both else "")
                    + f"<td data-col='difference' class='{'beyond' if excludes_zero(d) else ''}'>{e(diff_text)}</td></tr>")
    head = (f"<thead><tr><th></th><th>{e(titles[0])}</th><th>{e(titles[1])}</th>"
            + (f"<th title='{e(EXPECTED)}'>expected effect<br><span class='small'>parameter uncertainty, large "
               "population</span></th>" if both else "")
            + f"<th title='{e(ONE_MUNICIPALITY)}'>one municipality of this size<br>"
            "<span class='small'>adds the chance of one cohort</span></th></tr></thead>")
    return f"<table class='headline'>{head}<tbody>{''.join(rows)}</tbody></table>"


@solara.component
def LeverControl(base, lid: str, lever: levers.Lever, changes: solara.Reactive[dict]):
    value = changes.value.get(lid, levers.base_value(base, lid))
    was = levers.base_value(base, lid)

    def set_value(v):
        changes.set({**changes.value, lid: v})

    moved = " (changed)" if value != was else ""
    key = lever.key if lever is not levers.AGREEMENT else f"agreement-{lid.partition(':')[2]}"
    with solara.Div(classes=["lever", f"lever-{key}"]):
        if lever.kind == "switch":
            solara.Switch(label=f"{lever.label}{moved}", value=bool(value), on_value=set_value)
        elif lever.kind == "choice":
            labels = dict(lever.choices)
            by_label = {v: k for k, v in labels.items()}
            solara.Select(label=f"{lever.label}{moved}", values=list(labels.values()), value=labels[value],
                          on_value=lambda text: set_value(by_label[text]))
        else:
            lo, hi = lever.slider_range(was)
            title = (lever.label if lever is not levers.AGREEMENT
                     else f"{levers.agreement_title(base, lid.partition(':')[2])}: {lever.label}")
            solara.HTML(tag="div", classes=["lever-label"],
                        unsafe_innerHTML=f"{e(title)}: <b>{e(levers.shown(lever, value))}</b>{e(moved)}")
            if lever.percent:
                solara.SliderInt(label="", value=round(100 * value), min=round(100 * lo), max=round(100 * hi),
                                 step=round(100 * lever.step), on_value=lambda v: set_value(round(v / 100, 4)),
                                 thumb_label=False)
            elif lever.integer and float(was).is_integer() and float(value).is_integer():
                solara.SliderInt(label="", value=int(round(value)), min=int(lo), max=int(hi), step=int(lever.step),
                                 on_value=set_value, thumb_label=False)
            else:
                solara.SliderFloat(label="", value=float(value), min=lo, max=hi, step=lever.step, on_value=set_value,
                                   thumb_label=False)
        if lever.help:
            solara.HTML(tag="div", unsafe_innerHTML=e(lever.help), classes=["hint"])


@solara.component
def Problems(lines: list[str]):
    with solara.Error(icon=True):
        solara.HTML(tag="div", unsafe_innerHTML="<br>".join(e(x) for x in lines), classes=["problems"])


@solara.component
def Page():
    solara.Title("Refugee introduction explorer")
    solara.Style(CSS)
    ref = solara.use_reactive(str(CONFIG["scenario"]))
    file_text = solara.use_reactive("")
    changes = solara.use_reactive({})
    municipality = solara.use_reactive("")
    replicates = solara.use_reactive(int(CONFIG["replicates"]))
    seed = solara.use_reactive(CONFIG["seed"])
    parameters = solara.use_reactive(str(CONFIG["parameters"]))
    save_path = solara.use_reactive("")
    overwrite = solara.use_reactive(False)
    save_messages = solara.use_reactive(([], False))
    open_problems = solara.use_reactive([])

    stamp = _stamp(ref.value)

    def load():
        try:
            return load_base(ref.value), []
        except ScenarioError as exc:
            return None, [str(p) for p in exc.problems]
    loaded, problems = solara.use_memo(load, [ref.value, stamp])
    base = loaded[0] if loaded else None

    def open_file() -> None:
        """Open a scenario file as the base, or say why not and keep the current one."""
        path = file_text.value.strip()
        if not path:
            open_problems.set(["Give a scenario file, e.g. scenarios/my-town.yaml"])
            return
        try:
            load_scenario_with_sources(path)
        except ScenarioError as exc:
            open_problems.set([str(p) for p in exc.problems] + ["The base stays as it was."])
            return
        on_base(path)

    def on_base(new_ref: str) -> None:
        changes.set({})  # before the new base: a change belongs to the base it was made for
        municipality.set("")
        save_path.set("")
        save_messages.set(([], False))
        open_problems.set([])
        ref.set(new_ref)

    run_seed = (base.simulation.seed if base is not None else 0) if seed.value is None else seed.value
    seed_ok = seed.value is None or 0 <= seed.value <= MAX_SEED
    settings = compute.Settings(int(replicates.value), int(run_seed), parameters.value, int(CONFIG["seeds_per_member"]))
    key = tuple(sorted(levers.effective(base, changes.value).items())) if base is not None else ()

    solara.use_effect(lambda: save_messages.set(([], False)), [key])  # a message about other settings goes

    def start():
        if base is not None and seed_ok:
            refresh(ref.value, key, settings)
    solara.use_effect(start, [ref.value, stamp, key, settings, seed_ok])

    with solara.Columns([4, 9], classes=["explorer"]):
        with solara.Div(classes=["controls"]):
            solara.HTML(tag="h2", unsafe_innerHTML="Refugee introduction explorer")
            solara.HTML(tag="div", classes=["intro"], unsafe_innerHTML=(
                "Change a lever: the base scenario and the changed one are run with the same seeds and compared, "
                "as <code>run.py compare</code> does."))
            solara.HTML(tag="h3", unsafe_innerHTML="Base scenario")
            shipped = shipped_scenarios()
            solara.Select(label="A shipped scenario", values=shipped,
                          value=ref.value if ref.value in shipped else None, on_value=on_base, classes=["base-select"])
            with solara.Row():
                solara.InputText("or a scenario file", value=file_text, placeholder="scenarios/my-town.yaml",
                                 continuous_update=True, classes=["open-path"])
                solara.Button("Open", on_click=open_file, outlined=True, classes=["open-file"])
            if open_problems.value:
                Problems(open_problems.value)
            if problems:
                Problems(problems)
            if base is not None:
                names = list(base.municipalities)
                current = municipality.value if municipality.value in names else names[0]
                if len(names) > 1:  # each with the number of its changes, so none is forgotten
                    moved = {n: sum(lid.partition(":")[0] == n for lid, _ in key) for n in names}
                    labels = {n: (base.municipalities[n].label or n) + (f" ({moved[n]} changed)" if moved[n] else "")
                              for n in names}
                    by_label = {v: k for k, v in labels.items()}
                    solara.Select(label="Levers of the municipality", values=list(labels.values()),
                                  value=labels[current], on_value=lambda text: municipality.set(by_label[text]))
                group = None
                for lid, lever in levers.controls(base, current):
                    if lever.group != group:
                        group = lever.group
                        solara.HTML(tag="h3", unsafe_innerHTML=e(group))
                    LeverControl(base, lid, lever, changes)
                solara.Button("Back to the base scenario", on_click=lambda: changes.set({}), text=True,
                              disabled=not key, classes=["reset"])
                solara.HTML(tag="h3", unsafe_innerHTML="Runs")
                with solara.Div(classes=["replicates"]):
                    solara.HTML(tag="div", classes=["lever-label"],
                                unsafe_innerHTML=f"Replicates of each scenario: <b>{replicates.value}</b>")
                    solara.SliderInt(label="", value=replicates, min=2, max=max(100, int(CONFIG["replicates"])),
                                     thumb_label=False)
                solara.InputInt("Seed (the base scenario's unless set)", value=seed, optional=True, clearable=True)
                if not seed_ok:
                    Problems([f"seed: expected a whole number from 0 to {MAX_SEED}, found {seed.value}"])
                solara.Select(label="Behavioural parameters", values=["ensemble", "point"], value=parameters)
                solara.HTML(tag="div", classes=["hint"], unsafe_innerHTML=(
                    "ensemble: each replicate draws a parameter set from the calibration's posterior, so ranges "
                    "include what the calibration leaves uncertain; point: the fitted point estimate."))
                SaveAndReport(base, ref.value, dict(key), key, settings, seed_ok, save_path, overwrite, save_messages)
        with solara.Div():
            Notices(save_messages)
            if base is not None:
                Results(key, settings, ref.value)
            else:
                solara.HTML(tag="div", classes=["small"], unsafe_innerHTML=(
                    "The base scenario has errors (on the left, as <code>run.py validate</code> prints them): "
                    "correct the file and open it again, or pick a shipped scenario."))


@solara.component
def SaveAndReport(base, ref: str, changes: dict, key: tuple, settings, seed_ok: bool, save_path, overwrite,
                  save_messages):
    solara.HTML(tag="h3", unsafe_innerHTML="Keep it")
    default = str(Path(CONFIG["results"]) / "explorer" / f"{levers.explored_name(base)}.yaml")
    solara.InputText("Save the settings as", value=save_path.value or default, on_value=save_path.set,
                     classes=["save-path"])
    solara.Checkbox(label="replace it if it exists", value=overwrite)

    def save():
        ok, lines = save_scenario(base, ref, changes, save_path.value or default, overwrite.value, settings)
        save_messages.set((lines, ok))
    with solara.Row():
        solara.Button("Save scenario", on_click=save, color="primary", classes=["save"])
        solara.Button("Write full report", on_click=lambda: write_report(ref, key, settings), outlined=True,
                      disabled=write_report.pending or not seed_ok, classes=["report"])


@solara.component
def Notices(save_messages):
    """What the buttons did, at the top of the results where it is seen at once: the saved file
    (or why not), and the report (its progress, then its path and a download of it)."""
    lines, ok = save_messages.value
    if lines:
        if ok:
            solara.Success(" ".join(lines), classes=["saved"], dense=True)
        else:
            Problems(lines)
    if write_report.pending:
        with solara.Div(classes=["report-running"]):
            solara.Text("Writing the full report: the runs with their tables, then the plots …")
            solara.ProgressLinear(write_report.progress or True)
    elif write_report.finished and isinstance(write_report.value, Path):
        report = write_report.value
        with solara.Row(style={"align-items": "center"}):
            solara.Success(f"Report written: {report}", classes=["report-written"], dense=True)
            solara.FileDownload(lambda: report.read_bytes(), filename=f"{report.parent.name}.html",
                                label="Download the report", mime_type="text/html")
    elif write_report.error:
        exc = write_report.exception
        Problems([str(p) for p in exc.problems] if isinstance(exc, ScenarioError) else [str(exc)])


def outcome_definitions(beside: str) -> str:
    """What the two curves mean: employment and the outcome chosen beside it."""
    return "; ".join(f"<b>{e(LABELS[m])}</b>: {e(OUTCOME_DEFINITIONS[m])}" for m in ("employed", beside)) + "."


@solara.component
def OutcomeCurves(outcome):
    """Employment and a chosen outcome beside it (self-sufficient, in work or education off
    support, or on support without work or education), with the two definitions below."""
    beside = solara.use_reactive("self_sufficient")
    labels = {m: LABELS[m] for m in BESIDE_EMPLOYMENT}
    by_label = {v: k for k, v in labels.items()}
    solara.Select(label="Beside employment", values=list(labels.values()), value=labels[beside.value],
                  on_value=lambda text: beside.set(by_label[text]), classes=["outcome-select"])
    solara.HTML(tag="div", unsafe_innerHTML=outcome.charts[BESIDE_EMPLOYMENT[beside.value]], classes=["chart-outcomes"])
    solara.HTML(tag="div", classes=["small", "outcome-definitions"], unsafe_innerHTML=outcome_definitions(beside.value))


@solara.component
def Results(key: tuple, settings, ref: str):
    # The last finished result stays on screen (faded while a newer one runs); a cancelled
    # refresh returns nothing, and must not blank the page.
    kept: Any = solara.use_ref(None)
    if isinstance(refresh.latest, Shown):
        kept.current = refresh.latest
    shown: Shown | None = kept.current
    pending = refresh.pending
    stale = shown is None or shown.ref != ref or shown.changes != key or shown.settings != settings
    if refresh.error:
        exc = refresh.exception
        Problems([str(p) for p in exc.problems] if isinstance(exc, ScenarioError) else [f"{type(exc).__name__}: {exc}"])
    with solara.Row(style={"align-items": "center", "min-height": "28px"}, classes=["status"]):
        if pending:
            solara.Text(f"Running {2 * settings.replicates} worlds … {refresh.progress or 0:.0f} %"
                        " (change a control to start over)")
        elif shown is not None:
            done = shown.settings
            solara.Text(f"{'Up to date' if not stale else 'Shown'}: {done.replicates} replicates, seed {done.seed}, "
                        f"parameters {done.parameters}; {shown.seconds:.2f} s")
    if pending:  # a determinate bar once the first progress has come, a moving one before
        solara.ProgressLinear(refresh.progress if refresh.progress else True)
    else:
        solara.Div(style={"height": "4px"})
    if shown is None:
        return
    outcome = shown.outcome
    summary = outcome.summary
    with solara.Div(classes=["results", "stale" if stale else "fresh"],
                    attributes={"data-generation": str(shown.generation),
                                "data-timings": json.dumps({k: round(v, 3) for k, v in
                                                            {**outcome.timings, "task": shown.seconds}.items()})}):
        solara.HTML(tag="div", classes=["changes", "small"], unsafe_innerHTML=(
            "Changed: " + "; ".join(e(c) for c in shown.described) if shown.described else
            "No lever changed yet: the two columns are the same scenario, run twice with the same seeds."))
        for line in (outcome.verdicts if shown.described else []):
            solara.HTML(tag="div", classes=["verdict"], unsafe_innerHTML=e(line))
        solara.HTML(tag="h3", unsafe_innerHTML="By months since arrival")
        OutcomeCurves(outcome)
        solara.HTML(tag="h3", unsafe_innerHTML="Headline figures")
        solara.HTML(tag="div", unsafe_innerHTML=headline_html(summary), classes=["headline-figures"])
        solara.HTML(tag="div", classes=["small"], unsafe_innerHTML=e(
            f"Shares in per cent (differences in percentage points), spending in SEK per refugee; mean over "
            f"{shown.settings.replicates} replicates with the 5th…95th percentile in brackets; a difference in bold "
            f"is beyond the ranges' spread. " + ranges_text(summary) + " " + " ".join(
                ((summary.get("uncertainty") or {}).get("ranges") or {}).get(k, "")
                for k in ("expected_effect", "one_municipality"))))
        if groups.shows(summary["scenarios"]):  # several municipalities: who gains and who loses
            base, _ = load_base(ref)
            names = {k: (m.label or k) for k, m in base.municipalities.items()}
            labels = {s["scenario"]: names for s in summary["scenarios"]}
            solara.HTML(tag="div", classes=["groups"], unsafe_innerHTML=groups.html_table(
                summary["scenarios"], summary["differences"], labels))
        solara.HTML(tag="h3", unsafe_innerHTML="Weeks in each state, first three years (mean)")
        solara.HTML(tag="div", unsafe_innerHTML=outcome.charts["weeks_in_state"], classes=["chart-weeks"])
        solara.HTML(tag="h3", unsafe_innerHTML="Spending on the introduction, thousand SEK per refugee")
        solara.HTML(tag="div", unsafe_innerHTML=outcome.charts["spending"], classes=["chart-costs"])
        solara.HTML(tag="h3", unsafe_innerHTML="The state's payments to the municipality, thousand SEK per refugee")
        solara.HTML(tag="div", unsafe_innerHTML=outcome.charts["state_payments"], classes=["chart-state"])
