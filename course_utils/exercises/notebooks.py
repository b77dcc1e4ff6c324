"""The notebooks' exercises: their data, expected values, the mistakes they name, and the
text written for each (one record per exercise id)."""

from __future__ import annotations

from types import MappingProxyType

import numpy as np

from ..data import LECTURE_THETA, lambda_path_data, lecture_points
from ..exam import DESCENT_FEEDBACK, LOSS_GRADIENT
from ..functions import add_intercept, log_sigmoid, sigmoid, softmax
from ..landscape import one_weight_grad, one_weight_minimum
from ..losses import binary_cross_entropy_grad
from .core import ChoiceExercise, NumberExercise

# ------------------------------------------------------------------ the exercises' data
_X_MAIL = add_intercept(np.array([[0, 1, 0, 0.02]]))          # notebook 01: the mail
_THETA_SPAM = np.array([-2.0, 1.0, 1.5, -3.0, 20.0])           # its invented weights
_MIXED_REVIEW = np.array([1.0, 1.0, 1.0])                      # "Great plot but bad acting."
_WORST_REVIEW = np.array([1.0, 0.0, 1.0])                      # "Worst crap I've ever seen."
_QUIZ_THETA = np.array([[0.45, -0.12, 0.14, 1.3],              # notebooks 06 and 07
                        [-0.7, 0.9, 0.68, -0.31],
                        [-0.26, 0.05, 0.12, 0.51]])
_QUIZ_X = np.array([1.0, 1.0, 1.0, 0.0])


def _lecture():
    X, y = lecture_points()
    Xb = add_intercept(X)
    return Xb, y, (Xb @ LECTURE_THETA > 0).astype(int)


def _pr(y, pred, label):
    tp = np.sum((pred == label) & (y == label))
    return tp / np.sum(pred == label), tp / np.sum(y == label)


def _lr_max(_):
    w, h = one_weight_minimum(), 1e-5
    return 2 / ((one_weight_grad(w + h) - one_weight_grad(w - h)) / (2 * h))


def _sgd_steps(_):
    x1, theta, alpha = np.array([1.0, 0.82]), np.array([0.04, 0.5]), 0.01
    theta_new = theta - alpha * x1 * (sigmoid(theta @ x1) - 1)
    x2 = np.array([1.0, -1.5])
    step = alpha * x2 * sigmoid(theta_new @ x2)
    return theta_new, x2, step


def _sep():
    X2, y = lambda_path_data()
    return add_intercept(X2), y, np.array([0.5, 2.0, -1.0]), 0.5


def _stop(data, extra=0):
    best, since = np.inf, 0
    for i, v in enumerate(np.asarray(data["val_losses"], dtype=float)):
        best, since = (v, 0) if v < best else (best, since + 1)
        if since > data["patience"] - extra:
            return i
    return len(data["val_losses"]) - 1


def _cheapest(data):
    runs = data["runs"]
    return min(runs, key=lambda k: runs[k].losses[runs[k].examples_seen <= 1000].min())


def _one_point(label):
    p = softmax(_QUIZ_THETA @ _QUIZ_X)
    return np.outer(p - np.eye(3)[label], _QUIZ_X)


def _tilde(T):
    T = np.array(T, dtype=float)
    T[..., 0] = 0.0
    return T


def _recall(data):
    C = np.asarray(data["confusion"], dtype=float)
    return C[3, 3] / C[3].sum()


N = NumberExercise
NUMBER_EXERCISES = MappingProxyType({
    "00.sigmoid_half": N(
        "answer", lambda d: 0.0,
        {"correct": "The curve crosses one half where the score is zero, and only there.",
         "probability_not_score": "That is the probability itself: the question asks for the "
                                  "score z at which sigma(z) takes that value."},
        lambda d: {"probability_not_score": 0.5},
        nudge="Look at the figure: where does the curve cross the dashed line?"),
    "01.p_spam": N(
        "p_spam", lambda d: sigmoid(_X_MAIL @ _THETA_SPAM)[0],
        {"correct": "A score just below zero gives a probability just below one half.",
         "score_not_probability": "That is the score theta . x: apply sigmoid to turn it into "
                                  "a probability.",
         "other_class": "That is the probability of the other class (not spam)."},
        lambda d: {"score_not_probability": (_X_MAIL @ _THETA_SPAM)[0],
                   "other_class": sigmoid(-(_X_MAIL @ _THETA_SPAM))[0]},
        nudge="Start from the score of the mail, the dot product with its dummy feature."),
    "01.p_negative": N(
        "p_negative", lambda d: sigmoid(-(_WORST_REVIEW @ LECTURE_THETA)),
        {"correct": "sigma(-theta . x) is the probability of class 0.",
         "other_class": "That is P(y = 1 given x), the positive class: the question asks for "
                        "y = 0.",
         "score_not_probability": "That is a score, not a probability: apply sigmoid."},
        lambda d: {"other_class": sigmoid(_WORST_REVIEW @ LECTURE_THETA),
                   "score_not_probability": -(_WORST_REVIEW @ LECTURE_THETA)},
        nudge="P(y = 0 given x) is sigma of a score: which one?"),
    "01.theta0_min": N(
        "theta0_min", lambda d: -(_MIXED_REVIEW[1:] @ LECTURE_THETA[1:]),
        {"correct": "Above it the score is positive and the review tips over.",
         "sign": "Right size, wrong sign: the review is positive when the score theta_0 + "
                 "2 - 3 is above zero; solve that for theta_0."},
        nudge="Write the score of the review with theta_0 unknown and ask when it is above zero."),
    "02.baseline_accuracy": N(
        "baseline_accuracy", lambda d: np.mean(_lecture()[1] == 1),
        {"correct": "Barely below the line's accuracy: accuracy alone rewards agreeing with the "
                    "majority class.",
         "other_class": "That is the accuracy of always predicting 0: the baseline predicts 1."},
        lambda d: {"other_class": np.mean(_lecture()[1] == 0)},
        nudge="Count the points whose label is 1."),
    "02.negative_scores": N(
        "negative_scores", lambda d: _pr(*_lecture()[1:], 0),
        {"correct": "For label 0 the true negatives play the part of the true positives.",
         "other_class": "Those are the scores of the positive class (label 1): for label 0 the "
                        "roles of positive and negative swap.",
         "precision_not_recall": "Your pair is the right two numbers in the wrong order: "
                                 "(precision, recall)."},
        lambda d: {"other_class": _pr(*_lecture()[1:], 1),
                   "precision_not_recall": _pr(*_lecture()[1:], 0)[::-1]},
        nudge="For label 0, a 'positive' prediction is a prediction of 0."),
    "02.line_ab": N(
        "line_ab", lambda d: (-LECTURE_THETA[1] / LECTURE_THETA[2],
                              -LECTURE_THETA[0] / LECTURE_THETA[2]),
        {"correct": "Solving theta . x = 0 for x2 gives the line in slope-intercept form.",
         "swapped": "Your two numbers are in the wrong order: (slope a, intercept b).",
         "sign": "Both of your numbers have the wrong sign: move the other terms to the right "
                 "side before dividing by theta_2."},
        lambda d: {"swapped": (-LECTURE_THETA[0] / LECTURE_THETA[2],
                               -LECTURE_THETA[1] / LECTURE_THETA[2])},
        nudge="Solve theta_0 + theta_1 x1 + theta_2 x2 = 0 for x2."),
    "03.loss_mixed": N(
        "loss_mixed", lambda d: -log_sigmoid(_MIXED_REVIEW @ LECTURE_THETA),
        {"correct": "A confident wrong prediction costs much more than a right one.",
         "other_class": "That is the loss for y = 0: with y = 1 the loss is minus the log of "
                        "P(y = 1 given x).",
         "sign": "A loss is never negative: it is minus the log of a probability."},
        lambda d: {"other_class": -log_sigmoid(-(_MIXED_REVIEW @ LECTURE_THETA))},
        rtol=1e-2,        # the rounded 0.12 of the exercise's text gives an accepted answer
        nudge="For y = 1 only one of the two terms of the cross-entropy is left."),
    "03.grad_mine": N(
        "grad_mine", lambda d: binary_cross_entropy_grad(LECTURE_THETA, *_lecture()[:2]),
        {"correct": "One line of NumPy for the whole data set.",
         "sign": "Your gradient points uphill: the loss's gradient has sigma(X theta) - y, "
                 "prediction minus label.",
         "sum_not_mean": "Your gradient is the sum over the 16 points: divide by m for the mean."},
        lambda d: {"sum_not_mean": 16 * binary_cross_entropy_grad(LECTURE_THETA,
                                                                   *_lecture()[:2])},
        nudge="Errors first (prediction minus label), then X transposed times the errors."),
    "04.lr_max": N(
        "lr_max", _lr_max,
        {"correct": "Above it each overshoot is larger than the last.",
         "inverted": "That is J''(w*) / 2: the bound is 2 divided by the curvature.",
         "missing_factor_2": "That is 1 / J''(w*), where steps start to overshoot; the bound "
                             "where they stop settling is twice as far."},
        lambda d: {"inverted": 1 / _lr_max(d), "missing_factor_2": _lr_max(d) / 2},
        nudge="Compute J''(w*) with the formula above, using w_star, then the bound."),
    "04.theta_next": N(
        "theta_next", lambda d: _sgd_steps(d)[0] - _sgd_steps(d)[2],
        {"correct": "The score had to fall, and x_1 is negative, so theta_1 went up.",
         "sign": "You stepped uphill: theta_next = theta_new - alpha * gradient.",
         "label": "You used y = 1: the second example has y = 0."},
        lambda d: {"sign": _sgd_steps(d)[0] + _sgd_steps(d)[2],
                   "label": _sgd_steps(d)[0] - 0.01 * _sgd_steps(d)[1] * (
                       sigmoid(_sgd_steps(d)[0] @ _sgd_steps(d)[1]) - 1)},
        nudge="Same formula as the quiz's step, with the new example and theta_new."),
    "05.grad_penalised": N(
        "grad_penalised",
        lambda d: binary_cross_entropy_grad(_sep()[2], _sep()[0], _sep()[1]) + 2 * 0.5 * _tilde(_sep()[2]),
        {"correct": "The penalty pulls every weight but the intercept towards zero.",
         "penalised_intercept": "Your gradient penalises theta_0: the intercept is not "
                                "penalised, so entry 0 is the unpenalised one.",
         "missing_factor_2": "Your penalty's gradient is lam theta: the derivative of lam "
                             "theta_j^2 is 2 lam theta_j.",
         "no_penalty": "That is the gradient without the penalty: add the penalty's part."},
        lambda d: {"penalised_intercept": binary_cross_entropy_grad(_sep()[2], *_sep()[:2])
                   + 2 * 0.5 * _sep()[2],
                   "missing_factor_2": binary_cross_entropy_grad(_sep()[2], *_sep()[:2])
                   + 0.5 * _tilde(_sep()[2]),
                   "no_penalty": binary_cross_entropy_grad(_sep()[2], *_sep()[:2])},
        nudge="The data part is the unpenalised gradient; what does lam sum_j theta_j^2 add?"),
    "05.stop_index": N(
        "stop_index", _stop,
        {"correct": "The parameters kept are those of the best measurement before it.",
         "off_by_one": "One too early: training stops when the count of measurements without "
                       "improvement *exceeds* P, not when it reaches P.",
         "best": "That is the best measurement; the question asks where training stops."},
        lambda d: {"off_by_one": _stop(d, extra=1),
                   "best": int(np.argmin(np.asarray(d["val_losses"])[:_stop(d) + 1]))},
        needs=("val_losses", "patience"), integer=True, rtol=0, atol=0,
        nudge="Keep the best value so far and a count of measurements since it."),
    "06.argmax": N(
        "answer", lambda d: int(np.argmax(softmax(_QUIZ_THETA @ np.array([1.0, 0.0, 1.0, 1.0])))),
        {"correct": "Softmax keeps the order of the scores, so the largest score wins.",
         "off_by_one": "That is the slide's numbering (from 1): give the index in code, from 0.",
         "probability_not_index": "That is a probability or a score: give the index of the "
                                  "class (0, 1 or 2)."},
        lambda d: {"off_by_one": 1 + int(np.argmax(_QUIZ_THETA @ np.array([1.0, 0.0, 1.0, 1.0])))},
        integer=True, rtol=0, atol=0,
        nudge="Compute the three scores of the point and find the largest."),
    "06.two_class": N(
        "answer", lambda d: sigmoid(0.3 - (-1.2)),
        {"correct": "With two classes only the difference of the scores matters.",
         "other_class": "That is the probability of class 2: for class 1 take sigma of "
                        "z_1 - z_2."},
        lambda d: {"other_class": sigmoid(-1.2 - 0.3)},
        nudge="Softmax of two scores is sigma of a difference: which difference?"),
    "07.one_point_gradient": N(
        "answer", lambda d: _one_point(2),
        {"correct": "Row k is (p_k - y_k) x: only the true class's row points the other way.",
         "sign": "Your gradient points uphill: row k is (p_k - y_k) x, prediction minus label.",
         "label": "You used another class as the true one: the point belongs to index 2."},
        lambda d: {"label": _one_point(1)},
        nudge="Row k of the gradient is (p_k - y_k) times x."),
    "07.penalty_gradient": N(
        "answer", lambda d: 2 * 0.5 * _tilde(_QUIZ_THETA),
        {"correct": "Column 0 stays zero: the intercepts are not penalised.",
         "penalised_intercept": "Your column 0 is not zero: the course's penalty leaves the "
                                "intercepts alone.",
         "missing_factor_2": "Your entries are lam theta: the derivative of lam theta^2 is "
                             "2 lam theta."},
        lambda d: {"penalised_intercept": 2 * 0.5 * _QUIZ_THETA,
                   "missing_factor_2": 0.5 * _tilde(_QUIZ_THETA)},
        nudge="Differentiate lam theta_kj^2 entry by entry; which entries have no penalty?"),
    "08.health_recall": N(
        "answer", _recall,
        {"correct": "One diagonal entry over the sum of its row.",
         "precision_not_recall": "That is the precision of health (a column): recall divides "
                                 "by all posts that truly are health (a row)."},
        lambda d: {"precision_not_recall": np.asarray(d["confusion"], float)[3, 3]
                   / np.asarray(d["confusion"], float)[:, 3].sum()},
        needs=("confusion",),
        nudge="Rows are the true topic: which row holds the posts that truly are health?"),
    "08.sklearn_C": N(
        "answer", lambda d: 1 / (2 * d["lam"] * d["m"]),
        {"correct": "A mean with lam equals a sum with 1 / (2C) when both are scaled alike.",
         "missing_factor_2": "A factor 2 is missing: scikit-learn's penalty is 1 / (2C).",
         "forgot_m": "You left out m: scikit-learn sums over the documents, we average.",
         "inverted": "That is 1 / C: solve for C itself."},
        lambda d: {"missing_factor_2": 1 / (d["lam"] * d["m"]), "forgot_m": 1 / (2 * d["lam"]),
                   "inverted": 2 * d["lam"] * d["m"]},
        needs=("lam", "m"),
        nudge="Divide scikit-learn's objective by m and match its penalty with lam."),
})

_GENERATIVE = {
    1: "P(y | x) directly is what the discriminative model, logistic regression, estimates.",
    2: "Naive Bayes models how the features are generated in each class; logistic regression "
       "never does.",
    3: "They estimate different things: look at which side of Bayes' rule each model works on.",
}
_CONVEXITY = {
    1: "That is the risk with non-convex losses; the cross-entropy is convex, so it has no such "
       "traps.",
    2: "Convexity rules out traps. (On separable data the loss keeps falling as theta grows, and "
       "no minimum exists.)",
    3: "u^2 is convex, but u = sigma(theta . x) - y is not linear in theta; the composition is "
       "not convex.",
}
_CHEAPEST = {
    "batch": "after 1000 examples batch has made a single step: it pays m = 1000 examples per "
             "step.",
    "SGD": "1000 examples are 1000 SGD steps, against 31 minibatch steps and one batch step.",
    "minibatch (32)": "minibatch has made 31 steps by then; compare the loss of each variant at "
                      "1000 examples.",
}
_EXAM = {1: "sign", 2: "missing_factor_2", 4: "sign"}

CHOICE_EXERCISES = MappingProxyType({
    "01.generative": ChoiceExercise("choice", lambda d: 2, _GENERATIVE),
    "03.convexity": ChoiceExercise("choice", lambda d: 2, _CONVEXITY),
    "04.cheapest": ChoiceExercise("cheapest", _cheapest, _CHEAPEST, needs=("runs",)),
    "07.descent_answer": ChoiceExercise("answer", lambda d: LOSS_GRADIENT,
                                        dict(DESCENT_FEEDBACK), _EXAM),
    "08.exam_descent": ChoiceExercise("answer", lambda d: LOSS_GRADIENT,
                                      dict(DESCENT_FEEDBACK), _EXAM),
})
