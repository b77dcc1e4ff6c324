"""Graded work with nbgrader: the student edition, the solved edition and the grader.

* ``layout``: where a course notebook's exercises sit, read from the cell tags;
* ``hidden_tests``: the tests graded beyond each public check (keep private);
* ``build``: ``make student``, the nbgrader source assignment in ``build/grading/`` and
  the editions in ``dist/student/`` and ``dist/solved/``;
* ``grade``: ``make grade SUBMISSIONS=folder``, nbgrader autograde and ``grades.csv``;
* ``kernel_deaths``: nbgrader's cell runner, plus: a cell that kills the kernel or will
  not stop is left out on a rerun instead of costing the whole notebook, and a kernel
  that fails to start is started again.

Run as ``python -m tools.grading student`` or ``python -m tools.grading grade FOLDER``.
Nothing in ``course_utils`` imports this package, and students never need it.
"""
