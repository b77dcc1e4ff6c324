"""What a slider setting of an explorer means, as data: controls -> run -> result -> readout.

The explorers of :mod:`course_utils.widgets` are sliders over the functions of this
module, which know nothing about widgets or pictures (no ipywidgets, no matplotlib):

* :class:`ExplorerData`: the training, validation and test sets of an explorer;
  :func:`default_binary_data` and :func:`default_multinomial_data` are the course's;
* :class:`BinaryControls` / :class:`MultinomialControls`: the control values, checked
  when the record is made, frozen and hashable (each is a cache key);
* :func:`compute_binary` / :func:`compute_multinomial`: gradient descent for those
  controls on that data, cached (the last 256 results: moving a slider back, or
  replaying with Play, computes nothing), returning a :class:`BinaryResult` /
  :class:`MultinomialResult`: the optimiser's record, the model kept, its scores
  and the readout, the text the explorer shows;
* :func:`start_binary` / :func:`start_multinomial`: the same runs in pieces (a
  :class:`PendingRun`), whose partial results say so in their readout: what the
  explorers show first when a setting takes longer than a slider move should.

A run is ``optim.gradient_descent`` on the training set, with the validation loss
recorded every epoch, early stopping when ``patience > 0``, and ||theta|| above
:data:`MAX_NORM` counted as divergence.
"""

from __future__ import annotations

import functools
import hashlib
import math
from collections import OrderedDict
from dataclasses import dataclass, field, fields

import numpy as np

from ._checks import as_float_array, check_class_labels, check_lam, check_scalar
from .data import make_blobs, train_val_test_split
from .functions import add_intercept
from .landscape import binary_loss_grid
from .losses import binary_objective, multinomial_objective, predict
from .metrics import boundary_metrics
from .optim import METHODS, gradient_descent, start_gradient_descent

__all__ = ["ExplorerData", "default_binary_data", "default_multinomial_data",
           "BinaryControls", "MultinomialControls", "BinaryResult", "MultinomialResult",
           "compute_binary", "compute_multinomial", "binary_extent", "positive_region",
           "start_binary", "start_multinomial", "PendingRun", "binary_contour_grid",
           "STATUS_TEXT", "MAX_NORM", "TOL", "MAX_STEPS", "PICTURES", "picture_text"]

#: What each optimiser status is called in the readout.
STATUS_TEXT = {"converged": "converged", "max_steps": "ran out of steps",
               "early_stopped": "early stopped", "diverged": "diverged"}
#: ||theta|| beyond which a run counts as diverged. With features of size about 1,
#: logits are then in the hundreds: every probability is 0 or 1 to machine precision.
MAX_NORM = 1e3
#: Gradient-norm tolerance of the explorers (status "converged" below it).
TOL = 1e-4
#: Most optimisation steps (epochs x steps per epoch) one explorer run may take: about a
#: second of computing; more would freeze the notebook for longer than a slider is worth.
MAX_STEPS = 100_000
_SPLITS = ("train", "val", "test")


# =========================================================================== data

@dataclass(frozen=True, eq=False)
class ExplorerData:
    """Training, validation and test sets of an explorer (features without the dummy column).

    Hashable by content, so results can be cached per data set. Build it with
    :meth:`from_arrays`, or use :func:`default_binary_data` /
    :func:`default_multinomial_data`.

    Attributes
    ----------
    X_train, X_val, X_test : ndarray, shape (m_split, 2)
        Features (x1, x2), read-only.
    y_train, y_val, y_test : ndarray of int, shape (m_split,)
        Labels 0..K-1, read-only.
    n_classes : int
        K.
    description : str
        One line about the data, for people.
    key : str
        Digest of the arrays and K: equal data have equal keys (the hash).
    A_train, A_val, A_test : ndarray, shape (m_split, 3)
        The features with the dummy column of ones first, read-only: what the
        optimiser and the losses take.
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    n_classes: int
    description: str = ""
    key: str = field(init=False, repr=False)
    A_train: np.ndarray = field(init=False, repr=False)
    A_val: np.ndarray = field(init=False, repr=False)
    A_test: np.ndarray = field(init=False, repr=False)

    def __post_init__(self):
        # the dataclass is frozen: derived fields are set once, here, through object
        digest = hashlib.sha1()
        for arr in (self.X_train, self.y_train, self.X_val, self.y_val, self.X_test, self.y_test):
            arr.setflags(write=False)
            digest.update(np.ascontiguousarray(arr).tobytes())
            digest.update(str(arr.shape).encode())
        digest.update(str(self.n_classes).encode())
        object.__setattr__(self, "key", digest.hexdigest())
        for name in _SPLITS:
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

    @property
    def limits(self):
        """``(xlim, ylim)``: the box the explorers show, all points with 5 % room around."""
        X = self.X_all
        lo, hi = X.min(axis=0), X.max(axis=0)
        pad = 0.05 * np.maximum(hi - lo, 1e-9) + 1e-9
        return (lo[0] - pad[0], hi[0] + pad[0]), (lo[1] - pad[1], hi[1] + pad[1])

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

class _Controls:
    """What both controls records share: building one from values, and its checks."""

    _starts = ()     # the controls of a starting point, if the record has them

    @classmethod
    def from_values(cls, controls=None, **overrides):
        """A controls record from None, a dict or a record, plus values by name.

        Examples
        --------
        >>> BinaryControls.from_values({"lr": 0.5}, lam=0.0).lam
        0.0
        """
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
            raise TypeError(f"unknown control(s) {unknown} for {cls.__name__}; the controls "
                            f"are {sorted(known)}.")
        return cls(**values)

    def __post_init__(self):
        # every control is checked here, in the order of the sliders, and normalised
        # (lr=1 and lr=1.0 give equal records: one cache entry)
        values = dict(lr=check_scalar(self.lr, "lr", low=0.0, low_inclusive=False,
                                      hint="The learning rate must be positive, e.g. 0.1."),
                      lam=check_lam(self.lam))
        if self.method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}; got {self.method!r}.")
        values.update(
            batch_size=check_scalar(self.batch_size, "batch_size", low=1, integer=True),
            epochs=check_scalar(self.epochs, "epochs", low=1, high=MAX_STEPS, integer=True,
                                hint=f"A run takes at most {MAX_STEPS:,} steps."),
            seed=check_scalar(self.seed, "seed", low=0, integer=True),
            patience=check_scalar(self.patience, "patience", low=0, integer=True,
                                  hint="Use 0 to turn early stopping off."),
            tol=check_scalar(self.tol, "tol", low=0.0))
        for name in self._starts:
            values[name] = check_scalar(getattr(self, name), name)
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def steps_per_epoch(self, m_train):
        """Optimisation steps in one epoch over ``m_train`` training points.

        One for batch, ``m_train`` for SGD, ceil(m_train / batch_size) for minibatch
        (a batch larger than the training set is the whole set).

        Examples
        --------
        >>> BinaryControls(method="minibatch", batch_size=8).steps_per_epoch(30)
        4
        """
        if self.method == "batch":
            return 1
        if self.method == "sgd":
            return int(m_train)
        return math.ceil(m_train / min(self.batch_size, m_train))

    def check_steps(self, m_train, caller="compute_binary"):
        """Refuse a run of more than :data:`MAX_STEPS` steps; returns the number of steps.

        Examples
        --------
        >>> BinaryControls(method="sgd", epochs=500).check_steps(30)
        15000
        """
        per_epoch = self.steps_per_epoch(m_train)
        steps = self.epochs * per_epoch
        if steps > MAX_STEPS:
            most = MAX_STEPS // per_epoch
            how = f"pass epochs <= {most}"
            if self.method != "batch":
                how += (", or a larger batch_size with method='minibatch', or "
                        "method='batch' (one step per epoch)")
            raise ValueError(
                f"{caller}: epochs={self.epochs} with method={self.method!r} means "
                f"{self.epochs} x {per_epoch} = {steps:,} optimisation steps ({per_epoch} per "
                f"epoch over {m_train} training points); a run takes at most {MAX_STEPS:,} "
                f"steps, so that the notebook does not freeze. To fix: {how}.")
        return steps


@dataclass(frozen=True)
class BinaryControls(_Controls):
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

    _starts = ("theta1_start", "theta2_start")

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


@dataclass(frozen=True)
class MultinomialControls(_Controls):
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


# =========================================================================== readout prose

#: What each explorer's picture shows (by the explorer's title), for its text alternative.
PICTURES = {
    "sigmoid slider": "The sigmoid curve from z = -8 to 8 with the current score marked on it.",
    "decision boundary": "The points with the boundary line and its y = 1 side shaded, and "
                         "the confusion counts.",
    "binary explorer": "Three panels: the gradient-descent path over the loss contours in "
                       "(theta1, theta2), the data with the decision boundary, and the "
                       "training and validation loss per epoch.",
    "multinomial explorer": "Two panels: the three classes' decision regions with the data, "
                            "and the training and validation loss per epoch.",
}


def picture_text(title, readout):
    """The text alternative of an explorer's picture: what it shows, then the readout.

    >>> picture_text("sigmoid slider", "theta . x = 0.00.")[:40]
    'Picture: The sigmoid curve from z = -8 t'
    """
    return f"Picture: {PICTURES.get(title, title)} {readout}"


def _pct(p):
    return f"{100 * p:.0f}%"


def _scores_sentence(scores, J):
    (_, ctr, ntr), (lva, cva, nva) = scores["train"], scores["val"]
    return (f"Training loss J = {J:.4g}, validation loss {lva:.4g}; accuracy "
            f"{_pct(ctr / ntr)} on training ({ctr}/{ntr}) and {_pct(cva / nva)} on "
            f"validation ({cva}/{nva}).")


def _readout(run, scores, J, weights, epochs=None):
    if run.status == "running":
        # a partial result: the first epochs of a run still being computed
        done = run.steps[-1] / run.settings["steps_per_epoch"]
        return " ".join([f"Status: partial result, still computing ({done:g} of {epochs} "
                         f"epochs done); these numbers are for epoch {done:g} and will "
                         f"change.", _scores_sentence(scores, J), weights])
    # why the run stopped: written by the optimiser, the only author of those sentences
    return " ".join([f"Status: {STATUS_TEXT[run.status]}.", run.explain(unit="epoch"),
                     _scores_sentence(scores, J), weights])


# =========================================================================== results

def _last_finite(thetas):
    ok = np.all(np.isfinite(thetas.reshape(len(thetas), -1)), axis=1)
    return thetas[np.flatnonzero(ok)[-1]]


def _objective(theta):
    """The loss of the model: binary for a vector theta, multinomial for a matrix Theta."""
    return binary_objective if theta.ndim == 1 else multinomial_objective


def _scores(theta, data):
    """``{split: (mean cross-entropy, correct, total)}`` of a finite theta or Theta."""
    objective, out = _objective(theta), {}
    for name in _SPLITS:
        A, y = getattr(data, "A_" + name), getattr(data, "y_" + name)
        with np.errstate(over="ignore", invalid="ignore"):
            loss = float(objective(theta, A, y, 0.0, need_grad=False)[0])
        out[name] = (loss, int(np.sum(predict(theta, A) == y)), y.size)
    return out


def _training_loss(theta, data, lam):
    """J of the kept model on the training set, with the penalty."""
    with np.errstate(over="ignore", invalid="ignore"):
        return float(_objective(theta)(theta, data.A_train, data.y_train, lam,
                                       need_grad=False)[0])


def _clip(theta, xlim, ylim):
    """The box cut by theta_0 + theta_1 x1 + theta_2 x2 = 0 (walking its edges in turn).

    Returns the vertices of the part where theta . x > 0 and the points where the
    line crosses the box's edges.
    """
    (x0, x1), (y0, y1) = xlim, ylim
    box = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    region, crossings = [], []
    if not np.all(np.isfinite(theta)):
        return np.zeros((0, 2)), crossings
    s = max(float(np.max(np.abs(theta))), 1e-300)   # scaled: no overflow below
    a, b, c = (float(v) / s for v in theta)
    f = [a + b * x + c * y for x, y in box]
    for i in range(4):
        p, q = box[i], box[(i + 1) % 4]
        fp, fq = f[i], f[(i + 1) % 4]
        if fp > 0:
            region.append(p)
        if (fp > 0) != (fq > 0) and fp != fq:
            t = fp / (fp - fq)
            point = (p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1]))
            region.append(point)
            crossings.append(point)
    return np.array(region, dtype=float).reshape(-1, 2), crossings


def positive_region(theta, xlim, ylim):
    """Vertices of the part of the box where theta_0 + theta_1 x1 + theta_2 x2 > 0.

    The side of the boundary the model calls y = 1, as a polygon (empty when no
    part of the box is on that side, or when theta is not finite).

    Parameters
    ----------
    theta : array_like, shape (3,)
    xlim, ylim : (low, high)

    Returns
    -------
    ndarray, shape (k, 2)

    Examples
    --------
    >>> positive_region(np.array([-0.5, 1.0, 0.0]), (0, 1), (0, 1)).tolist()
    [[0.5, 0.0], [1.0, 0.0], [1.0, 1.0], [0.5, 1.0]]
    """
    return _clip(np.asarray(theta, dtype=float), xlim, ylim)[0]


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
        """The optimiser's status: converged, max_steps, early_stopped or diverged; for a
        partial result (see :func:`start_binary`) ``"running"``."""
        return self.trajectory.status

    @property
    def partial(self):
        """True for the first epochs of a run that is still being computed."""
        return self.trajectory.status == "running"

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

    def _frame_head(self, frame):
        run = self.trajectory
        return (f"Showing epoch {self.epochs[frame]:g} of {self.epochs[-1]:g} (step "
                f"{run.steps[frame]}): training loss J = {run.losses[frame]:.3g}, validation "
                f"accuracy {_pct(_val_accuracy(self.theta_at(frame), self.data))}")


def _val_accuracy(theta, data):
    return int(np.sum(predict(theta, data.A_val) == data.y_val)) / data.y_val.size


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
        The loss over (theta_1, theta_2) for this lambda (see :func:`compute_binary`),
        computed when first asked for.
    """

    @property
    def grid(self):
        return binary_contour_grid(self.data, self.controls.lam)

    @property
    def boundary(self):
        """End points (xs, ys) of the line theta . x = 0 inside the data's box."""
        points = sorted(set(_clip(self.theta, *self.data.limits)[1]))
        if len(points) < 2:
            return np.empty(0), np.empty(0)
        (xa, ya), (xb, yb) = points[0], points[-1]
        return np.array([xa, xb]), np.array([ya, yb])

    def metrics(self, split="val"):
        """:func:`~course_utils.metrics.boundary_metrics` of the kept theta on a split.

        ``split`` is "train", "val" or "test".
        """
        if split not in _SPLITS:
            raise ValueError(f"split must be 'train', 'val' or 'test'; got {split!r}.")
        return boundary_metrics(self.theta, getattr(self.data, "X_" + split),
                                getattr(self.data, "y_" + split))

    def frame_text(self, frame):
        """One sentence about record ``frame`` (the Play position)."""
        frame = int(np.clip(frame, 0, self.n_frames - 1))
        th = self.theta_at(frame)
        return (self._frame_head(frame)
                + f", theta = ({th[0]:.2f}, {th[1]:.2f}, {th[2]:.2f}).")


@dataclass(frozen=True, eq=False)
class MultinomialResult(_RunResult):
    """What :func:`compute_multinomial` returns (treat as read-only: it is cached).

    Same attributes as :class:`BinaryResult` without ``grid``; ``theta`` is the
    (K, 3) matrix Theta.
    """

    def frame_text(self, frame):
        """One sentence about record ``frame`` (the Play position)."""
        return self._frame_head(int(np.clip(frame, 0, self.n_frames - 1))) + "."


# =========================================================================== runs

def _start(controls, data, theta0, n_classes):
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
    return start_gradient_descent(data.A_train, data.y_train, **kw)


def _epochs_and_theta(run):
    epochs = run.steps / run.settings["steps_per_epoch"]
    # a diverged run stops inside an epoch: show the fraction honestly
    theta = run.theta if run.status not in ("diverged", "running") else _last_finite(run.thetas)
    return np.round(epochs, 3), theta


@functools.lru_cache(maxsize=64)
def binary_extent(data):
    """The (theta_1, theta_2) box of the binary explorer's loss picture and start sliders.

    Square and centred on 0: it covers the starting-point sliders and the optimum for
    lambda = 0.01 with room to spare.

    Returns
    -------
    (theta1_min, theta1_max, theta2_min, theta2_max)

    Examples
    --------
    >>> binary_extent(default_binary_data())[:2]
    (-6.0, 6.0)
    """
    run = gradient_descent(data.A_train, data.y_train, lr=1.0, lam=0.01, max_steps=300,
                           tol=1e-6)
    half = max(6.0, min(50.0, 1.5 * float(np.max(np.abs(run.theta[1:])))))
    return (-half, half, -half, half)


@functools.lru_cache(maxsize=64)
def binary_contour_grid(data, lam, resolution=61):
    """The binary explorer's loss picture for ``lam``: ``(a, b, Z)`` (cached, read-only).

    The profile of J over (theta_1, theta_2) on :func:`binary_extent` (see
    :func:`compute_binary`), ``resolution`` points a side; the explorer shows a coarse
    one (fewer points, quick) while the full one (61 a side) is computed.
    """
    grid = binary_loss_grid(data.A_train, data.y_train, lam, extent=binary_extent(data),
                            resolution=resolution)
    for arr in grid:
        arr.setflags(write=False)
    return grid


def _binary_result(controls, data, run):
    epochs, theta = _epochs_and_theta(run)
    scores = _scores(theta, data)
    readout = _readout(run, scores, _training_loss(theta, data, controls.lam),
                       f"Weights ||(theta_1, theta_2)|| = {np.linalg.norm(theta[1:]):.3g}; "
                       f"theta = ({theta[0]:.3g}, {theta[1]:.3g}, {theta[2]:.3g}).",
                       controls.epochs)
    return BinaryResult(controls, data, run, epochs, theta, scores, readout)


def _multinomial_result(controls, data, run):
    epochs, Theta = _epochs_and_theta(run)
    scores = _scores(Theta, data)
    readout = _readout(run, scores, _training_loss(Theta, data, controls.lam),
                       f"Weights ||W|| = {np.linalg.norm(Theta[:, 1:]):.3g} (all classes, "
                       f"intercepts excluded).", controls.epochs)
    return MultinomialResult(controls, data, run, epochs, Theta, scores, readout)


#: Finished results by (controls, data), least recently used dropped first: moving a
#: slider back, or replaying with Play, computes nothing.
_RESULTS = OrderedDict()
_RESULTS_KEPT = 256


class PendingRun:
    """A run of an explorer computed in pieces (see :func:`start_binary`): ``result`` is
    partial (status ``"running"``) until ``done``, then the final one, the object
    :func:`compute_binary` returns; ``chunks`` counts the pieces computed; ``cancel()``
    stops it."""

    def __init__(self, key, make_result, run=None, result=None):
        self._key, self._make, self._run = key, make_result, run
        self.cancelled = False
        self.chunks = 0
        self.done, self.result = result is not None, result
        if result is None:
            self._update()

    def _update(self):
        self.chunks += 1
        self.result = self._make(self._run.trajectory())
        if self._run.done:
            self.done = True
            _RESULTS[self._key] = self.result
            while len(_RESULTS) > _RESULTS_KEPT:
                _RESULTS.popitem(last=False)

    def advance(self, n_steps=None):
        """Compute about ``n_steps`` more optimiser steps (all if None); return ``done``.

        A cancelled run computes nothing more.
        """
        if self.done or self.cancelled:
            return self.done
        self._run.advance(n_steps)
        self._update()
        return self.done

    def finish(self):
        """Compute to the end and return the final result."""
        if self.cancelled:
            raise RuntimeError("this run was cancelled: start a new one.")
        self.advance(None)
        return self.result

    def cancel(self):
        """Stop: no more pieces are computed (a newer control setting replaced it)."""
        self.cancelled = True


def _pending(binary, controls, data, overrides, caller):
    """The checked controls and data of ``caller``, as a run: the cached result if any."""
    controls = (BinaryControls if binary else MultinomialControls).from_values(
        controls, **overrides)
    if data is None:
        data = default_binary_data() if binary else default_multinomial_data()
    if not isinstance(data, ExplorerData) or (binary and data.n_classes != 2):
        raise TypeError(f"data must be {'a two-class' if binary else 'an'} ExplorerData; "
                        f"got {type(data).__name__}. Use ExplorerData.from_arrays(X, y).")
    controls.check_steps(data.y_train.size, caller)
    key = (binary, controls, data)
    hit = _RESULTS.get(key)
    if hit is not None:
        _RESULTS.move_to_end(key)
        return PendingRun(key, None, result=hit)
    if binary:
        theta0, K, make = (np.array([0.0, controls.theta1_start, controls.theta2_start]),
                           None, _binary_result)
    else:
        theta0, K, make = np.zeros((data.n_classes, 3)), data.n_classes, _multinomial_result
    return PendingRun(key, lambda traj: make(controls, data, traj),
                      _start(controls, data, theta0, K))


def start_binary(controls=None, data=None, **overrides):
    """:func:`compute_binary` in pieces: a :class:`PendingRun` whose ``advance(n)``
    computes about n more steps; its ``result`` is partial until it is ``done``.

    Examples
    --------
    >>> job = start_binary(method="sgd", epochs=500, lr=0.013)
    >>> job.advance(300), job.result.partial, job.result.readout[:29]
    (False, True, 'Status: partial result, still')
    >>> job.finish() is compute_binary(method="sgd", epochs=500, lr=0.013)
    True
    """
    return _pending(True, controls, data, overrides, "start_binary")


def compute_binary(controls=None, data=None, **overrides):
    """Run the binary explorer's gradient descent for some control values (cached).

    The run: gradient descent on the (regularised) binary cross-entropy of the
    training set, from theta = (0, theta1_start, theta2_start), with the validation
    loss recorded every epoch, early stopping when ``patience > 0``, and
    ||theta|| > ``MAX_NORM`` counted as divergence.

    The contour grid ``result.grid`` is the loss J over (theta_1, theta_2) with the
    intercept theta_0 chosen, at each point, to make J smallest (a profile of J; see
    :func:`course_utils.landscape.binary_loss_grid`). Why this choice: it depends on
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

    Raises
    ------
    ValueError
        For a run of more than :data:`MAX_STEPS` optimisation steps (epochs times
        steps per epoch): see :meth:`BinaryControls.check_steps`.

    Examples
    --------
    >>> compute_binary(lr=100.0).status
    'diverged'
    >>> compute_binary(lr=100.0) is compute_binary(lr=100.0)   # cached
    True
    """
    return _pending(True, controls, data, overrides, "compute_binary").finish()


def start_multinomial(controls=None, data=None, **overrides):
    """:func:`compute_multinomial` in pieces (see :func:`start_binary`)."""
    return _pending(False, controls, data, overrides, "start_multinomial")


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
    return _pending(False, controls, data, overrides, "compute_multinomial").finish()
