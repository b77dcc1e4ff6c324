"""The functions a student writes, and the probes that judge them."""

from __future__ import annotations

import numpy as np

from ..functions import add_intercept, sigmoid as _ref_sigmoid, softmax as _ref_softmax
from ..losses import binary_cross_entropy, binary_cross_entropy_grad, multinomial_cross_entropy_grad
from .core import Probe, close

def _rng_data(m, n, K=None, seed=0):
    rng = np.random.default_rng(seed)
    X = add_intercept(rng.normal(size=(m, n)))
    y = rng.integers(0, 2 if K is None else K, size=m)
    if K is not None:
        y[:K] = np.arange(K)               # every class present
    return rng, X, y


def _binary_probes(kind):
    rng, X, y = _rng_data(7, 3, seed=1)
    theta = rng.normal(size=4)
    probes = []
    X_big = add_intercept(np.array([[1.0, 0, 0], [-1.0, 0, 0], [0.5, 1, 0], [-0.5, -1, 0.2]]))
    y_big = np.array([0, 1, 1, 0])                 # scores of +-1000, confidently wrong too
    for label, th, lam, extreme in [("a small data set, lam left at its default", theta, None, False),
                                    ("a small data set with lam = 0.3", theta, 0.3, False),
                                    ("scores near 1000", np.array([0.0, 1000, 0, 0]), 0.0, True)]:
        if extreme:
            X, y = X_big, y_big
        kwargs = {} if lam is None else {"lam": lam}
        lam_v = 0.0 if lam is None else lam
        m = len(y)
        if kind == "loss":
            ce = binary_cross_entropy(th, X, y)
            pen = float(np.sum(th[1:] ** 2))
            exp = ce + lam_v * pen
            var = {"sign": -exp, "sum_not_mean": m * ce + lam_v * pen,
                   "penalised_intercept": ce + lam_v * float(np.sum(th ** 2))}
        else:
            g0 = binary_cross_entropy_grad(th, X, y)
            tilde = th.copy()
            tilde[0] = 0.0
            exp = g0 + 2 * lam_v * tilde
            var = {"sign": -exp, "sum_not_mean": m * g0 + 2 * lam_v * tilde,
                   "penalised_intercept": g0 + 2 * lam_v * th,
                   "missing_factor_2": g0 + lam_v * tilde}
        probes.append(Probe((th, X, y), kwargs, exp, var, label, extreme))
    return probes


def _penalty_reason(what):
    def reason(shaped, probes):
        no_pen = [i for i, p in enumerate(probes) if not p.kwargs.get("lam")]
        if all(close(shaped[i], probes[i].expected) for i in no_pen):
            return (f"Your {what} is right without the penalty but not with lam > 0: look at "
                    f"the penalty's part (which weights it covers, its factor, its sign).")
        return (f"Your {what} is off already with lam = 0, and in more than one way: check the "
                f"data term first (its sign, the mean over examples), then the penalty.")
    return reason


_BINARY_LOSS_MESSAGES = {
    "correct": "Your loss is right, with and without the penalty, and finite for large scores.",
    "sign": "Your loss has the sign of the log-likelihood: the loss to minimise is minus the "
            "mean log-likelihood, plus the penalty.",
    "sum_not_mean": "Your data term grows with the number of examples: the course's loss takes "
                    "the mean over the m examples, not the sum (the exam's form sums).",
    "penalised_intercept": "Your penalty includes theta_0: the intercept multiplies the dummy "
                           "feature and is not penalised; the penalty sums from j = 1.",
    "not_finite": "Your loss is NaN or inf for large scores: compute log sigmoid from the score "
                  "(log_sigmoid, or logaddexp), not as the log of a probability that rounds to 0.",
}
_BINARY_GRADIENT_MESSAGES = {
    "correct": "Your gradient is right, with and without the penalty, and finite for large scores.",
    "sign": "Your gradient points uphill: its sign is that of the log-likelihood. The loss's "
            "gradient has (sigma(theta . x) - y), prediction minus label.",
    "sum_not_mean": "Your data term grows with the number of examples: divide the sum over the "
                    "m examples by m, as the loss is a mean (the exam's form sums).",
    "penalised_intercept": "Your penalty's gradient touches theta_0: the intercept is not "
                           "penalised, so entry 0 gets no 2 lam theta_0.",
    "missing_factor_2": "Your penalty's gradient is lam theta: the derivative of lam theta_j^2 "
                        "is 2 lam theta_j.",
    "not_finite": "Your gradient is NaN or inf for large scores: compute sigma(z) with a stable "
                  "sigmoid.",
}

_SIGMOID_MESSAGES = {
    "correct": "Your sigmoid is right and stays quiet at z = -1000 and z = 1000.",
    "overflow": "Your sigmoid overflows for large |z| (exp of 1000 does not fit in a float): "
                "use exp(-|z|) only, e.g. one formula for z >= 0 and the mirror one for z < 0.",
    "sign": "Your function gives 1 - sigma(z), the probability of the other class: "
            "sigma(z) = 1 / (1 + exp(-z)) rises with z.",
}


def _sigmoid_probes():
    z = np.array([-4.0, -0.5, 0.0, 0.7, 3.0])
    big = np.array([-1000.0, -40.0, 0.0, 40.0, 1000.0])
    return [Probe((z,), {}, _ref_sigmoid(z), {"sign": _ref_sigmoid(-z)}, "moderate scores"),
            Probe((big,), {}, _ref_sigmoid(big), {"sign": _ref_sigmoid(-big)},
                   "z = -1000 and z = 1000", True)]


_SOFTMAX_MESSAGES = {
    "correct": "Your softmax is right, stays quiet for scores near 1000, and uses the last axis.",
    "overflow": "Your softmax overflows for large scores: subtract the largest score of each "
                "row (keepdims=True) before exponentiating; softmax ignores a common shift.",
    "wrong_axis": "Your softmax normalises the wrong axis: with axis=-1 each row (one example's "
                  "scores) must sum to 1.",
}


def _softmax_probes():
    rng = np.random.default_rng(3)
    Z = rng.normal(size=(4, 3))
    big = np.array([[1000.0, 999.0, 998.0], [-1000.0, -1001.0, -1002.0]])
    return [Probe((Z,), {}, _ref_softmax(Z), {"wrong_axis": _ref_softmax(Z, axis=0)},
                   "a 4 x 3 array of scores"),
            Probe((Z[0],), {}, _ref_softmax(Z[0]), {}, "one row of scores"),
            Probe((big,), {}, _ref_softmax(big), {"wrong_axis": _ref_softmax(big, axis=0)},
                   "scores near 1000 and -1000", True)]


_MY_SOFTMAX_MESSAGES = {
    "correct": "Your softmax is right and stays quiet at (1000, 999, 998) and "
               "(-1000, -1001, -1002).",
    "overflow": "Your softmax overflows or divides 0 by 0 for scores near 1000 or -1000: "
                "subtract z.max() before np.exp.",
}


def _my_softmax_probes():
    z = np.array([0.3, -1.2, 2.0, 0.0])
    return [Probe((z,), {}, _ref_softmax(z), {}, "the scores (0.3, -1.2, 2, 0)"),
            Probe((np.array([1000.0, 999.0, 998.0]),), {}, _ref_softmax([2.0, 1.0, 0.0]), {},
                   "the scores (1000, 999, 998)", True),
            Probe((np.array([-1000.0, -1001.0, -1002.0]),), {}, _ref_softmax([2.0, 1.0, 0.0]),
                   {}, "the scores (-1000, -1001, -1002)", True)]


_MULTI_MESSAGES = {
    "correct": "Your gradient is right, has the shape of Theta, and leaves the intercepts unpenalised.",
    "sign": "Your gradient points uphill: its sign is that of the log-likelihood. Row k of the "
            "loss's gradient has (p_k - y_k), prediction minus label.",
    "sum_not_mean": "Your data term grows with the number of examples: divide (P - Y)^T X by m.",
    "penalised_intercept": "Your penalty's gradient touches column 0: the intercepts are not "
                           "penalised in the course's loss.",
    "missing_factor_2": "Your penalty's gradient is lam Theta: the derivative of lam theta_kj^2 "
                        "is 2 lam theta_kj.",
    "not_finite": "Your gradient is NaN or inf for large scores: use a stable softmax.",
}


def _multinomial_probes():
    K, n = 3, 4                                 # K != n + 1: a transposed answer shows
    rng, X, y = _rng_data(8, n, K=K, seed=2)
    Theta = rng.normal(size=(K, n + 1))
    probes = []
    for label, Th, lam, extreme in [("a small 3-class data set, lam left at its default", Theta, None, False),
                                    ("a small 3-class data set with lam = 0.3", Theta, 0.3, False),
                                    ("scores near 1000", np.array(
                                        [[0, 1000.0, 0, 0, 0], [0, -1000, 0, 0, 0], [0, 0, 0, 0, 0]]),
                                     0.0, True)]:
        if extreme:
            X = add_intercept(np.array([[1.0, 0, 0, 0], [-1, 0, 0, 0], [0.5, 1, 0, 0]]))
            y = np.array([1, 0, 2])
        lam_v = 0.0 if lam is None else lam
        g0 = multinomial_cross_entropy_grad(Th, X, y)
        tilde = Th.copy()
        tilde[:, 0] = 0.0
        exp = g0 + 2 * lam_v * tilde
        var = {"sign": -exp, "sum_not_mean": len(y) * g0 + 2 * lam_v * tilde,
               "penalised_intercept": g0 + 2 * lam_v * Th, "missing_factor_2": g0 + lam_v * tilde}
        probes.append(Probe((Th, X, y), {} if lam is None else {"lam": lam}, exp, var, label,
                             extreme))
    return probes


def _gd(X, y, lr, n_steps, theta0, *, sequential=False, ascent=False):
    theta = np.array(theta0, dtype=float)
    for _ in range(n_steps):
        if sequential:
            for j in range(len(theta)):
                g = binary_cross_entropy_grad(theta, X, y)
                theta[j] += (lr if ascent else -lr) * g[j]
        else:
            theta = theta + (lr if ascent else -lr) * binary_cross_entropy_grad(theta, X, y)
    return theta


_GD_MESSAGES = {
    "correct": "Your loop updates every parameter at once, downhill.",
    "sequential_update": "Your loop updates theta_0, then uses the new theta_0 to compute the "
                         "gradient for theta_1, and so on: compute the whole gradient from the "
                         "old theta first, then update every entry at once (the slide's pitfall).",
    "sign": "Your steps go uphill (gradient ascent on the loss): the update is "
            "theta - lr * gradient.",
    "not_finite": "Your parameters became NaN or inf on a small, well-behaved problem.",
}


def _gd_probes():
    rng, X, y = _rng_data(9, 2, seed=4)
    out = []
    for lr, steps, label in [(0.5, 1, "one step with lr = 0.5"), (0.3, 20, "20 steps with lr = 0.3")]:
        theta0 = rng.normal(size=3) * 0.5
        out.append(Probe((X, y, lr, steps, theta0), {}, _gd(X, y, lr, steps, theta0),
                          {"sequential_update": _gd(X, y, lr, steps, theta0, sequential=True),
                           "sign": _gd(X, y, lr, steps, theta0, ascent=True)}, label))
    return out


def _sgd_epoch(X, y, lr, theta0, order, *, sequential=False, ascent=False, in_order=False):
    theta = np.array(theta0, dtype=float)
    for i in (range(len(y)) if in_order else order):
        x_i, y_i = X[i], y[i]
        if sequential:
            for j in range(len(theta)):
                theta[j] += (lr if ascent else -lr) * x_i[j] * (_ref_sigmoid(theta @ x_i) - y_i)
        else:
            theta = theta + (lr if ascent else -lr) * x_i * (_ref_sigmoid(theta @ x_i) - y_i)
    return theta


_SGD_EPOCH_MESSAGES = {
    "correct": "Your epoch takes one step per example, in the given order, downhill.",
    "wrong_order": "Your epoch visits the examples in the order 0, 1, ..., m - 1: SGD visits "
                   "them in the shuffled order it is given (X[order[0]] first).",
    "sequential_update": "Within one example's step you update theta_0, then use the new "
                         "theta_0 for theta_1, and so on: compute that example's whole gradient "
                         "from the current theta first, then update every entry at once.",
    "sign": "Your steps go uphill (gradient ascent on the loss): each step is "
            "theta - lr * gradient of that one example.",
    "not_finite": "Your parameters became NaN or inf on a small, well-behaved problem.",
}


def _sgd_epoch_probes():
    rng, X, y = _rng_data(8, 2, seed=5)
    out = []
    for lr, label in [(0.5, "8 examples in a shuffled order, lr = 0.5"),
                      (2.0, "the same 8 examples in another order, lr = 2")]:
        theta0, order = rng.normal(size=3) * 0.5, rng.permutation(len(y))
        args = (X, y, lr, theta0, order)
        out.append(Probe(args, {}, _sgd_epoch(*args),
                         {"wrong_order": _sgd_epoch(*args, in_order=True),
                          "sequential_update": _sgd_epoch(*args, sequential=True),
                          "sign": _sgd_epoch(*args, ascent=True)}, label))
    return out


def _early_stop(losses, patience, *, extra=0):
    best, best_i, since = np.inf, 0, 0
    for i, v in enumerate(losses):
        if v < best:
            best, best_i, since = v, i, 0
        else:
            since += 1
            if since >= patience + extra:
                return best_i, i
    return best_i, len(losses) - 1


_ES_MESSAGES = {
    "correct": "Your rule stops at the right epoch and keeps the best one.",
    "no_patience": "You return the lowest loss of the whole list: training stops after "
                   "`patience` epochs without improvement, and later epochs are never seen.",
    "off_by_one:late": "You stop one epoch late: training stops after `patience` "
                       "non-improvements in a row, not after patience + 1.",
    "off_by_one:one_based": "Your index counts from 1: epochs are 0-based indices into "
                            "val_losses.",
    "stop_not_best": "You return the epoch where training stops: return the index of the best "
                     "epoch, the one whose parameters are kept.",
}


def _es_probes():
    cases = [([5, 4, 3, 3.5, 3.6, 3.7, 1.0], 2), ([5, 4, 3, 3.5, 3.6, 2.0, 3.0, 3.1, 3.2], 2),
             ([2.0, 1.5, 1.6, 1.7, 1.8, 1.9, 0.5], 3), ([4.0, 3.0, 3.0, 3.0, 2.0, 1.0], 2),
             ([3.0, 2.0, 1.0, 0.5], 1)]
    probes = []
    for losses, pat in cases:
        best, stop = _early_stop(losses, pat)
        late, _ = _early_stop(losses, pat, extra=1)
        var = {"no_patience": int(np.argmin(losses)), "stop_not_best": stop,
               "off_by_one:late": late, "off_by_one:one_based": best + 1}
        probes.append(Probe((list(losses), pat), {}, best, var,
                             f"val_losses = {losses} with patience {pat}"))
    return probes


def _es_reason(shaped, probes):
    wrong = next(p for a, p in zip(shaped, probes) if not close(a, p.expected))
    return (f"Your index is not the best epoch on {wrong.label}; walk through it by hand: an "
            f"improvement is strictly below the best so far (a tie is not one).")


def _generic_reason(what):
    def reason(shaped, probes):
        wrong = next(p for a, p in zip(shaped, probes) if not close(a, p.expected))
        return f"Your {what} gives a different result on {wrong.label}; more than one thing is off."
    return reason


FUNCTIONS = {
    "sigmoid": ("sigmoid", _sigmoid_probes, _SIGMOID_MESSAGES, _generic_reason("sigmoid")),
    "binary_loss": ("loss", lambda: _binary_probes("loss"), _BINARY_LOSS_MESSAGES,
                    _penalty_reason("loss")),
    "binary_gradient": ("gradient", lambda: _binary_probes("grad"), _BINARY_GRADIENT_MESSAGES,
                        _penalty_reason("gradient")),
    "batch_gradient_descent": ("gradient descent", _gd_probes, _GD_MESSAGES,
                               _generic_reason("gradient descent")),
    "sgd_epoch": ("SGD epoch", _sgd_epoch_probes, _SGD_EPOCH_MESSAGES,
                  _generic_reason("SGD epoch")),
    "early_stopping": ("early stopping", _es_probes, _ES_MESSAGES, _es_reason),
    "softmax": ("softmax", _softmax_probes, _SOFTMAX_MESSAGES, _generic_reason("softmax")),
    "06.my_softmax": ("softmax", _my_softmax_probes, _MY_SOFTMAX_MESSAGES,
                      _generic_reason("softmax")),
    "multinomial_gradient": ("gradient", _multinomial_probes, _MULTI_MESSAGES,
                             _penalty_reason("gradient")),
}



# ------------------------------------------------------------------ minibatch SGD (08)
#: Seconds the student's training loop may take on the notebook's data (3 epochs).
SGD_TIME_LIMIT = 15.0
#: The settings the check trains with: minibatch_sgd(X, y, n_classes, **SGD_SETTINGS, rng).
SGD_SETTINGS = {"lr": 1.0, "lam": 0.003, "batch_size": 64, "n_epochs": 3}


class _Densified(TypeError):
    pass


def _no_dense(X):
    """X as a CSR matrix whose toarray, todense and __array__ raise."""
    import scipy.sparse as sp
    base = sp.csr_matrix if isinstance(X, sp.spmatrix) else sp.csr_array

    def refuse(self, *args, **kwargs):
        raise _Densified("this check's X refuses to become dense")

    cls = type("SparseOnly", (base,), {"toarray": refuse, "todense": refuse,
                                         "__array__": refuse})
    X = X.tocsr()
    return cls((X.data, X.indices, X.indptr), shape=X.shape)


_SGD_MESSAGES = {
    "correct": "Your training loop learns the topics and keeps X sparse all the way.",
    "densified": "Your loop turns X into a dense array (toarray, todense or np.asarray): with "
                 "thousands of words that costs far more memory than the data. Keep X sparse: "
                 "index rows with X[batch] and multiply with @.",
}


def minibatch_sgd_feedback(name, fn, data):
    """Train ``fn`` on the notebook's training split; judge it on the validation split."""
    from .core import Feedback, TimeLimitReached, check_data, ok, run_call
    check_data(name, ("X_train", "y_train", "X_val", "y_val", "real"), data)
    what = "training loop"
    if fn is None or fn is ...:
        return Feedback(False, f"Not answered yet: write your {what} and run this cell again.",
                        None, name)
    if not callable(fn):
        return Feedback(False, f"Pass your function itself, not what it returns: "
                               f"check({name!r}, my_function, ...); got a "
                               f"{type(fn).__name__}.", None, name)
    y_train = np.asarray(data["y_train"])
    y_val = np.asarray(data["y_val"])
    K = int(max(y_train.max(), y_val.max())) + 1
    X_train, X_val = data["X_train"], data["X_val"]
    args = (_no_dense(X_train), y_train.copy(), K, *SGD_SETTINGS.values(),
            np.random.default_rng(0))
    out, _, error, _ = run_call(fn, args, {}, SGD_TIME_LIMIT)
    if isinstance(error, TimeLimitReached):
        return Feedback(False, f"Your {what} did not finish within {SGD_TIME_LIMIT:g} seconds "
                               f"for {SGD_SETTINGS['n_epochs']} epochs: look for a loop that "
                               f"never ends, or work on whole batches instead of single "
                               f"documents.", None, name)
    if isinstance(error, _Densified):
        return Feedback(False, _SGD_MESSAGES["densified"], "densified", name)
    if error is not None:
        return Feedback(False, f"Your {what} raised {type(error).__name__} ({error}) when "
                               f"called on the training documents.", None, name)
    if out is None:
        return Feedback(False, f"Not answered yet: your {what} returns None; complete it and "
                               f"run this cell again.", None, name)
    Theta = np.asarray(out, dtype=float) if not hasattr(out, "toarray") else out.toarray()
    want = (K, X_train.shape[1])
    if Theta.shape != want:
        text = (f"Your {what} returned Theta of shape {Theta.shape}; it should have shape "
                f"{want}: one row per class, one column per feature (the dummy column "
                f"included).")
        if Theta.shape == want[::-1]:
            text += " Yours is transposed."
        return Feedback(False, text, "wrong_shape", name)
    if not np.all(np.isfinite(Theta)):
        return Feedback(False, f"Your {what} returned NaN or inf in Theta: a step went the "
                               f"wrong way or grew without bound.", "not_finite", name)
    acc = float(np.mean(np.asarray(X_val @ Theta.T).argmax(axis=1) == y_val))
    threshold = 0.85 if data["real"] else 0.75
    if acc >= threshold:
        return Feedback(True, ok(_SGD_MESSAGES["correct"] + f" Its validation accuracy is "
                                 f"at least the {threshold:.2f} needed."), None, name)
    return Feedback(False, f"Not yet: after {SGD_SETTINGS['n_epochs']} epochs your Theta gets "
                           f"{acc:.3f} of the validation documents right; at least "
                           f"{threshold:.2f} is needed. Check the step's direction "
                           f"(Theta - lr * gradient), the mean over the batch, and that every "
                           f"document is visited once per epoch.", None, name)


#: Exercises on a training run: judged with the notebook's data, by what the model learns.
TRAINING = {"minibatch_sgd": minibatch_sgd_feedback}
