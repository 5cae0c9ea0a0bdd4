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


class Located(dict):
    """Plain data plus a map from key path to (file, line)."""


def _construct(node: yaml.Node, loader: yaml.SafeLoader, path: KeyPath, file: str,
               lines: dict[KeyPath, tuple[str, int]]) -> Any:
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
            out[key] = _construct(value_node, loader, path + (key,), file, lines)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, loader, path + (str(i),), file, lines)
                for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def load_yaml_with_lines(path: Path) -> tuple[Any, dict[KeyPath, tuple[str, int]]]:
    """Return (data, lines) for a YAML file; errors name the file, line and column."""
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError.single(file, None, "", "file not found") from None
    except IsADirectoryError:
        raise ScenarioError.single(file, None, "", "is a directory, expected a YAML file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError.single(file, None, "", f"cannot be read: {exc}") from None
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        lines: dict[KeyPath, tuple[str, int]] = {}
        data = None if node is None else _construct(node, loader, (), file, lines)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        col = f", column {mark.column + 1}" if mark else ""
        raise ScenarioError.single(
            file, line, "", f"YAML syntax error{col}: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise ScenarioError.single(file, None, "", f"YAML error: {exc}") from None
    finally:
        loader.dispose()
    return data, lines
