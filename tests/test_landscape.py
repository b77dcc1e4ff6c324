"""What the pictures compute (course_utils.landscape): loss grids, the one-weight model,
the exact lambda path, and the one Newton solver behind all three."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from course_utils import data, figures, landscape, plotting
from course_utils.data import lambda_path_data, line_data, make_blobs
from course_utils.functions import add_intercept
from course_utils.gradcheck import numerical_gradient, relative_error
from course_utils.landscape import (PATH_LAMS, binary_loss_grid, lambda_path,
                                    learning_rate_iterates, newton, one_weight_grad,
                                    one_weight_loss, one_weight_minimum)
from course_utils.losses import binary_cross_entropy, binary_cross_entropy_grad

LEARNING_RATES = figures.LEARNING_RATES


# --------------------------------------------------------------------- old homes re-export

@pytest.mark.parametrize("name", ["line_data", "lambda_path_data", "one_weight_loss",
                                  "one_weight_grad", "one_weight_minimum",
                                  "learning_rate_iterates", "lambda_path", "PATH_LAMS"])
def test_figures_still_offers_the_names_it_used_to_define(name):
    home = data if name in ("line_data", "lambda_path_data") else landscape
    assert getattr(figures, name) is getattr(home, name)
    assert name in figures.__all__


def test_plotting_still_offers_the_loss_grid():
    assert plotting.binary_loss_grid is landscape.binary_loss_grid


# --------------------------------------------------------------------- the Newton solver

def test_newton_solves_independent_problems_at_once():
    # minimise cosh(x) - c x for three values of c: x* = asinh(c)
    c = np.array([-2.0, 0.0, 0.5])
    x = newton(lambda x: (np.sinh(x) - c, np.cosh(x)), np.zeros(3), max_steps=50,
               step_tol=1e-14)
    np.testing.assert_allclose(x, np.arcsinh(c), rtol=0, atol=1e-15)


def test_newton_on_a_quadratic_takes_one_step():
    H = np.array([[2.0, 0.5], [0.5, 1.0]])
    b = np.array([1.0, -1.0])
    calls = []

    def derivatives(x):
        calls.append(x.copy())
        return H @ x - b, H

    x = newton(derivatives, [5.0, 5.0], max_steps=10, grad_tol=1e-12)
    np.testing.assert_allclose(x, np.linalg.solve(H, b), atol=1e-14)
    assert len(calls) == 2      # one step, then the gradient is zero


def test_newton_clips_steps_and_stops_after_max_steps():
    # g = 1 everywhere on a nearly flat H: every step would be 1e6 without the cap
    x = newton(lambda x: (np.ones_like(x), np.full_like(x, 1e-6)), np.zeros(2), max_steps=3,
               max_step=5.0)
    np.testing.assert_array_equal(x, [-15.0, -15.0])


def test_newton_line_search_keeps_a_wild_step_in_check():
    # f(x) = log cosh(x): Newton's full step from x = 1.5 overshoots to about -3.3 and
    # diverges from there; backtracking keeps every step a descent step
    f = lambda x: float(np.log(np.cosh(x[0])))                      # noqa: E731
    d = lambda x: (np.tanh(x), np.array([[1.0 / np.cosh(x[0]) ** 2]]))  # noqa: E731
    x = newton(d, [1.5], max_steps=50, grad_tol=1e-12, objective=f, decrement_tol=1e-26)
    assert abs(x[0]) < 1e-12
    wild = newton(d, [1.5], max_steps=3, grad_tol=1e-12)
    assert abs(wild[0]) > 100


def test_newton_with_a_line_search_stops_when_the_predicted_decrease_is_negligible():
    H = np.array([[2.0, 0.5], [0.5, 1.0]])
    b = np.array([1.0, -1.0])
    calls = []

    def derivatives(x):
        calls.append(x.copy())
        return H @ x - b, H

    def objective(x):
        return 0.5 * x @ H @ x - b @ x

    x = newton(derivatives, [5.0, 5.0], max_steps=10, objective=objective, decrement_tol=1e-20)
    np.testing.assert_allclose(x, np.linalg.solve(H, b), atol=1e-14)
    assert len(calls) == 2      # the full step, then g . step ~ 0 ends the run


def test_newton_bad_input():
    with pytest.raises(TypeError, match="derivatives"):
        newton(3.0, 0.0, max_steps=5)
    with pytest.raises(ValueError, match="Hessian"):
        newton(lambda x: (x, np.eye(3)), np.zeros(2), max_steps=5)
    with pytest.raises(ValueError, match="max_steps"):
        newton(lambda x: (x, 1.0), 0.0, max_steps=-1)


# --------------------------------------------------------------------- loss grid

@pytest.fixture(scope="module")
def small_problem():
    X, y = make_blobs(15, 2, rng=3)
    return add_intercept(X), y


def test_binary_loss_grid_fixed_matches_the_loss(small_problem):
    A, y = small_problem
    fixed = np.array([0.3, 0.0, 0.0])
    a, b, Z = binary_loss_grid(A, y, 0.1, fixed=fixed, extent=(-2, 2, -1, 3), resolution=5)
    assert Z.shape == (5, 5)
    for i in (0, 2, 4):
        for j in (1, 3):
            theta = np.array([0.3, a[j], b[i]])
            assert Z[i, j] == pytest.approx(binary_cross_entropy(theta, A, y, 0.1), rel=1e-12)


def test_binary_loss_grid_profile_is_the_minimum_over_the_free_parameter(small_problem):
    A, y = small_problem
    a, b, Z = binary_loss_grid(A, y, 0.05, extent=(-3, 3, -3, 3), resolution=7)
    t0 = np.linspace(-6, 6, 2401)
    for i, j in [(0, 0), (3, 5), (6, 2)]:
        brute = min(binary_cross_entropy([t, a[j], b[i]], A, y, 0.05) for t in t0)
        assert Z[i, j] <= brute + 1e-12
        assert Z[i, j] == pytest.approx(brute, abs=1e-5)


def test_binary_loss_grid_other_parameter_pairs(small_problem):
    A, y = small_problem
    a, b, Z = binary_loss_grid(A, y, 0.1, params=(0, 2), extent=(-2, 2, -2, 2), resolution=5)
    t1 = np.linspace(-8, 8, 3201)
    brute = min(binary_cross_entropy([a[1], t, b[3]], A, y, 0.1) for t in t1)
    assert Z[3, 1] == pytest.approx(brute, abs=1e-5)


@pytest.mark.parametrize("kwargs, match", [
    ({"params": (1, 1)}, "params"),
    ({"params": (0, 3)}, "params"),
    ({"extent": (1, -1, 0, 1)}, "extent"),
    ({"lam": -1.0}, "lam"),
    ({"resolution": 1}, "resolution"),
    ({"fixed": [0, 1]}, "fixed"),
])
def test_binary_loss_grid_bad_input(small_problem, kwargs, match):
    A, y = small_problem
    with pytest.raises((TypeError, ValueError), match=match):
        binary_loss_grid(A, y, **kwargs)


def test_binary_loss_grid_needs_three_columns(small_problem):
    A, y = small_problem
    with pytest.raises(ValueError, match="X"):
        binary_loss_grid(A[:, 1:], y)


# --------------------------------------------------------------------- one weight

def test_one_weight_gradient_matches_finite_differences():
    for w in (-1.0, 0.3, 2.0):
        num = numerical_gradient(lambda v: float(one_weight_loss(v[0])), np.array([w]))
        assert relative_error(num, np.array([float(one_weight_grad(w))])) < 1e-7


def test_one_weight_minimum_is_a_stationary_point():
    w_star = one_weight_minimum()
    assert isinstance(w_star, float)
    assert abs(float(one_weight_grad(w_star))) < 1e-12
    assert one_weight_loss(w_star) < one_weight_loss(w_star + 0.05)
    assert one_weight_loss(w_star) < one_weight_loss(w_star - 0.05)


def test_three_learning_rates_behave_as_their_titles_say():
    w_star = one_weight_minimum()
    small, right, large = (learning_rate_iterates(lr, -1.0, 20) for lr in LEARNING_RATES)
    # too small: still on its way, moving monotonically
    assert abs(small[-1] - w_star) > 0.1 and np.all(np.diff(small) > 0)
    # about right: at the minimum
    assert abs(right[-1] - w_star) < 1e-3
    # too large: never settles, jumps across the minimum at every late step
    late = large[-8:] - w_star
    assert np.all(np.abs(late) > 0.3)
    assert np.all(np.sign(late[1:]) != np.sign(late[:-1]))


def test_bad_learning_rate_input():
    with pytest.raises(ValueError, match="lr"):
        learning_rate_iterates(0.0)
    with pytest.raises(ValueError, match="n_steps"):
        learning_rate_iterates(1.0, n_steps=-1)
    with pytest.raises(TypeError, match="w0"):
        learning_rate_iterates(1.0, w0="far")


# --------------------------------------------------------------------- lambda path

def test_lambda_path_solves_the_penalised_problem():
    X2, y = lambda_path_data()
    X = add_intercept(X2)
    lams = [1e-3, 0.1, 1.0]
    path = lambda_path(X, y, lams)
    for lam, theta in zip(lams, path):
        assert np.linalg.norm(binary_cross_entropy_grad(theta, X, y, lam)) < 1e-9
    # same optimum as scikit-learn through C = 1 / (2 lam m); its intercept is unpenalised too
    m = X.shape[0]
    for lam, theta in zip(lams, path):
        clf = LogisticRegression(C=1.0 / (2 * lam * m), tol=1e-12, max_iter=10_000)
        clf.fit(X2, y)
        np.testing.assert_allclose(theta, np.r_[clf.intercept_, clf.coef_[0]], atol=1e-5)


def test_lambda_path_of_the_figure_is_stationary_everywhere():
    X2, y = lambda_path_data()
    X = add_intercept(X2)
    path = lambda_path(X, y)
    assert path.shape == (len(PATH_LAMS), 3)
    worst = max(np.linalg.norm(binary_cross_entropy_grad(theta, X, y, lam))
                for lam, theta in zip(PATH_LAMS, path))
    assert worst < 1e-9


def test_lambda_path_shrinks_the_weights_but_not_the_intercept():
    X2, y = lambda_path_data()
    X = add_intercept(X2)
    lams = np.logspace(-4, 1, 11)
    path = lambda_path(X, y, lams)
    norms = np.linalg.norm(path[:, 1:], axis=1)
    assert np.all(np.diff(norms) < 0)
    # order of lams does not matter
    np.testing.assert_allclose(lambda_path(X, y, lams[::-1])[::-1], path, atol=1e-9)
    # the data are separable: weights at tiny lambda are large
    assert norms[0] > 10


def test_bad_lams():
    X2, y = lambda_path_data()
    with pytest.raises(ValueError, match="lams"):
        lambda_path(add_intercept(X2), y, [0.0, 1.0])
    with pytest.raises(ValueError, match="lams"):
        lambda_path(add_intercept(X2), y, [])
    with pytest.raises(ValueError, match="y"):
        lambda_path(add_intercept(X2), y[:-1], [1.0])


# --------------------------------------------------------------------- the data behind

def test_line_data_and_lambda_path_data_are_fixed():
    x, y = line_data()
    assert x.shape == (10,) and set(y.tolist()) == {0, 1}
    X, y2 = lambda_path_data()
    X_again, _ = lambda_path_data()
    np.testing.assert_array_equal(X, X_again)
    assert X.shape == (40, 2) and int(y2.sum()) == 20
