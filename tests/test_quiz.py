"""The exam question: its text in one place (course_utils.exam), pure feedback, the
widget headless (the generic selfcheck.multiple_choice filled by quiz), bad input."""

import ipywidgets as widgets
import numpy as np
import pytest

from course_utils import exam
from course_utils.quiz import (ANSWERS_LATEX, CORRECT_ANSWER, QUESTION_LATEX, ExamQuestion,
                               exam_feedback, exam_question_widget)
from course_utils.selfcheck import MultipleChoice, check_choice, multiple_choice


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


def test_answer_three_is_right_for_the_other_reading_not_plainly_wrong():
    # The exam adds its penalty "to the loss function": read as a loss to minimise, the
    # gradient is answer 3; the official answer 1 reads it as the log-likelihood to maximise.
    assert "added to the loss function" in QUESTION_LATEX
    assert "regularised loss function" in QUESTION_LATEX
    assert "(to maximise)" not in QUESTION_LATEX         # the question does not settle it
    assert exam.HEADLINES[3] == "Right for the other reading, not the official answer"
    assert all(exam.HEADLINES[n] == "Not the answer" for n in (2, 4, 5))
    text3, text1 = exam_feedback(3)[1], exam_feedback(1)[1]
    assert "Not quite" not in text3 and "wrong" not in text3.lower()
    assert "<i>minimises</i>" in text3 and "official answer is 1" in text3
    assert "maximised or minimised?" in text3
    assert "official answer" in text1 and "maximises" in text1 and "answer 3" in text1
    assert set(exam.READINGS) == {exam.OBJECTIVE_GRADIENT, exam.LOSS_GRADIENT}
    assert "maximise" in exam.READINGS[1] and "minimise" in exam.READINGS[3]
    for n in (2, 4, 5):
        assert "under either reading" in exam_feedback(n)[1]


def test_the_widget_shows_answer_three_in_amber_with_its_reading():
    widget = exam_question_widget()
    widget.buttons[3].click()
    assert widget.buttons[3].button_style == "warning"
    assert widget.feedback.value.startswith(
        "<b>Answer 3: Right for the other reading, not the official answer.</b>")
    assert "Not the answer" not in widget.feedback.value
    widget.buttons[2].click()
    assert widget.buttons[3].button_style == "" and widget.buttons[2].button_style == "danger"


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
    assert widget.feedback.value.startswith(f"<b>Answer {n}: {exam.HEADLINES[n]}.</b>")
    style = "success" if correct else ("warning" if n == exam.LOSS_GRADIENT else "danger")
    assert widget.buttons[n].button_style == style
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


# ----------------------------------------------------------------------------- one source

def test_quiz_reads_its_text_from_course_utils_exam():
    assert QUESTION_LATEX is exam.QUESTION_LATEX and ANSWERS_LATEX is exam.ANSWERS_LATEX
    assert CORRECT_ANSWER == exam.OBJECTIVE_GRADIENT == 1 and exam.LOSS_GRADIENT == 3
    for n in range(1, 6):
        assert exam_feedback(n)[1] is exam.EXPLANATIONS[n]


def test_exam_data_has_one_entry_per_answer_and_cannot_be_edited_by_accident():
    for table in (exam.ANSWERS_LATEX, exam.ANSWERS_TEXT, exam.EXPLANATIONS,
                  exam.DESCENT_FEEDBACK):
        assert sorted(table) == [1, 2, 3, 4, 5]
        assert all(isinstance(text, str) and text for text in table.values())
        assert len(set(table.values())) == 5
        with pytest.raises(TypeError):
            table[1] = "changed"
    assert sorted(exam.HEADLINES) == [1, 2, 3, 4, 5]
    for table in (exam.HEADLINES, exam.READINGS):
        with pytest.raises(TypeError):
            table[1] = "changed"


def test_descent_feedback_prints_what_the_notebooks_solution_cells_show(capsys):
    # notebook 07's solution of "which answer for gradient descent?" stores this line
    assert check_choice(3, exam.LOSS_GRADIENT, exam.DESCENT_FEEDBACK)
    assert capsys.readouterr().out == (
        "Correct. It is minus answer 1, the gradient of the loss, so the descent step is the "
        "ascent step with answer 1.\n")
    assert not check_choice(1, exam.LOSS_GRADIENT, exam.DESCENT_FEEDBACK)
    assert capsys.readouterr().out.startswith("Not quite: Answer 1 is the gradient of the "
                                              "objective to maximise")


def test_descent_feedback_names_the_reason_for_each_wrong_answer():
    text = exam.DESCENT_FEEDBACK
    assert "walk downhill on the likelihood" in text[1]
    assert "2 lam theta_k, not lam theta_k" in text[2]
    assert "minus answer 1" in text[3]
    assert "plus sign" in text[4]
    assert "no penalty term" in text[5]


# ----------------------------------------------------------------------------- generic widget

def _parity(choice):
    if choice not in (1, 2):
        raise ValueError(f"choice must be 1 or 2; got {choice!r}.")
    return choice == 2, {1: "1 is odd.", 2: "2 is even."}[choice]


def test_multiple_choice_is_generic():
    widget = multiple_choice("Which number is <b>even</b>?", {1: "$1$", 2: "$2$"}, _parity,
                             prompt="<i>Pick one.</i>")
    assert isinstance(widget, MultipleChoice) and not isinstance(widget, ExamQuestion)
    assert widget.question.value == "Which number is <b>even</b>?"
    # the button's text ends with its key ("2", or "Answer 2" as its accessible name)
    assert [b.description.split()[-1] for b in widget.buttons.values()] == ["1", "2"]
    assert widget.feedback.value == "<i>Pick one.</i>" and widget.choice is None
    widget.buttons[1].click()
    assert widget.feedback.value == "<b>Answer 1: Not the answer.</b> 1 is odd."
    assert widget.buttons[1].button_style == "danger"
    assert widget.select(np.int64(2)) == (True, "2 is even.")
    assert widget.choice == 2 and type(widget.choice) is int
    assert widget.buttons[1].button_style == "" and widget.buttons[2].button_style == "success"


def test_multiple_choice_refuses_a_choice_without_a_button():
    widget = multiple_choice("Which?", {1: "$1$"}, _parity)
    with pytest.raises(ValueError, match=r"choice must be one of \[1\]; got 2"):
        widget.select(2)
    assert widget.choice is None and widget.feedback.value == MultipleChoice.PROMPT


@pytest.mark.parametrize("args, error, name", [
    ((None, {1: "a"}, _parity), TypeError, "question"),
    (("Q?", {}, _parity), TypeError, "choices"),
    (("Q?", [("1", "a")], _parity), TypeError, "choices"),
    (("Q?", {1: 1.0}, _parity), TypeError, r"choices\[1\]"),
    (("Q?", {1: "a"}, "judge"), TypeError, "judge"),
])
def test_multiple_choice_rejects_bad_arguments_naming_them(args, error, name):
    with pytest.raises(error, match=name):
        multiple_choice(*args)
    with pytest.raises(TypeError, match="prompt"):
        multiple_choice("Q?", {1: "a"}, _parity, prompt=None)
