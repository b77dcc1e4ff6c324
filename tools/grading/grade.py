"""Grading one student's notebooks with nbgrader (``make grade SUBMISSIONS=folder``).

What happens to a folder of handed-in notebooks:

1. every ``*.ipynb`` in it must be one of the course's notebooks (by file name); each is
   *copied* into a scratch nbgrader course in ``build/grading/autograde/`` (the student's
   files are only read);
2. ``nbgrader autograde`` runs them, each notebook in a fresh kernel process with a time
   limit per cell (``timeout`` seconds; nbgrader interrupts a cell that takes longer and
   goes on with the next one, so an infinite loop costs only what it touches; a cell that
   kills the kernel or will not stop is left out on a rerun, ``kernel_deaths.py``). nbgrader puts back the
   hidden tests from the gradebook before it runs anything;
3. the scores are read from the gradebook, summed per exercise, and written to
   ``folder/grades.csv``: ``notebook``, one column per exercise id of the course (empty
   where the exercise belongs to another notebook), ``total``, ``possible``. An existing
   grades.csv is never overwritten: the new table gets a dated name, and the message says so.

Several folders can be graded together (the tests do so): the notebooks are shared out
over two nbgrader runs side by side, since a run costs about 3 s before its first cell
and a kernel uses one core. Each notebook is submitted under its own nbgrader student id,
because nbgrader drops *all* of a student's notebooks when one of them breaks the grader
(measured with nbgrader 0.9.6 and a kernel that dies, before ``kernel_deaths.py``; see
``converters/base.py``'s ``_handle_failure``). Should a notebook still break it (a kernel
that dies again and again, or a kernel that fails to start three times), that notebook
scores 0, with a warning naming nbgrader's log, and the others keep their grades.
"""

from __future__ import annotations

import csv
import datetime
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .build import ASSIGNMENT, BUILD, CONFIG_FAILED, COURSE, nbgrader_env, read_manifest

#: Seconds one cell may run when graded; the slowest course cell takes about 10 s.
TIMEOUT = 60
#: nbgrader runs going on side by side: with two cores, two kernels at a time grade a
#: set in about 60 % of the time one run takes (measured on the tests' 8 notebooks).
JOBS = 2
WORK = BUILD / "autograde"


class GradingError(ValueError):
    """A folder that cannot be graded; the message says why and what to do."""


@dataclass
class Result:
    """The grades of one folder: one row per notebook, and what went wrong, if anything."""

    folder: Path
    rows: dict = field(default_factory=dict)     # notebook -> {exercise: score}
    possible: dict = field(default_factory=dict)  # notebook -> {exercise: points}
    problems: list = field(default_factory=list)
    csv_path: Path | None = None


def submitted_notebooks(folder, manifest):
    """The course notebooks in ``folder``, checked: a clear error for anything else."""
    folder = Path(folder)
    if not folder.exists():
        raise GradingError(f"SUBMISSIONS={folder}: no such folder. Put one student's "
                           f"notebooks in a folder and pass it: make grade SUBMISSIONS=path")
    if not folder.is_dir():
        raise GradingError(f"SUBMISSIONS={folder} is a file; give the folder that holds "
                           f"the student's notebooks.")
    found = sorted(folder.glob("*.ipynb"))
    if not found:
        raise GradingError(f"SUBMISSIONS={folder} holds no notebook (*.ipynb) to grade.")
    strangers = [p.name for p in found if p.name not in manifest]
    if strangers:
        raise GradingError(f"SUBMISSIONS={folder}: {', '.join(strangers)} is not one of the "
                           f"course's notebooks ({', '.join(manifest)}); rename it to the "
                           f"course notebook it answers, or move it out of the folder.")
    return found


def _fresh_course(work, course):
    work.mkdir(parents=True)
    for name in ("nbgrader_config.py", "gradebook.db"):
        shutil.copyfile(course / name, work / name)
    shutil.copytree(course / "source", work / "source")
    shutil.copytree(course / "release", work / "release")


def _score_text(x):
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def dated_name(folder, now=None):
    """grades.csv if it is free, else grades-YYYYMMDD-HHMM.csv (then -2, -3, ...)."""
    first = folder / "grades.csv"
    if not first.exists():
        return first
    stamp = (now or datetime.datetime.now()).strftime("%Y%m%d-%H%M")
    path, k = folder / f"grades-{stamp}.csv", 2
    while path.exists():
        path, k = folder / f"grades-{stamp}-{k}.csv", k + 1
    return path


def write_grades(result, manifest):
    """Write ``result`` as a CSV into its folder without replacing any file; return the path."""
    columns = [ex for entry in manifest.values() for ex in entry["exercises"]]
    path = dated_name(result.folder)
    with open(path, "x", newline="") as f:      # "x": never overwrite, even in a race
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["notebook", *columns, "total", "possible"])
        for name, scores in result.rows.items():
            possible = result.possible[name]
            out.writerow([name, *(_score_text(scores[ex]) if ex in scores else ""
                                  for ex in columns),
                          _score_text(sum(scores.values())),
                          _score_text(sum(possible.values()))])
    result.csv_path = path
    return path


def _run_jobs(work, jobs, timeout):
    """nbgrader autograde in each job's course folder, side by side; wait for all."""
    running = [subprocess.Popen([sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT,
                                 f"--Execute.timeout={int(timeout)}", "--log-level=WARN"],
                                cwd=job, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True, env=nbgrader_env()) for job in jobs]
    logs = [proc.communicate()[0] for proc in running]
    (work / "autograde.log").write_text("".join(logs))
    if any(CONFIG_FAILED in log for log in logs):
        raise RuntimeError(f"nbgrader could not read its configuration; see "
                           f"{work / 'autograde.log'}")


def autograde(folders, *, timeout=TIMEOUT, course=COURSE, work=WORK, jobs=JOBS):
    """Grade each folder (one student's notebooks) with nbgrader; return Results.

    The notebooks are shared out over ``jobs`` nbgrader runs going on side by side (each
    with its own copy of the course and gradebook); the graded copies end up together in
    ``work/autograded/``.
    """
    from nbgrader.api import Gradebook, MissingEntry

    manifest = read_manifest(course)
    plan = [(Path(folder), submitted_notebooks(folder, manifest)) for folder in folders]
    work = Path(work)
    if work.exists():
        shutil.rmtree(work)
    queue = sorted(((path, k) for k, (_, notebooks) in enumerate(plan) for path in notebooks),
                   key=lambda item: (item[0].name, item[1]))
    n_jobs = max(1, min(int(jobs), len(queue)))
    job_dirs = [work / f"job-{j}" for j in range(n_jobs)]
    for job in job_dirs:
        _fresh_course(job, course)
    ids = {}
    for i, (path, k) in enumerate(queue):          # round robin over the jobs
        sid = f"s{k:03d}-{path.stem}"               # one nbgrader student per notebook
        job = job_dirs[i % n_jobs]
        target = job / "submitted" / sid / ASSIGNMENT
        target.mkdir(parents=True)
        shutil.copyfile(path, target / path.name)
        ids[sid] = (k, path.name, job)
    _run_jobs(work, job_dirs, timeout)
    results = [Result(folder) for folder, _ in plan]
    for job in job_dirs:
        with Gradebook(f"sqlite:///{job / 'gradebook.db'}", course_id="course") as gb:
            for sid, (k, name, where) in ids.items():
                if where == job:
                    _collect(gb, MissingEntry, sid, name, manifest, results[k], work, job)
    for result in results:                          # rows in the course's order
        result.rows = {name: result.rows[name] for name in sorted(result.rows)}
    for job in job_dirs:                            # the graded copies, all in one place
        if (job / "autograded").exists():
            shutil.copytree(job / "autograded", work / "autograded", dirs_exist_ok=True)
    return results


def _collect(gb, missing, sid, name, manifest, result, work, job):
    """One notebook's scores per exercise, from its job's gradebook, into ``result``."""
    stem = name[:-len(".ipynb")]
    graded = (job / "autograded" / sid / ASSIGNMENT / name).exists()
    exercises = manifest[name]["exercises"]
    scores = {}
    for ex, cells in exercises.items():
        total = 0.0
        for gid in cells:
            try:
                total += gb.find_grade(gid, stem, ASSIGNMENT, sid).score or 0.0
            except missing:
                graded = False
        scores[ex] = total if graded else 0.0
    if not graded:
        result.problems.append(
            f"{name}: nbgrader could not finish grading it (its kernel died or hung again "
            f"and again, or would not start); it scores 0 here. Details: "
            f"{work / 'autograde.log'}")
    result.rows[name] = scores
    result.possible[name] = {ex: float(sum(c.values())) for ex, c in exercises.items()}


def grade(folders, *, timeout=TIMEOUT, course=COURSE, work=WORK, jobs=JOBS, echo=print):
    """Grade and write one grades CSV per folder; report where each went."""
    manifest = read_manifest(course)
    results = autograde(folders, timeout=timeout, course=course, work=work, jobs=jobs)
    for result in results:
        path = write_grades(result, manifest)
        for name, scores in result.rows.items():
            echo(f"  {name}: {_score_text(sum(scores.values()))} of "
                 f"{_score_text(sum(result.possible[name].values()))}")
        for problem in result.problems:
            echo(f"warning: {problem}")
        if path.name != "grades.csv":
            echo(f"{result.folder / 'grades.csv'} exists and is kept; the new grades are in "
                 f"{path}")
        else:
            echo(f"grades written to {path}")
    return results
