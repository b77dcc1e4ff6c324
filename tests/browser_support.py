"""Shared pieces of the real-browser tests: Debian's chromium driven by Playwright.

The browser is the system's ``/usr/bin/chromium`` (``.ci/run`` installs it with
apt-get); Playwright never downloads one. Without chromium the tests skip and say
why, except under ``CI=true``, where a missing browser is a failure: a browser test
that silently skips in CI tests nothing.
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: Screenshots land here (gitignored) so a person can look at them after a run.
SHOTS = ROOT / "build" / "screenshots"

# --------------------------------------------------------------------------- the DOM contract
# The CSS classes course_utils.widgets puts on the explorers' widgets, which is how the
# browser tests find them (tests/test_widgets.py checks headlessly that every explorer
# carries them). In the page:
#
# * a slider's handle is ``.cu-lr .noUi-handle``: focus it and press ArrowRight;
# * the picture is ``img.cu-figure`` with the image backend (its ``src`` changes on every
#   update) or ``.cu-figure canvas`` with ipympl (compare ``toDataURL()``);
# * the text is ``.cu-readout``.
#
# Checked in JupyterLab 4 with chromium: ten ArrowRight presses on ``.cu-lr .noUi-handle``
# change the picture within half a second, on both backends.

#: Control name (the key of ``explorer.controls``) -> CSS class of its widget.
CONTROL_CLASSES = {
    "lr": "cu-lr", "lam": "cu-lam", "method": "cu-method", "batch_size": "cu-batch-size",
    "epochs": "cu-epochs", "seed": "cu-seed", "theta1_start": "cu-theta1-start",
    "theta2_start": "cu-theta2-start", "patience": "cu-patience", "play": "cu-play",
    "frame": "cu-frame", "theta0": "cu-theta0", "theta1": "cu-theta1", "theta2": "cu-theta2",
    "z": "cu-z",
}
#: Factory in course_utils.widgets -> CSS classes of the explorer's container.
EXPLORER_CLASSES = {
    "binary_explorer": ("cu-explorer", "cu-binary-explorer"),
    "multinomial_explorer": ("cu-explorer", "cu-multinomial-explorer"),
    "decision_boundary_widget": ("cu-explorer", "cu-boundary-widget"),
    "sigmoid_slider": ("cu-explorer", "cu-sigmoid-slider"),
}
#: CSS class of the figure widget, and of the text readout, in every explorer.
FIGURE_CLASS, READOUT_CLASS = "cu-figure", "cu-readout"

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def chromium_path():
    """The chromium executable: $COURSE_CHROMIUM, else /usr/bin/chromium, else None."""
    for candidate in (os.environ.get("COURSE_CHROMIUM"), "/usr/bin/chromium"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def require_browser():
    """Skip (locally) or fail (under CI=true) when chromium or Playwright is missing."""
    problem = None
    if chromium_path() is None:
        problem = ("chromium is not installed (/usr/bin/chromium); install it with "
                   "`apt-get install chromium` (.ci/run does this in CI)")
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "the playwright package is missing; run `make test` to rebuild .venv"
    if problem is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser test cannot run in CI: {problem}")
    pytest.skip(problem)


@contextmanager
def chromium(viewport=(1400, 900)):
    """A fresh chromium (new user-data-dir) driven by Playwright; yields the context."""
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="course-chromium-")
    try:
        with sync_playwright() as p:
            context = p.chromium.launch_persistent_context(
                profile, executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True,
                viewport={"width": viewport[0], "height": viewport[1]})
            try:
                yield context
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_status(url, timeout=5):
    """HTTP status of a GET, without following redirects (a redirect is its 3xx code)."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=timeout) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def wait_for_http(url, proc, what, timeout=90):
    """Poll ``url`` until the server answers at all; fail with its log if it dies."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            return http_status(url)
        except (urllib.error.URLError, ConnectionError, OSError):
            if proc.poll() is not None:
                pytest.fail(f"{what} exited early:\n{proc.stdout.read()}")
            time.sleep(0.3)
    stop(proc)
    pytest.fail(f"{what} did not answer within {timeout} s")


def start(cmd, env=None, cwd=ROOT):
    return subprocess.Popen(cmd, cwd=cwd, env={**os.environ, **(env or {})},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)


def stop(proc):
    """End a server started by :func:`start` (its own process group only)."""
    if proc.poll() is None:
        os.killpg(proc.pid, 15)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait(timeout=5)


def shot(page, name, **kwargs):
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), **kwargs)
    return path


# --------------------------------------------------------------------------- accessibility
# axe-core (the copy bundled by axe-playwright-python, injected into the page) checks the
# course's own part of a page against the WCAG 2 A and AA rules. ``audit`` returns the
# violations; ``audit_line`` is the one-line count the tests print per page.

AXE_RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa"]},
             "resultTypes": ["violations"]}
#: Impacts that fail the audit.
BLOCKING = ("serious", "critical")


#: Violations inside JupyterLab's own page that the course cannot reach, by rule: the
#: elements they are on, and why. JupyterLab draws its pages itself, so the names that
#: tools/present/jupyter/.../widget-names.js gives elsewhere are missing there.
LAB_UPSTREAM = {
    "aria-input-field-name": (".noUi-handle, .cm-content",
                              "ipywidgets' slider handles have no name (ipywidgets#2650); "
                              "JupyterLab's code editor has none either"),
    "button-name": (".widget-play button, .jp-collapseHeadingButton",
                    "ipywidgets' Play buttons hold only an icon (ipywidgets#2650), and so "
                    "does JupyterLab's button that folds a heading"),
    "aria-required-children": ("[role=feed]", "JupyterLab's cell list (role feed) holds "
                                              "cells that are not articles"),
}

# Runs axe on ``region`` and splits the nodes of each violation into the course's own and
# those matching the rule's selector in ``upstream``.
_AXE_RUN = """async ([region, options, upstream]) => {
    const result = await window.axe.run({include: [region]}, options);
    return result.violations.map(v => {
        const skip = upstream[v.id];
        const own = [], other = [];
        for (const n of v.nodes) {
            const el = document.querySelector(n.target[0]);
            (skip && el && el.matches(skip) ? other : own).push(n.html.slice(0, 160));
        }
        return {id: v.id, impact: v.impact, help: v.help, own, other};
    });
}"""


def audit(page, region="body", upstream=None):
    """axe-core's WCAG 2 A/AA violations inside ``region`` (a CSS selector) of ``page``.

    Returns ``(violations, upstream_found)``: lists of ``{"id", "impact", "nodes",
    "help", "example"}`` dicts, one per rule violated (``nodes``: how many elements).
    ``upstream`` maps a rule to ``(selector, reason)`` (like :data:`LAB_UPSTREAM`):
    elements matching the selector are counted in the second list, not the first.
    Pages that load require.js (Voila) would make axe's UMD wrapper register an AMD
    module instead of ``window.axe``, so ``define`` is hidden while axe is injected.
    """
    from axe_playwright_python.base import AXE_SCRIPT
    page.evaluate("(src) => { const d = window.define; window.define = undefined;"
                  " try { (0, eval)(src); } finally { window.define = d; } }", AXE_SCRIPT)
    skip = {rule: sel for rule, (sel, _) in (upstream or {}).items()}
    found = page.evaluate(_AXE_RUN, [region, AXE_RULES, skip])
    split = ([], [])
    for v in found:
        for kind, nodes in zip(split, (v["own"], v["other"])):
            if nodes:
                kind.append({"id": v["id"], "impact": v["impact"], "nodes": len(nodes),
                             "help": v["help"], "example": nodes[0]})
    return split


def audit_line(name, violations, upstream=()):
    """``axe NAME: N rules violated, k serious or critical: rule (impact) xcount, ...``."""
    def rules(vs):
        return ", ".join(f"{v['id']} ({v['impact']}) x{v['nodes']}" for v in vs)
    blocking = sum(v["impact"] in BLOCKING for v in violations)
    line = (f"axe {name}: {len(violations)} rules violated, {blocking} serious or critical"
            + (f": {rules(violations)}" if violations else ""))
    return line + (f"; upstream, not counted: {rules(upstream)}" if upstream else "")


def blocking(violations):
    """The serious and critical violations, as readable lines (empty when none)."""
    return [f"{v['id']} ({v['impact']}, {v['nodes']} elements): {v['help']}; e.g. "
            f"{v['example']}" for v in violations if v["impact"] in BLOCKING]
