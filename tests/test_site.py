"""``make figures`` and ``make html`` (tools/publish.py): deterministic, complete, offline.

Figures: two builds give the same bytes, the files carry no date or version, and the
committed ``figures/`` matches a fresh build (else: run ``make figures``). The sweep
animations are real animations, one frame per slider value.

Site: a page per notebook plus an index and the app page; no page loads anything
from the network (no CDN script, stylesheet or image); widgets keep their stored state
and are drawn by Jupyter's widget manager from a local copy, every control disabled;
links between notebooks point to pages; solutions stay folded. In chromium (when
installed; required under CI=true), the pages open from ``file://`` with every request
local, every widget drawn and every image loaded. A script planted in a copy of a
notebook (widget values, outputs, Markdown, file names) is removed from the page, and
in chromium it does not run while the explorer's pictures, the sweeps and formulas do.

The publishing script lives outside the package (``tools/``), so this file loads it by
path; it is not part of the package's coverage. The tests that build the real site need
the widget manager that ``make html`` installs from the npm registry: they install it
the same way (``make site-js``) when it is missing, and skip, saying why, only on a
machine without node and npm.
"""

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import numpy as np
import pytest
from PIL import Image

from browser_support import SHOTS, audit, audit_line, blocking, chromium, require_browser
from conftest import load_script
from course_utils.figures import picture_difference

ROOT = Path(__file__).resolve().parents[1]
FIGS = ROOT / "figures"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
SITE_JS = ROOT / "build" / "site-js"     # where `make site-js` (part of `make html`) installs


publish = load_script("tools/publish.py")
ANIMATIONS, build_figures, build_site = publish.ANIMATIONS, publish.build_figures, \
    publish.build_site
sweep_frames, write_gif = publish.sweep_frames, publish.write_gif


# =========================================================================== figures

@pytest.fixture(scope="module")
def static_figures(tmp_path_factory):
    out = tmp_path_factory.mktemp("figures")
    return out, build_figures(out, animations=False)


def test_every_key_figure_is_written_as_png_and_svg(static_figures):
    out, written = static_figures
    stems = {p.stem for p in written}
    assert {"sigmoid", "lecture_boundary", "softmax_example", "learning_rates",
            "lambda_path"} <= stems
    for stem in stems:
        png, svg = out / f"{stem}.png", out / f"{stem}.svg"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert svg.read_text()[:200].lstrip().startswith("<?xml")


def test_two_builds_are_byte_identical(static_figures, tmp_path):
    # Two cheap figures here; test_committed_figures_are_up_to_date compares every
    # figure of this build with the committed files of an earlier build.
    out, _ = static_figures
    again = build_figures(tmp_path, animations=False, stems=["sigmoid", "softmax_example"])
    assert [p.name for p in again] == ["sigmoid.png", "sigmoid.svg", "softmax_example.png",
                                       "softmax_example.svg"]
    for p in again:
        assert p.read_bytes() == (out / p.name).read_bytes(), p.name
    with pytest.raises(ValueError, match="stems"):
        build_figures(tmp_path, stems=["no_such_figure"])


def test_files_carry_no_date_or_software_version(static_figures):
    out, written = static_figures
    for p in written:
        data = p.read_bytes()
        assert b"<dc:date>" not in data, p.name
        assert b"Matplotlib v" not in data and b"matplotlib version" not in data, p.name


def test_committed_figures_match_a_fresh_build(static_figures):
    # As pictures, not bytes: another processor moves a vertex in its 6th decimal.
    out, written = static_figures
    missing = [p.name for p in written if not (FIGS / p.name).is_file()]
    assert not missing, f"figures/ lacks {missing}: run `make figures` and commit"
    stale = {p.name: why for p in written
             if (why := picture_difference(FIGS / p.name, p)) is not None}
    assert not stale, f"figures/ is out of date: {stale}; run `make figures` and commit"


def _shifted_png(src, dst, px):
    with Image.open(src) as im:
        pixels = np.asarray(im.convert("RGBA"))
    Image.fromarray(np.roll(pixels, px, axis=1)).save(dst)
    return dst


def test_picture_comparison_ignores_last_bits_and_catches_a_2px_shift(static_figures, tmp_path):
    out, _ = static_figures
    png, svg = out / "lambda_path.png", out / "lambda_path.svg"
    assert picture_difference(png, png) is None and picture_difference(svg, svg) is None
    # a 2-pixel shift of the whole picture is a real change
    why = picture_difference(png, _shifted_png(png, tmp_path / "shifted.png", 2))
    assert why is not None and "RMS" in why
    # one pixel a few levels off (what anti-aliasing does with a moved vertex) is not
    with Image.open(png) as im:
        pixels = np.asarray(im.convert("RGBA")).copy()
    pixels[10, 10, :3] = np.clip(pixels[10, 10, :3].astype(int) + 3, 0, 255)
    Image.fromarray(pixels).save(tmp_path / "nudged.png")
    assert picture_difference(png, tmp_path / "nudged.png") is None
    # SVG: a coordinate moved in its 6th decimal is the same picture, moved by 2 is not
    text = svg.read_text()
    number = re.search(r"\nL (\d+\.\d{6}) ", text)
    assert number, "the lambda path should be drawn as a path with 6-decimal vertices"
    value = float(number.group(1))
    (tmp_path / "last_bits.svg").write_text(text.replace(number.group(1), f"{value + 2e-6:.6f}", 1))
    (tmp_path / "moved.svg").write_text(text.replace(number.group(1), f"{value + 2:.6f}", 1))
    assert picture_difference(svg, tmp_path / "last_bits.svg") is None
    assert "differs" in picture_difference(svg, tmp_path / "moved.svg")
    (tmp_path / "renamed.svg").write_text(text.replace("<path", "<rect", 1))
    assert "outside its numbers" in picture_difference(svg, tmp_path / "renamed.svg")
    with pytest.raises(ValueError, match="both"):
        picture_difference(png, svg)


def test_make_figures_leaves_a_file_that_shows_the_same_picture(tmp_path):
    first = build_figures(tmp_path, animations=False, stems=["sigmoid"])
    png = tmp_path / "sigmoid.png"
    # stand-in for "the committed file came from another processor": same picture,
    # other bytes (a different PNG compression)
    with Image.open(png) as im:
        im.save(png, compress_level=1)
    other_bytes = png.read_bytes()
    again = build_figures(tmp_path, animations=False, stems=["sigmoid"])
    assert again == first
    assert png.read_bytes() == other_bytes, "a file showing the same picture was rewritten"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sigmoid.png", "sigmoid.svg"]
    # a real change is written
    _shifted_png(png, png, 2)
    build_figures(tmp_path, animations=False, stems=["sigmoid"])
    reference = build_figures(tmp_path / "reference", animations=False, stems=["sigmoid"])
    assert png.read_bytes() == reference[0].read_bytes()


@pytest.mark.parametrize("stem", sorted(ANIMATIONS))
def test_committed_animations_play_one_frame_per_value(stem):
    control, values, _ = ANIMATIONS[stem]
    with Image.open(FIGS / f"{stem}.gif") as im:
        assert im.format == "GIF" and im.is_animated
        assert im.n_frames == len(values)
        assert im.info.get("loop") == 0
        first = np.asarray(im.convert("RGB"))
        im.seek(im.n_frames - 1)
        last = np.asarray(im.convert("RGB"))
    assert first.shape == last.shape and first.shape[1] >= 800
    assert np.mean(first != last) > 0.01, "the sweep should change the picture"


def test_sweep_frames_follow_the_slider_and_the_gif_is_deterministic(tmp_path):
    frames = sweep_frames("lr", [0.1, 100.0], {"lam": 0.01})
    assert len(frames) == 2 and frames[0].shape == frames[1].shape
    assert np.mean(frames[0] != frames[1]) > 0.01
    a = write_gif(frames, tmp_path / "a.gif")
    b = write_gif(sweep_frames("lr", [0.1, 100.0], {"lam": 0.01}), tmp_path / "b.gif")
    assert a.read_bytes() == b.read_bytes()


def test_sweep_and_gif_reject_bad_input(tmp_path):
    with pytest.raises(ValueError, match="control"):
        sweep_frames("epochs", [1, 2])
    with pytest.raises(ValueError, match="values"):
        sweep_frames("lr", [])
    with pytest.raises(ValueError, match="frames"):
        write_gif([], tmp_path / "x.gif")


# =========================================================================== widgets

def _m(name, **state):
    return {"model_name": name, "model_module": "@jupyter-widgets/controls",
            "model_module_version": "2.0.0", "state": state}


def _widget_notebook(path, classes=("cu-binary-explorer",)):
    """A one-cell notebook showing a box with a slider and a text, its state stored."""
    state = {"box": _m("VBoxModel", children=["IPY_MODEL_lr", "IPY_MODEL_txt"],
                       _dom_classes=list(classes)),
             "lr": _m("FloatSliderModel", value=0.5, min=0, max=1, description="lr",
                      disabled=False, _dom_classes=["cu-lr"]),
             "txt": _m("HTMLModel", value="<b>readout</b>")}
    view = {"version_major": 2, "version_minor": 0, "model_id": "box"}
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Tiny\n\nA page with a widget."),
        nbformat.v4.new_code_cell("explorer", execution_count=1, outputs=[
            nbformat.v4.new_output("display_data", {WIDGET_VIEW: view, "text/plain": "VBox()"})])])
    nb.metadata["widgets"] = {WIDGET_STATE: {"version_major": 2, "version_minor": 0,
                                             "state": state}}
    path.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path / "00_tiny.ipynb")
    return path


def _stored_state(page):
    m = re.search(r'<script type="application/vnd.jupyter.widget-state\+json">\s*(.*?)\s*</script>',
                  page, re.S)
    return json.loads(m.group(1))["state"] if m else None


@pytest.fixture
def fake_manager(tmp_path):
    """A stand-in for the npm package's dist folder: what is copied, not what it does."""
    dist = tmp_path / "site-js" / "node_modules" / "@jupyter-widgets" / "html-manager" / "dist"
    dist.mkdir(parents=True)
    for name in ("embed.js", "embed.js.LICENSE.txt", "1551f4f60c37af51121f.woff2",
                 "embed.js.map", "embed-amd.js", "libembed-amd.js"):
        (dist / name).write_text("/* stand-in */")
    return tmp_path / "site-js"


def test_widgets_keep_their_state_disabled_with_the_sweeps_below(tmp_path, fake_manager):
    nbdir = _widget_notebook(tmp_path / "nbs")
    info = build_site(tmp_path / "out", notebooks=nbdir, figures=FIGS, mathjax=None,
                      widget_manager=fake_manager)
    assert info["pages"][0]["widgets"] == 1
    page = (tmp_path / "out" / "00_tiny.html").read_text()
    assert '<script src="widgets/embed.js"></script>' in page
    assert page.count(f'<script type="{WIDGET_VIEW}">') == 1
    state = _stored_state(page)
    assert state["lr"]["state"]["disabled"] is True, "a control must not move without a kernel"
    assert "disabled" not in state["txt"]["state"]
    assert page.count('src="figures/sweep_learning_rate.gif"') == 1   # under the explorer
    # the bundle, its licence notice and its fonts are copied; no source map, no AMD build;
    # and the course's script that names slider handles and Play buttons, loaded after it
    copied = sorted(p.name for p in (tmp_path / "out" / "widgets").iterdir())
    assert copied == ["1551f4f60c37af51121f.woff2", "embed.js", "embed.js.LICENSE.txt",
                      "widget-names.js"]
    assert page.index('src="widgets/embed.js"') < page.index('src="widgets/widget-names.js"')


def test_other_widgets_get_no_sweeps(tmp_path, fake_manager):
    nbdir = _widget_notebook(tmp_path / "nbs", classes=("cu-sigmoid",))
    build_site(tmp_path / "out", notebooks=nbdir, figures=FIGS, mathjax=None,
               widget_manager=fake_manager)
    assert "sweep_learning_rate.gif" not in (tmp_path / "out" / "00_tiny.html").read_text()


def test_widgets_without_the_widget_manager_are_refused(tmp_path):
    nbdir = _widget_notebook(tmp_path / "nbs")
    for missing in (None, tmp_path / "nowhere"):
        with pytest.raises(ValueError, match="widget_manager.*make html"):
            build_site(tmp_path / "out", notebooks=nbdir, figures=FIGS, widget_manager=missing)
    assert publish.find_widget_manager(tmp_path / "nowhere") is None


# =========================================================================== the site

@pytest.fixture(scope="module")
def widget_manager():
    """The folder where ``make html`` installs the widget manager; installed if missing."""
    if publish.find_widget_manager(SITE_JS) is None:
        if shutil.which("npm") is None:
            pytest.skip("node and npm are not installed: the site's widgets are drawn by "
                        "@jupyter-widgets/html-manager from the npm registry "
                        "(apt-get install nodejs npm, then make html)")
        subprocess.run(["make", "-s", "site-js"], cwd=ROOT, check=True)
    return SITE_JS


@pytest.fixture(scope="module")
def site(tmp_path_factory, widget_manager):
    out = tmp_path_factory.mktemp("site")
    info = build_site(out, notebooks=ROOT / "notebooks", figures=FIGS,
                      widget_manager=widget_manager)
    return out, info


def _widget_views(path):
    nb = nbformat.read(path, as_version=4)
    return sum(WIDGET_VIEW in o.get("data", {}) for c in nb.cells for o in c.get("outputs", []))


def test_a_page_per_notebook_and_an_index(site):
    out, info = site
    stems = [p["stem"] for p in info["pages"]]
    assert stems == [p.stem for p in NOTEBOOKS] + ["explorers"]
    index = (out / "index.html").read_text()
    for p in NOTEBOOKS:
        assert (out / f"{p.stem}.html").is_file()
        assert f'href="{p.stem}.html"' in index
    assert 'src="figures/sweep_learning_rate.gif"' in index
    assert (out / "figures" / "sweep_lambda.gif").is_file()


EXTERNAL = re.compile(r'<(?:script|link|img|iframe|source|video|audio)\b[^>]*?'
                      r'(?:src|href)\s*=\s*["\']?(?:https?:)?//', re.I)


SCRIPT_SRC = re.compile(r'<script\b[^>]*\bsrc="([^"]+)"', re.I)


def test_no_page_loads_anything_from_the_network(site):
    out, _ = site
    for page in sorted(out.glob("*.html")):
        text = page.read_text()
        assert not EXTERNAL.search(text), f"{page.name} loads {EXTERNAL.search(text).group(0)}"
        assert "@import url(http" not in text
        for cdn in ("cdnjs", "jsdelivr", "unpkg", "require.min.js", "embed-amd"):
            assert cdn not in text, f"{page.name} mentions {cdn}"
        for src in SCRIPT_SRC.findall(text):      # every script is a file of the site
            assert (out / src.split("?")[0]).is_file(), f"{page.name} loads {src}"


def test_widgets_are_drawn_from_their_stored_state(site):
    out, info = site
    for page in info["pages"]:
        src = (ROOT / "notebooks" / f"{page['stem']}.ipynb") if page["kind"] == "notebook" \
            else ROOT / "notebooks" / "apps" / "explorers.ipynb"
        expected = _widget_views(src)
        text = page["path"].read_text()
        assert page["widgets"] == expected
        assert text.count(f'<script type="{WIDGET_VIEW}">') == expected
        assert ('src="widgets/embed.js"' in text) == (expected > 0), page["stem"]
        if expected:
            state = _stored_state(text)
            assert all(m["state"]["disabled"] for m in state.values() if "disabled" in m["state"])
    assert (out / "widgets" / "embed.js").is_file()
    app = (out / "explorers.html").read_text()
    assert app.count(f'<script type="{WIDGET_VIEW}">') == 5
    assert app.count('src="figures/sweep_learning_rate.gif"') == 2   # under each binary explorer
    assert "binary_explorer(" not in app, "the app page hides its code, as Voila does"


def test_links_between_notebooks_point_to_pages(site):
    out, _ = site
    text = (out / f"{NOTEBOOKS[0].stem}.html").read_text()
    assert not re.search(r'href="[\w.-]+\.ipynb', text)
    if len(NOTEBOOKS) > 1:
        assert f'href="{NOTEBOOKS[1].stem}.html' in text


def test_solutions_stay_folded(site):
    # a solution's code and its output each sit behind a click: the page shows neither
    out, _ = site
    for p in NOTEBOOKS:
        nb = nbformat.read(p, as_version=4)
        folds = [c.metadata.get("jupyter", {}) for c in nb.cells if c.cell_type == "code"]
        hidden = sum(bool(j.get("source_hidden")) + bool(j.get("outputs_hidden")) for j in folds)
        page = (out / f"{p.stem}.html").read_text()
        assert page.count('<details class="cu-solution">') == hidden
        assert "<details class=\"cu-solution\" open" not in page
        page = html.unescape(page)
        for c in nb.cells:
            if "solution" in c.metadata.get("tags", []):
                assert c.metadata["jupyter"].get("outputs_hidden"), "solution outputs folded"
                printed = "".join(o.get("text", "") for o in c.get("outputs", [])).strip()
                if printed:
                    at = page.find(printed.splitlines()[-1])   # streams may come in pieces
                    assert at > page.rfind("<summary>Show the output</summary>", 0, at) > 0, (p.name, printed[:60])


def test_math_is_typeset_from_a_local_copy(site):
    out, info = site
    if publish.find_mathjax() is None:
        pytest.skip("no MathJax found (package jupyter-server-mathjax): formulas stay TeX source")
    assert info["mathjax"] and (out / "mathjax" / "MathJax.js").is_file()
    assert 'src="mathjax/MathJax.js?config=' in (out / "index.html").read_text()


def test_build_site_rejects_an_empty_folder(tmp_path):
    with pytest.raises(ValueError, match="notebooks"):
        build_site(tmp_path / "out", notebooks=tmp_path)


def test_command_line_builds_a_small_site(tmp_path, capsys):
    nbdir = tmp_path / "nbs"
    nbdir.mkdir()
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Tiny\n\nA $x^2$ page; see [next](01_b.ipynb)."),
        nbformat.v4.new_code_cell("1 + 1", execution_count=1, outputs=[
            nbformat.v4.new_output("execute_result", {"text/plain": "2"}, execution_count=1)])])
    nbformat.write(nb, nbdir / "00_a.ipynb")
    nbformat.write(nbformat.v4.new_notebook(), nbdir / "01_b.ipynb")
    figs = tmp_path / "figs"
    figs.mkdir()
    for stem in ANIMATIONS:
        shutil.copy2(FIGS / f"{stem}.gif", figs)
    assert publish.main(["html", "--out", str(tmp_path / "out"), "--notebooks", str(nbdir),
                         "--figures", str(figs)]) == 0
    printed = capsys.readouterr().out
    assert "00_a.html" in printed and "index.html" in printed
    page = (tmp_path / "out" / "00_a.html").read_text()
    assert 'href="01_b.html"' in page and "Untitled" in (tmp_path / "out" / "index.html").read_text()


# =========================================================================== in a browser

# Resolves once MathJax (if the page has it) has typeset everything it queued.
MATHJAX_DONE = """() => new Promise(resolve => {
    if (!window.MathJax || !window.MathJax.Hub) { resolve(false); return; }
    window.MathJax.Hub.Queue(() => resolve(true));
})"""


# How many widget views are drawn, and how many of their controls still accept input.
WIDGET_COUNTS = """() => ({
    drawn: document.querySelectorAll('.widget-subarea').length,
    enabled: Array.from(document.querySelectorAll('.widget-subarea button, .widget-subarea input'))
        .filter(e => !e.disabled).length
})"""


def test_site_opens_offline_in_chromium(site):
    require_browser()
    out, info = site
    outside, failed = [], []
    with chromium() as context:
        def guard(route):
            url = route.request.url
            if url.startswith(("file:", "data:", "blob:", "about:")):
                route.continue_()
            else:
                outside.append(url)
                route.abort()
        context.route("**/*", guard)
        page = context.new_page()
        # MathJax's native-MathML output asks for its TeX web fonts (for \mathcal and
        # the like), which the packaged MathJax does not ship: the browser falls back to
        # its own fonts. Any other failed request is a fault.
        page.on("requestfailed", lambda r: None if "/mathjax/fonts/" in r.url
                else failed.append(r.url))
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        views = {p["stem"]: p["widgets"] for p in info["pages"]}
        for name in ["index", "explorers"] + [p.stem for p in NOTEBOOKS]:
            page.goto((out / f"{name}.html").as_uri())
            page.wait_for_load_state("load")
            if views.get(name):
                # the widget manager draws each stored view into a .widget-subarea
                page.wait_for_function(f"() => document.querySelectorAll('.widget-subarea')"
                                       f".length >= {views[name]}", timeout=30_000)
                assert page.evaluate(WIDGET_COUNTS) == {"drawn": views[name], "enabled": 0}, name
            page.evaluate(MATHJAX_DONE)
            broken = page.evaluate("() => Array.from(document.images)"
                                   ".filter(i => !(i.complete && i.naturalWidth > 0))"
                                   ".map(i => i.src.slice(0, 80))")
            assert not broken, f"{name}: images that did not load: {broken}"
            if name in ("index", "explorers"):
                SHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SHOTS / f"site-{name}.png"))
            if name.startswith("04_"):
                explorer = page.locator(".widget-subarea").first
                explorer.screenshot(path=str(SHOTS / "site-explorer.png"))
        assert not errors, f"script errors on the pages: {errors[:3]}"
        if info["mathjax"]:
            derivation = next((p for p in NOTEBOOKS if p.stem.startswith("03_")), NOTEBOOKS[0])
            page.goto((out / f"{derivation.stem}.html").as_uri())
            page.evaluate(MATHJAX_DONE)
            assert page.evaluate("() => document.querySelectorAll('math').length") > 10
            page.evaluate("() => window.scrollTo(0, 1500)")
            page.screenshot(path=str(SHOTS / f"site-{derivation.stem}.png"))
    assert not outside, f"the site asked the network for {outside[:5]}"
    assert not failed, f"requests that failed: {failed[:5]}"


def test_index_summaries_keep_formulas_whole_and_markdown_rendered():
    long_text = "word " * 48 + "then $a + b + c + d + e + f + g + h + i + j + k$ more words"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# T\n\n" + long_text)])
    summary = publish.notebook_summary(nb)
    assert summary.endswith(" ...") and summary.count("$") % 2 == 0
    md = publish.inline_markdown
    assert md("a **b**, *c* and `x<y`") == \
        "a <strong>b</strong>, <em>c</em> and <code>x&lt;y</code>"
    assert md("raw <script>alert(1)</script>") == "raw &lt;script&gt;alert(1)&lt;/script&gt;"
    # a formula is left whole for MathJax, even with * and _ inside
    assert md("so $p_1 * q_1$ holds") == 'so <span class="math">\\(p_1 * q_1\\)</span> holds'


def test_figures_do_not_depend_on_the_callers_matplotlib_settings(tmp_path):
    import matplotlib as mpl

    clean = build_figures(tmp_path / "clean", animations=False, stems=["sigmoid"])
    with mpl.rc_context({"font.size": 30, "savefig.dpi": 72, "savefig.facecolor": "red"}):
        dirty = build_figures(tmp_path / "dirty", animations=False, stems=["sigmoid"])
    assert [p.read_bytes() for p in clean] == [p.read_bytes() for p in dirty]


# =========================================================================== nothing stored runs

# Every payload would set window.__pwned and the page title if it ran.
RUN = "window.__pwned=1;document.title='pwned'"
PAYLOADS = (f'<img src="x" onerror="{RUN}">', f"<script>{RUN}</script>",
            f'<a href="javascript:{RUN}">link</a>', f'<svg onload="{RUN}"></svg>',
            f'<iframe src="javascript:{RUN}"></iframe>')
PLANTED = "".join(PAYLOADS)


def _ctrl(name, layout, **state):
    return {"model_name": name, "model_module": "@jupyter-widgets/controls",
            "model_module_version": "2.0.0",
            "state": {"_model_name": name, "_model_module": "@jupyter-widgets/controls",
                      "_model_module_version": "2.0.0", "_view_module": "@jupyter-widgets/controls",
                      "_view_module_version": "2.0.0", "_view_name": name.replace("Model", "View"),
                      "layout": f"IPY_MODEL_{layout}", **state}}


def _planted_notebook(folder):
    """A copy of notebook 04 (binary explorer, formulas) with scripts planted everywhere
    the page shows stored content: the explorer's HTML readout, its description, new
    HTMLMath, Output and Image widgets, cell outputs, a Markdown cell."""
    import base64
    src = next(p for p in NOTEBOOKS if p.stem.startswith("04_"))
    nb = nbformat.read(src, as_version=4)
    state = nb.metadata["widgets"][WIDGET_STATE]["state"]
    layout = next(k for k, m in state.items() if m["model_name"] == "LayoutModel")
    readout = next(m for m in state.values() if m["model_name"] == "HTMLModel")
    readout["state"]["value"] += PLANTED
    readout["state"]["description"] = PAYLOADS[0]
    readout["state"]["description_allow_html"] = True

    def b64(text):
        return base64.b64encode(text.encode()).decode()
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" onload="{RUN}"><script>{RUN}</script></svg>'
    state["planted_math"] = _ctrl("HTMLMathModel", layout,
                                  value=r"<p>math stays: $\alpha + \beta$</p>" + PLANTED)
    state["planted_url"] = _ctrl("ImageModel", layout, format="url", value="")
    state["planted_url"]["buffers"] = [{"path": ["value"], "encoding": "base64",
                                        "data": b64(f"javascript:{RUN}")}]
    state["planted_svg"] = _ctrl("ImageModel", layout, format="svg+xml", value="")
    state["planted_svg"]["buffers"] = [{"path": ["value"], "encoding": "base64", "data": b64(svg)}]
    out_state = {"_model_name": "OutputModel", "_model_module": "@jupyter-widgets/output",
                 "_model_module_version": "1.0.0", "_view_module": "@jupyter-widgets/output",
                 "_view_module_version": "1.0.0", "_view_name": "OutputView",
                 "layout": f"IPY_MODEL_{layout}", "msg_id": "", "outputs": [
                     {"output_type": "display_data", "metadata": {},
                      "data": {"text/html": "<b>output stays</b>" + PLANTED,
                               "text/plain": "planted"}},
                     {"output_type": "display_data", "metadata": {},
                      "data": {"application/javascript": RUN, "text/plain": "js"}},
                     {"output_type": "display_data", "metadata": {},
                      "data": {"image/svg+xml": svg, "text/plain": "svg"}}]}
    state["planted_output"] = {"model_name": "OutputModel", "model_module": "@jupyter-widgets/output",
                               "model_module_version": "1.0.0", "state": out_state}
    # ipywidgets 7 (controls 1.x) shows every description as HTML
    state["planted_v7_layout"] = {
        "model_name": "LayoutModel", "model_module": "@jupyter-widgets/base",
        "model_module_version": "1.2.0", "state": {"_model_module_version": "1.2.0",
                                                   "_view_module_version": "1.2.0"}}
    state["planted_v7"] = _ctrl("HTMLModel", "planted_v7_layout", value="<b>v7 stays</b>",
                                description=PLANTED)
    for key in ("_model_module_version", "_view_module_version"):
        state["planted_v7"]["state"][key] = "1.5.0"
    state["planted_v7"]["model_module_version"] = "1.5.0"
    views = [nbformat.v4.new_output("display_data", {
        WIDGET_VIEW: {"version_major": 2, "version_minor": 0, "model_id": mid},
        "text/plain": "widget"}) for mid in ("planted_math", "planted_url", "planted_svg",
                                             "planted_output", "planted_v7")]
    png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
    outputs = views + [
        nbformat.v4.new_output("display_data", {"text/html": "<i>cell html stays</i>" + PLANTED}),
        nbformat.v4.new_output("display_data", {"application/javascript": RUN}),
        nbformat.v4.new_output("display_data", {"image/svg+xml": svg}),
        nbformat.v4.new_output("display_data", {"image/png": png},
                               metadata={"image/png": {"width": f"1 onerror={RUN}"}})]
    nb.cells.insert(1, nbformat.v4.new_markdown_cell("Planted: " + PLANTED))
    nb.cells.insert(2, nbformat.v4.new_code_cell("planted()", execution_count=99, outputs=outputs))
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / src.name)
    return folder / src.name


_ACTIVE = re.compile(r"\bon(?:error|load)\s*=|javascript:|<script>window|<iframe|<svg", re.I)


def _assert_inert(text, name):
    found = _ACTIVE.search(text)
    assert not found, f"{name} still holds {found.group(0)!r}: {text[found.start() - 80:found.end() + 40]!r}"


def test_stored_scripts_are_removed_from_widget_state_and_outputs(tmp_path, fake_manager):
    nb_path = _planted_notebook(tmp_path / "nbs")
    build_site(tmp_path / "out", notebooks=nb_path.parent, figures=FIGS, mathjax=None,
               widget_manager=fake_manager)
    page = (tmp_path / "out" / f"{nb_path.stem}.html").read_text()
    _assert_inert(page, nb_path.stem)
    state = _stored_state(page)
    assert "math stays: $\\alpha + \\beta$" in state["planted_math"]["state"]["value"]
    assert "<b>output stays</b>" in json.dumps(state["planted_output"]["state"]["outputs"])
    assert "<i>cell html stays</i>" in page and "Planted:" in page
    # the explorer's own picture is kept; the SVG and the script address are not
    picture = next(m for m in state.values()
                   if m["model_name"] == "ImageModel" and "cu-figure" in m["state"]["_dom_classes"])
    assert picture["state"]["format"] == "png" and picture["buffers"][0]["data"]
    for mid in ("planted_url", "planted_svg"):
        assert not state[mid].get("buffers"), mid


def test_sanitize_keeps_formatting_and_drops_scripts():
    clean = publish.sanitize_html
    assert clean('<div role="status" aria-live="polite" style="line-height:1.4"><b>a</b> '
                 '<a href="05_x.html#top">next</a> <sub>1</sub></div>') == \
        ('<div role="status" aria-live="polite" style="line-height:1.4;"><b>a</b> '
         '<a href="05_x.html#top">next</a> <sub>1</sub></div>')
    for payload in PAYLOADS:
        _assert_inert(clean(payload), payload)
    assert clean('<img src="data:image/png;base64,AAAA">') == '<img src="data:image/png;base64,AAAA">'
    assert "src" not in clean('<img src="data:image/svg+xml;base64,AAAA">')
    assert "href" not in clean('<a href=" JaVaScRiPt:alert(1)">x</a>')


def test_figures_index_escapes_file_names(tmp_path):
    figs = tmp_path / "figs"
    figs.mkdir()
    for stem in ANIMATIONS:
        shutil.copy2(FIGS / f"{stem}.gif", figs)
    shutil.copy2(FIGS / "sigmoid.png", figs / f'x"><img src=x onerror="{RUN}">.png')
    nbdir = tmp_path / "nbs"
    nbdir.mkdir()
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        f"# Tiny <img src=x onerror=\"{RUN}\">\n\nSummary <script>{RUN}</script>")]),
        nbdir / "00_a.ipynb")
    build_site(tmp_path / "out", notebooks=nbdir, figures=figs, mathjax=None)
    listing = (tmp_path / "out" / "figures" / "index.html").read_text()
    assert "<img" not in listing and "&lt;img" in listing
    assert 'href="x%22%3E%3Cimg%20src%3Dx' in listing        # the link still finds the file
    index = (tmp_path / "out" / "index.html").read_text()      # the title and summary: text
    assert "<img src=x" not in index and f"<script>{RUN}" not in index and "&lt;img" in index


def test_planted_scripts_do_not_run_in_chromium(tmp_path, widget_manager):
    require_browser()
    nb_path = _planted_notebook(tmp_path / "nbs")
    info = build_site(tmp_path / "out", notebooks=nb_path.parent, figures=FIGS,
                      widget_manager=widget_manager)
    views = info["pages"][0]["widgets"]
    with chromium() as context:
        page = context.new_page()
        errors, dialogs = [], []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto((tmp_path / "out" / f"{nb_path.stem}.html").as_uri())
        page.wait_for_load_state("load")
        title = page.title()
        page.wait_for_function(f"() => document.querySelectorAll('.widget-subarea').length"
                               f" >= {views}", timeout=30_000)
        page.evaluate(MATHJAX_DONE)
        page.wait_for_timeout(300)                    # let any late onerror/onload fire
        assert page.evaluate("() => window.__pwned") is None, "a planted script ran"
        assert page.title() == title != "pwned" and not dialogs
        # legitimate content still renders: the explorer's picture, the sweeps, formulas
        loaded = page.evaluate("""() => Array.from(document.images).filter(
            i => i.complete && i.naturalWidth > 0).map(i => i.className + ' ' + i.src.slice(-24))""")
        assert any("cu-figure" in s for s in loaded), loaded
        assert any(s.endswith("sweep_learning_rate.gif") for s in loaded), loaded
        assert any(s.endswith("sweep_lambda.gif") for s in loaded), loaded
        if info["mathjax"]:
            assert page.evaluate("() => document.querySelectorAll('math').length") > 10
        text = page.inner_text("body")
        assert "math stays" in text and "output stays" in text and "cell html stays" in text
        assert "v7 stays" in text
        page.screenshot(path=str(tmp_path / "planted.png"), full_page=False)
    assert not errors, errors[:3]


# =========================================================================== accessibility

#: Pages audited with axe-core (tests/test_accessibility.py says why here): the index, a
#: notebook with a figure and a widget, and the app page with all five widgets.
AUDITED = ("index", "00_start_here", "explorers")


def test_site_pages_pass_the_accessibility_audit(site, capsys):
    require_browser()
    out, _ = site
    with chromium() as context:
        page = context.new_page()
        for name in AUDITED:
            page.goto((out / f"{name}.html").as_uri())
            page.wait_for_load_state("load")
            # widgets are drawn after the load event; widget-names.js then names controls
            page.wait_for_function("() => !document.querySelector('.widget-subarea:empty')"
                                   " && !document.querySelector('.noUi-handle:not([aria-label])')",
                                   timeout=30_000)
            page.evaluate(MATHJAX_DONE)
            own, upstream = audit(page, "body")
            with capsys.disabled():
                print("\n" + audit_line(f"static site {name}.html", own, upstream))
            assert not blocking(own), "\n".join(blocking(own))
            # every picture has a text alternative of its own, not nbconvert's placeholder
            alts = page.evaluate("() => Array.from(document.images, i => i.alt || i.title)")
            assert alts and all(alts) and not any("No description" in a for a in alts), alts
            if name == "explorers":
                titles = page.evaluate("() => Array.from(document.querySelectorAll("
                                       "'img.cu-figure'), i => i.title)")
                assert len(titles) == 5 and all(t.startswith("Picture") for t in titles), titles


def test_figures_are_described_by_the_sentence_after_them(site):
    """A figure's alt text is the notebook's ``*Figure:*`` sentence, without TeX signs."""
    out, _ = site
    for path in NOTEBOOKS[:3]:
        nb = nbformat.read(path, as_version=4)
        sentences = [after.source.strip()[len("*Figure:*"):] for cell, after
                     in zip(nb.cells, nb.cells[1:]) if cell.cell_type == "code"
                     and after.cell_type == "markdown" and after.source.startswith("*Figure:*")
                     and any("image/png" in o.get("data", {}) for o in cell.get("outputs", []))]
        page = (out / f"{path.stem}.html").read_text(encoding="utf-8")
        alts = [html.unescape(a) for a in re.findall(r'<img alt="([^"]*)"[^>]*src="data:image/png',
                                                      page)]
        assert len(alts) == len(sentences) > 0, path.stem
        for alt, sentence in zip(alts, sentences):
            assert "$" not in alt and "\\" not in alt and "No description" not in alt
            first_words = re.sub(r"[$\\{}*`]", "", sentence).split()[:6]
            assert alt.split()[:6] == first_words, (alt, sentence)


def test_site_pages_speak_to_students(site):
    # Students have no "seed" files and no design notes: no page says so, including the
    # widget state stored in it (the same words tests/test_student_text.py checks).
    from conftest import AUTHORING_WORDS as AUTHORING
    out, info = site
    pages = sorted(out.glob("*.html"))
    assert len(pages) >= len(info["pages"])
    found = {p.name: hit.group(0) for p in pages
             if (hit := AUTHORING.search(html.unescape(p.read_text(encoding="utf-8"))))}
    assert not found, found
