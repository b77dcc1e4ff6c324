"""``make bench BASE=<commit>``: the old and the new code timed in turns, as ratios.

The commit is checked out with ``git worktree`` into a temporary folder (removed at the
end). Two worker processes run the measurements of ``measures.py`` (the same file for
both), one importing ``course_utils`` from that folder (old) and one from this checkout
(new). For each measurement the driver asks old, then new, then new, then old, ... for one
timed run each (at least 15 per side, after warm-ups, with one BLAS thread), so that a busy
spell of the shared machine slows both alike; it prints the medians as

    <label>  old X ms, new Y ms, ratio Y/X

and an explorer update as ``update: <what> <Y> ms  (old X ms, new Y ms, ratio Y/X)``.
A measurement that fails in one of the trees (say, a name the old code does not have) is
reported as skipped, with the reason.

Run from the checkout: ``python tools/bench/compare.py --base HEAD~3 [--repeat 15]
[--only explorer-lr loss-binary]``.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MEASURES = Path(__file__).resolve().with_name("measures.py")
MIN_REPEAT = 15
# One BLAS thread in both workers: on a shared 2-core machine two BLAS threads mostly wait
# for each other, and a 14 ms gradient then takes anywhere from 14 to 440 ms.
ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


# =========================================================================== the old tree

def resolve(commit, repo=ROOT):
    """The full hash of ``commit`` in ``repo``; a ValueError naming it if git knows no such commit."""
    found = subprocess.run(["git", "-C", str(repo), "rev-parse", "--verify", "--quiet",
                            f"{commit}^{{commit}}"], capture_output=True, text=True)
    if found.returncode != 0:
        raise ValueError(f"BASE={commit!r} is not a commit of {repo}; give a hash, a tag or "
                         f"a name such as HEAD~1 (git log --oneline lists them).")
    return found.stdout.strip()


@contextlib.contextmanager
def worktree(commit, repo=ROOT):
    """Check ``commit`` out into a temporary folder with ``git worktree``; yield its path.

    The folder and git's record of it are removed on leaving, also after an error."""
    sha = resolve(commit, repo)
    parent = Path(tempfile.mkdtemp(prefix="bench-base-"))
    path = parent / sha[:12]
    subprocess.run(["git", "-C", str(repo), "worktree", "add", "--detach", "--quiet",
                    str(path), sha], check=True)
    try:
        yield path
    finally:
        subprocess.run(["git", "-C", str(repo), "worktree", "remove", "--force", str(path)],
                       capture_output=True)
        shutil.rmtree(parent, ignore_errors=True)
        subprocess.run(["git", "-C", str(repo), "worktree", "prune"], capture_output=True)


# =========================================================================== workers

class Worker:
    """A Python process that imports ``course_utils`` from ``tree`` and runs measurements
    of ``measures`` on request, one at a time (JSON lines on its stdin and stdout)."""

    def __init__(self, tree, measures=MEASURES):
        self.tree = Path(tree).resolve()
        env = dict(os.environ, PYTHONPATH=str(self.tree), MPLBACKEND="Agg", PYTHONHASHSEED="0",
                   **ONE_THREAD)
        self.process = subprocess.Popen(
            [sys.executable, "-u", str(Path(__file__).resolve()), "--serve", str(measures)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=self.tree, env=env)
        where = self.ask("where")["path"]
        if not Path(where).resolve().is_relative_to(self.tree):
            self.close()
            raise RuntimeError(f"the worker for {self.tree} imported course_utils from {where}")
        self.package = where

    def ask(self, *request):
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the worker for {self.tree} stopped (see its messages above)")
        return json.loads(line)

    def close(self):
        if self.process.poll() is None:
            try:
                self.process.stdin.close()       # the worker's loop ends, and so the worker
                self.process.wait(timeout=30)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()


def serve(measures_path):
    """The worker's loop: ``["where"]``, ``["setup", name]``, ``["run", name, i]``."""
    spec = importlib.util.spec_from_file_location("bench_measures", measures_path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    reply_to, sys.stdout = sys.stdout, sys.stderr    # what measurements print stays off the channel
    runs = {}
    for line in sys.stdin:
        request = json.loads(line)
        try:
            if request[0] == "where":
                import course_utils
                reply = {"path": str(Path(course_utils.__file__).resolve().parent)}
            elif request[0] == "setup":
                runs[request[1]] = module.MEASURES[request[1]][1]()
                reply = {"note": getattr(runs[request[1]], "note", "")}
            else:
                fn, i = runs[request[1]], request[2]
                t0 = time.perf_counter()
                fn(i)
                reply = {"seconds": time.perf_counter() - t0}
        except Exception as error:  # reported to the driver, which skips the measurement
            reply = {"error": f"{type(error).__name__}: {error}"}
        reply_to.write(json.dumps(reply) + "\n")
        reply_to.flush()


# =========================================================================== the comparison

def interleaved(old, new, name, repeat=MIN_REPEAT, warmup=2):
    """Median seconds of ``name`` in the old and the new worker, measured in turns (old, new,
    new, old, ...), with the same repeat number ``i`` on both sides. A dict with ``old``,
    ``new`` and ``note``, or with ``skipped`` (the reason)."""
    notes = {}
    for side, worker in (("old", old), ("new", new)):
        reply = worker.ask("setup", name)
        if "error" in reply:
            return {"skipped": f"{side} code: {reply['error']}"}
        notes[side] = reply["note"]
    times = {"old": [], "new": []}
    for i in range(-warmup, repeat):
        order = (("old", old), ("new", new)) if i % 2 == 0 else (("new", new), ("old", old))
        for side, worker in order:
            reply = worker.ask("run", name, i)
            if "error" in reply:
                return {"skipped": f"{side} code: {reply['error']}"}
            if i >= 0:
                times[side].append(reply["seconds"])
    return {"old": statistics.median(times["old"]), "new": statistics.median(times["new"]),
            "note": notes["new"] or notes["old"]}


def line(label, result):
    """One printed line: ``label  old X ms, new Y ms, ratio Y/X`` (explorer updates keep
    the form ``update: <what> <Y> ms``)."""
    if "skipped" in result:
        return f"  {label:66s} skipped ({result['skipped']})"
    old, new = result["old"] * 1e3, result["new"] * 1e3
    numbers = f"old {old:8.2f} ms, new {new:8.2f} ms, ratio {new / old:5.2f}"
    if label.startswith("update: "):
        return f"  {label + f' {new:.1f} ms':66s} ({numbers})"
    return f"  {label:66s} {numbers}"


def compare(old_tree, new_tree, *, measures=MEASURES, names=None, repeat=MIN_REPEAT,
            warmup=2, out=print):
    """Time every measurement (or ``names``) in both trees in turns; print one line each."""
    spec = importlib.util.spec_from_file_location("bench_measures_list", measures)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    names = list(module.MEASURES) if names is None else list(names)
    unknown = sorted(set(names) - set(module.MEASURES))
    if unknown:
        raise ValueError(f"unknown measurement(s) {unknown}; the measurements are "
                         f"{sorted(module.MEASURES)}.")
    old = new = None
    results = {}
    try:
        old, new = Worker(old_tree, measures), Worker(new_tree, measures)
        for name in names:
            result = interleaved(old, new, name, repeat=repeat, warmup=warmup)
            results[name] = result
            out(line(module.MEASURES[name][0], result))
            if result.get("note"):
                out(f"      ({result['note']})")
    finally:
        for worker in (old, new):
            if worker is not None:
                worker.close()
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="the commit to compare with")
    parser.add_argument("--repeat", type=int, default=MIN_REPEAT,
                        help=f"timed runs per side and measurement (at least {MIN_REPEAT})")
    parser.add_argument("--only", nargs="*", help="names of measurements (measures.py)")
    args = parser.parse_args(argv)
    if args.repeat < MIN_REPEAT:
        parser.error(f"--repeat must be at least {MIN_REPEAT}; got {args.repeat}.")
    try:
        sha = resolve(args.base)
    except ValueError as error:
        parser.error(str(error))
    start = time.perf_counter()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"make bench BASE={args.base} ({sha[:12]}): old = that commit, new = this checkout; "
          f"medians of {args.repeat} runs each, in turns; load average {load:.1f} on "
          f"{os.cpu_count()} cores")
    with worktree(sha) as old_tree:
        compare(old_tree, ROOT, names=args.only, repeat=args.repeat)
    print(f"  ratio = new / old: below 1.00 the new code is faster "
          f"({time.perf_counter() - start:.0f} s in all)")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--serve":
        serve(sys.argv[2])
    else:
        main()
