"""``make slides NB=04``: a notebook as reveal.js slides with live widgets, served by Voila.

Voila runs the notebook in a kernel and shows it with its ``reveal`` template: every
cell's ``slideshow`` metadata (slide, subslide, fragment, skip, as for RISE) cuts the
slides, code is hidden and widgets are live, so an explorer answers its sliders on
its slide. Voila's template links reveal.js's style sheets, Font Awesome and jQuery on
CDNs; the course's template ``course-slides`` (tools/slides/templates/) serves them
from this machine instead. This script:

1. assembles the template in ``build/slides/jupyter/voila/templates/course-slides/``
   (git-ignored): the template files, and in its ``static/`` folder the files of the
   npm packages that ``make slides-js`` installs at exact versions into
   ``build/slides-js/`` (reveal.js's ``dist``, Font Awesome's ``css`` and ``webfonts``,
   jQuery) and ``widget-names.js`` (tools/present/), nothing of which is committed;
2. serves the chosen notebook with Voila on 127.0.0.1 with a token, the template
   found through ``JUPYTER_PATH`` and the Host check of ``tools/present/voila.json``.

A notebook without any ``slideshow`` metadata would become one long slide; the course's
notebooks all carry it. What is served is a copy in ``build/slides/notebooks/`` (the
course's notebook is never written), in which each cell that shows a widget starts a
sub-slide of its own: in RISE those cells shared a slide with the text before them,
since RISE cannot show widgets, and an explorer below a slide of text would sit below
the bottom of the screen.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))     # tools/ is not a package: its shared modules
from course_notebooks import named_notebook  # noqa: E402
TEMPLATE = Path(__file__).resolve().parent / "templates" / "course-slides"
PACKAGES = ROOT / "build" / "slides-js" / "node_modules"
BUILD = ROOT / "build" / "slides" / "jupyter"
WIDGET_NAMES = (ROOT / "tools" / "present" / "jupyter" / "voila" / "templates" / "course"
                / "static" / "widget-names.js")
#: npm package folder -> (what to copy, where in static/)
ASSETS = {"reveal.js": (("dist",), "revealjs"),
          "@fortawesome/fontawesome-free": (("css", "webfonts", "LICENSE.txt"), "fontawesome"),
          "jquery": (("dist/jquery.min.js", "LICENSE.txt"), "jquery")}


def assemble(build=BUILD, packages=PACKAGES):
    """Write the ``course-slides`` template with its local assets under ``build``.

    Returns the template folder. Raises FileNotFoundError, naming the fix, when the npm
    packages are missing.
    """
    target = Path(build) / "voila" / "templates" / "course-slides"
    missing = [name for name in ASSETS if not (Path(packages) / name / "package.json").is_file()]
    if missing:
        raise FileNotFoundError(f"the slides need {missing} from the npm registry in "
                                f"{packages}: run `make slides-js` (make slides does it).")
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(TEMPLATE, target)
    static = target / "static"
    for name, (parts, folder) in ASSETS.items():
        for part in parts:
            src = Path(packages) / name / part
            dst = static / folder / Path(part).name
            dst.parent.mkdir(parents=True, exist_ok=True)
            if src.is_dir():
                shutil.copytree(src, dst)
            else:
                shutil.copy2(src, dst)
    shutil.copy2(WIDGET_NAMES, static / WIDGET_NAMES.name)
    return target


def notebook_path(nb):
    """The course notebook that ``nb`` names: a number (04, 4), a prefix or a file name."""
    path = named_notebook(ROOT / "notebooks", nb)
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    if not any("slideshow" in c.get("metadata", {}) for c in cells):
        raise ValueError(f"{path.name} has no slide metadata (cell metadata 'slideshow'): "
                         f"set the slide types in JupyterLab's property inspector first.")
    return path


#: A cell that shows one of the course's widgets (what test_browser.py looks for as well).
WIDGET_CALL = re.compile(r"\b(?:binary_explorer|multinomial_explorer|decision_boundary_widget"
                         r"|sigmoid_slider|exam_question_widget)\(")


def slide_copy(path, folder=ROOT / "build" / "slides" / "notebooks"):
    """A copy of the notebook at ``path`` in ``folder``, each widget on a sub-slide of its own."""
    cells = json.loads(path.read_text(encoding="utf-8"))
    for cell in cells["cells"]:
        show = cell.get("metadata", {}).setdefault("slideshow", {"slide_type": "-"})
        if (cell["cell_type"] == "code" and WIDGET_CALL.search("".join(cell["source"]))
                and show.get("slide_type", "-") in ("-", "fragment", "notes")):
            show["slide_type"] = "subslide"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / path.name
    target.write_text(json.dumps(cells, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return target


def voila_command(path, port, extra=()):
    """The Voila command line serving ``path`` as slides (run from the course folder)."""
    return [str(Path(sys.executable).parent / "voila"), str(path.relative_to(ROOT)),
            "--template=course-slides", "--Voila.ip=127.0.0.1", f"--port={port}",
            "--Voila.config_file_paths=tools/present", "--token", *extra]


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python tools/slides/serve.py",
                                     description="Serve a notebook as live slides (Voila).")
    parser.add_argument("--nb", default="04", help="the notebook: 04, a prefix or a file name")
    parser.add_argument("--port", type=int, default=8867)
    args, extra = parser.parse_known_args(argv)
    path = slide_copy(notebook_path(args.nb))
    assemble()
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(BUILD), env.get("JUPYTER_PATH")) if p)
    os.chdir(ROOT)
    os.execve(voila_command(path, args.port, extra)[0], voila_command(path, args.port, extra),
              env)


if __name__ == "__main__":
    sys.exit(main())
