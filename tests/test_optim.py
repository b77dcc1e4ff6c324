"""course_utils.optim: one loop for batch, SGD and minibatch; stopping rules; divergence."""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp

from course_utils.data import make_blobs, train_val_test_split
from course_utils.functions import add_intercept
from course_utils.losses import binary_cross_entropy_grad, multinomial_cross_entropy
from course_utils.optim import (STATUSES, Trajectory, batch_gradient_descent, gradient_descent,
                                minibatch_gradient_descent, stochastic_gradient_descent)


@pytest.fixture
def blobs():
    X, y = make_blobs(40, 2, spread=1.2, rng=0)
    return add_intercept(X), y


def test_one_sgd_step_reproduces_the_slide():
    run = stochastic_gradient_descent([[1.0, 0.82]], [1], lr=0.01, theta0=[0.04, 0.5],
                                      max_steps=1, rng=0)
    np.testing.assert_array_equal(np.round(run.theta, 4), [0.0439, 0.5032])
    assert run.status == "max_steps" and run.n_steps == 1


def test_batch_gd_is_the_slides_pseudocode(blobs):
    X, y = blobs
    theta = np.zeros(X.shape[1])
    lr = 0.3
    for _ in range(25):
        gradient = np.zeros_like(theta)
        for k in range(len(theta)):
            gradient[k] = np.mean(X[:, k] * (1 / (1 + np.exp(-X @ theta)) - y))
        for k in range(len(theta)):
            theta[k] = theta[k] - lr * gradient[k]
    run = batch_gradient_descent(X, y, lr=lr, max_steps=25, tol=0)
    np.testing.assert_allclose(run.theta, theta, rtol=1e-12)
    assert len(run.thetas) == 26 and run.steps.tolist() == list(range(26))
    assert np.all(np.diff(run.losses) < 0)  # batch GD goes downhill every step here


def test_converges_below_tol_and_says_so(blobs):
    X, y = blobs
    run = batch_gradient_descent(X, y, lr=1.0, lam=0.05, tol=1e-6, max_steps=10_000)
    assert run.status == "converged"
    assert run.grad_norms[-1] < 1e-6 <= run.grad_norms[-2]
    assert np.linalg.norm(binary_cross_entropy_grad(run.theta, X, y, 0.05)) < 1e-6
    assert "Converged" in run.message and f"{run.n_steps} steps" in run.message


def test_huge_learning_rate_diverges_silently_and_keeps_history(blobs):
    X, y = blobs
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = batch_gradient_descent(X, y, lr=100.0, lam=10.0, max_steps=500)
    assert run.status == "diverged"
    assert "Diverged" in run.message and "lr = 100" in run.message
    assert run.n_steps < 500 and len(run.thetas) == len(run.losses) == len(run.steps)
    assert np.all(np.isfinite(run.thetas))


def test_sequential_update_differs_from_simultaneous(blobs):
    X, y = blobs
    right = batch_gradient_descent(X, y, lr=0.5, max_steps=1, tol=0)
    wrong = batch_gradient_descent(X, y, lr=0.5, max_steps=1, tol=0, update="sequential")
    assert right.theta[0] == pytest.approx(wrong.theta[0])   # first coordinate: same gradient
    assert not np.allclose(right.theta[1:], wrong.theta[1:])  # later ones saw updated theta


def test_sgd_and_minibatch_count_steps_and_examples(blobs):
    X, y = blobs
    m = len(y)
    sgd = stochastic_gradient_descent(X, y, lr=0.05, max_epochs=3, tol=0, rng=1)
    assert sgd.n_steps == 3 * m and sgd.examples_seen[-1] == 3 * m
    assert sgd.steps.tolist() == [0, m, 2 * m, 3 * m]      # recorded once per epoch
    mb = minibatch_gradient_descent(X, y, batch_size=16, lr=0.2, max_epochs=2, tol=0, rng=1)
    assert mb.n_steps == 2 * int(np.ceil(m / 16))
    full = gradient_descent(X, y, method="minibatch", batch_size=m, lr=0.2, max_steps=5, tol=0,
                            rng=1)
    batch = batch_gradient_descent(X, y, lr=0.2, max_steps=5, tol=0)
    np.testing.assert_allclose(full.theta, batch.theta, rtol=1e-12)  # one batch = all rows


def test_same_seed_same_run_different_seed_different_run(blobs):
    X, y = blobs
    a = stochastic_gradient_descent(X, y, lr=0.1, max_epochs=2, rng=7)
    b = stochastic_gradient_descent(X, y, lr=0.1, max_epochs=2, rng=7)
    c = stochastic_gradient_descent(X, y, lr=0.1, max_epochs=2, rng=8)
    np.testing.assert_array_equal(a.thetas, b.thetas)
    assert not np.allclose(a.theta, c.theta)


def test_a_generator_gives_the_run_of_its_seed(blobs):
    X, y = blobs
    a = stochastic_gradient_descent(X, y, lr=0.1, max_epochs=2, rng=5)
    b = stochastic_gradient_descent(X, y, lr=0.1, max_epochs=2, rng=np.random.default_rng(5))
    np.testing.assert_array_equal(a.thetas, b.thetas)


def test_records_every_few_steps_are_the_same_points(blobs):
    X, y = blobs
    every = batch_gradient_descent(X, y, lr=0.3, max_steps=12, tol=0)
    sparse = batch_gradient_descent(X, y, lr=0.3, max_steps=12, tol=0, record_every=3)
    assert sparse.steps.tolist() == [0, 3, 6, 9, 12]
    np.testing.assert_array_equal(sparse.thetas, every.thetas[::3])
    np.testing.assert_array_equal(sparse.losses, every.losses[::3])


def test_a_matrix_start_means_one_row_per_class(blobs):
    X, y = blobs
    run = gradient_descent(X, y, theta0=np.zeros((2, 3)), lr=0.5, max_steps=5)
    assert run.theta.shape == (2, 3)
    np.testing.assert_allclose(run.theta[1] - run.theta[0],
                               gradient_descent(X, y, lr=1.0, max_steps=5).theta, rtol=1e-12)


def test_early_stopping_restores_the_best_validation_point():
    rng = np.random.default_rng(3)
    # Few examples, many noise features: the training loss keeps falling, validation rises.
    m, n = 40, 30
    X = rng.standard_normal((m + 200, n))
    y = (X[:, 0] + 0.8 * rng.standard_normal(m + 200) > 0).astype(int)
    X = add_intercept(X)
    run = batch_gradient_descent(X[:m], y[:m], lr=0.5, max_steps=3000, tol=0,
                                 X_val=X[m:], y_val=y[m:], patience=20)
    assert run.status == "early_stopped"
    best = run.best_index
    assert run.val_losses[best] == run.val_losses.min()
    assert len(run.val_losses) - 1 - best == 21             # patience 20, stopped on the 21st
    np.testing.assert_array_equal(run.theta, run.thetas[best])
    assert run.best_step == run.steps[best] and "restored" in run.message
    assert run.losses[-1] < run.losses[best]                  # training loss still fell


def test_multinomial_sparse_minibatch_learns():
    X, y = make_blobs(30, 3, spread=0.6, rng=2)
    Xs = sp.csr_matrix(add_intercept(X))
    (Xtr, ytr), (Xva, yva), _ = train_val_test_split(Xs, y, rng=0)
    run = minibatch_gradient_descent(Xtr, ytr, n_classes=3, batch_size=8, lr=0.5, lam=1e-3,
                                     max_epochs=30, X_val=Xva, y_val=yva, rng=0)
    assert run.theta.shape == (3, 3)
    assert run.losses[-1] < 0.5 * run.losses[0]
    assert multinomial_cross_entropy(run.theta, Xtr, ytr, 1e-3) == pytest.approx(run.losses[-1])
    assert run.val_losses is not None and len(run.val_losses) == len(run.losses)


def test_callback_sees_every_record(blobs):
    X, y = blobs
    seen = []
    run = batch_gradient_descent(X, y, lr=0.1, max_steps=4, tol=0, callback=seen.append)
    assert [r["step"] for r in seen] == run.steps.tolist()
    assert seen[-1]["loss"] == run.losses[-1]


def test_trajectory_type_and_statuses(blobs):
    X, y = blobs
    run = batch_gradient_descent(X, y, max_steps=2)
    assert isinstance(run, Trajectory) and run.status in STATUSES
    assert "Ran all 2 steps" in run.message


@pytest.mark.parametrize("kwargs, match", [
    ({"lr": 0}, "lr must be > 0"),
    ({"lr": -1}, "lr must be > 0"),
    ({"lr": "fast"}, "lr must be a real number"),
    ({"lam": -1}, "lam must be >= 0"),
    ({"method": "adam"}, "method must be one of"),
    ({"update": "async"}, "update must be"),
    ({"update": "sequential", "method": "sgd"}, "only defined for method='batch'"),
    ({"theta0": np.zeros(5)}, r"theta0 must have shape \(3,\)"),
    ({"n_classes": 1}, "n_classes must be >= 2"),
    ({"n_classes": 3, "theta0": np.zeros((2, 3))}, r"theta0 must have shape \(3, 3\)"),
    ({"patience": 3}, "patience needs validation data"),
    ({"X_val": np.ones((2, 3))}, "X_val and y_val go together"),
    ({"X_val": np.ones((2, 4)), "y_val": [0, 1]}, "X_val must have 3 columns"),
    ({"X_val": np.ones((2, 3)), "y_val": [0, 2]}, "y_val must contain only 0 and 1"),
    ({"max_steps": 5, "max_epochs": 1}, "not both"),
    ({"max_epochs": 0}, "max_epochs must be >= 1"),
    ({"max_steps": 2.5}, "max_steps must be an integer"),
    ({"method": "minibatch", "batch_size": 0}, "batch_size must be >= 1"),
    ({"record_every": 0}, "record_every must be >= 1"),
    ({"tol": -1}, "tol must be >= 0"),
    ({"rng": "seed"}, "rng must be a numpy.random.Generator"),
    ({"rng": -3}, "rng must be a non-negative int seed"),
    ({"callback": 3}, "callback must be callable"),
    ({"max_norm": 0}, "max_norm must be > 0"),
    ({"lr": np.array([0.1, 0.2])}, r"lr must be a real number; got an array of shape \(2,\)"),
])
def test_bad_input_names_the_argument(blobs, kwargs, match):
    X, y = blobs
    with pytest.raises((TypeError, ValueError), match=match):
        gradient_descent(X, y, **kwargs)


def test_bad_labels_name_y(blobs):
    X, y = blobs
    with pytest.raises(ValueError, match="y must contain only 0 and 1"):
        gradient_descent(X, y + 1)
    with pytest.raises(ValueError, match="y must contain class indices 0..2"):
        gradient_descent(X, y + 2, n_classes=3)


# --------------------------------------------------------------------------- why it stopped

def stops(X, y):
    """Settings that end in each status on the blobs, with the two sentences about it."""
    return {
        "converged": (
            dict(lr=1.0, lam=0.05, tol=1e-6, max_steps=10_000),
            "Converged after 58 steps: the gradient norm 9.80e-07 fell below tol = 1e-06.",
            "Converged after 58 steps (58 epochs): the gradient norm 9.8e-07 fell below "
            "tol = 1e-06."),
        "max_steps": (
            dict(method="sgd", lr=0.1, max_epochs=3, rng=0),
            "Ran all 240 steps without meeting the stopping rule (gradient norm 7.30e-03, "
            "tol 1e-06).",
            "Ran out of steps: all 3 epochs (240 steps) done and the gradient norm 7.3e-03 is "
            "still above tol = 1e-06; more epochs or a larger learning rate would go further."),
        "diverged": (
            dict(method="minibatch", batch_size=16, lr=100.0, lam=10.0, max_epochs=50, rng=0),
            "Diverged at step 3: ||theta|| reached 2.91e+08 (limit 1e+06). The learning rate "
            "lr = 100 is too large for this problem; try a smaller one.",
            "Diverged at step 3 (epoch 0.6): ||theta|| passed 1e+06 and the loss blew up. The "
            "learning rate alpha = 100 is too large here (with lambda = 10); lower the "
            "learning rate."),
        "early_stopped": (
            dict(method="minibatch", batch_size=10, lr=2.0, tol=0, max_epochs=200,
                 X_val=X[::3], y_val=y[::3], patience=3, rng=0),
            "Stopped early after 40 steps: the validation loss did not improve for 4 checks "
            "in a row (patience 3); theta restored to step 8, validation loss 0.2022.",
            "Early stopped at epoch 5: the validation loss had not improved for 4 epochs "
            "(patience 3); theta is kept from epoch 1, where the validation loss was lowest "
            "(0.202)."),
    }


@pytest.mark.parametrize("status", STATUSES)
def test_every_status_is_explained_in_steps_and_in_epochs(blobs, status):
    X, y = blobs
    kwargs, in_steps, in_epochs = stops(X, y)[status]
    run = gradient_descent(X, y, **kwargs)
    assert run.status == status
    assert run.message == run.explain() == run.explain(unit="step") == in_steps
    assert run.explain(unit="epoch") == in_epochs


def test_a_budget_of_part_of_an_epoch_is_said_as_a_fraction(blobs):
    X, y = blobs                                   # 80 rows: SGD makes 80 steps per epoch
    run = stochastic_gradient_descent(X, y, lr=0.1, max_steps=50, record_every=10, rng=0)
    assert run.status == "max_steps"
    assert run.explain("epoch").startswith("Ran out of steps: all 0.625 epochs (50 steps) done")


def test_a_run_ending_above_its_best_loss_is_told_to_lower_the_learning_rate(blobs):
    X, y = blobs
    run = batch_gradient_descent(X, y, lr=60.0, max_steps=30, tol=0)
    assert run.status == "max_steps" and run.losses[-1] > 1.05 * run.losses.min()
    assert run.explain("epoch").endswith("so the steps overshoot: lower the learning rate.")
    assert f"the loss ended at {run.losses[-1]:.3g}, above the {run.losses.min():.3g}" \
        in run.explain("epoch")


def test_settings_are_documented_and_explain_checks_its_arguments(blobs):
    X, y = blobs
    run = batch_gradient_descent(X, y, max_steps=2)
    attributes = Trajectory.__doc__.split("settings : dict")[1]
    assert all(f"``{key}``" in attributes for key in run.settings)
    assert run.settings["steps_per_epoch"] == 1 and run.settings["max_norm"] == 1e6
    with pytest.raises(ValueError, match="unit must be 'step' .* or 'epoch'"):
        run.explain(unit="epochs")
    run.status = "paused"
    with pytest.raises(ValueError, match="status must be one of"):
        run.explain()
    run.status, run.settings = "max_steps", {"lr": 0.1}
    with pytest.raises(ValueError, match="settings must hold lam, tol, patience, max_steps"):
        run.explain()


# The explorers' readouts said why a run stopped in their own words before Trajectory.explain
# existed; the sentence must not change. While their old author (a private function of the
# explorers, moving from widgets.py to explore.py) exists, both must agree word for word.
EXPLORER_RUNS = [  # (model, controls): every status, every method that reaches it
    ("binary", dict(method="batch", lr=3.0, lam=0.01, epochs=200)),              # converged
    ("binary", dict(method="minibatch", lr=300.0, epochs=10)),                   # converged
    ("binary", dict(method="batch", lr=300.0, lam=0.01, epochs=10)),             # diverged
    ("binary", dict(method="minibatch", lr=300.0, lam=0.01, epochs=10)),
    ("binary", dict(method="sgd", lr=300.0, epochs=10)),
    ("binary", dict(method="batch", lr=0.3, patience=2, epochs=200)),            # early_stopped
    ("binary", dict(method="minibatch", lr=0.3, patience=2, epochs=200)),
    ("binary", dict(method="sgd", lr=0.3, patience=2, epochs=10)),
    ("binary", dict(method="batch", lr=0.3, epochs=10)),                         # max_steps
    ("binary", dict(method="minibatch", lr=0.3, epochs=10)),
    ("binary", dict(method="sgd", lr=0.3, epochs=10)),
    ("binary", dict(method="batch", lr=10.0, lam=0.1, epochs=10)),               # ... bouncing
    ("multinomial", dict(method="batch", lr=3.0, lam=0.01, epochs=200)),
    ("multinomial", dict(method="batch", lr=300.0, lam=0.01, epochs=10)),
    ("multinomial", dict(method="minibatch", lr=300.0, epochs=200)),
    ("multinomial", dict(method="sgd", lr=300.0, epochs=10)),
    ("multinomial", dict(method="batch", lr=0.3, patience=2, epochs=200)),
    ("multinomial", dict(method="minibatch", lr=0.3, patience=2, epochs=200)),
    ("multinomial", dict(method="sgd", lr=0.3, patience=2, epochs=10)),
    ("multinomial", dict(method="batch", lr=0.3, epochs=10)),
    ("multinomial", dict(method="minibatch", lr=0.3, epochs=10)),
    ("multinomial", dict(method="sgd", lr=0.3, epochs=10)),
    ("multinomial", dict(method="batch", lr=10.0, epochs=50)),
]


def test_the_explorer_runs_reach_every_status():
    widgets = pytest.importorskip("course_utils.widgets")
    reached = {(getattr(widgets, f"compute_{model}")(**controls).status)
               for model, controls in EXPLORER_RUNS}
    assert reached == set(STATUSES)


@pytest.mark.parametrize("model, controls", EXPLORER_RUNS)
def test_explain_in_epochs_writes_the_explorers_sentences(model, controls):
    import importlib

    widgets = pytest.importorskip("course_utils.widgets")
    result = getattr(widgets, f"compute_{model}")(**controls)
    sentence = result.trajectory.explain(unit="epoch")
    assert f"Status: {widgets.STATUS_TEXT[result.status]}. {sentence} Training loss J" \
        in result.readout
    # the explorers write no status sentences of their own any more
    for name in ("course_utils.explore", "course_utils.widgets"):
        assert not hasattr(importlib.import_module(name), "_status_sentence")
