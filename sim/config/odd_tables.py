"""The ODD's parameter tables, generated from `sim/config/behaviour.py` so that they cannot drift.

docs/ODD.md holds, for each section of `Behaviour`, a block

    <!-- parameters: language -->
    ...the table...
    <!-- /parameters -->

    python -m sim.config.odd_tables docs/ODD.md           # rewrite the tables in place
    python -m sim.config.odd_tables docs/ODD.md --check   # exit 1 if any table is out of date

(tests/test_docs.py runs the check.)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from pydantic import BaseModel

from .behaviour import Behaviour

BLOCK = re.compile(r"(<!-- parameters: (\w+) -->\n)(.*?)(<!-- /parameters -->)", re.S)


def _value(v) -> str:
    if isinstance(v, BaseModel):
        return ", ".join(f"{k} {_value(x)}" for k, x in v.model_dump().items())
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def _mechanism(doc: str) -> tuple[str, str]:
    """('M1 +', rest) from a description that starts 'M1 (+). ...'; ('', doc) otherwise."""
    m = re.match(r"^(M\d(?:, M\d)*)(?: \(([+-])\))?\.\s*(.*)$", doc, re.S)
    if not m:
        return "", doc
    sign = {"+": " +", "-": " −"}.get(m.group(2) or "", "")
    return m.group(1) + sign, m.group(3)


def parameter_table(section: str) -> str:
    """The Markdown table of one section of `Behaviour`: name, default, mechanism and sign, meaning
    and source."""
    model = Behaviour.model_fields[section].annotation
    assert isinstance(model, type) and issubclass(model, BaseModel)
    defaults = model()
    rows = ["| parameter | default | mechanism, sign | meaning and source |", "| --- | --- | --- | --- |"]
    for name, field in model.model_fields.items():
        mech, text = _mechanism(" ".join((field.description or "").split()))
        rows.append(f"| `{name}` | {_value(getattr(defaults, name))} | {mech or 'n/a'} | {text} |")
    doc = " ".join((model.__doc__ or "").split())
    return f"Parameters `behaviour.{section}`: {doc}\n\n" + "\n".join(rows) + "\n"


def render(text: str) -> str:
    """`text` with every parameter block regenerated."""
    return BLOCK.sub(lambda m: m.group(1) + parameter_table(m.group(2)) + m.group(4), text)


def sections_in(text: str) -> list[str]:
    return [m.group(2) for m in BLOCK.finditer(text)]


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    check = "--check" in args
    path = Path(next(a for a in args if not a.startswith("--")))
    text = path.read_text(encoding="utf-8")
    new = render(text)
    missing = sorted(set(Behaviour.model_fields) - set(sections_in(text)))
    if missing:
        print(f"{path}: no parameter table for: {', '.join(missing)}", file=sys.stderr)
        return 1
    if check:
        if new != text:
            print(f"{path}: parameter tables differ from sim/config/behaviour.py; run "
                  f"python -m sim.config.odd_tables {path}", file=sys.stderr)
            return 1
        return 0
    path.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
