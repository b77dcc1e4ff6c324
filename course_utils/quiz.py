"""The exam question of the course (multinomial gradient with L2) as a multiple-choice widget.

The question, its five answers and why each is right or wrong are data in
:mod:`course_utils.exam`; :mod:`course_utils.symbolic` proves every claim
(``exam_verdicts``); this module only presents the question.

The exam adds its penalty "to the loss function", which can be read as a function to
maximise (answer 1, the official answer) or to minimise (answer 3). The widget marks
answer 1 right, and answer 3 "right for the other reading, not the official answer"
with an amber button, never plainly wrong.

Two layers, as everywhere in the course: :func:`exam_feedback` is a pure function
(choice -> verdict and explanation), tested without a browser; :func:`exam_question_widget`
is the generic :class:`course_utils.selfcheck.MultipleChoice` widget filled with the
exam's text and judged by :func:`exam_feedback`.
"""

from __future__ import annotations

import numbers

from .exam import (ANSWERS_LATEX, EXPLANATIONS, HEADLINES, LOSS_GRADIENT,
                   OBJECTIVE_GRADIENT, QUESTION_LATEX)
from .selfcheck import MultipleChoice

__all__ = ["CORRECT_ANSWER", "ANSWERS_LATEX", "QUESTION_LATEX", "exam_feedback",
           "exam_question_widget", "ExamQuestion"]

#: The exam's correct answer (1-based, as the exam numbers them): the gradient of the
#: penalised log-likelihood, ``course_utils.exam.OBJECTIVE_GRADIENT``.
CORRECT_ANSWER = OBJECTIVE_GRADIENT


def exam_feedback(choice):
    """Say whether an answer to the exam question is right, and why.

    correct = (choice == 1); the text is ``course_utils.exam.EXPLANATIONS[choice]``
    (LaTeX inside ``$...$``).

    Parameters
    ----------
    choice : int
        The answer picked, 1..5 (the exam's numbering).

    Returns
    -------
    correct : bool
        True only for answer 1, the official answer (answer 3's text says for which
        reading it is right).
    text : str
        One or two sentences of feedback written for that answer.

    Raises
    ------
    TypeError
        If ``choice`` is not an integer.
    ValueError
        If ``choice`` is not one of 1, 2, 3, 4, 5.

    Examples
    --------
    >>> exam_feedback(1)[0]
    True
    >>> correct, text = exam_feedback(3)
    >>> correct, "minus answer 1" in text
    (False, True)
    """
    if isinstance(choice, bool) or not isinstance(choice, numbers.Integral):
        raise TypeError(
            f"choice must be an int from 1 to 5 (the exam's answer number); got "
            f"{type(choice).__name__} {choice!r}. Pass e.g. exam_feedback(1)."
        )
    choice = int(choice)
    if choice not in EXPLANATIONS:
        raise ValueError(
            f"choice must be one of 1, 2, 3, 4, 5 (the exam numbers its answers from 1); "
            f"got {choice}. Pick one of the five listed answers."
        )
    return choice == CORRECT_ANSWER, EXPLANATIONS[choice]


class ExamQuestion(MultipleChoice):
    """The exam question as a widget: the statement, five answers, one feedback line.

    A :class:`course_utils.selfcheck.MultipleChoice` with the exam's question and
    answers (``course_utils.exam``), judged by :func:`exam_feedback`: ``buttons`` and
    ``formulas`` are keyed 1..5, ``feedback`` shows the explanation of the answer
    clicked last, ``choice``. The bold verdict is ``course_utils.exam.HEADLINES``:
    answer 3, right when the loss is read as the quantity to minimise, gets an amber
    ("warning") button and says so instead of "Not the answer".

    Examples
    --------
    >>> widget = exam_question_widget()
    >>> widget.select(5)[0], widget.choice, widget.buttons[5].button_style
    (False, 5, 'danger')
    >>> widget.select(3)[0], widget.buttons[3].button_style
    (False, 'warning')
    >>> widget.feedback.value.startswith("<b>Answer 3: Right for the other reading")
    True
    """

    def __init__(self):
        super().__init__(QUESTION_LATEX, ANSWERS_LATEX, exam_feedback)

    def select(self, choice):
        """Pick ``choice`` (1..5): highlight its button and show its verdict and feedback.

        Returns ``exam_feedback(choice)``; a bad choice raises as there and leaves the
        widget as it was.
        """
        correct, text = super().select(choice)
        key = self.choice
        if key == LOSS_GRADIENT:
            self.buttons[key].button_style = "warning"
        self.feedback.value = f"<b>Answer {key}: {HEADLINES[key]}.</b> {text}"
        return correct, text


def exam_question_widget():
    """Build the exam question as an interactive multiple-choice widget.

    Five answers, each rendered as LaTeX (``ipywidgets.HTMLMath``) with a button; the
    feedback for the clicked answer comes from :func:`exam_feedback`. Display it by
    making it the last expression of a notebook cell.

    Returns
    -------
    ExamQuestion
        An ``ipywidgets.VBox`` with ``buttons``, ``formulas``, ``feedback``, ``choice``
        and :meth:`ExamQuestion.select`.

    Examples
    --------
    >>> widget = exam_question_widget()
    >>> sorted(widget.formulas), widget.choice
    ([1, 2, 3, 4, 5], None)
    >>> widget.buttons[1].click()
    >>> widget.choice, widget.feedback.value.startswith("<b>Answer 1: Right.")
    (1, True)
    """
    return ExamQuestion()
