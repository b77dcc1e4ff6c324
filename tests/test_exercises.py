"""course_utils.exercises: every exercise id accepts a right answer, names each listed
mistake, gives a reason for a mixed one, and no message ever holds the expected value."""

from __future__ import annotations

import math
import re
import warnings
from types import SimpleNamespace

import numpy as np
import pytest
import sympy as sp

from course_utils.exercises import EXERCISES, MISCONCEPTIONS, Feedback, check
from course_utils.exercises.notebooks import CHOICE_EXERCISES, NUMBER_EXERCISES
from course_utils.functions import sigmoid, softmax
from course_utils.losses import (binary_cross_entropy, binary_cross_entropy_grad,
                                 multinomial_cross_entropy_grad)


def value_forms(value, digits=range(2, 7)):
    """Every way ``value`` may be written rounded to 2-6 significant digits (both signs)."""
    forms = set()
    for v in np.atleast_1d(np.asarray(value, dtype=float)).ravel():
        if not np.isfinite(v) or v == round(v) and abs(v) < 10:
            continue                        # small whole numbers: see whole_number_forms
        for d in digits:
            for fmt in (f"{{:.{d}g}}", f"{{:#.{d}g}}"):
                text = fmt.format(abs(v)).rstrip(".")
                if "e" not in text and len(re.sub(r"\D|^0+\.?0*", "", text)) >= 2:
                    forms.add(text)
            decimals = max(0, d - 1 - int(math.floor(math.log10(abs(v))))) if v else d
            forms.add(f"{abs(v):.{decimals}f}")
    return forms


def spoils(text, value):
    """Whether ``text`` holds ``value`` rounded to 2-6 significant digits."""
    return any(re.search(rf"(?<![\d.]){re.escape(f)}(?!\d)", text) for f in value_forms(value))


def test_the_scanner_finds_roundings_and_spares_other_numbers():
    assert spoils("p = 0.475", 0.47502081)
    assert spoils("about 0.48 here", 0.47502081)
    assert spoils("-2.13", 2.126928)
    assert not spoils("lam = 0.3 and 12 steps", 0.47502081)
    assert not spoils("10.475", 0.47502081)


# ----------------------------------------------------------------- notebook exercises
DATA = {
    "05.stop_index": {"val_losses": [5.0, 4.0, 3.0, 3.5, 3.6, 3.7, 3.8, 3.9, 1.0], "patience": 3},
    "08.health_recall": {"confusion": np.array([[50, 2, 3, 1], [4, 60, 2, 2], [1, 3, 70, 5],
                                                [6, 2, 4, 80]])},
    "08.sklearn_C": {"lam": 0.003, "m": 1257},
}


def _runs(best):
    runs = {}
    for k, low in [("batch", 1.7), ("SGD", 0.27), ("minibatch (32)", 0.30)]:
        low = 0.1 if k == best else low
        runs[k] = SimpleNamespace(losses=np.array([2.0, low, 0.01]),
                                  examples_seen=np.array([0, 900, 5000]))
    return runs


DATA["04.cheapest"] = {"runs": _runs("SGD")}


def all_messages_free_of(expected, feedbacks):
    for fb in feedbacks:
        assert not spoils(fb.message, expected), fb.message


@pytest.mark.parametrize("name", sorted(NUMBER_EXERCISES))
def test_number_exercise(name):
    ex, data = NUMBER_EXERCISES[name], DATA.get(name, {})
    want = np.asarray(ex.expected(data), dtype=float)
    seen = [check(name, None, **data)]
    assert not seen[0].correct and "Not answered yet" in seen[0].message
    right = check(name, want.tolist() if want.ndim else float(want), **data)
    assert right.correct and right.misconception is None and right.message.startswith("Correct")
    seen.append(right)
    variants = dict(ex.variants(data)) if ex.variants else {}
    if np.any(want != 0):
        variants.setdefault("sign", -want)
    for key, value in variants.items():
        fb = check(name, np.asarray(value, dtype=float), **data)
        assert not fb.correct
        assert fb.misconception == (key if key in MISCONCEPTIONS else None)
        assert fb.message == ex.messages.get(key, fb.message) and fb.message
        seen.append(fb)
    mixed = check(name, want + 3 if ex.integer else want * 1.37 + 0.61, **data)
    assert not mixed.correct and mixed.misconception is None and len(mixed.message) > 20
    seen.append(mixed)
    all_messages_free_of(want, seen)


@pytest.mark.parametrize("name", sorted(CHOICE_EXERCISES))
def test_choice_exercise(name):
    ex, data = CHOICE_EXERCISES[name], DATA.get(name, {})
    right = ex.right(data)
    forms = [right, str(right), f" {str(right).upper()} "]
    if not isinstance(right, str):
        forms.append(float(right))
    for form in forms:                          # "3" for 3, "sgd" for "SGD"
        assert check(name, form, **data).correct, form
    for key in ex.feedback:
        if key != right:
            fb = check(name, key, **data)
            assert not fb.correct and fb.misconception == ex.misconceptions.get(key)
            said = rf"(answer|choice|option|number|is)\s+{re.escape(str(right))}(?!\w)"
            assert re.search(said, fb.message, flags=re.I) is None, fb.message
            if isinstance(right, str):
                assert right.casefold() not in fb.message.casefold(), fb.message
    unknown = check(name, "banana", **data)
    assert not unknown.correct and "should be one of" in unknown.message
    assert not check(name, True, **data).correct


def test_the_choice_follows_the_data():
    assert check("04.cheapest", "batch", runs=_runs("batch")).correct
    assert not check("04.cheapest", "batch", runs=_runs("SGD")).correct


def test_loss_of_the_rounded_probability_is_accepted():
    # the exercise prints sigma(-2) = 0.12; -log(0.12) must count as right
    assert check("03.loss_mixed", -np.log(0.12)).correct


# ---------------------------------------------------------------- student functions
def _stable_sigmoid(z):
    z = np.asarray(z, dtype=float)
    return np.where(z >= 0, 1 / (1 + np.exp(-np.abs(z))), np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))))


def _loss(theta, X, y, lam=0.0, *, sign=1, total=False, intercept=False):
    z = X @ theta
    ce = np.logaddexp(0, z) - y * z
    data = ce.sum() if total else ce.mean()
    pen = np.sum(theta ** 2) if intercept else np.sum(theta[1:] ** 2)
    return sign * (data + lam * pen)


def _grad(theta, X, y, lam=0.0, *, sign=1, total=False, intercept=False, factor=2):
    e = _stable_sigmoid(X @ theta) - y
    g = X.T @ e if total else X.T @ e / len(y)
    t = theta.copy()
    if not intercept:
        t[0] = 0
    return sign * (g + factor * lam * t)


def _mgrad(T, X, y, lam=0.0, *, sign=1, total=False, intercept=False, factor=2):
    P = softmax(X @ T.T, axis=1)
    G = (P - np.eye(T.shape[0])[y]).T @ X
    G = G if total else G / len(y)
    t = T.copy()
    if not intercept:
        t[:, 0] = 0
    return sign * (G + factor * lam * t)


def _gd(X, y, lr, n_steps, theta0, *, seq=False, sign=-1):
    theta = np.array(theta0, dtype=float)
    for _ in range(n_steps):
        if seq:
            for j in range(len(theta)):
                theta[j] += sign * lr * binary_cross_entropy_grad(theta, X, y)[j]
        else:
            theta = theta + sign * lr * binary_cross_entropy_grad(theta, X, y)
    return theta


def _sgd(X, y, lr, theta0, order, *, seq=False, sign=-1, in_order=False):
    theta = np.array(theta0, dtype=float)
    for i in (range(len(y)) if in_order else order):
        if seq:
            for j in range(len(theta)):
                theta[j] += sign * lr * X[i, j] * (sigmoid(X[i] @ theta) - y[i])
        else:
            theta = theta + sign * lr * X[i] * (sigmoid(X[i] @ theta) - y[i])
    return theta


def _es(losses, patience, *, extra=0, one_based=False, give_stop=False):
    best, bi, since = np.inf, 0, 0
    for i, v in enumerate(losses):
        if v < best:
            best, bi, since = v, i, 0
        else:
            since += 1
            if since >= patience + extra:
                return i if give_stop else bi + one_based
    return (len(losses) - 1) if give_stop else bi + one_based


def _naive_softmax(Z, axis=-1):
    e = np.exp(Z)
    return e / e.sum(axis=axis, keepdims=True)


FUNCTION_CASES = {
    "sigmoid": (sigmoid, {"overflow": lambda z: 1 / (1 + np.exp(-np.asarray(z, float))),
                          "sign": lambda z: sigmoid(-np.asarray(z, float))},
                lambda z: 2 * sigmoid(z)),
    "binary_loss": (binary_cross_entropy, {
        "sign": lambda t, X, y, lam=0.0: _loss(t, X, y, lam, sign=-1),
        "sum_not_mean": lambda t, X, y, lam=0.0: _loss(t, X, y, lam, total=True),
        "penalised_intercept": lambda t, X, y, lam=0.0: _loss(t, X, y, lam, intercept=True),
        "wrong_shape": lambda t, X, y, lam=0.0: np.logaddexp(0, X @ t) - y * (X @ t),
        "not_finite": lambda t, X, y, lam=0.0: -np.mean(y * np.log(sigmoid(X @ t))
                                                       + (1 - y) * np.log(1 - sigmoid(X @ t)))
                                              + lam * np.sum(t[1:] ** 2)},
        lambda t, X, y, lam=0.0: _loss(t, X, y, lam, total=True, intercept=True)),
    "binary_gradient": (binary_cross_entropy_grad, {
        "sign": lambda t, X, y, lam=0.0: _grad(t, X, y, lam, sign=-1),
        "sum_not_mean": lambda t, X, y, lam=0.0: _grad(t, X, y, lam, total=True),
        "penalised_intercept": lambda t, X, y, lam=0.0: _grad(t, X, y, lam, intercept=True),
        "missing_factor_2": lambda t, X, y, lam=0.0: _grad(t, X, y, lam, factor=1),
        "wrong_shape": lambda t, X, y, lam=0.0: _grad(t, X, y, lam)[None, :],
        "not_finite": lambda t, X, y, lam=0.0: X.T @ (np.exp(X @ t) / (1 + np.exp(X @ t)) - y)
                                              / len(y) + 2 * lam * np.r_[0, t[1:]]},
        lambda t, X, y, lam=0.0: _grad(t, X, y, lam, intercept=True, factor=1)),
    "batch_gradient_descent": (_gd, {
        "sequential_update": lambda X, y, lr, n, t0: _gd(X, y, lr, n, t0, seq=True),
        "sign": lambda X, y, lr, n, t0: _gd(X, y, lr, n, t0, sign=1)},
        lambda X, y, lr, n, t0: _gd(X, y, lr, n, t0, seq=True, sign=1)),
    "sgd_epoch": (_sgd, {
        "wrong_order": lambda X, y, lr, t0, order: _sgd(X, y, lr, t0, order, in_order=True),
        "sequential_update": lambda X, y, lr, t0, order: _sgd(X, y, lr, t0, order, seq=True),
        "sign": lambda X, y, lr, t0, order: _sgd(X, y, lr, t0, order, sign=1)},
        lambda X, y, lr, t0, order: _sgd(X, y, lr, t0, order, seq=True, sign=1, in_order=True)),
    "early_stopping": (_es, {
        "no_patience": lambda losses, p: int(np.argmin(losses)),
        "off_by_one": lambda losses, p: _es(losses, p, extra=1),
        "stop_not_best": lambda losses, p: _es(losses, p, give_stop=True)},
        lambda losses, p: _es(losses, p, extra=1, give_stop=True)),
    "softmax": (softmax, {"overflow": _naive_softmax,
                          "wrong_axis": lambda Z, axis=-1: softmax(Z, axis=0)},
                lambda Z, axis=-1: softmax(Z, axis=0) ** 2),
    "06.my_softmax": (lambda z: softmax(z), {"overflow": lambda z: _naive_softmax(np.asarray(z))},
                      lambda z: softmax(z) + 0.1),
    "multinomial_gradient": (multinomial_cross_entropy_grad, {
        "sign": lambda T, X, y, lam=0.0: _mgrad(T, X, y, lam, sign=-1),
        "sum_not_mean": lambda T, X, y, lam=0.0: _mgrad(T, X, y, lam, total=True),
        "penalised_intercept": lambda T, X, y, lam=0.0: _mgrad(T, X, y, lam, intercept=True),
        "missing_factor_2": lambda T, X, y, lam=0.0: _mgrad(T, X, y, lam, factor=1),
        "wrong_shape": lambda T, X, y, lam=0.0: _mgrad(T, X, y, lam).T},
        lambda T, X, y, lam=0.0: _mgrad(T, X, y, lam, total=True, factor=1)),
}


def test_every_function_id_is_tested():
    assert set(FUNCTION_CASES) | {"bce_derivative"} == {k for k, v in EXERCISES.items()
                                                        if v in ("function", "expression")}


def _probe_outputs(name):
    from course_utils.exercises.functions import FUNCTIONS
    return [p.expected for p in FUNCTIONS[name][1]()]


@pytest.mark.parametrize("name", sorted(FUNCTION_CASES))
def test_student_function(name):
    right, wrongs, mixed = FUNCTION_CASES[name]
    seen = [check(name, right)]
    assert seen[0].correct, seen[0].message
    for key, fn in wrongs.items():
        fb = check(name, fn)
        assert (fb.correct, fb.misconception) == (False, key), (key, fb.message)
        seen.append(fb)
    fb = check(name, mixed)
    assert not fb.correct and fb.misconception is None and len(fb.message) > 20, fb.message
    seen.append(fb)
    seen.append(check(name, None))
    unfinished = check(name, lambda *args, **kwargs: None)      # the stub's `return None`
    assert not unfinished.correct and unfinished.message.startswith("Not answered yet")
    seen.append(check(name, 0.5))                 # a value, not a function
    assert not seen[-1].correct and "function itself" in seen[-1].message
    for want in _probe_outputs(name):
        all_messages_free_of(want, seen)


def test_overflow_is_detected_whatever_the_warning_filters():
    naive = FUNCTION_CASES["sigmoid"][1]["overflow"]
    for setting in ("raise", "ignore"):
        with np.errstate(all=setting), warnings.catch_warnings():
            warnings.simplefilter("error" if setting == "raise" else "ignore")
            assert check("sigmoid", naive).misconception == "overflow"
            assert check("sigmoid", sigmoid).correct


def test_a_function_that_never_returns_is_stopped(monkeypatch):
    import course_utils.exercises.core as core
    monkeypatch.setattr(core, "TIME_LIMIT", 0.3)

    def forever(z):
        while True:
            pass
    fb = check("sigmoid", forever)
    assert not fb.correct and "did not finish" in fb.message


def test_a_function_that_raises_gets_its_error_named():
    fb = check("softmax", lambda Z, axis=-1: Z.nonexistent)
    assert not fb.correct and "AttributeError" in fb.message


def test_probes_show_a_transposed_multinomial_gradient():
    from course_utils.exercises.functions import FUNCTIONS
    for p in FUNCTIONS["multinomial_gradient"][1]():
        K, d = p.args[0].shape
        assert K != d


# ---------------------------------------------------------------------- the derivation
@pytest.mark.parametrize("answer, key", [
    ("x_j * (sigma(z) - y)", "correct"),
    ("x_j*(1/(1+exp(-z)) - y)", "correct"),
    (sp.Symbol("x_j") * (1 / (1 + sp.exp(-sp.Symbol("z"))) - sp.Symbol("y")), "correct"),
    ("x_j * (y - sigma(z))", "sign"),
    ("sigma(z) - y", "missing_factor"),
    ("x_j * (sigma(z) - y) * sigma(z) * (1 - sigma(z))", "missing_factor"),
    ("x_j * (sigma(z) - 1) * y + x_j * sigma(z) * (1 - y) * 2", "wrong_term"),
    ("x_j * (sigma(z) - y) * y + x_j * sigma(z) ** 2 * (1 - y)", "wrong_term"),
    ("z * y + x_j", None),
])
def test_bce_derivative(answer, key):
    fb = check("bce_derivative", answer)
    assert fb.correct == (key == "correct"), fb.message
    assert fb.misconception == (None if key == "correct" else key), fb.message
    assert fb.message


def test_bce_derivative_unreadable_or_foreign_symbols():
    assert "cannot read" in check("bce_derivative", "x_j * (").message
    assert "theta" in check("bce_derivative", "theta * x_j").message
    assert not check("bce_derivative", 3).correct


# ----------------------------------------------------------------------- the contract
def test_bad_calls_give_named_errors():
    with pytest.raises(ValueError, match="name must be one of the exercise ids"):
        check("01.nope", 1.0)
    with pytest.raises(TypeError, match="name must be an exercise id"):
        check(1, 1.0)
    with pytest.raises(TypeError, match="needs the data keywords"):
        check("08.sklearn_C", 1.0)
    with pytest.raises(TypeError, match="takes no data keywords"):
        check("sigmoid", sigmoid, z=1)


def test_wrong_types_of_answer_are_feedback_not_crashes():
    assert "without quotes" in check("01.p_spam", "0.475").message
    assert "shape" in check("02.line_ab", [1.0, 2.0, 3.0]).message
    assert check("02.line_ab", [1.0, 2.0, 3.0]).misconception == "wrong_shape"
    assert check("01.p_spam", float("nan")).misconception == "not_finite"
    assert "transposed" in check("07.penalty_gradient", np.zeros((4, 3))).message


def test_feedback_shows_itself_as_text_first():
    fb = check("01.p_spam", None)
    assert isinstance(fb, Feedback) and str(fb) == repr(fb) == fb.message
    assert fb._repr_markdown_().startswith("Not answered")
    assert "<div" in fb._repr_html_() and "Not answered" in fb._repr_html_()
    assert bool(check("00.sigmoid_half", 0.0)) is True and bool(fb) is False
    assert "&lt;" in Feedback(False, "<script>").__class__._repr_html_(Feedback(False, "<script>"))


def test_misconception_ids_are_documented():
    import course_utils.exercises as ex
    for key in MISCONCEPTIONS:
        assert f"``{key}``" in ex.__doc__, key
    for name in EXERCISES:
        assert f"``{name}``" in ex.__doc__, name


# ------------------------------------------------------- the notebooks: no spoilers
from conftest import NOTEBOOK_DIR, load, output_text, source, tags  # noqa: E402

NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
CHECK_CALL = re.compile(r'^exercises\.check\("([\w.]+)", (\w+)')


def _folded(cell):
    return cell["metadata"].get("jupyter", {}).get("source_hidden") is True


def _visible_text(cell):
    return "" if _folded(cell) else source(cell) + "\n" + output_text(cell)


def _exercises(nb):
    """(index of the check cell, exercise id, answer variable) for every exercise."""
    return [(i, *CHECK_CALL.match(source(c)).groups()) for i, c in enumerate(nb["cells"])
            if "exercise-check" in tags(c)]


def _right_answer(name):
    """What the exercise expects, where it does not depend on a run in the notebook."""
    if name in NUMBER_EXERCISES and not NUMBER_EXERCISES[name].needs:
        return NUMBER_EXERCISES[name].expected({})
    if name in CHOICE_EXERCISES and not CHOICE_EXERCISES[name].needs:
        return CHOICE_EXERCISES[name].right({})
    return None


def _gives_away(text, var, value):
    """Whether ``text`` states ``value`` as the answer (rounded, or a whole number said so)."""
    arr = np.atleast_1d(np.asarray(value, dtype=float))
    if np.all(arr == np.round(arr)) and arr.size == 1:
        v = int(arr[0])
        said = rf"\b({re.escape(var)}|answer|choice|index)\s*(=|==|is)\s*{v}\b|check_choice\(\w+, {v}\b"
        return re.search(said, text) is not None
    def shown(v):
        # a rounding with a decimal point or three digits: "0.88" is one, "13" a coincidence
        forms = [f for f in value_forms(v) if "." in f or len(f) >= 3]
        return any(re.search(rf"(?<![\d.]){re.escape(f)}(?!\d)", text) for f in forms)
    # an array is given away when every one of its (non-whole) values is
    values = {float(v) for v in arr.ravel() if v != round(v)}
    return bool(values) and all(shown(v) for v in values)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem[:2])
def test_no_spoiler_above_a_check(path):
    nb = load(path)
    found = []
    for i, name, var in _exercises(nb):
        assert name in EXERCISES, f"cell {i}: unknown exercise id {name!r}"
        value = _right_answer(name)
        above = nb["cells"][:i + 1]
        if value is not None:
            found += [(name, k) for k, c in enumerate(above)
                      if _gives_away(_visible_text(c), var, value)]
        # between the exercise's heading and its check, nothing but None is assigned to it
        start = max(k for k in range(i) if re.search(r"^#+ .*Exercise", source(nb["cells"][k]), re.M))
        for k in range(start + 1, i + 1):
            for m in re.finditer(rf"^{re.escape(var)}\s*=\s*(.+)$", source(nb["cells"][k]), re.M):
                if not m.group(1).startswith("None") and "my_softmax(" not in m.group(1):
                    found.append((name, k))
    assert found == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem[:2])
def test_solutions_are_folded_with_their_outputs_hidden(path):
    nb = load(path)
    solutions = [c for c in nb["cells"] if "solution" in tags(c)]
    assert len(solutions) == len(_exercises(nb))
    for c in solutions:
        hidden = c["metadata"].get("jupyter", {})
        assert hidden.get("source_hidden") is True and hidden.get("outputs_hidden") is True
        assert output_text(c).strip(), "nbval strict needs a solution's outputs stored"


def test_odd_answers_get_feedback():
    assert "not numbers" in check("sigmoid", lambda z: "text").message
    assert "a complex" in check("01.p_spam", 1 + 2j).message
    assert check("01.p_spam", np.array([check("01.p_spam", 0.475).correct and 0.47502081])).correct
    assert "whole number" in check("05.stop_index", 2.5, val_losses=[3.0, 2.0, 2.5, 2.6],
                                   patience=1).message
    assert check("05.stop_index", 3, val_losses=[3.0, 2.0, 2.5, 2.6], patience=5).correct
    assert "entries of grad_mine are off" in check("03.grad_mine", [1.0, 2.0, 3.0]).message
    assert check("04.cheapest", "minibatch", runs=_runs("minibatch (32)")).correct
    assert "should be one of" in check("04.cheapest", 3, runs=_runs("SGD")).message
    assert "Not answered yet" in check("04.cheapest", None, runs=_runs("SGD")).message
    assert "Not answered yet" in check("bce_derivative", None).message
    assert "one expression" in check("bce_derivative", sp.Eq(sp.Symbol("x_j"), 1)).message


def test_a_float_error_raised_by_the_students_own_settings_is_overflow():
    def strict(z):
        with np.errstate(over="raise"):
            return 1 / (1 + np.exp(-np.asarray(z, float)))
    assert check("sigmoid", strict).misconception == "overflow"


def test_the_time_limit_holds_outside_the_main_thread(monkeypatch):
    import threading
    import course_utils.exercises.core as core
    monkeypatch.setattr(core, "TIME_LIMIT", 0.3)
    stop = threading.Event()

    def slow(z):
        stop.wait(5)
        return sigmoid(z)
    result = {}
    worker = threading.Thread(target=lambda: result.setdefault("fb", check("sigmoid", slow)))
    worker.start()
    worker.join(10)
    stop.set()
    assert "did not finish" in result["fb"].message
    assert check("sigmoid", sigmoid).correct        # the main thread is as it was


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem[:2])
def test_hints_come_in_levels_behind_clicks_and_no_output_shows_the_second(path):
    nb = load(path)
    checks = [i for i, _, _ in _exercises(nb)]
    outputs = "\n".join(output_text(c) for c in nb["cells"] if c["cell_type"] == "code")
    for i in checks:
        hint = nb["cells"][i + 1]
        assert "hint" in tags(hint) and hint["cell_type"] == "markdown"
        levels = re.findall(r"<details>\s*<summary><b>Hint (\d)</b>.*?</summary>(.*?)</details>",
                            source(hint), flags=re.S)
        assert [n for n, _ in levels] == ["1", "2"], "a nudge, then the method"
        assert "<details open" not in source(hint)
        second = levels[1][1].strip()
        assert second and second not in outputs
        assert re.search(r"Solution", source(nb["cells"][i + 2])), "the worked solution is level 3"


def test_the_spoiler_scan_can_fail():
    nb = load(NOTEBOOKS[1])
    i = next(i for i, name, _ in _exercises(nb) if name == "01.p_spam")
    assert not _gives_away(_visible_text(nb["cells"][i]), "p_spam", _right_answer("01.p_spam"))
    assert _gives_away("P(spam) is about 0.475 here", "p_spam", _right_answer("01.p_spam"))
    assert _gives_away("choice = 2", "choice", _right_answer("01.generative"))
    assert _gives_away("_ = check_choice(choice, 2, {", "choice", 2)


# ------------------------------------------------ notebook 08: the minibatch SGD loop
def _minibatch_sgd(X, y, n_classes, lr, lam, batch_size, n_epochs, rng, *, sign=-1):
    Theta = np.zeros((n_classes, X.shape[1]))
    Y = np.eye(n_classes)[y]
    for _ in range(n_epochs):
        order = rng.permutation(X.shape[0])
        for start in range(0, len(order), batch_size):
            batch = order[start:start + batch_size]
            P = softmax(np.asarray(X[batch] @ Theta.T), axis=1)
            grad = np.asarray((P - Y[batch]).T @ X[batch]) / len(batch)
            penalty = 2 * lam * Theta
            penalty[:, 0] = 0.0
            Theta = Theta + sign * lr * (grad + penalty)
    return Theta


def _sparse_topics(m, seed):
    """Three topics, each with its own 5 of 30 words; a few stray words; CSR with a dummy."""
    import scipy.sparse as sps
    from course_utils.functions import add_intercept
    rng = np.random.default_rng(seed)
    y = np.arange(m) % 3
    dense = (rng.random((m, 30)) < 0.03).astype(float)
    for i, k in enumerate(y):
        dense[i, 5 * k + rng.choice(5, size=2, replace=False)] = 1.0
    return add_intercept(sps.csr_matrix(dense)), y


def test_minibatch_sgd_judged_by_validation_accuracy_and_never_densifying():
    X, y = _sparse_topics(300, 0)
    X_val, y_val = _sparse_topics(90, 1)
    data = dict(X_train=X, y_train=y, X_val=X_val, y_val=y_val, real=False)
    assert EXERCISES["minibatch_sgd"] == "training"
    assert "Not answered yet" in check("minibatch_sgd", None, **data).message
    assert "Not answered yet" in check("minibatch_sgd", lambda *a: None, **data).message
    right = check("minibatch_sgd", _minibatch_sgd, **data)
    assert right.correct, right.message
    dense = check("minibatch_sgd", lambda X, *a: _minibatch_sgd(np.asarray(X), *a), **data)
    assert (dense.correct, dense.misconception) == (False, "densified"), dense.message
    todense = check("minibatch_sgd", lambda X, *a: _minibatch_sgd(X.toarray(), *a), **data)
    assert todense.misconception == "densified"
    ascent = check("minibatch_sgd", lambda *a: _minibatch_sgd(*a, sign=1), **data)
    assert not ascent.correct and ascent.misconception is None
    assert "validation documents right" in ascent.message and "direction" in ascent.message
    shape = check("minibatch_sgd", lambda *a: _minibatch_sgd(*a).T, **data)
    assert shape.misconception == "wrong_shape" and "transposed" in shape.message
    with pytest.raises(TypeError):
        check("minibatch_sgd", _minibatch_sgd, X_train=X, y_train=y)
