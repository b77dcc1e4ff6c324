"""The projector style: one line, ``use_style("projector")``, makes every figure readable in class.

The styles are matplotlib style files shipped with the package, so an instructor's
own deck gets the same look with ``plt.style.use(style_path("projector"))``.

Checked: fonts of 18 pt or more, thick lines, large markers, opaque white backgrounds
(a figure saved with it stays readable on a dark page), the Okabe-Ito palette with
one marker per class, and a rendered PNG whose pixels are really white around the
axes. The PNG is kept in ``build/style/`` to look at.
"""

from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_hex, to_rgba
from matplotlib.font_manager import FontProperties

from course_utils.data import lecture_points
from course_utils.plotting import (COLORS, MARKERS, plot_data, plot_decision_boundary,
                                   style_context, style_path, use_style)

ROOT = Path(__file__).resolve().parents[1]

#: Okabe & Ito (2008), "Color Universal Design": the eight colours, by name.
OKABE_ITO = {
    "blue": "#0072b2", "orange": "#e69f00", "bluish green": "#009e73",
    "vermillion": "#d55e00", "reddish purple": "#cc79a7", "sky blue": "#56b4e9",
    "yellow": "#f0e442", "black": "#000000",
}


@pytest.fixture
def projector():
    """Apply the projector style inside a context that restores the caller's settings."""
    with mpl.rc_context():
        mpl.style.use("default")
        params = use_style("projector")
        yield params
    plt.close("all")


def points(size_keyword):
    """A rcParams font size ("large", 18, ...) in points, resolved as matplotlib does."""
    return FontProperties(size=size_keyword).get_size_in_points()


FONT_KEYS = ["font.size", "axes.titlesize", "axes.labelsize", "legend.fontsize",
             "xtick.labelsize", "ytick.labelsize"]


@pytest.mark.parametrize("key", FONT_KEYS)
def test_every_font_is_at_least_18_pt(projector, key):
    assert points(mpl.rcParams[key]) >= 18


def test_lines_and_markers_are_thick(projector):
    assert mpl.rcParams["lines.linewidth"] >= 3
    assert mpl.rcParams["lines.markersize"] >= 10
    assert mpl.rcParams["axes.linewidth"] >= 1.5


def test_projector_is_bigger_than_notebook():
    with mpl.rc_context():
        nb = use_style("notebook")
        pj = use_style("projector")
    for key in ("font.size", "lines.linewidth", "lines.markersize"):
        assert pj[key] > nb[key], key


def test_backgrounds_are_opaque_white(projector):
    for key in ("figure.facecolor", "axes.facecolor", "savefig.facecolor"):
        assert to_rgba(mpl.rcParams[key]) == (1.0, 1.0, 1.0, 1.0), key
    assert mpl.rcParams["savefig.transparent"] is False
    # Text is dark, so it stays readable on the white background in a dark theme.
    for key in ("text.color", "axes.labelcolor", "xtick.color", "ytick.color"):
        r, g, b, _ = to_rgba(mpl.rcParams[key])
        assert 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.25, key


def test_palette_is_okabe_ito_with_a_marker_per_class(projector):
    cycle = [to_hex(c).lower() for c in mpl.rcParams["axes.prop_cycle"].by_key()["color"]]
    assert cycle == list(OKABE_ITO.values())
    assert [c.lower() for c in COLORS] == cycle
    assert len(set(MARKERS)) == len(MARKERS) >= len(COLORS)


def test_classes_differ_in_colour_and_marker(projector):
    X, y = lecture_points()
    arts = plot_data(X, y)
    colors = [to_hex(a.get_facecolor()[0]) for a in arts]
    paths = [a.get_paths()[0].vertices.shape for a in arts]
    assert len(set(colors)) == len(arts) == 2
    assert paths[0] != paths[1], "a circle and a square have different outlines"


def test_a_rendered_figure_is_white_around_the_axes(projector):
    X, y = lecture_points()
    fig, ax = plt.subplots()
    plot_data(X, y, ax=ax)
    plot_decision_boundary([-1.0, 2.0, -3.0], ax=ax)
    ax.set_title("projector style")
    out = ROOT / "build" / "style"
    out.mkdir(parents=True, exist_ok=True)
    png = out / "projector.png"
    fig.savefig(png)
    image = plt.imread(png)
    assert image.shape[2] == 4 and np.all(image[..., 3] == 1.0), "no transparent pixels"
    # The corners (outside the axes) are white.
    for corner in (image[:5, :5], image[:5, -5:], image[-5:, :5], image[-5:, -5:]):
        assert np.all(corner[..., :3] == 1.0)
    # Large: at 100 dpi the figure is at least 1000 pixels wide.
    assert image.shape[1] >= 1000


def test_unknown_mode_names_the_argument():
    with pytest.raises(ValueError, match="mode"):
        use_style("poster")


# ----------------------------------------------------------------- matplotlib's own mechanism

def test_use_style_is_plt_style_use_of_the_shipped_file():
    with mpl.rc_context():
        mpl.style.use("default")
        use_style("projector")
        ours = dict(mpl.rcParams)
    with mpl.rc_context():
        mpl.style.use("default")
        plt.style.use(style_path("projector"))     # what an instructor writes in a deck
        theirs = dict(mpl.rcParams)
        mpl.style.use("default")
        plt.style.use("course_utils.styles.projector")
        dotted = dict(mpl.rcParams)
    assert ours == theirs == dotted


def test_both_styles_share_colours_and_backgrounds_and_differ_in_size():
    nb = mpl.rc_params_from_file(style_path("notebook"), use_default_template=False)
    pj = mpl.rc_params_from_file(style_path("projector"), use_default_template=False)
    sizes = {"figure.figsize", "font.size", "axes.titlesize", "axes.labelsize",
             "legend.fontsize", "xtick.labelsize", "ytick.labelsize", "lines.linewidth",
             "lines.markersize", "axes.linewidth", "grid.linewidth"}
    shared = (set(nb) | set(pj)) - sizes
    assert {k for k in shared if nb.get(k) != pj.get(k)} == set()
    assert len(shared) >= 15


def test_style_context_starts_from_defaults_and_restores_the_callers_settings():
    with mpl.rc_context({"font.size": 30, "axes.grid": False}):
        with style_context("notebook"):
            assert mpl.rcParams["font.size"] == 12 and mpl.rcParams["axes.grid"] is True
        assert mpl.rcParams["font.size"] == 30 and mpl.rcParams["axes.grid"] is False
        with style_context(None):            # the caller's settings as the start
            assert mpl.rcParams["font.size"] == 30
            mpl.rcParams["font.size"] = 8
        assert mpl.rcParams["font.size"] == 30
