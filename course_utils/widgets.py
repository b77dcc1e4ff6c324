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
Compute and drawing are separate. :func:`compute_binary` and
:func:`compute_multinomial` are pure functions of the control values (a frozen
:class:`BinaryControls` / :class:`MultinomialControls`) and the data, cached with
``functools.lru_cache``: moving a slider back, or replaying with Play, computes nothing.
The views create their artists once and afterwards only call ``set_data`` (and
friends). Drawing uses *blitting*: everything that does not depend on the run
(axes, ticks, data points, loss contours) is rendered once into a background, kept
per "static key" (lambda and epochs), and each update restores that
background and draws only the moving artists. Contour sets are cached per lambda.

Backends: how the figure reaches the browser
--------------------------------------------
``backend="image"`` (the default): the figure is rendered by Agg and sent as a PNG
in an ``ipywidgets.Image``. It never touches pyplot, so it works whatever the
notebook's ``%matplotlib`` mode is (inline stays inline), and it also works in Voila
and in exported HTML with widget state. Measured with ``make bench`` on the course's
2-core machine: blit + PNG 7 ms per update, so a learning-rate update is the compute
time plus 7 ms (28 ms median for the default 200 epochs); a Play frame 8 ms.

``backend="ipympl"`` puts the same figure in an ipympl ``Canvas`` widget created
directly (no ``%matplotlib widget``, no pyplot figure manager, pyplot's backend left
alone), which adds the ipympl toolbar (pan, zoom, save) and sharp HiDPI rendering.
Its redraw costs 17 ms instead of 7 (ipympl encodes its PNG diffs with Pillow's
slower defaults), which is why it is not the default. ``backend="auto"`` picks ipympl
when it is installed and the code runs in a kernel, else the image. The environment
variable ``COURSE_WIDGETS_BACKEND`` (image, ipympl or auto) sets the default.

Stable DOM hooks (for browser tests)
------------------------------------
Every control carries a CSS class: ``cu-lr``, ``cu-lam``, ``cu-method``,
``cu-batch-size``, ``cu-epochs``, ``cu-seed``, ``cu-theta1-start``, ``cu-theta2-start``,
``cu-patience``, ``cu-play``, ``cu-frame``, ``cu-theta0``, ``cu-theta1``, ``cu-theta2``,
``cu-z``; the figure widget has ``cu-figure``, the readout ``cu-readout``, and each
container ``cu-explorer`` plus ``cu-binary-explorer``, ``cu-multinomial-explorer``,
``cu-boundary-widget`` or ``cu-sigmoid-slider``. A slider's handle is then
``.cu-lr .noUi-handle`` (focus it and press ArrowRight), the picture is
``img.cu-figure`` (image backend: its ``src`` changes on every update) or
``.cu-figure canvas`` (ipympl: compare ``toDataURL()``), and the text is
``.cu-readout``. Checked in JupyterLab 4 with chromium: ten ArrowRight presses on
``.cu-lr .noUi-handle`` change the picture within half a second, on both backends.
"""

from __future__ import annotations

import functools
import hashlib
import html
import importlib
import importlib.util
import math
import os
import struct
import sys
import time
import warnings
import zlib
from collections import OrderedDict
from dataclasses import dataclass, fields

import ipywidgets as widgets
import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Polygon

from . import plotting as cp
from ._checks import as_float_array, check_class_labels, check_lam, check_scalar
from .data import make_blobs, train_val_test_split
from .functions import add_intercept, sigmoid
from .losses import _binary_kernel, _multinomial_kernel
from .metrics import confusion_matrix
from .optim import METHODS, gradient_descent

__all__ = ["sigmoid_slider", "decision_boundary_widget", "binary_explorer",
           "multinomial_explorer", "boundary_metrics", "compute_binary", "compute_multinomial",
           "BinaryControls", "MultinomialControls", "BinaryResult", "MultinomialResult",
           "ExplorerData", "default_binary_data", "default_multinomial_data",
           "LAMBDA_OPTIONS", "PATIENCE_OPTIONS", "EPOCH_OPTIONS", "STATUS_TEXT", "MAX_NORM"]

#: lambda values offered by the slider: 0, then a log range up to 10.
LAMBDA_OPTIONS = (0.0, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0, 3.0, 10.0)
#: patience values offered by the slider; 0 means early stopping is off.
PATIENCE_OPTIONS = (0, 1, 2, 3, 5, 10, 20, 50)
#: epoch budgets offered by the slider (a value passed in by code is added to them).
EPOCH_OPTIONS = (5, 10, 20, 50, 100, 200, 500)
#: What each optimiser status is called in the readout.
STATUS_TEXT = {"converged": "converged", "max_steps": "ran out of steps",
               "early_stopped": "early stopped", "diverged": "diverged"}
#: ||theta|| beyond which a run counts as diverged. With features of size about 1,
#: logits are then in the hundreds: every probability is 0 or 1 to machine precision.
MAX_NORM = 1e3
#: Gradient-norm tolerance of the explorers (status "converged" below it).
TOL = 1e-4


# =========================================================================== data

@dataclass(frozen=True, eq=False)
class ExplorerData:
    """Training, validation and test sets of an explorer (features without the dummy column).

    Hashable by content, so results can be cached per data set. Build it with
    :meth:`from_arrays`, or use :func:`default_binary_data` /
    :func:`default_multinomial_data`.
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    n_classes: int
    description: str = ""

    def __post_init__(self):
        digest = hashlib.sha1()
        for arr in (self.X_train, self.y_train, self.X_val, self.y_val, self.X_test, self.y_test):
            arr.setflags(write=False)
            digest.update(np.ascontiguousarray(arr).tobytes())
            digest.update(str(arr.shape).encode())
        digest.update(str(self.n_classes).encode())
        object.__setattr__(self, "key", digest.hexdigest())
        for name in ("train", "val", "test"):
            A = add_intercept(getattr(self, "X_" + name))
            A.setflags(write=False)
            object.__setattr__(self, "A_" + name, A)

    def __hash__(self):
        return hash(self.key)

    def __eq__(self, other):
        return isinstance(other, ExplorerData) and other.key == self.key

    @property
    def X_all(self):
        """All points (training, validation, test) stacked."""
        return np.concatenate([self.X_train, self.X_val, self.X_test])

    @classmethod
    def from_arrays(cls, X, y, *, n_classes=None, fractions=(0.2, 0.4, 0.4), rng=0,
                    description=""):
        """Split ``X, y`` (stratified) into training, validation and test sets.

        The explorers keep the training set small on purpose (20 % by default): few
        training points overfit quickly, which is when lambda and early stopping show.
        The larger validation set makes the validation curve smooth. Pass
        ``fractions=(0.8, 0.1, 0.1)`` for the lecture's split.

        Examples
        --------
        >>> X, y = make_blobs(20, 2, rng=0)
        >>> d = ExplorerData.from_arrays(X, y)
        >>> len(d.y_train), len(d.y_val), len(d.y_test), d.n_classes
        (8, 16, 16, 2)
        """
        X = as_float_array(X, "X", ndim=2)
        if X.shape[1] != 2:
            raise ValueError(f"X must have 2 feature columns (x1, x2) without the dummy "
                             f"column, so the explorer can draw it; got shape {X.shape}.")
        y_arr = as_float_array(y, "y", ndim=1)
        K = n_classes if n_classes is not None else max(int(y_arr.max()) + 1, 2)
        K = check_scalar(K, "n_classes", low=2, integer=True)
        y_int = check_class_labels(y_arr, X.shape[0], K, "y")
        (Xtr, ytr), (Xva, yva), (Xte, yte) = train_val_test_split(
            X, y_int, fractions=fractions, rng=rng)
        for name, labels in (("training", ytr), ("validation", yva)):
            if labels.size == 0 or np.unique(labels).size < 2:
                raise ValueError(f"X, y give a {name} set with fewer than two classes "
                                 f"({labels.size} points); pass more points or other "
                                 f"fractions (now {tuple(fractions)}).")
        return cls(Xtr, ytr.astype(np.int64), Xva, yva.astype(np.int64), Xte,
                   yte.astype(np.int64), K, description)


@functools.lru_cache(maxsize=1)
def default_binary_data():
    """The binary explorer's data: two overlapping Gaussian clouds, 150 points.

    Centres (-1, -0.5) and (1, 0.5), spread 1, seed 1; split 20 / 40 / 40 into 30
    training, 60 validation and 60 test points. These 30 training points happen to
    be linearly separable, so without lambda the weights grow without bound, the
    training loss goes to 0 and the validation loss turns up after about 20 epochs:
    the picture that early stopping and L2 are for.

    Examples
    --------
    >>> d = default_binary_data()
    >>> len(d.y_train), len(d.y_val), len(d.y_test)
    (30, 60, 60)
    """
    X, y = make_blobs(75, 2, centers=[[-1.0, -0.5], [1.0, 0.5]], spread=1.0, rng=1)
    return ExplorerData.from_arrays(X, y, rng=1, description=(
        "two overlapping Gaussian clouds; 30 training, 60 validation, 60 test points"))


@functools.lru_cache(maxsize=1)
def default_multinomial_data():
    """The multinomial explorer's data: three Gaussian clouds, 50 points each, seed 2.

    Split 20 / 40 / 40: 30 training, 60 validation, 60 test points.

    Examples
    --------
    >>> d = default_multinomial_data()
    >>> d.n_classes, len(d.y_train)
    (3, 30)
    """
    X, y = make_blobs(50, 3, spread=1.0, rng=2)
    return ExplorerData.from_arrays(X, y, n_classes=3, rng=2, description=(
        "three Gaussian clouds; 30 training, 60 validation, 60 test points"))


# =========================================================================== controls

def _coerce_controls(cls, controls, overrides):
    """A frozen controls object from None, a dict or an instance, plus keyword overrides."""
    if controls is None:
        values = {}
    elif isinstance(controls, cls):
        values = {f.name: getattr(controls, f.name) for f in fields(cls)}
    elif isinstance(controls, dict):
        values = dict(controls)
    else:
        raise TypeError(f"controls must be a {cls.__name__}, a dict or None; got "
                        f"{type(controls).__name__}.")
    values.update(overrides)
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise TypeError(f"unknown control(s) {unknown} for {cls.__name__}; the controls are "
                        f"{sorted(known)}.")
    return cls(**values)


def _check_common(c):
    """Validate the controls shared by both explorers; returns the normalised values."""
    lr = check_scalar(c.lr, "lr", low=0.0, low_inclusive=False,
                      hint="The learning rate must be positive, e.g. 0.1.")
    lam = check_lam(c.lam)
    if c.method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}; got {c.method!r}.")
    batch_size = check_scalar(c.batch_size, "batch_size", low=1, integer=True)
    epochs = check_scalar(c.epochs, "epochs", low=1, integer=True)
    seed = check_scalar(c.seed, "seed", low=0, integer=True)
    patience = check_scalar(c.patience, "patience", low=0, integer=True,
                            hint="Use 0 to turn early stopping off.")
    tol = check_scalar(c.tol, "tol", low=0.0)
    return dict(lr=lr, lam=lam, method=c.method, batch_size=batch_size, epochs=epochs,
                seed=seed, patience=patience, tol=tol)


@dataclass(frozen=True)
class BinaryControls:
    """Control values of the binary explorer (hashable: the cache key).

    Attributes
    ----------
    lr : float > 0
        Learning rate alpha (slider: log scale, 1e-3 to 100).
    lam : float >= 0
        L2 strength lambda (slider: 0 and 1e-4 to 10).
    method : {"batch", "sgd", "minibatch"}
    batch_size : int
        Rows per step for minibatch.
    epochs : int
        Passes over the training set. One epoch is one step for batch, m steps for SGD
        and ceil(m / batch_size) steps for minibatch; losses are recorded once per epoch.
    seed : int
        Seed of the row order (SGD, minibatch).
    theta1_start, theta2_start : float
        Starting point (theta_0 starts at 0).
    patience : int
        Early stopping: stop when the validation loss has not improved for more than
        ``patience`` epochs; 0 turns early stopping off.
    tol : float
        Converged when ||grad J|| < tol.
    """

    lr: float = 1.0
    lam: float = 0.01
    method: str = "batch"
    batch_size: int = 8
    epochs: int = 200
    seed: int = 0
    theta1_start: float = -3.0
    theta2_start: float = 3.0
    patience: int = 0
    tol: float = TOL

    def __post_init__(self):
        values = _check_common(self)
        values["theta1_start"] = check_scalar(self.theta1_start, "theta1_start")
        values["theta2_start"] = check_scalar(self.theta2_start, "theta2_start")
        for k, v in values.items():
            object.__setattr__(self, k, v)


@dataclass(frozen=True)
class MultinomialControls:
    """Control values of the multinomial explorer (hashable: the cache key).

    Same meaning as in :class:`BinaryControls`; the run starts at Theta = 0.
    """

    lr: float = 1.0
    lam: float = 0.01
    method: str = "batch"
    batch_size: int = 8
    epochs: int = 200
    seed: int = 0
    patience: int = 0
    tol: float = TOL

    def __post_init__(self):
        for k, v in _check_common(self).items():
            object.__setattr__(self, k, v)


# =========================================================================== results

def _pct(p):
    return f"{100 * p:.0f}%"


def _status_sentence(run, epochs, c, m_train):
    """One or two sentences saying why the run stopped."""
    status = run.status
    steps = run.n_steps
    e_done = epochs[-1]
    if status == "diverged":
        return (f"Diverged at step {steps} (epoch {e_done:g}): ||theta|| passed {MAX_NORM:g} "
                f"and the loss blew up. The learning rate alpha = {c.lr:.3g} is too large "
                f"here (with lambda = {c.lam:g}); lower the learning rate.")
    if status == "converged":
        return (f"Converged after {steps} steps ({e_done:g} epochs): the gradient norm "
                f"{run.grad_norms[-1]:.1e} fell below tol = {c.tol:g}.")
    if status == "early_stopped":
        b = run.best_index
        return (f"Early stopped at epoch {e_done:g}: the validation loss had not improved for "
                f"{len(epochs) - 1 - b} epochs (patience {c.patience}); theta is kept from "
                f"epoch {epochs[b]:g}, where the validation loss was lowest "
                f"({run.val_losses[b]:.3f}).")
    head = (f"Ran out of steps: all {c.epochs} epochs ({steps} steps) done and the gradient "
            f"norm {run.grad_norms[-1]:.1e} is still above tol = {c.tol:g}; ")
    losses = run.losses
    if losses[-1] > 1.05 * np.min(losses) and losses[-1] > np.min(losses) + 1e-3:
        # ended well above the best loss it had reached: bouncing, not crawling
        return head + (f"the loss ended at {losses[-1]:.3g}, above the {np.min(losses):.3g} it "
                       f"had reached, so the steps overshoot: lower the learning rate.")
    return head + "more epochs or a larger learning rate would go further."


def _last_finite(thetas):
    ok = np.all(np.isfinite(thetas.reshape(len(thetas), -1)), axis=1)
    return thetas[np.flatnonzero(ok)[-1]]


def _binary_scores(theta, data):
    """Loss and accuracy of a finite theta on each split."""
    out = {}
    for name in ("train", "val", "test"):
        A, y = getattr(data, "A_" + name), getattr(data, "y_" + name)
        with np.errstate(over="ignore", invalid="ignore"):
            loss = float(_binary_kernel(theta, A, y, 0.0, need_grad=False)[0])
        pred = (A @ theta > 0).astype(np.int64)
        out[name] = (loss, int(np.sum(pred == y)), y.size)
    return out


def _multinomial_scores(Theta, data):
    out = {}
    for name in ("train", "val", "test"):
        A, y = getattr(data, "A_" + name), getattr(data, "y_" + name)
        with np.errstate(over="ignore", invalid="ignore"):
            loss = float(_multinomial_kernel(Theta, A, y, 0.0, need_grad=False)[0])
        pred = np.argmax(A @ Theta.T, axis=1)
        out[name] = (loss, int(np.sum(pred == y)), y.size)
    return out


def _scores_sentence(scores, J):
    (_, ctr, ntr), (lva, cva, nva) = scores["train"], scores["val"]
    return (f"Training loss J = {J:.4g}, validation loss {lva:.4g}; accuracy "
            f"{_pct(ctr / ntr)} on training ({ctr}/{ntr}) and {_pct(cva / nva)} on "
            f"validation ({cva}/{nva}).")


@dataclass(frozen=True, eq=False)
class _RunResult:
    controls: object
    data: ExplorerData
    trajectory: object
    epochs: np.ndarray
    theta: np.ndarray
    scores: dict
    readout: str

    @property
    def status(self):
        """The optimiser's status: converged, max_steps, early_stopped or diverged."""
        return self.trajectory.status

    @property
    def n_frames(self):
        """Number of recorded points (one per epoch, plus the start)."""
        return len(self.trajectory.steps)

    def theta_at(self, frame):
        """The parameters shown at ``frame``: the record, or the kept model at the end."""
        frame = int(np.clip(frame, 0, self.n_frames - 1))
        if frame == self.n_frames - 1 and self.status != "diverged":
            return self.theta
        th = self.trajectory.thetas[frame]
        return th if np.all(np.isfinite(th)) else _last_finite(self.trajectory.thetas[:frame + 1])

    @property
    def weight_norm(self):
        """||weights||: the L2 norm of theta without the intercept(s)."""
        return float(np.linalg.norm(self.theta[..., 1:]))


@dataclass(frozen=True, eq=False)
class BinaryResult(_RunResult):
    """What :func:`compute_binary` returns (treat as read-only: it is cached).

    Attributes
    ----------
    controls : BinaryControls
    data : ExplorerData
    trajectory : Trajectory
        The optimiser's record (one entry per epoch).
    epochs : ndarray
        Epoch of each record (the x axis of the loss curves).
    theta : ndarray, shape (3,)
        The model kept: the final theta, the best-validation theta after early
        stopping, or the last finite theta after divergence.
    scores : dict
        ``{"train" | "val" | "test": (mean cross-entropy, correct, total)}`` for theta.
    readout : str
        The text the explorer shows: status, why, losses, accuracies, weights.
    grid : (a, b, Z)
        The loss over (theta_1, theta_2) for this lambda (see :func:`compute_binary`).
    """

    grid: tuple = None

    @property
    def boundary(self):
        """End points (xs, ys) of the line theta . x = 0 inside the data's box."""
        xlim, ylim = cp._data_limits(self.data.X_all, 0.05)
        return cp.boundary_segment(self.theta, xlim, ylim)

    def metrics(self, split="val"):
        """:func:`boundary_metrics` of the kept theta on "train", "val" or "test"."""
        if split not in ("train", "val", "test"):
            raise ValueError(f"split must be 'train', 'val' or 'test'; got {split!r}.")
        return boundary_metrics(self.theta, getattr(self.data, "X_" + split),
                                getattr(self.data, "y_" + split))

    def frame_text(self, frame):
        """One sentence about record ``frame`` (the Play position)."""
        frame = int(np.clip(frame, 0, self.n_frames - 1))
        run = self.trajectory
        th = self.theta_at(frame)
        sc = _binary_scores(th, self.data)
        J = run.losses[frame]
        return (f"Showing epoch {self.epochs[frame]:g} of {self.epochs[-1]:g} (step "
                f"{run.steps[frame]}): training loss J = {J:.3g}, validation accuracy "
                f"{_pct(sc['val'][1] / sc['val'][2])}, theta = ({th[0]:.2f}, {th[1]:.2f}, "
                f"{th[2]:.2f}).")


@dataclass(frozen=True, eq=False)
class MultinomialResult(_RunResult):
    """What :func:`compute_multinomial` returns (treat as read-only: it is cached).

    Same attributes as :class:`BinaryResult` without ``grid``; ``theta`` is the
    (K, 3) matrix Theta.
    """

    def frame_text(self, frame):
        """One sentence about record ``frame`` (the Play position)."""
        frame = int(np.clip(frame, 0, self.n_frames - 1))
        run = self.trajectory
        sc = _multinomial_scores(self.theta_at(frame), self.data)
        return (f"Showing epoch {self.epochs[frame]:g} of {self.epochs[-1]:g} (step "
                f"{run.steps[frame]}): training loss J = {run.losses[frame]:.3g}, validation "
                f"accuracy {_pct(sc['val'][1] / sc['val'][2])}.")


def _run(controls, data, theta0, n_classes):
    m = data.y_train.size
    kw = dict(method=controls.method, lr=controls.lr, lam=controls.lam, theta0=theta0,
              n_classes=n_classes, max_epochs=controls.epochs, tol=controls.tol,
              X_val=data.A_val, y_val=data.y_val,
              patience=controls.patience if controls.patience > 0 else None,
              max_norm=MAX_NORM, rng=controls.seed)
    if controls.method == "minibatch":
        kw["batch_size"] = min(controls.batch_size, m)
    if controls.method != "batch":
        kw["record_every"] = math.ceil(m / (1 if controls.method == "sgd"
                                            else kw["batch_size"]))
    run = gradient_descent(data.A_train, data.y_train, **kw)
    steps_per_epoch = 1 if controls.method == "batch" else kw["record_every"]
    epochs = run.steps / steps_per_epoch
    # a diverged run stops inside an epoch: show the fraction honestly
    return run, np.round(epochs, 3)


@functools.lru_cache(maxsize=64)
def _binary_extent(data):
    """Half-width of the (theta_1, theta_2) box: covers the starting-point sliders and
    the lambda = 0.01 optimum with room to spare."""
    run = gradient_descent(data.A_train, data.y_train, lr=1.0, lam=0.01, max_steps=300,
                           tol=1e-6)
    half = max(6.0, min(50.0, 1.5 * float(np.max(np.abs(run.theta[1:])))))
    return (-half, half, -half, half)


@functools.lru_cache(maxsize=64)
def _binary_grid(data, lam, resolution=61):
    grid = cp.binary_loss_grid(data.A_train, data.y_train, lam, extent=_binary_extent(data),
                               resolution=resolution)
    for arr in grid:
        arr.setflags(write=False)
    return grid


@functools.lru_cache(maxsize=256)
def _compute_binary_cached(controls, data):
    theta0 = np.array([0.0, controls.theta1_start, controls.theta2_start])
    run, epochs = _run(controls, data, theta0, None)
    theta = run.theta if run.status != "diverged" else _last_finite(run.thetas)
    scores = _binary_scores(theta, data)
    with np.errstate(over="ignore", invalid="ignore"):
        J = float(_binary_kernel(theta, data.A_train, data.y_train, controls.lam,
                                 need_grad=False)[0])
    readout = " ".join([
        f"Status: {STATUS_TEXT[run.status]}.",
        _status_sentence(run, epochs, controls, data.y_train.size),
        _scores_sentence(scores, J),
        f"Weights ||(theta_1, theta_2)|| = {np.linalg.norm(theta[1:]):.3g}; theta = "
        f"({theta[0]:.3g}, {theta[1]:.3g}, {theta[2]:.3g}).",
    ])
    return BinaryResult(controls, data, run, epochs, theta, scores, readout,
                        grid=_binary_grid(data, controls.lam))


def compute_binary(controls=None, data=None, **overrides):
    """Run the binary explorer's gradient descent for some control values (cached).

    The run: gradient descent on the (regularised) binary cross-entropy of the
    training set, from theta = (0, theta1_start, theta2_start), with the validation
    loss recorded every epoch, early stopping when ``patience > 0``, and
    ||theta|| > ``MAX_NORM`` counted as divergence.

    The contour grid ``result.grid`` is the loss J over (theta_1, theta_2) with the
    intercept theta_0 chosen, at each point, to make J smallest (a profile of J; see
    :func:`course_utils.plotting.binary_loss_grid`). Why this choice: it depends on
    the data and lambda only, not on the learning rate, so moving the learning rate
    moves the path and leaves the landscape still, which is what students compare; its
    minimum is the true minimum of J, so a converged path ends on it; and every
    contour value is a loss the model can actually reach. (A slice at the final
    theta_0 would change shape with every run; one at theta_0 = 0 would put the
    minimum in the wrong place.) The path drawn on it is the projection of the
    3-D path.

    Parameters
    ----------
    controls : BinaryControls, dict or None
        Control values; missing ones take their defaults.
    data : ExplorerData or None
        Default :func:`default_binary_data`.
    **overrides
        Control values by name, e.g. ``compute_binary(lr=100)``.

    Returns
    -------
    BinaryResult

    Examples
    --------
    >>> compute_binary(lr=100.0).status
    'diverged'
    >>> compute_binary(lr=100.0) is compute_binary(lr=100.0)   # cached
    True
    """
    controls = _coerce_controls(BinaryControls, controls, overrides)
    if data is None:
        data = default_binary_data()
    if not isinstance(data, ExplorerData) or data.n_classes != 2:
        raise TypeError(f"data must be a two-class ExplorerData; got "
                        f"{type(data).__name__}. Use ExplorerData.from_arrays(X, y).")
    return _compute_binary_cached(controls, data)


@functools.lru_cache(maxsize=256)
def _compute_multinomial_cached(controls, data):
    K = data.n_classes
    run, epochs = _run(controls, data, np.zeros((K, 3)), K)
    Theta = run.theta if run.status != "diverged" else _last_finite(run.thetas)
    scores = _multinomial_scores(Theta, data)
    with np.errstate(over="ignore", invalid="ignore"):
        J = float(_multinomial_kernel(Theta, data.A_train, data.y_train, controls.lam,
                                      need_grad=False)[0])
    readout = " ".join([
        f"Status: {STATUS_TEXT[run.status]}.",
        _status_sentence(run, epochs, controls, data.y_train.size),
        _scores_sentence(scores, J),
        f"Weights ||W|| = {np.linalg.norm(Theta[:, 1:]):.3g} (all classes, intercepts "
        f"excluded).",
    ])
    return MultinomialResult(controls, data, run, epochs, Theta, scores, readout)


def compute_multinomial(controls=None, data=None, **overrides):
    """Run the multinomial explorer's gradient descent for some control values (cached).

    Gradient descent on the (regularised) multinomial cross-entropy from Theta = 0;
    otherwise as :func:`compute_binary`.

    Examples
    --------
    >>> r = compute_multinomial(epochs=50)
    >>> r.theta.shape, r.status in STATUS_TEXT
    ((3, 3), True)
    """
    controls = _coerce_controls(MultinomialControls, controls, overrides)
    if data is None:
        data = default_multinomial_data()
    if not isinstance(data, ExplorerData):
        raise TypeError(f"data must be an ExplorerData; got {type(data).__name__}. "
                        f"Use ExplorerData.from_arrays(X, y).")
    return _compute_multinomial_cached(controls, data)


def boundary_metrics(theta, X, y):
    """Confusion counts and metrics of the boundary theta . x = 0 on points ``X, y``.

    A point is predicted y = 1 when theta_0 + theta_1 x1 + theta_2 x2 > 0, that is
    when sigmoid(theta . x) > 0.5.

    Parameters
    ----------
    theta : array_like, shape (3,)
    X : array_like, shape (m, 2)
        Features without the dummy column.
    y : array_like, shape (m,)
        Labels 0/1.

    Returns
    -------
    dict
        ``tp, fp, fn, tn`` (ints), ``accuracy, precision, recall, f1`` (floats; a ratio
        with a zero denominator is 0.0), ``confusion`` ([[TN, FP], [FN, TP]]) and
        ``y_pred``.

    Examples
    --------
    >>> from course_utils.data import lecture_points
    >>> X, y = lecture_points()
    >>> r = boundary_metrics([-1, 2, -3], X, y)
    >>> r["tp"], r["fp"], r["fn"], r["tn"], r["accuracy"] == 11 / 16
    (7, 2, 3, 4, True)
    """
    theta = cp._check_theta3(theta)
    if not np.all(np.isfinite(theta)):
        raise ValueError(f"theta must be finite; got {tuple(theta)}.")
    X, y = cp._check_points(X, y)
    if y.max() > 1:
        raise ValueError(f"y must contain only 0 and 1 (binary labels); got {int(y.max())}.")
    y_pred = (theta[0] + X @ theta[1:] > 0).astype(np.int64)
    C = confusion_matrix(y, y_pred, n_classes=2)
    tn, fp, fn, tp = (int(v) for v in C.ravel())
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "tn": tn, "accuracy": (tp + tn) / y.size,
            "precision": prec, "recall": rec, "f1": f1, "confusion": C, "y_pred": y_pred}


# =========================================================================== drawing

def _png_bytes(rgba):
    """Encode an RGBA uint8 image as PNG, fast (zlib level 1, no row filter).

    About three times faster than Pillow's default for these flat-coloured figures,
    with files of similar size (about 80 KiB for an explorer).
    """
    h, w, _ = rgba.shape
    raw = np.empty((h, 4 * w + 1), dtype=np.uint8)
    raw[:, 0] = 0                      # filter type "None" for every row
    raw[:, 1:] = np.ascontiguousarray(rgba).reshape(h, 4 * w)

    def chunk(tag, payload):
        return (struct.pack(">I", len(payload)) + tag + payload
                + struct.pack(">I", zlib.crc32(tag + payload) & 0xFFFFFFFF))

    return b"".join([b"\x89PNG\r\n\x1a\n",
                     chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0)),
                     chunk(b"IDAT", zlib.compress(raw.tobytes(), 1)),
                     chunk(b"IEND", b"")])


def _resolve_backend(backend):
    if backend is None:
        backend = os.environ.get("COURSE_WIDGETS_BACKEND", "image")
    if backend not in ("auto", "image", "ipympl"):
        raise ValueError(f"backend must be 'image', 'ipympl' or 'auto'; got {backend!r}.")
    if backend == "auto":
        if importlib.util.find_spec("ipympl") is None:   # pragma: no cover - installed here
            return "image"
        from IPython import get_ipython
        shell = get_ipython()
        return "ipympl" if shell is not None and hasattr(shell, "kernel") else "image"
    return backend


def _ipympl_classes():
    """ipympl's Canvas and FigureManager, imported without side effects.

    ``import ipympl`` calls ``matplotlib.use("module://ipympl.backend_nbagg")`` when
    matplotlib is already imported, which switches pyplot to ipympl and closes every
    open figure: the whole notebook would turn into ``%matplotlib widget``. The
    explorers only need the Canvas class, so that call is skipped during the import.
    """
    if "ipympl.backend_nbagg" not in sys.modules:
        real_use = matplotlib.use
        matplotlib.use = lambda *args, **kwargs: None
        try:
            importlib.import_module("ipympl.backend_nbagg")
        finally:
            matplotlib.use = real_use
    module = sys.modules["ipympl.backend_nbagg"]
    return module.Canvas, module.FigureManager


class _BlitView:
    """One matplotlib Figure in a widget, redrawn by blitting.

    Static artists are drawn into a background once per static key (and per canvas
    size); each update restores that background and draws the animated artists on
    top. ``update(key, apply_static)`` calls ``apply_static(key)`` when the key
    changes, so the static artists always match what is shown. A new key is drawn
    by ``partial(old_key, new_key)`` when that callback can paint the change over
    the old background (it returns True), else by a full draw.
    """

    def __init__(self, figure, backend, cache_size=16, partial=None):
        self.figure = figure
        self.backend = backend
        self.dynamic = []
        self._cache = OrderedDict()
        self._cache_size = cache_size
        self._key = None
        self._background = None
        self.full_draws = 0
        self.partial_draws = 0
        self.blits = 0
        self._quiet = False
        self._partial = partial
        if backend == "ipympl":
            Canvas, FigureManager = _ipympl_classes()
            canvas = Canvas(figure)
            with warnings.catch_warnings():
                # ipympl 0.10's Toolbar passes its canvas on to traitlets, which warns
                warnings.filterwarnings("ignore", "Passing unrecognized arguments",
                                        DeprecationWarning)
                FigureManager(canvas, 0)   # not registered with pyplot: inline stays inline
            canvas.header_visible = False
            canvas.footer_visible = False
            canvas.resizable = False
            canvas.toolbar_position = "right"
            # ipympl sets the size when a canvas is displayed on its own; inside a box
            # nobody does, and the browser shows a 0 x 0 canvas
            canvas._size = (figure.get_figwidth() * figure.dpi,
                            figure.get_figheight() * figure.dpi)
            self.widget = canvas
        else:
            FigureCanvasAgg(figure)
            width = int(round(figure.get_figwidth() * figure.dpi))
            self.widget = widgets.Image(format="png", layout=widgets.Layout(
                width=f"{width}px", max_width="100%", height="auto"))
        self.widget.add_class("cu-figure")
        figure.canvas.mpl_connect("draw_event", self._on_draw)

    def animate(self, *artists):
        """Mark artists as dynamic (drawn on every update, in zorder)."""
        for a in artists:
            a.set_animated(True)
            self.dynamic.append(a)
        self.dynamic.sort(key=lambda a: a.get_zorder())

    def _size(self):
        return self.figure.canvas.get_width_height(physical=True)

    def _on_draw(self, event):
        canvas = self.figure.canvas
        if canvas.is_saving():
            # savefig draws the animated artists itself; its picture is not a background
            return
        self._background = canvas.copy_from_bbox(self.figure.bbox)
        self._cache[(self._key, self._size())] = self._background
        self._cache.move_to_end((self._key, self._size()))
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        if not self._quiet:
            self._draw_dynamic()
            self._push()

    def _draw_dynamic(self):
        for a in self.dynamic:
            if a.get_visible():
                a.axes.draw_artist(a)

    def _push(self):
        canvas = self.figure.canvas
        if self.backend == "ipympl":
            canvas.blit(self.figure.bbox)
        else:
            self.widget.value = _png_bytes(np.asarray(canvas.buffer_rgba()))

    def first_draw(self, key, apply_static):
        """Lay the figure out (constrained layout), freeze the layout, draw the background.

        Nothing is shown yet: the caller sets the dynamic artists and calls
        :meth:`update`, which blits them onto this first background.
        """
        engine = self.figure.get_layout_engine()
        if engine is not None:
            engine.execute(self.figure)     # axes positions, without drawing
        self.figure.set_layout_engine("none")
        apply_static(key)
        self._key = key
        self.full_draws += 1
        self._quiet = True
        try:
            self.figure.canvas.draw()
        finally:
            self._quiet = False

    def update(self, key, apply_static):
        if key != self._key:
            old, self._key = self._key, key
            apply_static(key)
            cached = self._cache.get((key, self._size()))
            if cached is not None:
                self._cache.move_to_end((key, self._size()))
                self._background = cached
            else:
                canvas = self.figure.canvas
                if (self._partial is None or self._background is None
                        or self._background.get_extents()[2:] != self._size()):
                    painted = False
                else:
                    canvas.restore_region(self._background)
                    painted = self._partial(old, key)
                if not painted:
                    self.full_draws += 1
                    canvas.draw()            # _on_draw captures and pushes
                    return
                self.partial_draws += 1
                self._background = canvas.copy_from_bbox(self.figure.bbox)
                self._cache[(key, self._size())] = self._background
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        elif self._background is None:   # pragma: no cover - drawn at creation
            self.figure.canvas.draw()
            return
        self.blits += 1
        self.figure.canvas.restore_region(self._background)
        self._draw_dynamic()
        self._push()

    def png(self):
        """The picture currently shown, as PNG bytes."""
        return _png_bytes(np.asarray(self.figure.canvas.buffer_rgba()))


def _positive_region(theta, xlim, ylim):
    """Vertices of the part of the box where theta_0 + theta_1 x1 + theta_2 x2 > 0."""
    (x0, x1), (y0, y1) = xlim, ylim
    box = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    if not np.all(np.isfinite(theta)):
        return np.zeros((0, 2))
    s = max(float(np.max(np.abs(theta))), 1e-300)
    a, b, c = (float(v) / s for v in theta)
    f = [a + b * x + c * y for x, y in box]
    out = []
    for i in range(4):
        p, q = box[i], box[(i + 1) % 4]
        fp, fq = f[i], f[(i + 1) % 4]
        if fp > 0:
            out.append(p)
        if (fp > 0) != (fq > 0) and fp != fq:
            t = fp / (fp - fq)
            out.append((p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])))
    return np.array(out, dtype=float).reshape(-1, 2)


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


class _Explorer:
    """Shared behaviour: controls, display, batched updates."""

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

    def set(self, **values):
        """Set several controls at once, with a single update.

        Example: ``explorer.set(lr=0.1, lam=0.0)``. A value that a selection slider
        does not offer (say ``epochs=150``) is added to its options.
        """
        unknown = sorted(set(values) - set(self.controls))
        if unknown:
            raise TypeError(f"unknown control(s) {unknown}; the controls are "
                            f"{sorted(self.controls)}.")
        self._suspended = True
        try:
            for name, v in values.items():
                w = self.controls[name]
                if isinstance(w, widgets.SelectionSlider):
                    offered = [value for _, value in w.options]
                    if v not in offered:
                        w.options = _options(offered, v, _LABELS[name])
                w.value = v
        finally:
            self._suspended = False
        self._refresh()
        return self

    def _on_control(self, change):
        if not self._suspended:
            self._refresh()

    def _refresh(self):    # pragma: no cover - overridden
        raise NotImplementedError


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
        self.view = _BlitView(fig, _resolve_backend(backend))
        self.view.animate(self._guide, self._point)
        self.readout = widgets.HTML()
        self.readout.add_class("cu-readout")
        self.widget = widgets.VBox([self.controls["z"], self.view.widget, self.readout])
        self.widget.add_class("cu-explorer")
        self.widget.add_class("cu-sigmoid-slider")
        self.view.first_draw(None, lambda key: None)
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
        self.readout.value = _readout_html(self._text)

    def _refresh(self):
        t0 = time.perf_counter()
        self._set_artists()
        self.view.update(None, lambda key: None)
        self.last_update_seconds = time.perf_counter() - t0


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
        self.X, self.y = cp._check_points(X, y)
        if self.y.max() > 1:
            raise ValueError(f"y must contain only 0 and 1 (binary labels); got "
                             f"{int(self.y.max())}. Use multinomial_explorer for more classes.")
        theta = cp._check_theta3(theta)
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
        self.xlim, self.ylim = cp._data_limits(self.X, 0.15)
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
        self.view = _BlitView(fig, _resolve_backend(backend))
        self.view.animate(self._region, self._line, self._cm.image,
                          *[t for row in self._cm.texts for t in row])
        self.readout = widgets.HTML()
        self.readout.add_class("cu-readout")
        self.widget = widgets.VBox([widgets.HBox(list(self.controls.values()),
                                                 layout=widgets.Layout(flex_flow="row wrap")),
                                    self.view.widget, self.readout])
        self.widget.add_class("cu-explorer")
        self.widget.add_class("cu-boundary-widget")
        self.view.first_draw(None, lambda key: None)
        self._refresh()

    @property
    def theta(self):
        """The current theta from the sliders."""
        return np.array([self.controls[f"theta{k}"].value for k in range(3)])

    def _set_artists(self):
        theta = self.theta
        self.result = r = boundary_metrics(theta, self.X, self.y)
        self._line.set_data(*cp.boundary_segment(theta, self.xlim, self.ylim))
        region = _positive_region(theta, self.xlim, self.ylim)
        self._region.set_xy(region if len(region) else np.zeros((1, 2)))
        self._region.set_visible(len(region) >= 3)
        C = r["confusion"]
        self._cm.image.set_data(C)
        self._cm.image.set_clim(0, max(C.max(), 1))
        cp._fill_confusion_texts(self._cm.texts, C, _CELL_NAMES)
        tp, fp, fn, tn = r["tp"], r["fp"], r["fn"], r["tn"]
        m = tp + fp + fn + tn
        line = ("no boundary (theta_1 = theta_2 = 0): every point gets the same class"
                if theta[1] == 0 and theta[2] == 0 else
                f"boundary {_linear_text(theta)} = 0")
        self._text = (f"theta = ({theta[0]:.1f}, {theta[1]:.1f}, {theta[2]:.1f}), {line}. "
                      f"TP {tp}, FP {fp}, FN {fn}, TN {tn}. Accuracy {tp + tn}/{m} = "
                      f"{r['accuracy']:.3f}, precision {tp}/{tp + fp} = {r['precision']:.3f}, "
                      f"recall {tp}/{tp + fn} = {r['recall']:.3f}, F1 = {r['f1']:.3f}.")
        self.readout.value = _readout_html(self._text)

    def _refresh(self):
        t0 = time.perf_counter()
        self._set_artists()
        self.view.update(None, lambda key: None)
        self.last_update_seconds = time.perf_counter() - t0


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

def _lam_label(v):
    return f"{v:g}"


def _patience_label(v):
    return "off" if v == 0 else str(v)


_LABELS = {"lam": _lam_label, "patience": _patience_label, "epochs": str}


def _options(base, value, label):
    """Slider options: the base values plus ``value`` if it is not among them."""
    return [(label(v), v) for v in sorted(set(base) | {value})]


def _run_controls(c, observer, m_train):
    """The sliders shared by both run explorers."""
    return {
        "lr": _control(widgets.FloatLogSlider(
            value=c.lr, base=10, min=-3, max=2, step=0.05, description="learning rate α",
            readout_format=".3g", continuous_update=True), "cu-lr", observer),
        "lam": _control(widgets.SelectionSlider(
            options=_options(LAMBDA_OPTIONS, c.lam, _lam_label), value=c.lam,
            description="λ (L2 strength)", continuous_update=True), "cu-lam", observer),
        "method": _control(widgets.ToggleButtons(
            options=[("batch", "batch"), ("SGD", "sgd"), ("minibatch", "minibatch")],
            value=c.method, description="method"), "cu-method", observer),
        "batch_size": _control(widgets.IntSlider(
            value=min(c.batch_size, max(m_train, 2)), min=2, max=max(m_train, 2),
            description="batch size", continuous_update=False,
            disabled=c.method != "minibatch"), "cu-batch-size", observer),
        "epochs": _control(widgets.SelectionSlider(
            options=_options(EPOCH_OPTIONS, c.epochs, str), value=c.epochs,
            description="epochs", continuous_update=False), "cu-epochs", observer),
        "seed": _control(widgets.IntSlider(
            value=min(c.seed, 99), min=0, max=99, description="seed (row order)",
            continuous_update=False), "cu-seed", observer),
        "patience": _control(widgets.SelectionSlider(
            options=_options(PATIENCE_OPTIONS, c.patience, _patience_label),
            value=c.patience, description="patience P", continuous_update=True),
            "cu-patience", observer),
    }


class _RunExplorer(_Explorer):
    """Shared machinery of the binary and multinomial explorers."""

    _value_names = ()

    def _build_widget(self, css, control_names):
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

    def _refresh(self):
        t0 = time.perf_counter()
        values = self._control_values()
        self.controls["batch_size"].disabled = values["method"] != "minibatch"
        self.result = self._compute(values)
        self.compute_seconds = time.perf_counter() - t0
        self._draw(self._show_last_frame())
        self.last_update_seconds = time.perf_counter() - t0

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
        self._set_dynamic(frame)
        self.view.update(self._static_key(), self._apply_static)

    def _first_draw(self):
        self.view.first_draw(self._static_key(), self._apply_static)
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
        self._text = r.readout + (" " + extra if extra else "")
        self.readout.value = _readout_html(r.readout, extra)

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
        self.view.animate(*self._curves, self._cursor)


class BinaryExplorer(_RunExplorer):
    """See :func:`binary_explorer`."""

    title = "binary explorer"
    _value_names = tuple(f.name for f in fields(BinaryControls) if f.name != "tol")

    def __init__(self, data=None, *, backend=None, figsize=(12.0, 3.9), dpi=80, **initial):
        super().__init__()
        self.data = default_binary_data() if data is None else data
        c = _coerce_controls(BinaryControls, None, initial)
        self.controls = _run_controls(c, self._on_control, self.data.y_train.size)
        half = _binary_extent(self.data)[1]
        for k, name in ((1, "theta1_start"), (2, "theta2_start")):
            value = float(np.clip(getattr(c, name), -half, half))
            self.controls[name] = _control(widgets.FloatSlider(
                value=value, min=-half, max=half, step=0.5,
                description=f"start θ{'₁₂'[k - 1]}", readout_format=".1f",
                continuous_update=False), f"cu-theta{k}-start", self._on_control)
        self.result = self._compute(self._control_values())

        fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        self.figure = fig
        self.view = _BlitView(fig, _resolve_backend(backend), partial=self._partial_static)
        ax_c, ax_d, ax_l = fig.subplots(1, 3)
        self.axes = {"contours": ax_c, "data": ax_d, "loss": ax_l}
        # contour panel: the contours are a picture per lambda (see _contour_layer), so a
        # new lambda costs one small off-screen render, painted into the background
        ext = _binary_extent(self.data)
        self._contour_cache = OrderedDict()
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
        self.xlim, self.ylim = cp._data_limits(d.X_all, 0.05)
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
        self.view.animate(*self._path, self._region, self._line)
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

    def _static_key(self):
        c = self.result.controls
        # losses from 0 to at least 1.8 log 2 (log 2 is the loss of theta = 0), raised to
        # the starting loss; a diverging run leaves through the top instead of squashing
        # the curves
        return (c.epochs, c.lam, self._loss_top(1.8 * math.log(2)))

    def _apply_static(self, key):
        epochs, lam, top = key
        self._loss_axes_static(self.axes["loss"], epochs, top)
        rgba, min_x, min_y = self._contour_layer(lam)
        self._contour_image.set_data(rgba)
        self._minimum.set_data(min_x, min_y)

    def _partial_static(self, old, new):
        """Paint a new lambda's contours over the old background (same epochs)."""
        if old is None or old[0] != new[0] or old[2] != new[2]:
            return False
        ax = self.axes["contours"]
        for artist in (self._contour_image, self._minimum, *ax.spines.values()):
            ax.draw_artist(artist)
        return True

    def _contour_layer(self, lam):
        """The loss contours for ``lam`` as an RGBA picture the size of the panel.

        Drawn once per lambda (and panel size) on an off-screen figure, then shown with
        ``AxesImage.set_data``: switching lambda is as cheap as moving the path.
        Returns ``(rgba, minimum_x, minimum_y)``.
        """
        w, h = (max(int(round(v)), 2) for v in self.axes["contours"].bbox.size)
        key = (lam, w, h)
        hit = self._contour_cache.get(key)
        if hit is None:
            dpi = self.figure.dpi
            # layout="none": the course style turns constrained layout on for new
            # figures, which would warn about this figure's hand-placed axes
            off = Figure(figsize=(w / dpi, h / dpi), dpi=dpi, layout="none")
            FigureCanvasAgg(off)
            oax = off.add_axes((0, 0, 1, 1))
            oax.set_axis_off()
            cs = cp.plot_loss_contours(_binary_grid(self.data, lam), ax=oax)
            cs.minimum.set_visible(False)
            off.canvas.draw()
            hit = (np.asarray(off.canvas.buffer_rgba()).copy(), cs.minimum.get_xdata(),
                   cs.minimum.get_ydata())
            self._contour_cache[key] = hit
            while len(self._contour_cache) > 24:
                self._contour_cache.popitem(last=False)
        self._contour_cache.move_to_end(key)
        return hit

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
        region = _positive_region(shown, self.xlim, self.ylim)
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
        ``theta2_start``, ``patience``.

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
    _value_names = tuple(f.name for f in fields(MultinomialControls) if f.name != "tol")

    def __init__(self, data=None, *, backend=None, figsize=(10.0, 4.0), dpi=80,
                 resolution=150, **initial):
        super().__init__()
        self.data = default_multinomial_data() if data is None else data
        c = _coerce_controls(MultinomialControls, None, initial)
        self.controls = _run_controls(c, self._on_control, self.data.y_train.size)
        self.result = self._compute(self._control_values())
        self.resolution = check_scalar(resolution, "resolution", low=10, integer=True)
        fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        self.figure = fig
        self.view = _BlitView(fig, _resolve_backend(backend))
        ax_r, ax_l = fig.subplots(1, 2)
        self.axes = {"regions": ax_r, "loss": ax_l}
        d = self.data
        self.xlim, self.ylim = cp._data_limits(d.X_all, 0.05)
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
        self.view.animate(self._regions)
        self.view.animate(*self._points, *self._val_points)
        for a in self._points + self._val_points:
            a.set_zorder(3)
        self.view.dynamic.sort(key=lambda a: a.get_zorder())
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
