"""The exam multiple-choice question: pure feedback, the widget headless, bad input."""

import ipywidgets as widgets
import numpy as np
import pytest

from course_utils.quiz import (ANSWERS_LATEX, CORRECT_ANSWER, ExamQuestion, exam_feedback,
                               exam_question_widget)


def test_only_answer_one_is_correct():
    verdicts = {n: exam_feedback(n)[0] for n in range(1, 6)}
    assert verdicts == {1: True, 2: False, 3: False, 4: False, 5: False}
    assert CORRECT_ANSWER == 1


def test_each_answer_has_its_own_feedback_naming_the_reason():
    texts = {n: exam_feedback(n)[1] for n in range(1, 6)}
    assert len(set(texts.values())) == 5
    assert "Correct" in texts[1]
    assert "3\\lambda\\theta_k" in texts[2]                # off by 3 lambda theta_k
    assert "minus answer 1" in texts[3] and "loss" in texts[3]
    assert "neither" in texts[4]
    assert "missing" in texts[5] and "2\\lambda\\theta_k" in texts[5]


def test_feedback_agrees_with_the_symbolic_verdicts():
    # The SymPy proof (course_utils.symbolic) decides which answer is the gradient of the
    # penalised log-likelihood; the quiz must say the same. Smallest sizes: fast.
    symbolic = pytest.importorskip("course_utils.symbolic")
    verdicts = symbolic.exam_verdicts(K=2, d=1, N=1)
    for n in range(1, 6):
        assert exam_feedback(n)[0] == verdicts[n].equals_gradient_of_objective


def test_numpy_integers_are_accepted():
    assert exam_feedback(np.int64(1)) == exam_feedback(1)


@pytest.mark.parametrize("bad", [0, 6, -1, 42])
def test_choice_out_of_range_is_a_value_error_naming_the_argument(bad):
    with pytest.raises(ValueError, match=r"choice must be one of 1, 2, 3, 4, 5.*got " + str(bad)):
        exam_feedback(bad)


@pytest.mark.parametrize("bad", ["1", 1.0, None, True, [1]])
def test_choice_of_the_wrong_type_is_a_type_error_naming_the_argument(bad):
    with pytest.raises(TypeError, match="choice must be an int from 1 to 5"):
        exam_feedback(bad)


def test_widget_renders_the_five_answers_as_latex():
    widget = exam_question_widget()
    assert isinstance(widget, ExamQuestion) and isinstance(widget, widgets.VBox)
    assert sorted(widget.formulas) == [1, 2, 3, 4, 5]
    for n, formula in widget.formulas.items():
        assert isinstance(formula, widgets.HTMLMath)
        assert formula.value == ANSWERS_LATEX[n]
        assert formula.value.startswith("$") and formula.value.endswith("$")
        assert r"\nabla_{\theta_k}" in formula.value
    # every answer and the feedback line are on display
    shown = [w for row in widget.children for w in getattr(row, "children", (row,))]
    assert all(f in shown for f in widget.formulas.values())
    assert widget.feedback in widget.children and widget.choice is None


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5])
def test_clicking_a_button_shows_that_answers_feedback(n):
    widget = exam_question_widget()
    widget.buttons[n].click()
    correct, text = exam_feedback(n)
    assert widget.choice == n
    assert text in widget.feedback.value
    assert widget.buttons[n].button_style == ("success" if correct else "danger")
    assert all(b.button_style == "" for m, b in widget.buttons.items() if m != n)


def test_a_second_click_replaces_the_first():
    widget = exam_question_widget()
    widget.buttons[4].click()
    widget.buttons[1].click()
    assert widget.choice == 1 and widget.buttons[4].button_style == ""
    assert widget.feedback.value.startswith("<b>Answer 1: Right.")


def test_select_rejects_bad_choices_and_keeps_the_state():
    widget = exam_question_widget()
    widget.select(2)
    with pytest.raises(ValueError, match="choice"):
        widget.select(7)
    assert widget.choice == 2 and exam_feedback(2)[1] in widget.feedback.value
