"""Notebook 05's content: the corrected sentences, the sign trap, scikit-learn, lecture figures.

Read from the stored notebook: the wrong sentences of the review are gone and their
corrections are there (the penalty *adds* 2 lambda to the curvature; relying more on x2
makes the boundary flatter, with the slopes recomputed from the printed weights); the
slide's L-hat is read as a loss, with the likelihood's opposite sign explained; the
explorer's 20/40/40 split is explained; the score is theta . x; the "Now with the
library" cell compared the course's minimiser with scikit-learn's through
C = 1 / (2 lambda m), and its numbers are recomputed here; the lecture figures carry
their names, images and descriptions, and long drawing code is folded.
"""

from __future__ import annotations

import re

import numpy as np
from conftest import library_cell
from conftest import cells, code_cells, has_image, markdown_cells, output_text, source, tags

NB = "05"
THETA_T = re.compile(r"\\theta\s*\^\s*\{?\s*(T|\\top)\s*\}?|θᵀ|theta\^T")
FIGURES = ["05_weights_grow_on_separable_data", "05_regularisation_path", "05_early_stopping"]


def _flat(text):
    return " ".join(text.split())


def _prose():
    return _flat("\n".join(source(c) for c in markdown_cells(NB)))


def _section(heading):
    """The Markdown of the section that starts with ``heading``, up to the next "## "."""
    nb, out, inside = cells(NB), [], False
    for c in nb:
        text = source(c)
        if c["cell_type"] == "markdown" and text.startswith("## "):
            inside = text.startswith(heading)
        if inside and c["cell_type"] == "markdown":
            out.append(text)
    assert out, f"no section {heading!r}"
    return _flat("\n".join(out))


def test_the_score_is_written_theta_dot_x_and_d_is_defined():
    left = [source(c)[:60] for c in cells(NB) if THETA_T.search(source(c) + output_text(c))]
    assert left == []
    prose = _prose()
    assert r"\theta \cdot x" in prose and "$d = n + 1$" in prose


def test_the_penalty_adds_to_the_curvature_it_does_not_double_it():
    prose = _prose()
    assert "curves upward at least twice as steeply" not in prose
    assert "with $\\lambda = 1$ the penalty adds 2 to it (it adds, it does not double)" in prose
    assert "$2/(2\\lambda + h) < 1$" in prose


def test_more_weight_on_x2_makes_the_boundary_flatter_with_the_printed_slopes():
    prose = _prose()
    assert "the model relies more on x2 and the line turns towards it" not in re.sub(r"[$_]", "", prose)
    assert "the boundary becomes flatter, closer to horizontal" in prose
    claimed = re.search(r"about \$(-[\d.]+)\$, \$(-[\d.]+)\$ and \$(-[\d.]+)\$ for the three", prose)
    assert claimed, "the slopes of the three boundaries are stated"
    printed = [c for c in code_cells(NB) if "lambda = 0.001: theta = [" in output_text(c)]
    assert len(printed) == 1
    thetas = [np.array(t.split(", "), dtype=float) for t in
              re.findall(r"theta = \[([^\]]+)\]", output_text(printed[0]))]
    slopes = [-t[1] / t[2] for t in thetas]
    assert len(slopes) == 3 and slopes[0] < slopes[1] < slopes[2] < 0      # flatter each time
    for said, slope in zip(claimed.groups(), slopes):
        assert abs(float(said) - slope) < 0.06, (said, slope)


def test_the_slides_L_hat_is_a_loss_and_the_sign_trap_is_taught():
    nb = cells(NB)
    i = next(k for k, c in enumerate(nb) if source(c).startswith("## The L2 penalty"))
    trap = _flat(source(nb[i + 1]))
    assert trap.startswith("**Minimised or maximised? A sign to check.**")
    assert r"$\hat L(\theta) = L(\theta) + \lambda \sum_j \theta_j^2$" in trap
    assert "*likelihood*" in trap and "reward large weights" in trap
    assert r"$\log L(\theta) - \lambda \sum_j \theta_j^2$" in trap and r"$\lambda / m$" in trap
    assert "exam question in notebook 07" in trap


def test_the_explorers_inverse_split_is_explained():
    explorer = _section("## The explorer with $\\lambda$ and patience")
    for part in ("20% for training (30 points)", "40% each for validation and test (60 points each)",
                 "80/10/10", "overfitting shows"):
        assert part in explorer


def test_sklearn_finds_the_courses_minimiser_through_C():
    from sklearn.linear_model import LogisticRegression

    from course_utils.figures import lambda_path, lambda_path_data
    from course_utils.functions import add_intercept

    i, cell, before = library_cell(NB)
    assert "`sklearn.linear_model.LogisticRegression`" in before
    assert r"$$C = \frac{1}{2\lambda m}.$$" in before and "`lbfgs`" in before
    assert "10^{-10}" in before and "10^{-6}" in before, "the text says why the tolerance has its size"
    code, out = source(cell), output_text(cell)
    assert "C = 1 / (2 * lam_sk * m)" in code and "LogisticRegression(C=C, tol=1e-10" in code
    assert "m = 40, lambda = 0.1: C = 1 / (2 lambda m) = 0.1250" in out
    assert "largest difference below 1e-06 ✓" in out
    rows = dict(re.findall(r"^  (ours|sklearn LogisticRegression):\s+\[([^\]]+)\]$", out, re.M))
    ours, theirs = (np.array(rows[k].split(", "), dtype=float)
                    for k in ("ours", "sklearn LogisticRegression"))
    # recomputed: the course's minimiser and scikit-learn's at C = 1 / (2 lambda m)
    X2, y = lambda_path_data()
    (theta,) = lambda_path(add_intercept(X2), y, [0.1])
    clf = LogisticRegression(C=1 / (2 * 0.1 * len(y)), tol=1e-10, max_iter=10_000).fit(X2, y)
    assert np.allclose(ours, theta, atol=1e-6) and np.allclose(theirs, theta, atol=1e-6)
    assert np.allclose(np.r_[clf.intercept_, clf.coef_.ravel()], theta, atol=1e-6)


def test_lecture_figures_are_named_drawn_and_described():
    nb = cells(NB)
    # pictures and "*Figure:*" cells: tests/test_notebook_structure.py, test_lecture_figures.py
    tagged = [(k, c) for k, c in enumerate(nb) if "lecture-figure" in tags(c)]
    assert [c["metadata"]["course"]["figure"] for _, c in tagged] == FIGURES
    grow = next(k for k, c in tagged if c["metadata"]["course"]["figure"] == FIGURES[0])
    assert "converges after 175 steps" in source(nb[grow + 1])
    assert any("converged after 175 steps" in output_text(c) for c in nb[:grow])


def test_long_drawing_code_is_folded_and_announced():
    nb = cells(NB)
    for k, c in enumerate(nb):
        if c["cell_type"] == "code" and has_image(c) and len(source(c).splitlines()) > 8:
            assert c["metadata"].get("jupyter", {}).get("source_hidden") is True, source(c)[:60]
            assert "folded away" in source(nb[k - 1])
