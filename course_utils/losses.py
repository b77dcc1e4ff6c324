"""Cross-entropy losses of logistic regression, with the lecture's L2 term.

Conventions:

* ``X`` already carries the dummy feature: column 0 is all ones (see
  :func:`course_utils.functions.add_intercept`). ``X`` may be dense or SciPy sparse.
* Binary: ``theta`` has shape ``(n + 1,)``; labels ``y`` are 0 or 1.
* Multinomial: ``Theta`` has shape ``(K, n + 1)``, row k is theta_k; labels are 0..K-1.
* The loss to minimise is the *mean* cross-entropy plus the L2 penalty, which skips
  the intercept (the slide's sum starts at j = 1)::

      J(theta) = (1/m) sum_i CE_i + lam * sum_{j >= 1} theta_j^2

  and its gradient is ``(1/m) sum_i x_i (p_i - y_i) + 2 lam theta~`` where theta~ is
  theta with theta_0 set to 0. The multinomial case is the same, row by row.

Everything is computed from the logits with ``logaddexp`` / log-sum-exp, so the loss
is finite and warning-free even for scores of 1e4.

Three layers, from the inside out:

* :func:`binary_objective` and :func:`multinomial_objective` compute J and its
  gradient on inputs that are already checked. They are what the package itself
  runs in its inner loops (the optimiser, the explorers, the figures);
* the public trio per model (``binary_cross_entropy``, ``..._grad``, ``..._and_grad``
  and their multinomial twins) checks its inputs on every call, then runs the
  objective: what a student calls;
* :func:`predict` and :func:`predict_proba` turn parameters into classes and
  probabilities, for either model.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ._checks import (as_float_array, check_binary_labels, check_class_labels, check_lam,
                      check_theta, check_Theta, check_X)
from .functions import sigmoid, softmax

__all__ = ["binary_cross_entropy", "binary_cross_entropy_grad",
           "binary_cross_entropy_and_grad", "multinomial_cross_entropy",
           "multinomial_cross_entropy_grad", "multinomial_cross_entropy_and_grad",
           "predict", "predict_proba"]


# --------------------------------------------------------------------------- objectives

def binary_objective(theta, X, y, lam, *, need_grad=True):
    """J(theta) of the binary model and its gradient, on inputs already checked.

    The package's inner loops call this; students call :func:`binary_cross_entropy`
    and friends, which check their inputs first and then call this.

    Conventions (the caller guarantees them; nothing is checked here):

    * ``theta`` is a float64 array of shape ``(n + 1,)``; ``X`` a float64 array or
      CSR matrix of shape ``(m, n + 1)`` with the dummy column first, ``m >= 1``;
      ``y`` a float64 (or integer) array of shape ``(m,)`` holding 0 and 1;
      ``lam`` a float >= 0;
    * non-finite inputs or overflowing scores give a non-finite result, possibly with
      a NumPy warning; the caller decides what that means (see ``np.errstate``).

    Returns
    -------
    loss : numpy float
        J(theta), the mean cross-entropy plus ``lam * sum_{j >= 1} theta_j^2``.
    grad : ndarray of shape (n + 1,), or None
        dJ/dtheta (a new array the caller may modify); None when ``need_grad=False``,
        which skips the work of the gradient.

    Examples
    --------
    >>> loss, grad = binary_objective(np.array([0.04, 0.5]), np.array([[1.0, 0.82]]),
    ...                               np.array([1.0]), 0.0)
    >>> round(float(loss), 4), np.round(grad, 2)   # the lecture's SGD quiz point
    (0.4932, array([-0.39, -0.32]))
    """
    m = X.shape[0]
    logits = X @ theta
    # -y log s(z) - (1 - y) log(1 - s(z)) = log(1 + e^z) - y z
    softplus = np.logaddexp(0.0, logits)
    W = theta[1:]
    loss = (softplus.sum() - y @ logits) / m + lam * (W @ W)
    if not need_grad:
        return loss, None
    # sigmoid(z) = exp(z - log(1 + e^z)): reuses the softplus, and the exponent is <= 0
    residual = np.exp(logits - softplus) - y
    grad = np.asarray(X.T @ residual).ravel() / m
    grad[1:] += 2.0 * lam * W
    return loss, grad


def multinomial_objective(Theta, X, y, lam, *, need_grad=True):
    """J(Theta) of the multinomial model and its gradient, on inputs already checked.

    The package's inner loops call this; students call
    :func:`multinomial_cross_entropy` and friends, which check their inputs first.

    Conventions (the caller guarantees them; nothing is checked here):

    * ``Theta`` is a float64 array of shape ``(K, n + 1)`` with ``K >= 2``; ``X`` a
      float64 array or CSR matrix of shape ``(m, n + 1)`` with the dummy column
      first, ``m >= 1``; ``y`` an integer array of shape ``(m,)`` with entries
      0..K-1 (it indexes rows); ``lam`` a float >= 0;
    * non-finite inputs or overflowing scores give a non-finite result, possibly with
      a NumPy warning; the caller decides what that means (see ``np.errstate``).

    Returns
    -------
    loss : numpy float
        J(Theta), the mean cross-entropy plus ``lam * sum_k sum_{j >= 1} Theta_kj^2``.
    grad : ndarray of shape (K, n + 1), or None
        dJ/dTheta (a new array the caller may modify); None when ``need_grad=False``.

    Examples
    --------
    >>> loss, grad = multinomial_objective(np.zeros((4, 3)), np.array([[1.0, 2.0, 3.0]]),
    ...                                    np.array([2]), 0.0)
    >>> round(float(loss), 4), grad.shape       # log 4: four equally likely classes
    (1.3863, (4, 3))
    """
    m = X.shape[0]
    rows = np.arange(m)
    # The logits are kept transposed, shape (K, m): the reductions over the K classes
    # then run along contiguous memory, which is much faster than along the rows of
    # an (m, K) array.
    if sp.issparse(X):
        zt = np.ascontiguousarray((X @ Theta.T).T)
    else:
        zt = Theta @ X.T
    picked = zt[y, rows].sum()            # sum_i z_{i, y_i}
    shift = zt.max(axis=0)
    zt -= shift
    np.exp(zt, out=zt)                    # exp(z - max): every exponent <= 0
    total = zt.sum(axis=0)
    # CE_i = logsumexp(z_i) - z_{i, y_i}, logsumexp = max + log(sum exp(z - max))
    W = Theta[:, 1:]
    loss = (shift.sum() + np.log(total).sum() - picked) / m + lam * np.sum(W * W)
    if not need_grad:
        return loss, None
    zt /= total                           # probs, transposed
    zt[y, rows] -= 1.0                    # probs - Y (one-hot)
    grad = np.asarray(X.T @ zt.T).T if sp.issparse(X) else zt @ X
    grad /= m
    grad[:, 1:] += 2.0 * lam * W
    return loss, grad


# The names these objectives had before they were documented for use across the package.
_binary_kernel = binary_objective
_multinomial_kernel = multinomial_objective


def _checked(objective, args, need_grad=True):
    """Run an objective on checked arguments. A dense X is scanned for NaN and inf only
    when the result is not finite: a non-finite entry of X always makes some logit
    non-finite, so the cheap check on the result replaces a full pass over X."""
    with np.errstate(all="ignore"):
        loss, grad = objective(*args, need_grad=need_grad)
    if np.isfinite(loss) and (grad is None or np.all(np.isfinite(grad))):
        return float(loss), grad
    check_X(args[1])   # names the NaN or inf in X, if that is the cause
    theta, lam = args[0], args[3]
    with np.errstate(all="ignore"):
        squares = np.sum(theta[..., 1:] ** 2)
        penalty, slope = lam * squares, 2.0 * lam * np.max(np.abs(theta[..., 1:]), initial=1.0)
    if np.isfinite(squares) and not (np.isfinite(penalty) and np.isfinite(slope)):
        raise ValueError(f"lam = {lam:g} is too large: the L2 term lam * sum_j theta_j^2 or its "
                         f"gradient 2 lam theta overflows float64. Use a much smaller lam "
                         f"(the course's explorers go up to 10).")
    raise ValueError("The scores theta . x overflowed (the loss is not finite): X or theta "
                     "has entries too large for float64. Scale the features of X.")


# --------------------------------------------------------------------------- binary

def _check_binary(theta, X, y, lam):
    X = check_X(X, finite=False)
    theta = check_theta(theta, X.shape[1])
    y = check_binary_labels(y, X.shape[0])
    return theta, X, y, check_lam(lam)


def binary_cross_entropy(theta, X, y, lam=0.0):
    """Mean binary cross-entropy plus the L2 penalty.

    J(theta) = (1/m) sum_i [ -y_i log sigmoid(theta . x_i) - (1 - y_i) log(1 - sigmoid(theta . x_i)) ]
               + lam * sum_{j >= 1} theta_j^2

    Parameters
    ----------
    theta : array_like, shape (n + 1,)
        Weights; ``theta[0]`` multiplies the dummy feature and is not penalised.
    X : array_like or sparse matrix, shape (m, n + 1)
        Data with the dummy column of ones first.
    y : array_like, shape (m,)
        Labels, 0 or 1.
    lam : float, default 0
        L2 strength lambda >= 0.

    Returns
    -------
    float

    Examples
    --------
    >>> X = [[1.0, 0.82]]                     # the lecture's SGD quiz point
    >>> round(binary_cross_entropy([0.04, 0.5], X, [1]), 4)
    0.4932
    """
    return _checked(binary_objective, _check_binary(theta, X, y, lam), need_grad=False)[0]


def binary_cross_entropy_grad(theta, X, y, lam=0.0):
    """Gradient of :func:`binary_cross_entropy` with respect to theta.

    dJ/dtheta_k = (1/m) sum_i x_ik (sigmoid(theta . x_i) - y_i) + 2 lam theta_k   (k >= 1)

    and without the penalty term for k = 0.

    Examples
    --------
    >>> np.round(binary_cross_entropy_grad([0.04, 0.5], [[1.0, 0.82]], [1]), 2)
    array([-0.39, -0.32])
    """
    return _checked(binary_objective, _check_binary(theta, X, y, lam))[1]


def binary_cross_entropy_and_grad(theta, X, y, lam=0.0):
    """Loss and gradient in one pass (they share the logits). Returns ``(float, ndarray)``.

    Examples
    --------
    >>> loss, grad = binary_cross_entropy_and_grad([0.0, 0.0], [[1.0, 2.0]], [0])
    >>> round(loss, 4), grad.tolist()
    (0.6931, [0.5, 1.0])
    """
    return _checked(binary_objective, _check_binary(theta, X, y, lam))


# --------------------------------------------------------------------------- multinomial

def _check_multinomial(Theta, X, y, lam):
    X = check_X(X, finite=False)
    Theta = check_Theta(Theta, X.shape[1])
    y = check_class_labels(y, X.shape[0], Theta.shape[0])
    return Theta, X, y, check_lam(lam)


def multinomial_cross_entropy(Theta, X, y, lam=0.0):
    """Mean multinomial cross-entropy plus the L2 penalty.

    J(Theta) = (1/m) sum_i [ -log softmax(Theta x_i)_{y_i} ] + lam * sum_k sum_{j >= 1} Theta_kj^2

    with -log softmax(z)_k = logsumexp(z) - z_k.

    Parameters
    ----------
    Theta : array_like, shape (K, n + 1)
        One row of weights per class; column 0 (intercepts) is not penalised.
    X : array_like or sparse matrix, shape (m, n + 1)
        Data with the dummy column of ones first.
    y : array_like of int, shape (m,)
        Class indices 0..K-1.
    lam : float, default 0
        L2 strength lambda >= 0.

    Examples
    --------
    >>> Theta = np.zeros((4, 3))
    >>> round(multinomial_cross_entropy(Theta, [[1.0, 2.0, 3.0]], [2]), 4)   # log 4
    1.3863
    """
    return _checked(multinomial_objective, _check_multinomial(Theta, X, y, lam), need_grad=False)[0]


def multinomial_cross_entropy_grad(Theta, X, y, lam=0.0):
    """Gradient of :func:`multinomial_cross_entropy`: a matrix the shape of Theta.

    dJ/dtheta_k = (1/m) sum_i x_i (p_ik - [y_i = k]) + 2 lam theta~_k

    where p_ik = softmax(Theta x_i)_k and theta~_k is theta_k with its intercept set to 0.
    For one example this is x (softmax - 1) for the true class and x softmax otherwise,
    as on the slides.

    Examples
    --------
    >>> np.round(multinomial_cross_entropy_grad(np.zeros((2, 2)), [[1.0, 2.0]], [0]), 2)
    array([[-0.5, -1. ],
           [ 0.5,  1. ]])
    """
    return _checked(multinomial_objective, _check_multinomial(Theta, X, y, lam))[1]


def multinomial_cross_entropy_and_grad(Theta, X, y, lam=0.0):
    """Loss and gradient in one pass. Returns ``(float, ndarray of shape (K, n + 1))``.

    Examples
    --------
    >>> loss, grad = multinomial_cross_entropy_and_grad(np.zeros((2, 2)), [[1.0, 2.0]], [1])
    >>> round(loss, 4), grad.shape
    (0.6931, (2, 2))
    """
    return _checked(multinomial_objective, _check_multinomial(Theta, X, y, lam))


# --------------------------------------------------------------------------- prediction

def _check_parameters(theta_or_Theta, X):
    X = check_X(X)
    params = as_float_array(theta_or_Theta, "theta_or_Theta", ndim=(1, 2), finite=False)
    if params.ndim == 1:
        return check_theta(params, X.shape[1]), X
    return check_Theta(params, X.shape[1]), X


def _scores(params, X):
    """The logits: X @ theta, shape (m,), or X @ Theta.T, shape (m, K); may hold +-inf or
    NaN when X and theta are huge (1e308): callers check, no NumPy warning leaks."""
    with np.errstate(over="ignore", invalid="ignore"):
        return np.asarray(X @ params.T)


def _pow2_scale(a, axis=None):
    """A power of two near max |a| (per row with ``axis``): dividing by it is exact."""
    top = np.max(np.abs(a), axis=axis, keepdims=axis is not None) if a.size else 1.0
    top = np.where(top > 0, top, 1.0)
    return np.ldexp(1.0, np.frexp(top)[1] - 1)   # 2**(e-1) <= top < 2**e: no overflow


def _order_scores(params, X):
    """Scores with the same sign (binary) and row-wise order (K classes) as the logits,
    finite even when the logits overflow: X's rows and theta are first divided by
    powers of two, which changes no ordering."""
    scores = _scores(params, X)
    if np.all(np.isfinite(scores)):
        return scores
    Xd = X.toarray() if sp.issparse(X) else X
    return _scores(params / _pow2_scale(params), Xd / _pow2_scale(Xd, axis=1))


def predict(theta_or_Theta, X):
    """The class each row of X is given: the most probable one.

    * binary, ``theta`` of shape ``(n + 1,)``: y_hat = 1 when theta . x > 0, that is
      when sigmoid(theta . x) > 0.5, else 0. A point on the boundary gets 0;
    * K classes, ``Theta`` of shape ``(K, n + 1)``: y_hat = argmax_k theta_k . x (the
      first such k on a tie). The softmax is not needed: it keeps the order of the
      scores.

    Parameters
    ----------
    theta_or_Theta : array_like, shape (n + 1,) or (K, n + 1)
        Binary weights ``theta`` or one row of weights per class ``Theta``.
    X : array_like or sparse matrix, shape (m, n + 1)
        Data with the dummy column of ones first.

    Returns
    -------
    ndarray of int64, shape (m,)
        0 or 1 (binary), 0..K-1 (K classes).

    Examples
    --------
    >>> X = [[1.0, 3.0, 2.0], [1.0, 1.0, 1.0]]
    >>> predict([-1.0, 2.0, -3.0], X)        # theta . x = -1 and -2: both class 0
    array([0, 0])
    >>> predict([[0.0, 0.0, 0.0], [0.0, 1.0, -1.0]], X)
    array([1, 0])
    """
    params, X = _check_parameters(theta_or_Theta, X)
    scores = _order_scores(params, X)
    if params.ndim == 1:
        return (scores > 0).astype(np.int64)
    return np.argmax(scores, axis=1).astype(np.int64)


def predict_proba(theta_or_Theta, X):
    """The model's probabilities for each row of X.

    * binary, ``theta`` of shape ``(n + 1,)``: P(y = 1 given x) = sigmoid(theta . x),
      shape ``(m,)``;
    * K classes, ``Theta`` of shape ``(K, n + 1)``: P(y = k given x) =
      softmax(Theta x)_k, shape ``(m, K)``, each row summing to 1.

    Computed from the logits without overflow, so huge scores give probabilities of
    exactly 0 or 1 and no warning.

    Parameters
    ----------
    theta_or_Theta : array_like, shape (n + 1,) or (K, n + 1)
    X : array_like or sparse matrix, shape (m, n + 1)
        Data with the dummy column of ones first.

    Returns
    -------
    ndarray, shape (m,) or (m, K)

    Examples
    --------
    >>> np.round(predict_proba([-1.0, 2.0, -3.0], [[1.0, 3.0, 2.0]]), 2)   # sigmoid(-1)
    array([0.27])
    >>> np.round(predict_proba([[0.0, 0.0], [0.0, 1.0]], [[1.0, 0.0], [1.0, 1.0]]), 4)
    array([[0.5   , 0.5   ],
           [0.2689, 0.7311]])
    """
    params, X = _check_parameters(theta_or_Theta, X)
    scores = _scores(params, X)
    if not np.all(np.isfinite(scores)):
        raise ValueError("The scores theta . x overflow float64: X or theta has entries too "
                         "large (up to 1e308). Scale the features of X.")
    return sigmoid(scores) if params.ndim == 1 else softmax(scores, axis=1)
