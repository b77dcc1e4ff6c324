"""The course against the newest release of every dependency (``make test-latest``).

``requirements.lock`` pins what students install today; next year's students get
newer releases. This script builds ``.venv-latest/`` (git-ignored) with the newest
release of every dependency that installs on this Python, prints what moved
(``NAME lock X -> latest Y``) and what this Python holds back, then

1. runs the package tests (``course_utils`` doctests and ``tests/``), and
2. executes every notebook top to bottom with nbclient: the cells' own checks
   (``expect``, assertions) must pass; stored outputs are not compared, since a
   new release may print a float or a repr differently.

A DeprecationWarning or FutureWarning raised from ``course_utils`` or from a
notebook cell is an error in both: it is next year's breakage, announced.

How a maintainer moves the pins: run ``make test-latest``; when it is green, copy
the "latest" versions it printed into ``requirements.lock`` and
``environment.yml`` (``tests/test_environment.py`` keeps the two in step), run
``make notebooks`` and ``make figures``, look at what changed, and run
``make test``. When it is red, the failure names the package and the call to
change before the pins can move.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv-latest"
BIN = VENV / "bin"
LOCK = ROOT / "requirements.lock"
# Every extra of pyproject.toml (lab, test, present, teach, ...): a new one is never forgotten.
EXTRAS = tuple(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
               ["project"]["optional-dependencies"])
UV_VERSION = "0.13.9"          # the Makefile's; the same tool builds both environments
# Resolved for this newer Python too, to tell which releases this Python holds back.
NEWER_PYTHON = "3.14"

# Warnings that announce a removal, raised from our code or a notebook cell: errors.
# (The package tests get the same rule from pyproject.toml's filterwarnings.)
STRICT_MODULES = r"(course_utils(\..*)?|__main__)$"
NOTEBOOK_PREAMBLE = (
    "import warnings as _w\n"
    + "".join(f"_w.filterwarnings('error', category={cat}, module={STRICT_MODULES!r})\n"
              for cat in ("DeprecationWarning", "FutureWarning"))
    + "del _w\n"
)


def read_lock(path: Path = LOCK) -> dict[str, str]:
    """``name==version`` lines of a lock file, names normalised as PyPI does."""
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pins[_normal(name)] = version.strip()
    return pins


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _run(cmd, **kw):
    print("$", " ".join(str(c) for c in cmd), flush=True)
    return subprocess.run(cmd, check=True, **kw)


def build() -> None:
    if not (BIN / "python").exists():
        _run([sys.executable, "-m", "venv", str(VENV)])
    _run([BIN / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
          f"uv=={UV_VERSION}"])
    env = dict(os.environ, UV_PYTHON_DOWNLOADS="never")
    # --upgrade --refresh: the newest release of everything, not what a cache remembers
    _run([BIN / "uv", "pip", "install", "--quiet", "--upgrade", "--refresh", "--compile-bytecode",
          "--python", BIN / "python", "-e", f".[{','.join(EXTRAS)}]"], cwd=ROOT, env=env)
    # as in .venv: an optional jsonschema dependency that slows every Jupyter start by ~2 s
    subprocess.run([BIN / "uv", "pip", "uninstall", "--quiet", "--python", BIN / "python",
                    "rfc3987-syntax"], cwd=ROOT, env=env, check=False)


def installed() -> dict[str, str]:
    out = subprocess.run([BIN / "python", "-m", "pip", "list", "--format", "json",
                          "--disable-pip-version-check"], capture_output=True, text=True, check=True)
    return {_normal(p["name"]): p["version"] for p in json.loads(out.stdout)}


def resolve_for(python_version: str) -> dict[str, str] | None:
    """What uv would install for another Python (None when it cannot resolve)."""
    env = dict(os.environ, UV_PYTHON_DOWNLOADS="never")
    out = subprocess.run([BIN / "uv", "pip", "compile", "--quiet", "--no-header", "--no-annotate",
                          "--python-version", python_version,
                          *(arg for extra in EXTRAS for arg in ("--extra", extra)),
                          "pyproject.toml"],
                         cwd=ROOT, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        print(f"(could not resolve for Python {python_version}: "
              f"{out.stderr.strip().splitlines()[-1:] or ''})")
        return None
    return read_lock_text(out.stdout)


def read_lock_text(text: str) -> dict[str, str]:
    pins = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pins[_normal(name)] = version.split(";")[0].strip()
    return pins


def report_versions() -> None:
    lock, latest = read_lock(), installed()
    print("\nVersions (lock -> latest on this Python):")
    for name in sorted(lock):
        new = latest.get(name)
        if new is None:
            print(f"  {name} lock {lock[name]} -> latest (not installed: no longer needed)")
        else:
            print(f"  {name} lock {lock[name]} -> latest {new}{'' if new != lock[name] else '  (same)'}")
    extra = sorted(set(latest) - set(lock) - {"course-utils", "uv", "pip", "setuptools"})
    for name in extra:
        print(f"  {name} (not in the lock) -> latest {latest[name]}")
    newer = resolve_for(NEWER_PYTHON)
    here = f"{sys.version_info.major}.{sys.version_info.minor}"
    if newer is not None:
        held = {n: (latest[n], v) for n, v in newer.items() if n in latest and v != latest[n]}
        print(f"\nHeld back by Python {here} (newer releases need a newer Python; "
              f"resolved for Python {NEWER_PYTHON}):")
        for name, (ours, theirs) in sorted(held.items()):
            print(f"  {name} {ours} here, {theirs} on Python {NEWER_PYTHON}")
        if not held:
            print("  nothing")


def run_tests() -> int:
    cmd = [BIN / "python", "-m", "pytest", "course_utils", "tests", "--doctest-modules", "-q",
           "-p", "no:cacheprovider", "--no-header", "-o", "addopts=-ra"]
    print("\n== package tests", flush=True)
    return subprocess.run(cmd, cwd=ROOT).returncode


def execute_notebooks() -> int:
    print("\n== notebooks (nbclient; their own checks, outputs not compared)", flush=True)
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted(
        (ROOT / "notebooks" / "apps").glob("*.ipynb"))
    cmd = [BIN / "python", str(Path(__file__)), "--execute", *map(str, notebooks)]
    run = subprocess.run(cmd, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    noise = "Kernel is running over TCP without encryption"   # ipykernel 7, once per kernel
    sys.stderr.write("".join(line + "\n" for line in run.stderr.splitlines() if noise not in line))
    return run.returncode


def execute_strict(path: Path, timeout: int = 300) -> str | None:
    """Run a notebook in memory with strict warnings; the failure as text, or None."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(NOTEBOOK_PREAMBLE))
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute()
    except CellExecutionError as err:
        text = str(err)
        return text[-1500:]
    return None


def _execute_main(paths) -> int:
    failed = []
    for p in map(Path, paths):
        start = time.perf_counter()
        why = execute_strict(p)
        print(f"  {p.name:45s} {time.perf_counter() - start:6.1f} s  {'ok' if why is None else 'FAILED'}",
              flush=True)
        if why is not None:
            print("    " + why.replace("\n", "\n    "))
            failed.append(p.name)
    if failed:
        print("notebooks that failed:", ", ".join(failed))
    return 1 if failed else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--execute", nargs="+", metavar="NOTEBOOK", help=argparse.SUPPRESS)
    parser.add_argument("--skip-build", action="store_true",
                        help="reuse .venv-latest as it is (no upgrade)")
    args = parser.parse_args(argv)
    if args.execute:
        return _execute_main(args.execute)
    start = time.perf_counter()
    if not args.skip_build:
        build()
    report_versions()
    tests = run_tests()
    notebooks = execute_notebooks()
    minutes = (time.perf_counter() - start) / 60
    verdict = "green" if tests == 0 and notebooks == 0 else "RED"
    print(f"\ntest-latest: {verdict} (package tests {'ok' if tests == 0 else 'FAILED'}, "
          f"notebooks {'ok' if notebooks == 0 else 'FAILED'}), {minutes:.1f} min")
    return 0 if verdict == "green" else 1


if __name__ == "__main__":
    sys.exit(main())
