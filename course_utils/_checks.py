"""Input checks shared by the public functions.

Every check raises ``TypeError`` or ``ValueError`` with a message that names the
argument, says what was expected, what was given, and how to fix it. Nothing here
uses ``assert``: checks must survive ``python -O``.
"""

from __future__ import annotations

import numbers

import numpy as np
import scipy.sparse as sp


def _describe(value) -> str:
    if isinstance(value, np.ndarray) or sp.issparse(value):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    return f"{type(value).__name__} {value!r}"[:120]


def _check_ndim(arr, name, ndim, kind):
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else ndim
        if arr.ndim not in allowed:
            want = " or ".join(f"{d}-D" for d in allowed)
            raise ValueError(f"{name} must be {want}; got {kind} of shape {arr.shape}.")


def as_float_array(value, name: str, *, ndim: int | tuple[int, ...] | None = None,
                   allow_sparse: bool = False, finite: bool = True):
    """Return ``value`` as a float64 array (or CSR matrix when sparse is allowed)."""
    if sp.issparse(value):
        if not allow_sparse:
            raise TypeError(
                f"{name} must be a dense NumPy array; got a SciPy sparse matrix. "
                f"Convert it with {name}.toarray() if it is small."
            )
        value = sp.csr_matrix(value, dtype=np.float64)
        _check_ndim(value, name, ndim, "a sparse matrix")
        if finite and not np.all(np.isfinite(value.data)):
            raise ValueError(f"{name} contains NaN or infinite entries; remove or impute them first.")
        return value
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be an array of numbers; got {_describe(value)}.")
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must be an array of numbers; got {_describe(value)} that cannot be "
            f"converted to float."
        ) from None
    _check_ndim(arr, name, ndim, "an array")
    if finite and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite entries; remove or impute them first.")
    return arr


def check_X(X, name: str = "X", *, allow_sparse: bool = True, finite: bool = True):
    """A 2-D design matrix, dense or sparse, float64, finite.

    ``finite=False`` skips the scan of X for NaN and inf; the caller must then check
    its result (see ``losses._checked``)."""
    X = as_float_array(X, name, ndim=2, allow_sparse=allow_sparse, finite=finite)
    if X.shape[0] == 0:
        raise ValueError(f"{name} has no rows; pass at least one example.")
    return X


def check_binary_labels(y, m: int, name: str = "y") -> np.ndarray:
    y = as_float_array(y, name, ndim=1)
    if y.shape[0] != m:
        raise ValueError(
            f"{name} must have one label per row of X, shape ({m},); got shape {y.shape}."
        )
    bad = ~np.isin(y, (0.0, 1.0))
    if bad.any():
        raise ValueError(
            f"{name} must contain only 0 and 1 (binary labels); got {y[bad][0]!r}. "
            f"Map your classes onto 0 and 1 first."
        )
    return y


def check_class_labels(y, m: int | None, K: int, name: str = "y") -> np.ndarray:
    """Integer labels 0..K-1; one per row of X when ``m`` is given."""
    if isinstance(y, np.ndarray) and y.dtype.kind in "iu" and y.ndim == 1:
        y_arr = y                      # already integers: only the range is left to check
    else:
        y_arr = as_float_array(y, name, ndim=1)
    if m is not None and y_arr.shape[0] != m:
        raise ValueError(
            f"{name} must have one label per row of X, shape ({m},); got shape {y_arr.shape}."
        )
    if y_arr.dtype.kind == "f" and not np.all(y_arr == np.round(y_arr)):
        raise ValueError(f"{name} must contain integer class indices 0..{K - 1}; got non-integers.")
    y_int = y_arr.astype(np.int64, copy=False)
    if y_int.size and (y_int.min() < 0 or y_int.max() >= K):
        bad = y_int[(y_int < 0) | (y_int >= K)][0]
        raise ValueError(
            f"{name} must contain class indices 0..{K - 1} (one per row of Theta); got {bad}."
        )
    return y_int


def check_theta(theta, n_cols: int, name: str = "theta") -> np.ndarray:
    theta = as_float_array(theta, name, ndim=1)
    if theta.shape != (n_cols,):
        raise ValueError(
            f"{name} must have shape ({n_cols},), one entry per column of X including the "
            f"dummy feature; got shape {theta.shape}."
        )
    return theta


def check_Theta(Theta, n_cols: int, name: str = "Theta") -> np.ndarray:
    Theta = as_float_array(Theta, name, ndim=2)
    if Theta.shape[1] != n_cols or Theta.shape[0] < 2:
        raise ValueError(
            f"{name} must have shape (K, {n_cols}): one row per class (K >= 2), one column per "
            f"column of X including the dummy feature; got shape {Theta.shape}."
        )
    return Theta


def check_scalar(value, name: str, *, low: float | None = None, high: float | None = None,
                 low_inclusive: bool = True, integer: bool = False, hint: str = ""):
    """A real (or integer) scalar in a range."""
    kind = "an integer" if integer else "a real number"
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or (
        integer and not isinstance(value, numbers.Integral)
    ):
        raise TypeError(f"{name} must be {kind}; got {_describe(value)}.")
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite; got {value!r}.")
    if low is not None and (value < low or (not low_inclusive and value == low)):
        op = ">=" if low_inclusive else ">"
        raise ValueError(f"{name} must be {op} {low}; got {value!r}.{(' ' + hint) if hint else ''}")
    if high is not None and value > high:
        raise ValueError(f"{name} must be <= {high}; got {value!r}.{(' ' + hint) if hint else ''}")
    return int(value) if integer else float(value)


def check_lam(lam) -> float:
    return check_scalar(lam, "lam", low=0.0,
                        hint="lam is the L2 strength; use 0 for no regularization.")


def as_rng(rng) -> np.random.Generator:
    """Accept a Generator, an int seed, or None (fresh entropy)."""
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or (isinstance(rng, numbers.Integral) and not isinstance(rng, bool)):
        if rng is not None and rng < 0:
            raise ValueError(f"rng must be a non-negative int seed; got {rng}.")
        return np.random.default_rng(rng)
    raise TypeError(
        f"rng must be a numpy.random.Generator, an int seed or None; got {_describe(rng)}."
    )
