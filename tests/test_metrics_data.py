"""course_utils.metrics, data and selfcheck: the lecture's 16 points and friends."""

from fractions import Fraction

import numpy as np
import pytest
import sklearn.metrics as skm

from course_utils.data import (LECTURE_THETA, lecture_points, make_blobs,
                               train_val_test_split)
from course_utils.functions import add_intercept, sigmoid
from course_utils.metrics import accuracy, confusion_matrix, f1_score, precision, recall
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
    with pytest.raises(AssertionError, match="the slide says 0.13"):
        expect("sigmoid(-2)", float(sigmoid(-2.0)), 0.13)
    expect("softmax", [0.564562, 0.1842], [0.5646, 0.1842], decimals=4, note="a rounding slip")
    assert "a rounding slip" in capsys.readouterr().out


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
