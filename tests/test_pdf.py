"""``make pdf`` (tools/pdf.py): handouts printed by chromium from the static site's pages.

Two notebooks and the course PDF made of them, in a temporary folder: 00 (a figure,
a widget, a solution) and 03 (the most formulas, six solutions). Each PDF has pages;
no worked solution and no raw TeX is in its text (pypdf); the pages that carry a
picture are not blank (more than 2 % of their pixels not white, rendered by poppler's
pdftoppm); the course PDF is the two notebooks one after the other, with a bookmark
each. Printing is offline: tools/pdf.py blocks and reports any request that is not a
local file, and the test checks that it raises on a page that makes one.
"""

import os
import re
import shutil
import subprocess

import nbformat
import numpy as np
import pytest
from PIL import Image

from browser_support import ROOT, require_browser
from conftest import load_script

STEMS = ("00_start_here", "03_cross_entropy_derivation")
SITE_JS = ROOT / "build" / "site-js"


pdf = load_script("tools/pdf.py", "course_pdf")


@pytest.fixture(scope="module")
def handouts(tmp_path_factory):
    require_browser()
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils is not installed (pdftoppm): apt-get install poppler-utils "
                    "(.ci/run does this in CI)")
    if not (SITE_JS / "node_modules").is_dir():
        if shutil.which("npm") is None:
            pytest.skip("node and npm are not installed: the widgets need "
                        "@jupyter-widgets/html-manager (apt-get install nodejs npm)")
        subprocess.run(["make", "-s", "site-js"], cwd=ROOT, check=True)
    src = tmp_path_factory.mktemp("notebooks")
    for stem in STEMS:
        os.symlink(ROOT / "notebooks" / f"{stem}.ipynb", src / f"{stem}.ipynb")
    out = tmp_path_factory.mktemp("pdf")
    made = pdf.build_pdfs(out, notebooks=src)
    return out, dict((p.name, n) for p, n in made)


def _text(path):
    from pypdf import PdfReader
    return [page.extract_text() for page in PdfReader(path).pages]


def _code_lines(stem):
    nb = nbformat.read(ROOT / "notebooks" / f"{stem}.ipynb", as_version=4)
    return [line for c in nb.cells if c.cell_type == "code" for line in c.source.splitlines()]


def _outside_code(text, code_lines):
    """The extracted lines that are not (a piece of) a line of code shown in a code cell."""
    keep = []
    for line in text.splitlines():
        bare = re.sub(r"^In\s*\[\s*\d*\s*\]:\s*", "", line).strip()
        if bare and not any(bare in code for code in code_lines):
            keep.append(line)
    return "\n".join(keep)


def test_one_pdf_per_notebook_and_the_course(handouts, capsys):
    out, made = handouts
    with capsys.disabled():
        print("\nmake pdf: " + ", ".join(f"{name} {n} pages "
                                        f"{(out / name).stat().st_size / 1e6:.2f} MB"
                                        for name, n in made.items()))
    assert set(made) == {f"{s}.pdf" for s in STEMS} | {"course.pdf"}
    assert all(n >= 1 for n in made.values()), made
    assert made["course.pdf"] == sum(made[f"{s}.pdf"] for s in STEMS)
    from pypdf import PdfReader
    outline = [item.title for item in PdfReader(out / "course.pdf").outline]
    titles = [pdf._publish().notebook_title(nbformat.read(ROOT / "notebooks" / f"{s}.ipynb",
                                                          as_version=4)) for s in STEMS]
    assert outline == titles
    # notebook 00's figure and its widget (drawn from the stored state) are both printed
    pictures = sum(len(page.images) for page in PdfReader(out / f"{STEMS[0]}.pdf").pages)
    assert pictures >= 2, pictures


@pytest.mark.parametrize("stem", STEMS)
def test_no_solution_and_no_raw_tex(handouts, stem):
    out, _ = handouts
    text = "\n".join(_text(out / f"{stem}.pdf"))
    nb = nbformat.read(ROOT / "notebooks" / f"{stem}.ipynb", as_version=4)
    shown = "\n".join(c.source for c in nb.cells if "solution" not in c.metadata.get("tags", []))
    solutions = [c for c in nb.cells if "solution" in c.metadata.get("tags", [])]
    assert solutions, f"{stem} should hold a worked solution for this test to mean anything"
    assert "Solution (click" not in text
    for cell in solutions:
        # lines of the solution that the rest of the notebook does not show as well
        own = [ln.strip() for ln in cell.source.splitlines()
               if len(ln.strip()) > 12 and ln.strip() not in shown]
        leaked = [ln for ln in own if ln in text.replace("\n", " ")]
        assert not leaked, f"solution text in the PDF: {leaked[:2]}"
    prose = _outside_code(text, _code_lines(stem))
    assert "$$" not in prose and "\\frac" not in prose and "\\theta" not in prose, \
        re.findall(r".{0,60}(?:\$\$|\\frac|\\theta).{0,30}", prose)[:3]
    # the typeset formulas are there: MathJax's MathML prints the letters it typesets
    assert "θ" in text


def _ink(png):
    pixels = np.asarray(Image.open(png).convert("L"))
    return float(np.mean(pixels < 245))


@pytest.mark.parametrize("stem", STEMS)
def test_pages_with_figures_are_not_blank(handouts, tmp_path, stem):
    from pypdf import PdfReader
    out, _ = handouts
    reader = PdfReader(out / f"{stem}.pdf")
    with_pictures = [i + 1 for i, page in enumerate(reader.pages) if len(page.images)]
    assert with_pictures, f"{stem}: no page with a figure or a widget's picture"
    for number in with_pictures:
        subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", str(number), "-l", str(number),
                        "-singlefile", str(out / f"{stem}.pdf"), str(tmp_path / f"p{number}")],
                       check=True)
        ink = _ink(tmp_path / f"p{number}.png")
        assert ink > 0.02, f"{stem} page {number}: only {ink:.1%} of the pixels are not white"


def test_printing_refuses_a_page_that_asks_the_network(tmp_path):
    require_browser()
    page = tmp_path / "online.html"
    page.write_text('<!DOCTYPE html><html lang="en"><head><title>x</title>'
                    '<link rel="stylesheet" href="https://cdn.example.org/style.css"></head>'
                    '<body><p>text</p></body></html>')
    with pytest.raises(RuntimeError, match="asked the network for .*cdn.example.org"):
        pdf.print_pages([{"stem": "online", "title": "x", "path": page, "widgets": 0}],
                        tmp_path / "out")


def test_nb_names_one_notebook_or_gets_a_clear_error():
    """NB=4, NB=04, a prefix or the file name choose one notebook (make pdf, make slides)."""
    folder = ROOT / "notebooks"
    every = pdf.select_notebooks(folder)
    assert [p.name[:2] for p in every] == [f"{k:02d}" for k in range(len(every))]
    for nb in ("4", "04", "04_gradient", "04_gradient_descent.ipynb"):
        assert [p.name for p in pdf.select_notebooks(folder, nb)] == ["04_gradient_descent.ipynb"]
    assert [p.name[:2] for p in pdf.select_notebooks(folder, "0")] == ["00"]
    for nb in ("99", "gradient"):           # no notebook is numbered 99 or starts "gradient"
        with pytest.raises(ValueError, match=r"NB must name one course notebook .* matches 0 of"):
            pdf.select_notebooks(folder, nb)
