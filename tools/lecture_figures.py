"""Every lecture figure of the notebooks as PNG and SVG for slides, with a table of them.

Instructors build their own decks; this writes each figure the notebooks draw for a
lecture point into ``figures/`` in the projector style, named ``NN_topic.png`` /
``NN_topic.svg``, and ``figures/README.md``: a table of file, notebook and the one
sentence the notebook says about the figure. ``make figures`` runs it; offline, no
network. Not part of the package students import.

Which cells: a code cell tagged ``lecture-figure`` with the cell metadata
``"course": {"figure": "NN_topic"}`` (NN: the notebook's two digits). It draws exactly
one matplotlib figure through pyplot, and the Markdown cell right after it begins with
``*Figure:*``; the first sentence of that cell is the figure's description.

How: each notebook with such cells runs top to bottom in a fresh kernel (nbclient),
as ``make notebooks`` runs it, with three additions that exist only in that kernel:
after the cell that chooses the style, the session switches to the projector style and
to matplotlib's Agg backend (so a ``plt.show()`` in a cell leaves the figure open); a
tagged cell remembers which figures existed before it and, at its end, saves the one
figure it drew with :func:`course_utils.figures.save_figure` (byte-stable PNG and SVG);
every other figure is closed after its cell. Re-drawing in the notebook's own code is
what keeps the slide figure equal to the lecture's: no second copy of the drawing code.
A file that already shows the same picture is left untouched
(:func:`course_utils.figures.keep_if_same_picture`), so another processor's last bits do
not rewrite committed figures.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
TAG = "lecture-figure"
#: ``NN_topic``: the notebook's two digits, then lower-case words joined by underscores.
NAME = re.compile(r"(\d\d)_[a-z0-9]+(?:_[a-z0-9]+)*")
FIGURE_MARK = "*Figure:*"
#: Seconds a cell may run while the figures are drawn (the capstone's longest is ~10 s).
CELL_TIMEOUT = 300

__all__ = ["lecture_figures", "first_sentence", "export", "readme_text", "main"]


class LectureFigureError(ValueError):
    """A tagged cell that does not follow the convention above; the message says which."""


def first_sentence(text):
    """The first sentence of a ``*Figure:*`` description, on one line.

    It ends at the first full stop followed by a space or a line break, or at the end
    of the first paragraph.

    >>> first_sentence("*Figure:* two lines. The left one is\\nsteeper.")
    'two lines.'
    >>> first_sentence("*Figure:* the loss over\\n$\\\\theta_0$ and $\\\\theta_1$\\n\\nMore.")
    'the loss over $\\\\theta_0$ and $\\\\theta_1$'
    """
    body = text.strip()
    if body.startswith(FIGURE_MARK):
        body = body[len(FIGURE_MARK):]
    paragraph = re.split(r"\n\s*\n", body.strip(), maxsplit=1)[0]
    paragraph = " ".join(paragraph.split())
    end = re.search(r"\.(?=\s)", paragraph)
    return paragraph[:end.end()] if end else paragraph


def _source(cell):
    return "".join(cell.source) if isinstance(cell.source, list) else cell.source


def lecture_figures(notebooks=None):
    """Every tagged figure cell, in notebook and cell order.

    Parameters
    ----------
    notebooks : sequence of path, optional
        Notebook files (default: ``notebooks/*.ipynb`` of the course).

    Returns
    -------
    list of dict
        ``name``, ``notebook`` (file name), ``path``, ``cell`` (index) and
        ``description`` (the first sentence of the ``*Figure:*`` cell).

    Raises
    ------
    LectureFigureError
        A tagged cell without a valid, unique name that starts with its notebook's
        number, or without a ``*Figure:*`` cell right after it.
    """
    paths = sorted((ROOT / "notebooks").glob("*.ipynb")) if notebooks is None else \
        [Path(p) for p in notebooks]
    found, seen = [], {}
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        number = path.name[:2]
        for i, cell in enumerate(nb.cells):
            if TAG not in cell.get("metadata", {}).get("tags", []):
                continue
            where = f"{path.name}, cell {i}"
            if cell.cell_type != "code":
                raise LectureFigureError(f"{where}: only a code cell can be tagged {TAG!r}.")
            name = cell.metadata.get("course", {}).get("figure")
            if not isinstance(name, str) or not NAME.fullmatch(name):
                raise LectureFigureError(
                    f"{where}: set the cell metadata \"course\": {{\"figure\": \"{number}_topic\"}} "
                    f"(two digits, then lower-case words joined by _); got {name!r}.")
            if name[:2] != number:
                raise LectureFigureError(f"{where}: the figure name {name!r} must start with "
                                         f"the notebook's number {number}.")
            if name in seen:
                raise LectureFigureError(f"{where}: the figure name {name!r} is already used "
                                         f"by {seen[name]}; names are unique in the course.")
            seen[name] = where
            after = nb.cells[i + 1] if i + 1 < len(nb.cells) else None
            if after is None or after.cell_type != "markdown" or \
                    not _source(after).lstrip().startswith(FIGURE_MARK):
                raise LectureFigureError(f"{where}: the cell after a lecture figure must be "
                                         f"Markdown beginning with {FIGURE_MARK!r}.")
            found.append({"name": name, "notebook": path.name, "path": path, "cell": i,
                          "description": first_sentence(_source(after))})
    return found


# Code that runs only in the exporting kernel. Agg: ``plt.show()`` closes nothing, so
# the figure a cell drew is still there when the cell ends.
_SETUP = """\
import matplotlib.pyplot as _lf_plt
from course_utils.figures import save_figure as _lf_save_figure
from course_utils.plotting import use_style as _lf_use_style
_lf_plt.switch_backend("agg")
_lf_use_style("projector")
STYLE = "projector"
_lf_plt.rcParams["figure.max_open_warning"] = 0


def _lf_close_all(*_):
    _lf_plt.close("all")


get_ipython().events.register("post_run_cell", _lf_close_all)


def _lf_save(name, before, folder):
    new = sorted(set(_lf_plt.get_fignums()) - before)
    if len(new) != 1:
        raise RuntimeError(f"lecture figure {name}: the cell drew {len(new)} figures; "
                           "a lecture-figure cell draws exactly one")
    _lf_save_figure(_lf_plt.figure(new[0]), folder, name)
"""


def _style_cell(nb):
    """Index of the cell that sets the notebook's style (the first to call use_style)."""
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and "use_style(" in _source(cell):
            return i
    return None


def _instrumented(path, names, folder):
    """The notebook with the exporter's additions (see the module docstring)."""
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and TAG in cell.metadata.get("tags", []):
            src = _source(cell)
            if src.lstrip().startswith("%%"):
                raise LectureFigureError(f"{path.name}, cell {i}: a lecture-figure cell cannot "
                                         "start with a cell magic.")
            name = names[i]
            cell.source = (f"_lf_before = set(_lf_plt.get_fignums())\n{src}\n"
                           f"_lf_save({name!r}, _lf_before, {str(folder)!r})\n")
    at = _style_cell(nb)
    setup = nbformat.v4.new_code_cell(_SETUP)
    nb.cells.insert(0 if at is None else at + 1, setup)
    return nb


def export(out="figures", *, notebooks=None, timeout=CELL_TIMEOUT, readme=True):
    """Draw every lecture figure into ``out`` (PNG + SVG) and write ``out/README.md``.

    Parameters
    ----------
    out : path
        Output folder (made if missing).
    notebooks : sequence of path, optional
        Only these notebooks (default: all). The README always lists every notebook's
        figures, so that a partial run keeps the table whole.
    timeout : int
        Seconds one cell may run.
    readme : bool
        Also write ``out/README.md`` (the table of the course's lecture figures).

    Returns
    -------
    list of pathlib.Path
        The figure files written or left as they were, then the README if written.
    """
    from course_utils.figures import keep_if_same_picture
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    chosen = lecture_figures(notebooks)
    by_notebook = {}
    for entry in chosen:
        by_notebook.setdefault(entry["path"], {})[entry["cell"]] = entry["name"]
    written = []
    for path, names in by_notebook.items():
        with tempfile.TemporaryDirectory(dir=out, prefix=".build-") as scratch:
            nb = _instrumented(path, names, Path(scratch).resolve())
            NotebookClient(nb, timeout=timeout, kernel_name="python3",
                           resources={"metadata": {"path": str(path.parent)}}).execute()
            for name in names.values():
                for suffix in (".png", ".svg"):
                    fresh, target = Path(scratch) / f"{name}{suffix}", out / f"{name}{suffix}"
                    if not fresh.is_file():
                        raise LectureFigureError(f"{path.name}: {name}{suffix} was not written.")
                    written.append(keep_if_same_picture(fresh, target))
    if not readme:
        return written
    table = out / "README.md"
    table.write_text(readme_text(lecture_figures()), encoding="utf-8")
    return written + [table]


def readme_text(entries):
    """figures/README.md: one row per lecture figure (file, notebook, description)."""
    def cell(sentence):    # a table cell: capital first letter, no column breaks
        return (sentence[:1].upper() + sentence[1:]).replace("|", "&#124;")

    rows = [f"| [{e['name']}.png]({e['name']}.png) ([svg]({e['name']}.svg)) "
            f"| [{e['notebook'][:2]}](../notebooks/{e['notebook']}) "
            f"| {cell(e['description'])} |" for e in entries]
    return "\n".join([
        "# Figures for slides",
        "",
        "Every figure the notebooks draw for a point of the lecture, in the projector style",
        "(large fonts, thick lines), as PNG and SVG. `make figures` draws them again from the",
        "notebooks' own code and rewrites this table; the sentence is the one the notebook says",
        "about the figure. The key figures (`sigmoid`, `lecture_boundary`, `learning_rates`,",
        "`lambda_path`, `softmax_example`) and the explorer sweeps (`sweep_*.gif`) are made by",
        "`course_utils.figures` and `tools/publish.py`.",
        "",
        "| file | notebook | what it shows |",
        "| --- | --- | --- |",
        *rows,
        "",
    ])


def main(argv=None):
    """``python tools/lecture_figures.py [--out DIR] [--nb 04] [--list]``."""
    parser = argparse.ArgumentParser(prog="python tools/lecture_figures.py",
                                     description="Write every lecture figure for slides.")
    parser.add_argument("--out", default="figures")
    parser.add_argument("--nb", action="append", default=None,
                        help="only the notebook whose name starts with these digits (repeatable)")
    parser.add_argument("--list", action="store_true", help="list the figures as JSON, draw nothing")
    args = parser.parse_args(argv)
    if args.list:
        print(json.dumps([{k: e[k] for k in ("name", "notebook", "cell", "description")}
                          for e in lecture_figures()], indent=1))
        return 0
    notebooks = None
    if args.nb:
        notebooks = [p for p in sorted((ROOT / "notebooks").glob("*.ipynb"))
                     if any(p.name.startswith(n) for n in args.nb)]
        if not notebooks:
            parser.error(f"--nb {args.nb}: no notebook's name starts with that (e.g. --nb 04)")
    for p in export(args.out, notebooks=notebooks):
        print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
