"""Notebook 02's content: theta . x, sklearn.metrics, the threshold as a shift of theta_0.

Read from the stored notebook: no theta^T x is left (prose, figure labels, printed headers);
the "Now with the library" cell compared the course's metrics with sklearn.metrics on the 16
points; the new section shows that a threshold t is the intercept theta_0 - logit(t) at one
half, for thresholds on both sides of one half, with values recomputed here; calibration is
named and points to notebook 08; the lecture figures carry their names, images and
descriptions, and their drawing code is folded.
"""

from __future__ import annotations

import math
import re

import numpy as np
from conftest import cells, code_cells, library_cell, output_text, source

from course_utils.data import LECTURE_THETA, lecture_points

NB = "02"
THETA_T = re.compile(r"\\theta\s*\^\s*\{?\s*(T|\\top)\s*\}?|θᵀ|theta\^T")
THRESHOLD_HEADING = r"## A threshold other than one half is a shift of $\theta_0$"


def test_no_theta_transpose_x_is_left():
    left = [source(c)[:60] for c in cells(NB) if THETA_T.search(source(c) + output_text(c))]
    assert left == []
    assert any(source(c).startswith(r"## The decision boundary $\theta \cdot x = 0$") for c in cells(NB))
    labels = "".join(source(c) for c in code_cells(NB))
    assert r"\sigma(\theta \cdot x)" in labels and r"$\theta \cdot x > 0$" in labels


def test_sklearn_metrics_agree_with_the_course_metrics():
    _, cell, before = library_cell(NB)
    assert "`sklearn.metrics`" in before
    assert "10^{-12}" in before, "the markdown says why the tolerance has its size"
    code, out = source(cell), output_text(cell)
    for name in ["accuracy_score", "precision_score", "recall_score", "f1_score", "confusion_matrix"]:
        assert f"metrics.{name}(y, y_pred)" in code
    assert out.count("largest difference below 1e-12 ✓") == 2
    assert "sklearn.metrics: [0.6875, 0.777778, 0.7, 0.736842]" in out
    assert "sklearn.metrics: [[4, 2], [3, 7]]" in out
    assert "scikit-learn's ratios as fractions: 11/16, 7/9, 7/10, 14/19" in out
    # no answer of an exercise in it: the library cell comes before them and shows label 1 only
    assert "label=0" not in code and "pos_label" not in code


def test_the_threshold_is_a_shift_of_theta0_on_the_sixteen_points():
    nb = cells(NB)
    i = next(k for k, c in enumerate(nb) if source(c).startswith(THRESHOLD_HEADING))
    text = " ".join(source(nb[i]).split())
    assert r"\operatorname{logit}(t) = \log\frac{t}{1 - t}" in text
    assert r"\theta_0 - \operatorname{logit}(t)" in text
    out = output_text(nb[i + 1])
    checks = re.findall(r"^t = (\d\.\d\d): the same 16 predictions as theta_0 = (-?\d\.\d{3}) at 0\.5 "
                        r"\(nearest score (\d\.\d\d) from logit\(t\)\) ✓$", out, re.M)
    assert len(checks) >= 3
    ts = [float(t) for t, _, _ in checks]
    assert min(ts) < 0.5 < max(ts), "thresholds on both sides of one half"
    # recompute each line from the lecture's data
    X, y = lecture_points()
    scores = np.c_[np.ones(len(X)), X] @ np.asarray(LECTURE_THETA, dtype=float)
    for t, theta0, margin in checks:
        t = float(t)
        logit = math.log(t / (1 - t))
        assert theta0 == f"{LECTURE_THETA[0] - logit:.3f}"
        assert margin == f"{np.min(np.abs(scores - logit)):.2f}" and float(margin) > 0.05
        by_probability = 1 / (1 + np.exp(-scores)) >= t
        shifted = 1 / (1 + np.exp(-(scores - logit))) >= 0.5
        assert np.array_equal(by_probability, shifted)
    # the table's precision and recall move as the text says: a higher t, fewer positives
    rows = re.findall(r"^(\d\.\d\d)\s+(-?\d\.\d{3})\s+(-?\d\.\d{3})\s+(\d+)\s+(\d+)\s+([0-9.]+)\s+([0-9.]+)$",
                      out, re.M)
    recalls = [float(r[6]) for r in rows]
    assert len(rows) == len(checks) and recalls == sorted(recalls, reverse=True)
    assert ("0.50", "0.000", "-1.000", "7", "2", "0.778", "0.700") in rows


def test_calibration_is_named_and_points_to_notebook_08():
    nb = cells(NB)
    i = next(k for k, c in enumerate(nb) if source(c).startswith(THRESHOLD_HEADING))
    after = " ".join(source(nb[i + 2]).split())
    assert "**calibrated**" in after and "Notebook 08" in after and "reliability diagram" in after
    summary = " ".join(source(nb[-1]).split())
    assert r"\theta_0 - \operatorname{logit}(t)" in summary and "14/19" in summary


# The lecture figures' names, pictures and sentences are checked for every notebook in
# tests/test_lecture_figures.py and tests/test_notebook_structure.py.

