"""Tests of course_utils.plotting: what each helper draws, and its input checks."""

import warnings

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_utils import plotting as cp
from course_utils.data import lecture_points, make_blobs
from course_utils.functions import add_intercept
from course_utils.optim import gradient_descent


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# --------------------------------------------------------------------------- style

def test_style_unchanged_contract():
    assert len(cp.COLORS) == len(cp.MARKERS) == 8
    assert cp.use_style("projector")["font.size"] >= 18
    cp.use_style()
    with pytest.raises(ValueError, match="mode"):
        cp.use_style("poster")


def test_style_files_ship_with_the_package_and_name_the_argument():
    for name in cp.STYLES:
        path = cp.style_path(name)
        assert path.is_file() and path.suffix == ".mplstyle"
    with pytest.raises(ValueError, match="name"):
        cp.style_path("poster")
    with pytest.raises(ValueError, match="name"):
        with cp.style_context("poster"):
            pass


# --------------------------------------------------------------------------- data

def test_plot_data_one_scatter_per_class_with_colour_and_marker():
    X, y = lecture_points()
    arts = cp.plot_data(X, y)
    assert len(arts) == 2
    for k, art in enumerate(arts):
        np.testing.assert_array_equal(art.get_offsets(), X[y == k])
        assert matplotlib.colors.same_color(art.get_facecolor()[0], cp.COLORS[k])
        assert art.get_label() == f"y = {k}"
    ax = arts[0].axes
    assert ax.get_legend() is not None
    assert ax.get_xlabel() == "$x_1$"


def test_plot_data_multiclass_hollow_and_labels():
    X, y = make_blobs(5, 3, rng=0)
    fig, ax = plt.subplots()
    arts = cp.plot_data(X, y, ax=ax, hollow=True, labels=["a", "b", "c"], legend=False)
    assert [a.get_label() for a in arts] == ["a", "b", "c"]
    assert arts[0].get_facecolor().size == 0 or arts[0].get_facecolor()[0][3] == 0
    assert ax.get_legend() is None
    # numbered from 1 as on the slides: the class with index 2 is "class 3"
    assert cp.plot_data(X, y, ax=ax)[2].get_label() == "class 3"


@pytest.mark.parametrize("kwargs, match", [
    ({"X": np.zeros((4, 3)), "y": [0, 1, 0, 1]}, "X"),
    ({"X": np.zeros((4, 2)), "y": [0, 1, 0]}, "y"),
    ({"X": np.zeros((4, 2)), "y": [0, 1, 0, 1], "labels": ["only one"]}, "labels"),
    ({"X": np.zeros((4, 2)), "y": [0, 1, 0, 1], "ax": "not an axes"}, "ax"),
])
def test_plot_data_bad_input_names_argument(kwargs, match):
    with pytest.raises((TypeError, ValueError), match=match):
        cp.plot_data(**kwargs)


# --------------------------------------------------------------------------- boundary

@pytest.mark.parametrize("theta", [(-1, 2, -3), (0.5, 0, 1), (0.5, 1, 0), (3, -1, -1e-9),
                                   (1e-300, 1e300, 1e300), (2, 1e-12, 1)])
def test_boundary_segment_lies_on_the_line_inside_the_box(theta):
    xlim, ylim = (-4.0, 4.0), (-3.0, 5.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        xs, ys = cp.boundary_segment(theta, xlim, ylim)
    assert xs.shape == ys.shape == (2,)
    t = np.asarray(theta, float) / np.max(np.abs(theta))
    np.testing.assert_allclose(t[0] + t[1] * xs + t[2] * ys, 0, atol=1e-9)
    assert np.all((xs >= xlim[0] - 1e-9) & (xs <= xlim[1] + 1e-9))
    assert np.all((ys >= ylim[0] - 1e-9) & (ys <= ylim[1] + 1e-9))
    assert np.hypot(*np.diff([xs, ys], axis=1).ravel()) > 0


@pytest.mark.parametrize("theta", [(1, 0, 0), (100, 1, 1), (np.nan, 1, 1), (0, np.inf, 1),
                                   (-4, 1, 0)])
def test_boundary_segment_empty_when_no_visible_line(theta):
    xs, ys = cp.boundary_segment(theta, (0, 1), (0, 1))
    assert xs.size == ys.size == 0


def test_boundary_segment_corner_touch_is_empty():
    # x1 + x2 = 0 touches the box [0, 1]^2 only at its corner
    assert cp.boundary_segment([0, 1, 1], (0, 1), (0, 1))[0].size == 0


def test_boundary_segment_bad_input():
    with pytest.raises(ValueError, match="theta"):
        cp.boundary_segment([1, 2], (0, 1), (0, 1))
    with pytest.raises(ValueError, match="xlim"):
        cp.boundary_segment([1, 2, 3], (1, 0), (0, 1))


def test_plot_decision_boundary_uses_axes_limits_and_updates():
    fig, ax = plt.subplots()
    ax.set_xlim(0, 4)
    ax.set_ylim(0, 3)
    line = cp.plot_decision_boundary([-1, 2, -3], ax=ax)
    assert ax.get_xlim() == (0, 4)
    np.testing.assert_allclose(line.get_xdata(), [0.5, 4.0])
    line.set_data(*cp.boundary_segment([-1, 1, 0], (0, 4), (0, 3)))
    np.testing.assert_allclose(line.get_xdata(), [1, 1])


def test_decision_region_grid_binary_and_multinomial():
    g = cp.decision_region_grid([0, 1, 0], (-1, 1), (-1, 1), resolution=5)
    assert g.shape == (5, 5)
    np.testing.assert_array_equal(g[0], [0, 0, 0, 1, 1])
    Theta = np.array([[0, 1, 0], [0, -1, 0], [0, 0, 1.0]])
    g = cp.decision_region_grid(Theta, (-2, 2), (-2, 2), resolution=9)
    # bottom-right corner: x1 = 2, x2 = -2 -> class 0; bottom-left -> class 1; top middle -> 2
    assert g[0, -1] == 0 and g[0, 0] == 1 and g[-1, 4] == 2
    with pytest.raises(ValueError, match="Theta"):
        cp.decision_region_grid(np.zeros((3, 4)), (-1, 1), (-1, 1))
    with pytest.raises(ValueError, match="resolution"):
        cp.decision_region_grid([0, 1, 0], (-1, 1), (-1, 1), resolution=1)


def test_plot_decision_regions_image():
    fig, ax = plt.subplots()
    ax.set_xlim(-2, 2)
    ax.set_ylim(-2, 2)
    img = cp.plot_decision_regions([0, 1, 0], ax=ax, resolution=10)
    assert img.get_array().shape == (10, 10)
    assert img.get_extent() == [-2, 2, -2, 2]
    assert img.get_clim() == (-0.5, 1.5)


# --------------------------------------------------------------------------- loss contours
# (the grid itself, course_utils.landscape.binary_loss_grid: test_landscape.py)

def test_plot_loss_contours_function_and_grid():
    f = lambda a, b: (a - 1) ** 2 + 2 * b ** 2  # noqa: E731
    c1 = cp.plot_loss_contours(f, extent=(-2, 2, -2, 2), resolution=21)
    c2 = cp.plot_loss_contours(f, extent=(-2, 2, -2, 2), resolution=21, vectorized=True,
                               filled=False, levels=[0.5, 1, 2])
    np.testing.assert_allclose(c1.grid[2], c2.grid[2])
    assert c2.filled is None and list(c2.lines.levels) == [0.5, 1, 2]
    c3 = cp.plot_loss_contours(c1.grid)
    assert c3.minimum.get_xdata()[0] == 1.0
    ax = c3.minimum.axes
    assert ax.get_xlim() == (-2, 2) and ax.get_xlabel() == r"$\theta_1$"


def test_plot_loss_contours_minimum_on_border_not_marked():
    c = cp.plot_loss_contours(lambda a, b: a + b, extent=(0, 1, 0, 1), resolution=5)
    assert len(c.minimum.get_xdata()) == 0


def test_plot_loss_contours_flat_surface_draws_no_lines():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        c = cp.plot_loss_contours(lambda a, b: 1.0, extent=(0, 1, 0, 1), resolution=4)
    assert c.lines is None and c.filled is not None


@pytest.mark.parametrize("loss, kwargs, err, match", [
    ("not a loss", {}, TypeError, "loss"),
    (lambda a, b: 0.0, {"vectorized": True}, ValueError, "vectorized"),
    (lambda a, b: 0.0, {"extent": (0, 0, 0, 1)}, ValueError, "extent"),
    ((np.zeros(3), np.zeros(2), np.zeros((3, 3))), {}, ValueError, "Z"),
])
def test_plot_loss_contours_bad_input(loss, kwargs, err, match):
    with pytest.raises(err, match=match):
        cp.plot_loss_contours(loss, **kwargs)


# --------------------------------------------------------------------------- runs

def test_trajectory_xy_and_plot_trajectory():
    T = np.array([[0, 0, 0], [0, 1, 1], [0, np.nan, 2], [0, 3, 4.0]])
    xs, ys = cp.trajectory_xy(T)
    np.testing.assert_array_equal(xs, [0, 1, 3])
    arts = cp.plot_trajectory(T, best_index=1)
    np.testing.assert_array_equal(arts.line.get_xdata(), [0, 1, 3])
    assert list(arts.start.get_xdata()) == [0] and list(arts.end.get_ydata()) == [4]
    assert list(arts.best.get_xdata()) == [1]
    arts = cp.plot_trajectory(T, best_index=2)   # a non-finite best point is not drawn
    assert len(arts.best.get_xdata()) == 0
    with pytest.raises(ValueError, match="params"):
        cp.trajectory_xy(T, params=(1, 5))
    with pytest.raises(ValueError, match="best_index"):
        cp.plot_trajectory(T, best_index=9)


def test_plot_trajectory_accepts_a_trajectory():
    A = add_intercept(make_blobs(10, 2, rng=0)[0])
    y = np.repeat([0, 1], 10)
    run = gradient_descent(A, y, lr=0.5, max_steps=7, X_val=A, y_val=y)
    arts = cp.plot_trajectory(run)
    assert len(arts.line.get_xdata()) == 8
    assert list(arts.best.get_xdata()) == [run.thetas[run.best_index, 1]]


@pytest.fixture(scope="module")
def early_run():
    from course_utils.widgets import default_binary_data
    d = default_binary_data()
    return gradient_descent(d.A_train, d.y_train, lr=1.0, max_steps=300, X_val=d.A_val,
                            y_val=d.y_val, patience=10)


def test_plot_loss_curves_marks_the_early_stopping_point(early_run):
    assert early_run.status == "early_stopped"
    arts = cp.plot_loss_curves(early_run)
    assert arts.best_line.get_xdata()[0] == early_run.best_step
    assert arts.best_marker.get_ydata()[0] == early_run.val_losses.min()
    assert arts.best_line.get_label() == "early stop"
    np.testing.assert_array_equal(arts.train.get_xdata(), early_run.steps)
    arts = cp.plot_loss_curves(early_run, x="examples", logy=True, show_best=False)
    assert len(arts.best_line.get_xdata()) == 0
    assert arts.train.axes.get_yscale() == "log"
    arts = cp.plot_loss_curves(early_run, x=early_run.steps / 2.0)
    assert arts.best_line.get_xdata()[0] == early_run.best_step / 2


def test_plot_loss_curves_without_validation_and_with_divergence():
    X = np.array([[1.0, -2.0], [1.0, -1.0], [1.0, 1.0], [1.0, 2.0]])
    run = gradient_descent(X, [0, 1, 0, 1], lr=1e5, lam=1.0, max_steps=50)
    assert run.status == "diverged"
    arts = cp.plot_loss_curves(run)
    assert len(arts.val.get_xdata()) == 0 and len(arts.best_line.get_xdata()) == 0
    y = arts.train.get_ydata()
    assert np.all(np.isfinite(y) | np.isnan(y))


def test_plot_loss_curves_bad_input(early_run):
    with pytest.raises(TypeError, match="trajectory"):
        cp.plot_loss_curves([0.5, 0.4])
    with pytest.raises(ValueError, match="x"):
        cp.plot_loss_curves(early_run, x="epochs")
    with pytest.raises(ValueError, match="x"):
        cp.plot_loss_curves(early_run, x=[1, 2, 3])


def test_finite_or_nan():
    np.testing.assert_array_equal(cp.finite_or_nan([1, np.inf, -np.inf]), [1, np.nan, np.nan])


# --------------------------------------------------------------------------- confusion

def test_plot_confusion_matrix_texts_and_colours():
    arts = cp.plot_confusion_matrix([[4, 2], [3, 7]], labels=["neg", "pos"],
                                    cell_names=[["TN", "FP"], ["FN", "TP"]])
    assert arts.texts[1][1].get_text() == "TP\n7"
    assert arts.texts[1][1].get_color() == "white" and arts.texts[0][1].get_color() == "black"
    ax = arts.image.axes
    assert [t.get_text() for t in ax.get_xticklabels()] == ["neg", "pos"]
    assert ax.get_ylabel() == "true class"
    assert cp.plot_confusion_matrix(np.zeros((3, 3))).image.get_clim() == (0, 1)


@pytest.mark.parametrize("kwargs, match", [
    ({"C": [[1, 2, 3], [4, 5, 6]]}, "C"),
    ({"C": [[1, -2], [3, 4]]}, "C"),
    ({"C": [[1, 2], [3, 4]], "labels": ["a"]}, "labels"),
    ({"C": [[1, 2], [3, 4]], "cell_names": [["a"]]}, "cell_names"),
])
def test_plot_confusion_matrix_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        cp.plot_confusion_matrix(**kwargs)


def test_helpers_never_show(monkeypatch):
    shown = []
    monkeypatch.setattr(plt, "show", lambda *a, **k: shown.append(1))
    X, y = lecture_points()
    cp.plot_data(X, y)
    cp.plot_decision_boundary([-1, 2, -3])
    cp.plot_confusion_matrix([[1, 0], [0, 1]])
    assert shown == []
