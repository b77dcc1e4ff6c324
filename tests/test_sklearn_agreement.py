"""Our optimum equals scikit-learn's through the mapping C = 1 / (2 lam m).

Ours:     J = (1/m) sum_i CE_i + lam ||w||^2        (intercept unpenalised)
sklearn:  C sum_i CE_i + (1/2) ||w||^2            (intercept unpenalised)
Multiplying ours by m/(... ) shows both have the same minimiser when 1/(2C) = lam m.
"""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from course_utils.data import make_blobs
from course_utils.functions import add_intercept
from course_utils.optim import batch_gradient_descent

LAM = 0.01


def sklearn_fit(X, y, lam):
    C = 1.0 / (2.0 * lam * len(y))
    return LogisticRegression(C=C, tol=1e-12, max_iter=10_000).fit(X, y)


def test_binary_coefficients_match_within_1e_5():
    X, y = make_blobs(60, 2, spread=1.5, rng=11)
    ours = batch_gradient_descent(add_intercept(X), y, lr=2.0, lam=LAM, tol=1e-10,
                                  max_steps=50_000)
    assert ours.status == "converged"
    ref = sklearn_fit(X, y, LAM)
    np.testing.assert_allclose(ours.theta[1:], ref.coef_[0], atol=1e-5)
    assert ours.theta[0] == pytest.approx(ref.intercept_[0], abs=1e-5)


def test_three_class_coefficients_match_within_1e_5():
    X, y = make_blobs(50, 3, spread=1.2, rng=12)
    ours = batch_gradient_descent(add_intercept(X), y, n_classes=3, lr=2.0, lam=LAM, tol=1e-10,
                                  max_steps=50_000)
    assert ours.status == "converged"
    ref = sklearn_fit(X, y, LAM)
    np.testing.assert_allclose(ours.theta[:, 1:], ref.coef_, atol=1e-5)
    # Softmax ignores a common shift of all intercepts and they are not penalised, so
    # only their differences are determined: compare them centred.
    b_ours = ours.theta[:, 0] - ours.theta[:, 0].mean()
    b_ref = ref.intercept_ - ref.intercept_.mean()
    np.testing.assert_allclose(b_ours, b_ref, atol=1e-5)
