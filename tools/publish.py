"""Publishing the course: figures for slide decks, and a static site that needs no kernel.

Not part of the package students import: ``make figures`` and ``make html`` run this
script, and nothing in ``course_utils`` imports it. Two commands, both offline:

* ``python tools/publish.py figures [--out DIR]`` (:func:`build_figures`) writes
  every key figure of :data:`course_utils.figures.FIGURES` as PNG and SVG, drawn in the
  projector style for instructors' own decks, plus two animated GIFs made from the
  binary explorer itself: a learning-rate sweep and a lambda sweep. Two runs give
  byte-identical files (no dates or versions in the metadata, a fixed SVG hash salt,
  GIF frames quantised without dithering), and a file that already shows the same
  picture is left untouched.
* ``python tools/publish.py html [--out DIR] [--figures DIR] [--widget-manager DIR]``
  (:func:`build_site`) writes ``_site/``: an index page and every notebook as an HTML
  page with its stored outputs (nbconvert's ``lab`` template), for anyone reading
  without a kernel. Nothing is fetched from the network when a page is opened:

  - widgets are drawn by Jupyter's own widget manager for static pages,
    ``@jupyter-widgets/html-manager`` (its self-contained ``dist/embed.js``), from
    the widget state stored in the notebook. ``make html`` installs it from the npm
    registry at an exact version into a git-ignored folder; the site gets a copy in
    ``_site/widgets/``, so a page works offline and from ``file://``. That bundle
    has no module loader: a widget from another package would show an error instead
    of being fetched from a CDN. Without a kernel nothing recomputes, so every
    control is shown at its stored value and disabled, and under each binary
    explorer the learning-rate and lambda sweeps play as animated GIFs;
  - mathematics is typeset by a local copy of MathJax 2 when the package
    ``jupyter-server-mathjax`` (or ``$COURSE_MATHJAX_DIR``) provides one, rendered
    to the browser's native MathML so it needs no web fonts and works from
    ``file://``. Without it, formulas stay readable as TeX source;
  - links between notebooks point to the HTML pages; solutions stay folded; the
    index's summaries are Markdown rendered by mistune;
  - nothing stored runs: Markdown cells, HTML outputs, HTML and HTMLMath widget
    values, HTML descriptions and Output widgets are sanitised by bleach
    (:func:`sanitize_html`: no script, event handler, frame or script address), Image
    widgets keep raster pictures only, JavaScript and SVG outputs are dropped, and
    everything else the pages insert (titles, file names) is escaped.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np

from course_utils import figures
from course_utils.plotting import style_context

__all__ = ["ANIMATIONS", "KEY_FIGURES", "build_figures", "build_site", "sweep_frames",
           "write_gif", "find_widget_manager", "notebook_title", "notebook_summary",
           "find_mathjax", "inline_markdown", "sanitize_html", "sanitize_widget_state", "main"]

#: The two explorer sweeps: file stem -> (control swept, its values, fixed controls).
ANIMATIONS = {
    "sweep_learning_rate": ("lr", tuple(float(v) for v in np.round(10 ** np.arange(-2.0, 2.01, 0.25), 6)),
                            {"lam": 0.01}),
    "sweep_lambda": ("lam", (0.0, 1e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0),
                     {"lr": 0.3}),
}
_GIF_MS = 700          # per frame
_GIF_LAST_MS = 2500    # the last frame stays up longer before the loop restarts


#: Names of the static key figures (``make figures`` writes ``<stem>.png`` and ``.svg``).
KEY_FIGURES = tuple(figures.FIGURES)


# =========================================================================== animations

def _caption_strip(text, width, dpi, height_in=0.42):
    """An RGBA strip ``width`` pixels wide with one line of text, drawn by Agg."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    with style_context("notebook"):
        fig = Figure(figsize=(width / dpi, height_in), dpi=dpi)
        FigureCanvasAgg(fig)
        fig.text(0.01, 0.5, text, va="center", ha="left", fontsize=12, color="#111111")
        fig.canvas.draw()
        strip = np.asarray(fig.canvas.buffer_rgba()).copy()
    if strip.shape[1] != width:    # rounding of width / dpi
        strip = strip[:, :width] if strip.shape[1] > width else np.pad(
            strip, ((0, 0), (0, width - strip.shape[1]), (0, 0)), constant_values=255)
    return strip


def sweep_frames(control, values, fixed=None):
    """Frames of the binary explorer as one control sweeps through ``values``.

    The explorer (:func:`course_utils.widgets.binary_explorer`, image backend) is
    set to each value in turn; a frame is exactly the picture the explorer shows,
    with a caption line above it naming the value and the run's outcome.

    Parameters
    ----------
    control : {"lr", "lam"}
        The control to sweep.
    values : sequence of float
    fixed : dict, optional
        Other controls, held fixed (e.g. ``{"lam": 0.01}``).

    Returns
    -------
    list of ndarray, shape (H, W, 3), dtype uint8
    """
    from course_utils.widgets import STATUS_TEXT, binary_explorer
    if control not in ("lr", "lam"):
        raise ValueError(f"control must be 'lr' or 'lam' (the swept slider); got {control!r}.")
    values = [float(v) for v in values]
    if not values:
        raise ValueError("values must hold at least one value to sweep, e.g. [0.1, 1.0].")
    explorer = binary_explorer(backend="image", **(fixed or {}), **{control: values[0]})
    frames = []
    for v in values:
        explorer.set(**{control: v})
        r = explorer.result
        picture = np.asarray(explorer.figure.canvas.buffer_rgba())
        c = r.controls
        outcome = STATUS_TEXT.get(r.status, r.status)
        steps = int(r.trajectory.steps[-1])
        text = (f"learning rate α = {c.lr:.3g},  λ = {c.lam:g}:  {outcome} after {steps} "
                f"steps;  weights ‖(θ₁, θ₂)‖ = {r.weight_norm:.2f}")
        strip = _caption_strip(text, picture.shape[1], explorer.figure.dpi)
        frames.append(np.vstack([strip, picture])[..., :3].copy())
    return frames


def write_gif(frames, path, duration_ms=_GIF_MS, last_ms=_GIF_LAST_MS):
    """Write RGB frames as a looping GIF; the same frames give the same bytes.

    Each frame gets its own 256-colour palette (median cut, no dithering: lines stay
    crisp and the file stays deterministic).
    """
    from PIL import Image
    if not frames:
        raise ValueError("frames must hold at least one RGB image.")
    images = [Image.fromarray(np.ascontiguousarray(f[..., :3]), "RGB").quantize(
        colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE) for f in frames]
    durations = [duration_ms] * (len(images) - 1) + [last_ms]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    images[0].save(path, format="GIF", save_all=True, append_images=images[1:],
                   duration=durations, loop=0, optimize=False, disposal=1)
    return path


# =========================================================================== figures

def build_figures(out="figures", *, style="projector", animations=True, stems=None):
    """Write every key figure (PNG + SVG) and the explorer sweeps (GIF) into ``out``.

    Parameters
    ----------
    out : path
        Output folder (made if missing).
    style : {"projector", "notebook"}
        Course style of the static figures.
    animations : bool
        Also write the sweep GIFs of :data:`ANIMATIONS`.
    stems : sequence of str, optional
        Only these static figures (default: all of ``course_utils.figures.FIGURES``).

    Returns
    -------
    list of pathlib.Path
        The files written, in a fixed order.
    """
    import matplotlib.pyplot as plt
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    registry = dict(figures.FIGURES)
    if stems is not None:
        unknown = sorted(set(stems) - set(registry))
        if unknown:
            raise ValueError(f"stems must name key figures ({sorted(registry)}); "
                             f"got unknown {unknown}.")
        registry = {k: v for k, v in registry.items() if k in stems}
    written = []
    with tempfile.TemporaryDirectory(dir=out, prefix=".build-") as scratch:
        for stem, make in registry.items():
            # saved inside the style too: savefig reads rcParams (dpi, colours) at save
            # time, and the caller's settings must not change the bytes
            with style_context(style):
                fig = make(style=style)
                fresh = figures.save_figure(fig, scratch, stem)
            plt.close(fig)
            written += [figures.keep_if_same_picture(p, out / p.name) for p in fresh]
    if animations:
        with tempfile.TemporaryDirectory(dir=out, prefix=".build-") as scratch:
            for stem, (control, values, fixed) in ANIMATIONS.items():
                fresh = write_gif(sweep_frames(control, values, fixed), Path(scratch) / f"{stem}.gif")
                written.append(figures.keep_if_same_picture(fresh, out / fresh.name))
    return written


# =========================================================================== widgets

_WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
_WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
#: Where the widget manager is copied inside the site.
_SITE_WIDGETS = "widgets"
#: Names for the slider handles and Play buttons ipywidgets leaves unnamed (see the file).
_WIDGET_NAMES = (Path(__file__).resolve().parent / "present" / "jupyter" / "voila" / "templates"
                 / "course" / "static" / "widget-names.js")


def find_widget_manager(folder):
    """The ``dist`` folder of ``@jupyter-widgets/html-manager`` inside ``folder``, or None.

    ``folder`` is the folder ``make html`` installs it into (the ``--prefix`` of
    ``npm install``), or that ``dist`` folder itself.
    """
    folder = Path(folder)
    for dist in (folder, folder / "node_modules" / "@jupyter-widgets" / "html-manager" / "dist"):
        if (dist / "embed.js").is_file():
            return dist
    return None


def _copy_widget_manager(dist, target):
    """Copy the self-contained bundle, its licence notice and the fonts it loads."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for f in sorted(dist.iterdir()):
        # the AMD bundles need require.js and a CDN; source maps are for debugging
        if f.is_file() and "amd" not in f.name and f.suffix != ".map":
            shutil.copy2(f, target / f.name)


def _prepare_widgets(nb, sweeps):
    """Ready ``nb``'s widgets for a page without a kernel; return how many are shown.

    Every control is disabled (moving it would recompute nothing), and under each
    binary explorer the sweep animations are added as an output of their own. What the
    page would show as HTML is sanitised first (:func:`sanitize_widget_state`,
    and every stored output), so a value holding a script stays inert.
    """
    state = nb.metadata.get("widgets", {}).get(_WIDGET_STATE, {}).get("state", {})
    sanitize_widget_state(state)
    for cell in nb.cells:
        if "outputs" in cell:
            cell["outputs"] = [o for o in cell["outputs"] if _sanitize_output(o, state)]
    for model in state.values():
        if "disabled" in model.get("state", {}):
            model["state"]["disabled"] = True
    _describe_pictures(state)
    _figure_alts(nb)
    count = 0
    for cell in nb.cells:
        outputs = []
        for out in cell.get("outputs", []):
            outputs.append(out)
            view = out.get("data", {}).get(_WIDGET_VIEW)
            if view is None:
                continue
            count += 1
            classes = state.get(view.get("model_id"), {}).get("state", {}).get("_dom_classes", [])
            if "cu-binary-explorer" in classes:
                import nbformat
                outputs.append(nbformat.v4.new_output("display_data", {"text/html": sweeps}))
        if "outputs" in cell:
            cell["outputs"] = outputs
    return count


def _plain(text, limit=400):
    """Markup-free text for an alt attribute: tags, TeX signs and emphasis dropped, cut."""
    text = re.sub(r"<[^>]*>|[$\\{}*`]", "", html.unescape(text))
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " ..."


def _describe_pictures(state):
    """Each explorer's picture gets a title (its text alternative) from its stored readout.

    A live explorer writes the readout into its picture's ``tooltip``
    (``course_utils._blit.DescribedImage``); a notebook stored before that gets the same
    here, from the readout shown under the picture.
    """
    for model in state.values():
        children = [str(c).replace("IPY_MODEL_", "") for c in
                    model.get("state", {}).get("children", []) if isinstance(c, str)]
        kids = [state.get(c, {}).get("state", {}) for c in children]
        picture = next((k for k in kids if "cu-figure" in k.get("_dom_classes", [])), None)
        readout = next((k for k in kids if "cu-readout" in k.get("_dom_classes", [])), None)
        if picture is not None and readout is not None and not picture.get("tooltip"):
            picture["description"] = ""
            picture["tooltip"] = "Picture of the explorer: " + _plain(readout.get("value", ""))


def _figure_alts(nb):
    """A figure's text alternative is the ``*Figure:*`` sentence the notebook puts after it."""
    for cell, after in zip(nb.cells, nb.cells[1:]):
        text = after.source.strip() if after.cell_type == "markdown" else ""
        if cell.cell_type == "code" and text.startswith("*Figure:*"):
            for out in cell.get("outputs", []):
                if "image/png" in out.get("data", {}):
                    out.setdefault("metadata", {})["course_alt"] = _plain(text[9:])


# =========================================================================== sanitising

# What stored HTML may keep on a page: formatting, tables, images, links, details; no
# script, no event handler, no frame, no form, no style sheet. Applied to every piece
# of stored HTML the page shows (Markdown cells, HTML outputs, HTML widgets' values,
# Output widgets' outputs), whoever wrote it.
_HTML_TAGS = frozenset({
    "a", "abbr", "acronym", "b", "blockquote", "br", "caption", "cite", "code", "col",
    "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption",
    "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
    "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strike", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "tt", "u", "ul",
    "var"})
_HTML_ATTRIBUTES = frozenset({"class", "id", "title", "style", "role", "lang", "dir",
                              "align", "colspan", "rowspan", "open", "alt", "width", "height",
                              "href", "src", "name", "start", "type", "scope"})
# Where a URL may point: the site's own files, anchors, the web, and images inlined as
# data (raster formats only: an SVG can carry script).
_SAFE_LINK = re.compile(r"^(?:https?:|mailto:|#|[^:/?#]*(?:[/?#]|$))", re.I)
_SAFE_IMAGE = re.compile(r"^(?:data:image/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*"
                         r"|https?:[^\s]*|[^:/?#]*(?:[/?#]|$))", re.I)
_BASE64 = re.compile(r"^[A-Za-z0-9+/=\s]*$")


def _allowed_attribute(tag, name, value):
    if name.startswith("aria-") or name.startswith("data-"):
        return True
    if name not in _HTML_ATTRIBUTES:
        return False
    if name == "href":
        return bool(_SAFE_LINK.match(value.strip()))
    if name == "src":
        return tag == "img" and bool(_SAFE_IMAGE.match(value.strip()))
    return True


def _cleaner():
    import bleach
    from bleach.css_sanitizer import CSSSanitizer
    return bleach.Cleaner(tags=_HTML_TAGS, attributes=_allowed_attribute,
                          protocols={"http", "https", "mailto", "data"}, strip=True,
                          strip_comments=True, css_sanitizer=CSSSanitizer())


def sanitize_html(text):
    """Stored HTML made inert: scripts, event handlers and script URLs removed (bleach).

    Formatting, tables, links, raster images and TeX (left as text for MathJax) stay.

    Examples
    --------
    >>> sanitize_html('<b>ok</b><img src=x onerror="alert(1)"><script>alert(2)</script>')
    '<b>ok</b><img src="x">alert(2)'
    """
    if not isinstance(text, str):
        text = "".join(text) if isinstance(text, list) else str(text)
    return _cleaner().clean(text)


def _safe_image_data(data):
    """Base64 image data as stored, or None when it is anything else."""
    text = "".join(data) if isinstance(data, list) else data
    return text if isinstance(text, str) and _BASE64.match(text) else None


def _sanitize_output(out, known_models=None):
    """A stored output with only inert content (in place); False if nothing is left."""
    if out.get("output_type") not in ("display_data", "execute_result"):
        return True                          # streams and errors are shown as escaped text
    data = out.get("data", {})
    for mime in list(data):
        if mime in ("text/html", "text/markdown"):
            if mime == "text/markdown":
                import mistune
                data["text/html"] = sanitize_html(mistune.html(
                    "".join(data.pop(mime)) if isinstance(data[mime], list) else data.pop(mime)))
            else:
                data[mime] = sanitize_html(data[mime])
        elif mime in ("image/png", "image/jpeg", "image/gif"):
            if _safe_image_data(data[mime]) is None:
                del data[mime]
        elif mime == _WIDGET_VIEW:
            view = data[mime]
            mid = view.get("model_id") if isinstance(view, dict) else None
            if not isinstance(mid, str) or (known_models is not None and mid not in known_models):
                del data[mime]
        elif mime not in ("text/plain", "text/latex"):
            del data[mime]                    # javascript, svg, json, anything unknown
    meta = out.get("metadata", {})
    for mime in list(meta):
        if isinstance(meta[mime], dict):      # width and height are written unquoted
            for key in list(meta[mime]):
                if key in ("width", "height") and not (
                        isinstance(meta[mime][key], int) and not isinstance(meta[mime][key], bool)):
                    del meta[mime][key]
                elif key == "filenames":
                    del meta[mime][key]
        elif mime == "filenames":
            del meta[mime]
    return bool(data)


_IMAGE_FORMATS = ("png", "jpeg", "jpg", "gif", "webp")


def sanitize_widget_state(state):
    """Make a notebook's stored widget state inert for the static page (in place).

    The official widget manager writes an HTML or HTMLMath widget's value, a description
    marked as HTML (any description of an ipywidgets 7 model) and an Output widget's
    HTML into the page as HTML, and an Image widget's bytes as a picture or (format
    ``url``) as its address. Each is sanitised
    (:func:`sanitize_html`), non-raster images and unsafe addresses removed; every
    other string that looks like a script address is emptied.
    """
    for model in state.values():
        st = model.get("state", {})
        name = model.get("model_name", st.get("_model_name", ""))
        if name in ("HTMLModel", "HTMLMathModel") and "value" in st:
            st["value"] = sanitize_html(st["value"])
        # ipywidgets 7 models (controls 1.x) always show the description as HTML, and a
        # Combobox's options inside a <datalist> written as HTML
        v7 = str(model.get("model_module_version", st.get("_model_module_version", ""))) \
            .startswith("1.")
        if "description" in st and (st.get("description_allow_html", False) or v7):
            st["description"] = sanitize_html(st["description"])
        if v7 and name == "ComboboxModel" and isinstance(st.get("options"), list):
            st["options"] = [html.escape(str(o), quote=True) for o in st["options"]]
        if name == "OutputModel":
            st["outputs"] = [o for o in st.get("outputs", [])
                             if isinstance(o, dict) and _sanitize_output(o, state)]
        if name == "ImageModel":
            fmt = str(st.get("format", "png")).lower()
            ok = fmt in _IMAGE_FORMATS
            if fmt == "url":
                url = _buffer_text(model, "value")
                ok = url is not None and bool(_SAFE_IMAGE.match(url.strip()))
            if not ok:
                st["format"] = "png"
                model["buffers"] = [b for b in model.get("buffers", []) if b.get("path") != ["value"]]
                st["value"] = ""
        _empty_script_urls(st)
    return state


def _buffer_text(model, key):
    """The text of a binary buffer stored for ``key`` (base64 or not), or None."""
    import base64
    for b in model.get("buffers", []):
        if b.get("path") == [key]:
            try:
                raw = base64.b64decode(b.get("data", "")) if b.get("encoding") == "base64" \
                    else str(b.get("data", "")).encode()
                return raw.decode("utf-8")
            except ValueError:
                return None
    value = model.get("state", {}).get(key)
    return value if isinstance(value, str) else None


_SCRIPT_URL = re.compile(r"^\s*(?:javascript:|vbscript:|data:(?!image/(?:png|jpeg|gif|webp)[;,])"
                         r"[\w.+-]+/)", re.I)


def _empty_script_urls(value):
    """Empty, anywhere inside ``value`` (a dict or list, in place), strings that are script URLs."""
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for k, v in list(items):
        if isinstance(v, str):
            if _SCRIPT_URL.match(v.replace("\x00", "")):
                value[k] = ""
        elif isinstance(v, (dict, list)):
            _empty_script_urls(v)


# =========================================================================== the site

_NOTEBOOK_LINK = re.compile(r'href="(?:\./)?(?:apps/)?([\w.-]+)\.ipynb(#[^"]*)?"')


def notebook_title(nb):
    """The text of the notebook's first H1 heading (or "Untitled").

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Softmax\\n\\ntext")])
    >>> notebook_title(nb)
    'Softmax'
    """
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^# (.+)$", cell.source, re.M)
            if m:
                return m.group(1).strip()
    return "Untitled"


def notebook_summary(nb):
    """The first paragraph of the notebook's first Markdown cell, cut to about 260 characters.

    A cut never splits a ``$...$`` formula; a cut summary ends with " ...".
    """
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            paras = [p.strip() for p in re.split(r"\n\s*\n", cell.source) if p.strip()]
            body = [p for p in paras if not p.startswith("#")]
            if body:
                text = re.sub(r"\s+", " ", body[0])
                if len(text) <= 260:
                    return text
                cut = text[:257].rsplit(" ", 1)[0]
                if cut.count("$") % 2:          # never cut a formula in half
                    cut = cut[:cut.rindex("$")].rstrip()
                return cut + " ..."
    return ""


def inline_markdown(text):
    """One paragraph of Markdown as HTML without the ``<p>``, by mistune.

    Raw HTML is escaped; ``$...$`` is kept whole for MathJax (``\\(...\\)``).

    Examples
    --------
    >>> inline_markdown("a **b**, *c* and `x<y`")
    'a <strong>b</strong>, <em>c</em> and <code>x&lt;y</code>'
    """
    import mistune
    rendered = mistune.create_markdown(escape=True, plugins=["math"])(text).strip()
    return re.sub(r"^<p>(.*)</p>$", r"\1", rendered, flags=re.S)


def find_mathjax():
    """A directory holding MathJax 2 (``MathJax.js``), or None.

    Looked for in ``$COURSE_MATHJAX_DIR``, then in the package ``jupyter_server_mathjax``.
    """
    candidates = []
    if os.environ.get("COURSE_MATHJAX_DIR"):
        candidates.append(Path(os.environ["COURSE_MATHJAX_DIR"]))
    try:
        import jupyter_server_mathjax
        candidates.append(Path(jupyter_server_mathjax.__file__).parent / "static")
    except ImportError:
        pass
    for c in candidates:
        if (c / "MathJax.js").is_file():
            return c
    return None


# The parts of MathJax 2 the pages use: TeX in, native MathML out.
_MATHJAX_PARTS = ("MathJax.js", "LICENSE", "config", "extensions", "jax/input", "jax/element",
                  "jax/output/HTML-CSS", "localization/en")

_MATHJAX_CONFIG = r"""
<script type="text/x-mathjax-config">
MathJax.Hub.Config({
  menuSettings: {renderer: "NativeMML"},
  tex2jax: {inlineMath: [['$', '$'], ['\\(', '\\)']], displayMath: [['$$', '$$'], ['\\[', '\\]']],
            processEscapes: true, processEnvironments: true},
  TeX: {equationNumbers: {autoNumber: "none"}},
  "HTML-CSS": {availableFonts: [], preferredFont: null, webFont: "STIX-Web", imageFont: null},
  messageStyle: "none", showMathMenu: false
});
</script>
<script src="mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"></script>
"""

_SITE_CSS = """
<style type="text/css">
.cu-nav { display: flex; gap: 1.5em; align-items: baseline; padding: 0.6em 1em;
  border-bottom: 1px solid #ccc; font-family: var(--jp-ui-font-family, sans-serif);
  font-size: 14px; background: #f7f7f7; }
.cu-nav a { color: #0b5394; text-decoration: none; }
.cu-nav .cu-nav-title { font-weight: bold; margin-right: auto; }
.cu-note { font-family: var(--jp-ui-font-family, sans-serif); border-left: 4px solid #E69F00; background: #fff8e6; padding: 0.5em 0.8em;
  margin: 0.4em 0; font-size: 0.95em; }
.cu-sweeps img { max-width: 100%; height: auto; border: 1px solid #ddd; margin: 0.3em 0; }
details.cu-solution > summary { cursor: pointer; color: #0b5394; margin: 0.3em 0; }
/* WCAG AA contrast (4.5:1, measured by axe-core): nbconvert's prompts (#b0b0b0 on white,
   2.2:1) and Pygments' numbers, "in"/"not" and comments (4.2-4.4:1 on the code's grey) */
.jp-InputPrompt, .jp-OutputPrompt { color: #616161 !important; opacity: 1 !important; }
.highlight .m, .highlight .mf, .highlight .mi, .highlight .mh, .highlight .mo,
.highlight .il { color: #006400 !important; }
.highlight .ow { color: #7b1fa2 !important; }
.highlight .c, .highlight .c1, .highlight .ch, .highlight .cm, .highlight .cs,
.highlight .cpf { color: #2f6464 !important; }
</style>
"""

# nbconvert's lab template, with local MathJax and the local widget manager instead of
# the CDN's require.js and embed-amd.js; the widget state itself is written by the
# template's footer.
_TEMPLATE = r"""{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block jupyter_widgets -%}
{%- if "widgets" in nb.metadata -%}
<script src="{{ resources.course_widgets }}/embed.js"></script>
<script src="{{ resources.course_widgets }}/widget-names.js"></script>
{%- endif -%}
{%- endblock jupyter_widgets -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_js_mathjax -%}{{ resources.course_mathjax }}{%- endblock html_head_js_mathjax -%}
{%- block extra_css -%}{{ resources.course_css }}{%- endblock extra_css -%}
{%- block body_header -%}
{{ super() }}
{{ resources.course_nav }}
{%- endblock body_header -%}
{% block data_png scoped -%}
{%- set alt = output.metadata.get('course_alt') -%}
{%- if alt -%}{{ super() | replace('<img ', '<img alt="' ~ (alt | escape_html) ~ '" ', 1) }}
{%- else -%}{{ super() }}{%- endif -%}
{%- endblock data_png %}
{% block input_group -%}
{%- if cell.metadata.get('jupyter', {}).get('source_hidden') -%}
<details class="cu-solution"><summary>Show the code</summary>
{{ super() }}
</details>
{%- else -%}
{{ super() }}
{%- endif -%}
{% endblock input_group %}
{% block output_group -%}
{%- if cell.metadata.get('jupyter', {}).get('outputs_hidden') -%}
<details class="cu-solution"><summary>Show the output</summary>
{{ super() }}
</details>
{%- else -%}
{{ super() }}
{%- endif -%}
{% endblock output_group %}
"""


def _href(name):
    """A file name as the value of a quoted href: percent-encoded, then HTML-escaped."""
    from urllib.parse import quote
    return html.escape(quote(name), quote=True)


def _nav(pages, current):
    """The bar at the top of every page: the index, the previous and the next notebook."""
    links = ['<nav class="cu-nav"><span class="cu-nav-title">From Sigmoid to Softmax</span>',
             '<a href="index.html">all notebooks</a>']
    stems = [p["stem"] for p in pages]
    if current in stems:
        i = stems.index(current)
        if i > 0:
            links.append(f'<a href="{_href(pages[i - 1]["stem"] + ".html")}">← '
                         f'{html.escape(pages[i - 1]["short"])}</a>')
        if i + 1 < len(pages):
            links.append(f'<a href="{_href(pages[i + 1]["stem"] + ".html")}">'
                         f'{html.escape(pages[i + 1]["short"])} →</a>')
    links.append("</nav>")
    note = ('<div class="cu-note">A static page: outputs as stored; widgets at their stored '
            'values, disabled, since no kernel computes here. To move the sliders, run '
            '<code>make lab</code> (notebooks) or <code>make present</code> (the explorers).</div>')
    return "\n".join(links) + "\n" + note


def _sweeps_html(prefix="figures/"):
    return ('<details class="cu-sweeps" open><summary>Without a kernel: what the sliders do '
            '(animations of this explorer)</summary>'
            f'<p>Learning rate α from 0.01 to 100 (λ = 0.01):</p>'
            f'<img alt="learning-rate sweep of the binary explorer" src="{prefix}sweep_learning_rate.gif">'
            f'<p>λ from 0 to 1 (α = 0.3):</p>'
            f'<img alt="lambda sweep of the binary explorer" src="{prefix}sweep_lambda.gif">'
            '</details>')


def _export(nb, exporter, resources):
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return _NOTEBOOK_LINK.sub(lambda m: f'href="{m.group(1)}.html{m.group(2) or ""}"', body)


def _index_page(pages, mathjax_ok, css, head=""):
    rows = "\n".join(
        f'<li><span class="cu-num">{html.escape(p["stem"][:2])}</span> '
        f'<a href="{_href(p["stem"] + ".html")}">'
        f'<b>{html.escape(p["title"])}</b></a><br><span>{sanitize_html(inline_markdown(p["summary"]))}</span></li>'
        for p in pages if p["kind"] == "notebook")
    rows = _NOTEBOOK_LINK.sub(lambda m: f'href="{m.group(1)}.html{m.group(2) or ""}"', rows)
    math_note = ("Formulas are typeset by a local copy of MathJax." if mathjax_ok else
                 "Formulas are shown as TeX source (MathJax was not found when the site was built).")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>From Sigmoid to Softmax</title>
{css}
{head}
<style>
body {{ font-family: sans-serif; max-width: 62em; margin: 0 auto; padding: 0 1em 3em; line-height: 1.45; }}
ul.cu-toc {{ list-style: none; padding-left: 0; }}
ul.cu-toc li {{ margin: 0.7em 0; padding-left: 2.2em; text-indent: -2.2em; }}
.cu-num {{ display: inline-block; width: 2.2em; text-indent: 0; color: #555; font-weight: bold; }}
.cu-figs img {{ max-width: 100%; height: auto; border: 1px solid #ddd; }}
</style></head>
<body>
<h1>From Sigmoid to Softmax</h1>
<p>An interactive notebook course on logistic regression, from the logistic function to
multinomial logistic regression on real news text. These pages show every notebook with
its stored outputs and need neither a kernel nor a network. {math_note}</p>
<div class="cu-note">Sliders here show their stored values and do not move. To move them,
clone the course and run <code>make lab</code> (the notebooks in JupyterLab) or
<code>make present</code> (the explorers as an app).</div>
<h2>The notebooks</h2>
<ul class="cu-toc">
{rows}
</ul>
<p>All three explorers on one page: <a href="explorers.html">the app view</a>.</p>
<h2>What the sliders do, without a kernel</h2>
<div class="cu-figs">
<p>The binary explorer while the learning rate α sweeps from 0.01 to 100 (λ = 0.01): too
small crawls, about right converges, too large zig-zags and then diverges.</p>
<img alt="learning-rate sweep of the binary explorer" src="figures/sweep_learning_rate.gif">
<p>The same explorer while λ grows from 0 to 1 (α = 0.3): the weights and the path shrink
towards the origin and the boundary becomes less steep.</p>
<img alt="lambda sweep of the binary explorer" src="figures/sweep_lambda.gif">
</div>
<h2>Figures for slides</h2>
<p>The key figures in projector style, as PNG and SVG: <a href="figures/">figures/</a>.</p>
</body></html>
"""


def build_site(out="_site", *, notebooks="notebooks", figures="figures", mathjax="auto",
               widget_manager=None):
    """Write the static site: ``index.html``, one page per notebook, figures, MathJax.

    Parameters
    ----------
    out : path
        Output directory (made if missing; old pages are overwritten).
    notebooks : path
        Folder of the course notebooks ``NN_*.ipynb`` (and ``apps/explorers.ipynb``).
    figures : path or None
        Folder written by :func:`build_figures`; its files are copied into
        ``out/figures``. If it lacks the sweep GIFs, they are made.
    mathjax : "auto", path or None
        MathJax 2 folder to copy (``"auto"``: :func:`find_mathjax`); None for none.
    widget_manager : path or None
        Where ``make html`` installed ``@jupyter-widgets/html-manager``
        (:func:`find_widget_manager`). Needed when a notebook stores widgets.

    Returns
    -------
    dict
        ``pages`` (list of dicts: stem, title, path, widgets), ``mathjax`` (bool).
    """
    import nbformat
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    out, notebooks = Path(out), Path(notebooks)
    sources = sorted(notebooks.glob("[0-9][0-9]_*.ipynb"))
    if not sources:
        raise ValueError(f"notebooks must be a folder with the course notebooks (NN_*.ipynb); "
                         f"found none in {notebooks}.")
    app = notebooks / "apps" / "explorers.ipynb"
    notebooks_read = [(p, nbformat.read(p, as_version=4)) for p in sources]
    if app.is_file():
        notebooks_read.append((app, nbformat.read(app, as_version=4)))
    dist = find_widget_manager(widget_manager) if widget_manager is not None else None
    with_widgets = [p.name for p, nb in notebooks_read
                    if _WIDGET_STATE in nb.metadata.get("widgets", {})]
    if with_widgets and dist is None:
        raise ValueError(f"widget_manager must be the folder holding @jupyter-widgets/html-manager "
                         f"(dist/embed.js), since {with_widgets[0]} stores widgets; got "
                         f"{widget_manager!r}. `make html` installs it (it needs node and npm).")
    out.mkdir(parents=True, exist_ok=True)
    if dist is not None:
        _copy_widget_manager(dist, out / _SITE_WIDGETS)
        shutil.copy2(_WIDGET_NAMES, out / _SITE_WIDGETS / _WIDGET_NAMES.name)

    # figures and animations
    fig_out = out / "figures"
    fig_out.mkdir(exist_ok=True)
    if figures is not None and Path(figures).is_dir():
        for f in sorted(Path(figures).iterdir()):
            if f.suffix in (".png", ".svg", ".gif"):
                shutil.copy2(f, fig_out / f.name)
    for stem, (control, values, fixed) in ANIMATIONS.items():
        if not (fig_out / f"{stem}.gif").exists():
            write_gif(sweep_frames(control, values, fixed), fig_out / f"{stem}.gif")

    # MathJax
    mj_dir = find_mathjax() if mathjax == "auto" else (Path(mathjax) if mathjax else None)
    if mj_dir is not None:
        target = out / "mathjax"
        shutil.rmtree(target, ignore_errors=True)
        for part in _MATHJAX_PARTS:
            src = mj_dir / part
            if src.is_dir():
                shutil.copytree(src, target / part)
            elif src.is_file():
                target.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, target / part)

    pages = []
    for p, nb in notebooks_read:
        title = notebook_title(nb)
        if p == app:
            pages.append({"stem": "explorers", "title": title, "kind": "app",
                          "short": "explorers", "summary": notebook_summary(nb)})
        else:
            pages.append({"stem": p.stem, "title": title, "kind": "notebook",
                          "short": p.stem.split("_")[0] + " " + title.split(":")[0][:28],
                          "summary": notebook_summary(nb)})

    def exporter_for(page):
        # The app page hides its code, as Voila does; the notebooks show theirs.
        # sanitize_html: Markdown cells and HTML outputs pass through clean_html (here
        # sanitize_html, which keeps headings, tables and images), and no stored
        # JavaScript output is written into the page
        return HTMLExporter(template_name="lab", template_file="course.html.j2",
                            extra_loaders=[DictLoader({"course.html.j2": _TEMPLATE})],
                            sanitize_html=True, filters={"clean_html": sanitize_html},
                            exclude_input=page["kind"] == "app",
                            exclude_input_prompt=page["kind"] == "app",
                            exclude_output_prompt=page["kind"] == "app")

    for (path, nb), page in zip(notebooks_read, pages):
        page["widgets"] = _prepare_widgets(nb, _sweeps_html())
        resources = {"metadata": {"name": page["title"], "path": str(path.parent)},
                     "course_mathjax": _MATHJAX_CONFIG if mj_dir is not None else "",
                     "course_widgets": _SITE_WIDGETS,
                     "course_css": _SITE_CSS, "course_nav": _nav(pages, page["stem"])}
        target = out / f"{page['stem']}.html"
        target.write_text(_export(nb, exporter_for(page), resources), encoding="utf-8")
        page["path"] = target
    (out / "index.html").write_text(
        _index_page(pages, mj_dir is not None, _SITE_CSS,
                    _MATHJAX_CONFIG if mj_dir is not None else ""), encoding="utf-8")
    (out / "figures" / "index.html").write_text(_figures_index(fig_out), encoding="utf-8")
    return {"pages": pages, "mathjax": mj_dir is not None}


def _figures_index(fig_dir):
    items = "\n".join(f'<li><a href="{_href(f.name)}">{html.escape(f.name)}</a></li>'
                      for f in sorted(fig_dir.iterdir()) if f.suffix in (".png", ".svg", ".gif"))
    return ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Figures</title>'
            f'</head><body><h1>Figures for slides</h1><ul>{items}</ul>'
            '<p><a href="../index.html">back to the course</a></p></body></html>')


# =========================================================================== command line

def main(argv=None):
    """``python tools/publish.py figures|html [--out DIR] ...``."""
    parser = argparse.ArgumentParser(prog="python tools/publish.py",
                                     description="Write the course's figures or static site.")
    sub = parser.add_subparsers(dest="what", required=True)
    f = sub.add_parser("figures", help="key figures (PNG, SVG) and sweep animations (GIF)")
    f.add_argument("--out", default="figures")
    h = sub.add_parser("html", help="the static site")
    h.add_argument("--out", default="_site")
    h.add_argument("--notebooks", default="notebooks")
    h.add_argument("--figures", default="figures")
    h.add_argument("--widget-manager", default=None,
                   help="folder where `make html` installed @jupyter-widgets/html-manager")
    args = parser.parse_args(argv)
    if args.what == "figures":
        for p in build_figures(args.out):
            print(p)
        return 0
    info = build_site(args.out, notebooks=args.notebooks, figures=args.figures,
                      widget_manager=args.widget_manager)
    for page in info["pages"]:
        print(f"{page['path']}  ({page['widgets']} widgets)")
    print(f"{Path(args.out) / 'index.html'}  (MathJax: {'local copy' if info['mathjax'] else 'not found, TeX shown as source'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
