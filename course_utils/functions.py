"""The elementary functions of logistic regression, computed stably.

Every function works from *logits* (scores ``z``) and never forms ``exp(z)`` for a
large positive ``z``: the course's rule is "no overflow, no RuntimeWarning, a finite
answer for |z| up to 1e4".
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ._checks import MAX_CLASSES, as_float_array, check_class_labels, check_flag, check_scalar

#: Most entries :func:`one_hot` builds (800 MB of float64).
_MAX_ONE_HOT = 100_000_000

__all__ = ["sigmoid", "log_sigmoid", "softmax", "log_softmax", "logsumexp",
           "add_intercept", "one_hot"]


def _check_axis(axis, ndim: int) -> int:
    axis = check_scalar(axis, "axis", integer=True)
    if not -ndim <= axis < ndim:
        raise ValueError(f"axis must be in [{-ndim}, {ndim - 1}] for a {ndim}-D z; got {axis}.")
    return axis


def sigmoid(z):
    """The logistic function.

    sigmoid(z) = 1 / (1 + exp(-z)) = exp(z) / (1 + exp(z))

    Evaluated as ``exp(-logaddexp(0, -z))``, which never overflows.

    Parameters
    ----------
    z : float or array_like
        Scores (logits), any shape.

    Returns
    -------
    float or ndarray
        Values in [0, 1], same shape as ``z``.

    Examples
    --------
    >>> round(float(sigmoid(-2.0)), 2)   # the lecture's film-review quiz
    0.12
    >>> float(sigmoid(0.0))
    0.5
    """
    z = as_float_array(z, "z")
    out = np.exp(-np.logaddexp(0.0, -z))
    return out[()] if out.ndim == 0 else out


def log_sigmoid(z):
    """log(sigmoid(z)), stable for any finite z.

    log sigmoid(z) = -log(1 + exp(-z)) = -logaddexp(0, -z)

    Examples
    --------
    >>> float(log_sigmoid(-1000.0))
    -1000.0
    """
    z = as_float_array(z, "z")
    out = -np.logaddexp(0.0, -z)
    return out[()] if out.ndim == 0 else out


def _scores(z, axis):
    """z as a float array of 1-3 dimensions with a non-empty class axis, and that axis."""
    z = as_float_array(z, "z", ndim=(1, 2, 3))
    axis = _check_axis(axis, z.ndim)
    if z.shape[axis] == 0:
        raise ValueError(f"z must hold at least one score along axis {axis}; got shape "
                         f"{z.shape}. A distribution over no classes does not exist.")
    return z, axis


def _shift_by_max(z, axis):
    """(z - max z, max z) along ``axis``; the difference may overflow to -inf (exp -> 0)."""
    c = np.max(z, axis=axis, keepdims=True)
    with np.errstate(over="ignore"):          # 1e308 - (-1e308): -inf, whose exp is 0
        return z - c, c


def _log1p_rest(shifted, axis):
    """log(sum_k exp(shifted_k)) for shifted <= 0 with one entry 0, as log1p(rest).

    The term of the maximum is exp(0) = 1 exactly; adding the others to it first would
    round away everything below 1e-16, so they are summed on their own and passed to
    log1p (as SciPy's logsumexp does): log(1 + 4.2e-18) comes out as 4.2e-18, not 0.
    """
    e = np.exp(shifted)
    top = np.argmax(shifted, axis=axis)
    np.put_along_axis(e, np.expand_dims(top, axis), 0.0, axis=axis)
    return np.log1p(np.sum(e, axis=axis, keepdims=True))


def logsumexp(z, axis: int = -1, keepdims: bool = False):
    """log(sum_k exp(z_k)) along ``axis``, without overflow.

    logsumexp(z) = c + log(1 + sum_{k != k*} exp(z_k - c)),  with c = z_k* = max_k z_k

    The sum leaves out the maximum's own term (exactly 1) and goes through ``log1p``, so
    a result close to c keeps its relative precision.

    Examples
    --------
    >>> float(logsumexp([1000.0, 1000.0]))  # doctest: +ELLIPSIS
    1000.693147...
    >>> float(logsumexp([0.0, -40.0]))      # log(1 + e^-40), not 0.0  # doctest: +ELLIPSIS
    4.24835425529...e-18
    """
    z, axis = _scores(z, axis)
    keepdims = check_flag(keepdims, "keepdims")
    shifted, c = _shift_by_max(z, axis)
    out = c + _log1p_rest(shifted, axis)
    if not keepdims:
        out = np.squeeze(out, axis=axis)
    return out[()] if out.ndim == 0 else out


def log_softmax(z, axis: int = -1):
    """log softmax(z) = z - logsumexp(z), along ``axis``.

    Computed as (z - c) - log(1 + sum_{k != k*} exp(z_k - c)), c = max_k z_k, so that the
    largest class keeps its precision when its probability is close to 1. A score so far
    below the maximum that z_k - c is beyond float64 (``[1e308, -1e308]``) gets -inf, the
    log of a probability float64 cannot hold, without a warning.

    Examples
    --------
    >>> np.round(log_softmax([0.0, 0.0]), 4)
    array([-0.6931, -0.6931])
    >>> float(log_softmax([0.0, -40.0])[0])  # log(1 - 4.2e-18)  # doctest: +ELLIPSIS
    -4.24835425529...e-18
    """
    z, axis = _scores(z, axis)
    shifted, _ = _shift_by_max(z, axis)
    return shifted - _log1p_rest(shifted, axis)


def softmax(z, axis: int = -1):
    """Normalise scores into a probability distribution along ``axis``.

    softmax(z)_k = exp(z_k) / sum_j exp(z_j) = exp(z_k - logsumexp(z))

    Subtracting the maximum first means no ``exp`` ever sees a positive number.

    Parameters
    ----------
    z : array_like, 1-D, 2-D or 3-D
        Scores; for a batch of logits of shape (m, K), each row is one example.
    axis : int
        The class axis (default: the last).

    Examples
    --------
    >>> np.round(softmax([1.45, 0.33, -0.12, 0.01]), 4)   # the lecture's example
    array([0.5646, 0.1842, 0.1175, 0.1338])
    """
    z, axis = _scores(z, axis)
    shifted, _ = _shift_by_max(z, axis)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def add_intercept(X):
    """Prepend the dummy feature x_0 = 1 to every row of X.

    x = (x_1, ..., x_n)  ->  x = (1, x_1, ..., x_n)

    Dense in, dense out; sparse in, sparse (CSR) out.

    Examples
    --------
    >>> add_intercept([[0.0, 1.0, 0.0, 0.02]])   # the lecture's spam e-mail
    array([[1.  , 0.  , 1.  , 0.  , 0.02]])
    """
    if sp.issparse(X):
        X = as_float_array(X, "X", allow_sparse=True)
        if X.ndim != 2:
            raise ValueError(f"X must be 2-D (examples x features); got shape {X.shape}.")
        ones = sp.csr_matrix(np.ones((X.shape[0], 1)))
        return sp.hstack([ones, X], format="csr")
    X = as_float_array(X, "X", ndim=(1, 2))
    if X.ndim == 1:
        raise ValueError(
            f"X must be 2-D (examples x features); got a 1-D array of shape {X.shape}. "
            f"For a single example use X.reshape(1, -1); for one feature, X.reshape(-1, 1)."
        )
    return np.hstack([np.ones((X.shape[0], 1)), X])


def one_hot(y, K: int):
    """Encode integer labels 0..K-1 as indicator rows: Y[i, k] = 1 if y_i = k else 0.

    Examples
    --------
    >>> one_hot([0, 2, 1], 3)
    array([[1., 0., 0.],
           [0., 0., 1.],
           [0., 1., 0.]])
    """
    K = check_scalar(K, "K", low=1, high=MAX_CLASSES, integer=True,
                     hint="K is the number of classes.")
    y_int = check_class_labels(y, None, K)
    if y_int.shape[0] * K > _MAX_ONE_HOT:
        raise ValueError(f"one_hot would build {y_int.shape[0]} x {K} = {y_int.shape[0] * K} "
                         f"entries, more than the limit {_MAX_ONE_HOT}; index the labels "
                         f"directly instead of one-hot encoding them.")
    Y = np.zeros((y_int.shape[0], K))
    Y[np.arange(y_int.shape[0]), y_int] = 1.0
    return Y
