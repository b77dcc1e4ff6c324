"""`make bench`, explorers section: random control changes over the whole control space.

Called by ``bench_widgets.run()``; also runs on its own:
``python tools/bench/bench_random.py [N]`` (N changes per explorer, default 1000).

Each change picks one control uniformly at random and gives it a new value drawn from
what its slider offers (the distribution is printed beside the result). The changes are made inside
a running asyncio event loop, as a Jupyter kernel runs its message handlers; the time is
measured from the control change (``controls[name].value = v``, as the slider makes
it) to the first picture pushed to the front end: the first new PNG in the
``ipywidgets.Image`` (image backend, Agg, headless). Results computed earlier stay
cached, as they do in class. Nothing is asserted: it prints.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time

import numpy as np

os.environ.setdefault("MPLBACKEND", "Agg")

from course_utils import widgets as W  # noqa: E402

DISTRIBUTION = ("one control per change, chosen uniformly; lr log-uniform on the slider's "
                "grid 1e-3..1e2 (step 10^0.05), lambda from the slider's 12 values, method "
                "batch/SGD/minibatch, batch size 2..m, epochs 5..500 (slider values), "
                "patience off/1..50 (slider values), seed 0..99, starts on the slider grid "
                "(step 0.5); always a value different from the current one")


def _draw(rng, explorer, name):
    w = explorer.controls[name]
    if name == "lr":
        return float(10.0 ** (-3 + 0.05 * rng.integers(0, 101)))
    if name in ("lam", "epochs", "patience"):
        values = [v for _, v in w.options]
        return values[rng.integers(len(values))]
    if name == "method":
        return ("batch", "sgd", "minibatch")[rng.integers(3)]
    if name in ("batch_size", "seed"):
        return int(rng.integers(w.min, w.max + 1))
    k = int(round((w.max - w.min) / w.step))
    return float(w.min + w.step * rng.integers(0, k + 1))


def _picture(explorer):
    return explorer.view.widget


def random_changes(explorer, n=1000, seed=0):
    """Times (seconds) from each of ``n`` random control changes to the first frame pushed."""
    rng = np.random.default_rng(seed)
    names = [name for name in explorer._value_names]
    first = []
    pic = _picture(explorer)

    def pushed(change):
        if not first:
            first.append(time.perf_counter())

    pic.observe(pushed, names="value")
    times, slowest = [], (0.0, None)
    try:
        for _ in range(n):
            name = names[rng.integers(len(names))]
            value = _draw(rng, explorer, name)
            while value == explorer.controls[name].value:
                value = _draw(rng, explorer, name)
            first.clear()
            t0 = time.perf_counter()
            explorer.controls[name].value = value
            t1 = first[0] if first else time.perf_counter()
            times.append(t1 - t0)
            if times[-1] > slowest[0]:
                slowest = (times[-1], dict(explorer.values))
            wait = getattr(explorer, "wait", None)
            if wait is not None:   # the rest of a progressive answer, before the next change
                wait()
    finally:
        pic.unobserve(pushed, names="value")
    return np.array(times), slowest[1]


def report(label, times, n, seed, slowest=None):
    ms = 1e3 * times
    print(f"  {label}: random changes: median {np.median(ms):.1f} ms, p95 "
          f"{np.percentile(ms, 95):.1f} ms, max {ms.max():.1f} ms ({n} changes, seed {seed})")
    if slowest is not None:
        print(f"    slowest at {slowest}")


def run(n=1000, seed=0, verbose=False):
    """Both explorers, each inside a running asyncio event loop as in a Jupyter kernel
    (so long runs answer progressively; older package versions simply ignore it)."""
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"Explorers, random control changes (image backend, Agg, inside an asyncio "
          f"event loop as in a kernel); load average {load:.1f}")
    print("  distribution: " + DISTRIBUTION)
    for label, make in (("binary explorer", W.binary_explorer),
                        ("multinomial explorer", W.multinomial_explorer)):
        ex = make(backend="image")

        async def changes():
            return random_changes(ex, n, seed)

        times, slowest = asyncio.run(changes())
        report(label, times, n, seed, slowest if verbose else None)


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 1000, verbose=True)
