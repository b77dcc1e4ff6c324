"""Students' own copies (tools/mycopies.py): ``make lab``, ``make update``, ``make reset``.

Each test builds a bare "upstream" git repository and a student's clone in tmp_path and
runs the tool there (no network): nothing a student wrote is ever lost, ``notebooks/`` is
changed only by ``git pull --ff-only``, and every replaced file leaves a timestamped backup.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import mycopies  # noqa: E402

GIT_ENV = {"GIT_AUTHOR_NAME": "Instructor", "GIT_AUTHOR_EMAIL": "i@example.org",
           "GIT_COMMITTER_NAME": "Instructor", "GIT_COMMITTER_EMAIL": "i@example.org",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_TERMINAL_PROMPT": "0"}


@pytest.fixture(autouse=True)
def _git_env(monkeypatch):
    for k, v in GIT_ENV.items():
        monkeypatch.setenv(k, v)


def git(cwd, *args):
    out = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout


def nb(text):
    return json.dumps({"cells": [{"cell_type": "markdown", "source": text}]}).encode()


class Course:
    """An upstream repository (the instructor's side) and a student's clone of it."""

    def __init__(self, tmp_path):
        self.work = tmp_path / "instructor"
        self.upstream = tmp_path / "upstream.git"
        self.clone = tmp_path / "student"
        (self.work / "notebooks").mkdir(parents=True)
        (self.work / "tools").mkdir()
        shutil.copy(ROOT / "Makefile", self.work / "Makefile")
        shutil.copy(ROOT / "tools" / "mycopies.py", self.work / "tools" / "mycopies.py")
        (self.work / ".gitignore").write_text("my-notebooks/\n")
        self.publish({"00_start_here.ipynb": nb("start v1"), "01_sigmoid.ipynb": nb("sigmoid v1")})
        git(tmp_path, "init", "-q", "--bare", "-b", "main", str(self.upstream))
        git(self.work, "remote", "add", "origin", str(self.upstream))
        git(self.work, "push", "-q", "origin", "main")
        git(tmp_path, "clone", "-q", str(self.upstream), str(self.clone))

    def publish(self, files, message="course"):
        if not (self.work / ".git").exists():
            git(self.work, "init", "-q", "-b", "main")
        for name, data in files.items():
            (self.work / "notebooks" / name).write_bytes(data)
        git(self.work, "add", "-A")
        git(self.work, "commit", "-q", "-m", message)
        if self.upstream.exists():
            git(self.work, "push", "-q", "origin", "main")

    def run(self, *args):
        return mycopies.main(["--root", str(self.clone), *args])

    def mine(self, name):
        return self.clone / "my-notebooks" / name

    def backups(self):
        folder = self.clone / "my-notebooks" / "backups"
        return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.fixture
def course(tmp_path):
    return Course(tmp_path)


def test_lab_copies_the_notebooks_once_and_never_touches_a_copy_again(course, capsys):
    assert course.run("lab") == 0
    assert course.mine("00_start_here.ipynb").read_bytes() == nb("start v1")
    assert course.mine("01_sigmoid.ipynb").read_bytes() == nb("sigmoid v1")
    assert "Made your own copies in my-notebooks/" in capsys.readouterr().out
    course.mine("00_start_here.ipynb").write_bytes(nb("my answer is 0"))
    course.mine("01_sigmoid.ipynb").unlink()                 # a copy deleted by the student
    assert course.run("lab") == 0
    assert course.mine("00_start_here.ipynb").read_bytes() == nb("my answer is 0")
    assert course.mine("01_sigmoid.ipynb").read_bytes() == nb("sigmoid v1")
    assert git(course.clone, "status", "--porcelain") == ""   # my-notebooks/ is ignored
    assert course.backups() == []


def test_update_pulls_copies_new_notebooks_and_leaves_changed_copies_alone(course, capsys):
    course.run("lab")
    course.mine("00_start_here.ipynb").write_bytes(nb("my work"))
    course.publish({"00_start_here.ipynb": nb("start v2"), "01_sigmoid.ipynb": nb("sigmoid v2"),
                    "02_boundaries.ipynb": nb("boundaries v1")})
    capsys.readouterr()
    assert course.run("update") == 0
    out = capsys.readouterr().out
    # notebooks/ is exactly upstream's: git pull --ff-only did it
    for name, text in [("00_start_here.ipynb", "start v2"), ("01_sigmoid.ipynb", "sigmoid v2"),
                       ("02_boundaries.ipynb", "boundaries v1")]:
        assert (course.clone / "notebooks" / name).read_bytes() == nb(text)
    # the student's work is untouched; the new version waits beside it, and is reported
    assert course.mine("00_start_here.ipynb").read_bytes() == nb("my work")
    (beside,) = sorted(p.name for p in (course.clone / "my-notebooks").glob("*.updated-*"))
    assert re.fullmatch(r"00_start_here\.updated-\d{8}-\d{4}\.ipynb", beside)
    assert course.mine(beside).read_bytes() == nb("start v2")
    assert f"new version is beside it as my-notebooks/{beside}" in out and "make reset NB=00" in out
    # a copy the student never changed follows the course, its old bytes in backups/
    assert course.mine("01_sigmoid.ipynb").read_bytes() == nb("sigmoid v2")
    (backup,) = course.backups()
    assert backup.startswith("01_sigmoid.") and backup.endswith(".ipynb")
    assert (course.clone / "my-notebooks" / "backups" / backup).read_bytes() == nb("sigmoid v1")
    # a new notebook is copied
    assert course.mine("02_boundaries.ipynb").read_bytes() == nb("boundaries v1")
    # and a second update changes nothing (the new version is offered once)
    assert course.run("update") == 0
    assert "The course is up to date." in capsys.readouterr().out
    assert len(course.backups()) == 1
    assert len(list((course.clone / "my-notebooks").glob("*.updated-*"))) == 1
    assert json.loads((course.clone / "my-notebooks" / ".course-manifest.json").read_text())


def test_update_never_overwrites_edits_made_in_notebooks(course, capsys):
    course.run("lab")
    edited = course.clone / "notebooks" / "00_start_here.ipynb"
    edited.write_bytes(nb("edited in the course folder"))
    course.publish({"00_start_here.ipynb": nb("start v2")})
    head = git(course.clone, "rev-parse", "HEAD")
    assert course.run("update") == 1
    err = capsys.readouterr().err
    assert edited.read_bytes() == nb("edited in the course folder")
    assert git(course.clone, "rev-parse", "HEAD") == head
    assert "git restore notebooks/00_start_here.ipynb" in err
    assert "cp notebooks/00_start_here.ipynb my-notebooks/saved/" in err
    assert course.backups() == [] and not (course.clone / "my-notebooks" / "saved").exists()
    # after the student follows the advice, the update goes through
    git(course.clone, "restore", "notebooks/00_start_here.ipynb")
    assert course.run("update") == 0
    assert edited.read_bytes() == nb("start v2")


def test_update_never_overwrites_a_new_file_the_student_made_in_notebooks(course, capsys):
    mine = course.clone / "notebooks" / "02_boundaries.ipynb"
    mine.write_bytes(nb("my own notebook"))
    course.publish({"02_boundaries.ipynb": nb("boundaries v1")})
    assert course.run("update") == 1
    err = capsys.readouterr().err
    assert mine.read_bytes() == nb("my own notebook")
    assert "cp notebooks/02_boundaries.ipynb my-notebooks/saved/" in err
    assert "rm notebooks/02_boundaries.ipynb" in err
    assert course.backups() == [] and "Nothing was changed" in err


def test_update_without_the_network_changes_nothing(course, capsys):
    course.run("lab")
    shutil.move(course.upstream, course.upstream.with_suffix(".gone"))
    before = {p: p.read_bytes() for p in course.clone.rglob("*") if p.is_file() and ".git" not in p.parts}
    assert course.run("update") == 1
    assert "Nothing was changed" in capsys.readouterr().err
    after = {p: p.read_bytes() for p in course.clone.rglob("*") if p.is_file() and ".git" not in p.parts}
    assert after == before


def test_update_says_when_the_environment_will_be_rebuilt(course, capsys):
    (course.work / "requirements.lock").write_text("numpy==9.9\n")
    course.publish({})
    assert course.run("update") == 0
    assert "the next `make lab` installs them" in capsys.readouterr().out


def test_update_refuses_a_clone_with_commits_of_its_own(course, capsys):
    (course.clone / "notes.txt").write_text("mine")
    git(course.clone, "add", "notes.txt")
    git(course.clone, "commit", "-q", "-m", "my notes")
    course.publish({"01_sigmoid.ipynb": nb("sigmoid v2")})
    assert course.run("update") == 1
    assert "commits of its own" in capsys.readouterr().err
    assert (course.clone / "notes.txt").read_text() == "mine"


def test_update_outside_a_git_clone_says_what_to_do(tmp_path, capsys):
    (tmp_path / "notebooks").mkdir()
    assert mycopies.main(["--root", str(tmp_path), "update"]) == 1
    assert "not a git clone" in capsys.readouterr().err


def test_reset_keeps_every_backup_even_two_in_the_same_minute(course, capsys, monkeypatch):
    monkeypatch.setattr(mycopies.time, "strftime", lambda fmt: "20261206-0715")
    course.run("lab")
    course.mine("01_sigmoid.ipynb").write_bytes(nb("first try"))
    assert course.run("reset", "1") == 0
    assert course.mine("01_sigmoid.ipynb").read_bytes() == nb("sigmoid v1")
    course.mine("01_sigmoid.ipynb").write_bytes(nb("second try"))
    assert course.run("reset", "01_sigmoid") == 0
    assert course.backups() == ["01_sigmoid.20261206-0715-2.ipynb", "01_sigmoid.20261206-0715.ipynb"]
    folder = course.clone / "my-notebooks" / "backups"
    assert (folder / "01_sigmoid.20261206-0715.ipynb").read_bytes() == nb("first try")
    assert (folder / "01_sigmoid.20261206-0715-2.ipynb").read_bytes() == nb("second try")
    assert "saved as my-notebooks/backups/01_sigmoid.20261206-0715-2.ipynb" in capsys.readouterr().out


def test_reset_takes_the_committed_version_not_edits_in_notebooks(course):
    (course.clone / "notebooks" / "00_start_here.ipynb").write_bytes(nb("edited original"))
    assert course.run("reset", "00") == 0
    assert course.mine("00_start_here.ipynb").read_bytes() == nb("start v1")
    assert (course.clone / "notebooks" / "00_start_here.ipynb").read_bytes() == nb("edited original")


@pytest.mark.parametrize("args, says", [((), "make reset NB=03"),
                                        (("7",), "no course notebook matches"),
                                        (("sigmoid",), "make reset NB=01")])
def test_reset_without_a_clear_notebook_changes_nothing_and_lists_them(course, capsys, args, says):
    course.run("lab")
    course.mine("00_start_here.ipynb").write_bytes(nb("my work"))
    assert course.run("reset", *args) == 1
    assert says in capsys.readouterr().err
    assert course.mine("00_start_here.ipynb").read_bytes() == nb("my work")
    assert course.backups() == []


def test_lab_says_which_copies_are_behind_the_course(course, capsys):
    course.run("lab")
    course.mine("01_sigmoid.ipynb").write_bytes(nb("my work"))
    course.publish({"01_sigmoid.ipynb": nb("sigmoid v2")})
    git(course.clone, "pull", "-q", "--ff-only")
    capsys.readouterr()
    course.run("lab")
    out = capsys.readouterr().out
    assert "newer version of 01_sigmoid.ipynb" in out and "make reset NB=01" in out
    assert course.mine("01_sigmoid.ipynb").read_bytes() == nb("my work")


def test_the_make_targets_run_the_tool(course):
    """`make update` and `make reset NB=..` in the clone, with the course's Makefile."""
    env = {**os.environ, **GIT_ENV}
    course.run("lab")
    course.mine("00_start_here.ipynb").write_bytes(nb("my work"))
    course.publish({"02_boundaries.ipynb": nb("boundaries v1")})
    run = lambda *a: subprocess.run(["make", "-s", *a, f"PYTHON={sys.executable}"],  # noqa: E731
                                    cwd=course.clone, env=env, capture_output=True, text=True)
    out = run("update")
    assert out.returncode == 0, out.stdout + out.stderr
    assert course.mine("02_boundaries.ipynb").read_bytes() == nb("boundaries v1")
    out = run("reset", "NB=00")
    assert out.returncode == 0, out.stdout + out.stderr
    assert course.mine("00_start_here.ipynb").read_bytes() == nb("start v1")
    assert len(course.backups()) == 1


def test_make_lab_starts_in_the_students_copy():
    makefile = (ROOT / "Makefile").read_text()
    lab = makefile.split("\nlab:", 1)[1].split("\n\n", 1)[0]
    assert "tools/mycopies.py lab" in lab
    assert "--LabApp.default_url=/lab/tree/my-notebooks/00_start_here.ipynb" in lab
    assert "my-notebooks/" in (ROOT / ".gitignore").read_text().split()
