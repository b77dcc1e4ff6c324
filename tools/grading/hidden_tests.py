"""The hidden tests: what grading checks beyond an exercise's public check.

Keep this file private when you grade for credit. The student edition (``dist/student/``)
never contains a line of it: nbgrader removes each test's body from the edition and puts it
back only when it grades a submission. The package ``course_utils``, which students have,
holds none of it either.

Each test is a plain function registered with ``@hidden(exercise_id, points)``. Its
parameters are names from the student's notebook (the answer, e.g. ``my_sigmoid``); the
grading cell defines the function in the student's kernel and calls it with those names.
A test passes when it returns without an exception; it scores all its points or none.
Every test imports what it needs inside its body (the cell runs on its own in the student's
kernel) and compares with the package's own functions on inputs the public checks never
use: other shapes, other data, other keyword values, and the caller's arrays left alone.

The public check of every exercise is graded too (one point, by ``build.py``). A value or
choice exercise, whose check already decides the answer completely, has a hidden test
only where another route to the same fact exists (the learning rate's bound tested by
running gradient descent on both sides of it).
"""

from __future__ import annotations

import inspect
import textwrap
from dataclasses import dataclass


@dataclass(frozen=True)
class HiddenTest:
    exercise: str
    name: str
    points: int
    fn: object

    @property
    def params(self):
        return list(inspect.signature(self.fn).parameters)

    def cell_code(self):
        """The test as code for one notebook cell: its definition, its call, then cleanup."""
        lines = textwrap.dedent(inspect.getsource(self.fn)).splitlines()
        while lines[0].startswith("@"):             # the @hidden(...) line(s) above the def
            lines.pop(0)
        body = "\n".join(lines)
        call = f"_{self.name}({', '.join(self.params)})"
        return f"{body.replace('def ' + self.name, 'def _' + self.name, 1)}\n\n{call}"


#: exercise id -> its hidden tests, in the order they are graded
HIDDEN: dict[str, list[HiddenTest]] = {}


def hidden(exercise, points=1):
    def register(fn):
        HIDDEN.setdefault(exercise, []).append(HiddenTest(exercise, fn.__name__, points, fn))
        return fn
    return register


# --------------------------------------------------------------------- notebook 00
@hidden("00.sigmoid_half")
def sigmoid_half_is_where_the_curve_crosses(answer):
    from course_utils import sigmoid
    assert abs(float(sigmoid(float(answer))) - 0.5) < 1e-12, "sigmoid(answer) is not one half"


# --------------------------------------------------------------------- notebook 01
@hidden("sigmoid")
def sigmoid_keeps_the_shape_of_a_matrix(my_sigmoid):
    import numpy as np
    from course_utils import sigmoid
    Z = np.linspace(-30.0, 30.0, 12).reshape(3, 4)
    out = np.asarray(my_sigmoid(Z))
    assert out.shape == (3, 4), f"a 3 x 4 input gave shape {out.shape}"
    assert np.allclose(out, sigmoid(Z), rtol=1e-9, atol=1e-300)


@hidden("sigmoid")
def sigmoid_leaves_its_input_alone(my_sigmoid):
    import numpy as np
    from course_utils import sigmoid
    z = np.array([-700.0, -2.5, 0.0, 1.5, 700.0])
    out = np.asarray(my_sigmoid(z))
    assert np.array_equal(z, [-700.0, -2.5, 0.0, 1.5, 700.0]), "the caller's array changed"
    assert np.allclose(out, sigmoid(z), rtol=1e-9, atol=1e-300)


# --------------------------------------------------------------------- notebook 03
@hidden("binary_loss")
def binary_loss_on_other_data(my_binary_loss):
    import numpy as np
    from course_utils.losses import binary_cross_entropy
    rng = np.random.default_rng(20)
    X = np.hstack([np.ones((11, 1)), rng.normal(size=(11, 2))])
    theta, y = rng.normal(size=3), rng.integers(0, 2, size=11)
    for lam in (0.0, 1.7):
        expected = binary_cross_entropy(theta, X, y) + lam * np.sum(theta[1:] ** 2)
        assert np.isclose(float(my_binary_loss(theta, X, y, lam=lam)), expected, rtol=1e-9), lam


@hidden("binary_loss")
def binary_loss_of_one_confident_mistake(my_binary_loss):
    import numpy as np
    X, y = np.array([[1.0, -2.0]]), np.array([1])
    loss = float(my_binary_loss(np.array([0.0, 400.0]), X, y))
    assert np.isclose(loss, 800.0, rtol=1e-9), f"one example at score -800 with y = 1: {loss}"


@hidden("binary_gradient")
def binary_gradient_on_other_data(my_binary_gradient):
    import numpy as np
    from course_utils.losses import binary_cross_entropy_grad
    rng = np.random.default_rng(21)
    X = np.hstack([np.ones((13, 1)), rng.normal(size=(13, 3))])
    theta, y = rng.normal(size=4), rng.integers(0, 2, size=13)
    penalty = 2 * 0.7 * theta
    penalty[0] = 0.0
    out = np.asarray(my_binary_gradient(theta, X, y, lam=0.7))
    assert out.shape == (4,), f"the gradient has shape {out.shape}, theta has (4,)"
    assert np.allclose(out, binary_cross_entropy_grad(theta, X, y) + penalty, rtol=1e-9)


@hidden("binary_gradient")
def binary_gradient_leaves_theta_alone(my_binary_gradient):
    import numpy as np
    from course_utils.losses import binary_cross_entropy_grad
    rng = np.random.default_rng(22)
    X = np.hstack([np.ones((5, 1)), rng.normal(size=(5, 2))])
    theta, y = np.array([0.8, -0.3, 1.1]), rng.integers(0, 2, size=5)
    out = np.asarray(my_binary_gradient(theta, X, y, lam=0.5))
    assert np.array_equal(theta, [0.8, -0.3, 1.1]), "the function changed the caller's theta"
    expected = binary_cross_entropy_grad(theta, X, y) + np.array([0.0, -0.3, 1.1])
    assert np.allclose(out, expected, rtol=1e-9), "the gradient with lam = 0.5 differs"


# --------------------------------------------------------------------- notebook 04
@hidden("04.lr_max")
def lr_max_separates_settling_from_bouncing(lr_max):
    from course_utils.figures import learning_rate_iterates, one_weight_minimum
    w_star = one_weight_minimum()
    for factor, settles in ((0.95, True), (1.05, False)):
        ws = learning_rate_iterates(factor * float(lr_max), w0=w_star + 0.1, n_steps=400)
        assert (abs(ws[-1] - w_star) < 1e-8) == settles, f"{factor} x lr_max"


@hidden("batch_gradient_descent")
def batch_descent_on_other_data(my_batch_gradient_descent):
    import numpy as np
    from course_utils.losses import binary_cross_entropy_grad
    rng = np.random.default_rng(23)
    X = np.hstack([np.ones((12, 1)), rng.normal(size=(12, 3))])
    y, theta0 = rng.integers(0, 2, size=12), rng.normal(size=4)
    theta = theta0.copy()
    for _ in range(7):
        theta = theta - 0.2 * binary_cross_entropy_grad(theta, X, y)
    out = np.asarray(my_batch_gradient_descent(X, y, 0.2, 7, theta0.copy()), dtype=float)
    assert np.allclose(out, theta, rtol=1e-9), "7 steps with lr = 0.2 on 12 examples differ"
    zero = np.asarray(my_batch_gradient_descent(X, y, 0.2, 0, theta0.copy()), dtype=float)
    assert np.allclose(zero, theta0), "n_steps = 0 must return theta0"


@hidden("batch_gradient_descent")
def batch_descent_leaves_theta0_alone(my_batch_gradient_descent):
    import numpy as np
    from course_utils.losses import binary_cross_entropy_grad
    rng = np.random.default_rng(24)
    X = np.hstack([np.ones((6, 1)), rng.normal(size=(6, 2))])
    theta0, y = np.array([0.1, -0.2, 0.3]), rng.integers(0, 2, size=6)
    out = np.asarray(my_batch_gradient_descent(X, y, 0.5, 1, theta0), dtype=float)
    assert np.array_equal(theta0, [0.1, -0.2, 0.3]), "the function changed the caller's theta0"
    assert np.allclose(out, theta0 - 0.5 * binary_cross_entropy_grad(theta0, X, y), rtol=1e-9)


@hidden("sgd_epoch")
def sgd_epoch_in_another_order(my_sgd_epoch):
    import numpy as np
    from course_utils import sigmoid
    rng = np.random.default_rng(25)
    X = np.hstack([np.ones((10, 1)), rng.normal(size=(10, 2))])
    y, theta0 = rng.integers(0, 2, size=10), rng.normal(size=3)
    order = np.arange(10)[::-1]
    theta = theta0.copy()
    for i in order:
        theta = theta - 0.7 * X[i] * (sigmoid(theta @ X[i]) - y[i])
    out = np.asarray(my_sgd_epoch(X, y, 0.7, theta0.copy(), order), dtype=float)
    assert np.allclose(out, theta, rtol=1e-9), "one epoch in reversed order differs"


@hidden("sgd_epoch")
def sgd_epoch_leaves_theta0_alone(my_sgd_epoch):
    import numpy as np
    from course_utils import sigmoid
    rng = np.random.default_rng(26)
    X = np.hstack([np.ones((4, 1)), rng.normal(size=(4, 2))])
    theta0, y = np.array([0.4, 0.0, -0.4]), rng.integers(0, 2, size=4)
    out = np.asarray(my_sgd_epoch(X, y, 0.5, theta0, np.array([2, 0, 3, 1])), dtype=float)
    assert np.array_equal(theta0, [0.4, 0.0, -0.4]), "the function changed the caller's theta0"
    theta = theta0.copy()
    for i in (2, 0, 3, 1):
        theta = theta - 0.5 * X[i] * (sigmoid(theta @ X[i]) - y[i])
    assert np.allclose(out, theta, rtol=1e-9), "an epoch over 4 examples differs"


# --------------------------------------------------------------------- notebook 05
@hidden("early_stopping")
def early_stopping_at_the_edges(early_stopping):
    import numpy as np
    assert int(early_stopping([1.0, 2.0, 3.0], 5)) == 0, "no improvement after epoch 0"
    assert int(early_stopping([4.0, 3.0, 2.0, 1.0], 2)) == 3, "improving to the end"
    curve = np.array([3.0, 2.0, 2.5, 1.5, 1.6, 1.7, 1.8, 0.1])
    assert int(early_stopping(curve, 3)) == 3, "a NumPy array, patience 3"


# --------------------------------------------------------------------- notebook 06
@hidden("softmax")
def softmax_along_another_axis(my_softmax):
    import numpy as np
    from course_utils import softmax
    Z = np.random.default_rng(27).normal(size=(3, 5)) * 4
    out = np.asarray(my_softmax(Z, axis=0))
    assert out.shape == (3, 5), f"a 3 x 5 input gave shape {out.shape}"
    assert np.allclose(out, softmax(Z, axis=0), rtol=1e-9), "axis=0 differs"


@hidden("softmax")
def softmax_of_very_negative_scores(my_softmax):
    import numpy as np
    from course_utils import softmax
    Z = np.array([[-1.0e4, -1.0e4 - 1, -1.0e4 - 3]])
    out = np.asarray(my_softmax(Z))
    assert np.all(np.isfinite(out)), "NaN or inf for scores near -10000"
    assert np.allclose(out, softmax(Z), rtol=1e-9)


# --------------------------------------------------------------------- notebook 07
@hidden("multinomial_gradient")
def multinomial_gradient_on_other_data(multinomial_gradient):
    import numpy as np
    from course_utils import multinomial_cross_entropy_grad
    rng = np.random.default_rng(28)
    X = np.hstack([np.ones((10, 1)), rng.normal(size=(10, 2))])
    y = np.array([0, 1, 2, 3, 0, 1, 2, 3, 3, 1])
    Theta = rng.normal(size=(4, 3))
    penalty = 2 * 0.25 * Theta
    penalty[:, 0] = 0.0
    out = np.asarray(multinomial_gradient(Theta, X, y, lam=0.25))
    assert out.shape == (4, 3), f"Theta has shape (4, 3), the gradient {out.shape}"
    assert np.allclose(out, multinomial_cross_entropy_grad(Theta, X, y) + penalty, rtol=1e-9)


@hidden("multinomial_gradient")
def multinomial_gradient_leaves_theta_alone(multinomial_gradient):
    import numpy as np
    from course_utils import multinomial_cross_entropy_grad
    rng = np.random.default_rng(29)
    X = np.hstack([np.ones((6, 1)), rng.normal(size=(6, 2))])
    Theta, y = np.arange(9.0).reshape(3, 3) / 10, np.array([0, 1, 2, 0, 1, 2])
    out = np.asarray(multinomial_gradient(Theta, X, y, lam=1.0))
    assert np.array_equal(Theta, np.arange(9.0).reshape(3, 3) / 10), \
        "the function changed the caller's Theta"
    penalty = 2 * Theta
    penalty[:, 0] = 0.0
    assert np.allclose(out, multinomial_cross_entropy_grad(Theta, X, y) + penalty, rtol=1e-9)


# --------------------------------------------------------------------- notebook 08
@hidden("minibatch_sgd")
def minibatch_with_one_batch_is_batch_descent(minibatch_sgd):
    import numpy as np
    import scipy.sparse as sp
    from course_utils import multinomial_cross_entropy_grad
    rng = np.random.default_rng(30)
    X = np.hstack([np.ones((15, 1)), rng.normal(size=(15, 3))])
    y = np.arange(15) % 3
    Theta = np.zeros((3, 4))
    for _ in range(4):                      # one batch of all 15 rows: plain batch descent
        penalty = 2 * 0.1 * Theta
        penalty[:, 0] = 0.0
        Theta = Theta - 0.5 * (multinomial_cross_entropy_grad(Theta, X, y) + penalty)
    out = minibatch_sgd(sp.csr_matrix(X), y, 3, 0.5, 0.1, 15, 4, np.random.default_rng(0))
    out = np.asarray(out)
    assert out.shape == (3, 4), f"Theta should have shape (3, 4); got {out.shape}"
    assert np.allclose(out, Theta, rtol=1e-8, atol=1e-12), "4 epochs of one full batch differ"
