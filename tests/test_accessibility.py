"""Accessibility audit: axe-core (WCAG 2 A and AA rules) on the pages the course writes.

axe-core is the copy bundled by axe-playwright-python, injected into Debian's chromium
(``browser_support.audit``, which also holds the rules and the impacts that fail). Each
audited page prints its counts; a serious or critical violation fails. The audits run
where their pages are already served, so that no server starts twice:

* three pages of the static site (tests/test_site.py, on the site it builds);
* the app view of ``make present`` and notebooks/apps/explorers.ipynb in JupyterLab
  (tests/test_browser.py; in JupyterLab only the notebook, ``.jp-Notebook``, is the
  course's, and the violations of JupyterLab's and ipywidgets' own elements there are
  printed apart, ``browser_support.LAB_UPSTREAM``);
* the slides of ``make slides`` (tests/test_slides.py).

This file checks the audit itself: a page with a planted fault must fail it.

What the audit found and what fixed it (tools/publish.py, course_utils): figures without
a description (now the ``*Figure:*`` sentence after them), the explorers' pictures
(now a title that repeats the readout), slider handles and Play buttons without a name
(tools/present/jupyter/voila/templates/course/static/widget-names.js), and code colours
below 4.5:1 contrast (the site's style sheet).
"""

import base64

import pytest

from browser_support import (BLOCKING, ROOT, audit, audit_line, blocking, chromium,
                             require_browser)


@pytest.fixture(scope="module")
def browser():
    require_browser()
    with chromium() as context:
        yield context


def test_the_audit_catches_a_planted_image_without_alt_text(tmp_path, browser, capsys):
    png = base64.b64encode((ROOT / "figures" / "sigmoid.png").read_bytes()).decode()
    page_file = tmp_path / "planted.html"
    page_file.write_text(f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>planted</title></head><body><main><h1>A figure</h1>
<img src="data:image/png;base64,{png}"><img alt="described" src="data:image/png;base64,{png}">
</main></body></html>""")
    page = browser.new_page()
    try:
        page.goto(page_file.as_uri())
        own, _ = audit(page, "body")
    finally:
        page.close()
    with capsys.disabled():
        print("\n" + audit_line("planted test page", own))
    found = {v["id"]: v for v in own}
    assert "image-alt" in found, own
    assert found["image-alt"]["nodes"] == 1 and found["image-alt"]["impact"] in BLOCKING
    assert blocking(own)
