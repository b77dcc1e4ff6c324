"""Every notebook follows the course's shape (design.md, "Notebooks").

One H1 title, learning goals, a summary, executed cells numbered 1..n with no stored
errors, a sentence after every figure, hidden worked solutions, slide metadata, and
nothing that ties the notebook to this machine.
"""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
EXPECTED = ["00_start_here", "01_sigmoid_and_logistic_regression",
            "02_decision_boundaries_and_metrics", "03_cross_entropy_derivation",
            "04_gradient_descent", "05_regularization_and_early_stopping", "06_softmax",
            "07_multinomial_gradient_with_l2", "08_news_classification"]


def load(path):
    return json.loads(path.read_text())


def source(cell):
    s = cell["source"]
    return "".join(s) if isinstance(s, list) else s


def test_the_course_has_its_notebooks_in_lecture_order():
    present = [p.stem for p in NOTEBOOKS]
    missing = [name for name in EXPECTED if name not in present]
    assert present == [n for n in EXPECTED if n in present]
    assert not missing, f"missing notebooks: {missing}"


ids = [p.stem for p in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_title_goals_and_summary(path):
    cells = load(path)["cells"]
    md = [source(c) for c in cells if c["cell_type"] == "markdown"]
    h1 = [s for s in md if re.search(r"^# \S", s, re.M)]
    assert len(h1) == 1, "exactly one H1 title"
    assert re.search(r"^# \S", source(cells[0]), re.M), "the title is the first cell"
    assert any(re.search(r"learning goals", s, re.I) for s in md), "learning goals"
    assert any(re.search(r"^##+ .*summary", s, re.I | re.M) for s in md), "a Summary section"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_executed_in_order_without_errors(path):
    cells = load(path)["cells"]
    counts = [c["execution_count"] for c in cells if c["cell_type"] == "code"]
    assert counts == list(range(1, len(counts) + 1)), "cells numbered 1..n (make notebooks)"
    errors = [o for c in cells if c["cell_type"] == "code" for o in c["outputs"]
              if o["output_type"] == "error" and "raises-exception" not in c["metadata"].get("tags", [])]
    assert not errors


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_every_figure_is_followed_by_a_description(path):
    cells = load(path)["cells"]
    for i, cell in enumerate(cells):
        has_image = cell["cell_type"] == "code" and any(
            "image/png" in o.get("data", {}) for o in cell.get("outputs", []))
        if has_image:
            nxt = cells[i + 1] if i + 1 < len(cells) else None
            assert nxt is not None and nxt["cell_type"] == "markdown", (
                f"cell {i} draws a figure but no text describes it")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_solutions_are_hidden_and_exercises_self_check(path):
    cells = load(path)["cells"]
    solutions = [c for c in cells if "solution" in c["metadata"].get("tags", [])]
    for c in solutions:
        assert c["metadata"].get("jupyter", {}).get("source_hidden") is True
    if path.stem != "00_start_here":
        assert solutions, "exercises come with a hidden worked solution"
        text = "\n".join(source(c) for c in cells if c["cell_type"] == "code")
        assert "check_answer(" in text or "check_choice(" in text, "a self-check cell"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_slide_metadata_and_no_machine_paths(path):
    nb = load(path)
    cells = nb["cells"]
    assert all("slideshow" in c["metadata"] for c in cells), "slide metadata on every cell"
    text = path.read_text()
    assert "/work/" not in text and "/root/" not in text and "/tmp/" not in text
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_notebook_is_small(path):
    assert path.stat().st_size < 2_000_000
