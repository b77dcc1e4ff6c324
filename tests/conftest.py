"""Shared set-up of the tests: matplotlib's Agg backend, and the helpers that read notebooks.

Agg is chosen here, once, before any test module imports pyplot: the tests draw figures
on machines without a display, and the interactive backends are not what they test.

The notebook helpers read the *stored* notebooks (sources, outputs, tags) for the content
tests; they accept a notebook as a path, a file name or its two-digit prefix ("04"), and
a cell as the dict that ``json`` or ``nbformat`` gives. Test modules import them with
``from conftest import ...``.

Cell tags the content tests rely on (cell metadata; the README's contributor section
lists the whole vocabulary):

* ``lecture-number``: the cell prints a worked number of the lecture (a slide's number,
  most often through ``selfcheck.expect``, which prints ``(slide: ...) ✓`` after comparing).
  The content tests check that cell's stored output, and nbval that the code still prints
  it: a reformatted line of code keeps passing, a changed number fails. Every cell that
  compares a number with the slide carries the tag (test_notebook_structure.py).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")   # before any test module imports pyplot

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
LECTURE_NUMBER = "lecture-number"
#: What a student never reads: our source files' names ("seed 002"), "design notes",
#: issue numbers. Checked in notebooks, docstrings, widget text and the static site.
AUTHORING_WORDS = re.compile(r"\bseed ?0\d\d|\bseed_?0\d\d|design notes|design\.md|\bissue #?\d+\b",
                             flags=re.IGNORECASE)


def notebook_path(notebook):
    """The path of a course notebook given as a path, a file name, a stem or a prefix."""
    if isinstance(notebook, Path):
        return notebook
    name = str(notebook)
    exact = NOTEBOOK_DIR / (name if name.endswith(".ipynb") else name + ".ipynb")
    if exact.is_file():
        return exact
    found = sorted(NOTEBOOK_DIR.glob(f"{name}_*.ipynb"))
    if len(found) != 1:
        raise ValueError(f"notebook {notebook!r} names {len(found)} notebooks in "
                         f"{NOTEBOOK_DIR}; give a prefix such as '04' or a file name.")
    return found[0]


@functools.lru_cache(maxsize=None)
def _read(path):
    # nbformat's v4 reader: joined sources and texts, attribute access, no schema
    # validation (nbval and test_notebook_structure cover the file's shape)
    import nbformat.v4   # here: most test files read no notebook
    return nbformat.v4.reads(path.read_text(encoding="utf-8"))


def load(notebook):
    """The stored notebook (an ``nbformat`` node), read once per test session.

    Shared between tests: read it, do not change it (``copy.deepcopy`` it first). A
    notebook already loaded (a dict with cells) is returned as it is.
    """
    if isinstance(notebook, dict):
        return notebook
    return _read(notebook_path(notebook).resolve())


def _name(notebook):
    return "the notebook" if isinstance(notebook, dict) else notebook_path(notebook).name


def cells(notebook):
    """All cells of a stored notebook, in order."""
    return load(notebook)["cells"]


def code_cells(notebook):
    return [c for c in cells(notebook) if c["cell_type"] == "code"]


def markdown_cells(notebook):
    return [c for c in cells(notebook) if c["cell_type"] == "markdown"]


def _joined(value):
    return "".join(value) if isinstance(value, list) else value


def source(cell):
    """A cell's source as one string."""
    return _joined(cell["source"])


def tags(cell):
    return list(cell["metadata"].get("tags", []))


def tagged(notebook, tag):
    """The cells of ``notebook`` that carry ``tag``, in order."""
    return [c for c in cells(notebook) if tag in tags(c)]


def _as_cells(cell_or_cells):
    if isinstance(cell_or_cells, dict) and "cell_type" in cell_or_cells:
        return [cell_or_cells]
    return list(cell_or_cells)


def stream_text(cell_or_cells):
    """What code cells printed (stdout and stderr), chunks joined as they were printed."""
    return "".join(_joined(o["text"]) for c in _as_cells(cell_or_cells) if c["cell_type"] == "code"
                   for o in c.get("outputs", []) if o["output_type"] == "stream")


def output_text(cell):
    """All text a code cell printed or displayed: its streams as printed, and the LaTeX
    and plain-text forms of its results and displays, each on lines of their own."""
    parts = []
    for o in cell.get("outputs", []):
        if o["output_type"] == "stream":
            parts.append(_joined(o["text"]))
        elif o["output_type"] in ("execute_result", "display_data"):
            for mime in ("text/latex", "text/plain"):
                if mime in o.get("data", {}):
                    parts.append("\n" + _joined(o["data"][mime]) + "\n")
    return "".join(parts)


def all_output(notebook):
    """The output text of every code cell of ``notebook``, one cell after another."""
    return "\n".join(output_text(c) for c in code_cells(notebook))


def has_image(cell):
    return any("image/png" in o.get("data", {}) for o in cell.get("outputs", []))


def headings(notebook):
    """Every Markdown heading line of ``notebook`` ("# ...", "## ...", ...), in order."""
    return [line for c in markdown_cells(notebook) for line in source(c).splitlines()
            if line.startswith("#")]


def code_with(notebook, needle):
    """The code cells whose source contains ``needle`` (at least one must)."""
    found = [c for c in code_cells(notebook) if needle in source(c)]
    assert found, f"no code cell of {_name(notebook)} contains {needle!r}"
    return found


def cells_printing(notebook, text, *, streams_only=False):
    """The code cells whose stored output contains ``text``."""
    read = stream_text if streams_only else output_text
    return [c for c in code_cells(notebook) if text in read(c)]


def cell_printing(notebook, text, *, streams_only=False):
    """The one code cell whose stored output contains ``text`` (exactly one must)."""
    hits = cells_printing(notebook, text, streams_only=streams_only)
    assert len(hits) == 1, f"{_name(notebook)}: {len(hits)} cells print {text!r}"
    return hits[0]


def lecture_numbers(notebook):
    """The stored output of the cells tagged ``lecture-number``, one cell after another."""
    return "\n".join(output_text(c) for c in tagged(notebook, LECTURE_NUMBER))


def load_script(path, name=None):
    """A script outside the package (``tools/publish.py``, ``.ci/execute_notebooks.py``) as a
    module: ``path`` relative to the checkout. Nothing in ``course_utils`` imports these."""
    import importlib.util
    path = ROOT / path
    spec = importlib.util.spec_from_file_location(name or path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def library_cell(notebook):
    """(index, cell, the Markdown before it on one line) of the one ``with-the-library`` cell."""
    nb = cells(notebook)
    found = [i for i, c in enumerate(nb) if "with-the-library" in tags(c)]
    assert len(found) == 1, f"one with-the-library cell expected, found {len(found)}"
    i = found[0]
    before = " ".join(source(nb[i - 1]).split())
    assert before.startswith("**Now with the library.**")
    return i, nb[i], before
