"""Symbolic (SymPy) proofs of the course's derivations.

Notebooks 03 and 07 and the tests use these functions to show that every gradient
of the course follows from its loss by differentiation, not by faith:

* :mod:`~course_utils.symbolic.binary` (notebook 03): sigmoid'(z) =
  sigmoid(z) (1 - sigmoid(z)), the lecture's step-by-step derivation of the
  cross-entropy gradient x_k (sigmoid(theta . x) - y) with each step checked, and the
  batch gradient with the L2 term;
* :mod:`~course_utils.symbolic.multinomial` (notebook 07): the gradient of the
  L2-regularised mean cross-entropy of the handwritten derivation, the five candidate
  answers of the exam question, and the reduction of a 2-class softmax to the sigmoid;
* :mod:`~course_utils.symbolic._proof`: the proof engine both use (how a claim
  "a == b" is proved, and why it is not plain ``sympy.simplify``).

Everything returned is a SymPy object (immutable matrices), a small frozen dataclass,
or, for :func:`lambdify_gradient` and :func:`lambdify_loss`, a NumPy function.
Results are cached, so a notebook and the tests share the work.

Examples
--------
>>> from course_utils import symbolic
>>> symbolic.binary_from_softmax().holds
True
"""

from .binary import (BinarySymbols, GradientCheck, Identity, Step, binary_ce_gradient_steps,
                     binary_gradient_check, check_steps, sigma, sigmoid_derivative_identity,
                     binary_symbols)
from .multinomial import (ExamAnswers, ExamVerdict, MultinomialSymbols, binary_from_softmax,
                          exam_answers, exam_objective, exam_verdicts,
                          handwritten_gradient_check, lambdify_gradient, lambdify_loss,
                          multinomial_loss, multinomial_symbols, seed002_gradient_check,
                          update_equivalence)

__all__ = [
    "sigma",
    "Identity",
    "Step",
    "BinarySymbols",
    "MultinomialSymbols",
    "GradientCheck",
    "ExamAnswers",
    "ExamVerdict",
    "sigmoid_derivative_identity",
    "binary_symbols",
    "binary_ce_gradient_steps",
    "check_steps",
    "binary_gradient_check",
    "multinomial_symbols",
    "multinomial_loss",
    "exam_objective",
    "handwritten_gradient_check",
    "seed002_gradient_check",
    "exam_answers",
    "exam_verdicts",
    "update_equivalence",
    "binary_from_softmax",
    "lambdify_gradient",
    "lambdify_loss",
]
