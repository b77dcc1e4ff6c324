"""`make bench`, explorers section: how fast does a slider answer?

Called by tools/bench/benchmarks.py as ``bench_widgets.run()``; also runs on its own
(``python tools/bench/bench_widgets.py``). Nothing is asserted: it prints.

Measured, on the binary explorer with its default data, through the public names only
(``binary_explorer``, ``compute_binary``, the explorer's ``controls``, ``set``, ``values``,
``result``, ``figure`` and ``widget``), so that it runs on any version of the package:

* compute: one 500-step batch trajectory (``compute_binary`` with a learning rate it has
  not seen, so its cache misses);
* update: one learning-rate change as the slider makes it (a new value, so the
  cache misses): compute + blit + PNG into the ``ipywidgets.Image``; the goal is a
  median of 30 ms or less;
* naive: the same update done by clearing the figure, re-plotting every panel with
  the plotting helpers and saving a PNG (what a plain ``interact`` does);
* the cached paths: a Play frame, a lambda change (first visit: full redraw; again:
  cached background), and the ipympl backend;
* a first visit to a lambda as in a kernel (coarse picture first), and the random
  control changes of ``bench_random.py`` over the whole control space.

Times are medians of wall-clock time; CPU time (``time.process_time``) is printed
next to it because the course machines are shared and wall time swings with load.
"""

from __future__ import annotations

import asyncio
import importlib.util
import io
import os
import statistics
import time

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from course_utils import plotting as cp
from course_utils import widgets as W

matplotlib.use("Agg")

GOAL_MS = 30.0


def _timed(fn):
    w0, c0 = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w0, time.process_time() - c0


def _median(pairs):
    return (statistics.median(p[0] for p in pairs) * 1e3,
            statistics.median(p[1] for p in pairs) * 1e3)


def _line(label, wall_cpu, extra=""):
    wall, cpu = wall_cpu
    print(f"  {label:58s} {wall:8.1f} ms  (cpu {cpu:6.1f} ms){extra}")


def _lr_values(n, lo=0.02, hi=3.0, shift=0.0):
    """n distinct learning rates (distinct per call through ``shift``: no cache hits)."""
    return [float(v) for v in np.geomspace(lo, hi, n) * (1.0 + shift)]


def _widgets_in(widget):
    """``widget`` and every widget inside it (ipywidgets containers have ``children``)."""
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _widgets_in(child)


def _picture(explorer):
    """The widget that shows the explorer's figure: an ``ipywidgets.Image`` (its PNG in
    ``value``) or an ipympl canvas."""
    for w in _widgets_in(explorer.widget):
        if type(w).__name__ in ("Image", "Canvas"):
            return w
    raise LookupError("no picture widget in the explorer")


def _limits(X, margin=0.1):
    lo, hi = X.min(axis=0), X.max(axis=0)
    pad = margin * (hi - lo)
    return (lo[0] - pad[0], hi[0] + pad[0]), (lo[1] - pad[1], hi[1] + pad[1])


def bench_compute(repeat=9):
    data = W.default_binary_data()
    W.compute_binary(lr=0.1, epochs=500, tol=0.0)         # warm the contour-grid cache
    lrs = _lr_values(repeat, lo=0.1, hi=0.1 + 1e-6, shift=7e-7)
    times = [_timed(lambda: W.compute_binary(lr=lr, epochs=500, tol=0.0)) for lr in lrs]
    assert W.compute_binary(lr=lrs[0], epochs=500, tol=0.0).trajectory.n_steps == 500
    _line("compute: 500-step batch trajectory + scores + readout", _median(times))
    d = data
    from course_utils.optim import gradient_descent
    opt = [_timed(lambda: gradient_descent(d.A_train, d.y_train, lr=0.1, lam=0.01,
                                           max_steps=500, tol=0.0, X_val=d.A_val,
                                           y_val=d.y_val, max_norm=W.MAX_NORM))
           for _ in range(repeat)]
    _line("  of which optim.gradient_descent itself", _median(opt))


def _sweep(explorer, values, name="lr"):
    return [_timed(lambda: setattr(explorer.controls[name], "value", v)) for v in values]


def _compute_alone(explorer, values):
    """The compute part of the same updates, timed apart (nearby values, so the cache misses)."""
    settings = dict(explorer.values)
    return [_timed(lambda: W.compute_binary({**settings, "lr": v * (1 + 1e-9)}, explorer.data))
            for v in values]


def _naive_update(explorer, lr, fig):
    """Clear the figure and draw everything again, then save a PNG (what a plain
    ``interact`` callback does)."""
    values = dict(explorer.values)
    values["lr"] = lr
    r = W.compute_binary(values, explorer.data)
    fig.clf()
    ax_c, ax_d, ax_l = fig.subplots(1, 3)
    cp.plot_loss_contours(r.grid, ax=ax_c)
    cp.plot_trajectory(r.trajectory.thetas, ax=ax_c)
    d = r.data
    xlim, ylim = _limits(np.r_[d.X_train, d.X_val])
    cp.plot_data(d.X_train, d.y_train, ax=ax_d, legend=False)
    cp.plot_data(d.X_val, d.y_val, ax=ax_d, hollow=True, size=25)
    cp.plot_decision_boundary(r.theta, ax=ax_d, xlim=xlim, ylim=ylim)
    cp.plot_loss_curves(r.trajectory, ax=ax_l, x=r.epochs)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def bench_default_updates(n=15):
    ex = W.binary_explorer(backend="image")
    ex.controls["lr"].value = 0.5
    values = _lr_values(n, lo=0.01, hi=10.0, shift=3e-6)
    upd = _median(_sweep(ex, values))
    _line("update: new learning rate, default explorer (epochs 200)", upd,
          f"   goal <= {GOAL_MS:.0f} ms: {'met' if upd[0] <= GOAL_MS else 'NOT met'}")
    comp = _median(_compute_alone(ex, values))[0]
    print(f"  {'  of which compute (median, timed apart)':58s} {comp:8.1f} ms")


def bench_updates(n=15):
    ex = W.binary_explorer(epochs=500, backend="image")
    ex.controls["lr"].value = 0.5            # warm-up
    values = _lr_values(n)
    upd = _median(_sweep(ex, values))
    comp = _median(_compute_alone(ex, values))[0]
    steps = ex.result.trajectory.n_steps
    _line("update: new learning rate (compute + blit + PNG, epochs 500)", upd,
          f"   goal <= {GOAL_MS:.0f} ms: {'met' if upd[0] <= GOAL_MS else 'NOT met'}")
    print(f"  {'  of which compute (median, timed apart)':58s} {comp:8.1f} ms; redraw + PNG "
          f"{upd[0] - comp:.1f} ms")
    size = len(_picture(ex).value)

    # naive: new learning rates, so it computes too; with the course style's constrained
    # layout, and without any layout engine
    for k, (layout, label) in enumerate((("constrained", "course style"), (None, "no layout engine"))):
        fig = Figure(figsize=ex.figure.get_size_inches(), dpi=ex.figure.dpi, layout=layout)
        FigureCanvasAgg(fig)
        shifted = _lr_values(n, shift=1e-6 * (k + 1))
        _naive_update(ex, 0.5, fig)
        naive = _median([_timed(lambda: _naive_update(ex, lr, fig)) for lr in shifted])
        _line(f"naive ({label}): compute + clear + re-plot + PNG", naive,
              f"   ratio naive / ours {naive[0] / upd[0]:4.1f} (cpu {naive[1] / upd[1]:4.1f})")
        # the drawing alone: the same learning rates again, their results cached
        redraw = _median([_timed(lambda: _naive_update(ex, lr, fig)) for lr in shifted])
        _line(f"  naive ({label}) redraw + PNG only, results cached", redraw)

    # Play: frames of a cached result
    ex.set(lr=0.3)
    last = ex.controls["frame"].max
    frames = [_timed(lambda: setattr(ex.controls["frame"], "value", f))
              for f in range(0, last, max(1, last // 30))]
    _line("Play frame (cached result: blit + PNG)", _median(frames))

    # lambda: first visit draws everything once, later visits reuse the background
    ex.set(lr=0.31)                           # a learning rate not seen with these lambdas
    lams = (0.003, 0.03, 0.3, 3.0)
    first = [_timed(lambda: setattr(ex.controls["lam"], "value", lam)) for lam in lams]
    again = [_timed(lambda: setattr(ex.controls["lam"], "value", lam)) for lam in lams]
    _line("lambda change, first visit (grid + contour picture + paint)", _median(first))
    _line("lambda change, visited before (cached)", _median(again))
    print(f"  PNG per update: {size / 1024:.0f} KiB for "
          f"{ex.figure.canvas.get_width_height()[0]} x "
          f"{ex.figure.canvas.get_width_height()[1]} px; trajectory of {steps} steps")


def bench_ipympl(n=15):
    if importlib.util.find_spec("ipympl") is None:
        print("  ipympl not installed: skipped")
        return
    ex = W.binary_explorer(epochs=500, backend="ipympl")
    _picture(ex).syncing_data_url = False    # as after a browser has connected
    ex.controls["lr"].value = 0.5
    values = _lr_values(n, shift=2e-6)
    upd = _median(_sweep(ex, values))
    comp = _median(_compute_alone(ex, values))[0]
    _line("ipympl backend: new learning rate (compute + blit + diff PNG)", upd,
          f"   redraw {upd[0] - comp:.1f} ms")


def bench_lambda_in_kernel():
    """A first visit to a lambda as a slider makes it in a kernel (inside a running
    event loop): the time to the first picture pushed (coarse contours while the detailed
    ones are computed), and to the refined one."""
    ex = W.binary_explorer(backend="image")
    pic, pushes = _picture(ex), []
    pic.observe(lambda change: pushes.append(time.perf_counter()), names="value")
    first, refined = [], []

    async def visits():
        for lam in (1e-4, 3e-4, 1e-3, 0.1, 1.0, 10.0):    # not shown before by this explorer
            pushes.clear()
            t0 = time.perf_counter()
            ex.controls["lam"].value = lam
            first.append(pushes[0] - t0)
            if hasattr(ex, "wait"):
                ex.wait()
            refined.append(pushes[-1] - t0)

    asyncio.run(visits())
    med = statistics.median(first) * 1e3
    print(f"  {'lambda change, first visit, in a kernel: first picture':58s} {med:8.1f} ms  "
          f"(max {max(first) * 1e3:.1f} ms)   goal <= {GOAL_MS:.0f} ms: "
          f"{'met' if med <= GOAL_MS else 'NOT met'}")
    print(f"  {'  then the refined picture':58s} {statistics.median(refined) * 1e3:8.1f} ms")


def run(n_random=1000):
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"Explorers (course_utils.widgets), median times; load average {load:.1f} "
          f"on {os.cpu_count()} cores")
    bench_compute()
    bench_default_updates()
    bench_updates()
    bench_lambda_in_kernel()
    bench_ipympl()
    print()
    import bench_random           # tools/bench is on sys.path (benchmarks.py, or run here)
    bench_random.run(n_random)


if __name__ == "__main__":
    import sys
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
