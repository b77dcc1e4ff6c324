"""course_utils.metrics, data and selfcheck: the lecture's 16 points and friends."""

from fractions import Fraction

import numpy as np
import pytest
import scipy.sparse as sp
import sklearn.metrics as skm

from course_utils.data import (LECTURE_THETA, lecture_points, make_blobs,
                               train_val_test_split)
from course_utils.functions import add_intercept, sigmoid
from course_utils.metrics import (accuracy, boundary_metrics, confusion_matrix, f1_score,
                                  precision, recall)
from course_utils.selfcheck import check_answer, check_choice, expect


def predictions_of_the_lecture_boundary():
    X, y = lecture_points()
    return y, (sigmoid(add_intercept(X) @ LECTURE_THETA) > 0.5).astype(int)


def test_lecture_points_reproduce_the_slide_metrics():
    y, pred = predictions_of_the_lecture_boundary()
    assert len(y) == 16
    assert Fraction(accuracy(y, pred)).limit_denominator(16) == Fraction(11, 16)
    assert Fraction(precision(y, pred)).limit_denominator(16) == Fraction(7, 9)
    assert Fraction(recall(y, pred)).limit_denominator(16) == Fraction(7, 10)
    np.testing.assert_array_equal(confusion_matrix(y, pred), [[4, 2], [3, 7]])


def test_lecture_points_keep_a_margin_from_the_boundary():
    X, _ = lecture_points()
    scores = add_intercept(X) @ LECTURE_THETA
    assert np.min(np.abs(scores)) >= 0.3 - 1e-12


@pytest.mark.parametrize("seed", range(5))
def test_metrics_agree_with_scikit_learn(seed):
    rng = np.random.default_rng(seed)
    y, p = rng.integers(0, 3, 50), rng.integers(0, 3, 50)
    assert accuracy(y, p) == pytest.approx(skm.accuracy_score(y, p))
    for c in range(3):
        assert precision(y, p, c) == pytest.approx(skm.precision_score(y, p, labels=[c], average="macro", zero_division=0))
        assert recall(y, p, c) == pytest.approx(skm.recall_score(y, p, labels=[c], average="macro", zero_division=0))
        assert f1_score(y, p, c) == pytest.approx(skm.f1_score(y, p, labels=[c], average="macro", zero_division=0))
    np.testing.assert_array_equal(confusion_matrix(y, p, 3), skm.confusion_matrix(y, p))


def test_confusion_matrix_of_a_single_label_is_binary_on_purpose():
    # all-0 labels still come from a binary problem: [[TN, FP], [FN, TP]], not 1 x 1
    np.testing.assert_array_equal(confusion_matrix([0, 0, 0], [0, 0, 0]), [[3, 0], [0, 0]])
    np.testing.assert_array_equal(confusion_matrix([1, 1], [1, 1]), [[0, 0], [0, 2]])
    np.testing.assert_array_equal(confusion_matrix([0, 0], [0, 0], n_classes=1), [[2]])
    assert "on purpose" in confusion_matrix.__doc__


def test_zero_denominators_give_zero_not_nan():
    assert precision([1, 1], [0, 0]) == 0.0
    assert recall([0, 0], [1, 0]) == 0.0
    assert f1_score([0, 0], [0, 0]) == 0.0


def test_boundary_metrics_of_the_slides_boundary():
    X, y = lecture_points()
    r = boundary_metrics(LECTURE_THETA, X, y)
    assert (r["tp"], r["fp"], r["fn"], r["tn"]) == (7, 2, 3, 4)
    assert (r["accuracy"], r["precision"], r["recall"]) == (11 / 16, 7 / 9, 7 / 10)
    assert r["f1"] == 2 * 7 / (2 * 7 + 2 + 3)
    np.testing.assert_array_equal(r["confusion"], [[4, 2], [3, 7]])
    _, pred = predictions_of_the_lecture_boundary()
    np.testing.assert_array_equal(r["y_pred"], pred)


def test_boundary_metrics_without_a_boundary_or_a_positive_prediction():
    X, y = lecture_points()
    everything_one = boundary_metrics([1.0, 0.0, 0.0], X, y)
    assert everything_one["tn"] == 0 and everything_one["recall"] == 1.0
    nothing_one = boundary_metrics([-1.0, 0.0, 0.0], X, y)
    assert nothing_one["tp"] == 0 and nothing_one["precision"] == 0.0 and nothing_one["f1"] == 0.0


@pytest.mark.parametrize("seed", range(4))
def test_boundary_metrics_agree_with_scikit_learn(seed):
    rng = np.random.default_rng(seed)
    X, y, theta = rng.normal(size=(40, 2)) * 2, rng.integers(0, 2, 40), rng.normal(size=3)
    r = boundary_metrics(theta, X, y)
    y_pred = (theta[0] + X @ theta[1:] > 0).astype(int)       # no point sits on the line
    np.testing.assert_array_equal(r["y_pred"], y_pred)
    np.testing.assert_array_equal(r["confusion"], skm.confusion_matrix(y, y_pred, labels=[0, 1]))
    assert [r["tn"], r["fp"], r["fn"], r["tp"]] == r["confusion"].ravel().tolist()
    assert r["accuracy"] == skm.accuracy_score(y, y_pred)
    for key, score in (("precision", skm.precision_score), ("recall", skm.recall_score),
                       ("f1", skm.f1_score)):
        assert r[key] == pytest.approx(score(y, y_pred, zero_division=0), rel=1e-15)


def test_the_explorers_use_this_boundary_metrics():
    widgets = pytest.importorskip("course_utils.widgets")
    X, y = lecture_points()
    if widgets.boundary_metrics is boundary_metrics:         # moved here, re-exported there
        return
    for theta in (LECTURE_THETA, (-1.0, 2.0, 0.0), (1.0, 0.0, 0.0), (0.3, -1.1, 0.7)):
        ours, theirs = boundary_metrics(theta, X, y), widgets.boundary_metrics(theta, X, y)
        assert ours.keys() == theirs.keys()
        for key in ours:
            np.testing.assert_array_equal(ours[key], theirs[key])


def test_blobs_are_seeded_and_balanced():
    X1, y1 = make_blobs(20, 3, rng=4)
    X2, y2 = make_blobs(20, 3, rng=4)
    np.testing.assert_array_equal(X1, X2)
    assert np.bincount(y1).tolist() == [20, 20, 20]
    X, y = make_blobs(10, centers=[[0, 0], [5, 5]], spread=0.1, rng=0)
    assert np.all(np.abs(X[y == 1].mean(axis=0) - 5) < 0.2)


def test_split_is_80_10_10_stratified_and_disjoint():
    X, y = make_blobs(100, 2, rng=0)
    X = np.c_[np.arange(200), X]            # row ids ride along in column 0
    (a, ya), (b, yb), (c, yc) = train_val_test_split(X, y, rng=1)
    assert (len(ya), len(yb), len(yc)) == (160, 20, 20)
    assert np.bincount(yb).tolist() == [10, 10]
    ids = np.concatenate([a[:, 0], b[:, 0], c[:, 0]])
    assert sorted(ids.tolist()) == list(range(200))
    (a2, _), _, _ = train_val_test_split(X, y, rng=1)
    np.testing.assert_array_equal(a, a2)


def test_expect_prints_and_asserts(capsys):
    expect("sigmoid(-2)", float(sigmoid(-2.0)), 0.12)
    assert "sigmoid(-2) = 0.12" in capsys.readouterr().out
    with pytest.raises(AssertionError, match="slide says 0.13"):
        expect("sigmoid(-2)", float(sigmoid(-2.0)), 0.13)
    expect("softmax", [0.564562, 0.1842], [0.5646, 0.1842], decimals=4, note="a rounding slip")
    assert "a rounding slip" in capsys.readouterr().out


def test_expect_names_where_its_reference_comes_from(capsys):
    expect("odds ratio", float(np.exp(2.0)), 7.39, source="by hand")
    assert "odds ratio = 7.39   (by hand: 7.39) ✓" in capsys.readouterr().out
    with pytest.raises(AssertionError, match="by hand says 7.40"):
        expect("odds ratio", float(np.exp(2.0)), 7.40, source="by hand")
    with pytest.raises(TypeError, match="source must be a non-empty str"):
        expect("x", 0.1, 0.1, source="")


def test_expect_that_prints_a_true_claim_and_raises_on_a_false_one(capsys):
    from course_utils.selfcheck import expect_that
    expect_that("0.12 < 0.5", 0.12 < 0.5)
    assert capsys.readouterr().out == "0.12 < 0.5 ✓\n"
    with pytest.raises(AssertionError, match="Not so: 0.5 < 0.12"):
        expect_that("0.5 < 0.12", 0.5 < 0.12)
    assert capsys.readouterr().out == ""          # a false claim prints no check mark
    expect_that("numpy comparison", np.float64(1.0) > 0)
    with pytest.raises(TypeError, match="holds must be True or False"):
        expect_that("a number is not a truth value", 1)
    with pytest.raises(TypeError, match="claim must be a non-empty str"):
        expect_that("", True)


def test_agree_prints_both_results_and_a_bound_on_their_difference(capsys):
    from scipy.special import expit
    from course_utils.selfcheck import agree
    z = np.array([-800.0, -2.0, 0.0, 3.0, 800.0])
    agree("sigmoid(z)", sigmoid(z), expit(z), tol=1e-12, library_name="scipy.special.expit")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "sigmoid(z)"
    assert lines[1].split(":", 1)[0].strip() == "ours"
    assert lines[2].startswith("  scipy.special.expit:")
    assert "0.119203" in lines[1] and "0.119203" in lines[2]
    assert lines[3] == "  largest difference below 1e-12 ✓"
    with pytest.raises(AssertionError, match="ours and numpy differ by more than 1e-06"):
        agree("off", [1.0, 2.0], [1.0, 2.001], tol=1e-6, library_name="numpy")
    assert "above 1e-06 ✗" in capsys.readouterr().out
    with pytest.raises(ValueError, match="library must have the shape of ours"):
        agree("shape", [1.0, 2.0], [1.0], tol=1e-6, library_name="numpy")
    with pytest.raises(ValueError, match="tol must be > 0"):
        agree("zero", 1.0, 1.0, tol=0, library_name="numpy")
    with pytest.raises(TypeError, match="library_name must be a non-empty str"):
        agree("name", 1.0, 1.0, tol=1e-6, library_name="")
    with pytest.raises(TypeError, match="label must be a str"):
        agree(None, 1.0, 1.0, tol=1e-6, library_name="numpy")
    with pytest.raises(ValueError, match="ours"):
        agree("nan", np.nan, 1.0, tol=1e-6, library_name="numpy")


def test_check_answer_feedback(capsys):
    assert not check_answer(-0.5, 0.5, hint="Look at the sign.")
    assert "wrong sign" in capsys.readouterr().out
    assert not check_answer([1.0], [1.0, 2.0])
    assert "shape" in capsys.readouterr().out
    assert not check_answer("x", 1.0)
    assert not check_answer(np.nan, 1.0)
    assert not check_answer(3.0, 1.0)
    assert "Not yet" in capsys.readouterr().out
    assert check_answer(np.array([1.0, 2.0]), [1.0, 2.0])
    assert check_choice(1, 1, {1: "Yes."})
    assert not check_choice(None, 1)
    assert not check_choice(3, 1)
    assert "look again" in capsys.readouterr().out


@pytest.mark.parametrize("call, match", [
    (lambda: accuracy([0, 1], [0]), "y_true and y_pred must have the same length"),
    (lambda: accuracy([], []), "y_true is empty"),
    (lambda: precision([0, 1], [0.5, 1]), "y_pred must hold class indices"),
    (lambda: recall([0, -1], [0, 1]), "y_true must hold class indices"),
    (lambda: f1_score([0, 1], [0, 1], label=-1), "label must be >= 0"),
    (lambda: confusion_matrix([0, 3], [0, 1], n_classes=2), "n_classes=2 but the labels go up to 3"),
    (lambda: accuracy([[0, 1]], [[0, 1]]), "y_true must be 1-D"),
    (lambda: boundary_metrics([0, 1], np.zeros((4, 2)), [0, 1, 0, 1]), r"theta must have shape \(3,\)"),
    (lambda: boundary_metrics([np.nan, 1, 1], np.zeros((4, 2)), [0, 1, 0, 1]), "theta must be finite"),
    (lambda: boundary_metrics([0, 1, 1], np.ones((4, 3)), [0, 1, 0, 1]), "X must have 2 columns"),
    (lambda: boundary_metrics([0, 1, 1], np.zeros((0, 2)), []), "X has no rows"),
    (lambda: boundary_metrics([0, 1, 1], sp.csr_matrix(np.ones((4, 2))), [0, 1, 0, 1]), "X must be a dense NumPy array"),
    (lambda: boundary_metrics([0, 1, 1], np.zeros((4, 2)), [0, 1, 2, 1]), "y must contain only 0 and 1"),
    (lambda: boundary_metrics([0, 1, 1], np.zeros((4, 2)), [0, 1, 0.5, 1]), "y must contain only 0 and 1"),
    (lambda: boundary_metrics([0, 1, 1], np.zeros((4, 2)), [0, 1, 0]), "y must have one label per row"),
    (lambda: make_blobs(0), "n_per_class must be >= 1"),
    (lambda: make_blobs(5, spread=0), "spread must be > 0"),
    (lambda: make_blobs(5, n_classes=1), "n_classes must be >= 2"),
    (lambda: make_blobs(5, centers=[[0, 0, 0], [1, 1, 1]]), r"centers must have shape \(K, 2\)"),
    (lambda: train_val_test_split(np.ones((4, 2)), [0, 1]), "y must be 1-D with one label per row"),
    (lambda: train_val_test_split(np.ones((4, 2)), [0, 1, 0, 1], fractions=(0.5, 0.5, 0.5)), "fractions must be three"),
    (lambda: train_val_test_split(np.ones((4, 2)), [0, 1, 0, 1], rng=1.5), "rng must be"),
    (lambda: expect(3, 1.0, 1.0), "label must be a str"),
    (lambda: expect("x", [1.0, 2.0], 1.0), "slide must have the shape of value"),
])
def test_bad_input_names_the_argument(call, match):
    with pytest.raises((TypeError, ValueError), match=match):
        call()
