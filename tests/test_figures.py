"""Static figures (course_utils.figures): files written, byte-stable, numbers behind them right."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

from course_utils import figures as F  # noqa: E402
from course_utils.functions import add_intercept  # noqa: E402
from course_utils.gradcheck import numerical_gradient, relative_error  # noqa: E402
from course_utils.losses import binary_cross_entropy_grad  # noqa: E402

STEMS = ("learning_rates", "lambda_path")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _build(directory):
    for make in F.FIGURES.values():
        plt.close(make(path=directory))
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def test_registry_names_the_two_figures():
    assert set(F.FIGURES) == set(STEMS)
    assert F.FIGURES["learning_rates"] is F.make_learning_rate_figure
    assert F.FIGURES["lambda_path"] is F.make_lambda_path_figure


def test_figures_are_written_and_byte_identical_across_builds(tmp_path):
    first = _build(tmp_path / "a")
    second = _build(tmp_path / "b")
    assert sorted(first) == sorted(f"{s}.{ext}" for s in STEMS for ext in ("png", "svg"))
    for name, data in first.items():
        assert len(data) > 10_000, name
        assert data == second[name], f"{name} differs between two builds"
    for stem in STEMS:
        assert first[f"{stem}.png"].startswith(b"\x89PNG")
        svg = first[f"{stem}.svg"].decode("utf-8")
        assert svg.lstrip().startswith("<?xml") and "<svg" in svg
        assert "<dc:date>" not in svg and "Matplotlib v" not in svg


def test_file_name_path_gets_png_and_svg_suffixes(tmp_path):
    F.make_learning_rate_figure(path=tmp_path / "deck" / "lr.pdf")
    assert sorted(p.name for p in (tmp_path / "deck").iterdir()) == ["lr.png", "lr.svg"]


def test_style_does_not_leak_into_callers_settings():
    before = dict(matplotlib.rcParams)
    F.make_lambda_path_figure(style="projector")
    after = dict(matplotlib.rcParams)
    assert {k for k in before if before[k] != after[k]} == set()


def test_projector_style_draws_bigger_text():
    small = F.make_learning_rate_figure()
    big = F.make_learning_rate_figure(style="projector")
    assert big.axes[0].title.get_fontsize() > small.axes[0].title.get_fontsize()
    assert big.get_size_inches()[0] > small.get_size_inches()[0]


def test_style_none_keeps_current_settings():
    with matplotlib.rc_context({"figure.figsize": (5.0, 2.0)}):
        fig = F.make_lambda_path_figure(style=None)
    np.testing.assert_allclose(fig.get_size_inches(), (8.0, 2.0))


# --------------------------------------------------------------------- the numbers behind

def test_one_weight_gradient_matches_finite_differences():
    for w in (-1.0, 0.3, 2.0):
        num = numerical_gradient(lambda v: float(F.one_weight_loss(v[0])), np.array([w]))
        assert relative_error(num, np.array([float(F.one_weight_grad(w))])) < 1e-7


def test_one_weight_minimum_is_a_stationary_point():
    w_star = F.one_weight_minimum()
    assert abs(float(F.one_weight_grad(w_star))) < 1e-12
    assert F.one_weight_loss(w_star) < F.one_weight_loss(w_star + 0.05)
    assert F.one_weight_loss(w_star) < F.one_weight_loss(w_star - 0.05)


def test_three_learning_rates_behave_as_their_titles_say():
    w_star = F.one_weight_minimum()
    small, right, large = (F.learning_rate_iterates(lr, -1.0, 20) for lr in F.LEARNING_RATES)
    # too small: still on its way, moving monotonically
    assert abs(small[-1] - w_star) > 0.1 and np.all(np.diff(small) > 0)
    # about right: at the minimum
    assert abs(right[-1] - w_star) < 1e-3
    # too large: never settles, jumps across the minimum at every late step
    late = large[-8:] - w_star
    assert np.all(np.abs(late) > 0.3)
    assert np.all(np.sign(late[1:]) != np.sign(late[:-1]))


def test_learning_rate_figure_shows_the_iterates():
    fig = F.make_learning_rate_figure(n_steps=7)
    top = fig.axes[:3]
    for ax, lr in zip(top, F.LEARNING_RATES):
        xs = ax.collections[0].get_offsets()[:, 0]
        np.testing.assert_allclose(xs, F.learning_rate_iterates(lr, -1.0, 7))


def test_lambda_path_solves_the_penalised_problem():
    X2, y = F.lambda_path_data()
    X = add_intercept(X2)
    lams = [1e-3, 0.1, 1.0]
    path = F.lambda_path(X, y, lams)
    for lam, theta in zip(lams, path):
        assert np.linalg.norm(binary_cross_entropy_grad(theta, X, y, lam)) < 1e-9
    # same optimum as scikit-learn through C = 1 / (2 lam m); its intercept is unpenalised too
    m = X.shape[0]
    for lam, theta in zip(lams, path):
        clf = LogisticRegression(C=1.0 / (2 * lam * m), tol=1e-12, max_iter=10_000)
        clf.fit(X2, y)
        np.testing.assert_allclose(theta, np.r_[clf.intercept_, clf.coef_[0]], atol=1e-5)


def test_lambda_path_shrinks_the_weights_but_not_the_intercept():
    X2, y = F.lambda_path_data()
    X = add_intercept(X2)
    lams = np.logspace(-4, 1, 11)
    path = F.lambda_path(X, y, lams)
    norms = np.linalg.norm(path[:, 1:], axis=1)
    assert np.all(np.diff(norms) < 0)
    # order of lams does not matter
    np.testing.assert_allclose(F.lambda_path(X, y, lams[::-1])[::-1], path, atol=1e-9)
    # the data are separable: weights at tiny lambda are large
    assert norms[0] > 10


def test_lambda_path_figure_draws_the_boundaries():
    fig = F.make_lambda_path_figure(boundary_lams=(0.01, 1.0))
    ax_path, ax_data = fig.axes[:2]
    assert ax_path.get_xscale() == "log"
    assert len(ax_data.get_lines()) == 2
    X2, y = F.lambda_path_data()
    theta = F.lambda_path(add_intercept(X2), y, [0.01])[0]
    line = ax_data.get_lines()[0]
    xs, ys = line.get_data()
    np.testing.assert_allclose(theta[0] + theta[1] * xs + theta[2] * ys, 0.0, atol=1e-6)


def test_line_data_and_lambda_path_data_are_fixed():
    x, y = F.line_data()
    assert x.shape == (10,) and set(y.tolist()) == {0, 1}
    X, y2 = F.lambda_path_data()
    X_again, _ = F.lambda_path_data()
    np.testing.assert_array_equal(X, X_again)
    assert X.shape == (40, 2) and int(y2.sum()) == 20


# --------------------------------------------------------------------- bad input

@pytest.mark.parametrize("make", [F.make_learning_rate_figure, F.make_lambda_path_figure])
def test_bad_style(make):
    with pytest.raises(ValueError, match="style"):
        make(style="poster")


def test_bad_lrs():
    with pytest.raises(ValueError, match="lrs"):
        F.make_learning_rate_figure(lrs=(0.1, 1.0))
    with pytest.raises(ValueError, match="lr"):
        F.learning_rate_iterates(0.0)
    with pytest.raises(ValueError, match="n_steps"):
        F.learning_rate_iterates(1.0, n_steps=-1)
    with pytest.raises(TypeError, match="w0"):
        F.learning_rate_iterates(1.0, w0="far")


def test_bad_lams():
    X2, y = F.lambda_path_data()
    with pytest.raises(ValueError, match="lams"):
        F.lambda_path(add_intercept(X2), y, [0.0, 1.0])
    with pytest.raises(ValueError, match="lams"):
        F.lambda_path(add_intercept(X2), y, [])
    with pytest.raises(ValueError, match="y"):
        F.lambda_path(add_intercept(X2), y[:-1], [1.0])
    with pytest.raises(ValueError, match="boundary_lams"):
        F.make_lambda_path_figure(boundary_lams=(0.1, 0.2, 0.3, 0.4, 0.5))


def test_bad_save_arguments(tmp_path):
    fig = plt.figure()
    with pytest.raises(TypeError, match="stem"):
        F.save_figure(fig, tmp_path, "")
    with pytest.raises(TypeError, match="path"):
        F.save_figure(fig, 3, "x")


def test_interactive_mode_turned_on_while_drawing_survives(monkeypatch):
    # IPython's inline backend is set up lazily by the first figure and switches
    # interactive mode on; restoring the caller's rcParams must not switch it off again
    # (the notebook's later figures would silently not be shown).
    real_figure = plt.figure

    def figure_like_a_fresh_kernel(*args, **kwargs):
        matplotlib.interactive(True)
        return real_figure(*args, **kwargs)

    monkeypatch.setattr(plt, "figure", figure_like_a_fresh_kernel)
    was = matplotlib.is_interactive()
    try:
        matplotlib.interactive(False)
        F.make_learning_rate_figure()
        assert matplotlib.is_interactive()
    finally:
        matplotlib.interactive(was)


@pytest.mark.parametrize("make", [F.make_learning_rate_figure, F.make_lambda_path_figure])
def test_ticks_do_not_depend_on_settings_at_drawing_time(make):
    # A build script may save the figure after the style context is gone.
    fig = make(style="projector")
    with F._style_context("projector"):
        inside = [list(ax.get_xticks()) + list(ax.get_yticks()) for ax in fig.axes]
    with matplotlib.rc_context({"xtick.labelsize": 6, "ytick.labelsize": 6}):
        outside = [list(ax.get_xticks()) + list(ax.get_yticks()) for ax in fig.axes]
    assert inside == outside
