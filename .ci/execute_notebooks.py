"""Re-execute notebooks in place, deterministically (``make notebooks``).

Each notebook runs top to bottom in a fresh kernel from this environment; cells are
numbered 1..n, widget state is stored (so the static site can show widgets), and
the wall time is printed against the course's budget (10 s, the capstone 30 s).
"""

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

BUDGET_S = {"08_news_classification.ipynb": 30.0}


def execute(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    for cell in nb.cells:
        cell.metadata.pop("execution", None)      # timestamps: noise in diffs
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return elapsed


def main(paths):
    os.environ.setdefault("PYTHONHASHSEED", "0")
    over = []
    for p in map(Path, paths):
        elapsed = execute(p)
        budget = BUDGET_S.get(p.name, 10.0)
        flag = "" if elapsed <= budget else f"  OVER the {budget:.0f} s budget"
        print(f"{p.name:45s} {elapsed:6.1f} s{flag}", flush=True)
        if flag:
            over.append(p.name)
    if over:
        print("Over budget:", ", ".join(over))


if __name__ == "__main__":
    main(sys.argv[1:])
