"""Declared report inputs (``analysis.measures.reads``): the build hashes them, the context serves only them.

The notebooks' code runs here, in this process, with every extract read recorded (``load`` in
each module that imported it, and ``load_all``): a notebook that reads something its declaration
does not list fails this test, because the build would not notice that input change.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import analysis.data.load as load_module
from analysis import paths, report
from analysis.data.registry import all_specs
from analysis.measures import reads
from analysis.measures.reads import AREAS, WHOLE, UndeclaredInput
from analysis.measures.tables import TABLES
from analysis.publish import digest
from analysis.report import context

pytestmark = pytest.mark.usefixtures("processed")  # report.context reads data/processed

BLACKPOOL, CAMDEN, ENGLAND = "E06000009", "E09000007", "E92000001"


def test_every_declared_name_is_an_extract_or_a_processed_table():
    assert set(reads.EXTRACTS) <= set(all_specs())
    assert set(reads.PROCESSED) <= set(TABLES)
    assert {s for t in TABLES.values() for s in t.sources} <= set(all_specs())
    assert digest.WHOLE == WHOLE  # the build's copy of the constant (it does not import analysis.report)


def test_inputs_name_the_area_its_comparators_and_every_declared_table():
    declared = report.inputs("890", 2012, 2022, "2021")
    assert declared.areas[:3] == (BLACKPOOL, ENGLAND, "E12000002")  # area, England, North West
    assert len(declared.areas) == 13  # and ten neighbours
    assert declared.extract_scope("sources") == WHOLE and declared.extract_scope("events") == AREAS
    assert declared.processed_scope("measures") == AREAS
    with pytest.raises(UndeclaredInput, match="'cin'"):
        declared.extract_scope("cin")


def test_context_serves_only_the_declared_rows():
    ctx = context("890", 2012, 2022)
    assert set(ctx.values["area_code"]) <= set(ctx.inputs.areas)
    assert set(ctx.extract("ofsted_inspections")["area_code"]) <= set(ctx.inputs.areas)
    assert len(ctx.extract("sources")) == len(load_module.load("sources"))  # declared whole
    with pytest.raises(UndeclaredInput):
        ctx.extract("cin")  # the measures come from data/processed, not from the extract


def test_a_joint_service_row_belongs_to_each_of_its_areas():
    assert reads.area_rows("E06000052+E06000053", {"E06000053"})
    assert not reads.area_rows("E06000052+E06000053", {"E06000005"})


def test_the_build_digest_changes_with_a_declared_row_and_not_with_an_undeclared_one(raw_copy: Path):
    from analysis.publish.plan import plan_targets

    target = plan_targets(("890",), False, 2012, 2022, "2021", raw_copy)[0]
    before = digest.report_digest(target, "nb", {}, digest.read_extracts(raw_copy))

    def edit(name: str, area: str) -> str:
        path = raw_copy / all_specs()[name].path
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        i = next(i for i, line in enumerate(lines) if line.startswith(area + ","))
        lines.insert(i + 1, lines[i].rstrip("\n") + "\n")  # a duplicated row: a change the digest must see (or not)
        path.write_text("".join(lines), encoding="utf-8")
        return digest.report_digest(target, "nb", {}, digest.read_extracts(raw_copy))

    assert edit("ofsted_inspections", BLACKPOOL) != before  # a declared area-scoped extract, Blackpool's row
    after = digest.report_digest(target, "nb", {}, digest.read_extracts(raw_copy))
    path = raw_copy / all_specs()["events"].path
    with path.open("a", encoding="utf-8") as fh:  # a row of another area in an area-scoped local extract
        fh.write(path.read_text(encoding="utf-8").splitlines()[1].replace("E06000009", CAMDEN, 1) + "\n")
    assert digest.report_digest(target, "nb", {}, digest.read_extracts(raw_copy)) == after
    # cin feeds the funnel plots and the deprivation model, computed across every council: a Camden
    # row changes what Blackpool's report shows, so it is declared whole and the digest sees it
    assert edit("cin", CAMDEN) != after


def _run_notebook(path: Path, la: str) -> None:
    """Run the notebook's code cells here (no kernel, nothing displayed) with parameter ``la``."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    namespace: dict = {}
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            source = "".join(cell["source"])
            exec(compile(source, f"{path.name}", "exec"), namespace)
            if "parameters" in cell.get("metadata", {}).get("tags", []):
                namespace["la"] = la


@pytest.fixture()
def recorded(monkeypatch, processed) -> list[str]:
    """Every extract name read from now on, through ``load`` (wherever imported) or ``load_all``.

    ``processed``: data/processed is derived (reading everything) before any notebook runs.
    """
    import sys

    names: list[str] = []
    original = load_module.load

    def load(name, raw_dir=None):
        names.append(name)
        return original(name, raw_dir)

    for module in list(sys.modules.values()):
        if getattr(module, "load", None) is original:
            monkeypatch.setattr(module, "load", load)
    for module in list(sys.modules.values()):
        if getattr(module, "load_all", None) is load_module.load_all:
            monkeypatch.setattr(module, "load_all", lambda *a, **k: names.append("*") or {})
    return names


@pytest.mark.parametrize("notebook", sorted(p.name for p in paths.NOTEBOOKS.glob("*.ipynb")))
def test_a_notebook_reads_only_what_its_report_declares(notebook: str, recorded: list[str]):
    _run_notebook(paths.NOTEBOOKS / notebook, "890")
    assert recorded, "the recorder saw nothing: it no longer wraps the loader the context uses"
    undeclared = sorted(set(recorded) - set(reads.EXTRACTS))
    assert not undeclared, f"{notebook} reads {undeclared}, which analysis.measures.reads does not declare"


def test_the_recorder_catches_an_undeclared_read(tmp_path: Path, recorded: list[str]):
    nb = {
        "cells": [
            {"cell_type": "code", "metadata": {}, "source": ["from analysis.data.load import load\n", "load('cin')\n"]}
        ]
    }
    path = tmp_path / "sneaky.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    _run_notebook(path, "890")
    assert sorted(set(recorded) - set(reads.EXTRACTS)) == ["cin"]


# ------------------------------------------------------------------ report.context only reads data/processed


def _tree(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def test_context_refuses_missing_processed_data_naming_the_command_and_writes_nothing(tmp_path: Path, processed: Path):
    empty = tmp_path / "processed"
    empty.mkdir()
    with pytest.raises(report.StaleProcessed) as err:
        context("890", 2020, 2022, processed_dir=empty)
    message = str(err.value)
    assert message.startswith(f"data/processed ({empty}) has no measures.csv, intervals.csv, funnels.csv, deprivation.csv")
    assert "`python -m analysis build` (or `make reports`)" in message and "\n" not in message
    assert not any(empty.iterdir())  # nothing derived from inside the report
    partial = tmp_path / "partial"
    partial.mkdir()
    for name in ("measures.csv", "measures.inputs", "intervals.csv", "funnels.csv"):
        (partial / name).write_bytes((processed / name).read_bytes())
    with pytest.raises(
        report.StaleProcessed, match=r"has no deprivation\.csv: derive it from .* with `python -m analysis build`"
    ):
        context("890", 2020, 2022, processed_dir=partial)


def test_context_refuses_processed_data_derived_from_other_extracts(tmp_path: Path, processed: Path, raw_copy: Path):
    copy = tmp_path / "processed"
    copy.mkdir()
    for path in processed.glob("*"):
        (copy / path.name).write_bytes(path.read_bytes())
    before = _tree(copy)
    assert context("890", 2020, 2022, raw_dir=raw_copy, processed_dir=copy).values is not None  # current: read as is
    sources = raw_copy / all_specs()["sources"].path
    sources.write_text(sources.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # the extracts moved on
    with pytest.raises(report.StaleProcessed) as err:
        context("890", 2020, 2022, raw_dir=raw_copy, processed_dir=copy)
    assert str(err.value) == (
        f"data/processed ({copy}) is out of date: it was derived from other extracts than those in {raw_copy}, "
        "or by other code; re-derive it with `python -m analysis build` (or `make reports`)"
    )
    assert _tree(copy) == before  # the stale folder is left as it was, for the build to replace
