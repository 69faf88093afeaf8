"""Bad official files: each case changes a private copy of ../shared/data/dfe as a new release or a
spreadsheet re-save might, and ``refresh`` (and ``extract``) must exit 2 with a message naming the
official file, the line, the column and the reason, writing nothing: the extracts, the diff report
folder and the refresh history stay as they were. ``tools/reliability_table.py`` runs the same cases.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from analysis import paths
from analysis.cli import main

B1 = "b1_children_in_need_2013_to_2025.csv"
C1 = "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"
D3 = "d3_cpps_subsequent_plan_2013_to_2025.csv"
D5 = "d5_cpps_at31march_by_duration_2013_to_2025.csv"
CSWW = "csww_indicators_2017_to_2025.csv"
CLA = "cla_number_and_rate_per_10k_children.csv"
OFSTED = "LA_Inspection_Outcomes_as_at_31_March_2025.ods"
POP = "ons_mid-year_population_estimates_2012_to_2024.csv"


@dataclass(frozen=True)
class Expect:
    """One problem the output must name: the official file, line and column (None: not named), reason."""

    file: str
    line: int | None
    column: str | None
    reason: str

    def matches(self, message: str) -> bool:
        parts = [f"{self.file}, line {self.line}" if self.line is not None else f"{self.file}"]
        parts += [f"column '{self.column}'"] if self.column else []
        return all(p in message for p in parts) and self.reason in message


@dataclass(frozen=True)
class OfficialCase:
    id: str
    what: str  # the bad input in a few words (docs/reliability.md)
    file: str
    mutate: Callable[[Path], list[Expect]] = field(repr=False)


# ---------------------------------------------------------------- editing a copy of the official files


def official_copy(dest: Path) -> Path:
    """A writable copy of ../shared/data/dfe at dest/dfe, with the earlier releases beside it."""
    dfe = dest / "dfe"
    shutil.copytree(paths.dfe_dir(), dfe)
    for p in dfe.iterdir():
        p.chmod(0o644)
    (dest / "dfe-historic").symlink_to(paths.dfe_historic_dir())
    return dfe


def read_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def write_rows(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))


def row_of(rows: list[list[str]], **match: str) -> int:
    """Index in ``rows`` (header = 0, so also the line number - 1) of the first row matching."""
    cols = {rows[0].index(k): v for k, v in match.items()}
    return next(i for i, r in enumerate(rows) if i and all(r[c] == v for c, v in cols.items()))


def set_official(file: str, column: str, value: str, reason: str, **match: str) -> Callable[[Path], list[Expect]]:
    def mutate(dfe: Path) -> list[Expect]:
        rows = read_rows(dfe / file)
        i = row_of(rows, **match)
        rows[i][rows[0].index(column)] = value
        write_rows(dfe / file, rows)
        return [Expect(file, i + 1, column, reason)]

    return mutate


def _not_utf8(dfe: Path) -> list[Expect]:
    rows = read_rows(dfe / B1)
    i = row_of(rows, old_la_code="890", time_period="2020")
    rows[i][rows[0].index("la_name")] = "Blackpool Caf\u00e9"  # re-saved by a spreadsheet as Windows-1252
    write_rows(dfe / B1, rows, encoding="cp1252")
    return [Expect(B1, i + 1, None, "not valid UTF-8"), Expect(B1, i + 1, None, "save the file as UTF-8")]


def _renamed_code_column(dfe: Path) -> list[Expect]:
    rows = read_rows(dfe / B1)
    rows[0][rows[0].index("new_la_code")] = "new_la_code_ons"
    write_rows(dfe / B1, rows)
    return [
        Expect(B1, 1, "new_la_code", "expected column is missing from the official file (renamed to 'new_la_code_ons'?)")
    ]


def _dropped_measure(dfe: Path) -> list[Expect]:
    rows = read_rows(dfe / D3)
    i = rows[0].index("CPP_subsequent")
    write_rows(dfe / D3, [r[:i] + r[i + 1 :] for r in rows])
    return [Expect(D3, 1, "CPP_subsequent", "expected column is missing from the official file")]


def _swapped_codes(dfe: Path) -> list[Expect]:
    rows = read_rows(dfe / D3)
    old, new = rows[0].index("old_la_code"), rows[0].index("new_la_code")
    rows[0][old], rows[0][new] = "new_la_code", "old_la_code"
    write_rows(dfe / D3, rows)
    first = next(i for i, r in enumerate(rows) if i and r[rows[0].index("geographic_level")] == "Local authority")
    return [Expect(D3, first + 1, "old_la_code, new_la_code", "are the code columns swapped?")]


def _not_a_spreadsheet(dfe: Path) -> list[Expect]:
    (dfe / OFSTED).write_bytes(b"Web link,Local authority name\nnot,a spreadsheet\n")
    return [Expect(OFSTED, None, None, "not readable as a spreadsheet")]


def _missing_file(dfe: Path) -> list[Expect]:
    (dfe / CLA).unlink()
    return [Expect(CLA, None, None, "official file is missing")]


COMMA_REASON = "a comma is only read as a thousands separator between groups of three digits"
CASES: list[OfficialCase] = [
    OfficialCase(
        "decimal_comma",
        'a decimal comma: caseload 16.8 saved as "16,8"',
        CSWW,
        set_official(CSWW, "caseload_fte", "16,8", COMMA_REASON, old_la_code="890", time_period="2025"),
    ),
    OfficialCase(
        "comma_not_thousands",
        'a comma not between groups of three digits ("1,23")',
        D5,
        set_official(D5, "CPP_At31", "1,23", COMMA_REASON, old_la_code="890", time_period="2024"),
    ),
    OfficialCase("official_not_utf8", "an official CSV re-saved as Windows-1252", B1, _not_utf8),
    OfficialCase(
        "unknown_level",
        'an unknown geographic level ("Local Authority")',
        D5,
        set_official(
            D5,
            "geographic_level",
            "Local Authority",
            "unknown geographic level 'Local Authority'; did you mean 'Local authority'?",
            old_la_code="890",
            time_period="2021",
        ),
    ),
    OfficialCase(
        "period_slash",
        "a period written 2024/25",
        B1,
        set_official(
            B1, "time_period", "2024/25", "period '2024/25' is a two-year period", old_la_code="890", time_period="2024"
        ),
    ),
    OfficialCase(
        "period_six_digits",
        "a period written 202425",
        C1,
        set_official(
            C1, "time_period", "202425", "period '202425' is a two-year period", old_la_code="890", time_period="2024"
        ),
    ),
    OfficialCase("renamed_code_column", "new_la_code renamed", B1, _renamed_code_column),
    OfficialCase("dropped_measure", "a measure column dropped from the release", D3, _dropped_measure),
    OfficialCase("swapped_codes", "old_la_code and new_la_code swapped", D3, _swapped_codes),
    OfficialCase(
        "official_text_in_number",
        "text in a number column of an official file",
        D5,
        set_official(
            D5, "CPP_At31", "lots", "neither a number nor a known marker: 'lots'", old_la_code="890", time_period="2023"
        ),
    ),
    OfficialCase("not_a_spreadsheet", "the Ofsted workbook replaced by a CSV", OFSTED, _not_a_spreadsheet),
    OfficialCase("official_missing", "an official file missing from the release", CLA, _missing_file),
]
CASE_IDS = [c.id for c in CASES]


# ---------------------------------------------------------------- running a command on a copy


def tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@dataclass
class Run:
    code: int
    out: str
    err: str


def run(args: list[str]) -> Run:
    """``python -m analysis ARGS`` in-process, output captured."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    return Run(code, out.getvalue(), err.getvalue())


def refresh_args(dfe: Path, work: Path, *extra: str) -> list[str]:
    return [
        "refresh",
        "--source-dir",
        str(dfe),
        "--raw-dir",
        str(work / "raw"),
        "--report-dir",
        str(work / "report"),
        "--history",
        str(work / "history.csv"),
        *extra,
    ]


def staged(tmp: Path) -> Path:
    """tmp/raw: a private copy of the committed extracts, as the refresh's target."""
    shutil.copytree(paths.DATA_RAW, tmp / "raw")
    return tmp / "raw"


# ---------------------------------------------------------------- the tests


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_bad_official_file_is_refused_by_refresh_and_extract(case: OfficialCase, tmp_path: Path, dfe_dir):
    dfe = official_copy(tmp_path)
    expected = case.mutate(dfe)
    raw = staged(tmp_path)
    before = tree(raw)
    done = run(refresh_args(dfe, tmp_path) + ["--accept", "would publish if the files were good"])
    assert done.code == 2, done.out + done.err
    for e in expected:
        assert any(e.matches(line) for line in done.err.splitlines()), (e, done.err)
    assert "nothing was changed" in done.err and "Traceback" not in done.err
    assert tree(raw) == before
    assert not (tmp_path / "report").exists() and not (tmp_path / "history.csv").exists()

    extracted = run(["extract", "--source-dir", str(dfe), "--out", str(raw)])
    assert extracted.code == 2
    assert any(expected[0].matches(line) for line in extracted.err.splitlines()), extracted.err
    assert tree(raw) == before


def test_swapped_codes_are_one_message_naming_the_file_read(tmp_path: Path, dfe_dir):
    dfe = official_copy(tmp_path)
    _swapped_codes(dfe)
    staged(tmp_path)
    done = run(refresh_args(dfe, tmp_path))
    problems = [line for line in done.err.splitlines() if "swapped" in line]
    assert len(problems) == 1 and D3 in problems[0], done.err
    assert ".ods" not in done.err  # the Ofsted workbook is not blamed


def test_a_decimal_comma_never_becomes_ten_times_larger(tmp_path: Path, dfe_dir):
    dfe = official_copy(tmp_path)
    CASES[0].mutate(dfe)
    raw = staged(tmp_path)
    assert run(["extract", "--source-dir", str(dfe), "--out", str(raw)]).code == 2
    workforce = read_rows(raw / "official/workforce.csv")
    i = row_of(workforce, area_code="E06000009", year="2025")
    assert workforce[i][workforce[0].index("caseload_per_fte")] == "16.8"


def test_every_bad_official_file_is_listed_in_one_run(tmp_path: Path, dfe_dir):
    dfe = official_copy(tmp_path)
    wanted = [
        e
        for case_id in ("decimal_comma", "period_slash", "dropped_measure", "not_a_spreadsheet")
        for e in CASES[CASE_IDS.index(case_id)].mutate(dfe)
    ]
    staged(tmp_path)
    done = run(refresh_args(dfe, tmp_path))
    assert done.code == 2
    for e in wanted:
        assert any(e.matches(line) for line in done.err.splitlines()), (e, done.err)
