"""Load a scenario: YAML -> `extends:` chain -> overrides -> validated `Scenario`.

Every problem is reported as `file:line: key.path: expected ..., found ...`, with the closest valid
name suggested for an unknown key, and all problems of a file at once rather than one per run.
"""

from __future__ import annotations

import difflib
import json
import types
import typing
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

import yaml
from pydantic import BaseModel, ValidationError

from .arrivals import expected_arrivals
from .base import deep_merge
from .errors import Problem, ScenarioError
from .paths import CALIBRATION_DIR, SCENARIO_DIR  # noqa: F401  (re-exported)
from .schema import MAX_POPULATION, NAME_PATTERN, REMOVED_KEYS, RefugeeProfile, Scenario
from .yaml_lines import KeyPath, load_yaml_with_lines


@dataclass
class Sources:
    """Where each value of a resolved scenario came from: key path -> (file, line)."""

    lines: dict[KeyPath, tuple[str, int]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)  # the extends chain, child first

    def locate(self, path: KeyPath) -> tuple[str | None, int | None]:
        """The file and line of the longest prefix of `path` that a file gave."""
        for n in range(len(path), -1, -1):
            hit = self.lines.get(tuple(path[:n]))
            if hit:
                return hit
        return (self.files[0] if self.files else None), None


def resolve_scenario_path(name: str | Path, relative_to: Path | None = None) -> Path:
    """A path as given, else relative to `relative_to`, else a built-in scenario by name."""
    p = Path(name)
    candidates = [p]
    if relative_to is not None and not p.is_absolute():
        candidates.insert(0, relative_to / p)
    candidates += [SCENARIO_DIR / p, SCENARIO_DIR / f"{p}.yaml"]
    for c in candidates:
        if c.is_file():
            return c
    return candidates[0]


def shipped_scenarios() -> list[str]:
    """The built-in scenarios' names (the files in the shipped scenarios folder)."""
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.yaml"))


def _suggest_scenario(name: str) -> str:
    close = difflib.get_close_matches(Path(name).stem, shipped_scenarios(), n=1, cutoff=0.6)
    if close:
        return f"; did you mean the built-in scenario '{close[0]}'?"
    return f" (built-in scenarios: {', '.join(shipped_scenarios())}; `run.py list` describes them)"


def _load_chain(path: Path, stack: tuple[Path, ...], sources: Sources,
                at: tuple[str | None, int | None]) -> dict:
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError) as exc:  # a symlink loop
        raise ScenarioError.single(str(path), None, "", f"cannot be read: {exc}") from None
    if resolved in stack:
        chain = " -> ".join(p.name for p in stack + (resolved,))
        raise ScenarioError.single(at[0], at[1], "extends", f"'extends' makes a cycle: {chain}")
    if not path.is_file() and not path.is_dir() and at[0] is not None:
        raise ScenarioError.single(at[0], at[1], "extends", f"parent scenario '{path}' not found")
    data, lines = load_yaml_with_lines(path)  # a folder, a missing or unreadable file: located errors
    file = str(path)
    if data is None:
        raise ScenarioError.single(file, None, "", "the scenario is empty; expected a mapping "
                                                   "with at least 'municipalities'")
    if not isinstance(data, dict):
        raise ScenarioError.single(file, 1, "", f"expected a mapping of keys, found {type(data).__name__}")
    sources.files.append(file)
    parent_name = data.pop("extends", None)
    merged: dict = {}
    if parent_name is not None:
        if not isinstance(parent_name, str):
            raise ScenarioError.single(file, lines.get(("extends",), (file, None))[1], "extends",
                                       "expected a file name, e.g. 'extends: typical_2006.yaml'")
        parent = resolve_scenario_path(parent_name, relative_to=path.parent)
        merged = _load_chain(parent, stack + (resolved,), sources, lines[("extends",)])
        merged.pop("title", None)  # a child is another scenario: it never wears its parent's title
        _rename_inherited(merged, data, file, lines, sources)
        _remove_inherited(merged, data, file, lines)
    lines.pop(("extends",), None)
    sources.lines.update(lines)  # the child's positions win over the parent's
    return deep_merge(merged, data)


COLLECTIONS = ("municipalities", "employers", "staffing_agencies", "secondary_agreements")


def _rename_inherited(merged: dict, data: dict, file: str, lines: dict, sources: Sources) -> None:
    """`rename_municipalities: {falkenberg: town}` in a child gives an inherited municipality a new
    key, and moves every reference to it (employers, staffing agencies, secondary agreements,
    commuting) along, so that the child's own settings can use the new key."""
    renames = data.pop("rename_municipalities", None)
    if renames is None:
        return
    line = lines.get(("rename_municipalities",), (file, None))[1]
    if not isinstance(renames, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in renames.items()):
        raise ScenarioError.single(file, line, "rename_municipalities",
                                   "expected a mapping of inherited municipality keys to new keys, "
                                   "e.g. 'rename_municipalities: {falkenberg: town}'")
    munis = merged.get("municipalities") or {}
    for old, new in renames.items():
        if old not in munis:
            raise ScenarioError.single(file, lines.get(("rename_municipalities", old), (file, line))[1],
                                       f"rename_municipalities.{old}",
                                       f"the parent scenario has no municipality '{old}' (it has: {', '.join(munis)})")
        if new in munis:
            raise ScenarioError.single(file, lines.get(("rename_municipalities", old), (file, line))[1],
                                       f"rename_municipalities.{old}", f"the parent already has a municipality '{new}'")
    merged["municipalities"] = {renames.get(k, k): v for k, v in munis.items()}
    sources.lines = {(("municipalities", renames[k[1]]) + k[2:]
                      if len(k) > 1 and k[0] == "municipalities" and k[1] in renames else k): v
                     for k, v in sources.lines.items()}
    _map_references(merged, lambda key: renames.get(key, key))


def _remove_inherited(merged: dict, data: dict, file: str, lines: dict) -> None:
    """`municipalities: {old: null}` in a child removes what the parent defined under that key
    (and so does null for an employer, a staffing agency or a secondary agreement); renaming is a
    removal plus the same entry under its new key."""
    for coll in COLLECTIONS:
        child = data.get(coll)
        if not isinstance(child, dict):
            continue
        for key in [k for k, v in child.items() if v is None]:
            found = merged.get(coll)
            inherited: dict = found if isinstance(found, dict) else {}
            if key not in inherited:
                line = lines.get((coll, key), (file, None))[1]
                raise ScenarioError.single(file, line, f"{coll}.{key}",
                                           f"null removes an inherited entry, but the parent scenario has no "
                                           f"'{key}' under '{coll}' (it has: {', '.join(inherited) or 'none'})")
            del inherited[key]
            del child[key]
            if coll == "municipalities":
                _map_references(merged, _removing(key))


def _removing(gone: str) -> Callable[[str], str | None]:
    return lambda key: None if key == gone else key


def _map_references(merged: dict, to: Callable[[str], str | None]) -> None:
    """Every reference to a municipality (employers, secondary agreements, staffing agencies'
    lists, commuting) through `to`: a new key for a renamed municipality, None for a removed one,
    which takes its employers and agreements with it and leaves the lists."""
    def at(key):
        return to(key) if isinstance(key, str) else key

    for coll, fields in (("employers", ("municipality",)), ("secondary_agreements", ("from", "to"))):
        items = merged.get(coll)
        if not isinstance(items, dict):
            continue
        for name, item in list(items.items()):
            if not isinstance(item, dict):
                continue
            moved = {f: at(item[f]) for f in fields if f in item}
            if any(v is None for v in moved.values()):
                del items[name]
            else:
                item.update(moved)
    lists: list[tuple[Any, tuple[str, ...]]] = [(a, ("municipalities", "partner_municipalities")) for a in (merged.get("staffing_agencies") or {}).values()]
    lists += [(m, ("commuting_to",)) for m in (merged.get("municipalities") or {}).values()]
    for holder, keys in lists:
        for f in keys:
            if isinstance(holder, dict) and isinstance(holder.get(f), list):
                holder[f] = [k for k in map(at, holder[f]) if k is not None]


# --- turning pydantic's errors into messages for people --------------------------------------

def _unwrap(annotation: Any) -> Any:
    """Strip Optional/Union-with-None and Annotated wrappers."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            if len(args) == 1 or models:
                annotation = models[0] if models else args[0]
            else:
                return annotation
        else:
            return annotation


def _field_names(model: type[BaseModel]) -> dict[str, Any]:
    """Input names (aliases where given) -> annotation."""
    return {(f.alias or name): f.annotation for name, f in model.model_fields.items()}


def _walk(path: KeyPath, root: type[BaseModel] = Scenario) -> tuple[KeyPath, Any]:
    """Follow `path` through the schema; return the data-key prefix and the type found there."""
    node: Any = root
    kept: list[str] = []
    for key in path:
        node = _unwrap(node)
        if isinstance(node, type) and issubclass(node, BaseModel):
            names = _field_names(node)
            if key not in names:
                return tuple(kept), node  # e.g. pydantic's union branch names: stop here
            node = names[key]
        elif typing.get_origin(node) is dict:
            node = typing.get_args(node)[1]
        elif typing.get_origin(node) is list:
            node = typing.get_args(node)[0]
        else:
            return tuple(kept), node
        kept.append(str(key))
    return tuple(kept), _unwrap(node)


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) < 60 else text[:57] + "..."


def problems_from_validation(exc: ValidationError, sources: Sources, prefix: KeyPath = (),
                             root: type[BaseModel] = Scenario) -> list[Problem]:
    """pydantic's errors as located, plain-language problems (root: the schema validated)."""
    problems: list[Problem] = []
    seen: set[KeyPath] = set()
    # Where a union (a number or a list of numbers) failed in every branch, the branch of the
    # input's own type says what is wrong; "expected a number, found a list" would not.
    errors = sorted(exc.errors(), key=lambda err: err["type"].endswith("_type"))
    for err in errors:
        loc = prefix + tuple(str(x) for x in err["loc"])
        if prefix and root is not Scenario:
            kept, _ = _walk(loc[len(prefix):], root)
            kept = prefix + kept
        else:
            kept, _ = _walk(loc, root)
        if err["type"] == "extra_forbidden":
            parent, model = _walk(loc[len(prefix):-1], root) if root is not Scenario else _walk(loc[:-1], root)
            unknown = loc[-1]
            names = sorted(_field_names(model)) if isinstance(model, type) and issubclass(model, BaseModel) else []
            close = difflib.get_close_matches(unknown, names, n=1, cutoff=0.5)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            valid = f" (valid keys: {', '.join(names)})" if names and not close else ""
            file, line = sources.locate(loc)
            removed = REMOVED_KEYS.get((getattr(model, "__name__", ""), unknown))
            text = f"unknown key '{unknown}': {removed}" if removed else f"unknown key '{unknown}'{hint}{valid}"
            problems.append(Problem(file, line, ".".join(loc), text))
            continue
        if kept in seen:
            continue  # one message per key, even when a union produced several
        seen.add(kept)
        file, line = sources.locate(kept)
        msg = err["msg"]
        if err["type"] == "missing":
            text = "is required but missing"
        elif err["type"] == "string_pattern_mismatch" and err.get("ctx", {}).get("pattern") == NAME_PATTERN:
            text = (f"expected a name of ASCII letters, digits, '_', '.' and '-' (starting with a letter or digit, "
                    f"at most 64 characters; no å, ä or ö: the name becomes part of a folder name), found "
                    f"{_describe(err.get('input'))}; 'title' takes any text, e.g. title: Malmö")
        elif err["type"] == "bool_parsing":
            text = f"expected true or false, found {_describe(err.get('input'))}"
        elif err["type"] == "value_error":
            text = msg.removeprefix("Value error, ")
        else:
            text = f"expected {msg[0].lower() + msg[1:]}".replace("expected input should be", "expected")
            if "input" in err:
                text += f", found {_describe(err['input'])}"
        problems.append(Problem(file, line, ".".join(kept), text))
    return problems


def _check_placement(s: Scenario, sources: Sources) -> list[Problem]:
    """Arrivals either per municipality or placed nationally; a placement's municipalities real
    ones (SCB codes), its published year one that was published, its predictions readable and
    covering every municipality (read here, so that model code never reads files)."""
    problems: list[Problem] = []

    def problem(path: KeyPath, message: str) -> None:
        file, line = sources.locate(path)
        problems.append(Problem(file, line, ".".join(path), message))

    pl = s.placement
    for name, m in s.municipalities.items():
        if pl is None and m.arrivals is None:
            problem(("municipalities", name), "'arrivals' missing: give e.g. 'arrivals: {per_year: 50}' (or place the "
                                              "country's arrivals with a 'placement:' block)")
        elif pl is not None and m.arrivals is not None:
            problem(("municipalities", name, "arrivals"),
                    "the scenario's 'placement:' places every arrival; remove this municipality's 'arrivals'")
        elif pl is not None and m.labour_market.register_code in (None, "national"):
            problem(("municipalities", name, "labour_market", "register_code"),
                    "a placement needs each municipality's SCB code (e.g. register_code: \"1382\"): its "
                    "settlement numbers and reception come from data/municipalities.csv")
    if pl is None or problems:
        return problems
    seen: dict[str, str] = {}
    for name, m in s.municipalities.items():
        code = str(m.labour_market.register_code)
        if code in seen:
            problem(("municipalities", name, "labour_market", "register_code"),
                    f"municipality {code} is already '{seen[code]}': each of a placement's municipalities must be "
                    "a different one (its settlement numbers would count twice)")
        seen.setdefault(code, name)
    if problems:
        return problems
    from ..placement.numbers import published_years  # noqa: PLC0415
    sa = pl.settlement_act
    year = sa.year or s.simulation.start_date.year
    published = published_years()
    uses_act = pl.rule in ("settlement_act", "optimised")
    if uses_act and sa.county_numbers == "published" and year not in published:
        problem(("placement", "settlement_act", "year") if sa.year else ("simulation", "start_date"),
                f"no published county numbers for {year}; published years: {', '.join(map(str, published))} "
                "(set placement.settlement_act.year, or county_numbers: computed)")
    if pl.rule == "optimised":
        problems += _read_predictions(s, sources)
    return problems


def _read_predictions(s: Scenario, sources: Sources) -> list[Problem]:
    from ..placement.prediction import Predictions  # noqa: PLC0415
    o = s.placement.optimised  # type: ignore[union-attr]
    path_key = ("placement", "optimised", "predictions")
    file, line = sources.locate(path_key)
    relative_to = Path(file).parent if file and file not in ("<dict>", "--set") else None
    path = resolve_parameters_path(o.predictions, relative_to)
    where = Problem(file, line, ".".join(path_key), "")
    if not path.is_file():
        return [replace(where, message=f"predictions file '{o.predictions}' not found (looked beside the scenario and "
                                       f"in {CALIBRATION_DIR}); `run.py national --predict` writes one")]
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        pred = Predictions.from_json(data if isinstance(data, dict) else {})
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return [Problem(str(path), getattr(exc, "lineno", None), "", f"not a JSON file: {exc}")]
    except ValueError as exc:
        return [Problem(str(path), None, "", f"not a predictions file: {exc}")]
    codes = {str(m.labour_market.register_code) for m in s.municipalities.values()}
    missing = sorted(codes - set(pred.codes))
    if missing:
        return [replace(where, message=f"the predictions in '{o.predictions}' do not cover municipality "
                                       f"{missing[0]} ({len(missing)} missing); predict for this world with "
                                       "`run.py national --predict`")]
    # Sections are frozen once validated; the predictions are the one value the loader adds, the
    # file's contents behind the path the user gave.
    object.__setattr__(o, "predicted", pred)
    return []


def _check_references(s: Scenario, sources: Sources) -> list[Problem]:
    """Checks across sections: names that must refer to municipalities, and a non-empty population."""
    munis = set(s.municipalities)
    problems: list[Problem] = []

    def need(name: str, path: KeyPath, what: str):
        if name not in munis:
            close = difflib.get_close_matches(name, sorted(munis), n=1, cutoff=0.5)
            hint = f"; did you mean '{close[0]}'?" if close else f" (known: {', '.join(sorted(munis))})"
            file, line = sources.locate(path)
            problems.append(Problem(file, line, ".".join(path), f"{what} '{name}' is not a municipality of this scenario{hint}"))

    for name, m in s.municipalities.items():
        for i, other in enumerate(m.commuting_to):
            need(other, ("municipalities", name, "commuting_to", str(i)), "commuting destination")
    for name, e in s.employers.items():
        need(e.municipality, ("employers", name, "municipality"), "employer's municipality")
    for name, a in s.staffing_agencies.items():
        for i, where in enumerate(a.municipalities):
            need(where, ("staffing_agencies", name, "municipalities", str(i)), "agency municipality")
        for i, where in enumerate(a.partner_municipalities):
            need(where, ("staffing_agencies", name, "partner_municipalities", str(i)), "partner municipality")
    for name, g in s.secondary_agreements.items():
        need(g.from_municipality, ("secondary_agreements", name, "from"), "sending municipality")
        need(g.to_municipality, ("secondary_agreements", name, "to"), "receiving municipality")
        if g.from_municipality == g.to_municipality:
            file, line = sources.locate(("secondary_agreements", name, "to"))
            problems.append(Problem(file, line, f"secondary_agreements.{name}.to",
                                    "an agreement must move people to another municipality"))
    if not problems:
        total = expected_arrivals(s)
        file, line = sources.locate(("municipalities",))
        if total == 0:
            problems.append(Problem(file, line, "municipalities",
                                    "the scenario has no refugees: every municipality's arrivals are 0"))
        elif total > MAX_POPULATION:
            problems.append(Problem(file, line, "municipalities",
                                    f"the scenario has {total:,} refugees over its years; at most "
                                    f"{MAX_POPULATION:,} fit a run (about 400 bytes each)"))
    return problems


def _check_profiles(s: Scenario, sources: Sources) -> list[Problem]:
    problems: list[Problem] = []
    base = s.refugee_profile.model_dump()
    for name, m in s.municipalities.items():
        if m.profile:
            try:
                RefugeeProfile.model_validate(deep_merge(base, m.profile))
            except ValidationError as exc:
                problems += problems_from_validation(exc, sources, ("municipalities", name, "profile"))
    return problems


def apply_overrides(data: dict, overrides: list[tuple[str, Any]], sources: Sources) -> dict:
    """Set `key.path=value` changes (from the command line) on raw scenario data.

    The path must exist: every key a field of the schema, every name (of a municipality, an
    employer ...) one the scenario has. The value is then validated with the rest of the file.
    """
    for dotted, value in overrides:
        keys = dotted.split(".")
        node: Any = data
        model: Any = Scenario
        for i, key in enumerate(keys):
            model = _unwrap(model)
            where = ".".join(keys[:i]) or "the scenario"
            if isinstance(model, type) and issubclass(model, BaseModel):
                names = _field_names(model)
                if key not in names:
                    close = difflib.get_close_matches(key, sorted(names), n=1, cutoff=0.5)
                    hint = f"; did you mean '{close[0]}'?" if close else ""
                    raise ScenarioError.single("--set", None, dotted, f"unknown key '{key}' in {where}{hint}")
                model = names[key]
            elif typing.get_origin(model) is dict:
                if not isinstance(node, dict) or key not in node:
                    known = ", ".join(sorted(node)) if isinstance(node, dict) and node else "none"
                    raise ScenarioError.single("--set", None, dotted, f"{where} has no '{key}' (known: {known})")
                model = typing.get_args(model)[1]
            else:
                raise ScenarioError.single("--set", None, dotted, f"'{where}' is a single value; nothing lies below it")
            if i < len(keys) - 1:
                if not isinstance(node.get(key), dict):
                    node[key] = {}
                node = node[key]
        node[keys[-1]] = value
        sources.lines[tuple(keys)] = ("--set", 0)
    return data


def resolve_parameters_path(name: str, relative_to: Path | None = None) -> Path:
    """A fitted-parameters file: relative to the scenario, else under `calibration/`."""
    p = Path(name)
    candidates = [p] if p.is_absolute() else (
        ([relative_to / p] if relative_to is not None else []) + [CALIBRATION_DIR / p])
    for c in candidates:
        if c.is_file():
            return c
    return candidates[-1]


def _with_fitted_parameters(data: dict, sources: Sources) -> dict:
    """Lay the fitted behavioural values named by `parameters:` under the scenario's own.

    A fitted file holds a `calibration:` block (what was fitted to what; read by people and
    reports) and a `behaviour:` block. The scenario's own `behaviour:` values win, so a scenario
    can still state a deliberate exception, which `run.py show` then locates in the scenario.
    """
    name = data.get("parameters")
    if name is None:
        return data
    at_file, at_line = sources.locate(("parameters",))
    if not isinstance(name, str):
        raise ScenarioError.single(at_file, at_line, "parameters",
                                   "expected a fitted-parameters file, e.g. 'parameters: fitted/shipped.yaml'")
    relative_to = Path(at_file).parent if at_file and at_file != "<dict>" else None
    path = resolve_parameters_path(name, relative_to)
    if not path.is_file():
        raise ScenarioError.single(at_file, at_line, "parameters",
                                   f"fitted-parameters file '{name}' not found (looked beside the scenario "
                                   f"and in {CALIBRATION_DIR})")
    fitted, lines = load_yaml_with_lines(path)
    file = str(path)
    if not isinstance(fitted, dict) or not isinstance(fitted.get("behaviour"), dict):
        raise ScenarioError.single(file, 1, "behaviour", "expected a mapping with a 'behaviour' section "
                                                         "(and optionally 'calibration')")
    extra = sorted(set(fitted) - {"behaviour", "calibration"})
    if extra:
        raise ScenarioError.single(file, lines.get((extra[0],), (file, None))[1], extra[0],
                                   "unknown key; a fitted-parameters file has 'calibration' and 'behaviour' only")
    sources.files.append(file)
    for key, where in lines.items():
        if key[:1] == ("behaviour",):
            sources.lines.setdefault(key, where)  # the scenario's own positions win
    return deep_merge({"behaviour": fitted["behaviour"]}, data)


def load_scenario_with_sources(path: str | Path, overrides: list[tuple[str, Any]] | None = None,
                               ignore_parameters: bool = False) -> tuple[Scenario, Sources]:
    """With `ignore_parameters`, the `parameters:` file is not applied (a calibration starts from
    the defaults, so what it writes does not depend on an earlier fit)."""
    sources = Sources()
    resolved = resolve_scenario_path(path)
    if not resolved.exists() and not resolved.is_symlink():
        raise ScenarioError.single(str(path), None, "", f"file not found{_suggest_scenario(str(path))}")
    data = _load_chain(resolved, (), sources, (None, None))
    if ignore_parameters:
        data.pop("parameters", None)
    else:
        data = _with_fitted_parameters(data, sources)
    if overrides:
        data = apply_overrides(data, overrides, sources)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(problems_from_validation(exc, sources)) from None
    problems = _check_placement(scenario, sources)
    problems = problems or (_check_profiles(scenario, sources) + _check_references(scenario, sources))
    if problems:
        raise ScenarioError(problems)
    return scenario, sources


def load_scenario(path: str | Path, overrides: list[tuple[str, Any]] | None = None) -> Scenario:
    """Load, resolve and validate a scenario file; raise ScenarioError with located problems."""
    return load_scenario_with_sources(path, overrides)[0]


def scenario_from_dict(data: dict) -> Scenario:
    """Validate scenario data built in code (tests, sweeps); errors still name the key path."""
    sources = Sources(files=["<dict>"])
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(problems_from_validation(exc, sources)) from None
    problems = _check_placement(scenario, sources)
    problems = problems or (_check_profiles(scenario, sources) + _check_references(scenario, sources))
    if problems:
        raise ScenarioError(problems)
    return scenario


def parse_set_value(text: str) -> Any:
    """A `--set` value is read as YAML, so `40`, `true` and `[a, b]` have their natural types.
    Raises ValueError for text that is not a plain YAML value (a tag, a syntax error)."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ValueError(f"expected a plain value (a number, true/false, text or [a, b]), found '{text}': {problem}") from None


def load_validated_file(path: Path, root: type[BaseModel], what: str, expected: str):
    """(validated object, sources) of a YAML file of another kind (targets, specs): a missing
    file, a non-mapping or any invalid value is a ScenarioError located by file, line and key."""
    file = str(path)
    if not path.is_file():
        raise ScenarioError.single(file, None, "", f"{what} not found")
    data, lines = load_yaml_with_lines(path)
    if not isinstance(data, dict):
        raise ScenarioError.single(file, 1, "", f"expected a mapping ({expected})")
    sources = Sources(lines=lines, files=[file])
    try:
        return root.model_validate(data), sources
    except ValidationError as exc:
        raise ScenarioError(problems_from_validation(exc, sources, root=root)) from None
