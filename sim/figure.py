"""Figures without pyplot: a `matplotlib.figure.Figure` renders to a file with no backend chosen,
so importing this project never changes a user's matplotlib backend (and needs no display)."""

from __future__ import annotations

from matplotlib import rcParams
from matplotlib.figure import Figure

COLOURS = rcParams["axes.prop_cycle"].by_key()["color"]


def subplots(nrows: int = 1, ncols: int = 1, *, figsize=None, squeeze: bool = True, sharex: bool = False,
             sharey: bool = False):
    """(figure, axes) as `pyplot.subplots` gives them, on a figure pyplot does not track."""
    fig = Figure(figsize=figsize)
    return fig, fig.subplots(nrows, ncols, squeeze=squeeze, sharex=sharex, sharey=sharey)



def legend(ax, **kwargs) -> None:
    """A legend of the labelled lines and bars of `ax`, or of the first axes of its figure that
    has any; none (and no warning) when nothing is labelled, as in a run too small to plot."""
    for candidate in [ax, *ax.figure.axes]:
        handles, labels = candidate.get_legend_handles_labels()
        if handles:
            ax.legend(handles, labels, **kwargs)
            return
