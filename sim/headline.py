"""The headline figures: one list of rows for the terminal table and the report, and the verdict
sentences a reader sees first.

Keeping one list means the report can never show fewer rows than the terminal (issue 13); the
verdicts say in words what a difference's range says in numbers.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    label: str                 # for people: "employed at 24 months"
    path: tuple[str, ...]      # where the figure sits in a summary (or a differences dict)
    kind: str = "pct"          # "pct" (a share) or "sek" (money per refugee)

    def get(self, summary: dict) -> dict | None:
        node = summary
        for key in self.path:
            if not isinstance(node, dict) or key not in node:
                return None
            node = node[key]
        return node if isinstance(node, dict) else None


ROWS = [
    Row("self-sufficient at 12 months", ("self_sufficiency", "12")),
    Row("self-sufficient at 24 months", ("self_sufficiency", "24")),
    Row("self-sufficient at 36 months", ("self_sufficiency", "36")),
    Row("self-sufficient at 60 months", ("self_sufficiency", "60")),
    Row("in work or education, off support, at 12 months", ("occupied_off_support", "12")),
    Row("in work or education, off support, at 24 months", ("occupied_off_support", "24")),
    Row("in work or education, off support, at 36 months", ("occupied_off_support", "36")),
    Row("on support, no work or education, at 24 months", ("passive_support", "24")),
    Row("employed at 12 months", ("employment", "12")),
    Row("employed at 24 months", ("employment", "24")),
    Row("employed at 36 months", ("employment", "36")),
    Row("employed at 60 months", ("employment", "60")),
    Row("women employed at 60 months", ("employment_by_sex", "female", "60")),
    Row("men employed at 60 months", ("employment_by_sex", "male", "60")),
    Row("employed at 24 months, not in a subsidised job", ("employment_unsubsidised", "24")),
    Row("any paid work during year 2", ("employment_during_year", "2")),
    Row("labour-market contact, year 1", ("labour_market_contact_year1",)),
    Row("an SFI course passed, year 1", ("sfi_course_year1",)),
    Row("SFI completed (course D), year 1", ("sfi_completed_year1",)),
    Row("job of 3+ weeks within 3 years", ("job_3_weeks_within_3_years",)),
    Row("spending per refugee, SEK", ("costs_sek_per_refugee",), "sek"),
]

# The figures a verdict speaks about, in order of preference: the first one the run reached.
VERDICT_ROWS = [("employed", ("employment", ("24", "12"))), ("self-sufficient", ("self_sufficiency", ("24", "12")))]

RANGE_MEANING = ("The ranges are the 5th to 95th percentile over replicates: they show the noise between "
                 "simulated runs only, not the uncertainty in the model's own assumptions and fitted "
                 "parameters, which is larger.")


def title_of(summary: dict) -> str:
    """A scenario's name for people, from its summary (the short name when it has no title)."""
    return summary.get("title") or summary["scenario"]


def format_range(d: dict | None, pct: bool = True, signed: bool = False) -> str:
    """A figure as the terminal's table (and the explorer) shows it: '33% (20…47)', '+5 (1…9)'
    in percentage points, or money with a space between thousands (283 394 SEK); '–' for none."""
    if not d or d.get("mean") is None:
        return "–"
    # Rounded to whole numbers first, so that a tiny negative value reads 0 (+0), never -0.
    if pct:
        f = (lambda x: f"{round(100 * x):+d}") if signed else (lambda x: f"{round(100 * x):d}")
        return f"{f(d['mean'])}{'' if signed else '%'} ({f(d['lo'])}…{f(d['hi'])})"
    f = (lambda x: f"{round(x):+,d}".replace(",", " ")) if signed else (lambda x: f"{round(x):,d}".replace(",", " "))
    return f"{f(d['mean'])} ({f(d['lo'])}…{f(d['hi'])})"


def other_horizon(base_years: int | None, years: int | None) -> str | None:
    """'5 simulated years against 7' when two runs' lengths differ (their spending is then not
    comparable: money over seven years and over five are not set side by side), else None."""
    if base_years is None or years is None or base_years == years:
        return None
    return f"{years} simulated years against {base_years}"


def _sek(x: float) -> str:
    return f"{abs(x):,.0f}".replace(",", " ")


NOISE = "the noise between replicates"
UNCERTAINTY = "the uncertainty of parameters and replicates"


def spread_words(summary: dict) -> str:
    """What a summary's ranges hold, in the verdicts' words: replicate noise alone, or parameter
    uncertainty too (replicates drawn from a posterior ensemble)."""
    return UNCERTAINTY if (summary.get("uncertainty") or {}).get("ensemble") else NOISE


def ranges_text(summary: dict) -> str:
    """The sentence saying what the ranges include (RANGE_MEANING for summaries from before ensembles)."""
    return (summary.get("uncertainty") or {}).get("text") or RANGE_MEANING


def _beyond(d: dict, spread: str = NOISE) -> str:
    """', beyond the noise ...' or ', within the noise ...' (nothing without a range)."""
    lo, hi = d.get("lo"), d.get("hi")
    if lo is None or hi is None:
        return ""
    if lo > 0 or hi < 0:
        return f", beyond {spread}"
    return f", within {spread} (their range includes no difference)"


def verdicts(titles: list[str], diffs: list[dict], years: list[int | None] | None = None,
             spread: str = NOISE) -> list[str]:
    """One plain sentence per compared scenario: how it does on employment and self-sufficiency
    (at 24 months, or 12 if the run is shorter), by how much, whether that is beyond the noise,
    and what it costs per refugee (only over the same number of simulated years: spending over
    seven years and over five are not to be set side by side). `titles[0]` is the baseline."""
    out = []
    years = years or [None] * len(titles)
    for title, diff, y in zip(titles[1:], diffs, years[1:]):
        d = diff["differences"]
        parts = []
        for word, (key, months) in VERDICT_ROWS:
            for m in months:
                v = (d.get(key) or {}).get(m) or {}
                if v.get("mean") is not None:
                    pts = 100 * v["mean"]
                    size = ("as many" if round(pts) == 0 else
                            f"{abs(pts):.0f} percentage point{'' if round(abs(pts)) == 1 else 's'} "
                            f"{'more' if pts > 0 else 'fewer'}")
                    parts.append(f"{size} {word} at {m} months{_beyond(v, spread)}")
                    break
        cost_range = d.get("costs_sek_per_refugee") or {}
        cost = cost_range.get("mean")
        horizon = other_horizon(years[0], y)
        if cost is not None and horizon:
            parts.append(f"spending per refugee not compared ({horizon})")
        elif cost is not None:
            parts.append("the same spending per refugee" if round(cost) == 0 else
                         f"{_sek(cost)} SEK {'more' if cost > 0 else 'less'} spent per refugee over the "
                         f"simulated period{_beyond(cost_range, spread)}")
        if parts:
            out.append(f"{title}, compared with {titles[0]}: " + "; ".join(parts) + ".")
    return out


def expected_of(d: dict | None) -> dict | None:
    """A difference's expected effect (parameter uncertainty, large population; `sim.ranges`), or
    None in a summary from before it was given."""
    x = (d or {}).get("expected_effect")
    return x if isinstance(x, dict) else None


def format_expected(d: dict | None, pct: bool = True) -> str:
    """A difference's expected effect as the tables show it: '+19 (+15…+23)'; with no range
    (too few parameter draws or seeds to estimate one) the mean and '(no range)'; '–' for none."""
    x = expected_of(d)
    if not x or x.get("mean") is None:
        return "–"
    if x.get("lo") is None or x.get("hi") is None:
        return format_range({**x, "lo": x["mean"], "hi": x["mean"]}, pct, signed=True).split(" (")[0] + " (no range)"
    return format_range(x, pct, signed=True)


def excludes_zero(d: dict | None) -> bool:
    """Whether a range lies wholly on one side of 0."""
    if not d or d.get("lo") is None or d.get("hi") is None:
        return False
    return d["lo"] > 0 or d["hi"] < 0


def shows_expected(diffs: list[dict], uncertainty: dict | None) -> bool:
    """Whether the tables give the expected effect beside what one municipality may see: the runs
    drew parameter sets from an ensemble, and some figure has an expected-effect range (it needs
    enough parameter draws, `sim.ranges.MIN_DRAWS`). Otherwise the notes say why it is not shown."""
    if not (uncertainty or {}).get("ensemble"):
        return False
    return any((expected_of(row.get(d["differences"])) or {}).get("lo") is not None for d in diffs for row in ROWS)
