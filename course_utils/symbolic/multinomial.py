"""SymPy proofs for multinomial logistic regression (notebook 07).

* the gradient of the L2-regularised mean cross-entropy of the handwritten derivation,
  proved entry by entry: :func:`handwritten_gradient_check`;
* the exam question: its five candidate gradients (:func:`exam_answers`), which is the
  gradient of the objective and which of the loss (:func:`exam_verdicts`), and why
  ascent with answer 1 and descent with answer 3 are the same step
  (:func:`update_equivalence`); the answers' wording is :mod:`course_utils.exam`;
* a 2-class softmax is the sigmoid of the difference of the scores:
  :func:`binary_from_softmax`;
* the symbolic loss and gradient as NumPy functions: :func:`lambdify_loss`,
  :func:`lambdify_gradient`.

The one-hot labels y_ik satisfy sum_k y_ik = 1, and the textbook gradient needs that
constraint. It is handled honestly, twice: by substituting
y_{i,K-1} = 1 - sum_{k<K-1} y_ik, and by checking every one of the K**N label
assignments with concrete 0/1 values.

Conventions: indices start at 0, as in the code (the exam and the slides count from
1). ``Theta`` has one row per class, ``Theta[k, j]`` is the symbol ``w_k_j``; ``X`` has
one row per example, ``X[i, j]`` is ``x_i_j``; ``Y[i, k]`` is ``y_i_k``; the L2
strength is ``lambda``. Column 0 plays the role of the dummy feature when
``penalize_intercept=False``.
"""

from __future__ import annotations

import itertools
import types
from dataclasses import dataclass
from typing import Callable, Mapping

import numpy as np
import sympy as sp

from .. import exam
from .._checks import check_class_labels, check_lam, check_Theta, check_X
from ._proof import (MAX_PROOF, Rationalizer, as_matrix, bool_check, checked_and_cached,
                     numerator_is_zero, prove_zero, simplified, simplified_expr, size_check)
from .binary import GradientCheck, Identity, sigma

__all__ = ["MultinomialSymbols", "ExamAnswers", "ExamVerdict", "multinomial_symbols",
           "multinomial_loss", "exam_objective", "handwritten_gradient_check",
           "seed002_gradient_check", "exam_answers", "exam_verdicts", "update_equivalence",
           "binary_from_softmax", "lambdify_gradient", "lambdify_loss"]

#: Largest sizes :func:`lambdify_gradient` and :func:`lambdify_loss` accept.
MAX_LAMBDIFY = {"K": 6, "d": 6, "N": 8}

_SIZES = {name: size_check(MAX_PROOF[name]) for name in ("K", "d", "N")}
_LAMBDIFY_SIZES = {name: size_check(MAX_LAMBDIFY[name]) for name in ("K", "d", "N")}


# ---------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class MultinomialSymbols:
    """Symbols of a multinomial model on N examples.

    Attributes
    ----------
    Theta : sympy.ImmutableMatrix, shape (K, d)
        Row k is theta_k (the slides) or w_k (the handwritten derivation); entries ``w_k_j``.
    X : sympy.ImmutableMatrix, shape (N, d)
        Row i is x_i; entries ``x_i_j``.
    Y : sympy.ImmutableMatrix, shape (N, K)
        One-hot indicators y_ik: symbols ``y_i_k``, or 0/1 when labels were given.
    lam : sympy.Symbol
        The L2 strength (``lambda``, non-negative).
    logits : sympy.ImmutableMatrix, shape (N, K)
        f_ik = theta_k . x_i, i.e. ``X * Theta.T``.
    probs : sympy.ImmutableMatrix, shape (N, K)
        p_ik = exp(f_ik) / sum_c exp(f_ic), written out.
    labels : tuple of int or None
        The labels when Y is concrete.
    """

    Theta: sp.ImmutableMatrix
    X: sp.ImmutableMatrix
    Y: sp.ImmutableMatrix
    lam: sp.Symbol
    logits: sp.ImmutableMatrix
    probs: sp.ImmutableMatrix
    labels: tuple | None = None

    @property
    def K(self) -> int:
        return self.Theta.shape[0]

    @property
    def d(self) -> int:
        return self.Theta.shape[1]

    @property
    def N(self) -> int:
        return self.X.shape[0]


@dataclass(frozen=True)
class ExamAnswers:
    """The exam question in symbols.

    Attributes
    ----------
    symbols : MultinomialSymbols
    objective : sympy.Expr
        The penalised log-likelihood L(theta) - lambda sum_k ||theta_k||^2, summed
        (not averaged) over the examples; to be maximised.
    answers : mapping of int to sympy.ImmutableMatrix
        Answers 1..5, each of shape (K, d): row k is the candidate gradient for theta_k.
    objective_gradient : sympy.ImmutableMatrix
        The gradient of ``objective`` from ``sympy.diff``.
    loss_gradient : sympy.ImmutableMatrix
        The gradient of the loss to minimise, ``-objective``.
    """

    symbols: MultinomialSymbols
    objective: sp.Expr
    answers: Mapping
    objective_gradient: sp.ImmutableMatrix
    loss_gradient: sp.ImmutableMatrix


@dataclass(frozen=True)
class ExamVerdict:
    """What one exam answer is.

    Attributes
    ----------
    answer : int
        1..5, the exam's numbering.
    equals_gradient_of_objective : bool
        Proved equal to the gradient of the penalised log-likelihood.
    equals_gradient_of_loss : bool
        Proved equal to the gradient of the loss (minus the objective).
    difference : sympy.ImmutableMatrix
        answer - (gradient of the objective), simplified. Computed as
        answer - (answer 1), which is the same thing once answer 1 is proved to be
        that gradient (a proof every verdict depends on).
    expected_difference : sympy.ImmutableMatrix
        The same difference in the readable form a notebook states.
    difference_matches_expected : bool
        Proved: ``difference`` equals ``expected_difference``.
    reason : str
        Why the answer is right or wrong: ``course_utils.exam.EXPLANATIONS[answer]``,
        the text the quiz shows (math as LaTeX between ``$``).
    """

    answer: int
    equals_gradient_of_objective: bool
    equals_gradient_of_loss: bool
    difference: sp.ImmutableMatrix
    expected_difference: sp.ImmutableMatrix
    difference_matches_expected: bool
    reason: str


# ---------------------------------------------------------------------------
# Symbols, loss, objective
# ---------------------------------------------------------------------------

def _labels_check(labels, name, arguments):
    if labels is None:
        return None
    K, N = arguments["K"], arguments["N"]
    if isinstance(labels, (str, bytes)) or not hasattr(labels, "__len__"):
        raise TypeError(
            f"labels must be a sequence of {N} class indices (0..{K - 1}) or None; got "
            f"{type(labels).__name__} {labels!r}."
        )
    if len(labels) != N:
        raise ValueError(
            f"labels must hold one class index per example, N={N} of them; got "
            f"{len(labels)}. Pass N={len(labels)} or fix the labels."
        )
    arr = check_class_labels(labels, N, K, name="labels")
    return tuple(int(v) for v in arr)


@checked_and_cached(**_SIZES, labels=_labels_check)
def multinomial_symbols(K: int = 3, d: int = 2, N: int = 2, *, labels=None
                        ) -> MultinomialSymbols:
    """Symbols of a K-class model with d features on N examples.

    Parameters
    ----------
    K : int, default 3
        Number of classes (2..4).
    d : int, default 2
        Number of features, the dummy feature included (1..4).
    N : int, default 2
        Number of examples (1..4).
    labels : sequence of int or None, default None
        None: Y holds symbols y_i_k (one-hot by assumption, see the module docstring).
        Otherwise one class index 0..K-1 per example, and Y holds the 0/1 indicators.

    Returns
    -------
    MultinomialSymbols
        ``Theta`` (K, d), ``X`` (N, d), ``Y`` (N, K), ``lam``, ``logits``, ``probs``.

    Examples
    --------
    >>> s = multinomial_symbols(K=3, d=2, N=2)
    >>> s.Theta
    Matrix([
    [w_0_0, w_0_1],
    [w_1_0, w_1_1],
    [w_2_0, w_2_1]])
    >>> multinomial_symbols(labels=[2, 0]).Y
    Matrix([
    [0, 0, 1],
    [1, 0, 0]])
    """
    return _symbols(K, d, N, labels)


def _symbols(K: int, d: int, N: int, labels=None) -> MultinomialSymbols:
    # unchecked: the NumPy functions below build larger models than a proof allows
    Theta = as_matrix(K, d, lambda k, j: sp.Symbol(f"w_{k}_{j}", real=True))
    X = as_matrix(N, d, lambda i, j: sp.Symbol(f"x_{i}_{j}", real=True))
    if labels is None:
        Y = as_matrix(N, K, lambda i, k: sp.Symbol(f"y_{i}_{k}", real=True))
    else:
        Y = as_matrix(N, K, lambda i, k: sp.Integer(int(labels[i] == k)))
    lam = sp.Symbol("lambda", nonnegative=True)
    logits = sp.ImmutableMatrix(X * Theta.T)
    totals = [sp.Add(*[sp.exp(logits[i, c]) for c in range(K)]) for i in range(N)]
    probs = as_matrix(N, K, lambda i, k: sp.exp(logits[i, k]) / totals[i])
    return MultinomialSymbols(Theta=Theta, X=X, Y=Y, lam=lam, logits=logits, probs=probs,
                              labels=labels)


def _penalty(s: MultinomialSymbols, penalize_intercept: bool):
    first = 0 if penalize_intercept else 1
    return sp.Add(*[s.Theta[k, j] ** 2 for k in range(s.K) for j in range(first, s.d)])


def _log_likelihood(s: MultinomialSymbols):
    # sum_i sum_k y_ik log( exp(f_ik) / sum_c exp(f_ic) ), the form the exam writes
    return sp.Add(*[s.Y[i, k] * sp.log(s.probs[i, k])
                    for i in range(s.N) for k in range(s.K)])


def _mean_cross_entropy(s: MultinomialSymbols, penalize_intercept: bool) -> sp.Expr:
    return -sp.Rational(1, s.N) * _log_likelihood(s) + s.lam * _penalty(s, penalize_intercept)


@checked_and_cached(**_SIZES, labels=_labels_check, penalize_intercept=bool_check)
def multinomial_loss(K: int = 3, d: int = 2, N: int = 2, *, labels=None,
                     penalize_intercept: bool = True) -> sp.Expr:
    """The L2-regularised mean cross-entropy of the handwritten derivation (to minimise).

    J = -(1/N) sum_i sum_k y_ik log( exp(f_ik) / sum_c exp(f_ic) ) + lambda sum_k sum_j w_kj^2

    with f_ik = w_k . x_i. The handwritten derivation penalises every w_kj (the
    default); with ``penalize_intercept=False`` the penalty skips column 0, the course's
    convention.

    Parameters
    ----------
    K, d, N : int
        Sizes, as in :func:`multinomial_symbols`.
    labels : sequence of int or None, default None
        Concrete labels, or None for symbolic indicators y_i_k.
    penalize_intercept : bool, default True
        Whether w_k0 is penalised.

    Returns
    -------
    sympy.Expr

    Examples
    --------
    >>> multinomial_loss(K=2, d=1, N=1, labels=[0])
    lambda*(w_0_0**2 + w_1_0**2) - log(exp(w_0_0*x_0_0)/(exp(w_0_0*x_0_0) + exp(w_1_0*x_0_0)))
    """
    return _mean_cross_entropy(multinomial_symbols(K, d, N, labels=labels), penalize_intercept)


@checked_and_cached(**_SIZES, labels=_labels_check)
def exam_objective(K: int = 3, d: int = 2, N: int = 2, *, labels=None) -> sp.Expr:
    """The exam's penalised log-likelihood, summed over examples; to maximise.

    L(theta) - lambda sum_k ||theta_k||^2,
    L(theta) = sum_i sum_k y_ik log( exp(theta_k . x_i) / sum_j exp(theta_j . x_i) )

    Every theta_kj is penalised, as in the exam.

    Parameters
    ----------
    K, d, N : int
        Sizes, as in :func:`multinomial_symbols`.
    labels : sequence of int or None, default None
        Concrete labels, or None for symbolic indicators y_i_k.

    Returns
    -------
    sympy.Expr

    Examples
    --------
    >>> exam_objective(K=2, d=1, N=1, labels=[1])
    -lambda*(w_0_0**2 + w_1_0**2) + log(exp(w_1_0*x_0_0)/(exp(w_0_0*x_0_0) + exp(w_1_0*x_0_0)))
    """
    s = multinomial_symbols(K, d, N, labels=labels)
    return _log_likelihood(s) - s.lam * _penalty(s, True)


# ---------------------------------------------------------------------------
# What the proofs need to know about the model
# ---------------------------------------------------------------------------

def rationalizer_for(s: MultinomialSymbols) -> Rationalizer:
    """The proof engine's substitution exp(f_ic) -> positive symbol E_i_c, for ``s``'s logits."""
    return Rationalizer([
        (s.logits[i, c], s.Theta[c, 0] * s.X[i, 0], sp.Symbol(f"E_{i}_{c}", positive=True))
        for i in range(s.N) for c in range(s.K)])


def one_hot_constraint(s: MultinomialSymbols) -> dict:
    """y_{i,K-1} = 1 - sum_{k<K-1} y_ik for every example (empty for concrete labels)."""
    if s.labels is not None:
        return {}
    return {s.Y[i, s.K - 1]: 1 - sp.Add(*[s.Y[i, k] for k in range(s.K - 1)])
            for i in range(s.N)}


def _labelling_checks(s: MultinomialSymbols, difference, rationalizer) -> Mapping:
    if s.labels is not None:
        return types.MappingProxyType({})
    results = {}
    rational = difference.applyfunc(rationalizer.to_rational)
    for labels in itertools.product(range(s.K), repeat=s.N):
        values = {s.Y[i, k]: int(labels[i] == k) for i in range(s.N) for k in range(s.K)}
        results[labels] = all(numerator_is_zero(e.xreplace(values)) for e in rational)
    return types.MappingProxyType(results)


def _gradient(expr, Theta) -> sp.ImmutableMatrix:
    return as_matrix(Theta.shape[0], Theta.shape[1], lambda k, j: sp.diff(expr, Theta[k, j]))


def _data_term(s: MultinomialSymbols, sign: int) -> sp.ImmutableMatrix:
    """Row k: sum_i x_i (p_ik - y_ik) when sign = +1, sum_i x_i (y_ik - p_ik) when -1."""
    return as_matrix(s.K, s.d, lambda k, j: sp.Add(*[
        s.X[i, j] * sign * (s.probs[i, k] - s.Y[i, k]) for i in range(s.N)]))


def _tilde(s: MultinomialSymbols, penalize_intercept: bool) -> sp.ImmutableMatrix:
    first = 0 if penalize_intercept else 1
    return as_matrix(s.K, s.d, lambda k, j: s.Theta[k, j] if j >= first else sp.S.Zero)


# ---------------------------------------------------------------------------
# The handwritten derivation
# ---------------------------------------------------------------------------

@checked_and_cached(**_SIZES, labels=_labels_check, penalize_intercept=bool_check)
def handwritten_gradient_check(K: int = 3, d: int = 2, N: int = 2, *, labels=None,
                               penalize_intercept: bool = True) -> GradientCheck:
    """Prove, entry by entry, the gradient of the handwritten derivation.

    J = -(1/N) sum_i sum_k y_ik log softmax_k(W x_i) + lambda sum_k sum_j w_kj^2
    dJ/dw_k = (1/N) sum_i x_i (p_ik - y_ik) + 2 lambda w_k

    ``derived`` comes from ``sympy.diff`` of J. The formula needs sum_k y_ik = 1 (one-hot
    rows): the proof substitutes y_{i,K-1} = 1 - sum_{k<K-1} y_ik, checks all K**N label
    assignments, and also proves what the difference is when the y_ik are left free.
    With ``penalize_intercept=False`` the claim is 2 lambda w~_k with w~_k0 = 0.

    Parameters
    ----------
    K, d, N : int
        Sizes, as in :func:`multinomial_symbols` (defaults 3, 2, 2).
    labels : sequence of int or None, default None
        Check one concrete labelling only, or (None) symbolic labels.
    penalize_intercept : bool, default True
        Whether column 0 is penalised (the handwritten derivation: yes).

    Returns
    -------
    GradientCheck
        ``derived``, ``claimed`` and ``difference`` of shape (K, d); ``labellings``
        maps each label tuple to whether the difference vanishes for it.

    Examples
    --------
    >>> check = handwritten_gradient_check()
    >>> check.difference
    Matrix([
    [0, 0],
    [0, 0],
    [0, 0]])
    >>> len(check.labellings), check.holds
    (9, True)
    """
    s = multinomial_symbols(K, d, N, labels=labels)
    loss = multinomial_loss(K, d, N, labels=labels, penalize_intercept=penalize_intercept)
    derived = _gradient(loss, s.Theta)
    claimed = sp.ImmutableMatrix(
        sp.Rational(1, N) * _data_term(s, +1) + 2 * s.lam * _tilde(s, penalize_intercept))
    rationalizer = rationalizer_for(s)
    raw = derived - claimed
    difference = simplified(raw, rationalizer, one_hot_constraint(s))
    labellings = _labelling_checks(s, raw, rationalizer)
    residual = residual_holds = None
    if labels is None:
        # Without sum_c y_ic = 1 the formula is off by (1/N) sum_i x_ij p_ik (sum_c y_ic - 1).
        residual = as_matrix(K, d, lambda k, j: sp.Rational(1, N) * sp.Add(*[
            s.X[i, j] * s.probs[i, k] * (sp.Add(*[s.Y[i, c] for c in range(K)]) - 1)
            for i in range(N)]))
        residual_holds = all(prove_zero(e, rationalizer) for e in raw - residual)
    return GradientCheck(loss=loss, derived=derived, claimed=claimed, difference=difference,
                         labellings=labellings, unconstrained_residual=residual,
                         unconstrained_residual_holds=residual_holds)


#: The older name of :func:`handwritten_gradient_check`, kept so existing code runs.
seed002_gradient_check = handwritten_gradient_check


# ---------------------------------------------------------------------------
# The exam question
# ---------------------------------------------------------------------------

@checked_and_cached(**_SIZES)
def exam_answers(K: int = 3, d: int = 2, N: int = 2) -> ExamAnswers:
    """The five candidate gradients of the exam question and the true ones.

    With p_ik = exp(theta_k . x_i) / sum_j exp(theta_j . x_i), row k of answer n is
    ``course_utils.exam.ANSWERS_TEXT[n]``:

        1: sum_i x_i (y_ik - p_ik) - 2 lambda theta_k
        2: sum_i x_i (y_ik - p_ik) + lambda theta_k
        3: sum_i x_i (p_ik - y_ik) + 2 lambda theta_k
        4: sum_i x_i (p_ik - y_ik) - 2 lambda theta_k
        5: sum_i x_i (y_ik - p_ik)

    Parameters
    ----------
    K, d, N : int
        Sizes, as in :func:`multinomial_symbols` (defaults 3, 2, 2).

    Returns
    -------
    ExamAnswers
        ``answers`` (1..5, each a (K, d) matrix), ``objective``,
        ``objective_gradient`` (from ``sympy.diff``) and ``loss_gradient``.

    Examples
    --------
    >>> exam = exam_answers(K=2, d=1, N=1)
    >>> sorted(exam.answers), exam.answers[5].shape
    ([1, 2, 3, 4, 5], (2, 1))
    """
    s = multinomial_symbols(K, d, N)
    objective = exam_objective(K, d, N)
    up = _data_term(s, -1)      # sum_i x_i (y_ik - p_ik): gradient of L
    down = _data_term(s, +1)    # sum_i x_i (p_ik - y_ik): gradient of -L
    Theta, lam = s.Theta, s.lam
    answers = {
        1: sp.ImmutableMatrix(up - 2 * lam * Theta),
        2: sp.ImmutableMatrix(up + lam * Theta),
        3: sp.ImmutableMatrix(down + 2 * lam * Theta),
        4: sp.ImmutableMatrix(down - 2 * lam * Theta),
        5: sp.ImmutableMatrix(up),
    }
    gradient = _gradient(objective, Theta)
    return ExamAnswers(symbols=s, objective=objective,
                       answers=types.MappingProxyType(answers),
                       objective_gradient=gradient,
                       loss_gradient=sp.ImmutableMatrix(-gradient))


@checked_and_cached(**_SIZES)
def exam_verdicts(K: int = 3, d: int = 2, N: int = 2) -> Mapping:
    """Judge the exam's five answers against the true gradients, by proof.

    For each answer: is it the gradient of the objective (the penalised log-likelihood
    to maximise)? of the loss (its negative, to minimise)? and what is
    answer - (gradient of the objective)? The expected differences are

        1: 0                     2: 3 lambda theta_k
        3: 2 * (loss gradient)   4: 2 sum_i x_i (p_ik - y_ik)
        5: 2 lambda theta_k

    Parameters
    ----------
    K, d, N : int
        Sizes, as in :func:`multinomial_symbols` (defaults 3, 2, 2).

    Returns
    -------
    mapping of int to ExamVerdict

    Examples
    --------
    >>> verdicts = exam_verdicts()
    >>> [n for n, v in verdicts.items() if v.equals_gradient_of_objective]
    [1]
    >>> [n for n, v in verdicts.items() if v.equals_gradient_of_loss]
    [3]
    >>> verdicts[2].difference[0, :]
    Matrix([[3*lambda*w_0_0, 3*lambda*w_0_1]])
    """
    answers = exam_answers(K, d, N)
    s = answers.symbols
    rationalizer = rationalizer_for(s)
    constraint = one_hot_constraint(s)
    Theta, lam = s.Theta, s.lam
    down = _data_term(s, +1)
    expected = {
        1: sp.zeros(K, d),
        2: 3 * lam * Theta,
        3: 2 * (down + 2 * lam * Theta),   # twice the loss gradient
        4: 2 * down,
        5: 2 * lam * Theta,
    }

    def zero(M, subs=None) -> bool:
        return all(prove_zero(e, rationalizer, subs) for e in M)

    # The one heavy proof: answer 1 is the gradient of the objective (this needs the
    # one-hot constraint). Every other comparison goes through answer 1, and those are
    # identities between formulas built from the same p_ik, cheap to prove.
    answer1 = answers.answers[1]
    core = zero(answer1 - answers.objective_gradient, constraint)
    verdicts = {}
    for number, answer in answers.answers.items():
        delta = answer - answer1   # = answer - objective gradient, since core holds
        verdicts[number] = ExamVerdict(
            answer=number,
            equals_gradient_of_objective=core and zero(delta),
            # answer - loss gradient = answer + objective gradient = delta + 2 * answer 1
            equals_gradient_of_loss=core and zero(delta + 2 * answer1),
            difference=sp.ImmutableMatrix(delta.applyfunc(
                lambda e: sp.factor_terms(sp.expand(e, power_exp=False)))),
            expected_difference=sp.ImmutableMatrix(expected[number]),
            difference_matches_expected=core and zero(delta - expected[number]),
            reason=exam.EXPLANATIONS[number],
        )
    return types.MappingProxyType(verdicts)


@checked_and_cached(**_SIZES)
def update_equivalence(K: int = 3, d: int = 2, N: int = 2) -> Identity:
    """Prove that ascent with answer 1 and descent with answer 3 are the same step.

    theta + alpha * (answer 1) == theta - alpha * (answer 3), for every learning rate
    alpha, because answer 3 = -(answer 1) term by term.

    Parameters
    ----------
    K, d, N : int
        Sizes, as in :func:`multinomial_symbols` (defaults 3, 2, 2).

    Returns
    -------
    Identity
        ``lhs``, ``rhs`` (K, d) matrices and ``difference`` (a zero matrix).

    Examples
    --------
    >>> update_equivalence().holds
    True
    """
    answers = exam_answers(K, d, N)
    alpha = sp.Symbol("alpha", positive=True)
    Theta = answers.symbols.Theta
    lhs = sp.ImmutableMatrix(Theta + alpha * answers.answers[exam.OBJECTIVE_GRADIENT])
    rhs = sp.ImmutableMatrix(Theta - alpha * answers.answers[exam.LOSS_GRADIENT])
    difference = sp.ImmutableMatrix((lhs - rhs).applyfunc(sp.expand))
    return Identity(lhs=lhs, rhs=rhs, difference=difference)


# ---------------------------------------------------------------------------
# K = 2
# ---------------------------------------------------------------------------

@checked_and_cached()
def binary_from_softmax() -> Identity:
    """Prove that a 2-class softmax is a sigmoid of the difference of the scores.

    exp(z_1) / (exp(z_1) + exp(z_2)) = 1 / (1 + exp(-(z_1 - z_2))) = sigmoid(z_1 - z_2)

    ``lhs`` is the first softmax component, ``rhs`` is ``sigma(z_1 - z_2)``; the proof
    works on the explicit form of sigma.

    So multinomial logistic regression with K = 2 is binary logistic regression with
    theta = theta_1 - theta_2.

    Returns
    -------
    Identity

    Examples
    --------
    >>> identity = binary_from_softmax()
    >>> identity.rhs
    sigma(z_1 - z_2)
    >>> identity.holds
    True
    """
    z1, z2 = sp.symbols("z_1 z_2", real=True)
    lhs = sp.exp(z1) / (sp.exp(z1) + sp.exp(z2))
    rhs = sigma(z1 - z2)
    rationalizer = Rationalizer([(z1, z1, sp.Symbol("E_1", positive=True)),
                                 (z2, z2, sp.Symbol("E_2", positive=True))])
    difference = simplified_expr((lhs - rhs).rewrite(sp.exp), rationalizer)
    return Identity(lhs=lhs, rhs=rhs, difference=difference)


# ---------------------------------------------------------------------------
# From symbols to NumPy
# ---------------------------------------------------------------------------

def _numeric_wrapper(fn, K: int, d: int, N: int, what: str):
    def evaluate(Theta, X, y, lam=0.0):
        Theta = check_Theta(Theta, d)
        if Theta.shape[0] != K:
            raise ValueError(
                f"Theta must have shape ({K}, {d}), the sizes this function was built "
                f"for; got shape {Theta.shape}. Build another with K={Theta.shape[0]}."
            )
        X = check_X(X, allow_sparse=False)
        if X.shape != (N, d):
            raise ValueError(
                f"X must have shape ({N}, {d}), the sizes this function was built for; "
                f"got shape {X.shape}. Build another with N={X.shape[0]}, d={X.shape[1]}."
            )
        y = check_class_labels(y, N, K)
        lam = check_lam(lam)
        Y = np.zeros((N, K))
        Y[np.arange(N), y] = 1.0
        return fn(Theta.ravel(), X.ravel(), Y.ravel(), lam)

    evaluate.__name__ = f"symbolic_{what}_K{K}_d{d}_N{N}"
    evaluate.__doc__ = (f"The symbolic {what} for K={K}, d={d}, N={N}, evaluated with NumPy: "
                        f"f(Theta, X, y, lam=0.0).")
    return evaluate


def _lambdify_args(s: MultinomialSymbols):
    return (list(s.Theta), list(s.X), list(s.Y), s.lam)


@checked_and_cached(**_LAMBDIFY_SIZES, penalize_intercept=bool_check)
def lambdify_gradient(K: int = 3, d: int = 3, N: int = 4, *,
                      penalize_intercept: bool = False) -> Callable:
    """Turn the symbolic gradient of :func:`multinomial_loss` into a NumPy function.

    The gradient is ``sympy.diff`` of
    J = -(1/N) sum_i sum_k y_ik log softmax_k(Theta x_i) + lambda sum_k sum_j w_kj^2,
    after the rewrite log(exp(f_ik) / S_i) = f_ik - log(S_i) (the handwritten
    derivation's first step; SymPy's ``expand_log``, valid since both are positive),
    evaluated as written (no log-sum-exp tricks: meant for moderate logits, to compare
    with ``course_utils.losses``). The default ``penalize_intercept=False`` is the
    course's convention (column 0 is the dummy feature, not penalised).

    Parameters
    ----------
    K : int, default 3
        Number of classes (2..6).
    d : int, default 3
        Columns of X, the dummy feature included (1..6).
    N : int, default 4
        Number of examples (1..8); the function accepts exactly N rows.
    penalize_intercept : bool, default False
        Whether column 0 of Theta is penalised.

    Returns
    -------
    callable
        ``grad(Theta, X, y, lam=0.0)`` with Theta (K, d), X (N, d), integer labels
        y (N,) in 0..K-1, returning a float64 array of shape (K, d).

    Examples
    --------
    >>> grad = lambdify_gradient(K=2, d=1, N=1)
    >>> grad(np.zeros((2, 1)), np.ones((1, 1)), [0])   # (p - y) x with p = (1/2, 1/2)
    array([[-0.5],
           [ 0.5]])
    """
    s = _symbols(K, d, N)
    # log(exp(f) / S) = f - log(S): expand_log applies it because both are positive.
    # Differentiating that form is much faster and gives the same function.
    loss = sp.expand_log(_mean_cross_entropy(s, penalize_intercept))
    gradient = _gradient(loss, s.Theta)
    raw = sp.lambdify(_lambdify_args(s), gradient, modules="numpy", cse=True)

    def fn(*args):
        return np.asarray(raw(*args), dtype=np.float64).reshape(K, d)

    return _numeric_wrapper(fn, K, d, N, "gradient")


@checked_and_cached(**_LAMBDIFY_SIZES, penalize_intercept=bool_check)
def lambdify_loss(K: int = 3, d: int = 3, N: int = 4, *,
                  penalize_intercept: bool = False) -> Callable:
    """Turn :func:`multinomial_loss` into a NumPy function.

    J = -(1/N) sum_i sum_k y_ik log softmax_k(Theta x_i) + lambda sum_k sum_j w_kj^2
    (sum over j >= 1 when ``penalize_intercept=False``, the default), evaluated as
    written; for moderate logits only.

    Parameters
    ----------
    K, d, N : int
        Sizes, as in :func:`lambdify_gradient`.
    penalize_intercept : bool, default False
        Whether column 0 of Theta is penalised.

    Returns
    -------
    callable
        ``loss(Theta, X, y, lam=0.0)`` returning a float.

    Examples
    --------
    >>> loss = lambdify_loss(K=2, d=1, N=1)
    >>> round(loss(np.zeros((2, 1)), np.ones((1, 1)), [1]), 6)   # log 2
    0.693147
    """
    s = _symbols(K, d, N)
    raw = sp.lambdify(_lambdify_args(s), _mean_cross_entropy(s, penalize_intercept),
                      modules="numpy")

    def fn(*args):
        return float(raw(*args))

    return _numeric_wrapper(fn, K, d, N, "loss")
