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
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ._checks import (as_rng, check_binary_labels, check_class_labels,
                      check_lam, check_scalar, check_theta, check_Theta, check_X)
from .losses import _binary_kernel, _multinomial_kernel
from .printing import stable_text

__all__ = ["Trajectory", "gradient_descent", "batch_gradient_descent",
           "stochastic_gradient_descent", "minibatch_gradient_descent", "STATUSES"]

STATUSES = ("converged", "max_steps", "early_stopped", "diverged")
METHODS = ("batch", "sgd", "minibatch")


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
        A sentence saying what happened, for people who read rather than look.
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


def _norm(a) -> float:
    # Plain sum of squares, not np.linalg.norm: that is a BLAS call, which on a busy
    # machine with threaded OpenBLAS cost milliseconds per step for a tiny vector.
    return math.sqrt(float(np.add.reduce((a * a).ravel())))


def _sequential_step(kernel, theta, X, y, lam, lr):
    """The slide's *wrong* update: each coordinate uses a gradient that already
    sees the coordinates updated before it in the same sweep."""
    flat = theta.reshape(-1)
    for k in range(flat.size):
        grad = kernel(theta, X, y, lam)[1]
        flat[k] -= lr * grad.reshape(-1)[k]
    return theta


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
        kernel = _binary_kernel
        y = check_binary_labels(y, m)
        theta = np.zeros(d) if theta0 is None else check_theta(theta0, d, "theta0").copy()
    else:
        K = check_scalar(n_classes, "n_classes", low=2, integer=True,
                         hint="Use None for binary labels 0/1.")
        kernel = _multinomial_kernel
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
        y_val = (check_binary_labels(y_val, X_val.shape[0], "y_val") if kernel is _binary_kernel
                 else check_class_labels(y_val, X_val.shape[0], theta.shape[0], "y_val"))
    if patience is not None:
        patience = check_scalar(patience, "patience", low=0, integer=True)
        if X_val is None:
            raise ValueError("patience needs validation data: pass X_val and y_val, "
                             "or set patience=None.")

    # Rows per step and the budget.
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
    gen = as_rng(rng)

    thetas, steps, seen, losses, gnorms, vlosses = [], [], [], [], [], []
    best_index, best_val, since_best = None, np.inf, 0
    status, message = "max_steps", ""

    def record(step, loss, grad):
        nonlocal best_index, best_val, since_best
        thetas.append(theta.copy())
        steps.append(step)
        seen.append(step * batch_size if method != "batch" else step * m)
        losses.append(loss)
        gnorms.append(_norm(grad))
        val = None
        if X_val is not None:
            val = float(kernel(theta, X_val, y_val, 0.0, need_grad=False)[0])
            vlosses.append(val)
            if val < best_val - 1e-12:
                best_val, best_index, since_best = val, len(thetas) - 1, 0
            else:
                since_best += 1
        if callback is not None:
            callback({"step": step, "epoch": step / steps_per_epoch, "loss": loss,
                      "val_loss": val, "grad_norm": gnorms[-1]})

    order = np.arange(m)
    step = 0
    with np.errstate(over="ignore", invalid="ignore"):
        loss, grad = kernel(theta, X, y, lam)
        record(0, float(loss), grad)
        while True:
            # Stopping tests at a record point.
            if len(steps) and steps[-1] == step:
                if tol > 0 and gnorms[-1] < tol:
                    status = "converged"
                    message = (f"Converged after {step} steps: the gradient norm "
                               f"{stable_text(gnorms[-1], '.2e')} fell below tol = {tol:g}.")
                    break
                if patience is not None and since_best > patience:
                    status = "early_stopped"
                    message = (f"Stopped early after {step} steps: the validation loss did not "
                               f"improve for {since_best} checks in a row (patience {patience}); "
                               f"theta restored to step {steps[best_index]}, validation loss "
                               f"{stable_text(best_val, '.4f')}.")
                    break
            if step >= max_steps:
                message = (f"Ran all {max_steps} steps without meeting the stopping rule "
                           f"(gradient norm {stable_text(gnorms[-1], '.2e')}, tol {tol:g}).")
                break
            # One update.
            if method == "batch":
                if update == "sequential":
                    theta = _sequential_step(kernel, theta, X, y, lam, lr)
                else:
                    if grad is None:
                        grad = kernel(theta, X, y, lam)[1]
                    theta = theta - lr * grad
            else:
                pos = (step % steps_per_epoch) * batch_size
                if pos == 0:
                    order = gen.permutation(m)
                rows = order[pos:pos + batch_size]
                theta = theta - lr * kernel(theta, X[rows], y[rows], lam)[1]
            grad = None
            step += 1
            norm = _norm(theta)
            if not np.isfinite(norm) or norm > max_norm:
                status = "diverged"
                message = (f"Diverged at step {step}: ||theta|| reached {stable_text(norm, '.2e')} "
                           f"(limit {max_norm:g}). The learning rate lr = {lr:g} is too large "
                           f"for this problem; try a smaller one.")
                # keep the blown-up point in the history, with its loss if finite
                thetas.append(theta.copy())
                steps.append(step)
                seen.append(seen[-1] + (m if method == "batch" else batch_size))
                with np.errstate(all="ignore"):
                    bad_loss = float(kernel(theta, X, y, lam, need_grad=False)[0])
                losses.append(bad_loss if np.isfinite(bad_loss) else np.inf)
                gnorms.append(np.inf)
                if X_val is not None:
                    vlosses.append(np.inf)
                break
            if step % record_every == 0:
                loss, grad = kernel(theta, X, y, lam)
                record(step, float(loss), grad)

    final = thetas[best_index].copy() if status == "early_stopped" else theta.copy()
    return Trajectory(
        theta=final, thetas=np.array(thetas), steps=np.array(steps),
        examples_seen=np.array(seen), losses=np.array(losses), grad_norms=np.array(gnorms),
        val_losses=np.array(vlosses) if X_val is not None else None,
        best_index=best_index, status=status, message=message,
        settings={"method": method, "lr": lr, "lam": lam, "batch_size": batch_size,
                  "max_steps": max_steps, "tol": tol, "patience": patience,
                  "update": update},
    )


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
