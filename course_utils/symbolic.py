"""Symbolic (SymPy) proofs of the course's derivations.

Notebooks 03 and 07 and the tests use these functions to show that every gradient
of the course follows from its loss by differentiation, not by faith:

* binary logistic regression: sigmoid'(z) = sigmoid(z) (1 - sigmoid(z)) and the
  lecture's step-by-step derivation of the cross-entropy gradient
  x_k (sigmoid(theta . x) - y), each step checked;
* multinomial logistic regression: the gradient of the L2-regularised mean
  cross-entropy of the handwritten derivation (seed 002), the five candidate
  answers of the exam question (seed 000), and the reduction of a 2-class
  softmax to the sigmoid.

How the proofs work
-------------------
Each claim "a == b" is proved by showing that ``a - b`` simplifies to 0. Gradients of
softmax models are rational functions of the exponentials exp(f) of the logits f; we
replace each exp(f_ic) by a positive symbol E_ic (exp(c1 f1 + c2 f2) becomes
E1**c1 * E2**c2, an exact identity), put the difference over one denominator (a sum
of positive terms, so never 0) and expand the numerator: the claim holds when that
numerator is the zero polynomial. This is a real symbolic proof, and fast (well under
a second for K = 3 classes, d = 2 features, N = 2 examples). A claim that fails is
confirmed false by a witness: one exact rational point where the difference is not 0.
Only when neither settles it (logarithms that do not cancel) does ``sympy.simplify``
decide.

The one-hot labels y_ik of the multinomial model satisfy sum_k y_ik = 1, and the
textbook gradient needs that constraint. It is handled honestly, twice: by
substituting y_{i,K-1} = 1 - sum_{k<K-1} y_ik, and by checking every one of the K**N
label assignments with concrete 0/1 values.

Conventions: indices start at 0, as in the code (the exam and the slides count from
1). ``Theta`` has one row per class, ``Theta[k, j]`` is the symbol ``w_k_j``; ``X`` has
one row per example, ``X[i, j]`` is ``x_i_j``; ``Y[i, k]`` is ``y_i_k``; the L2
strength is ``lambda``. Column 0 plays the role of the dummy feature when
``penalize_intercept=False``.

Everything returned is a SymPy object (immutable matrices), a small frozen dataclass,
or, for :func:`lambdify_gradient` and :func:`lambdify_loss`, a NumPy function.
Results are cached, so a notebook and the tests share the work.
"""

from __future__ import annotations

import functools
import itertools
import types
from dataclasses import dataclass, field
from typing import Callable, Mapping

import numpy as np
import sympy as sp

from ._checks import (check_class_labels, check_lam, check_scalar, check_Theta, check_X)

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
    "seed002_gradient_check",
    "exam_answers",
    "exam_verdicts",
    "update_equivalence",
    "binary_from_softmax",
    "lambdify_gradient",
    "lambdify_loss",
]

# Proofs grow quickly with the sizes; these caps keep every call well under a minute.
_MAX_PROOF = {"K": 4, "d": 4, "N": 4, "n": 4}
_MAX_LAMBDIFY = {"K": 6, "d": 6, "N": 8}


# ---------------------------------------------------------------------------
# The logistic function as a SymPy function (for display) and small records
# ---------------------------------------------------------------------------

class sigma(sp.Function):
    """The logistic function as an unevaluated SymPy function.

    sigma(z) = 1 / (1 + exp(-z))

    It prints as sigma(z) (LaTeX: the Greek letter), so derivations read like the
    slides. ``expr.rewrite(sympy.exp)`` replaces it by the explicit formula; every proof
    in this module works on that explicit form. Its derivative rule
    sigma' = sigma (1 - sigma) is the identity proved by
    :func:`sigmoid_derivative_identity` (on the explicit form, so nothing is circular).

    Examples
    --------
    >>> z = sp.Symbol("z", real=True)
    >>> sigma(z).rewrite(sp.exp)
    1/(1 + exp(-z))
    >>> sigma(-2).evalf(2)
    0.12
    """

    def _eval_rewrite_as_exp(self, z, **kwargs):
        return 1 / (1 + sp.exp(-z))

    def fdiff(self, argindex=1):
        if argindex != 1:
            raise sp.ArgumentIndexError(self, argindex)
        s = sigma(self.args[0])
        return s * (1 - s)

    def _eval_evalf(self, prec):
        return self.rewrite(sp.exp)._eval_evalf(prec)

    def _eval_is_real(self):
        return self.args[0].is_real

    def _eval_is_positive(self):
        if self.args[0].is_real:
            return True
        return None


@dataclass(frozen=True)
class Identity:
    """A proved identity ``lhs == rhs``.

    Attributes
    ----------
    lhs, rhs : sympy.Expr or sympy.ImmutableMatrix
        The two sides.
    difference : sympy.Expr or sympy.ImmutableMatrix
        ``lhs - rhs`` after simplification: 0 (or a zero matrix) when the identity holds.
    """

    lhs: sp.Basic
    rhs: sp.Basic
    difference: sp.Basic

    @property
    def holds(self) -> bool:
        """True when the simplified difference is exactly zero."""
        return _is_zero_result(self.difference)


@dataclass(frozen=True)
class Step:
    """One line of a derivation.

    Attributes
    ----------
    description : str
        What was done to get this line.
    expr : sympy.Expr
        The line itself.
    wrt : sympy.Symbol or None
        None when this line equals the previous one; a symbol s when this line is the
        derivative of the previous one with respect to s.
    """

    description: str
    expr: sp.Expr
    wrt: sp.Symbol | None = None


@dataclass(frozen=True)
class BinarySymbols:
    """Symbols of one binary example.

    Attributes
    ----------
    theta : tuple of sympy.Symbol
        theta_0 .. theta_n (theta_0 multiplies the dummy feature x_0 = 1).
    x : tuple of sympy.Symbol
        x_0 .. x_n.
    y : sympy.Symbol
        The label (a real symbol; every identity holds for any real y, so in
        particular for y in {0, 1}).
    dot : sympy.Expr
        theta . x = theta_0 x_0 + ... + theta_n x_n. Notebooks may substitute a short
        symbol for it when they display the steps.
    """

    theta: tuple
    x: tuple
    y: sp.Symbol
    dot: sp.Expr


@dataclass(frozen=True)
class MultinomialSymbols:
    """Symbols of a multinomial model on N examples.

    Attributes
    ----------
    Theta : sympy.ImmutableMatrix, shape (K, d)
        Row k is theta_k (the slides) or w_k (seed 002); entries ``w_k_j``.
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
class GradientCheck:
    """A derived gradient compared with a claimed formula.

    Attributes
    ----------
    loss : sympy.Expr
        The function that was differentiated.
    derived : sympy.ImmutableMatrix
        Its gradient, entry by entry, from ``sympy.diff`` (not simplified).
    claimed : sympy.ImmutableMatrix
        The formula under test, same shape.
    difference : sympy.ImmutableMatrix
        ``derived - claimed`` simplified (using sum_k y_ik = 1 where labels are
        symbols): a zero matrix when the formula is right.
    labellings : mapping of tuple to bool
        Multinomial only: for every assignment of labels to the N examples, whether the
        difference vanishes with those concrete one-hot values.
    unconstrained_residual : sympy.ImmutableMatrix or None
        Multinomial only: ``derived - claimed`` when the y_ik are free symbols, written
        as (1/N) sum_i x_ij p_ik (sum_c y_ic - 1); it vanishes only on one-hot rows.
    unconstrained_residual_holds : bool or None
        Whether that formula for the residual was proved.
    """

    loss: sp.Expr
    derived: sp.ImmutableMatrix
    claimed: sp.ImmutableMatrix
    difference: sp.ImmutableMatrix
    labellings: Mapping = field(default_factory=lambda: types.MappingProxyType({}))
    unconstrained_residual: sp.ImmutableMatrix | None = None
    unconstrained_residual_holds: bool | None = None

    @property
    def holds(self) -> bool:
        """True when the difference is zero and every label assignment checks out."""
        ok = _is_zero_result(self.difference) and all(self.labellings.values())
        if self.unconstrained_residual_holds is not None:
            ok = ok and self.unconstrained_residual_holds
        return ok


@dataclass(frozen=True)
class ExamAnswers:
    """The exam question (seed 000) in symbols.

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
        One sentence: why the answer is right or wrong.
    """

    answer: int
    equals_gradient_of_objective: bool
    equals_gradient_of_loss: bool
    difference: sp.ImmutableMatrix
    expected_difference: sp.ImmutableMatrix
    difference_matches_expected: bool
    reason: str


# ---------------------------------------------------------------------------
# Argument checks
# ---------------------------------------------------------------------------

_SIZE_MEANING = {
    "K": ("the number of classes", 2),
    "d": ("the number of features (columns of X, dummy included)", 1),
    "N": ("the number of examples", 1),
    "n": ("the number of features besides the dummy feature", 1),
    "m": ("the number of examples", 1),
}


def _check_size(value, name: str, high: int) -> int:
    meaning, low = _SIZE_MEANING[name]
    return check_scalar(
        value, name, low=low, high=high, integer=True,
        hint=f"{name} is {meaning}; symbolic proofs need {low} <= {name} <= {high} "
             f"(small sizes keep SymPy fast).",
    )


def _check_bool(value, name: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(
            f"{name} must be True or False; got {type(value).__name__} {value!r}. "
            f"Pass a bool."
        )
    return bool(value)


# ---------------------------------------------------------------------------
# The proof engine: exponentials of logits -> positive symbols -> polynomials
# ---------------------------------------------------------------------------

class _Rationalizer:
    """Replaces exp(sum_r c_r f_r) by prod_r E_r**c_r for known linear forms f_r.

    Each base form f_r comes with a "tag" monomial that occurs in f_r with
    coefficient 1 and in no other base form, so the integer coefficients c_r can be
    read off; the replacement is only made when arg == sum_r c_r f_r exactly.
    """

    def __init__(self, bases):
        # bases: sequence of (form, tag_monomial, positive_symbol)
        self.bases = tuple(bases)
        self.back = {E: sp.exp(form) for form, _, E in self.bases}

    def _replace_exp(self, arg):
        arg = sp.expand(arg)
        total = sp.S.Zero
        result = sp.S.One
        for form, tag, E in self.bases:
            c = arg.coeff(tag)
            if c != 0:
                if not c.is_Integer:
                    return None
                total += c * form
                result *= E ** c
        if sp.expand(arg - total) != 0:
            return None
        return result

    def to_rational(self, expr):
        mapping = {}
        for atom in expr.atoms(sp.exp):
            replaced = self._replace_exp(atom.args[0])
            if replaced is not None:
                mapping[atom] = replaced
        return expr.xreplace(mapping)

    def to_exp(self, expr):
        return expr.xreplace(self.back)


def _numerator_is_zero(expr) -> bool:
    """True when ``expr`` over a common denominator has the zero polynomial on top."""
    num, den = sp.together(expr).as_numer_denom()
    if sp.expand(num) == 0:
        if den.is_zero:  # never happens here: denominators are sums of positive terms
            return False
        return True
    return False


# Fixed, distinct rationals for numeric witnesses: deterministic, no random state.
_WITNESS_VALUES = tuple(sp.Rational(p, 17) for p in (5, -9, 13, 7, -4, 11, 3, -14, 8, 2,
                                                     -6, 10, 15, -3, 9, 1, -12, 6, 4, -8))


def _nonzero_witness(expr) -> bool:
    """True when ``expr`` is clearly non-zero at one exact rational point.

    A single point where the value is not 0 proves that ``expr`` is not identically 0,
    so this settles "not equal" cheaply; it never claims equality.
    """
    symbols = sorted(expr.free_symbols, key=lambda x: x.name)
    values = {}
    for index, symbol in enumerate(symbols):
        value = _WITNESS_VALUES[index % len(_WITNESS_VALUES)] * (1 + index // len(_WITNESS_VALUES))
        if symbol.is_nonnegative or symbol.is_positive:
            value = abs(value) + sp.Rational(1, 3)
        values[symbol] = value
    try:
        number = complex(sp.N(expr.xreplace(values), 30))
    except (TypeError, ValueError):
        return False
    return abs(number) > 1e-12


def _prove_zero(expr, rationalizer: _Rationalizer | None = None, subs=None) -> bool:
    """Prove ``expr == 0`` identically (sound; see the module docstring)."""
    expr = expr.rewrite(sp.exp) if expr.has(sigma) else expr
    if subs:
        expr = expr.subs(subs)
    if rationalizer is not None:
        expr = rationalizer.to_rational(expr)
    if _numerator_is_zero(expr):
        return True
    if _nonzero_witness(expr):
        return False
    if not expr.has(sp.exp, sp.log):
        # A rational function of independent symbols and of exponentials of distinct
        # logits: a non-zero numerator polynomial means a non-zero function.
        return False
    # Logarithms or exponentials the rational route cannot combine: let SymPy try.
    return sp.simplify(sp.expand_log(expr)) == 0


def _canonical(expr, rationalizer: _Rationalizer, subs=None):
    """A simplified form of ``expr``: rational in exp(f), cancelled, exp restored."""
    expr = expr.rewrite(sp.exp) if expr.has(sigma) else expr
    if subs:
        expr = expr.subs(subs)
    expr = sp.cancel(rationalizer.to_rational(expr))
    return sp.factor_terms(rationalizer.to_exp(expr))


def _simplified_expr(expr, rationalizer: _Rationalizer, subs=None):
    """0 when ``expr`` is proved zero, else a simplified form of it."""
    if _prove_zero(expr, rationalizer, subs):
        return sp.S.Zero
    return _canonical(expr, rationalizer, subs)


def _simplified(M, rationalizer: _Rationalizer, subs=None) -> sp.ImmutableMatrix:
    """Entry by entry: 0 where proved zero, else a simplified form."""
    return sp.ImmutableMatrix(M.applyfunc(lambda e: _simplified_expr(e, rationalizer, subs)))


def _is_zero_result(value) -> bool:
    if isinstance(value, sp.MatrixBase):
        return all(entry == 0 for entry in value)
    return value == 0


def _as_matrix(rows, cols, fn) -> sp.ImmutableMatrix:
    return sp.ImmutableMatrix(rows, cols, lambda a, b: fn(int(a), int(b)))


# ---------------------------------------------------------------------------
# Binary logistic regression (notebook 03)
# ---------------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def _sigmoid_identity() -> Identity:
    z = sp.Symbol("z", real=True)
    explicit = 1 / (1 + sp.exp(-z))
    lhs = sp.diff(explicit, z)
    rhs = sigma(z) * (1 - sigma(z))
    rationalizer = _Rationalizer([(z, z, sp.Symbol("E", positive=True))])
    return Identity(lhs=lhs, rhs=rhs, difference=_simplified_expr(lhs - rhs, rationalizer))


def sigmoid_derivative_identity() -> Identity:
    """Prove d/dz sigmoid(z) = sigmoid(z) (1 - sigmoid(z)).

    sigmoid(z) = 1 / (1 + exp(-z)) is written out; ``lhs`` is its derivative as SymPy
    computes it, exp(-z) / (1 + exp(-z))^2, and ``rhs`` is sigma(z) (1 - sigma(z)),
    whose sigma is replaced by its explicit form in the proof.

    Returns
    -------
    Identity
        ``lhs``, ``rhs`` and ``difference`` (``lhs - rhs`` simplified, which is 0).

    Examples
    --------
    >>> identity = sigmoid_derivative_identity()
    >>> identity.lhs
    exp(-z)/(1 + exp(-z))**2
    >>> identity.difference, identity.holds
    (0, True)
    """
    return _sigmoid_identity()


def binary_symbols(n: int = 2) -> BinarySymbols:
    """Symbols theta_0..theta_n, x_0..x_n, y for one binary example.

    Parameters
    ----------
    n : int, default 2
        Number of features besides the dummy feature x_0 (1 <= n <= 4).

    Returns
    -------
    BinarySymbols
        ``theta``, ``x``, ``y`` and ``dot`` = theta . x.

    Examples
    --------
    >>> binary_symbols(2).dot
    theta_0*x_0 + theta_1*x_1 + theta_2*x_2
    """
    n = _check_size(n, "n", _MAX_PROOF["n"])
    return _binary_symbols(n)


@functools.lru_cache(maxsize=None)
def _binary_symbols(n: int) -> BinarySymbols:
    theta = sp.symbols(f"theta_0:{n + 1}", real=True)
    x = sp.symbols(f"x_0:{n + 1}", real=True)
    y = sp.Symbol("y", real=True)
    dot = sp.Add(*[t * v for t, v in zip(theta, x)])
    return BinarySymbols(theta=tuple(theta), x=tuple(x), y=y, dot=dot)


@functools.lru_cache(maxsize=None)
def _binary_steps(n: int, k: int) -> tuple:
    s = _binary_symbols(n)
    t, y = s.dot, s.y
    xk = s.x[k]
    e = sp.exp(-t)

    def log(arg):  # keep each line in the shape the slide writes it
        return sp.log(arg, evaluate=False)

    return (
        Step("per-example cross-entropy: -y log sigma(theta.x) - (1 - y) log(1 - sigma(theta.x))",
             -y * sp.log(sigma(t)) - (1 - y) * sp.log(1 - sigma(t))),
        Step("write sigma out: sigma(t) = 1 / (1 + exp(-t))",
             -y * log(1 / (1 + e)) - (1 - y) * log(1 - 1 / (1 + e))),
        Step("log(1/a) = -log(a), and 1 - 1/(1 + exp(-t)) = exp(-t) / (1 + exp(-t))",
             y * log(1 + e) - (1 - y) * log(e / (1 + e))),
        Step("log of a quotient is a difference of logs",
             y * log(1 + e) - (1 - y) * (log(e) - log(1 + e))),
        Step("log(exp(-t)) = -t",
             y * log(1 + e) - (1 - y) * (-t - log(1 + e))),
        Step("multiply out and collect: t + log(1 + exp(-t)) - y t",
             t + log(1 + e) - y * t),
        Step(f"differentiate with respect to {s.theta[k]} (chain rule; d(theta.x)/d theta_k = x_k)",
             xk + 1 / (1 + e) * e * (-xk) - y * xk, wrt=s.theta[k]),
        Step(f"factor out {xk}",
             xk * (1 - e / (1 + e) - y)),
        Step("exp(-t) / (1 + exp(-t)) = 1 - 1 / (1 + exp(-t))",
             xk * sp.Add(1, -sp.Add(1, -1 / (1 + e), evaluate=False), -y, evaluate=False)),
        Step("the ones cancel",
             xk * (1 / (1 + e) - y)),
        Step("recognise sigma: the gradient entry is x_k (sigma(theta.x) - y)",
             xk * (sigma(t) - y)),
    )


def binary_ce_gradient_steps(n: int = 2, k: int = 1) -> list:
    """The lecture's derivation of the binary cross-entropy gradient, line by line.

    Per example, with t = theta . x:

        -y log sigma(t) - (1 - y) log(1 - sigma(t))
          = t + log(1 + exp(-t)) - y t                 (rewriting, slide 6c (2))
        d/d theta_k:  x_k - x_k exp(-t) / (1 + exp(-t)) - y x_k
          = x_k (sigma(t) - y)                         (slide 6c (3))

    Parameters
    ----------
    n : int, default 2
        Features besides the dummy feature: symbols theta_0..theta_n, x_0..x_n.
    k : int, default 1
        The parameter theta_k to differentiate by, 0 <= k <= n.

    Returns
    -------
    list of Step
        In order; the step whose ``wrt`` is theta_k is the differentiation, every other
        step equals the one before it. :func:`check_steps` verifies each link.

    Examples
    --------
    >>> steps = binary_ce_gradient_steps()
    >>> steps[-1].expr
    x_1*(-y + sigma(theta_0*x_0 + theta_1*x_1 + theta_2*x_2))
    >>> all(check_steps(steps))
    True
    """
    n = _check_size(n, "n", _MAX_PROOF["n"])
    k = check_scalar(k, "k", low=0, high=n, integer=True,
                     hint=f"k picks theta_k among theta_0..theta_{n}.")
    return list(_binary_steps(n, k))


@functools.lru_cache(maxsize=None)
def _check_link(previous: sp.Expr, current: sp.Expr, wrt) -> bool:
    before = previous.rewrite(sp.exp)
    if wrt is not None:
        before = sp.diff(before, wrt)
    difference = before - current.rewrite(sp.exp)
    # log(1 - 1/(1 + e)) -> log(e/(1 + e)) -> log(e) - log(1 + e): combine each log's
    # argument into one fraction, then split logs of positive products and quotients.
    difference = difference.replace(lambda e: isinstance(e, sp.log),
                                    lambda e: sp.log(sp.together(e.args[0])))
    difference = sp.expand_log(difference)
    if _numerator_is_zero(difference):
        return True
    if _nonzero_witness(difference):
        return False
    return sp.simplify(difference) == 0


def check_steps(steps) -> list:
    """Verify every link of a derivation symbolically.

    For each step after the first: when ``step.wrt`` is None, prove
    ``step.expr == previous.expr``; otherwise prove
    ``step.expr == d(previous.expr)/d(step.wrt)``. ``sigma`` is rewritten as
    1 / (1 + exp(-z)) first, so no rule about sigma is assumed.

    Parameters
    ----------
    steps : sequence of Step
        At least one step.

    Returns
    -------
    list of bool
        One entry per link: entry i says whether ``steps[i + 1]`` follows from ``steps[i]``.

    Examples
    --------
    >>> z = sp.Symbol("z", real=True)
    >>> check_steps([Step("start", z**2), Step("d/dz", 2*z, wrt=z), Step("wrong", 3*z)])
    [True, False]
    """
    if isinstance(steps, Step) or not hasattr(steps, "__iter__"):
        raise TypeError(
            f"steps must be a sequence of Step records; got {type(steps).__name__}. "
            f"Pass the list returned by binary_ce_gradient_steps()."
        )
    steps = list(steps)
    if not steps:
        raise ValueError("steps must contain at least one Step; got an empty sequence.")
    for index, step in enumerate(steps):
        if not isinstance(step, Step):
            raise TypeError(
                f"steps[{index}] must be a Step(description, expr, wrt); got "
                f"{type(step).__name__}. Wrap each line in Step(...)."
            )
        if not isinstance(step.expr, sp.Basic):
            raise TypeError(
                f"steps[{index}].expr must be a SymPy expression; got "
                f"{type(step.expr).__name__}. Build it from SymPy symbols."
            )
    return [_check_link(a.expr, b.expr, b.wrt) for a, b in zip(steps, steps[1:])]


@functools.lru_cache(maxsize=None)
def _binary_gradient_check(m: int, n: int, penalize_intercept: bool) -> GradientCheck:
    theta = sp.symbols(f"theta_0:{n + 1}", real=True)
    X = _as_matrix(m, n + 1, lambda i, j: sp.Symbol(f"x_{i}_{j}", real=True))
    y = sp.symbols(f"y_0:{m}", real=True)
    lam = sp.Symbol("lambda", nonnegative=True)
    dots = [sp.Add(*[theta[j] * X[i, j] for j in range(n + 1)]) for i in range(m)]
    first = 0 if penalize_intercept else 1
    loss = (sp.Rational(1, m) * sp.Add(*[
        -y[i] * sp.log(sigma(dots[i])) - (1 - y[i]) * sp.log(1 - sigma(dots[i]))
        for i in range(m)])
        + lam * sp.Add(*[theta[j] ** 2 for j in range(first, n + 1)]))
    explicit = loss.rewrite(sp.exp)
    derived = _as_matrix(n + 1, 1, lambda j, _: sp.diff(explicit, theta[j]))
    claimed = _as_matrix(n + 1, 1, lambda j, _: sp.Rational(1, m) * sp.Add(*[
        X[i, j] * (sigma(dots[i]) - y[i]) for i in range(m)])
        + (2 * lam * theta[j] if j >= first else 0))
    rationalizer = _Rationalizer(
        [(dots[i], theta[0] * X[i, 0], sp.Symbol(f"E_{i}", positive=True))
         for i in range(m)])
    difference = _simplified(derived - claimed.rewrite(sp.exp), rationalizer)
    return GradientCheck(loss=loss, derived=derived, claimed=claimed, difference=difference)


def binary_gradient_check(m: int = 2, n: int = 2, *, penalize_intercept: bool = False
                          ) -> GradientCheck:
    """Prove the batch gradient of the L2-regularised binary cross-entropy.

    J(theta) = (1/m) sum_i [-y_i log sigma(theta.x_i) - (1 - y_i) log(1 - sigma(theta.x_i))]
               + lambda sum_j theta_j^2
    dJ/d theta_j = (1/m) sum_i x_ij (sigma(theta.x_i) - y_i) + 2 lambda theta_j

    With ``penalize_intercept=False`` (the course's convention) the penalty sums over
    j >= 1 and the last term is 2 lambda theta~_j with theta~_0 = 0.

    Parameters
    ----------
    m : int, default 2
        Number of examples (1..4); symbols x_i_j and y_0..y_{m-1}.
    n : int, default 2
        Features besides the dummy column 0 (1..4).
    penalize_intercept : bool, default False
        Whether theta_0 is penalised.

    Returns
    -------
    GradientCheck
        ``derived`` and ``claimed`` are column matrices of shape (n + 1, 1).

    Examples
    --------
    >>> check = binary_gradient_check(m=1, n=1)
    >>> check.claimed[0]   # no penalty on the intercept theta_0
    x_0_0*(-y_0 + sigma(theta_0*x_0_0 + theta_1*x_0_1))
    >>> check.claimed[1].coeff(sp.Symbol("lambda", nonnegative=True))
    2*theta_1
    >>> check.holds
    True
    """
    m = _check_size(m, "m", _MAX_PROOF["N"])
    n = _check_size(n, "n", _MAX_PROOF["n"])
    penalize_intercept = _check_bool(penalize_intercept, "penalize_intercept")
    return _binary_gradient_check(m, n, penalize_intercept)


# ---------------------------------------------------------------------------
# Multinomial logistic regression (notebook 07)
# ---------------------------------------------------------------------------

def _check_labels(labels, K: int, N: int):
    if labels is None:
        return None
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


@functools.lru_cache(maxsize=None)
def _multinomial_symbols(K: int, d: int, N: int, labels) -> MultinomialSymbols:
    Theta = _as_matrix(K, d, lambda k, j: sp.Symbol(f"w_{k}_{j}", real=True))
    X = _as_matrix(N, d, lambda i, j: sp.Symbol(f"x_{i}_{j}", real=True))
    if labels is None:
        Y = _as_matrix(N, K, lambda i, k: sp.Symbol(f"y_{i}_{k}", real=True))
    else:
        Y = _as_matrix(N, K, lambda i, k: sp.Integer(int(labels[i] == k)))
    lam = sp.Symbol("lambda", nonnegative=True)
    logits = sp.ImmutableMatrix(X * Theta.T)
    totals = [sp.Add(*[sp.exp(logits[i, c]) for c in range(K)]) for i in range(N)]
    probs = _as_matrix(N, K, lambda i, k: sp.exp(logits[i, k]) / totals[i])
    return MultinomialSymbols(Theta=Theta, X=X, Y=Y, lam=lam, logits=logits, probs=probs,
                              labels=labels)


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
    K = _check_size(K, "K", _MAX_PROOF["K"])
    d = _check_size(d, "d", _MAX_PROOF["d"])
    N = _check_size(N, "N", _MAX_PROOF["N"])
    return _multinomial_symbols(K, d, N, _check_labels(labels, K, N))


def _penalty(s: MultinomialSymbols, penalize_intercept: bool):
    first = 0 if penalize_intercept else 1
    return sp.Add(*[s.Theta[k, j] ** 2 for k in range(s.K) for j in range(first, s.d)])


def _log_likelihood(s: MultinomialSymbols):
    # sum_i sum_k y_ik log( exp(f_ik) / sum_c exp(f_ic) ), in the seeds' form
    return sp.Add(*[s.Y[i, k] * sp.log(s.probs[i, k])
                    for i in range(s.N) for k in range(s.K)])


@functools.lru_cache(maxsize=None)
def _multinomial_loss(K, d, N, labels, penalize_intercept) -> sp.Expr:
    s = _multinomial_symbols(K, d, N, labels)
    return -sp.Rational(1, N) * _log_likelihood(s) + s.lam * _penalty(s, penalize_intercept)


def multinomial_loss(K: int = 3, d: int = 2, N: int = 2, *, labels=None,
                     penalize_intercept: bool = True) -> sp.Expr:
    """The L2-regularised mean cross-entropy of seed 002 (to minimise).

    J = -(1/N) sum_i sum_k y_ik log( exp(f_ik) / sum_c exp(f_ic) ) + lambda sum_k sum_j w_kj^2

    with f_ik = w_k . x_i. Seed 002 penalises every w_kj (the default); with
    ``penalize_intercept=False`` the penalty skips column 0, the course's convention.

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
    K = _check_size(K, "K", _MAX_PROOF["K"])
    d = _check_size(d, "d", _MAX_PROOF["d"])
    N = _check_size(N, "N", _MAX_PROOF["N"])
    labels = _check_labels(labels, K, N)
    penalize_intercept = _check_bool(penalize_intercept, "penalize_intercept")
    return _multinomial_loss(K, d, N, labels, penalize_intercept)


@functools.lru_cache(maxsize=None)
def _exam_objective(K, d, N, labels) -> sp.Expr:
    s = _multinomial_symbols(K, d, N, labels)
    return _log_likelihood(s) - s.lam * _penalty(s, True)


def exam_objective(K: int = 3, d: int = 2, N: int = 2, *, labels=None) -> sp.Expr:
    """The exam's penalised log-likelihood (seed 000), summed over examples; to maximise.

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
    K = _check_size(K, "K", _MAX_PROOF["K"])
    d = _check_size(d, "d", _MAX_PROOF["d"])
    N = _check_size(N, "N", _MAX_PROOF["N"])
    return _exam_objective(K, d, N, _check_labels(labels, K, N))


def _rationalizer_for(s: MultinomialSymbols) -> _Rationalizer:
    return _Rationalizer([
        (s.logits[i, c], s.Theta[c, 0] * s.X[i, 0], sp.Symbol(f"E_{i}_{c}", positive=True))
        for i in range(s.N) for c in range(s.K)])


def _one_hot_constraint(s: MultinomialSymbols) -> dict:
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
        results[labels] = all(_numerator_is_zero(e.xreplace(values)) for e in rational)
    return types.MappingProxyType(results)


def _gradient(expr, Theta) -> sp.ImmutableMatrix:
    return _as_matrix(Theta.shape[0], Theta.shape[1], lambda k, j: sp.diff(expr, Theta[k, j]))


def _data_term(s: MultinomialSymbols, sign: int) -> sp.ImmutableMatrix:
    """Row k: sum_i x_i (p_ik - y_ik) when sign = +1, sum_i x_i (y_ik - p_ik) when -1."""
    return _as_matrix(s.K, s.d, lambda k, j: sp.Add(*[
        s.X[i, j] * sign * (s.probs[i, k] - s.Y[i, k]) for i in range(s.N)]))


def _tilde(s: MultinomialSymbols, penalize_intercept: bool) -> sp.ImmutableMatrix:
    first = 0 if penalize_intercept else 1
    return _as_matrix(s.K, s.d, lambda k, j: s.Theta[k, j] if j >= first else sp.S.Zero)


@functools.lru_cache(maxsize=None)
def _seed002_check(K, d, N, labels, penalize_intercept) -> GradientCheck:
    s = _multinomial_symbols(K, d, N, labels)
    loss = _multinomial_loss(K, d, N, labels, penalize_intercept)
    derived = _gradient(loss, s.Theta)
    claimed = sp.ImmutableMatrix(
        sp.Rational(1, N) * _data_term(s, +1) + 2 * s.lam * _tilde(s, penalize_intercept))
    rationalizer = _rationalizer_for(s)
    raw = derived - claimed
    constraint = _one_hot_constraint(s)
    difference = _simplified(raw, rationalizer, constraint)
    labellings = _labelling_checks(s, raw, rationalizer)
    residual = residual_holds = None
    if labels is None:
        # Without sum_c y_ic = 1 the formula is off by (1/N) sum_i x_ij p_ik (sum_c y_ic - 1).
        residual = _as_matrix(K, d, lambda k, j: sp.Rational(1, N) * sp.Add(*[
            s.X[i, j] * s.probs[i, k] * (sp.Add(*[s.Y[i, c] for c in range(K)]) - 1)
            for i in range(N)]))
        residual_holds = all(_prove_zero(e, rationalizer) for e in raw - residual)
    return GradientCheck(loss=loss, derived=derived, claimed=claimed, difference=difference,
                         labellings=labellings, unconstrained_residual=residual,
                         unconstrained_residual_holds=residual_holds)


def seed002_gradient_check(K: int = 3, d: int = 2, N: int = 2, *, labels=None,
                           penalize_intercept: bool = True) -> GradientCheck:
    """Prove, entry by entry, the gradient derived in seed 002.

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
        Whether column 0 is penalised (seed 002: yes).

    Returns
    -------
    GradientCheck
        ``derived``, ``claimed`` and ``difference`` of shape (K, d); ``labellings``
        maps each label tuple to whether the difference vanishes for it.

    Examples
    --------
    >>> check = seed002_gradient_check()
    >>> check.difference
    Matrix([
    [0, 0],
    [0, 0],
    [0, 0]])
    >>> len(check.labellings), check.holds
    (9, True)
    """
    K = _check_size(K, "K", _MAX_PROOF["K"])
    d = _check_size(d, "d", _MAX_PROOF["d"])
    N = _check_size(N, "N", _MAX_PROOF["N"])
    labels = _check_labels(labels, K, N)
    penalize_intercept = _check_bool(penalize_intercept, "penalize_intercept")
    return _seed002_check(K, d, N, labels, penalize_intercept)


@functools.lru_cache(maxsize=None)
def _exam_answers(K, d, N) -> ExamAnswers:
    s = _multinomial_symbols(K, d, N, None)
    objective = _exam_objective(K, d, N, None)
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


def exam_answers(K: int = 3, d: int = 2, N: int = 2) -> ExamAnswers:
    """The five candidate gradients of the exam question (seed 000) and the true ones.

    With p_ik = exp(theta_k . x_i) / sum_j exp(theta_j . x_i), row k of each answer is

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
    K = _check_size(K, "K", _MAX_PROOF["K"])
    d = _check_size(d, "d", _MAX_PROOF["d"])
    N = _check_size(N, "N", _MAX_PROOF["N"])
    return _exam_answers(K, d, N)


_EXAM_REASONS = {
    1: "Right: the gradient of the penalised log-likelihood, to be followed uphill "
       "(theta_k + alpha * gradient).",
    2: "Wrong: the penalty's derivative is -2 lambda theta_k; this answer flips its sign "
       "and drops the 2, so it is off by 3 lambda theta_k.",
    3: "The gradient of the loss to minimise (minus the objective): right for descent, "
       "theta_k - alpha * gradient, but not the gradient of the objective as posed.",
    4: "Wrong: it mixes conventions, the data term of the loss (p - y) with the penalty "
       "of the objective (-2 lambda theta_k); it is the gradient of neither.",
    5: "Wrong: the regularisation term is missing; this is the gradient of the plain "
       "log-likelihood, off by 2 lambda theta_k.",
}


@functools.lru_cache(maxsize=None)
def _exam_verdicts(K, d, N) -> Mapping:
    exam = _exam_answers(K, d, N)
    s = exam.symbols
    rationalizer = _rationalizer_for(s)
    constraint = _one_hot_constraint(s)
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
        return all(_prove_zero(e, rationalizer, subs) for e in M)

    # The one heavy proof: answer 1 is the gradient of the objective (this needs the
    # one-hot constraint). Every other comparison goes through answer 1, and those are
    # identities between formulas built from the same p_ik, cheap to prove.
    answer1 = exam.answers[1]
    core = zero(answer1 - exam.objective_gradient, constraint)
    verdicts = {}
    for number, answer in exam.answers.items():
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
            reason=_EXAM_REASONS[number],
        )
    return types.MappingProxyType(verdicts)


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
    K = _check_size(K, "K", _MAX_PROOF["K"])
    d = _check_size(d, "d", _MAX_PROOF["d"])
    N = _check_size(N, "N", _MAX_PROOF["N"])
    return _exam_verdicts(K, d, N)


@functools.lru_cache(maxsize=None)
def _update_equivalence(K, d, N) -> Identity:
    exam = _exam_answers(K, d, N)
    alpha = sp.Symbol("alpha", positive=True)
    Theta = exam.symbols.Theta
    lhs = sp.ImmutableMatrix(Theta + alpha * exam.answers[1])
    rhs = sp.ImmutableMatrix(Theta - alpha * exam.answers[3])
    difference = sp.ImmutableMatrix((lhs - rhs).applyfunc(sp.expand))
    return Identity(lhs=lhs, rhs=rhs, difference=difference)


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
    K = _check_size(K, "K", _MAX_PROOF["K"])
    d = _check_size(d, "d", _MAX_PROOF["d"])
    N = _check_size(N, "N", _MAX_PROOF["N"])
    return _update_equivalence(K, d, N)


@functools.lru_cache(maxsize=None)
def _binary_from_softmax() -> Identity:
    z1, z2 = sp.symbols("z_1 z_2", real=True)
    lhs = sp.exp(z1) / (sp.exp(z1) + sp.exp(z2))
    rhs = sigma(z1 - z2)
    rationalizer = _Rationalizer([(z1, z1, sp.Symbol("E_1", positive=True)),
                                  (z2, z2, sp.Symbol("E_2", positive=True))])
    return Identity(lhs=lhs, rhs=rhs, difference=_simplified_expr(lhs - rhs, rationalizer))


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
    return _binary_from_softmax()


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


@functools.lru_cache(maxsize=None)
def _lambdify_gradient(K, d, N, penalize_intercept):
    s = _multinomial_symbols(K, d, N, None)
    # log(exp(f) / S) = f - log(S): expand_log applies it because both are positive.
    # Differentiating that form is much faster and gives the same function.
    loss = sp.expand_log(_multinomial_loss(K, d, N, None, penalize_intercept))
    gradient = _gradient(loss, s.Theta)
    raw = sp.lambdify(_lambdify_args(s), gradient, modules="numpy", cse=True)

    def fn(*args):
        return np.asarray(raw(*args), dtype=np.float64).reshape(K, d)

    return _numeric_wrapper(fn, K, d, N, "gradient")


@functools.lru_cache(maxsize=None)
def _lambdify_loss(K, d, N, penalize_intercept):
    s = _multinomial_symbols(K, d, N, None)
    raw = sp.lambdify(_lambdify_args(s), _multinomial_loss(K, d, N, None, penalize_intercept),
                      modules="numpy")

    def fn(*args):
        return float(raw(*args))

    return _numeric_wrapper(fn, K, d, N, "loss")


def lambdify_gradient(K: int = 3, d: int = 3, N: int = 4, *,
                      penalize_intercept: bool = False) -> Callable:
    """Turn the symbolic gradient of :func:`multinomial_loss` into a NumPy function.

    The gradient is ``sympy.diff`` of
    J = -(1/N) sum_i sum_k y_ik log softmax_k(Theta x_i) + lambda sum_k sum_j w_kj^2,
    after the rewrite log(exp(f_ik) / S_i) = f_ik - log(S_i) (seed 002's first step;
    SymPy's ``expand_log``, valid since both are positive), evaluated as written (no
    log-sum-exp tricks: meant for moderate logits, to compare with
    ``course_utils.losses``). The default ``penalize_intercept=False`` is the
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
    K = _check_size(K, "K", _MAX_LAMBDIFY["K"])
    d = _check_size(d, "d", _MAX_LAMBDIFY["d"])
    N = _check_size(N, "N", _MAX_LAMBDIFY["N"])
    penalize_intercept = _check_bool(penalize_intercept, "penalize_intercept")
    return _lambdify_gradient(K, d, N, penalize_intercept)


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
    K = _check_size(K, "K", _MAX_LAMBDIFY["K"])
    d = _check_size(d, "d", _MAX_LAMBDIFY["d"])
    N = _check_size(N, "N", _MAX_LAMBDIFY["N"])
    penalize_intercept = _check_bool(penalize_intercept, "penalize_intercept")
    return _lambdify_loss(K, d, N, penalize_intercept)
