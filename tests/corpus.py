"""The bad-input corpus: each case corrupts a private copy of the real extracts in one way a person or a tool might.

Used by tests/test_bad_inputs.py (every case is refused by ``validate`` and ``build`` with file,
line, column and reason, and nothing published changes) and by tools/reliability_table.py (which
runs the same cases to write the table in docs/reliability.md). ``LOADS`` are harmless variants a
spreadsheet or an editor produces (byte-order mark, trailing blank lines, Windows line endings),
which must load exactly as the committed files do.
"""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from analysis import paths
from analysis.publish.model import WORK

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
    write_table(raw / "official/workforce.csv", header[:i] + header[i + 1 :], [r[:i] + r[i + 1 :] for r in rows])
    return [Expect(1, "vacancy_rate_pct", "required column is missing")]


def _rename_column(raw: Path) -> list[Expect]:
    header, rows = read_table(raw / "official/cp_plans_at_31_march.csv")
    header[header.index("cp_plans_at_31_march_count")] = "CPP_At31"  # the official file's own name
    write_table(raw / "official/cp_plans_at_31_march.csv", header, rows)
    return [
        Expect(1, "cp_plans_at_31_march_count", "required column is missing"),
        Expect(1, "CPP_At31", "unknown column (not in the data dictionary)"),
    ]


def _extra_column(raw: Path) -> list[Expect]:
    header, rows = read_table(raw / "local/events.csv")
    write_table(raw / "local/events.csv", header + ["comments"], [r + ["checked by AB"] for r in rows])
    return [Expect(1, "comments", "unknown column (not in the data dictionary); rename or remove it")]


def _duplicate_row(raw: Path) -> list[Expect]:
    header, rows = read_table(raw / "official/cp_plans_at_31_march.csv")
    i = find(header, rows, area_code=BLACKPOOL, year="2020")
    rows.insert(i + 1, list(rows[i]))
    lines = write_table(raw / "official/cp_plans_at_31_march.csv", header, rows)
    return [
        Expect(lines[i], "area_code, year", "duplicate area_code + year"),
        Expect(lines[i + 1], "area_code, year", "duplicate area_code + year"),
    ]


def _not_utf8(raw: Path) -> list[Expect]:
    header, rows = read_table(raw / "local/events.csv")
    i = find(header, rows, event_id="judgement-2019-01-ilacs")
    rows[i][header.index("description")] += " Caf\u00e9 \u2018quote\u2019"  # saved as Windows-1252
    return [Expect(write_table(raw / "local/events.csv", header, rows, encoding="cp1252")[i], None, "not valid UTF-8")]


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
    return [Expect(write_table(raw / "official/workforce.csv", header, rows)[i], None, "has 5 fields, the header has 40")]


CASES: list[Case] = [
    Case("missing_file", "an extract file is missing", "official/workforce.csv", _missing_file),
    Case("empty_file", "an extract file is empty (0 bytes)", "official/cp_plans_at_31_march.csv", _empty_file),
    Case("header_only", "header line but no rows", "local/finance.csv", _header_only),
    Case("missing_column", "a column is missing", "official/workforce.csv", _drop_column),
    Case("renamed_column", "a column is renamed", "official/cp_plans_at_31_march.csv", _rename_column),
    Case("extra_column", "an unknown extra column", "local/events.csv", _extra_column),
    cell_case(
        "text_in_number",
        "text in a numeric column",
        "official/workforce.csv",
        "caseload_per_fte",
        "about 18",
        "'about 18' is not a number",
        area_code=BLACKPOOL,
        year="2019",
    ),
    cell_case(
        "negative_count",
        "a negative count",
        "official/cp_plans_at_31_march.csv",
        "cp_plans_at_31_march_count",
        "-5",
        "must not be negative",
        area_code=BLACKPOOL,
        year="2020",
    ),
    cell_case(
        "pct_over_100",
        "a percentage above 100",
        "official/workforce.csv",
        "vacancy_rate_pct",
        "112.5",
        "a percentage must be at most 100",
        area_code=BLACKPOOL,
        year="2019",
    ),
    Case("duplicate_key", "the same area and year twice", "official/cp_plans_at_31_march.csv", _duplicate_row),
    cell_case(
        "unknown_area",
        "an area code not in areas.csv",
        "official/workforce.csv",
        "area_code",
        "E06999999",
        "unknown area code (not in areas.csv)",
        area_code="E06000001",
        year="2017",
    ),
    cell_case(
        "unknown_source",
        "a source id not in sources.csv",
        "local/finance.csv",
        "source_id",
        "gazette-no-such-article",
        "unknown source id (not in sources.csv)",
        finance_id="fin-unclear-csc-overspend-2-1",
    ),
    cell_case(
        "marker_in_local",
        "a suppression marker (c) in a hand-curated extract",
        "local/finance.csv",
        "value_gbp_m",
        "c",
        "official marker 'c' in a hand-curated extract",
        finance_id="fin-unclear-csc-overspend-2-1",
    ),
    cell_case(
        "url_not_web",
        "a javascript: URL in the source registry",
        "sources.csv",
        "url",
        "javascript:alert(1)",
        "not a web address (http:// or https://)",
        source_id="ofsted-outcomes-2025",
    ),
    Case("not_utf8", "a file saved as Windows-1252, not UTF-8", "local/events.csv", _not_utf8),
    cell_case(
        "date_dmy",
        "a date a spreadsheet rewrote as 17/01/2019",
        "local/events.csv",
        "date",
        "17/01/2019",
        "'17/01/2019' is not an ISO date (YYYY-MM-DD)",
        event_id="judgement-2019-01-ilacs",
    ),
    cell_case(
        "date_time",
        "a date a spreadsheet rewrote as 2019-01-17 00:00:00",
        "local/events.csv",
        "date",
        "2019-01-17 00:00:00",
        "'2019-01-17 00:00:00' is not an ISO date",
        event_id="judgement-2019-01-ilacs",
    ),
    Case("unquoted_comma", "a name with a comma, not quoted", "official/ofsted_visits.csv", _unquoted_comma),
    Case(
        "short_row", "a row cut short (5 of 40 fields) for the reported area", "official/workforce.csv", _short_row
    ),  # the build reads rows before validating them: it must not trip over this one
    cell_case(
        "bad_year_in_areas",
        "text in a year column of areas.csv (read before anything else)",
        "official/areas.csv",
        "first_year",
        "2012a",
        "'2012a' is not a number",
        area_code=BLACKPOOL,
    ),
    cell_case(
        "children_above_population",
        "1,000,000,000 children on a child protection plan in one council",
        "official/cp_plans_at_31_march.csv",
        "cp_plans_at_31_march_count",
        "1000000000",
        "1,000,000,000 children in Blackpool in 2020 is more than the",
        area_code=BLACKPOOL,
        year="2020",
    ),
    cell_case(
        "negative_quoted_count",
        "a negative count in the hand-curated quoted figures",
        "local/quoted_figures.csv",
        "value",
        "-31",
        "a count must not be negative: got -31",
        figure_id="qf-2020-01-sw-vacancies-31",
    ),
]
CASE_IDS = [c.id for c in CASES]

# Numbers float() would take but a statistics file never means: each must be refused as not a number.
NOT_NUMBERS: list[Case] = [
    cell_case(
        f"not_a_number_{i}",
        f"{value!r} in a money column",
        "local/finance.csv",
        "value_gbp_m",
        value,
        f"'{value}' is not a number",
        finance_id="fin-unclear-csc-overspend-2-1",
    )
    for i, value in enumerate(["inf", "nan", "Infinity", "1_000", "\u0661\u0662"])
]


def corrupted_copy(case: Case, dest: Path) -> tuple[Path, list[Expect]]:
    raw = dest / "raw"
    shutil.copytree(paths.DATA_RAW, raw)
    return raw, case.mutate(raw)


# ---------------------------------------------------------------- a published tree that must survive

PUBLISHED = {
    "index.html": b'<!DOCTYPE html><html lang="en"><title>Reports</title><h1>Reports</h1></html>\n',
    "manifest.json": b'{"reports": {"blackpool/03_committee_report.html": {"digest": "0"}}}\n',
    "blackpool/03_committee_report.html": b'<!DOCTYPE html><html lang="en"><title>Published</title></html>\n',
    "blackpool/01_data_quality.html": b'<!DOCTYPE html><html lang="en"><title>Also published</title></html>\n',
}
# A build may create its lock and log, and keeps private state in its work folder: none of them is a report.


def publish_fake_reports(out: Path) -> dict[str, str]:
    for rel, content in PUBLISHED.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(content)
    return tree(out)


def tree(out: Path) -> dict[str, str]:
    """sha256 of every file in the out folder but the build's private work folder."""
    return {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.relative_to(out).parts[0] != WORK
    }


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


LOADS: dict[str, Callable[[Path], str]] = {
    "bom": _with_bom,
    "trailing_blank_lines": _trailing_blank_lines,
    "windows_line_endings": _windows_line_endings,
}
