"""course_utils.functions: seed numbers, stability at extremes, and properties."""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from course_utils.functions import (add_intercept, log_sigmoid, log_softmax, logsumexp,
                                    one_hot, sigmoid, softmax)

finite = st.floats(min_value=-1e4, max_value=1e4, allow_nan=False, allow_infinity=False)


# ----------------------------------------------------------------- the lecture's numbers

def test_sigmoid_of_minus_two_is_the_slides_0_12():
    assert round(float(sigmoid(-2.0)), 2) == 0.12
    assert sigmoid(-2.0) == pytest.approx(1 / (1 + np.exp(2.0)), rel=1e-15)


def test_film_review_quiz_predictions():
    theta = np.array([-1.0, 2.0, -3.0])
    docs = np.array([[1, 1, 0], [1, 0, 1], [1, 1, 1], [1, 0, 0]], dtype=float)
    probs = sigmoid(docs @ theta)
    np.testing.assert_allclose(probs, 1 / (1 + np.exp(-np.array([1.0, -4.0, -2.0, -1.0]))))
    assert (probs > 0.5).tolist() == [True, False, False, False]


def test_softmax_of_the_slides_example():
    probs = softmax([1.45, 0.33, -0.12, 0.01])
    np.testing.assert_array_equal(np.round(probs, 4), [0.5646, 0.1842, 0.1175, 0.1338])
    # The slide prints 0.5647: the exact value is 0.56456..., which rounds to 0.5646.
    assert 0.56455 < probs[0] < 0.56465


def test_softmax_of_the_three_class_quiz():
    Theta = np.array([[0.45, -0.12, 0.14, 1.3], [-0.7, 0.9, 0.68, -0.31],
                      [-0.26, 0.05, 0.12, 0.51]])
    x = np.array([1.0, 1.0, 1.0, 0.0])
    logits = Theta @ x
    np.testing.assert_allclose(logits, [0.47, 0.88, -0.09], atol=1e-12)
    probs = softmax(logits)
    np.testing.assert_array_equal(np.round(probs, 4), [0.3249, 0.4895, 0.1856])
    assert int(np.argmax(probs)) == 1  # class 2 on the slide (1-based)


# ----------------------------------------------------------------- extremes

@pytest.mark.parametrize("z", [1000.0, -1000.0, 1e4, -1e4])
def test_extremes_are_finite_and_silent(z):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isfinite(sigmoid(z)) and np.isfinite(log_sigmoid(z))
        assert np.all(np.isfinite(softmax([z, 0.0, -z])))
        assert np.all(np.isfinite(log_softmax([z, 0.0, -z])))
        assert np.isfinite(logsumexp([z, z]))
    assert log_sigmoid(-1000.0) == pytest.approx(-1000.0)
    assert log_sigmoid(1000.0) == 0.0


def test_naive_softmax_overflows_where_ours_does_not():
    z = np.array([1000.0, 999.0])
    with np.errstate(over="ignore", invalid="ignore"):
        naive = np.exp(z) / np.exp(z).sum()
    assert np.isnan(naive).all()
    np.testing.assert_allclose(softmax(z), [1 / (1 + np.exp(-1.0)), 1 / (1 + np.exp(1.0))])


def test_logsumexp_axis_and_keepdims():
    Z = np.array([[0.0, np.log(3.0)], [1.0, 1.0]])
    np.testing.assert_allclose(logsumexp(Z, axis=1), [np.log(4.0), 1.0 + np.log(2.0)])
    assert logsumexp(Z, axis=0, keepdims=True).shape == (1, 2)
    np.testing.assert_allclose(softmax(Z, axis=0).sum(axis=0), [1.0, 1.0])


def test_logsumexp_keeps_relative_precision_near_zero():
    # log(e^0 + e^-t) = log1p(e^-t): tiny for large t, and a plain log(1 + e^-t) gives 0.
    t = np.arange(1.0, 701.0)
    truth = np.logaddexp(0.0, -t)
    for name, got in [("logsumexp", np.array([logsumexp([0.0, -ti]) for ti in t])),
                      ("logsumexp 2-D", logsumexp(np.column_stack([np.zeros_like(t), -t]), axis=1)),
                      ("logsumexp reversed", logsumexp(np.column_stack([-t, np.zeros_like(t)]))),
                      ("-log_softmax", -log_softmax(np.column_stack([np.zeros_like(t), -t]))[:, 0])]:
        rel = np.abs(got - truth) / truth
        assert rel.max() <= 1e-13, f"{name}: relative error {rel.max():.1e} at t = {t[rel.argmax()]:g}"
    assert logsumexp([0.0, -40.0]) > 0.0


def test_logsumexp_with_tied_maxima_counts_each_once():
    np.testing.assert_allclose(logsumexp([3.0, 3.0, 3.0]), 3.0 + np.log(3.0), rtol=1e-15)
    np.testing.assert_allclose(log_softmax([[2.0, 2.0], [5.0, -5.0]]),
                               [[-np.log(2.0)] * 2, [-np.log1p(np.exp(-10.0)), -10.0 - np.log1p(np.exp(-10.0))]],
                               rtol=1e-15)


@pytest.mark.parametrize("f", [softmax, logsumexp, log_softmax])
@pytest.mark.parametrize("z, axis", [([], -1), (np.zeros((3, 0)), -1), (np.zeros((0, 2)), 0)])
def test_no_scores_along_the_axis_is_a_named_error(f, z, axis):
    with pytest.raises(ValueError, match=r"z must hold at least one score along axis"):
        f(z, axis=axis)


@pytest.mark.parametrize("f", [softmax, logsumexp, log_softmax])
def test_a_batch_of_no_examples_is_fine(f):
    assert f(np.zeros((0, 3)), axis=-1).shape[0] == 0


# ----------------------------------------------------------------- properties

@settings(max_examples=200, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(1, 6)), elements=finite),
       st.floats(-1e3, 1e3))
def test_softmax_rows_sum_to_one_and_ignore_a_shift(Z, c):
    P = softmax(Z)
    assert np.all(P >= 0) and np.all(P <= 1)
    np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(softmax(Z + c), P, atol=1e-9)
    np.testing.assert_allclose(np.exp(log_softmax(Z)), P, atol=1e-12)


@settings(max_examples=200, deadline=None)
@given(arrays(np.float64, st.integers(1, 20), elements=finite))
def test_sigmoid_symmetry(z):
    np.testing.assert_allclose(sigmoid(-z), 1.0 - sigmoid(z), atol=1e-15)
    ok = z > -700   # where sigmoid(z) is still a normal float, log(sigmoid) is exact enough
    np.testing.assert_allclose(log_sigmoid(z)[ok], np.log(sigmoid(z)[ok]), rtol=1e-12, atol=1e-12)


@settings(max_examples=200, deadline=None)
@given(finite, finite)
def test_two_class_softmax_is_the_sigmoid_of_the_difference(z1, z2):
    p = softmax(np.array([z1, z2]))
    assert p[0] == pytest.approx(float(sigmoid(z1 - z2)), abs=1e-12)


# ----------------------------------------------------------------- intercept and one-hot

def test_add_intercept_dense_and_sparse():
    X = np.array([[0.0, 1.0, 0.0, 0.02]])
    np.testing.assert_array_equal(add_intercept(X), [[1.0, 0.0, 1.0, 0.0, 0.02]])
    S = add_intercept(sp.csr_matrix(np.eye(3)))
    assert sp.issparse(S) and S.shape == (3, 4)
    np.testing.assert_array_equal(S.toarray()[:, 0], 1.0)


def test_one_hot():
    Y = one_hot(np.array([2, 0]), 3)
    np.testing.assert_array_equal(Y, [[0, 0, 1], [1, 0, 0]])


# ----------------------------------------------------------------- bad input

@pytest.mark.parametrize("call, match", [
    (lambda: sigmoid("abc"), "z must be an array of numbers"),
    (lambda: sigmoid([1.0, np.nan]), "z contains NaN"),
    (lambda: sigmoid(None), "z must be"),
    (lambda: log_sigmoid([np.inf]), "z contains NaN or infinite"),
    (lambda: softmax(np.zeros((2, 2, 2, 2))), "z must be 1-D or 2-D or 3-D"),
    (lambda: softmax([1.0, 2.0], axis=3), "axis must be in"),
    (lambda: softmax([1.0, 2.0], axis=1.5), "axis must be an integer"),
    (lambda: log_softmax([[np.nan]]), "z contains NaN"),
    (lambda: logsumexp(5.0), "z must be 1-D"),
    (lambda: add_intercept([1.0, 2.0]), "X must be 2-D .* X.reshape"),
    (lambda: add_intercept([[1.0, np.inf]]), "X contains NaN"),
    (lambda: add_intercept(sp.csr_matrix([[np.nan, 1.0]])), "X contains NaN"),
    (lambda: add_intercept(sp.coo_array(np.ones(3))), r"X must be 2-D \(examples x features\)"),
    (lambda: one_hot([0, 3], 3), "y must contain class indices 0..2"),
    (lambda: one_hot([0.5], 3), "y must contain integer class indices"),
    (lambda: one_hot([0, 1], 0), "K must be >= 1"),
    (lambda: one_hot([0, 1], 2.0), "K must be an integer"),
    (lambda: one_hot([[0, 1]], 2), "y must be 1-D"),
])
def test_bad_input_names_the_argument(call, match):
    with pytest.raises((TypeError, ValueError), match=match):
        call()
