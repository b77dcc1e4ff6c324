# From Sigmoid to Softmax: set-up, lab, tests.
# Needs only Python 3.11+ and make; everything else is installed into .venv.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8888
# Extra options for jupyter lab, e.g. LAB_ARGS=--no-browser
LAB_ARGS ?=
# uv installs the pinned packages ~10x faster than pip; it uses this machine's
# Python and never downloads an interpreter of its own.
UV_VERSION := 0.13.9
export UV_PYTHON_DOWNLOADS := never
export PYDEVD_DISABLE_FILE_VALIDATION := 1
# Bytecode caches make every kernel start seconds faster; a shell that disables them
# (PYTHONDONTWRITEBYTECODE) would make each notebook recompile its imports.
unexport PYTHONDONTWRITEBYTECODE
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
# The capstone's stored outputs come from the real news corpus: where the course's shared
# data folder sits beside the checkout (development and CI machines), use its archive.
NEWS_ARCHIVE := $(abspath $(wildcard ../shared/data/20news-bydate.tar.gz))
ifneq ($(NEWS_ARCHIVE),)
export COURSE_NEWS_ARCHIVE ?= $(NEWS_ARCHIVE)
endif

.PHONY: lab test notebooks bench clean-venv help present html figures site-js portability test-latest

help:
	@echo "make lab        open your copies of the course (my-notebooks/) in JupyterLab (127.0.0.1, token auth)"
	@echo "make update     the course's next version (git pull --ff-only); your edited copies stay as they are"
	@echo "make reset NB=04  start a notebook over; your copy is kept in my-notebooks/backups/"
	@echo "make test       run every test (package, notebooks under nbval strict)"
	@echo "make notebooks  re-execute all notebooks in place"
	@echo "make bench      print timing ratios (BASE=<commit>: old against new code)"
	@echo "make present    the explorers as an app for class (Voila, 127.0.0.1, token)"
	@echo "make html       a static site in _site/ (viewing needs no kernel, no network; building needs npm)"
	@echo "make figures    every lecture figure for slides (PNG, SVG), the animations (GIF), figures/README.md"
	@echo "make portability  stored outputs and figures under other SIMD paths and BLAS threads (NB=04)"
	@echo "make test-latest  tests and notebooks against the newest release of every dependency"
	@echo "make pdf        PDF handouts (no solutions) of every notebook and the course into dist/pdf/ (NB=04: one)"
	@echo "make slides NB=04  a notebook as reveal.js slides with live widgets (Voila, 127.0.0.1, token)"
	@echo "make student    instructors: the student edition (no solutions, no hidden tests) in dist/student/, dist/solved/"
	@echo "make grade SUBMISSIONS=folder  instructors: grade one student's notebooks into folder/grades.csv"

# (Re)build .venv when it is missing or the pins changed.
$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; found " + sys.version.split()[0] + ". Run: make PYTHON=python3.11 ...")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@# rfc3987-syntax (optional for jsonschema) builds ~35 parsers at import and adds
	@# about 2 s to every Jupyter start and nbval run: measured, then removed.
	$(BIN)/uv pip uninstall --quiet --python $(BIN)/python rfc3987-syntax || true
	@mkdir -p $(VENV)/share/jupyter/lab/settings
	@printf '%s\n' '{"@jupyterlab/apputils-extension:notification": {"checkForUpdates": false, "fetchNews": "false"}}' > $(VENV)/share/jupyter/lab/settings/overrides.json
	@# nbgrader is for instructors (make student, make grade): its JupyterLab extension and
	@# server extensions are turned off, so the students' JupyterLab looks and starts as before.
	$(BIN)/jupyter server extension disable --sys-prefix nbgrader.server_extensions.formgrader \
		nbgrader.server_extensions.validate_assignment nbgrader.server_extensions.assignment_list \
		nbgrader.server_extensions.course_list >/dev/null 2>&1
	$(BIN)/jupyter labextension disable --level=sys_prefix @jupyter/nbgrader >/dev/null 2>&1
	@touch $(STAMP)

# Students work in their own copies, my-notebooks/ (git-ignored): the missing ones are
# copied from notebooks/ first, an existing copy is never touched (tools/mycopies.py).
lab: $(STAMP)
	@$(BIN)/python tools/mycopies.py lab
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.port=$(PORT) \
		--ServerApp.root_dir=. --LabApp.default_url=/lab/tree/my-notebooks/00_start_here.ipynb $(ROOT_FLAG) $(LAB_ARGS)

# The course's next version: git pull --ff-only (the only thing that touches notebooks/),
# then new notebooks copied and untouched copies refreshed (old file kept in
# my-notebooks/backups/); a copy you changed is left alone. Standard library only.
.PHONY: update reset
update:
	@$(PYTHON) tools/mycopies.py update

# Start one notebook over: make reset NB=03. Your copy goes to my-notebooks/backups/
# (date and time in its name) before the course's version takes its place.
reset:
	@$(PYTHON) tools/mycopies.py reset $(NB)

test: $(STAMP)
	$(BIN)/python -m pytest course_utils tests notebooks \
		--doctest-modules --nbval --nbval-current-env \
		--nbval-sanitize-with tests/nbval_sanitize.cfg \
		--cov=course_utils --cov-report=term-missing:skip-covered --cov-fail-under=95 \
		--durations=15

# Runs every notebook (a failure is listed at the end, exit 1); stable bytes run to run;
# a notebook with uncommitted edits is skipped with a warning unless FORCE=1.
FORCE ?=
notebooks: $(STAMP)
	$(BIN)/python .ci/execute_notebooks.py $(if $(filter-out 0,$(FORCE)),--force,) \
		notebooks/*.ipynb notebooks/apps/*.ipynb

# Before submitting a change to a notebook or a figure: nbval strict and the figure test
# again with numpy's AVX-512 paths off, AVX2 off too, and one BLAS thread (tools/portability.py).
# NB=04 checks one notebook. Not part of .ci/run: it runs the notebooks four times.
NB ?=
portability: $(STAMP)
	$(BIN)/python tools/portability.py $(if $(NB),--nb $(NB),)

# The newest release of every dependency in .venv-latest/ (git-ignored): package tests and
# every notebook executed, deprecations from our code an error. Not part of .ci/run.
test-latest:
	$(PYTHON) tools/test_latest.py

# make bench BASE=<commit>: that commit (a temporary git worktree) against this checkout,
# measured in turns, one line per measurement: old X ms, new Y ms, ratio Y/X.
BASE ?=
bench: $(STAMP)
	$(BIN)/python tools/bench/$(if $(BASE),compare.py --base $(BASE),benchmarks.py)

# The explorers as an app (Voila): code hidden, widgets live, 127.0.0.1, a fresh token
# printed in the link. PRESENT_ARGS=--no-browser on a machine without a desktop.
# tools/present/voila.json: a request whose Host is not 127.0.0.1/localhost gets 403,
# as in Jupyter Server (DNS rebinding); Voila alone would answer it.
PRESENT_PORT ?= 8866
PRESENT_ARGS ?=
# Its buttons' icons come from Font Awesome installed by `make slides-js` (npm, build/),
# served by Voila itself: nothing is fetched from a CDN (tools/present/voila.py).
present: $(STAMP)
	@{ command -v npm >/dev/null && $(MAKE) -s slides-js; } || \
		echo "(no Font Awesome from npm: the app's buttons show their text without icons)"
	$(BIN)/voila notebooks/apps/explorers.ipynb --Voila.ip=127.0.0.1 --port=$(PRESENT_PORT) \
		--Voila.config_file_paths=tools/present --token $(PRESENT_ARGS)

# Every key figure as PNG + SVG (projector style) and the explorer sweeps as GIF, into
# figures/, byte-identical from run to run (tests/test_site.py checks the committed ones);
# then every lecture figure the notebooks draw (cells tagged lecture-figure), redrawn by
# the notebooks' own code in the projector style, and figures/README.md listing them
# (tools/lecture_figures.py; NB=04 redraws one notebook's). About 2 minutes.
figures: $(STAMP)
	$(if $(NB),,$(BIN)/python tools/publish.py figures --out figures)
	$(BIN)/python tools/lecture_figures.py --out figures $(if $(NB),--nb $(NB),)

# Jupyter's widget manager for static pages draws the site's widgets from their stored
# state. It comes from the npm registry at this exact version, into a git-ignored folder
# (never committed); without a lock file, which would record download addresses. The
# site gets a copy of its self-contained bundle, so no page fetches anything.
HTML_MANAGER_VERSION := 1.0.15
SITE_JS := build/site-js
SITE_JS_STAMP := $(SITE_JS)/.installed-$(HTML_MANAGER_VERSION)

$(SITE_JS_STAMP):
	@command -v npm >/dev/null || { echo "make html needs node and npm for Jupyter's widget manager: apt-get install nodejs npm"; exit 1; }
	rm -rf $(SITE_JS)
	npm install --no-package-lock --no-save --no-audit --no-fund --ignore-scripts \
		--prefix $(SITE_JS) @jupyter-widgets/html-manager@$(HTML_MANAGER_VERSION)
	@touch $@

site-js: $(SITE_JS_STAMP)

# A static site in _site/: every notebook as HTML with its outputs, widgets drawn by the
# widget manager at their stored values, the sweep animations, local MathJax when
# available. Works offline, also from file://.
html: $(STAMP) $(SITE_JS_STAMP)
	$(BIN)/python tools/publish.py html --out _site --figures figures --widget-manager $(SITE_JS)

# Graded work, for instructors, through nbgrader (tools/grading/). make student writes the
# student edition (no solution, no hidden test, no stored output) to dist/student/ and the
# same notebooks solved to dist/solved/, identical bytes on every run. make grade grades one
# student's folder of notebooks: each notebook in its own kernel, GRADE_TIMEOUT seconds per
# cell; folder/grades.csv (an existing one is kept, the new table gets a dated name).
.PHONY: student grade
SUBMISSIONS ?=
GRADE_TIMEOUT ?= 60
student: $(STAMP)
	$(BIN)/python -m tools.grading student

grade: $(STAMP)
	$(BIN)/python -m tools.grading grade "$(SUBMISSIONS)" --timeout $(GRADE_TIMEOUT)

# PDF handouts and live slides (tools/pdf.py, tools/slides/). make pdf prints the static
# site's pages of the notebooks, solutions left out, in Debian's chromium (offline) into
# dist/pdf/: one PDF per notebook and course.pdf (NB=04: that notebook's only).
# make slides serves one notebook (NB=04) as reveal.js slides with live widgets through
# Voila's reveal template; reveal.js's style sheets, Font Awesome and jQuery come from the
# npm registry at these exact versions into the git-ignored build/slides-js/ (no lock
# file, which would record download addresses) and are served by Voila itself.
.PHONY: pdf slides slides-js
REVEAL_VERSION := 6.0.1
FONTAWESOME_VERSION := 5.15.4
JQUERY_VERSION := 3.7.1
SLIDES_JS := build/slides-js
SLIDES_JS_STAMP := $(SLIDES_JS)/.installed-$(REVEAL_VERSION)-$(FONTAWESOME_VERSION)-$(JQUERY_VERSION)
SLIDES_PORT ?= 8867
SLIDES_ARGS ?=

pdf: $(STAMP) $(SITE_JS_STAMP)
	$(BIN)/python tools/pdf.py --out dist/pdf --widget-manager $(SITE_JS) $(if $(NB),--nb $(NB),)

$(SLIDES_JS_STAMP):
	@command -v npm >/dev/null || { echo "make slides needs node and npm for reveal.js's style sheets: apt-get install nodejs npm"; exit 1; }
	rm -rf $(SLIDES_JS)
	npm install --no-package-lock --no-save --no-audit --no-fund --ignore-scripts \
		--prefix $(SLIDES_JS) reveal.js@$(REVEAL_VERSION) \
		@fortawesome/fontawesome-free@$(FONTAWESOME_VERSION) jquery@$(JQUERY_VERSION)
	@touch $@

slides-js: $(SLIDES_JS_STAMP)

slides: $(STAMP) $(SLIDES_JS_STAMP)
	$(BIN)/python tools/slides/serve.py --nb $(or $(NB),04) --port $(SLIDES_PORT) $(SLIDES_ARGS)

clean-venv:
	rm -rf $(VENV)
