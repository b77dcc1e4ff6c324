"""Printing computed numbers so that every computer prints the same digits.

Two computers rarely agree on the last bits of a floating-point result: another
processor computes ``exp`` with other instructions, another BLAS library adds the
terms of a dot product in another order, two threads split a sum differently. The
differences are tiny (about 1e-16 relative), and printing with a few decimals hides
them, except for a value that sits right on a rounding boundary: 0.41499999999999998
prints as 0.41 here and 0.415000000000001 as 0.42 elsewhere.

:func:`stable` wraps a number (or an array) for an f-string and refuses to format a
value that lies within ``margin`` (relative, 1e-9 by default, ten million times the
noise) of a rounding boundary, so such a value fails on *your* computer, where you
can choose fewer decimals, instead of on somebody else's. :func:`rounded` is
``np.round`` with the same check. A negative zero prints as zero: ``-0.000`` is
rounding noise around an exact 0, and its sign would depend on the computer too.

What no check can see: a result that is 0 in exact arithmetic but comes out as 6.7e-16
here and 2.2e-16 elsewhere. Print a bound for such a value ("below 1e-12"), never
its digits. A format without a precision (``f"{stable(x)}"``) is refused, since it
prints every digit.

:func:`stable_text` never refuses: at a boundary it prints one decimal fewer, which
is always safe (a value halfway between two 4-decimal numbers is never halfway
between two 3-decimal ones). The package's own messages use it, since a training
run must not fail because its loss is hard to round.

Examples
--------
>>> f"{stable(2 / 3):.3f}"
'0.667'
>>> f"{stable([0.25, 1 / 3]):.2f}"
'[0.25, 0.33]'
>>> f"{stable(0.125):.2f}"          # exactly halfway: which side depends on the computer
Traceback (most recent call last):
...
course_utils.printing.RoundingBoundaryError: 0.125 is within 1e-09 (relative) of a rounding boundary when printed with format '.2f': it prints as 0.12 here but as 0.13 after a change in its last bits. Print fewer or more decimals, or print a bound.
>>> rounded([0.56462, 0.18419], 4)
array([0.5646, 0.1842])
>>> stable_text(0.125, ".2f"), stable_text(0.1251, ".2f")
('0.1', '0.13')
"""

from __future__ import annotations

import numbers
import re

import numpy as np

__all__ = ["stable", "stable_text", "rounded", "RoundingBoundaryError", "MARGIN"]

MARGIN = 1e-9
"""Default relative margin: a value this close to a rounding boundary is refused."""


class RoundingBoundaryError(ValueError):
    """A number would print differently after a change in its last bits."""


def _check_margin(margin) -> float:
    if isinstance(margin, bool) or not isinstance(margin, numbers.Real) or not 0 <= margin < 1e-3:
        raise ValueError(f"margin must be a real number in [0, 1e-3); got {margin!r}.")
    return float(margin)


def _as_numbers(value, name: str = "value") -> np.ndarray:
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be a number or an array of numbers; got {type(value).__name__}.")
    arr = np.asarray(value)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold real numbers; got an array of dtype {arr.dtype}. "
                        f"Print the real part explicitly if that is what you mean.")
    return arr


def _format_one(x, spec: str, margin: float) -> str:
    if isinstance(x, (bool, np.bool_)):
        return format(bool(x), spec)
    if isinstance(x, (numbers.Integral, np.integer)):
        return format(int(x), spec)
    x = float(x)
    if _PRECISION.search(spec) is None:
        raise ValueError(f"format {spec!r} has no precision, so it prints every digit of {x!r} "
                         f"and the last ones differ between computers; give one, e.g. '.3f'.")
    text = format(x, spec)
    if np.isfinite(x) and x != 0.0:
        for nudged in (x * (1.0 - margin), x * (1.0 + margin)):
            other = format(nudged, spec)
            if other != text:
                raise RoundingBoundaryError(
                    f"{x!r} is within {margin:g} (relative) of a rounding boundary when printed "
                    f"with format {spec!r}: it prints as {text.strip()} here but as "
                    f"{other.strip()} after a change in its last bits. Print fewer or more "
                    f"decimals, or print a bound.")
    if text.lstrip().startswith("-") and _reads_as_zero(text):
        # "-0.000": rounding noise around 0, whose sign is not stable either.
        return format(0.0, spec)
    return text


def _reads_as_zero(text: str) -> bool:
    try:
        return float(text.strip().rstrip("%").replace(",", "").replace("_", "")) == 0.0
    except ValueError:
        return False


_PRECISION = re.compile(r"\.(\d+)")


def stable_text(value, spec: str, *, margin: float = MARGIN) -> str:
    """``format(value, spec)``, with one decimal fewer where ``spec`` would be unsure.

    Never raises for a real number: a value within ``margin`` of a rounding boundary
    of ``spec`` is printed with precision one lower (one higher for precision 0),
    where it is far from any boundary.

    Examples
    --------
    >>> stable_text(2 / 3, ".3f")
    '0.667'
    >>> stable_text(1.125e-3, ".2e")    # halfway between 1.12e-03 and 1.13e-03
    '1.1e-03'
    >>> stable_text([[1 / 3, 0.125], [2.0, -1e-20]], ".2f")   # entry by entry, rows kept
    '[[0.33, 0.1], [2.00, 0.00]]'
    """
    margin = _check_margin(margin)
    arr = _as_numbers(value)
    if arr.ndim:
        return _nested(arr, lambda x: stable_text(x, spec, margin=margin))
    try:
        return _format_one(arr[()], spec, margin)
    except RoundingBoundaryError:
        found = _PRECISION.search(spec)
        if found is None:
            raise
        digits = int(found.group(1))
        other = spec[:found.start(1)] + str(digits - 1 if digits > 0 else 1) + spec[found.end(1):]
        return _format_one(arr[()], other, 0.0)


def _nested(arr: np.ndarray, one) -> str:
    """``[a, b]`` for a vector, ``[[a, b], [c, d]]`` for a matrix: rows stay rows."""
    if arr.ndim == 1:
        return "[" + ", ".join(one(v) for v in arr) + "]"
    return "[" + ", ".join(_nested(row, one) for row in arr) + "]"


class stable:
    """A number or array for an f-string, printed only where its digits are certain.

    ``f"{stable(x):.3f}"`` formats like ``f"{x:.3f}"`` but raises
    :class:`RoundingBoundaryError` when ``x`` lies within ``margin`` (relative) of a
    rounding boundary of that format. An array prints as ``[a, b, c]`` (a matrix as
    ``[[a, b], [c, d]]``), each entry with the format. Integers and booleans print as they are.

    Parameters
    ----------
    value : float, int or array_like of real numbers
    margin : float
        Relative distance to a rounding boundary below which printing is refused.
    """

    __slots__ = ("value", "margin")

    def __init__(self, value, margin: float = MARGIN):
        self.value = _as_numbers(value)
        self.margin = _check_margin(margin)

    def __format__(self, spec: str) -> str:
        if self.value.ndim == 0:
            return _format_one(self.value[()], spec, self.margin)
        return _nested(self.value, lambda v: _format_one(v, spec, self.margin))

    def __repr__(self) -> str:
        return f"stable({self.value!r})"


def rounded(value, decimals: int = 0, *, margin: float = MARGIN):
    """``np.round(value, decimals)``, refused where the rounding is not certain.

    Raises :class:`RoundingBoundaryError` when an entry lies within ``margin``
    (relative) of a rounding boundary, so that the rounded array, its repr and
    anything printed from it are the same on every computer. Negative zeros become 0.
    """
    if isinstance(decimals, bool) or not isinstance(decimals, numbers.Integral) or not 0 <= decimals <= 15:
        raise ValueError(f"decimals must be an integer in [0, 15]; got {decimals!r}.")
    arr = _as_numbers(value).astype(np.float64)
    margin = _check_margin(margin)
    spec = f".{int(decimals)}f"
    for x in arr.ravel():
        _format_one(x, spec, margin)
    out = np.round(arr, int(decimals)) + 0.0      # + 0.0 turns -0.0 into 0.0
    return out[()] if out.ndim == 0 else out
