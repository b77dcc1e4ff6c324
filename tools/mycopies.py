"""Your own copies of the course notebooks: ``make lab``, ``make update``, ``make reset``.

You work in ``my-notebooks/`` (git ignores it), never in ``notebooks/``: the course's
notebooks stay exactly as published, so ``git pull`` can always bring the next version,
and your work can never be overwritten by it.

``lab``     copies every course notebook you do not have yet into ``my-notebooks/``;
            a copy you already have is never touched. Says which of your copies the
            course has changed since you made them.
``update``  ``git pull --ff-only`` (nothing else touches ``notebooks/``), then copies new
            notebooks, and refreshes a copy only if you never changed it (the old file
            is kept in ``my-notebooks/backups/``). A copy you changed is left alone, and
            the course's new version is written beside it as
            ``NN_name.updated-YYYYMMDD-HHMM.ipynb`` (once per new version) and reported.
            When the pull refuses, nothing is changed and the message says why.
``reset``   replaces your copy of a notebook with the course's version, keeping your old
            copy in ``my-notebooks/backups/`` with the date and time in its name.

Nothing here deletes a file. Every replaced file is first copied to ``backups/``; two
backups in the same minute get ``-2``, ``-3``, ... and both are kept. Standard library
only, so ``make update`` works before ``.venv`` exists.

Usage::

    python tools/mycopies.py lab
    python tools/mycopies.py update
    python tools/mycopies.py reset 03 [04 ...]
    python tools/mycopies.py --root <course folder> ...   (tests)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COURSE = "notebooks"
MINE = "my-notebooks"
BACKUPS = "backups"
#: What each copy was made from: {file name: sha256 of the course's version}, and under
#: "_offered" the new versions already written beside an edited copy. Hidden in
#: JupyterLab's file browser (a dot file).
MANIFEST = ".course-manifest.json"
PATTERN = "[0-9][0-9]_*.ipynb"


class Problem(Exception):
    """Something the student has to do; the message says what."""


# -- files ---------------------------------------------------------------------------


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def course_notebooks(root: Path) -> list[str]:
    return sorted(p.name for p in (root / COURSE).glob(PATTERN))


def git(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=root, capture_output=True)


def is_git_checkout(root: Path) -> bool:
    try:
        out = git(root, "rev-parse", "--show-toplevel")
    except FileNotFoundError:          # git itself is not installed
        return False
    return out.returncode == 0 and Path(out.stdout.decode().strip()).resolve() == root.resolve()


def committed(root: Path, name: str) -> bytes | None:
    """The course's version of notebook ``name``: as committed (HEAD), else as on disk."""
    if is_git_checkout(root):
        out = git(root, "show", f"HEAD:{COURSE}/{name}")
        if out.returncode == 0:
            return out.stdout
    path = root / COURSE / name
    return path.read_bytes() if path.exists() else None


def blocking_files(message: str) -> tuple[list[str], list[str]]:
    """(changed tracked files, untracked files) that git named as blocking the pull."""
    changed, untracked, current = [], [], None
    for line in message.splitlines():
        if "would be overwritten by" in line:
            current = untracked if "untracked" in line else changed
        elif current is not None and line.startswith("\t"):
            current.append(line.strip())
        else:
            current = None
    return changed, untracked


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file: never a half-written notebook."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def backup(path: Path, mine: Path) -> Path:
    """Copy ``path`` to ``backups/<stem>.YYYYMMDD-HHMM[-n]<suffix>``; never overwrites one."""
    folder = mine / BACKUPS
    folder.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M")
    data = path.read_bytes()
    n = 1
    while True:
        target = folder / f"{path.stem}.{stamp}{'' if n == 1 else f'-{n}'}{path.suffix}"
        try:
            with open(target, "xb") as f:      # exclusive: an existing backup is never replaced
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
        except FileExistsError:
            n += 1
            continue
        if target.read_bytes() != data:
            raise Problem(f"Could not save a backup of {path.name} ({target} differs); "
                          "nothing was replaced.")
        return target


def read_manifest(mine: Path) -> dict:
    try:
        data = json.loads((mine / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_manifest(mine: Path, manifest: dict) -> None:
    write_atomically(mine / MANIFEST,
                     (json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode())


def rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


# -- what the three commands do --------------------------------------------------------


def make_missing_copies(root: Path, out=print) -> list[str]:
    """Copy each course notebook the student does not have yet; returns the names copied.

    A new copy is made from the notebook as it is on disk, so work done in ``notebooks/``
    before ``my-notebooks/`` existed carries over; it is recorded against the course's
    committed version, so such a copy counts as one the student changed.
    """
    mine = root / MINE
    mine.mkdir(exist_ok=True)
    manifest = read_manifest(mine)
    made = []
    for name in course_notebooks(root):
        target = mine / name
        if target.exists():
            continue
        data = (root / COURSE / name).read_bytes()
        try:
            with open(target, "xb") as f:       # never replaces a file that appeared meanwhile
                f.write(data)
        except FileExistsError:
            continue
        manifest[name] = sha256(committed(root, name) or data)
        made.append(name)
    if made:
        write_manifest(mine, manifest)
        out(f"Made your own copies in {MINE}/: {', '.join(made)}")
    return made


def outdated(root: Path) -> list[tuple[str, bool]]:
    """(name, changed by the student) for each copy whose course version changed since."""
    mine = root / MINE
    manifest = read_manifest(mine)
    found = []
    for name in course_notebooks(root):
        target = mine / name
        if not target.exists():
            continue
        course = committed(root, name)
        recorded = manifest.get(name)
        if course is None or recorded is None or recorded == sha256(course):
            continue                # up to date, or a copy made by hand (its base unknown)
        untouched = recorded is not None and sha256(target.read_bytes()) == recorded
        found.append((name, not untouched))
    return found


def tell_outdated(names: list[str], out=print) -> None:
    if not names:
        return
    out(f"The course has a newer version of {', '.join(names)} than your copy in {MINE}/.")
    out("Your copies (and your work in them) are untouched. To take the new version of one,")
    out(f"run `make reset NB=<number>`, e.g. `make reset NB={names[0][:2]}`: your copy is kept in "
        f"{MINE}/{BACKUPS}/ first.")


def lab(root: Path, out=print) -> int:
    """``make lab``: make the missing copies, say which copies are behind the course."""
    make_missing_copies(root, out)
    tell_outdated([name for name, _ in outdated(root)], out)
    out(f"Your notebooks are in {MINE}/ (the originals in {COURSE}/ stay as published).")
    return 0


def replace_copy(root: Path, name: str, data: bytes, out=print) -> Path | None:
    """Back the student's copy up (if any), then put ``data`` in its place."""
    mine = root / MINE
    mine.mkdir(exist_ok=True)
    target = mine / name
    saved = backup(target, mine) if target.exists() else None
    write_atomically(target, data)
    manifest = read_manifest(mine)
    manifest[name] = sha256(data)
    write_manifest(mine, manifest)
    return saved


def resolve(root: Path, wanted: str) -> str:
    """'3', '03', '03_cross_entropy_derivation' or the file name -> the file name."""
    names = course_notebooks(root)
    key = Path(wanted.strip()).name
    if key.isdigit():
        key = f"{int(key):02d}_"
    hits = [n for n in names if n == key or n.startswith(key)]
    if len(hits) != 1:
        listing = "\n".join(f"  make reset NB={n[:2]}   ({n})" for n in names)
        what = "no" if not hits else "more than one"
        raise Problem(f"{what} course notebook matches NB={wanted!r}. Choose one:\n{listing}")
    return hits[0]


def reset(root: Path, wanted: list[str], out=print) -> int:
    """``make reset NB=03``: the course's version in place of your copy (yours backed up)."""
    if not wanted:
        names = course_notebooks(root)
        raise Problem("Say which notebook to start over, for example `make reset NB=03`.\n"
                      "Your copy is saved in my-notebooks/backups/ first. Notebooks:\n"
                      + "\n".join(f"  {n[:2]}  {n}" for n in names))
    for name in [resolve(root, w) for w in wanted]:
        data = committed(root, name)
        saved = replace_copy(root, name, data, out)
        if saved is None:
            out(f"{MINE}/{name}: a fresh copy of the course's version.")
        else:
            out(f"{MINE}/{name}: the course's version again. Your previous copy is saved as "
                f"{rel(saved, root)}.")
    return 0


def explain_refused_pull(root: Path, message: str) -> str:
    """What to do when ``git pull --ff-only`` refused, in the student's terms.

    Nothing is changed on disk: the files that block the update stay as they are, and
    the advice starts with the command that saves a copy of each before anything else.
    """
    changed, untracked = blocking_files(message)
    if changed or untracked:
        blocking = changed + untracked
        lines = ["The update stopped before changing anything: the new version of the course "
                 "would overwrite these files of yours in the course folder:",
                 *[f"  {p}" for p in blocking],
                 f"Nothing was changed. To keep your work and let the update through, first save "
                 f"a copy of each in {MINE}/, where updates never write:",
                 f"  mkdir -p {MINE}/saved && cp " + " ".join(blocking) + f" {MINE}/saved/"]
        if changed:
            lines.append("then give the course its own version back:")
            lines.append("  git restore " + " ".join(changed))
        if untracked:
            lines.append("then move your new files out of the way:")
            lines.append("  rm " + " ".join(untracked) + f"   (your copies are in {MINE}/saved/)")
        lines.append(f"and run `make update` again. From now on, work in {MINE}/: the update "
                     "never overwrites it.")
        return "\n".join(lines)
    if "fast-forward" in message or "diverg" in message:
        return ("The update stopped: this folder has commits of its own that the course does "
                "not have, so git cannot simply move forward. Nothing was changed. Ask your "
                f"instructor, or make a fresh clone and copy your {MINE}/ folder into it.")
    return ("The update stopped (git's message is above). Nothing was changed. If it is a "
            "network problem, try again when you are online.")


def offer_new_version(root: Path, name: str, data: bytes) -> Path | None:
    """Write the course's new version of ``name`` beside the student's edited copy.

    ``NN_name.updated-YYYYMMDD-HHMM.ipynb`` (``-2``... when that name is taken); written
    once per course version (the manifest remembers what was offered), never over a file.
    """
    mine = root / MINE
    manifest = read_manifest(mine)
    offered = manifest.get("_offered", {})
    if offered.get(name) == sha256(data):
        return None
    stem, suffix = Path(name).stem, Path(name).suffix
    stamp = time.strftime("%Y%m%d-%H%M")
    n = 1
    while True:
        target = mine / f"{stem}.updated-{stamp}{'' if n == 1 else f'-{n}'}{suffix}"
        try:
            with open(target, "xb") as f:      # exclusive: never replaces a file
                f.write(data)
        except FileExistsError:
            n += 1
            continue
        break
    offered[name] = sha256(data)
    manifest["_offered"] = offered
    write_manifest(mine, manifest)
    return target


def update(root: Path, out=print) -> int:
    """``make update``: git pull --ff-only, then new copies and refreshed untouched ones."""
    if not is_git_checkout(root):
        raise Problem("This course folder is not a git clone, so `make update` cannot fetch the "
                      "new version. Download the course again and copy your my-notebooks/ "
                      "folder into the new one.")
    before = {n: committed(root, n) for n in course_notebooks(root)}
    head = git(root, "rev-parse", "HEAD").stdout.decode().strip()
    pulled = git(root, "pull", "--ff-only")
    message = (pulled.stdout + pulled.stderr).decode(errors="replace").strip()
    if pulled.returncode != 0:
        if message:
            out(message)
        raise Problem(explain_refused_pull(root, message))
    changed = [n for n in course_notebooks(root) if before.get(n) != committed(root, n)]
    out("The course is up to date." if not changed
        else f"New or changed in the course: {', '.join(changed)}")
    if git(root, "diff", "--quiet", head, "HEAD", "--", "requirements.lock").returncode == 1:
        out("The course now needs other package versions: the next `make lab` installs them "
            "(about a minute).")
    make_missing_copies(root, out)
    for name, edited in outdated(root):
        if edited:
            beside = offer_new_version(root, name, committed(root, name))
            if beside is not None:
                out(f"{MINE}/{name}: you have changed it, so it stays as it is; the course's "
                    f"new version is beside it as {rel(beside, root)}. Compare the two, or run "
                    f"`make reset NB={name[:2]}` to take the new one (yours is kept in "
                    f"{MINE}/{BACKUPS}/).")
            continue
        saved = replace_copy(root, name, committed(root, name), out)
        out(f"{MINE}/{name}: updated (you had not changed it; the old one is in "
            f"{rel(saved, root)}).")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--root", type=Path, default=Path.cwd(),
                        help="the course folder (default: the current folder)")
    parser.add_argument("command", choices=["lab", "update", "reset"])
    parser.add_argument("notebooks", nargs="*", help="for reset: 03, 3 or a file name")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    if not (root / COURSE).is_dir():
        print(f"{root} has no {COURSE}/ folder: run this from the course folder.", file=sys.stderr)
        return 2
    try:
        if args.command == "lab":
            return lab(root)
        if args.command == "update":
            return update(root)
        return reset(root, [w for arg in args.notebooks for w in arg.split()])
    except Problem as problem:
        print(problem, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
