"""Small data sets of the course, and the train / validation / test split.

* :func:`lecture_points`: 16 labelled points in the plane on which the lecture's
  boundary theta = (-1, 2, -3) scores accuracy 11/16, precision 7/9 and recall 7/10.
  The slide's figure is not available as data, so this set was built to reproduce
  exactly those counts (TP 7, FP 2, FN 3, TN 4), with every point at least 0.3 away
  from the boundary in score so that no rounding can flip it.
* :func:`make_blobs`: seeded Gaussian clouds, 2 or K classes.
* :func:`train_val_test_split`: the lecture's 80 / 10 / 10 split, stratified.
* :func:`line_data`, :func:`lambda_path_data`: the small sets behind the
  gradient-descent and regularisation figures of notebooks 04 and 05.
* :func:`load_news`: the capstone's news articles (see :mod:`course_utils.news`).
"""

from __future__ import annotations

import numpy as np

from ._checks import MAX_CLASSES, as_float_array, as_rng, check_flag, check_scalar, check_X

#: Most points :func:`make_blobs` makes in one call.
_MAX_POINTS = 10_000_000

__all__ = ["LECTURE_THETA", "lecture_points", "make_blobs", "train_val_test_split",
           "line_data", "lambda_path_data", "load_news", "NewsData", "NEWS_GROUPS", "TOPICS"]

#: The lecture's decision boundary: -1 + 2 x1 - 3 x2 = 0.
LECTURE_THETA = np.array([-1.0, 2.0, -3.0])

# (x1, x2, y); the comment is what theta = (-1, 2, -3) makes of the point.
_LECTURE_POINTS = np.array([
    # y = 1 and predicted 1: true positives (7)
    (2.0, 0.2, 1), (2.5, 0.6, 1), (3.0, 1.0, 1), (3.5, 0.4, 1),
    (1.5, 0.1, 1), (4.0, 1.5, 1), (3.2, 1.6, 1),
    # y = 0 but predicted 1: false positives (2)
    (2.8, 1.2, 0), (1.8, 0.5, 0),
    # y = 1 but predicted 0: false negatives (3)
    (1.2, 1.0, 1), (2.2, 1.8, 1), (0.6, 0.2, 1),
    # y = 0 and predicted 0: true negatives (4)
    (0.5, 1.5, 0), (1.0, 2.2, 0), (1.8, 2.6, 0), (0.3, 0.9, 0),
])

# Ten points on a line, classes overlapping in the middle (not separable, so the
# loss has a finite minimum). Used for the 1-D and 2-D gradient-descent pictures.
_LINE_X = np.array([0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0])
_LINE_Y = np.array([0, 0, 0, 1, 0, 1, 0, 1, 1, 1])


_NEWS_NAMES = ("load_news", "NewsData", "NEWS_GROUPS", "TOPICS")


def __getattr__(name):
    # The news loader pulls in scikit-learn's text machinery; import it only when
    # asked, so `from course_utils.data import lecture_points` stays fast.
    if name in _NEWS_NAMES:
        from . import news
        return getattr(news, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def lecture_points():
    """The 16 points of the decision-boundary slide.

    Returns
    -------
    X : ndarray, shape (16, 2)
        Features (x1, x2), without the dummy column.
    y : ndarray of int, shape (16,)
        Labels; 10 points have y = 1.

    Examples
    --------
    >>> X, y = lecture_points()
    >>> X.shape, int(y.sum())
    ((16, 2), 10)
    """
    return _LECTURE_POINTS[:, :2].copy(), _LECTURE_POINTS[:, 2].astype(np.int64)


def make_blobs(n_per_class=50, n_classes=2, *, centers=None, spread=1.0, rng=None):
    """Gaussian clouds in the plane, one per class, shuffled.

    x ~ Normal(center_k, spread^2 I) for the points of class k.

    Parameters
    ----------
    n_per_class : int
        Points per class.
    n_classes : int
        K >= 2; ignored if ``centers`` is given.
    centers : array_like, shape (K, 2), optional
        Default: K points evenly spaced on a circle of radius 1.5 (for K = 2, about
        (-1.06, -1.06) and (1.06, 1.06)).
    spread : float > 0
        Standard deviation of each cloud.
    rng : Generator, int or None

    Returns
    -------
    X : ndarray, shape (K * n_per_class, 2)
    y : ndarray of int

    Examples
    --------
    >>> X, y = make_blobs(5, 3, rng=0)
    >>> X.shape, np.bincount(y).tolist()
    ((15, 2), [5, 5, 5])
    """
    n_per_class = check_scalar(n_per_class, "n_per_class", low=1, high=_MAX_POINTS, integer=True,
                               hint="That many points would not fit in memory.")
    spread = check_scalar(spread, "spread", low=0.0, low_inclusive=False)
    if centers is None:
        n_classes = check_scalar(n_classes, "n_classes", low=2, high=MAX_CLASSES, integer=True)
        angles = 2 * np.pi * np.arange(n_classes) / n_classes + np.pi / 4 + np.pi
        centers = 1.5 * np.c_[np.cos(angles), np.sin(angles)]
    else:
        centers = as_float_array(centers, "centers", ndim=2)
        if centers.shape[1] != 2 or centers.shape[0] < 2:
            raise ValueError(f"centers must have shape (K, 2) with K >= 2; got {centers.shape}.")
    if centers.shape[0] * n_per_class > _MAX_POINTS:
        raise ValueError(f"K * n_per_class must be <= {_MAX_POINTS} points; got "
                         f"{centers.shape[0]} * {n_per_class}.")
    gen = as_rng(rng)
    K = centers.shape[0]
    with np.errstate(over="ignore", invalid="ignore"):
        X = np.concatenate([c + spread * gen.standard_normal((n_per_class, 2)) for c in centers])
    if not np.all(np.isfinite(X)):
        raise ValueError(f"spread = {spread:g} with centers up to "
                         f"{np.max(np.abs(centers)):g} puts points beyond float64's range; "
                         f"use a spread and centers below 1e300.")
    y = np.repeat(np.arange(K), n_per_class)
    order = gen.permutation(X.shape[0])
    return X[order], y[order]


def train_val_test_split(X, y, *, fractions=(0.8, 0.1, 0.1), stratify=True, rng=None):
    """Split rows into training, validation and test sets (default 80 / 10 / 10).

    With ``stratify`` every class is split in the same proportions, so a small
    validation set still sees every class.

    Returns
    -------
    (X_train, y_train), (X_val, y_val), (X_test, y_test)

    Examples
    --------
    >>> X, y = make_blobs(50, 2, rng=1)
    >>> (Xtr, ytr), (Xva, yva), (Xte, yte) = train_val_test_split(X, y, rng=0)
    >>> len(ytr), len(yva), len(yte)
    (80, 10, 10)
    """
    X = check_X(X)
    stratify = check_flag(stratify, "stratify")
    try:
        y = np.asarray(y)
    except ValueError:
        raise TypeError("y must be a 1-D array of labels; got rows of different lengths.") from None
    if y.ndim != 1 or y.shape[0] != X.shape[0]:
        raise ValueError(f"y must be 1-D with one label per row of X ({X.shape[0]}); "
                         f"got shape {y.shape}.")
    if y.dtype.kind == "c":
        raise TypeError("y must hold class labels; got complex numbers.")
    missing = (~np.isfinite(y) if y.dtype.kind == "f" else
               np.array([v is None or (isinstance(v, float) and not np.isfinite(v))
                         for v in y], dtype=bool) if y.dtype.kind == "O" else
               np.zeros(y.shape, dtype=bool))
    if missing.any():
        rows = np.flatnonzero(missing)
        raise ValueError(f"y has {rows.size} missing label{'s' * (rows.size > 1)} (NaN, inf or "
                         f"None; first in row "
                         f"{rows[0]}); a row without a label cannot be split. Drop those rows "
                         f"first, e.g. keep = np.isfinite(y); X, y = X[keep], y[keep].")
    fr = as_float_array(fractions, "fractions", ndim=1)
    if fr.shape != (3,) or np.any(fr < 0) or np.any(fr > 1) or not np.isclose(fr.sum(), 1.0):
        raise ValueError(f"fractions must be three non-negative numbers summing to 1, "
                         f"such as (0.8, 0.1, 0.1); got {tuple(fr)}.")
    gen = as_rng(rng)
    groups = [np.flatnonzero(y == c) for c in np.unique(y)] if stratify else [np.arange(len(y))]
    parts = ([], [], [])
    for idx in groups:
        idx = gen.permutation(idx)
        n = len(idx)
        n_train = int(round(fr[0] * n))
        n_val = int(round(fr[1] * n))
        parts[0].append(idx[:n_train])
        parts[1].append(idx[n_train:n_train + n_val])
        parts[2].append(idx[n_train + n_val:])
    out = []
    for p in parts:
        rows = gen.permutation(np.concatenate(p))
        out.append((X[rows], y[rows]))
    return tuple(out)


def line_data():
    """The ten points on a line used for the gradient-descent pictures.

    x runs from 0.5 to 5.0 in steps of 0.5; the classes overlap in the middle, so
    the cross-entropy has a finite minimum.

    Returns
    -------
    x : ndarray, shape (10,)
    y : ndarray of int, shape (10,)

    Examples
    --------
    >>> x, y = line_data()
    >>> x[:3].tolist(), y.tolist()
    ([0.5, 1.0, 1.5], [0, 0, 0, 1, 0, 1, 0, 1, 1, 1])
    """
    return _LINE_X.copy(), _LINE_Y.copy()


def lambda_path_data():
    """A small separable 2-class set whose two features live on different scales.

    Two Gaussian clouds (20 points each, seed 0) around (-1, -0.3) and (1, 0.3),
    with the second feature stretched by 2.5. Separable, so without a penalty the
    weights grow without bound; with one, they stay finite.

    Returns
    -------
    X : ndarray, shape (40, 2)   (no dummy column)
    y : ndarray of int, shape (40,)

    Examples
    --------
    >>> X, y = lambda_path_data()
    >>> X.shape, int(y.sum())
    ((40, 2), 20)
    """
    X, y = make_blobs(20, centers=[(-1.0, -0.3), (1.0, 0.3)], spread=0.7, rng=0)
    X[:, 1] *= 2.5
    return X, y
