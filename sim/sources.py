"""The five policy documents the model is built from, by title.

Comments in scenario files and parameter descriptions cite them as "seed 000" ... "seed 004"
(short, and stable across languages); whatever a reader sees (the report, `run.py show`) names the
document instead. docs/SOURCES.md says what each one says and where the model uses it.
"""

from __future__ import annotations

import re

SEEDS = {
    "000": 'Folkpartiet liberalerna, "Välkommen till jobbet!" (2007)',
    "001": "the Jämtland ESF pre-project on introduction (2008)",
    "002": "Nutek, integration and regional growth (2007)",
    "003": "the 2006 central agreement on introduction",
    "004": 'KORA, "Integration – Vejen til arbejdsmarkedet" (2016)',
}
_SEED = re.compile(r"\bseeds? (0\d\d)\b")


def expand(text: str) -> str:
    """'seed 000' -> the document's title, wherever it appears in `text`."""
    return _SEED.sub(lambda m: SEEDS.get(m.group(1), m.group(0)), text)
