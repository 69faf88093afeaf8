"""A corpus of bad inputs, each made by changing a private copy of the real extracts.

For every bad input, ``python -m analysis validate`` exits 2 with a message naming the file, the
line, the column and the reason, and ``python -m analysis build`` exits 2 before any notebook runs,
leaving the reports already published in its out folder byte-identical. Inputs a spreadsheet or an
editor produces harmlessly (a byte-order mark, trailing blank lines, Windows line endings, a name
with a comma in quotes) load exactly as the committed files do.

Validate and build run in-process (``analysis.cli.main``) for speed; ``test_build_in_a_fresh_process``
runs a few cases as a user does, through ``python -m analysis`` with ANALYSIS_RAW_DIR (and the default
--jobs, so the worker pool is started and shut down around the refusal).
``tools/reliability_table.py`` runs the same cases to write the table in docs/reliability.md.
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import os
import shutil
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from corpus import (
    CASE_IDS,
    CASES,
    LOADS,
    NOT_NUMBERS,
    Case,
    Expect,
    corrupted_copy,
    publish_fake_reports,
    read_table,
    tree,
    write_table,
)

from analysis import paths
from analysis.cli import main
from analysis.data.load import load
from analysis.publish import model as build_module

BOOKKEEPING = {build_module.LOCK, build_module.LOG}


def assert_untouched(before: dict[str, str], after: dict[str, str]) -> None:
    changed = [k for k in before if after.get(k) != before[k]]
    added = [k for k in after if k not in before and k not in BOOKKEEPING]
    assert changed == [] and added == [], f"published files changed: {changed}; files added: {added}"


def problem_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("data/raw/")]


def assert_named(case: Case, expected: list[Expect], err: str) -> None:
    lines = problem_lines(err)
    for e in expected:
        assert any(e.matches(case.label, line) for line in lines), (
            f"no message names {case.label}, line {e.line}, column {e.column!r}, reason {e.reason!r}; got:\n" + err
        )


def build_args(raw: Path, out: Path, processed: Path) -> list[str]:
    return [
        "build",
        "--la",
        "890",
        "--out",
        str(out),
        "--raw-dir",
        str(raw),
        "--processed-dir",
        str(processed),
        "--notebooks",
        "03_committee_report",
        "--jobs",
        "1",
    ]


# ---------------------------------------------------------------- the tests


@dataclass(frozen=True)
class BuildRun:
    """What an in-process build on a bad copy did; made in a worker process (see ``build_refusals``)."""

    code: int | str
    out: str
    err: str
    before: dict[str, str]
    after: dict[str, str]
    derived: bool
    expected: list[Expect]


def refuse_build(case_id: str, work: str) -> BuildRun:
    """Make the case's bad copy under ``work`` and run the build on it, in-process, output captured."""
    case = CASES[CASE_IDS.index(case_id)]
    raw, expected = corrupted_copy(case, Path(work))
    os.environ["ANALYSIS_RAW_DIR"] = str(raw)  # as a user would point the package at the copy
    out, processed = Path(work) / "reports", Path(work) / "processed"
    before = publish_fake_reports(out)
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            code: int | str = main(build_args(raw, out, processed))
        except Exception as exc:  # a crash is a result to report, not to hide
            code = f"crashed: {type(exc).__name__}: {exc}"
            stderr.write(traceback.format_exc())
    return BuildRun(
        code, stdout.getvalue(), stderr.getvalue(), before, tree(out), (processed / "measures.csv").exists(), expected
    )


@pytest.fixture(scope="module")
def build_refusals(build_runner, tmp_path_factory):
    """Every case's build, run one by one in a worker process while this one runs the validations.

    Each refusal costs about a second of validation, like ``validate`` itself; overlapping the two on
    the project's two cores halves the time of this file without changing what is checked.
    """
    base = tmp_path_factory.mktemp("build-refusals")
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    futures = {case.id: pool.submit(refuse_build, case.id, str(base / case.id)) for case in CASES}
    yield futures
    pool.shutdown(wait=True, cancel_futures=True)


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_bad_input_is_refused_by_validate_and_build(case: Case, tmp_path: Path, capsys, build_refusals):
    raw, expected = corrupted_copy(case, tmp_path)
    assert main(["validate", "--raw-dir", str(raw)]) == 2
    err = capsys.readouterr().err
    assert_named(case, expected, err)
    assert err.rstrip().endswith("problem(s) found") and "Traceback" not in err

    run: BuildRun = build_refusals[case.id].result(timeout=300)
    assert run.code == 2, run.err
    assert_named(case, run.expected[:1], run.err)
    assert "nothing published was changed" in run.err
    assert " built" not in run.out  # no report ran
    assert_untouched(run.before, run.after)
    assert not run.derived, "data/processed was derived from bad extracts"


@pytest.mark.parametrize("case", NOT_NUMBERS, ids=[c.id for c in NOT_NUMBERS])
def test_numbers_float_would_accept_are_refused(case: Case, tmp_path: Path, capsys):
    raw, expected = corrupted_copy(case, tmp_path)
    assert main(["validate", "--raw-dir", str(raw)]) == 2
    assert_named(case, expected, capsys.readouterr().err)


def test_one_bad_cell_is_reported_at_its_own_column(tmp_path: Path, capsys):
    case = CASES[CASE_IDS.index("text_in_number")]
    raw, [expected] = corrupted_copy(case, tmp_path)
    assert main(["validate", "--raw-dir", str(raw)]) == 2
    on_line = [line for line in problem_lines(capsys.readouterr().err) if f"line {expected.line}," in line]
    blamed = {line.split("column '")[1].split("'")[0] for line in on_line}
    assert blamed <= {"caseload_per_fte", "caseload_per_fte_status"}, sorted(blamed)


def test_every_problem_in_every_file_is_listed_in_one_run(tmp_path: Path, capsys):
    raw = tmp_path / "raw"
    shutil.copytree(paths.DATA_RAW, raw)
    wanted = []
    for case_id in ("text_in_number", "unknown_source", "date_dmy", "unquoted_comma"):
        case = CASES[CASE_IDS.index(case_id)]
        wanted.append((case, case.mutate(raw)))
    assert main(["validate", "--raw-dir", str(raw)]) == 2
    err = capsys.readouterr().err
    for case, expected in wanted:
        assert_named(case, expected, err)


def test_build_in_a_fresh_process(build_runner, tmp_path: Path):
    """``python -m analysis build`` as a user runs it (ANALYSIS_RAW_DIR, default --jobs) refuses too."""
    for case_id in ("text_in_number", "bad_year_in_areas"):
        case = CASES[CASE_IDS.index(case_id)]
        raw, expected = corrupted_copy(case, tmp_path / case_id)
        out = tmp_path / case_id / "reports"
        before = publish_fake_reports(out)
        done = build_runner(out, "--la", "890", raw_dir=raw, processed_dir=tmp_path / case_id / "processed")
        assert done.returncode == 2, done.stdout + done.stderr
        assert_named(case, expected[:1], done.stderr)
        assert "nothing published was changed" in done.stderr
        assert_untouched(before, tree(out))


@pytest.mark.parametrize("change", LOADS.values(), ids=list(LOADS))
def test_harmless_variants_load_exactly_as_the_committed_file(change, tmp_path: Path):
    raw = tmp_path / "raw"
    shutil.copytree(paths.DATA_RAW, raw)
    name = change(raw)
    pd.testing.assert_frame_equal(load(name, raw), load(name, paths.DATA_RAW))


def test_all_harmless_variants_together_validate(tmp_path: Path, capsys):
    raw = tmp_path / "raw"
    shutil.copytree(paths.DATA_RAW, raw)
    for change in LOADS.values():
        change(raw)
    assert main(["validate", "--raw-dir", str(raw)]) == 0, capsys.readouterr().err


def test_a_quoted_comma_in_a_name_is_one_field(tmp_path: Path):
    """workforce.csv really has "Bournemouth, Christchurch and Poole"; quoting it elsewhere works too."""
    bcp = load("workforce")
    assert set(bcp.loc[bcp["area_code"] == "E06000058", "area_name"]) == {"Bournemouth, Christchurch and Poole"}
    raw = tmp_path / "raw"
    shutil.copytree(paths.DATA_RAW, raw)
    header, rows = read_table(raw / "official/ofsted_visits.csv")
    rows[0][header.index("area_name")] = "Bournemouth, Christchurch and Poole"
    line = write_table(raw / "official/ofsted_visits.csv", header, rows)[0]
    assert '"Bournemouth, Christchurch and Poole"' in (raw / "official/ofsted_visits.csv").read_text().split("\n")[1]
    visits = load("ofsted_visits", raw)
    assert visits.loc[line, "area_name"] == "Bournemouth, Christchurch and Poole"
    assert visits.loc[line, "visit_type"] == load("ofsted_visits").loc[line, "visit_type"]
