"""Voila settings of ``make present`` that voila.json cannot hold: the course's template.

Voila finds templates only in Jupyter's data folders (``JUPYTER_PATH``), so the folder
``tools/present/jupyter`` is put in front of them before Voila looks (it reads this file
first). The template ``course`` is Voila's ``lab`` template plus ``widget-names.js``.
"""

import os

here = os.path.dirname(os.path.abspath(__file__))
os.environ["JUPYTER_PATH"] = os.pathsep.join(
    p for p in (os.path.join(here, "jupyter"), os.environ.get("JUPYTER_PATH")) if p)
c = get_config()  # noqa: F821 - traitlets defines it for config files
c.VoilaConfiguration.template = "course"
