"""The hand derivation d loss / d theta_j of one example's cross-entropy, checked by SymPy.

The student types the result in the symbols ``x_j``, ``y``, ``z`` (the score theta . x)
and ``sigma(z)`` (or ``1/(1+exp(-z))``); the loss is
-[y log sigma(z) + (1 - y) log(1 - sigma(z))] and z depends on theta_j through x_j.
"""

from __future__ import annotations

from functools import lru_cache

from .core import Feedback, ok


@lru_cache(maxsize=1)
def _sympy():
    """SymPy and the derivation's symbols, imported on first use (notebooks 00-02 never pay it)."""
    import sympy as sp
    x_j, y, z = sp.symbols("x_j y z", real=True)
    sigma = 1 / (1 + sp.exp(-z))
    names = {"x_j": x_j, "y": y, "z": z, "sigma": sp.Lambda(z, sigma), "exp": sp.exp,
             "log": sp.log, "e": sp.E}
    points = [{x_j: 0.7, z: 0.3}, {x_j: -1.3, z: -1.1}, {x_j: 2.1, z: 2.4}, {x_j: 0.4, z: -0.2}]
    return sp, x_j, y, z, sigma, x_j * (sigma - y), names, points


def _values(expr, label):
    y, points = _sympy()[2], _sympy()[7]
    return [complex(expr.subs({**p, y: label}).evalf()) for p in points]


def _equal(a, b, label):
    return all(abs(u - v) <= 1e-9 * (1 + abs(v)) for u, v in zip(_values(a, label), _values(b, label)))


def bce_derivative_feedback(answer, name="bce_derivative"):
    """Judge a typed derivative; the message names the term that is off."""
    sp, x_j, y, z, sigma_z, expected, names, _ = _sympy()
    if answer is None or answer is ...:
        return Feedback(False, "Not answered yet: set answer to your derivative (a string such "
                               "as 'x_j * (...)') and run this cell again.", None, name)
    if isinstance(answer, str):
        try:
            expr = sp.sympify(answer.replace("^", "**"), locals=names)
        except (sp.SympifyError, SyntaxError, TypeError, ValueError) as exc:
            return Feedback(False, f"SymPy cannot read your expression ({type(exc).__name__}): "
                                   f"write it in x_j, y, z and sigma(z), e.g. with * for every "
                                   f"product.", None, name)
    elif isinstance(answer, sp.Basic):
        expr = answer.subs({sp.Symbol("x_j"): x_j, sp.Symbol("y"): y, sp.Symbol("z"): z})
    else:
        return Feedback(False, f"answer should be a string or a SymPy expression; got a "
                               f"{type(answer).__name__}.", None, name)
    if not isinstance(expr, sp.Expr):
        return Feedback(False, "answer should be one expression, not an equation or a list.",
                        None, name)
    unknown = sorted(str(s) for s in expr.free_symbols - {x_j, y, z})
    if unknown:
        return Feedback(False, f"Your expression uses symbols the derivation does not have: "
                               f"{', '.join(unknown)}. Use x_j, y, z and sigma(z).", None, name)
    expr = expr.subs(sp.Function("sigma")(z), sigma_z)
    ok1, ok0 = _equal(expr, expected, 1), _equal(expr, expected, 0)
    if ok1 and ok0 and sp.simplify(expr - expected) == 0:
        return Feedback(True, ok("sigma'(z) = sigma(z)(1 - sigma(z)) cancels against the "
                                 "logarithms' derivatives, leaving prediction minus label."),
                        None, name)
    if _equal(expr, -expected, 1) and _equal(expr, -expected, 0):
        return Feedback(False, "Your derivative has the wrong sign: it is the derivative of the "
                               "log-likelihood; the loss is minus it.", "sign", name)
    if ok1 != ok0:
        which = ("the term from (1 - y) log(1 - sigma(z)), the one that counts when y = 0"
                 if ok1 else "the term from y log sigma(z), the one that counts when y = 1")
        return Feedback(False, f"Your derivative is right when y = {1 if ok1 else 0} but not "
                               f"otherwise: look again at {which}.", "wrong_term", name)
    ratio = sp.simplify(expr / expected)
    if ratio.free_symbols <= {x_j, z} and ratio != 1:
        factor = ("the factor x_j (the chain rule through z = theta . x)"
                  if ratio.has(x_j) else "a factor that depends on z, such as sigma'(z) "
                  "= sigma(z)(1 - sigma(z))" if ratio.has(z) else "a constant factor")
        return Feedback(False, f"Your derivative has the right shape up to {factor}: one "
                               f"factor is missing or extra.", "missing_factor", name)
    return Feedback(False, "Your derivative differs in more than one place: differentiate "
                           "log sigma(z) and log(1 - sigma(z)) with respect to z first, then "
                           "apply the chain rule for z = theta . x.", None, name)
