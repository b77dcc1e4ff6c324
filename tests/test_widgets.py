"""Headless tests of the explorers: set widget values, check state, readout and artists.

No kernel and no browser: ipywidgets run observers synchronously, so setting
``controls["lr"].value`` recomputes and redraws before the next line.
"""

import dataclasses
import importlib.util
import io
import re
import warnings

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from course_utils import _blit
from course_utils import explore as E
from course_utils import plotting as cp
from course_utils import widgets as W
from course_utils.data import lecture_points, make_blobs

from browser_support import (CONTROL_CLASSES, EXPLORER_CLASSES, FIGURE_CLASS,
                             READOUT_CLASS)


@pytest.fixture(scope="module", autouse=True)
def _course_style():
    # the notebooks call use_style() first: test the explorers under it
    with matplotlib.rc_context():
        cp.use_style()
        yield


@pytest.fixture(scope="module")
def ex():
    return W.binary_explorer()


@pytest.fixture(scope="module")
def mx():
    return W.multinomial_explorer()


def _png_pixels(data):
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))


# --------------------------------------------------------------------------- binary

def test_defaults_converge_and_readout_reads(ex):
    ex.set(**{f: getattr(W.BinaryControls(), f) for f in W.BinaryExplorer._value_names})
    r = ex.result
    assert r.status == "converged"
    text = ex.text()
    assert text.startswith("Status: converged.")
    assert "Converged after" in text and "accuracy" in text and "validation" in text
    assert f"{r.trajectory.n_steps} steps" in text
    assert ex.readout.value.count("Status: converged") == 1
    assert 'role="status"' in ex.readout.value


def test_huge_learning_rate_diverges_and_readout_says_so(ex):
    ex.controls["lr"].value = 100.0
    r = ex.result
    assert r.status == "diverged"
    assert ex.state["status"] == "diverged"
    assert ex.text().startswith("Status: diverged.")
    assert f"Diverged at step {r.trajectory.n_steps}" in ex.text()
    assert "lower the learning rate" in ex.text()
    # only finite values are drawn; the path is all finite records
    xs = ex.artists["path"].get_xdata()
    assert np.all(np.isfinite(xs))
    y = ex.artists["train_loss"].get_ydata()
    assert np.all(np.isfinite(y) | np.isnan(y))
    ex.controls["lr"].value = 1.0


def test_tiny_learning_rate_runs_out_of_steps(ex):
    ex.set(lr=0.001, epochs=20)
    assert ex.result.status == "max_steps"
    assert ex.text().startswith("Status: ran out of steps.")
    ex.set(lr=1.0, epochs=200)


def test_larger_lambda_gives_smaller_weights(ex):
    # lr = 0.3 keeps 2 * lam * lr < 2 up to lam = 3, so every run is stable
    ex.set(lr=0.3, epochs=500)
    norms = []
    for lam in (0.001, 0.01, 0.1, 1.0, 3.0):
        ex.controls["lam"].value = lam
        assert ex.result.controls.lam == lam
        assert ex.result.status in ("converged", "max_steps")
        norms.append(ex.result.weight_norm)
        assert f"{np.linalg.norm(ex.result.theta[1:]):.3g}" in ex.text()
    assert all(a > b for a, b in zip(norms, norms[1:]))
    ex.set(lam=0.01, lr=1.0, epochs=200)


def test_lambda_times_lr_too_large_diverges():
    # the penalty alone makes the step unstable once 2 * lam * lr > 2
    assert W.compute_binary(lr=0.4, lam=3.0, epochs=500).status == "diverged"
    assert W.compute_binary(lr=0.3, lam=3.0, epochs=500).status == "converged"


def test_early_stopping_marker_sits_where_validation_stopped_improving(ex):
    ex.set(lam=0.0, patience=10, lr=1.0, method="batch")
    r = ex.result
    run = r.trajectory
    assert r.status == "early_stopped"
    b = run.best_index
    # the validation loss is lowest at b, and the patience + 1 checks after it are not lower
    assert run.val_losses[b] == run.val_losses.min()
    assert len(run.val_losses) - 1 - b == 11
    assert np.all(run.val_losses[b + 1:] >= run.val_losses[b])
    # the marker: at the best epoch, which for batch is the best step
    assert ex.artists["early_stop_line"].get_xdata()[0] == run.best_step == r.epochs[b]
    assert ex.artists["early_stop_marker"].get_ydata()[0] == run.val_losses[b]
    # the kept theta is starred on the path and is the one the boundary shows
    assert ex.artists["best"].get_xdata()[0] == run.thetas[b, 1]
    np.testing.assert_array_equal(r.theta, run.thetas[b])
    xs, ys = cp.boundary_segment(r.theta, ex.xlim, ex.ylim)
    np.testing.assert_allclose(ex.artists["boundary"].get_xdata(), xs)
    assert "Early stopped at epoch" in ex.text() and "patience 10" in ex.text()
    ex.set(lam=0.01, patience=0)


def test_path_line_has_one_point_per_record(ex):
    ex.set(lr=0.5, epochs=60)
    run = ex.result.trajectory
    assert len(ex.artists["path"].get_xdata()) == len(run.steps) == 61
    np.testing.assert_array_equal(ex.artists["path"].get_ydata(), run.thetas[:, 2])
    assert list(ex.artists["start"].get_xdata()) == [ex.controls["theta1_start"].value]
    assert len(ex.artists["train_loss"].get_xdata()) == 61
    ex.set(lr=1.0, epochs=200)


def test_frame_slider_and_play_reveal_the_run_without_recomputing(ex, monkeypatch):
    ex.set(lr=0.3, epochs=80)
    r = ex.result
    computed = []
    with monkeypatch.context() as patch:
        patch.setattr(W, "compute_binary", lambda *a, **k: computed.append(a))
        ex.controls["frame"].value = 10
        assert len(ex.artists["path"].get_xdata()) == 11
        assert len(ex.artists["train_loss"].get_xdata()) == 11
        assert ex.artists["cursor"].get_xdata()[0] == r.epochs[10]
        assert "Showing epoch 10 of 80" in ex.text()
        ex.controls["play"].value = 30          # Play is linked to the frame slider
        assert ex.controls["frame"].value == 30
        assert len(ex.artists["path"].get_xdata()) == 31
        np.testing.assert_allclose(ex.artists["end"].get_xdata(), [r.trajectory.thetas[30, 1]])
        ex.controls["frame"].value = ex.controls["frame"].max
    assert computed == [] and ex.result is r
    assert len(ex.artists["cursor"].get_xdata()) == 0
    assert "Showing" not in ex.text()
    ex.set(lr=1.0, epochs=200)


def test_new_result_resets_frame_and_play_range(ex):
    ex.set(epochs=50, lr=0.2)
    assert ex.controls["frame"].max == ex.controls["play"].max == 50
    assert ex.controls["frame"].value == 50
    ex.set(epochs=120)                       # not on the slider: added to its options
    assert ex.controls["frame"].max == 120 and ex.controls["play"].step == 1
    assert ("120", 120) in ex.controls["epochs"].options
    ex.set(epochs=500, lr=0.01)
    assert ex.controls["play"].step == 5     # Play crosses any run in about 100 frames
    ex.set(epochs=200, lr=1.0)


def test_values_not_on_a_slider_are_added_by_set(ex):
    ex.set(lam=0.05, patience=7)
    assert ex.result.controls.lam == 0.05 and ex.result.controls.patience == 7
    assert ("0.05", 0.05) in ex.controls["lam"].options
    assert ("7", 7) in ex.controls["patience"].options
    assert ex.controls["patience"].options[0] == ("off", 0)
    ex.set(lam=0.01, patience=0)


def test_result_boundary_and_metrics():
    r = W.compute_binary()
    xs, ys = r.boundary
    np.testing.assert_allclose(r.theta[0] + r.theta[1] * xs + r.theta[2] * ys, 0, atol=1e-9)
    m = r.metrics("val")
    assert m["tp"] + m["tn"] == r.scores["val"][1]
    assert r.metrics("train")["accuracy"] == r.scores["train"][1] / r.scores["train"][2]
    with pytest.raises(ValueError, match="split"):
        r.metrics("validation")


def test_cached_compute_returns_the_same_object():
    a = W.compute_binary(lr=0.7, epochs=30)
    b = W.compute_binary({"lr": 0.7, "epochs": 30})
    c = W.compute_binary(W.BinaryControls(lr=0.7, epochs=30))
    assert a is b is c


def test_updates_blit_and_change_the_picture(ex):
    ex.set(lr=1.0, lam=0.01, epochs=200)
    view = ex.view
    full = view.full_draws
    png = ex.view.widget.value
    ex.controls["lr"].value = 0.1            # only the run changes: a blit, no full redraw
    assert view.full_draws == full
    assert ex.view.widget.value != png
    partial = view.partial_draws
    ex.controls["lam"].value = 0.3           # new contours are painted in: no full draw
    assert view.full_draws == full and view.partial_draws == partial + 1
    view.forget_backgrounds()                # forget backgrounds drawn by earlier tests
    ex.controls["epochs"].value = 50         # new loss axis: its panel painted in, no full draw
    assert view.full_draws == full and view.partial_draws == partial + 2
    ex.controls["epochs"].value = 200
    assert view.full_draws == full and view.partial_draws == partial + 3
    ex.controls["epochs"].value = 50         # back: background cached, nothing painted
    assert view.full_draws == full and view.partial_draws == partial + 3
    ex.set(lr=1.0, lam=0.01)
    # the pushed image is what the canvas holds
    shown = _png_pixels(ex.view.widget.value)
    canvas = np.asarray(ex.figure.canvas.buffer_rgba())[:, :, :3]
    np.testing.assert_array_equal(shown, canvas)


def test_blitted_picture_matches_a_full_redraw(ex):
    ex.set(lam=3.0, lr=0.2, epochs=200)      # reached by a partial draw of the contours
    for frame in (40, 7):                    # the second after a savefig: cache intact
        ex.controls["frame"].value = frame
        shown = _png_pixels(ex.view.widget.value)
        buf = io.BytesIO()
        ex.figure.savefig(buf, format="png", dpi=ex.figure.dpi)   # draws everything afresh
        full = np.asarray(Image.open(buf).convert("RGB"))
        assert shown.shape == full.shape
        # blitting draws the moving artists last; a full draw interleaves them by
        # zorder, so a few edge pixels may differ, nothing more
        differ = np.any(np.abs(shown.astype(int) - full.astype(int)) > 40, axis=-1)
        assert differ.mean() < 0.002
    ex.set(lam=0.01, lr=1.0)


def test_contours_depend_on_lambda_only(ex):
    ex.set(lam=0.1, lr=0.5)
    g1 = ex.result.grid
    picture = np.array(ex.artists["contours"].get_array())
    rendered = len(ex._contour_cache)
    ex.set(lr=2.0, method="minibatch")
    assert ex.result.grid is g1
    np.testing.assert_array_equal(ex.artists["contours"].get_array(), picture)
    assert len(ex._contour_cache) == rendered
    ex.set(lam=1.0)
    assert not np.array_equal(ex.artists["contours"].get_array(), picture)
    # the minimum marker is the grid's lowest point, which moves towards 0 with lambda
    a, b, Z = ex.result.grid
    i, j = np.unravel_index(np.argmin(Z), Z.shape)
    assert list(ex.artists["minimum"].get_xdata()) == [a[j]]
    assert list(ex.artists["minimum"].get_ydata()) == [b[i]]
    n = len(ex._contour_cache)
    ex.set(lam=0.1)                           # cached picture comes back, nothing rendered
    np.testing.assert_array_equal(ex.artists["contours"].get_array(), picture)
    assert len(ex._contour_cache) == n
    ex.set(lam=0.01, lr=1.0, method="batch")


def test_contour_picture_is_the_loss_grid_rendered_at_panel_size(ex):
    rgba = ex.artists["contours"].get_array()
    w, h = ex.axes["contours"].bbox.size
    assert rgba.shape == (round(h), round(w), 4)
    # darker blue means higher loss: compare a corner of the grid with its minimum
    a, b, Z = ex.result.grid
    i, j = np.unravel_index(np.argmin(Z), Z.shape)
    row = lambda bi: int(round((1 - (b[bi] - b[0]) / (b[-1] - b[0])) * (rgba.shape[0] - 1)))  # noqa: E731
    col = lambda aj: int(round((a[aj] - a[0]) / (a[-1] - a[0]) * (rgba.shape[1] - 1)))  # noqa: E731
    k = int(np.argmax([Z[0, 0], Z[0, -1], Z[-1, 0], Z[-1, -1]]))
    ci, cj = [(0, 0), (0, -1), (-1, 0), (-1, -1)][k]
    bright = lambda px: int(px[:3].astype(int).sum())  # noqa: E731
    assert bright(rgba[row(i), col(j)]) > bright(rgba[row(ci), col(cj)])


def test_methods_and_batch_size(ex):
    ex.controls["method"].value = "sgd"
    assert ex.controls["batch_size"].disabled
    m = ex.data.y_train.size
    assert ex.result.trajectory.steps[1] == m          # one record per epoch
    ex.set(method="minibatch", batch_size=8)
    assert not ex.controls["batch_size"].disabled
    assert ex.result.trajectory.steps[1] == 4         # ceil(30 / 8)
    s1 = ex.result.theta
    ex.controls["seed"].value = 5
    assert not np.allclose(s1, ex.result.theta)
    ex.set(method="batch", seed=0)


def test_start_controls_move_the_start(ex):
    ex.set(theta1_start=2.0, theta2_start=-4.0)
    assert list(ex.artists["start"].get_xdata()) == [2.0]
    assert list(ex.artists["start"].get_ydata()) == [-4.0]
    np.testing.assert_array_equal(ex.result.trajectory.thetas[0], [0, 2.0, -4.0])
    ex.set(theta1_start=-3.0, theta2_start=3.0)


def test_controls_have_descriptions_and_ranges(ex):
    assert ex.controls["lr"].description == "learning rate α"
    assert isinstance(ex.controls["lr"], __import__("ipywidgets").FloatLogSlider)
    assert ex.controls["lr"].min == -3 and ex.controls["lr"].max == 2
    assert ex.controls["lam"].options[0] == ("0", 0.0)
    assert ex.controls["lam"].options[-1][1] == 10.0


@pytest.mark.parametrize("factory", sorted(EXPLORER_CLASSES))
def test_every_explorer_carries_the_css_classes_the_browser_test_finds(factory):
    # the contract lives in browser_support.py, beside the browser test that relies on it
    args = lecture_points() if factory == "decision_boundary_widget" else ()
    e = getattr(W, factory)(*args)
    for name, widget in e.controls.items():
        assert CONTROL_CLASSES[name] in widget._dom_classes, name
    assert FIGURE_CLASS in e.view.widget._dom_classes
    assert READOUT_CLASS in e.readout._dom_classes
    assert set(EXPLORER_CLASSES[factory]) <= set(e.widget._dom_classes)


@pytest.mark.parametrize("factory, control, value", [
    ("sigmoid_slider", "z", 2.5), ("decision_boundary_widget", "theta1", -1.0),
    ("binary_explorer", "lr", 3.0), ("multinomial_explorer", "lam", 0.1)])
def test_picture_text_alternative_follows_the_readout(factory, control, value):
    """The picture's title (its accessible name in the page) is what it shows + the readout."""
    args = lecture_points() if factory == "decision_boundary_widget" else ()
    e = getattr(W, factory)(*args, backend="image")
    before = e.view.widget.tooltip
    e.set(**{control: value})
    alt = e.view.widget.tooltip
    assert alt != before and alt.startswith("Picture: " + E.PICTURES[e.title])
    assert e.text() in alt, "the text alternative must carry the readout's words"
    # the front end writes a tooltip into the <img>'s title only for an empty description
    state = e.view.widget.get_state()
    assert state["description"] == "" and state["tooltip"] == alt


def test_display_bundle_has_widget_view_and_readable_text(ex):
    bundle = ex._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == ex.widget.model_id
    assert bundle["text/plain"] == "binary explorer: " + ex.text()
    assert repr(ex).startswith("<BinaryExplorer: Status:")


def test_set_rejects_unknown_controls(ex):
    with pytest.raises(TypeError, match="learning_rate"):
        ex.set(learning_rate=0.1)


def test_binary_explorer_with_own_data_and_initial_controls():
    X, y = make_blobs(40, 2, rng=5)
    e = W.binary_explorer(X, y, lr=0.3, lam=0.1, epochs=40, fractions=(0.5, 0.25, 0.25))
    assert e.result.controls.lr == pytest.approx(0.3)
    assert len(e.data.y_train) == 40
    assert e.controls["batch_size"].max == 40
    assert e.result.trajectory.steps[-1] <= 40


@pytest.mark.parametrize("kwargs, err, match", [
    ({"X": np.zeros((10, 2))}, ValueError, "X and y"),
    ({"X": np.zeros((10, 3)), "y": np.arange(10) % 2}, ValueError, "X"),
    ({"X": np.zeros((10, 2)), "y": np.zeros(10)}, ValueError, "two classes"),
    ({"lr": -1.0}, ValueError, "lr"),
    ({"lam": -0.1}, ValueError, "lam"),
    ({"method": "adam"}, ValueError, "method"),
    ({"epochs": 0}, ValueError, "epochs"),
    ({"patience": 1.5}, TypeError, "patience"),
    ({"theta1_start": np.nan}, ValueError, "theta1_start"),
    ({"momentum": 0.9}, TypeError, "momentum"),
    ({"backend": "qt"}, ValueError, "backend"),
])
def test_binary_explorer_bad_input(kwargs, err, match):
    with pytest.raises(err, match=match):
        W.binary_explorer(**kwargs)


def test_compute_functions_bad_input():
    with pytest.raises(TypeError, match="controls"):
        W.compute_binary(controls=[1, 2])
    with pytest.raises(TypeError, match="data"):
        W.compute_binary(data=(np.zeros((3, 2)), np.zeros(3)))
    with pytest.raises(TypeError, match="data"):
        W.compute_binary(data=W.default_multinomial_data())
    with pytest.raises(TypeError, match="data"):
        W.compute_multinomial(data="news")
    with pytest.raises(ValueError, match="batch_size"):
        W.compute_multinomial(batch_size=0)


def test_explorer_data_hash_and_equality():
    d1 = W.default_binary_data()
    X, y = make_blobs(75, 2, centers=[[-1.0, -0.5], [1.0, 0.5]], spread=1.0, rng=1)
    d2 = W.ExplorerData.from_arrays(X, y, rng=1)
    assert d1 == d2 and hash(d1) == hash(d2) and d1 is not d2
    assert d1 != W.default_multinomial_data() and d1 != "data"
    assert not d1.X_train.flags.writeable
    np.testing.assert_array_equal(d1.A_train[:, 0], 1.0)
    with pytest.raises(ValueError, match="n_classes"):
        W.ExplorerData.from_arrays(X, y, n_classes=1)


# --------------------------------------------------------------------------- multinomial

def test_multinomial_lambda_shrinks_weights_and_regions_follow(mx):
    mx.set(lr=0.3, epochs=500)
    norms = []
    for lam in (0.0, 0.01, 0.1, 1.0):
        mx.controls["lam"].value = lam
        assert mx.result.status in ("converged", "max_steps")
        norms.append(mx.result.weight_norm)
        grid = cp.decision_region_grid(mx.result.theta, mx.xlim, mx.ylim, mx.resolution)
        np.testing.assert_array_equal(mx.artists["regions"].get_array(), grid)
    assert all(a > b for a, b in zip(norms, norms[1:]))
    mx.set(lam=0.01, lr=1.0, epochs=200)


def test_multinomial_readout_frames_and_divergence(mx):
    mx.set(lr=100.0, lam=0.1)
    assert mx.result.status == "diverged"
    assert mx.text().startswith("Status: diverged.") and "lower the learning rate" in mx.text()
    mx.set(lr=1.0, lam=0.01)
    assert mx.result.status == "converged"
    assert "||W||" in mx.text()
    mx.controls["frame"].value = 3
    grid = cp.decision_region_grid(mx.result.trajectory.thetas[3], mx.xlim, mx.ylim,
                                   mx.resolution)
    np.testing.assert_array_equal(mx.artists["regions"].get_array(), grid)
    assert "Showing epoch 3 of" in mx.text()
    assert mx.state["frame"] == 3
    assert {"cu-explorer", "cu-multinomial-explorer"} <= set(mx.widget._dom_classes)
    assert mx._repr_mimebundle_()["text/plain"].startswith("multinomial explorer: Status:")


def test_multinomial_early_stopping_marker(mx):
    mx.set(lam=0.0, patience=3, lr=3.0, method="sgd")
    run = mx.result.trajectory
    assert mx.result.status == "early_stopped"
    b = run.best_index
    assert mx.artists["early_stop_line"].get_xdata()[0] == mx.result.epochs[b] == b
    assert np.all(run.val_losses[b + 1:] >= run.val_losses[b])
    mx.set(lam=0.01, patience=0, lr=1.0, method="batch")


def test_multinomial_explorer_with_own_data():
    X, y = make_blobs(20, 4, rng=0)
    e = W.multinomial_explorer(X, y, epochs=30)
    assert e.result.theta.shape == (4, 3)
    assert set(np.unique(e.artists["regions"].get_array())) <= {0, 1, 2, 3}
    with pytest.raises(ValueError, match="X and y"):
        W.multinomial_explorer(y=y)


# --------------------------------------------------------------------------- boundary widget

def test_boundary_widget_reproduces_the_lecture_numbers():
    w = W.decision_boundary_widget(*lecture_points())
    r = w.result
    assert (r["tp"], r["fp"], r["fn"], r["tn"]) == (7, 2, 3, 4)
    assert r["accuracy"] == 11 / 16 and r["precision"] == 7 / 9 and r["recall"] == 7 / 10
    text = w.text()
    assert "Accuracy 11/16" in text and "precision 7/9" in text and "recall 7/10" in text
    assert [[t.get_text() for t in row] for row in w.artists["counts"]] == [
        ["TN\n4", "FP\n2"], ["FN\n3", "TP\n7"]]
    np.testing.assert_array_equal(w.artists["confusion"].get_array(), [[4, 2], [3, 7]])


def test_boundary_widget_sliders_move_line_counts_and_metrics_together():
    X, y = lecture_points()
    w = W.decision_boundary_widget(X, y)
    png = w.view.widget.value
    w.controls["theta2"].value = 0.0          # boundary x1 = 0.5: vertical line
    np.testing.assert_allclose(w.artists["line"].get_xdata(), [0.5, 0.5])
    expected = W.boundary_metrics([-1, 2, 0], X, y)
    assert w.result["tp"] == expected["tp"] and w.result["fp"] == expected["fp"]
    assert w.artists["counts"][1][1].get_text() == f"TP\n{expected['tp']}"
    assert w.view.widget.value != png
    assert w.view.full_draws == 1
    w.set(theta1=0.0, theta2=0.0, theta0=1.0)   # no boundary: everything predicted 1
    assert len(w.artists["line"].get_xdata()) == 0
    assert "no boundary" in w.text() and w.result["tn"] == 0
    assert w.artists["region"].get_visible()
    w.set(theta0=-1.0)
    assert not w.artists["region"].get_visible() and w.result["tp"] == 0
    assert "precision 0/0 = 0.000" in w.text()
    assert {"cu-theta0", "cu-boundary-widget"} <= set(
        w.controls["theta0"]._dom_classes + w.widget._dom_classes)


@pytest.mark.parametrize("args, match", [
    ((np.zeros((4, 2)), [0, 1, 2, 1]), "y"),
    ((np.zeros((4, 2)), [0, 1, 0, 1], (1, 2)), "theta"),
    ((np.zeros((4, 2)), [0, 1, 0, 1], (100, 0, 0)), "theta"),
])
def test_boundary_widget_bad_input(args, match):
    with pytest.raises(ValueError, match=match):
        W.decision_boundary_widget(*args)


def test_boundary_metrics_bad_input():
    X, y = lecture_points()
    with pytest.raises(ValueError, match="theta"):
        W.boundary_metrics([np.nan, 1, 1], X, y)
    with pytest.raises(ValueError, match="y"):
        W.boundary_metrics([0, 1, 1], X, np.arange(16) % 3)


# --------------------------------------------------------------------------- sigmoid slider

def test_sigmoid_slider():
    s = W.sigmoid_slider()
    assert "= 0.500" in s.text() and "a tie" in s.text()
    assert s._repr_mimebundle_()["text/plain"].startswith("sigmoid slider: theta . x = 0.00")
    s.controls["z"].value = -2.0
    assert list(s.artists["point"].get_xdata()) == [-2.0]
    assert s.artists["point"].get_ydata()[0] == pytest.approx(0.1192, abs=1e-4)
    assert "0.119" in s.text() and "y = 0" in s.text()
    s.controls["z"].value = 3.0
    assert "predicts y = 1" in s.text()
    assert "cu-z" in s.controls["z"]._dom_classes
    assert s.last_update_seconds is not None
    with pytest.raises(ValueError, match="z"):
        W.sigmoid_slider(20)


# --------------------------------------------------------------------------- backends

def test_png_encoder_round_trips():
    rng = np.random.default_rng(0)
    rgba = rng.integers(0, 256, (7, 5, 4), dtype=np.uint8)
    np.testing.assert_array_equal(_png_pixels(_blit.encode_png(rgba)), rgba[:, :, :3])


def test_backend_resolution(monkeypatch):
    monkeypatch.delenv("COURSE_WIDGETS_BACKEND", raising=False)
    assert _blit.resolve_backend(None) == "image"
    assert _blit.resolve_backend("auto") == "image"         # no kernel here
    monkeypatch.setenv("COURSE_WIDGETS_BACKEND", "ipympl")
    assert _blit.resolve_backend(None) == "ipympl"
    with pytest.raises(ValueError, match="backend"):
        _blit.resolve_backend("qt")


@pytest.mark.skipif(importlib.util.find_spec("ipympl") is None, reason="ipympl not installed")
def test_ipympl_backend_headless():
    # (no importorskip: a plain `import ipympl` switches pyplot's backend, see widgets.py)
    backend = matplotlib.get_backend()
    e = W.binary_explorer(backend="ipympl", epochs=40)
    # importing ipympl must not switch pyplot (and the notebook) to the widget backend
    assert matplotlib.get_backend() == backend
    from ipympl.backend_nbagg import Canvas
    assert isinstance(e.view.widget, Canvas)
    assert e.figure.canvas is e.view.widget
    assert e.view.widget._size == (960.0, 312.0)    # else the browser shows 0 x 0
    assert "cu-figure" in e.view.widget._dom_classes
    e.controls["lr"].value = 100.0
    assert e.result.status == "diverged"
    assert e.view.blits >= 1
    assert plt.get_fignums() == []           # nothing registered with pyplot


def test_positive_region():
    box = ((0, 1), (0, 1))
    np.testing.assert_allclose(sorted(E.positive_region([-0.5, 1, 0], *box).tolist()),
                               [[0.5, 0], [0.5, 1], [1, 0], [1, 1]])
    assert len(E.positive_region([1, 0, 0], *box)) == 4
    assert len(E.positive_region([-1, 0, 0], *box)) == 0
    assert len(E.positive_region([np.inf, 0, 0], *box)) == 0


def test_explorers_under_the_projector_style_warn_nothing():
    with matplotlib.rc_context(), warnings.catch_warnings():
        warnings.simplefilter("error")
        cp.use_style("projector")
        e = W.binary_explorer(epochs=50)
        e.set(lam=0.3, lr=3.0)
        e.controls["frame"].value = 10
        m = W.multinomial_explorer(epochs=20)
        m.set(lam=0.1)
        W.decision_boundary_widget(*lecture_points()).set(theta0=1.0)
        W.sigmoid_slider().set(z=1.0)
    assert e.result.controls.lam == 0.3 and e.values["lr"] == 3.0
    assert set(e.values) == set(W.BinaryExplorer._value_names)


# --------------------------------------------------------------------------- property

CONTROL_STRATEGY = st.fixed_dictionaries({
    "lr": st.floats(1e-3, 100.0),
    "lam": st.sampled_from(W.LAMBDA_OPTIONS),
    "method": st.sampled_from(["batch", "sgd", "minibatch"]),
    "batch_size": st.integers(2, 30),
    "epochs": st.sampled_from(W.EPOCH_OPTIONS),
    "seed": st.integers(0, 99),
    "theta1_start": st.sampled_from(np.arange(-6.0, 6.5, 0.5).tolist()),
    "theta2_start": st.sampled_from(np.arange(-6.0, 6.5, 0.5).tolist()),
    "patience": st.sampled_from(W.PATIENCE_OPTIONS),
    "frame": st.floats(0.0, 1.0),
})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(values=CONTROL_STRATEGY)
def test_whole_control_range_no_exception_no_warning(ex, mx, values):
    values = dict(values)
    frac = values.pop("frame")
    # SGD takes 30 steps per epoch here, minibatch up to 15: cap the updates per
    # example at about 1500 so that 25 examples stay quick (batch keeps its full range)
    per_epoch = {"batch": 1, "sgd": 30, "minibatch": -(-30 // values["batch_size"])}
    cap = 1500 // per_epoch[values["method"]]
    values["epochs"] = max([e for e in W.EPOCH_OPTIONS if e <= min(values["epochs"], cap)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ex.set(**values)
        r = ex.result
        assert r.status in W.STATUS_TEXT
        assert ex.text().startswith(f"Status: {W.STATUS_TEXT[r.status]}.")
        assert np.all(np.isfinite(r.theta))
        ex.controls["frame"].value = int(frac * ex.controls["frame"].max)
        mvalues = {k: v for k, v in values.items() if not k.startswith("theta")}
        mx.set(**mvalues)
        assert mx.result.status in W.STATUS_TEXT
        mx.controls["frame"].value = int(frac * mx.controls["frame"].max)


def test_readout_tells_overshooting_from_crawling():
    from course_utils.widgets import compute_multinomial
    bouncing = compute_multinomial(lr=1.0, lam=1.0)     # 1 - 2 lr lam = -1: weights flip sign
    crawling = compute_multinomial(lr=0.01, lam=0.0)
    assert bouncing.status == crawling.status == "max_steps"
    assert "overshoot" in bouncing.readout and "lower the learning rate" in bouncing.readout
    assert "would go further" in crawling.readout and "overshoot" not in crawling.readout


def test_loss_axis_shows_the_start_of_a_slow_run():
    from course_utils.widgets import binary_explorer
    ex = binary_explorer(lr=0.01, lam=0.01)
    top = ex.axes["loss"].get_ylim()[1]
    run = ex.result.trajectory
    assert top >= run.val_losses[0] > 1.8 * np.log(2)   # the far start would be off-chart
    assert ex.axes["loss"].get_xlim()[1] > ex.result.epochs[-1]   # room for the last tick


# --------------------------------------------------------------------------- explore and _blit

def test_explorer_data_declares_what_it_derives():
    names = {f.name for f in dataclasses.fields(E.ExplorerData)}
    assert {"key", "A_train", "A_val", "A_test"} <= names
    d = E.default_binary_data()
    for split in ("train", "val", "test"):
        A = getattr(d, "A_" + split)
        np.testing.assert_array_equal(A[:, 1:], getattr(d, "X_" + split))
        assert not A.flags.writeable
    (x0, x1), (y0, y1) = d.limits
    X = d.X_all
    assert x0 < X[:, 0].min() and X[:, 0].max() < x1 and y0 < X[:, 1].min() < X[:, 1].max() < y1
    assert "A_train" not in repr(d)


def test_controls_are_checked_and_normalised_once_in_the_record():
    c = E.BinaryControls(lr=1, epochs=np.int64(50))
    assert type(c.lr) is float and type(c.epochs) is int
    assert c == E.BinaryControls(lr=1.0, epochs=50) and hash(c) == hash(E.BinaryControls(epochs=50))
    assert E.BinaryControls.from_values(c, lam=0.3) == E.BinaryControls(epochs=50, lam=0.3)
    assert E.MultinomialControls.from_values({"lr": 0.5}).lr == 0.5
    with pytest.raises(TypeError, match="theta1_start"):
        E.MultinomialControls.from_values(theta1_start=1.0)    # the multinomial run starts at 0
    with pytest.raises(ValueError, match="seed"):
        E.BinaryControls(seed=-1)
    with pytest.raises(ValueError, match="tol"):
        E.MultinomialControls(tol=-1.0)


def test_result_boundary_is_empty_when_the_line_misses_the_box():
    r = W.compute_binary()
    far = dataclasses.replace(r, theta=np.array([1e3, 1.0, 1.0]))   # theta . x > 0 everywhere shown
    assert far.boundary[0].size == 0
    assert len(E.positive_region(far.theta, *far.data.limits)) == 4


def test_binary_extent_covers_the_start_sliders_and_the_grid():
    d = E.default_binary_data()
    ext = E.binary_extent(d)
    a, b, _ = W.compute_binary().grid
    assert (a[0], a[-1], b[0], b[-1]) == ext
    assert ext[0] <= -6 and ext[1] >= 6


def test_blit_view_draws_moving_artists_in_zorder_and_shows_the_canvas():
    from matplotlib.figure import Figure
    fig = Figure(figsize=(2, 1), dpi=50)
    ax = fig.add_subplot()
    (top,) = ax.plot([0, 1], [0, 1], zorder=5)
    (low,) = ax.plot([0, 1], [1, 0], zorder=1)
    keys = []
    view = _blit.BlitView(fig, "image", static=keys.append)
    view.add_artist(top, low)
    assert view.artists == [low, top] and top.get_animated()
    view.first_draw("a")
    view.update("a")
    assert keys == ["a"] and view.blits == 1 and view.full_draws == 1
    assert view.widget.value == view.png()
    np.testing.assert_array_equal(_png_pixels(view.png()),
                                  np.asarray(fig.canvas.buffer_rgba())[:, :, :3])
    view.update("b")                         # a new key: static callback, full draw
    assert keys == ["a", "b"] and view.full_draws == 2
    view.update("a")                         # background kept: no draw
    assert keys == ["a", "b", "a"] and view.full_draws == 2 and view.blits == 2
    view.forget_backgrounds()
    view.update("b")
    assert view.full_draws == 3


# --------------------------------------------------------------------------- explorers driven by code
# The reliability review's findings 3 and 4 and its low-severity "no upper bound on
# epochs", one test each: a refused value leaves every control as it was, nothing is
# clamped to a slider's end, wrong types are our own ValueError/TypeError.

def _state(e):
    """Everything a refused ``.set()`` must leave alone: values, options, readout, result."""
    opts = {n: tuple(w.options) for n, w in e.controls.items()
            if isinstance(w, (W.widgets.SelectionSlider, W.widgets.ToggleButtons))}
    return ({n: w.value for n, w in e.controls.items()}, opts, e.readout.value, e.text(),
            getattr(e, "result", None) if not isinstance(e, W.DecisionBoundaryWidget) else None,
            {n: list(v) for n, v in (e._extras or {}).items()})


@pytest.fixture(scope="module")
def fresh():
    return W.binary_explorer()


@pytest.mark.parametrize("bad, culprit, err", [
    ({"epochs": 0}, "epochs", ValueError), ({"epochs": 2.5}, "epochs", TypeError),
    ({"patience": -1}, "patience", ValueError), ({"lam": -1}, "lam", ValueError),
    ({"lr": float("nan")}, "lr", ValueError),
    ({"lr": 0.5, "lam": 0.05, "epochs": 0}, "epochs", ValueError),   # several, one bad
])
def test_a_refused_value_leaves_every_control_as_it_was(fresh, bad, culprit, err):
    before = _state(fresh)
    with pytest.raises(err, match=f"^{culprit}"):
        fresh.set(**bad)
    assert _state(fresh) == before              # lam = 0.05 was not offered either
    fresh.set(lr=0.5)                          # the review's one-liner: the next change works
    assert fresh.result.controls.lr == 0.5 and fresh.controls["lr"].value == 0.5
    fresh.set(lr=1.0)


@pytest.mark.parametrize("bad", [
    {"lr": -1}, {"lr": 0}, {"lr": 1e308}, {"batch_size": 0}, {"batch_size": 10**6},
    {"batch_size": 1}, {"seed": -5}, {"seed": 1000}, {"theta1_start": 1e9},
    {"lam": 11.0}, {"epochs": 10**6}, {"patience": -1}, {"lr": 10**400}, {"epochs": 10**400},
])
def test_set_refuses_out_of_range_values_instead_of_clamping(fresh, bad):
    (name, value), = bad.items()
    before = _state(fresh)
    with pytest.raises(ValueError, match=rf"^{name} = .* outside the range .* to .*; pass a value"):
        fresh.set(**bad)
    assert _state(fresh) == before


@pytest.mark.parametrize("bad", [
    {"lr": 1e308}, {"lr": -1}, {"lr": 0}, {"batch_size": 0}, {"batch_size": 10**6},
    {"seed": -5}, {"seed": 1000}, {"theta1_start": 1e9}, {"theta2_start": -1e9},
])
def test_factories_refuse_out_of_range_values_instead_of_clamping(bad):
    (name, _), = bad.items()
    with pytest.raises(ValueError, match=rf"^{name} = .* outside the range"):
        W.binary_explorer(**bad)
    if not name.startswith("theta"):
        with pytest.raises(ValueError, match=rf"^{name} = .* outside the range"):
            W.multinomial_explorer(**bad)


def test_publish_sweep_refuses_an_out_of_range_value():
    spec = importlib.util.spec_from_file_location(
        "publish_for_widgets", W.__file__.rsplit("course_utils", 1)[0] + "tools/publish.py")
    publish = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(publish)
    with pytest.raises(ValueError, match="lr = 1e\\+308 is outside the range 0.001 to 100"):
        publish.sweep_frames("lr", [1e308])


def test_boundary_widget_and_sigmoid_slider_refuse_instead_of_clamping():
    w = W.decision_boundary_widget(*lecture_points())
    s = W.sigmoid_slider()
    for widget, bad, err in ((w, {"theta0": 1e9}, ValueError), (w, {"theta2": "x"}, TypeError),
                             (w, {"theta1": float("inf")}, ValueError),
                             (s, {"z": 100}, ValueError), (s, {"z": "1"}, TypeError)):
        before = _state(widget)
        with pytest.raises(err, match=f"^{next(iter(bad))}"):
            widget.set(**bad)
        assert _state(widget) == before
    w.set(theta0=1.0)
    assert w.theta[0] == 1.0


@pytest.mark.parametrize("bad, err, match", [
    ({"method": "adam"}, ValueError, "method must be one of 'batch', 'sgd', 'minibatch'"),
    ({"method": 3}, TypeError, "method must be one of"),
    ({"lam": float("nan")}, ValueError, "lam must be a finite number"),
    ({"lam": "0.1"}, TypeError, "lam must be a number; got '0.1' .* e.g. lam=0.1"),
    ({"epochs": "200"}, TypeError, "epochs must be a whole number; got '200' .* epochs=200"),
    ({"theta2_start": "x"}, TypeError, "theta2_start must be a number"),
    ({"lr": True}, TypeError, "lr must be a number"),
])
def test_wrong_types_raise_our_errors_not_traitlets(fresh, bad, err, match):
    before = _state(fresh)
    for call in (lambda: fresh.set(**bad), lambda: W.binary_explorer(**bad)):
        with pytest.raises((ValueError, TypeError)) as info:
            call()
        assert type(info.value) is err, type(info.value)     # not a TraitError
        assert re.search(match, str(info.value)) and "not supported" not in str(info.value)
    assert _state(fresh) == before


def test_a_value_the_slider_does_not_offer_is_run_exactly_and_offered(fresh):
    fresh.set(epochs=150, lr=0.123)               # between slider values / log steps
    r = fresh.result
    assert (r.controls.epochs, r.controls.lr) == (150, 0.123)
    assert fresh.controls["lr"].value == 0.123 and r.epochs[-1] <= 150
    assert ("150", 150) in fresh.controls["epochs"].options
    for extra in (7, 11, 13):                     # at most MAX_EXTRA extras: 150 drops out
        fresh.set(epochs=extra)
    offered = [v for _, v in fresh.controls["epochs"].options]
    assert offered == sorted(set(W.EPOCH_OPTIONS) | {7, 11, 13}) and 150 not in offered
    fresh.set(epochs=11)                          # already offered: nothing drops out
    assert [v for _, v in fresh.controls["epochs"].options] == offered
    fresh.set(epochs=200, lr=1.0)


def test_factory_value_the_slider_does_not_offer_is_offered():
    e = W.binary_explorer(epochs=150, lam=0.05, method="minibatch", batch_size=4)
    assert not e.controls["batch_size"].disabled and e.result.controls.batch_size == 4
    assert ("150", 150) in e.controls["epochs"].options
    assert ("0.05", 0.05) in e.controls["lam"].options
    assert (e.result.controls.epochs, e.result.controls.lam) == (150, 0.05)


def test_unknown_factory_controls_are_refused():
    with pytest.raises(TypeError, match=r"unknown control\(s\) \['tol'\]"):
        W.binary_explorer(tol=1e-3)                # had been ignored without a word


def test_runs_of_more_than_100000_steps_are_refused_quickly(fresh, mx):
    import time
    t0 = time.perf_counter()
    for call in (lambda: W.compute_binary(epochs=50000, method="sgd"),
                 lambda: W.compute_multinomial(epochs=50000, method="sgd"),
                 lambda: W.compute_binary(epochs=200_000)):
        with pytest.raises(ValueError, match=r"100,000"):
            call()
    with pytest.raises(ValueError, match=r"1,500,000 optimisation steps.*epochs <= 3333"):
        W.compute_binary(epochs=50000, method="sgd")
    for e in (fresh, mx):
        before = _state(e)
        with pytest.raises(ValueError, match=r"at most 100,000 steps"):
            e.set(epochs=50000, method="sgd")
        assert _state(e) == before
    with pytest.raises(ValueError, match=r"at most 100,000 steps"):
        W.binary_explorer(epochs=4000, method="sgd")
    assert time.perf_counter() - t0 < 1.0
    c = E.BinaryControls(method="sgd", epochs=3333)
    assert c.check_steps(30) == 99_990
    with pytest.raises(ValueError, match="epochs <= 3333"):
        E.BinaryControls(method="sgd", epochs=3334).check_steps(30)
    assert E.BinaryControls(method="minibatch", batch_size=8, epochs=25_000).check_steps(30) \
        == 100_000


_VALID = st.one_of(
    st.fixed_dictionaries({"lr": st.floats(1e-3, 100.0)}),
    st.fixed_dictionaries({"lam": st.sampled_from(W.LAMBDA_OPTIONS + (0.05, 0.5, 2.0, 7.0))}),
    st.fixed_dictionaries({"epochs": st.sampled_from([5, 7, 10, 15, 20, 33, 50])}),
    st.fixed_dictionaries({"patience": st.sampled_from([0, 1, 4, 6, 9])}),
    st.fixed_dictionaries({"method": st.sampled_from(["batch", "sgd", "minibatch"])}),
    st.fixed_dictionaries({"batch_size": st.integers(2, 30), "seed": st.integers(0, 99)}),
    st.fixed_dictionaries({"theta1_start": st.floats(-6.0, 6.0)}),
)
_INVALID = st.sampled_from([
    {"epochs": 0}, {"epochs": 2.5}, {"epochs": "20"}, {"epochs": 10**6}, {"patience": -1},
    {"lam": -1}, {"lam": float("nan")}, {"lam": "0.1"}, {"lam": 11.0}, {"lr": float("nan")},
    {"lr": 0}, {"lr": -1}, {"lr": 1e308}, {"lr": "0.1"}, {"method": "adam"},
    {"batch_size": 0}, {"batch_size": 10**6}, {"seed": -5}, {"theta1_start": 1e9},
    {"theta2_start": "x"}, {"epochs": 50000, "method": "sgd"}, {"lr": 0.5, "epochs": 0},
    {"lam": 0.05, "seed": 1000}, {"learning_rate": 0.1},
])


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(calls=st.lists(st.tuples(st.booleans(), _VALID, _INVALID), min_size=1, max_size=6))
def test_refused_set_calls_leave_the_state_unchanged_property(fresh, calls):
    fresh.set(epochs=20, method="batch", lr=1.0)   # short runs: SGD stays under 1,000 steps
    for valid, good, bad in calls:
        before = _state(fresh)
        if valid:
            fresh.set(**good)
            for name, value in good.items():
                assert fresh.values[name] == value and getattr(fresh.result.controls, name) \
                    == value
            for name in ("lam", "epochs", "patience"):
                assert len(fresh.controls[name].options) <= len(
                    W.SLIDER_OPTIONS[name]) + W.MAX_EXTRA
        else:
            with pytest.raises((ValueError, TypeError)):
                fresh.set(**bad)
            assert _state(fresh) == before
    fresh.set(**{f: getattr(W.BinaryControls(), f) for f in W.BinaryExplorer._value_names})


def test_an_update_interrupted_midway_puts_every_control_back(fresh, monkeypatch):
    before = _state(fresh)
    real, calls = fresh._refresh, []

    def interrupted(*args, **kwargs):           # the first update is interrupted (Ctrl-C)
        calls.append(dict(fresh.values))
        if len(calls) == 1:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(fresh, "_refresh", interrupted)
    with pytest.raises(KeyboardInterrupt):
        fresh.set(lr=0.3, epochs=150)
    assert _state(fresh) == before and len(calls) == 2
    assert calls[0]["epochs"] == 150 and calls[1]["epochs"] == before[0]["epochs"]


def test_quiz_buttons_have_names_that_say_what_they_choose():
    """A button's accessible name is its text (ipywidgets has no aria-label): not a bare "2"."""
    from course_utils.quiz import exam_question_widget
    widget = exam_question_widget()
    names = [b.description for b in widget.buttons.values()]
    assert names == [f"Answer {k}" for k in widget.buttons], names
    assert all(b.tooltip == f"Choose answer {k}" for k, b in widget.buttons.items())
