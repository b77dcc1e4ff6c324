"""Grading that goes on after a cell kills the Python kernel.

nbgrader 0.9.6 gives up on a notebook whose kernel dies (``os._exit``, a crash inside a
compiled library, memory running out): nbclient raises ``DeadKernelError`` and nbgrader
drops the whole notebook, every exercise at 0 (measured with a planted ``os._exit(1)``;
``converters/base.py``, ``_handle_failure``). This preprocessor takes the place of
nbgrader's ``Execute`` when grading (``build.CONFIG``) and treats such a cell like a cell
that raised: it starts a fresh kernel, runs the notebook again from the top with that
cell left out (its output says why), and goes on. A death costs one more run of the cells
before it; after ``max_deaths`` deaths the notebook is given up, as nbgrader would.
"""

from __future__ import annotations

from nbclient.exceptions import DeadKernelError
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Integer

STOPPED = ("When this notebook was graded, this cell stopped the Python kernel (a crash, not "
           "an exception), so it was left out and the notebook run again without it.")


class SurviveKernelDeaths(Execute):
    """nbgrader's Execute, plus: a cell that kills the kernel is skipped on a rerun."""

    max_deaths = Integer(3, help="Reruns allowed per notebook after the kernel died.").tag(
        config=True)

    def preprocess(self, nb, resources=None, km=None):
        self._left_out, self._running = set(), None
        for _ in range(self.max_deaths):
            try:
                return super().preprocess(nb, resources, km)
            except DeadKernelError:
                self.log.warning("cell %s stopped the kernel; running the notebook again "
                                 "without it", self._running)
                self._left_out.add(self._running)
        return super().preprocess(nb, resources, km)

    def preprocess_cell(self, cell, resources, index):
        self._running = index
        if index in self._left_out:
            cell.outputs = [NotebookNode(output_type="error", ename="KernelDied",
                                         evalue=STOPPED, traceback=[f"KernelDied: {STOPPED}"])]
            cell.execution_count = None
            return cell, self.resources
        return super().preprocess_cell(cell, resources, index)
