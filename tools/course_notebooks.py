"""The course's numbered notebooks, and the one that a make variable such as ``NB=04`` names.

Shared by ``make pdf`` (tools/pdf.py) and ``make slides`` (tools/slides/serve.py). tools/ is
not a package: a script that needs this module puts tools/ on ``sys.path`` first.
"""

from __future__ import annotations

from pathlib import Path

#: File names of the course's notebooks: 00_start_here.ipynb ... 08_news_classification.ipynb.
PATTERN = "[0-9][0-9]_*.ipynb"


def course_notebooks(folder):
    """The notebooks ``NN_*.ipynb`` in ``folder``, in course order."""
    return sorted(Path(folder).glob(PATTERN))


def named_notebook(folder, nb):
    """The one course notebook in ``folder`` that ``nb`` names: a number (04 or 4), a
    prefix of its name or its file name ("4", "04", "04_gradient_descent.ipynb"); a
    ValueError listing the notebooks otherwise.
    """
    paths = course_notebooks(folder)
    key = str(nb).removesuffix(".ipynb")
    key = key.zfill(2) if key.isdigit() else key
    chosen = [p for p in paths if p.stem == key or p.stem.startswith(key)]
    if len(chosen) != 1:
        raise ValueError(f"NB must name one course notebook (a number like 04, or a file "
                         f"name); {nb!r} matches {len(chosen)} of {[p.stem for p in paths]}.")
    return chosen[0]
