"""Gradient descent for logistic regression: batch, stochastic and minibatch in one loop.

The update is the lecture's

    theta <- theta - lr * gradient(theta)

applied to the whole training set (batch), one example at a time (SGD) or to
minibatches of ``batch_size`` examples. All three share :func:`gradient_descent`;
they differ only in which rows each step looks at. SGD and minibatch visit the rows
in a fresh random order every epoch (sampling without replacement), which is the
usual practical form of "select i randomly".

Stopping rules, checked at each *record point* (every ``record_every`` steps):

* ``converged``: the full-data gradient norm ||grad J|| is below ``tol`` (the slide
  stops when the sum of squares is below epsilon; the norm is its square root);
* ``early_stopped``: the validation loss has not improved for more than ``patience``
  consecutive checks; theta is restored to the best validation point;
* ``diverged``: theta stopped being finite or its norm passed ``max_norm``; the run
  stops before any overflow, keeps its history, and emits no NumPy warning;
* ``max_steps``: the step (or epoch) budget ran out.

Divergence is a result, not an exception: a slider at a huge learning rate shows it.

How the code reads: :func:`gradient_descent` checks its arguments once (``_prepare``),
runs a loop whose one line of mathematics is the update above (``DescentRun.advance``),
and packs the records into a :class:`Trajectory` (``_finish``).
:func:`start_gradient_descent` returns the same run unstarted, to advance in pieces
(the explorers show a long run's first epochs while the rest is computed); the records
are the same however it is cut. :meth:`Trajectory.explain` writes the sentence that
says why a run stopped, for the optimiser's ``message`` and for the explorers'
readouts alike.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from ._checks import (as_rng, check_binary_labels, check_class_labels,
                      check_lam, check_scalar, check_theta, check_Theta, check_X)
from .losses import binary_objective, multinomial_objective
from .printing import stable_text

__all__ = ["Trajectory", "gradient_descent", "start_gradient_descent", "DescentRun",
           "batch_gradient_descent", "stochastic_gradient_descent",
           "minibatch_gradient_descent", "STATUSES"]

STATUSES = ("converged", "max_steps", "early_stopped", "diverged")
METHODS = ("batch", "sgd", "minibatch")
UNITS = ("step", "epoch")
_EXPLAINED_BY = ("lr", "lam", "tol", "patience", "max_steps", "steps_per_epoch", "max_norm")


@dataclass
class Trajectory:
    """What a gradient-descent run did, record by record.

    Attributes
    ----------
    theta : ndarray
        Final parameters (for early stopping: those at the best validation loss).
    thetas : ndarray, shape (r, *theta.shape)
        Parameters at each of the r record points; ``thetas[0]`` is the start.
    steps : ndarray of int, shape (r,)
        Number of updates made before each record.
    examples_seen : ndarray of int, shape (r,)
        Number of training examples the gradients had looked at by then.
    losses : ndarray, shape (r,)
        Training objective J (mean cross-entropy plus the L2 penalty) at each record.
    grad_norms : ndarray, shape (r,)
        Norm of the full training gradient at each record.
    val_losses : ndarray or None
        Mean validation cross-entropy (no penalty) at each record, if validation data
        was given.
    best_index : int or None
        Record index with the lowest validation loss (the early-stopping point).
    status : str
        One of ``converged``, ``max_steps``, ``early_stopped``, ``diverged``.
    message : str
        A sentence saying what happened, for people who read rather than look: the
        same as ``explain()``.
    settings : dict
        The run's settings as :func:`gradient_descent` used them, after checking:
        ``method``, ``lr``, ``lam``, ``batch_size`` (rows per step; m for batch),
        ``max_steps`` (the budget in updates, also when it was given in epochs),
        ``tol``, ``patience``, ``update``, ``steps_per_epoch``, ``max_norm`` and
        ``x_scale`` (the largest |entry| of X, which a diverged run's message uses).
    """

    theta: np.ndarray
    thetas: np.ndarray
    steps: np.ndarray
    examples_seen: np.ndarray
    losses: np.ndarray
    grad_norms: np.ndarray
    val_losses: np.ndarray | None
    best_index: int | None
    status: str
    message: str
    settings: dict = field(default_factory=dict, repr=False)

    @property
    def n_steps(self) -> int:
        """Updates made in total."""
        return int(self.steps[-1])

    @property
    def best_step(self) -> int | None:
        """Update count at the early-stopping point, if validation data was given."""
        return None if self.best_index is None else int(self.steps[self.best_index])

    def explain(self, unit="step"):
        """Why the run stopped, in one or two sentences.

        Parameters
        ----------
        unit : {"step", "epoch"}
            ``"step"``: the sentence :func:`gradient_descent` stores as ``message``,
            counted in updates. ``"epoch"``: the sentence the explorers show under
            their plots, counted in epochs (passes over the training data), with the
            learning rate called alpha as on the slides; it assumes one record per
            epoch, which is how the explorers run.

        Returns
        -------
        str

        Examples
        --------
        >>> X = np.array([[1.0, -2.0], [1.0, -1.0], [1.0, 1.0], [1.0, 2.0]])
        >>> run = gradient_descent(X, [0, 1, 0, 1], lr=0.5, max_steps=3)
        >>> print(run.explain())          # doctest: +NORMALIZE_WHITESPACE
        Ran all 3 steps without meeting the stopping rule (gradient norm 8.41e-02,
        tol 1e-06).
        >>> print(run.explain("epoch"))   # doctest: +NORMALIZE_WHITESPACE
        Ran out of steps: all 3 epochs (3 steps) done and the gradient norm 8.4e-02 is
        still above tol = 1e-06; more epochs or a larger learning rate would go further.
        """
        if unit not in UNITS:
            raise ValueError(f"unit must be 'step' (the optimiser's message) or 'epoch' (the "
                             f"explorers' readout); got {unit!r}.")
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES} to be explained; got "
                             f"{self.status!r}.")
        missing = [key for key in _EXPLAINED_BY if key not in self.settings]
        if missing:
            raise ValueError(f"settings must hold {', '.join(missing)} to explain the run, as "
                             f"the settings of a run of gradient_descent do.")
        return (_in_steps if unit == "step" else _in_epochs)(self, self.settings)


def _in_steps(run, s):
    """The optimiser's sentence: counts updates, numbers printed with stable_text."""
    step, last_norm = run.n_steps, run.grad_norms[-1]
    if run.status == "converged":
        return (f"Converged after {step} steps: the gradient norm "
                f"{stable_text(last_norm, '.2e')} fell below tol = {s['tol']:g}.")
    if run.status == "early_stopped":
        b = run.best_index
        return (f"Stopped early after {step} steps: the validation loss did not improve for "
                f"{len(run.steps) - 1 - b} checks in a row (patience {s['patience']}); theta "
                f"restored to step {run.steps[b]}, validation loss "
                f"{stable_text(run.val_losses[b], '.4f')}.")
    if run.status == "diverged":
        return (f"Diverged at step {step}: ||theta|| reached "
                f"{stable_text(_norm(run.thetas[-1]), '.2e')} (limit {s['max_norm']:g}). "
                + (_unscaled(s) or f"The learning rate lr = {s['lr']:g} is too large for "
                                   f"this problem; try a smaller one."))
    return (f"Ran all {s['max_steps']} steps without meeting the stopping rule (gradient norm "
            f"{stable_text(last_norm, '.2e')}, tol {s['tol']:g}).")


def _in_epochs(run, s):
    """The explorers' sentence: counts epochs as well as steps, says what to try next."""
    per_epoch = s["steps_per_epoch"]
    epochs = np.round(run.steps / per_epoch, 3)   # a diverged run stops inside an epoch
    step, done = run.n_steps, epochs[-1]
    if run.status == "diverged":
        return (f"Diverged at step {step} (epoch {done:g}): ||theta|| passed "
                f"{s['max_norm']:g} and the loss blew up. "
                + (_unscaled(s) or f"The learning rate alpha = {s['lr']:.3g} is too large "
                                   f"here (with lambda = {s['lam']:g}); lower the learning "
                                   f"rate."))
    if run.status == "converged":
        return (f"Converged after {step} steps ({done:g} epochs): the gradient norm "
                f"{run.grad_norms[-1]:.1e} fell below tol = {s['tol']:g}.")
    if run.status == "early_stopped":
        b = run.best_index
        return (f"Early stopped at epoch {done:g}: the validation loss had not improved for "
                f"{done - epochs[b]:g} epochs (patience {s['patience']}); theta is kept from "
                f"epoch {epochs[b]:g}, where the validation loss was lowest "
                f"({run.val_losses[b]:.3f}).")
    whole, part = divmod(s["max_steps"], per_epoch)
    budget = whole if part == 0 else f"{s['max_steps'] / per_epoch:g}"
    head = (f"Ran out of steps: all {budget} epochs ({step} steps) done and the gradient "
            f"norm {run.grad_norms[-1]:.1e} is still above tol = {s['tol']:g}; ")
    last, lowest = run.losses[-1], np.min(run.losses)
    if last > 1.05 * lowest and last > lowest + 1e-3:
        # ended well above the best loss it had reached: bouncing, not crawling
        return head + (f"the loss ended at {last:.3g}, above the {lowest:.3g} it had reached, "
                       f"so the steps overshoot: lower the learning rate.")
    return head + "more epochs or a larger learning rate would go further."


# --------------------------------------------------------------------------- helpers

def _norm(a) -> float:
    # Plain sum of squares, not np.linalg.norm: that is a BLAS call, which on a busy
    # machine with threaded OpenBLAS is slow for a tiny vector.
    with np.errstate(over="ignore"):          # entries near 1e308: the norm is inf
        return math.sqrt(float(np.add.reduce((a * a).ravel())))


#: Features larger than this are "unscaled": a diverged run then blames X, not lr.
UNSCALED = 1e4


def _feature_scale(X) -> float:
    """The largest |entry| of X (dense or sparse): how far X is from unit scale."""
    data = X.data if sp.issparse(X) else np.asarray(X)
    return float(np.max(np.abs(data), initial=0.0))


def _unscaled(s) -> str:
    """The sentence that blames X's scale for a divergence, or "" when X is scaled."""
    scale = s.get("x_scale")
    if scale is None or scale < UNSCALED:
        return ""
    return (f"The features of X are not scaled (entries up to {scale:.3g}): every step is "
            f"of that size whatever lr is. Scale each column of X (subtract its mean, divide "
            f"by its standard deviation) before choosing lr.")


def _diverged(theta, max_norm) -> bool:
    norm = _norm(theta)
    return not np.isfinite(norm) or norm > max_norm


def _sequential_step(objective, theta, X, y, lam, lr):
    """The slide's *wrong* update: each coordinate uses a gradient that already
    sees the coordinates updated before it in the same sweep."""
    flat = theta.reshape(-1)
    for k in range(flat.size):
        grad = objective(theta, X, y, lam)[1]
        flat[k] -= lr * grad.reshape(-1)[k]
    return theta


def _minibatches(m, batch_size, rng):
    """The rows of each SGD or minibatch step: every epoch a fresh random order of the
    m rows, cut into batches of ``batch_size`` (the last one may be smaller)."""
    while True:
        order = rng.permutation(m)
        for start in range(0, m, batch_size):
            yield order[start:start + batch_size]


@dataclass
class _Setup:
    """The checked arguments of one run."""

    objective: object      # binary_objective or multinomial_objective
    X: object
    y: np.ndarray
    theta0: np.ndarray
    method: str
    update: str
    lr: float
    lam: float
    tol: float
    max_norm: float
    batch_size: int
    steps_per_epoch: int
    max_steps: int
    record_every: int
    X_val: object
    y_val: np.ndarray | None
    patience: int | None
    callback: object
    rng: np.random.Generator


def _prepare(X, y, *, method, lr, lam, n_classes, theta0, batch_size, max_steps,
             max_epochs, tol, X_val, y_val, patience, record_every, update, max_norm, rng,
             callback) -> _Setup:
    """Check every argument of :func:`gradient_descent` once, before the loop."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}; got {method!r}.")
    if update not in ("simultaneous", "sequential"):
        raise ValueError(f"update must be 'simultaneous' or 'sequential'; got {update!r}.")
    if update == "sequential" and method != "batch":
        raise ValueError("update='sequential' (the slide's wrong approach) is only defined "
                         f"for method='batch'; got method={method!r}.")
    X = check_X(X)
    m, d = X.shape
    lr = check_scalar(lr, "lr", low=0.0, low_inclusive=False,
                      hint="The learning rate must be positive, e.g. 0.1.")
    lam = check_lam(lam)
    tol = check_scalar(tol, "tol", low=0.0)
    max_norm = check_scalar(max_norm, "max_norm", low=0.0, low_inclusive=False)

    # Model: binary or multinomial, and the starting point.
    if theta0 is not None and np.ndim(theta0) == 2 and n_classes is None:
        n_classes = np.shape(theta0)[0]
    if n_classes is None:
        objective = binary_objective
        y = check_binary_labels(y, m)
        theta = np.zeros(d) if theta0 is None else check_theta(theta0, d, "theta0").copy()
    else:
        K = check_scalar(n_classes, "n_classes", low=2, integer=True,
                         hint="Use None for binary labels 0/1.")
        objective = multinomial_objective
        y = check_class_labels(y, m, K)
        theta = (np.zeros((K, d)) if theta0 is None
                 else check_Theta(theta0, d, "theta0").copy())
        if theta.shape[0] != K:
            raise ValueError(f"theta0 must have shape ({K}, {d}) for n_classes={K}; "
                             f"got {theta.shape}.")

    # Validation data and patience.
    if (X_val is None) != (y_val is None):
        raise ValueError("X_val and y_val go together: pass both or neither.")
    if X_val is not None:
        X_val = check_X(X_val, "X_val")
        if X_val.shape[1] != d:
            raise ValueError(f"X_val must have {d} columns like X; got {X_val.shape[1]}.")
        y_val = (check_binary_labels(y_val, X_val.shape[0], "y_val")
                 if objective is binary_objective
                 else check_class_labels(y_val, X_val.shape[0], theta.shape[0], "y_val"))
    if patience is not None:
        patience = check_scalar(patience, "patience", low=0, integer=True)
        if X_val is None:
            raise ValueError("patience needs validation data: pass X_val and y_val, "
                             "or set patience=None.")

    # Rows per step and the budget. A batch_size the method ignores is still checked.
    if batch_size is not None:
        batch_size = check_scalar(batch_size, "batch_size", low=1, integer=True)
    if method == "batch":
        batch_size = m
    elif method == "sgd":
        batch_size = 1
    else:
        batch_size = 32 if batch_size is None else check_scalar(
            batch_size, "batch_size", low=1, integer=True)
        batch_size = min(batch_size, m)
    steps_per_epoch = math.ceil(m / batch_size)
    if max_steps is not None and max_epochs is not None:
        raise ValueError("Give max_steps or max_epochs, not both.")
    if max_epochs is not None:
        max_steps = check_scalar(max_epochs, "max_epochs", low=1, integer=True) * steps_per_epoch
    elif max_steps is None:
        max_steps = 1000
    else:
        max_steps = check_scalar(max_steps, "max_steps", low=0, integer=True)
    if record_every is None:
        record_every = 1 if method == "batch" else steps_per_epoch
    else:
        record_every = check_scalar(record_every, "record_every", low=1, integer=True)
    if callback is not None and not callable(callback):
        raise TypeError(f"callback must be callable or None; got {type(callback).__name__}.")
    return _Setup(objective, X, y, theta, method, update, lr, lam, tol, max_norm, batch_size,
                  steps_per_epoch, max_steps, record_every, X_val, y_val, patience, callback,
                  as_rng(rng))


class _History:
    """The records of one run, and the early-stopping bookkeeping."""

    def __init__(self, setup: _Setup):
        self.setup = setup
        self.thetas, self.steps, self.seen, self.losses = [], [], [], []
        self.grad_norms, self.val_losses = [], []
        self.best_index, self.best_val, self.since_best = None, np.inf, 0

    def record(self, step, theta, loss, grad):
        """A record point: theta, J and ||grad J|| on the training data, the validation
        loss; then the callback."""
        s = self.setup
        loss = float(loss)
        self.thetas.append(theta.copy())
        self.steps.append(step)
        self.seen.append(step * s.batch_size)
        self.losses.append(loss)
        self.grad_norms.append(_norm(grad))
        val = None
        if s.X_val is not None:
            val = float(s.objective(theta, s.X_val, s.y_val, 0.0, need_grad=False)[0])
            self.val_losses.append(val)
            if val < self.best_val - 1e-12:
                self.best_val, self.best_index, self.since_best = val, len(self.thetas) - 1, 0
            else:
                self.since_best += 1
        if s.callback is not None:
            s.callback({"step": step, "epoch": step / s.steps_per_epoch, "loss": loss,
                        "val_loss": val, "grad_norm": self.grad_norms[-1]})

    def record_divergence(self, step, theta):
        """Keep the blown-up point in the history, with its loss if that is finite."""
        s = self.setup
        self.thetas.append(theta.copy())
        self.steps.append(step)
        self.seen.append(self.seen[-1] + s.batch_size)
        with np.errstate(all="ignore"):
            loss = float(s.objective(theta, s.X, s.y, s.lam, need_grad=False)[0])
        self.losses.append(loss if np.isfinite(loss) else np.inf)
        self.grad_norms.append(np.inf)
        if s.X_val is not None:
            self.val_losses.append(np.inf)


def _finish(s: _Setup, history: _History, theta, status) -> Trajectory:
    """Pack the records into a Trajectory; early stopping keeps the best theta."""
    h = history
    final = h.thetas[h.best_index].copy() if status == "early_stopped" else theta.copy()
    run = Trajectory(
        theta=final, thetas=np.array(h.thetas), steps=np.array(h.steps),
        examples_seen=np.array(h.seen), losses=np.array(h.losses),
        grad_norms=np.array(h.grad_norms),
        val_losses=np.array(h.val_losses) if s.X_val is not None else None,
        best_index=h.best_index, status=status, message="",
        settings={"method": s.method, "lr": s.lr, "lam": s.lam, "batch_size": s.batch_size,
                  "max_steps": s.max_steps, "tol": s.tol, "patience": s.patience,
                  "update": s.update, "steps_per_epoch": s.steps_per_epoch,
                  "max_norm": s.max_norm, "x_scale": _feature_scale(s.X)},
    )
    run.message = (run.explain() if status in STATUSES else
                   f"Still running: {h.steps[-1]} of {s.max_steps} steps done so far.")
    return run


# --------------------------------------------------------------------------- the loop

def gradient_descent(X, y, *, method="batch", lr=0.1, lam=0.0, n_classes=None,
                     theta0=None, batch_size=None, max_steps=None, max_epochs=None,
                     tol=1e-6, X_val=None, y_val=None, patience=None, record_every=None,
                     update="simultaneous", max_norm=1e6, rng=None, callback=None):
    """Minimise the (regularised) cross-entropy by gradient descent.

    theta_{t+1} = theta_t - lr * grad J_B(theta_t),  with B the rows used at step t:
    all rows (batch), one row (SGD) or ``batch_size`` rows (minibatch).

    Parameters
    ----------
    X : array_like or sparse, shape (m, n + 1)
        Training data with the dummy column first.
    y : array_like, shape (m,)
        Labels: 0/1 for the binary model, 0..K-1 for the multinomial one.
    method : {"batch", "sgd", "minibatch"}
    lr : float > 0
        Learning rate alpha.
    lam : float >= 0
        L2 strength lambda (the intercept is not penalised).
    n_classes : int or None
        None for binary logistic regression; K >= 2 for the multinomial model
        (inferred from ``theta0`` when that is 2-D).
    theta0 : array_like or None
        Starting point, shape (n + 1,) or (K, n + 1); zeros if None.
    batch_size : int or None
        Rows per step for ``minibatch`` (default 32); ignored otherwise.
    max_steps, max_epochs : int or None
        Budget in updates, or in passes over the data (give at most one); default
        1000 steps.
    tol : float >= 0
        Stop as converged when ||grad J|| < tol (0 disables the test).
    X_val, y_val : optional
        Validation data; its loss is recorded at every record point.
    patience : int or None
        Early stopping: stop when the validation loss has not improved for more
        than ``patience`` consecutive checks. Needs validation data.
    record_every : int or None
        Steps between record points; default 1 for batch and one epoch otherwise.
    update : {"simultaneous", "sequential"}
        "sequential" is the slide's wrong approach (batch only), kept for the demo.
    max_norm : float
        ||theta|| beyond this counts as divergence.
    rng : Generator, int or None
        Randomness for the row order of SGD and minibatch.
    callback : callable or None
        Called as ``callback(record)`` at every record point with a dict holding
        ``step``, ``epoch``, ``loss``, ``val_loss``, ``grad_norm``.

    Returns
    -------
    Trajectory

    Examples
    --------
    >>> X = np.array([[1.0, -2.0], [1.0, -1.0], [1.0, 1.0], [1.0, 2.0]])
    >>> y = np.array([0, 1, 0, 1])
    >>> run = gradient_descent(X, y, lr=0.5, tol=1e-8, max_steps=5000)
    >>> run.status, np.round(run.theta, 3).tolist()
    ('converged', [0.0, 0.42])
    """
    return start_gradient_descent(
        X, y, method=method, lr=lr, lam=lam, n_classes=n_classes, theta0=theta0,
        batch_size=batch_size, max_steps=max_steps, max_epochs=max_epochs, tol=tol,
        X_val=X_val, y_val=y_val, patience=patience, record_every=record_every,
        update=update, max_norm=max_norm, rng=rng, callback=callback).finish()


def start_gradient_descent(X, y, **kwargs):
    """:func:`gradient_descent` in pieces: the run is set up, and advances when asked.

    Takes the arguments of :func:`gradient_descent` (checked the same way) and returns
    a :class:`DescentRun` that has made no step yet. ``run.advance(n)`` makes about
    ``n`` more steps (it pauses only where a record was just made), ``run.trajectory()``
    is the record so far, ``run.finish()`` runs to the end. The records are exactly
    those of :func:`gradient_descent`, however the run is cut into pieces.

    Examples
    --------
    >>> X = np.array([[1.0, -2.0], [1.0, -1.0], [1.0, 1.0], [1.0, 2.0]])
    >>> run = start_gradient_descent(X, [0, 1, 0, 1], lr=0.5, max_steps=3)
    >>> run.advance(1), run.steps_done, run.trajectory().status
    (False, 1, 'running')
    >>> run.finish().status, run.done
    ('max_steps', True)
    """
    return DescentRun(_prepare(X, y, **{**_DEFAULTS, **kwargs}))


_DEFAULTS = dict(method="batch", lr=0.1, lam=0.0, n_classes=None, theta0=None,
                 batch_size=None, max_steps=None, max_epochs=None, tol=1e-6, X_val=None,
                 y_val=None, patience=None, record_every=None, update="simultaneous",
                 max_norm=1e6, rng=None, callback=None)


class DescentRun:
    """A gradient-descent run that advances in pieces (see :func:`start_gradient_descent`).

    Attributes
    ----------
    done : bool
        True once a stopping rule ended the run.
    steps_done : int
        Updates made so far.
    max_steps : int
        The budget in updates.
    """

    def __init__(self, setup: _Setup):
        s = self.setup = setup
        self.history = _History(s)
        self._batches = (None if s.method == "batch"
                         else _minibatches(len(s.y), s.batch_size, s.rng))
        self._theta, self.steps_done, self.done, self._status = s.theta0, 0, False, None
        self.max_steps = s.max_steps
        self._final = None
        with np.errstate(over="ignore", invalid="ignore"):
            loss, self._grad = s.objective(s.theta0, s.X, s.y, s.lam)
            self.history.record(0, s.theta0, loss, self._grad)

    def advance(self, n_steps=None):
        """Make about ``n_steps`` more updates (all that remain if None); return ``done``.

        The run pauses only at a record point (after ``n_steps`` or more updates), so
        the record so far always ends where a record was made.
        """
        if self.done:
            return True
        s, history, J = self.setup, self.history, self.setup.objective
        batches, one_row = self._batches, self.setup.batch_size == 1
        theta, step, grad = self._theta, self.steps_done, self._grad
        pause_at = None if n_steps is None else step + max(int(n_steps), 1)
        status = None
        with np.errstate(over="ignore", invalid="ignore"):  # divergence is a status, not a warning
            while True:
                # Stopping rules, tested where a record was just made.
                if history.steps[-1] == step:
                    if s.tol > 0 and history.grad_norms[-1] < s.tol:
                        status = "converged"
                        break
                    if s.patience is not None and history.since_best > s.patience:
                        status = "early_stopped"
                        break
                    if step < s.max_steps and pause_at is not None and step >= pause_at:
                        break
                if step >= s.max_steps:
                    status = "max_steps"
                    break
                # One step: the gradient on this step's rows, then the slide's update.
                if s.update == "sequential":
                    theta = _sequential_step(J, theta, s.X, s.y, s.lam, s.lr)
                else:
                    if batches is not None:              # SGD or minibatch: a few rows
                        rows = next(batches)
                        if one_row:                      # a view of the row: no copy
                            i = rows[0]
                            grad = J(theta, s.X[i:i + 1], s.y[i:i + 1], s.lam)[1]
                        else:
                            grad = J(theta, s.X[rows], s.y[rows], s.lam)[1]
                    elif grad is None:   # batch: all rows (a record point may have it already)
                        grad = J(theta, s.X, s.y, s.lam)[1]
                    theta = theta - s.lr * grad
                grad = None
                step += 1
                if _diverged(theta, s.max_norm):
                    history.record_divergence(step, theta)
                    status = "diverged"
                    break
                if step % s.record_every == 0:
                    loss, grad = J(theta, s.X, s.y, s.lam)
                    history.record(step, theta, loss, grad)
        self._theta, self.steps_done, self._grad = theta, step, grad
        if status is not None:
            self.done, self._status = True, status
        return self.done

    def finish(self):
        """Run to the end; the :class:`Trajectory`, as :func:`gradient_descent` returns it."""
        self.advance(None)
        return self.trajectory()

    def trajectory(self):
        """The records so far: the final :class:`Trajectory` once ``done``; before that a
        Trajectory with status ``"running"`` (not one of :data:`STATUSES`: it cannot be
        explained yet) whose ``theta`` is the last record."""
        if self.done:
            if self._final is None:
                self._final = _finish(self.setup, self.history, self._theta, self._status)
            return self._final
        return _finish(self.setup, self.history, self.history.thetas[-1], "running")


def batch_gradient_descent(X, y, **kwargs):
    """:func:`gradient_descent` with ``method="batch"``: every step uses all m rows.

    Examples
    --------
    >>> run = batch_gradient_descent([[1.0, 0.0], [1.0, 1.0]], [0, 1], lr=1.0, max_steps=3)
    >>> run.status, run.n_steps
    ('max_steps', 3)
    """
    return gradient_descent(X, y, method="batch", **kwargs)


def stochastic_gradient_descent(X, y, **kwargs):
    """:func:`gradient_descent` with ``method="sgd"``: every step uses one row.

    Examples
    --------
    >>> run = stochastic_gradient_descent([[1.0, 0.82]], [1], lr=0.01, max_steps=1,
    ...                                   theta0=[0.04, 0.5], rng=0)
    >>> np.round(run.theta, 4)   # the lecture's one-step quiz
    array([0.0439, 0.5032])
    """
    return gradient_descent(X, y, method="sgd", **kwargs)


def minibatch_gradient_descent(X, y, *, batch_size=32, **kwargs):
    """:func:`gradient_descent` with ``method="minibatch"``: steps of ``batch_size`` rows.

    Examples
    --------
    >>> X = np.c_[np.ones(6), np.arange(6.0)]
    >>> run = minibatch_gradient_descent(X, [0, 0, 0, 1, 1, 1], batch_size=2, lr=0.5,
    ...                                  max_epochs=2, rng=0)
    >>> run.n_steps
    6
    """
    return gradient_descent(X, y, method="minibatch", batch_size=batch_size, **kwargs)
