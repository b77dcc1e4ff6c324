"""PDF handouts: every notebook, and the whole course, as PDF files for printing.

``make pdf`` runs ``python tools/pdf.py``; ``make pdf NB=04`` makes one notebook's PDF.
The files go to ``dist/pdf/`` (git-ignored): ``NN_name.pdf`` per notebook and
``course.pdf``, all of them one after the other with a bookmark per notebook.

How: "PDF via HTML", which needs no LaTeX.

1. Each notebook is copied without its worked solutions (cells tagged ``solution`` and
   the "Solution (click ...)" line before each): a handout is for working through.
2. The copies become static-site pages (``tools/publish.py``, the same pages as
   ``make html``): stored outputs, widgets drawn by Jupyter's widget manager at their
   stored values, formulas typeset by the local MathJax, figures with their text.
3. Debian's chromium (the one the browser tests drive) opens each page from a file
   through Playwright, waits until every widget is drawn, every picture loaded and
   MathJax has typeset everything, and prints it with ``page.pdf()`` under a print
   style sheet that drops the navigation bar, the notes for the web page and the
   animations (a GIF prints as one frame).
4. Offline: every request that is not a local file is blocked and recorded, and a
   recorded one is an error (nbconvert's own web-PDF exporter downloads a browser, so
   it cannot be used here).

The course PDF joins the notebooks' PDFs with pypdf.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))     # tools/ is not a package: its shared modules
from course_notebooks import course_notebooks, named_notebook  # noqa: E402

__all__ = ["handout", "build_pages", "print_pages", "join_pdfs", "build_pdfs", "main"]

#: What a printed page leaves out, and how it breaks pages.
PRINT_CSS = """
@page { size: A4; margin: 14mm 12mm 16mm 12mm; }
@media print {
  .cu-nav, .cu-note, .cu-sweeps, details.cu-solution { display: none !important; }
  body { font-size: 10.5pt; }
  .jp-OutputArea-output img, .widget-subarea, mjx-container, .MathJax_Display
    { break-inside: avoid; }
  h1, h2, h3 { break-after: avoid; }
  /* on paper nothing scrolls: long code lines wrap instead of being cut off */
  pre { white-space: pre-wrap !important; overflow-wrap: anywhere; }
}
"""

#: Resolves when MathJax 2 has typeset everything it queued (at once without MathJax).
MATHJAX_DONE = """() => new Promise(resolve => {
    if (!window.MathJax || !window.MathJax.Hub) { resolve(false); return; }
    window.MathJax.Hub.Queue(() => resolve(true));
})"""

#: True once ``n`` widget views are drawn and every picture has loaded.
READY = """(n) => document.querySelectorAll('.widget-subarea').length >= n
    && Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)"""


def _publish():
    """tools/publish.py, loaded by path (tools/ is not a package)."""
    spec = importlib.util.spec_from_file_location("publish", ROOT / "tools" / "publish.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def handout(nb):
    """``nb`` without its worked solutions (in place; returns ``nb``).

    Drops every cell tagged ``solution`` and the Markdown line that announces it
    ("Solution (click the ⋯ to reveal)"), which would announce nothing.
    """
    keep = []
    for i, cell in enumerate(nb.cells):
        if "solution" in cell.metadata.get("tags", []):
            continue
        after = nb.cells[i + 1] if i + 1 < len(nb.cells) else None
        if (cell.cell_type == "markdown" and cell.source.strip().startswith("Solution (click")
                and after is not None and "solution" in after.metadata.get("tags", [])):
            continue
        keep.append(cell)
    nb.cells = keep
    return nb


def select_notebooks(folder, nb=None):
    """The course notebooks ``NN_*.ipynb`` in ``folder``, or the one that ``nb`` names.

    ``nb`` is a number or a prefix ("04", "4") or a file name.
    """
    if nb is None or str(nb) == "":
        return course_notebooks(folder)
    return [named_notebook(folder, nb)]


def build_pages(paths, out, widget_manager):
    """Write handout pages (static-site HTML, solutions removed) for ``paths`` into ``out``.

    Returns the site's page records (``stem``, ``title``, ``path``, ``widgets``).
    """
    import nbformat
    publish = _publish()
    with tempfile.TemporaryDirectory(prefix="course-handouts-") as tmp:
        for p in paths:
            nbformat.write(handout(nbformat.read(p, as_version=4)), Path(tmp) / p.name)
        info = publish.build_site(out, notebooks=tmp, figures=ROOT / "figures",
                                  widget_manager=widget_manager)
    return [page for page in info["pages"] if page["kind"] == "notebook"]


def print_pages(pages, out_dir, *, chromium=None, timeout_ms=60_000):
    """Print each page to ``out_dir/<stem>.pdf`` in chromium; returns the PDF paths.

    Raises RuntimeError if a page asked for anything but a local file.
    """
    from playwright.sync_api import sync_playwright
    chromium = chromium or os.environ.get("COURSE_CHROMIUM") or "/usr/bin/chromium"
    if not os.access(chromium, os.X_OK):
        raise RuntimeError(f"make pdf prints with chromium, not found at {chromium}: "
                           f"apt-get install chromium (or set COURSE_CHROMIUM).")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    outside, written = [], []

    def guard(route):
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:", "about:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    profile = tempfile.mkdtemp(prefix="course-pdf-chromium-")
    try:
        with sync_playwright() as p:
            context = p.chromium.launch_persistent_context(
                profile, executable_path=chromium, headless=True,
                args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                      "--disable-background-networking", "--disable-component-update",
                      "--disable-sync"])
            try:
                context.route("**/*", guard)
                page = context.new_page()
                for info in pages:
                    page.goto(Path(info["path"]).resolve().as_uri())
                    page.wait_for_load_state("load")
                    page.wait_for_function(READY, arg=info["widgets"], timeout=timeout_ms)
                    page.evaluate(MATHJAX_DONE)
                    page.add_style_tag(content=PRINT_CSS)
                    target = out_dir / f"{info['stem']}.pdf"
                    page.pdf(path=str(target), format="A4", print_background=True,
                             display_header_footer=True, header_template="<span></span>",
                             footer_template=_footer(info["title"]),
                             margin={"top": "14mm", "bottom": "16mm", "left": "12mm",
                                     "right": "12mm"})
                    written.append(target)
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    if outside:
        raise RuntimeError(f"a page asked the network for {outside[:3]}: the handouts "
                           f"must be made offline")
    return written


def _footer(title):
    import html
    return ('<div style="font-size:8px; width:100%; padding:0 12mm; color:#444;'
            ' display:flex; justify-content:space-between;">'
            f'<span>{html.escape(title)}</span>'
            '<span><span class="pageNumber"></span> / <span class="totalPages"></span></span>'
            '</div>')


def join_pdfs(parts, target):
    """One PDF of ``parts`` ((title, path) pairs) in order, a bookmark at each title."""
    from pypdf import PdfWriter
    writer = PdfWriter()
    for title, path in parts:
        writer.append(str(path), outline_item=title)
    writer.add_metadata({"/Title": "From Sigmoid to Softmax"})
    with open(target, "wb") as f:
        writer.write(f)
    return Path(target)


def build_pdfs(out="dist/pdf", *, notebooks=ROOT / "notebooks", nb=None,
               widget_manager=ROOT / "build" / "site-js", course=None):
    """The handouts: one PDF per notebook and (all notebooks, or ``course=True``) the course.

    Returns a list of ``(path, pages)`` pairs, the course PDF last.
    """
    from pypdf import PdfReader
    paths = select_notebooks(notebooks, nb)
    course = (nb is None or str(nb) == "") if course is None else course
    out = Path(out)
    with tempfile.TemporaryDirectory(prefix="course-handout-pages-") as site:
        pages = build_pages(paths, site, widget_manager)
        pdfs = print_pages(pages, out)
    result = [(p, len(PdfReader(p).pages)) for p in pdfs]
    if course:
        joined = join_pdfs([(page["title"], pdf) for page, pdf in zip(pages, pdfs)],
                           out / "course.pdf")
        result.append((joined, len(PdfReader(joined).pages)))
    return result


def main(argv=None):
    """``python tools/pdf.py [--nb 04] [--out dist/pdf] [--widget-manager DIR]``."""
    parser = argparse.ArgumentParser(prog="python tools/pdf.py", description=__doc__.split("\n")[0])
    parser.add_argument("--nb", default=None, help="one notebook: 04, a prefix or a file name")
    parser.add_argument("--out", default="dist/pdf")
    parser.add_argument("--notebooks", default=str(ROOT / "notebooks"))
    parser.add_argument("--widget-manager", default=str(ROOT / "build" / "site-js"),
                        help="folder where `make site-js` installed @jupyter-widgets/html-manager")
    args = parser.parse_args(argv)
    for path, n in build_pdfs(args.out, notebooks=args.notebooks, nb=args.nb,
                              widget_manager=args.widget_manager):
        print(f"{path}  ({n} pages, {path.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
