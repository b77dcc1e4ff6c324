"""The exam question of the course (multinomial gradient with L2) as a multiple-choice widget.

The question (seed 000): the log-likelihood of multinomial logistic regression,

    L(theta) = sum_i sum_k y_ik log( exp(theta_k . x_i) / sum_j exp(theta_j . x_i) ),

is given an L2 term lambda sum_k ||theta_k||^2; which formula is the gradient with
respect to theta_k? With p_ik = softmax(Theta x_i)_k the five candidates are

    1: sum_i x_i (y_ik - p_ik) - 2 lambda theta_k
    2: sum_i x_i (y_ik - p_ik) + lambda theta_k
    3: sum_i x_i (p_ik - y_ik) + 2 lambda theta_k
    4: sum_i x_i (p_ik - y_ik) - 2 lambda theta_k
    5: sum_i x_i (y_ik - p_ik)

The exam maximises the penalised log-likelihood L(theta) - lambda sum_k ||theta_k||^2,
so answer 1 is its gradient. Answer 3 is the gradient of the loss to minimise (the
same objective with the opposite sign): exactly minus answer 1, so
theta_k - alpha * (answer 3) is the same step as theta_k + alpha * (answer 1).
:mod:`course_utils.symbolic` proves all of this (``exam_verdicts``); this module only
presents the question.

Two layers, as everywhere in the course: :func:`exam_feedback` is a pure function
(choice -> verdict and explanation), tested without a browser; :func:`exam_question_widget`
draws the question with one button per answer and shows that feedback.
"""

from __future__ import annotations

import numbers

import ipywidgets as widgets

__all__ = ["CORRECT_ANSWER", "ANSWERS_LATEX", "QUESTION_LATEX", "exam_feedback",
           "exam_question_widget", "ExamQuestion"]

#: The exam's correct answer (1-based, as the exam numbers them).
CORRECT_ANSWER = 1

_SOFTMAX = r"\frac{\exp(\theta_{k} \cdot x_{i})}{\sum_{j=1}^{K} \exp(\theta_{j} \cdot x_{i})}"

#: The five candidate gradients as LaTeX (inline math, for HTMLMath / MathJax).
ANSWERS_LATEX = {
    1: rf"$\nabla_{{\theta_k}} = \sum_{{i=1}}^{{N}} x_i \left( y_{{ik}} - {_SOFTMAX} \right) - 2\lambda \theta_k$",
    2: rf"$\nabla_{{\theta_k}} = \sum_{{i=1}}^{{N}} x_i \left( y_{{ik}} - {_SOFTMAX} \right) + \lambda \theta_k$",
    3: rf"$\nabla_{{\theta_k}} = \sum_{{i=1}}^{{N}} x_i \left( {_SOFTMAX} - y_{{ik}} \right) + 2\lambda \theta_k$",
    4: rf"$\nabla_{{\theta_k}} = \sum_{{i=1}}^{{N}} x_i \left( {_SOFTMAX} - y_{{ik}} \right) - 2\lambda \theta_k$",
    5: rf"$\nabla_{{\theta_k}} = \sum_{{i=1}}^{{N}} x_i \left( y_{{ik}} - {_SOFTMAX} \right)$",
}

#: The question, shortened and in the course's words.
QUESTION_LATEX = (
    r"<b>Exam question.</b> A news classifier uses multinomial logistic regression, "
    r"trained by SGD with an L2 penalty. Its log-likelihood is "
    rf"$L(\theta) = \sum_{{i=1}}^{{N}} \sum_{{k=1}}^{{K}} y_{{ik}} \log {_SOFTMAX}$ "
    r"and the penalty $\lambda \sum_{k=1}^{K} \lVert \theta_k \rVert_2^2$ is added to the "
    r"objective, which becomes $L(\theta) - \lambda \sum_{k} \lVert \theta_k \rVert_2^2$ "
    r"(to maximise). Which formula is its gradient with respect to $\theta_k$?"
)

_FEEDBACK = {
    1: (r"Correct. Differentiating the log-likelihood gives "
        r"$\sum_i x_i (y_{ik} - p_{ik})$ and the penalty $-\lambda \lVert \theta_k \rVert^2$ "
        r"contributes $-2\lambda\theta_k$. The objective is maximised, so training steps "
        r"uphill: $\theta_k \leftarrow \theta_k + \alpha \nabla_{\theta_k}$."),
    2: (r"Not quite. The penalty enters the objective with a minus sign, and the derivative "
        r"of $\lambda \lVert \theta_k \rVert^2$ is $2\lambda\theta_k$: this answer has the "
        r"wrong sign and lost the factor 2, so it is off by $3\lambda\theta_k$."),
    3: (r"Not for the question as posed, but a good instinct: this is the gradient of the "
        r"<i>loss</i> $-L(\theta) + \lambda \sum_k \lVert \theta_k \rVert^2$ that gradient "
        r"descent minimises. It is exactly minus answer 1, so the descent step "
        r"$\theta_k - \alpha \cdot (\text{answer 3})$ is the same update as the ascent step "
        r"with answer 1. The gradient of the penalised log-likelihood itself is answer 1."),
    4: (r"Not quite. This mixes two conventions: the data term $x_i (p_{ik} - y_{ik})$ belongs "
        r"to the loss (to minimise), the penalty $-2\lambda\theta_k$ to the log-likelihood "
        r"(to maximise). It is the gradient of neither; it differs from answer 1 by "
        r"$2 \sum_i x_i (p_{ik} - y_{ik})$."),
    5: (r"Not quite. This is the gradient of the plain log-likelihood: the L2 term is "
        r"missing, so it is off by $2\lambda\theta_k$ and nothing pulls the weights "
        r"towards zero."),
}


def exam_feedback(choice):
    """Say whether an answer to the exam question is right, and why.

    correct = (choice == 1); the text explains the choice (LaTeX inside ``$...$``).

    Parameters
    ----------
    choice : int
        The answer picked, 1..5 (the exam's numbering).

    Returns
    -------
    correct : bool
        True only for answer 1.
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
    if choice not in _FEEDBACK:
        raise ValueError(
            f"choice must be one of 1, 2, 3, 4, 5 (the exam numbers its answers from 1); "
            f"got {choice}. Pick one of the five listed answers."
        )
    return choice == CORRECT_ANSWER, _FEEDBACK[choice]


class ExamQuestion(widgets.VBox):
    """The exam question as a widget: the statement, five answers, one feedback line.

    Each answer is a button next to its formula (``ipywidgets.HTMLMath``, rendered by
    MathJax); clicking a button calls :meth:`select`, which shows
    :func:`exam_feedback` for that answer.

    Attributes
    ----------
    buttons : dict of int to ipywidgets.Button
        One button per answer, keyed 1..5.
    formulas : dict of int to ipywidgets.HTMLMath
        The answers' formulas.
    feedback : ipywidgets.HTMLMath
        The feedback shown for the current choice.
    choice : int or None
        The answer picked last (None before any click).
    """

    def __init__(self):
        self.choice = None
        self.question = widgets.HTMLMath(value=QUESTION_LATEX)
        self.buttons = {}
        self.formulas = {}
        rows = []
        for number, latex in ANSWERS_LATEX.items():
            button = widgets.Button(description=str(number), tooltip=f"Answer {number}",
                                    layout=widgets.Layout(width="3em", min_width="3em"))
            button.on_click(lambda _button, n=number: self.select(n))
            formula = widgets.HTMLMath(value=latex)
            self.buttons[number] = button
            self.formulas[number] = formula
            rows.append(widgets.HBox([button, formula],
                                     layout=widgets.Layout(align_items="center")))
        self.feedback = widgets.HTMLMath(value="<i>Click the number of the answer you choose.</i>")
        super().__init__([self.question, *rows, self.feedback])

    def select(self, choice):
        """Pick answer ``choice`` (1..5): highlight its button and show its feedback.

        Returns the ``(correct, text)`` pair of :func:`exam_feedback`.

        Examples
        --------
        >>> widget = exam_question_widget()
        >>> widget.select(5)[0], widget.choice, widget.buttons[5].button_style
        (False, 5, 'danger')
        """
        correct, text = exam_feedback(choice)
        self.choice = int(choice)
        for number, button in self.buttons.items():
            button.button_style = ""
        self.buttons[self.choice].button_style = "success" if correct else "danger"
        verdict = "Right" if correct else "Not the answer"
        self.feedback.value = f"<b>Answer {self.choice}: {verdict}.</b> {text}"
        return correct, text


def exam_question_widget():
    """Build the exam question (seed 000) as an interactive multiple-choice widget.

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
