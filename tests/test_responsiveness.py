"""Explorers that answer at once: runs computed in pieces, partial results that say so,
a newer control change cancelling an older run, the coarse-then-fine loss picture.

Deterministic: pieces are counted in optimiser steps, never in seconds, and the event
loop is driven by the test (``asyncio.run``), as a Jupyter kernel's loop would be.
"""

import asyncio

import numpy as np
import pytest

from course_utils import _blit
from course_utils import explore as E
from course_utils import widgets as W
from course_utils.optim import gradient_descent, start_gradient_descent

SLOW = dict(method="sgd", epochs=500, lr=0.0123)       # 15,000 steps: several pieces
FAST = dict(method="batch", epochs=50, lr=0.7)


def _same_runs(a, b):
    for name in ("thetas", "steps", "examples_seen", "losses", "grad_norms", "val_losses",
                 "theta"):
        x, y = getattr(a, name), getattr(b, name)
        assert (x is None and y is None) or (x.tobytes() == y.tobytes()), name
    assert (a.status, a.message, a.best_index) == (b.status, b.message, b.best_index)


@pytest.mark.parametrize("kw", [
    dict(method="sgd", max_epochs=40, lr=0.05),
    dict(method="minibatch", batch_size=7, max_epochs=60, lr=0.3, patience=3),
    dict(method="batch", max_steps=300, lr=2.0, lam=0.01),
    dict(method="batch", max_steps=200, lr=500.0),                          # diverges
    dict(method="sgd", max_epochs=30, lr=0.1, n_classes=3),
])
def test_a_run_in_pieces_records_exactly_the_whole_run(kw):
    d = E.default_multinomial_data() if kw.get("n_classes") else E.default_binary_data()
    common = dict(X_val=d.A_val, y_val=d.y_val, rng=4, tol=1e-4, **kw)
    whole = gradient_descent(d.A_train, d.y_train, **common)
    run = start_gradient_descent(d.A_train, d.y_train, **common)
    pieces = 0
    while not run.advance(7):
        pieces += 1
        partial = run.trajectory()
        assert partial.status == "running" and "Still running" in partial.message
        assert partial.steps[-1] == run.steps_done          # it pauses at a record
    assert pieces >= 1
    _same_runs(run.trajectory(), whole)


def test_a_partial_result_says_so_and_the_finished_one_is_the_cached_one():
    job = E.start_binary(**SLOW, seed=11)
    assert not job.advance(W.FIRST_STEPS)
    r = job.result
    assert r.partial and r.status == "running"
    done = -(-W.FIRST_STEPS // 30)                   # whole epochs of 30 steps (SGD, m = 30)
    assert r.readout.startswith(f"Status: partial result, still computing ({done} of 500 epochs")
    assert r.n_frames == done + 1
    assert "will change" in r.readout
    final = job.finish()
    assert not final.partial and final is E.compute_binary(**SLOW, seed=11)
    assert E.start_binary(**SLOW, seed=11).done                 # cached: no pieces


def test_without_an_event_loop_every_change_is_computed_to_the_end():
    ex = W.binary_explorer()
    ex.set(**FAST)
    ex.controls["method"].value = "sgd"
    ex.controls["epochs"].value = 500
    assert not ex.result.partial and ex._job is None
    assert ex.result is E.compute_binary(ex.values, ex.data)


def test_slow_setting_then_a_fast_one_ends_on_the_fast_one_and_the_slow_run_stops():
    ex = W.binary_explorer(**FAST)
    pushed = []
    ex.view.widget.observe(lambda change: pushed.append(change["new"]), names="value")

    async def scenario():
        ex.controls["lr"].value = SLOW["lr"]
        ex.controls["epochs"].value = SLOW["epochs"]
        ex.controls["method"].value = SLOW["method"]       # the slow corner, moved last
        slow, first = ex._job, ex._job.chunks
        assert slow is not None and ex.result.partial and len(pushed) == 3
        assert ex.text().startswith("Status: partial result, still computing")
        await asyncio.sleep(0)                               # one more piece, drawn
        await asyncio.sleep(0)                               # and another
        assert slow.chunks == first + 2 and len(pushed) == 5 and not slow.done
        ex.controls["method"].value = "batch"                 # at once a fast setting
        assert slow.cancelled
        for _ in range(20):                                   # give the loop time
            await asyncio.sleep(0)
        return slow, first + 2

    slow, chunks = asyncio.run(scenario())
    assert slow.chunks == chunks and not slow.done            # its compute stopped
    assert ex._job is None
    want = E.compute_binary({**ex.values, "method": "batch"}, ex.data)
    assert ex.result is want and not ex.result.partial
    assert ex.text() == want.readout

    async def quick():
        ex.controls["method"].value = "sgd"                   # slow again, then a quick one
        ex.controls["epochs"].value = 5
        assert ex._job is None and not ex.result.partial      # done at once: nothing pending

    asyncio.run(quick())


def test_a_long_run_arrives_in_pieces_and_wait_finishes_it():
    ex = W.multinomial_explorer(**FAST)

    async def scenario():
        ex.controls["method"].value = "sgd"
        ex.controls["epochs"].value = 500
        assert ex.result.partial
        first = ex.result.n_frames
        await asyncio.sleep(0)
        assert ex.result.n_frames > first and ex.controls["frame"].max == ex.result.n_frames - 1
        ex.wait()                                               # as tests and notebooks do
        assert ex._job is None and not ex.result.partial

    asyncio.run(scenario())
    assert ex.result is E.compute_multinomial(ex.values, ex.data)
    assert "partial" not in ex.text()


def test_a_new_lambda_shows_a_coarse_picture_first_and_says_so_until_refined():
    ex = W.binary_explorer()

    async def scenario():
        ex.controls["lam"].value = 0.3
        assert ex._coarse and "coarse" in ex.text()
        coarse = ex.view.widget.value
        await asyncio.sleep(0)
        assert not ex._coarse and ex._job is None and "coarse" not in ex.text()
        assert ex.view.widget.value != coarse
        ex.controls["lam"].value = 0.03                     # another new lambda
        assert "coarse" in ex.text()
        ex.wait()
        ex.controls["lam"].value = 0.3                      # its fine picture is kept
        assert not ex._coarse and ex._job is None

    asyncio.run(scenario())
    assert ex.text() == ex.result.readout


def test_banded_picture_is_the_surface_in_bands():
    a = b = np.linspace(-2.0, 2.0, 9)
    Z = np.add.outer(b ** 2, (a - 1) ** 2)
    rgba, mx, my = _blit.banded_picture((a, b, Z), 40, 30)
    assert rgba.shape == (30, 40, 4) and (rgba[..., 3] == 255).all()
    assert (mx, my) == ([1.0], [0.0])
    centre, corner = rgba[15, 30, :3].astype(int), rgba[0, 0, :3].astype(int)
    assert centre.sum() > corner.sum()                  # low loss light, high loss dark
    flat = _blit.banded_picture((a, b, np.full_like(Z, np.nan)), 4, 3)
    assert flat[1:] == ([], [])


def test_progress_runs_the_newest_work_only():
    done = []

    def work(name, n):
        left = [n]

        def piece():
            done.append(name)
            left[0] -= 1
            return left[0] > 0
        return piece

    async def scenario():
        p = _blit.Progress()
        loop = _blit.Progress.loop()
        p.later(work("old", 5), loop)
        await asyncio.sleep(0)
        p.later(work("new", 2), loop)                       # replaces the old work
        for _ in range(5):
            await asyncio.sleep(0)
        assert not p.pending
        p.later(work("waited", 3), loop)
        p.wait()
        assert not p.pending and _blit.Progress.loop(False) is None

    asyncio.run(scenario())
    assert _blit.Progress.loop() is None
    assert done == ["old", "new", "new", "waited", "waited", "waited"]
