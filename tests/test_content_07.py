"""Notebook 07's content (issues 17 and 18): what the stored notebook and the exam's text say.

The exam's seam taught after the exercises it answers (two readings of "the loss
function", the official answer, SGD's share of the penalty, three meanings of L), the
softmax Jacobian, the 2-class / binary equivalence under L2, the library cells, the
lecture figures, and no authoring vocabulary in anything a student reads: the notebook,
the exam's text, the quiz widget, and the docstrings of the modules behind them.
Everything here reads stored files or builds the widget headless: well under a second.
"""

import inspect
import re

import pytest
from conftest import AUTHORING_WORDS as AUTHORING
from conftest import (cell_printing, cells, code_cells, headings, markdown_cells, output_text,
                      source, tagged, tags)

NB = "07"


def _index(predicate, what):
    found = [i for i, c in enumerate(cells(NB)) if predicate(c)]
    assert found, f"notebook 07 has no cell with {what}"
    return found[0]


def _markdown_index(text):
    return _index(lambda c: c["cell_type"] == "markdown" and text in source(c), repr(text))


def _text_of_everything_a_student_reads():
    from course_utils import exam, quiz, symbolic
    from course_utils.symbolic import _proof, binary, multinomial
    parts = [exam.QUESTION_LATEX, *exam.ANSWERS_LATEX.values(), *exam.ANSWERS_TEXT.values(),
             *exam.HEADLINES.values(), *exam.READINGS.values(), *exam.EXPLANATIONS.values(),
             *exam.DESCENT_FEEDBACK.values()]
    widget = quiz.exam_question_widget()
    parts += [widget.question.value, widget.feedback.value]
    parts += [f.value for f in widget.formulas.values()]
    parts += [b.description + " " + b.tooltip for b in widget.buttons.values()]
    for n in range(1, 6):
        widget.select(n)
        parts.append(widget.feedback.value)
    for module in (exam, quiz, symbolic, binary, multinomial, _proof):
        parts.append(inspect.getdoc(module) or "")
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            if callable(obj) or inspect.isclass(obj):
                parts.append(inspect.getdoc(obj) or "")
    return "\n".join(parts)


# ----------------------------------------------------------------------------- D3

def test_no_authoring_vocabulary_in_notebook_07():
    found = [(i, m.group(0)) for i, c in enumerate(cells(NB))
             for m in AUTHORING.finditer(source(c) + "\n" + output_text(c))]
    assert found == []


def test_no_authoring_vocabulary_in_the_exam_text_the_quiz_widget_or_the_docstrings():
    text = _text_of_everything_a_student_reads()
    assert "Exam question." in text and "handwritten derivation" in text   # read something real
    assert AUTHORING.findall(text) == []


def test_the_old_alias_still_works_but_is_not_named_in_prose():
    from course_utils import symbolic
    assert symbolic.seed002_gradient_check is symbolic.handwritten_gradient_check
    assert "seed002" not in (inspect.getdoc(symbolic.handwritten_gradient_check) or "")
    assert "seed002" not in "".join(source(c) for c in cells(NB))


# ----------------------------------------------------------------------------- D5, D6: the seam

def test_the_seam_section_comes_after_the_exam_exercises_and_names_both_readings():
    seam = _markdown_index("## 8. Maximised or minimised?")
    quiz = _index(lambda c: "exam_question_widget()" in source(c), "the quiz widget")
    exercise = _index(lambda c: 'exercises.check("07.descent_answer"' in source(c)
                      and "solution" in tags(c), "exercise 3's solution")
    assert quiz < exercise < seam
    text = source(cells(NB)[seam])
    assert r"L(\theta) - \lambda \sum_k \lVert \theta_k \rVert^2" in text
    assert r"-L(\theta) + \lambda \sum_k \lVert \theta_k \rVert^2" in text
    assert "maximise" in text and "minimise" in text
    assert "**The official answer is 1.**" in text and "log-likelihood" in text
    assert '"is this function maximised or\nminimised?"' in text
    assert "Answers 2, 4 and 5 are wrong under either reading" in text


def test_the_seam_is_not_taught_before_the_student_answers():
    # before the exercises, the exam is stated in its own words, not already settled
    exam_section = source(cells(NB)[_markdown_index("## 6. The exam question")])
    assert '"to the loss function"' in exam_section
    assert "is to be *maximised*, so the penalty enters with a minus sign" not in exam_section
    assert "official" not in exam_section
    seam = _markdown_index("## 8. Maximised or minimised?")
    # (the title cell's learning goals name the topic, not the answer)
    first = min(i for i, c in enumerate(cells(NB)) if i > 0 and "official answer" in source(c))
    assert first >= seam


def test_sgd_share_of_the_penalty_is_taught_and_checked():
    seam = _markdown_index("## 8. Maximised or minimised?")
    sgd = _markdown_index("**The exam's \"SGD\" with a summed loss.**")
    assert sgd > seam
    text = source(cells(NB)[sgd])
    assert r"\frac{\lambda}{N}" in text and "once per epoch" in text and "$N$ times" in text
    out = output_text(cell_printing(NB, "add up to answer 1 (largest difference below 1e-12) ✓"))
    assert "the penalty counted N = 12 times ✓" in out
    assert "expect_that(" in source(cell_printing(NB, "add up to answer 1"))


def test_three_meanings_of_L_are_named():
    i = _markdown_index("**Three meanings of $L$.**")
    assert i > _markdown_index("## 8. Maximised or minimised?")
    text = source(cells(NB)[i])
    for needle in ("Slide 6b:", "*likelihood*", "regularisation slide (6c)", "*loss*",
                   "The exam:", "*log-likelihood*"):
        assert needle in text


def test_the_quiz_printout_calls_answer_three_right_for_the_other_reading():
    out = output_text(cell_printing(NB, "answer 1: correct (SymPy agrees)"))
    assert "answer 3: right for the other reading, not the official answer (SymPy agrees)" in out
    assert "answer 3: wrong" not in out


def test_the_two_readings_figure_is_in_the_seam_section():
    fig = [c for c in tagged(NB, "lecture-figure") if c["metadata"]["course"]["figure"] == "07_two_readings"]
    assert len(fig) == 1
    i = cells(NB).index(fig[0])
    assert i > _markdown_index("## 8. Maximised or minimised?")


# ----------------------------------------------------------------------------- quoted sentences gone

@pytest.mark.parametrize("quote", [
    "The slides call it the Jacobian matrix of the loss.",                           # D21
    "The exam question and the handwritten derivation penalise every weight**, the",  # D30
    "penalise every weight, the intercepts",                                          # D30
    "(the explorer's data below)",                                                    # D11
    r"\sum_m e^{\theta_m \cdot x}",                                                   # D17
    "true index 1",                                                                   # D19
])
def test_quoted_wrong_sentences_are_gone(quote):
    assert not [i for i, c in enumerate(cells(NB)) if quote in source(c) + output_text(c)]


def test_d30_is_phrased_as_an_interpretation():
    text = source(cells(NB)[_markdown_index("## 4. The L2 term")])
    assert "as we read them, penalise every weight" in text
    assert "Neither writes an intercept" in text and "interpretation" in text


# ----------------------------------------------------------------------------- D21: the Jacobian

def test_the_softmax_jacobian_is_shown_and_proved():
    cell = cell_printing(NB, "SymPy: Jacobian of softmax - (diag(p) - p p^T) = 0 ✓")
    out = output_text(cell)
    assert "SymPy: d(-log p_2)/dz = -(row 2 of the Jacobian) / p_2 = p - e_2 ✓" in out
    assert "[[ 0.2193 -0.159  -0.0603]" in out          # diag(p) - p p^T at the quiz point
    text = source(cells(NB)[_markdown_index("The slides call this matrix a Jacobian.")])
    assert "Strictly, it is a *gradient*" in text


# ----------------------------------------------------------------------------- D10, D11, D19, d

def test_all_150_points_against_the_explorers_30_is_said_where_both_appear():
    training = source(cells(NB)[_markdown_index("## 10. Training on three classes")])
    assert "**all 150 points**" in training and "trains on only 30" in training
    explorer = source(cells(NB)[_markdown_index("### The explorer")])
    assert "20/40/40" in explorer and "overfitting shows" in explorer and "80/10/10" in explorer
    assert "training accuracy on all 150 points: 0.84" in output_text(
        cell_printing(NB, "training accuracy on all 150 points"))


def test_classes_are_numbered_from_one_in_legends_and_prose():
    regions = [c for c in tagged(NB, "lecture-figure")
               if c["metadata"]["course"]["figure"] == "07_decision_regions"]
    assert len(regions) == 1
    assert 'labels=["class 1", "class 2", "class 3"]' in source(regions[0])
    assert "resolution=800" in source(regions[0])
    assert "true class 2 (index 1 in code)" in output_text(cell_printing(NB, "true class 3 (index 2 in code)"))


def test_d_is_n_plus_one_and_the_score_is_a_dot_product():
    md = "\n".join(source(c) for c in markdown_cells(NB))
    assert "$d = n + 1$" in md
    assert "d = 2$ features" not in md
    assert not re.search(r"\\theta(_\w|_\{[^}]*\})?\^(T|\\top) ?x", md)


# ----------------------------------------------------------------------------- K = 2 with L2

def test_two_class_softmax_with_l2_is_the_binary_model_with_half_the_penalty():
    proof = output_text(cell_printing(NB, "SymPy: the cheapest split is theta_0 = -Delta/2"))
    assert "theta_1 = +Delta/2 ✓" in proof
    assert "SymPy: there lambda (theta_0^2 + theta_1^2) = (lambda / 2) Delta^2 ✓" in proof
    fits = cell_printing(NB, "Delta = theta_1 - theta_0 of the 2-class softmax")
    out = output_text(fits)
    assert "both runs converged ✓" in out
    assert out.count("largest difference below") == 2 and "above" not in out
    assert "largest difference below 1e-07 ✓" in out and "largest difference below 1e-12 ✓" in out
    assert "lam=lam_two / 2" in source(fits) and "n_classes=2" in source(fits)
    text = source(cells(NB)[_markdown_index("So at the optimum")])
    assert "unpenalised" in text and "line of them" in text


# ----------------------------------------------------------------------------- library, figures

def test_with_the_library_cells_print_an_agreement_and_follow_their_heading():
    lib = tagged(NB, "with-the-library")
    assert len(lib) >= 2
    for c in lib:
        i = cells(NB).index(c)
        before = source(cells(NB)[i - 1])
        assert before.startswith("**Now with the library.**") and "tolerance" in before
        out = output_text(c)
        assert re.search(r"largest difference below \S+ ✓", out) and "above" not in out
        assert "agree(" in source(c)
    joined = "\n".join(output_text(c) for c in lib)
    for name in ("scipy.special.log_softmax", "scipy.optimize.approx_fprime",
                 "sklearn LogisticRegression"):
        assert name in joined
    assert "scipy.optimize.check_grad: norm of the difference below 1e-6 ✓" in joined
    assert "C = 1 / (2 lambda m) = 0.3333 ✓" in joined


def test_lecture_figure_cells_follow_the_convention():
    figs = tagged(NB, "lecture-figure")
    names = [c["metadata"]["course"]["figure"] for c in figs]
    assert names == ["07_two_readings", "07_decision_regions", "07_training_loss"]
    for c in figs:
        i = cells(NB).index(c)
        after = cells(NB)[i + 1]
        assert after["cell_type"] == "markdown" and source(after).startswith("*Figure:*")
        images = [o for o in c["outputs"] if "image/png" in o.get("data", {})]
        assert len(images) == 1                                  # exactly one figure
        assert source(c).count("plt.subplots(") == 1 and "plt.close" not in source(c)
        assert "fontsize=1" not in source(c) and "fontsize=2" not in source(c)


def test_long_drawing_cells_are_folded_with_words_before_them():
    for c in code_cells(NB):
        src = source(c)
        if "plt.subplots(" in src and len(src.splitlines()) > 8:
            assert c["metadata"].get("jupyter", {}).get("source_hidden") is True, src[:60]
            i = cells(NB).index(c)
            assert "folded" in source(cells(NB)[i - 1]) or "folded" in source(cells(NB)[i - 2])


def test_sections_are_numbered_in_order():
    numbered = [int(m.group(1)) for h in headings(NB) for m in [re.match(r"## (\d+)\.", h)] if m]
    assert numbered == list(range(1, 11))
