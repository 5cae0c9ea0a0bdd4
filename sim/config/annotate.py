"""Where each value of a resolved scenario came from, and what its source comment says.

Used by `run.py show` and by the report's list of assumptions: every value with its origin (file
and line, `--set`, or the default) and the comment written beside it in the YAML file (or, for a
default, the schema's description of the field, which names its source).
"""

from __future__ import annotations

import typing
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from pydantic import BaseModel

from .loader import Sources, _unwrap
from .schema import Scenario


def _trailing_comment(line: str) -> str | None:
    quote = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1].isspace()):
            return line[i + 1:].strip() or None
    return None


@lru_cache(maxsize=64)
def _file_lines(path: str) -> tuple[str, ...]:
    try:
        return tuple(Path(path).read_text(encoding="utf-8").splitlines())
    except OSError:
        return ()


def comment_at(path: str, line: int) -> str | None:
    """The comment on a YAML line, else the comment block directly above it."""
    lines = _file_lines(path)
    if not 1 <= line <= len(lines):
        return None
    own = _trailing_comment(lines[line - 1])
    if own and not lines[line - 1].lstrip().startswith("#"):
        return own
    above = []
    k = line - 2
    while k >= 0 and lines[k].lstrip().startswith("#"):
        above.append(lines[k].lstrip()[1:].strip())
        k -= 1
    return " ".join(reversed(above)) or None


def field_description(path: tuple[str, ...]) -> str | None:
    """The schema's description of the field at `path` (dict keys such as names are skipped)."""
    node: Any = Scenario
    desc = None
    for key in path:
        node = _unwrap(node)
        if isinstance(node, type) and issubclass(node, BaseModel):
            fields = {(f.alias or n): f for n, f in node.model_fields.items()}
            f = fields.get(key)
            if f is None:
                return None
            desc = f.description
            node = f.annotation
        elif typing.get_origin(node) in (dict, list):
            node = typing.get_args(node)[-1]
            desc = None
        else:
            return None
    return desc


def flatten(data: Any, prefix: tuple[str, ...] = ()) -> dict[tuple[str, ...], Any]:
    """Leaves of nested mappings; lists are leaves (they are set as a whole)."""
    if isinstance(data, dict) and data:
        out: dict[tuple[str, ...], Any] = {}
        for k, v in data.items():
            out.update(flatten(v, prefix + (str(k),)))
        return out
    return {prefix: data}


def unflatten(leaves: Iterable[tuple[tuple[str, ...], Any]]) -> dict:
    """Nested mappings from (key path, value) leaves: the inverse of `flatten`."""
    out: dict = {}
    for path, value in leaves:
        node = out
        for k in path[:-1]:
            node = node.setdefault(k, {})
        node[path[-1]] = value
    return out


@lru_cache(maxsize=256)
def shown_path(file: str) -> str:
    """A file as a reader can use it: relative to the working folder, or to the project (the
    shipped scenarios and calibration), else as given; never another machine's absolute path in
    what is shared."""
    p = Path(file)
    if not p.is_absolute():
        return file
    for root in (Path.cwd(), Path(__file__).resolve().parents[2]):
        try:
            return p.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            continue
    return file


def annotate(scenario: Scenario, sources: Sources | None, skip: tuple[str, ...] = ()) -> list[dict]:
    """One row per value: path, value, origin ('file:line', '--set' or 'default'), comment;
    without the top-level sections named in `skip`."""
    rows = []
    data = scenario.model_dump(mode="json", by_alias=True)
    for key in skip:
        data.pop(key, None)
    for path, value in flatten(data).items():
        hit = sources.lines.get(path) if sources is not None else None
        if hit is None:  # not written in any file: the schema's default
            origin, comment = "default", None
        elif hit[0] == "--set":
            origin, comment = "--set", None
        else:
            origin, comment = f"{shown_path(hit[0])}:{hit[1]}", comment_at(*hit)
        rows.append({"path": ".".join(path), "value": value, "origin": origin,
                     "comment": comment or field_description(path)})
    return rows

