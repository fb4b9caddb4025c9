# The whole set-up is `make lab` (read and play) and `make test` (prove it all still works).
# Both make a virtual environment in .venv and install the requirements when they are missing
# or out of date. Only Python >= 3.10 and make are needed beforehand.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8888
# root (containers, CI) needs --allow-root; anybody else must not get it
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
# the project's JupyterLab settings (no "get notified about Jupyter news?" prompt), where
# JupyterLab reads overrides for everybody who uses this environment
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json

.PHONY: lab test test-matrix benchmark screenshot clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' || \
	  { echo "Python >= 3.10 is needed; set PYTHON=/path/to/python3.x"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(LAB_SETTINGS): lab-settings/overrides.json | $(BIN)/python
	mkdir -p $(@D)
	cp lab-settings/overrides.json $@

# the project itself is installed editable (pip install -e .), so notebooks import it by name
$(VENV)/.lab-installed: pyproject.toml $(LAB_SETTINGS) | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check -q -e .
	touch $@

# nbgrader (a teacher's tool, in the test extra) installs JupyterLab menus and server extensions;
# they are switched off, so JupyterLab looks the same to learners and to the browser tests (a
# teacher who wants nbgrader's pages: `jupyter labextension enable @jupyter/nbgrader`)
NBGRADER_SERVER := formgrader validate_assignment assignment_list course_list
$(VENV)/.test-installed: pyproject.toml $(LAB_SETTINGS) | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check -q -e ".[test]"
	$(BIN)/jupyter labextension disable --level=sys_prefix @jupyter/nbgrader >/dev/null 2>&1
	for e in $(NBGRADER_SERVER); do \
	  $(BIN)/jupyter server extension disable --sys-prefix nbgrader.server_extensions.$$e \
	    >/dev/null 2>&1 || exit 1; done
	touch $(VENV)/.lab-installed $@

# JupyterLab on this machine only (127.0.0.1), with Jupyter's token: it prints the URL to open
lab: $(VENV)/.lab-installed
	$(BIN)/python -m jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.port=$(PORT) \
	  --ServerApp.root_dir=notebooks $(ROOT_FLAG) $(LAB_ARGS)

# ruff, then the unit tests, strict nbval over every notebook (twice: the second time on numpy's
# baseline kernels, conftest.py), widget and browser tests (settings in pytest.ini)
test: $(VENV)/.test-installed
	$(BIN)/python -m ruff check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# the versions pyproject.toml claims: the unit tests and strict nbval again with Python 3.10 and
# the oldest version of every requirement, and with Python 3.13 and the newest (build/matrix/;
# pyenv's Pythons, or PYTHON_FLOOR=... PYTHON_NEWEST=...); ENVS=floor runs one
ENVS ?=
test-matrix: $(VENV)/.test-installed
	$(BIN)/python scripts/test_matrix.py $(ENVS)

# timings, printed (not tests): run+backward against torch.nn.LSTM when torch is installed,
# each notebook panel's slider-to-redraw time in the kernel, then in JupyterLab + Chromium from an
# arrow key to new pixels (skipped, with the reason, without Chromium or Playwright), and each
# notebook's run time from a fresh kernel
benchmark: $(VENV)/.test-installed
	$(BIN)/python benchmarks/bench_core.py
	$(BIN)/python benchmarks/bench_panels.py
	$(BIN)/python benchmarks/bench_browser.py
	$(BIN)/python benchmarks/bench_notebooks.py

# the README's picture: the browser test runs the dashboard in JupyterLab and keeps its panel
screenshot: $(VENV)/.test-installed
	$(BIN)/python -m pytest tests/test_browser.py -k 05_
	mkdir -p docs
	cp build/screenshots/dashboard_panel.png docs/dashboard.png

clean:
	rm -rf $(VENV) .pytest_cache build

# every notebook executed in place, each from a fresh kernel, saved with its outputs and without
# widget state (so a panel's stored output is its picture wherever no kernel runs);
# NB=notebooks/05_dashboard.ipynb executes one
NB ?=
.PHONY: notebooks
notebooks: $(VENV)/.lab-installed
	$(BIN)/python scripts/execute_notebooks.py $(NB)

# the notebooks as static HTML pages that work with no network (pictures, their words, math
# typeset by a local copy of MathJax): build/html/index.html
.PHONY: html
html: $(VENV)/.test-installed
	$(BIN)/python scripts/export_html.py build/html

# a copy of the notebooks for a class, made by nbgrader's generate_assignment (nbgrader_config.py):
# each worked solution becomes the learner's answer cell, followed by its graded test;
# every other cell stays as it is: build/course/release/notebooks/
.PHONY: student
student: $(VENV)/.test-installed
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/nbgrader generate_assignment notebooks --force
