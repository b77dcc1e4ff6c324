"""Exercise checks that name the mistake and never give the answer away.

``check(name, answer)`` judges a student's answer to the exercise ``name`` and returns a
:class:`Feedback`: ``.correct`` (bool), ``.message`` (for the student) and
``.misconception`` (None, or one of the ids below). In a notebook a ``Feedback`` shows
itself as text (``print`` gives the same words). The expected values live here, computed
from each exercise's data; no notebook cell holds them, and no message contains them.

Exercise ids
------------
The notebooks' exercises, one id each (``<notebook>.<what>``): ``00.sigmoid_half``,
``01.generative``, ``01.p_spam``, ``01.p_negative``, ``01.theta0_min``,
``02.baseline_accuracy``, ``02.negative_scores``, ``02.line_ab``, ``03.loss_mixed``,
``03.convexity``, ``03.grad_mine``, ``04.lr_max``, ``04.theta_next``, ``04.cheapest``,
``05.grad_penalised``, ``05.stop_index``, ``06.my_softmax``, ``06.argmax``,
``06.two_class``, ``07.one_point_gradient``, ``07.penalty_gradient``,
``07.descent_answer``, ``08.exam_descent``, ``08.health_recall``, ``08.sklearn_C``.
Where the data come from a run in the notebook (a trained model's confusion matrix, a
validation curve), the check cell passes them as keyword arguments, e.g.
``check("08.health_recall", answer, confusion=C)``, and the expected value is computed
here from them.

Functions the student writes, judged by calling them positionally on probe inputs
(never by reading their source), with a time limit (:data:`TIME_LIMIT` seconds in all):

* ``sigmoid`` (z);
* ``binary_loss`` and ``binary_gradient`` (theta, X, y, lam=0.0);
* ``batch_gradient_descent`` (X, y, lr, n_steps, theta0) -> theta, no penalty;
* ``sgd_epoch`` (X, y, lr, theta0, order) -> theta: one pass of SGD, one step per
  example, visiting the rows of X in the order of the index array ``order``, no penalty;
* ``early_stopping`` (val_losses, patience) -> int: epochs are 0-based indices into
  ``val_losses``; an improvement is a value strictly below the best so far; training
  stops after ``patience`` consecutive non-improvements and the index of the best epoch
  is returned ([5, 4, 3, 3.5, 3.6, 3.7, 1.0] with patience 2 gives 2).
  ``course_utils.optim`` waits for *more than* ``patience`` non-improvements (one
  measurement later); its stored runs are kept as they are, and notebook 05's
  exercise ``05.stop_index`` follows the optimiser's rule, which its text states;
* ``softmax`` (Z, axis=-1);
* ``multinomial_gradient`` (Theta, X, y, lam=0.0): Theta has shape (K, n + 1), y holds
  integer labels;
* ``bce_derivative``: d loss / d theta_j of one example's cross-entropy, typed as a
  string or a SymPy expression in ``x_j``, ``y``, ``z`` and ``sigma(z)`` (or
  ``1/(1+exp(-z))``); SymPy decides;
* ``minibatch_sgd`` (X, y, n_classes, lr, lam, batch_size, n_epochs, rng) -> Theta, shape
  (n_classes, n + 1): notebook 08's training loop, run once on the notebook's training
  split (``check("minibatch_sgd", fn, X_train=..., y_train=..., X_val=..., y_val=...,
  real=...)``) with X a sparse matrix that refuses to become dense, and judged by its
  accuracy on the validation split: at least 0.85 on the real news, 0.75 on the synthetic
  stand-in.

X always carries the dummy column 0; the probes use K != n + 1, so a transposed answer
shows. Overflow is detected whatever the caller's warning filters are.

Misconception ids (:data:`MISCONCEPTIONS` holds them with their meaning)
-------------------------------------------------------------------------
``sign``, ``sum_not_mean``, ``penalised_intercept``, ``missing_factor_2``,
``wrong_shape``, ``not_finite``, ``sequential_update``, ``wrong_order``, ``overflow``,
``wrong_axis``, ``no_patience``, ``off_by_one``, ``stop_not_best``, ``missing_factor``,
``wrong_term``, ``score_not_probability``, ``other_class``, ``precision_not_recall``, ``forgot_m``,
``inverted``, ``probability_not_index``, ``probability_not_score``, ``densified``.

Examples
--------
>>> fb = check("00.sigmoid_half", None)
>>> fb.correct, fb.misconception
(False, None)
>>> print(fb)
Not answered yet: set answer and run this cell again.
>>> check("early_stopping", lambda losses, patience: losses.index(min(losses))).misconception
'no_patience'
"""

from __future__ import annotations

from types import MappingProxyType

import numpy as np

from .core import MISCONCEPTIONS, TIME_LIMIT, Feedback, function_feedback
from .derivation import bce_derivative_feedback
from .functions import FUNCTIONS, TRAINING
from .notebooks import CHOICE_EXERCISES, NUMBER_EXERCISES

__all__ = ["check", "Feedback", "EXERCISES", "MISCONCEPTIONS", "TIME_LIMIT"]

#: Every exercise id, with the kind of answer it takes.
EXERCISES = MappingProxyType({
    **{k: "function" for k in FUNCTIONS},
    **{k: "training" for k in TRAINING},
    **{k: "number" for k in NUMBER_EXERCISES},
    **{k: "choice" for k in CHOICE_EXERCISES},
    "bce_derivative": "expression",
})


def check(name, answer, **data):
    """Judge ``answer`` to the exercise ``name``; return a :class:`Feedback`.

    Parameters
    ----------
    name : str
        An exercise id (``EXERCISES`` lists them).
    answer : object
        The student's answer: a number or array, a choice, a function, or an expression.
    **data
        For exercises on a run in the notebook: the data the answer is computed from
        (for example ``confusion=C``); the expected value is derived from them here.

    Raises
    ------
    TypeError
        ``name`` is not a str, or ``data`` misses or adds a keyword.
    ValueError
        ``name`` is not an exercise id.
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be an exercise id (a str) such as '01.p_spam'; got "
                        f"{type(name).__name__}.")
    if name not in EXERCISES:
        raise ValueError(f"name must be one of the exercise ids {sorted(EXERCISES)}; got "
                         f"{name!r}. Copy the id from the exercise's check cell.")
    with np.errstate(all="ignore"):      # the check's own sums, whatever the caller set
        return _judge(name, EXERCISES[name], answer, data)


def _judge(name, kind, answer, data):
    if kind == "number":
        return NUMBER_EXERCISES[name].judge(name, answer, data)
    if kind == "choice":
        return CHOICE_EXERCISES[name].judge(name, answer, data)
    if kind == "training":
        return TRAINING[name](name, answer, data)
    if data:
        raise TypeError(f"check({name!r}, ...) takes no data keywords; got {sorted(data)}.")
    if kind == "expression":
        return bce_derivative_feedback(answer)
    what, probes, messages, reason = FUNCTIONS[name]
    return function_feedback(name, answer, probes(), messages, what=what, mixed_reason=reason)
