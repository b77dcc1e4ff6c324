"""Tests of course_utils.symbolic: every identity is proved, every wrong claim is caught.

Each proof is checked twice where it is cheap: the symbolic verdict, and a numeric
evaluation at random points (a backstop, never a replacement). Sizes stay small
(K = 3 classes, d = 2 features, N = 2 examples) so the file runs in seconds.
"""

import re

import numpy as np
import pytest
import sympy as sp
from sympy.core.function import ArgumentIndexError

from course_utils import exam, functions, losses
from course_utils import symbolic as sym
from course_utils.symbolic import Step, check_steps, sigma
from course_utils.symbolic._proof import (Rationalizer, checked_and_cached, prove_zero,
                                          simplified_expr, size_check)
from course_utils.symbolic.multinomial import one_hot_constraint, rationalizer_for


# ----------------------------------------------------------------------------- helpers

def random_point(symbols, rng):
    """Random exact rationals in [-1.5, 1.5] for the given symbols (positive ones > 0)."""
    values = {}
    for s in symbols:
        value = sp.Rational(int(rng.integers(-150, 151)), 100)
        values[s] = abs(value) + sp.Rational(1, 10) if s.is_nonnegative else value
    return values


def evaluate(M, values):
    """Evaluate a matrix or expression numerically at exact values."""
    M = sp.Matrix(M) if isinstance(M, sp.MatrixBase) else sp.Matrix([M])
    return np.array(M.xreplace(values).evalf(30).tolist(), dtype=float)


def one_hot_values(s, labels):
    return {s.Y[i, k]: int(labels[i] == k) for i in range(s.N) for k in range(s.K)}


def model_values(s, rng, labels):
    values = random_point(list(s.Theta) + list(s.X), rng)
    values[s.lam] = sp.Rational(3, 10)
    values.update(one_hot_values(s, labels))
    return values


# ----------------------------------------------------------------------------- sigmoid

def test_sigmoid_derivative_identity_holds():
    identity = sym.sigmoid_derivative_identity()
    z = sp.Symbol("z", real=True)
    assert identity.difference == 0 and identity.holds
    assert identity.lhs == sp.diff(1 / (1 + sp.exp(-z)), z)
    assert identity.rhs == sigma(z) * (1 - sigma(z))
    # backstop: both sides at a few points
    for value in (-3, 0, sp.Rational(7, 10)):
        lhs = float(identity.lhs.subs(z, value))
        rhs = float(identity.rhs.rewrite(sp.exp).subs(z, value))
        assert lhs == pytest.approx(rhs, rel=1e-14)


def test_sigma_function_matches_the_numeric_sigmoid():
    assert float(sigma(-2).evalf()) == pytest.approx(float(functions.sigmoid(-2.0)), rel=1e-14)
    z = sp.Symbol("z", real=True)
    assert sp.diff(sigma(z), z) == sigma(z) * (1 - sigma(z))


# ----------------------------------------------------------------------------- binary steps

def test_binary_steps_follow_the_slides_and_every_link_holds():
    steps = sym.binary_ce_gradient_steps()
    s = sym.binary_symbols(2)
    t, y, x1 = s.dot, s.y, s.x[1]
    assert steps[0].expr == -y * sp.log(sigma(t)) - (1 - y) * sp.log(1 - sigma(t))
    assert steps[-1].expr == x1 * (sigma(t) - y)
    assert [step.wrt for step in steps].count(None) == len(steps) - 1
    differentiation = next(step for step in steps if step.wrt is not None)
    assert differentiation.wrt == s.theta[1]
    assert steps.index(differentiation) == 6
    # the slide's rewritten form before differentiating: t + log(1 + exp(-t)) - y t
    assert sp.expand(steps[5].expr - (t + sp.log(1 + sp.exp(-t)) - y * t)) == 0
    assert check_steps(steps) == [True] * (len(steps) - 1)


@pytest.mark.parametrize("k", [0, 2])
def test_binary_steps_for_other_parameters(k):
    steps = sym.binary_ce_gradient_steps(n=2, k=k)
    s = sym.binary_symbols(2)
    assert steps[-1].expr == s.x[k] * (sigma(s.dot) - s.y)
    assert all(check_steps(steps))


def test_binary_first_step_is_the_two_case_loss():
    s = sym.binary_symbols(2)
    start = sym.binary_ce_gradient_steps()[0].expr
    assert start.subs(s.y, 1) == -sp.log(sigma(s.dot))
    assert start.subs(s.y, 0) == -sp.log(1 - sigma(s.dot))


def test_check_steps_catches_a_wrong_sign_and_a_wrong_derivative():
    steps = sym.binary_ce_gradient_steps()
    s = sym.binary_symbols(2)
    t, y, x1 = s.dot, s.y, s.x[1]
    wrong_end = steps[:-1] + [Step("sign slip", x1 * (y - sigma(t)))]
    assert check_steps(wrong_end)[-1] is False
    assert all(check_steps(wrong_end)[:-1])
    # dropping the chain-rule factor -x_k in the differentiation step
    wrong_derivative = list(steps)
    e = sp.exp(-t)
    wrong_derivative[6] = Step("forgot the inner derivative", x1 + e / (1 + e) - y * x1,
                               wrt=s.theta[1])
    verdicts = check_steps(wrong_derivative)
    assert verdicts[5] is False
    # a rewriting step that changes the value is caught too
    wrong_rewrite = list(steps)
    wrong_rewrite[5] = Step("lost the log term", t - y * t)
    assert check_steps(wrong_rewrite)[4] is False


def test_check_steps_on_a_tiny_derivation():
    z = sp.Symbol("z", real=True)
    assert check_steps([Step("start", z ** 3)]) == []
    assert check_steps([Step("start", z ** 3), Step("d/dz", 3 * z ** 2, wrt=z)]) == [True]
    assert check_steps([Step("start", z ** 3), Step("d/dz", 3 * z, wrt=z)]) == [False]


# ----------------------------------------------------------------------------- binary batch

def test_binary_batch_gradient_course_convention():
    check = sym.binary_gradient_check(m=2, n=2, penalize_intercept=False)
    assert check.holds
    assert check.difference == sp.zeros(3, 1)
    lam = sp.Symbol("lambda", nonnegative=True)
    assert not check.claimed[0].has(lam)          # the intercept is not penalised
    assert check.claimed[1].has(lam) and check.claimed[2].has(lam)


def test_binary_batch_gradient_penalising_everything():
    on = sym.binary_gradient_check(m=2, n=2, penalize_intercept=True)
    off = sym.binary_gradient_check(m=2, n=2, penalize_intercept=False)
    assert on.holds
    lam = sp.Symbol("lambda", nonnegative=True)
    theta0 = sp.Symbol("theta_0", real=True)
    assert sp.expand(on.derived[0] - off.derived[0]) == 2 * lam * theta0
    assert sp.expand(on.derived[1] - off.derived[1]) == 0


def test_binary_batch_gradient_numeric_backstop():
    check = sym.binary_gradient_check(m=2, n=2)
    rng = np.random.default_rng(3)
    values = random_point(check.derived.free_symbols | check.claimed.free_symbols, rng)
    for name in ("y_0", "y_1"):
        values[sp.Symbol(name, real=True)] = int(rng.integers(0, 2))
    derived = evaluate(check.derived, values)
    claimed = evaluate(check.claimed.rewrite(sp.exp), values)
    np.testing.assert_allclose(derived, claimed, rtol=1e-12, atol=1e-14)


# ----------------------------------------------------------------------------- multinomial losses

def test_multinomial_symbols_shapes_names_and_probabilities():
    s = sym.multinomial_symbols(K=3, d=2, N=2)
    assert (s.K, s.d, s.N) == (3, 2, 2)
    assert s.Theta.shape == (3, 2) and s.X.shape == (2, 2) and s.Y.shape == (2, 3)
    assert s.Theta[2, 1] == sp.Symbol("w_2_1", real=True)
    assert s.X[1, 0] == sp.Symbol("x_1_0", real=True)
    assert s.Y[0, 2] == sp.Symbol("y_0_2", real=True)
    assert s.logits == s.X * s.Theta.T
    for i in range(2):
        assert sp.together(sum(s.probs[i, :])) == 1
    concrete = sym.multinomial_symbols(labels=[1, 1])
    assert concrete.Y == sp.Matrix([[0, 1, 0], [0, 1, 0]])
    assert concrete.labels == (1, 1)


def test_multinomial_loss_matches_the_definition():
    s = sym.multinomial_symbols(labels=[2, 0])
    J = sym.multinomial_loss(labels=[2, 0])
    penalty = sum(w ** 2 for w in s.Theta)
    by_hand = -(sp.log(s.probs[0, 2]) + sp.log(s.probs[1, 0])) / 2 + s.lam * penalty
    assert sp.expand(J - by_hand) == 0
    J_course = sym.multinomial_loss(labels=[2, 0], penalize_intercept=False)
    assert sp.expand(J - J_course) == sp.expand(s.lam * sum(s.Theta[k, 0] ** 2 for k in range(3)))


def test_exam_objective_is_minus_N_times_the_mean_loss_without_penalty():
    s = sym.multinomial_symbols()
    objective = sym.exam_objective()
    loss = sym.multinomial_loss()
    assert sp.expand(objective.subs(s.lam, 0) + 2 * loss.subs(s.lam, 0)) == 0
    assert sp.expand(sp.diff(objective, s.lam)) == -sum(w ** 2 for w in s.Theta)


def test_multinomial_loss_numeric_agrees_with_losses():
    rng = np.random.default_rng(11)
    Theta, X = rng.normal(size=(3, 3)), np.column_stack([np.ones(4), rng.normal(size=(4, 2))])
    y = np.array([0, 2, 1, 2])
    loss = sym.lambdify_loss(K=3, d=3, N=4)
    for lam in (0.0, 0.7):
        assert loss(Theta, X, y, lam) == pytest.approx(
            losses.multinomial_cross_entropy(Theta, X, y, lam), rel=1e-12)


# ------------------------------------------------------------------ the handwritten derivation

def test_handwritten_gradient_is_proved_entry_by_entry():
    check = sym.handwritten_gradient_check(K=3, d=2, N=2)
    assert check.difference == sp.zeros(3, 2)
    assert len(check.labellings) == 9 and all(check.labellings.values())
    assert check.unconstrained_residual_holds is True
    assert check.holds


def test_old_name_is_the_same_function_and_shares_its_cache():
    assert sym.seed002_gradient_check is sym.handwritten_gradient_check
    assert sym.seed002_gradient_check(3, 2, 2) is sym.handwritten_gradient_check(K=3, d=2, N=2)
    assert "seed002_gradient_check" in sym.__all__ and "handwritten_gradient_check" in sym.__all__


def test_handwritten_formula_needs_one_hot_rows():
    check = sym.handwritten_gradient_check()
    s = sym.multinomial_symbols()
    residual = check.unconstrained_residual
    # not identically zero: with labels that are all 0 it is -(1/N) sum_i x_ij p_ik
    values = random_point(list(s.Theta) + list(s.X), np.random.default_rng(2))
    values.update({y: 0 for y in s.Y})
    expected = -sum(s.X[i, 0] * s.probs[i, 0] for i in range(2)) / 2
    assert evaluate(residual[0, 0], values) == pytest.approx(evaluate(expected, values), rel=1e-12)
    assert abs(evaluate(expected, values).item()) > 1e-3
    # ... and zero on every one-hot labelling
    for labels in check.labellings:
        assert residual.xreplace(one_hot_values(s, labels)) == sp.zeros(3, 2)


def test_handwritten_numeric_backstop_and_a_wrong_claim_is_caught():
    check = sym.handwritten_gradient_check()
    s = sym.multinomial_symbols()
    rng = np.random.default_rng(5)
    wrong = check.claimed - s.lam * s.Theta       # lambda w instead of 2 lambda w
    for labels in [(0, 2), (1, 1)]:
        values = model_values(s, rng, labels)
        derived = evaluate(check.derived, values)
        np.testing.assert_allclose(derived, evaluate(check.claimed, values), rtol=1e-12,
                                   atol=1e-14)
        assert not np.allclose(derived, evaluate(wrong, values))
    # the proof engine rejects the wrong claim as well (white-box)
    rationalizer = rationalizer_for(s)
    constraint = one_hot_constraint(s)
    assert not prove_zero((check.derived - wrong)[0, 0], rationalizer, constraint)
    assert prove_zero((check.derived - check.claimed)[0, 0], rationalizer, constraint)


def test_handwritten_course_convention_leaves_the_intercept_unpenalised():
    check = sym.handwritten_gradient_check(K=2, d=2, N=1, penalize_intercept=False)
    assert check.holds
    s = sym.multinomial_symbols(K=2, d=2, N=1)
    assert not any(check.claimed[k, 0].has(s.lam) for k in range(2))
    assert all(check.claimed[k, 1].has(s.lam) for k in range(2))
    with_intercept = sym.handwritten_gradient_check(K=2, d=2, N=1)
    for k in range(2):
        assert sp.expand(with_intercept.claimed[k, 0] - check.claimed[k, 0]) == \
            2 * s.lam * s.Theta[k, 0]


def test_handwritten_with_concrete_labels():
    check = sym.handwritten_gradient_check(labels=[1, 0])
    assert check.holds and check.difference == sp.zeros(3, 2)
    assert check.unconstrained_residual is None and len(check.labellings) == 0


# ----------------------------------------------------------------------------- the exam question

def test_exam_answers_shapes_and_objective_gradient():
    exam = sym.exam_answers()
    assert sorted(exam.answers) == [1, 2, 3, 4, 5]
    assert all(answer.shape == (3, 2) for answer in exam.answers.values())
    assert exam.loss_gradient == -exam.objective_gradient
    s = exam.symbols
    assert exam.objective_gradient[1, 0] == sp.diff(exam.objective, s.Theta[1, 0])


def test_exam_only_answer_1_is_the_gradient_of_the_objective():
    verdicts = sym.exam_verdicts()
    assert [n for n, v in verdicts.items() if v.equals_gradient_of_objective] == [1]


def test_exam_only_answer_3_is_the_gradient_of_the_loss():
    verdicts = sym.exam_verdicts()
    assert [n for n, v in verdicts.items() if v.equals_gradient_of_loss] == [3]


def test_exam_differences_are_what_the_notebook_claims():
    verdicts = sym.exam_verdicts()
    s = sym.multinomial_symbols()
    assert all(v.difference_matches_expected for v in verdicts.values())
    assert verdicts[1].difference == sp.zeros(3, 2)
    assert verdicts[2].difference == 3 * s.lam * s.Theta        # wrong sign, no factor 2
    assert verdicts[5].difference == 2 * s.lam * s.Theta        # penalty missing
    data_loss = sp.Matrix(3, 2, lambda k, j: sum(
        s.X[i, j] * (s.probs[i, k] - s.Y[i, k]) for i in range(2)))
    assert sp.expand(verdicts[4].difference - 2 * data_loss, power_exp=False) == sp.zeros(3, 2)
    assert sp.expand(verdicts[3].difference - 2 * (data_loss + 2 * s.lam * s.Theta),
                     power_exp=False) == sp.zeros(3, 2)
    for number, verdict in verdicts.items():
        assert verdict.answer == number
        assert verdict.reason == exam.EXPLANATIONS[number]      # one wording, in course_utils.exam


def test_the_proved_verdicts_are_what_course_utils_exam_states():
    verdicts = sym.exam_verdicts()
    assert [n for n, v in verdicts.items() if v.equals_gradient_of_objective] == \
        [exam.OBJECTIVE_GRADIENT]
    assert [n for n, v in verdicts.items() if v.equals_gradient_of_loss] == [exam.LOSS_GRADIENT]


def test_the_plain_text_answers_are_the_symbolic_answers():
    # parse exam.ANSWERS_TEXT row k into SymPy and compare it with exam_answers, k = 0
    answers = sym.exam_answers(K=2, d=1, N=2)
    s = answers.symbols
    lam, theta = s.lam, s.Theta[0, 0]
    term = {"(y_ik - p_ik)": sum(s.X[i, 0] * (s.Y[i, 0] - s.probs[i, 0]) for i in range(2)),
            "(p_ik - y_ik)": sum(s.X[i, 0] * (s.probs[i, 0] - s.Y[i, 0]) for i in range(2))}
    for n, text in exam.ANSWERS_TEXT.items():
        match = re.fullmatch(r"sum_i x_i (\(\w+ - \w+\))(?: ([+-]) (\d+ )?lambda theta_k)?", text)
        data, sign, factor = match.groups()
        coefficient = 0 if sign is None else (1 if sign == "+" else -1) * int(factor or 1)
        expected = term[data] + coefficient * lam * theta
        assert sp.expand(answers.answers[n][0, 0] - expected) == 0, n


def test_exam_verdicts_numeric_backstop():
    exam = sym.exam_answers()
    s = exam.symbols
    rng = np.random.default_rng(21)
    values = model_values(s, rng, labels=(2, 1))
    truth = evaluate(exam.objective_gradient, values)
    theta = evaluate(s.Theta, values)
    lam = 0.3
    answers = {n: evaluate(a, values) for n, a in exam.answers.items()}
    np.testing.assert_allclose(answers[1], truth, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(answers[3], -truth, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(answers[2] - truth, 3 * lam * theta, atol=1e-12)
    np.testing.assert_allclose(answers[5] - truth, 2 * lam * theta, atol=1e-12)
    np.testing.assert_allclose(answers[4] - truth, -2 * (truth + 2 * lam * theta), atol=1e-12)
    for n in (2, 4, 5):
        assert not np.allclose(answers[n], truth) and not np.allclose(answers[n], -truth)


def test_update_with_answer_1_equals_descent_with_answer_3():
    identity = sym.update_equivalence()
    assert identity.holds and identity.difference == sp.zeros(3, 2)
    exam = sym.exam_answers()
    alpha = sp.Symbol("alpha", positive=True)
    Theta = exam.symbols.Theta
    assert identity.lhs == Theta + alpha * exam.answers[1]
    assert identity.rhs == Theta - alpha * exam.answers[3]
    # ascending along answer 3 instead would be a different step
    other = (Theta + alpha * exam.answers[3] - identity.lhs).applyfunc(sp.expand)
    assert other != sp.zeros(3, 2)


# ----------------------------------------------------------------------------- K = 2

def test_two_class_softmax_is_a_sigmoid_of_the_difference():
    identity = sym.binary_from_softmax()
    assert identity.holds and identity.difference == 0
    z1, z2 = sp.symbols("z_1 z_2", real=True)
    assert identity.rhs == sigma(z1 - z2)
    z = np.array([0.3, -1.2])
    value = float(identity.lhs.subs({z1: z[0], z2: z[1]}))
    assert value == pytest.approx(functions.softmax(z)[0], rel=1e-13)
    assert value == pytest.approx(functions.sigmoid(z[0] - z[1]), rel=1e-13)


# ----------------------------------------------------------------------------- NumPy agreement

def random_problem(rng, K=3, d=3, N=4):
    Theta = rng.normal(size=(K, d))
    X = np.column_stack([np.ones(N), rng.normal(size=(N, d - 1))])
    y = rng.integers(0, K, size=N)
    return Theta, X, y


@pytest.mark.parametrize("lam", [0.0, 0.25])
def test_lambdified_gradient_agrees_with_losses(lam):
    grad = sym.lambdify_gradient(K=3, d=3, N=4)
    rng = np.random.default_rng(7)
    for _ in range(3):
        Theta, X, y = random_problem(rng)
        expected = losses.multinomial_cross_entropy_grad(Theta, X, y, lam)
        got = grad(Theta, X, y, lam)
        assert got.shape == (3, 3) and got.dtype == np.float64
        np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-12)


def test_lambdified_gradient_penalising_the_intercept_differs_in_column_0_only():
    grad_all = sym.lambdify_gradient(K=3, d=2, N=3, penalize_intercept=True)
    Theta, X, y = random_problem(np.random.default_rng(8), K=3, d=2, N=3)
    lam = 0.5
    course = losses.multinomial_cross_entropy_grad(Theta, X, y, lam)
    difference = grad_all(Theta, X, y, lam) - course
    np.testing.assert_allclose(difference[:, 0], 2 * lam * Theta[:, 0], atol=1e-12)
    np.testing.assert_allclose(difference[:, 1:], 0.0, atol=1e-12)


# ----------------------------------------------------------------------------- bad input

@pytest.mark.parametrize("kwargs, error, name", [
    ({"K": 1}, ValueError, "K"),
    ({"K": 2.5}, TypeError, "K"),
    ({"K": True}, TypeError, "K"),
    ({"K": 9}, ValueError, "K"),
    ({"d": 0}, ValueError, "d"),
    ({"N": 0}, ValueError, "N"),
    ({"N": "2"}, TypeError, "N"),
    ({"labels": [0]}, ValueError, "labels"),
    ({"labels": [0, 3]}, ValueError, "labels"),
    ({"labels": "ab"}, TypeError, "labels"),
])
@pytest.mark.parametrize("function", [sym.multinomial_symbols, sym.multinomial_loss,
                                      sym.handwritten_gradient_check])
def test_multinomial_functions_reject_bad_sizes(function, kwargs, error, name):
    with pytest.raises(error, match=rf"\b{name}\b"):
        function(**kwargs)


@pytest.mark.parametrize("function", [sym.exam_objective, sym.exam_answers, sym.exam_verdicts,
                                      sym.update_equivalence, sym.lambdify_gradient,
                                      sym.lambdify_loss])
@pytest.mark.parametrize("kwargs, name", [({"K": 1}, "K"), ({"N": 0}, "N"), ({"d": 0}, "d")])
def test_exam_and_lambdify_reject_bad_sizes(function, kwargs, name):
    with pytest.raises(ValueError, match=rf"\b{name}\b"):
        function(**kwargs)


@pytest.mark.parametrize("function", [sym.multinomial_loss, sym.handwritten_gradient_check,
                                      sym.binary_gradient_check, sym.lambdify_gradient,
                                      sym.lambdify_loss])
def test_penalize_intercept_must_be_a_bool(function):
    with pytest.raises(TypeError, match="penalize_intercept"):
        function(penalize_intercept="yes")


def test_binary_functions_reject_bad_arguments():
    with pytest.raises(ValueError, match=r"\bn\b"):
        sym.binary_symbols(0)
    with pytest.raises(ValueError, match=r"\bn\b"):
        sym.binary_ce_gradient_steps(n=0)
    with pytest.raises(ValueError, match=r"\bk\b"):
        sym.binary_ce_gradient_steps(n=2, k=3)
    with pytest.raises(TypeError, match=r"\bk\b"):
        sym.binary_ce_gradient_steps(k=1.0)
    with pytest.raises(ValueError, match=r"\bm\b"):
        sym.binary_gradient_check(m=0)
    with pytest.raises(ValueError, match=r"\bn\b"):
        sym.binary_gradient_check(n=5)


def test_check_steps_rejects_bad_input():
    with pytest.raises(ValueError, match="steps"):
        check_steps([])
    with pytest.raises(TypeError, match="steps"):
        check_steps(Step("one", sp.Integer(1)))
    with pytest.raises(TypeError, match=r"steps\[1\]"):
        check_steps([Step("one", sp.Integer(1)), ("two", sp.Integer(2))])
    with pytest.raises(TypeError, match=r"steps\[0\]\.expr"):
        check_steps([Step("one", 1.0)])


def test_lambdified_functions_reject_bad_arrays():
    grad = sym.lambdify_gradient(K=3, d=3, N=4)
    Theta, X, y = random_problem(np.random.default_rng(1))
    with pytest.raises(ValueError, match="Theta"):
        grad(Theta[:2], X, y)
    with pytest.raises(ValueError, match="Theta"):
        grad(Theta[:, :2], X, y)
    with pytest.raises(ValueError, match=r"\bX\b"):
        grad(Theta, X[:3], y)
    with pytest.raises(ValueError, match=r"\by\b"):
        grad(Theta, X, [0, 1, 2, 3])
    with pytest.raises(ValueError, match="lam"):
        grad(Theta, X, y, lam=-1.0)
    loss = sym.lambdify_loss(K=3, d=3, N=4)
    with pytest.raises(ValueError, match=r"\by\b"):
        loss(Theta, X, y[:3])


# ----------------------------------------------------------------------------- checks and cache

def test_checked_and_cached_checks_before_the_cache_and_shares_results():
    calls = []

    @checked_and_cached(K=size_check(4))
    def classes(K=3, *, labels=None):
        calls.append(K)
        return (K, labels)

    assert classes() == (3, None) and classes(3) is classes(K=3)   # one cache entry
    assert classes(np.int64(2)) == (2, None) and type(calls[-1]) is int
    assert calls == [3, 2]
    with pytest.raises(TypeError, match=r"\bK\b"):
        classes(2.5)
    with pytest.raises(ValueError, match=r"K must be <= 4"):
        classes(5)
    assert calls == [3, 2]                 # a rejected call never reaches the function
    with pytest.raises(TypeError, match="does not have"):
        checked_and_cached(n=size_check(4))(lambda K=3: K)


def test_results_are_cached_for_every_spelling_of_the_arguments():
    assert sym.multinomial_symbols(3, 2, 2) is sym.multinomial_symbols(K=3, d=2, N=2)
    two_labels = sym.multinomial_symbols(labels=[2, 0])
    assert sym.multinomial_symbols(labels=(2, 0)) is two_labels
    assert sym.multinomial_symbols(labels=np.array([2, 0])) is two_labels
    assert sym.binary_gradient_check(1, 1) is sym.binary_gradient_check(m=1, n=1,
                                                                         penalize_intercept=False)


# ----------------------------------------------------------------------------- the proof engine

def test_engine_leaves_exponentials_it_cannot_express_alone():
    a, b = sp.symbols("a b", real=True)
    E_a = sp.Symbol("E_a", positive=True)
    r = Rationalizer([(a, a, E_a)])
    assert r.to_rational(sp.exp(2 * a) + sp.exp(a + b)) == E_a ** 2 + sp.exp(a + b)


def test_engine_returns_a_simplified_form_when_the_difference_is_not_zero():
    z = sp.Symbol("z", real=True)
    r = Rationalizer([(z, z, sp.Symbol("E", positive=True))])
    e = sp.exp(z)
    form = simplified_expr(e / (1 + e) - 1 / (1 + e), r)
    assert form != 0 and not form.has(sp.Symbol("E", positive=True))
    assert prove_zero(form - (e - 1) / (e + 1), r)


def test_engine_is_not_fooled_by_a_polynomial_vanishing_at_its_witness_point():
    x, y = sp.symbols("x y", real=True)
    # the witness sets the first symbol to 5/17: x - 5/17 vanishes there, and is still not 0
    assert prove_zero(x - sp.Rational(5, 17)) is False
    assert prove_zero((x - sp.Rational(5, 17)) * y) is False


def test_engine_falls_back_on_simplify_for_logarithms():
    x = sp.Symbol("x", positive=True)
    log = lambda arg: sp.log(arg, evaluate=False)   # noqa: E731  keep the logs unexpanded
    assert prove_zero(log(2 * x) - log(2) - log(x)) is True
    assert prove_zero(log(2 * x) - log(x)) is False


def test_sigma_knows_its_one_argument_and_its_sign():
    z, w = sp.Symbol("z", real=True), sp.Symbol("w")
    assert sigma(z).is_positive is True and sigma(w).is_positive is None
    with pytest.raises(ArgumentIndexError):   # sigma has one argument
        sigma(z).fdiff(2)
