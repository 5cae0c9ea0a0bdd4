"""The explorer's charts, drawn by the browser (SVG and HTML) so that a refresh costs no image
rendering: the curves by months since arrival with their bands (the report's curves:
sim/plots.rate_curves, in the report's colours and dashes), weeks in each state and money per
refugee as stacked bars."""

from __future__ import annotations

import numpy as np
from matplotlib.colors import to_hex

from ..figure import COLOURS
from ..headline import title_of
from ..metrics import COSTS, STATE_PAYMENTS
from ..plots import LABELS, PAYMENT_LABELS, rate_curves
from ..states import KORA_CATEGORIES

HEX = [to_hex(c) for c in COLOURS]  # the report's colours, as CSS writes them


DASHES = ["", "6 4", "2 3", "8 3 2 3"]


def _panel(curves, metric: str, names: list[str], titles: list[str], x0: float) -> list[str]:
    """One panel of `curves_svg`: grid, axes, each scenario's band and mean line, and a dot with
    its value (a tooltip) at 12, 24, 36 and 60 months."""
    from ..page import e
    w, h, left, top, bottom = 470.0, 250.0, 44.0, 24.0, 36.0
    last = max(12.0, float(curves["months_since_arrival"].max()) if len(curves) else 12.0)
    sx = lambda m: x0 + left + (w - left - 10) * m / last  # noqa: E731
    sy = lambda p: top + (h - top - bottom) * (1 - p)  # noqa: E731
    out = [f"<text x='{x0 + left + (w - left - 10) / 2:.1f}' y='14' class='ttl'>{e(LABELS[metric])}</text>"]
    for p in range(0, 101, 20):
        out.append(f"<line x1='{sx(0):.1f}' x2='{sx(last):.1f}' y1='{sy(p / 100):.1f}' y2='{sy(p / 100):.1f}' class='grid'/>"
                   f"<text x='{sx(0) - 5:.1f}' y='{sy(p / 100) + 4:.1f}' class='ytick'>{p}</text>")
    for m in range(0, int(last) + 1, 12):
        out.append(f"<line x1='{sx(m):.1f}' x2='{sx(m):.1f}' y1='{sy(0):.1f}' y2='{sy(1):.1f}' class='grid'/>"
                   f"<text x='{sx(m):.1f}' y='{sy(0) + 14:.1f}' class='xtick'>{m}</text>")
    out.append(f"<text x='{x0 + left + (w - left - 10) / 2:.1f}' y='{h - 4:.1f}' class='xlabel'>Months since arrival</text>")
    out.append(f"<text transform='translate({x0 + 11:.1f},{sy(0.5):.1f}) rotate(-90)' class='ylabel'>Per cent of refugees</text>")
    for i, (name, title) in enumerate(zip(names, titles)):
        c = curves[curves["scenario"] == name].sort_values("months_since_arrival")
        if not len(c):
            continue
        x = c["months_since_arrival"].to_numpy(dtype=float)
        colour = HEX[i % len(HEX)]
        upper = " ".join(f"{sx(m):.1f},{sy(v):.1f}" for m, v in zip(x, c["hi"]))
        lower = " ".join(f"{sx(m):.1f},{sy(v):.1f}" for m, v in zip(x[::-1], c["lo"].to_numpy()[::-1]))
        mean = " ".join(f"{sx(m):.1f},{sy(v):.1f}" for m, v in zip(x, c["mean"]))
        out.append(f"<polygon points='{upper} {lower}' fill='{colour}' fill-opacity='0.15' stroke='none'/>")
        out.append(f"<polyline points='{mean}' fill='none' stroke='{colour}' stroke-width='2' "
                   f"stroke-dasharray='{DASHES[i % len(DASHES)]}'/>")
        for m in (12, 24, 36, 60):
            row = c[c["months_since_arrival"] == m]
            if len(row):
                r = row.iloc[0]
                out.append(f"<circle cx='{sx(m):.1f}' cy='{sy(r['mean']):.1f}' r='3.5' fill='{colour}'>"
                           f"<title>{e(title)}, {m} months: {100 * r['mean']:.0f} % "
                           f"({100 * r['lo']:.0f}–{100 * r['hi']:.0f})</title></circle>")
    return out


# The outcomes the page offers beside employment (the second panel of the curves), the first
# shown by default: chart key, and the choice's label.
BESIDE_EMPLOYMENT = {"self_sufficient": "outcomes", "occupied_off_support": "outcomes_occupied_off_support",
                     "passive_support": "outcomes_passive_support"}


def curves_svg(outcome, beside: str = "self_sufficient") -> str:
    """The employed share and another outcome's (`beside`: self-sufficient, in work or education
    off support, or on support without either) by months since arrival as an SVG the browser
    draws (the same curves and bands as the report's plot: sim/plots.rate_curves, months with at
    least 30 people observed); a legend below."""
    from ..page import e
    names = [s["scenario"] for s in outcome.summary["scenarios"]]
    titles = [title_of(s) for s in outcome.summary["scenarios"]]
    parts = []
    for k, metric in enumerate(("employed", beside)):
        parts += _panel(rate_curves(outcome.by_month, metric), metric, names, titles, 480.0 * k)
    key = "".join(
        f"<g transform='translate({60 + 330 * i},268)'><line x1='0' x2='28' y1='0' y2='0' stroke='{HEX[i % len(HEX)]}' "
        f"stroke-width='2' stroke-dasharray='{DASHES[i % len(DASHES)]}'/><rect x='0' y='-6' width='28' height='12' "
        f"fill='{HEX[i % len(HEX)]}' fill-opacity='0.15'/><text x='34' y='4' class='key'>{e(t)}</text></g>"
        for i, t in enumerate(titles))
    style = ("<style>.grid{stroke:#ddd;stroke-width:1}.ttl{font:600 13px sans-serif;text-anchor:middle}"
             ".xtick,.xlabel{font:11px sans-serif;text-anchor:middle}.ytick{font:11px sans-serif;text-anchor:end}"
             ".ylabel{font:11px sans-serif;text-anchor:middle}.key{font:12px sans-serif}</style>")
    return (f"<svg viewBox='0 0 960 280' width='100%' role='img' aria-label='Employed and {e(LABELS[beside].lower())} "
            f"by months since arrival, with 5th to 95th percentile bands'>{style}{''.join(parts)}{key}</svg>")


def _bars(rows: list[tuple[str, list[tuple[str, float]]]], colours: list[str], top: float, unit: str,
          label_from: float, total: bool = False) -> str:
    """Stacked horizontal bars in HTML: one row per scenario, one segment per kind, the value
    written in a segment wide enough for it; a legend below. Drawn by the browser, so the page
    refreshes without rendering an image."""
    from ..page import e
    kinds = [k for k, _ in rows[0][1]] if rows else []
    body = []
    for title, parts in rows:
        segs = "".join(
            f"<div class='seg' title='{e(k)}: {v:,.0f} {e(unit)}' style='width:{100 * v / top:.3f}%;"
            f"background:{colours[j % len(colours)]}'>{f'{v:,.0f}'.replace(',', ' ') if v >= label_from else ''}</div>"
            for j, (k, v) in enumerate(parts) if v > 0)
        end = (f"<span class='total'>{sum(v for _, v in parts):,.0f}</span>".replace(",", " ") if total else "")
        body.append(f"<div class='barrow'><div class='barlabel'>{e(title)}</div><div class='bar'>{segs}{end}</div></div>")
    key = "".join(f"<span class='key'><i style='background:{colours[j % len(colours)]}'></i>{e(k)}</span>"
                  for j, k in enumerate(kinds))
    return f"<div class='bars'>{''.join(body)}<div class='legend'>{key}</div></div>"


def weeks_in_state_html(outcome) -> str:
    """Mean weeks in each state over the first three years (KORA's benchmark), as the report's
    'weeks in state' plot, out of 156."""
    rows = [(title_of(s), [(LABELS[c], float(s["weeks_in_state_first_3_years"].get(c) or 0.0)) for c in KORA_CATEGORIES])
            for s in outcome.summary["scenarios"]]
    return _bars(rows, HEX, 156.0, "weeks", 8)


def costs_by_kind(figures: list[dict], kinds: list[str]) -> dict[str, float]:
    """Mean over replicates of each kind of payment per refugee who arrived (so that the spending
    kinds add up to the headline's 'spending per refugee')."""
    return {k: float(np.mean([f["costs_sek"][k] / max(f["refugees"], 1) for f in figures])) for k in kinds}


def costs_html(outcome, kinds: list[str]) -> str:
    """Thousand SEK per refugee who arrived, by kind of payment, for each scenario."""
    titles = [title_of(s) for s in outcome.summary["scenarios"]]
    values = [costs_by_kind(f, kinds) for f in outcome.figures]
    rows = [(t, [(PAYMENT_LABELS[k], v[k] / 1e3) for k in kinds]) for t, v in zip(titles, values)]
    top = max([sum(x for _, x in parts) for _, parts in rows] + [1.0]) * 1.12
    return _bars(rows, HEX, top, "thousand SEK", 0.08 * top, total=True)


def draw_all(outcome) -> dict[str, str]:
    curves = {key: curves_svg(outcome, metric) for metric, key in BESIDE_EMPLOYMENT.items()}
    return {**curves, "weeks_in_state": weeks_in_state_html(outcome),
            "spending": costs_html(outcome, COSTS), "state_payments": costs_html(outcome, STATE_PAYMENTS)}
