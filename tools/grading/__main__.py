"""Command line: ``python -m tools.grading student`` and ``... grade FOLDER [--timeout S]``."""

from __future__ import annotations

import argparse
import sys
import time

from .build import ROOT, build_editions, build_source, course_notebooks, generate
from .grade import TIMEOUT, GradingError, grade, submitted_notebooks
from .layout import LayoutError


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tools.grading", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("student", help="write dist/student/ and dist/solved/")
    g = sub.add_parser("grade", help="grade one student's folder of notebooks")
    g.add_argument("folder", nargs="?", default="",
                   help="the folder of one student's notebooks (SUBMISSIONS=...)")
    g.add_argument("--timeout", type=float, default=TIMEOUT,
                   help=f"seconds one cell may run (default {TIMEOUT})")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        if args.command == "student":
            student, solved = build_editions()
            print(f"student edition: {student.relative_to(ROOT)}/, solved edition: "
                  f"{solved.relative_to(ROOT)}/ ({time.perf_counter() - start:.1f} s)")
        else:
            if not args.folder:
                raise GradingError("name the folder to grade: "
                                   "make grade SUBMISSIONS=path/to/folder")
            submitted_notebooks(args.folder, {p.name: None for p in course_notebooks()})
            build_source()              # the gradebook from the course as it is now
            generate()
            grade([args.folder], timeout=args.timeout)
            print(f"graded in {time.perf_counter() - start:.1f} s")
    except (GradingError, LayoutError, FileNotFoundError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
