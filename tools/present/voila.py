"""Voila settings of ``make present`` that voila.json cannot hold: the course's template.

Voila finds templates only in Jupyter's data folders (``JUPYTER_PATH``), so a folder
holding the template ``course`` is put in front of them before Voila looks (it reads this
file first). ``course`` is Voila's ``lab`` template plus ``widget-names.js``, without the
lab template's links to Font Awesome on a CDN (tools/present/jupyter/voila/templates/course/).

The icons (Play, for example) then come from this machine: when ``make slides-js`` has
installed Font Awesome from the npm registry into ``build/slides-js/`` (``make present``
runs it where npm is available), the template is assembled under the git-ignored
``build/present/`` with that copy in its ``static/`` folder and a line that links it.
Without it the app still works, with buttons that show their text only.
"""

import os
import shutil

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(os.path.dirname(here))
committed = os.path.join(here, "jupyter")
fontawesome = os.path.join(root, "build", "slides-js", "node_modules", "@fortawesome",
                           "fontawesome-free")


def assemble(build=os.path.join(root, "build", "present", "jupyter")):
    """The template with a local Font Awesome under ``build``; returns that data folder."""
    target = os.path.join(build, "voila", "templates", "course")
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(os.path.join(committed, "voila", "templates", "course"), target)
    static = os.path.join(target, "static", "fontawesome")
    for part in ("css", "webfonts"):
        shutil.copytree(os.path.join(fontawesome, part), os.path.join(static, part))
    shutil.copy2(os.path.join(fontawesome, "LICENSE.txt"), static)
    with open(os.path.join(target, "fontawesome.html.j2"), "w", encoding="utf-8") as f:
        f.write('{{ resources.include_css("static/fontawesome/css/all.min.css") }}\n'
                '{{ resources.include_css("static/fontawesome/css/v4-shims.min.css") }}\n')
    return build


data = assemble() if os.path.isfile(os.path.join(fontawesome, "package.json")) else committed
os.environ["JUPYTER_PATH"] = os.pathsep.join(
    p for p in (data, os.environ.get("JUPYTER_PATH")) if p)
c = get_config()  # noqa: F821 - traitlets defines it for config files
c.VoilaConfiguration.template = "course"
