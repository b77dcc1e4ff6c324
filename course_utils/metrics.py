"""Counting what a classifier gets right.

For a chosen class c (the "positive" class of a binary problem)::

    precision = TP / (TP + FP)    of the points predicted c, the share that are c
    recall    = TP / (TP + FN)    of the points that are c, the share predicted c
    F1        = 2 P R / (P + R)   their harmonic mean
    accuracy  = (number correct) / m

A ratio whose denominator is zero (say, no point predicted positive) is reported as
0.0, never as NaN, and the docstrings say so.
"""

from __future__ import annotations

import numpy as np

from ._checks import (MAX_CLASSES, as_float_array, as_labels, check_binary_labels,
                      check_scalar, check_X)
from .functions import add_intercept
from .losses import predict

__all__ = ["accuracy", "precision", "recall", "f1_score", "confusion_matrix",
           "boundary_metrics"]


def _labels(y_true, y_pred):
    hint = "Threshold probabilities first (p > 0.5)."
    y_true = as_labels(y_true, "y_true", hint=hint)
    y_pred = as_labels(y_pred, "y_pred", hint=hint)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true and y_pred must have the same length; got {y_true.shape[0]} "
                         f"and {y_pred.shape[0]}.")
    if y_true.size == 0:
        raise ValueError("y_true is empty; pass at least one label.")
    return y_true, y_pred


def _counts(y_true, y_pred, label):
    y_true, y_pred = _labels(y_true, y_pred)
    label = check_scalar(label, "label", low=0, integer=True)
    tp = int(np.sum((y_pred == label) & (y_true == label)))
    fp = int(np.sum((y_pred == label) & (y_true != label)))
    fn = int(np.sum((y_pred != label) & (y_true == label)))
    return tp, fp, fn


def _ratios(tp, fp, fn):
    """Precision, recall and F1 from the counts; a zero denominator gives 0.0."""
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
    return precision, recall, f1


def _confusion(y_true, y_pred, n_classes):
    C = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(C, (y_true, y_pred), 1)
    return C


def accuracy(y_true, y_pred):
    """Share of correct predictions: (1/m) sum_i [y_pred_i = y_true_i].

    Examples
    --------
    >>> accuracy([1, 0, 1, 1], [1, 0, 0, 1])
    0.75
    """
    y_true, y_pred = _labels(y_true, y_pred)
    return float(np.mean(y_true == y_pred))


def precision(y_true, y_pred, label=1):
    """TP / (TP + FP) for class ``label``; 0.0 when nothing was predicted as ``label``.

    Examples
    --------
    >>> precision([1, 0, 1, 1], [1, 1, 0, 1])
    0.6666666666666666
    """
    return _ratios(*_counts(y_true, y_pred, label))[0]


def recall(y_true, y_pred, label=1):
    """TP / (TP + FN) for class ``label``; 0.0 when no point is of class ``label``.

    Examples
    --------
    >>> recall([1, 0, 1, 1], [1, 1, 0, 1])
    0.6666666666666666
    """
    return _ratios(*_counts(y_true, y_pred, label))[1]


def f1_score(y_true, y_pred, label=1):
    """2 P R / (P + R) for class ``label``, which equals 2 TP / (2 TP + FP + FN); 0.0 if undefined.

    Examples
    --------
    >>> f1_score([1, 0, 1, 1], [1, 1, 0, 1])
    0.6666666666666666
    """
    return _ratios(*_counts(y_true, y_pred, label))[2]


def confusion_matrix(y_true, y_pred, n_classes=None):
    """C[i, j] = number of points of true class i predicted as class j.

    Rows are the truth, columns the prediction; for a binary problem
    ``[[TN, FP], [FN, TP]]``.

    Without ``n_classes`` the matrix has at least 2 rows and columns, on purpose: labels
    that are all 0 (or all 1) still come from a binary problem, so the counts stay in
    the ``[[TN, FP], [FN, TP]]`` layout instead of collapsing to a 1 x 1 matrix. Pass
    ``n_classes=1`` for a 1 x 1 matrix.

    Examples
    --------
    >>> confusion_matrix([1, 0, 1, 1], [1, 1, 0, 1])
    array([[0, 1],
           [1, 2]])
    >>> confusion_matrix([0, 0], [0, 0])      # one label seen: still 2 x 2
    array([[2, 0],
           [0, 0]])
    """
    y_true, y_pred = _labels(y_true, y_pred)
    seen = int(max(y_true.max(), y_pred.max())) + 1
    if n_classes is None:
        n_classes = max(seen, 2)
    else:
        n_classes = check_scalar(n_classes, "n_classes", low=1, high=MAX_CLASSES, integer=True)
        if seen > n_classes:
            raise ValueError(f"n_classes={n_classes} but the labels go up to {seen - 1}; "
                             f"pass n_classes >= {seen}.")
    return _confusion(y_true, y_pred, n_classes)


def boundary_metrics(theta, X, y):
    """Confusion counts and metrics of the boundary theta . x = 0 on points ``X, y``.

    A point is predicted y = 1 when theta_0 + theta_1 x1 + theta_2 x2 > 0, that is
    when sigmoid(theta . x) > 0.5 (:func:`course_utils.losses.predict`).

    Parameters
    ----------
    theta : array_like, shape (3,)
        (theta_0, theta_1, theta_2): the intercept, then the weights of x1 and x2.
    X : array_like, shape (m, 2)
        Features (x1, x2) without the dummy column.
    y : array_like, shape (m,)
        Labels 0/1.

    Returns
    -------
    dict
        ``tp, fp, fn, tn`` (ints), ``accuracy, precision, recall, f1`` (floats; a ratio
        with a zero denominator is 0.0), ``confusion`` ([[TN, FP], [FN, TP]]) and
        ``y_pred``.

    Examples
    --------
    >>> from course_utils.data import lecture_points
    >>> X, y = lecture_points()
    >>> r = boundary_metrics([-1, 2, -3], X, y)        # the slide's boundary
    >>> r["tp"], r["fp"], r["fn"], r["tn"]
    (7, 2, 3, 4)
    >>> r["accuracy"] == 11 / 16, r["precision"] == 7 / 9, r["recall"] == 7 / 10
    (True, True, True)
    """
    theta = as_float_array(theta, "theta", ndim=1, finite=False)
    if theta.shape != (3,):
        raise ValueError(f"theta must have shape (3,): (theta_0, theta_1, theta_2) for two "
                         f"features plus the dummy one; got shape {theta.shape}.")
    if not np.all(np.isfinite(theta)):
        raise ValueError(f"theta must be finite; got {tuple(theta)}.")
    X = check_X(X, allow_sparse=False)
    if X.shape[1] != 2:
        raise ValueError(f"X must have 2 columns (x1, x2), without the dummy feature; "
                         f"got shape {X.shape}. Drop the column of ones first.")
    y = check_binary_labels(y, X.shape[0]).astype(np.int64)
    y_pred = predict(theta, add_intercept(X))  # finite even when theta . x overflows
    C = _confusion(y, y_pred, 2)             # the labels are checked: no second check
    tn, fp, fn, tp = (int(v) for v in C.ravel())
    prec, rec, f1 = _ratios(tp, fp, fn)
    return {"tp": tp, "fp": fp, "fn": fn, "tn": tn, "accuracy": (tp + tn) / y.size,
            "precision": prec, "recall": rec, "f1": f1, "confusion": C, "y_pred": y_pred}
