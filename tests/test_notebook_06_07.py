"""Notebooks 06 (softmax) and 07 (multinomial gradient with L2): beyond nbval.

nbval re-runs the notebooks and compares their outputs; these tests make sure the
outputs it compares are the right ones: every worked number of lecture part 6d is
printed *and* asserted in a cell, and the symbolic claims the notebook makes (the
handwritten derivation, the exam question) hold as pytest tests, at the notebook's sizes
and beyond.
"""

import re

import numpy as np
import pytest
import sympy as sp
from conftest import (NOTEBOOK_DIR, cell_printing, cells, code_cells, lecture_numbers,
                      output_text, source, tags)

from course_utils import softmax
from course_utils.quiz import exam_feedback

NB06 = NOTEBOOK_DIR / "06_softmax.ipynb"
NB07 = NOTEBOOK_DIR / "07_multinomial_gradient_with_l2.ipynb"

# The quiz of lecture 6d.
THETA = np.array([[0.45, -0.12, 0.14, 1.3], [-0.7, 0.9, 0.68, -0.31], [-0.26, 0.05, 0.12, 0.51]])
X_QUIZ = np.array([1.0, 1.0, 1.0, 0.0])


# --------------------------------------------------------------------------- numbers

@pytest.mark.parametrize("path, checked", [
    (NB06, "softmax(1.45, 0.33, -0.12, 0.01) = (0.5646, 0.1842, 0.1175, 0.1338)   "
           "(slide: (0.5646, 0.1842, 0.1175, 0.1338)) ✓"),
    (NB06, "Theta x = (0.47, 0.88, -0.09)   (slide: (0.47, 0.88, -0.09)) ✓"),
    (NB06, "softmax(Theta x) = (0.3249, 0.4895, 0.1856)   (slide: (0.3249, 0.4895, 0.1856)) ✓"),
    (NB06, "predicted class (slide numbering) = 2   (slide: 2) ✓"),
    (NB07, "softmax(Theta x) = (0.3249, 0.4895, 0.1856)   (slide: (0.3249, 0.4895, 0.1856)) ✓"),
])
def test_each_lecture_number_is_printed_and_asserted(path, checked):
    # expect() prints the computed number, then "(slide: ...) ✓" only after comparing it
    # with the slide's at the slide's decimals (a mismatch raises)
    assert checked in lecture_numbers(path).splitlines()


def test_the_slides_rounding_slip_is_named_and_checked():
    cell = cell_printing(NB06, "the slide prints 0.5647")
    follow = cell_printing(NB06, "first probability: 0.564572 -> rounds to 0.5646")
    assert "round(first, 4) != 0.5647" in source(follow)
    p = softmax([1.45, 0.33, -0.12, 0.01])
    assert round(float(p[0]), 4) == 0.5646 != 0.5647
    assert "0.5647" in output_text(cell)


def test_quiz_class_is_index_1_in_code_and_class_2_on_the_slide():
    cell = cell_printing(NB06, "predicted: index 1 in code, which is class 2 on the slide")
    assert "expect(" in source(cell)
    probs = softmax(THETA @ X_QUIZ)
    assert int(np.argmax(probs)) == 1
    assert np.allclose(np.round(THETA @ X_QUIZ, 2), [0.47, 0.88, -0.09])
    assert np.allclose(np.round(probs, 4), [0.3249, 0.4895, 0.1856])


def test_overflow_is_shown_running_and_the_fix_is_warning_free():
    naive = cell_printing(NB06, "naive_softmax([1000.0, 999.0, 998.0]) = [nan nan nan]")
    assert "RuntimeWarning: overflow encountered in exp" in output_text(naive)
    assert "assert np.all(np.isnan(result))" in source(naive)
    fixed = cell_printing(NB06, "warnings raised by the stable versions: 0")
    assert "softmax([1000.0, 999.0, 998.0]) = [0.6652 0.2447 0.09  ]" in output_text(fixed)
    assert "assert len(caught) == 0" in source(fixed)


def test_two_class_softmax_is_the_sigmoid_of_the_difference_in_both_notebooks():
    assert "assert np.allclose(from_softmax, from_sigmoid" in source(
        cell_printing(NB06, "sigmoid(z2 - z1) on 1000 random pairs: True"))
    proof = cell_printing(NB07, "two-class softmax = sigmoid of the difference, proved: True")
    assert "assert two_classes.holds" in source(proof)


# --------------------------------------------------------------------------- structure

@pytest.mark.parametrize("path", [NB06, NB07], ids=["06", "07"])
def test_at_least_two_exercises_each_with_self_check_and_hidden_solution(path):
    nb = cells(path)
    exercises = [i for i, c in enumerate(nb)
                 if c["cell_type"] == "markdown" and re.search(r"^### Exercise \d", source(c), re.M)]
    assert len(exercises) >= 2
    for i in exercises:
        student, check, hint, intro, solution = nb[i + 1:i + 6]
        assert "hint" in tags(hint) and source(hint).count("<details>") == 2
        assert "answer = None" in source(student) or "return None" in source(student)
        assert source(check).startswith("exercises.check(") and "exercise-check" in tags(check)
        assert "Not answered yet" in output_text(check)
        assert "Solution" in source(intro)
        assert "solution" in tags(solution)
        assert solution["metadata"]["jupyter"]["source_hidden"] is True
        assert "assert feedback.correct" in source(solution) and "Correct" in output_text(solution)
        assert solution["metadata"]["jupyter"]["outputs_hidden"] is True


def test_widget_cells_are_ignored_by_nbval_and_asserted_elsewhere():
    ignored = [source(c) for c in cells(NB07) if "nbval-ignore-output" in tags(c)]
    assert any("exam_question_widget()" in s for s in ignored)
    assert any("multinomial_explorer(" in s for s in ignored)
    assert "assert correct == verdicts[n].equals_gradient_of_objective" in source(
        cell_printing(NB07, "answer 1: correct (SymPy agrees)"))
    assert "assert norms[1.0, 1.0] >" in source(cell_printing(NB07, "lr = 0.3, lambda = 1:"))


# --------------------------------------------------------------------------- notebook 07 claims

def test_07_shows_the_proofs_and_checks_it_claims():
    seed = cell_printing(NB07, "all 6 entries proved equal: True")
    assert "all 9 labellings checked: True" in output_text(seed)
    assert r"\text{derived} - \text{claimed} = \left[\begin{matrix}0 & 0\\0 & 0\\0 & 0\end{matrix}\right]" in output_text(seed)
    table = cell_printing(NB07, "answer 3: gradient of the objective False  gradient of the loss True")
    assert "answer 1: gradient of the objective True " in output_text(table)
    diffs = cell_printing(NB07, r"\text{answer 2} - \nabla_{\theta_0}")
    assert r"3 \lambda w_{0 0}" in output_text(diffs) and r"\text{answer 5} - \nabla_{\theta_0} = \left[\begin{matrix}2 \lambda w_{0 0}" in output_text(diffs)
    assert "same update for every alpha: True" in output_text(cell_printing(NB07, "same update for every alpha"))
    fd = cell_printing(NB07, "relative error below 1e-7: True")
    assert "assert err < 1e-7" in source(fd)
    assert "caught True" in output_text(cell_printing(NB07, "intercepts penalised too"))


symbolic = pytest.importorskip("course_utils.symbolic")


@pytest.mark.parametrize("penalize_intercept", [True, False], ids=["every-weight", "course"])
def test_handwritten_gradient_holds_for_both_conventions_at_K3_d2_N2(penalize_intercept):
    # The notebook proves the course's convention at N = 1 only (speed); here at N = 2.
    check = symbolic.handwritten_gradient_check(3, 2, 2, penalize_intercept=penalize_intercept)
    assert check.holds and check.difference.is_zero_matrix
    assert len(check.labellings) == 9 and all(check.labellings.values())
    lam = check.loss.free_symbols & {sp.Symbol("lambda", nonnegative=True)}
    assert lam, "the loss carries lambda"
    # column 0: penalty term present exactly when the intercept is penalised
    has_penalty = check.claimed[0, 0].has(sp.Symbol("lambda", nonnegative=True))
    assert has_penalty is penalize_intercept


def test_exam_verdicts_match_what_notebook_07_says():
    verdicts = symbolic.exam_verdicts(3, 2, 2)
    exam = symbolic.exam_answers(3, 2, 2)
    assert [n for n, v in verdicts.items() if v.equals_gradient_of_objective] == [1]
    assert [n for n, v in verdicts.items() if v.equals_gradient_of_loss] == [3]
    assert all(v.difference_matches_expected for v in verdicts.values())
    Theta, lam = exam.symbols.Theta, exam.symbols.lam
    zero = sp.zeros(*Theta.shape)
    # 2 and 5: off by 3 lambda theta and 2 lambda theta
    assert (verdicts[2].difference - 3 * lam * Theta).applyfunc(sp.expand) == zero
    assert (verdicts[5].difference - 2 * lam * Theta).applyfunc(sp.expand) == zero
    # 3 is minus answer 1, term by term
    assert (exam.answers[3] + exam.answers[1]).applyfunc(sp.expand) == zero
    # 4 has the loss's data term: answer 4 - answer 1 = 2 * (answer 3 - 2 lambda theta)
    assert (exam.answers[4] - exam.answers[1]
            - 2 * (exam.answers[3] - 2 * lam * Theta)).applyfunc(sp.expand) == zero
    assert symbolic.update_equivalence(3, 2, 2).holds
    for n in range(1, 6):
        assert exam_feedback(n)[0] == verdicts[n].equals_gradient_of_objective


def test_lambdified_gradient_matches_course_utils_as_the_notebook_claims():
    from course_utils import add_intercept, multinomial_cross_entropy_grad
    rng = np.random.default_rng(3)
    grad = symbolic.lambdify_gradient(K=3, d=2, N=2, penalize_intercept=False)
    for _ in range(3):
        T, X, y = rng.normal(size=(3, 2)), add_intercept(rng.normal(size=(2, 1))), rng.integers(0, 3, 2)
        assert np.allclose(grad(T, X, y, lam=0.3), multinomial_cross_entropy_grad(T, X, y, lam=0.3),
                           rtol=1e-10, atol=1e-12)


# --------------------------------------------------------------------------- same digits everywhere

@pytest.mark.parametrize("path", [NB06, NB07], ids=["06", "07"])
def test_computed_numbers_are_printed_through_the_boundary_check(path):
    # np.round (and a bare format of a computed float) can land on a rounding boundary;
    # rounded() and stable() refuse such a value on the machine that re-executes.
    code = [source(c) for c in code_cells(path)]
    lines = [ln.split("#")[0] for src in code for ln in src.splitlines()]
    assert not [ln for ln in lines if "np.round(" in ln]
    assert any("from course_utils.printing import rounded, stable" in src for src in code)


def test_07_column_sums_of_the_gradient_print_a_bound_not_rounding_noise():
    cell = cell_printing(NB07, "sum over classes of each column: 0 (up to rounding, below 1e-12)")
    assert "assert np.all(np.abs(col_sums) < 1e-12)" in source(cell)


def test_07_training_run_stops_and_classifies_clear_of_any_tie():
    cell = cell_printing(NB07, "status: converged after 85 steps; final J = 0.472")
    assert "assert g_last < 0.99e-4 < 1.01e-4 < g_before" in source(cell)
    assert "assert np.min(top_two[:, 1] - top_two[:, 0]) > 1e-6" in source(cell)


def _explorer_replica(data, lr, lam, steps, noise=0.0, seed=0):
    """The explorer's batch run from Theta = 0, optionally with a relative error of
    size ``noise`` added to Theta after every step (other computers' last bits)."""
    from course_utils import multinomial_cross_entropy, multinomial_cross_entropy_grad
    gen = np.random.default_rng(seed)
    A, y = data.A_train, data.y_train
    T = np.zeros((data.n_classes, A.shape[1]))
    for _ in range(steps):
        T = T - lr * multinomial_cross_entropy_grad(T, A, y, lam=lam)
        if noise:
            T = T * (1.0 + noise * gen.standard_normal(T.shape))
    return float(np.linalg.norm(T[:, 1:])), float(multinomial_cross_entropy(T, A, y, lam=lam))


def test_07_explorer_runs_print_the_same_digits_under_last_bit_changes():
    # Notebook 07 prints ||W|| (.2f) and J (.3g) of four explorer runs. The converged ones
    # must stop at a step decided clearly (no gradient norm near tol); the run at
    # lr = lambda = 1 flips the weights' sign at every step and grows steadily, and
    # must not be chaotic: rounding errors far above the real ones (1e-13 relative,
    # every step) leave its printed digits unchanged.
    from course_utils.printing import stable
    from course_utils.widgets import compute_multinomial, default_multinomial_data
    data = default_multinomial_data()
    for lr, lam in [(1.0, 0.01), (1.0, 0.3), (1.0, 1.0), (0.3, 1.0)]:
        r = compute_multinomial(lr=lr, lam=lam, epochs=200)
        traj, tol = r.trajectory, r.trajectory.settings["tol"]
        if r.status == "converged":
            assert traj.grad_norms[-1] < tol * (1 - 1e-3) and traj.grad_norms[-2] > tol * (1 + 1e-3)
        else:
            assert (lr, lam, r.status, traj.n_steps) == (1.0, 1.0, "max_steps", 200)
            assert np.all(traj.grad_norms > 100 * tol)
            shown = f"{stable(r.weight_norm):.2f} {stable(traj.losses[-1]):.3g}"
            assert _explorer_replica(data, lr, lam, 200) == pytest.approx(
                (r.weight_norm, traj.losses[-1]), rel=1e-12)
            for seed in range(5):
                w, J = _explorer_replica(data, lr, lam, 200, noise=1e-13, seed=seed)
                assert f"{stable(w):.2f} {stable(J):.3g}" == shown
                assert w == pytest.approx(r.weight_norm, rel=1e-9)
                assert J == pytest.approx(traj.losses[-1], rel=1e-9)
