"""Bad input across the whole public API: one property-based test per root cause.

Every name in every ``__all__`` of the package is discovered by import. Each callable
gets one valid example call (``CALLS``); a test then replaces ONE argument at a time
with a bad value of its root cause's kind (drawn by Hypothesis) and checks the promise
of the design: a ``TypeError``/``ValueError`` that names the argument, never a NumPy
warning, a bare ``AttributeError``/``IndexError``/``MemoryError`` or a silently coerced
value. Names that a root cause does not apply to are listed with the reason
(``NOT_APPLICABLE``), and a test checks that every public name is either called or
listed, so a new public function cannot slip past.

The root causes (numbers from the reliability review):

1. complex numbers and numeric strings refused, not coerced (``test_no_silent_coercion``);
2. labels checked for range before any cast (``test_labels_checked_before_cast``);
3. ``train_val_test_split``: NaN labels refused, ``stratify`` a bool
   (``test_split_refuses_missing_labels``, ``test_split_stratify_must_be_bool``);
4. sizes checked before allocating (``test_sizes_checked_before_allocating``);
5. finite extremes give no RuntimeWarning (``test_finite_extremes_no_warning``);
6. messages blame the right argument (``test_unscaled_X_is_not_blamed_on_lr``,
   ``test_huge_lam_is_blamed_on_lam``);
7. wrong types give a named TypeError (``test_wrong_types_named``).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import time
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest

hypothesis = pytest.importorskip("hypothesis", reason="the property tests need Hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import course_utils  # noqa: E402

FAST = settings(max_examples=6, deadline=None, derandomize=True,
                suppress_health_check=list(HealthCheck))
#: More draws where each draw picks one of many arguments.
WIDE = settings(FAST, max_examples=15)

# --------------------------------------------------------------------------- discovery

# Modules whose public names are tested elsewhere, by the part that owns them, with why.
OWNED_ELSEWHERE = {
    "course_utils.news": "the news loader's inputs are paths and archives: tests/test_news.py",
    "course_utils.widgets": "explorers and their controls: tests/test_widgets.py",
    "course_utils.explore": "explorer compute and control records: tests/test_widgets.py",
    "course_utils._blit": "private pixel engine (leading underscore), no student-facing input",
    "course_utils.printing": "printing helpers: tests/test_printing.py",
    "course_utils.figures": "figure builders write files; their inputs are lrs/lams arrays "
                            "checked by as_float_array, whose behaviour is tested here",
    "course_utils.exam": "constants only",
    "course_utils._controls": "private module of the explorers' controls (leading "
                              "underscore): tests/test_widgets.py",
    "course_utils.exercises": "added by another part while this file was written (a "
                              "student's answer is feedback, not an exception); its own tests",
    "course_utils.symbolic._proof": "private proof engine (leading underscore); its size and "
                                    "bool checks are reached through the public symbolic "
                                    "functions called below",
}


def _modules():
    names = ["course_utils"]
    for info in pkgutil.walk_packages(course_utils.__path__, "course_utils."):
        names.append(info.name)
    return sorted(set(names))


def public_names():
    """(module, name, object) for every name in every ``__all__``."""
    out = []
    for mod_name in _modules():
        mod = importlib.import_module(mod_name)
        for name in getattr(mod, "__all__", ()):
            out.append((mod_name, name, getattr(mod, name)))
    return out


def qualname(obj, mod_name, name):
    home = getattr(obj, "__module__", None) or mod_name
    return f"{home}.{name}"


# --------------------------------------------------------------------------- example calls

X2 = np.array([[0.0, 1.0], [1.0, 0.5], [2.0, -1.0], [-1.0, 0.2], [0.5, 0.5], [1.5, 2.0]])
XB = np.c_[np.ones(6), X2]
YB = np.array([0, 1, 1, 0, 1, 0])
YM = np.array([0, 1, 2, 0, 1, 2])
TH = np.array([0.1, -0.2, 0.3])
THM = np.array([[0.1, -0.2, 0.3], [0.0, 0.4, -0.1], [0.2, 0.0, 0.1]])
VOCAB = ["vote", "puck"]
THW = np.array([[0.5, 2.0, -1.0], [0.1, -2.0, 1.5]])
RUN = None   # a Trajectory, made on first use


def _trajectory():
    global RUN
    if RUN is None:
        from course_utils.optim import gradient_descent
        RUN = gradient_descent(XB, YB, lr=0.5, max_steps=5)
    return RUN


def _sq(t):
    """A loss that stays finite for any finite theta (the test is about the package)."""
    return float(np.sum(np.tanh(t)))


def _dsq(t):
    return 1.0 - np.tanh(t) ** 2


C = "course_utils."
CALLS = {
    # functions
    C + "functions.sigmoid": ((np.array([-2.0, 0.5]),), {}),
    C + "functions.log_sigmoid": ((np.array([-2.0, 0.5]),), {}),
    C + "functions.softmax": ((np.array([1.45, 0.33, -0.12]),), {"axis": -1}),
    C + "functions.log_softmax": ((np.array([1.45, 0.33, -0.12]),), {"axis": -1}),
    C + "functions.logsumexp": ((np.array([1.45, 0.33, -0.12]),), {"axis": -1}),
    C + "functions.add_intercept": ((X2,), {}),
    C + "functions.one_hot": ((YM, 3), {}),
    # losses
    C + "losses.binary_cross_entropy": ((TH, XB, YB), {"lam": 0.1}),
    C + "losses.binary_cross_entropy_grad": ((TH, XB, YB), {"lam": 0.1}),
    C + "losses.binary_cross_entropy_and_grad": ((TH, XB, YB), {"lam": 0.1}),
    C + "losses.multinomial_cross_entropy": ((THM, XB, YM), {"lam": 0.1}),
    C + "losses.multinomial_cross_entropy_grad": ((THM, XB, YM), {"lam": 0.1}),
    C + "losses.multinomial_cross_entropy_and_grad": ((THM, XB, YM), {"lam": 0.1}),
    C + "losses.predict": ((TH, XB), {}),
    C + "losses.predict_proba": ((THM, XB), {}),
    # gradcheck
    C + "gradcheck.numerical_gradient": ((_sq, np.array([0.5, -1.0])), {"eps": 1e-6}),
    C + "gradcheck.relative_error": ((np.array([1.0, 2.0]), np.array([1.0, 2.1])), {}),
    C + "gradcheck.check_gradient": ((_sq, _dsq, np.array([0.5, -1.0])),
                                     {"eps": 1e-6}),
    # metrics
    C + "metrics.accuracy": ((YB, YB[::-1].copy()), {}),
    C + "metrics.precision": ((YB, YB[::-1].copy()), {"label": 1}),
    C + "metrics.recall": ((YB, YB[::-1].copy()), {"label": 1}),
    C + "metrics.f1_score": ((YB, YB[::-1].copy()), {"label": 1}),
    C + "metrics.confusion_matrix": ((YM, YM[::-1].copy()), {"n_classes": 3}),
    C + "metrics.boundary_metrics": ((TH, X2, YB), {}),
    # data
    C + "data.lecture_points": ((), {}),
    C + "data.line_data": ((), {}),
    C + "data.lambda_path_data": ((), {}),
    C + "data.make_blobs": ((5, 2), {"spread": 1.0, "rng": 0}),
    C + "data.train_val_test_split": ((X2, YB), {"fractions": (0.5, 0.25, 0.25),
                                                 "stratify": True, "rng": 0}),
    # landscape
    C + "landscape.binary_loss_grid": ((XB, YB), {"lam": 0.1, "extent": (-1.0, 1.0, -1.0, 1.0),
                                                  "resolution": 5, "newton_steps": 3}),
    C + "landscape.one_weight_loss": ((np.array([0.5, 1.0]),), {}),
    C + "landscape.one_weight_grad": ((np.array([0.5, 1.0]),), {}),
    C + "landscape.one_weight_minimum": ((), {}),
    C + "landscape.learning_rate_iterates": ((0.5,), {"w0": -1.0, "n_steps": 5}),
    C + "landscape.lambda_path": ((X2, YB), {"lams": np.array([0.01, 0.1])}),
    # optim
    C + "optim.gradient_descent": ((XB, YB), {"lr": 0.5, "lam": 0.01, "max_steps": 5}),
    C + "optim.batch_gradient_descent": ((XB, YB), {"lr": 0.5, "max_steps": 5}),
    C + "optim.stochastic_gradient_descent": ((XB, YB), {"lr": 0.5, "max_steps": 5, "rng": 0}),
    C + "optim.minibatch_gradient_descent": ((XB, YB), {"batch_size": 2, "lr": 0.5,
                                                        "max_steps": 5, "rng": 0}),
    C + "optim.start_gradient_descent": ((XB, YB), {"lr": 0.5, "max_steps": 5}),
    # plotting
    C + "plotting.style_path": (("notebook",), {}),
    C + "plotting.plot_data": ((X2, YB), {}),
    C + "plotting.plot_decision_boundary": ((TH,), {"xlim": (-1.0, 1.0), "ylim": (-1.0, 1.0)}),
    C + "plotting.boundary_segment": ((TH, (-1.0, 1.0), (-1.0, 1.0)), {}),
    C + "plotting.decision_region_grid": ((THM, (-1.0, 1.0), (-1.0, 1.0)), {"resolution": 4}),
    C + "plotting.plot_decision_regions": ((THM,), {"xlim": (-1.0, 1.0), "ylim": (-1.0, 1.0),
                                                    "resolution": 4}),
    C + "plotting.plot_loss_contours": ((lambda a, b: a ** 2 + b ** 2,),
                                        {"extent": (-1.0, 1.0, -1.0, 1.0), "resolution": 5,
                                         "vectorized": True}),
    C + "plotting.trajectory_xy": ((np.array([[0.0, 1.0, 2.0], [0.0, 1.5, 2.5]]),), {}),
    C + "plotting.plot_trajectory": ((np.array([[0.0, 1.0, 2.0], [0.0, 1.5, 2.5]]),), {}),
    C + "plotting.plot_confusion_matrix": ((np.array([[3, 1], [2, 4]]),), {}),
    # text
    C + "text.top_words": ((THW, VOCAB), {"k": 1}),
    C + "text.word_evidence": ((THW, np.array([1.0, 0.5, 0.5]), VOCAB), {"favour": 1,
                                                                        "against": 0, "k": 1}),
    C + "text.snippet": (("Some text. Mail me at a@b.org",), {"max_chars": 20,
                                                             "hide_emails": True}),
    # selfcheck and quiz
    C + "selfcheck.check_answer": ((0.5, 0.5), {"rtol": 1e-3, "atol": 1e-6, "name": "answer",
                                                "hint": ""}),
    C + "selfcheck.check_choice": ((1, 1), {"feedback": {1: "yes"}, "name": "answer"}),
    C + "selfcheck.expect": (("x", 0.1192, 0.12), {"decimals": 2, "note": ""}),
    C + "selfcheck.multiple_choice": (("Q?", {1: "$1$"}, lambda c: (True, "ok")), {}),
    C + "selfcheck.MultipleChoice": (("Q?", {1: "$1$"}, lambda c: (True, "ok")), {}),
    C + "quiz.exam_feedback": ((1,), {}),
    # symbolic
    C + "symbolic.binary.binary_symbols": ((2,), {}),
    C + "symbolic.binary.binary_gradient_check": ((1, 1), {}),
    C + "symbolic.binary.binary_ce_gradient_steps": ((1, 1), {}),
    C + "symbolic.multinomial.multinomial_symbols": ((2, 1, 1), {}),
    C + "symbolic.multinomial.multinomial_loss": ((2, 1, 1), {}),
    C + "symbolic.multinomial.exam_objective": ((2, 1, 1), {}),
    C + "symbolic.multinomial.lambdify_loss": ((2, 2, 2), {}),
    C + "symbolic.multinomial.lambdify_gradient": ((2, 2, 2), {}),
}

#: Public names that are not called above, and why.
NOT_CALLED = {
    "constant or record type": "data, tuples, dicts and plain dataclass records (Trajectory, "
                               "NewsData, Contours, ...) hold values; they check nothing",
    C + "plotting.Contours": "a named tuple of artists that plot_loss_contours returns",
    C + "plotting.TrajectoryArtists": "a named tuple of artists that plot_trajectory returns",
    C + "plotting.LossCurveArtists": "a named tuple of artists that plot_loss_curves returns",
    C + "plotting.ConfusionArtists": "a named tuple of artists plot_confusion_matrix returns",
    C + "symbolic.binary.sigma": "a SymPy function (display only): SymPy checks its argument",
    C + "plotting.use_style": "changes global matplotlib state; its name check is in "
                              "tests/test_plotting.py",
    C + "plotting.style_context": "a context manager over style_path, which is called",
    C + "plotting.plot_loss_curves": "takes a Trajectory; called in test_wrong_types_named",
    C + "install_check.check_install": "takes only keyword flags; its argument check is "
                                       "tested in tests/test_install_check.py",
    C + "install_check.minimum_versions": "takes no argument",
    C + "quiz.exam_question_widget": "takes no argument",
    C + "quiz.ExamQuestion": "takes no argument",
    C + "text.TrainingProgress": "a progress display; called in test_wrong_types_named",
    C + "landscape.newton": "the package's own solver, fed by the package (derivatives "
                            "callables); reached through binary_loss_grid and lambda_path",
    C + "optim.DescentRun": "built by start_gradient_descent, which is called",
    C + "symbolic.binary.sigmoid_derivative_identity": "takes no argument",
    C + "symbolic.multinomial.binary_from_softmax": "takes no argument",
    C + "symbolic.binary.check_steps": "takes the Step list binary_ce_gradient_steps returns",
    C + "symbolic.multinomial.handwritten_gradient_check":
        "same (K, d, N, labels) checks as multinomial_loss, which is called; a proof takes "
        "seconds",
    C + "symbolic.multinomial.seed002_gradient_check": "as handwritten_gradient_check",
    C + "selfcheck.agree": "asserts by design (two results that differ raise AssertionError); "
                           "its bad inputs are tested in tests/test_metrics_data.py",
    C + "selfcheck.expect_that": "takes a claim and a bool, no numbers; its bad inputs are "
                                 "tested in tests/test_metrics_data.py",
    C + "symbolic.multinomial.exam_answers": "same (K, d, N) checks as exam_objective",
    C + "symbolic.multinomial.exam_verdicts": "same (K, d, N) checks as exam_objective",
    C + "symbolic.multinomial.update_equivalence": "same (K, d, N) checks as exam_objective",
}

#: Arguments that are not numbers: never replaced by a numeric bad value.
NON_NUMERIC = {"f", "grad_f", "judge", "loss", "vocabulary", "label_text", "text", "question",
               "choices", "name", "hint", "note", "feedback", "ax", "method", "update",
               "callback", "rng", "stratify", "vectorized", "hide_emails", "keepdims"}

#: Per root cause 1: arguments where text is a legitimate value, and why.
TEXT_ALLOWED = {
    (C + "data.train_val_test_split", "y"): "class labels may be names ('sports')",
    (C + "selfcheck.check_choice", "answer"): "a choice may be a letter",
    (C + "selfcheck.check_choice", "correct"): "a choice may be a letter",
    (C + "selfcheck.expect", "label"): "the label is text",
    (C + "plotting.style_path", "name"): "a style name is text",
}

#: Arguments whose bad value is feedback to a student, not an exception, and why.
FEEDBACK = {
    (C + "selfcheck.check_answer", "answer"): "a wrong answer prints feedback and returns "
                                              "False (checked in test_answer_feedback)",
    (C + "selfcheck.check_choice", "answer"): "any answer is compared with the right one",
    (C + "selfcheck.check_choice", "correct"): "the right choice may be any value, compared "
                                               "with == (a number, a letter, a word)",
}


def _target(qual):
    mod_name, _, name = qual.rpartition(".")
    return getattr(importlib.import_module(mod_name), name)


def _bound(qual):
    fn = _target(qual)
    args, kwargs = CALLS[qual]
    ba = inspect.signature(fn).bind(*args, **kwargs)
    return fn, ba


def _call(fn, ba, name, value):
    """Call ``fn`` with the example's arguments, ``name`` replaced by ``value``; every
    warning is an error."""
    arguments = dict(ba.arguments)
    arguments[name] = value
    new = inspect.BoundArguments(ba.signature, arguments)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            return fn(*new.args, **new.kwargs)
    finally:
        plt.close("all")


def _numeric_args(qual):
    fn, ba = _bound(qual)
    out = []
    for name, value in ba.arguments.items():
        if name in NON_NUMERIC or callable(value) or isinstance(value, (str, dict)):
            continue
        if inspect.signature(fn).parameters[name].kind is inspect.Parameter.VAR_KEYWORD:
            continue
        try:
            arr = np.asarray(value)
        except ValueError:
            continue
        if arr.dtype.kind in "iuf" and arr.size:
            out.append(name)
    return out


def _expect_named(exc_types, name, fn, ba, value):
    with pytest.raises(exc_types) as info:
        _call(fn, ba, name, value)
    assert name in str(info.value), (f"the message does not name {name!r}: "
                                     f"{type(info.value).__name__}: {info.value}")
    return info.value


NUMERIC_CASES = [(q, a) for q in CALLS for a in _numeric_args(q)]


# --------------------------------------------------------------------------- completeness

def test_every_public_name_is_called_or_listed():
    missing = []
    for mod_name, name, obj in public_names():
        if mod_name in OWNED_ELSEWHERE or any(mod_name.startswith(m + ".") or
                                             qualname(obj, mod_name, name).startswith(m + ".")
                                             for m in OWNED_ELSEWHERE):
            continue
        if not callable(obj) or (inspect.isclass(obj) and hasattr(obj, "__dataclass_fields__")
                                 and qual_is_record(obj)):
            continue
        if inspect.isclass(obj) and issubclass(obj, BaseException):
            continue
        q = qualname(obj, mod_name, name)
        if q in CALLS or q in NOT_CALLED:
            continue
        if getattr(obj, "__module__", "").startswith("sympy"):
            continue
        missing.append(q)
    assert not missing, f"public names neither called nor listed with a reason: {missing}"


def qual_is_record(cls):
    """A plain dataclass record: every field is data, no checks in __init__."""
    return "__post_init__" not in vars(cls)


@pytest.mark.parametrize("qual", list(CALLS), ids=[q[13:] for q in CALLS])
def test_example_calls_are_valid(qual):
    """The table's calls run without error or warning: the bad values below are the
    only thing that differs."""
    fn, ba = _bound(qual)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            fn(*ba.args, **ba.kwargs)
        finally:
            plt.close("all")


# --------------------------------------------------------------------------- 1. coercion

@pytest.mark.parametrize("qual,arg", NUMERIC_CASES, ids=[f"{q[13:]}:{a}" for q, a in NUMERIC_CASES])
@FAST
@given(data=st.data())
def test_no_silent_coercion(qual, arg, data):
    """Complex numbers and numeric strings are refused with the argument's name."""
    fn, ba = _bound(qual)
    good = np.asarray(ba.arguments[arg])
    kind = data.draw(st.sampled_from(["complex", "text"]), label="kind")
    if (qual, arg) in TEXT_ALLOWED and kind == "text":
        return
    if (qual, arg) in FEEDBACK:
        return
    if kind == "complex":
        imag = data.draw(st.floats(0.5, 5.0), label="imag")
        bad = good + 1j * imag
        bad = bad.item() if bad.ndim == 0 else bad
    else:
        bad = good.astype(str)
        bad = str(bad) if bad.ndim == 0 else bad.tolist()
    _expect_named((TypeError, ValueError), arg, fn, ba, bad)


def test_answer_feedback():
    """check_answer's answer is a student's: refused values are feedback, never coerced."""
    from course_utils.selfcheck import check_answer
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert check_answer(0.5 + 1j, 0.5) is False
        assert check_answer("0.5", 0.5) is False
        assert check_answer(1e308, -1e308) is False


# --------------------------------------------------------------------------- 2. labels

LABEL_ARGS = [(q, a) for q, a in NUMERIC_CASES
              if a in ("y", "y_true", "y_pred") and q != C + "data.train_val_test_split"]
BAD_LABELS = [1e308, -1.0, 2.5, np.nan, 1e12, 2.0 ** 63]


@pytest.mark.parametrize("qual,arg", LABEL_ARGS, ids=[f"{q[13:]}:{a}" for q, a in LABEL_ARGS])
@FAST
@given(data=st.data())
def test_labels_checked_before_cast(qual, arg, data):
    """One bad label anywhere: a ValueError naming the labels, no cast warning, no
    wrapped-around integer, no allocation of the label's size."""
    fn, ba = _bound(qual)
    y = np.asarray(ba.arguments[arg])
    pos = data.draw(st.integers(0, y.size - 1), label="position")
    use_uint = data.draw(st.booleans(), label="uint64")
    if use_uint:
        bad = y.astype(np.uint64)
        bad[pos] = data.draw(st.sampled_from([2 ** 63, 2 ** 64 - 1, 10 ** 12]), label="label")
    else:
        bad = y.astype(float)
        bad[pos] = data.draw(st.sampled_from(BAD_LABELS) |
                             st.floats(1e5, 1e308) | st.floats(-1e308, -0.5), label="label")
    t0 = time.perf_counter()
    _expect_named(ValueError, arg, fn, ba, bad)
    assert time.perf_counter() - t0 < 2.0


def test_confusion_matrix_one_liner():
    from course_utils.metrics import accuracy, confusion_matrix
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match="y_pred must hold class indices.*got 1e\\+308"):
            confusion_matrix([0, 1], [0, 1e308])
        with pytest.raises(ValueError, match="y_pred.*9223372036854775808"):
            accuracy(np.array([0, 1], np.uint64), np.array([0, 2 ** 63], np.uint64))


def test_plot_data_stray_label_is_refused_fast():
    from course_utils.plotting import plot_data
    t0 = time.perf_counter()
    with pytest.raises(ValueError, match="y must hold class indices"):
        plot_data(np.zeros((2, 2)), [0, 10 ** 6])
    assert time.perf_counter() - t0 < 1.0
    plt.close("all")


# --------------------------------------------------------------------------- 3. split

@FAST
@given(pos=st.integers(0, 19), missing=st.sampled_from([np.nan, np.inf, -np.inf]))
def test_split_refuses_missing_labels(pos, missing):
    from course_utils.data import train_val_test_split
    y = (np.arange(20) % 2).astype(float)
    y[pos] = missing
    with pytest.raises(ValueError, match="y has 1 missing label"):
        train_val_test_split(np.zeros((20, 2)), y, rng=0)


def test_split_one_liner():
    from course_utils.data import train_val_test_split as s
    with pytest.raises(ValueError, match="missing label"):
        s(np.zeros((20, 2)), np.r_[np.nan, np.arange(19) % 2], rng=0)


@FAST
@given(flag=st.sampled_from(["yes", None, 0.0, 1, "", [True]]) | st.integers() | st.floats())
def test_split_stratify_must_be_bool(flag):
    from course_utils.data import train_val_test_split
    with pytest.raises(TypeError, match="stratify must be True or False"):
        train_val_test_split(np.zeros((20, 2)), np.arange(20) % 2, stratify=flag, rng=0)


# --------------------------------------------------------------------------- 4. sizes

SIZE_ARGS = [
    (C + "functions.one_hot", "K"),
    (C + "metrics.confusion_matrix", "n_classes"),
    (C + "data.make_blobs", "n_per_class"),
    (C + "data.make_blobs", "n_classes"),
    (C + "landscape.binary_loss_grid", "resolution"),
    (C + "landscape.binary_loss_grid", "newton_steps"),
    (C + "landscape.learning_rate_iterates", "n_steps"),
    (C + "plotting.decision_region_grid", "resolution"),
    (C + "plotting.plot_decision_regions", "resolution"),
    (C + "plotting.plot_loss_contours", "resolution"),
    (C + "text.top_words", "k"),
    (C + "text.word_evidence", "k"),
    (C + "text.snippet", "max_chars"),
    (C + "symbolic.multinomial.multinomial_symbols", "K"),
    (C + "symbolic.multinomial.lambdify_loss", "N"),
]


@pytest.mark.parametrize("qual,arg", SIZE_ARGS, ids=[f"{q[13:]}:{a}" for q, a in SIZE_ARGS])
@FAST
@given(size=st.integers(10 ** 7, 10 ** 15) | st.sampled_from([10 ** 12, 2 ** 63, 10 ** 30]))
def test_sizes_checked_before_allocating(qual, arg, size):
    """A huge size is either refused at once with the limit, or costs nothing (k of
    top_words is capped by the vocabulary, max_chars by the text)."""
    fn, ba = _bound(qual)
    t0 = time.perf_counter()
    try:
        _call(fn, ba, arg, size)
    except ValueError as exc:
        assert arg in str(exc) and "<=" in str(exc), str(exc)
    assert time.perf_counter() - t0 < 2.0


def test_one_hot_one_liner():
    from course_utils import one_hot
    with pytest.raises(ValueError, match="K must be <= 10000"):
        one_hot([0], 10 ** 12)


# --------------------------------------------------------------------------- 5. extremes

EXTREME_CASES = [(q, a) for q, a in NUMERIC_CASES
                 if a not in ("y", "y_true", "y_pred", "K", "n_classes", "resolution",
                              "newton_steps", "n_steps", "k", "max_chars", "decimals",
                              "label", "favour", "against", "n_per_class", "max_steps",
                              "batch_size", "n", "m", "N", "d", "correct", "answer")
                 and not q.startswith(C + "symbolic")]


@pytest.mark.parametrize("qual,arg", EXTREME_CASES,
                         ids=[f"{q[13:]}:{a}" for q, a in EXTREME_CASES])
@FAST
@given(data=st.data())
def test_finite_extremes_no_warning(qual, arg, data):
    """An argument with finite entries near 1e308: a result or a named ValueError, never a
    RuntimeWarning (warnings are errors inside _call)."""
    fn, ba = _bound(qual)
    good = np.asarray(ba.arguments[arg], dtype=float)
    mag = data.draw(st.floats(1e300, 1.7e308), label="magnitude")
    signs = data.draw(st.lists(st.sampled_from([-1.0, 1.0]), min_size=good.size,
                               max_size=good.size), label="signs")
    bad = (np.where(good == 0, 1.0, np.sign(good)) * np.abs(signs).reshape(good.shape)
           * np.array(signs).reshape(good.shape) * mag)
    bad = float(bad) if bad.ndim == 0 else bad
    try:
        _call(fn, ba, arg, bad)
    except RuntimeWarning as w:
        pytest.fail(f"{qual}({arg}=~{mag:g}) leaked RuntimeWarning: {w}")
    except (ValueError, TypeError) as exc:
        assert type(exc) is not TypeError or arg in str(exc)
    except AssertionError:
        assert qual == C + "selfcheck.expect", "only expect() asserts (a value off the slide)"


@pytest.mark.parametrize("call", [
    "softmax([1e308, -1e308])", "log_softmax([1e308, -1e308])", "logsumexp([1e308, -1e308])",
    "relative_error([1e308], [-1e308])", "make_blobs(spread=1e308, rng=0)",
    "check_answer(1e308, -1e308)", "numerical_gradient(lambda t: float(t.sum()), [1e308])",
    "boundary_metrics([1e308, 1e308, 1e308], [[1e308, 1e308], [-1e308, 0]], [1, 0])",
    "learning_rate_iterates(1e308)", "lambda_path([[1e308, 0.0], [0.0, 1e308]], [0, 1])",
    "binary_loss_grid([[1.0, 1e308, 1.0], [1.0, -1e308, 0.0]], [0, 1], resolution=3)",
])
def test_finite_extreme_one_liners(call, capsys):
    from course_utils import log_softmax, logsumexp, softmax  # noqa: F401
    from course_utils.data import make_blobs  # noqa: F401
    from course_utils.gradcheck import numerical_gradient, relative_error  # noqa: F401
    from course_utils.landscape import binary_loss_grid, lambda_path, learning_rate_iterates  # noqa: F401
    from course_utils.metrics import boundary_metrics  # noqa: F401
    from course_utils.selfcheck import check_answer  # noqa: F401
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            eval(call)
        except ValueError as exc:
            assert str(exc)


def test_softmax_extremes_are_right():
    from course_utils import softmax, logsumexp
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert softmax([1e308, -1e308]).tolist() == [1.0, 0.0]
        assert float(logsumexp([1e308, -1e308])) == 1e308


# --------------------------------------------------------------------------- 6. blame

@FAST
@given(scale=st.floats(1e100, 1e300))
def test_unscaled_X_is_not_blamed_on_lr(scale):
    from course_utils.optim import gradient_descent
    X = np.c_[np.ones(3), np.array([1.0, 2.0, -1.0]) * scale]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = gradient_descent(X, np.array([0, 1, 0]), lr=0.1, max_steps=50)
    assert run.status == "diverged"
    assert "too large for this problem" not in run.message, run.message
    assert "X" in run.message and "scale" in run.message.lower(), run.message


@FAST
@given(lam=st.floats(1e300, 1.7e308), t=st.sampled_from([0.0, 1.0, 1e5, 1e10]))
def test_huge_lam_is_blamed_on_lam(lam, t):
    """A huge lam gives the right gradient when it fits in float64, else an error that
    blames lam, not X or theta."""
    from course_utils import binary_cross_entropy_grad
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            g = binary_cross_entropy_grad(np.array([0.0, t]), np.ones((2, 2)), np.array([0, 1]),
                                          lam=lam)
        except ValueError as exc:
            assert "lam" in str(exc) and "X or theta" not in str(exc), str(exc)
        else:
            assert np.all(np.isfinite(g)) and g[1] == pytest.approx(2 * lam * t)


def test_huge_lam_one_liner():
    from course_utils import binary_cross_entropy_grad
    with pytest.raises(ValueError, match="lam = 1e\\+308 is too large"):
        binary_cross_entropy_grad(np.zeros(2), np.ones((2, 2)), np.array([0, 1]), lam=1e308)


# --------------------------------------------------------------------------- 7. types

class _Odd:
    """An object of no expected type."""


WRONG = [_Odd(), {"a": 1}, {1, 2}, 1j]


@pytest.mark.parametrize("qual", list(CALLS), ids=[q[13:] for q in CALLS])
@WIDE
@given(data=st.data())
def test_wrong_types_named(qual, data):
    """Any argument replaced by an object of the wrong type: a TypeError or ValueError
    naming that argument, never a bare AttributeError."""
    fn, ba = _bound(qual)
    names = [n for n, p in inspect.signature(fn).parameters.items()
             if n in ba.arguments and p.kind is not p.VAR_KEYWORD]
    if not names:
        return
    arg = data.draw(st.sampled_from(names), label="argument")
    if (qual, arg) in FEEDBACK:
        return
    good = ba.arguments[arg]
    bad = data.draw(st.sampled_from([w for w in WRONG if type(w) is not type(good)]),
                    label="value")
    _expect_named((TypeError, ValueError), arg, fn, ba, bad)


@pytest.mark.parametrize("call,name", [
    ("plot_loss_curves(_Odd())", "trajectory"),
    ("plot_loss_curves(_trajectory(), x=3)", "x"),
    ("TrainingProgress(_Odd())", "max_epochs"),
    ("TrainingProgress(5, description=3)", "description"),
    ("exam_feedback('1')", "choice"),
    ("check_choice(1, 1, feedback=[1])", "feedback"),
    ("expect('x', 'abc', 0.1)", "value"),
])
def test_wrong_types_one_liners(call, name):
    from course_utils.plotting import plot_loss_curves  # noqa: F401
    from course_utils.quiz import exam_feedback  # noqa: F401
    from course_utils.selfcheck import check_choice, expect  # noqa: F401
    from course_utils.text import TrainingProgress  # noqa: F401
    with pytest.raises((TypeError, ValueError)) as info:
        eval(call)
    plt.close("all")
    assert name in str(info.value), str(info.value)


# --------------------------------------------------------------------------- the review's one-liners

def test_review_finding_9_one_liner():
    from course_utils import sigmoid
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(TypeError, match="z must hold real numbers; got complex"):
            sigmoid(np.array([1 + 5j]))
        with pytest.raises(TypeError, match="z must hold numbers, not text"):
            sigmoid(["0.5", "1"])


# --------------------------------------------------------------------------- the helpers' corners

def test_object_arrays_ragged_lists_bools_and_sparse():
    from fractions import Fraction

    import scipy.sparse as sp

    from course_utils import binary_cross_entropy, sigmoid
    from course_utils.functions import add_intercept
    assert sigmoid(np.array([Fraction(0), 0.0], dtype=object)).tolist() == [0.5, 0.5]
    with pytest.raises(TypeError, match="z must be an array of real numbers; got str"):
        sigmoid(np.array([0.5, "a"], dtype=object))
    with pytest.raises(TypeError, match="z must be an array of real numbers"):
        sigmoid(np.array([10 ** 400], dtype=object))
    with pytest.raises(TypeError, match="z must be an array of numbers.*different lengths"):
        sigmoid([[1.0], [1.0, 2.0]])
    with pytest.raises(TypeError, match="z must be an array of numbers"):
        sigmoid(np.array(["2020-01-01"], dtype="datetime64[D]"))
    with pytest.raises(TypeError, match="theta must hold numbers, not True/False"):
        binary_cross_entropy(np.array([True, False, True]), XB, YB)
    with pytest.raises(TypeError, match="X must hold real numbers; got a sparse matrix of dtype"):
        add_intercept(sp.csr_matrix(np.array([[1 + 1j, 0]])))


def test_scalars_too_large_for_float():
    from course_utils.landscape import learning_rate_iterates
    with pytest.raises(ValueError, match="lr is too large for float64"):
        learning_rate_iterates(10 ** 400)
    with pytest.raises(ValueError, match="left float64's range at step"):
        learning_rate_iterates(1e102, n_steps=5)


def test_predict_orders_overflowing_scores():
    from course_utils.losses import predict
    X = np.array([[1.0, 1e308, -1e308], [1.0, -1e308, 1e308]])
    Theta = np.array([[0.0, 1e308, 0.0], [0.0, 0.0, 1e308], [0.0, -1e308, -1e308]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert predict(Theta, X).tolist() == [0, 1]
        assert predict(np.array([0.0, 1e308, 1e308]), X[:, [0, 1, 1]]).tolist() == [1, 0]


def test_numerical_gradient_names_f_and_eps():
    from course_utils.gradcheck import numerical_gradient
    with pytest.raises(TypeError, match="f must be a function of theta"):
        numerical_gradient(lambda: 0.0, [1.0])
    with pytest.raises(TypeError, match="f must return one real number.*shape"):
        numerical_gradient(lambda t: t, [1.0, 2.0])
    with pytest.raises(TypeError, match="f must return one real number"):
        numerical_gradient(lambda t: [1, "a"][1], [1.0])
    with pytest.raises(ValueError, match="theta \\+- eps leaves float64's range"):
        numerical_gradient(lambda t: 0.0, [1.7e308], eps=1e308)


def test_more_sizes_and_labels():
    from course_utils import one_hot
    from course_utils.data import make_blobs, train_val_test_split
    from course_utils.losses import multinomial_cross_entropy
    with pytest.raises(ValueError, match="one_hot would build"):
        one_hot(np.zeros(20_000, dtype=int), 10_000)
    with pytest.raises(ValueError, match="K \\* n_per_class must be <= 10000000"):
        make_blobs(5_000_000, 3)
    with pytest.raises(ValueError, match="the number of classes must be <= 10000"):
        multinomial_cross_entropy(np.zeros((20_000, 3)), XB, YM)
    with pytest.raises(ValueError, match="y has 1 missing label"):
        train_val_test_split(X2, np.array([0, 1, None, 0, 1, 0], dtype=object), rng=0)
    with pytest.raises(TypeError, match="y must hold class labels; got complex"):
        train_val_test_split(X2, YB + 1j, rng=0)
    with pytest.raises(TypeError, match="y must be a 1-D array of labels"):
        train_val_test_split(X2, [[0], [1, 2], [0], [1], [0], [1]], rng=0)
    with pytest.raises(ValueError, match="fractions must be three"):
        train_val_test_split(X2, YB, fractions=(1.7e308, -1.7e308, 1.0), rng=0)
    parts = train_val_test_split(X2, np.array(["a", "b"] * 3), rng=0)   # names are labels
    assert sum(len(p[1]) for p in parts) == 6


def test_check_choice_and_expect_types(capsys):
    from course_utils.selfcheck import check_answer, check_choice, expect
    assert check_choice([1], 1) is False
    assert "should be one choice" in capsys.readouterr().out
    with pytest.raises(TypeError, match="name must be a str"):
        check_choice(1, 1, name=3)
    with pytest.raises(TypeError, match="note must be a str"):
        expect("x", 0.1192, 0.12, note=1)
    with pytest.raises(TypeError, match="hint must be a str"):
        check_answer(0.5, 0.5, hint=None)
    with pytest.raises(TypeError, match="name must be a str"):
        check_answer(0.5, 0.5, name=None)
