"""report.html: one self-contained page (images embedded) that a policy officer can e-mail.

Built from the files of a results folder only: summary.json, metadata.json, sources.json, the
resolved scenario files and the plots.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from .config.annotate import field_description, flatten
from .page import e, img_inline, page
from .plots import make_plots

HEADLINE = [
    ("Self-sufficient after 12 months", "self_sufficiency", "12", "pct"),
    ("Self-sufficient after 24 months", "self_sufficiency", "24", "pct"),
    ("Self-sufficient after 36 months", "self_sufficiency", "36", "pct"),
    ("Employed after 12 months", "employment", "12", "pct"),
    ("Employed after 24 months", "employment", "24", "pct"),
    ("Employed after 36 months", "employment", "36", "pct"),
    ("Employed after 24 months, other than in a subsidised job", "employment_unsubsidised", "24", "pct"),
    ("Any paid work during year 2 after arrival", "employment_during_year", "2", "pct"),
    ("A job of 3+ weeks within 3 years", "job_3_weeks_within_3_years", None, "pct"),
    ("Contact with the labour market in year 1", "labour_market_contact_year1", None, "pct"),
    ("An SFI course passed in year 1", "sfi_course_year1", None, "pct"),
    ("SFI completed (course D) in year 1", "sfi_completed_year1", None, "pct"),
    ("Spending per refugee (SEK): allowances, assistance, subsidies, staff", "costs_sek_per_refugee", None, "sek"),
]
PLOT_TEXT = {
    "outcomes": "Share self-sufficient and employed by months since arrival. Lines are means over "
                "replicates; shaded bands the 5th–95th percentile range.",
    "by_sex": "The same for women and men.",
    "by_education": "The same by education at arrival.",
    "weeks_in_state": "How the first three years are spent (mean weeks per person), as in the Danish "
                      "KORA benchmark.",
    "costs": "Money over the simulated period. Left: what is spent on the introduction (allowances, social "
             "assistance, wage subsidies, staff). Right: what the state pays the municipality for it "
             "(flat-rate compensation, stimulus payment, performance bonus).",
}


def _fmt(v: float | None, kind: str) -> str:
    if v is None:
        return "–"
    return f"{100 * v:.0f}%" if kind == "pct" else f"{v:,.0f}".replace(",", " ")


def _fmt_diff(v: float | None, kind: str) -> str:
    if v is None:
        return "–"
    return f"{100 * v:+.0f} pts" if kind == "pct" else f"{v:+,.0f}".replace(",", " ")


def _get(summary: dict, key: str, month: str | None) -> dict:
    d = summary.get(key) or {}
    return (d.get(month) if month else d) or {}


def headline_table(summary: dict) -> str:
    scen = summary["scenarios"]
    base = scen[0]["scenario"]
    head = "".join(f"<th>{e(s['scenario'])}</th>" for s in scen)
    diffs = summary.get("differences", [])
    head += "".join(f"<th>{e(d['scenario'])} − {e(base)}</th>" for d in diffs)
    rows = []
    for label, key, month, kind in HEADLINE:
        cells = []
        for s in scen:
            d = _get(s, key, month)
            rng = f" <span class='small'>({_fmt(d.get('lo'), kind)}–{_fmt(d.get('hi'), kind)})</span>" if d.get("mean") is not None else ""
            cells.append(f"<td class='num'>{_fmt(d.get('mean'), kind)}{rng}</td>")
        for dd in diffs:
            d = _get(dd["differences"], key, month)
            rng = (f" <span class='small'>({_fmt_diff(d.get('lo'), kind)} to {_fmt_diff(d.get('hi'), kind)})</span>"
                   if d.get("mean") is not None else "")
            cells.append(f"<td class='num'>{_fmt_diff(d.get('mean'), kind)}{rng}</td>")
        rows.append(f"<tr><th>{e(label)}</th>{''.join(cells)}</tr>")
    return f"<table><tr><th></th>{head}</tr>{''.join(rows)}</table>"


def _label(path: tuple[str, ...], show_from: int = 0) -> str:
    """The schema's plain description of a setting, with its key path in small print."""
    desc = field_description(path)
    key = ".".join(path[show_from:])
    if desc:
        first = desc.split(". ")[0].split(" (")[0].rstrip(".")
        first = first.split(": ", 1)[-1] if first[:2] in ("M1", "M2", "M3", "M4", "M5", "M6", "M7", "M8") else first
        return f"{e(first)}<br><code class='small'>{e(key)}</code>"
    return f"<code>{e(key)}</code>"


def _value(v) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, str):
        return v.replace("_", " ")
    if isinstance(v, float) and v.is_integer():
        return f"{v:g}"
    return str(v)


COLLECTIONS = ("municipalities", "employers", "staffing_agencies", "secondary_agreements")
LEVER_SECTIONS = ("programme", "staff", "network", "labour_market")


def _table(header: list[str], rows: list[tuple[str, list]], limit: int = 60) -> str:
    head = "".join(f"<th>{e(h)}</th>" for h in header)
    body = ["<tr><td>" + label + "</td>" + "".join(f"<td>{e(_value(v))}</td>" for v in vals) + "</tr>"
            for label, vals in rows]
    shown = f"<div class='wide'><table><tr>{head}</tr>{''.join(body[:limit])}</table></div>"
    if len(body) > limit:
        shown += (f"<details><summary>{len(body) - limit} more rows</summary><table><tr>{head}</tr>"
                  f"{''.join(body[limit:])}</table></details>")
    return shown


def _collection_summary(name: str, items: dict) -> str:
    if not items:
        return "none"
    if name == "employers":
        n = sum(e.get("count", 1) for e in items.values())
        vac = sum(e.get("count", 1) * e.get("vacancies_per_year", 0) for e in items.values())
        return f"{len(items)} kinds, {n} employers, {vac:g} vacancies a year"
    return ", ".join(items)


def lever_differences(scenario_files: list[Path]) -> str:
    """The levers of every municipality side by side, then every other setting that differs."""
    data = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in scenario_files]
    names = [d["name"] for d in data]
    # 1. Each municipality's levers, one column per (scenario, municipality).
    cols = [(d["name"], k, m) for d in data for k, m in d["municipalities"].items()]
    flat_cols = [flatten({sec: m.get(sec, {}) for sec in LEVER_SECTIONS}) for _, _, m in cols]
    keys = list(dict.fromkeys(k for f in flat_cols for k in f))
    lever_rows = []
    for k in keys:
        vals = [f.get(k, "—") for f in flat_cols]
        if len(cols) > 1 and all(v == vals[0] for v in vals):
            continue
        lever_rows.append((_label(("municipalities", "x") + k, show_from=2), vals))
    header = ["lever"] + [f"{s}: {(m.get('label') or k)}" for s, k, m in cols]
    out = [f"<h3>Introduction levers by municipality</h3><p>{len(lever_rows)} levers differ between the "
           "municipalities compared (levers that are the same everywhere are left out).</p>",
           _table(header, lever_rows) if lever_rows else "<p>All levers are the same.</p>"]
    # 2. Everything else: collections whose members match are compared field by field.
    other_rows = []
    for coll in COLLECTIONS:
        sets = [set(d.get(coll) or {}) for d in data]
        if any(x != sets[0] for x in sets):  # different members: summarise each scenario's
            other_rows.append((e(coll.replace("_", " ")), [_collection_summary(coll, d.get(coll) or {}) for d in data]))
            continue
        if coll == "municipalities":  # same members: their levers are in the table above
            continue
        flats = [flatten(d.get(coll) or {}, (coll,)) for d in data]
        for k in sorted(set().union(*flats)):
            vals = [f.get(k, "—") for f in flats]
            if any(v != vals[0] for v in vals):
                other_rows.append((_label(k), vals))
    rest = [flatten({k: v for k, v in d.items() if k not in COLLECTIONS + ("name", "description")}) for d in data]
    for k in sorted(set().union(*rest)):
        vals = [f.get(k, "—") for f in rest]
        if any(v != vals[0] for v in vals):
            other_rows.append((_label(k), vals))
    out.append("<h3>Other settings that differ</h3>")
    out.append(_table(["setting"] + names, other_rows) if other_rows else "<p>None.</p>")
    return "".join(out)


def sources_section(sources: dict) -> str:
    """Every value of each scenario with where it came from and its source comment."""
    out = []
    for name, rows in sources.items():
        assumed = [r for r in rows if r["comment"] and "assumption" in r["comment"].lower()]
        body = "".join(
            f"<tr><td><code>{e(r['path'])}</code></td><td>{e(r['value'])}</td><td class='small'>{e(r['origin'])}</td>"
            f"<td class='small'>{e(r['comment'] or '')}</td></tr>" for r in rows)
        out.append(f"<details><summary><b>{e(name)}</b>: {len(rows)} values, {len(assumed)} marked as "
                   f"assumptions</summary><table><tr><th>setting</th><th>value</th><th>from</th>"
                   f"<th>source or comment</th></tr>{body}</table></details>")
    return "".join(out)


def build_report(folder: Path) -> Path:
    """Make the plots and report.html inside a results folder."""
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    sources = json.loads((folder / "sources.json").read_text(encoding="utf-8"))
    scen = summary["scenarios"]
    plots = make_plots(folder, scen)
    files = [folder / f"scenario-{s['scenario']}.yaml" for s in scen]
    described = []
    for s, f in zip(scen, files):
        d = yaml.safe_load(f.read_text(encoding="utf-8"))
        munis = ", ".join(
            f"{(m.get('label') or k)} (agreement {m.get('reception_agreement_per_year', 0):g} a year)"
            for k, m in d["municipalities"].items())
        described.append(f"<li><b>{e(s['scenario'])}</b>: {e((d.get('description') or '').strip())} "
                         f"<span class='small'>{s['refugees']} refugees over {d['simulation']['years']} years; "
                         f"municipalities: {e(munis)}.</span></li>")
    figs = "".join(f"<h3>{e(k.replace('_', ' ').capitalize())}</h3><p>{e(PLOT_TEXT.get(k, 'Each municipality of a regional scenario, by municipality of residence.'))}</p>{img_inline(p)}"
                   for k, p in plots.items())
    base = scen[0]["scenario"]
    title = " vs ".join(s["scenario"] for s in scen)
    ss = yaml.safe_load(files[0].read_text(encoding="utf-8"))["metrics"]["self_sufficiency"]
    share = ss["threshold_share_of_living_costs"]
    ss_text = "living costs" if share == 1 else f"{100 * share:.0f} % of living costs"
    body = f"""<h1>Refugee introduction: {e(title)}</h1>
<p class="small">Made {e(meta['finished'])} by refugee-introduction-sim {e(meta['package_version'])}
{('(commit ' + e(meta['git_commit'][:10]) + ')') if meta.get('git_commit') else ''};
{meta['replicates']} replicates per scenario with the same random seeds, so that differences come from the
scenarios' settings and not from chance.</p>

<h2>What was compared</h2><ul>{''.join(described)}</ul>
<p>The first scenario, <b>{e(base)}</b>, is the baseline: differences are the other scenarios minus it.</p>

<h2>Headline figures</h2>
<p>Mean over replicates, with the range that 90 % of replicates fall in (5th–95th percentile). A difference
whose range does not include 0 is larger than the noise between replicates.
<b>Employed</b> means any paid work in the week (as in Swedish register statistics); <b>self-sufficient</b>
means own work income at or above {e(ss_text)} for at least {ss['min_weeks']} weeks running. "–" means beyond
the simulated period.</p>
{headline_table(summary)}

<h2>Settings that differ</h2>
{lever_differences(files)}

<h2>Plots</h2>{figs}

<h2>Assumptions and sources</h2>
<p>Every number has a source (a seed document or a published statistic) or is marked as an assumption. The
behavioural parameters (<code>behaviour.*</code>) are the model's assumptions about how people and employers
respond; the list below gives, for each scenario, every value, the file and line it came from (or
"default"), and its source comment. The model itself is described in <code>docs/ODD.md</code>.</p>
{sources_section(sources)}

<h2>How to reproduce</h2>
<p>From the project folder, with the same version of the model:</p><pre>{e(meta['command'])}</pre>
<p class="small">Seeds: {e(json.dumps(meta['seeds']))}. Python {e(meta['versions']['python'])},
Mesa {e(meta['versions'].get('mesa'))}, NumPy {e(meta['versions'].get('numpy'))}.
Wall time {meta['wall_time_s']:.1f} s.</p>"""
    out = folder / "report.html"
    out.write_text(page(f"Refugee introduction: {title}", body), encoding="utf-8")
    return out
