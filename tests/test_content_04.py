"""Notebook 04 (gradient descent): the corrected statements, the learning-rate schedule,
the library cell, the lecture figures and the explorer's explanations.

Read from the stored notebook, except where a printed result must be shown to hold on
every computer: the schedule comparison and the tightly converged run of the library
cell are replayed here with a relative error of 1e-13 added to theta after every step
(a thousand times a rounding error), and must print the text the notebook stores.
"""

import re

import numpy as np
import pytest
from conftest import (cells, code_cells, code_with, has_image, markdown_cells, output_text,
                      source, stream_text, tagged, tags)

from course_utils.printing import stable

NB = "04"
NOISE, SEEDS = 1e-13, range(3)
FIGURES = {"04_learning_rates", "04_gradient_on_contours", "04_simultaneous_update",
           "04_batch_sgd_minibatch", "04_lr_schedule"}


def prose():
    """All Markdown of the notebook, with every run of white space made one space."""
    return " ".join(" ".join(source(c).split()) for c in markdown_cells(NB))


def flat(text):
    return " ".join(text.split())


def index_of(predicate):
    return next(i for i, c in enumerate(cells(NB)) if predicate(c))


# --------------------------------------------------------------------------- corrected sentences

def test_d7_batch_comes_closer_only_below_the_stability_bound():
    text = prose()
    assert "The lecture's trade-off: batch gradient descent comes closer to the minimum in every step" not in text
    assert "batch gradient descent comes closer to the minimum in every step" not in text.lower()
    assert ("with a learning rate below the stability bound, every step of batch gradient descent "
            r"brings $\theta$ closer to the minimum") in text
    assert r"$\alpha < 2/L$ guarantees that every batch step comes closer" in text
    assert "the lr = 16 run" in text    # the notebook's own counterexample is named


def test_d8_the_overshoot_is_compared_with_the_distance_not_with_the_move():
    text = prose()
    assert "by less than it moved" not in text
    assert r"at distance $(\alpha J'' - 1)\,\delta$" in text
    assert r"what decides is whether it is shorter than $\delta$" in text
    assert r"$|1 - \alpha J''(w^*)| < 1$" in text


def test_j_is_named_as_notebook_03s_loss():
    title = flat(source(cells(NB)[0]))
    assert r"Notebook 03 gave us the loss $J(\theta)$" not in title
    assert r"$J(\theta) = \ell(\theta) = -\tfrac1m \log L(\theta)$" in title


def test_the_score_is_written_theta_dot_x():
    everything = "\n".join(source(c) for c in cells(NB))
    assert r"\theta^T" not in everything and "theta^T" not in everything
    assert r"\sigma(\theta \cdot x^{(i)})" in everything


def test_d_is_explained_where_it_first_appears():
    first_code = index_of(lambda c: c["cell_type"] == "code" and "m, d = X.shape" in source(c))
    before = " ".join(flat(source(c)) for c in cells(NB)[:first_code] if c["cell_type"] == "markdown")
    assert "$d = n + 1$ columns" in before and "`m, d = X.shape`" in before
    # d means nothing else in the notebook's prose (a distance, say)
    assert not re.search(r"\$d\$|\bd\)\$|,\\,d\$", prose())


def test_the_slides_slips_and_the_lectures_name_are_stated():
    text = prose()
    assert r'$0 \le i \le m$": that range holds $m + 1$ indices, one too many' in text
    assert r"The slide's sum runs from $i = 0$ to $m$, which counts $m + 1$ examples" in text
    assert "typically small (0.01), but what counts as small depends on the scale of the features" in text
    assert "*greedy local search*" in text


# --------------------------------------------------------------------------- the schedule section

def schedule_cell():
    return code_with(NB, "def sgd_with_schedule(")[0]


def test_schedule_section_states_robbins_monro_and_asserts_its_claim():
    (section,) = [flat(source(c)) for c in markdown_cells(NB)
                  if "schedule" in source(c).splitlines()[0].lower() and source(c).startswith("## ")]
    assert "Robbins and Monro" in section
    assert r"$\sum_t \alpha_t = \infty$" in section and r"$\sum_t \alpha_t^2 < \infty$" in section
    assert r"$$\alpha_t = \frac{\alpha_0}{1 + t/T},$$" in section
    body, printed = source(schedule_cell()), stream_text(schedule_cell())
    assert "expect_that(" in body and "lambda t: lr0 / (1 + t / T)" in body
    claim = re.search(r"^decayed (\d\.\d{4}) < constant (\d\.\d{4}) ✓$", printed, re.M)
    assert claim and float(claim.group(1)) < float(claim.group(2))
    assert "the constant run ends where the SGD run above ended (difference below 1e-12) ✓" in printed
    others = stream_text(code_with(NB, "for seed in range(1, 5):")[0])
    assert re.search(r"^on every order the decaying rate ends closer to the minimum, by a factor of "
                     r"at least \d+ ✓$", others, re.M)


def schedule_replica(noise, seed):
    """The schedule section's runs written out, all at once (one row of theta per run):
    the two runs on the SGD comparison's order and on four other orders, and the
    batch run to ||grad J|| < 1e-8 that gives J*. With ``noise``, a relative error of
    that size is added to theta after every step. Returns the lines the notebook prints."""
    from course_utils.data import make_blobs
    from course_utils.functions import add_intercept
    from course_utils.losses import binary_cross_entropy as J, binary_cross_entropy_grad
    X_2d, y = make_blobs(500, 2, spread=1.2, rng=2)
    X, m, lr0, T = add_intercept(X_2d), len(y), 0.05, 1000
    jitter = np.random.default_rng(seed)

    theta, norms = np.array([0.0, -3.0, 3.0]), []   # J*: batch gradient descent, lr = 1
    while True:
        norms.append(np.linalg.norm(binary_cross_entropy_grad(theta, X, y)))
        if norms[-1] < 1e-8:
            break
        theta = theta - 1.0 * binary_cross_entropy_grad(theta, X, y)
        theta = theta * (1.0 + noise * jitter.standard_normal(3))
    assert norms[-1] < 1e-8 * (1 - 1e-3) and min(norms[:-1]) > 1e-8 * (1 + 1e-3)  # stops clearly
    J_star = J(theta, X, y)

    orders = []
    for order_seed in range(5):   # 0: the comparison's order (optim's rng=0), then 1..4
        rng = np.random.default_rng(order_seed)
        orders += [np.concatenate([rng.permutation(m) for _ in range(3)])] * 2
    order = np.array(orders)                                    # (runs, steps)
    t = np.arange(order.shape[1])
    rates = np.array([lr0 + 0 * t, lr0 / (1 + t / T)] * 5)      # constant, decaying, ...
    thetas = np.tile([0.0, -3.0, 3.0], (len(order), 1))
    for step in t:
        rows = X[order[:, step]]
        p = 1 / (1 + np.exp(-np.einsum("rk,rk->r", thetas, rows)))
        thetas = thetas - rates[:, step, None] * rows * (p - y[order[:, step]])[:, None]
        thetas = thetas * (1.0 + noise * jitter.standard_normal(thetas.shape))
    excess = np.array([J(theta, X, y) for theta in thetas]) - J_star

    lines = [f"the minimum (batch gradient descent, converged): J* = {stable(J_star):.5f}"]
    for name, e in [("constant rate:", excess[0]), ("decaying rate:", excess[1])]:
        lines.append(f"after 3 epochs, {name:15s} J = {stable(J_star + e):.5f}, J - J* = {stable(e):.1e}")
    lines.append(f"decayed {stable(J_star + excess[1]):.4f} < constant {stable(J_star + excess[0]):.4f} ✓")
    ratios = excess[0::2] / excess[1::2]
    assert ratios.min() > 5   # not by a hair: the decaying run ends at least 5 times closer
    for k in range(1, 5):
        lines.append(f"order {k}: J - J* = {stable(excess[2 * k]):.1e} constant, "
                     f"{stable(excess[2 * k + 1]):.1e} decaying")
    lines.append(f"on every order the decaying rate ends closer to the minimum, by a factor of at "
                 f"least {stable(ratios[1:].min()):.0f} ✓")
    return lines


def test_schedule_comparison_prints_the_same_text_when_its_last_bits_change():
    shown = schedule_replica(0.0, 0)
    stored = stream_text(code_cells(NB))
    missing = [line for line in shown if line not in stored]
    assert not missing, f"the replica does not print what the notebook stores: {missing}"
    for seed in SEEDS:
        assert schedule_replica(NOISE, seed) == shown


# --------------------------------------------------------------------------- now with the library

def test_library_cell_compares_with_logistic_regression_within_a_justified_tolerance():
    nb = cells(NB)
    (cell,) = tagged(NB, "with-the-library")
    i = next(k for k, c in enumerate(nb) if c is cell)
    before = flat(source(nb[i - 1]))
    assert before.startswith("**Now with the library.**")
    assert "stopping rule" in before and r"$10^{-6}$" in before and r"\|\nabla J(\theta)\| / \mu" in before
    body, out = source(cell), output_text(cell)
    assert "LogisticRegression(C=np.inf" in body and "agree(" in body and "tol=1e-6" in body
    assert "tol=1e-8" in body
    assert "sklearn.linear_model.LogisticRegression(C=np.inf):" in out
    assert "largest difference below 1e-06 ✓" in out


def tight_run_line(noise, seed):
    """The library cell's batch run (lr = 0.5 until ||grad J|| < 1e-8) written out."""
    from course_utils.data import make_blobs
    from course_utils.functions import add_intercept, sigmoid
    X_2d, y = make_blobs(50, 2, spread=1.0, rng=0)
    X, jitter = add_intercept(X_2d), np.random.default_rng(seed)
    theta, norms = np.zeros(3), []
    while True:
        grad = X.T @ (1 / (1 + np.exp(-(X @ theta))) - y) / len(y)
        norms.append(np.linalg.norm(grad))
        if norms[-1] < 1e-8:
            break
        theta = (theta - 0.5 * grad) * (1.0 + noise * jitter.standard_normal(3))
    assert norms[-1] < 1e-8 * (1 - 1e-3) and min(norms[:-1]) > 1e-8 * (1 + 1e-3)  # stops clearly
    p = sigmoid(X @ theta)
    mu = np.linalg.eigvalsh(X.T @ (X * (p * (1 - p))[:, None]) / len(y))[0]
    return [f"batch gradient descent: converged after {len(norms) - 1} steps; smallest curvature "
            f"mu = {stable(mu):.3f}, so ||theta - theta*|| < 1e-8 / mu = {stable(1e-8 / mu):.1e}",
            f"{stable(theta):.5f}"], theta


def test_library_cell_prints_the_same_text_when_its_last_bits_change():
    from sklearn.linear_model import LogisticRegression
    from course_utils.data import make_blobs
    lines, theta = tight_run_line(0.0, 0)
    (cell,) = tagged(NB, "with-the-library")
    printed = stream_text(cell).splitlines()
    assert lines[0] in printed
    assert [ln for ln in printed if ln.startswith("  ours:")][0].endswith(" " + lines[1])
    for seed in SEEDS:
        assert tight_run_line(NOISE, seed)[0] == lines
    # L-BFGS stops within about 1e-9 of the minimum, and its path may differ between
    # computers: its printed digits must be clear of a rounding boundary by more than that
    X_2d, y = make_blobs(50, 2, spread=1.0, rng=0)
    fit = LogisticRegression(C=np.inf, tol=1e-10, max_iter=1000).fit(X_2d, y)
    library = np.r_[fit.intercept_, fit.coef_[0]]
    assert np.max(np.abs(library - theta)) < 1e-6
    assert f"{stable(library, margin=1e-7):.5f}" in stream_text(cell)


# --------------------------------------------------------------------------- figures

def first_sentence(text):
    paragraph = text.split("\n\n")[0]
    end = paragraph.find(". ")
    return flat(paragraph if end < 0 else paragraph[:end + 1])


def test_lecture_figures_are_named_drawn_once_and_described():
    nb = cells(NB)
    names = []
    for i, c in enumerate(nb):
        if "lecture-figure" not in tags(c):
            continue
        name = c["metadata"]["course"]["figure"]
        names.append(name)
        assert c["cell_type"] == "code"
        images = [o for o in c["outputs"] if "image/png" in o.get("data", {})]
        assert len(images) == 1, f"{name}: draws {len(images)} figures"
        assert "plt.close" not in source(c) and "widget" not in source(c)
        description = source(nb[i + 1])
        assert nb[i + 1]["cell_type"] == "markdown" and description.startswith("*Figure:*")
        sentence = first_sentence(description[len("*Figure:*"):])
        assert 30 < len(sentence) < 250 and sentence.endswith(".") and "e.g." not in sentence
    assert sorted(names) == sorted(FIGURES) and len(set(names)) == len(names)


def figure_cell(name):
    (cell,) = [c for c in cells(NB) if c["metadata"].get("course", {}).get("figure") == name]
    return cell


def test_the_perpendicularity_figures_have_equal_axis_scales():
    text = prose()
    assert "crosses every contour line at a right angle, provided the map has equal scales" in text
    assert 'ax.set_aspect("equal")' in source(figure_cell("04_gradient_on_contours"))
    assert 'ax_map.set_aspect("equal")' in source(figure_cell("04_simultaneous_update"))


@pytest.mark.parametrize("name", ["04_simultaneous_update", "04_batch_sgd_minibatch", "04_lr_schedule"])
def test_long_drawing_code_is_folded_and_announced(name):
    nb = cells(NB)
    i = next(k for k, c in enumerate(nb) if c is figure_cell(name))
    assert nb[i]["metadata"]["jupyter"]["source_hidden"] is True
    assert nb[i - 1]["cell_type"] == "markdown" and "folded away" in source(nb[i - 1])
    assert has_image(nb[i])


def test_sgd_is_recorded_after_every_update_in_the_comparison():
    body = source(code_with(NB, 'method="sgd", lr=0.05')[0])
    assert 'method="sgd", lr=0.05, max_epochs=3, record_every=1' in body
    assert "recorded after every update" in flat(source(
        cells(NB)[index_of(lambda c: c is figure_cell("04_batch_sgd_minibatch")) + 1]))


# --------------------------------------------------------------------------- the explorer

def test_explorer_split_profile_and_divergence_are_explained():
    nb = cells(NB)
    i = index_of(lambda c: c["cell_type"] == "code" and "binary_explorer(lr=" in source(c))
    intro = flat(source(nb[i - 1]))
    assert "split 20/40/40: 30 for training, 60 for validation and 60 for testing" in intro
    assert "80/10/10" in intro and "overfits quickly" in intro
    assert "*profile*" in intro and r"the lowest loss over the intercept $\theta_0$" in intro
    assert "need not cross the contour lines at right angles" in intro
    assert r"$2\lambda = 0.02$" in intro and r"$2 / (2\lambda) = 100$" in intro
    checks = stream_text(code_with(NB, "compute_binary(lr=100.0, lam=0.0)")[0])
    assert "lr = 100 with lambda = 0: the weights do not diverge ✓" in checks


def test_explorer_at_lr_100_without_penalty_stays_far_from_the_divergence_limit():
    from course_utils.widgets import MAX_NORM, compute_binary
    run = compute_binary(lr=100.0, lam=0.0).trajectory
    assert run.status != "diverged"
    assert np.max(np.linalg.norm(run.thetas, axis=1)) < MAX_NORM / 5
