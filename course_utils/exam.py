"""The exam question of the course, as data: its one home.

The question: a news classifier uses multinomial logistic regression, trained by SGD
with an L2 penalty. Its log-likelihood, summed over the N training examples, is

    L(theta) = sum_i sum_k y_ik log( exp(theta_k . x_i) / sum_j exp(theta_j . x_i) )

and the penalty lambda sum_k ||theta_k||^2 is added. Which formula is the gradient with
respect to theta_k? Writing p_ik = softmax(Theta x_i)_k, the five candidates are
:data:`ANSWERS_TEXT` (as LaTeX: :data:`ANSWERS_LATEX`).

The likelihood is maximised, so the objective is L(theta) - lambda sum_k ||theta_k||^2
and its gradient is answer :data:`OBJECTIVE_GRADIENT` (1), the exam's answer. The loss
that gradient descent minimises is the same objective with the opposite sign; its
gradient is answer :data:`LOSS_GRADIENT` (3), exactly minus answer 1, so
theta_k - alpha * (answer 3) is the same step as theta_k + alpha * (answer 1).

Two sets of feedback, one text per answer in each:

* :data:`EXPLANATIONS`: why each answer is right or wrong for the question as posed
  (math as LaTeX between ``$``); the quiz widget shows them and the SymPy verdicts
  carry them;
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
>>> sorted(EXPLANATIONS) == sorted(DESCENT_FEEDBACK) == sorted(ANSWERS_LATEX) == [1, 2, 3, 4, 5]
True
"""

from types import MappingProxyType

__all__ = ["QUESTION_LATEX", "ANSWERS_LATEX", "ANSWERS_TEXT", "OBJECTIVE_GRADIENT",
           "LOSS_GRADIENT", "EXPLANATIONS", "DESCENT_FEEDBACK"]

#: The answer that is the gradient of the penalised log-likelihood (maximised): the exam's.
OBJECTIVE_GRADIENT = 1

#: The answer that is the gradient of the loss (minimised): minus answer 1.
LOSS_GRADIENT = 3

_SOFTMAX = r"\frac{\exp(\theta_{k} \cdot x_{i})}{\sum_{j=1}^{K} \exp(\theta_{j} \cdot x_{i})}"

#: The question, shortened and in the course's words (HTML with inline LaTeX, for HTMLMath).
QUESTION_LATEX = (
    r"<b>Exam question.</b> A news classifier uses multinomial logistic regression, "
    r"trained by SGD with an L2 penalty. Its log-likelihood is "
    rf"$L(\theta) = \sum_{{i=1}}^{{N}} \sum_{{k=1}}^{{K}} y_{{ik}} \log {_SOFTMAX}$ "
    r"and the penalty $\lambda \sum_{k=1}^{K} \lVert \theta_k \rVert_2^2$ is added to the "
    r"objective, which becomes $L(\theta) - \lambda \sum_{k} \lVert \theta_k \rVert_2^2$ "
    r"(to maximise). Which formula is its gradient with respect to $\theta_k$?"
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

#: Why each answer is right or wrong for the question as posed (LaTeX between ``$``).
EXPLANATIONS = MappingProxyType({
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
