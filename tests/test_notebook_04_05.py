"""Notebooks 04 (gradient descent) and 05 (regularization, early stopping): content checks.

nbval re-runs the notebooks and compares their outputs; these tests check, on the stored
notebooks, that the lecture's content is there and asserted: the SGD quiz numbers, the
slide's loops, the pitfall, the stopping rules, the static figures, the explorers, and an
exercise with a self-check and a hidden worked solution for each topic. The last
section checks that what the notebooks print is the same on every computer.
"""

import math
import re

import numpy as np
import pytest
from conftest import (NOTEBOOK_DIR, cells, cells_printing, code_cells, code_with, has_image,
                      headings, lecture_numbers, source, stream_text, tags)

from course_utils.printing import stable

NB04 = NOTEBOOK_DIR / "04_gradient_descent.ipynb"
NB05 = NOTEBOOK_DIR / "05_regularization_and_early_stopping.ipynb"


@pytest.mark.parametrize("path, topics", [
    (NB04, ["one dimension", "learning rate", "two parameters", "batch gradient descent",
            "simultaneous", "stochastic", "minibatch", "stop", "compared", "explorer"]),
    (NB05, ["zero", "l2", "weights and to the boundary", "intercept", "validation", "patience",
            "explorer"]),
])
def test_sections_follow_the_lecture(path, topics):
    heads = [h.lower() for h in headings(path) if h.startswith("## ")]
    positions = []
    for topic in topics:
        hits = [i for i, h in enumerate(heads) if topic in h]
        assert hits, f"{path.name}: no section about {topic!r} in {heads}"
        positions.append(hits[0])
    assert positions == sorted(positions), f"{path.name}: sections out of lecture order"
    assert heads[-1] == "## summary"


def test_sgd_quiz_is_asserted_with_the_slide_numbers():
    # expect() prints "(slide: ...) ✓" only after comparing, at the slide's decimals
    shown = lecture_numbers(NB04)
    assert "gradient = (-0.39, -0.32)   (slide: (-0.39, -0.32)) ✓" in shown
    assert "theta after one step = (0.0439, 0.5032)   (slide: (0.0439, 0.5032)) ✓" in shown


def test_slide_loops_are_written_out_and_match_the_library():
    (cell,) = code_with(NB04, "for k in range(d):")
    body = source(cell)
    assert body.count("for k in range(d):") == 2  # gradient first, then the update
    assert "batch_gradient_descent(" in body and "assert np.allclose(theta, run_batch.theta" in body


def test_pitfall_runs_both_updates_and_measures_the_angle():
    cell = code_with(NB04, 'update="sequential"')[0]
    body = source(cell)
    assert "assert angles_right.max() < 1e-3 and angles_wrong.max() > 5" in body
    # 0 in exact arithmetic: printed as a bound, not as rounding noise
    assert "largest angle to -grad J: simultaneous below 0.001 degrees (0 up to rounding)" in stream_text(cell)


def test_stopping_rules_are_asserted():
    cell = code_with(NB04, "tol=1e-3")[0]
    assert 'assert stopped.status == "converged"' in source(cell)
    assert stream_text(cell).startswith("converged - Converged after")
    cell = code_with(NB05, "patience=5, **settings")[0]
    assert 'stopped_run.status == "early_stopped"' in source(cell)
    assert "theta restored to step 90" in stream_text(cell)


def test_early_stopping_is_evaluated_once_on_the_test_set():
    cell = code_with(NB05, "def report(")[0]
    assert "assert loss_early < loss_full" in source(cell)
    lines = stream_text(cell).splitlines()
    assert lines[0].startswith("early stopping (step 90):") and lines[1].startswith("all 1500 steps:")
    early, full = (float(re.search(r"test loss (\d\.\d+)", line).group(1)) for line in lines[:2])
    assert early < full


def test_split_is_80_10_10():
    cell = code_with(NB05, "train_val_test_split(")[0]
    text = stream_text(cell)
    for part in ("training  : 320 examples (80%)", "validation:  40 examples (10%)",
                 "test      :  40 examples (10%)"):
        assert part in text


@pytest.mark.parametrize("path, figure", [(NB04, "make_learning_rate_figure(style=STYLE)"),
                                          (NB05, "make_lambda_path_figure(style=STYLE)")])
def test_static_figure_is_shown_and_described(path, figure):
    nb = cells(path)
    index = next(i for i, c in enumerate(nb) if c["cell_type"] == "code" and figure in source(c))
    assert has_image(nb[index])
    assert source(nb[index + 1]).startswith("*Figure:*")


@pytest.mark.parametrize("path", [NB04, NB05])
def test_explorer_cell_is_ignored_by_nbval_and_checked_elsewhere(path):
    nb = cells(path)
    index = next(i for i, c in enumerate(nb)
                 if c["cell_type"] == "code" and "binary_explorer(" in source(c) and "import" not in source(c))
    assert "nbval-ignore-output" in tags(nb[index])
    checks = [c for c in nb[index + 1:] if c["cell_type"] == "code" and "compute_binary(" in source(c)]
    assert checks and "assert " in source(checks[0])
    before = [source(c) for c in nb[max(0, index - 2):index] if c["cell_type"] == "markdown"]
    assert any("RISE" in s and "make present" in s for s in before)


def test_explorer_in_05_has_the_lambda_and_patience_controls():
    (cell,) = [c for c in code_with(NB05, "binary_explorer(") if "import" not in source(c)]
    assert "lam=" in source(cell) and "patience=" in source(cell)


@pytest.mark.parametrize("path, minimum", [(NB04, 3), (NB05, 2)])
def test_exercises_self_check_and_hide_a_worked_solution(path, minimum):
    nb = cells(path)
    exercises = [i for i, c in enumerate(nb)
                 if c["cell_type"] == "markdown" and re.match(r"### Exercise \d", source(c))]
    assert len(exercises) >= minimum
    for i in exercises:
        following = nb[i + 1:i + 6]
        answer, check = following[0], following[1]
        assert "= None" in source(answer) and "your" in source(answer)
        assert source(check).startswith("exercises.check(") and "exercise-check" in tags(check)
        solution = next(c for c in following if "solution" in tags(c))
        assert solution["metadata"]["jupyter"]["source_hidden"] is True
        assert source(check) in source(solution) and "assert feedback.correct" in source(solution)
        assert solution["metadata"]["jupyter"]["outputs_hidden"] is True
        assert stream_text(solution).rstrip().splitlines()[-1].startswith("Correct")


# --------------------------------------------------------------------------- same digits everywhere
#
# nbval compares the stored outputs digit for digit on computers whose floating point differs
# in the last bits. Every printed number goes through stable(), which refuses a value on a
# rounding boundary. What a long run prints must not depend on those bits either: below,
# every stopping test of a printed run comes out clearly (no gradient norm near tol, no
# ||theta|| near the divergence limit, no validation loss near a tie with the best), and a
# replica of every printed run, with a relative error of 1e-13 (a thousand times a rounding
# error) added to theta after each step, prints the text the notebook stores.

NOISE, SEEDS = 1e-13, range(3)
FLOAT_FIELD = re.compile(r"\{([^{}:]+):[^{}]*\.\d+[efg%]\}")


@pytest.mark.parametrize("path", [NB04, NB05], ids=["04", "05"])
def test_computed_numbers_are_printed_through_the_boundary_check(path):
    code = [source(c) for c in code_cells(path)]
    lines = [ln.split("#")[0] for s in code for ln in s.splitlines()]
    assert not [ln for ln in lines if "np.round(" in ln]
    assert any("from course_utils.printing import rounded, stable" in s for s in code)
    # every f-string field with a precision (.4f, .2e, .3g, .0%) formats through stable()
    bare = [m.group(0) for ln in lines for m in FLOAT_FIELD.finditer(ln)
            if not m.group(1).startswith("stable(")]
    assert not bare, f"{path.name}: computed numbers printed without stable(): {bare}"


def printed(path, text):
    """Whether exactly one code cell of ``path`` has ``text`` in its stored output."""
    return len(cells_printing(path, text, streams_only=True)) == 1


def decided_clearly(run, max_norm=1e6, margin=1e-3, keeps_best=False):
    """Assert that every stopping test of ``run`` came out clearly, so that it stops at the
    same step, with the same status and the same kept theta, on every computer. With
    patience (or ``keeps_best``: its best validation step is used), every check of the
    validation loss against the best one so far must be clear too."""
    tol, g = run.settings["tol"], run.grad_norms
    if tol > 0:
        if run.status == "converged":
            assert g[-1] < tol * (1 - margin) and np.all(g[:-1] > tol * (1 + margin))
        else:
            assert np.all(g[np.isfinite(g)] > tol * (1 + margin))
    norms = np.linalg.norm(run.thetas.reshape(len(run.thetas), -1), axis=1)
    if run.status == "diverged":
        assert norms[-1] > max_norm * (1 + margin) and np.all(norms[:-1] < max_norm * (1 - margin))
    else:
        assert np.all(norms < max_norm * (1 - margin))
    if run.settings["patience"] is not None or keeps_best:
        # optim counts a check as an improvement when it beats the best by more than 1e-12
        v = run.val_losses
        assert np.all(np.abs(v[1:] - np.minimum.accumulate(v)[:-1]) > 1e-9)


def gd_replica(X, y, *, lr, steps, lam=0.0, theta0=None, batch_size=None, rng=0,
               sequential=False, noise=0.0, seed=0):
    """course_utils.optim's updates written out: batch, the slide's sequential sweep, or
    minibatches (SGD: batch_size=1) in a fresh order every epoch, drawn as optim draws it.
    With ``noise``, a relative error of that size is added to theta after every step.
    Returns theta after every step, the start first."""
    from course_utils.losses import binary_objective    # what optim calls, without the checks

    def grad(theta, X, y, lam):
        return binary_objective(theta, X, y, lam)[1]
    m = len(y)
    b = m if batch_size is None else batch_size
    order, gen, jitter = np.arange(m), np.random.default_rng(rng), np.random.default_rng(seed)
    theta = np.zeros(X.shape[1]) if theta0 is None else np.array(theta0, dtype=float)
    thetas = [theta]
    for step in range(steps):
        if sequential:
            theta = theta.copy()
            for k in range(theta.size):
                theta[k] -= lr * grad(theta, X, y, lam)[k]
        elif b == m:
            theta = theta - lr * grad(theta, X, y, lam)
        else:
            pos = step % math.ceil(m / b) * b
            if pos == 0:
                order = gen.permutation(m)
            rows = order[pos:pos + b]
            theta = theta - lr * grad(theta, X[rows], y[rows], lam)
        if noise:
            theta = theta * (1.0 + noise * jitter.standard_normal(theta.shape))
        thetas.append(theta)
    return np.array(thetas)


def patience_rule(val_losses, patience):
    """(stop index or None, best index): optim's early-stopping rule on a list of checks."""
    best, best_index, since = np.inf, None, 0
    for i, v in enumerate(val_losses):
        if v < best - 1e-12:
            best, best_index, since = v, i, 0
        else:
            since += 1
        if since > patience:
            return i, best_index
    return None, best_index


def line_problem():
    from course_utils.figures import line_data
    from course_utils.functions import add_intercept
    x, y = line_data()
    return add_intercept(x[:, None]), y


def blobs_problem(n, spread, rng):
    from course_utils.data import make_blobs
    from course_utils.functions import add_intercept
    X, y = make_blobs(n, 2, spread=spread, rng=rng)
    return add_intercept(X), y


def noise_feature_problem():
    from course_utils.data import make_blobs, train_val_test_split
    from course_utils.functions import add_intercept
    rng = np.random.default_rng(3)
    X_signal, y_all = make_blobs(200, 2, spread=1.3, rng=rng)
    X_all = np.c_[X_signal, rng.standard_normal((len(y_all), 150))]
    return train_val_test_split(add_intercept(X_all), y_all, rng=rng)


def nb04_one_weight(noise, seed):
    from course_utils.figures import one_weight_grad, one_weight_minimum
    w_star, h = one_weight_minimum(), 1e-5
    threshold = 2 / (float(one_weight_grad(w_star + h) - one_weight_grad(w_star - h)) / (2 * h))
    jitter, lines = np.random.default_rng(seed), []
    for factor in (0.9, 1.1):   # 1.1: it settles on a two-cycle around w*, 0.55 away
        ws = [w_star + 0.1]
        for _ in range(200):
            w = ws[-1] - factor * threshold * float(one_weight_grad(ws[-1]))
            ws.append(w * (1.0 + noise * jitter.standard_normal()))
        distance = abs(ws[-1] - w_star)
        shown = "below 1e-10" if distance < 1e-10 else f"{stable(distance):.2f}"
        lines.append(f"last three w = {stable(ws[-3:]):.4f}, distance to w* {shown}")
    return lines


def nb04_valley(noise, seed):
    from course_utils.losses import binary_cross_entropy as J
    X, y = line_problem()
    theta = gd_replica(X, y, lr=1.0, steps=300, theta0=[2.0, -1.0], noise=noise, seed=seed)[-1]
    return [f"after 300 steps: theta = {stable(theta):.4f}, J = {stable(J(theta, X, y)):.4f}"]


def nb04_pitfall(noise, seed):
    from course_utils.losses import binary_cross_entropy as J, binary_cross_entropy_grad
    X, y = line_problem()
    right, wrong = (gd_replica(X, y, lr=1.0, steps=60, theta0=[2.0, -1.0], sequential=seq,
                               noise=noise, seed=seed + 10 * seq) for seq in (False, True))

    def largest_angle(thetas):
        angles = []
        for before, after in zip(thetas[:-1], thetas[1:]):
            down, step = -binary_cross_entropy_grad(before, X, y), after - before
            cos = step @ down / (np.linalg.norm(step) * np.linalg.norm(down))
            angles.append(np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))))
        return max(angles)

    assert largest_angle(right) < 1e-3
    return [f"sequential {stable(largest_angle(wrong)):.1f} degrees",
            f"distance between the two paths after 60 steps: {stable(np.linalg.norm(right[-1] - wrong[-1])):.3f}",
            f"loss after 60 steps: simultaneous {stable(J(right[-1], X, y)):.4f}, "
            f"sequential {stable(J(wrong[-1], X, y)):.4f}"]


def nb04_blobs(noise, seed):
    # run_batch (100 steps), the stopping run (the same run, until ||grad J|| < 1e-3), minibatch
    from course_utils.losses import binary_cross_entropy as J, binary_cross_entropy_grad
    X, y = blobs_problem(50, 1.0, 0)
    batch = gd_replica(X, y, lr=0.5, steps=220, noise=noise, seed=seed)
    norms = [float(np.linalg.norm(binary_cross_entropy_grad(theta, X, y))) for theta in batch]
    stop = next(t for t, g in enumerate(norms) if g < 1e-3)
    minibatch = gd_replica(X, y, lr=0.5, steps=200, batch_size=10, rng=0, noise=noise, seed=seed + 10)
    lines = [f"course_utils.optim: theta = {stable(batch[100]):.4f}",
             f"Converged after {stop} steps: the gradient norm {stable(norms[stop]):.2e} fell below",
             f"minibatch {stable(J(minibatch[-1], X, y)):.4f}; "
             f"batch after 20 epochs (= 20 steps): {stable(J(batch[20], X, y)):.4f}"]
    for t in range(0, stop + 1, 50):
        ratio = "" if t == 0 else f"{stable(norms[t] / norms[t - 50]):.3f}"
        lines.append(f"{t:7d}   {stable(norms[t]):.2e}   {ratio}\n")
    return lines


def nb04_compared(noise, seed):
    from course_utils.losses import binary_cross_entropy as J
    X, y = blobs_problem(500, 1.2, 2)
    start = [0.0, -3.0, 3.0]
    runs = {  # name: (thetas, steps between records, rows per step)
        "batch": (gd_replica(X, y, lr=0.5, steps=30, theta0=start, noise=noise, seed=seed), 1, 1000),
        "SGD": (gd_replica(X, y, lr=0.05, steps=3000, theta0=start, batch_size=1, noise=noise,
                           seed=seed + 10), 1, 1),   # recorded after every step, as in the figure
        "minibatch (32)": (gd_replica(X, y, lr=0.5, steps=160, theta0=start, batch_size=32,
                                      noise=noise, seed=seed + 20), 1, 32),
    }
    lines = []
    for name, (thetas, every, rows) in runs.items():
        losses = np.array([J(theta, X, y) for theta in thetas])
        steps = every * (len(thetas) - 1)
        seen = rows * every * np.arange(len(thetas))
        lines.append(f"{name:15s} {steps:5d} steps, {seen[-1]:6d} examples seen, "
                     f"final J = {stable(losses[-1]):.4f}")
        lines.append(f"{name:15s} lowest loss within 1000 examples: "
                     f"{stable(losses[seen <= 1000].min()):.4f}")
    return lines


def nb04_explorer(noise, seed):
    from course_utils.widgets import MAX_NORM, default_binary_data
    data, lines = default_binary_data(), []
    for lr in (0.1, 30.0, 100.0):
        thetas = gd_replica(data.A_train, data.y_train, lr=lr, lam=0.01, steps=200,
                            theta0=[0.0, -3.0, 3.0], noise=noise, seed=seed)
        too_far = np.flatnonzero(np.linalg.norm(thetas, axis=1) > MAX_NORM)
        steps = int(too_far[0]) if too_far.size else 200
        status = "diverged" if too_far.size else "max_steps"
        lines.append(f"lr = {lr:5g}: {status:9s} after {steps:3d} steps, "
                     f"||(theta_1, theta_2)|| = {stable(np.linalg.norm(thetas[steps][1:])):.3g}")
    return lines


def nb05_no_penalty(noise, seed):
    from course_utils.figures import lambda_path_data
    from course_utils.functions import add_intercept
    from course_utils.losses import binary_cross_entropy as J, binary_cross_entropy_grad
    X_2d, y = lambda_path_data()
    X = add_intercept(X_2d)
    thetas = gd_replica(X, y, lr=1.0, steps=1000, noise=noise, seed=seed)
    lines = []
    for t in (10, 30, 100, 300, 1000):
        theta = thetas[t]
        gnorm = np.linalg.norm(binary_cross_entropy_grad(theta, X, y))
        lines.append(f"{t:7d}   {stable(np.linalg.norm(theta[1:])):20.2f}   "
                     f"{stable(J(theta, X, y)):15.4f}   {stable(gnorm):.1e}")
    return lines


def nb05_noise_features(noise, seed):
    # the full run, early stopping with patience 5 on it, the test-set report, and lambda
    from course_utils.losses import binary_cross_entropy as J
    (X, y), (X_val, y_val), (X_test, y_test) = noise_feature_problem()

    def report(name, theta):
        accuracy = np.mean((X_test @ theta > 0) == y_test)
        return (f"{name:28s} test loss {stable(J(theta, X_test, y_test)):.3f}, test accuracy "
                f"{stable(accuracy):.3f}, ||noise weights|| = {stable(np.linalg.norm(theta[3:])):.2f}")

    lines, final_val = [], {}
    for k, lam in enumerate((0.0, 0.01, 0.1, 1.0)):
        thetas = gd_replica(X, y, lr=0.05, lam=lam, steps=1500, noise=noise, seed=seed + 10 * k)
        if lam == 0.0:
            val = [J(theta, X_val, y_val) for theta in thetas[::10]]
            stop, best = patience_rule(val, 5)
            lines += [f"Stopped early after {10 * stop} steps",
                      f"theta restored to step {10 * best}, validation loss {stable(val[best]):.4f}.",
                      report(f"early stopping (step {10 * best}):", thetas[10 * best]),
                      report("all 1500 steps:", thetas[-1])]
        final_val[lam] = J(thetas[-1], X_val, y_val)
        lines.append(f"{lam:8g}   {stable(J(thetas[-1], X, y, lam)):19.3f}   "
                     f"{stable(final_val[lam]):21.3f}   {stable(np.linalg.norm(thetas[-1][3:])):17.2f}")
        if lam == 0.1:
            lines.append(report("lambda = 0.1, 1500 steps:", thetas[-1]))
    assert min(final_val, key=final_val.get) == 0.1
    return lines


def nb05_explorer(noise, seed):
    from course_utils.losses import binary_cross_entropy as J
    from course_utils.widgets import default_binary_data
    data = default_binary_data()
    lines = []
    for lam in (0.0, 1.0):   # lambda = 1 at lr = 1 overshoots, and its weights grow
        thetas = gd_replica(data.A_train, data.y_train, lr=1.0, lam=lam, steps=200,
                            theta0=[0.0, -3.0, 3.0], noise=noise, seed=seed + 10 * (lam > 0))
        weights = np.linalg.norm(thetas[-1][1:])
        if lam == 0.0:
            lines.append(f"lambda = 0.0 : max_steps ||(theta_1, theta_2)|| = {stable(weights):5.2f}, "
                         f"validation loss {stable(J(thetas[-1], data.A_val, data.y_val)):.3f}")
            stop, best = patience_rule([J(theta, data.A_val, data.y_val) for theta in thetas], 5)
            lines.append(f"lambda = 0 with patience 5: early_stopped, kept theta = "
                         f"{stable(thetas[best]):.4f}")
        else:
            lines.append(f"lambda = 1, lr = 1.0: max_steps after 200 steps, "
                         f"||(theta_1, theta_2)|| = {stable(weights):.3g}")
    return lines


REPLICAS = {NB04: [nb04_one_weight, nb04_valley, nb04_pitfall, nb04_blobs, nb04_compared,
                   nb04_explorer],
            NB05: [nb05_no_penalty, nb05_noise_features, nb05_explorer]}


@pytest.mark.parametrize("path, replica", [(p, r) for p, rs in REPLICAS.items() for r in rs],
                         ids=lambda x: x.__name__ if callable(x) else x.name[:2])
def test_long_runs_print_the_same_text_when_their_last_bits_change(path, replica):
    shown = replica(0.0, 0)
    missing = [line for line in shown if not printed(path, line)]
    assert not missing, f"the replica does not print what {path.name} stores: {missing}"
    for seed in SEEDS:
        assert replica(NOISE, seed) == shown


def test_04_every_printed_run_stops_clearly():
    from course_utils.optim import batch_gradient_descent
    from course_utils.widgets import MAX_NORM, compute_binary
    X, y = line_problem()
    best_2d = batch_gradient_descent(X, y, lr=1.0, theta0=[2.0, -1.0], max_steps=20_000, tol=1e-9)
    assert (best_2d.status, best_2d.n_steps) == ("converged", 1054) and printed(NB04, "after 1054 steps")
    decided_clearly(best_2d)
    X, y = blobs_problem(50, 1.0, 0)
    stopped = batch_gradient_descent(X, y, lr=0.5, tol=1e-3, max_steps=10_000)
    assert (stopped.status, stopped.n_steps) == ("converged", 209)
    decided_clearly(stopped)
    assert "assert g_last < 0.999e-3 < 1.001e-3 < g_before" in source(code_with(NB04, "tol=1e-3")[0])
    statuses = {}
    for lr in (0.1, 1.0, 10.0, 30.0, 100.0):
        run = compute_binary(lr=lr, lam=0.01).trajectory
        decided_clearly(run, max_norm=MAX_NORM)
        statuses[lr] = (run.status, run.n_steps)
    assert statuses == {0.1: ("max_steps", 200), 1.0: ("converged", 141), 10.0: ("converged", 16),
                        30.0: ("max_steps", 200), 100.0: ("diverged", 17)}


def test_05_every_printed_run_stops_clearly():
    from course_utils.figures import lambda_path_data
    from course_utils.functions import add_intercept
    from course_utils.optim import batch_gradient_descent
    from course_utils.widgets import MAX_NORM, compute_binary
    X_2d, y = lambda_path_data()
    X = add_intercept(X_2d)
    no_penalty = batch_gradient_descent(X, y, lr=1.0, max_steps=1000, tol=1e-6, record_every=10)
    with_penalty = batch_gradient_descent(X, y, lr=1.0, lam=0.01, max_steps=1000, tol=1e-6)
    assert (no_penalty.status, with_penalty.status, with_penalty.n_steps) == ("max_steps", "converged", 175)
    decided_clearly(no_penalty)
    decided_clearly(with_penalty)
    (X, y), (X_val, y_val), _ = noise_feature_problem()
    settings = dict(lr=0.05, max_steps=1500, tol=0, X_val=X_val, y_val=y_val, record_every=10)
    full_run = batch_gradient_descent(X, y, **settings)
    stopped_run = batch_gradient_descent(X, y, patience=5, **settings)
    decided_clearly(full_run, keeps_best=True)   # its best step is the one early stopping keeps
    decided_clearly(stopped_run)
    assert (stopped_run.n_steps, stopped_run.best_step, full_run.best_step) == (150, 90, 90)
    runs = [compute_binary(lr=1.0, lam=lam) for lam in (0.0, 0.01, 0.1, 0.3)]
    runs += [compute_binary(lr=lr, lam=1.0) for lr in (1.0, 0.5)]
    runs += [compute_binary(lr=1.0, lam=0.0, patience=5)]
    for r in runs:
        decided_clearly(r.trajectory, max_norm=MAX_NORM)
    assert [r.status for r in runs] == ["max_steps"] + ["converged"] * 3 + ["max_steps", "converged",
                                                                           "early_stopped"]


def test_05_fits_keep_every_point_clear_of_the_boundary():
    # A training accuracy counts points with P > 0.5: a point whose score is within rounding
    # of 0 would make the count depend on the computer. Newton's path is exact to the last
    # digits; SciPy's L-BFGS-B stops within ~1e-8 of the minimum, so its printed digits are
    # kept 1e-6 (relative) clear of a rounding boundary, and its result must survive noise.
    from scipy.optimize import minimize
    from course_utils.figures import lambda_path, lambda_path_data
    from course_utils.functions import add_intercept
    from course_utils.losses import binary_cross_entropy_and_grad
    X_2d, y = lambda_path_data()
    X, X_moved = add_intercept(X_2d), add_intercept(X_2d + np.array([5.0, 0.0]))
    for theta in lambda_path(X, y, [0.001, 0.1, 1.0]):
        assert np.min(np.abs(X @ theta)) > 1e-3

    def fit(X, lam, penalise_intercept, noise=0.0, seed=0):
        jitter = np.random.default_rng(seed)

        def J_and_grad(theta):
            J, grad = binary_cross_entropy_and_grad(theta, X, y, lam)
            if penalise_intercept:
                J = J + lam * theta[0] ** 2
                grad = grad + np.r_[2 * lam * theta[0], np.zeros(theta.size - 1)]
            if noise:
                J = J * (1.0 + noise * jitter.standard_normal())
                grad = grad * (1.0 + noise * jitter.standard_normal(grad.shape))
            return J, grad
        options = {"gtol": 1e-12, "ftol": 1e-15, "maxiter": 1000}
        return minimize(J_and_grad, np.zeros(X.shape[1]), jac=True, method="L-BFGS-B", options=options).x

    assert 'options = {"gtol": 1e-12, "ftol": 1e-15, "maxiter": 1000}' in source(code_with(NB05, "def fit(")[0])
    stored = stream_text(code_with(NB05, "def fit(")[0])
    for penalise in (False, True):
        probs = {seed: [] for seed in (None, *SEEDS)}
        for data in (X, X_moved):
            theta = fit(data, 0.1, penalise)
            assert np.min(np.abs(data @ theta)) > 1e-3
            line = f"theta = {stable(theta, margin=1e-6):.4f}"
            assert line in stored
            probs[None].append(1 / (1 + np.exp(-data @ theta)))
            for seed in SEEDS:
                noisy = fit(data, 0.1, penalise, NOISE, seed)
                assert f"theta = {stable(noisy):.4f}" == line
                assert np.max(np.abs(noisy - theta)) < 1e-6
                probs[seed].append(1 / (1 + np.exp(-data @ noisy)))
        if not penalise:   # printed as "below 1e-6": the same model, up to the optimiser's precision
            assert "largest change of a predicted probability: below 1e-6" in stored
            assert all(np.max(np.abs(here - moved)) < 1e-7 for here, moved in probs.values())
