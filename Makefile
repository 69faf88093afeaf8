# One command to set up and build the reports, one to set up and run the tests.
# Works on a fresh machine with Python 3.11+ (no conda needed): creates .venv when missing.
# Which reports a build makes (areas, period, parameters, notebooks) is config/report_sets.yml:
# `make reports` builds its default set, `make reports SET=all-las` another one.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SET ?=
DROP ?= ../shared/data/dfe

.DEFAULT_GOAL := help
.PHONY: help setup reports refresh scheduled test lab extract validate notebooks lint clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	$(PY) -m ipykernel install --sys-prefix --name analysis --display-name "Python (analysis)" >/dev/null
	@touch $(STAMP)

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

setup: $(STAMP) ## Create .venv, install the package and the "analysis" Jupyter kernel

reports: $(STAMP) ## Validate, derive data/processed, build a report set (SET=name; default: the file's default)
	$(PY) -m analysis validate
	$(PY) -m analysis build --set $(SET)

refresh: $(STAMP) ## Compare the official files in DROP with data/raw: 0 same, 4 review reports/refresh/diff.html, 2 errors
	$(PY) -m analysis refresh --source-dir $(DROP)

scheduled: $(STAMP) ## What the schedule runs: refresh, then (only if nothing to review) a report set
	$(PY) -m analysis refresh --source-dir $(DROP)
	$(PY) -m analysis build --set $(SET)

test: $(STAMP) lint ## The lint hooks, then the whole test suite (what CI runs)
	$(PY) -m pytest -q

lab: $(STAMP) ## JupyterLab with the project's kernel; the notebooks open with the default set's area
	$(VENV)/bin/jupyter lab notebooks/

extract: $(STAMP) ## Re-derive the official extracts from ../shared/data/dfe (and dfe-historic)
	$(PY) -m analysis extract

validate: $(STAMP) ## Check every extract; list every problem (file, line, column, reason)
	$(PY) -m analysis validate

notebooks: $(STAMP) ## Rewrite notebooks/*.ipynb from tools/make_notebooks.py
	$(PY) tools/make_notebooks.py

lint: $(STAMP) ## pre-commit on every file: ruff, nbstripout, large files, end of file (offline hooks)
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/pre-commit run --all-files

clean: ## Remove .venv and the build's private work folder
	rm -rf $(VENV) reports/.build
