"""Notebooks 04 (gradient descent) and 05 (regularization, early stopping): content checks.

nbval re-runs the notebooks and compares their outputs; these tests check, on the stored
notebooks, that the lecture's content is there and asserted: the SGD quiz numbers, the
slide's loops, the pitfall, the stopping rules, the static figures, the explorers, and an
exercise with a self-check and a hidden worked solution for each topic.
"""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NB04 = ROOT / "notebooks" / "04_gradient_descent.ipynb"
NB05 = ROOT / "notebooks" / "05_regularization_and_early_stopping.ipynb"


def cells(path):
    return json.loads(path.read_text())["cells"]


def src(cell):
    s = cell["source"]
    return "".join(s) if isinstance(s, list) else s


def out_text(cell):
    parts = []
    for o in cell.get("outputs", []):
        if o["output_type"] == "stream":
            parts.append("".join(o["text"]) if isinstance(o["text"], list) else o["text"])
    return "".join(parts)


def code_with(path, needle):
    found = [c for c in cells(path) if c["cell_type"] == "code" and needle in src(c)]
    assert found, f"no code cell of {path.name} contains {needle!r}"
    return found


def headings(path):
    return [line for c in cells(path) if c["cell_type"] == "markdown"
            for line in src(c).splitlines() if line.startswith("#")]


@pytest.mark.parametrize("path, topics", [
    (NB04, ["one dimension", "learning rate", "two parameters", "batch gradient descent",
            "simultaneous", "stochastic", "minibatch", "stop", "compared", "explorer"]),
    (NB05, ["zero", "l2", "weights and to the boundary", "intercept", "validation", "patience",
            "explorer"]),
])
def test_sections_follow_the_lecture(path, topics):
    heads = [h.lower() for h in headings(path) if h.startswith("## ")]
    positions = []
    for topic in topics:
        hits = [i for i, h in enumerate(heads) if topic in h]
        assert hits, f"{path.name}: no section about {topic!r} in {heads}"
        positions.append(hits[0])
    assert positions == sorted(positions), f"{path.name}: sections out of lecture order"
    assert heads[-1] == "## summary"


def test_sgd_quiz_is_asserted_with_the_slide_numbers():
    (cell,) = code_with(NB04, "expect(\"gradient\"")
    assert re.search(r'expect\("gradient", gradient, \(-0\.39, -0\.32\), decimals=2\)', src(cell))
    assert re.search(r'expect\("theta after one step", theta_new, \(0\.0439, 0\.5032\), decimals=4\)',
                     src(cell))
    text = out_text(cell)
    assert "gradient = (-0.39, -0.32)   (slide: (-0.39, -0.32)) ✓" in text
    assert "theta after one step = (0.0439, 0.5032)   (slide: (0.0439, 0.5032)) ✓" in text


def test_slide_loops_are_written_out_and_match_the_library():
    (cell,) = code_with(NB04, "for k in range(d):")
    body = src(cell)
    assert body.count("for k in range(d):") == 2  # gradient first, then the update
    assert "batch_gradient_descent(" in body and "assert np.allclose(theta, run_batch.theta" in body


def test_pitfall_runs_both_updates_and_measures_the_angle():
    cell = code_with(NB04, 'update="sequential"')[0]
    body = src(cell)
    assert "assert angles_right.max() < 0.01 and angles_wrong.max() > 5" in body
    assert "largest angle to -grad J: simultaneous 0.00 degrees" in out_text(cell)


def test_stopping_rules_are_asserted():
    cell = code_with(NB04, "tol=1e-3")[0]
    assert 'assert stopped.status == "converged"' in src(cell)
    assert out_text(cell).startswith("converged - Converged after")
    cell = code_with(NB05, "patience=5, **settings")[0]
    assert 'stopped_run.status == "early_stopped"' in src(cell)
    assert "theta restored to step 90" in out_text(cell)


def test_early_stopping_is_evaluated_once_on_the_test_set():
    cell = code_with(NB05, "def report(")[0]
    assert "assert loss_early < loss_full" in src(cell)
    lines = out_text(cell).splitlines()
    assert lines[0].startswith("early stopping (step 90):") and lines[1].startswith("all 1500 steps:")
    early, full = (float(re.search(r"test loss (\d\.\d+)", line).group(1)) for line in lines[:2])
    assert early < full


def test_split_is_80_10_10():
    cell = code_with(NB05, "train_val_test_split(")[0]
    text = out_text(cell)
    for part in ("training  : 320 examples (80%)", "validation:  40 examples (10%)",
                 "test      :  40 examples (10%)"):
        assert part in text


@pytest.mark.parametrize("path, figure", [(NB04, "make_learning_rate_figure(style=STYLE)"),
                                          (NB05, "make_lambda_path_figure(style=STYLE)")])
def test_static_figure_is_shown_and_described(path, figure):
    nb = cells(path)
    index = next(i for i, c in enumerate(nb) if c["cell_type"] == "code" and figure in src(c))
    assert any("image/png" in o.get("data", {}) for o in nb[index]["outputs"])
    assert src(nb[index + 1]).startswith("*Figure:*")


@pytest.mark.parametrize("path", [NB04, NB05])
def test_explorer_cell_is_ignored_by_nbval_and_checked_elsewhere(path):
    nb = cells(path)
    index = next(i for i, c in enumerate(nb)
                 if c["cell_type"] == "code" and "binary_explorer(" in src(c) and "import" not in src(c))
    assert "nbval-ignore-output" in nb[index]["metadata"].get("tags", [])
    checks = [c for c in nb[index + 1:] if c["cell_type"] == "code" and "compute_binary(" in src(c)]
    assert checks and "assert " in src(checks[0])
    before = [src(c) for c in nb[max(0, index - 2):index] if c["cell_type"] == "markdown"]
    assert any("RISE" in s and "make present" in s for s in before)


def test_explorer_in_05_has_the_lambda_and_patience_controls():
    (cell,) = [c for c in code_with(NB05, "binary_explorer(") if "import" not in src(c)]
    assert "lam=" in src(cell) and "patience=" in src(cell)


@pytest.mark.parametrize("path, minimum", [(NB04, 3), (NB05, 2)])
def test_exercises_self_check_and_hide_a_worked_solution(path, minimum):
    nb = cells(path)
    exercises = [i for i, c in enumerate(nb)
                 if c["cell_type"] == "markdown" and re.match(r"### Exercise \d", src(c))]
    assert len(exercises) >= minimum
    for i in exercises:
        following = nb[i + 1:i + 6]
        answer, check = following[0], following[1]
        assert "= None" in src(answer) and "your" in src(answer)
        assert "check_answer(" in src(check) or "check_choice(" in src(check)
        solution = next(c for c in following if "solution" in c["metadata"].get("tags", []))
        assert solution["metadata"]["jupyter"]["source_hidden"] is True
        assert "check_answer(" in src(solution) or "check_choice(" in src(solution)
        assert out_text(solution).rstrip().splitlines()[-1].startswith("Correct")
