"""Content checks for notebooks 01-03 beyond nbval.

nbval proves that the stored outputs are reproduced; these tests prove that the
stored outputs are the *right* ones: every worked number of lecture parts 6a-6c is
asserted, every exercise has a hidden solution that passes its own self-check, and
every figure has a text description.
"""

from __future__ import annotations

import re

import pytest
from conftest import all_output, has_image, lecture_numbers, load, output_text, tags

NB01 = "01_sigmoid_and_logistic_regression.ipynb"
NB02 = "02_decision_boundaries_and_metrics.ipynb"
NB03 = "03_cross_entropy_derivation.ipynb"

# Lines that must appear in the stored outputs of the cells tagged lecture-number: the
# lecture's worked numbers, most of them compared with the slide in the cell
# (selfcheck.expect or a visible assert).
WORKED_NUMBERS = {
    NB01: [
        "sigmoid(-2) = 0.12   (slide: 0.12) ✓",
        "predicted classes = (1, 0, 0, 0)   (slide: (1, 0, 0, 0)) ✓",
        "θ·x for (1, 1, 1) = -2   (slide: -2) ✓",
        "This is a great film!        x = (1, 1, 0)",
        "Worst crap I've ever seen.   x = (1, 0, 1)",
        "Great plot but bad acting.   x = (1, 1, 1)",
        "The film was made in 2008.   x = (1, 0, 0)",
        "with the dummy feature: [1.   0.   1.   0.   0.02]",
    ],
    NB02: [
        "accuracy = 0.6875   (slide: 0.6875) ✓\n  as a fraction: 11/16, the slide's 11/16",
        "precision = 0.7778   (slide: 0.7778) ✓\n  as a fraction: 7/9, the slide's 7/9",
        "recall = 0.7000   (slide: 0.7000) ✓\n  as a fraction: 7/10, the slide's 7/10",
        "TP = 7, FP = 2, FN = 3, TN = 4",
        "TP 7, FP 2, FN 3, TN 4. Accuracy 11/16",
    ],
    NB03: [
        "lecture's theta   : relative error < 1e-7: True",
        "random theta 1    : relative error < 1e-7: True",
        "random theta 2    : relative error < 1e-7: True",
        "SymPy: lhs - rhs simplifies to 0 -> proved",
        "d loss / dt - (sigma(t) - y) simplifies to 0",
        "log(sigmoid(-800)) = -inf    log_sigmoid(-800) = -800.0",
    ],
}


@pytest.fixture(scope="module", params=[NB01, NB02, NB03])
def notebook(request):
    return request.param, load(request.param)


def test_one_h1_first_then_learning_goals_and_summary_last(notebook):
    name, nb = notebook
    headings = [line for c in nb.cells if c.cell_type == "markdown"
                for line in c.source.splitlines() if re.match(r"#\s", line)]
    assert len(headings) == 1, f"{name}: expected exactly one H1, found {headings}"
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    assert nb.cells[1].source.startswith("## Learning goals")
    assert "\n- " in nb.cells[1].source, f"{name}: learning goals should be a bulleted list"
    assert nb.cells[-1].source.startswith("## Summary")


def test_first_code_cell_sets_style_with_projector_switch(notebook):
    name, nb = notebook
    first = next(c for c in nb.cells if c.cell_type == "code")
    assert "use_style()" in first.source and 'use_style("projector")' in first.source, name


def test_executed_in_order_without_errors(notebook):
    name, nb = notebook
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1)), name
    assert not any(out.output_type == "error" for c in code for out in c.outputs), name


def test_every_figure_is_followed_by_a_description(notebook):
    name, nb = notebook
    n_figures = 0
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and has_image(cell):
            n_figures += 1
            nxt = nb.cells[i + 1]
            assert nxt.cell_type == "markdown" and nxt.source.startswith("*Figure:*"), (
                f"{name}: the figure of cell {i} needs a one-sentence description after it")
    assert n_figures >= 1, name


def test_no_stray_reprs_in_outputs(notebook):
    name, nb = notebook
    text = all_output(nb)
    assert "<matplotlib." not in text and " at 0x" not in text, name


def test_exercises_have_check_and_hidden_passing_solution(notebook):
    name, nb = notebook
    starts = [i for i, c in enumerate(nb.cells)
              if c.cell_type == "markdown" and c.source.startswith("### Exercise")]
    assert len(starts) >= 2, f"{name}: at least two exercises expected"
    for i in starts:
        stub, check, hint, intro, solution = nb.cells[i + 1:i + 6]
        assert "hint" in tags(hint) and hint.source.count("<details>") == 2
        assert "None  # your" in stub.source, f"{name}: exercise at cell {i} needs an answer stub"
        # an exercise of the notebook ("01.p_spam") or a function the student builds ("sigmoid")
        assert re.fullmatch(r'exercises\.check\("(\d\d\.)?\w+", \w+[^\n]*\)', check.source.strip())
        assert "exercise-check" in tags(check)
        assert "Not answered yet" in output_text(check), f"{name}: the stored check shows the empty state"
        assert intro.source.startswith("Solution (click the ⋯ to reveal)")
        assert "solution" in tags(solution)
        assert solution.metadata.get("jupyter", {}).get("source_hidden") is True
        assert solution.metadata["jupyter"].get("outputs_hidden") is True
        assert solution.metadata["slideshow"]["slide_type"] == "skip"
        assert check.source.strip() in solution.source, "the solution must re-run the self-check"
        assert "Correct" in output_text(solution), f"{name}: the worked solution at cell {i} must pass"


def test_every_cell_has_slide_metadata(notebook):
    name, nb = notebook
    for i, cell in enumerate(nb.cells):
        kind = cell.metadata.get("slideshow", {}).get("slide_type")
        assert kind in {"slide", "subslide", "fragment", "-", "skip", "notes"}, (name, i)
        if cell.cell_type == "markdown" and re.match(r"#{1,2}\s", cell.source):
            assert kind == "slide" or cell.source.startswith("## Learning goals"), (name, i)


@pytest.mark.parametrize("name", [NB01, NB02, NB03])
def test_worked_numbers_are_asserted_in_outputs(name):
    shown = lecture_numbers(name)
    for line in WORKED_NUMBERS[name]:
        assert line in shown, f"{name}: no cell tagged lecture-number prints {line!r}"
    assert "✗" not in all_output(name), f"{name}: a check failed in the stored outputs"


def test_nb01_compares_naive_bayes_and_logistic_regression():
    nb = load(NB01)
    text = all_output(nb)
    acc = dict(re.findall(r"(Gaussian Naive Bayes|logistic regression)\s+test accuracy = ([0-9.]+)", text))
    assert set(acc) == {"Gaussian Naive Bayes", "logistic regression"}
    # The point of the demo: on correlated features the two models really differ.
    assert float(acc["logistic regression"]) - float(acc["Gaussian Naive Bayes"]) > 0.1


def test_nb02_widget_cell_is_the_only_ignored_output():
    nb = load(NB02)
    ignored = [c for c in nb.cells if "nbval-ignore-output" in tags(c)]
    assert len(ignored) == 1 and "decision_boundary_widget(X, y, theta=(-1, 2, -3))" in ignored[0].source
    i = nb.cells.index(ignored[0])
    before = "\n".join(c.source for c in nb.cells[i - 2:i] if c.cell_type == "markdown")
    assert "RISE" in before and "make present" in before


def test_nb03_every_derivation_step_is_checked_by_sympy():
    text = all_output(load(NB03))
    marks = re.findall(r"^step +\d+: .*\[SymPy: (.)\]$", text, flags=re.M)
    assert len(marks) >= 10 and set(marks) == {"✓"}
    latex = [out.data["text/latex"] for c in load(NB03).cells if c.cell_type == "code"
             for out in c.outputs if "text/latex" in out.get("data", {})]
    assert any(r"\sigma{\left(t \right)}" in t and "x_{1}" in t for t in latex), \
        "the last step should show x_1 (sigma(t) - y)"


def test_nb03_shows_the_product_underflowing():
    text = all_output(load(NB03))
    row = re.search(r"^\s*10000\s+(\S+)\s+(\S+)$", text, flags=re.M)
    assert row is not None
    assert float(row.group(1)) == 0.0 and float(row.group(2)) < -1000


def test_nb02_theta0_sweep_keeps_points_off_the_line_and_matches_its_text():
    nb = load(NB02)
    cell = next(c for c in nb.cells if c.cell_type == "code" and "for theta0 in" in c.source)
    # a point on the line would get its class from rounding noise: the cell checks the margin
    assert "assert np.min(np.abs(scores)) >" in cell.source
    rows = re.findall(r"^\s*(-?\d+\.\d)" + r"\s+(\d+)" * 4 + r"\s+([0-9.]+)" * 3 + "$",
                      output_text(cell), flags=re.M)
    counts = {r[0]: tuple(map(int, r[1:5])) for r in rows}
    assert counts["-1.0"] == (7, 2, 3, 4), "the lecture's line must be in the table"
    recalls = [float(r[7]) for r in rows]
    assert recalls == sorted(recalls) and recalls[0] == 0.1 and recalls[-1] == 1.0
    # the text below the table: theta_0 = 1.5 beats the lecture's line (accuracy 14/16)
    assert counts["1.5"] == (10, 2, 0, 4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert r"$\theta_0 = 1.5$ beats the lecture's line on every count (accuracy 14/16)" in text
