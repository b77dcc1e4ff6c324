"""Grading that goes on after a cell kills or hangs the Python kernel, or a kernel fails to start.

nbgrader 0.9.6 gives up on a whole notebook, every exercise at 0, whenever its cell
runner raises (``converters/base.py``, ``_handle_failure``; its ``execute_retries``
setting is read nowhere). Three things make the runner (nbclient) raise:

* a cell kills the kernel (``os._exit``, a crash inside a compiled library, memory
  running out): ``DeadKernelError`` (measured with a planted ``os._exit(1)``);
* a cell goes on after the time limit's interrupt (it ignores Ctrl-C, or it is stuck in
  compiled code that never returns to Python): no "idle" message comes, and after
  ``iopub_timeout`` seconds ``CellTimeoutError`` (measured with a loop that ignores SIGINT);
* the kernel does not start (it dies before its first reply, for example when another
  program took the port it was given a moment before): ``RuntimeError`` (or another
  error) before any cell;
  or a cell's last output comes later than ``iopub_timeout`` on a machine too busy to
  deliver it (``CellTimeoutError`` within the time limit).

This preprocessor takes the place of nbgrader's ``Execute`` when grading (``build.CONFIG``).
The first two it treats like a cell that raised: it starts a fresh kernel, runs the
notebook again from the top with that cell left out (its output says why), and goes on;
each costs one more run of the cells before it, and after ``max_deaths`` of them the
notebook is given up, as nbgrader would. A kernel that fails to start, or a cell whose
output came late although it finished within its time limit, costs nothing: the notebook
is run again as it is, up to ``max_retries`` times.
"""

from __future__ import annotations

import time

from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Integer

STOPPED = ("When this notebook was graded, this cell stopped the Python kernel (a crash, not "
           "an exception), so it was left out and the notebook run again without it.")
WOULD_NOT_STOP = ("When this notebook was graded, this cell was still running after the time "
                  "limit and did not stop when interrupted, so it was left out and the notebook "
                  "run again without it.")


class SurviveKernelDeaths(Execute):
    """nbgrader's Execute, plus: a cell that kills or hangs the kernel is skipped on a rerun,
    and a kernel that fails to start is started again."""

    max_deaths = Integer(3, help="Reruns allowed per notebook after a cell killed or hung "
                                 "the kernel.").tag(config=True)
    max_retries = Integer(2, help="Runs again as it is, per notebook, after the kernel failed "
                                  "to start or a cell's output came late.").tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        self._left_out, retries = {}, 0
        while True:
            self._running, self._started = None, None
            try:
                return super().preprocess(nb, resources, km)
            except (DeadKernelError, CellTimeoutError) as error:
                late = (isinstance(error, CellTimeoutError) and self._started is not None
                        and self.timeout is not None
                        and time.monotonic() - self._started < self.timeout)
                if self._running is None or late:   # the kernel's start, or a busy machine
                    retries = self._run_again(error, retries)
                    continue
                if len(self._left_out) >= self.max_deaths:
                    raise
                died = isinstance(error, DeadKernelError)
                self.log.warning("cell %s %s; running the notebook again without it",
                                 self._running, "stopped the kernel" if died
                                 else "did not stop when interrupted")
                self._left_out[self._running] = (("KernelDied", STOPPED) if died
                                                 else ("CellWouldNotStop", WOULD_NOT_STOP))
            except Exception as error:          # before any cell: the kernel did not start
                if self._running is not None:
                    raise
                retries = self._run_again(error, retries)

    def _run_again(self, error, retries):
        if retries >= self.max_retries:
            raise error
        self.log.warning("%s: %s; running the notebook again as it is",
                         type(error).__name__, error)
        return retries + 1

    def preprocess_cell(self, cell, resources, index):
        self._running, self._started = index, time.monotonic()
        if index in self._left_out:
            ename, why = self._left_out[index]
            cell.outputs = [NotebookNode(output_type="error", ename=ename, evalue=why,
                                         traceback=[f"{ename}: {why}"])]
            cell.execution_count = None
            return cell, self.resources
        return super().preprocess_cell(cell, resources, index)
