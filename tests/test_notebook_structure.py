"""Every notebook follows the course's shape (design.md, "Notebooks").

One H1 title, learning goals, a summary, executed cells numbered 1..n with no stored
errors, a sentence after every figure, hidden worked solutions, slide metadata, and
nothing that ties the notebook to this machine.
"""

import re

import pytest
from conftest import (AUTHORING_WORDS, LECTURE_NUMBER, NOTEBOOK_DIR, cells, code_cells, has_image, load,
                      markdown_cells, output_text, source, tags)

NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
EXPECTED = ["00_start_here", "01_sigmoid_and_logistic_regression",
            "02_decision_boundaries_and_metrics", "03_cross_entropy_derivation",
            "04_gradient_descent", "05_regularization_and_early_stopping", "06_softmax",
            "07_multinomial_gradient_with_l2", "08_news_classification"]


def test_the_course_has_its_notebooks_in_lecture_order():
    present = [p.stem for p in NOTEBOOKS]
    missing = [name for name in EXPECTED if name not in present]
    assert present == [n for n in EXPECTED if n in present]
    assert not missing, f"missing notebooks: {missing}"


ids = [p.stem for p in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_title_goals_and_summary(path):
    md = [source(c) for c in markdown_cells(path)]
    h1 = [s for s in md if re.search(r"^# \S", s, re.M)]
    assert len(h1) == 1, "exactly one H1 title"
    assert re.search(r"^# \S", source(cells(path)[0]), re.M), "the title is the first cell"
    assert any(re.search(r"learning goals", s, re.I) for s in md), "learning goals"
    assert any(re.search(r"^##+ .*summary", s, re.I | re.M) for s in md), "a Summary section"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_executed_in_order_without_errors(path):
    code = code_cells(path)
    counts = [c["execution_count"] for c in code]
    assert counts == list(range(1, len(counts) + 1)), "cells numbered 1..n (make notebooks)"
    errors = [o for c in code for o in c["outputs"]
              if o["output_type"] == "error" and "raises-exception" not in tags(c)]
    assert not errors


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_every_figure_is_followed_by_a_description(path):
    nb = cells(path)
    for i, cell in enumerate(nb):
        if cell["cell_type"] == "code" and has_image(cell):
            nxt = nb[i + 1] if i + 1 < len(nb) else None
            assert nxt is not None and nxt["cell_type"] == "markdown", (
                f"cell {i} draws a figure but no text describes it")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_solutions_are_hidden_and_exercises_self_check(path):
    solutions = [c for c in cells(path) if "solution" in tags(c)]
    for c in solutions:
        assert c["metadata"].get("jupyter", {}).get("source_hidden") is True
    if path.stem != "00_start_here":
        assert solutions, "exercises come with a hidden worked solution"
        text = "\n".join(source(c) for c in code_cells(path))
        assert "exercises.check(" in text, "a self-check cell"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_lecture_numbers_are_tagged_and_their_checks_passed(path):
    # The content tests find the lecture's worked numbers through this tag (tests/conftest.py):
    # every cell that compares a number with the slide (expect prints "(slide: ...)") has it,
    # and every tagged cell printed something and no failed check.
    slide_checks = [c for c in code_cells(path) if re.search(r"\(slide: .*\) [✓✗]$",
                                                              output_text(c), re.M)]
    tagged = [c for c in code_cells(path) if LECTURE_NUMBER in tags(c)]
    untagged = [source(c)[:60] for c in slide_checks if LECTURE_NUMBER not in tags(c)]
    assert not untagged, f"cells comparing with the slide without the {LECTURE_NUMBER!r} tag: {untagged}"
    for c in tagged:
        assert output_text(c).strip(), f"a {LECTURE_NUMBER!r} cell printed nothing: {source(c)[:60]!r}"
        assert "✗" not in output_text(c)
    assert all(LECTURE_NUMBER not in tags(c) for c in markdown_cells(path))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_slide_metadata_and_no_machine_paths(path):
    nb = load(path)
    assert all("slideshow" in c["metadata"] for c in nb["cells"]), "slide metadata on every cell"
    text = path.read_text()
    assert "/work/" not in text and "/root/" not in text and "/tmp/" not in text
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_notebook_is_small(path):
    assert path.stat().st_size < 2_000_000


@pytest.mark.parametrize("path", NOTEBOOKS + sorted((NOTEBOOK_DIR / "apps").glob("*.ipynb")),
                         ids=lambda p: p.stem)
def test_students_read_no_authoring_vocabulary(path):
    # students know "the exam question" and "the handwritten derivation", not our file names;
    # an older name kept as an alias for old copies is code, not prose, and is allowed
    nb = load(path)
    found = [(i, m.group(0)) for i, c in enumerate(nb["cells"])
             for m in AUTHORING_WORDS.finditer(source(c) + "\n" + output_text(c))]
    assert found == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_long_drawing_code_is_folded_out_of_sight(path):
    # in class the mathematics stays on screen: a cell that draws a figure with more than
    # eight lines of code shows "..." in JupyterLab (its source is folded)
    long = [i for i, c in enumerate(cells(path)) if c["cell_type"] == "code" and has_image(c)
            and len(source(c).splitlines()) > 8
            and not c["metadata"].get("jupyter", {}).get("source_hidden")]
    assert long == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_lecture_figure_cells_store_exactly_one_picture(path):
    for i, c in enumerate(cells(path)):
        if "lecture-figure" in tags(c):
            pictures = [o for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
            assert len(pictures) == 1, f"cell {i} ({c['metadata']['course']['figure']})"
            assert "plt.close(" not in source(c), f"cell {i}: make figures needs the figure open"


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if "01" <= p.name[:2] <= "07"],
                         ids=lambda p: p.stem[:2])
def test_the_library_follows_the_scratch_code_and_agrees(path):
    # notebooks 01-07 each end a from-scratch part with the library call that does the same,
    # printed next to ours by selfcheck.agree (or checked by expect/expect_that)
    nb = cells(path)
    library = [i for i, c in enumerate(nb) if "with-the-library" in tags(c)]
    assert library, "no cell tagged with-the-library"
    for i in library:
        assert source(nb[i - 1]).startswith("**Now with the library.**"), f"cell {i - 1}"
        out = output_text(nb[i])
        assert "✓" in out and "✗" not in out, f"cell {i}: {out[:200]}"
        assert re.search(r"largest difference below \S+ ✓", out) or "agree(" not in source(nb[i])
