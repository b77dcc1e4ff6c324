"""The machinery of the exercise checks: the verdict, the time-limited run of a student's
function, and the comparison with the expected results on probe inputs."""

from __future__ import annotations

import html
import signal
import threading
import time
import warnings
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

#: Seconds a student's function may take over all its probe calls together.
TIME_LIMIT = 5.0

#: The misconception ids a Feedback may carry, with what each means.
MISCONCEPTIONS = MappingProxyType({
    "sign": "the sign is flipped (a log-likelihood or its gradient instead of the loss's, "
            "or an ascent step)",
    "sum_not_mean": "the data term summed over the examples instead of averaged",
    "penalised_intercept": "the penalty also applied to the intercept (column 0)",
    "missing_factor_2": "the penalty's gradient lam theta instead of 2 lam theta",
    "wrong_shape": "a result of the wrong shape (transposed, flattened, one entry too many)",
    "not_finite": "NaN or inf in the result",
    "sequential_update": "parameters updated one after the other instead of all at once",
    "wrong_order": "SGD's examples visited in their stored order instead of the given one",
    "overflow": "exp overflows for large scores (no shift, no stable form)",
    "wrong_axis": "softmax normalised along the wrong axis",
    "no_patience": "the minimum over all epochs, ignoring when training stops",
    "off_by_one": "one index or one epoch off (1-based, or waiting one epoch too long)",
    "stop_not_best": "the epoch where training stops instead of the best epoch",
    "missing_factor": "a factor missing or extra in a derivative",
    "wrong_term": "one term of a derivative wrong",
    "score_not_probability": "the score theta . x instead of the probability",
    "other_class": "the probability of the other class",
    "precision_not_recall": "precision (a column) instead of recall (a row)",
    "forgot_m": "the number of examples m left out",
    "inverted": "the reciprocal of the right quantity",
    "probability_not_index": "a probability or a score instead of a class index",
    "probability_not_score": "a probability where the score z is asked for",
    "densified": "a sparse matrix turned dense (toarray, todense, np.asarray)",
})


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer: ``correct``, ``message`` and ``misconception``.

    ``bool(feedback)`` is ``feedback.correct``; ``str(feedback)`` is the text a student
    reads; in a notebook it shows itself as that text (Markdown and HTML too).
    """

    correct: bool
    message: str
    misconception: str | None = None
    exercise: str = field(default="", compare=False)

    def __bool__(self):
        return bool(self.correct)

    def __str__(self):
        return self.message

    def __repr__(self):
        return self.message

    def _repr_markdown_(self):
        return self.message.replace("*", r"\*").replace("_", r"\_")

    def _repr_html_(self):
        state = "correct" if self.correct else "not-yet"
        return f'<div class="exercise-feedback {state}">{html.escape(self.message)}</div>'


class TimeLimitReached(Exception):
    pass


def ok(remark=""):
    return ("Correct. " + remark).strip()


# ----------------------------------------------------------------------------- running
def run_call(fn, args, kwargs, budget):
    """Run fn(*args, **kwargs) under a time budget, warnings recorded whatever the filters.

    Returns (output, warning messages, exception or None, seconds used).
    """
    caught = []
    start = time.perf_counter()
    result = {"out": None, "error": None}

    def run():
        with warnings.catch_warnings(record=True) as rec, \
                np.errstate(over="warn", invalid="warn", divide="warn", under="ignore"):
            warnings.simplefilter("always")
            try:
                result["out"] = fn(*args, **kwargs)
            except TimeLimitReached:
                raise
            except (FloatingPointError, OverflowError) as exc:
                result["error"] = exc
                rec.append(warnings.WarningMessage(str(exc), RuntimeWarning, "", 0))
            except Exception as exc:      # the student's error becomes feedback
                result["error"] = exc
        caught.extend(str(w.message) for w in rec)

    main = threading.current_thread() is threading.main_thread()
    if main and hasattr(signal, "setitimer"):
        def alarm(signum, frame):
            raise TimeLimitReached()
        old = signal.signal(signal.SIGALRM, alarm)
        signal.setitimer(signal.ITIMER_REAL, max(budget, 1e-3))
        try:
            run()
        except TimeLimitReached:
            result["error"] = TimeLimitReached()
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
    else:                                  # not the main thread: wait, then give up
        worker = threading.Thread(target=run, daemon=True)
        worker.start()
        worker.join(max(budget, 1e-3))
        if worker.is_alive():
            result["error"] = TimeLimitReached()
    return result["out"], caught, result["error"], time.perf_counter() - start


def as_array(out):
    try:
        arr = np.asarray(out, dtype=float)
    except (TypeError, ValueError):
        return None
    return arr


def close(a, b, rtol=1e-6, atol=1e-9):
    return a is not None and a.shape == np.shape(b) and bool(np.allclose(a, b, rtol=rtol, atol=atol))


# ---------------------------------------------------------------------- function checks
@dataclass(frozen=True)
class Probe:
    args: tuple
    kwargs: dict
    expected: object
    variants: dict            # misconception id -> the output that mistake gives here
    label: str = ""           # where it is, in the student's words
    extreme: bool = False     # scores near 1000: where overflow shows


def function_feedback(name, fn, probes, messages, *, what, mixed_reason):
    """Judge ``fn`` on ``probes``; ``messages`` maps misconception ids to the student text."""
    if fn is None or fn is ...:
        return Feedback(False, f"Not answered yet: write your {what} and run this cell again.",
                        None, name)
    if not callable(fn):
        return Feedback(False, f"Pass your function itself, not what it returns: "
                               f"check({name!r}, my_function); got a {type(fn).__name__}.",
                        None, name)
    outs, budget = [], TIME_LIMIT
    for probe in probes:
        args = tuple(np.array(a, copy=True) if isinstance(a, np.ndarray) else a
                     for a in probe.args)
        out, caught, error, used = run_call(fn, args, dict(probe.kwargs), budget)
        budget -= used
        if isinstance(error, TimeLimitReached) or budget <= 0:
            return Feedback(False, f"Your {what} did not finish within {TIME_LIMIT:g} seconds "
                                   f"on small inputs: look for a loop that never ends.",
                            None, name)
        overflow = any("overflow" in w for w in caught) or isinstance(
            error, (FloatingPointError, OverflowError))
        if probe.extreme and "overflow" in messages:
            arr = None if out is None else as_array(out)
            if overflow or (arr is not None and not np.all(np.isfinite(arr))):
                return Feedback(False, messages["overflow"], "overflow", name)
        if error is None and out is None:
            return Feedback(False, f"Not answered yet: your {what} returns None; complete it "
                                   f"and run this cell again.", None, name)
        if error is not None:
            return Feedback(False, f"Your {what} raised {type(error).__name__} ({error}) when "
                                   f"called on {probe.label}.", None, name)
        outs.append(out)
    shaped = []
    for probe, out in zip(probes, outs):
        arr = as_array(out)
        want = np.asarray(probe.expected, dtype=float)
        if arr is None:
            return Feedback(False, f"Your {what} returned a {type(out).__name__}, not numbers.",
                            None, name)
        if arr.shape != want.shape:
            if arr.shape == want.T.shape and want.ndim == 2:
                text = (f"Your {what} has its rows and columns swapped (transposed): rows must "
                        f"be the classes, columns the features, like Theta.")
            else:
                text = (f"Your {what} returned an array of shape {arr.shape} on {probe.label}; "
                        f"it should have shape {want.shape}.")
            return Feedback(False, text, "wrong_shape", name)
        if not np.all(np.isfinite(arr)):
            key = "overflow" if probe.extreme and "overflow" in messages else "not_finite"
            text = messages.get(key, f"Your {what} returned NaN or inf on {probe.label}.")
            return Feedback(False, text, key, name)
        shaped.append(arr)
    if all(close(a, p.expected) for a, p in zip(shaped, probes)):
        return Feedback(True, ok(messages.get("correct", "")), None, name)
    for key in messages:
        if key in ("correct", "overflow"):
            continue
        relevant = [(a, p) for a, p in zip(shaped, probes) if key in p.variants]
        if relevant and all(close(a, p.variants[key]) for a, p in relevant) and any(
                not close(np.asarray(p.variants[key], float), p.expected) for _, p in relevant):
            if all(close(a, p.expected) or key in p.variants for a, p in zip(shaped, probes)):
                ident = key.split(":")[0]
                return Feedback(False, messages[key],
                                ident if ident in MISCONCEPTIONS else None, name)
    return Feedback(False, mixed_reason(shaped, probes), None, name)




def not_answered(var):
    return Feedback(False, f"Not answered yet: set {var} and run this cell again.", None)


def check_data(name, needs, data):
    if set(data) != set(needs):
        raise TypeError(f"check({name!r}, ...) needs the data keywords {sorted(needs)}; got "
                        f"{sorted(data)}. Use the check cell as the notebook has it.")


@dataclass(frozen=True)
class NumberExercise:
    """An exercise whose answer is a number or an array of numbers.

    ``expected(data)`` and ``variants(data)`` (misconception or mistake key -> the value
    that mistake gives) are computed from the exercise's data; ``messages`` holds the text
    for each key and ``"correct"`` (a remark without numbers); a key that is not in
    :data:`MISCONCEPTIONS` is reported with misconception None. ``nudge`` is the first
    hint, added when the mistake has no name.
    """

    var: str
    expected: object
    messages: dict
    variants: object = None
    needs: tuple = ()
    rtol: float = 1e-3
    atol: float = 1e-6
    integer: bool = False
    nudge: str = ""

    def judge(self, name, answer, data):
        check_data(name, self.needs, data)
        if answer is None or answer is ...:
            return Feedback(False, not_answered(self.var).message, None, name)
        want = np.asarray(self.expected(data), dtype=float)
        if isinstance(answer, (str, bytes)):
            return Feedback(False, f"{self.var} should be a number, written without quotes; "
                                   f"got the text {answer!r}.", None, name)
        got = as_array(answer)
        if got is None or got.dtype.kind == "c" or isinstance(answer, (bool, np.bool_)):
            return Feedback(False, f"{self.var} should be a number or an array of numbers; got "
                                   f"a {type(answer).__name__}.", None, name)
        if got.shape != want.shape and got.size == 1 and want.size == 1:
            got = got.reshape(want.shape)
        if got.shape != want.shape:
            if want.ndim == 2 and got.shape == want.T.shape:
                text = (f"{self.var} is transposed: it has shape {got.shape}; rows must be the "
                        f"classes and columns the features, as in Theta, shape {want.shape}.")
            else:
                text = f"{self.var} has shape {got.shape}; the answer has shape {want.shape}."
            return Feedback(False, text, "wrong_shape", name)
        if not np.all(np.isfinite(got)):
            return Feedback(False, f"{self.var} contains NaN or inf.", "not_finite", name)
        if self.integer and not np.all(got == np.round(got)):
            key = "probability_not_index"
            if key in self.messages:
                return Feedback(False, self.messages[key], key, name)
            return Feedback(False, f"{self.var} should be a whole number (an index).", None, name)
        if np.allclose(got, want, rtol=self.rtol, atol=self.atol):
            return Feedback(True, ok(self.messages.get("correct", "")), None, name)
        variants = dict(self.variants(data)) if self.variants else {}
        if np.any(want != 0) and "sign" not in variants:
            variants["sign"] = -want
        for key, value in variants.items():
            value = np.asarray(value, dtype=float)
            if value.shape == want.shape and np.allclose(got, value, rtol=self.rtol,
                                                         atol=self.atol):
                text = self.messages.get(key) or (
                    f"{self.var} has the right size but the wrong sign.")
                return Feedback(False, text, key if key in MISCONCEPTIONS else None, name)
        if want.size == 1:
            side = "too large" if float(got.ravel()[0]) > float(want.ravel()[0]) else "too small"
            text = f"Not yet: {self.var} is {side}, and not by a mistake the check knows."
        else:
            wrong = np.flatnonzero(~np.isclose(got, want, rtol=self.rtol, atol=self.atol).ravel())
            where = np.unravel_index(wrong[0], want.shape)
            text = (f"Not yet: {len(wrong)} of the {want.size} entries of {self.var} are off, "
                    f"the first at index {tuple(int(i) for i in where)}.")
        return Feedback(False, f"{text} {self.nudge}".strip(), None, name)


def normalise_choice(answer, keys):
    """The key of ``keys`` the student meant, or None: 3, 3.0, "3" and " sgd " all count."""
    if isinstance(answer, (bool, np.bool_)):
        return None
    if isinstance(answer, str):
        text = answer.strip().casefold()
        for key in keys:
            if str(key).casefold() == text:
                return key
        starts = [k for k in keys if isinstance(k, str) and k.casefold().startswith(text) and text]
        if len(starts) == 1:
            return starts[0]
        try:
            answer = float(text)
        except ValueError:
            return None
    if isinstance(answer, (int, float, np.integer, np.floating)):
        for key in keys:
            if not isinstance(key, str) and float(answer) == float(key):
                return key
    return None


@dataclass(frozen=True)
class ChoiceExercise:
    """A multiple-choice exercise: ``right(data)`` is the right key, ``feedback`` the text
    written for each choice, ``misconceptions`` the id a wrong choice stands for."""

    var: str
    right: object
    feedback: dict
    misconceptions: dict = field(default_factory=dict)
    needs: tuple = ()

    def judge(self, name, answer, data):
        check_data(name, self.needs, data)
        if answer is None or answer is ...:
            return Feedback(False, not_answered(self.var).message, None, name)
        keys = list(self.feedback)
        key = normalise_choice(answer, keys)
        if key is None:
            shown = ", ".join(repr(k) if isinstance(k, str) else str(k) for k in keys)
            return Feedback(False, f"{self.var} should be one of {shown}; got {answer!r}.",
                            None, name)
        if key == self.right(data):
            return Feedback(True, ok(self.feedback[key]), None, name)
        return Feedback(False, f"Not quite: {self.feedback[key]}",
                        self.misconceptions.get(key), name)
