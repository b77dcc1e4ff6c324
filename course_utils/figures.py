"""Static figures of the course: the pictures that must make their point without a kernel.

Each ``make_*_figure`` function draws one figure, returns the matplotlib ``Figure``
and, when given a ``path``, also writes it as PNG and SVG. The files are
byte-identical from one build to the next on the same software stack: no dates, no
software version in the metadata, a fixed SVG hash salt, and the course style applied
from matplotlib's defaults, whatever the caller's settings were
(:func:`course_utils.plotting.style_context`).

``path`` may be a directory (the files are named after the figure, e.g.
``learning_rates.png`` and ``learning_rates.svg``) or a file name whose suffix is
replaced by ``.png`` and ``.svg``.

:data:`FIGURES` maps each figure's file stem to its function, so a build script can
write every static figure with one loop::

    for stem, make in FIGURES.items():
        plt.close(make(path="figures"))

The five figures: the logistic function, the lecture's decision boundary, the
softmax of the slide's scores (projector style by default: they are made for
slides), gradient descent at three learning rates and the weights against lambda
(notebook style by default: notebooks 04 and 05 show them). The numbers behind the
last two come from :mod:`course_utils.landscape` and :mod:`course_utils.data`; the
names this module used to define there (``line_data``, ``lambda_path``, ...) can
still be imported from here.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from ._checks import as_float_array
from .data import LECTURE_THETA, lambda_path_data, lecture_points, line_data
from .functions import add_intercept, sigmoid, softmax
from .landscape import (PATH_LAMS, lambda_path, learning_rate_iterates, one_weight_grad,
                        one_weight_loss, one_weight_minimum)
from .losses import predict
from .metrics import confusion_matrix
from .plotting import (COLORS, MARKERS, STYLES, plot_data, plot_decision_boundary,
                       style_context)

__all__ = ["FIGURES", "LEARNING_RATES", "PATH_LAMS", "BOUNDARY_LAMS",
           "make_sigmoid_figure", "make_lecture_boundary_figure", "make_softmax_figure",
           "make_learning_rate_figure", "make_lambda_path_figure",
           "save_figure", "picture_difference", "keep_if_same_picture", "PNG_TOLERANCE",
           "SVG_DECIMALS",
           # defined in course_utils.data and course_utils.landscape, kept importable here
           "line_data", "lambda_path_data", "one_weight_loss", "one_weight_grad",
           "one_weight_minimum", "learning_rate_iterates", "lambda_path"]

#: Learning rates of the three panels: too small, about right, too large.
LEARNING_RATES = (0.5, 2.5, 16.0)
#: The lambdas whose boundaries are drawn (the path uses ``PATH_LAMS``).
BOUNDARY_LAMS = (0.001, 0.1, 1.0)

_SALT = "from-sigmoid-to-softmax"


# --------------------------------------------------------------------------- saving

def _targets(path, stem):
    p = Path(os.fspath(path))
    if p.is_dir() or p.suffix == "":
        return p / f"{stem}.png", p / f"{stem}.svg"
    return p.with_suffix(".png"), p.with_suffix(".svg")


def save_figure(fig, path, stem):
    """Write ``fig`` as PNG and SVG, byte-stable from build to build.

    ``path`` is a directory (files ``<stem>.png`` and ``<stem>.svg`` inside it; it is
    created if missing) or a file name whose suffix is replaced by ``.png`` / ``.svg``.

    Returns
    -------
    list of pathlib.Path
        The PNG and SVG paths written.

    Examples
    --------
    >>> import tempfile, matplotlib.pyplot as plt
    >>> fig = plt.figure(figsize=(2, 2))
    >>> with tempfile.TemporaryDirectory() as d:
    ...     [p.name for p in save_figure(fig, d, "demo")]
    ['demo.png', 'demo.svg']
    >>> plt.close(fig)
    """
    if not isinstance(stem, str) or not stem:
        raise TypeError(f"stem must be a non-empty str such as 'learning_rates'; got {stem!r}.")
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a directory or file name (str or Path); "
                        f"got {type(path).__name__}.")
    png, svg = _targets(path, stem)
    png.parent.mkdir(parents=True, exist_ok=True)
    with mpl.rc_context({"svg.hashsalt": _SALT, "svg.fonttype": "path"}):
        fig.savefig(png, format="png", metadata={"Software": None})
        fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    return [png, svg]


#: RMS tolerance of :func:`picture_difference` for PNGs, in colour levels (0-255).
PNG_TOLERANCE = 1.0
#: SVG numbers (coordinates, sizes) are compared to this many decimals.
SVG_DECIMALS = 2

# A number in SVG text: not part of a name (``DejaVuSans-14``, ``m8381b15a03``) or a colour.
_SVG_NUMBER = re.compile(r"(?<![\w#.\-])-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")


def picture_difference(expected, actual, *, tol=PNG_TOLERANCE, decimals=SVG_DECIMALS):
    """How two saved figures differ as pictures, or None when they look the same.

    Figures drawn from the same code differ in their bytes when floating point differs
    in its last bits (a line vertex at 162.989515 instead of 162.989517). Compared as
    pictures they are the same:

    * PNG: :func:`matplotlib.testing.compare.compare_images`, the root-mean-square
      difference of the pixels at most ``tol`` colour levels (of 255);
    * GIF: the same number of frames, each within ``tol`` as for a PNG;
    * SVG: the text outside the numbers must be identical, and every number (a
      coordinate, a size) may differ by at most one unit in its ``decimals``-th
      decimal (the tolerance of "equal when rounded to 2 decimals", without the
      rounding boundary that would make 1.004999 and 1.005001 differ).

    Parameters
    ----------
    expected, actual : path
        Two ``.png``, two ``.gif`` or two ``.svg`` files.

    Returns
    -------
    str or None
        A sentence that says how they differ, or None.
    """
    expected, actual = Path(os.fspath(expected)), Path(os.fspath(actual))
    if expected.suffix != actual.suffix or expected.suffix not in (".png", ".svg", ".gif"):
        raise ValueError(f"expected and actual must both be .png, both .svg or both .gif "
                         f"files; got {expected.name} and {actual.name}.")
    for p in (expected, actual):
        if not p.is_file():
            raise FileNotFoundError(f"{p} does not exist.")
    if expected.suffix == ".png":
        return _png_difference(expected, actual, tol)
    if expected.suffix == ".gif":
        return _gif_difference(expected, actual, tol)
    return _svg_difference(expected.read_text(), actual.read_text(), decimals)


def keep_if_same_picture(fresh, target):
    """Move the figure file ``fresh`` onto ``target``, unless ``target`` shows the same picture.

    Another processor draws the same figure with other last bits (a vertex at
    162.989517 instead of 162.989515); as a picture it is unchanged, and rewriting a
    committed file would only make a change for git to report. Then ``fresh`` is
    deleted and ``target`` kept (see :func:`picture_difference`).

    Returns
    -------
    pathlib.Path
        ``target``.

    Examples
    --------
    >>> import tempfile, matplotlib.pyplot as plt
    >>> fig = plt.figure(figsize=(1, 1))
    >>> with tempfile.TemporaryDirectory() as d:
    ...     old = save_figure(fig, Path(d) / "old", "a")[0]
    ...     new = save_figure(fig, Path(d) / "new", "a")[0]
    ...     kept = keep_if_same_picture(new, old)
    ...     kept == old, new.exists()
    (True, False)
    >>> plt.close(fig)
    """
    fresh, target = Path(os.fspath(fresh)), Path(os.fspath(target))
    if target.is_file() and picture_difference(target, fresh) is None:
        fresh.unlink()
    else:
        os.replace(fresh, target)
    return target


def _gif_difference(expected, actual, tol):
    from matplotlib.testing.compare import calculate_rms
    from PIL import Image, ImageSequence
    with Image.open(expected) as a, Image.open(actual) as b:
        frames_a = [np.asarray(f.convert("RGB")).astype(np.int16) for f in ImageSequence.Iterator(a)]
        frames_b = [np.asarray(f.convert("RGB")).astype(np.int16) for f in ImageSequence.Iterator(b)]
    if len(frames_a) != len(frames_b):
        return f"{actual.name}: {len(frames_b)} frames instead of {len(frames_a)}"
    for i, (fa, fb) in enumerate(zip(frames_a, frames_b)):
        if fa.shape != fb.shape:
            return f"{actual.name}: frame {i} is {fb.shape[1]} x {fb.shape[0]} px instead of " \
                   f"{fa.shape[1]} x {fa.shape[0]} px"
        rms = calculate_rms(fa, fb)
        if rms > tol:
            return f"{actual.name}: frame {i} differs, RMS {rms:.2f} colour levels (tolerance {tol:g})"
    return None


def _png_difference(expected, actual, tol):
    from matplotlib.testing.compare import compare_images
    from matplotlib.testing.exceptions import ImageComparisonFailure
    # compare_images writes a "-failed-diff" picture next to ``actual``: give it a copy
    # in a scratch folder, so nothing is left beside the files compared.
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / actual.name
        copy.write_bytes(actual.read_bytes())
        try:
            result = compare_images(str(expected), str(copy), tol, in_decorator=True)
        except ImageComparisonFailure as err:      # different sizes
            return f"{actual.name}: {err}"
    if result is None:
        return None
    return (f"{actual.name}: the pictures differ, RMS {result['rms']:.2f} colour levels "
            f"(tolerance {tol:g})")


def _svg_difference(expected, actual, decimals):
    skeleton_e, skeleton_a = _SVG_NUMBER.split(expected), _SVG_NUMBER.split(actual)
    if skeleton_e != skeleton_a:
        first = next((i for i, (a, b) in enumerate(zip(skeleton_e, skeleton_a)) if a != b),
                     min(len(skeleton_e), len(skeleton_a)))
        return (f"the SVG text differs outside its numbers (near {skeleton_a[first][:60]!r} "
                f"instead of {skeleton_e[first][:60]!r})" if first < len(skeleton_a)
                and first < len(skeleton_e) else "the SVGs have different numbers of elements")
    unit = 10.0 ** -decimals
    for a, b in zip(_SVG_NUMBER.findall(expected), _SVG_NUMBER.findall(actual)):
        if abs(float(a) - float(b)) > unit * (1 + 1e-9):
            return f"an SVG number differs beyond {decimals} decimals: {b} instead of {a}"
    return None


def _fix_tick_counts(fig):
    """Give every linear axis a fixed number of tick bins.

    Matplotlib's default ("auto") picks the number of ticks when the figure is drawn,
    from the tick-label font size in force *then*; a figure drawn outside the style it
    was made in (saved later by a build script) would get crowded ticks.
    """
    for ax in fig.axes:
        for axis, name in ((ax.xaxis, "x"), (ax.yaxis, "y")):
            if axis.get_scale() == "linear":
                ax.locator_params(axis=name, nbins=6 if name == "y" else 7)


def _check_style(style):
    if style is not None and style not in STYLES:
        raise ValueError(f"style must be 'notebook', 'projector' or None (keep the current "
                         f"matplotlib settings); got {style!r}.")


# --------------------------------------------------------------------------- the slides' figures

def make_sigmoid_figure(path=None, *, style="projector"):
    """The logistic function sigma(z) = 1 / (1 + exp(-z)), with sigma(-2) = 0.12 marked.

    Parameters
    ----------
    path : str, Path or None
        Where to save PNG + SVG (a directory or a file name); nothing is saved if None.
    style : {"projector", "notebook"} or None
        Course style; None keeps the caller's matplotlib settings.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = make_sigmoid_figure()
    >>> fig.axes[0].get_title()
    'The logistic function'
    """
    _check_style(style)
    with style_context(style):
        fig = Figure()
        ax = fig.subplots()
        z = np.linspace(-8, 8, 401)
        ax.plot(z, sigmoid(z), label=r"$\sigma(z) = 1 / (1 + e^{-z})$")
        ax.axhline(0.5, color="#555555", lw=1, ls="--")
        ax.axvline(0.0, color="#555555", lw=1, ls="--")
        p = float(sigmoid(-2.0))
        ax.plot([-2.0], [p], "s", color="#D55E00", zorder=4)
        ax.annotate(f"$\\sigma(-2) = {p:.2f}$", (-2.0, p), xytext=(-7.6, 0.33),
                    arrowprops={"arrowstyle": "->", "color": "#333333"})
        ax.set_xlabel(r"score $z = \theta \cdot x$")
        ax.set_ylabel(r"$P(y = 1 \mid x)$")
        ax.set_ylim(-0.03, 1.03)
        ax.set_title("The logistic function")
        ax.legend(loc="lower right")
        if path is not None:
            save_figure(fig, path, "sigmoid")
    return fig


def make_lecture_boundary_figure(path=None, *, style="projector"):
    """The lecture's 16 points and the boundary -1 + 2 x1 - 3 x2 = 0, with its metrics.

    Parameters
    ----------
    path : str, Path or None
        Where to save PNG + SVG (a directory or a file name); nothing is saved if None.
    style : {"projector", "notebook"} or None
        Course style; None keeps the caller's matplotlib settings.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = make_lecture_boundary_figure()
    >>> fig.axes[0].get_title()
    'accuracy 11/16, precision 7/9, recall 7/10'
    """
    _check_style(style)
    X, y = lecture_points()
    (tn, fp), (fn, tp) = confusion_matrix(y, predict(LECTURE_THETA, add_intercept(X))).tolist()
    with style_context(style):
        fig = Figure()
        ax = fig.subplots()
        plot_data(X, y, ax=ax, legend=False)
        plot_decision_boundary(LECTURE_THETA, ax=ax, xlim=(0, 4.5), ylim=(-0.2, 3.0),
                               label=r"$-1 + 2x_1 - 3x_2 = 0$")
        ax.text(3.6, 0.15, "predict 1", ha="center", color="#333333")
        ax.text(0.9, 2.75, "predict 0", ha="center", color="#333333")
        ax.legend(loc="upper right")
        ax.set_title(f"accuracy {tp + tn}/{len(y)}, precision {tp}/{tp + fp}, "
                     f"recall {tp}/{tp + fn}")
        if path is not None:
            save_figure(fig, path, "lecture_boundary")
    return fig


def make_softmax_figure(path=None, *, style="projector"):
    """The slide's scores (1.45, 0.33, -0.12, 0.01) and their softmax, side by side.

    Parameters
    ----------
    path : str, Path or None
        Where to save PNG + SVG (a directory or a file name); nothing is saved if None.
    style : {"projector", "notebook"} or None
        Course style; None keeps the caller's matplotlib settings.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = make_softmax_figure()
    >>> [t.get_text() for t in fig.axes[1].texts][:2]
    ['0.5646', '0.1842']
    """
    _check_style(style)
    z = np.array([1.45, 0.33, -0.12, 0.01])
    p = softmax(z)
    names = [f"class {k}" for k in range(1, z.size + 1)]
    with style_context(style):
        fig = Figure()
        ax_z, ax_p = fig.subplots(1, 2)
        colors = [COLORS[k] for k in range(z.size)]
        ax_z.bar(names, z, color=colors, edgecolor="black")
        ax_z.axhline(0, color="black", lw=1)
        ax_z.set_title("scores $z_k$")
        ax_p.bar(names, p, color=colors, edgecolor="black")
        for k, v in enumerate(p):
            ax_p.text(k, v + 0.015, f"{v:.4f}", ha="center", va="bottom", fontsize="small")
        ax_p.set_ylim(0, 0.7)
        ax_p.set_title("softmax(z): sums to 1")
        for ax in (ax_z, ax_p):
            ax.tick_params(axis="x", labelrotation=30)
            ax.grid(axis="x", visible=False)
        if path is not None:
            save_figure(fig, path, "softmax_example")
    return fig


# --------------------------------------------------------------------------- learning rates

def make_learning_rate_figure(path=None, *, style="notebook", lrs=LEARNING_RATES, w0=-1.0,
                              n_steps=20):
    """Gradient descent on one weight with a small, a good and a large learning rate.

    Top row: the loss J(w) of :func:`one_weight_loss` with the iterates w_t of
    :func:`learning_rate_iterates` on the curve, one panel per learning rate. Bottom:
    w_t against the step t for all three, with the minimiser w* dashed (iterates far
    above it are clipped, with a note).

    Parameters
    ----------
    path : str, Path or None
        Where to save PNG + SVG (a directory or a file name); nothing is saved if None.
    style : {"notebook", "projector"} or None
        Course style to draw in; None keeps the caller's matplotlib settings.
    lrs : sequence of three floats
        Learning rates of the columns (default: too small, about right, too large).
    w0 : float
        Starting weight.
    n_steps : int
        Updates per column.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = make_learning_rate_figure()
    >>> [ax.get_title().split(":")[0] for ax in fig.axes[:3]]
    ['lr = 0.5', 'lr = 2.5', 'lr = 16']
    >>> plt.close(fig)
    """
    _check_style(style)
    lrs = as_float_array(lrs, "lrs", ndim=1)
    if lrs.shape != (3,):
        raise ValueError(f"lrs must hold three learning rates (small, right, large); "
                         f"got {lrs.shape[0]}.")
    runs = [learning_rate_iterates(lr, w0, n_steps) for lr in lrs]
    w_star = one_weight_minimum()
    verdicts = ("too small", "about right", "too large")
    with style_context(style):
        w, h = mpl.rcParams["figure.figsize"]
        fig = plt.figure(figsize=(1.6 * w, 1.55 * h))
        grid_spec = fig.add_gridspec(2, 3, height_ratios=(3, 2))
        tops = [fig.add_subplot(grid_spec[0, col]) for col in range(3)]
        ax_t = fig.add_subplot(grid_spec[1, :])
        ms, lw = mpl.rcParams["lines.markersize"], mpl.rcParams["lines.linewidth"]
        colors, markers, dashes = (COLORS[0], COLORS[2], COLORS[3]), ("o", "s", "^"), ("-", "--", ":")
        for col, (ax, lr, ws, verdict) in enumerate(zip(tops, lrs, runs, verdicts)):
            lo = min(ws.min(), w_star) - 0.6
            hi = max(ws.max(), w_star) + 0.6
            grid = np.linspace(lo, hi, 300)
            ax.plot(grid, one_weight_loss(grid), color="#555555", lw=0.75 * lw, zorder=1)
            Js = one_weight_loss(ws)
            ax.plot(ws, Js, "-", color=colors[col], lw=0.5 * lw, alpha=0.8, zorder=2)
            ax.scatter(ws, Js, c=np.arange(ws.size), cmap="viridis", s=0.6 * ms**2, zorder=3,
                       edgecolors="black", linewidths=0.5)
            ax.annotate("start", (ws[0], Js[0]), textcoords="offset points", xytext=(6, 4),
                        fontsize="small")
            ax.set_title(f"lr = {lr:g}: {verdict}")
            ax.set_xlabel("weight w")
            ax_t.plot(np.arange(ws.size), ws, dashes[col], marker=markers[col], color=colors[col],
                      ms=0.55 * ms, lw=0.6 * lw,
                      label=f"lr = {lr:g}: w = {ws[-1]:.2f} after {n_steps} steps")
        tops[0].set_ylabel("loss J(w)")
        # The bottom panel keeps the range where the runs end readable; far-out
        # iterates (the large rate's first jumps) are clipped and said so.
        lo_t, hi_t = min(w0, w_star) - 1.6, w_star + 2.0
        ax_t.axhline(w_star, color="black", ls="--", lw=0.5 * lw, label=f"w* = {w_star:.2f}")
        ax_t.set_ylim(lo_t, hi_t)
        clipped = [(lr, ws.max()) for lr, ws in zip(lrs, runs) if ws.max() > hi_t]
        note = "".join(f"; lr = {lr:g} leaves the chart (up to w = {top:.1f})" for lr, top in clipped)
        ax_t.set_title(f"Weight against step{note}", fontsize="medium")
        ax_t.set_xlabel("step t")
        ax_t.set_ylabel("weight $w_t$")
        ax_t.legend(loc="lower right", fontsize="small", ncols=2)
        fig.suptitle("Gradient descent on one weight; dots coloured from the first step "
                     "(dark) to the last (yellow)", fontsize="medium")
        _fix_tick_counts(fig)
        if path is not None:
            save_figure(fig, path, "learning_rates")
    return fig


# --------------------------------------------------------------------------- lambda path

def make_lambda_path_figure(path=None, *, style="notebook", lams=PATH_LAMS,
                            boundary_lams=BOUNDARY_LAMS):
    """Two panels: the weights against lambda (log axis), and boundaries for a few lambdas.

    Left: theta_0 (dashed, not penalised), theta_1 and theta_2 of :func:`lambda_path`
    on :func:`lambda_path_data`. Right: the data with the boundary theta . x = 0 for
    each lambda in ``boundary_lams``.

    Parameters
    ----------
    path : str, Path or None
        Where to save PNG + SVG (a directory or a file name); nothing is saved if None.
    style : {"notebook", "projector"} or None
        Course style; None keeps the caller's matplotlib settings.
    lams : sequence of float > 0
        Lambdas of the weight path.
    boundary_lams : sequence of up to four floats > 0
        Lambdas whose boundaries are drawn (and marked on the path).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = make_lambda_path_figure()
    >>> fig.axes[0].get_xscale(), len(fig.axes[1].get_lines())
    ('log', 3)
    >>> plt.close(fig)
    """
    _check_style(style)
    boundary_lams = as_float_array(boundary_lams, "boundary_lams", ndim=1)
    if not 1 <= boundary_lams.size <= 4 or np.any(boundary_lams <= 0):
        raise ValueError("boundary_lams must hold one to four positive lambdas such as "
                         f"(0.001, 0.1, 1.0); got {boundary_lams.tolist()}.")
    X2, y = lambda_path_data()
    X = add_intercept(X2)
    lams = as_float_array(lams, "lams", ndim=1)
    thetas = lambda_path(X, y, lams)
    chosen = lambda_path(X, y, boundary_lams)
    styles = ("-", "--", ":", "-.")
    with style_context(style):
        w, h = mpl.rcParams["figure.figsize"]
        fig, (ax_path, ax_data) = plt.subplots(1, 2, figsize=(1.6 * w, h))
        ms, lw = mpl.rcParams["lines.markersize"], mpl.rcParams["lines.linewidth"]
        names = ("$\\theta_0$ (intercept, not penalised)", "$\\theta_1$", "$\\theta_2$")
        colors = ("#555555", COLORS[2], COLORS[4])
        for j in range(3):
            ax_path.plot(lams, thetas[:, j], "--" if j == 0 else "-", color=colors[j],
                         label=names[j])
        for lam, ls in zip(boundary_lams, styles):
            ax_path.axvline(lam, color="black", ls=ls, lw=1)
            ax_path.annotate(f"$\\lambda$ = {lam:g}", (lam, 0.62), xycoords=("data", "axes fraction"),
                             xytext=(3, 0), textcoords="offset points", rotation=90,
                             va="center", fontsize="x-small")
        ax_path.axhline(0.0, color="black", lw=0.8)
        ax_path.set_xscale("log")
        ax_path.set_xlabel("$\\lambda$ (log scale)")
        ax_path.set_ylabel("weight at the minimum of J")
        ax_path.set_title("Weights at the minimum, against $\\lambda$")
        ax_path.legend(loc="upper right", fontsize="small")

        for k in (0, 1):
            pts = X2[y == k]
            ax_data.scatter(pts[:, 0], pts[:, 1], color=COLORS[k], marker=MARKERS[k], s=0.7 * ms**2,
                            edgecolors="white", linewidths=0.5, label=f"y = {k}", zorder=3)
        lo, hi = X2.min(axis=0) - 0.5, X2.max(axis=0) + 0.5
        xs = np.linspace(lo[0], hi[0], 50)
        for theta, lam, ls in zip(chosen, boundary_lams, styles):
            # theta_0 + theta_1 x1 + theta_2 x2 = 0  ->  x2 = -(theta_0 + theta_1 x1) / theta_2
            ax_data.plot(xs, -(theta[0] + theta[1] * xs) / theta[2], color="black", ls=ls,
                         lw=0.9 * lw, label=f"$\\lambda$ = {lam:g}")
        ax_data.set_xlim(lo[0], hi[0])
        ax_data.set_ylim(lo[1], hi[1])
        ax_data.set_xlabel("$x_1$")
        ax_data.set_ylabel("$x_2$")
        ax_data.set_title("Boundaries $\\theta \\cdot x = 0$ for three $\\lambda$")
        ax_data.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
        _fix_tick_counts(fig)
        if path is not None:
            save_figure(fig, path, "lambda_path")
    return fig


#: File stem -> function; ``make figures`` writes each into ``figures/``.
FIGURES = {
    "sigmoid": make_sigmoid_figure,
    "lecture_boundary": make_lecture_boundary_figure,
    "softmax_example": make_softmax_figure,
    "learning_rates": make_learning_rate_figure,
    "lambda_path": make_lambda_path_figure,
}
