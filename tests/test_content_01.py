"""Notebook 01's content: the score theta . x, odds and log-odds, expit, lecture figures.

Read from the stored notebook: the score is written theta . x and introduced once next to the
slides' theta^T x; the section on odds states why logistic regression is a "regression" and
asserts the quiz's odds ratio e^2 = 7.39 from the notebook's own model (the numbers are
recomputed here, not copied); the "Now with the library" cell compared the course's sigmoid
with scipy.special.expit; the lecture figures carry their names, images and descriptions.
"""

from __future__ import annotations

import math
import re

import numpy as np
from conftest import cells, code_cells, library_cell, markdown_cells, output_text, source

NB = "01"
THETA_T = re.compile(r"\\theta\s*\^\s*\{?\s*(T|\\top)\s*\}?|θᵀ|theta\^T")
ODDS_HEADING = "## Reading a weight: odds and log-odds"


def cell_index(predicate):
    found = [i for i, c in enumerate(cells(NB)) if predicate(c)]
    assert len(found) == 1, f"{len(found)} cells match"
    return found[0]


def test_the_score_is_theta_dot_x_introduced_once_with_the_slides_theta_transpose_x():
    with_t = [c for c in cells(NB) if THETA_T.search(source(c) + output_text(c))]
    assert len(with_t) == 1, [source(c)[:60] for c in with_t]
    intro = " ".join(source(with_t[0]).split())
    assert intro.startswith("## Features and the dummy feature")
    assert r"\theta \cdot x = \sum_{j=0}^{n} \theta_j x_j" in intro
    assert r"The slides write the score as $\theta^T x$" in intro and "the same number" in intro
    assert "$d = n + 1$" in intro, "d = n + 1 said where d first appears"
    # theta . x is used throughout, in prose and in what the code prints
    assert sum(r"\theta \cdot x" in source(c) for c in markdown_cells(NB)) >= 6
    assert "θ·x for (1, 1, 1) = -2   (slide: -2) ✓" in "".join(output_text(c) for c in code_cells(NB))


def test_the_odds_section_explains_the_regression_in_the_name():
    i = cell_index(lambda c: source(c).startswith(ODDS_HEADING))
    text = " ".join(source(cells(NB)[i]).split())
    assert r"\log \frac{p}{1 - p} = \theta \cdot x" in text
    assert "This is the *regression* in logistic regression: a linear regression model" in text
    assert r"e^{\theta_j}" in text and "odds ratio" in text and r"e^2 \approx 7.39" in text
    summary = " ".join(source(cells(NB)[-1]).split())
    assert "*regression* in the name" in summary and "$e^2 = 7.39$" in summary


def test_the_quiz_odds_ratio_is_asserted_from_the_model():
    i = cell_index(lambda c: source(c).startswith(ODDS_HEADING))
    cell = cells(NB)[i + 1]
    code, out = source(cell), output_text(cell)
    # computed from the notebook's own model, not typed in
    assert "sigmoid(X_reviews @ theta)" in code and "odds[with_f1] / odds[without_f1]" in code
    assert 'source="e^2, by hand"' in code
    ratio = f"{math.exp(2):.2f}"
    assert ratio == "7.39"
    for pair in ["(1, 1, 0) against (1, 0, 0)", "(1, 1, 1) against (1, 0, 1)"]:
        assert f"odds ratio, {pair} = {ratio}   (e^2, by hand: 7.39) ✓" in out
    # the probabilities behind it, recomputed here from theta = (-1, 2, -3)
    p = 1 / (1 + np.exp(-np.array([1.0, -1.0, -2.0, -4.0])))
    assert f"P(y = 1 | x) {p[0]:.3f} against {p[1]:.3f}" in out
    assert f"P(y = 1 | x) {p[2]:.3f} against {p[3]:.3f}" in out
    rises = re.search(r"rises by (\d\.\d\d) in the first pair and by only (\d\.\d\d) in the second ✓", out)
    assert rises and rises.groups() == (f"{p[0] - p[1]:.2f}", f"{p[2] - p[3]:.2f}")
    # the text after the cell quotes the same two numbers
    after = " ".join(source(cells(NB)[i + 2]).split())
    assert f"moved by {rises.group(1)} in one and by {rises.group(2)} in the other" in after


def test_the_spam_weights_are_read_as_odds_ratios():
    i = cell_index(lambda c: c["cell_type"] == "code" and "def odds_of_spam" in source(c))
    out = output_text(cells(NB)[i])
    theta_spam = [-2.0, 1.0, 1.5, -3.0, 20.0]   # the invented weights of the features section
    assert "theta_spam = np.array([-2.0, 1.0, 1.5, -3.0, 20.0])" in "".join(
        source(c) for c in code_cells(NB))
    for j in (1, 2, 3):
        assert f"theta_{j} = {theta_spam[j]:+.1f}: odds ratio {math.exp(theta_spam[j]):.3f}" in out
    assert f"theta_4 = +20.0: odds ratio {math.exp(0.01 * 20):.3f}" in out
    assert out.rstrip().endswith("to 1e-12 ✓")


def test_scipy_expit_agrees_with_the_course_sigmoid():
    i, cell, before = library_cell(NB)
    assert "`scipy.special.expit`" in before
    assert "10^{-12}" in before, "the markdown says why the tolerance has its size"
    code, out = source(cell), output_text(cell)
    assert "-1000.0" in code and "1000.0]" in code, "large |z| included"
    assert "agree(" in code and 'library_name="scipy.special.expit"' in code
    assert "scipy.special.expit: [0, 9.85968e-305" in out
    assert "largest difference below 1e-12 ✓" in out
    assert re.search(r"relative difference below 1e-12 .* ✓", out)
    # after the exercise that builds the sigmoid, not before it
    exercise = next(k for k, c in enumerate(cells(NB)) if "build a sigmoid" in source(c))
    assert exercise < i


# The lecture figures' names, pictures and sentences are checked for every notebook in
# tests/test_lecture_figures.py and tests/test_notebook_structure.py.

