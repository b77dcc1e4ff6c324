"""Notebook 06's content: corrected sentences, maximum entropy, one-vs-rest, SciPy, figures.

Read from the stored notebook: the wrong sentences of the review are gone and their
corrections are there (unpenalised intercepts leave a line of minimisers, with the
notebook's check recomputed; when overflow is a real risk; the max-shift is c, not m);
classes are 1..K in prose and figures and the score is theta_k . x; the setup imports
from the package's modules; the new sections assert their claims, and their printed
numbers are recomputed here (the maximum-entropy distribution is the fitted softmax
model; one-vs-rest probabilities do not sum to 1); the "Now with the library" cell
compared softmax and logsumexp with SciPy's on the extreme inputs; the lecture figures
carry their names, images and descriptions, and long drawing code is folded.
"""

from __future__ import annotations

import re

import numpy as np
from conftest import library_cell
from conftest import cells, code_cells, has_image, markdown_cells, output_text, source, tags
from scipy.optimize import minimize

from course_utils.functions import add_intercept, sigmoid, softmax
from course_utils.losses import (binary_cross_entropy_and_grad, multinomial_cross_entropy,
                                 multinomial_cross_entropy_and_grad)

NB = "06"
THETA_T = re.compile(r"\\theta\s*\^\s*\{?\s*(T|\\top)\s*\}?|θᵀ|theta\^T")
FIGURES = ["06_softmax_quiz", "06_two_classes_sigmoid", "06_one_vs_rest"]
QUIZ_THETA = np.array([[0.45, -0.12, 0.14, 1.3], [-0.7, 0.9, 0.68, -0.31], [-0.26, 0.05, 0.12, 0.51]])
# the nine points on a line of sections 7 and 8 (class indices in code)
X_LINE = add_intercept(np.array([[-2.0], [-1.5], [-1.0], [-0.5], [0.0], [0.5], [1.0], [1.5], [2.5]]))
Y_LINE = np.array([0, 0, 1, 0, 1, 2, 1, 2, 2])


def _flat(text):
    return " ".join(text.split())


def _prose():
    return _flat("\n".join(source(c) for c in markdown_cells(NB)))


def _cell_after(heading_start, needle):
    """The first code cell after the Markdown cell starting with ``heading_start`` whose
    source contains ``needle``."""
    nb = cells(NB)
    i = next(k for k, c in enumerate(nb) if source(c).startswith(heading_start))
    return next(c for c in nb[i:] if c["cell_type"] == "code" and needle in source(c))


def _lbfgs(fun_and_grad, size):
    return minimize(fun_and_grad, np.zeros(size), jac=True, method="L-BFGS-B",
                    options={"gtol": 1e-12, "ftol": 1e-15, "maxiter": 1000}).x


def test_notation_theta_k_dot_x_classes_from_1_and_the_shift_c():
    left = [source(c)[:60] for c in cells(NB) if THETA_T.search(source(c) + output_text(c))]
    assert left == []
    prose = _prose()
    assert r"\theta_k \cdot x" in prose and "$d = n + 1$" in prose
    # the max-shift constant is c: m is the number of examples
    assert r"$c = \max_j z_j$" in prose and r"e^{z_k - c}" in prose
    assert r"m = \max_j" not in prose and "e^{z_k - m}" not in prose
    # section 6 numbers the two classes 1 and 2, in prose and in its figure
    two = _flat(source(next(c for c in markdown_cells(NB) if source(c).startswith("## 6. Two classes"))))
    assert r"\sigma(z_2 - z_1)" in two and r"\theta = \theta_2 - \theta_1" in two and "z_0" not in two
    figure = next(c for c in code_cells(NB) if "lecture-figure" in tags(c)
                  and c["metadata"]["course"]["figure"] == "06_two_classes_sigmoid")
    assert 'ylabel="P(class 2)"' in source(figure) and "z_0" not in source(figure)


def test_setup_imports_from_the_package_modules():
    setup = source(code_cells(NB)[0])
    assert "from course_utils.functions import" in setup
    assert re.findall(r"^from course_utils import (.*)$", setup, re.M) == ["exercises"]


def test_the_penalty_leaves_a_line_of_minimisers_when_intercepts_are_free():
    prose = _prose()
    assert "The L2 penalty of notebook 07 picks one of these equivalent solutions" not in prose
    for part in ("not the intercepts $\\theta_{k0}$", "a whole line of them",
                 "the intercept column of the gradient sums to zero over the classes",
                 "If the intercepts were penalised too, the penalty would pick exactly one minimiser"):
        assert part in prose, part
    cell = _cell_after("**Does the L2 penalty remove the spare parameters?**", "shifted[:, 0] += 0.7")
    out = output_text(cell)
    assert "intercepts not penalised: the penalised loss moves by less than 1e-12 ✓" in out
    # recomputed: the quiz Theta, the three points of section 5, labels (1, 0, 2), lambda = 0.5
    X = np.array([[1.0, 1.0, 1.0, 0.0], [1.0, 0.0, 0.0, 1.0], [1.0, 2.0, 1.0, 0.0]])
    y, lam = np.array([1, 0, 2]), 0.5
    shifted = QUIZ_THETA.copy()
    shifted[:, 0] += 0.7
    assert abs(multinomial_cross_entropy(shifted, X, y, lam=lam)
               - multinomial_cross_entropy(QUIZ_THETA, X, y, lam=lam)) < 1e-12
    moved = lam * (np.sum(shifted[:, 0] ** 2) - np.sum(QUIZ_THETA[:, 0] ** 2))
    assert f"intercepts penalised too: it moves by {moved:.4f} ✓" in out


def test_overflow_is_motivated_by_when_it_really_happens():
    prose = _prose()
    assert "scores in the hundreds are not unusual" not in prose
    for part in ("news classifier of notebook 08, keeps them small", "training without a penalty",
                 "raw counts in the hundreds or thousands", "deep networks"):
        assert part in prose, part


def test_maximum_entropy_gives_the_fitted_softmax_model():
    nb = cells(NB)
    i = next(k for k, c in enumerate(nb) if source(c).startswith('## 7. Why "maximum entropy"'))
    text = _flat(source(nb[i]))
    assert r"q(k \mid x) \propto e^{\theta_k \cdot x}" in text and "Lagrange multiplier" in text
    cell = _cell_after('## 7. Why "maximum entropy"', "negative_entropy")
    code, out = source(cell), output_text(cell)
    assert 'method="SLSQP"' in code and "np.sum(q * np.log(q))" in code
    assert "the constraints hold: every row sums to 1, the feature totals are the data's ✓" in out
    assert "the maximum-entropy q is the fitted softmax model: largest difference below 1e-6 ✓" in out
    rows = re.findall(r"\[\[?([^\[\]]+)\]", out.split("classes 1, 2, 3):")[1])
    Q = np.array([r.split() for r in rows], dtype=float)
    # recomputed: the maximum-likelihood softmax model on the nine points
    K, d = 3, 2

    def loss(flat):
        J, grad = multinomial_cross_entropy_and_grad(flat.reshape(K, d), X_LINE, Y_LINE)
        return J, grad.ravel()

    P = softmax(X_LINE @ _lbfgs(loss, K * d).reshape(K, d).T, axis=1)
    assert Q.shape == (9, 3) and np.abs(Q - P).max() < 0.0005 + 1e-9
    # and it satisfies the constraints that define the maximum-entropy problem
    Y = np.eye(K)[Y_LINE]
    assert np.allclose(P.T @ X_LINE, Y.T @ X_LINE, atol=1e-8)


def test_one_vs_rest_probabilities_do_not_sum_to_one():
    cell = _cell_after("## 8. One-vs-rest", "batch_gradient_descent(")
    out = output_text(cell)
    assert "all three binary runs converged ✓" in out
    said = re.search(r"at x_1 = 0 the one-vs-rest probabilities sum to (\d\.\d{3}), not 1 ✓", out)
    assert said
    # recomputed: three binary logistic regressions, class k against the rest
    theta_ovr = np.array([_lbfgs(lambda t, k=k: binary_cross_entropy_and_grad(
        t, X_LINE, (Y_LINE == k).astype(float)), 2) for k in range(3)])
    total = sigmoid(theta_ovr @ np.array([1.0, 0.0])).sum()
    assert abs(total - float(said.group(1))) < 0.0015 and abs(total - 1) > 0.1
    for line in re.findall(r"^\s*-?\d\.\d   \[.*$", out, re.M):
        assert line.rstrip().endswith("1.000"), "softmax's probabilities sum to 1 at every point"
    prose = _prose()
    assert "0.22" in prose and "`sklearn.multiclass.OneVsRestClassifier`" in prose


def test_scipy_softmax_and_logsumexp_agree_on_the_extreme_inputs():
    nb = cells(NB)
    i, cell, before = library_cell(NB)
    assert "`scipy.special.softmax(z, axis=...)`" in before and "`scipy.special.logsumexp(z, axis=...)`" in before
    assert "10^{-12}" in before and "last place" in before, "the text says why the tolerance has its size"
    code, out = source(cell), output_text(cell)
    assert "np.array([z_big, z_tiny])" in code
    assert out.count("largest difference below 1e-12 ✓") == 3
    assert "scipy.special.logsumexp: [1000.41, -999.592]" in out
    assert "scipy.special.softmax: [[0.665241, 0.244728, 0.0900306], [0.665241, 0.244728, 0.0900306]]" in out
    assert "no warning from either library (0 raised) ✓" in out
    # the library cell comes after the exercise on the stable softmax, not before it
    exercise = next(k for k, c in enumerate(nb) if "### Exercise 1" in source(c))
    assert exercise < i


def test_lecture_figures_are_named_drawn_and_described():
    nb = cells(NB)
    # pictures and "*Figure:*" cells: tests/test_notebook_structure.py, test_lecture_figures.py
    tagged = [(k, c) for k, c in enumerate(nb) if "lecture-figure" in tags(c)]
    assert [c["metadata"]["course"]["figure"] for _, c in tagged] == FIGURES


def test_long_drawing_code_is_folded_and_announced():
    nb = cells(NB)
    folded = 0
    for k, c in enumerate(nb):
        if c["cell_type"] == "code" and has_image(c) and len(source(c).splitlines()) > 8:
            assert c["metadata"].get("jupyter", {}).get("source_hidden") is True, source(c)[:60]
            assert "folded away" in source(nb[k - 1])
            folded += 1
    assert folded >= 3
