"""The exam question of the course, as data: its one home.

The question: a news classifier uses multinomial logistic regression, trained by SGD
with an L2 penalty. Its log-likelihood, summed over the N training examples, is

    L(theta) = sum_i sum_k y_ik log( exp(theta_k . x_i) / sum_j exp(theta_j . x_i) )

and the penalty lambda sum_k ||theta_k||^2 is added "to the loss function". Which
formula is the gradient of the regularised loss function with respect to theta_k?
Writing p_ik = softmax(Theta x_i)_k, the five candidates are :data:`ANSWERS_TEXT` (as
LaTeX: :data:`ANSWERS_LATEX`).

The words "loss function" can be read two ways, and each reading has its answer
(:data:`READINGS`):

* the penalised log-likelihood L(theta) - lambda sum_k ||theta_k||^2, to maximise: its
  gradient is answer :data:`OBJECTIVE_GRADIENT` (1), the official answer, because the
  exam's L is a log-likelihood, which training maximises;
* the loss -L(theta) + lambda sum_k ||theta_k||^2, to minimise: its gradient is answer
  :data:`LOSS_GRADIENT` (3), exactly minus answer 1, so
  theta_k - alpha * (answer 3) is the same step as theta_k + alpha * (answer 1).

Answers 2, 4 and 5 are wrong under either reading.

Three sets of feedback, one text per answer in each:

* :data:`HEADLINES`: the verdict the quiz widget shows in bold ("Right", "Right for
  the other reading, not the official answer", "Not the answer");
* :data:`EXPLANATIONS`: why each answer is right or wrong (math as LaTeX between
  ``$``); the quiz widget shows them and the SymPy verdicts carry them;
* :data:`DESCENT_FEEDBACK`: the descent-step variant, "which answer can gradient
  descent, theta_k <- theta_k - alpha * g, use as g?", whose answer is 3 (plain text,
  printed by ``selfcheck.check_choice`` after "Correct. " or "Not quite: ").

Used by :mod:`course_utils.quiz` (the widget and ``exam_feedback``),
:mod:`course_utils.symbolic` (which proves every claim above) and notebooks 07 and 08.
This module holds text only: no computation, no imports from the package.

Examples
--------
>>> ANSWERS_TEXT[OBJECTIVE_GRADIENT]
'sum_i x_i (y_ik - p_ik) - 2 lambda theta_k'
>>> ANSWERS_TEXT[LOSS_GRADIENT]
'sum_i x_i (p_ik - y_ik) + 2 lambda theta_k'
>>> HEADLINES[LOSS_GRADIENT]
'Right for the other reading, not the official answer'
>>> sorted(EXPLANATIONS) == sorted(DESCENT_FEEDBACK) == sorted(ANSWERS_LATEX) == [1, 2, 3, 4, 5]
True
"""

from types import MappingProxyType

__all__ = ["QUESTION_LATEX", "ANSWERS_LATEX", "ANSWERS_TEXT", "OBJECTIVE_GRADIENT",
           "LOSS_GRADIENT", "READINGS", "HEADLINES", "EXPLANATIONS", "DESCENT_FEEDBACK"]

#: The answer that is the gradient of the penalised log-likelihood (maximised): the
#: official answer.
OBJECTIVE_GRADIENT = 1

#: The answer that is the gradient of the loss (minimised): minus answer 1, right when
#: "the loss function" is read as the quantity to minimise.
LOSS_GRADIENT = 3

#: The two readings of the exam's "loss function", keyed by the answer each leads to.
READINGS = MappingProxyType({
    OBJECTIVE_GRADIENT: "the penalised log-likelihood L(theta) - lambda sum_k ||theta_k||^2, "
                        "to maximise (the official reading: the exam's L is a log-likelihood)",
    LOSS_GRADIENT: "the loss -L(theta) + lambda sum_k ||theta_k||^2, to minimise",
})

_SOFTMAX = r"\frac{\exp(\theta_{k} \cdot x_{i})}{\sum_{j=1}^{K} \exp(\theta_{j} \cdot x_{i})}"

#: The question, shortened and in the course's words (HTML with inline LaTeX, for
#: HTMLMath). It keeps the exam's own phrase "the loss function", ambiguity included.
QUESTION_LATEX = (
    r"<b>Exam question.</b> A news classifier uses multinomial logistic regression, "
    r"trained by SGD with an L2 penalty. Its log-likelihood is "
    rf"$L(\theta) = \sum_{{i=1}}^{{N}} \sum_{{k=1}}^{{K}} y_{{ik}} \log {_SOFTMAX}$. "
    r"The L2 term $\lambda \sum_{k=1}^{K} \lVert \theta_k \rVert_2^2$ is added to the "
    r"loss function, and the SGD updates use the gradient of this regularised loss "
    r"function with respect to $\theta_k$. Which formula is that gradient?"
)

#: The five candidate gradients as LaTeX (inline math, for HTMLMath / MathJax), keyed 1..5.
ANSWERS_LATEX = MappingProxyType({
    1: rf"$\nabla_{{\theta_k}} = \sum_{{i=1}}^{{N}} x_i \left( y_{{ik}} - {_SOFTMAX} \right) - 2\lambda \theta_k$",
    2: rf"$\nabla_{{\theta_k}} = \sum_{{i=1}}^{{N}} x_i \left( y_{{ik}} - {_SOFTMAX} \right) + \lambda \theta_k$",
    3: rf"$\nabla_{{\theta_k}} = \sum_{{i=1}}^{{N}} x_i \left( {_SOFTMAX} - y_{{ik}} \right) + 2\lambda \theta_k$",
    4: rf"$\nabla_{{\theta_k}} = \sum_{{i=1}}^{{N}} x_i \left( {_SOFTMAX} - y_{{ik}} \right) - 2\lambda \theta_k$",
    5: rf"$\nabla_{{\theta_k}} = \sum_{{i=1}}^{{N}} x_i \left( y_{{ik}} - {_SOFTMAX} \right)$",
})

#: The same five gradients in plain text, with p_ik = softmax(Theta x_i)_k.
ANSWERS_TEXT = MappingProxyType({
    1: "sum_i x_i (y_ik - p_ik) - 2 lambda theta_k",
    2: "sum_i x_i (y_ik - p_ik) + lambda theta_k",
    3: "sum_i x_i (p_ik - y_ik) + 2 lambda theta_k",
    4: "sum_i x_i (p_ik - y_ik) - 2 lambda theta_k",
    5: "sum_i x_i (y_ik - p_ik)",
})

#: The verdict in bold before each explanation: answer 3 is not plainly wrong, it is
#: right for the other reading of "the loss function".
HEADLINES = MappingProxyType({
    1: "Right",
    2: "Not the answer",
    3: "Right for the other reading, not the official answer",
    4: "Not the answer",
    5: "Not the answer",
})

#: Why each answer is right or wrong, and under which reading (LaTeX between ``$``).
EXPLANATIONS = MappingProxyType({
    1: (r"Correct, and the official answer. It reads “loss function” as the exam's own "
        r"$L(\theta)$, a log-likelihood, which training maximises; a penalty on large "
        r"weights must then be subtracted: $L(\theta) - \lambda \sum_k \lVert \theta_k "
        r"\rVert^2$. Differentiating gives $\sum_i x_i (y_{ik} - p_{ik})$ from the "
        r"log-likelihood and $-2\lambda\theta_k$ from the penalty, and training steps "
        r"uphill: $\theta_k \leftarrow \theta_k + \alpha \nabla_{\theta_k}$. Read as a "
        r"loss to minimise instead, the same words lead to answer 3."),
    2: (r"Not quite, under either reading. The derivative of "
        r"$\lambda \lVert \theta_k \rVert^2$ is $2\lambda\theta_k$, and next to the "
        r"data term $\sum_i x_i (y_{ik} - p_{ik})$ of a function to maximise the penalty "
        r"needs a minus sign: this answer has the wrong sign and lost the factor 2, so it "
        r"is off by $3\lambda\theta_k$ from answer 1."),
    3: (r"Right if “the loss function” means the quantity that gradient descent "
        r"<i>minimises</i>, $-L(\theta) + \lambda \sum_k \lVert \theta_k \rVert^2$: this "
        r"is its gradient, exactly minus answer 1, so the descent step "
        r"$\theta_k - \alpha \cdot (\text{answer 3})$ is the same update as the ascent "
        r"step with answer 1. The official answer is 1, because it takes the exam's "
        r"$L(\theta)$, a log-likelihood, as the function to maximise. Before "
        r"differentiating, ask: is this function maximised or minimised?"),
    4: (r"Not quite, under either reading. This mixes two conventions: the data term "
        r"$x_i (p_{ik} - y_{ik})$ belongs to the loss (to minimise), the penalty "
        r"$-2\lambda\theta_k$ to the log-likelihood (to maximise). It is the gradient of "
        r"neither; it differs from answer 1 by $2 \sum_i x_i (p_{ik} - y_{ik})$."),
    5: (r"Not quite, under either reading. This is the gradient of the plain "
        r"log-likelihood: the L2 term is missing, so it is off by $2\lambda\theta_k$ and "
        r"nothing pulls the weights towards zero."),
})

#: The descent-step variant: which answer can be g in theta_k <- theta_k - alpha * g?
#: (answer :data:`LOSS_GRADIENT`; plain text, printed after "Correct. " or "Not quite: ").
DESCENT_FEEDBACK = MappingProxyType({
    1: "Answer 1 is the gradient of the objective to maximise: minus it would walk downhill on "
       "the likelihood, making the model worse.",
    2: "The derivative of lam * ||theta_k||^2 is 2 lam theta_k, not lam theta_k.",
    3: "It is minus answer 1, the gradient of the loss, so the descent step is the ascent step "
       "with answer 1.",
    4: "The data term is right for a loss, but the penalty must push weights towards 0, "
       "so it enters a loss's gradient with a plus sign.",
    5: "Answer 5 has no penalty term, and the wrong sign for descent as well.",
})
