"""Publishing the course: figures for slide decks, and a static site that needs no kernel.

Two entry points, each a ``make`` target, both offline:

* ``make figures`` (:func:`build_figures`) writes every key figure of the course as
  PNG and SVG into ``figures/``, drawn in the projector style (large fonts, thick
  lines, Okabe-Ito colours, white background) for instructors' own decks, plus two
  animated GIFs made from the binary explorer itself: a learning-rate sweep and a
  lambda sweep. Two runs give byte-identical files (no dates or versions in the
  metadata, a fixed SVG hash salt, GIF frames quantised without dithering).
* ``make html`` (:func:`build_site`) writes ``_site/``: an index page and every
  notebook as an HTML page with its stored outputs, for anyone reading without a
  kernel. Nothing is fetched from the network when a page is opened:

  - widgets are drawn from the widget state stored in the notebook as a static
    *snapshot* (:func:`render_widget_snapshot`): the sliders at their stored values,
    the stored picture, the readout text. Jupyter's own widget manager would be
    fetched from a CDN, so it is left out; a snapshot cannot move, and the page
    says so. Under each binary explorer, the learning-rate and lambda sweeps play
    as animated GIFs, so a page without a kernel still shows what the sliders do;
  - mathematics is typeset by a local copy of MathJax 2 when the package
    ``jupyter-server-mathjax`` (or ``$COURSE_MATHJAX_DIR``) provides one, rendered
    to the browser's native MathML so it needs no web fonts and works from
    ``file://``. Without it, formulas stay readable as TeX source;
  - links between notebooks point to the HTML pages; solutions stay folded.

Command line: ``python -m course_utils.publish figures [--out DIR]`` and
``python -m course_utils.publish html [--out DIR] [--figures DIR]``.
"""

from __future__ import annotations

import argparse
import html
import math
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

import matplotlib as mpl
import numpy as np

from .figures import _style_context

__all__ = ["ANIMATIONS", "KEY_FIGURES", "build_figures", "build_site", "make_sigmoid_figure",
           "make_lecture_boundary_figure", "make_softmax_figure", "sweep_frames", "write_gif",
           "render_widget_snapshot", "notebook_title", "find_mathjax", "main"]

#: The two explorer sweeps: file stem -> (control swept, its values, fixed controls).
ANIMATIONS = {
    "sweep_learning_rate": ("lr", tuple(float(v) for v in np.round(10 ** np.arange(-2.0, 2.01, 0.25), 6)),
                            {"lam": 0.01}),
    "sweep_lambda": ("lam", (0.0, 1e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0),
                     {"lr": 0.3}),
}
_GIF_MS = 700          # per frame
_GIF_LAST_MS = 2500    # the last frame stays up longer before the loop restarts


# =========================================================================== figures

def make_sigmoid_figure(style="projector"):
    """The logistic function sigma(z) = 1 / (1 + exp(-z)), with sigma(-2) = 0.12 marked.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = make_sigmoid_figure()
    >>> fig.axes[0].get_title()
    'The logistic function'
    """
    from matplotlib.figure import Figure

    from .functions import sigmoid
    with _style_context(style):
        fig = Figure()
        ax = fig.subplots()
        z = np.linspace(-8, 8, 401)
        ax.plot(z, sigmoid(z), label=r"$\sigma(z) = 1 / (1 + e^{-z})$")
        ax.axhline(0.5, color="#555555", lw=1, ls="--")
        ax.axvline(0.0, color="#555555", lw=1, ls="--")
        p = float(sigmoid(-2.0))
        ax.plot([-2.0], [p], "s", color="#D55E00", zorder=4)
        ax.annotate(f"$\\sigma(-2) = {p:.2f}$", (-2.0, p), xytext=(-7.6, 0.33),
                    arrowprops={"arrowstyle": "->", "color": "#333333"})
        ax.set_xlabel(r"score $z = \theta \cdot x$")
        ax.set_ylabel(r"$P(y = 1 \mid x)$")
        ax.set_ylim(-0.03, 1.03)
        ax.set_title("The logistic function")
        ax.legend(loc="lower right")
    return fig


def make_lecture_boundary_figure(style="projector"):
    """The lecture's 16 points and the boundary -1 + 2 x1 - 3 x2 = 0, with its metrics.

    Examples
    --------
    >>> fig = make_lecture_boundary_figure()
    >>> "11/16" in fig.axes[0].get_title()
    True
    """
    from matplotlib.figure import Figure

    from .data import LECTURE_THETA, lecture_points
    from .functions import add_intercept
    from .plotting import plot_data, plot_decision_boundary
    X, y = lecture_points()
    pred = (add_intercept(X) @ LECTURE_THETA > 0).astype(int)
    tp = int(np.sum((pred == 1) & (y == 1)))
    fp = int(np.sum((pred == 1) & (y == 0)))
    fn = int(np.sum((pred == 0) & (y == 1)))
    correct = int(np.sum(pred == y))
    with _style_context(style):
        fig = Figure()
        ax = fig.subplots()
        plot_data(X, y, ax=ax, legend=False)
        plot_decision_boundary(LECTURE_THETA, ax=ax, xlim=(0, 4.5), ylim=(-0.2, 3.0),
                               label=r"$-1 + 2x_1 - 3x_2 = 0$")
        ax.text(3.6, 0.15, "predict 1", ha="center", color="#333333")
        ax.text(0.9, 2.75, "predict 0", ha="center", color="#333333")
        ax.legend(loc="upper right")
        ax.set_title(f"accuracy {correct}/{len(y)}, precision {tp}/{tp + fp}, "
                     f"recall {tp}/{tp + fn}")
    return fig


def make_softmax_figure(style="projector"):
    """The slide's scores (1.45, 0.33, -0.12, 0.01) and their softmax, side by side.

    Examples
    --------
    >>> fig = make_softmax_figure()
    >>> [t.get_text() for t in fig.axes[1].texts][:2]
    ['0.5646', '0.1842']
    """
    from matplotlib.figure import Figure

    from .functions import softmax
    from .plotting import COLORS
    z = np.array([1.45, 0.33, -0.12, 0.01])
    p = softmax(z)
    names = [f"class {k}" for k in range(1, z.size + 1)]
    with _style_context(style):
        fig = Figure()
        ax_z, ax_p = fig.subplots(1, 2)
        colors = [COLORS[k] for k in range(z.size)]
        ax_z.bar(names, z, color=colors, edgecolor="black")
        ax_z.axhline(0, color="black", lw=1)
        ax_z.set_title("scores $z_k$")
        ax_p.bar(names, p, color=colors, edgecolor="black")
        for k, v in enumerate(p):
            ax_p.text(k, v + 0.015, f"{v:.4f}", ha="center", va="bottom", fontsize="small")
        ax_p.set_ylim(0, 0.7)
        ax_p.set_title("softmax(z): sums to 1")
        for ax in (ax_z, ax_p):
            ax.tick_params(axis="x", labelrotation=30)
            ax.grid(axis="x", visible=False)
    return fig


def _key_figures():
    """Stem -> function(style) returning a Figure, for every static key figure."""
    from . import figures
    found = {"sigmoid": make_sigmoid_figure,
             "lecture_boundary": make_lecture_boundary_figure,
             "softmax_example": make_softmax_figure}
    for stem, make in figures.FIGURES.items():
        found[stem] = (lambda make: lambda style: make(style=style))(make)
    return found


#: Names of the static key figures (``make figures`` writes ``<stem>.png`` and ``.svg``).
KEY_FIGURES = ("sigmoid", "lecture_boundary", "softmax_example")


# =========================================================================== animations

def _caption_strip(text, width, dpi, height_in=0.42):
    """An RGBA strip ``width`` pixels wide with one line of text, drawn by Agg."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    with _style_context("notebook"):
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

    Examples
    --------
    >>> frames = sweep_frames("lr", [0.1, 1.0])
    >>> len(frames), frames[0].shape[2], frames[0].dtype.name
    (2, 3, 'uint8')
    """
    from .widgets import STATUS_TEXT, binary_explorer
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

    Examples
    --------
    >>> import tempfile
    >>> frames = [np.full((4, 4, 3), v, dtype=np.uint8) for v in (0, 255)]
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = write_gif(frames, Path(d) / "t.gif")
    ...     p.read_bytes()[:6]
    b'GIF89a'
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
        Only these static figures (default: all).

    Returns
    -------
    list of pathlib.Path
        The files written, in a fixed order.
    """
    import matplotlib.pyplot as plt

    from .figures import save_figure
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    registry = _key_figures()
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
            with _style_context(style):
                fig = make(style)
                fresh = save_figure(fig, scratch, stem)
            plt.close(fig)
            written += [_keep_if_same_picture(p, out / p.name) for p in fresh]
    if animations:
        with tempfile.TemporaryDirectory(dir=out, prefix=".build-") as scratch:
            for stem, (control, values, fixed) in ANIMATIONS.items():
                fresh = write_gif(sweep_frames(control, values, fixed), Path(scratch) / f"{stem}.gif")
                written.append(_keep_if_same_picture(fresh, out / fresh.name))
    return written


def _keep_if_same_picture(fresh, target):
    """Move ``fresh`` onto ``target`` unless ``target`` already shows the same picture.

    Another processor draws the same figure with other last bits (a vertex at
    162.989517 instead of 162.989515); as a picture it is unchanged, and rewriting
    the committed file would only make a change for git to report.
    """
    from .figures import picture_difference
    if target.is_file() and picture_difference(target, fresh) is None:
        fresh.unlink()
    else:
        os.replace(fresh, target)
    return target


# =========================================================================== widget snapshots

_WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
_WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _ref(value):
    """The model id inside an "IPY_MODEL_<id>" reference, else None."""
    if isinstance(value, str) and value.startswith("IPY_MODEL_"):
        return value[len("IPY_MODEL_"):]
    return None


def _fmt(value, spec):
    """Format a slider readout as ipywidgets does (d3-format specs are close to Python's)."""
    if not spec:
        return str(value)
    # d3's "g" keeps trailing zeros (0.0100) unless "~" is given; Python's needs "#".
    if spec.endswith("g") and "~" not in spec and "#" not in spec:
        spec = "#" + spec
    try:
        text = format(value, spec.replace("~", ""))
    except (TypeError, ValueError):
        return str(value)
    return text.rstrip(".")


def _buffer(entry, name):
    for b in entry.get("buffers", []):
        if b.get("path") == [name] and b.get("encoding") == "base64":
            return b["data"]
    return None


def _classes(state, base):
    extra = [c for c in state.get("_dom_classes", []) if re.fullmatch(r"[\w-]+", c)]
    return " ".join([base] + extra)


def _label(state):
    d = state.get("description", "")
    return f'<span class="cu-s-label">{html.escape(d)}</span>' if d else ""


def _slider(state, name):
    if name == "SelectionSliderModel":
        labels = state.get("_options_labels", [])
        index = state.get("index", 0) or 0
        lo, hi, pos = 0, max(len(labels) - 1, 1), index
        text = labels[index] if 0 <= index < len(labels) else ""
    else:
        value, lo, hi = state.get("value", 0), state.get("min", 0), state.get("max", 1)
        if name == "FloatLogSliderModel":
            base = state.get("base", 10)
            pos = math.log(value, base) if value and value > 0 else lo
        else:
            pos = value
        spec = state.get("readout_format", ".2f" if "Float" in name else "d")
        text = _fmt(value, spec)
    frac = 0.0 if hi == lo else min(max((pos - lo) / (hi - lo), 0.0), 1.0)
    return (f'<span class="cu-s-track"><span class="cu-s-fill" style="width:{100 * frac:.1f}%">'
            f'</span><span class="cu-s-knob" style="left:{100 * frac:.1f}%"></span></span>'
            f'<span class="cu-s-value">{html.escape(str(text))}</span>')


def _render_output(out):
    """One stored output of an Output widget, as HTML."""
    data = out.get("data", {})
    if out.get("output_type") == "stream":
        return f'<pre class="cu-s-pre">{html.escape(out.get("text", ""))}</pre>'
    if out.get("output_type") == "error":
        return f'<pre class="cu-s-pre">{html.escape(out.get("ename", ""))}: ' \
               f'{html.escape(out.get("evalue", ""))}</pre>'
    if "text/html" in data:
        return "".join(data["text/html"]) if isinstance(data["text/html"], list) else data["text/html"]
    if "image/png" in data:
        return f'<img alt="figure" src="data:image/png;base64,{data["image/png"]}">'
    if "text/plain" in data:
        text = data["text/plain"]
        return f'<pre class="cu-s-pre">{html.escape("".join(text) if isinstance(text, list) else text)}</pre>'
    return ""


def render_widget_snapshot(model_id, state_map):
    """Static HTML for a widget and its children, at the values stored in the notebook.

    Parameters
    ----------
    model_id : str
        The model of the displayed widget (from the output's widget-view data).
    state_map : dict
        ``notebook.metadata.widgets[...]["state"]``: model id -> stored model.

    Returns
    -------
    str
        HTML without scripts; sliders are drawn as inert tracks with their value,
        images from their stored bytes; the widgets' CSS classes (``cu-lr``, ...)
        are kept. A model missing from the state becomes a short note.

    Examples
    --------
    >>> state = {"a": {"model_name": "FloatSliderModel", "state": {
    ...     "description": "lr", "value": 0.5, "min": 0, "max": 1, "readout_format": ".2f",
    ...     "_dom_classes": ["cu-lr"]}}}
    >>> html_ = render_widget_snapshot("a", state)
    >>> "cu-lr" in html_ and "0.50" in html_ and "<script" not in html_
    True
    """
    seen = set()

    def render(mid):
        entry = state_map.get(mid)
        if entry is None or mid in seen:
            return '<span class="cu-s-missing">(widget not stored)</span>'
        seen.add(mid)
        name = entry.get("model_name", "")
        s = entry.get("state", {})
        if name in ("VBoxModel", "HBoxModel", "BoxModel", "GridBoxModel"):
            kind = "cu-s-hbox" if name == "HBoxModel" else "cu-s-vbox"
            inner = "".join(render(_ref(c)) for c in s.get("children", []) if _ref(c))
            return f'<div class="{_classes(s, kind)}">{inner}</div>'
        if name.endswith("SliderModel") and "Range" not in name:
            return (f'<div class="{_classes(s, "cu-s-slider")}">{_label(s)}'
                    f'{_slider(s, name)}</div>')
        if name == "ImageModel":
            data = _buffer(entry, "value")
            if data is None:
                return '<span class="cu-s-missing">(picture not stored)</span>'
            fmt = html.escape(s.get("format", "png"))
            return (f'<img class="{_classes(s, "cu-s-image")}" alt="explorer figure" '
                    f'src="data:image/{fmt};base64,{data}">')
        if name == "MPLCanvasModel" and s.get("_data_url", "").startswith("data:image/"):
            return f'<img class="{_classes(s, "cu-s-image")}" alt="figure" src="{s["_data_url"]}">'
        if name in ("HTMLModel", "HTMLMathModel"):
            return f'<div class="{_classes(s, "cu-s-html")}">{_label(s)}{s.get("value", "")}</div>'
        if name == "LabelModel":
            return f'<span class="{_classes(s, "cu-s-text")}">{html.escape(s.get("value", ""))}</span>'
        if name in ("ToggleButtonsModel", "DropdownModel", "RadioButtonsModel", "SelectModel"):
            labels, index = s.get("_options_labels", []), s.get("index")
            opts = "".join(f'<span class="cu-s-option{" cu-s-on" if i == index else ""}">'
                           f'{html.escape(str(lab))}</span>' for i, lab in enumerate(labels))
            return f'<div class="{_classes(s, "cu-s-choice")}">{_label(s)}{opts}</div>'
        if name in ("CheckboxModel", "ToggleButtonModel"):
            mark = "☑" if s.get("value") else "☐"
            return f'<span class="{_classes(s, "cu-s-text")}">{mark} {html.escape(s.get("description", ""))}</span>'
        if name == "ButtonModel":
            return f'<span class="{_classes(s, "cu-s-button")}">{html.escape(s.get("description", ""))}</span>'
        if name == "PlayModel":
            return f'<span class="{_classes(s, "cu-s-button")}" title="play (needs a kernel)">▶</span>'
        if name == "OutputModel":
            inner = "".join(_render_output(o) for o in s.get("outputs", []))
            return f'<div class="{_classes(s, "cu-s-output")}">{inner}</div>'
        if name in ("TextModel", "FloatTextModel", "IntTextModel", "BoundedFloatTextModel",
                    "BoundedIntTextModel", "TextareaModel"):
            return (f'<span class="{_classes(s, "cu-s-text")}">{_label(s)} '
                    f'<code>{html.escape(str(s.get("value", "")))}</code></span>')
        if name in ("LayoutModel", "ToolbarModel") or name.endswith("StyleModel"):
            return ""
        return f'<span class="cu-s-missing">({html.escape(name or "widget")})</span>'

    return render(model_id)


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


def _first_paragraph(nb):
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
.cu-static-widget { border: 1px dashed #999; padding: 0.5em; border-radius: 4px; }
.cu-s-vbox { display: flex; flex-direction: column; gap: 2px; }
.cu-s-hbox { display: flex; flex-direction: row; flex-wrap: wrap; gap: 1.5em; }
.cu-s-slider, .cu-s-choice { display: flex; align-items: center; gap: 0.6em; min-height: 26px; }
.cu-s-label { display: inline-block; min-width: 9em; text-align: right; }
.cu-s-track { position: relative; display: inline-block; width: 140px; height: 4px;
  background: #ccc; border-radius: 2px; }
.cu-s-fill { position: absolute; left: 0; top: 0; bottom: 0; background: #8ab4d8; }
.cu-s-knob { position: absolute; top: -5px; width: 14px; height: 14px; margin-left: -7px;
  border-radius: 50%; background: #fff; border: 1px solid #777; }
.cu-s-value { font-family: var(--jp-code-font-family, monospace); }
.cu-s-option { border: 1px solid #ccc; padding: 1px 0.7em; background: #eee; }
.cu-s-option.cu-s-on { background: #bbb; font-weight: bold; }
.cu-s-button { border: 1px solid #ccc; padding: 1px 0.7em; background: #eee; }
.cu-s-image { max-width: 100%; height: auto; }
.cu-s-missing { color: #a00; font-style: italic; }
.cu-s-pre { margin: 0; }
.cu-sweeps img { max-width: 100%; height: auto; border: 1px solid #ddd; margin: 0.3em 0; }
details.cu-solution > summary { cursor: pointer; color: #0b5394; margin: 0.3em 0; }
</style>
"""

_TEMPLATE = r"""{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_js_mathjax -%}{{ resources.course_mathjax }}{%- endblock html_head_js_mathjax -%}
{%- block extra_css -%}{{ resources.course_css }}{%- endblock extra_css -%}
{%- block body_header -%}
{{ super() }}
{{ resources.course_nav }}
{%- endblock body_header -%}
{% block input_group -%}
{%- if cell.metadata.get('jupyter', {}).get('source_hidden') -%}
<details class="cu-solution"><summary>Show the code</summary>
{{ super() }}
</details>
{%- else -%}
{{ super() }}
{%- endif -%}
{% endblock input_group %}
"""


def _nav(pages, current):
    """The bar at the top of every page: the index, the previous and the next notebook."""
    links = ['<nav class="cu-nav"><span class="cu-nav-title">From Sigmoid to Softmax</span>',
             '<a href="index.html">all notebooks</a>']
    stems = [p["stem"] for p in pages]
    if current in stems:
        i = stems.index(current)
        if i > 0:
            links.append(f'<a href="{pages[i - 1]["stem"]}.html">← {html.escape(pages[i - 1]["short"])}</a>')
        if i + 1 < len(pages):
            links.append(f'<a href="{pages[i + 1]["stem"]}.html">{html.escape(pages[i + 1]["short"])} →</a>')
    links.append("</nav>")
    note = ('<div class="cu-note">A static page: outputs as stored, widgets as snapshots '
            'that do not move. To move the sliders, run <code>make lab</code> (notebooks) or '
            '<code>make present</code> (the explorers).</div>')
    return "\n".join(links) + "\n" + note


def _sweeps_html(prefix="figures/"):
    return ('<details class="cu-sweeps" open><summary>Without a kernel: what the sliders do '
            '(animations of this explorer)</summary>'
            f'<p>Learning rate α from 0.01 to 100 (λ = 0.01):</p>'
            f'<img alt="learning-rate sweep of the binary explorer" src="{prefix}sweep_learning_rate.gif">'
            f'<p>λ from 0 to 1 (α = 0.3):</p>'
            f'<img alt="lambda sweep of the binary explorer" src="{prefix}sweep_lambda.gif">'
            '</details>')


def _snapshot_outputs(nb):
    """Replace every widget view in ``nb`` by its static snapshot; drop the widget state."""
    state = nb.metadata.get("widgets", {}).get(_WIDGET_STATE, {}).get("state", {})
    count = 0
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if _WIDGET_VIEW not in data:
                continue
            mid = data[_WIDGET_VIEW].get("model_id")
            body = render_widget_snapshot(mid, state)
            entry = state.get(mid, {}).get("state", {})
            if "cu-binary-explorer" in entry.get("_dom_classes", []):
                body += _sweeps_html()
            out["data"] = {"text/html": f'<div class="cu-static-widget" title="a snapshot: run '
                                        f'the notebook to move it">{body}</div>'}
            count += 1
    nb.metadata.pop("widgets", None)
    return count


def _export(nb, exporter, resources):
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return _NOTEBOOK_LINK.sub(lambda m: f'href="{m.group(1)}.html{m.group(2) or ""}"', body)


def _inline_markdown(text):
    """Escape ``text`` for HTML, then turn **bold**, *italic* and `code` into tags."""
    out = html.escape(text, quote=False)
    out = re.sub(r"`([^`]+)`", r"<code>\1</code>", out)
    out = re.sub(r"\*\*([^*]+)\*\*", r"<b>\1</b>", out)
    return re.sub(r"(?<![\w*])\*([^*\s][^*]*)\*(?![\w*])", r"<i>\1</i>", out)


def _index_page(pages, mathjax_ok, css, head=""):
    rows = "\n".join(
        f'<li><span class="cu-num">{p["stem"][:2]}</span> <a href="{p["stem"]}.html">'
        f'<b>{html.escape(p["title"])}</b></a><br><span>{_inline_markdown(p["summary"])}</span></li>'
        for p in pages if p["kind"] == "notebook")
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
<div class="cu-note">Sliders here are snapshots. To move them, clone the course and run
<code>make lab</code> (the notebooks in JupyterLab) or <code>make present</code> (the explorers
as an app).</div>
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


def build_site(out="_site", *, notebooks="notebooks", figures="figures", mathjax="auto"):
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
    out.mkdir(parents=True, exist_ok=True)

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

    notebooks_read = [(p, nbformat.read(p, as_version=4)) for p in sources]
    pages = []
    for p, nb in notebooks_read:
        title = notebook_title(nb)
        pages.append({"stem": p.stem, "title": title, "kind": "notebook",
                      "short": p.stem.split("_")[0] + " " + title.split(":")[0][:28],
                      "summary": _first_paragraph(nb)})
    if app.is_file():
        nb = nbformat.read(app, as_version=4)
        notebooks_read.append((app, nb))
        pages.append({"stem": "explorers", "title": notebook_title(nb), "kind": "app",
                      "short": "explorers", "summary": _first_paragraph(nb)})

    def exporter_for(page):
        # The app page hides its code, as Voila does; the notebooks show theirs.
        return HTMLExporter(template_name="lab", template_file="course.html.j2",
                            extra_loaders=[DictLoader({"course.html.j2": _TEMPLATE})],
                            exclude_input=page["kind"] == "app",
                            exclude_input_prompt=page["kind"] == "app",
                            exclude_output_prompt=page["kind"] == "app")

    for (path, nb), page in zip(notebooks_read, pages):
        page["widgets"] = _snapshot_outputs(nb)
        resources = {"metadata": {"name": page["title"], "path": str(path.parent)},
                     "course_mathjax": _MATHJAX_CONFIG if mj_dir is not None else "",
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
    items = "\n".join(f'<li><a href="{f.name}">{f.name}</a></li>'
                      for f in sorted(fig_dir.iterdir()) if f.suffix in (".png", ".svg", ".gif"))
    return ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Figures</title>'
            f'</head><body><h1>Figures for slides</h1><ul>{items}</ul>'
            '<p><a href="../index.html">back to the course</a></p></body></html>')


# =========================================================================== command line

def main(argv=None):
    """``python -m course_utils.publish figures|html [--out DIR]``."""
    parser = argparse.ArgumentParser(prog="python -m course_utils.publish",
                                     description="Write the course's figures or static site.")
    sub = parser.add_subparsers(dest="what", required=True)
    f = sub.add_parser("figures", help="key figures (PNG, SVG) and sweep animations (GIF)")
    f.add_argument("--out", default="figures")
    h = sub.add_parser("html", help="the static site")
    h.add_argument("--out", default="_site")
    h.add_argument("--notebooks", default="notebooks")
    h.add_argument("--figures", default="figures")
    args = parser.parse_args(argv)
    if args.what == "figures":
        for p in build_figures(args.out):
            print(p)
        return 0
    info = build_site(args.out, notebooks=args.notebooks, figures=args.figures)
    for page in info["pages"]:
        print(f"{page['path']}  ({page['widgets']} widget snapshots)")
    print(f"{Path(args.out) / 'index.html'}  (MathJax: {'local copy' if info['mathjax'] else 'not found, TeX shown as source'})")
    return 0


if __name__ == "__main__":   # pragma: no cover
    sys.exit(main())
