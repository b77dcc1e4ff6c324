"""The course in a real browser: JupyterLab, the explorers, the slides and the app view.

Debian's chromium, driven by Playwright (see ``browser_support``), against servers
started the way the README says:

* ``make lab`` (127.0.0.1, a token): every notebook is opened, run with Run -> Run All
  Cells, and must finish with every code cell executed and no error output (cells
  tagged ``raises-exception`` excepted) and no widget that failed to display;
* the app page (``notebooks/apps/explorers.ipynb``) in JupyterLab: the learning-rate
  and lambda sliders of the binary explorers are moved ten times each with the
  keyboard, the other widgets' sliders twice, and the figure must change after every
  move; the median time from key press to new picture is printed
  (goal: at most 150 ms);
* the link ``make lab`` prints opens the student's own copy,
  ``my-notebooks/00_start_here.ipynb`` (made by ``make lab``);
* ``/rise/...``: notebook 00 as slides (jupyterlab-rise). Widgets do not render in
  RISE slides (an upstream bug), so every slide with a widget must send the presenter
  to the app view (checked without a browser);
* ``make present`` (Voila, 127.0.0.1, a token): 200 with the token, a redirect to the
  login page without it; the page shows the course's five widgets with no code, and
  a slider still moves the figure.

Screenshots go to ``build/screenshots/``. The notebooks on disk must not change:
JupyterLab's autosave is switched off for the test and the files are compared.
"""

import hashlib
import json
import os
import re
import statistics
import shutil
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from browser_support import (LAB_UPSTREAM, ROOT, SHOTS, audit, audit_line, blocking, free_port,
                             http_status, require_browser, shot, start, stop, wait_for_http,
                             chromium)

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
APP = ROOT / "notebooks" / "apps" / "explorers.ipynb"
RUN_TIMEOUT_MS = {"08_news_classification": 240_000}
MOVES = 10
#: The widgets of the app page (notebooks/apps/explorers.ipynb), by CSS class.
APP_WIDGETS = {".cu-explorer": 5, ".cu-sigmoid-slider": 1, ".cu-boundary-widget": 1,
               ".cu-binary-explorer": 2, ".cu-multinomial-explorer": 1}


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def browser():
    require_browser()
    with chromium() as context:
        yield context


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """``make lab`` on a free port with a known token, autosave off, fresh settings."""
    require_browser()
    home = tmp_path_factory.mktemp("lab")
    settings = home / "settings" / "@jupyterlab"
    (settings / "docmanager-extension").mkdir(parents=True)
    (settings / "docmanager-extension" / "plugin.jupyterlab-settings").write_text(
        json.dumps({"autosave": False}))
    # Render every cell (no virtual scrolling), so explorers can be found and scrolled to.
    (settings / "notebook-extension").mkdir(parents=True)
    (settings / "notebook-extension" / "tracker.jupyterlab-settings").write_text(
        json.dumps({"windowingMode": "none"}))
    port, token = free_port(), os.urandom(16).hex()
    env = {"JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
           "JUPYTER_CONFIG_DIR": str(home / "config")}
    proc = start(["make", "-s", "lab", f"PORT={port}",
                  f"LAB_ARGS=--no-browser --IdentityProvider.token={token} "
                  "--LabApp.expose_app_in_browser=True"], env=env)
    base = f"http://127.0.0.1:{port}"
    wait_for_http(f"{base}/api/status?token={token}", proc, "make lab")
    yield base, token
    stop(proc)


def shutdown_kernels(base, token):
    """Delete every session of the lab server, so kernels do not pile up."""
    headers = {"Authorization": f"token {token}"}
    with urllib.request.urlopen(urllib.request.Request(f"{base}/api/sessions",
                                                       headers=headers), timeout=10) as r:
        sessions = json.load(r)
    for s in sessions:
        req = urllib.request.Request(f"{base}/api/sessions/{s['id']}", method="DELETE",
                                     headers=headers)
        urllib.request.urlopen(req, timeout=30).close()


# JavaScript run in the page. ``jupyterapp`` is exposed by --LabApp.expose_app_in_browser.
KERNEL_IDLE = """() => {
    const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
    const s = w && w.sessionContext && w.sessionContext.session;
    return Boolean(s && s.kernel && s.kernel.status === 'idle' && w.context.isReady);
}"""
ALL_RUN = """() => {
    const w = window.jupyterapp.shell.currentWidget;
    if (w.sessionContext.session.kernel.status !== 'idle') return false;
    const cells = w.content.model.cells;
    for (let i = 0; i < cells.length; i++) {
        const c = cells.get(i);
        if (c.type === 'code' && c.executionCount === null) return false;
    }
    return !Array.from(document.querySelectorAll('.jp-InputPrompt'))
        .some(p => p.textContent.includes('*'));
}"""
CELLS = """() => {
    const cells = window.jupyterapp.shell.currentWidget.content.model.cells;
    const out = [];
    for (let i = 0; i < cells.length; i++) out.push(cells.get(i).toJSON());
    return out;
}"""


@pytest.fixture(scope="module")
def lab_page(lab, browser):
    """One JupyterLab page for the module; notebooks are opened in it one after another."""
    base, token = lab
    page = browser.new_page()
    page.goto(f"{base}/lab?reset&token={token}")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell"
                           " && document.querySelector('#jp-main-dock-panel')", timeout=90_000)
    page.evaluate("() => window.jupyterapp.shell.collapseLeft()")
    yield page
    page.close()


def open_notebook(page, rel):
    """Open ``rel`` (File -> Open, through the command) and wait for an idle kernel."""
    page.evaluate("""(path) => window.jupyterapp.commands.execute(
        'docmanager:open', {path, factory: 'Notebook'}).then(() => true)""", rel)
    page.wait_for_function("""(path) => {
        const w = window.jupyterapp.shell.currentWidget;
        return Boolean(w && w.context && w.context.path === path);
    }""", arg=rel, timeout=30_000)
    page.wait_for_function(KERNEL_IDLE, timeout=90_000)


def close_notebook(page, base, token):
    """Drop the notebook's tab without saving, and shut its kernel down."""
    page.evaluate("() => { const w = window.jupyterapp.shell.currentWidget; if (w) w.dispose(); }")
    shutdown_kernels(base, token)


CLEAR = """() => {
    // Forget the stored outputs and counts, so only this run's results are checked.
    const cells = window.jupyterapp.shell.currentWidget.content.model.cells;
    for (let i = 0; i < cells.length; i++) {
        const c = cells.get(i);
        if (c.type === 'code') { c.outputs.clear(); c.executionCount = null; }
    }
}"""


def run_all(page, timeout_ms):
    """Run -> Run All Cells, then wait until every code cell has run and the kernel is idle."""
    page.evaluate(CLEAR)
    page.locator("#jp-MainMenu .lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    page.wait_for_timeout(500)
    page.wait_for_function(ALL_RUN, timeout=timeout_ms, polling=250)


def check_no_errors(page):
    """Every code cell ran; no error output outside raises-exception cells."""
    cells = page.evaluate(CELLS)
    code = [c for c in cells if c["cell_type"] == "code"]
    counts = [c["execution_count"] for c in code]
    assert code and counts == list(range(1, len(code) + 1)), f"not all cells ran: {counts}"
    errors = []
    for c in code:
        if "raises-exception" in c["metadata"].get("tags", []):
            continue
        for o in c["outputs"]:
            if o["output_type"] == "error":
                errors.append(f"{o['ename']}: {o['evalue']}\n  in cell: {c['source'][:120]!r}")
    assert not errors, "error output in the browser:\n" + "\n".join(errors)
    broken = page.locator(".jp-OutputArea-output", has_text="Error displaying widget")
    assert broken.count() == 0, "a widget failed to display: " + broken.first.inner_text()


def scroll_to_top(page):
    page.evaluate("""() => {
        const w = window.jupyterapp.shell.currentWidget;
        w.content.node.querySelectorAll('*').forEach(n => { if (n.scrollTop) n.scrollTop = 0; });
        w.content.node.scrollTop = 0;
    }""")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_in_jupyterlab(lab, lab_page, path):
    base, token = lab
    before = _digest(path)
    page = lab_page
    try:
        start_t = time.perf_counter()
        open_notebook(page, f"notebooks/{path.name}")
        opened = time.perf_counter() - start_t
        run_all(page, RUN_TIMEOUT_MS.get(path.stem, 120_000))
        ran = time.perf_counter() - start_t - opened
        check_no_errors(page)
        scroll_to_top(page)
        shot(page, f"lab-{path.stem}")
        explorers = page.locator(".cu-explorer")
        if explorers.count():
            explorers.first.scroll_into_view_if_needed()
            explorers.first.screenshot(path=str(SHOTS
                                                / f"lab-{path.stem}-widget.png"))
        print(f"\n{path.stem}: opened in {opened:.1f} s, Run All took {ran:.1f} s")
    finally:
        close_notebook(page, base, token)
    assert _digest(path) == before, "the notebook on disk changed (autosave should be off)"


# ----------------------------------------------------------------------- the explorers

ARM = """([selector, index, control]) => {
    // Before one key press: remember the picture, then time the press -> new picture.
    const ex = document.querySelectorAll(selector)[index];
    const fig = ex.querySelector('.cu-figure');
    const target = fig.matches('img, canvas') ? fig : fig.querySelector('img, canvas');
    const picture = () => target.tagName === 'IMG' ? target.src : target.toDataURL();
    const handle = ex.querySelector(`.${control} .noUi-handle`);
    const probe = {t0: null, latency: null, before: picture()};
    window.__probe = probe;
    handle.addEventListener('keydown', () => {
        probe.t0 = performance.now();
        const poll = () => {
            if (picture() !== probe.before) probe.latency = performance.now() - probe.t0;
            else requestAnimationFrame(poll);
        };
        requestAnimationFrame(poll);
    }, {once: true, capture: true});
}"""


def move_and_time(page, selector, index, control, moves=MOVES, key="ArrowRight"):
    """Press ``key`` on a slider ``moves`` times; the latency of each new picture, in ms.

    The slider is ``.control`` inside the ``index``-th element matching ``selector``.
    """
    slider = page.locator(selector).nth(index).locator(f".{control}")
    handle, readout = slider.locator(".noUi-handle"), slider.locator(".widget-readout")
    handle.scroll_into_view_if_needed()
    latencies = []
    for _ in range(moves):
        page.evaluate(ARM, [selector, index, control])
        before = readout.inner_text()
        handle.press(key)
        page.wait_for_function("() => window.__probe.latency !== null", timeout=15_000,
                               polling="raf")
        assert readout.inner_text() != before, f"{control} did not move from {before}"
        latencies.append(page.evaluate("() => window.__probe.latency"))
        # Let the kernel finish this update before the next press is timed.
        page.wait_for_function(KERNEL_IDLE, timeout=15_000)
        page.wait_for_timeout(100)
    return latencies


def test_explorer_sliders_update_the_figure(lab, lab_page, capsys):
    base, token = lab
    before = _digest(APP)
    page = lab_page
    try:
        open_notebook(page, "notebooks/apps/explorers.ipynb")
        run_all(page, 120_000)
        check_no_errors(page)
        for css, n in APP_WIDGETS.items():
            assert page.locator(css).count() == n, css
        binary = ".cu-binary-explorer"
        explorer = page.locator(binary).first
        explorer.scroll_into_view_if_needed()
        explorer.screenshot(path=str(SHOTS / "lab-explorer-before.png"))
        lr = move_and_time(page, binary, 0, "cu-lr")
        explorer.screenshot(path=str(SHOTS / "lab-explorer-after-lr.png"))
        lam = move_and_time(page, binary, 1, "cu-lam")
        page.locator(binary).nth(1).screenshot(path=str(SHOTS / "lab-explorer-after-lam.png"))
        multi = move_and_time(page, ".cu-multinomial-explorer", 0, "cu-lr", moves=2)
        boundary = move_and_time(page, ".cu-boundary-widget", 0, "cu-theta1", moves=2)
        sigmoid = move_and_time(page, ".cu-sigmoid-slider", 0, "cu-z", moves=2)
        report = (f"\nslider -> updated figure in JupyterLab, median of {MOVES} moves: "
                  f"learning rate {statistics.median(lr):.0f} ms, "
                  f"lambda {statistics.median(lam):.0f} ms (goal <= 150 ms); "
                  f"all lr: {[round(v) for v in lr]}, all lam: {[round(v) for v in lam]}, "
                  f"multinomial lr: {[round(v) for v in multi]}, boundary theta1: "
                  f"{[round(v) for v in boundary]}, sigmoid z: {[round(v) for v in sigmoid]}")
        with capsys.disabled():     # shown in every run, not only with -s
            print(report)
        (SHOTS / "latency.txt").write_text(report.strip() + "\n")
        # the accessibility audit of a notebook with explorers, in the notebook's region
        t0 = time.perf_counter()
        own, upstream = audit(page, ".jp-Notebook", upstream=LAB_UPSTREAM)
        with capsys.disabled():
            print("\n" + audit_line("JupyterLab notebooks/apps/explorers.ipynb", own, upstream)
                  + f" ({time.perf_counter() - t0:.1f} s)")
        assert not blocking(own), "\n".join(blocking(own))
        titles = page.evaluate("() => Array.from(document.querySelectorAll('img.cu-figure'),"
                               " i => i.title)")
        assert len(titles) == APP_WIDGETS[".cu-explorer"], titles
        assert all(t.startswith("Picture: ") for t in titles), titles
    finally:
        close_notebook(page, base, token)
    assert _digest(APP) == before, "the notebook on disk changed (autosave should be off)"


# ----------------------------------------------------------------------- slides

WIDGET_CALL = re.compile(r"\b(?:binary_explorer|multinomial_explorer|decision_boundary_widget"
                         r"|sigmoid_slider)\(")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_widget_slides_point_to_the_app_view(path):
    """RISE cannot show widgets: the text before each widget says where to find it live."""
    cells = json.loads(path.read_text())["cells"]
    text = lambda c: "".join(c["source"])  # noqa: E731
    for i, cell in enumerate(cells):
        if cell["cell_type"] == "code" and WIDGET_CALL.search(text(cell)):
            before = [text(c) for c in cells[max(0, i - 2):i] if c["cell_type"] == "markdown"]
            assert any("make present" in t for t in before), (
                f"cell {i} shows a widget; the markdown before it should point to the app "
                f"view (`make present`) for slides")


def test_slides_render_with_rise(lab, browser):
    base, token = lab
    page = browser.new_page()
    try:
        page.goto(f"{base}/rise/notebooks/00_start_here.ipynb?token={token}")
        page.wait_for_selector(".reveal .slides section", timeout=90_000)
        page.wait_for_timeout(1500)
        sections = page.locator(".reveal .slides > section").count()
        assert sections >= 4, f"only {sections} slides"
        assert "start here" in page.locator(".reveal .slides section.present").first.inner_text()
        shot(page, "rise-00-title")
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(800)
        shot(page, "rise-00-slide2")
    finally:
        page.close()
        shutdown_kernels(base, token)


def test_lab_opens_at_the_students_own_copy(lab, browser):
    """The link `make lab` prints opens my-notebooks/00_start_here.ipynb, the student's copy."""
    base, token = lab
    page = browser.new_page()
    try:
        page.goto(f"{base}/?token={token}")
        # With another JupyterLab tab open, the page moves to a workspace of its own (a reload).
        page.wait_for_function("""() => {
            const w = window.jupyterapp && window.jupyterapp.shell
                      && window.jupyterapp.shell.currentWidget;
            return Boolean(w && w.context && w.context.path === 'my-notebooks/00_start_here.ipynb'
                           && w.content && w.content.model && w.content.model.cells.length > 0);
        }""", timeout=90_000)
        shot(page, "lab-start-page")
    finally:
        page.close()
        shutdown_kernels(base, token)


# ----------------------------------------------------------------------- app view

@pytest.fixture(scope="module")
def voila():
    """``make present`` on a free port with a known token."""
    require_browser()
    port, token = free_port(), os.urandom(16).hex()
    proc = start(["make", "-s", "present", f"PRESENT_PORT={port}",
                  f"PRESENT_ARGS=--no-browser --Voila.token={token}"])
    base = f"http://127.0.0.1:{port}"
    wait_for_http(f"{base}/voila/static/", proc, "make present")
    yield base, token, port
    stop(proc)


def test_voila_requires_the_token(voila):
    base, token, _ = voila
    assert http_status(f"{base}/?token={token}", timeout=120) == 200
    assert http_status(f"{base}/") in (302, 403)
    assert http_status(f"{base}/?token=wrong") in (302, 403)
    assert http_status(f"{base}/api/kernels") in (302, 403)


def test_voila_listens_on_loopback_only(voila):
    _, _, port = voila
    out = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True)
    if out.returncode != 0:
        pytest.skip("ss (iproute2) is not available to list listening sockets")
    addrs = {line.split()[3].rsplit(":", 1)[0] for line in out.stdout.splitlines() if line.strip()}
    assert addrs and addrs <= {"127.0.0.1"}, addrs


def test_voila_shows_the_explorers_without_code(voila, browser, capsys):
    base, token, _ = voila
    page = browser.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto(f"{base}/?token={token}", timeout=120_000)
        page.wait_for_function("(n) => document.querySelectorAll('.cu-explorer .cu-figure')"
                               ".length === n", arg=APP_WIDGETS[".cu-explorer"], timeout=120_000)
        text = page.locator("body").inner_text()
        assert "The explorers: app view" in text
        assert "binary_explorer(" not in text and "import" not in text, "code is shown"
        page.wait_for_timeout(500)
        shot(page, "voila-top")
        latencies = move_and_time_voila(page)
        page.locator(".cu-binary-explorer").first.screenshot(
            path=str(SHOTS / "voila-explorer-after-lr.png"))
        # the picture's text alternative follows the readout after the move
        alt = page.locator(".cu-binary-explorer img.cu-figure").first.get_attribute("title")
        readout = page.locator(".cu-binary-explorer .cu-readout").first.inner_text()
        assert alt.startswith("Picture: ") and readout.split("\n")[0].strip() in alt, alt
        t0 = time.perf_counter()
        own, upstream = audit(page, "body")
        with capsys.disabled():
            print("\n" + audit_line("Voila app (make present)", own, upstream)
                  + f" ({time.perf_counter() - t0:.1f} s)")
        assert not own and not upstream, "\n".join(blocking(own)) or own
        print(f"\nVoila: lr slider -> new figure in {[round(v) for v in latencies]} ms")
        # nothing from a CDN: Voila's lab template links Font Awesome on one, the course's
        # template serves a local copy (make present installs it where npm is available)
        elsewhere = [u for u in requests if urllib.parse.urlsplit(u).hostname != "127.0.0.1"
                     and not u.startswith(("data:", "blob:"))]
        assert elsewhere == [], elsewhere
        if shutil.which("npm"):
            icons = [u for u in requests if "/static/fontawesome/css/all.min.css" in u]
            assert icons, "the icons' style sheet was not served by Voila"
            fonts = [u for u in requests if "/static/fontawesome/webfonts/fa-solid-900" in u]
            assert fonts, "the Play buttons' icon font was not loaded"
    finally:
        page.close()


def move_and_time_voila(page, moves=3):
    handle = page.locator(".cu-binary-explorer").first.locator(".cu-lr .noUi-handle")
    handle.scroll_into_view_if_needed()
    out = []
    for _ in range(moves):
        page.evaluate(ARM, [".cu-binary-explorer", 0, "cu-lr"])
        handle.press("ArrowRight")
        page.wait_for_function("() => window.__probe.latency !== null", timeout=15_000,
                               polling="raf")
        out.append(page.evaluate("() => window.__probe.latency"))
        page.wait_for_timeout(300)
    return out
