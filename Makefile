# One command to set up and build the reports, one to set up and run the tests.
# Works on a fresh machine with Python 3.11+ (no conda needed): creates .venv when missing.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
LA ?= 890
START ?= 2012
END ?= 2022

.PHONY: setup reports test lab extract validate lint clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	$(PY) -m ipykernel install --sys-prefix --name analysis --display-name "Python (analysis)" >/dev/null
	@touch $(STAMP)

setup: $(STAMP)

## The main job: validate the extracts, derive data/processed, render every report.
reports: $(STAMP)
	$(PY) -m analysis validate
	$(PY) -m analysis build --la $(LA) --start-year $(START) --end-year $(END)

## The whole test suite (what CI runs).
test: $(STAMP)
	$(PY) -m pytest -q

## JupyterLab with the project's kernel, notebooks defaulting to the Blackpool report.
lab: $(STAMP)
	$(VENV)/bin/jupyter lab notebooks/

## Re-derive the official extracts from ../shared/data/dfe (and dfe-historic).
extract: $(STAMP)
	$(PY) -m analysis extract

validate: $(STAMP)
	$(PY) -m analysis validate

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks

clean:
	rm -rf $(VENV) reports/.build
