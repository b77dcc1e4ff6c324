"""The proof engine behind :mod:`course_utils.symbolic` (no course content here).

A claim "a == b" is proved by showing that ``a - b`` is identically 0. The gradients of
the course are rational functions of the exponentials exp(f) of linear forms f (the
logits). :class:`Rationalizer` replaces each exp(f_r) by a positive symbol E_r
(exp(c1 f1 + c2 f2) becomes E1**c1 * E2**c2, an exact identity); the difference is then
put over one denominator (a product of sums of positive terms, never 0) and its
numerator expanded: the claim holds exactly when that numerator is the zero polynomial.
That is a real symbolic proof. A claim that fails is confirmed false by a witness, one
exact rational point where the difference is not 0. Only when neither settles it
(logarithms that do not cancel) does ``sympy.simplify`` decide.

Why not call ``sympy.simplify`` on every difference? It is several times slower, and
its answer is no proof of non-equality. Measured on 2026-12-06 with sympy 1.14.0 on
the course's 2-core machine, at K = 3 classes, d = 2 features, N = 2 examples (the
handwritten derivation's proof in notebook 07): CPU time (``time.process_time``) of
the timed call, median of 9 fresh Python processes per variant (no warm SymPy cache),
the variants interleaved while other test runs kept the load average near 3:

* the whole first call of ``handwritten_gradient_check(3, 2, 2)`` (differentiation,
  the 6 entries with the one-hot constraint substituted, the 9 label assignments and
  the unconstrained residual): 0.73 s;
* this engine's proof of the 6 difference entries alone: 0.19 s;
* ``sympy.simplify`` of the same 6 entries, same constraint substituted (each
  simplifies to 0): 2.04 s.

Wall times were 1.15 s, 0.34 s and 2.51 s (medians under that load). An earlier review
measured 0.55 s for the whole check against 1.40 s for ``sympy.simplify``. Notebook 07
runs several such proofs within its 10 s budget.

Arguments of the public proof functions are checked, and results cached, by the
decorator :func:`checked_and_cached`; the size limits live in :data:`MAX_PROOF`.
"""

from __future__ import annotations

import functools
import inspect

import numpy as np
import sympy as sp

from .._checks import check_scalar

__all__ = ["MAX_PROOF", "check_size", "check_bool", "size_check", "bool_check",
           "checked_and_cached", "Rationalizer", "numerator_is_zero", "nonzero_witness",
           "prove_zero", "canonical", "simplified_expr", "simplified", "is_zero_result",
           "as_matrix"]

#: Largest sizes a proof accepts: proofs grow quickly with the sizes, and these caps keep
#: every call well under a minute.
MAX_PROOF = {"K": 4, "d": 4, "N": 4, "n": 4, "m": 4}

_SIZE_MEANING = {
    "K": ("the number of classes", 2),
    "d": ("the number of features (columns of X, dummy included)", 1),
    "N": ("the number of examples", 1),
    "n": ("the number of features besides the dummy feature", 1),
    "m": ("the number of examples", 1),
}


# ---------------------------------------------------------------------------
# Argument checks and the cache
# ---------------------------------------------------------------------------

def check_size(value, name: str, high: int) -> int:
    """An integer size ``name`` (one of K, d, N, n, m) between its minimum and ``high``."""
    meaning, low = _SIZE_MEANING[name]
    return check_scalar(
        value, name, low=low, high=high, integer=True,
        hint=f"{name} is {meaning}; symbolic proofs need {low} <= {name} <= {high} "
             f"(small sizes keep SymPy fast).",
    )


def check_bool(value, name: str) -> bool:
    """``value`` as a bool; a TypeError naming ``name`` for anything but True/False."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(
            f"{name} must be True or False; got {type(value).__name__} {value!r}. "
            f"Pass a bool."
        )
    return bool(value)


def size_check(high: int):
    """A check for :func:`checked_and_cached`: an integer size of at most ``high``."""
    def check(value, name, arguments):
        return check_size(value, name, high)
    return check


def bool_check(value, name, arguments):
    """A check for :func:`checked_and_cached`: True or False."""
    return check_bool(value, name)


def checked_and_cached(**checks):
    """Decorate a function: check the named arguments, then call it through a cache.

    Each check is called as ``check(value, name, arguments)`` in the order of the
    function's parameters and returns the checked value; ``arguments`` holds every
    argument of the call, those before ``name`` already checked (so a check of labels
    can read the number of classes). The decorated function is called with the
    checked values through ``functools.lru_cache``: a notebook and the tests share the
    work, and the checks run before anything unhashable reaches the cache.

    Examples
    --------
    >>> @checked_and_cached(K=size_check(4))
    ... def classes(K=3):
    ...     return list(range(K))
    >>> classes(K=2), classes.cache_info().misses
    ([0, 1], 1)
    >>> classes(9)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: K must be <= 4; got 9. K is the number of classes; ...
    """
    def decorate(function):
        signature = inspect.signature(function)
        unknown = set(checks) - set(signature.parameters)
        if unknown:
            raise TypeError(f"checks name arguments {sorted(unknown)} that "
                            f"{function.__name__} does not have.")
        cached = functools.lru_cache(maxsize=None)(function)

        @functools.wraps(function)
        def checked(*args, **kwargs):
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            arguments = bound.arguments
            for name in signature.parameters:
                if name in checks:
                    arguments[name] = checks[name](arguments[name], name, arguments)
            return cached(*bound.args, **bound.kwargs)

        checked.cache_info = cached.cache_info
        checked.cache_clear = cached.cache_clear
        return checked

    return decorate


# ---------------------------------------------------------------------------
# Exponentials of linear forms -> positive symbols -> polynomials
# ---------------------------------------------------------------------------

class Rationalizer:
    """Replaces exp(sum_r c_r f_r) by prod_r E_r**c_r for known linear forms f_r.

    Parameters
    ----------
    bases : sequence of (form, tag, E)
        ``form`` is a linear form f_r; ``tag`` a monomial that occurs in f_r with
        coefficient 1 and in no other base form, so the integer coefficients c_r can be
        read off; ``E`` the positive symbol that stands for exp(f_r). The replacement is
        made only when the exponent equals sum_r c_r f_r exactly.

    Examples
    --------
    >>> a, b = sp.symbols("a b", real=True)
    >>> E_a, E_b = sp.symbols("E_a E_b", positive=True)
    >>> r = Rationalizer([(a, a, E_a), (b, b, E_b)])
    >>> r.to_rational(sp.exp(a - 2 * b) + sp.exp(a / 2))
    E_a/E_b**2 + exp(a/2)
    >>> r.to_exp(E_a * E_b)
    exp(a)*exp(b)
    """

    def __init__(self, bases):
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
        """``expr`` with every exp of an integer combination of the forms replaced."""
        mapping = {}
        for atom in expr.atoms(sp.exp):
            replaced = self._replace_exp(atom.args[0])
            if replaced is not None:
                mapping[atom] = replaced
        return expr.xreplace(mapping)

    def to_exp(self, expr):
        """``expr`` with each positive symbol E_r replaced by exp(f_r) again."""
        return expr.xreplace(self.back)


def numerator_is_zero(expr) -> bool:
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


def nonzero_witness(expr) -> bool:
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


def prove_zero(expr, rationalizer: Rationalizer | None = None, subs=None) -> bool:
    """Prove ``expr == 0`` identically (sound; see the module docstring).

    ``expr`` is written with ``exp`` and ``log`` (rewrite special functions such as
    sigma first); ``subs`` is a substitution applied before the proof, e.g. a
    constraint between the symbols.

    Examples
    --------
    >>> z = sp.Symbol("z", real=True)
    >>> r = Rationalizer([(z, z, sp.Symbol("E", positive=True))])
    >>> prove_zero(sp.exp(z) / (1 + sp.exp(z)) - 1 / (1 + sp.exp(-z)), r)
    True
    >>> prove_zero(sp.exp(z) / (1 + sp.exp(z)) - 1 / (1 + sp.exp(z)), r)
    False
    """
    if subs:
        expr = expr.subs(subs)
    if rationalizer is not None:
        expr = rationalizer.to_rational(expr)
    if numerator_is_zero(expr):
        return True
    if nonzero_witness(expr):
        return False
    if not expr.has(sp.exp, sp.log):
        # A rational function of independent symbols and of exponentials of distinct
        # logits: a non-zero numerator polynomial means a non-zero function.
        return False
    # Logarithms or exponentials the rational route cannot combine: let SymPy try.
    return sp.simplify(sp.expand_log(expr)) == 0


def canonical(expr, rationalizer: Rationalizer, subs=None):
    """A simplified form of ``expr``: rational in exp(f), cancelled, exp restored."""
    if subs:
        expr = expr.subs(subs)
    expr = sp.cancel(rationalizer.to_rational(expr))
    return sp.factor_terms(rationalizer.to_exp(expr))


def simplified_expr(expr, rationalizer: Rationalizer, subs=None):
    """0 when ``expr`` is proved zero, else a simplified form of it."""
    if prove_zero(expr, rationalizer, subs):
        return sp.S.Zero
    return canonical(expr, rationalizer, subs)


def simplified(M, rationalizer: Rationalizer, subs=None) -> sp.ImmutableMatrix:
    """Entry by entry: 0 where proved zero, else a simplified form."""
    return sp.ImmutableMatrix(M.applyfunc(lambda e: simplified_expr(e, rationalizer, subs)))


def is_zero_result(value) -> bool:
    """True for an exact 0 or a matrix of exact zeros."""
    if isinstance(value, sp.MatrixBase):
        return all(entry == 0 for entry in value)
    return value == 0


def as_matrix(rows: int, cols: int, fn) -> sp.ImmutableMatrix:
    """An immutable ``rows`` x ``cols`` matrix with entry (a, b) = fn(a, b), a and b ints."""
    return sp.ImmutableMatrix(rows, cols, lambda a, b: fn(int(a), int(b)))
