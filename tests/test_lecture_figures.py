"""Every lecture figure for slides (tools/lecture_figures.py, part of ``make figures``).

The notebooks tag the cells that draw a lecture point (``lecture-figure``, a name in the
cell metadata, a ``*Figure:*`` sentence after them). Checked here: there are at least
15, figures/README.md lists exactly them with the notebooks' own sentences, each is
committed as PNG and SVG, a fresh export of one notebook draws the same pictures as the
committed files, and a cell that breaks the convention is named in a clear error.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import nbformat
import pytest
from nbclient.exceptions import CellExecutionError

from course_utils.figures import picture_difference
from conftest import load_script

ROOT = Path(__file__).resolve().parents[1]
FIGS = ROOT / "figures"


lf = load_script("tools/lecture_figures.py")
ENTRIES = lf.lecture_figures()


def test_at_least_fifteen_lecture_figures_from_the_notebooks():
    assert len(ENTRIES) >= 15, [e["name"] for e in ENTRIES]
    assert len({e["name"] for e in ENTRIES}) == len(ENTRIES)
    assert len({e["notebook"] for e in ENTRIES}) >= 7     # spread over the lecture arc
    for e in ENTRIES:
        assert e["name"][:2] == e["notebook"][:2]
        words = e["description"].split()
        assert len(words) >= 4 and e["description"][0].isalpha(), e


def _readme_rows():
    text = (FIGS / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| \[(\w+)\.png\]\(\1\.png\) \(\[svg\]\(\1\.svg\)\) "
                      r"\| \[(\d\d)\]\(\.\./notebooks/([^)]+)\) \| (.*) \|$", text, re.M)
    return text, rows


def test_the_readme_table_gives_each_figure_the_notebooks_own_sentence():
    text, rows = _readme_rows()
    assert text == lf.readme_text(ENTRIES), "figures/README.md is out of date: run `make figures`"
    assert [(name, nb) for name, _, nb, _ in rows] == [(e["name"], e["notebook"]) for e in ENTRIES]
    for (name, _, nb, sentence), e in zip(rows, ENTRIES):
        markdown = nbformat.read(ROOT / "notebooks" / nb, as_version=4).cells[e["cell"] + 1]
        prose = " ".join(markdown.source.split())
        sentence = sentence.replace("&#124;", "|")
        # the table starts each sentence with a capital letter
        assert sentence in prose or sentence[0].lower() + sentence[1:] in prose, (name, sentence)


def test_every_lecture_figure_is_committed_as_png_and_svg_and_nothing_else_is_left():
    names = {e["name"] for e in ENTRIES}
    missing = [f"{n}{s}" for n in sorted(names) for s in (".png", ".svg")
               if not (FIGS / f"{n}{s}").is_file()]
    assert not missing, f"run `make figures` and commit: {missing}"
    orphans = sorted(p.name for p in FIGS.glob("[0-9][0-9]_*") if p.stem not in names)
    assert not orphans, f"figures no notebook draws any more: {orphans}"


def _redrawn():
    """The notebooks whose figures a fresh export redraws: the first in `make test` (fast);
    under `make portability` (COURSE_LECTURE_FIGURES=all, or a notebook's number) more."""
    chosen = os.environ.get("COURSE_LECTURE_FIGURES", "")
    paths = sorted({e["path"] for e in ENTRIES})
    if chosen == "all":
        return paths
    if chosen:
        return [p for p in paths if p.name.startswith(chosen)]
    return [ENTRIES[0]["path"]]


def test_a_fresh_export_draws_the_committed_pictures(tmp_path):
    redrawn = _redrawn()
    if not redrawn:
        pytest.skip(f"COURSE_LECTURE_FIGURES={os.environ['COURSE_LECTURE_FIGURES']!r}: "
                    "that notebook draws no lecture figure")
    written = lf.export(tmp_path, notebooks=redrawn, readme=False)
    assert written and all(p.parent == tmp_path for p in written)
    stale = {p.name: why for p in written
             if (why := picture_difference(FIGS / p.name, p)) is not None}
    assert not stale, f"figures/ is out of date: {stale}; run `make figures` and commit"


def test_the_first_sentence_is_the_description():
    assert lf.first_sentence("*Figure:* two lines. The left one is\nsteeper.") == "two lines."
    assert lf.first_sentence("*Figure:* the loss over\n$\\theta_0$\n\nMore.") == \
        "the loss over $\\theta_0$"
    assert lf.first_sentence("*Figure:* ends the cell.") == "ends the cell."
    assert lf.first_sentence("*Figure:* a value of 0.5 marks it. Then") == \
        "a value of 0.5 marks it."


def _notebook(tmp_path, name, draw, after="*Figure:* a line. More.", file="99_demo.ipynb"):
    setup = nbformat.v4.new_code_cell(
        "import matplotlib.pyplot as plt\nfrom course_utils.plotting import use_style\n"
        "use_style()")
    cell = nbformat.v4.new_code_cell(draw)
    cell.metadata["tags"] = ["lecture-figure"]
    if name is not None:
        cell.metadata["course"] = {"figure": name}
    cells = [setup, cell] + ([nbformat.v4.new_markdown_cell(after)] if after else [])
    nb = nbformat.v4.new_notebook(cells=cells)
    path = tmp_path / file
    nbformat.write(nb, path)
    return path


@pytest.mark.parametrize("name, after, message", [
    (None, "*Figure:* x.", "set the cell metadata"),
    ("99 bad name", "*Figure:* x.", "lower-case words"),
    ("98_line", "*Figure:* x.", "must start with the notebook's number 99"),
    ("99_line", "A figure without the mark.", "Markdown beginning with"),
    ("99_line", None, "Markdown beginning with"),
])
def test_a_cell_that_breaks_the_convention_is_named(tmp_path, name, after, message):
    path = _notebook(tmp_path, name, "plt.plot([0, 1])", after=after)
    with pytest.raises(lf.LectureFigureError, match=message) as info:
        lf.lecture_figures([path])
    assert "99_demo.ipynb, cell 1" in str(info.value)


def test_a_name_used_twice_is_refused(tmp_path):
    paths = [_notebook(tmp_path, "99_line", "plt.plot([0, 1])", file=f) for f in
             ("99_a.ipynb", "99_b.ipynb")]
    with pytest.raises(lf.LectureFigureError, match="already used by 99_a.ipynb, cell 1"):
        lf.lecture_figures(paths)


def test_a_cell_must_draw_exactly_one_figure_and_show_keeps_it(tmp_path):
    one = _notebook(tmp_path, "99_line", "fig, ax = plt.subplots()\nax.plot([0, 1])\nplt.show()")
    out = tmp_path / "out"
    written = lf.export(out, notebooks=[one], readme=False)
    assert sorted(p.name for p in written) == ["99_line.png", "99_line.svg"]
    two = _notebook(tmp_path, "99_two", "plt.figure()\nplt.figure()", file="99_two.ipynb")
    with pytest.raises(CellExecutionError, match="drew 2 figures"):
        lf.export(out, notebooks=[two], readme=False)
