"""Figures of the course.

Every helper takes ``ax=None`` (a new figure is made when it is None), returns what
it drew, and never calls ``plt.show()``. What a helper returns can be updated in place
(``set_data``), which is how the explorers of :mod:`course_utils.widgets` animate.

* :func:`plot_data`: points, one colour and one marker per class;
* :func:`plot_decision_boundary`, :func:`boundary_segment`: the line theta . x = 0;
* :func:`plot_decision_regions`, :func:`decision_region_grid`: argmax regions;
* :func:`plot_loss_contours`: the loss over two parameters (the grid from
  :func:`course_utils.landscape.binary_loss_grid`, importable here too);
* :func:`plot_trajectory`: a gradient-descent path with start and end marked;
* :func:`plot_loss_curves`: training and validation loss, early-stopping point marked;
* :func:`plot_confusion_matrix`: counts of true against predicted classes.

Style: :func:`use_style` sets a readable default; ``use_style("projector")`` is the
one line an instructor puts at the top of a notebook for class: fonts of 18 pt or
more, thick lines, opaque white backgrounds (readable in a dark JupyterLab theme),
and the Okabe-Ito colour-blind-safe palette with a distinct marker per class. Both
styles are matplotlib style files shipped with the package (:func:`style_path`), so
``plt.style.use(style_path("projector"))`` gives your own slides the same look;
:func:`style_context` draws one figure in a style and then restores your settings.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap
from matplotlib.lines import Line2D

from ._checks import (MAX_RESOLUTION, as_float_array, as_labels, check_flag, check_grid,
                      check_magnitude, check_scalar)
from .landscape import binary_loss_grid   # computed there; drawn by plot_loss_contours

__all__ = ["COLORS", "MARKERS", "STYLES", "use_style", "style_path", "style_context",
           "plot_data", "plot_decision_boundary", "boundary_segment", "plot_decision_regions",
           "decision_region_grid",
           "binary_loss_grid", "plot_loss_contours", "plot_trajectory", "trajectory_xy",
           "plot_loss_curves", "plot_confusion_matrix", "Contours", "TrajectoryArtists",
           "LossCurveArtists", "ConfusionArtists"]

#: Most classes a plot draws (each is one scatter call; more could not be told apart).
MAX_PLOT_CLASSES = 50

#: Okabe & Ito (2008) colour-blind-safe palette, in the order classes use it.
COLORS = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
#: One marker per class, so classes differ in shape as well as colour.
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")

#: The course's styles; each is a matplotlib style file, ``styles/<name>.mplstyle``.
STYLES = ("notebook", "projector")
_STYLE_DIR = Path(__file__).resolve().parent / "styles"


def _style_file(name, argname, hint=""):
    if name not in STYLES:
        raise ValueError(f"{argname} must be one of {sorted(STYLES)}; got {name!r}.{hint}")
    return _STYLE_DIR / f"{name}.mplstyle"


def style_path(name="notebook"):
    """The matplotlib style file of a course style, for ``plt.style.use`` in your own code.

    The files ship with the package. An instructor's deck gets the projector look
    with ``plt.style.use(style_path("projector"))`` (or, equivalently,
    ``plt.style.use("course_utils.styles.projector")``).

    Parameters
    ----------
    name : {"notebook", "projector"}

    Returns
    -------
    pathlib.Path
        The ``.mplstyle`` file.

    Examples
    --------
    >>> style_path("projector").name
    'projector.mplstyle'
    >>> with plt.style.context(style_path("projector")):
    ...     plt.rcParams["font.size"] >= 18
    True
    """
    return _style_file(name, "name")


def use_style(mode="notebook"):
    """Apply the course's matplotlib style; ``mode`` is "notebook" or "projector".

    The same as ``plt.style.use(style_path(mode))``: it changes the settings of the
    whole session (put it at the top of a notebook). For one figure only, use
    :func:`style_context`.

    Returns
    -------
    dict
        The rcParams the style set, with their new values.

    Examples
    --------
    >>> use_style("projector")["font.size"] >= 18
    True
    >>> _ = use_style()
    """
    path = _style_file(mode, "mode", " Use use_style('projector') for class.")
    plt.style.use(path)
    return {key: mpl.rcParams[key] for key in mpl.rc_params_from_file(
        path, use_default_template=False)}


@contextmanager
def style_context(name="notebook"):
    """Draw in a course style from matplotlib's defaults; restore the caller's settings after.

    ``plt.style.context(["default", style_path(name)])``, so a figure made inside
    looks the same whatever the caller had set, plus one repair: IPython's inline
    backend, set up by the first figure of a notebook (which may be made inside
    this block), switches interactive mode on, and that must survive the restore
    or the notebook's later figures would not be shown.

    Parameters
    ----------
    name : {"notebook", "projector"} or None
        None keeps the caller's settings as the starting point (changes made inside
        the block are still undone afterwards).

    Examples
    --------
    >>> with style_context("projector"):
    ...     plt.rcParams["lines.linewidth"]
    3.5
    """
    styles = [] if name is None else ["default", _style_file(name, "name")]
    with plt.style.context(styles):
        yield
        interactive = mpl.is_interactive()
    mpl.interactive(interactive)


# --------------------------------------------------------------------------- helpers

def _new_ax(ax):
    """The axes to draw on: ``ax`` itself, or a fresh figure's only axes."""
    if ax is None:
        _, ax = plt.subplots()
        return ax
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None; got {type(ax).__name__}. "
                        f"Pass the axes to draw on, e.g. fig, ax = plt.subplots().")
    return ax


def _check_limits(lim, name):
    if lim is None:
        return None
    arr = check_magnitude(as_float_array(lim, name, ndim=1), name)
    if arr.shape != (2,) or not arr[0] < arr[1]:
        raise ValueError(f"{name} must be two increasing numbers (low, high); got "
                         f"{tuple(float(v) for v in arr)}.")
    return float(arr[0]), float(arr[1])


def _texts(values, name):
    """A list or tuple (or array) of names, each turned into text; sets and dicts refused."""
    if isinstance(values, (str, bytes, set, frozenset, dict)) or not isinstance(
            values, (list, tuple, np.ndarray)):
        raise TypeError(f"{name} must be a list of names, one per class; got "
                        f"{type(values).__name__}.")
    return [str(s) for s in values]


def _text(value, name):
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str; got {type(value).__name__}.")
    return value


def _cmap(value, name="cmap"):
    if not isinstance(value, (str, mpl.colors.Colormap)):
        raise TypeError(f"{name} must be a colormap name such as 'Blues' or a matplotlib "
                        f"Colormap; got {type(value).__name__}.")
    return value


def check_points(X, y, name_X="X", name_y="y"):
    """Validate 2-D points without the dummy column and their integer class labels.

    Parameters
    ----------
    X : array_like, shape (m, 2)
        Features (x1, x2).
    y : array_like, shape (m,)
        Class labels 0..K-1.
    name_X, name_y : str
        The argument names used in error messages.

    Returns
    -------
    X : ndarray of float, shape (m, 2)
    y : ndarray of int, shape (m,)

    Examples
    --------
    >>> X, y = check_points([[0, 1], [2, 3]], [0, 1])
    >>> X.shape, y.tolist()
    ((2, 2), [0, 1])
    """
    X = check_magnitude(as_float_array(X, name_X, ndim=2), name_X,
                        hint=f"Scale the features of {name_X} to plot them.")
    if X.shape[1] != 2:
        raise ValueError(f"{name_X} must have 2 columns (x1, x2), without the dummy feature; "
                         f"got shape {X.shape}. Drop the column of ones before plotting.")
    y = as_labels(y, name_y, limit=MAX_PLOT_CLASSES,
                  hint=f"A plot shows at most {MAX_PLOT_CLASSES} classes (labels 0, 1, 2, ...).")
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"{name_y} must have one label per row of {name_X}, shape "
                         f"({X.shape[0]},); got shape {y.shape}.")
    return X, y


def check_theta3(theta, name="theta"):
    """A binary theta of shape (3,) (intercept, weight of x1, weight of x2); may be non-finite.

    Parameters
    ----------
    theta : array_like, shape (3,)
    name : str
        The argument name used in error messages.

    Returns
    -------
    ndarray of float, shape (3,)

    Examples
    --------
    >>> check_theta3([-1, 2, -3]).tolist()
    [-1.0, 2.0, -3.0]
    """
    arr = as_float_array(theta, name, ndim=1, finite=False)
    if arr.shape != (3,):
        raise ValueError(f"{name} must have shape (3,): (theta_0, theta_1, theta_2) for two "
                         f"features plus the dummy one; got shape {arr.shape}.")
    return arr


def boundary_segment(theta, xlim, ylim):
    """The part of the line theta_0 + theta_1 x1 + theta_2 x2 = 0 inside a box.

    Parameters
    ----------
    theta : array_like, shape (3,)
    xlim, ylim : (low, high)
        The box (usually the axes limits).

    Returns
    -------
    xs, ys : ndarray, shape (2,) or (0,)
        End points of the visible segment; empty when the line misses the box, when
        theta_1 = theta_2 = 0 (no boundary: every point gets the same class) or when
        theta is not finite.

    Examples
    --------
    >>> xs, ys = boundary_segment([-1, 2, -3], (0, 4), (-1, 3))
    >>> np.round(xs, 3).tolist(), np.round(ys, 3).tolist()
    ([0.0, 4.0], [-0.333, 2.333])
    >>> boundary_segment([1, 0, 0], (0, 1), (0, 1))[0].size
    0
    """
    a, b, c = check_theta3(theta)
    (x0, x1), (y0, y1) = _check_limits(xlim, "xlim"), _check_limits(ylim, "ylim")
    empty = np.empty(0), np.empty(0)
    if not (np.isfinite(a) and np.isfinite(b) and np.isfinite(c)) or (b == 0 and c == 0):
        return empty
    # Scale so the largest coefficient is 1: no overflow in the divisions below.
    s = max(abs(a), abs(b), abs(c))
    a, b, c = a / s, b / s, c / s
    pts = []
    with np.errstate(all="ignore"):
        if c != 0:
            for x in (x0, x1):
                yv = -(a + b * x) / c
                if y0 <= yv <= y1:
                    pts.append((x, yv))
        if b != 0:
            for yv in (y0, y1):
                x = -(a + c * yv) / b
                if x0 <= x <= x1:
                    pts.append((x, yv))
    if len(pts) < 2:
        return empty
    pts = np.array(pts)
    d = ((pts[:, None, :] - pts[None, :, :]) ** 2).sum(axis=-1)
    i, j = np.unravel_index(np.argmax(d), d.shape)
    if d[i, j] == 0:
        return empty
    (xa, ya), (xb, yb) = sorted([tuple(pts[i]), tuple(pts[j])])
    return np.array([xa, xb]), np.array([ya, yb])


def data_limits(X, margin=0.1):
    """Axis limits around 2-D points: their bounding box widened by ``margin`` of its size.

    Parameters
    ----------
    X : ndarray, shape (m, 2)
        Points (x1, x2), already checked.
    margin : float
        Fraction of the box's width (height) added on each side.

    Returns
    -------
    xlim, ylim : (low, high)

    Examples
    --------
    >>> xlim, ylim = data_limits(np.array([[0.0, 0.0], [10.0, 2.0]]))
    >>> np.round(xlim, 6).tolist(), np.round(ylim, 6).tolist()
    ([-1.0, 11.0], [-0.2, 2.2])
    """
    lo, hi = X.min(axis=0), X.max(axis=0)
    pad = margin * np.maximum(hi - lo, 1e-9) + 1e-9
    return (lo[0] - pad[0], hi[0] + pad[0]), (lo[1] - pad[1], hi[1] + pad[1])


# --------------------------------------------------------------------------- data

def class_label(k, n_classes):
    """Legend text of the class with index ``k`` in code.

    Binary problems keep the labels' own names, "y = 0" and "y = 1" (as on the slides);
    with more classes they are numbered from 1 as on the slides and in the text, so the
    class with index ``k`` is "class k + 1" (the course's notation, notebook 00).

    >>> class_label(1, 2), class_label(0, 3), class_label(2, 3)
    ('y = 1', 'class 1', 'class 3')
    """
    return f"y = {k}" if n_classes <= 2 else f"class {k + 1}"


def plot_data(X, y, ax=None, *, labels=None, hollow=False, size=None, legend=True,
              zorder=3):
    """Scatter 2-D points, one colour and one marker per class (Okabe-Ito + shapes).

    Parameters
    ----------
    X : array_like, shape (m, 2)
        Features (x1, x2) without the dummy column.
    y : array_like of int, shape (m,)
        Class labels 0..K-1.
    ax : Axes or None
    labels : sequence of str, optional
        Legend text per class; default "y = 0", "y = 1" (binary) or "class k".
    hollow : bool
        Draw unfilled markers (used for validation points next to training points).
    size : float, optional
        Marker area in points^2; default from ``lines.markersize``.
    legend : bool
        Add (or refresh) the legend.

    Returns
    -------
    list of PathCollection
        One scatter per class, in class order.

    Examples
    --------
    >>> from course_utils.data import lecture_points
    >>> X, y = lecture_points()
    >>> arts = plot_data(X, y)
    >>> len(arts), arts[1].get_offsets().shape
    (2, (10, 2))
    >>> plt.close("all")
    """
    X, y = check_points(X, y)
    hollow, legend = check_flag(hollow, "hollow"), check_flag(legend, "legend")
    ax = _new_ax(ax)
    K = max(int(y.max()) + 1, 2)
    if labels is not None:
        labels = _texts(labels, "labels")
        if len(labels) < K:
            raise ValueError(f"labels must have one entry per class ({K}); got {len(labels)}.")
    zorder = check_scalar(zorder, "zorder")
    if size is None:
        size = mpl.rcParams["lines.markersize"] ** 2 * (0.8 if hollow else 1.0)
    size = check_scalar(size, "size", low=0.0, low_inclusive=False, hint="It is an area in points^2.")
    artists = []
    for k in range(K):
        pts = X[y == k]
        color = COLORS[k % len(COLORS)]
        name = labels[k] if labels is not None else class_label(k, K)
        style = ({"facecolors": "none", "edgecolors": color, "linewidths": 1.2} if hollow
                 else {"color": color, "edgecolors": "black", "linewidths": 0.6})
        artists.append(ax.scatter(pts[:, 0], pts[:, 1], s=size, marker=MARKERS[k % len(MARKERS)],
                                  label=name, zorder=zorder, **style))
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    if legend:
        ax.legend(loc="best")
    return artists


def plot_decision_boundary(theta, ax=None, *, xlim=None, ylim=None, color="black",
                           label=r"$\theta \cdot x = 0$", **kwargs):
    """Draw the line theta_0 + theta_1 x1 + theta_2 x2 = 0 (where P(y = 1 | x) = 0.5).

    Points on the side where theta . x > 0 are predicted y = 1.

    Parameters
    ----------
    theta : array_like, shape (3,)
    ax : Axes or None
    xlim, ylim : (low, high), optional
        The box the line is drawn in; default: the axes' current limits. The axes
        limits are then fixed to that box so the line spans it.
    color, label, **kwargs
        Passed to ``ax.plot``.

    Returns
    -------
    Line2D
        Update it with ``line.set_data(*boundary_segment(new_theta, xlim, ylim))``.

    Examples
    --------
    >>> line = plot_decision_boundary([-1, 2, -3], xlim=(0, 4), ylim=(0, 3))
    >>> np.round(line.get_xdata(), 2).tolist()
    [0.5, 4.0]
    >>> plt.close("all")
    """
    theta = check_theta3(theta)
    label = _text(label, "label")
    ax = _new_ax(ax)
    xlim = _check_limits(xlim, "xlim") or tuple(ax.get_xlim())
    ylim = _check_limits(ylim, "ylim") or tuple(ax.get_ylim())
    xs, ys = boundary_segment(theta, xlim, ylim)
    (line,) = ax.plot(xs, ys, color=color, label=label, zorder=4, **kwargs)
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    return line


def decision_region_grid(Theta, xlim, ylim, resolution=200):
    """Predicted class on a resolution x resolution grid over the box xlim x ylim.

    ``Theta`` of shape (K, 3) gives argmax_k theta_k . x; a binary ``theta`` of shape
    (3,) gives 1 where theta . x > 0 and 0 elsewhere. Row i of the result is the
    i-th grid value of x2 (from ``ylim[0]`` up), as ``imshow(origin="lower")`` wants.

    Examples
    --------
    >>> decision_region_grid([0.0, 1.0, 0.0], (-1, 1), (-1, 1), resolution=4)[0].tolist()
    [0, 0, 1, 1]
    """
    T = check_magnitude(as_float_array(Theta, "Theta", ndim=(1, 2)), "Theta")
    if T.shape[-1] != 3:
        raise ValueError(f"Theta must have shape (K, 3) or (3,) for two features plus the "
                         f"dummy one; got shape {T.shape}.")
    (x0, x1), (y0, y1) = _check_limits(xlim, "xlim"), _check_limits(ylim, "ylim")
    resolution = check_scalar(resolution, "resolution", low=2, high=MAX_RESOLUTION,
                              integer=True)
    gx = np.linspace(x0, x1, resolution)
    gy = np.linspace(y0, y1, resolution)
    if T.ndim == 1:
        logits = T[0] + T[1] * gx[None, :] + T[2] * gy[:, None]
        return (logits > 0).astype(np.int64)
    logits = T[:, 0, None, None] + T[:, 1, None, None] * gx[None, None, :] \
        + T[:, 2, None, None] * gy[None, :, None]
    return np.argmax(logits, axis=0)


def plot_decision_regions(Theta, ax=None, *, xlim=None, ylim=None, resolution=200, alpha=0.25,
                          n_classes=None):
    """Shade the plane by predicted class: argmax_k theta_k . x (multinomial) or sign of theta . x.

    Parameters
    ----------
    Theta : array_like, shape (K, 3) or (3,)
    ax : Axes or None
    xlim, ylim : (low, high), optional
        The box; default: the axes' current limits.
    resolution : int
        Grid points per side.
    alpha : float
        Opacity of the shading (data drawn on top stays readable).
    n_classes : int, optional
        Number of colours to use; default K (or 2 for a binary theta).

    Returns
    -------
    AxesImage
        Update it with ``image.set_data(decision_region_grid(new_Theta, xlim, ylim, res))``.

    Examples
    --------
    >>> img = plot_decision_regions([[0, 1, 0], [0, -1, 0], [0, 0, 1]], xlim=(-2, 2), ylim=(-2, 2))
    >>> sorted(np.unique(img.get_array()).tolist())
    [0, 1, 2]
    >>> plt.close("all")
    """
    T = check_magnitude(as_float_array(Theta, "Theta", ndim=(1, 2)), "Theta")
    alpha = check_scalar(alpha, "alpha", low=0.0, high=1.0)
    ax = _new_ax(ax)
    xlim = _check_limits(xlim, "xlim") or tuple(ax.get_xlim())
    ylim = _check_limits(ylim, "ylim") or tuple(ax.get_ylim())
    K = n_classes if n_classes is not None else (2 if T.ndim == 1 else T.shape[0])
    K = check_scalar(K, "n_classes", low=2, integer=True)
    grid = decision_region_grid(T, xlim, ylim, resolution)
    cmap = ListedColormap([COLORS[k % len(COLORS)] for k in range(K)])
    image = ax.imshow(grid, extent=(*xlim, *ylim), origin="lower", cmap=cmap, alpha=alpha,
                      vmin=-0.5, vmax=K - 0.5, interpolation="nearest", aspect="auto", zorder=1)
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    return image


# --------------------------------------------------------------------------- losses

def _quantile_levels(Z, n):
    """n + 1 increasing contour levels at equal-area quantiles of Z."""
    finite = Z[np.isfinite(Z)]
    if finite.size == 0:
        return np.array([0.0, 1.0])
    levels = np.unique(np.quantile(finite, np.linspace(0.0, 1.0, n + 1)))
    if levels.size < 2:
        levels = np.array([levels[0], levels[0] + 1.0])
    return levels


class Contours(NamedTuple):
    """What :func:`plot_loss_contours` drew."""
    filled: object      #: filled ContourSet, or None
    lines: object       #: line ContourSet, or None when the surface is flat
    minimum: Line2D     #: marker at the grid's lowest value
    grid: tuple         #: (a, b, Z) that was drawn


def plot_loss_contours(loss, ax=None, *, extent=(-6, 6, -6, 6), resolution=61, levels=14,
                       vectorized=False, filled=True, cmap="Blues", alpha=0.75,
                       xlabel=r"$\theta_1$", ylabel=r"$\theta_2$"):
    """Contours of a loss over two parameters, with its lowest grid point marked.

    Parameters
    ----------
    loss : callable or (a, b, Z)
        Either a function of two parameters ``loss(a, b) -> float`` (evaluated point by
        point; with ``vectorized=True`` it is called once with two 2-D arrays and must
        return an array of that shape), or a precomputed grid such as the one
        :func:`binary_loss_grid` returns (Z[i, j] is the loss at (a[j], b[i])).
    ax : Axes or None
    extent : (a_min, a_max, b_min, b_max)
        Grid box when ``loss`` is a function.
    resolution : int
        Grid points per side when ``loss`` is a function.
    levels : int or array_like
        Number of levels (placed at equal-area quantiles of the loss, so every band
        covers the same share of the picture) or the levels themselves.
    filled : bool
        Draw filled bands under the lines.

    Returns
    -------
    Contours
        ``(filled, lines, minimum, grid)``.

    Examples
    --------
    >>> c = plot_loss_contours(lambda a, b: (a - 1) ** 2 + 2 * b ** 2, extent=(-2, 2, -2, 2),
    ...                        resolution=21)
    >>> c.minimum.get_xdata().tolist(), c.minimum.get_ydata().tolist()
    ([1.0], [0.0])
    >>> len(c.filled.levels), c.grid[2].shape
    (15, (21, 21))
    >>> plt.close("all")
    """
    vectorized, filled = check_flag(vectorized, "vectorized"), check_flag(filled, "filled")
    alpha, cmap = check_scalar(alpha, "alpha", low=0.0, high=1.0), _cmap(cmap)
    xlabel, ylabel = _text(xlabel, "xlabel"), _text(ylabel, "ylabel")
    if callable(loss):
        ext, resolution = check_grid(extent, resolution)
        a = np.linspace(ext[0], ext[1], resolution)
        b = np.linspace(ext[2], ext[3], resolution)
        A, B = np.meshgrid(a, b)
        if vectorized:
            Z = as_float_array(loss(A, B), "loss(a, b)", finite=False)
            if Z.shape != A.shape:
                raise ValueError(f"loss(a, b) must return an array of shape {A.shape} when "
                                 f"vectorized=True; got shape {Z.shape}. Use vectorized=False "
                                 f"for a function of two numbers.")
        else:
            Z = np.array([[float(loss(av, bv)) for av in a] for bv in b])
    else:
        if not isinstance(loss, (tuple, list)) or len(loss) != 3:
            raise TypeError(f"loss must be a function of two parameters or a grid (a, b, Z); "
                            f"got {type(loss).__name__}.")
        a = as_float_array(loss[0], "loss grid a", ndim=1)
        b = as_float_array(loss[1], "loss grid b", ndim=1)
        Z = as_float_array(loss[2], "loss grid Z", ndim=2, finite=False)
        if Z.shape != (b.size, a.size):
            raise ValueError(f"loss grid Z must have shape (len(b), len(a)) = "
                             f"{(b.size, a.size)}; got {Z.shape}.")
    ax = _new_ax(ax)
    lev = (_quantile_levels(Z, check_scalar(levels, "levels", low=1, integer=True))
           if np.ndim(levels) == 0 else as_float_array(levels, "levels", ndim=1))
    cf = ax.contourf(a, b, Z, levels=lev, cmap=cmap, alpha=alpha, zorder=0) if filled else None
    finite = Z[np.isfinite(Z)]
    inner = lev[(lev > finite.min()) & (lev < finite.max())] if finite.size else lev[:0]
    cl = (ax.contour(a, b, Z, levels=inner, colors="#333333", linewidths=0.6, alpha=0.7, zorder=1)
          if inner.size else None)
    i, j = np.unravel_index(np.nanargmin(np.where(np.isfinite(Z), Z, np.nan)), Z.shape)
    # A lowest value on the border of the grid is not a minimum of the loss (that lies
    # outside the box, or at infinity for separable data): then nothing is marked.
    inside = 0 < i < Z.shape[0] - 1 and 0 < j < Z.shape[1] - 1
    (minimum,) = ax.plot([a[j]] if inside else [], [b[i]] if inside else [], marker="+", color="black", markersize=12,
                         markeredgewidth=2, linestyle="none", label="minimum of J", zorder=2)
    ax.set_xlim(a[0], a[-1])
    ax.set_ylim(b[0], b[-1])
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return Contours(cf, cl, minimum, (a, b, Z))


# --------------------------------------------------------------------------- runs

class TrajectoryArtists(NamedTuple):
    """What :func:`plot_trajectory` drew."""
    line: Line2D    #: the path
    start: Line2D   #: circle at the first point
    end: Line2D     #: square at the last point
    best: Line2D    #: star at ``best_index`` (empty when not given)


def trajectory_xy(thetas, params=(1, 2)):
    """The two coordinates ``params`` of each recorded theta, finite rows only.

    Examples
    --------
    >>> trajectory_xy([[0, 1, 2], [0, np.inf, 1], [0, 3, 4]])
    (array([1., 3.]), array([2., 4.]))
    """
    T = as_float_array(thetas, "thetas", ndim=2, finite=False)
    if isinstance(params, (str, bytes, set, frozenset, dict)) or not all(
            isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in
            (params if isinstance(params, (list, tuple, np.ndarray)) else [None])):
        raise TypeError(f"params must be two column indices of thetas, such as (1, 2); got "
                        f"{params!r}."[:160])
    p = tuple(int(v) for v in params)
    if len(p) != 2 or max(p) >= T.shape[1] or min(p) < 0:
        raise ValueError(f"params must be two column indices of thetas (0..{T.shape[1] - 1}); "
                         f"got {params!r}.")
    pts = T[:, p]
    keep = np.all(np.isfinite(pts), axis=1)
    return pts[keep, 0].copy(), pts[keep, 1].copy()


def plot_trajectory(thetas, ax=None, *, params=(1, 2), best_index=None, color=COLORS[3],
                    label="gradient-descent path"):
    """A parameter path: line through the recorded thetas, start and end marked.

    Parameters
    ----------
    thetas : array_like, shape (r, d), or a Trajectory
        Recorded parameters (``Trajectory.thetas``); non-finite rows are skipped.
    ax : Axes or None
    params : (int, int)
        The two coordinates to draw (default theta_1, theta_2).
    best_index : int, optional
        Record to mark with a star (the early-stopping point).

    Returns
    -------
    TrajectoryArtists
        ``(line, start, end, best)``; update each with ``set_data``.

    Examples
    --------
    >>> arts = plot_trajectory([[0, 0, 0], [0, 1, 1], [0, 1.5, 2]], best_index=1)
    >>> arts.line.get_xdata().tolist(), arts.end.get_xdata().tolist(), arts.best.get_ydata().tolist()
    ([0.0, 1.0, 1.5], [1.5], [1.0])
    >>> plt.close("all")
    """
    if hasattr(thetas, "thetas"):
        if best_index is None:
            best_index = getattr(thetas, "best_index", None)
        thetas = thetas.thetas
    T = as_float_array(thetas, "thetas", ndim=2, finite=False)
    label = _text(label, "label")
    ax = _new_ax(ax)
    xs, ys = trajectory_xy(T, params)
    (line,) = ax.plot(xs, ys, color=color, linewidth=2, label=label, zorder=5)
    (start,) = ax.plot(xs[:1], ys[:1], marker="o", color="black", markerfacecolor="white",
                       markersize=9, linestyle="none", label="start", zorder=6)
    (end,) = ax.plot(xs[-1:], ys[-1:], marker="s", color=color, markeredgecolor="black",
                     markersize=9, linestyle="none", label="end", zorder=6)
    bx, by = [], []
    if best_index is not None:
        best_index = check_scalar(best_index, "best_index", low=0, high=T.shape[0] - 1,
                                  integer=True)
        row = T[best_index, list(params)]
        if np.all(np.isfinite(row)):
            bx, by = [row[0]], [row[1]]
    (best,) = ax.plot(bx, by, marker="*", color=COLORS[2], markeredgecolor="black",
                      markersize=15, linestyle="none", label="best validation", zorder=7)
    return TrajectoryArtists(line, start, end, best)


class LossCurveArtists(NamedTuple):
    """What :func:`plot_loss_curves` drew."""
    train: Line2D        #: training loss J per record
    val: Line2D          #: validation loss per record (empty without validation data)
    best_line: Line2D    #: vertical line at the lowest validation loss
    best_marker: Line2D  #: marker on the validation curve there


def finite_or_nan(values):
    """Copy of ``values`` as float64 with inf replaced by NaN (matplotlib leaves a gap)."""
    v = np.array(values, dtype=np.float64)
    v[~np.isfinite(v)] = np.nan
    return v


def plot_loss_curves(trajectory, ax=None, *, x="steps", logy=False, show_best=True):
    """Training and validation loss against steps, with the early-stopping point marked.

    The marker sits at ``trajectory.best_index``, the record with the lowest validation
    loss: where early stopping stops (status ``early_stopped``) or would have kept
    theta (any other run with validation data).

    Parameters
    ----------
    trajectory : Trajectory
        From :func:`course_utils.optim.gradient_descent`.
    ax : Axes or None
    x : "steps", "examples" or array_like
        Horizontal axis: updates, examples seen, or your own values (one per record,
        such as epochs).
    logy : bool
        Logarithmic loss axis.
    show_best : bool
        Mark the lowest validation loss.

    Returns
    -------
    LossCurveArtists
        ``(train, val, best_line, best_marker)``.

    Examples
    --------
    >>> from course_utils.optim import gradient_descent
    >>> X = np.array([[1.0, -2.0], [1.0, -1.0], [1.0, 1.0], [1.0, 2.0]])
    >>> run = gradient_descent(X, [0, 0, 1, 1], lr=1.0, max_steps=20, X_val=X[:2], y_val=[0, 1])
    >>> arts = plot_loss_curves(run)
    >>> float(arts.best_line.get_xdata()[0]) == run.best_step
    True
    >>> plt.close("all")
    """
    for attr in ("losses", "steps", "val_losses", "best_index"):
        if not hasattr(trajectory, attr):
            raise TypeError(f"trajectory must be a Trajectory from gradient_descent; got "
                            f"{type(trajectory).__name__} without .{attr}.")
    logy, show_best = check_flag(logy, "logy"), check_flag(show_best, "show_best")
    n = len(trajectory.losses)
    if isinstance(x, str):
        if x == "steps":
            xs, xlabel = np.asarray(trajectory.steps, dtype=float), "step (updates)"
        elif x == "examples":
            xs, xlabel = np.asarray(trajectory.examples_seen, dtype=float), "examples seen"
        else:
            raise ValueError(f"x must be 'steps', 'examples' or an array of {n} values; got {x!r}.")
    else:
        xs, xlabel = as_float_array(x, "x", ndim=1), None
        if xs.shape != (n,):
            raise ValueError(f"x must have one value per record ({n}); got shape {xs.shape}.")
    ax = _new_ax(ax)
    (train,) = ax.plot(xs, finite_or_nan(trajectory.losses), color=COLORS[0],
                       label="training loss J")
    vx, vy = (xs, finite_or_nan(trajectory.val_losses)) if trajectory.val_losses is not None \
        else ([], [])
    (val,) = ax.plot(vx, vy, color=COLORS[1], linestyle="--", label="validation loss")
    bx, by = [], []
    if show_best and trajectory.best_index is not None and trajectory.val_losses is not None:
        bx, by = [xs[trajectory.best_index]], [trajectory.val_losses[trajectory.best_index]]
    stopped = getattr(trajectory, "status", "") == "early_stopped"
    (best_line,) = ax.plot(bx * 2, [0, 1] if bx else [], color=COLORS[2], linestyle=":",
                           linewidth=2, transform=ax.get_xaxis_transform(), zorder=2,
                           label="early stop" if stopped else "lowest validation loss")
    (best_marker,) = ax.plot(bx, by, marker="*", color=COLORS[2], markeredgecolor="black",
                             markersize=14, linestyle="none", zorder=5)
    if logy:
        ax.set_yscale("log")
    if xlabel:
        ax.set_xlabel(xlabel)
    ax.set_ylabel("loss")
    ax.legend(loc="best")
    return LossCurveArtists(train, val, best_line, best_marker)


# --------------------------------------------------------------------------- metrics

class ConfusionArtists(NamedTuple):
    """What :func:`plot_confusion_matrix` drew."""
    image: object   #: the AxesImage of counts
    texts: list     #: texts[i][j] shows C[i, j]


def plot_confusion_matrix(C, labels=None, ax=None, *, cmap="Blues", cell_names=None):
    """The confusion matrix as a grid of counts: rows true class, columns predicted.

    Parameters
    ----------
    C : array_like of int, shape (K, K)
        From :func:`course_utils.metrics.confusion_matrix`; for two classes
        [[TN, FP], [FN, TP]].
    labels : sequence of str, optional
        Class names; default "0", "1", ...
    ax : Axes or None
    cell_names : (K, K) nested sequence of str, optional
        A name shown above each count, e.g. ``[["TN", "FP"], ["FN", "TP"]]``.

    Returns
    -------
    ConfusionArtists
        ``(image, texts)``; update with ``image.set_data(C)`` and ``texts[i][j].set_text``.

    Examples
    --------
    >>> arts = plot_confusion_matrix([[4, 2], [3, 7]], labels=["neg", "pos"])
    >>> [[t.get_text() for t in row] for row in arts.texts]
    [['4', '2'], ['3', '7']]
    >>> plt.close("all")
    """
    C = as_float_array(C, "C", ndim=2)
    K = C.shape[0]
    if C.shape != (K, K) or K < 1:
        raise ValueError(f"C must be a square matrix (K, K); got shape {C.shape}.")
    if np.any(C < 0) or np.any(C != np.round(C)):
        raise ValueError("C must hold non-negative counts; got negative or fractional entries.")
    cmap = _cmap(cmap)
    if labels is None:
        labels = [str(k) for k in range(K)]
    labels = _texts(labels, "labels")
    if len(labels) != K:
        raise ValueError(f"labels must have one name per class ({K}); got {len(labels)}.")
    ax = _new_ax(ax)
    image = ax.imshow(C, cmap=cmap, vmin=0, vmax=max(C.max(), 1))
    if cell_names is not None:
        if not isinstance(cell_names, (list, tuple, np.ndarray)):
            raise TypeError(f"cell_names must be a K x K grid of strings; got {cell_names!r}.")
        cell_names = [_texts(row, "cell_names") for row in cell_names]
        if len(cell_names) != K or any(len(row) != K for row in cell_names):
            raise ValueError(f"cell_names must be a {K} x {K} grid of strings like C.")
    texts = [[ax.text(j, i, "", ha="center", va="center", fontweight="bold")
              for j in range(K)] for i in range(K)]
    fill_confusion_texts(texts, C, cell_names)
    ax.set_xticks(range(K), labels)
    ax.set_yticks(range(K), labels)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.grid(False)
    return ConfusionArtists(image, texts)


def fill_confusion_texts(texts, C, cell_names=None):
    """Write the counts of ``C`` into the texts of :func:`plot_confusion_matrix`, in place.

    A count is white on dark cells (above 55 % of the largest count), black elsewhere.

    Parameters
    ----------
    texts : (K, K) nested list of matplotlib Text
        ``ConfusionArtists.texts``.
    C : ndarray, shape (K, K)
        The counts.
    cell_names : (K, K) nested sequence of str, optional
        A name shown above each count, e.g. ``[["TN", "FP"], ["FN", "TP"]]``.

    Examples
    --------
    >>> arts = plot_confusion_matrix([[1, 0], [0, 1]])
    >>> fill_confusion_texts(arts.texts, np.array([[4, 2], [3, 7]]), [["TN", "FP"], ["FN", "TP"]])
    >>> arts.texts[1][1].get_text().split()
    ['TP', '7']
    >>> plt.close("all")
    """
    top = max(C.max(), 1)
    for i, row in enumerate(texts):
        for j, text in enumerate(row):
            count = f"{int(C[i, j])}"
            text.set_text(count if cell_names is None else f"{cell_names[i][j]}\n{count}")
            text.set_color("white" if C[i, j] > 0.55 * top else "black")
