"""course_utils.losses and gradcheck: gradients against finite differences, L2, sparse X."""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp

from course_utils.functions import add_intercept, one_hot, sigmoid, softmax
from course_utils.gradcheck import check_gradient, numerical_gradient, relative_error
from course_utils import losses
from course_utils.losses import (binary_cross_entropy, binary_cross_entropy_and_grad,
                                 binary_cross_entropy_grad, binary_objective,
                                 multinomial_cross_entropy, multinomial_cross_entropy_and_grad,
                                 multinomial_cross_entropy_grad, multinomial_objective, predict,
                                 predict_proba)

TOL = 1e-7


def binary_problem(rng, m=30, n=4, sparse=False):
    X = rng.standard_normal((m, n))
    if sparse:
        X[rng.random(X.shape) < 0.6] = 0.0
        X = sp.csr_matrix(X)
    X = add_intercept(X)
    y = (rng.random(m) < 0.5).astype(float)
    theta = rng.standard_normal(n + 1)
    return theta, X, y


def multinomial_problem(rng, m=30, n=4, K=3, sparse=False):
    theta, X, _ = binary_problem(rng, m, n, sparse)
    Theta = rng.standard_normal((K, n + 1))
    y = rng.integers(0, K, m)
    return Theta, X, y


# ----------------------------------------------------------------- the lecture's SGD quiz

def test_one_sgd_step_of_the_slide():
    X, y, theta = np.array([[1.0, 0.82]]), np.array([1.0]), np.array([0.04, 0.5])
    grad = binary_cross_entropy_grad(theta, X, y)
    np.testing.assert_array_equal(np.round(grad, 2), [-0.39, -0.32])
    np.testing.assert_allclose(grad, X[0] * (sigmoid(0.45) - 1.0), rtol=1e-14)
    np.testing.assert_array_equal(np.round(theta - 0.01 * grad, 4), [0.0439, 0.5032])


# ----------------------------------------------------------------- values against definitions

def test_binary_loss_matches_the_slide_formula():
    theta, X, y = binary_problem(np.random.default_rng(0))
    p = sigmoid(X @ theta)
    ce = np.mean(-y * np.log(p) - (1 - y) * np.log(1 - p))
    assert binary_cross_entropy(theta, X, y) == pytest.approx(ce, rel=1e-12)
    lam = 0.3
    assert binary_cross_entropy(theta, X, y, lam) == pytest.approx(
        ce + lam * np.sum(theta[1:] ** 2), rel=1e-12)


def test_multinomial_loss_matches_the_slide_formula():
    Theta, X, y = multinomial_problem(np.random.default_rng(1))
    P = softmax(X @ Theta.T)
    ce = -np.mean(np.log(P[np.arange(len(y)), y]))
    assert multinomial_cross_entropy(Theta, X, y) == pytest.approx(ce, rel=1e-12)
    lam = 0.2
    assert multinomial_cross_entropy(Theta, X, y, lam) == pytest.approx(
        ce + lam * np.sum(Theta[:, 1:] ** 2), rel=1e-12)


def test_multinomial_gradient_is_the_slides_per_class_rule():
    Theta, X, y = multinomial_problem(np.random.default_rng(2), m=5)
    P = softmax(X @ Theta.T)
    expected = np.zeros_like(Theta)
    for i in range(len(y)):
        for j in range(Theta.shape[0]):
            expected[j] += X[i] * (P[i, j] - (1.0 if j == y[i] else 0.0))
    expected /= len(y)
    np.testing.assert_allclose(multinomial_cross_entropy_grad(Theta, X, y), expected, rtol=1e-12)
    np.testing.assert_allclose((P - one_hot(y, 3)).T @ X / 5, expected, rtol=1e-12)


# ----------------------------------------------------------------- finite differences

@pytest.mark.parametrize("lam", [0.0, 0.1, 2.5])
@pytest.mark.parametrize("sparse", [False, True])
def test_binary_gradient_matches_finite_differences(lam, sparse):
    theta, X, y = binary_problem(np.random.default_rng(3), sparse=sparse)
    err = check_gradient(lambda t: binary_cross_entropy(t, X, y, lam),
                         lambda t: binary_cross_entropy_grad(t, X, y, lam), theta)
    assert err <= TOL


@pytest.mark.parametrize("lam", [0.0, 0.1, 2.5])
@pytest.mark.parametrize("sparse", [False, True])
def test_multinomial_gradient_matches_finite_differences(lam, sparse):
    Theta, X, y = multinomial_problem(np.random.default_rng(4), K=4, sparse=sparse)
    err = check_gradient(lambda T: multinomial_cross_entropy(T, X, y, lam),
                         lambda T: multinomial_cross_entropy_grad(T, X, y, lam), Theta)
    assert err <= TOL


def test_a_wrong_gradient_is_caught():
    theta, X, y = binary_problem(np.random.default_rng(5))
    wrong = lambda t: binary_cross_entropy_grad(t, X, y) * 1.01  # noqa: E731
    assert check_gradient(lambda t: binary_cross_entropy(t, X, y), wrong, theta) > 1e-3


def test_loss_and_gradient_agree_with_the_separate_functions():
    theta, X, y = binary_problem(np.random.default_rng(6))
    loss, grad = binary_cross_entropy_and_grad(theta, X, y, 0.4)
    assert loss == binary_cross_entropy(theta, X, y, 0.4)
    np.testing.assert_array_equal(grad, binary_cross_entropy_grad(theta, X, y, 0.4))
    Theta, X, y = multinomial_problem(np.random.default_rng(6))
    loss, grad = multinomial_cross_entropy_and_grad(Theta, X, y, 0.4)
    assert loss == multinomial_cross_entropy(Theta, X, y, 0.4)
    np.testing.assert_array_equal(grad, multinomial_cross_entropy_grad(Theta, X, y, 0.4))


def test_sparse_and_dense_give_the_same_numbers():
    Theta, X, y = multinomial_problem(np.random.default_rng(7), sparse=True)
    assert sp.issparse(X)
    D = X.toarray()
    assert multinomial_cross_entropy(Theta, X, y, 0.1) == pytest.approx(
        multinomial_cross_entropy(Theta, D, y, 0.1), rel=1e-13)
    np.testing.assert_allclose(multinomial_cross_entropy_grad(Theta, X, y, 0.1),
                               multinomial_cross_entropy_grad(Theta, D, y, 0.1), rtol=1e-12)
    theta, X, y = binary_problem(np.random.default_rng(7), sparse=True)
    np.testing.assert_allclose(binary_cross_entropy_grad(theta, X, y, 0.1),
                               binary_cross_entropy_grad(theta, X.toarray(), y, 0.1), rtol=1e-12)


# ----------------------------------------------------------------- the objectives

@pytest.mark.parametrize("sparse", [False, True])
def test_the_objectives_are_what_the_checked_functions_return(sparse):
    theta, X, y = binary_problem(np.random.default_rng(9), sparse=sparse)
    loss, grad = binary_objective(theta, X, y, 0.3)
    assert (float(loss), grad.tolist()) == (
        binary_cross_entropy(theta, X, y, 0.3), binary_cross_entropy_grad(theta, X, y, 0.3).tolist())
    assert binary_objective(theta, X, y, 0.3, need_grad=False) == (loss, None)
    Theta, X, y = multinomial_problem(np.random.default_rng(9), sparse=sparse)
    loss, grad = multinomial_objective(Theta, X, y, 0.3)
    np.testing.assert_array_equal(grad, multinomial_cross_entropy_grad(Theta, X, y, 0.3))
    assert float(loss) == multinomial_cross_entropy(Theta, X, y, 0.3)
    assert multinomial_objective(Theta, X, y, 0.3, need_grad=False) == (loss, None)


def test_the_objectives_document_their_conventions_and_keep_their_old_names():
    for objective in (binary_objective, multinomial_objective):
        assert "Conventions" in objective.__doc__ and "nothing is checked" in objective.__doc__
    # the names the objectives had before: kept until no caller uses them
    assert getattr(losses, "_binary_kernel") is binary_objective
    assert getattr(losses, "_multinomial_kernel") is multinomial_objective


# ----------------------------------------------------------------- predictions

def test_binary_predictions_are_the_sign_of_the_score():
    X = add_intercept(np.array([[3.0, 2.0], [1.0, 1.0], [2.0, 0.2]]))
    theta = np.array([-1.0, 2.0, -3.0])          # the lecture's boundary
    scores = X @ theta                           # -1, -2, 2.4
    np.testing.assert_array_equal(predict(theta, X), [0, 0, 1])
    np.testing.assert_allclose(predict_proba(theta, X), 1 / (1 + np.exp(-scores)), rtol=1e-15)
    assert predict(theta, X).dtype == np.int64
    # on the boundary (score exactly 0) the point gets class 0, with probability 1/2
    assert predict([0.0, 1.0, 0.0], [[1.0, 0.0, 5.0]]).tolist() == [0]
    assert predict_proba([0.0, 1.0, 0.0], [[1.0, 0.0, 5.0]]).tolist() == [0.5]


@pytest.mark.parametrize("sparse", [False, True])
def test_class_predictions_are_the_argmax_of_the_softmax(sparse):
    Theta, X, _ = multinomial_problem(np.random.default_rng(10), m=40, K=4, sparse=sparse)
    D = X.toarray() if sparse else X
    P = predict_proba(Theta, X)
    assert P.shape == (40, 4)
    np.testing.assert_allclose(P, softmax(D @ Theta.T, axis=1), rtol=1e-14)
    np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=1e-14)
    np.testing.assert_array_equal(predict(Theta, X), np.argmax(D @ Theta.T, axis=1))
    theta = Theta[0]
    np.testing.assert_array_equal(predict(theta, X), (D @ theta > 0).astype(int))
    np.testing.assert_allclose(predict_proba(theta, X), sigmoid(D @ theta), rtol=1e-15)


def test_two_classes_predict_like_the_sigmoid_of_the_difference():
    Theta, X, _ = multinomial_problem(np.random.default_rng(11), m=25, K=2)
    theta = Theta[1] - Theta[0]
    np.testing.assert_array_equal(predict(Theta, X), predict(theta, X))
    np.testing.assert_allclose(predict_proba(Theta, X)[:, 1], predict_proba(theta, X), rtol=1e-12)


def test_predictions_of_huge_scores_are_finite_and_silent():
    X = add_intercept(np.array([[1.0], [-1.0]]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert predict_proba([0.0, 1e4], X).tolist() == [1.0, 0.0]
        P = predict_proba([[0.0, 1e4], [0.0, -1e4]], X)
    np.testing.assert_array_equal(P, [[1.0, 0.0], [0.0, 1.0]])


# ----------------------------------------------------------------- the intercept is not penalised

def test_intercept_is_not_penalised():
    theta, X, y = binary_problem(np.random.default_rng(8))
    diff = binary_cross_entropy_grad(theta, X, y, 1.0) - binary_cross_entropy_grad(theta, X, y)
    assert diff[0] == 0.0
    np.testing.assert_allclose(diff[1:], 2.0 * theta[1:], rtol=1e-12)
    shifted = theta.copy()
    shifted[0] += 100.0   # a huge intercept costs nothing in the penalty
    pen = lambda t: binary_cross_entropy(t, X, y, 1.0) - binary_cross_entropy(t, X, y)  # noqa
    assert pen(shifted) == pytest.approx(pen(theta), rel=1e-12)

    Theta, X, y = multinomial_problem(np.random.default_rng(8))
    diff = multinomial_cross_entropy_grad(Theta, X, y, 1.0) - multinomial_cross_entropy_grad(Theta, X, y)
    np.testing.assert_array_equal(diff[:, 0], 0.0)
    np.testing.assert_allclose(diff[:, 1:], 2.0 * Theta[:, 1:], rtol=1e-12)


# ----------------------------------------------------------------- extremes

@pytest.mark.parametrize("scale", [1000.0, 1e4])
def test_huge_scores_give_finite_silent_losses(scale):
    X = add_intercept(np.array([[1.0], [-1.0], [2.0]]))
    y = np.array([0.0, 1.0, 1.0])
    theta = np.array([0.0, scale])            # confidently wrong on two points
    Theta = np.array([[0.0, scale], [0.0, -scale], [0.0, 0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = binary_cross_entropy(theta, X, y)
        grad = binary_cross_entropy_grad(theta, X, y)
        mloss, mgrad = multinomial_cross_entropy_and_grad(Theta, X, y.astype(int))
    assert np.isfinite(loss) and np.all(np.isfinite(grad))
    assert loss == pytest.approx((scale + scale) / 3, rel=1e-9)  # CE = |z| for a confident miss
    assert np.isfinite(mloss) and np.all(np.isfinite(mgrad))


# ----------------------------------------------------------------- gradcheck helpers

def test_numerical_gradient_of_a_matrix_function():
    A = np.arange(6.0).reshape(2, 3)
    g = numerical_gradient(lambda T: float(np.sum(T ** 3)), A)
    np.testing.assert_allclose(g, 3 * A ** 2, rtol=1e-6, atol=1e-8)
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0


# ----------------------------------------------------------------- bad input

THETA, XB, YB = np.zeros(3), add_intercept(np.ones((4, 2))), np.array([0, 1, 0, 1])
THETAM, YM = np.zeros((3, 3)), np.array([0, 1, 2, 1])


@pytest.mark.parametrize("call, match", [
    (lambda: binary_cross_entropy(np.zeros(2), XB, YB), r"theta must have shape \(3,\), one entry per column of X including the dummy feature; got shape \(2,\)"),
    (lambda: binary_cross_entropy(THETA, XB[0], YB), "X must be 2-D"),
    (lambda: binary_cross_entropy(THETA, XB, YB[:3]), r"y must have one label per row of X, shape \(4,\)"),
    (lambda: binary_cross_entropy(THETA, XB, [0, 1, 2, 1]), "y must contain only 0 and 1"),
    (lambda: binary_cross_entropy(THETA, XB, YB, lam=-1), "lam must be >= 0"),
    (lambda: binary_cross_entropy(THETA, XB, YB, lam="big"), "lam must be a real number"),
    (lambda: binary_cross_entropy(THETA, XB, YB, lam=np.nan), "lam must be finite"),
    (lambda: binary_cross_entropy_grad([np.nan, 0, 0], XB, YB), "theta contains NaN"),
    (lambda: binary_cross_entropy_grad(THETA, np.full((4, 3), np.inf), YB), "X contains NaN or infinite"),
    (lambda: binary_cross_entropy_and_grad(THETA, "X", YB), "X must be an array of numbers"),
    (lambda: binary_cross_entropy(THETA, np.zeros((0, 3)), []), "X has no rows"),
    (lambda: binary_cross_entropy(THETA, sp.coo_array(np.ones(3)), YB[:3]), r"X must be 2-D; got a sparse matrix of shape \(3,\)"),
    (lambda: multinomial_cross_entropy(np.zeros((3, 2)), XB, YM), r"Theta must have shape \(K, 3\)"),
    (lambda: multinomial_cross_entropy(np.zeros(3), XB, YM), "Theta must be 2-D"),
    (lambda: multinomial_cross_entropy(THETAM, XB, [0, 1, 3, 1]), "y must contain class indices 0..2"),
    (lambda: multinomial_cross_entropy(THETAM, XB, [0, 1, -1, 1]), "y must contain class indices"),
    (lambda: multinomial_cross_entropy(THETAM, XB, [0, 1, 0.5, 1]), "y must contain integer class indices"),
    (lambda: multinomial_cross_entropy_grad(THETAM, XB, YM, lam=-0.1), "lam must be >= 0"),
    (lambda: multinomial_cross_entropy_grad(THETAM, sp.csr_matrix(np.full((4, 3), np.nan)), YM), "X contains NaN"),
    (lambda: multinomial_cross_entropy_and_grad(THETAM, XB, YM[:2]), "y must have one label per row"),
    (lambda: predict(np.zeros(2), XB), r"theta must have shape \(3,\), one entry per column of X"),
    (lambda: predict_proba(np.zeros((1, 3)), XB), r"Theta must have shape \(K, 3\): one row per class \(K >= 2\)"),
    (lambda: predict(np.zeros((2, 3, 1)), XB), "theta_or_Theta must be 1-D or 2-D"),
    (lambda: predict_proba("theta", XB), "theta_or_Theta must be an array of numbers"),
    (lambda: predict([np.nan, 0, 0], XB), "theta contains NaN"),
    (lambda: predict_proba(THETA, XB[0]), "X must be 2-D"),
    (lambda: predict(THETAM, np.full((4, 3), np.inf)), "X contains NaN or infinite"),
    (lambda: numerical_gradient("f", THETA), "f must be a callable"),
    (lambda: numerical_gradient(sum, THETA, eps=0), "eps must be > 0"),
    (lambda: relative_error(np.zeros(2), np.zeros(3)), "a and b must have the same shape"),
    (lambda: check_gradient(sum, None, THETA), "grad_f must be a callable"),
])
def test_bad_input_names_the_argument(call, match):
    with pytest.raises((TypeError, ValueError), match=match):
        call()


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_a_single_bad_entry_is_named_even_with_zero_weights(bad):
    X = add_intercept(np.ones((50, 4)))
    X[17, 3] = bad
    with pytest.raises(ValueError, match="X contains NaN or infinite"):
        binary_cross_entropy(np.zeros(5), X, np.zeros(50))
    with pytest.raises(ValueError, match="X contains NaN or infinite"):
        multinomial_cross_entropy_and_grad(np.zeros((3, 5)), X, np.zeros(50, dtype=int))


def test_overflowing_scores_get_a_clear_error_not_a_nan():
    X = add_intercept(np.full((3, 2), 1e200))
    with pytest.raises(ValueError, match="overflowed .* Scale the features"):
        binary_cross_entropy(np.full(3, 1e200), X, [0, 1, 0])
