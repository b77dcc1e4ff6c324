"""What the course's pictures compute: losses over parameters, descent paths, exact minima.

The figures and the explorers draw; this module computes the numbers they draw,
with NumPy only, so each number can be checked without a picture.

* :func:`binary_loss_grid`: the loss J over two of the three parameters of the
  binary model, on a grid, for contour plots (notebook 04 and the explorers);
* :func:`one_weight_loss`, :func:`one_weight_grad`, :func:`learning_rate_iterates`,
  :func:`one_weight_minimum`: the one-weight model of the learning-rate pictures
  (notebook 04), on :func:`course_utils.data.line_data`;
* :func:`lambda_path`: the exact minimiser of the L2-penalised loss for each lambda
  (notebook 05);
* :func:`newton`: the one Newton solver behind all three minimisations above.
"""

from __future__ import annotations

import math

import numpy as np

from ._checks import (MAX_MAGNITUDE, as_float_array, check_binary_labels, check_grid,
                      check_lam, check_magnitude, check_scalar, check_theta, check_X)
from .data import line_data
from .functions import sigmoid
from .losses import binary_objective

__all__ = ["PATH_LAMS", "newton", "binary_loss_grid", "one_weight_loss", "one_weight_grad",
           "learning_rate_iterates", "one_weight_minimum", "lambda_path"]

#: The lambdas of the weight path of notebook 05 (log-spaced from 1e-4 to 10).
PATH_LAMS = tuple(np.logspace(-4, 1, 41))


# --------------------------------------------------------------------------- the solver

def newton(derivatives, x0, *, max_steps, step_tol=0.0, grad_tol=0.0, max_step=np.inf,
           objective=None, decrement_tol=0.0):
    """Newton's method for a convex function: x <- x - t * step, where H step = g.

    g and H are the gradient and the Hessian at x; t = 1 unless ``objective`` asks
    for a line search.

    Parameters
    ----------
    derivatives : callable
        ``derivatives(x) -> (g, H)``, in one of two forms:

        * ``H`` of the same shape as ``x``: ``x`` holds independent one-variable
          problems (one per grid point, say), all stepped at once with g / H;
        * ``H`` of shape (d, d) for ``x`` of shape (d,): one problem in d variables.
    x0 : float or array_like
        Starting point.
    max_steps : int
        At most this many Newton steps.
    step_tol : float
        Stop after a step whose largest entry is below ``step_tol`` in size.
    grad_tol : float
        Stop before stepping once the gradient's norm is below ``grad_tol``.
    max_step : float
        Clip every entry of a step to [-max_step, max_step]: where the loss is
        almost flat (H near 0), a plain Newton step would throw x far away.
    objective : callable, optional
        ``objective(x) -> float``, the function minimised, for one problem in d
        variables. With it each step is damped by backtracking (t = 1, 1/2, 1/4, ...
        until J falls by at least 1e-4 * t * g . step, less rounding noise of
        1e-14 |J|), and the run stops once the predicted decrease g . step is below
        ``decrement_tol``.
    decrement_tol : float
        See ``objective``.

    Returns
    -------
    ndarray or numpy float
        The last iterate, shaped like ``x0``.

    Examples
    --------
    >>> # minimise cosh(x) - x / 2: g = sinh(x) - 1/2, H = cosh(x); minimiser asinh(1/2)
    >>> x = newton(lambda x: (np.sinh(x) - 0.5, np.cosh(x)), 0.0, max_steps=50, step_tol=1e-14)
    >>> bool(abs(x - np.arcsinh(0.5)) < 1e-15)
    True
    """
    if not callable(derivatives):
        raise TypeError(f"derivatives must be a function x -> (gradient, Hessian); "
                        f"got {type(derivatives).__name__}.")
    max_steps = check_scalar(max_steps, "max_steps", low=0, integer=True)
    x = np.array(x0, dtype=np.float64)
    J = None             # objective(x), when the line search has already computed it
    for _ in range(max_steps):
        g, H = derivatives(x)
        if grad_tol > 0 and np.linalg.norm(g) < grad_tol:
            break
        if np.shape(H) == x.shape:
            step = g / H
        elif x.ndim == 1 and np.shape(H) == (x.size, x.size):
            step = np.linalg.solve(H, g)
        else:
            raise ValueError(f"derivatives(x) must return a Hessian of shape {x.shape} "
                             f"(independent problems) or {(x.size, x.size)}; got shape "
                             f"{np.shape(H)}.")
        if max_step < np.inf:
            step = np.clip(step, -max_step, max_step)
        if objective is None:
            x = x - step
        else:
            decrement = g @ step          # = step' H step >= 0; tiny at the minimum
            if decrement < decrement_tol:
                break
            t, J = _backtrack(objective, x, step, decrement, objective(x) if J is None else J)
            x = x - t * step
        if step_tol > 0 and np.max(np.abs(step)) < step_tol:
            break
    return x


def _backtrack(objective, x, step, decrement, J):
    """The Armijo step length t in 1, 1/2, 1/4, ... (down to 1e-10) for x - t * step.

    Returns t and the objective at x - t * step (None when t reached its floor
    untested), which the next step starts from.
    """
    slack = 1e-14 * abs(J)     # lets rounding noise in J pass near the minimum
    t = 1.0
    while t > 1e-10:
        J_new = objective(x - t * step)
        if J_new <= J - 1e-4 * t * decrement + slack:
            return t, J_new
        t /= 2.0
    return t, None


# --------------------------------------------------------------------------- loss over a grid

def binary_loss_grid(X, y, lam=0.0, *, params=(1, 2), fixed=None, extent=(-6, 6, -6, 6),
                     resolution=81, newton_steps=25):
    """The loss J over two of the three parameters, on a grid, for contour plots.

    J(theta) = (1/m) sum_i CE_i + lam * (theta_1^2 + theta_2^2); ``params`` names the
    two parameters on the axes (default theta_1, theta_2). The third parameter is

    * ``fixed=None`` (default): chosen at each grid point to make J smallest (a
      "profile": the lowest loss reachable with these two values). Contours then
      depend on the data and lam only, the minimum of the picture is the minimum of J,
      and a converged path ends on it, whatever the learning rate;
    * ``fixed=theta``: held at ``theta[k]`` (a plain slice through J).

    Parameters
    ----------
    X : array_like, shape (m, 3)
        Data with the dummy column first.
    y : array_like, shape (m,)
        Labels 0/1.
    lam : float >= 0
    params : pair of distinct ints in {0, 1, 2}
    fixed : array_like, shape (3,), optional
    extent : (a_min, a_max, b_min, b_max)
    resolution : int
    newton_steps : int
        Newton iterations for the profile (:func:`newton`, all grid points at once).

    Returns
    -------
    a, b : ndarray, shapes (resolution,)
        Grid values of the two parameters.
    Z : ndarray, shape (resolution, resolution)
        Z[i, j] = J at (a[j], b[i]) (rows follow b, as ``contour`` expects).

    Examples
    --------
    >>> X = np.array([[1.0, 0.0, 1.0], [1.0, 1.0, 0.0], [1.0, 2.0, 2.0], [1.0, -1.0, 0.5]])
    >>> a, b, Z = binary_loss_grid(X, [0, 1, 1, 0], resolution=5, extent=(-1, 1, -1, 1))
    >>> Z.shape, bool(np.all(Z > 0))
    ((5, 5), True)
    """
    X = check_magnitude(as_float_array(X, "X", ndim=2), "X",
                        hint="Scale the features of X (standardise each column).")
    if X.shape[1] != 3:
        raise ValueError(f"X must have 3 columns (the dummy feature, x1, x2); got shape "
                         f"{X.shape}. Use add_intercept(X) on two features.")
    y = check_binary_labels(y, X.shape[0])
    lam = check_scalar(check_lam(lam), "lam", high=MAX_MAGNITUDE)
    p = tuple(int(v) for v in params) if np.ndim(params) == 1 and len(params) == 2 else None
    if p is None or p[0] == p[1] or not set(p) <= {0, 1, 2}:
        raise ValueError(f"params must be two different indices from {{0, 1, 2}}, such as "
                         f"(1, 2); got {params!r}.")
    ext, resolution = check_grid(extent, resolution)
    newton_steps = check_scalar(newton_steps, "newton_steps", low=0, high=10_000, integer=True)
    free = ({0, 1, 2} - set(p)).pop()
    a = np.linspace(ext[0], ext[1], resolution)
    b = np.linspace(ext[2], ext[3], resolution)
    A, B = np.meshgrid(a, b)                       # (res, res)
    base = A[..., None] * X[:, p[0]] + B[..., None] * X[:, p[1]]   # (res, res, m)
    lam_free = lam if free >= 1 else 0.0
    xf = X[:, free]
    if fixed is not None:
        fixed = check_magnitude(check_theta(fixed, 3, "fixed"), "fixed")
        t = np.full(A.shape, fixed[free])
    else:
        # J as a function of the free parameter t alone, at every grid point:
        #   g = (1/m) sum_i (p_i - y_i) x_i + 2 lam t,   h = (1/m) sum_i p_i (1 - p_i) x_i^2 + 2 lam
        # computed in two work arrays of shape (res, res, m) that each step overwrites:
        # large arrays made afresh in every step would cost page faults.
        work, prob = np.empty_like(base), np.empty_like(base)

        def derivatives(t):
            z = np.add(base, np.multiply(t[..., None], xf, out=work), out=work)
            np.negative(z, out=prob)
            np.exp(np.negative(np.logaddexp(0.0, prob, out=prob), out=prob), out=prob)  # sigmoid(z)
            residual = np.multiply(np.subtract(prob, y, out=work), xf, out=work)
            g = residual.mean(axis=-1) + 2 * lam_free * t
            curvature = np.multiply(prob, np.subtract(1, prob, out=work), out=work)
            np.multiply(np.multiply(curvature, xf, out=work), xf, out=work)
            h = curvature.mean(axis=-1) + 2 * lam_free
            return g, np.maximum(h, 1e-12)

        # The 1-D problems are convex; steps are capped so that flat regions cannot
        # throw t far.
        with np.errstate(over="ignore", under="ignore"):
            t = newton(derivatives, np.zeros(A.shape), max_steps=newton_steps,
                       step_tol=1e-10, max_step=5.0)
    z = base + t[..., None] * xf
    values = {p[0]: A, p[1]: B, free: t}
    penalty = values[1] ** 2 + values[2] ** 2
    Z = (np.logaddexp(0.0, z) - y * z).mean(axis=-1) + lam * penalty
    return a, b, Z


# --------------------------------------------------------------------------- one weight

def _one_weight_problem():
    """The model P(y = 1 | x) = sigmoid(w (x - mean x)): one weight, centred feature."""
    x, y = line_data()
    return (x - x.mean())[:, None], y.astype(float)


def one_weight_loss(w):
    """Cross-entropy J(w) of the one-weight model sigmoid(w (x - mean x)) on the line data.

    The data are :func:`course_utils.data.line_data`;

    J(w) = (1/m) sum_i [ log(1 + exp(w u_i)) - y_i w u_i ],  u_i = x_i - mean(x)

    Accepts a scalar or an array of w values (evaluated elementwise).

    Examples
    --------
    >>> round(float(one_weight_loss(0.0)), 4)     # log 2: the model says 0.5 everywhere
    0.6931
    """
    U, y = _one_weight_problem()
    w = check_magnitude(as_float_array(w, "w"), "w")
    z = np.multiply.outer(w, U[:, 0])
    return np.mean(np.logaddexp(0.0, z) - y * z, axis=-1)


def one_weight_grad(w):
    """Derivative dJ/dw = (1/m) sum_i u_i (sigmoid(w u_i) - y_i) of :func:`one_weight_loss`.

    Examples
    --------
    >>> round(float(one_weight_grad(0.0)), 4)    # negative: the loss falls as w grows
    -0.475
    """
    U, y = _one_weight_problem()
    w = check_magnitude(as_float_array(w, "w"), "w")
    u = U[:, 0]
    return np.mean(u * (sigmoid(np.multiply.outer(w, u)) - y), axis=-1)


def learning_rate_iterates(lr, w0=-1.0, n_steps=15):
    """Gradient descent on :func:`one_weight_loss`: w_{t+1} = w_t - lr * J'(w_t).

    Parameters
    ----------
    lr : float > 0
        Learning rate.
    w0 : float
        Starting weight.
    n_steps : int >= 0
        Number of updates.

    Returns
    -------
    ndarray, shape (n_steps + 1,)
        w_0, w_1, ..., w_{n_steps}.

    Examples
    --------
    >>> learning_rate_iterates(2.5, n_steps=3).round(2).tolist()
    [-1.0, 1.2, 1.27, 1.3]
    """
    lr = check_scalar(lr, "lr", low=0.0, low_inclusive=False,
                      hint="The learning rate must be positive, e.g. 0.5.")
    w = check_scalar(w0, "w0", low=-MAX_MAGNITUDE, high=MAX_MAGNITUDE)
    n_steps = check_scalar(n_steps, "n_steps", low=0, high=100_000, integer=True,
                           hint="A picture shows a few dozen steps.")
    out = [w]
    for step in range(1, n_steps + 1):
        w = w - lr * float(one_weight_grad(w))   # Python floats: an overflow gives inf, no warning
        if not math.isfinite(w) or abs(w) > MAX_MAGNITUDE:
            raise ValueError(f"the iterates left float64's range at step {step}: lr = {lr:g} "
                             f"with w0 = {out[0]:g} is too large a step; use a smaller lr "
                             f"(the course's pictures use 0.5 to 16).")
        out.append(w)
    return np.array(out)


def one_weight_minimum():
    """The minimiser w* of :func:`one_weight_loss`, by Newton's method to machine precision.

    J''(w) = (1/m) sum_i u_i^2 s_i (1 - s_i),  s_i = sigmoid(w u_i)

    Examples
    --------
    >>> round(one_weight_minimum(), 4)
    1.3534
    """
    U, _ = _one_weight_problem()
    u = U[:, 0]

    def derivatives(w):
        p = sigmoid(w * u)
        return float(one_weight_grad(w)), np.mean(u * u * p * (1 - p))

    return float(newton(derivatives, 0.0, max_steps=50, step_tol=1e-14))


# --------------------------------------------------------------------------- lambda path

def _fit_l2(X, y, lam, theta):
    """The minimiser of J at one lam, from ``theta``: Newton's method with backtracking."""
    m, d = X.shape
    pen = np.full(d, 2.0 * lam)
    pen[0] = 0.0

    def derivatives(theta):
        g = binary_objective(theta, X, y, lam)[1]
        p = sigmoid(X @ theta)
        return g, (X.T * (p * (1 - p))) @ X / m + np.diag(pen)

    def objective(theta):
        return binary_objective(theta, X, y, lam, need_grad=False)[0]

    # gradient norm 1e-12: as close as float64 gets; a predicted decrease below 1e-26
    # is rounding noise in J
    return newton(derivatives, theta, max_steps=100, grad_tol=1e-12, objective=objective,
                  decrement_tol=1e-26)


def lambda_path(X, y, lams=PATH_LAMS):
    """The minimiser theta(lam) of the L2-regularised cross-entropy for each lam.

    theta(lam) = argmin_theta (1/m) sum_i CE_i(theta) + lam * sum_{j >= 1} theta_j^2

    Solved by :func:`newton` with backtracking until the gradient norm is below 1e-12
    (at most 100 steps: where rounding in J stalls the line search first, the last
    iterate is kept), from the largest lam down, each start warm from the previous
    solution.

    Parameters
    ----------
    X : array_like, shape (m, n + 1)
        Data with the dummy column first.
    y : array_like, shape (m,)
        Labels 0/1.
    lams : sequence of float > 0
        The lambdas (any order). lam = 0 is not allowed: on separable data the
        unpenalised loss has no minimiser.

    Returns
    -------
    ndarray, shape (len(lams), n + 1)
        Row i is theta at ``lams[i]``.

    Examples
    --------
    >>> from course_utils.data import lambda_path_data
    >>> from course_utils.functions import add_intercept
    >>> X, y = lambda_path_data()
    >>> path = lambda_path(add_intercept(X), y, [0.01, 1.0])
    >>> bool(np.all(np.abs(path[1, 1:]) < np.abs(path[0, 1:])))   # more lam, smaller weights
    True
    """
    X = check_X(X, allow_sparse=False)
    y = check_binary_labels(y, X.shape[0])
    check_magnitude(X, "X", hint="Scale the features of X (standardise each column).")
    lams = check_magnitude(as_float_array(lams, "lams", ndim=1), "lams",
                           hint="The course's lambdas go up to 10.")
    if lams.size == 0 or np.any(lams <= 0):
        raise ValueError("lams must be a non-empty sequence of positive numbers such as "
                         f"np.logspace(-4, 1, 41); got {lams.tolist()[:5]}.")
    order = np.argsort(-lams, kind="stable")
    out = np.empty((lams.size, X.shape[1]))
    theta = np.zeros(X.shape[1])
    for i in order:
        theta = _fit_l2(X, y, lams[i], theta)
        out[i] = theta
    return out
