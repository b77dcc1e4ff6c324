"""Notebook 03's content beyond the lecture's worked numbers.

What cross-entropy measures (entropy, cross-entropy, KL, one-hot labels), why the
zero of the gradient has no closed form, the course's notation (the score theta . x,
l then J, L the likelihood, examples as rows, the slides' 0..m sums), the "now with
the library" cells, the lecture figures, and the drawing code kept out of sight.
The tests read the stored notebook; nbval proves that the code still prints it.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from conftest import (cell_printing, cells, code_cells, has_image, markdown_cells, output_text,
                      source, tagged, tags)
from scipy.special import expit

NB = "03"
FIGURES = {"03_lecture_vs_learnt_boundary", "03_loss_per_example", "03_convex_vs_plateau"}


def index_of(cell):
    return next(i for i, c in enumerate(cells(NB)) if c is cell)


def markdown_with(needle):
    found = [c for c in markdown_cells(NB) if needle in source(c)]
    assert found, f"no markdown cell of notebook 03 contains {needle!r}"
    return found


def heading_index(heading):
    return index_of(markdown_with(heading)[0])


# --------------------------------------------------------------------------- cross-entropy

def test_cross_entropy_section_comes_after_the_loss_and_its_exercises():
    section = heading_index("## What cross-entropy measures")
    assert heading_index("## The cross-entropy loss") < section < heading_index("## Convexity")
    # it states the loss of one example, so it follows the exercises on that loss
    exercises = [index_of(c) for c in markdown_cells(NB) if source(c).startswith("### Exercise")]
    before = [i for i in exercises if i < section]
    assert len(before) == 2, "Exercises 1 and 2 (the loss) come before the section"
    solutions = [index_of(c) for c in tagged(NB, "solution")]
    assert max(i for i in solutions if i < section) > max(before)


def test_cross_entropy_section_states_h_kl_and_one_hot():
    text = source(markdown_with("## What cross-entropy measures")[0])
    for needle in [r"H(q) = \sum_k q_k \log \frac{1}{q_k}", r"H(q, p) = \sum_k q_k \log \frac{1}{p_k}",
                   r"\mathrm{KL}(q \,\Vert\, p) = \sum_k q_k \log \frac{q_k}{p_k}",
                   r"$$H(q, p) = H(q) + \mathrm{KL}(q \,\Vert\, p).$$", "one-hot", "$H(q) = 0$",
                   "minimising the\ncross-entropy is minimising the KL divergence", "*empirical*"]:
        assert needle in text, needle


def test_ce_equals_h_plus_kl_is_asserted_with_the_right_numbers():
    cell = cell_printing(NB, "H(q) + KL(q || p) = ")
    assert "expect(" in source(cell)
    out = output_text(cell)
    # recomputed here: the soft label (0.3, 0.7) against the model's p at score -2
    q, p = np.array([0.3, 0.7]), np.array([1 - expit(-2.0), expit(-2.0)])
    h, ce, kl = np.sum(q * np.log(1 / q)), np.sum(q * np.log(1 / p)), np.sum(q * np.log(q / p))
    assert abs(h + kl - ce) < 1e-12
    assert (f"soft label: H(q) = {h:.4f}   H(q, p) = {ce:.4f}   KL(q || p) = {kl:.4f}") in out
    assert f"H(q) + KL(q || p) = {ce:.4f}   (H(q, p): {ce:.4f}) ✓" in out
    assert "largest entropy of the 16 one-hot labels = 0.0000   (by hand: 0.0000) ✓" in out
    assert "mean of H(q, p) over the 16 examples = 0.5375   (the loss of this notebook: 0.5375) ✓" in out
    assert "SymPy: H(q, p) - H(q) - KL(q || p) simplifies to 0" in out
    assert "✗" not in out
    # the text after the cell quotes the soft label's entropy as printed
    assert f"$H(q) = {h:.4f}$, reached when $p = q$" in source(cells(NB)[index_of(cell) + 1])
    # the value the notebook's own loss prints for the lecture's theta
    assert "lecture's theta     -log(L)/m = 0.5375   cross-entropy = 0.5375" in output_text(
        cell_printing(NB, "-log(L)/m = "))


# --------------------------------------------------------------------------- no closed form

def test_no_closed_form_is_explained_after_the_gradient():
    text = source(markdown_with("normal equations")[0])
    for needle in ["inside a $\\sigma$", "**linear** in $\\theta$", "X^T X\\,\\theta = X^T y",
                   "**iterate**", "notebook 04"]:
        assert needle in text, needle
    gradient = index_of(markdown_with(r"\nabla_\theta\,\ell = \frac{1}{m} X^T")[0])
    assert gradient < index_of(markdown_with("normal equations")[0])


def test_no_closed_form_demo_is_shown_not_asserted_and_its_root_is_a_root():
    cell = cell_printing(NB, "sp.nsolve")
    assert "assert" not in source(cell) and "expect" not in source(cell)
    out = output_text(cell)
    assert "sp.solve:" in out
    theta = float(re.search(r"theta_1 = (-?\d+\.\d{4})$", out, re.M).group(1))
    # features 1 and sqrt 2, labels 1 and 0: the printed theta_1 zeroes the gradient
    residual = 1 * (expit(theta) - 1) + np.sqrt(2) * expit(np.sqrt(2) * theta)
    assert abs(residual) < 1e-4


# --------------------------------------------------------------------------- notation

def test_the_score_is_theta_dot_x_everywhere():
    for c in cells(NB):
        text = source(c) + output_text(c)
        assert r"\theta^T" not in text and "θᵀ" not in text and "theta^T" not in text, source(c)[:80]


def test_l_then_j_and_l_as_likelihood_are_said_once():
    found = markdown_with("From notebook 04 on the course writes $J(\\theta)$")
    assert len(found) == 1
    text = source(found[0])
    assert "## The cross-entropy loss" in text
    assert "$L(\\theta)$ always stays the\nlikelihood" in text
    assert "exam question of notebook 07 uses $L$ for a *log*-likelihood" in text


def test_the_slides_0_to_m_sums_are_called_a_slip_where_the_sum_appears():
    text = source(markdown_with("from $i = 0$ to $m$")[0])
    assert "\\sum_{i=1}^{m}\\frac{\\partial}{\\partial \\theta_k}" in text
    assert "a slip of one" in text and "numbered 1 to $m$" in text


def test_examples_are_rows_here_and_columns_on_the_slides():
    text = source(markdown_with("one *column* per example")[0])
    assert "one **row** per example" in text and "transpose" in text and "$d = n + 1$" in text


# --------------------------------------------------------------------------- the library

def test_with_the_library_cells_agree_and_say_why_their_tolerance():
    found = tagged(NB, "with-the-library")
    assert len(found) == 2
    calls = {"sklearn.metrics.log_loss": "10^{-12}", "scipy.optimize.check_grad": "10^{-6}"}
    for cell, (call, tol) in zip(found, calls.items()):
        before = cells(NB)[index_of(cell) - 1]
        assert before["cell_type"] == "markdown"
        assert source(before).startswith("**Now with the library.**") and call in source(before)
        assert tol in source(before), f"the text before {call} states the tolerance {tol}"
        out = output_text(cell)
        assert re.search(r"^  largest difference below \S+ ✓$", out, re.M), out
        assert "✗" not in out
        assert "agree(" in source(cell)
    assert "sklearn.metrics.log_loss: [0.537497, 0.431928]" in output_text(found[0])
    out = output_text(found[1])
    assert "check_grad(loss_fn, grad_fn, theta_check) < 1e-6" in source(found[1])
    assert "length of (formula - forward differences) below 1e-6 ✓" in out
    assert "for the flipped sign it is above 0.1 ✓" in out


def test_library_cells_follow_the_from_scratch_parts():
    log_loss_cell, check_grad_cell = tagged(NB, "with-the-library")
    assert index_of(log_loss_cell) > index_of(code_with_source("ce = binary_cross_entropy(theta, Xb, y)"))
    assert index_of(check_grad_cell) > index_of(code_with_source("def wrong_grad(theta):"))


def code_with_source(needle):
    found = [c for c in code_cells(NB) if needle in source(c)]
    assert len(found) == 1, needle
    return found[0]


# --------------------------------------------------------------------------- lecture figures

@pytest.mark.parametrize("cell", tagged(NB, "lecture-figure"),
                         ids=lambda c: c["metadata"].get("course", {}).get("figure", "?"))
def test_lecture_figure_draws_one_figure_and_is_described(cell):
    name = cell["metadata"]["course"]["figure"]
    assert re.fullmatch(r"03_[a-z0-9]+(_[a-z0-9]+)*", name)
    images = [o for o in cell["outputs"] if "image/png" in o.get("data", {})]
    assert len(images) == 1 and has_image(cell)
    assert source(cell).count("plt.subplots(") == 1 and "plt.close" not in source(cell)
    assert "fontsize" not in source(cell), "font sizes come from the style"
    after = cells(NB)[index_of(cell) + 1]
    text = source(after)
    assert after["cell_type"] == "markdown" and text.startswith("*Figure:* ")
    first = text[len("*Figure:* "):].split(". ")[0]
    assert "e.g" not in first and 40 < len(first) < 300, first


def test_the_lecture_figures_are_the_three_named():
    names = [c["metadata"]["course"]["figure"] for c in tagged(NB, "lecture-figure")]
    assert sorted(names) == sorted(FIGURES)


# --------------------------------------------------------------------------- D24 and hidden code

def test_convex_versus_plateau_is_a_readable_contour_pair():
    cell = next(c for c in tagged(NB, "lecture-figure")
                if c["metadata"]["course"]["figure"] == "03_convex_vs_plateau")
    code = source(cell)
    assert "projection" not in code and "plot_surface" not in code, "no 3-D surfaces"
    assert "plot_loss_contours" in code and 'label="mean loss (own scale)"' in code
    assert cell["metadata"]["jupyter"]["source_hidden"] is True
    before = source(cells(NB)[index_of(cell) - 1])
    assert "folded away" in before and "its own scale" in before
    assert "Each panel has its own colour scale." in source(cells(NB)[index_of(cell) + 1])


def test_short_latex_helper_is_folded_away_and_the_steps_stay_visible():
    helper = code_with_source("def short_latex(expr):")
    assert helper["metadata"]["jupyter"]["source_hidden"] is True
    steps = code_with_source("symbolic.binary_ce_gradient_steps")
    assert steps["metadata"].get("jupyter", {}).get("source_hidden") is not True
    assert index_of(helper) + 1 == index_of(steps)
    assert "`short_latex` (its cell is folded away)" in source(cells(NB)[index_of(helper) - 1])


def test_hidden_code_cells_are_announced_and_only_draw_or_display():
    for cell in code_cells(NB):
        if cell["metadata"].get("jupyter", {}).get("source_hidden") and "solution" not in tags(cell):
            before = source(cells(NB)[index_of(cell) - 1])
            assert "folded away" in before, source(cell)[:60]


def test_summary_names_kl_and_the_missing_closed_form():
    summary = source(cells(NB)[-1])
    assert "\\mathrm{KL}" in summary and "closed-form" in summary and "$J(\\theta)$" in summary
