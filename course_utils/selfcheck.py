"""Self-checks for exercises, and checks of the lecture's worked numbers.

Two kinds of cell use this module:

* a worked number from the slides: :func:`expect` prints the value next to the
  slide's and raises ``AssertionError`` if they differ, so CI fails the moment a
  notebook stops reproducing the lecture;
* a student's exercise: :func:`check_answer` and :func:`check_choice` print feedback
  that says what is wrong (never raise), so a wrong answer is a hint, not a crash.

:func:`multiple_choice` draws a multiple-choice question as a widget, one button per
choice and the feedback for the clicked one (the exam question of notebook 07 is one,
:func:`course_utils.quiz.exam_question_widget`).
"""

from __future__ import annotations

from collections.abc import Mapping

import ipywidgets as widgets
import numpy as np

from ._checks import as_float_array, check_scalar
from .printing import rounded, stable_text

__all__ = ["expect", "expect_that", "agree", "check_answer", "check_choice", "multiple_choice", "MultipleChoice"]


def _fmt(value, decimals):
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 0:
        return f"{float(arr):.{decimals}f}"
    return "(" + ", ".join(f"{v:.{decimals}f}" for v in arr.ravel()) + ")"


def expect(label, value, slide, *, decimals=2, note="", source="slide"):
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
    source : str
        Where the reference number comes from, printed in its place: "slide" (the
        default), or e.g. "by hand" or "scikit-learn" for a number the course derives.

    Examples
    --------
    >>> expect("sigmoid(-2)", 0.1192, 0.12)
    sigmoid(-2) = 0.12   (slide: 0.12) ✓
    """
    if not isinstance(label, str):
        raise TypeError(f"label must be a str; got {type(label).__name__}.")
    if not isinstance(note, str):
        raise TypeError(f"note must be a str; got {type(note).__name__}.")
    if not isinstance(source, str) or not source:
        raise TypeError(f"source must be a non-empty str such as 'slide'; got {source!r}.")
    decimals = check_scalar(decimals, "decimals", low=0, high=15, integer=True)
    as_float_array(value, "value")   # no complex, no text, no NaN: checked before rounding
    # refused (RoundingBoundaryError) when the value sits on a rounding boundary: the
    # tick would then depend on the computer's last bits
    got = np.asarray(rounded(value, decimals))
    want = as_float_array(slide, "slide")
    if got.shape != want.shape:
        raise ValueError(f"slide must have the shape of value {got.shape}; got {want.shape}.")
    ok = bool(np.all(np.abs(got - want) < 0.5 * 10.0 ** -decimals))
    line = f"{label} = {_fmt(got, decimals)}   ({source}: {_fmt(slide, decimals)}) {'✓' if ok else '✗'}"
    print(line + (f"\n  {note}" if note else ""))
    if not ok:
        raise AssertionError(f"{label}: computed {_fmt(got, decimals)}, {source} says "
                             f"{_fmt(slide, decimals)}.")


def expect_that(claim, holds):
    """Print a claim the notebook makes with a check mark, or raise if it is false.

    For statements that are not a number on a slide: an inequality, an ordering, a
    count. Write ``claim`` so that it reads true, with its numbers printed through
    :func:`~course_utils.printing.stable` (the same digits on every computer).

    Examples
    --------
    >>> expect_that("0.12 < 0.5", 0.12 < 0.5)
    0.12 < 0.5 ✓
    """
    if not isinstance(claim, str) or not claim:
        raise TypeError(f"claim must be a non-empty str; got {claim!r}.")
    if not isinstance(holds, (bool, np.bool_)):
        raise TypeError(f"holds must be True or False (the result of the comparison); "
                        f"got {type(holds).__name__}.")
    if not holds:
        raise AssertionError(f"Not so: {claim}")
    print(f"{claim} ✓")


def agree(label, ours, library, *, tol, library_name, spec=".6g"):
    """Print our result next to a library's and assert they agree within ``tol``.

    For the "now with the library" cells: the from-scratch result and the same
    quantity from SciPy or scikit-learn, both printed (through
    :func:`~course_utils.printing.stable_text`, so the same digits on every
    computer), then the largest absolute difference stated only as a bound.

    Parameters
    ----------
    label : str
        What is compared, e.g. ``"sigmoid(z)"``.
    ours, library : float or array_like
        The course's value and the library's, of the same shape.
    tol : float
        The largest absolute difference allowed (> 0); say in the text why it is
        this size (rounding only: about 1e-12; a solver's stopping rule: larger).
    library_name : str
        The library call, printed as the second row's name, e.g. ``"scipy.special.expit"``.
    spec : str
        Format of the printed values.

    Raises
    ------
    AssertionError
        When some entry differs by more than ``tol``.

    Examples
    --------
    >>> agree("1/4", 0.25, 1 / 4, tol=1e-12, library_name="python")
    1/4
      ours:   0.25
      python: 0.25
      largest difference below 1e-12 ✓
    """
    if not isinstance(label, str):
        raise TypeError(f"label must be a str; got {type(label).__name__}.")
    if not isinstance(library_name, str) or not library_name:
        raise TypeError(f"library_name must be a non-empty str such as 'scipy.special.expit'; "
                        f"got {library_name!r}.")
    tol = check_scalar(tol, "tol", low=0.0)
    if tol == 0:
        raise ValueError("tol must be > 0: results of two programs agree up to rounding, "
                         "not bit for bit; use e.g. tol=1e-12.")
    a = as_float_array(ours, "ours")
    b = as_float_array(library, "library")
    if a.shape != b.shape:
        raise ValueError(f"library must have the shape of ours {a.shape}; got {b.shape}.")
    worst = float(np.max(np.abs(a - b))) if a.size else 0.0
    ok = worst <= tol
    width = max(len("ours"), len(library_name)) + 1
    print(label)
    print(f"  {'ours:':<{width + 1}}{stable_text(a, spec)}")
    print(f"  {library_name + ':':<{width + 1}}{stable_text(b, spec)}")
    print(f"  largest difference {'below' if ok else 'above'} {tol:g} {'✓' if ok else '✗'}")
    if not ok:
        raise AssertionError(f"{label}: ours and {library_name} differ by more than {tol:g}.")


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
    if not isinstance(name, str):
        raise TypeError(f"name must be a str (the variable's name); got {type(name).__name__}.")
    if not isinstance(hint, str):
        raise TypeError(f"hint must be a str; got {type(hint).__name__}.")
    rtol = check_scalar(rtol, "rtol", low=0.0)
    atol = check_scalar(atol, "atol", low=0.0)
    want = as_float_array(expected, "expected")
    if answer is None or answer is ...:
        print(f"Not answered yet: set {name} and run this cell again.")
        return False
    try:
        got = as_float_array(answer, name, finite=False)   # no complex, no text
    except TypeError:
        print(f"{name} should be a number or an array of numbers; got {type(answer).__name__}.")
        return False
    if got.shape != want.shape:
        print(f"{name} has shape {got.shape}, but the answer has shape {want.shape}. {hint}".rstrip())
        return False
    if not np.all(np.isfinite(got)):
        print(f"{name} contains NaN or inf. {hint}".rstrip())
        return False
    with np.errstate(over="ignore", invalid="ignore"):   # 1e308 - (-1e308): inf, not close
        close = bool(np.allclose(got, want, rtol=rtol, atol=atol))
        flipped = bool(np.allclose(got, -want, rtol=rtol, atol=atol))
    if close:
        print(f"Correct: {name} = {stable_text(got, '.4g')}.")   # a matrix keeps its rows
        return True
    if flipped and np.any(want != 0):
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
    if feedback is not None and not isinstance(feedback, Mapping):
        raise TypeError(f"feedback must be a mapping from a choice to its text, or None; got "
                        f"{type(feedback).__name__}.")
    if not isinstance(name, str):
        raise TypeError(f"name must be a str (the variable's name); got {type(name).__name__}.")
    feedback = feedback or {}
    if answer is None:
        print(f"Not answered yet: set {name} and run this cell again.")
        return False
    try:
        hash(answer)
    except TypeError:
        print(f"{name} should be one choice (a number or a letter); got {type(answer).__name__}.")
        return False
    if answer == correct:
        print(f"Correct. {feedback.get(answer, '')}".rstrip())
        return True
    print(f"Not quite: {feedback.get(answer, 'that is not it; look again.')}")
    return False


class MultipleChoice(widgets.VBox):
    """A multiple-choice question as a widget: statement, one button per choice, feedback.

    Each choice is a button next to its text (``ipywidgets.HTMLMath``, so math between
    ``$`` signs is typeset by MathJax); clicking a button calls :meth:`select`, which asks
    ``judge`` whether that choice is right and shows its feedback.

    Parameters
    ----------
    question : str
        The statement (HTML, math between ``$`` signs).
    choices : mapping
        Each choice's key (e.g. 1..5; its button reads "Answer 1") -> the text of that choice.
    judge : callable
        ``judge(choice) -> (correct, text)``: whether ``choice`` is right and the
        feedback written for it; it raises TypeError or ValueError for a choice it does
        not know.
    prompt : str
        The feedback line before any click.

    Attributes
    ----------
    question : ipywidgets.HTMLMath
        The statement.
    buttons : dict
        One ``ipywidgets.Button`` per choice, with the keys of ``choices``.
    formulas : dict
        The choices' texts, as ``ipywidgets.HTMLMath``, with the same keys.
    feedback : ipywidgets.HTMLMath
        The feedback shown for the current choice.
    choice : key of ``choices`` or None
        The choice picked last (None before any click).
    """

    PROMPT = "<i>Click the number of the answer you choose.</i>"

    def __init__(self, question, choices, judge, *, prompt=PROMPT):
        if not isinstance(question, str):
            raise TypeError(f"question must be a str (HTML, math between $ signs); got "
                            f"{type(question).__name__}.")
        if not isinstance(choices, Mapping) or not choices:
            raise TypeError(f"choices must be a non-empty mapping from what a button shows "
                            f"to the text of that choice, e.g. {{1: '$x$'}}; got {choices!r}.")
        for key, text in choices.items():
            if not isinstance(text, str):
                raise TypeError(f"choices[{key!r}] must be a str; got {type(text).__name__}.")
        if not callable(judge):
            raise TypeError(f"judge must be a function choice -> (correct, text); got "
                            f"{type(judge).__name__}.")
        if not isinstance(prompt, str):
            raise TypeError(f"prompt must be a str; got {type(prompt).__name__}.")
        self.choice = None
        self._judge = judge
        self.question = widgets.HTMLMath(value=question)
        self.buttons = {}
        self.formulas = {}
        rows = []
        for key, text in choices.items():
            # ipywidgets has no aria-label (ipywidgets#2650): a button's accessible name
            # is its text, so it says "Answer 2" rather than a bare "2" (the choice's
            # formula beside it is read from MathJax's own accessible MathML)
            button = widgets.Button(description=f"Answer {key}", tooltip=f"Choose answer {key}",
                                    layout=widgets.Layout(width="7em", min_width="7em"))
            button.on_click(lambda _button, k=key: self.select(k))
            formula = widgets.HTMLMath(value=text)
            self.buttons[key] = button
            self.formulas[key] = formula
            rows.append(widgets.HBox([button, formula],
                                     layout=widgets.Layout(align_items="center")))
        self.feedback = widgets.HTMLMath(value=prompt)
        super().__init__([self.question, *rows, self.feedback])

    def select(self, choice):
        """Pick ``choice``: highlight its button and show its feedback.

        Returns the ``(correct, text)`` pair of ``judge``; a choice ``judge`` rejects
        leaves the widget as it was.
        """
        correct, text = self._judge(choice)
        key = next((k for k in self.buttons if k == choice), None)
        if key is None:
            raise ValueError(f"choice must be one of {list(self.buttons)}; got {choice!r}.")
        self.choice = key
        for button in self.buttons.values():
            button.button_style = ""
        self.buttons[key].button_style = "success" if correct else "danger"
        verdict = "Right" if correct else "Not the answer"
        self.feedback.value = f"<b>Answer {key}: {verdict}.</b> {text}"
        return correct, text


def multiple_choice(question, choices, judge, *, prompt=MultipleChoice.PROMPT):
    """Build a multiple-choice question as a widget (:class:`MultipleChoice`).

    Display it by making it the last expression of a notebook cell; a click on a
    button shows ``judge``'s verdict and feedback for that choice.

    Examples
    --------
    >>> def judge(choice):
    ...     return choice == 2, {1: "1 is odd.", 2: "2 is even."}[choice]
    >>> widget = multiple_choice("Which number is even?", {1: "$1$", 2: "$2$"}, judge)
    >>> widget.buttons[2].click()
    >>> widget.choice, widget.feedback.value
    (2, '<b>Answer 2: Right.</b> 2 is even.')
    """
    return MultipleChoice(question, choices, judge, prompt=prompt)
