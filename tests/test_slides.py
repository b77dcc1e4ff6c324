"""``make slides NB=04``: notebook 04 as reveal.js slides with its explorer live (Voila).

The server is started the way the README says, on a free port with a known token. It
must answer only with the token and only to requests addressed to this machine (the
Host check of tools/present/voila.json). In Debian's chromium: the slides load, every
request the page makes goes to 127.0.0.1 (reveal.js's style sheets, Font Awesome and
jQuery included, which Voila's own template fetches from CDNs), the explorer's slide is
reached, dragging its learning-rate slider changes its picture and its readout, and the
slide passes the accessibility audit (axe-core, WCAG 2 A/AA, no serious or critical
violation).
"""

import http.client
import os
import time

import pytest

from browser_support import (audit, audit_line, blocking, chromium, free_port, http_status,
                             require_browser, shot, start, stop, wait_for_http)


@pytest.fixture(scope="module")
def slides():
    require_browser()
    port, token = free_port(), os.urandom(16).hex()
    proc = start(["make", "-s", "slides", "NB=04", f"SLIDES_PORT={port}",
                  f"SLIDES_ARGS=--no-browser --Voila.token={token}"])
    base = f"http://127.0.0.1:{port}"
    wait_for_http(f"{base}/voila/static/", proc, "make slides", timeout=180)
    yield base, token, port
    stop(proc)


def test_slides_need_the_token_and_a_local_host(slides):
    base, token, port = slides
    assert http_status(f"{base}/voila/templates/course-slides/static/revealjs/dist/reveal.css"
                       ) == 200
    assert http_status(f"{base}/") in (302, 403)
    assert http_status(f"{base}/?token=wrong") in (302, 403)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", f"/?token={token}", headers={"Host": "attacker.example:80"})
    assert conn.getresponse().status == 403
    conn.close()


# The index of the slide (and sub-slide) that holds the binary explorer, for reveal.js's
# own address of a slide, #/h/v.
EXPLORER_SLIDE = """() => {
    const section = document.querySelector('.cu-binary-explorer').closest('section');
    const top = section.parentElement.closest('section');
    const slides = Array.from(document.querySelectorAll('.reveal .slides > section'));
    if (top) return [slides.indexOf(top), Array.from(top.children).indexOf(section)];
    return [slides.indexOf(section), 0];
}"""


def test_the_explorer_moves_on_its_slide_and_nothing_leaves_this_machine(slides, capsys):
    base, token, port = slides
    requests, errors = [], []
    with chromium(viewport=(1280, 800)) as context:
        context.on("request", lambda r: requests.append(r.url))
        page = context.new_page()
        page.on("websocket", lambda ws: requests.append(ws.url))     # the kernel's channel
        page.on("pageerror", lambda e: errors.append(str(e)))
        t0 = time.perf_counter()
        page.goto(f"{base}/?token={token}", timeout=180_000)
        page.wait_for_function("() => document.querySelector('.cu-binary-explorer img.cu-figure')"
                               " && document.querySelector('.reveal.ready')", timeout=180_000)
        loaded = time.perf_counter() - t0
        h, v = page.evaluate(EXPLORER_SLIDE)
        assert h > 0, "the explorer should sit on a slide after the title"
        page.evaluate("([h, v]) => { window.location.hash = `#/${h}/${v}`; }", [h, v])
        explorer = page.locator(".cu-binary-explorer").first
        page.wait_for_function("() => document.querySelector('.cu-binary-explorer')"
                               ".closest('section.present') !== null", timeout=15_000)
        figure = explorer.locator("img.cu-figure")
        readout = explorer.locator(".cu-readout")
        before, text_before = figure.get_attribute("src"), readout.inner_text()
        shot(page, "slides-04-explorer-before")
        # drag the learning-rate handle to the right (arrow keys belong to reveal.js)
        handle = explorer.locator(".cu-lr .noUi-handle")
        handle.scroll_into_view_if_needed()
        box = handle.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] / 2 + 60, box["y"] + box["height"] / 2, steps=5)
        page.mouse.up()
        page.wait_for_function("(src) => document.querySelector('.cu-binary-explorer "
                               "img.cu-figure').src !== src", arg=before, timeout=30_000)
        page.wait_for_function("(t) => document.querySelector('.cu-binary-explorer "
                               ".cu-readout').innerText !== t", arg=text_before, timeout=30_000)
        assert page.evaluate("() => document.querySelector('.cu-binary-explorer')"
                             ".closest('section.present') !== null"), "the slide changed"
        shot(page, "slides-04-explorer-after")
        own, upstream = audit(page, "body")
        with capsys.disabled():
            print(f"\nslides of 04: loaded in {loaded:.1f} s, explorer on slide {h}/{v}; "
                  f"{len(requests)} requests, all to 127.0.0.1\n"
                  + audit_line("slides (make slides NB=04)", own, upstream))
    local = ("http://127.0.0.1:", "ws://127.0.0.1:", "blob:http://127.0.0.1:", "data:")
    outside = [u for u in requests if not u.startswith(local)]
    assert requests and not outside, f"requests that left this machine: {outside[:5]}"
    assert any(u.startswith("ws://127.0.0.1:") for u in requests), "no kernel connection seen"
    # Voila 0.5.13's reveal bundle re-renders MathJax 2 formulas on every slide change
    # (window.MathJax.Hub), but Voila typesets with JupyterLab's MathJax 3 and loads no
    # MathJax 2: that one error is Voila's and harmless (the formulas are typeset)
    errors = [e for e in errors if e != "Cannot read properties of undefined (reading 'Hub')"]
    assert not errors, errors[:3]
    assert not blocking(own), "\n".join(blocking(own))
