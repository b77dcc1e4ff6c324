"""Notebook 08 (the capstone) beyond nbval.

nbval re-runs the stored notebook, which was executed with the real articles (CI points
COURSE_NEWS_ARCHIVE at the archive). Here:

* the no-data path: the notebook runs top to bottom offline with neither the archive nor
  scikit-learn's cache, says how to get the data, labels the synthetic corpus, and its
  progress widget ends in the state the ignored output would show;
* the stored outputs: real data, thresholds met, only a few short excerpts and no e-mail
  addresses from the archive, features never densified.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "08_news_classification.ipynb"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


def source(cell):
    s = cell["source"]
    return "".join(s) if isinstance(s, list) else s


def stream_text(cells):
    return "".join(
        "".join(o["text"]) if isinstance(o["text"], list) else o["text"]
        for c in cells if c["cell_type"] == "code"
        for o in c.get("outputs", []) if o["output_type"] == "stream")


@pytest.fixture(scope="module")
def stored():
    return json.loads(NOTEBOOK.read_text())


# --------------------------------------------------------------------------- stored notebook

def test_stored_outputs_come_from_the_real_articles_and_meet_the_thresholds(stored):
    out = stream_text(stored["cells"])
    assert "SYNTHETIC" not in out, "store the notebook executed with the real data"
    assert "Real news: 2243 articles (train)" in out
    acc = float(re.search(r"test accuracy (\d\.\d+) \(needs >= 0\.85: ✓\)\s+\[real articles\]",
                          out).group(1))
    assert acc >= 0.85
    ours, theirs = map(float, re.search(r"test accuracy\s+(\d\.\d+)\s+(\d\.\d+)", out).groups())
    assert ours == acc and abs(ours - theirs) <= 0.01 + 1e-12
    assert re.search(r"accuracy gap \d\.\d points \(allowed 1: ✓\)", out)


def test_stored_outputs_quote_little_of_the_archive(stored):
    out = stream_text(stored["cells"])
    assert not EMAIL.search(out), "no e-mail addresses in stored outputs"
    excerpts = re.findall(r'^  "(.*)"$', out, flags=re.M)
    assert 1 <= len(excerpts) <= 3
    assert all(len(e) <= 200 for e in excerpts)
    assert "Lang" in source(stored["cells"][0]), "the data set is cited"


def test_features_stay_sparse_and_only_the_progress_cell_is_ignored(stored):
    code = [c for c in stored["cells"] if c["cell_type"] == "code"]
    text = "\n".join(source(c) for c in code)
    for densify in (".toarray(", ".todense(", ".A\n", "np.asarray(X_train)"):
        assert densify not in text
    assert "fit_transform(texts_train)" in text and text.count("fit_transform") == 1
    ignored = [c for c in code if "nbval-ignore-output" in c["metadata"].get("tags", [])]
    assert len(ignored) == 1 and "TrainingProgress" in source(ignored[0])
    assert "(timing)" in text, "timings carry the sanitize marker"


def test_three_exercises_with_self_checks_and_hidden_solutions(stored):
    cells = stored["cells"]
    exercises = [i for i, c in enumerate(cells)
                 if c["cell_type"] == "markdown" and source(c).startswith("### Exercise")]
    assert len(exercises) == 3
    for i in exercises:
        following = cells[i + 1:i + 7]
        assert any(c["cell_type"] == "code" and source(c).startswith("answer = None")
                   for c in following)
        assert any("check_" in source(c) and "solution" not in c["metadata"].get("tags", [])
                   for c in following if c["cell_type"] == "code")
        solution = next(c for c in following if "solution" in c["metadata"].get("tags", []))
        assert solution["metadata"]["jupyter"]["source_hidden"] is True
        assert "assert check_" in source(solution)


# --------------------------------------------------------------------------- no data

@pytest.fixture(scope="module")
def offline_run(tmp_path_factory):
    """Execute the notebook offline with no archive and an empty scikit-learn data home."""
    from nbclient import NotebookClient

    home = tmp_path_factory.mktemp("home")
    patch = pytest.MonkeyPatch()
    patch.delenv("COURSE_NEWS_ARCHIVE", raising=False)
    patch.setenv("COURSE_NEWS_OFFLINE", "1")
    patch.setenv("HOME", str(home))
    patch.setenv("SCIKIT_LEARN_DATA", str(home / "scikit_learn_data"))
    try:
        nb = nbformat.read(NOTEBOOK, as_version=4)
        client = NotebookClient(nb, timeout=300, kernel_name="python3",
                                resources={"metadata": {"path": str(NOTEBOOK.parent)}})
        client.execute()
    finally:
        patch.undo()
    return nb, client.widget_state


def test_without_data_the_notebook_runs_on_the_labelled_synthetic_corpus(offline_run):
    nb, _ = offline_run
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert not errors
    out = stream_text(nb.cells)
    # the plain message: what happened and how to get the data
    assert "SYNTHETIC corpus" in out and "not real news" in out
    assert "set the environment variable COURSE_NEWS_ARCHIVE to the path of " \
           "20news-bydate.tar.gz" in out
    assert "downloads are switched off (COURSE_NEWS_OFFLINE=1)" in out
    assert "*** SYNTHETIC STAND-IN CORPUS: generated text, not real news. ***" in out
    # results are labelled and checked against the synthetic corpus's own bar
    assert re.search(r"test accuracy \d\.\d+ \(needs >= 0\.75: ✓\)\s+\[SYNTHETIC corpus\]", out)
    assert re.search(r"accuracy gap \d\.\d points \(allowed 3: ✓\)", out)
    assert "Real news" not in out


def test_the_progress_widget_ends_on_the_last_run(offline_run):
    _, widget_state = offline_run
    states = [entry.get("state", entry) for entry in widget_state.values()]
    labels = [s["value"] for s in states if s.get("_model_name") == "LabelModel"]
    bars = [s for s in states if s.get("_model_name") == "FloatProgressModel"]
    assert len(labels) == 1 and len(bars) == 1
    assert re.match(r"lr = 1, lam = 0\.03: \d+ epochs?, training loss J \d\.\d{4}, "
                    r"validation loss \d\.\d{4} \((early_stopped|max_steps|converged)\)",
                    labels[0])
    assert bars[0]["bar_style"] == "success" and bars[0]["max"] == 10.0
