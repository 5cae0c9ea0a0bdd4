"""The placement comparison as a county board reads it: a map of Sweden per rule, national figures,
outcomes by county and by sex and education, and the fairness table."""

from __future__ import annotations

import warnings
from html import escape as e
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from ..headline import title_of
from ..page import img_inline, save_figure

# Sweden lies around 62° N: a degree of longitude is cos(62°) of a degree of latitude.
ASPECT = 1 / np.cos(np.radians(62))


def plot_map(summaries: list[dict], path: Path) -> Path:
    """One map per rule: each municipality's centroid, its area in proportion to its arrivals a
    year, its colour its share with a first job within 24 months (one colour scale for all)."""
    blocks = [s["placement"] for s in summaries]
    values = [v for b in blocks for v in b["municipalities"]["first_job_24"] if v is not None]
    lo, hi = (float(np.percentile(values, 2)), float(np.percentile(values, 98))) if values else (0.0, 1.0)
    n = len(summaries)
    fig = Figure(figsize=(3.1 * n + 1.0, 6.4))
    grid = fig.add_gridspec(1, n + 1, width_ratios=[1.0] * n + [0.06])
    axes = [[fig.add_subplot(grid[0, i]) for i in range(n)]]
    biggest = max((max(b["municipalities"]["arrivals_per_year"] or [1]) for b in blocks), default=1)
    art = None
    for ax, s, b in zip(axes[0], summaries, blocks):
        m = b["municipalities"]
        size = np.asarray(m["arrivals_per_year"], float)
        colour = np.array([np.nan if v is None else v for v in m["first_job_24"]], float)
        order = np.argsort(-size)  # small ones drawn last, on top
        art = ax.scatter(np.asarray(m["lon"])[order], np.asarray(m["lat"])[order], s=4 + 300 * size[order] / biggest,
                         c=100 * colour[order], cmap="viridis", vmin=100 * lo, vmax=100 * hi,
                         edgecolors="black", linewidths=0.3)
        ax.set_aspect(ASPECT)
        ax.set_xlim(10.5, 24.5)
        ax.set_ylim(55, 69.2)
        ax.set_title(title_of(s).replace("Sweden 2018: ", ""), fontsize=9, wrap=True)
        ax.set_xticks([])
        ax.set_yticks([])
    if art is not None:
        bar = fig.colorbar(art, cax=fig.add_subplot(grid[0, n]))
        bar.set_label("first paid job within 24 months, %")
    fig.suptitle("Where arrivals are settled (circle area: arrivals a year) and how they fare", fontsize=10)
    with warnings.catch_warnings():  # equal-aspect maps: tight_layout warns, and lays them out well
        warnings.simplefilter("ignore", UserWarning)
        return save_figure(fig, path)


def _pct(x: dict | None, digits: int = 1) -> str:
    if not x or x.get("mean") is None:
        return "–"
    return (f"{100 * x['mean']:.{digits}f} % <span class='small'>({100 * x['lo']:.{digits}f}–"
            f"{100 * x['hi']:.{digits}f})</span>")


def _pts(x: dict | None) -> str:
    if not x or x.get("mean") is None:
        return "–"
    return f"{100 * x['mean']:.1f} <span class='small'>({100 * x['lo']:.1f}–{100 * x['hi']:.1f})</span>"


def section(folder: Path, summaries: list[dict]) -> str:
    """The placement section of the report (empty unless every scenario places arrivals)."""
    if not summaries or not all("placement" in s for s in summaries):
        return ""
    heads = "".join(f"<th>{e(title_of(s))}</th>" for s in summaries)
    blocks = [s["placement"] for s in summaries]
    plot = plot_map(summaries, folder / "map.png")
    out = ["<h2>Placement: where arrivals are settled</h2>",
           "<p>Every rule meets the same arrivals with the same random numbers; only where they are settled "
           "differs. The municipalities' programmes, staff and employers are the same under every rule (staff are "
           "sized for each municipality's planned reception), so a rule that sends more people to a place than "
           "planned crowds its coaches, internship places, courses and vacancies.</p>",
           img_inline(plot, "Maps of Sweden, one per rule: each municipality a circle sized by its arrivals a year "
                            "and coloured by the share with a first job within 24 months"),
           "<h3>National figures</h3><table><tr><th></th>" + heads + "</tr>"]
    rows = [("First paid job within 24 months", [_pct(b.get("first_job_24")) for b in blocks])]
    if any("promised_first_job" in b for b in blocks):
        rows.append(("Predicted by the optimiser's model (the static promise)",
                     [_pct(b.get("promised_first_job")) for b in blocks]))
    for key, label in (("employment", "Employed"), ("self_sufficiency", "Self-sufficient")):
        for mo in ("24", "36", "60"):
            rows.append((f"{label} at {mo} months", [_pct((s.get(key) or {}).get(mo)) for s in summaries]))
    out.append("".join(f"<tr><th>{e(label)}</th>{''.join(f'<td class=num>{c}</td>' for c in cells)}</tr>"
                       for label, cells in rows) + "</table>")
    # Fairness
    low_names = blocks[0].get("low_prospect_profiles", [])
    out.append("<h3>Fairness</h3><table><tr><th></th>" + heads + "</tr>")
    frows = [("Spread between groups (sex x education): best minus worst employed at 36 months, points",
              [_pts(b["fairness"].get("group_spread_employed_36")) for b in blocks]),
             ("Spread between municipalities: first job within 24 months, 90th minus 10th percentile "
              "(people-weighted), points", [_pts(b["fairness"].get("municipal_spread_first_job_24")) for b in blocks]),
             ("Largest share of low-prospect arrivals in any municipality (with 10+ arrivals)",
              [_pct(b["fairness"].get("largest_low_prospect_share")) for b in blocks]),
             ("Share of low-prospect arrivals settled where unemployment is above the median",
              [_pct(b["fairness"].get("low_prospect_to_high_unemployment")) for b in blocks])]
    out.append("".join(f"<tr><th>{e(label)}</th>{''.join(f'<td class=num>{c}</td>' for c in cells)}</tr>"
                       for label, cells in frows) + "</table>")
    out.append(f"<p class='small'>Low-prospect arrivals: the profiles in the lowest quarter of arrivals by their "
               f"first-job rate under the baseline ({e(', '.join(low_names))}), "
               f"{100 * blocks[0]['fairness']['low_prospect_share_national']:.0f} % of arrivals.</p>")
    notes = sorted({n for b in blocks for n in b.get("notes", [])})
    if notes:
        out.append("<p><b>Fallbacks:</b> " + e("; ".join(notes)) + "</p>")
    # By county and by group
    for key, title in (("by_county", "By county"), ("by_group", "By sex and education at arrival")):
        names = list(blocks[0][key])
        out.append(f"<h3>{title}: employed at 24, 36 and 60 months</h3><table><tr><th></th>"
                   + "".join(f"<th>{e(title_of(s))}</th>" for s in summaries) + "</tr>")
        for name in names:
            label = blocks[0][key][name].get("name", name)
            cells = []
            for b in blocks:
                emp = (b[key].get(name) or {}).get("employed", {})
                cells.append(" / ".join(_pct(emp.get(mo), 0).split(" <span")[0] for mo in ("24", "36", "60")))
            out.append(f"<tr><th>{e(label)}</th>{''.join(f'<td class=num>{c}</td>' for c in cells)}</tr>")
        out.append("</table>")
    return "".join(out)
