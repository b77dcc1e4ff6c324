"""Input checks shared by the public functions.

Every check raises ``TypeError`` or ``ValueError`` with a message that names the
argument, says what was expected, what was given, and how to fix it. Nothing here
uses ``assert``: checks must survive ``python -O``.

Three rules the public functions share through these helpers:

* dtype before conversion: ``np.asarray(value)`` first, then complex numbers, text and
  other objects are refused (``as_float_array``), never coerced with a warning;
* labels checked in their own dtype before any cast (``as_labels``): 1e308, 2**63, -1,
  2.5 and NaN are refused by value, and a stray huge label never sizes an allocation;
* sizes and magnitudes bounded before allocating or multiplying (``MAX_CLASSES``,
  ``MAX_RESOLUTION``, ``check_magnitude``): a ValueError that states the limit.
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


#: Largest number of classes a function accepts (labels 0..MAX_CLASSES - 1): a stray label
#: such as 1e12 must be refused before anything of that size is allocated.
MAX_CLASSES = 10_000
#: Largest grid resolution (points per side) of a loss or decision-region grid.
MAX_RESOLUTION = 2_000


#: Largest |entry| accepted where entries are multiplied together (loss grids, weight
#: paths, pictures): a product of two such numbers stays far inside float64.
MAX_MAGNITUDE = 1e100


def check_magnitude(arr, name: str, *, limit: float = MAX_MAGNITUDE, hint: str = ""):
    """Refuse finite entries so large that the computation would overflow float64."""
    data = arr.data if sp.issparse(arr) else np.asarray(arr)
    top = float(np.max(np.abs(data), initial=0.0))
    if top > limit:
        raise ValueError(f"{name} has entries up to {top:.3g}, beyond +-{limit:g}: too large to "
                         f"compute with in float64 here. {hint or f'Scale {name} down.'}")
    return arr


def check_grid(extent, resolution):
    """A plotting box ``(a_min, a_max, b_min, b_max)`` and a grid size, both checked.

    Returns the box as a float array of shape (4,) and the resolution as an int in
    [2, MAX_RESOLUTION]: the one check behind every loss-surface grid.
    """
    ext = check_magnitude(as_float_array(extent, "extent", ndim=1), "extent")
    if ext.shape != (4,) or not (ext[0] < ext[1] and ext[2] < ext[3]):
        raise ValueError(f"extent must be (a_min, a_max, b_min, b_max) with min < max; "
                         f"got {tuple(ext)}.")
    resolution = check_scalar(resolution, "resolution", low=2, high=MAX_RESOLUTION,
                              integer=True)
    return ext, resolution


def _number_text(v) -> str:
    """A label or entry as a student would write it: 3, 2.5, 1e+308, 9223372036854775808."""
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if isinstance(v, (numbers.Integral, np.integer)):
        return str(int(v))
    if isinstance(v, (numbers.Real, np.floating)):
        return f"{float(v):g}"
    return repr(v)[:40]


def _numeric(value, name: str, *, allow_bool: bool = True) -> np.ndarray:
    """``value`` as a NumPy array of real numbers, its dtype checked before any conversion.

    Refuses complex numbers (their imaginary part would be dropped), text (``"0.5"`` is not
    a number here), objects that are not real numbers, ragged lists and, unless
    ``allow_bool``, booleans."""
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be an array of numbers; got {_describe(value)}.")
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must be an array of numbers; got {_describe(value)} that cannot be "
            f"converted to float (rows of different lengths?)."
        ) from None
    kind = raw.dtype.kind
    if kind == "c":
        raise TypeError(
            f"{name} must hold real numbers; got complex values (dtype {raw.dtype}). Pass "
            f"np.real({name}) or np.abs({name}) if one of those is what you mean."
        )
    if kind in "USa":
        first = raw.flat[0] if raw.size else ""
        raise TypeError(
            f"{name} must hold numbers, not text; got strings such as {str(first)[:20]!r}. "
            f"Convert them first, e.g. np.asarray({name}, dtype=float)."
        )
    if kind == "b" and not allow_bool:
        raise TypeError(f"{name} must hold numbers, not True/False; got an array of booleans. "
                        f"Pass the numbers you mean (e.g. {name}.astype(float)).")
    if kind in "iuf" or kind == "b":
        return raw
    if kind == "O":
        bad = [v for v in raw.ravel() if isinstance(v, (bool, np.bool_)) and not allow_bool
               or not isinstance(v, (numbers.Real, np.number)) or isinstance(v, complex)
               or np.iscomplexobj(v)]
        if not bad:
            try:
                return raw.astype(np.float64)
            except (TypeError, ValueError, OverflowError):
                pass
        what = _describe(bad[0]) if bad else "numbers too large for float64"
        raise TypeError(f"{name} must be an array of real numbers; got {what} inside "
                        f"{_describe(value)}.")
    raise TypeError(f"{name} must be an array of numbers; got {_describe(value)}.")


def as_float_array(value, name: str, *, ndim: int | tuple[int, ...] | None = None,
                   allow_sparse: bool = False, finite: bool = True, allow_bool: bool = True):
    """Return ``value`` as a float64 array (or CSR matrix when sparse is allowed).

    The dtype is checked before converting: complex numbers, text, other objects and (with
    ``allow_bool=False``) booleans are refused with a ``TypeError`` naming ``name``."""
    if sp.issparse(value):
        if not allow_sparse:
            raise TypeError(
                f"{name} must be a dense NumPy array; got a SciPy sparse matrix. "
                f"Convert it with {name}.toarray() if it is small."
            )
        if value.dtype.kind not in "iufb" or (value.dtype.kind == "b" and not allow_bool):
            raise TypeError(f"{name} must hold real numbers; got a sparse matrix of dtype "
                            f"{value.dtype}. Pass np.real({name}) if that is what you mean.")
        value = sp.csr_matrix(value, dtype=np.float64)
        _check_ndim(value, name, ndim, "a sparse matrix")
        if finite and not np.all(np.isfinite(value.data)):
            raise ValueError(f"{name} contains NaN or infinite entries; remove or impute them first.")
        return value
    arr = _numeric(value, name, allow_bool=allow_bool).astype(np.float64, copy=False)
    _check_ndim(arr, name, ndim, "an array")
    if finite and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite entries; remove or impute them first.")
    return arr


def as_labels(y, name: str = "y", *, K: int | None = None, limit: int = MAX_CLASSES,
              hint: str = "") -> np.ndarray:
    """1-D integer class labels 0..K-1 (0..limit-1 when K is None) as int64.

    Range and integrality are checked in the labels' own dtype, before any cast: a label
    1e308, 2**63 (uint64), -1, 2.5 or NaN is a ``ValueError`` naming ``name``, never a
    cast warning, a wrapped-around integer or an allocation of that size."""
    if isinstance(y, np.ndarray) and y.dtype.kind in "iu":
        arr = y
        _check_ndim(arr, name, 1, "an array")
    else:
        arr = as_float_array(y, name, ndim=1)      # refuses complex, text, NaN and inf
    high = limit if K is None else K
    if not arr.size:
        return arr.astype(np.int64)
    want = (f"class indices 0, 1, 2, ... (below {limit})" if K is None
            else f"integer class indices 0..{K - 1}")
    tail = f" {hint}" if hint else ""
    if arr.dtype.kind == "f":
        frac = arr != np.floor(arr)
        if frac.any():
            verb = "hold" if K is None else "contain"
            raise ValueError(f"{name} must {verb} {want}; got non-integers such as "
                             f"{_number_text(arr[frac][0])}.{tail}")
    bad = (arr < 0) | (arr >= high)
    if bad.any():
        v = _number_text(arr[bad][0])
        if K is None:
            raise ValueError(f"{name} must hold {want}; got {v}.{tail}")
        raise ValueError(f"{name} must contain class indices 0..{K - 1} (one per row of Theta); "
                         f"got {v}.{tail}")
    return arr.astype(np.int64)


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
            f"{name} must contain only 0 and 1 (binary labels); got {_number_text(y[bad][0])}. "
            f"Map your classes onto 0 and 1 first."
        )
    return y


def check_class_labels(y, m: int | None, K: int, name: str = "y") -> np.ndarray:
    """Integer labels 0..K-1; one per row of X when ``m`` is given (checked before any cast)."""
    if K > MAX_CLASSES:
        raise ValueError(f"the number of classes must be <= {MAX_CLASSES}; got {K}.")
    if m is not None:
        shape = np.shape(y) if isinstance(y, np.ndarray) else None
        if shape is not None and len(shape) == 1 and shape[0] != m:
            raise ValueError(
                f"{name} must have one label per row of X, shape ({m},); got shape {shape}."
            )
    y_int = as_labels(y, name, K=K)
    if m is not None and y_int.shape[0] != m:
        raise ValueError(
            f"{name} must have one label per row of X, shape ({m},); got shape {y_int.shape}."
        )
    return y_int


def check_theta(theta, n_cols: int, name: str = "theta") -> np.ndarray:
    theta = as_float_array(theta, name, ndim=1, allow_bool=False)
    if theta.shape != (n_cols,):
        raise ValueError(
            f"{name} must have shape ({n_cols},), one entry per column of X including the "
            f"dummy feature; got shape {theta.shape}."
        )
    return theta


def check_Theta(Theta, n_cols: int, name: str = "Theta") -> np.ndarray:
    Theta = as_float_array(Theta, name, ndim=2, allow_bool=False)
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
    if not isinstance(value, numbers.Integral) and not np.isfinite(float(value)):
        raise ValueError(f"{name} must be finite; got {value!r}.")
    if low is not None and (value < low or (not low_inclusive and value == low)):
        op = ">=" if low_inclusive else ">"
        raise ValueError(f"{name} must be {op} {low}; got {value!r}.{(' ' + hint) if hint else ''}")
    if high is not None and value > high:
        raise ValueError(f"{name} must be <= {high}; got {value!r}.{(' ' + hint) if hint else ''}")
    if integer:
        return int(value)
    try:
        return float(value)
    except OverflowError:
        raise ValueError(f"{name} is too large for float64; got {_number_text(value)}."
                         f"{(' ' + hint) if hint else ''}") from None


def check_flag(value, name: str) -> bool:
    """True or False (NumPy's bool too); ``"yes"``, ``None``, 0 or 1 are refused."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False; got {_describe(value)}.")
    return bool(value)


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
