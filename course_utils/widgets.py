"""Interactive explorers: sliders that drive gradient descent, live.

What each function returns is an *explorer*: an object that shows itself when it is
the last expression of a cell, keeps its ipywidgets controls in ``.controls`` (a dict),
its container in ``.widget``, its matplotlib figure in ``.figure``, the artists it
updates in ``.artists``, and the last computed result in ``.result``.

* :func:`sigmoid_slider` (notebook 00): one slider for z = theta . x, the point
  (z, sigmoid(z)) on the curve.
* :func:`decision_boundary_widget` (notebook 02): sliders for theta_0, theta_1, theta_2;
  the line theta . x = 0, the confusion counts and the metrics move together.
* :func:`binary_explorer` (notebooks 04, 05): learning rate, lambda, method (batch /
  SGD / minibatch) and batch size, epochs, seed, starting point, early-stopping
  patience, and a Play control that animates the run. Views: the loss over
  (theta_1, theta_2) with the path drawn on it, the data with the decision boundary,
  the training and validation loss with the early-stopping point, and a text readout.
* :func:`multinomial_explorer` (notebook 07): three classes, decision regions and loss
  curves under the same controls (no starting point).

Design
------
Three modules, each entered from one side. :mod:`course_utils.explore` says what a
slider setting means: :func:`compute_binary` and :func:`compute_multinomial` are pure,
cached functions of the control values (a frozen :class:`BinaryControls` /
:class:`MultinomialControls`) and the data, returning the run, its scores and the
readout; their names are importable from here too. This module holds the controls
and the pictures: the views create their artists once and afterwards only call
``set_data`` (and friends). Pixels reach the browser through the blitting engine of
:mod:`course_utils._blit`: everything that does not depend on the run (axes, ticks,
data points, loss contours) is rendered once into a background, kept per "static
key" (lambda and epochs), and each update restores that background and draws only
the moving artists. Contour pictures are cached per lambda.

Backends (``backend="image"``, a PNG in an ``ipywidgets.Image``, the default; or
``"ipympl"``, ``"auto"``; environment variable ``COURSE_WIDGETS_BACKEND``): see
:mod:`course_utils._blit`. Progressive answers: a control moved in the browser shows
a long run's first epochs at once, marked partial in the readout, and the rest in
pieces between widget messages; a newer move cancels the older run (``wait()``
finishes it; without a running event loop every change is computed to the end).

Every control, the figure, the readout and each container carry a CSS class
(``cu-lr``, ``cu-figure``, ``cu-readout``, ``cu-binary-explorer``, ...), so a browser
can find them.
"""

from __future__ import annotations

import html
import math
import time
from dataclasses import fields

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Polygon
from matplotlib.transforms import Bbox

from . import plotting as cp
from ._blit import (BlitView, PictureCache, Progress, banded_picture, render_offscreen,
                    resolve_backend)
from ._checks import check_scalar
from ._controls import MAX_EXTRA, SLIDER_OPTIONS, CodeControls, slider_options  # noqa: F401
from .explore import (MAX_NORM, STATUS_TEXT, TOL, BinaryControls, BinaryResult,  # noqa: F401
                      ExplorerData, MultinomialControls, MultinomialResult, binary_extent,
                      compute_binary, compute_multinomial, default_binary_data,
                      default_multinomial_data, positive_region)
from .explore import binary_contour_grid, picture_text, start_binary, start_multinomial
from .functions import sigmoid
from .metrics import boundary_metrics

__all__ = ["sigmoid_slider", "decision_boundary_widget", "binary_explorer",
           "multinomial_explorer", "boundary_metrics", "compute_binary", "compute_multinomial",
           "BinaryControls", "MultinomialControls", "BinaryResult", "MultinomialResult",
           "ExplorerData", "default_binary_data", "default_multinomial_data",
           "LAMBDA_OPTIONS", "PATIENCE_OPTIONS", "EPOCH_OPTIONS", "STATUS_TEXT", "MAX_NORM"]

#: lambda values offered by the slider: 0, then a log range up to 10.
LAMBDA_OPTIONS = SLIDER_OPTIONS["lam"]
#: patience values offered by the slider; 0 means early stopping is off.
PATIENCE_OPTIONS = SLIDER_OPTIONS["patience"]
#: epoch budgets offered by the slider (a value passed in by code is added to them).
EPOCH_OPTIONS = SLIDER_OPTIONS["epochs"]


# =========================================================================== shared

def _control(widget, css, observer=None):
    widget.add_class(css)
    widget.style.description_width = "9em"
    if observer is not None:
        widget.observe(observer, names="value")
    return widget


def _readout_html(text, extra=""):
    """The readout: what happened (a polite live region), then the Play position."""
    out = (f'<div role="status" aria-live="polite" style="line-height:1.4">'
           f'{html.escape(text)}</div>')
    if extra:
        out += f'<div style="line-height:1.4">{html.escape(extra)}</div>'
    return out


class _Explorer(CodeControls):
    """Shared behaviour: controls (``set``: see :mod:`course_utils._controls`), display,
    batched updates."""

    title = "explorer"

    def __init__(self):
        self._suspended = False
        self.last_update_seconds = None

    # -- display -------------------------------------------------------------------
    def text(self):
        """The readout as plain text."""
        return self._text

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        data = self.widget._repr_mimebundle_(include=include, exclude=exclude) or {}
        data = dict(data)
        data["text/plain"] = f"{self.title}: {self.text()}"
        return data

    def __repr__(self):
        return f"<{type(self).__name__}: {self.text()}>"

    # -- controls --------------------------------------------------------------------
    @property
    def values(self):
        """Current control values as a dict (the names of the controls dataclass)."""
        return {name: self.controls[name].value for name in self._value_names}

    def _on_control(self, change):
        if not self._suspended:
            self._refresh()

    def _refresh(self):
        t0 = time.perf_counter()
        self._set_artists()
        self.view.update()
        self.last_update_seconds = time.perf_counter() - t0

    def _set_artists(self):    # pragma: no cover - overridden
        raise NotImplementedError

    def _show(self, text, extra=""):
        """The readout, and the same words as the picture's text alternative."""
        self.readout.value = _readout_html(text, extra)
        self.view.describe(picture_text(self.title, " ".join(filter(None, (text, extra)))))


# =========================================================================== sigmoid slider

class SigmoidSlider(_Explorer):
    """See :func:`sigmoid_slider`."""

    title = "sigmoid slider"
    _value_names = ("z",)

    def __init__(self, z=0.0, *, backend=None, figsize=(6.0, 3.2), dpi=80):
        super().__init__()
        z = check_scalar(z, "z", low=-8.0, high=8.0, hint="The slider runs from -8 to 8.")
        self.controls = {"z": _control(widgets.FloatSlider(
            value=z, min=-8.0, max=8.0, step=0.1, description="θ·x (score z)",
            readout_format=".1f", continuous_update=True), "cu-z", self._on_control)}
        fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        ax = fig.add_subplot()
        zs = np.linspace(-8, 8, 321)
        ax.plot(zs, sigmoid(zs), color=cp.COLORS[0], label="sigmoid(z)")
        ax.axhline(0.5, color="#777777", linewidth=1, linestyle=":")
        ax.set_xlim(-8, 8)
        ax.set_ylim(-0.05, 1.05)
        ax.set_xlabel(r"score $z = \theta \cdot x$")
        ax.set_ylabel(r"$P(y = 1 \mid x)$")
        (self._guide,) = ax.plot([], [], color=cp.COLORS[3], linestyle="--", linewidth=1.2)
        (self._point,) = ax.plot([], [], marker="o", color=cp.COLORS[3],
                                 markeredgecolor="black", markersize=10, linestyle="none")
        self.figure = fig
        self.artists = {"point": self._point, "guide": self._guide}
        self.view = BlitView(fig, resolve_backend(backend))
        self.view.add_artist(self._guide, self._point)
        self.readout = widgets.HTML()
        self.readout.add_class("cu-readout")
        self.widget = widgets.VBox([self.controls["z"], self.view.widget, self.readout])
        self.widget.add_class("cu-explorer")
        self.widget.add_class("cu-sigmoid-slider")
        self.view.first_draw()
        self._refresh()

    def _set_artists(self):
        z = self.controls["z"].value
        p = float(sigmoid(z))
        self._point.set_data([z], [p])
        self._guide.set_data([z, z, -8], [-0.05, p, p])
        verdict = ("the model predicts y = 1" if z > 0 else "the model predicts y = 0"
                   if z < 0 else "exactly on the decision boundary, a tie")
        self._text = (f"theta . x = {z:.2f}, so P(y = 1 | x) = sigmoid({z:.2f}) = {p:.3f}: "
                      f"{verdict}.")
        self._show(self._text)


def sigmoid_slider(z=0.0, *, backend=None):
    """A slider for the score z = theta . x and the point (z, sigmoid(z)) on the curve.

    Notebook 00's first widget: light, one control, a sentence that reads the value.

    Examples
    --------
    >>> s = sigmoid_slider()
    >>> s.controls["z"].value = -2.0
    >>> s.text()
    'theta . x = -2.00, so P(y = 1 | x) = sigmoid(-2.00) = 0.119: the model predicts y = 0.'
    """
    return SigmoidSlider(z, backend=backend)


# =========================================================================== boundary widget

_CELL_NAMES = (("TN", "FP"), ("FN", "TP"))


def _linear_text(theta):
    """'-1.0 + 2.0 x1 - 3.0 x2' for theta = (-1, 2, -3)."""
    out = f"{theta[0]:.1f}"
    for k in (1, 2):
        sign = "-" if theta[k] < 0 else "+"
        out += f" {sign} {abs(theta[k]):.1f} x{k}"
    return out


class DecisionBoundaryWidget(_Explorer):
    """See :func:`decision_boundary_widget`."""

    title = "decision boundary"
    _value_names = ("theta0", "theta1", "theta2")

    def __init__(self, X, y, theta=(-1.0, 2.0, -3.0), *, backend=None, figsize=(9.0, 4.0),
                 dpi=80, limit=6.0):
        super().__init__()
        self.X, self.y = cp.check_points(X, y)
        if self.y.max() > 1:
            raise ValueError(f"y must contain only 0 and 1 (binary labels); got "
                             f"{int(self.y.max())}. Use multinomial_explorer for more classes.")
        theta = cp.check_theta3(theta)
        limit = check_scalar(limit, "limit", low=0.0, low_inclusive=False)
        if not np.all(np.isfinite(theta)) or np.any(np.abs(theta) > limit):
            raise ValueError(f"theta must be finite with entries in [-{limit:g}, {limit:g}] "
                             f"(the slider range); got {tuple(theta)}. Pass limit=... to widen.")
        self.controls = {}
        for k in range(3):
            self.controls[f"theta{k}"] = _control(widgets.FloatSlider(
                value=float(theta[k]), min=-limit, max=limit, step=0.1,
                description=f"θ{'₀₁₂'[k]}" + (" (intercept)" if k == 0 else f" (weight of x{k})"),
                readout_format=".1f", continuous_update=True), f"cu-theta{k}",
                self._on_control)
        fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        ax, axc = fig.subplots(1, 2, width_ratios=[1.6, 1])
        self.xlim, self.ylim = cp.data_limits(self.X, 0.15)
        cp.plot_data(self.X, self.y, ax=ax, legend=False)
        self._region = Polygon(np.zeros((0, 2)), closed=True, facecolor=cp.COLORS[1],
                               alpha=0.15, edgecolor="none", zorder=0.5,
                               label=r"predicted $y = 1$ ($\theta \cdot x > 0$)")
        ax.add_patch(self._region)
        self._line = cp.plot_decision_boundary(theta, ax=ax, xlim=self.xlim, ylim=self.ylim)
        ax.legend(loc="upper right", fontsize="small")
        ax.set_title(r"boundary $\theta \cdot x = 0$")
        C = boundary_metrics(theta, self.X, self.y)["confusion"]
        self._cm = cp.plot_confusion_matrix(C, labels=["0", "1"], ax=axc,
                                            cell_names=_CELL_NAMES)
        axc.set_title("confusion counts")
        self.figure = fig
        self.artists = {"line": self._line, "region": self._region,
                        "confusion": self._cm.image, "counts": self._cm.texts}
        self.view = BlitView(fig, resolve_backend(backend))
        self.view.add_artist(self._region, self._line, self._cm.image,
                          *[t for row in self._cm.texts for t in row])
        self.readout = widgets.HTML()
        self.readout.add_class("cu-readout")
        self.widget = widgets.VBox([widgets.HBox(list(self.controls.values()),
                                                 layout=widgets.Layout(flex_flow="row wrap")),
                                    self.view.widget, self.readout])
        self.widget.add_class("cu-explorer")
        self.widget.add_class("cu-boundary-widget")
        self.view.first_draw()
        self._refresh()

    @property
    def theta(self):
        """The current theta from the sliders."""
        return np.array([self.controls[f"theta{k}"].value for k in range(3)])

    def _set_artists(self):
        theta = self.theta
        self.result = r = boundary_metrics(theta, self.X, self.y)
        self._line.set_data(*cp.boundary_segment(theta, self.xlim, self.ylim))
        region = positive_region(theta, self.xlim, self.ylim)
        self._region.set_xy(region if len(region) else np.zeros((1, 2)))
        self._region.set_visible(len(region) >= 3)
        C = r["confusion"]
        self._cm.image.set_data(C)
        self._cm.image.set_clim(0, max(C.max(), 1))
        cp.fill_confusion_texts(self._cm.texts, C, _CELL_NAMES)
        tp, fp, fn, tn = r["tp"], r["fp"], r["fn"], r["tn"]
        m = tp + fp + fn + tn
        line = ("no boundary (theta_1 = theta_2 = 0): every point gets the same class"
                if theta[1] == 0 and theta[2] == 0 else
                f"boundary {_linear_text(theta)} = 0")
        self._text = (f"theta = ({theta[0]:.1f}, {theta[1]:.1f}, {theta[2]:.1f}), {line}. "
                      f"TP {tp}, FP {fp}, FN {fn}, TN {tn}. Accuracy {tp + tn}/{m} = "
                      f"{r['accuracy']:.3f}, precision {tp}/{tp + fp} = {r['precision']:.3f}, "
                      f"recall {tp}/{tp + fn} = {r['recall']:.3f}, F1 = {r['f1']:.3f}.")
        self._show(self._text)


def decision_boundary_widget(X, y, theta=(-1, 2, -3), *, backend=None, limit=6.0):
    """Sliders for theta_0, theta_1, theta_2; the boundary, confusion counts and metrics follow.

    Parameters
    ----------
    X : array_like, shape (m, 2)
        Features without the dummy column (e.g. :func:`course_utils.data.lecture_points`).
    y : array_like, shape (m,)
        Labels 0/1.
    theta : (theta_0, theta_1, theta_2)
        Starting values (default: the lecture's (-1, 2, -3)).
    backend : {"image", "ipympl", "auto"} or None
    limit : float
        Sliders run from -limit to limit.

    Returns
    -------
    DecisionBoundaryWidget
        ``.controls["theta0" | "theta1" | "theta2"]``, ``.result`` (from
        :func:`boundary_metrics`), ``.text()``, ``.artists``, ``.figure``, ``.widget``.

    Examples
    --------
    >>> from course_utils.data import lecture_points
    >>> w = decision_boundary_widget(*lecture_points())
    >>> w.result["accuracy"], w.result["precision"], w.result["recall"]
    (0.6875, 0.7777777777777778, 0.7)
    >>> w.controls["theta0"].value = 6.0     # everything predicted 1 ...
    >>> w.result["tp"] + w.result["fp"] > 11
    True
    """
    return DecisionBoundaryWidget(X, y, theta, backend=backend, limit=limit)


# =========================================================================== run explorers

def _run_controls(c, observer, m_train):
    """The sliders shared by both run explorers, at the values of record ``c``."""
    return {
        "lr": _control(widgets.FloatLogSlider(
            value=c.lr, base=10, min=-3, max=2, step=0.05, description="learning rate α",
            readout_format=".3g", continuous_update=True), "cu-lr", observer),
        "lam": _control(widgets.SelectionSlider(
            options=slider_options("lam", [c.lam]), value=c.lam,
            description="λ (L2 strength)", continuous_update=True), "cu-lam", observer),
        "method": _control(widgets.ToggleButtons(
            options=[("batch", "batch"), ("SGD", "sgd"), ("minibatch", "minibatch")],
            value=c.method, description="method"), "cu-method", observer),
        "batch_size": _control(widgets.IntSlider(
            value=min(c.batch_size, max(m_train, 2)), min=2, max=max(m_train, 2),
            description="batch size", continuous_update=False,
            disabled=c.method != "minibatch"), "cu-batch-size", observer),
        "epochs": _control(widgets.SelectionSlider(
            options=slider_options("epochs", [c.epochs]), value=c.epochs,
            description="epochs", continuous_update=False), "cu-epochs", observer),
        "seed": _control(widgets.IntSlider(
            value=c.seed, min=0, max=99, description="seed (row order)",
            continuous_update=False), "cu-seed", observer),
        "patience": _control(widgets.SelectionSlider(
            options=slider_options("patience", [c.patience]),
            value=c.patience, description="patience P", continuous_update=True),
            "cu-patience", observer),
    }


#: Optimiser steps before the first picture of a change, and per later piece; points a
#: side of the coarse loss grid shown first for a new lambda (61 when refined).
FIRST_STEPS, CHUNK_STEPS, COARSE_RESOLUTION = 160, 1500, 17


class _RunExplorer(_Explorer):
    """Shared machinery of the binary and multinomial explorers (progressive answers:
    the module docstring; ``progressive = False`` turns them off)."""

    _value_names = ()
    progressive = None    # None: when an asyncio event loop runs (a kernel, Voila)
    _first_steps = FIRST_STEPS
    _job = _hurry = _coarse = None   # run in pieces; first picture; coarse part shown

    def _build_widget(self, css, control_names):
        self._progress = Progress()
        self.controls["play"] = _control(widgets.Play(
            value=0, min=0, max=1, step=1, interval=60, description="play"), "cu-play")
        self.controls["frame"] = _control(widgets.IntSlider(
            value=0, min=0, max=1, description="show epoch", continuous_update=True),
            "cu-frame", self._on_frame)
        self._link = widgets.link((self.controls["play"], "value"),
                                  (self.controls["frame"], "value"))
        self.readout = widgets.HTML()
        self.readout.add_class("cu-readout")
        left = widgets.VBox([self.controls[n] for n in control_names[:4]])
        right = widgets.VBox([self.controls[n] for n in control_names[4:]])
        player = widgets.HBox([self.controls["play"], self.controls["frame"]])
        self.widget = widgets.VBox([widgets.HBox([left, right]), player, self.view.widget,
                                    self.readout])
        self.widget.add_class("cu-explorer")
        self.widget.add_class(css)

    def _control_values(self):
        return {n: self.controls[n].value for n in self._value_names}

    def _check_together(self, values):
        record = self._record.from_values({n: values[n] for n in self._value_names})
        record.check_steps(self.data.y_train.size, f"the {self.title}")

    def _start(self, initial):
        """Give the controls (built at the defaults) the factory's values, checked."""
        self._put(self._checked(initial, self._value_names))
        self.controls["batch_size"].disabled = self.controls["method"].value != "minibatch"

    def _on_control(self, change):
        if not self._suspended:
            self._refresh(progressive=True)

    def _refresh(self, progressive=False):
        t0 = time.perf_counter()
        values = self._control_values()
        self.controls["batch_size"].disabled = values["method"] != "minibatch"
        if self._job is not None:     # a newer setting: the older run stops computing
            self._job.cancel()
            self._progress.cancel()
            self._job = None
        job = self._start_run(values)
        loop = Progress.loop(self.progressive) if progressive else None
        job.advance(None if loop is None else self._first_steps)
        self.result = job.result
        self.compute_seconds = time.perf_counter() - t0
        self._hurry = loop is not None
        try:
            self._draw(self._show_last_frame())
        finally:
            self._hurry = False
        if loop is not None and (not job.done or self._coarse):
            self._job = job
            self._progress.later(lambda: self._continue(job), loop)
        self.last_update_seconds = time.perf_counter() - t0

    def _continue(self, job):
        """One more piece of the run in progress, then its picture; True if more follow."""
        if not job.done:
            job.advance(CHUNK_STEPS)
        self.result = job.result
        self._draw(self._show_last_frame())      # also refines a coarse picture
        if job.done and not self._coarse:
            self._job = None
            return False
        return True

    def wait(self):
        """Compute the run in progress to the end now (and refine its picture), so that
        ``result``, the readout and the picture are final; returns the explorer."""
        self._progress.wait()
        return self

    def _show_last_frame(self):
        """Move Play and the frame slider to the new run's last record, without redrawing
        for each intermediate value; returns that frame."""
        last = self.result.n_frames - 1
        self._suspended = True
        try:
            play, frame = self.controls["play"], self.controls["frame"]
            play.playing = False
            for w in (frame, play):
                if w.max < last:
                    w.max = last
                w.value = last
                w.max = last
            play.step = max(1, last // 100)
        finally:
            self._suspended = False
        return last

    def _draw(self, frame):
        key = self._static_key()
        self._set_dynamic(frame)
        self.view.update(key)

    def _first_draw(self):
        self.view.first_draw(self._static_key())
        self._draw(self._show_last_frame())

    @property
    def state(self):
        """Control values and the result's status, as a dict."""
        return {**self._control_values(), "status": self.result.status,
                "frame": self.controls["frame"].value}

    def _on_frame(self, change):
        if not self._suspended:
            t0 = time.perf_counter()
            self._draw(int(change["new"]))
            self.last_update_seconds = time.perf_counter() - t0

    def _repaint_loss_panel(self, old=None, new=None):
        """Paint the loss panel (the rightmost) again over the restored background: the
        columns right of its neighbour cleared to the figure's colour, then the axes
        drawn without the moving artists. The layout is frozen: nothing else moves."""
        canvas, ax = self.figure.canvas, self.axes["loss"]
        renderer, size = canvas.get_renderer(), canvas.get_width_height()
        if getattr(self, "_loss_x0", (None,))[0] != size:
            left = [a for a in self.figure.axes if a is not ax and a.get_visible()]
            self._loss_x0 = (size, max(int(math.ceil(a.get_tightbbox(renderer).x1)) + 1
                                       for a in left))
            self._loss_panels = PictureCache(32)     # kept per axis limits
        x0 = self._loss_x0[1]

        def draw():
            np.asarray(canvas.buffer_rgba())[:, x0:] = np.round(
                255 * np.array(self.figure.get_facecolor()))
            ax.draw(renderer)
            return canvas.copy_from_bbox(Bbox.from_extents(x0, 0, *size))

        canvas.restore_region(self._loss_panels.get((ax.get_xlim(), ax.get_ylim()), draw))
        return True

    def _loss_axes_static(self, ax, epochs, top):
        # 4 % room on the right so the last tick label stays inside the figure
        ax.set_xlim(0, 1.04 * max(epochs, 1))
        ax.set_ylim(0, top)

    def _loss_top(self, floor):
        """Top of the loss axis: ``floor`` (a multiple of the loss at theta = 0), raised to
        show the starting validation loss of a far starting point, in steps of 0.5. The
        validation loss carries no penalty, so the axis depends on the start but not on
        lambda, and changing lambda keeps its cheap partial redraw."""
        run = self.result.trajectory
        start = run.val_losses[0] if run.val_losses is not None else np.nan
        top = max(floor, 1.08 * start) if np.isfinite(start) else floor
        return floor if top == floor else math.ceil(top * 2) / 2

    def _set_loss_curves(self, frame):
        r = self.result
        run = r.trajectory
        n = frame + 1
        x = r.epochs[:n]
        self._curves.train.set_data(x, cp.finite_or_nan(run.losses[:n]))
        self._curves.val.set_data(x, cp.finite_or_nan(run.val_losses[:n]))
        b = run.best_index
        if b is not None and b <= frame:
            self._curves.best_line.set_data([r.epochs[b]] * 2, [0, 1])
            self._curves.best_marker.set_data([r.epochs[b]], [run.val_losses[b]])
        else:
            self._curves.best_line.set_data([], [])
            self._curves.best_marker.set_data([], [])
        if frame < r.n_frames - 1:
            self._cursor.set_data([r.epochs[frame]] * 2, [0, 1])
        else:
            self._cursor.set_data([], [])

    def _set_readout(self, frame):
        r = self.result
        extra = r.frame_text(frame) if frame < r.n_frames - 1 else ""
        if self._coarse:
            extra = (extra + " " if extra else "") + ("The loss picture is a quick coarse "
                                                      "version; the detailed one follows.")
        self._text = r.readout + (" " + extra if extra else "")
        self._show(r.readout, extra)

    def _make_loss_axes(self, ax):
        run = self.result.trajectory
        self._curves = cp.plot_loss_curves(run, ax=ax, x=self.result.epochs)
        self._curves.best_line.set_label("lowest validation loss / early stop")
        (self._cursor,) = ax.plot([], [], color="#555555", linewidth=1,
                                  transform=ax.get_xaxis_transform(), zorder=1)
        ax.set_xlabel("epoch")
        ax.set_ylabel("loss")
        ax.legend(loc="upper right", fontsize="small")
        ax.set_title("loss per epoch")
        self.view.add_artist(*self._curves, self._cursor)


class BinaryExplorer(_RunExplorer):
    """See :func:`binary_explorer`."""

    title = "binary explorer"
    _record = BinaryControls
    _value_names = tuple(f.name for f in fields(BinaryControls) if f.name != "tol")

    def __init__(self, data=None, *, backend=None, figsize=(12.0, 3.9), dpi=80, **initial):
        super().__init__()
        self.data = default_binary_data() if data is None else data
        c = BinaryControls()
        self.controls = _run_controls(c, self._on_control, self.data.y_train.size)
        half = binary_extent(self.data)[1]
        for k, name in ((1, "theta1_start"), (2, "theta2_start")):
            self.controls[name] = _control(widgets.FloatSlider(
                value=getattr(c, name), min=-half, max=half, step=0.5,
                description=f"start θ{'₁₂'[k - 1]}", readout_format=".1f",
                continuous_update=False), f"cu-theta{k}-start", self._on_control)
        self._start(initial)
        self.result = self._compute(self._control_values())

        fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        self.figure = fig
        self.view = BlitView(fig, resolve_backend(backend), static=self._apply_static,
                             partial=self._partial_static)
        ax_c, ax_d, ax_l = fig.subplots(1, 3)
        self.axes = {"contours": ax_c, "data": ax_d, "loss": ax_l}
        # contour panel: the contours are a picture per lambda (see _contour_layer), so a
        # new lambda costs one small off-screen render, painted into the background
        ext = binary_extent(self.data)
        self._contour_cache = PictureCache(24)
        self._contour_image = ax_c.imshow(np.ones((2, 2, 4)), extent=ext, origin="upper",
                                          aspect="auto", interpolation="nearest", zorder=0)
        (self._minimum,) = ax_c.plot([], [], marker="+", color="black", markersize=12,
                                     markeredgewidth=2, linestyle="none", zorder=2,
                                     label="minimum of J")
        self._path = cp.plot_trajectory(self.result.trajectory.thetas, ax=ax_c)
        ax_c.set_xlim(ext[:2])
        ax_c.set_ylim(ext[2:])
        ax_c.grid(False)
        ax_c.set_xlabel(r"$\theta_1$")
        ax_c.set_ylabel(r"$\theta_2$")
        ax_c.set_title(r"loss $J$ over $(\theta_1, \theta_2)$, best $\theta_0$")
        # data panel
        d = self.data
        self.xlim, self.ylim = d.limits
        cp.plot_data(d.X_train, d.y_train, ax=ax_d, legend=False, labels=["train y = 0",
                                                                          "train y = 1"])
        cp.plot_data(d.X_val, d.y_val, ax=ax_d, legend=False, hollow=True,
                     size=25, labels=["validation (hollow)", "_val1"], zorder=2)
        self._region = Polygon(np.zeros((0, 2)), closed=True, facecolor=cp.COLORS[1],
                               alpha=0.12, edgecolor="none", zorder=0.5)
        ax_d.add_patch(self._region)
        self._line = cp.plot_decision_boundary(self.result.theta, ax=ax_d, xlim=self.xlim,
                                               ylim=self.ylim, label="boundary")
        ax_d.legend(loc="best", fontsize="small", framealpha=0.7)
        ax_d.set_title("data and decision boundary")
        # loss panel
        self._make_loss_axes(ax_l)
        self.view.add_artist(*self._path, self._region, self._line)
        self.artists = {"contours": self._contour_image, "minimum": self._minimum,
                        "path": self._path.line, "start": self._path.start,
                        "end": self._path.end, "best": self._path.best,
                        "boundary": self._line, "region": self._region,
                        "train_loss": self._curves.train, "val_loss": self._curves.val,
                        "early_stop_line": self._curves.best_line,
                        "early_stop_marker": self._curves.best_marker,
                        "cursor": self._cursor}
        self._build_widget("cu-binary-explorer",
                           ["lr", "lam", "method", "batch_size", "epochs", "seed",
                            "theta1_start", "theta2_start", "patience"])
        self._first_draw()

    def _compute(self, values):
        return compute_binary(values, self.data)

    def _start_run(self, values):
        return start_binary(values, self.data)

    def _static_key(self):
        c = self.result.controls
        # the contours of a new lambda: a coarse picture first when in a hurry (the
        # detailed one replaces it a moment later, see _continue)
        fine = not self._hurry or (c.lam, True, *self._panel_size()) in self._contour_cache
        self._coarse = not fine
        # losses from 0 to at least 1.8 log 2 (log 2 is the loss of theta = 0), raised to
        # the starting loss; a diverging run leaves through the top instead of squashing
        # the curves
        return (c.epochs, c.lam, self._loss_top(1.8 * math.log(2)), bool(fine))

    def _apply_static(self, key):
        epochs, lam, top, fine = key
        self._loss_axes_static(self.axes["loss"], epochs, top)
        rgba, min_x, min_y = self._contour_layer(lam, fine)
        self._contour_image.set_data(rgba)
        self._minimum.set_data(min_x, min_y)

    def _partial_static(self, old, new):
        """Paint what changed over the old background: a new lambda's contours, the
        loss panel of a new epoch budget or loss axis."""
        if old is None:
            return False
        if old[1::2] != new[1::2]:
            ax = self.axes["contours"]
            for artist in (self._contour_image, self._minimum, *ax.spines.values()):
                ax.draw_artist(artist)
        return old[::2] == new[::2] or self._repaint_loss_panel()

    def _panel_size(self):
        return tuple(max(int(round(v)), 2) for v in self.axes["contours"].bbox.size)

    def _contour_layer(self, lam, fine=True):
        """The loss contours of ``lam`` as an RGBA picture the size of the panel, drawn
        once per lambda (and size) off-screen, then shown with ``AxesImage.set_data``;
        ``fine=False``: bands of a coarse grid (a few ms), shown until the fine one is
        ready. Returns ``(rgba, minimum_x, minimum_y)``."""
        w, h = self._panel_size()
        if not fine:
            return self._contour_cache.get((lam, False, w, h), lambda: banded_picture(
                binary_contour_grid(self.data, lam, COARSE_RESOLUTION), w, h))

        def draw(ax):
            cs = cp.plot_loss_contours(binary_contour_grid(self.data, lam), ax=ax)
            cs.minimum.set_visible(False)    # drawn by the explorer, on top of the path
            return cs.minimum.get_xdata(), cs.minimum.get_ydata()

        return self._contour_cache.get((lam, True, w, h), lambda: (
            lambda rgba, xy: (rgba, *xy))(*render_offscreen(w, h, self.figure.dpi, draw)))

    def _set_dynamic(self, frame):
        r = self.result
        thetas = r.trajectory.thetas[:frame + 1]
        xs, ys = cp.trajectory_xy(thetas)
        self._path.line.set_data(xs, ys)
        self._path.start.set_data(xs[:1], ys[:1])
        shown = r.theta_at(frame)
        self._path.end.set_data([shown[1]], [shown[2]])
        b = r.trajectory.best_index
        if r.status == "early_stopped" and b is not None and b <= frame:
            self._path.best.set_data([r.trajectory.thetas[b, 1]], [r.trajectory.thetas[b, 2]])
        else:
            self._path.best.set_data([], [])
        self._line.set_data(*cp.boundary_segment(shown, self.xlim, self.ylim))
        region = positive_region(shown, self.xlim, self.ylim)
        self._region.set_xy(region if len(region) else np.zeros((1, 2)))
        self._region.set_visible(len(region) >= 3)
        self._set_loss_curves(frame)
        self._set_readout(frame)


def binary_explorer(X=None, y=None, *, backend=None, fractions=(0.2, 0.4, 0.4), rng=0,
                    **initial_controls):
    """Gradient descent for binary logistic regression, driven by sliders.

    Parameters
    ----------
    X, y : array_like, optional
        Two features (no dummy column) and 0/1 labels; split into training, validation
        and test sets by ``fractions`` (stratified, seed ``rng``). Default:
        :func:`default_binary_data` (30 / 60 / 60 points of two overlapping clouds).
    backend : {"image", "ipympl", "auto"} or None
        How the figure is shown (module docstring); default "image".
    **initial_controls
        Starting control values, by the names of :class:`BinaryControls`: ``lr``,
        ``lam``, ``method``, ``batch_size``, ``epochs``, ``seed``, ``theta1_start``,
        ``theta2_start``, ``patience``; checked as ``.set()`` checks them (a value
        outside its slider's range, or a run of more than 100,000 steps, is refused).

    Returns
    -------
    BinaryExplorer
        ``.controls`` (the widgets by name, plus ``"play"`` and ``"frame"``),
        ``.result`` (:class:`BinaryResult`), ``.state``, ``.text()``, ``.figure``,
        ``.artists``, ``.widget``, ``.set(**values)``.

    Views, left to right: the loss J over (theta_1, theta_2) (theta_0 at its best for
    each point; see :func:`compute_binary`) with the path (start circle, end square,
    kept theta star after early stopping); the training points (filled), validation
    points (hollow) and the current boundary, the side predicted y = 1 shaded; the
    training and validation loss per epoch with the lowest validation loss marked.

    Examples
    --------
    >>> ex = binary_explorer()
    >>> ex.controls["lr"].value = 100.0
    >>> ex.result.status, ex.text().startswith("Status: diverged.")
    ('diverged', True)
    """
    data = None
    if X is not None or y is not None:
        if X is None or y is None:
            raise ValueError("X and y go together: pass both, or neither for the default data.")
        data = ExplorerData.from_arrays(X, y, n_classes=2, fractions=fractions, rng=rng)
    return BinaryExplorer(data, backend=backend, **initial_controls)


class MultinomialExplorer(_RunExplorer):
    """See :func:`multinomial_explorer`."""

    title = "multinomial explorer"
    _record = MultinomialControls
    _value_names = tuple(f.name for f in fields(MultinomialControls) if f.name != "tol")

    def __init__(self, data=None, *, backend=None, figsize=(10.0, 4.0), dpi=80,
                 resolution=150, **initial):
        super().__init__()
        self.data = default_multinomial_data() if data is None else data
        self.controls = _run_controls(MultinomialControls(), self._on_control,
                                      self.data.y_train.size)
        self._start(initial)
        self.result = self._compute(self._control_values())
        self.resolution = check_scalar(resolution, "resolution", low=10, integer=True)
        fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        self.figure = fig
        self.view = BlitView(fig, resolve_backend(backend), static=self._apply_static,
                             partial=lambda old, new: old is not None and
                             self._repaint_loss_panel())
        ax_r, ax_l = fig.subplots(1, 2)
        self.axes = {"regions": ax_r, "loss": ax_l}
        d = self.data
        self.xlim, self.ylim = d.limits
        self._regions = cp.plot_decision_regions(self.result.theta, ax=ax_r, xlim=self.xlim,
                                                 ylim=self.ylim, resolution=self.resolution,
                                                 n_classes=d.n_classes, alpha=0.3)
        self._points = cp.plot_data(d.X_train, d.y_train, ax=ax_r, legend=False)
        self._val_points = cp.plot_data(d.X_val, d.y_val, ax=ax_r, legend=False, hollow=True,
                                        size=25, labels=["validation (hollow)"]
                                        + [f"_v{k}" for k in range(1, d.n_classes)])
        ax_r.legend(loc="upper left", fontsize="small")
        ax_r.set_title("decision regions: argmax of $\\theta_k \\cdot x$")
        self._make_loss_axes(ax_l)
        for a in self._points + self._val_points:
            a.set_zorder(3)
        self.view.add_artist(self._regions, *self._points, *self._val_points)
        self.artists = {"regions": self._regions, "train_loss": self._curves.train,
                        "val_loss": self._curves.val,
                        "early_stop_line": self._curves.best_line,
                        "early_stop_marker": self._curves.best_marker,
                        "cursor": self._cursor}
        self._build_widget("cu-multinomial-explorer",
                           ["lr", "lam", "method", "batch_size", "epochs", "seed", "patience"])
        self._first_draw()

    def _compute(self, values):
        return compute_multinomial(values, self.data)

    _first_steps = FIRST_STEPS // 2         # its steps cost twice as much

    def _start_run(self, values):
        return start_multinomial(values, self.data)

    def _static_key(self):
        # losses from 0 to at least 1.5 log K (log K is the loss of Theta = 0)
        return (self.result.controls.epochs, self._loss_top(1.5 * math.log(self.data.n_classes)))

    def _apply_static(self, key):
        self._loss_axes_static(self.axes["loss"], *key)

    def _set_dynamic(self, frame):
        Theta = self.result.theta_at(frame)
        self._regions.set_data(cp.decision_region_grid(Theta, self.xlim, self.ylim,
                                                       self.resolution))
        self._set_loss_curves(frame)
        self._set_readout(frame)


def multinomial_explorer(X=None, y=None, *, backend=None, fractions=(0.2, 0.4, 0.4), rng=0,
                         **initial_controls):
    """Multinomial logistic regression (K classes) trained by gradient descent, live.

    Parameters
    ----------
    X, y : array_like, optional
        Two features and labels 0..K-1; default :func:`default_multinomial_data`
        (three clouds, 30 / 60 / 60 points).
    backend : {"image", "ipympl", "auto"} or None
    **initial_controls
        By the names of :class:`MultinomialControls`.

    Returns
    -------
    MultinomialExplorer
        As :func:`binary_explorer`; ``.artists["regions"]`` is the image of predicted
        classes.

    Examples
    --------
    >>> ex = multinomial_explorer(epochs=100, lr=0.3)
    >>> _ = ex.set(lam=1.0)
    >>> ex.result.status, ex.result.weight_norm < 1
    ('converged', True)
    """
    data = None
    if X is not None or y is not None:
        if X is None or y is None:
            raise ValueError("X and y go together: pass both, or neither for the default data.")
        data = ExplorerData.from_arrays(X, y, fractions=fractions, rng=rng)
    return MultinomialExplorer(data, backend=backend, **initial_controls)
