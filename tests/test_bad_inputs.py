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
import csv
import hashlib
import io
import multiprocessing
import os
import shutil
import traceback
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.cli import main
from analysis.data.load import load
from analysis.publish import model as build_module

BLACKPOOL = "E06000009"


@dataclass(frozen=True)
class Expect:
    """One problem the message must name; None where the problem has no line or column."""

    line: int | None
    column: str | None
    reason: str

    def matches(self, label: str, message_line: str) -> bool:
        parts = [label + (", " if self.line or self.column else ": ")]
        parts += [f"line {self.line}"] if self.line is not None else []
        parts += [f"column '{self.column}'"] if self.column is not None else []
        return all(p in message_line for p in parts) and self.reason in message_line


@dataclass(frozen=True)
class Case:
    id: str
    what: str  # the bad input in a few words (docs/reliability.md)
    file: str  # path under the extracts folder
    mutate: Callable[[Path], list[Expect]] = field(repr=False)

    @property
    def label(self) -> str:
        return f"data/raw/{self.file}"


# ---------------------------------------------------------------- editing a copy of an extract


def read_table(path: Path) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    return rows[0], rows[1:]


def write_table(path: Path, header: list[str], rows: list[list[str]], encoding: str = "utf-8") -> list[int]:
    """Write header and rows; return the line each row starts on (header = line 1), as an editor shows it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    lines = []
    for row in rows:
        lines.append(out.getvalue().count("\n") + 1)
        writer.writerow(row)
    path.write_bytes(out.getvalue().encode(encoding))
    return lines


def find(header: list[str], rows: list[list[str]], **match: str) -> int:
    """Index of the first row whose columns equal ``match``."""
    cols = {header.index(k): v for k, v in match.items()}
    return next(i for i, r in enumerate(rows) if all(r[c] == v for c, v in cols.items()))


def set_cell(file: str, column: str, value: str, **match: str) -> Callable[[Path], list[Expect]]:
    """A mutation putting ``value`` in ``column`` of the first row matching ``match``; expects that cell."""

    def mutate(raw: Path, reason: str) -> list[Expect]:
        header, rows = read_table(raw / file)
        i = find(header, rows, **match)
        rows[i][header.index(column)] = value
        return [Expect(write_table(raw / file, header, rows)[i], column, reason)]

    return mutate


def cell_case(id: str, what: str, file: str, column: str, value: str, reason: str, **match: str) -> Case:
    mutate = set_cell(file, column, value, **match)
    return Case(id, what, file, lambda raw: mutate(raw, reason))


def _missing_file(raw: Path) -> list[Expect]:
    (raw / "official/workforce.csv").unlink()
    return [Expect(None, None, "file is missing")]


def _empty_file(raw: Path) -> list[Expect]:
    (raw / "official/cp_plans_at_31_march.csv").write_bytes(b"")
    return [Expect(None, None, "file is empty")]


def _header_only(raw: Path) -> list[Expect]:
    header, _ = read_table(raw / "local/finance.csv")
    write_table(raw / "local/finance.csv", header, [])
    return [Expect(1, None, "has a header but no data rows")]


def _drop_column(raw: Path) -> list[Expect]:
    header, rows = read_table(raw / "official/workforce.csv")
    i = header.index("vacancy_rate_pct")
    write_table(raw / "official/workforce.csv", header[:i] + header[i + 1:], [r[:i] + r[i + 1:] for r in rows])
    return [Expect(1, "vacancy_rate_pct", "required column is missing")]


def _rename_column(raw: Path) -> list[Expect]:
    header, rows = read_table(raw / "official/cp_plans_at_31_march.csv")
    header[header.index("cp_plans_at_31_march_count")] = "CPP_At31"  # the official file's own name
    write_table(raw / "official/cp_plans_at_31_march.csv", header, rows)
    return [Expect(1, "cp_plans_at_31_march_count", "required column is missing"),
            Expect(1, "CPP_At31", "unknown column (not in the data dictionary)")]


def _extra_column(raw: Path) -> list[Expect]:
    header, rows = read_table(raw / "local/events.csv")
    write_table(raw / "local/events.csv", header + ["comments"], [r + ["checked by AB"] for r in rows])
    return [Expect(1, "comments", "unknown column (not in the data dictionary); rename or remove it")]


def _duplicate_row(raw: Path) -> list[Expect]:
    header, rows = read_table(raw / "official/cp_plans_at_31_march.csv")
    i = find(header, rows, area_code=BLACKPOOL, year="2020")
    rows.insert(i + 1, list(rows[i]))
    lines = write_table(raw / "official/cp_plans_at_31_march.csv", header, rows)
    return [Expect(lines[i], "area_code, year", "duplicate area_code + year"),
            Expect(lines[i + 1], "area_code, year", "duplicate area_code + year")]


def _not_utf8(raw: Path) -> list[Expect]:
    header, rows = read_table(raw / "local/events.csv")
    i = find(header, rows, event_id="judgement-2019-01-ilacs")
    rows[i][header.index("description")] += " Caf\u00e9 \u2018quote\u2019"  # saved as Windows-1252
    return [Expect(write_table(raw / "local/events.csv", header, rows, encoding="cp1252")[i], None,
                   "not valid UTF-8")]


def _unquoted_comma(raw: Path) -> list[Expect]:
    path = raw / "official/ofsted_visits.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    i = next(n for n, line in enumerate(lines) if ",Middlesbrough," in line)
    lines[i] = lines[i].replace(",Middlesbrough,", ",Bournemouth, Christchurch and Poole,")
    path.write_text("\n".join(lines), encoding="utf-8")
    return [Expect(i + 1, None, "has 9 fields, the header has 8")]


def _short_row(raw: Path) -> list[Expect]:
    header, rows = read_table(raw / "official/workforce.csv")
    i = find(header, rows, area_code=BLACKPOOL, year="2019")
    rows[i] = rows[i][:5]  # cut short after the year, as by a truncated save or a bad paste
    return [Expect(write_table(raw / "official/workforce.csv", header, rows)[i], None,
                   "has 5 fields, the header has 40")]


CASES: list[Case] = [
    Case("missing_file", "an extract file is missing", "official/workforce.csv", _missing_file),
    Case("empty_file", "an extract file is empty (0 bytes)", "official/cp_plans_at_31_march.csv", _empty_file),
    Case("header_only", "header line but no rows", "local/finance.csv", _header_only),
    Case("missing_column", "a column is missing", "official/workforce.csv", _drop_column),
    Case("renamed_column", "a column is renamed", "official/cp_plans_at_31_march.csv", _rename_column),
    Case("extra_column", "an unknown extra column", "local/events.csv", _extra_column),
    cell_case("text_in_number", "text in a numeric column", "official/workforce.csv", "caseload_per_fte",
              "about 18", "'about 18' is not a number", area_code=BLACKPOOL, year="2019"),
    cell_case("negative_count", "a negative count", "official/cp_plans_at_31_march.csv",
              "cp_plans_at_31_march_count", "-5", "must not be negative", area_code=BLACKPOOL, year="2020"),
    cell_case("pct_over_100", "a percentage above 100", "official/workforce.csv", "vacancy_rate_pct", "112.5",
              "a percentage must be at most 100", area_code=BLACKPOOL, year="2019"),
    Case("duplicate_key", "the same area and year twice", "official/cp_plans_at_31_march.csv", _duplicate_row),
    cell_case("unknown_area", "an area code not in areas.csv", "official/workforce.csv", "area_code", "E06999999",
              "unknown area code (not in areas.csv)", area_code="E06000001", year="2017"),
    cell_case("unknown_source", "a source id not in sources.csv", "local/finance.csv", "source_id",
              "gazette-no-such-article", "unknown source id (not in sources.csv)",
              finance_id="fin-unclear-csc-overspend-2-1"),
    cell_case("marker_in_local", "a suppression marker (c) in a hand-curated extract", "local/finance.csv",
              "value_gbp_m", "c", "official marker 'c' in a hand-curated extract",
              finance_id="fin-unclear-csc-overspend-2-1"),
    cell_case("url_not_web", "a javascript: URL in the source registry", "sources.csv", "url",
              "javascript:alert(1)", "not a web address (http:// or https://)", source_id="ofsted-outcomes-2025"),
    Case("not_utf8", "a file saved as Windows-1252, not UTF-8", "local/events.csv", _not_utf8),
    cell_case("date_dmy", "a date a spreadsheet rewrote as 17/01/2019", "local/events.csv", "date", "17/01/2019",
              "'17/01/2019' is not an ISO date (YYYY-MM-DD)", event_id="judgement-2019-01-ilacs"),
    cell_case("date_time", "a date a spreadsheet rewrote as 2019-01-17 00:00:00", "local/events.csv", "date",
              "2019-01-17 00:00:00", "'2019-01-17 00:00:00' is not an ISO date",
              event_id="judgement-2019-01-ilacs"),
    Case("unquoted_comma", "a name with a comma, not quoted", "official/ofsted_visits.csv", _unquoted_comma),
    Case("short_row", "a row cut short (5 of 40 fields) for the reported area", "official/workforce.csv",
         _short_row),  # the build reads rows before validating them: it must not trip over this one
    cell_case("bad_year_in_areas", "text in a year column of areas.csv (read before anything else)",
              "official/areas.csv", "first_year", "2012a", "'2012a' is not a number", area_code=BLACKPOOL),
]
CASE_IDS = [c.id for c in CASES]

# Numbers float() would take but a statistics file never means: each must be refused as not a number.
NOT_NUMBERS: list[Case] = [
    cell_case(f"not_a_number_{i}", f"{value!r} in a money column", "local/finance.csv", "value_gbp_m", value,
              f"'{value}' is not a number", finance_id="fin-unclear-csc-overspend-2-1")
    for i, value in enumerate(["inf", "nan", "Infinity", "1_000", "\u0661\u0662"])
]


def corrupted_copy(case: Case, dest: Path) -> tuple[Path, list[Expect]]:
    raw = dest / "raw"
    shutil.copytree(paths.DATA_RAW, raw)
    return raw, case.mutate(raw)


# ---------------------------------------------------------------- a published tree that must survive

PUBLISHED = {
    "index.html": b"<!DOCTYPE html><html lang=\"en\"><title>Reports</title><h1>Reports</h1></html>\n",
    "manifest.json": b'{"reports": {"blackpool/03_committee_report.html": {"digest": "0"}}}\n',
    "blackpool/03_committee_report.html": b"<!DOCTYPE html><html lang=\"en\"><title>Published</title></html>\n",
    "blackpool/01_data_quality.html": b"<!DOCTYPE html><html lang=\"en\"><title>Also published</title></html>\n",
}
# A build may create its lock and log, and keeps private state in its work folder: none of them is a report.
BOOKKEEPING = {build_module.LOCK, build_module.LOG}


def publish_fake_reports(out: Path) -> dict[str, str]:
    for rel, content in PUBLISHED.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(content)
    return tree(out)


def tree(out: Path) -> dict[str, str]:
    """sha256 of every file in the out folder but the build's private work folder."""
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file() and p.relative_to(out).parts[0] != build_module.WORK}


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
            f"no message names {case.label}, line {e.line}, column {e.column!r}, reason {e.reason!r}; got:\n" + err)


def build_args(raw: Path, out: Path, processed: Path) -> list[str]:
    return ["build", "--la", "890", "--out", str(out), "--raw-dir", str(raw), "--processed-dir", str(processed),
            "--notebooks", "03_committee_report", "--jobs", "1"]


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
    return BuildRun(code, stdout.getvalue(), stderr.getvalue(), before, tree(out),
                    (processed / "measures.csv").exists(), expected)


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


# ---------------------------------------------------------------- what must load


def _with_bom(raw: Path) -> str:
    path = raw / "official/workforce.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    return "workforce"


def _trailing_blank_lines(raw: Path) -> str:
    path = raw / "local/events.csv"
    path.write_bytes(path.read_bytes() + b"\n\n\r\n\n")
    return "events"


def _windows_line_endings(raw: Path) -> str:
    path = raw / "local/finance.csv"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    return "finance"


LOADS: dict[str, Callable[[Path], str]] = {"bom": _with_bom, "trailing_blank_lines": _trailing_blank_lines,
                                            "windows_line_endings": _windows_line_endings}


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
