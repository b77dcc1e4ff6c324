"""Static figures of the course: the pictures that must make their point without a kernel.

Each ``make_*_figure`` function draws one figure, returns the matplotlib ``Figure``
and, when given a ``path``, also writes it as PNG and SVG. The files are
byte-identical from one build to the next on the same software stack: no dates, no
software version in the metadata, a fixed SVG hash salt, and the course style applied
from matplotlib's defaults, whatever the caller's settings were.

``path`` may be a directory (the files are named after the figure, e.g.
``learning_rates.png`` and ``learning_rates.svg``) or a file name whose suffix is
replaced by ``.png`` and ``.svg``.

:data:`FIGURES` maps each figure's file stem to its function, so a build script can
write every static figure with one loop::

    for stem, make in FIGURES.items():
        plt.close(make(path="figures"))

The numbers behind each figure come from small pure functions in this module
(:func:`learning_rate_iterates`, :func:`lambda_path`), which the notebooks and the
tests call directly.
"""

from __future__ import annotations

import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

from ._checks import as_float_array, check_binary_labels, check_scalar, check_X
from .data import make_blobs
from .functions import add_intercept, sigmoid
from .losses import _binary_kernel
from .plotting import COLORS, MARKERS, use_style

__all__ = ["FIGURES", "LEARNING_RATES", "PATH_LAMS", "BOUNDARY_LAMS", "line_data",
           "one_weight_loss", "one_weight_grad", "one_weight_minimum",
           "learning_rate_iterates",
           "make_learning_rate_figure", "lambda_path_data",
           "lambda_path", "make_lambda_path_figure", "save_figure", "picture_difference",
           "PNG_TOLERANCE", "SVG_DECIMALS"]

#: Learning rates of the three panels: too small, about right, too large.
LEARNING_RATES = (0.5, 2.5, 16.0)
#: The lambdas of the weight path (log-spaced) and those whose boundaries are drawn.
PATH_LAMS = tuple(np.logspace(-4, 1, 41))
BOUNDARY_LAMS = (0.001, 0.1, 1.0)

# Ten points on a line, classes overlapping in the middle (not separable, so the
# loss has a finite minimum). Used for the 1-D and 2-D gradient-descent pictures.
_LINE_X = np.array([0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0])
_LINE_Y = np.array([0, 0, 0, 1, 0, 1, 0, 1, 1, 1])

_SALT = "from-sigmoid-to-softmax"


# --------------------------------------------------------------------------- saving

@contextmanager
def _style_context(style):
    """Apply the course style from matplotlib's defaults; restore the caller's afterwards."""
    with mpl.rc_context():
        if style is not None:
            mpl.style.use("default")     # keeps the backend (style files cannot set it)
            use_style(style)
        yield
        # IPython's inline backend, set up lazily by the first figure (which may be made
        # in this block), switches interactive mode on; that must survive the restore,
        # or later figures of the notebook would not be shown.
        interactive = mpl.is_interactive()
    mpl.interactive(interactive)


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
    if style is not None and style not in ("notebook", "projector"):
        raise ValueError(f"style must be 'notebook', 'projector' or None (keep the current "
                         f"matplotlib settings); got {style!r}.")


# --------------------------------------------------------------------------- learning rates

def line_data():
    """The ten points on a line used for the gradient-descent pictures.

    x runs from 0.5 to 5.0 in steps of 0.5; the classes overlap in the middle, so
    the cross-entropy has a finite minimum.

    Returns
    -------
    x : ndarray, shape (10,)
    y : ndarray of int, shape (10,)

    Examples
    --------
    >>> x, y = line_data()
    >>> x[:3].tolist(), y.tolist()
    ([0.5, 1.0, 1.5], [0, 0, 0, 1, 0, 1, 0, 1, 1, 1])
    """
    return _LINE_X.copy(), _LINE_Y.copy()


def _one_weight_problem():
    """The model P(y = 1 | x) = sigmoid(w (x - mean x)): one weight, centred feature."""
    x, y = line_data()
    return (x - x.mean())[:, None], y.astype(float)


def one_weight_loss(w):
    """Cross-entropy J(w) of the one-weight model sigmoid(w (x - mean x)) on :func:`line_data`.

    J(w) = (1/m) sum_i [ log(1 + exp(w u_i)) - y_i w u_i ],  u_i = x_i - mean(x)

    Accepts a scalar or an array of w values (evaluated elementwise).

    Examples
    --------
    >>> round(float(one_weight_loss(0.0)), 4)     # log 2: the model says 0.5 everywhere
    0.6931
    """
    U, y = _one_weight_problem()
    w = as_float_array(w, "w")
    z = np.multiply.outer(w, U[:, 0])
    return np.mean(np.logaddexp(0.0, z) - y * z, axis=-1)


def one_weight_grad(w):
    """Derivative dJ/dw = (1/m) sum_i u_i (sigmoid(w u_i) - y_i) of :func:`one_weight_loss`.

    Examples
    --------
    >>> round(float(one_weight_grad(0.0)), 4)    # negative: the loss falls as w grows
    -0.475
    """
    U, y = _one_weight_problem()
    w = as_float_array(w, "w")
    u = U[:, 0]
    return np.mean(u * (sigmoid(np.multiply.outer(w, u)) - y), axis=-1)


def learning_rate_iterates(lr, w0=-1.0, n_steps=15):
    """Gradient descent on :func:`one_weight_loss`: w_{t+1} = w_t - lr * J'(w_t).

    Parameters
    ----------
    lr : float > 0
        Learning rate.
    w0 : float
        Starting weight.
    n_steps : int >= 0
        Number of updates.

    Returns
    -------
    ndarray, shape (n_steps + 1,)
        w_0, w_1, ..., w_{n_steps}.

    Examples
    --------
    >>> learning_rate_iterates(2.5, n_steps=3).round(2).tolist()
    [-1.0, 1.2, 1.27, 1.3]
    """
    lr = check_scalar(lr, "lr", low=0.0, low_inclusive=False,
                      hint="The learning rate must be positive, e.g. 0.5.")
    w = check_scalar(w0, "w0")
    n_steps = check_scalar(n_steps, "n_steps", low=0, integer=True)
    out = [w]
    for _ in range(n_steps):
        w = w - lr * float(one_weight_grad(w))
        out.append(w)
    return np.array(out)


def one_weight_minimum():
    """The minimiser w* of :func:`one_weight_loss` (Newton's method to machine precision).

    Examples
    --------
    >>> round(one_weight_minimum(), 4)
    1.3534
    """
    U, y = _one_weight_problem()
    u = U[:, 0]
    w = 0.0
    for _ in range(50):
        p = sigmoid(w * u)
        step = float(one_weight_grad(w)) / np.mean(u * u * p * (1 - p))
        w -= step
        if abs(step) < 1e-14:
            break
    return float(w)


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
    with _style_context(style):
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

def lambda_path_data():
    """A small separable 2-class set whose two features live on different scales.

    Two Gaussian clouds (20 points each, seed 0) around (-1, -0.3) and (1, 0.3),
    with the second feature stretched by 2.5. Separable, so without a penalty the
    weights grow without bound; with one, they stay finite.

    Returns
    -------
    X : ndarray, shape (40, 2)   (no dummy column)
    y : ndarray of int, shape (40,)

    Examples
    --------
    >>> X, y = lambda_path_data()
    >>> X.shape, int(y.sum())
    ((40, 2), 20)
    """
    X, y = make_blobs(20, centers=[(-1.0, -0.3), (1.0, 0.3)], spread=0.7, rng=0)
    X[:, 1] *= 2.5
    return X, y


def _fit_l2(X, y, lam, theta):
    """Newton's method with backtracking for the exact minimiser of J at one lam."""
    m, d = X.shape
    pen = np.full(d, 2.0 * lam)
    pen[0] = 0.0
    for _ in range(100):
        J, g = _binary_kernel(theta, X, y, lam)
        if np.linalg.norm(g) < 1e-12:     # as close as float64 gets
            break
        p = sigmoid(X @ theta)
        H = (X.T * (p * (1 - p))) @ X / m + np.diag(pen)
        step = np.linalg.solve(H, g)
        decrement = g @ step              # = step' H step >= 0; tiny at the minimum
        if decrement < 1e-26:
            break
        # Armijo backtracking; the slack lets rounding noise in J pass near the minimum
        slack = 1e-14 * abs(J)
        t = 1.0
        while (t > 1e-10 and _binary_kernel(theta - t * step, X, y, lam, need_grad=False)[0]
               > J - 1e-4 * t * decrement + slack):
            t /= 2.0
        theta = theta - t * step
    return theta


def lambda_path(X, y, lams=PATH_LAMS):
    """The minimiser theta(lam) of the L2-regularised cross-entropy for each lam.

    theta(lam) = argmin_theta (1/m) sum_i CE_i(theta) + lam * sum_{j >= 1} theta_j^2

    Solved exactly (Newton's method, gradient norm below 1e-12), from the largest lam
    down, each start warm from the previous solution.

    Parameters
    ----------
    X : array_like, shape (m, n + 1)
        Data with the dummy column first.
    y : array_like, shape (m,)
        Labels 0/1.
    lams : sequence of float > 0
        The lambdas (any order). lam = 0 is not allowed: on separable data the
        unpenalised loss has no minimiser.

    Returns
    -------
    ndarray, shape (len(lams), n + 1)
        Row i is theta at ``lams[i]``.

    Examples
    --------
    >>> X, y = lambda_path_data()
    >>> path = lambda_path(add_intercept(X), y, [0.01, 1.0])
    >>> bool(np.all(np.abs(path[1, 1:]) < np.abs(path[0, 1:])))   # more lam, smaller weights
    True
    """
    X = check_X(X, allow_sparse=False)
    y = check_binary_labels(y, X.shape[0])
    lams = as_float_array(lams, "lams", ndim=1)
    if lams.size == 0 or np.any(lams <= 0):
        raise ValueError("lams must be a non-empty sequence of positive numbers such as "
                         f"np.logspace(-4, 1, 41); got {lams.tolist()[:5]}.")
    order = np.argsort(-lams, kind="stable")
    out = np.empty((lams.size, X.shape[1]))
    theta = np.zeros(X.shape[1])
    for i in order:
        theta = _fit_l2(X, y, lams[i], theta)
        out[i] = theta
    return out


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
    with _style_context(style):
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
    "learning_rates": make_learning_rate_figure,
    "lambda_path": make_lambda_path_figure,
}
