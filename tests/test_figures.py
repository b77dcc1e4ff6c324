"""Static figures (course_utils.figures): files written, byte-stable, numbers behind them right."""

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_utils import figures as F
from course_utils.functions import add_intercept
from course_utils.plotting import style_context

STEMS = ("sigmoid", "lecture_boundary", "softmax_example", "learning_rates", "lambda_path")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _build(directory):
    for make in F.FIGURES.values():
        plt.close(make(path=directory))
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def test_registry_names_all_five_figures():
    assert tuple(F.FIGURES) == STEMS
    assert F.FIGURES["sigmoid"] is F.make_sigmoid_figure
    assert F.FIGURES["lecture_boundary"] is F.make_lecture_boundary_figure
    assert F.FIGURES["softmax_example"] is F.make_softmax_figure
    assert F.FIGURES["learning_rates"] is F.make_learning_rate_figure
    assert F.FIGURES["lambda_path"] is F.make_lambda_path_figure


def test_slide_figures_show_the_lecture_numbers():
    boundary = F.make_lecture_boundary_figure()
    assert boundary.axes[0].get_title() == "accuracy 11/16, precision 7/9, recall 7/10"
    softmax = F.make_softmax_figure()
    assert [t.get_text() for t in softmax.axes[1].texts] == ["0.5646", "0.1842", "0.1175",
                                                             "0.1338"]
    sigmoid = F.make_sigmoid_figure(style="notebook")
    assert "0.12" in sigmoid.axes[0].texts[0].get_text()


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


# --------------------------------------------------------------------- what the figures show
# (the numbers behind them: test_landscape.py)

def test_learning_rate_figure_shows_the_iterates():
    fig = F.make_learning_rate_figure(n_steps=7)
    top = fig.axes[:3]
    for ax, lr in zip(top, F.LEARNING_RATES):
        xs = ax.collections[0].get_offsets()[:, 0]
        np.testing.assert_allclose(xs, F.learning_rate_iterates(lr, -1.0, 7))


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


# --------------------------------------------------------------------- bad input

@pytest.mark.parametrize("make", list(F.FIGURES.values()))
def test_bad_style(make):
    with pytest.raises(ValueError, match="style"):
        make(style="poster")


def test_bad_lrs():
    with pytest.raises(ValueError, match="lrs"):
        F.make_learning_rate_figure(lrs=(0.1, 1.0))


def test_bad_lams():
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
    with style_context("projector"):
        inside = [list(ax.get_xticks()) + list(ax.get_yticks()) for ax in fig.axes]
    with matplotlib.rc_context({"xtick.labelsize": 6, "ytick.labelsize": 6}):
        outside = [list(ax.get_xticks()) + list(ax.get_yticks()) for ax in fig.axes]
    assert inside == outside
