"""Notebook 00's content: the notation box, the projector switch, the sigmoid as a lecture figure.

The notation box is the one place where the course's symbols meet the slides' (examples as
rows against the slides' columns, the score theta . x against their theta^T x, classes 1..K
against code indices 0..K-1); the other notebooks follow it. These tests read the stored
notebook (fast): the box exists with its rows, the slides' theta^T x appears nowhere else in
00, the instruction for the projector style is true of every notebook's first code cell, and
the sigmoid figure is exported as a lecture figure with its one-sentence description.
"""

from __future__ import annotations

import re

import pytest
from conftest import NOTEBOOK_DIR, cells, code_cells, has_image, markdown_cells, source, tags

NB = "00"
NOTATION_HEADING = "## The notation of the course"
# the slides' way of writing the score, in LaTeX or as printed text
THETA_T = re.compile(r"\\theta\s*\^\s*\{?\s*(T|\\top)\s*\}?|θᵀ|theta\^T")


def notation_box():
    found = [c for c in markdown_cells(NB) if source(c).startswith(NOTATION_HEADING)]
    assert len(found) == 1, f"notebook 00 needs one cell headed {NOTATION_HEADING!r}"
    return source(found[0])


def table_rows(text):
    """The rows of the Markdown table in ``text`` as lists of cell texts (header and rule dropped)."""
    rows = [[part.strip() for part in line.strip().strip("|").split("|")]
            for line in text.splitlines() if line.lstrip().startswith("|")]
    return [r for r in rows[2:]]


def test_the_notation_box_has_a_row_for_every_symbol():
    rows = {r[0]: r for r in table_rows(notation_box())}
    for symbol in ["$m$", "$n$", "$x$", "$d = n + 1$", "$X$", r"$\theta \cdot x$", "$K$",
                   "classes", r"$L(\theta)$", r"$\ell(\theta)$", r"$J(\theta)$", r"$\alpha$",
                   r"$\lambda$"]:
        assert symbol in rows, f"the notation box has no row for {symbol}: {sorted(rows)}"
        assert all(len(r) == 3 for r in rows.values()), "three columns: symbol, meaning, remark"
    # what each row must tell a student who compares with the slides
    assert "row" in rows["$X$"][1] and "column" in rows["$X$"][2] and "transpose" in rows["$X$"][2]
    assert r"m \times d" in rows["$X$"][1] and r"(n + 1) \times m" in rows["$X$"][2]
    assert r"\theta^T x" in rows[r"$\theta \cdot x$"][2] and "same number" in rows[r"$\theta \cdot x$"][2]
    assert "likelihood" in rows[r"$L(\theta)$"][1] and "log-likelihood" in rows[r"$L(\theta)$"][2]
    assert "exam" in rows[r"$L(\theta)$"][2]
    assert r"-\frac{1}{m} \log L(\theta)" in rows[r"$\ell(\theta)$"][2]
    assert "notebook 03" in rows[r"$\ell(\theta)$"][1] and "notebook 04" in rows[r"$J(\theta)$"][1]
    assert "maximised" in rows[r"$J(\theta)$"][2] and "reward large weights" in rows[r"$J(\theta)$"][2]
    assert "`lr`" in rows[r"$\alpha$"][2] and "`lam`" in rows[r"$\lambda$"][2]
    assert "`m, d = X.shape`" in rows["$d = n + 1$"][2] and "without" in rows["$n$"][1].lower()
    classes = " ".join(rows["classes"])
    assert r"1, \dots, K" in classes and "index 1 in code" in classes and "$y = 0$" in classes


def test_the_notation_box_comes_before_the_summary_and_the_summary_points_to_it():
    texts = [source(c) for c in cells(NB)]
    box = next(i for i, t in enumerate(texts) if t.startswith(NOTATION_HEADING))
    summary = next(i for i, t in enumerate(texts) if t.startswith("## Summary"))
    assert box < summary
    assert "notation table" in texts[summary] and "d = n + 1" in texts[summary]
    assert "notation" in source(cells(NB)[1]), "a learning goal names the notation"


def test_theta_transpose_x_appears_only_in_the_notation_box():
    outside = [source(c)[:60] for c in cells(NB)
               if THETA_T.search(source(c)) and not source(c).startswith(NOTATION_HEADING)]
    assert outside == []
    assert THETA_T.search(notation_box()), "the box gives the slides' theta^T x once"
    assert THETA_T.search(r"$\theta^T x$") and THETA_T.search("θᵀx") and not THETA_T.search("θ·x")


def first_code_cell(path):
    return source(code_cells(path)[0])


def test_the_projector_instruction_is_true_of_every_notebook():
    # notebook 00 tells instructors that each notebook's first code cell has a one-line switch
    # with a comment saying how to flip it: check that claim on every notebook of the course
    how = next(source(c) for c in markdown_cells(NB) if "## How to use these notebooks" in source(c))
    assert "first code cell of every notebook" in how and 'use_style("projector")' in how
    notebooks = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
    assert len(notebooks) >= 9
    for path in notebooks:
        switch = [line for line in first_code_cell(path).splitlines()
                  if "#" in line and "class" in line.split("#", 1)[1] and "projector" in line]
        assert len(switch) == 1, f"{path.name}: no one-line projector switch in the first code cell"
    own = first_code_cell(NOTEBOOK_DIR / "00_start_here.ipynb")
    assert re.search(r"^use_style\(\)", own, re.M), "00's text says: change use_style() here"


def test_the_sigmoid_is_a_lecture_figure_with_its_description():
    nb = cells(NB)
    figures = [i for i, c in enumerate(nb) if "lecture-figure" in tags(c)]
    assert len(figures) == 1
    i = figures[0]
    cell = nb[i]
    assert cell["metadata"]["course"] == {"figure": "00_sigmoid"}
    images = [o for o in cell["outputs"] if "image/png" in o.get("data", {})]
    assert len(images) == 1 and has_image(cell), "exactly one figure"
    assert "plt.subplots(" in source(cell) and "plt.close" not in source(cell)
    after = source(nb[i + 1])
    assert after.startswith("*Figure:* The logistic function")
    first = " ".join(after.split("\n\n")[0].split())
    assert re.search(r"\.$|\. ", first), "the description is a sentence"


@pytest.mark.parametrize("cell_index", [i for i, c in enumerate(cells(NB))
                                        if c["cell_type"] == "code" and has_image(c)])
def test_long_drawing_cells_are_folded(cell_index):
    cell = cells(NB)[cell_index]
    if len(source(cell).splitlines()) > 8:
        assert cell["metadata"].get("jupyter", {}).get("source_hidden") is True
