"""Tests of course_utils.text: top words, word evidence, snippets, the progress display."""

from __future__ import annotations

import gc
import html
import re
import sys

import numpy as np
import pytest
import scipy.sparse as sp

from course_utils import text
from course_utils.optim import gradient_descent
from course_utils.text import TrainingProgress, snippet, top_words, word_evidence

VOCAB = ["vote", "puck", "pixel", "doctor"]
# intercepts first, then one weight per word; rows: politics, sports, technology, health
THETA = np.array([
    [9.0, 2.0, -1.0, 0.0, 0.5],
    [-9.0, -1.0, 3.0, 0.2, 0.2],
    [0.0, 0.0, 0.0, 1.5, -2.0],
    [1.0, 0.1, 0.1, 0.1, 2.5],
])


# --------------------------------------------------------------------------- top_words

def test_top_words_orders_by_weight_and_skips_the_intercept():
    tops = top_words(THETA, VOCAB, k=2)
    assert tops[0] == [("vote", 2.0), ("doctor", 0.5)]      # the intercept 9.0 is not a word
    assert tops[1] == [("puck", 3.0), ("pixel", 0.2)]        # tie 0.2/0.2: vocabulary order
    assert [w for w, _ in tops[2]] == ["pixel", "vote"]      # 0.0 ties: first in vocabulary
    assert tops[3][0] == ("doctor", 2.5)


def test_top_words_k_larger_than_the_vocabulary_returns_every_word():
    tops = top_words(THETA, np.array(VOCAB), k=50)
    assert all(len(row) == len(VOCAB) for row in tops)
    assert sorted(w for w, _ in tops[0]) == sorted(VOCAB)


def test_top_words_matches_a_brute_force_ranking():
    rng = np.random.default_rng(0)
    Theta = rng.standard_normal((3, 41))
    vocab = [f"w{j}" for j in range(40)]
    tops = top_words(Theta, vocab, k=5)
    for c in range(3):
        expected = sorted(range(40), key=lambda j: -Theta[c, j + 1])[:5]
        assert [w for w, _ in tops[c]] == [vocab[j] for j in expected]
        assert [v for _, v in tops[c]] == pytest.approx(Theta[c, [j + 1 for j in expected]])


@pytest.mark.parametrize("kwargs, exc, name", [
    ({"Theta": [1.0, 2.0, 3.0]}, ValueError, "Theta"),
    ({"Theta": [["a", "b"]]}, TypeError, "Theta"),
    ({"vocabulary": VOCAB[:3]}, ValueError, "vocabulary"),
    ({"vocabulary": "vote puck pixel doctor"}, TypeError, "vocabulary"),
    ({"vocabulary": 4}, TypeError, "vocabulary"),
    ({"k": 0}, ValueError, "k must"),
    ({"k": 2.5}, TypeError, "k must"),
])
def test_top_words_bad_input_names_the_argument(kwargs, exc, name):
    args = {"Theta": THETA, "vocabulary": VOCAB, "k": 3, **kwargs}
    with pytest.raises(exc, match=name):
        top_words(**args)


# --------------------------------------------------------------------------- word_evidence

X_DOC = np.array([1.0, 0.6, 0.0, 0.3, 0.8])   # dummy, vote, (no puck), pixel, doctor


def test_word_evidence_for_one_class():
    ev = word_evidence(THETA, X_DOC, VOCAB, favour=3, k=5)
    assert [w for w, _ in ev] == ["doctor", "vote", "pixel"]   # absent 'puck' never listed
    assert [v for _, v in ev] == pytest.approx([2.0, 0.06, 0.03])


def test_word_evidence_against_keeps_only_positive_words_in_order():
    ev = word_evidence(THETA, X_DOC, VOCAB, favour=3, against=0, k=5)
    # doctor 0.8 * (2.5 - 0.5) = 1.6, pixel 0.3 * 0.1 = 0.03, vote 0.6 * (0.1 - 2) < 0
    assert [w for w, _ in ev] == ["doctor", "pixel"]
    assert [v for _, v in ev] == pytest.approx([1.6, 0.03])
    assert word_evidence(THETA, X_DOC, VOCAB, favour=3, against=0, k=1) == [ev[0]]


def test_word_evidence_adds_up_to_the_score_difference():
    rng = np.random.default_rng(1)
    Theta = rng.standard_normal((4, 31))
    x = np.r_[1.0, rng.random(30) * (rng.random(30) < 0.4)]
    vocab = [f"w{j}" for j in range(30)]
    pos = word_evidence(Theta, x, vocab, favour=2, against=1, k=30)
    neg = word_evidence(Theta, x, vocab, favour=1, against=2, k=30)
    total = sum(v for _, v in pos) - sum(v for _, v in neg)
    z = Theta @ x
    assert total + (Theta[2, 0] - Theta[1, 0]) == pytest.approx(z[2] - z[1])


def test_word_evidence_sparse_row_equals_dense_row():
    row = sp.csr_matrix(X_DOC.reshape(1, -1))
    assert word_evidence(THETA, row, VOCAB, favour=0, against=2) == \
        word_evidence(THETA, X_DOC, VOCAB, favour=0, against=2)
    assert word_evidence(THETA, X_DOC.reshape(1, -1), VOCAB, favour=0) == \
        word_evidence(THETA, X_DOC, VOCAB, favour=0)


@pytest.mark.parametrize("kwargs, exc, name", [
    ({"x": X_DOC[1:]}, ValueError, "x must"),
    ({"x": sp.csr_matrix(X_DOC[1:].reshape(1, -1))}, ValueError, "x must"),
    ({"x": np.ones((2, 5))}, ValueError, "x must"),
    ({"x": "doctor"}, TypeError, "x must"),
    ({"favour": 4}, ValueError, "favour"),
    ({"favour": -1}, ValueError, "favour"),
    ({"favour": 1.0}, TypeError, "favour"),
    ({"against": 7}, ValueError, "against"),
    ({"k": 0}, ValueError, "k must"),
    ({"vocabulary": VOCAB + ["extra"]}, ValueError, "vocabulary"),
])
def test_word_evidence_bad_input_names_the_argument(kwargs, exc, name):
    args = {"Theta": THETA, "x": X_DOC, "vocabulary": VOCAB, "favour": 0, **kwargs}
    with pytest.raises(exc, match=name):
        word_evidence(**args)


# --------------------------------------------------------------------------- snippet

def test_snippet_collapses_whitespace_and_keeps_short_texts():
    assert snippet("  Stanley\n\n Cup\tfinal  ") == "Stanley Cup final"


def test_snippet_cuts_at_a_word_boundary_within_the_limit():
    long = " ".join(["hockey"] * 100)
    out = snippet(long, max_chars=50)
    assert len(out) <= 50 and out.endswith(" …")
    assert set(out[:-2].split()) == {"hockey"}


def test_snippet_without_spaces_still_respects_the_limit():
    out = snippet("x" * 500, max_chars=20)
    assert len(out) <= 20 and out.endswith("…")


def test_snippet_hides_email_addresses_unless_asked_not_to():
    post = "From: jane.doe@med.example.edu (Jane)\nwrites about MSG."
    assert "@" not in snippet(post)
    assert snippet(post).startswith("From: <e-mail> (Jane)")
    assert "jane.doe@med.example.edu" in snippet(post, hide_emails=False)


@pytest.mark.parametrize("kwargs, exc, name", [
    ({"text": None}, TypeError, "text must"),
    ({"text": ["a", "b"]}, TypeError, "text must"),
    ({"max_chars": 5}, ValueError, "max_chars"),
    ({"max_chars": "200"}, TypeError, "max_chars"),
    ({"hide_emails": 1}, TypeError, "hide_emails"),
])
def test_snippet_bad_input_names_the_argument(kwargs, exc, name):
    args = {"text": "some words", **kwargs}
    with pytest.raises(exc, match=name):
        snippet(**args)


# --------------------------------------------------------------------------- progress

def toy_problem():
    rng = np.random.default_rng(0)
    X = np.c_[np.ones(60), rng.standard_normal((60, 2))]
    y = (X[:, 1] + X[:, 2] > 0).astype(int) + (X[:, 1] > 1)
    return X, y


def test_outside_a_kernel_progress_prints_one_line_per_run_without_timings(capsys):
    assert not text._in_kernel()
    X, y = toy_problem()
    progress = TrainingProgress(5)
    assert progress.widget is None          # automatic: no kernel, no widget
    for lr in (0.5, 1.0):
        progress.start(f"lr = {lr}")
        run = gradient_descent(X, y, method="minibatch", n_classes=3, lr=lr, batch_size=20,
                               max_epochs=5, X_val=X[:20], y_val=y[:20], rng=0,
                               callback=progress)
        assert capsys.readouterr().out == ""   # silent while training
        progress.done(run)
        line = capsys.readouterr().out
        assert line.count("\n") == 1
        assert line.startswith(f"lr = {lr}: 5 epochs, training loss J {run.losses[-1]:.4f}, "
                               f"validation loss {run.val_losses[-1]:.4f} ({run.status})")
        assert not re.search(r"\d s\b", line), "no timings in printed output"
    assert [r["description"] for r in progress.runs] == ["lr = 0.5", "lr = 1.0"]
    assert all(r["epochs"] == 5.0 and r["seconds"] >= 0 for r in progress.runs)


def test_progress_line_without_validation_and_before_any_record(capsys):
    progress = TrainingProgress(3, description="empty", widget=False)
    progress.done()
    assert capsys.readouterr().out == "empty: no record yet\n"
    progress.start("batch")
    progress({"step": 3, "epoch": 1.0, "loss": 0.5, "val_loss": None, "grad_norm": 0.1})
    progress.done()
    assert capsys.readouterr().out == "batch: 1 epoch, training loss J 0.5000\n"


def shown(html_widget):
    """The text a person reads in one of tqdm's HTML labels (it writes figure spaces)."""
    return html.unescape(html_widget.value).replace("\u2007", " ")


def test_widget_follows_the_run_and_marks_divergence():
    pytest.importorskip("ipywidgets")
    X, y = toy_problem()
    progress = TrainingProgress(4, description="fine", widget=True)
    left, bar, right = progress.widget.children          # tqdm's widget
    assert bar.max == 4.0 and bar.value == 0.0 and shown(left) == "fine: starting"
    assert shown(right).startswith("0/4 epochs [")
    run = gradient_descent(X, y, method="minibatch", n_classes=3, lr=0.5, batch_size=30,
                           max_epochs=4, rng=0, callback=progress)
    assert bar.value == 4.0 and shown(right).startswith("4/4 epochs [")
    assert shown(left) == f"fine: 4 epochs, training loss J {run.losses[-1]:.4f}"
    progress.done(run)
    assert bar.bar_style == "success" and shown(left).endswith("(max_steps)")
    progress.start("too fast")
    assert bar.value == 0.0 and bar.bar_style == "" and shown(left) == "too fast: starting"
    run = gradient_descent(X, y, method="batch", n_classes=3, lr=100.0, max_steps=50,
                           max_norm=1.0, callback=progress)
    assert run.status == "diverged"
    progress.done(run)
    assert bar.bar_style == "danger" and shown(left).endswith("(diverged)")


def test_a_run_that_stopped_early_stays_a_success_after_the_progress_is_gone():
    pytest.importorskip("ipywidgets")
    X, y = toy_problem()
    progress = TrainingProgress(50, description="patient", widget=True)
    bar = progress.widget.children[1]
    run = gradient_descent(X, y, method="minibatch", n_classes=3, lr=5.0, batch_size=20,
                           max_epochs=50, X_val=X[:20], y_val=y[:20], patience=1, rng=0,
                           callback=progress)
    progress.done(run)
    assert run.status == "early_stopped" and bar.value < bar.max
    del progress
    gc.collect()                                          # tqdm closes a bar it collects
    assert bar.bar_style == "success"


def in_a_kernel(monkeypatch):
    """What a Jupyter kernel changes for TrainingProgress: _in_kernel() is true and
    tqdm.auto picks tqdm's widget. Returns the list of objects displayed."""
    pytest.importorskip("ipywidgets")
    import IPython.display
    import tqdm.auto
    import tqdm.notebook

    shown_objects = []
    monkeypatch.setattr(text, "_in_kernel", lambda: True)
    monkeypatch.setattr(tqdm.auto, "tqdm", tqdm.notebook.tqdm)
    monkeypatch.setattr(IPython.display, "display", lambda obj: shown_objects.append(obj))
    return shown_objects


def test_in_a_kernel_the_widget_is_displayed_and_nothing_is_printed(monkeypatch, capsys):
    shown_objects = in_a_kernel(monkeypatch)
    X, y = toy_problem()
    progress = TrainingProgress(2)
    assert shown_objects == [progress.widget] and progress.widget is not None
    run = gradient_descent(X, y, method="sgd", n_classes=3, lr=0.1, max_epochs=2, rng=0,
                           callback=progress)
    progress.done(run)
    assert shown(progress.widget.children[0]).startswith("training: 2 epochs, training loss J")
    assert capsys.readouterr() == ("", "")               # no text bar, no timing, nowhere


def test_where_tqdm_auto_picks_its_text_bar_the_line_is_printed(monkeypatch, capsys):
    # a Qt console runs a kernel but cannot show widgets: tqdm.auto then picks its text
    # bar, which prints timings; the progress prints its summary line instead
    pytest.importorskip("ipywidgets")
    import tqdm.auto
    import tqdm.notebook

    monkeypatch.setattr(text, "_in_kernel", lambda: True)
    assert not issubclass(tqdm.auto.tqdm, tqdm.notebook.tqdm)   # no kernel here
    progress = TrainingProgress(2, description="console")
    assert progress.widget is None
    progress.done()
    assert capsys.readouterr() == ("console: no record yet\n", "")


def test_without_ipywidgets_automatic_mode_falls_back_to_text(monkeypatch, capsys):
    monkeypatch.setattr(text, "_in_kernel", lambda: True)
    monkeypatch.setitem(sys.modules, "ipywidgets", None)   # import fails
    progress = TrainingProgress(2, description="plain")
    assert progress.widget is None
    progress.done()
    assert capsys.readouterr().out == "plain: no record yet\n"
    with pytest.raises(ImportError, match="widget=True needs ipywidgets"):
        TrainingProgress(2, widget=True)


@pytest.mark.parametrize("kwargs, exc, name", [
    ({"max_epochs": 0}, ValueError, "max_epochs"),
    ({"max_epochs": 2.5}, TypeError, "max_epochs"),
    ({"widget": "yes"}, TypeError, "widget must"),
    ({"description": 3}, TypeError, "description"),
])
def test_progress_bad_construction_names_the_argument(kwargs, exc, name):
    args = {"max_epochs": 3, "widget": False, **kwargs}
    with pytest.raises(exc, match=name):
        TrainingProgress(**args)


def test_progress_bad_calls_name_the_argument():
    progress = TrainingProgress(3, widget=False)
    with pytest.raises(TypeError, match="record must"):
        progress(0.5)
    with pytest.raises(TypeError, match="record must"):
        progress({"step": 1})
    with pytest.raises(TypeError, match="trajectory must"):
        progress.done(trajectory=[1, 2, 3])
    with pytest.raises(TypeError, match="description must"):
        progress.start(None)
