"""Self-checks for exercises, and checks of the lecture's worked numbers.

Two kinds of cell use this module:

* a worked number from the slides: :func:`expect` prints the value next to the
  slide's and raises ``AssertionError`` if they differ, so CI fails the moment a
  notebook stops reproducing the lecture;
* a student's exercise: :func:`check_answer` and :func:`check_choice` print feedback
  that says what is wrong (never raise), so a wrong answer is a hint, not a crash.
"""

from __future__ import annotations

import numpy as np

from .printing import rounded, stable_text

__all__ = ["expect", "check_answer", "check_choice"]


def _fmt(value, decimals):
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 0:
        return f"{float(arr):.{decimals}f}"
    return "(" + ", ".join(f"{v:.{decimals}f}" for v in arr.ravel()) + ")"


def expect(label, value, slide, *, decimals=2, note=""):
    """Print ``label = value`` rounded as on the slide, and assert it matches.

    round(value, decimals) must equal the slide's number(s) exactly. A value within
    1e-9 (relative) of a rounding boundary is refused with
    :class:`~course_utils.printing.RoundingBoundaryError`: its rounding, and so the
    tick, could differ on another computer.

    Parameters
    ----------
    label : str
        What the number is, e.g. ``"sigmoid(-2)"``.
    value : float or array_like
        The computed value.
    slide : float or array_like
        The number printed on the slide.
    decimals : int
        Decimals shown on the slide.
    note : str
        Printed after the check (e.g. to explain a rounding slip).

    Examples
    --------
    >>> expect("sigmoid(-2)", 0.1192, 0.12)
    sigmoid(-2) = 0.12   (slide: 0.12) ✓
    """
    if not isinstance(label, str):
        raise TypeError(f"label must be a str; got {type(label).__name__}.")
    # refused (RoundingBoundaryError) when the value sits on a rounding boundary: the
    # tick would then depend on the computer's last bits
    got = np.asarray(rounded(value, decimals))
    want = np.asarray(slide, dtype=float)
    if got.shape != want.shape:
        raise ValueError(f"slide must have the shape of value {got.shape}; got {want.shape}.")
    ok = bool(np.all(np.abs(got - want) < 0.5 * 10.0 ** -decimals))
    line = f"{label} = {_fmt(got, decimals)}   (slide: {_fmt(slide, decimals)}) {'✓' if ok else '✗'}"
    print(line + (f"\n  {note}" if note else ""))
    if not ok:
        raise AssertionError(f"{label}: computed {_fmt(got, decimals)}, the slide says "
                             f"{_fmt(slide, decimals)}.")


def check_answer(answer, expected, *, name="answer", rtol=1e-3, atol=1e-6, hint=""):
    """Compare a student's numeric answer with the expected one and print feedback.

    Correct when |answer - expected| <= atol + rtol |expected| everywhere.

    Returns
    -------
    bool
        Whether the answer is right (the feedback is printed either way).

    Examples
    --------
    >>> check_answer(None, 0.5)
    Not answered yet: set answer and run this cell again.
    False
    >>> check_answer(0.5, 0.5)
    Correct: answer = 0.5.
    True
    """
    if answer is None or answer is ...:
        print(f"Not answered yet: set {name} and run this cell again.")
        return False
    want = np.asarray(expected, dtype=float)
    try:
        got = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        print(f"{name} should be a number or an array of numbers; got {type(answer).__name__}.")
        return False
    if got.shape != want.shape:
        print(f"{name} has shape {got.shape}, but the answer has shape {want.shape}. {hint}".rstrip())
        return False
    if not np.all(np.isfinite(got)):
        print(f"{name} contains NaN or inf. {hint}".rstrip())
        return False
    if np.allclose(got, want, rtol=rtol, atol=atol):
        shown = (f"[{', '.join(stable_text(v, '.4g') for v in got.ravel())}]" if got.ndim
                 else stable_text(got, ".4g"))
        print(f"Correct: {name} = {shown}.")
        return True
    if np.allclose(got, -want, rtol=rtol, atol=atol) and np.any(want != 0):
        print(f"Close: {name} has the right size but the wrong sign. {hint}".rstrip())
    else:
        print(f"Not yet: {name} is off. {hint}".rstrip())
    return False


def check_choice(answer, correct, feedback=None, *, name="answer"):
    """Check a multiple-choice answer and print the feedback written for that choice.

    Examples
    --------
    >>> check_choice(2, 1, {2: "The penalty has the wrong sign."})
    Not quite: The penalty has the wrong sign.
    False
    """
    feedback = feedback or {}
    if answer is None:
        print(f"Not answered yet: set {name} and run this cell again.")
        return False
    if answer == correct:
        print(f"Correct. {feedback.get(answer, '')}".rstrip())
        return True
    print(f"Not quite: {feedback.get(answer, 'that is not it; look again.')}")
    return False
