"""Figures of the course.

Every helper takes ``ax=None`` (a new figure is made when it is None), returns what
it drew, and never calls ``plt.show()``.

Style: :func:`use_style` sets a readable default; ``use_style("projector")`` is the
one line an instructor puts at the top of a notebook for class: fonts of 18 pt or
more, thick lines, opaque white backgrounds (readable in a dark JupyterLab theme),
and the Okabe-Ito colour-blind-safe palette with a distinct marker per class.
"""

from __future__ import annotations

import matplotlib as mpl
from cycler import cycler

__all__ = ["COLORS", "MARKERS", "use_style"]

#: Okabe & Ito (2008) colour-blind-safe palette, in the order classes use it.
COLORS = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
#: One marker per class, so classes differ in shape as well as colour.
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")

_COMMON = {
    "axes.prop_cycle": cycler(color=COLORS),
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "figure.edgecolor": "white",
    "axes.edgecolor": "#333333",
    "text.color": "#111111",
    "axes.labelcolor": "#111111",
    "xtick.color": "#111111",
    "ytick.color": "#111111",
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.framealpha": 0.9,
    "figure.constrained_layout.use": True,
    "image.cmap": "viridis",
}

_STYLES = {
    "notebook": {
        "figure.figsize": (6.4, 4.2),
        "figure.dpi": 100,
        "savefig.dpi": 150,
        "font.size": 12,
        "axes.titlesize": 13,
        "axes.labelsize": 12,
        "legend.fontsize": 11,
        "xtick.labelsize": 11,
        "ytick.labelsize": 11,
        "lines.linewidth": 2.0,
        "lines.markersize": 7,
    },
    "projector": {
        "figure.figsize": (10, 6.5),
        "figure.dpi": 100,
        "savefig.dpi": 150,
        "font.size": 20,
        "axes.titlesize": 22,
        "axes.labelsize": 20,
        "legend.fontsize": 18,
        "xtick.labelsize": 18,
        "ytick.labelsize": 18,
        "lines.linewidth": 3.5,
        "lines.markersize": 11,
        "axes.linewidth": 1.8,
        "grid.linewidth": 1.2,
    },
}


def use_style(mode="notebook"):
    """Apply the course's matplotlib style; ``mode`` is "notebook" or "projector".

    Returns the dict of rcParams that were set.

    Examples
    --------
    >>> use_style("projector")["font.size"] >= 18
    True
    >>> _ = use_style()
    """
    if mode not in _STYLES:
        raise ValueError(f"mode must be one of {sorted(_STYLES)}; got {mode!r}. "
                         f"Use use_style('projector') for class.")
    params = {**_COMMON, **_STYLES[mode]}
    mpl.rcParams.update(params)
    return params
