"""Re-execute notebooks in place, deterministically (``make notebooks``).

Each notebook runs top to bottom in a fresh kernel from this environment; cells are
numbered 1..n, widget state is stored (so the static site can show widgets), and the
wall time is printed against the course's budget (10 s, the capstone 30 s).

What it promises:

* every notebook is run, even after one fails; at the end every failure is listed
  with its notebook and cell, and the exit status is 1. A notebook that fails is
  left as it was on disk (no half-run outputs);
* two runs in a row give the same bytes, so ``git status`` stays clean:
  widget model ids are renumbered by order of appearance (the outputs' views in cell
  order, then the models they refer to, depth first), everywhere they occur
  (``IPY_MODEL_...`` references included); an output equal to the stored one under
  the rules of ``tests/nbval_sanitize.cfg`` (timings, memory addresses) keeps its
  stored text, and a PNG that shows the same picture as the stored one
  (:func:`course_utils.figures.picture_difference`) keeps its stored bytes;
* a notebook with uncommitted edits (``git diff`` not clean, or not tracked at all)
  is skipped with a warning, since running it would replace its outputs; ``FORCE=1``
  (or ``--force``) runs it anyway.
"""

import argparse
import base64
import binascii
import configparser
import copy
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[1]
SANITIZE_CFG = ROOT / "tests" / "nbval_sanitize.cfg"
BUDGET_S = {"08_news_classification.ipynb": 30.0}
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
_PNG_BASE64 = "iVBORw0KGgo"      # a PNG's signature in base64 (a widget's image buffer)
_MODEL_REF = re.compile(r"IPY_MODEL_([0-9A-Za-z_-]+)")


# =========================================================================== edits in git

def uncommitted(path):
    """Why ``path`` holds work git does not have (a sentence), or None if it is clean."""
    path = Path(path).resolve()
    where = {"cwd": path.parent, "capture_output": True, "text": True}
    try:
        tracked = subprocess.run(["git", "ls-files", "--error-unmatch", "--", path.name], **where)
    except FileNotFoundError:
        return "git is not installed, so its edits cannot be checked"
    if tracked.returncode != 0:
        return "it is not committed to git (untracked)"
    if subprocess.run(["git", "diff", "--quiet", "HEAD", "--", path.name], **where).returncode:
        return "it has uncommitted edits (git diff)"
    return None


# =========================================================================== stable ids

def _widget_state(nb):
    return nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state")


def _references(value):
    """Model ids referred to inside a model's state, in a fixed (key-sorted) order."""
    text = json.dumps(value, sort_keys=True)
    return _MODEL_REF.findall(text)


def renumber_widgets(nb):
    """Give the widget models ids by order of appearance; return the mapping old -> new.

    The order: the views in the outputs (cell order), each followed depth first by the
    models it refers to (``IPY_MODEL_<id>``), then any model not reached, in stored order.
    Ids keep the shape of a model id (32 hexadecimal digits).
    """
    state = _widget_state(nb)
    if not state:
        return {}
    order, seen = [], set()

    def visit(mid):
        stack = [mid]
        while stack:
            m = stack.pop()
            if m in seen:
                continue
            seen.add(m)
            order.append(m)            # a view of a model no longer stored gets an id too
            if m in state:
                stack.extend(reversed(_references(state[m].get("state", {}))))

    for cell in nb.cells:
        for out in cell.get("outputs", []):
            view = out.get("data", {}).get(WIDGET_VIEW)
            if view and "model_id" in view:
                visit(view["model_id"])
    for m in state:
        visit(m)
    mapping = {old: f"{i + 1:032x}" for i, old in enumerate(order)}
    if all(k == v for k, v in mapping.items()):
        return mapping
    pattern = re.compile("|".join(re.escape(k) for k in sorted(mapping, key=len, reverse=True)))
    text = pattern.sub(lambda m: mapping[m.group(0)], json.dumps(nb))
    renamed = nbformat.from_dict(json.loads(text))
    new_state = _widget_state(renamed)
    renamed.metadata["widgets"][WIDGET_STATE]["state"] = {
        mapping[m]: new_state[mapping[m]] for m in order if m in state}
    nb.clear()
    nb.update(renamed)
    return mapping


# =========================================================================== keep stored bytes

def sanitize_rules(cfg=SANITIZE_CFG):
    """The (regex, replacement) pairs of nbval's sanitize file."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(cfg)
    return [(re.compile(parser[s]["regex"]), parser[s]["replace"]) for s in parser.sections()]


def _sanitized(value, rules):
    if isinstance(value, str):
        for regex, replace in rules:
            value = regex.sub(replace, value)
        return value
    if isinstance(value, list):
        return [_sanitized(v, rules) for v in value]
    if isinstance(value, dict):
        return {k: _sanitized(v, rules) for k, v in value.items()}
    return value


def _same_png(old, new):
    """True when two base64 PNGs show the same picture."""
    from course_utils.figures import picture_difference
    try:
        a, b = base64.b64decode(old), base64.b64decode(new)
    except (binascii.Error, TypeError):
        return False
    with tempfile.TemporaryDirectory() as tmp:
        pa, pb = Path(tmp, "old.png"), Path(tmp, "new.png")
        pa.write_bytes(a)
        pb.write_bytes(b)
        try:
            return picture_difference(pa, pb) is None
        except (ValueError, OSError):
            return False


def _equivalent(old, new, rules):
    """Whether an output (or a widget's state) is the stored one up to timings and pictures."""
    if old == new:
        return True
    if isinstance(old, dict) and isinstance(new, dict):
        if old.keys() != new.keys():
            return False
        for k in old:
            if (k == "image/png" or k == "data" and str(old[k]).startswith(_PNG_BASE64)) \
                    and isinstance(old[k], str) and isinstance(new[k], str):
                if old[k] != new[k] and not _same_png(old[k], new[k]):
                    return False
            elif not _equivalent(old[k], new[k], rules):
                return False
        return True
    if isinstance(old, list) and isinstance(new, list):
        return len(old) == len(new) and all(_equivalent(a, b, rules) for a, b in zip(old, new))
    if isinstance(old, str) and isinstance(new, str):
        return _sanitized(old, rules) == _sanitized(new, rules)
    return False


def keep_stored(stored, fresh, rules=None):
    """In ``fresh``, put back what equals ``stored`` up to timings and pictures; return count.

    Outputs are compared cell by cell (same position, same source), output by output;
    widget models by (renumbered) id.
    """
    rules = sanitize_rules() if rules is None else rules
    kept = 0
    for old_cell, new_cell in zip(stored.cells, fresh.cells):
        if old_cell.cell_type != "code" or new_cell.cell_type != "code" \
                or old_cell.source != new_cell.source:
            continue
        old_outs, new_outs = old_cell.get("outputs", []), new_cell.get("outputs", [])
        if len(old_outs) != len(new_outs):
            continue
        for i, (a, b) in enumerate(zip(old_outs, new_outs)):
            if a != b and _equivalent(a, b, rules):
                new_outs[i] = copy.deepcopy(a)
                kept += 1
    old_state, new_state = _widget_state(stored) or {}, _widget_state(fresh) or {}
    for mid, model in new_state.items():
        if mid in old_state and old_state[mid] != model \
                and _equivalent(old_state[mid], model, rules):
            new_state[mid] = copy.deepcopy(old_state[mid])
            kept += 1
    return kept


# =========================================================================== running

class NotebookFailed(Exception):
    """A cell raised: ``where`` names the notebook and the cell."""

    def __init__(self, where, error):
        super().__init__(f"{where}: {error}")
        self.where, self.error = where, error


def coalesce_streams(cell):
    """Join consecutive stream outputs of the same name into one.

    The kernel sends printed text in chunks whose boundaries depend on timing (a
    ``print`` with several arguments may arrive in two messages one run and in one the
    next), so the stored chunks would differ from run to run though the text does not.
    """
    if cell.get("cell_type") != "code":
        return
    merged = []
    for out in cell.get("outputs", []):
        if (out.get("output_type") == "stream" and merged
                and merged[-1].get("output_type") == "stream"
                and merged[-1].get("name") == out.get("name")):
            merged[-1]["text"] = merged[-1]["text"] + out["text"]
        else:
            merged.append(out)
    cell["outputs"] = merged


def execute(path: Path, rules=None) -> float:
    """Run ``path`` in a fresh kernel and write it back, stable; return the wall time.

    Raises NotebookFailed (the file left untouched) when a cell raises.
    """
    stored = nbformat.read(path, as_version=4)
    nb = copy.deepcopy(stored)
    failed = {}

    def on_error(cell, cell_index, execute_reply):
        failed.setdefault("index", cell_index)

    client = NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}},
                            on_cell_error=on_error)
    start = time.perf_counter()
    try:
        client.execute()
    except CellExecutionError as e:
        index = failed.get("index")
        cell = f"cell {index + 1}" if index is not None else "a cell"
        error = f"{e.ename}: {e.evalue}" if getattr(e, "ename", None) else str(e).splitlines()[0]
        source = nb.cells[index].source.strip().splitlines()[:1] if index is not None else []
        raise NotebookFailed(f"{path.name} {cell}" + (f" ({source[0][:60]!r})" if source else ""),
                             error) from None
    elapsed = time.perf_counter() - start
    for cell in nb.cells:
        cell.metadata.pop("execution", None)      # timestamps: noise in diffs
        coalesce_streams(cell)
    renumber_widgets(nb)
    keep_stored(stored, nb, rules)
    nbformat.validate(nb)
    if nbformat.writes(nb) != nbformat.writes(stored):
        nbformat.write(nb, path)
    return elapsed


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python .ci/execute_notebooks.py",
                                     description="Re-execute notebooks in place, stably.")
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--force", action="store_true",
                        help="also run notebooks with uncommitted edits (or FORCE=1)")
    args = parser.parse_args(argv)
    force = args.force or os.environ.get("FORCE", "") not in ("", "0")
    os.environ.setdefault("PYTHONHASHSEED", "0")
    rules = sanitize_rules()
    over, failures, skipped = [], [], []
    for p in map(Path, args.paths):
        why = None if force else uncommitted(p)
        if why:
            print(f"WARNING: skipped {p}: {why}; its outputs would be replaced. Commit or "
                  f"undo the edits, or run `make notebooks FORCE=1` to run it anyway.",
                  file=sys.stderr, flush=True)
            skipped.append(p.name)
            continue
        try:
            elapsed = execute(p, rules)
        except NotebookFailed as e:
            print(f"{p.name:45s} FAILED: {e}", flush=True)
            failures.append(e)
            continue
        except Exception as e:             # a kernel that dies, a timeout: still go on
            print(f"{p.name:45s} FAILED: {type(e).__name__}: {e}", flush=True)
            failures.append(NotebookFailed(p.name, f"{type(e).__name__}: {e}"))
            continue
        budget = BUDGET_S.get(p.name, 10.0)
        flag = "" if elapsed <= budget else f"  OVER the {budget:.0f} s budget"
        print(f"{p.name:45s} {elapsed:6.1f} s{flag}", flush=True)
        if flag:
            over.append(p.name)
    if over:
        print("Over budget:", ", ".join(over))
    if skipped:
        print("Skipped (uncommitted edits, FORCE=1 runs them):", ", ".join(skipped))
    if failures:
        print(f"{len(failures)} notebook(s) failed, left as they were:")
        for f in failures:
            print(f"  {f}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
