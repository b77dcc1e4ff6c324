"""Checking a gradient formula against finite differences.

A derivation is only as good as its check. The central difference

    df/dtheta_j ~ (f(theta + eps e_j) - f(theta - eps e_j)) / (2 eps)

has error O(eps^2), so with eps = 1e-6 it agrees with an exact gradient to about
1e-9 in relative terms for the smooth losses of this course.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_float_array, check_scalar

__all__ = ["numerical_gradient", "relative_error", "check_gradient"]


def numerical_gradient(f, theta, eps=1e-6):
    """Central-difference gradient of a scalar function ``f`` at ``theta``.

    g_j = (f(theta + eps e_j) - f(theta - eps e_j)) / (2 eps)

    Parameters
    ----------
    f : callable
        Takes an array shaped like ``theta`` and returns a float.
    theta : array_like
        Point of evaluation, any shape (a vector or a K x (n+1) matrix).
    eps : float, default 1e-6
        Step size.

    Returns
    -------
    ndarray, same shape as theta

    Examples
    --------
    >>> np.round(numerical_gradient(lambda t: float(np.sum(t ** 2)), [1.0, -2.0]), 6)
    array([ 2., -4.])
    """
    if not callable(f):
        raise TypeError(f"f must be a callable that maps theta to a float; got {type(f).__name__}.")
    theta = as_float_array(theta, "theta")
    eps = check_scalar(eps, "eps", low=0.0, low_inclusive=False,
                       hint="Use a small positive step such as 1e-6.")
    grad = np.empty_like(theta)
    point = theta.copy()
    flat_point, flat_grad = point.reshape(-1), grad.reshape(-1)
    if not np.isfinite(2.0 * eps) or not np.all(np.isfinite(np.abs(theta) + eps)):
        raise ValueError(f"theta +- eps leaves float64's range (eps = {eps:g}, largest |theta| "
                         f"{np.max(np.abs(theta), initial=0.0):g}); use a smaller eps or theta.")
    for j in range(flat_point.size):
        old = flat_point[j]
        flat_point[j] = old + eps
        f_plus = _value(f, point)
        flat_point[j] = old - eps
        f_minus = _value(f, point)
        flat_point[j] = old
        flat_grad[j] = (f_plus - f_minus) / (2.0 * eps)   # Python floats: no NumPy warning
    return grad


def _value(f, point):
    """f(point) as a Python float, or a TypeError that names f."""
    try:
        out = f(point)
    except TypeError as exc:
        raise TypeError(f"f must be a function of theta that returns the loss; calling "
                        f"f(theta) failed: {exc}") from exc
    if isinstance(out, (bool, np.bool_, complex, np.complexfloating, str, bytes)) or np.ndim(out):
        raise TypeError(f"f must return one real number (the loss); got {_describe_out(out)}.")
    try:
        return float(out)
    except (TypeError, ValueError):
        raise TypeError(f"f must return one real number (the loss); got "
                        f"{_describe_out(out)}.") from None


def _describe_out(out):
    return f"{type(out).__name__} of shape {np.shape(out)}" if np.ndim(out) else repr(out)[:60]


def relative_error(a, b):
    """||a - b|| / max(||a||, ||b||, 1e-300), with the Euclidean norm over all entries.

    Scale-free: 1e-7 means "agrees to about seven significant digits". Norms rather
    than entry-by-entry ratios, so that an entry that is zero up to rounding noise
    does not dominate.

    Examples
    --------
    >>> relative_error([1.0, 2.0], [1.0, 2.0])
    0.0
    >>> round(relative_error([1.0], [1.01]), 4)
    0.0099
    """
    a = as_float_array(a, "a")
    b = as_float_array(b, "b")
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape; got {a.shape} and {b.shape}.")
    with np.errstate(over="ignore", invalid="ignore"):
        denom = max(np.linalg.norm(a), np.linalg.norm(b), 1e-300)
        out = float(np.linalg.norm(a - b) / denom)
    if np.isfinite(denom) and np.isfinite(out):
        return out
    # entries near 1e308: divide both by one power of two (exact) and compare again
    scale = np.ldexp(1.0, np.frexp(max(np.max(np.abs(a)), np.max(np.abs(b))))[1] - 1)
    a, b = a / scale, b / scale
    denom = max(np.linalg.norm(a), np.linalg.norm(b), 1e-300 / scale)
    return float(np.linalg.norm(a - b) / denom)


def check_gradient(f, grad_f, theta, eps=1e-6):
    """Relative error between an analytic gradient ``grad_f(theta)`` and the numerical one.

    Examples
    --------
    >>> check_gradient(lambda t: float(t @ t), lambda t: 2 * t, np.array([0.5, -1.5])) < 1e-8
    True
    """
    if not callable(grad_f):
        raise TypeError(
            f"grad_f must be a callable that maps theta to its gradient; got {type(grad_f).__name__}."
        )
    theta = as_float_array(theta, "theta")
    return relative_error(grad_f(theta.copy()), numerical_gradient(f, theta, eps))
