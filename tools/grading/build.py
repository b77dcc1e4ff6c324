"""The student edition and the solved edition, through nbgrader (``make student``).

From the course notebooks to three things, every time from scratch:

1. an nbgrader *source assignment* in ``build/grading/course/source/course/``: each
   course notebook with, per exercise, its "Solution (click ...)" cell and its solution
   cell taken out and graded cells put in their place: one that runs the public check
   (one point) and one per hidden test of ``hidden_tests.py``; the body of every graded
   cell sits between nbgrader's hidden-test markers. The nbgrader markup exists only in
   this git-ignored copy, never in ``notebooks/``;
2. ``nbgrader generate_assignment`` turns it into the release, which becomes
   ``dist/student/``: no solution, no hidden test (only each graded cell's first comment
   line stays), no stored output, the stubs, hints and public checks as in the course;
   the gradebook ``build/grading/course/gradebook.db`` keeps the hidden tests for grading;
3. ``dist/solved/``: the student edition with each exercise's solution put in right
   before its check cell, which is what a student who solves everything hands in.

Same bytes on every run: the same inputs give the same cells, ids and metadata, and
nbgrader's release was measured identical over reruns (field notes, nbgrader 0.9.6).
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

from . import hidden_tests
from .layout import CHECK_TAG, exercise_id, find_exercises, grade_id, tags

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
BUILD = ROOT / "build" / "grading"
COURSE = BUILD / "course"
ASSIGNMENT = "course"
DIST = ROOT / "dist"
MANIFEST = "exercises.json"     # in COURSE: notebook -> exercise -> its graded cells
CHECK_POINTS = 1

# nbgrader's settings for this course (the per-cell time limit comes with each run).
CONFIG = """\
import sys
sys.path.insert(0, {root!r})
from nbgrader.converters.autograde import Autograde
from nbgrader.preprocessors import Execute
from tools.grading.kernel_deaths import SurviveKernelDeaths

c = get_config()
c.CourseDirectory.course_id = "course"
c.CourseDirectory.db_url = "sqlite:///gradebook.db"
# a graded cell a student deleted is put back (and scores what it scores)
c.OverwriteCells.add_missing_cells = True
# a cell that kills or hangs the kernel costs that cell, not the whole notebook
c.Autograde.autograde_preprocessors = [
    SurviveKernelDeaths if p is Execute else p
    for p in Autograde.class_traits()["autograde_preprocessors"].default()]
# a graded kernel keeps nothing worth a polite shutdown: stop it at once (a kernel deaf
# to the interrupt would otherwise hold its notebook 5 s more before it is killed)
c.SurviveKernelDeaths.shutdown_kernel = "immediate"
"""


def course_notebooks(folder=NOTEBOOKS):
    """The course's numbered notebooks (00_... to 08_...), in order."""
    found = sorted(p for p in Path(folder).glob("[0-9][0-9]_*.ipynb"))
    if not found:
        raise FileNotFoundError(f"no course notebooks (NN_name.ipynb) in {folder}")
    return found


def graded_cell(code, comment, gid, points):
    """An nbgrader test cell: a visible comment, its code between hidden-test markers."""
    source = f"# {comment}\n### BEGIN HIDDEN TESTS\n{code}\n### END HIDDEN TESTS"
    cell = nbformat.v4.new_code_cell(source)
    cell.id = gid
    cell.metadata = {"nbgrader": {"grade": True, "grade_id": gid, "locked": True,
                                  "points": points, "schema_version": 3,
                                  "solution": False, "task": False}}
    return cell


def check_code(ex):
    """The public check as a test: the check cell's call must say correct."""
    return (f"_verdict = (\n{ex.check_source}\n)\n"
            f"assert _verdict.correct, _verdict\ndel _verdict")


def source_notebook(path):
    """A course notebook as an nbgrader source notebook, and what it grades.

    Returns (notebook, {exercise id: {grade id: points}}, {exercise id: solution code}).
    """
    nb = nbformat.read(path, as_version=4)
    exercises = find_exercises(nb, path.name)
    graded, solutions = {}, {}
    for ex in reversed(exercises):          # from the end, so earlier indices stay valid
        solutions[ex.id] = nb.cells[ex.solution].source
        cells = [graded_cell(check_code(ex), f"Graded when you hand in this notebook: the "
                             f"check above must say correct ({CHECK_POINTS} point).",
                             grade_id(ex.id, "check"), CHECK_POINTS)]
        for k, test in enumerate(hidden_tests.HIDDEN.get(ex.id, []), start=1):
            cells.append(graded_cell(test.cell_code(), f"Graded when you hand in this notebook: "
                                     f"a further test of your answer ({test.points} point"
                                     f"{'s' if test.points != 1 else ''}).",
                                     grade_id(ex.id, f"hidden{k}"), test.points))
        first = ex.announcement if ex.announcement is not None else ex.solution
        nb.cells[first:ex.solution + 1] = cells
        graded[ex.id] = {c.metadata.nbgrader.grade_id: c.metadata.nbgrader.points for c in cells}
    order = [ex.id for ex in exercises]
    return nb, {k: graded[k] for k in order}, {k: solutions[k] for k in order}


# nbgrader logs this and goes on with its defaults when nbgrader_config.py fails
CONFIG_FAILED = "Exception while loading config file"


def nbgrader_env():
    """The environment for nbgrader: it runs ``alembic`` by name, so this Python's scripts
    folder goes first on PATH even when the virtual environment is not activated."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def _run_nbgrader(args, cwd):
    done = subprocess.run([sys.executable, "-m", "nbgrader", *args, "--log-level=WARN"],
                          cwd=cwd, capture_output=True, text=True, env=nbgrader_env())
    if done.returncode != 0 or CONFIG_FAILED in done.stdout + done.stderr:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed (exit {done.returncode}):\n"
                           f"{done.stdout}{done.stderr}")
    return done


def build_source(notebooks=None, course=COURSE):
    """Write the source assignment, the config and the manifest into ``course`` (fresh)."""
    notebooks = course_notebooks() if notebooks is None else [Path(p) for p in notebooks]
    if course.exists():
        shutil.rmtree(course)
    source = course / "source" / ASSIGNMENT
    source.mkdir(parents=True)
    (course / "nbgrader_config.py").write_text(CONFIG.format(root=str(ROOT)))
    manifest = {}
    for path in notebooks:
        nb, graded, solutions = source_notebook(path)
        nbformat.write(nb, source / path.name)
        manifest[path.name] = {"exercises": graded, "solutions": solutions}
    (course / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=False) + "\n")
    return manifest


def read_manifest(course=COURSE):
    path = course / MANIFEST
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run `make student` first")
    return json.loads(path.read_text())


def generate(course=COURSE):
    """nbgrader generate_assignment: the release and the gradebook (hidden tests inside)."""
    _run_nbgrader(["generate_assignment", ASSIGNMENT, "--force"], cwd=course)
    return course / "release" / ASSIGNMENT


def solved_notebook(student_nb, solutions):
    """The student edition's notebook with each solution put in before its check cell."""
    nb = copy.deepcopy(student_nb)
    exercises = find_exercises_in_edition(nb)
    for ex_id, check in reversed(exercises):
        cell = nbformat.v4.new_code_cell(solutions[ex_id])
        cell.id = f"solved-{grade_id(ex_id, 'answer')}"
        nb.cells.insert(check, cell)
    return nb


def find_exercises_in_edition(nb):
    """(exercise id, check cell index) for every check cell of an edition's notebook."""
    return [(exercise_id(c.source, f"cell {i}"), i)
            for i, c in enumerate(nb.cells) if CHECK_TAG in tags(c)]


def build_editions(notebooks=None, dist=DIST, course=COURSE):
    """The whole of ``make student``: dist/student/ and dist/solved/, from scratch."""
    manifest = build_source(notebooks, course)
    release = generate(course)
    student, solved = dist / "student", dist / "solved"
    for folder in (student, solved):
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
    for name, entry in manifest.items():
        shutil.copyfile(release / name, student / name)
        nb = nbformat.read(release / name, as_version=4)
        nbformat.write(solved_notebook(nb, entry["solutions"]), solved / name)
    return student, solved
