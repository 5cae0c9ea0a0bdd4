"""YAML loading that remembers where every key came from (file and line).

PyYAML's plain loader forgets positions and silently keeps the last of two duplicate keys; both
matter to someone fixing a scenario, so we compose the node tree and build the data ourselves.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import ScenarioError

KeyPath = tuple[str, ...]

# Limits that keep a hostile or broken file from taking the machine: a scenario is a few hundred
# lines, the national benchmark some 30,000.
MAX_BYTES = 20_000_000
MAX_NODES = 500_000        # values built, after anchors and aliases are expanded
MAX_DEPTH = 40             # mappings and lists inside each other


class _Budget:
    def __init__(self, file: str):
        self.file, self.nodes = file, 0


class Located(dict):
    """Plain data plus a map from key path to (file, line)."""


def _construct(node: yaml.Node, loader: yaml.SafeLoader, path: KeyPath, file: str,
               lines: dict[KeyPath, tuple[str, int]], budget: _Budget) -> Any:
    budget.nodes += 1
    if budget.nodes > MAX_NODES:
        raise ScenarioError.single(file, node.start_mark.line + 1, ".".join(path),
                                   f"the file expands to more than {MAX_NODES:,} values (anchors and aliases "
                                   "repeated inside each other?); write it out, or use 'extends:'")
    if len(path) > MAX_DEPTH:
        raise ScenarioError.single(file, node.start_mark.line + 1, ".".join(path[:5]) + "...",
                                   f"nested more than {MAX_DEPTH} levels deep")
    lines.setdefault(path, (file, node.start_mark.line + 1))
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise ScenarioError.single(file, key_node.start_mark.line + 1, ".".join(path),
                                           "keys must be plain names")
            key = str(loader.construct_object(key_node))
            if key == "<<":
                raise ScenarioError.single(file, key_node.start_mark.line + 1, ".".join(path),
                                           "YAML merge keys (<<) are not supported; use 'extends:'")
            if key in out:
                raise ScenarioError.single(
                    file, key_node.start_mark.line + 1, ".".join(path + (key,)),
                    f"duplicate key (first given on line {lines[path + (key,)][1]})")
            lines[path + (key,)] = (file, key_node.start_mark.line + 1)
            out[key] = _construct(value_node, loader, path + (key,), file, lines, budget)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, loader, path + (str(i),), file, lines, budget)
                for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def read_text(path: Path) -> str:
    """A file's text, or a located error for what people give by mistake: a folder, a missing or
    unreadable file, a symlink loop, a file too large, or text that is not UTF-8."""
    file = str(path)
    try:
        if path.is_dir():
            raise ScenarioError.single(file, None, "", "is a folder, expected a YAML file")
        if path.stat().st_size > MAX_BYTES:
            raise ScenarioError.single(file, None, "", f"is larger than {MAX_BYTES // 1_000_000} MB; "
                                                       "expected a YAML file of settings")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ScenarioError.single(file, None, "", "file not found") from None
    except RuntimeError as exc:  # a symlink loop, on some Pythons
        raise ScenarioError.single(file, None, "", f"cannot be read: {exc}") from None
    except OSError as exc:
        raise ScenarioError.single(file, None, "", f"cannot be read: {exc.strerror or exc}") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise ScenarioError.single(file, line, "", "is not UTF-8 text (a byte this encoding cannot have); "
                                                   "save the file as UTF-8") from None


def load_yaml_with_lines(path: Path) -> tuple[Any, dict[KeyPath, tuple[str, int]]]:
    """Return (data, lines) for a YAML file; errors name the file, line and column."""
    file = str(path)
    text = read_text(path)
    # libyaml's parser where PyYAML has it (five times faster on a national world's 1 MB); the
    # same nodes, marks and errors.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        try:
            node = loader.get_single_node()
        except RecursionError:
            raise ScenarioError.single(file, None, "", f"nested too deeply (more than {MAX_DEPTH} levels are "
                                                       "not supported)") from None
        lines: dict[KeyPath, tuple[str, int]] = {}
        data = None if node is None else _construct(node, loader, (), file, lines, _Budget(file))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        col = f", column {mark.column + 1}" if mark else ""
        lines_of_text = text.splitlines()
        tab = (line is not None and 0 < line <= len(lines_of_text)
               and "\t" in lines_of_text[line - 1][:len(lines_of_text[line - 1]) - len(lines_of_text[line - 1].lstrip())])
        hint = "; the line is indented with a tab: YAML indents with spaces only" if tab else ""
        raise ScenarioError.single(
            file, line, "", f"YAML syntax error{col}: {exc.problem or exc.context}{hint}") from None
    except yaml.YAMLError as exc:
        raise ScenarioError.single(file, None, "", f"YAML error: {exc}") from None
    finally:
        loader.dispose()
    return data, lines
