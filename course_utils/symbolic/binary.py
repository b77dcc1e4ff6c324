"""SymPy proofs for binary logistic regression (notebook 03).

* sigmoid'(z) = sigmoid(z) (1 - sigmoid(z)): :func:`sigmoid_derivative_identity`;
* the lecture's step-by-step derivation of the cross-entropy gradient
  x_k (sigmoid(theta . x) - y), each line checked: :func:`binary_ce_gradient_steps` and
  :func:`check_steps`;
* the batch gradient of the L2-regularised mean cross-entropy:
  :func:`binary_gradient_check`.

Also the records every proof returns (:class:`Identity`, :class:`Step`,
:class:`GradientCheck`) and the logistic function as a SymPy function,
:class:`sigma`. How the proofs work: :mod:`course_utils.symbolic._proof`.
"""

from __future__ import annotations

import functools
import types
from dataclasses import dataclass, field
from typing import Mapping

import sympy as sp
from sympy.core.function import ArgumentIndexError

from .._checks import check_scalar
from ._proof import (MAX_PROOF, Rationalizer, as_matrix, bool_check, checked_and_cached,
                     is_zero_result, nonzero_witness, numerator_is_zero, simplified,
                     simplified_expr, size_check)

__all__ = ["sigma", "Identity", "Step", "BinarySymbols", "GradientCheck",
           "sigmoid_derivative_identity", "binary_symbols", "binary_ce_gradient_steps",
           "check_steps", "binary_gradient_check"]


# ---------------------------------------------------------------------------
# The logistic function as a SymPy function (for display) and small records
# ---------------------------------------------------------------------------

class sigma(sp.Function):
    """The logistic function as an unevaluated SymPy function.

    sigma(z) = 1 / (1 + exp(-z))

    It prints as sigma(z) (LaTeX: the Greek letter), so derivations read like the
    slides. ``expr.rewrite(sympy.exp)`` replaces it by the explicit formula; every proof
    in this package works on that explicit form. Its derivative rule
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
            raise ArgumentIndexError(self, argindex)
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
        return is_zero_result(self.difference)


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
        ok = is_zero_result(self.difference) and all(self.labellings.values())
        if self.unconstrained_residual_holds is not None:
            ok = ok and self.unconstrained_residual_holds
        return ok


# ---------------------------------------------------------------------------
# The sigmoid and one example
# ---------------------------------------------------------------------------

def _parameter_index(value, name, arguments):
    n = arguments["n"]
    return check_scalar(value, name, low=0, high=n, integer=True,
                        hint=f"k picks theta_k among theta_0..theta_{n}.")


@checked_and_cached()
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
    z = sp.Symbol("z", real=True)
    explicit = 1 / (1 + sp.exp(-z))
    lhs = sp.diff(explicit, z)
    rhs = sigma(z) * (1 - sigma(z))
    rationalizer = Rationalizer([(z, z, sp.Symbol("E", positive=True))])
    difference = simplified_expr((lhs - rhs).rewrite(sp.exp), rationalizer)
    return Identity(lhs=lhs, rhs=rhs, difference=difference)


@checked_and_cached(n=size_check(MAX_PROOF["n"]))
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
    theta = sp.symbols(f"theta_0:{n + 1}", real=True)
    x = sp.symbols(f"x_0:{n + 1}", real=True)
    y = sp.Symbol("y", real=True)
    dot = sp.Add(*[t * v for t, v in zip(theta, x)])
    return BinarySymbols(theta=tuple(theta), x=tuple(x), y=y, dot=dot)


@checked_and_cached(n=size_check(MAX_PROOF["n"]), k=_parameter_index)
def _binary_steps(n: int = 2, k: int = 1) -> tuple:
    s = binary_symbols(n)
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
    return list(_binary_steps(n, k))   # a fresh list: the caller may edit it


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
    if numerator_is_zero(difference):
        return True
    if nonzero_witness(difference):
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


# ---------------------------------------------------------------------------
# A batch of examples, with the L2 term
# ---------------------------------------------------------------------------

@checked_and_cached(m=size_check(MAX_PROOF["m"]), n=size_check(MAX_PROOF["n"]),
                    penalize_intercept=bool_check)
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
    theta = sp.symbols(f"theta_0:{n + 1}", real=True)
    X = as_matrix(m, n + 1, lambda i, j: sp.Symbol(f"x_{i}_{j}", real=True))
    y = sp.symbols(f"y_0:{m}", real=True)
    lam = sp.Symbol("lambda", nonnegative=True)
    dots = [sp.Add(*[theta[j] * X[i, j] for j in range(n + 1)]) for i in range(m)]
    first = 0 if penalize_intercept else 1
    loss = (sp.Rational(1, m) * sp.Add(*[
        -y[i] * sp.log(sigma(dots[i])) - (1 - y[i]) * sp.log(1 - sigma(dots[i]))
        for i in range(m)])
        + lam * sp.Add(*[theta[j] ** 2 for j in range(first, n + 1)]))
    explicit = loss.rewrite(sp.exp)
    derived = as_matrix(n + 1, 1, lambda j, _: sp.diff(explicit, theta[j]))
    claimed = as_matrix(n + 1, 1, lambda j, _: sp.Rational(1, m) * sp.Add(*[
        X[i, j] * (sigma(dots[i]) - y[i]) for i in range(m)])
        + (2 * lam * theta[j] if j >= first else 0))
    rationalizer = Rationalizer(
        [(dots[i], theta[0] * X[i, 0], sp.Symbol(f"E_{i}", positive=True))
         for i in range(m)])
    difference = simplified(derived - claimed.rewrite(sp.exp), rationalizer)
    return GradientCheck(loss=loss, derived=derived, claimed=claimed, difference=difference)
