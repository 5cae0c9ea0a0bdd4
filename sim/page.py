"""What the three HTML reports (a run or comparison, a sweep, a calibration) share: the style, the
page frame, escaping, images, and saving a figure for a report."""

from __future__ import annotations

import base64
import html
from pathlib import Path

CSS = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 980px; margin: 2em auto; padding: 0 1em;
       color: #111; line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { margin-top: 1.8em; border-bottom: 1px solid #999; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.92em; }
th, td { border: 1px solid #bbb; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
th { background: #eee; } td.num { text-align: right; white-space: nowrap; }
.small { font-size: 0.85em; color: #333; } img { max-width: 100%; border: 1px solid #ddd; }
code, pre { font-family: 'DejaVu Sans Mono', monospace; font-size: 0.85em; background: #f4f4f4; }
pre { padding: 0.6em; overflow-x: auto; white-space: pre-wrap; }
.better { font-weight: bold; } details { margin: 0.5em 0; } .wide { overflow-x: auto; }
.warn { background: #fff6e0; border: 1px solid #d9b44a; padding: 0.4em 1em; }
td, td code { overflow-wrap: anywhere; } table { max-width: 100%; }
@media print { details { display: block; } body { margin: 0; } }
"""
# Printing shows what is folded away: every <details> opens before the page is printed.
PRINT_OPENS_DETAILS = ("<script>window.addEventListener('beforeprint',function(){"
                       "document.querySelectorAll('details').forEach(function(d){d.open=true;});});</script>")


def e(x) -> str:
    """Text made safe for HTML."""
    return html.escape(str(x))


def page(title: str, body: str) -> str:
    """A whole self-contained page."""
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{e(title)}</title>'
            f"<style>{CSS}</style>{PRINT_OPENS_DETAILS}</head><body>\n{body}\n</body></html>")


def img_inline(path: Path, alt: str | None = None) -> str:
    """An image embedded in the page (a report to e-mail as one file)."""
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f"<img alt='{e(alt or path.stem)}' src='data:image/png;base64,{data}'>"


def img_beside(path: Path, alt: str) -> str:
    """An image that sits beside the page in its folder."""
    return f"<p><img src='{e(path.name)}' alt='{e(alt)}'></p>"


def save_figure(fig, path: Path, dpi: int = 110) -> Path:
    """Lay out and save a figure. Every text is drawn as written: a name with '$' in it (a
    municipality's label, say) is not read as a formula, which could fail after a whole run."""
    from matplotlib.text import Text
    for text in fig.findobj(Text):
        text.set_parse_math(False)
    fig.tight_layout()
    fig.savefig(path, dpi=dpi)
    return path
