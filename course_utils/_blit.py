"""Fast pixels for the explorers: one matplotlib Figure in a widget, redrawn by blitting.

This is matplotlib's blitting recipe (the ``BlitManager`` of the blitting tutorial),
with its vocabulary: :meth:`BlitView.add_artist` marks the artists that move,
:meth:`BlitView.on_draw` (connected to the canvas's ``draw_event``) keeps the picture of
everything else as the *background*, and :meth:`BlitView.update` restores that
background and draws only the moving artists on it. On top of the recipe:

* backgrounds are kept per *static key* (say, the lambda and the epoch budget of an
  explorer) and canvas size, so going back to a setting redraws nothing static;
* a new key can be painted over the old background by a callback (``partial``),
  instead of a full draw, when only a small part of the static picture changes;
* the picture reaches the browser either as a PNG in an ``ipywidgets.Image``
  (``backend="image"``, encoded by :func:`encode_png`) or through an ipympl
  ``Canvas`` widget (``backend="ipympl"``, toolbar and HiDPI), see
  :func:`resolve_backend`.

How the figure reaches the browser (the explorers' ``backend`` argument):

``backend="image"`` (the default): the figure is rendered by Agg and sent as a PNG
in an ``ipywidgets.Image``. It never touches ``plt``, so it works whatever the
notebook's ``%matplotlib`` mode is (inline stays inline), and it also works in Voila
and in exported HTML with widget state.

``backend="ipympl"`` puts the same figure in an ipympl ``Canvas`` widget created
directly (no ``%matplotlib widget``, no ``plt`` figure manager, ``plt``'s backend left
alone), which adds the ipympl toolbar (pan, zoom, save) and sharp HiDPI rendering;
its redraws are slower (ipympl encodes its PNG diffs with Pillow's defaults), which
is why it is not the default. ``backend="auto"`` picks ipympl when it is installed
and the code runs in a kernel, else the image. The environment variable
``COURSE_WIDGETS_BACKEND`` (image, ipympl or auto) sets the default.

The module never imports matplotlib's global figure manager (``plt``): figures are
made with ``matplotlib.figure.Figure`` and drawn by Agg, so a notebook's
``%matplotlib`` mode is left alone, and no figure is registered with ``plt``.
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import os
import struct
import sys
import warnings
import zlib
from collections import OrderedDict

import ipywidgets as widgets
import matplotlib
import matplotlib.figure
import numpy as np
import traitlets
from matplotlib.backends.backend_agg import FigureCanvasAgg

__all__ = ["BlitView", "encode_png", "resolve_backend", "ipympl_classes", "BACKENDS",
           "render_offscreen", "banded_picture", "PictureCache", "Progress"]

#: The ways a figure can reach the browser ("auto" picks one of the other two).
BACKENDS = ("image", "ipympl", "auto")


class DescribedImage(widgets.Image):
    """An ``ipywidgets.Image`` whose ``tooltip`` is the picture's text alternative.

    ipywidgets 8 has no ``alt`` for an Image (nor any ARIA attribute, ipywidgets#2650);
    what it offers is ``tooltip``, which its front end writes into the ``title`` of the
    ``<img>``, an accessible name that screen readers read and axe-core's ``image-alt``
    rule accepts. It does so only for a model whose ``description`` is empty, and an
    Image model has no description at all: with a tooltip alone the front end fails on
    ``description.length`` (read in @jupyter-widgets/base 6, ``updateTooltip``). This
    subclass syncs an empty description, so the title appears (checked in JupyterLab,
    Voila and the static site by tests/test_accessibility.py and tests/test_browser.py).
    """

    description = traitlets.Unicode("").tag(sync=True)


def encode_png(rgba):
    """Encode an RGBA picture as PNG bytes: zlib level 1, no row filter.

    Why a hand-written encoder: the explorers send one PNG per slider move, and for
    their flat-coloured pictures this is faster than a library's encoder at a similar
    size. Measured on 2026-12-06 on the course's 2-core machine (numpy 2.4.6,
    Pillow 13.0.0; load average 2.7 from other work): the binary explorer's real
    picture (960 x 312 RGBA, default controls, image backend) encoded 30 times by
    each encoder, median of ``time.perf_counter`` around each call; Pillow as
    ``Image.fromarray(rgba, "RGBA").save(buffer, format="PNG", ...)``:

    ============================== ======== ========
    encoder                          time     size
    ============================== ======== ========
    this function                   3.0 ms   83 KiB
    Pillow, ``compress_level=1``    8.6 ms   92 KiB
    Pillow, default level          13.1 ms   89 KiB
    ============================== ======== ========

    Parameters
    ----------
    rgba : ndarray of uint8, shape (height, width, 4)

    Returns
    -------
    bytes
        A complete PNG file (8-bit RGBA, not interlaced).

    Examples
    --------
    >>> png = encode_png(np.zeros((2, 3, 4), dtype=np.uint8))
    >>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n", png[-8:-4]
    (True, b'IEND')
    """
    h, w, _ = rgba.shape
    raw = np.empty((h, 4 * w + 1), dtype=np.uint8)
    raw[:, 0] = 0                      # filter type "None" for every row
    raw[:, 1:] = np.ascontiguousarray(rgba).reshape(h, 4 * w)

    def chunk(tag, payload):
        return (struct.pack(">I", len(payload)) + tag + payload
                + struct.pack(">I", zlib.crc32(tag + payload) & 0xFFFFFFFF))

    return b"".join([b"\x89PNG\r\n\x1a\n",
                     chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0)),
                     chunk(b"IDAT", zlib.compress(raw.tobytes(), 1)),
                     chunk(b"IEND", b"")])


def resolve_backend(backend):
    """The backend to use: "image" or "ipympl".

    Parameters
    ----------
    backend : {"image", "ipympl", "auto"} or None
        ``"image"``: a PNG in an ``ipywidgets.Image``; it works wherever widgets render
        (JupyterLab, Voila, exported HTML with widget state). ``"ipympl"``: an ipympl
        ``Canvas`` with its toolbar (pan, zoom, save) and sharp HiDPI pictures.
        ``"auto"``: ipympl when it is installed and the code runs in a kernel, else
        the image. None: the environment variable ``COURSE_WIDGETS_BACKEND``, else
        ``"image"``.

    Examples
    --------
    >>> resolve_backend("image")
    'image'
    """
    if backend is None:
        backend = os.environ.get("COURSE_WIDGETS_BACKEND", "image")
    if backend not in BACKENDS:
        raise ValueError(f"backend must be 'image', 'ipympl' or 'auto'; got {backend!r}.")
    if backend == "auto":
        if importlib.util.find_spec("ipympl") is None:   # pragma: no cover - installed here
            return "image"
        from IPython import get_ipython
        shell = get_ipython()
        return "ipympl" if shell is not None and hasattr(shell, "kernel") else "image"
    return backend


def ipympl_classes():
    """ipympl's ``Canvas`` and ``FigureManager``, imported without side effects.

    ``import ipympl`` calls ``matplotlib.use("module://ipympl.backend_nbagg")`` when
    matplotlib is already imported, which switches ``plt`` to ipympl and closes every
    open figure: the whole notebook would turn into ``%matplotlib widget``. The
    explorers only need the Canvas class, so that call is skipped during the import.
    """
    if "ipympl.backend_nbagg" not in sys.modules:
        real_use = matplotlib.use
        matplotlib.use = lambda *args, **kwargs: None
        try:
            importlib.import_module("ipympl.backend_nbagg")
        finally:
            matplotlib.use = real_use
    module = sys.modules["ipympl.backend_nbagg"]
    return module.Canvas, module.FigureManager


def _ipympl_widget(figure):
    """An ipympl Canvas for ``figure``, not registered with ``plt``."""
    Canvas, FigureManager = ipympl_classes()
    canvas = Canvas(figure)
    with warnings.catch_warnings():
        # ipympl 0.10's Toolbar passes its canvas on to traitlets, which warns
        warnings.filterwarnings("ignore", "Passing unrecognized arguments", DeprecationWarning)
        FigureManager(canvas, 0)   # not registered with plt: inline stays inline
    canvas.header_visible = False
    canvas.footer_visible = False
    canvas.resizable = False
    canvas.toolbar_position = "right"
    # ipympl sets the size when a canvas is displayed on its own; inside a box nobody
    # does, and the browser shows a 0 x 0 canvas
    canvas._size = (figure.get_figwidth() * figure.dpi, figure.get_figheight() * figure.dpi)
    return canvas


def _no_static(key):
    """The ``static`` callback of a view whose static picture never changes."""


class BlitView:
    """One matplotlib Figure in a widget, redrawn by blitting.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        Made without ``plt``; the view gives it its canvas.
    backend : {"image", "ipympl"}
        As returned by :func:`resolve_backend`.
    static : callable, optional
        ``static(key)`` sets the static artists to match ``key`` (axis limits, a
        picture per lambda, ...); called whenever the key changes.
    partial : callable, optional
        ``partial(old_key, new_key) -> bool``: paint what changed between the two keys
        over the restored old background (with ``axes.draw_artist``) and return True,
        or return False to ask for a full draw.
    cache_size : int
        Backgrounds kept (least recently used dropped first).

    Attributes
    ----------
    widget : ipywidgets.Image or ipympl Canvas
        What to put in a layout; it carries the CSS class ``cu-figure``.
    artists : list
        The moving artists, in the order they are drawn (zorder).
    full_draws, partial_draws, blits : int
        How often each kind of redraw happened (tests read them).
    """

    def __init__(self, figure, backend, *, static=None, partial=None, cache_size=16):
        self.figure = figure
        self.backend = backend
        self.artists = []
        self._static = _no_static if static is None else static
        self._partial = partial
        self._cache = OrderedDict()
        self._cache_size = cache_size
        self._key = None
        self._background = None
        self._quiet = False
        self.full_draws = 0
        self.partial_draws = 0
        self.blits = 0
        if backend == "ipympl":
            self.widget = _ipympl_widget(figure)
        else:
            FigureCanvasAgg(figure)
            width = int(round(figure.get_figwidth() * figure.dpi))
            self.widget = DescribedImage(format="png", layout=widgets.Layout(
                width=f"{width}px", max_width="100%", height="auto"))
        self.widget.add_class("cu-figure")
        figure.canvas.mpl_connect("draw_event", self.on_draw)

    def add_artist(self, *artists):
        """Mark artists as moving: left out of the background, drawn on every update."""
        for a in artists:
            a.set_animated(True)
            self.artists.append(a)
        self.artists.sort(key=lambda a: a.get_zorder())

    def forget_backgrounds(self):
        """Drop every kept background except the one shown."""
        self._cache.clear()

    def _size(self):
        return self.figure.canvas.get_width_height(physical=True)

    def _keep(self, background):
        slot = (self._key, self._size())
        self._background = self._cache[slot] = background
        self._cache.move_to_end(slot)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    def on_draw(self, event):
        """After a full draw: keep it as the background, then show the moving artists."""
        canvas = self.figure.canvas
        if canvas.is_saving():
            # savefig draws the animated artists itself; its picture is not a background
            return
        self._keep(canvas.copy_from_bbox(self.figure.bbox))
        if not self._quiet:
            self._draw_animated()
            self._push()

    def _draw_animated(self):
        for a in self.artists:
            if a.get_visible():
                a.axes.draw_artist(a)

    def _push(self):
        canvas = self.figure.canvas
        if self.backend == "ipympl":
            canvas.blit(self.figure.bbox)
        else:
            self.widget.value = encode_png(np.asarray(canvas.buffer_rgba()))

    def first_draw(self, key=None):
        """Lay the figure out (constrained layout), freeze the layout, draw the background.

        Nothing is shown yet: the caller sets the moving artists and calls
        :meth:`update`, which blits them onto this first background.
        """
        engine = self.figure.get_layout_engine()
        if engine is not None:
            engine.execute(self.figure)     # axes positions, without drawing
        self.figure.set_layout_engine("none")
        self._static(key)
        self._key = key
        self.full_draws += 1
        self._quiet = True
        try:
            self.figure.canvas.draw()
        finally:
            self._quiet = False

    def update(self, key=None):
        """Show the moving artists as they are now, over the background of ``key``."""
        canvas = self.figure.canvas
        if key != self._key:
            old, self._key = self._key, key
            self._static(key)
            cached = self._cache.get((key, self._size()))
            if cached is not None:
                self._cache.move_to_end((key, self._size()))
                self._background = cached
            else:
                painted = (self._partial is not None and self._background is not None
                           and self._background.get_extents()[2:] == self._size())
                if painted:
                    canvas.restore_region(self._background)
                    painted = self._partial(old, key)
                if not painted:
                    self.full_draws += 1
                    canvas.draw()            # on_draw keeps the background and pushes
                    return
                self.partial_draws += 1
                self._keep(canvas.copy_from_bbox(self.figure.bbox))
        elif self._background is None:   # pragma: no cover - drawn at creation
            canvas.draw()
            return
        self.blits += 1
        canvas.restore_region(self._background)
        self._draw_animated()
        self._push()

    def describe(self, text):
        """Make ``text`` the picture's text alternative (the image backend's ``title``).

        An ipympl canvas has no place for one: there the readout next to it is the text.
        """
        if self.backend != "ipympl" and self.widget.tooltip != text:
            self.widget.tooltip = text

    def png(self):
        """The picture currently shown, as PNG bytes."""
        return encode_png(np.asarray(self.figure.canvas.buffer_rgba()))


# --------------------------------------------------------------------------- pictures

class PictureCache:
    """Pictures by key, made when first asked for; the least recently used beyond
    ``size`` are dropped."""

    def __init__(self, size):
        self._items, self._size = OrderedDict(), size

    def __contains__(self, key):
        return key in self._items

    def __len__(self):
        return len(self._items)

    def get(self, key, make):
        """The picture of ``key``; ``make()`` makes it when it is not kept."""
        if key not in self._items:
            self._items[key] = make()
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        self._items.move_to_end(key)
        return self._items[key]


def render_offscreen(width, height, dpi, draw):
    """An RGBA picture of ``width`` x ``height`` pixels drawn by ``draw(ax)`` on an
    off-screen figure whose one axes fills it (no axis lines, white around).

    Returns ``(rgba, whatever draw returned)``.
    """
    # layout="none": the course style turns constrained layout on for new figures,
    # which would warn about this figure's hand-placed axes
    off = matplotlib.figure.Figure(figsize=(width / dpi, height / dpi), dpi=dpi,
                                   layout="none")
    FigureCanvasAgg(off)
    ax = off.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    out = draw(ax)
    off.canvas.draw()
    return np.asarray(off.canvas.buffer_rgba()).copy(), out


def banded_picture(grid, width, height, *, bands=14, cmap="Blues", alpha=0.75):
    """A quick picture of a surface: ``grid = (a, b, Z)`` interpolated to ``width`` x
    ``height`` pixels and cut into ``bands`` bands of equal area, coloured like filled
    contours drawn with ``alpha`` on white (no lines). About 2 ms where drawing the
    contours takes 30: the explorers show it while the contours are computed.

    Returns ``(rgba, minimum_x, minimum_y)``: the picture (its first row is the top,
    b's largest value) and the grid's lowest point, as lists, empty when it lies on
    the border (the minimum is then outside the box).

    Examples
    --------
    >>> a = b = np.linspace(-1.0, 1.0, 5)
    >>> rgba, mx, my = banded_picture((a, b, np.add.outer(b ** 2, a ** 2)), 8, 6)
    >>> rgba.shape, rgba.dtype, mx, my
    ((6, 8, 4), dtype('uint8'), [0.0], [0.0])
    """
    a, b, Z = (np.asarray(v, dtype=float) for v in grid)
    # bilinear, on the grid's index scale (its points are evenly spaced)
    fx = np.linspace(0, a.size - 1, width)
    fy = np.linspace(b.size - 1, 0, height)
    jx, iy = np.minimum(fx.astype(int), a.size - 2), np.minimum(fy.astype(int), b.size - 2)
    tx, ty = fx - jx, (fy - iy)[:, None]
    rows = (1 - tx) * Z[:, jx] + tx * Z[:, jx + 1]              # (len(b), width)
    up = (1 - ty) * rows[iy] + ty * rows[iy + 1]                 # (height, width)
    finite = Z[np.isfinite(Z)]
    levels = (np.unique(np.quantile(finite, np.linspace(0, 1, bands + 1))) if finite.size
              else np.array([0.0, 1.0]))
    band = np.clip(np.searchsorted(levels, np.nan_to_num(up, nan=np.inf)) - 1, 0,
                   max(levels.size - 2, 0))
    colors = matplotlib.colormaps[cmap](np.linspace(0, 1, max(levels.size - 1, 1)))
    lut = np.full((colors.shape[0], 4), 255, dtype=np.uint8)
    lut[:, :3] = np.round(255 * (alpha * colors[:, :3] + (1 - alpha)))
    if not finite.size:
        return lut[band], [], []
    i, j = np.unravel_index(np.nanargmin(np.where(np.isfinite(Z), Z, np.nan)), Z.shape)
    inside = 0 < i < Z.shape[0] - 1 and 0 < j < Z.shape[1] - 1
    return lut[band], [float(a[j])] if inside else [], [float(b[i])] if inside else []


# --------------------------------------------------------------------------- pieces

class Progress:
    """Work done in pieces between widget messages, the newest work only.

    In a Jupyter kernel (and in Voila) the messages of the browser are read by an
    asyncio event loop on the kernel's main thread. :meth:`later` puts one piece of
    work on that loop; when the piece asks for more, the next one follows, and between
    two pieces the kernel reads the messages that arrived: a newer slider move calls
    :meth:`later` (or :meth:`cancel`) and the older work stops, its next piece never
    runs. Everything stays on the main thread, so matplotlib and the widgets are never
    used from two threads at once.

    Without a running event loop (a script, a test, a notebook run by a tool)
    :meth:`loop` returns None and callers compute everything at once; :meth:`wait`
    does the pending pieces now, in order.

    Attributes
    ----------
    pieces : int
        Pieces run so far (tests read it).
    """

    def __init__(self):
        self._piece = None
        self.pieces = 0

    @staticmethod
    def loop(enabled=None):
        """The running asyncio event loop, or None (also when ``enabled`` is False)."""
        if enabled is False:
            return None
        try:
            return asyncio.get_running_loop()
        except RuntimeError:
            return None

    @property
    def pending(self):
        """True while some work waits for its next piece."""
        return self._piece is not None

    def later(self, piece, loop):
        """Run ``piece()`` on ``loop`` soon, and again while it returns True; replaces
        (cancels) the work pending before."""
        self._piece = piece
        loop.call_soon(self._step, piece, loop)

    def _step(self, piece, loop):
        if piece is not self._piece:
            return                       # cancelled, or replaced by newer work
        self.pieces += 1
        if piece():
            loop.call_soon(self._step, piece, loop)
        elif piece is self._piece:
            self._piece = None

    def cancel(self):
        """Drop the pending work: none of its pieces runs any more."""
        self._piece = None

    def wait(self):
        """Run the pending work's pieces now until it is done."""
        while self._piece is not None:
            piece = self._piece
            self.pieces += 1
            if not piece() and piece is self._piece:
                self._piece = None
