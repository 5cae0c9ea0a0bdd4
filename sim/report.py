"""report.html: one self-contained page (images embedded) that a policy officer can e-mail.

Built from the files of a results folder only: summary.json, metadata.json, sources.json, the
resolved scenario files and the plots.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from . import groups
from .config.annotate import field_description, flatten
from .config.inert import inert_levers
from .headline import ROWS, expected_of, other_horizon, ranges_text, shows_expected, spread_words, title_of, verdicts
from .metrics import OCCUPIED_OFF_SUPPORT_DEFINITION, PASSIVE_SUPPORT_DEFINITION
from .page import e, img_inline, page
from .placement import report as placement_report
from .plots import make_plots
from .sources import expand

PLOT_TEXT = {
    "outcomes": "Share self-sufficient and employed (top), and in work or education off support and on "
                "support with neither work nor education (bottom), by months since arrival (definitions "
                "under the headline figures). Lines are means over replicates; shaded bands the 5th–95th "
                "percentile range.",
    "by_sex": "Self-sufficient and employed, for women and men.",
    "by_education": "Self-sufficient and employed by education at arrival. A month is drawn only where at least 30 people of "
                    "the group were observed (on average over replicates); a panel that says \"too few people\" "
                    "had fewer in every month.",
    "weeks_in_state": "How the first three years are spent (mean weeks per person), as in the Danish "
                      "KORA benchmark.",
    "costs": "Money over the simulated period per refugee who arrived, so that scenarios of different sizes "
             "compare (but only scenarios simulated over the same number of years: \"What was compared\" gives each "
             "scenario's years). Left: what is spent on the introduction (allowances, social assistance, wage subsidies, "
             "staff). Right: what the state pays the municipality for it (flat-rate compensation, stimulus "
             "payment, performance bonus). A kind of payment that is missing was not paid in that scenario: "
             "an introduction allowance under social assistance, or a performance bonus no one qualified for.",
}


def _fmt(v: float | None, kind: str) -> str:
    if v is None:
        return "–"
    return f"{round(100 * v):d}%" if kind == "pct" else f"{round(v):,d}".replace(",", " ")


def _fmt_diff(v: float | None, kind: str) -> str:
    # Rounded first, so that a tiny negative difference reads +0, never -0.
    if v is None:
        return "–"
    return f"{round(100 * v):+d} pts" if kind == "pct" else f"{round(v):+,d}".replace(",", " ")


def _diff_cell(d: dict | None, kind: str) -> str:
    """A difference's mean with its range in small print ('–' for none; 'no range' without one)."""
    d = d or {}
    if d.get("mean") is None:
        return "<td class='num'>–</td>"
    rng = ("no range" if d.get("lo") is None or d.get("hi") is None
           else f"{_fmt_diff(d.get('lo'), kind)} to {_fmt_diff(d.get('hi'), kind)}")
    return f"<td class='num'>{_fmt_diff(d.get('mean'), kind)} <span class='small'>({rng})</span></td>"


def ranges_note(summary: dict) -> str:
    """The two ranges of a difference in words (`sim.ranges`), for the headline table."""
    words = (summary.get("uncertainty") or {}).get("ranges") or {}
    if not summary.get("differences") or not words:
        return ""
    return "<p>Each difference has two ranges. " + " ".join(
        e(words[k]) for k in ("expected_effect", "one_municipality") if words.get(k)) + "</p>"


def headline_table(summary: dict) -> str:
    """Every row of the terminal's table (sim/headline.py), with the scenarios' titles; each
    difference with its expected effect (parameter uncertainty, large population) and what one
    municipality of the simulated size may see (`sim.ranges`)."""
    scen = summary["scenarios"]
    titles = [title_of(s) for s in scen]
    head = "".join(f"<th>{e(t)}</th>" for t in titles)
    diffs = summary.get("differences", [])
    both = shows_expected(diffs, summary.get("uncertainty"))
    for t in titles[1:1 + len(diffs)]:
        pair = f"{e(t)} − {e(titles[0])}"
        head += (f"<th>{pair}: expected effect <span class='small'>(parameter uncertainty, large population)"
                 f"</span></th><th>{pair}: what one municipality of this size may see <span class='small'>"
                 "(adds the chance of one cohort)</span></th>" if both else f"<th>{pair}</th>")
    rows = []
    for row in ROWS:
        cells = []
        for s in scen:
            d = row.get(s) or {}
            rng = f" <span class='small'>({_fmt(d.get('lo'), row.kind)}–{_fmt(d.get('hi'), row.kind)})</span>" if d.get("mean") is not None else ""
            cells.append(f"<td class='num'>{_fmt(d.get('mean'), row.kind)}{rng}</td>")
        for i, dd in enumerate(diffs, start=1):
            horizon = other_horizon(scen[0].get("years"), scen[i].get("years"))
            if row.kind == "sek" and horizon:
                cells.append(f"<td class='num small'{' colspan=2' if both else ''}>not comparable: {e(horizon)}</td>")
                continue
            d = row.get(dd["differences"]) or {}
            if both:
                cells.append(_diff_cell(expected_of(d), row.kind))
            cells.append(_diff_cell(d, row.kind))
        label = row.label[0].upper() + row.label[1:]
        rows.append(f"<tr><th>{e(label)}</th>{''.join(cells)}</tr>")
    return f"<table><tr><th></th>{head}</tr>{''.join(rows)}</table>"


def municipality_tables(folder: Path, summary: dict, labels: dict[str, dict[str, str]]) -> str:
    """For a scenario with several municipalities: the headline shares in each, by municipality of
    residence, beside the pooled figure (mean over replicates, 5th-95th percentile)."""
    import numpy as np
    import pandas as pd
    by_month = pd.read_csv(folder / "by_month.csv")
    out = []
    for s in summary["scenarios"]:
        d = by_month[by_month["scenario"] == s["scenario"]]
        if d["municipality"].nunique() < 2:
            continue
        # A results folder from before the off-support outcome was recorded has no such column.
        off = "occupied_off_support" in d.columns
        cols = ["observed", "employed", "self_sufficient"] + (["occupied_off_support"] if off else [])
        g = d.groupby(["replicate", "municipality", "months_since_arrival"])[cols].sum()
        shown = [("self_sufficient", 12), ("self_sufficient", 24), ("employed", 12), ("employed", 24), ("employed", 36)]
        shown += [("occupied_off_support", 12), ("occupied_off_support", 24)] if off else []
        rows = []
        for muni in dict.fromkeys(d["municipality"]):
            cells = []
            for col, month in shown:
                try:
                    x = g.xs((muni, month), level=("municipality", "months_since_arrival"))
                except KeyError:
                    cells.append("<td class='num'>–</td>")
                    continue
                share = (x[col] / x["observed"].where(x["observed"] > 0)).dropna().to_numpy()
                if len(share) == 0:
                    cells.append("<td class='num'>–</td>")
                    continue
                lo, hi = np.percentile(share, [5, 95])
                cells.append(f"<td class='num'>{_fmt(float(share.mean()), 'pct')} <span class='small'>"
                             f"({_fmt(float(lo), 'pct')}–{_fmt(float(hi), 'pct')})</span></td>")
            n = int(d[(d["months_since_arrival"] == 0) & (d["municipality"] == muni)]["observed"].sum()
                    / max(d["replicate"].nunique(), 1))
            name = labels.get(s["scenario"], {}).get(muni, muni)
            rows.append(f"<tr><th>{e(name)}</th><td class='num'>{n}</td>{''.join(cells)}</tr>")
        pooled = [_fmt((s["self_sufficiency"].get(m) or {}).get("mean"), "pct") for m in ("12", "24")]
        pooled += [_fmt((s["employment"].get(m) or {}).get("mean"), "pct") for m in ("12", "24", "36")]
        if off:
            pooled += [_fmt(((s.get("occupied_off_support") or {}).get(m) or {}).get("mean"), "pct") for m in ("12", "24")]
        rows.append(f"<tr><th>All, pooled</th><td class='num'>{s['refugees']}</td>"
                    + "".join(f"<td class='num'>{v}</td>" for v in pooled) + "</tr>")
        out.append(f"<h3>{e(title_of(s))}, by municipality of residence</h3><table><tr><th></th>"
                   "<th>refugees</th><th>Self-sufficient at 12 months</th><th>at 24 months</th>"
                   "<th>Employed at 12 months</th><th>at 24 months</th><th>at 36 months</th>"
                   + ("<th>In work or education, off support, at 12 months</th><th>at 24 months</th>" if off else "")
                   + "</tr>" + "".join(rows) + "</table>")
    return "".join(out)


def verdict_section(summary: dict) -> str:
    scen = summary["scenarios"]
    titles = [title_of(s) for s in scen]
    lines = verdicts(titles, summary.get("differences", []), [s.get("years") for s in scen], spread_words(summary))
    if not lines:
        return ""
    return "<h2>In short</h2><ul>" + "".join(f"<li>{e(x)}</li>" for x in lines) + "</ul>"


def _label(path: tuple[str, ...], show_from: int = 0) -> str:
    """The schema's plain description of a setting, with its key path in small print."""
    desc = expand(field_description(path) or "")
    key = ".".join(path[show_from:])
    if desc:
        first = desc.split(". ")[0].split(" (")[0].rstrip(".")
        first = first.split(": ", 1)[-1] if first[:2] in ("M1", "M2", "M3", "M4", "M5", "M6", "M7", "M8") else first
        return f"{e(first)}<br><code class='small'>{e(key)}</code>"
    return f"<code>{e(key)}</code>"


def _value(v, key: str = "") -> str:
    """A setting as people write it: yes/no, words without underscores, shares in per cent,
    lists as plain text."""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, str):
        return v.replace("_", " ")
    if isinstance(v, list):
        return ", ".join(_value(x, key) for x in v) if v else "none"
    if isinstance(v, dict):
        return "; ".join(f"{_value(k)} {_value(x, key)}" for k, x in v.items()) if v else "none"
    if isinstance(v, float) and ("share" in key or key.endswith("_rate")) and 0 <= v <= 1:
        return f"{100 * v:.3g} %"
    if isinstance(v, float) and v.is_integer():
        return f"{v:g}"
    return str(v)


COLLECTIONS = ("municipalities", "employers", "staffing_agencies", "secondary_agreements")
LEVER_SECTIONS = ("programme", "staff", "network", "labour_market")


def _table(header: list[str], rows: list[tuple[str, list]], limit: int = 60) -> str:
    head = "".join(f"<th>{e(h)}</th>" for h in header)
    body = ["<tr><td>" + label + "</td>" + "".join(f"<td>{_cell(v, label)}</td>" for v in vals) + "</tr>"
            for label, vals in rows]
    shown = f"<div class='wide'><table><tr>{head}</tr>{''.join(body[:limit])}</table></div>"
    if len(body) > limit:
        shown += (f"<details><summary>{len(body) - limit} more rows</summary><table><tr>{head}</tr>"
                  f"{''.join(body[limit:])}</table></details>")
    return shown


class NotUsed(str):
    """A lever's value that another lever makes inert: shown greyed with the reason."""


def _cell(v, label: str) -> str:
    if isinstance(v, NotUsed):
        return f"<span class='small' title='{e(v)}'>not used</span>"
    return e(_value(v, label))


def _collection_summary(name: str, items: dict) -> str:
    if not items:
        return "none"
    if name == "employers":
        n = sum(e.get("count", 1) for e in items.values())
        vac = sum(e.get("count", 1) * e.get("vacancies_per_year", 0) for e in items.values())
        return f"{len(items)} kinds, {n} employers, {vac:g} vacancies a year"
    return ", ".join(items)


# The decision on money (docs/EFFECTS.md, "Money"), shown beside the allowance levers.
MONEY_LEVERS = {"allowance", "allowance_sek_per_week", "income_offset", "sanctions"}
MONEY_DECISION = (
    "The allowance's amount acts on cost only in this model; its type and the income offset act through "
    "their rules (a wage-like allowance lowers dropout; the offset makes extra work rarer), by about a point "
    "or less. A decision, not a finding: Denmark's start help, a cut of some 40 % in refugees' benefits, "
    "raised men's employment sharply but briefly and women's not at all, an effect gone within 5-10 years "
    "(Andersen, Dustmann and Landersø; Arendt); no study found at hand measures a change of a wage-like "
    "allowance paid for following the plan within the range the lever spans (1,200-3,500 SEK a week against "
    "a norm of some 1,650), so the model does not transfer it. A higher amount may lower men's job entry in "
    "the first year or two; this model cannot say by how much.")


def read_yaml(path: Path) -> dict:
    """A written scenario file's data (libyaml's parser where PyYAML has it: five times faster)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 (a safe loader)


def lever_differences(scenario_files: list[Path], loaded: dict | None = None) -> str:
    """The levers of every municipality side by side, then every other setting that differs."""
    data = [(loaded or {}).get(p) or read_yaml(p) for p in scenario_files]
    names = [d["name"] for d in data]
    if all(d.get("placement") for d in data):
        return _national_lever_differences(data)
    # 1. Each municipality's levers, one column per (scenario, municipality).
    cols = [(d["name"], k, m) for d in data for k, m in d["municipalities"].items()]
    flat_cols = [flatten({sec: m.get(sec, {}) for sec in LEVER_SECTIONS}) for _, _, m in cols]
    inert = [inert_levers(m) for _, _, m in cols]
    keys = list(dict.fromkeys(k for f in flat_cols for k in f))
    lever_rows = []
    money = False  # a money lever shown: the decision on money goes beside it
    for k in keys:
        dotted = ".".join(k)
        vals = [NotUsed(why[dotted]) if dotted in why else f.get(k, "—") for f, why in zip(flat_cols, inert)]
        if len(cols) > 1 and all(v == vals[0] for v in vals):
            continue
        lever_rows.append((_label(("municipalities", "x") + k, show_from=2), vals))
        money = money or k[-1] in MONEY_LEVERS
    titles = {d["name"]: d.get("title") or d["name"] for d in data}

    def column(scenario: str, key: str, m: dict) -> str:
        """The municipality's name alone, the scenario's title alone (one municipality each), or both."""
        muni = m.get("label") or key
        if len(data) == 1:
            return muni
        return f"{titles[scenario]}: {muni}" if len(cols) > len(data) else titles[scenario]
    header = ["lever"] + [column(s, k, m) for s, k, m in cols]
    out = [f"<h3>Introduction levers by municipality</h3><p>{len(lever_rows)} levers differ between the "
           "municipalities compared (levers that are the same everywhere are left out).</p>",
           _table(header, lever_rows) if lever_rows else "<p>All levers are the same.</p>",
           "<p class='small'>\"not used\": a value that another setting makes inert (hover for why), such as an "
           "allowance amount under social assistance or summer-course hours without summer courses.</p>"]
    if money or len(cols) == 1:
        out.append(f"<p class='small'><b>Money.</b> {e(MONEY_DECISION)}</p>")
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
    other_rows += _settings_rows(data)
    out.append("<h3>Other settings that differ</h3>")
    out.append(_table(["setting"] + [titles[n] for n in names], other_rows) if other_rows else "<p>None.</p>")
    return "".join(out)


def _settings_rows(data: list[dict]) -> list[tuple[str, list]]:
    """The settings outside the collections (municipalities, employers, ...) that differ."""
    rest = [flatten({k: v for k, v in d.items() if k not in COLLECTIONS + ("name", "description")}) for d in data]
    rows = []
    for k in sorted(set().union(*rest)):
        vals = [f.get(k, "—") for f in rest]
        if any(v != vals[0] for v in vals):
            rows.append((_label(k), vals))
    return rows


def _national_lever_differences(data: list[dict]) -> str:
    """National worlds (290 municipalities each): the levers that differ between the scenarios,
    one row per municipality and lever, then every other setting that differs."""
    titles = [d.get("title") or d["name"] for d in data]
    rows = []
    keys = list(dict.fromkeys(k for d in data for k in d["municipalities"]))
    for k in keys:
        flats = [flatten({sec: (d["municipalities"].get(k) or {}).get(sec, {}) for sec in LEVER_SECTIONS})
                 for d in data]
        for lever in sorted(set().union(*flats)):
            vals = [f.get(lever, "—") for f in flats]
            if any(v != vals[0] for v in vals):
                label = (data[0]["municipalities"].get(k) or {}).get("label") or k
                rows.append((f"{e(label)}: {_label(('municipalities', 'x') + lever, show_from=2)}", vals))
    out = [f"<h3>Introduction levers by municipality</h3><p>{len(keys)} municipalities; "
           + (f"{len(rows)} of their levers differ between the scenarios.</p>" + _table(["lever"] + titles, rows)
              if rows else "their levers are the same in every scenario.</p>")]
    other = []
    for coll in ("employers", "staffing_agencies", "secondary_agreements"):
        if any((d.get(coll) or {}) != (data[0].get(coll) or {}) for d in data):
            other.append((e(coll.replace("_", " ")), [_collection_summary(coll, d.get(coll) or {}) for d in data]))
    other += _settings_rows(data)
    out.append("<h3>Other settings that differ</h3>")
    out.append(_table(["setting"] + titles, other) if other else "<p>None.</p>")
    return "".join(out)


def _when(iso: str) -> str:
    """'2026-12-02T11:20:05+01:00' -> '2 December 2026, 11:20 (UTC+01:00)': the run's local time."""
    import datetime as dt
    try:
        t = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    zone = t.strftime("%z")
    zone = f" (UTC{zone[:3]}:{zone[3:]})" if zone else ""
    return f"{t.day} {t.strftime('%B %Y, %H:%M')}{zone}"


def _relative(origin: str) -> str:
    """An origin as `annotate` gives it (already relative to the working folder or the project:
    `shown_path`), with a file outside both cut to its name: never a local absolute path."""
    path, sep, line = origin.rpartition(":")
    if sep and line.isdigit() and Path(path).is_absolute():
        return f"{Path(path).name}:{line}"
    return origin


def sources_section(sources: dict, national: bool = False) -> str:
    """Every value of each scenario with where it came from and its source comment (for national
    worlds, sources.json leaves out the generated municipalities, employers and agencies: their
    sources are the generated file's header and docs/PLACEMENT.md)."""
    out = []
    if national:
        out.append("<p class='small'>The 290 municipalities, their employers and agencies are generated "
                   "(<code>run.py national</code>; the scenario files in this folder hold every value, and "
                   "docs/PLACEMENT.md says where each comes from); they are left out below.</p>")
    for name, rows in sources.items():
        assumed = [r for r in rows if r["comment"] and "assumption" in r["comment"].lower()]
        body = "".join(
            f"<tr><td><code>{e(r['path'])}</code></td><td>{e(expand(_value(r['value'], r['path'])))}</td><td class='small'>{e(_relative(r['origin']))}</td>"
            f"<td class='small'>{e(expand(r['comment'] or ''))}</td></tr>" for r in rows)
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
    files = [folder / f"scenario-{s['scenario']}.yaml" for s in scen]
    loaded = {f: read_yaml(f) for f in files}  # each once: a national world's file is some 1.4 MB
    labels = {s["scenario"]: {k: (m.get("label") or k) for k, m in loaded[f]["municipalities"].items()}
              for s, f in zip(scen, files)}
    plots = make_plots(folder, scen, labels)
    described = []
    national = all("placement" in s for s in scen)
    for s, f in zip(scen, files):
        d = loaded[f]
        munis = ", ".join(
            f"{(m.get('label') or k)} (agreement {m.get('reception_agreement_per_year', 0):g} a year)"
            for k, m in d["municipalities"].items())
        if national:
            munis = (f"all {len(d['municipalities'])} of Sweden's, placed by the rule "
                     f"'{d['placement']['rule'].replace('_', ' ')}'")
        described.append(f"<li><b>{e(title_of(s))}</b> (<code>{e(s['scenario'])}</code>): "
                         f"{e(expand((d.get('description') or '').strip()))} "
                         f"<span class='small'>{s['refugees']} refugees over {d['simulation']['years']} years; "
                         f"municipalities: {e(munis)}.</span></li>")
    titles = {s["scenario"]: title_of(s) for s in scen}

    def heading(k: str) -> str:
        if k.startswith("municipalities_"):
            return f"By municipality: {titles.get(k.removeprefix('municipalities_'), k)}"
        return k.replace("_", " ").capitalize()
    figs = "".join(f"<h3>{e(heading(k))}</h3><p>{e(PLOT_TEXT.get(k, 'Each municipality of a regional scenario, by municipality of residence.'))}</p>{img_inline(p)}"
                   for k, p in plots.items())
    base = title_of(scen[0])
    title = " vs ".join(title_of(s) for s in scen)
    ss = loaded[files[0]]["metrics"]["self_sufficiency"]
    share = ss["threshold_share_of_living_costs"]
    ss_text = "living costs" if share == 1 else f"{100 * share:.0f} % of living costs"
    body = f"""<h1>Refugee introduction: {e(title)}</h1>
<p class="small">Made {e(_when(meta['finished']))} by refugee-introduction-sim {e(meta['package_version'])}
{('(commit ' + e(meta['git_commit'][:10]) + ')') if meta.get('git_commit') else ''};
{meta['replicates']} replicates per scenario with the same random seeds, so that differences come from the
scenarios' settings and not from chance.</p>

{verdict_section(summary)}

<h2>What was compared</h2><ul>{''.join(described)}</ul>
{f"<p>The first scenario, <b>{e(base)}</b>, is the baseline: differences are the other scenarios minus it.</p>" if len(scen) > 1 else ""}

<h2>Headline figures</h2>
<p>Mean over replicates, with the range that 90 % of replicates fall in (5th–95th percentile). A difference
whose range does not include 0 is larger than {e(spread_words(summary))}. {e(ranges_text(summary))}
A positive difference means more people in work (or more spending per refugee) than in the baseline; a
negative one, fewer (or less spending).
<b>Employed</b> means any paid work in the week (as in Swedish register statistics); <b>self-sufficient</b>
means own work income at or above {e(ss_text)} for at least {ss['min_weeks']} weeks running, whether or not
support is still paid. <b>In work or education, off support</b> means {e(OCCUPIED_OFF_SUPPORT_DEFINITION)}:
the sense of "own support" in the municipalities' own figures. <b>On support, no work or education</b>
(passive support) means {e(PASSIVE_SUPPORT_DEFINITION)}. "–" means beyond the simulated period.</p>
{ranges_note(summary)}
{headline_table(summary)}
{placement_report.section(folder, scen)}
{"" if national else municipality_tables(folder, summary, labels)}
{groups.html_table(scen, summary.get("differences", []), labels)}

<h2>Settings that differ</h2>
{lever_differences(files, loaded)}

<h2>Plots</h2>{figs}

<h2>Assumptions and sources</h2>
<p>Every number has a source (a policy document or a published statistic, listed by title in
<code>docs/SOURCES.md</code>) or is marked as an assumption. The
behavioural parameters (<code>behaviour.*</code>) are the model's assumptions about how people and employers
respond; the list below gives, for each scenario, every value, the file and line it came from (or
"default"), and its source comment. The model itself is described in <code>docs/ODD.md</code>.</p>
{sources_section(sources, national)}

<h2>How to reproduce</h2>
<p>From the project folder, with the same version of the model:</p><pre>{e(meta['command'])}</pre>
<p class="small">Seeds: {e(json.dumps(meta['seeds']))}. Python {e(meta['versions']['python'])},
Mesa {e(meta['versions'].get('mesa'))}, NumPy {e(meta['versions'].get('numpy'))}.
Wall time {meta['wall_time_s']:.1f} s.</p>"""
    out = folder / "report.html"
    out.write_text(page(f"Refugee introduction: {title}", body), encoding="utf-8")
    return out
