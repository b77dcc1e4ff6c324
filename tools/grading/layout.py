"""Where the exercises sit in a course notebook, read from its cell tags.

An exercise in the course notebooks is a run of cells with one shape (the README's cell
tags):

    stub code cell            ``lr_max = None  # your code here`` (no tag)
    check cell                tagged ``exercise-check``: ``exercises.check("04.lr_max", lr_max)``
    hint cells                Markdown tagged ``hint``
    "Solution (click ...)"    an untagged Markdown cell that only announces the solution
    solution cell             tagged ``solution``: the worked solution

Everything the grading tools do starts from this module: the exercise id is the first
argument of the check call (read with ``ast``, never with a regular expression), the
solution cell is the first ``solution`` cell after the check, and its announcement is the
Markdown cell right before it when that cell starts with "Solution". Nothing here writes
a notebook.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

CHECK_TAG = "exercise-check"
SOLUTION_TAG = "solution"
HINT_TAG = "hint"
ANNOUNCEMENT = "Solution"          # the Markdown cell "Solution (click the ... to reveal)"


class LayoutError(ValueError):
    """A notebook's exercise cells are not in the shape the grading tools expect."""


@dataclass(frozen=True)
class Exercise:
    """One exercise of a notebook, as cell indices into ``nb.cells``."""

    id: str                  # the check's exercise id, e.g. "04.lr_max"
    check: int               # the cell tagged exercise-check
    solution: int            # the cell tagged solution
    announcement: int | None  # the "Solution (click ...)" Markdown cell, if any
    check_source: str        # the check cell's code, one expression


def tags(cell):
    return cell.get("metadata", {}).get("tags", [])


def exercise_id(source, where):
    """The exercise id of a check cell: the string literal first argument of check(...)."""
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        raise LayoutError(f"{where}: the exercise-check cell must hold one expression, "
                          f"exercises.check(...); it does not parse ({exc.msg}).") from None
    call = tree.body
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
            and call.func.attr == "check" and call.args
            and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str)):
        raise LayoutError(f"{where}: the exercise-check cell must be one call "
                          f"exercises.check(\"<exercise id>\", answer, ...); got {source!r}.")
    return call.args[0].value


def find_exercises(nb, name="notebook"):
    """Every exercise of the notebook ``nb`` (an nbformat node), in cell order.

    Raises LayoutError, naming the notebook and cell, when a check cell has no solution
    cell after it (before the next check) or a solution cell follows no check cell.
    """
    cells = nb.cells
    checks = [i for i, c in enumerate(cells) if CHECK_TAG in tags(c)]
    solutions = [i for i, c in enumerate(cells) if SOLUTION_TAG in tags(c)]
    exercises, seen = [], set()
    for k, check in enumerate(checks):
        stop = checks[k + 1] if k + 1 < len(checks) else len(cells)
        mine = [s for s in solutions if check < s < stop]
        where = f"{name}, cell {check}"
        ex_id = exercise_id(cells[check].source, where)
        if len(mine) != 1:
            raise LayoutError(f"{where}: an exercise-check cell needs exactly one cell tagged "
                              f"'solution' before the next exercise; found {len(mine)}.")
        if ex_id in seen:
            raise LayoutError(f"{where}: the exercise id {ex_id!r} is checked twice in this "
                              f"notebook; each exercise needs its own id.")
        seen.add(ex_id)
        solution = mine[0]
        before = cells[solution - 1]
        announced = (before.cell_type == "markdown" and not tags(before)
                     and before.source.lstrip().startswith(ANNOUNCEMENT))
        exercises.append(Exercise(ex_id, check, solution, solution - 1 if announced else None,
                                  cells[check].source))
    orphans = [s for s in solutions if not checks or s < checks[0]]
    if orphans:
        raise LayoutError(f"{name}, cell {orphans[0]}: a cell tagged 'solution' that follows no "
                          f"exercise-check cell; tag its check cell or remove the tag.")
    return exercises


def grade_id(ex_id, part):
    """The nbgrader name of one graded cell: letters, digits, '_' and '-' only."""
    safe = "".join(ch if ch.isalnum() else "_" for ch in ex_id)
    return f"{safe}-{part}"
