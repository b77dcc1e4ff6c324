"""Graded work through nbgrader: the editions (``make student``) and the grader (``make grade``).

Generation is cheap (nbgrader only rewrites notebooks), so the edition tests cover every
course notebook: no solution or hidden test leaks into the student edition, the stubs,
hints and public checks stay, and a rebuild gives the same bytes. Grading runs each
notebook in a kernel, so it is tested on two notebooks (02 and 03), every submission
graded at once (two nbgrader runs side by side): the student edition scores 0, the solved
edition full marks, and the planted submissions of ``fixtures/grading/`` exactly the
scores of ``fixtures/grading/expected_scores.csv``.
"""

from __future__ import annotations

import ast
import csv
import hashlib
import shutil
import sys
import time
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tools.grading import build, grade, hidden_tests, layout  # noqa: E402
from conftest import load_script

FIXTURES = Path(__file__).parent / "fixtures" / "grading"
NB03 = "03_cross_entropy_derivation.ipynb"
NB02 = "02_decision_boundaries_and_metrics.ipynb"
GRADED = [NB02, NB03]
# Per-cell limit while testing: the slowest cell of notebooks 02 and 03 took 0.9 s when
# graded (3 s with both cores busy); the planted infinite loop costs exactly this long.
TIMEOUT = 5


PLANTS = load_script(FIXTURES.relative_to(ROOT) / "plants.py").PLANTS


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Both editions of every course notebook, built once into a temporary folder."""
    top = tmp_path_factory.mktemp("grading")
    snapshot = top / "notebooks"            # the course as it is now, read once
    snapshot.mkdir()
    for path in build.course_notebooks():
        (snapshot / path.name).write_bytes(path.read_bytes())
    student, solved = build.build_editions(build.course_notebooks(snapshot),
                                           dist=top / "dist", course=top / "course")
    return top, student, solved


def _code_lines(text):
    return {ln.strip() for ln in text.splitlines() if ln.strip()}


# ------------------------------------------------------------------------ the editions
def test_no_line_of_a_solution_or_hidden_test_reaches_the_student_edition(built):
    top, student, _ = built
    hidden_lines = set().union(*(_code_lines(t.cell_code())
                                 for tests in hidden_tests.HIDDEN.values() for t in tests))
    assert hidden_lines, "no hidden test was found"
    for path in build.course_notebooks(top / "notebooks"):
        course = nbformat.read(path, as_version=4)
        secret, public = set(), set()
        for cell in course.cells:
            is_solution = layout.SOLUTION_TAG in layout.tags(cell)
            (secret if is_solution else public).update(_code_lines(cell.source))
        edition = nbformat.read(student / path.name, as_version=4)
        shown = set().union(*(_code_lines(c.source) for c in edition.cells))
        # a line the course shows anyway (a stub's def line, a closing bracket) may repeat
        leaked = sorted((secret | hidden_lines) & shown - public)
        assert not leaked, f"{path.name}: the student edition shows {leaked[:5]}"
        assert any(layout.SOLUTION_TAG in layout.tags(c) for c in course.cells)


def test_student_edition_keeps_stubs_hints_checks_and_drops_solutions_and_outputs(built):
    top, student, _ = built
    for path in build.course_notebooks(top / "notebooks"):
        course = nbformat.read(path, as_version=4)
        edition = nbformat.read(student / path.name, as_version=4)
        kept = [c.source for c in edition.cells]
        for cell in course.cells:
            tags = layout.tags(cell)
            if layout.SOLUTION_TAG in tags:
                assert cell.source not in kept, f"{path.name}: a solution cell is in the edition"
            elif (cell.cell_type == "markdown"
                  and cell.source.lstrip().startswith(layout.ANNOUNCEMENT)):
                assert cell.source not in kept, f"{path.name}: '{cell.source[:30]}' is still there"
            else:                # stubs, check cells, hints and everything else stay, in order
                assert cell.source in kept, f"{path.name}: lost the cell {cell.source[:60]!r}"
        assert not any("HIDDEN TESTS" in c.source for c in edition.cells)
        outputs = [c.outputs for c in edition.cells if c.cell_type == "code" and c.outputs]
        assert not outputs, f"{path.name}: stored outputs in the student edition"
        checks = [c for c in edition.cells if layout.CHECK_TAG in layout.tags(c)]
        assert len(checks) == len(layout.find_exercises(course, path.name))


def test_every_function_exercise_has_hidden_tests(built):
    from course_utils.exercises import EXERCISES
    top, _, _ = built
    manifest = build.read_manifest(top / "course")
    found = [ex for entry in manifest.values() for ex in entry["exercises"]]
    functions = [ex for ex in found if EXERCISES[ex] in ("function", "training")]
    assert len(functions) >= 9
    assert [ex for ex in functions if not hidden_tests.HIDDEN.get(ex)] == []
    assert set(hidden_tests.HIDDEN) <= set(found), "a hidden test for an exercise no notebook has"
    # a hidden test takes the names the check passes (the answer), so a renamed answer shows
    for path in build.course_notebooks(top / "notebooks"):
        for ex in layout.find_exercises(nbformat.read(path, as_version=4), path.name):
            names = {n.id for n in ast.walk(ast.parse(ex.check_source)) if isinstance(n, ast.Name)}
            for test in hidden_tests.HIDDEN.get(ex.id, []):
                assert set(test.params) <= names, (ex.id, test.name, test.params, names)


def test_editions_are_identical_on_rebuild(built, tmp_path):
    top, student, solved = built
    again_student, again_solved = build.build_editions(
        [top / "notebooks" / n for n in GRADED], dist=tmp_path / "dist", course=tmp_path / "course")
    for name in GRADED:
        assert (again_student / name).read_bytes() == (student / name).read_bytes(), name
        assert (again_solved / name).read_bytes() == (solved / name).read_bytes(), name


# ------------------------------------------------------------------------ grading
def _planted(solved, notebook, answers, target):
    """The solved notebook with some answers replaced, written into the folder target."""
    nb = nbformat.read(solved / notebook, as_version=4)
    by_id = {c.get("id"): c for c in nb.cells}
    for ex_id, (_, code) in answers.items():
        by_id[f"solved-{layout.grade_id(ex_id, 'answer')}"].source = code
    target.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target / notebook)


def _digest(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def graded(built, tmp_path_factory):
    """Every submission graded at once: student, solved and the planted ones."""
    top, student, solved = built
    base = tmp_path_factory.mktemp("submissions")
    folders = {}
    for name, edition in (("student", student), ("solved", solved)):
        folders[name] = base / name
        folders[name].mkdir()
        for nb in GRADED:
            (folders[name] / nb).write_bytes((edition / nb).read_bytes())
    for name, notebooks in PLANTS.items():
        folders[name] = base / name
        for nb, answers in notebooks.items():
            _planted(solved, nb, answers, folders[name])
    before = {name: _digest(folder) for name, folder in folders.items()}
    messages = []
    results = grade.grade(list(folders.values()), timeout=TIMEOUT, course=top / "course",
                          work=top / "autograde", echo=messages.append)
    return top, folders, dict(zip(folders, results)), before, messages


def _table(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def _log(top):
    """nbgrader's log of the shared grading, for the message of a failed assertion."""
    path = top / "autograde" / "autograde.log"
    return path.read_text()[-4000:] if path.exists() else "(no autograde.log)"


def _left_out(top, folders, submission, notebook):
    """The cells of a graded notebook that were left out, as (error name, source)."""
    sid = f"s{list(folders).index(submission):03d}-{notebook[:-6]}"
    cells = nbformat.read(top / "autograde" / "autograded" / sid / build.ASSIGNMENT / notebook,
                          as_version=4).cells
    return [(o["ename"], c.source) for c in cells for o in c.get("outputs", [])
            if o.get("ename") in ("KernelDied", "CellWouldNotStop")]


def test_student_edition_scores_zero_and_solved_edition_full_marks(graded):
    top, folders, results, _, _ = graded
    for name, expect_full in (("student", False), ("solved", True)):
        rows = _table(folders[name] / "grades.csv")
        assert [r["notebook"] for r in rows] == GRADED
        for row in rows:
            assert float(row["possible"]) > 0
            want = row["possible"] if expect_full else "0"
            assert row["total"] == want, f"{name}, {row['notebook']}: {row['total']}"
        assert results[name].problems == [], _log(top)
    # the student edition's public checks run and answer "not answered yet", no error
    for nb in GRADED:
        path = top / "autograde" / "autograded" / f"s000-{nb[:-6]}" / build.ASSIGNMENT / nb
        checks = [c for c in nbformat.read(path, as_version=4).cells
                  if layout.CHECK_TAG in layout.tags(c)]
        assert checks
        for cell in checks:
            shown = "".join(o.get("data", {}).get("text/plain", "") for o in cell.outputs)
            assert shown.startswith("Not answered yet"), (nb, cell.source, cell.outputs)


def test_planted_submissions_score_exactly_the_committed_table(graded):
    _, folders, results, _, _ = graded
    expected = _table(FIXTURES / "expected_scores.csv")
    assert {r["submission"] for r in expected} == set(PLANTS)
    for name in PLANTS:
        rows = {r["notebook"]: r for r in _table(folders[name] / "grades.csv")}
        mine = [r for r in expected if r["submission"] == name]
        for want in mine:
            got = rows[want["notebook"]]
            assert got[want["exercise"]] == want["score"], (name, want)
        for nb, row in rows.items():       # every exercise of the notebook is in the table
            listed = {r["exercise"]: r["score"] for r in mine if r["notebook"] == nb}
            assert set(listed) == set(results[name].rows[nb]), (name, nb)
            total = sum(float(s) for s in listed.values())
            assert float(row["total"]) == total, (name, nb)


def test_a_cell_that_kills_the_kernel_costs_only_what_it_touches(graded):
    top, folders, results, _, messages = graded
    rows = {r["notebook"]: r for r in _table(folders["wrong-b"] / "grades.csv")}
    assert rows[NB02]["02.baseline_accuracy"] == "0"
    assert rows[NB02]["02.negative_scores"] == "1", "the cells after the crash were not graded"
    assert results["wrong-b"].problems == [], _log(top)
    assert not any("warning" in m for m in messages), messages
    assert _left_out(top, folders, "wrong-b", NB02) == [("KernelDied", "import os\nos._exit(1)")]


def test_a_cell_that_ignores_the_interrupt_costs_only_what_it_touches(graded):
    """nbclient gives up on a cell still busy after its interrupt; nbgrader alone would
    then score the whole notebook 0."""
    top, folders, results, _, _ = graded
    rows = {r["notebook"]: r for r in _table(folders["wrong-a"] / "grades.csv")}
    assert rows[NB03]["03.convexity"] == "0"
    assert rows[NB03]["binary_loss"] == "1", "the cells after the deaf loop were not graded"
    assert results["wrong-a"].problems == [], _log(top)
    deaf = PLANTS["wrong-a"][NB03]["03.convexity"][1]
    assert _left_out(top, folders, "wrong-a", NB03) == [("CellWouldNotStop", deaf)]


def test_a_notebook_nbgrader_gives_up_on_costs_that_notebook_only(built, tmp_path):
    """With no rerun allowed, the kernel's death fails the notebook: 0, a warning, the
    other notebook of the set graded as usual (nbgrader alone would drop both)."""
    top, _, solved = built
    course = tmp_path / "course"
    shutil.copytree(top / "course", course)
    config = course / "nbgrader_config.py"
    config.write_text(config.read_text() + "c.SurviveKernelDeaths.max_deaths = 0\n")
    folder = tmp_path / "set"
    _planted(solved, NB02, PLANTS["wrong-b"][NB02], folder)
    (folder / "00_start_here.ipynb").write_bytes((solved / "00_start_here.ipynb").read_bytes())
    messages = []
    [result] = grade.grade([folder], timeout=TIMEOUT, course=course, work=tmp_path / "work",
                           echo=messages.append)
    rows = {r["notebook"]: r for r in _table(folder / "grades.csv")}
    assert rows[NB02]["total"] == "0" and rows["00_start_here.ipynb"]["total"] == "2"
    assert any(NB02 in p for p in result.problems)
    assert any("could not finish grading" in m and NB02 in m for m in messages)


@pytest.mark.parametrize("failure", ["start", "late output"])
def test_a_kernel_that_fails_to_start_or_a_late_output_is_run_again(monkeypatch, failure):
    """Neither is the student's doing: the notebook runs again as it is, nothing left out,
    and only after ``max_retries`` such runs does grading give up on it."""
    from nbclient.exceptions import CellTimeoutError
    from nbconvert.preprocessors import ExecutePreprocessor
    from tools.grading.kernel_deaths import SurviveKernelDeaths

    runs = []

    def flaky(self, nb, resources=None, km=None):      # nbconvert's runner, failing at first
        runs.append(dict(self._left_out))
        if len(runs) <= failures:
            if failure == "start":                      # what nbclient raises then
                raise RuntimeError("Kernel died before replying to kernel_info")
            self._running, self._started = 4, time.monotonic()   # a quick cell, late output
            raise CellTimeoutError("Timeout waiting for IOPub output")
        return nb, resources

    monkeypatch.setattr(ExecutePreprocessor, "preprocess", flaky)
    runner = SurviveKernelDeaths(timeout=60)
    failures = 2
    assert runner.preprocess("nb", {}) == ("nb", {})
    assert runs == [{}, {}, {}]
    runs.clear()
    failures = 3
    with pytest.raises((RuntimeError, CellTimeoutError)):
        runner.preprocess("nb", {})
    assert len(runs) == 3


def test_each_planted_answer_is_the_mistake_it_stands_for(graded):
    """The public check names the planted misconception (read in the graded notebook)."""
    from course_utils import exercises
    from course_utils.exercises.functions import FUNCTIONS
    from course_utils.exercises.notebooks import NUMBER_EXERCISES

    top, _, _, _, _ = graded
    seen = set()
    for name, notebooks in PLANTS.items():
        for nb, answers in notebooks.items():
            sid = f"s{list(graded[1]).index(name):03d}-{nb[:-6]}"
            path = top / "autograde" / "autograded" / sid / build.ASSIGNMENT / nb
            if not path.exists():
                continue                    # the notebook whose kernel died
            cells = nbformat.read(path, as_version=4).cells
            for ex_id, (what, code) in answers.items():
                if what in ("loop", "deaf loop", "crash", "kernel death"):
                    continue
                check = next(c for c in cells if layout.CHECK_TAG in layout.tags(c)
                             and layout.exercise_id(c.source, nb) == ex_id)
                shown = "".join(o.get("data", {}).get("text/plain", "") for o in check.outputs)
                if ex_id in NUMBER_EXERCISES:
                    message = NUMBER_EXERCISES[ex_id].messages[what]
                elif ex_id in FUNCTIONS:
                    message = FUNCTIONS[ex_id][2][what]
                else:                       # a typed expression: judge the same string here
                    namespace = {}
                    exec(code, namespace)
                    feedback = exercises.check(ex_id, namespace["answer"])
                    assert feedback.misconception == what
                    message = feedback.message
                assert message in shown, (name, ex_id, what, shown)
                seen.add(what)
    assert len(seen) >= 9, sorted(seen)


def test_grading_never_touches_the_students_files(graded):
    _, folders, _, before, _ = graded
    for name, folder in folders.items():
        after = _digest(folder)
        assert set(after) - set(before[name]) == {"grades.csv"}
        assert {k: v for k, v in after.items() if k != "grades.csv"} == before[name], name


def test_an_existing_grades_csv_is_kept_and_the_new_one_gets_a_dated_name(graded):
    top, folders, results, _, _ = graded
    folder = folders["solved"]
    first = (folder / "grades.csv").read_bytes()
    manifest = build.read_manifest(top / "course")
    path = grade.write_grades(results["solved"], manifest)
    assert path.name.startswith("grades-") and path.name.endswith(".csv")
    assert (folder / "grades.csv").read_bytes() == first
    assert path.read_bytes() == first
    again = grade.write_grades(results["solved"], manifest)
    assert again != path and again.exists()
    for extra in (path, again):
        extra.unlink()


# ------------------------------------------------------------------------ bad folders
def test_clear_errors_for_folders_that_cannot_be_graded(built, tmp_path):
    top, student, _ = built
    manifest = build.read_manifest(top / "course")
    with pytest.raises(grade.GradingError, match="no such folder"):
        grade.submitted_notebooks(tmp_path / "missing", manifest)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(grade.GradingError, match="no notebook"):
        grade.submitted_notebooks(empty, manifest)
    (empty / "homework.ipynb").write_bytes((student / NB03).read_bytes())
    with pytest.raises(grade.GradingError, match="homework.ipynb is not one of the course"):
        grade.submitted_notebooks(empty, manifest)
    with pytest.raises(grade.GradingError, match="is a file"):
        grade.submitted_notebooks(empty / "homework.ipynb", manifest)


def test_a_check_cell_that_is_not_one_call_is_refused_by_name():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1\nexercises.check('a', x)",
                                          metadata={"tags": [layout.CHECK_TAG]})]
    with pytest.raises(layout.LayoutError, match="t.ipynb, cell 0: the exercise-check cell"):
        layout.find_exercises(nb, "t.ipynb")
    nb.cells[0].source = "exercises.check('a', x)"
    with pytest.raises(layout.LayoutError, match="exactly one cell tagged 'solution'"):
        layout.find_exercises(nb, "t.ipynb")
