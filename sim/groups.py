"""Who gains and who loses: each municipality's own refugees, the people moved in and out, and its
other job seekers, kept apart beside the pooled figure, with their paired differences.

A secondary agreement (or any rule that moves people) can raise the pooled figure while the
receiving municipality's own refugees and its other job seekers lose: the pooled total hides
crowding-out. The terminal table, the report and the explorer show these rows from one place.
"""

from __future__ import annotations

from html import escape

from .headline import format_range
from .metrics import GROUP_NAMES, GROUPS

MONTH = "24"  # the rows' horizon: a first paid job within 24 months of arrival
HIRES = "local_job_seekers_hires_per_year"


def shows(summaries: list[dict]) -> bool:
    """Only comparisons where some scenario has several municipalities."""
    return any(len(s.get("by_municipality") or {}) > 1 for s in summaries)


def rows(summaries: list[dict], diffs: list[dict], labels: dict[str, dict[str, str]] | None = None
         ) -> list[tuple[str, list[dict | None], list[dict | None], bool]]:
    """(label, each scenario's figure, each difference from the first, is a share) per row: pooled
    first, then per municipality its groups (those with people in some scenario) and its other job
    seekers' hires a year."""
    labels = labels or {s["scenario"]: s.get("municipality_labels") or {} for s in summaries}
    out: list[tuple[str, list[dict | None], list[dict | None], bool]] = []
    out.append(("All refugees (pooled)",
                [(s.get("first_job_within") or {}).get(MONTH) for s in summaries],
                [(d["differences"].get("first_job_within") or {}).get(MONTH) for d in diffs], True))
    munis = list(dict.fromkeys(m for s in summaries for m in (s.get("by_municipality") or {})))
    for muni in munis:
        name = next((labels.get(s["scenario"], {}).get(muni) for s in summaries
                     if labels.get(s["scenario"], {}).get(muni)), muni)
        cells = [(s.get("by_municipality") or {}).get(muni) for s in summaries]
        dcells = [(d["differences"].get("by_municipality") or {}).get(muni) for d in diffs]
        for g in GROUPS:
            people = [((c or {}).get(g) or {}).get("refugees", {}).get("mean") for c in cells]
            if not any(people):
                continue
            out.append((f"{name}: {GROUP_NAMES[g]}",
                        [((c or {}).get(g) or {}).get(f"first_job_{MONTH}") for c in cells],
                        [((dc or {}).get(g) or {}).get(f"first_job_{MONTH}") for dc in dcells], True))
        out.append((f"{name}: other local job seekers' hires a year",
                    [(c or {}).get(HIRES) for c in cells], [(dc or {}).get(HIRES) for dc in dcells], False))
    return out


NOTE = ("First paid job within 24 months of arrival (among those whose 24 months lie inside the run), in "
        "per cent and, for differences, percentage points; the other local job seekers' hires are the "
        "vacancies in the model taken by the municipality's other unemployed, a year. Own refugees: settled "
        "in the municipality and not moved by an agreement. Mean over the replicates with the 5th-95th "
        "percentile of the paired differences (what one municipality may see).")


def terminal_lines(summaries: list[dict], diffs: list[dict]) -> list[str]:
    from .headline import title_of
    from .terminal import block
    if not shows(summaries):
        return []
    titles = [title_of(s) for s in summaries]
    header = titles + [f"{t} − {titles[0]}" for t in titles[1:]]
    body = [(label, [format_range(v, pct) for v in values] + [format_range(d, pct, signed=True) for d in ds])
            for label, values, ds, pct in rows(summaries, diffs)]
    return ["", "Who gains and who loses, by municipality and group:"] + block(header, body) + [NOTE]


def html_table(summaries: list[dict], diffs: list[dict], labels: dict[str, dict[str, str]]) -> str:
    from .headline import title_of
    if not shows(summaries):
        return ""
    titles = [title_of(s) for s in summaries]
    head = "".join(f"<th>{escape(t)}</th>" for t in titles)
    head += "".join(f"<th>{escape(t)} − {escape(titles[0])}</th>" for t in titles[1:])
    body = "".join(
        f"<tr><th>{escape(label)}</th>"
        + "".join(f"<td class='num'>{escape(format_range(v, pct))}</td>" for v in values)
        + "".join(f"<td class='num'>{escape(format_range(d, pct, signed=True))}</td>" for d in ds) + "</tr>"
        for label, values, ds, pct in rows(summaries, diffs, labels))
    return ("<h3>Who gains and who loses, by municipality and group</h3>"
            f"<table><tr><th></th>{head}</tr>{body}</table><p class='small'>{escape(NOTE)}</p>")
