"""The loading layer: every kind of bad input gives a DataError naming file, line, column, reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.data.fileio import read_csv_text
from analysis.data.schema import SOURCE_ID, Column, ExtractSpec, area_columns
from analysis.data.validation import validate_text
from analysis.errors import DataError

SPEC = ExtractSpec(
    name="toy",
    path="toy.csv",
    title="Toy",
    description="A small official-style extract for tests.",
    origin="official",
    key=("area_code", "year"),
    columns=(
        *area_columns(),
        Column("year", "year", "Year"),
        Column("plans", "count", "Plans", status=True),
        Column("share_pct", "pct", "Share", status=True),
        Column("published", "date", "Date", nullable=True),
        SOURCE_ID,
    ),
)
HEADER = (
    "area_code,la_code,area_name,geographic_level,year,plans,plans_status,share_pct,share_pct_status,published,source_id"
)
GOOD = [
    "E06000009,890,Blackpool,local_authority,2022,296,,38.2,,2022-03-31,src",
    "E92000001,,England,national,2022,,c,12.5,,,src",
]
AREAS = {"E06000009", "E92000001", "E06000058"}
SOURCES = {"src"}


def _load(tmp_path: Path, text: str | bytes):
    path = tmp_path / "toy.csv"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    frame = read_csv_text(path, "toy.csv")
    return validate_text(SPEC, frame, "toy.csv", known_areas=AREAS, known_sources=SOURCES)


def _problem(tmp_path: Path, text: str | bytes):
    with pytest.raises(DataError) as info:
        _load(tmp_path, text)
    return info.value.problems


def test_good_file_loads_with_types_and_statuses(tmp_path):
    frame = _load(tmp_path, "\n".join([HEADER, *GOOD]) + "\n")
    assert frame.loc[2, "plans"] == 296
    assert str(frame["plans"].dtype) == "Int64"
    assert frame.loc[3, "plans"] is not None and frame["plans"].isna().loc[3]
    assert frame.loc[3, "plans_status"] == "c"


@pytest.mark.parametrize(
    "text",
    [
        "\ufeff" + "\n".join([HEADER, *GOOD]) + "\n",  # byte-order mark
        "\n".join([HEADER, *GOOD]) + "\n\n\n",  # trailing blank lines
        "\r\n".join([HEADER, *GOOD]) + "\r\n",  # Windows line endings
    ],
)
def test_legitimate_variants_load(tmp_path, text):
    assert len(_load(tmp_path, text)) == 2


def test_quoted_comma_in_a_name_loads(tmp_path):
    row = 'E06000058,839,"Bournemouth, Christchurch and Poole",local_authority,2022,10,,1,,,src'
    frame = _load(tmp_path, "\n".join([HEADER, row]) + "\n")
    assert frame.iloc[0]["area_name"] == "Bournemouth, Christchurch and Poole"


@pytest.mark.parametrize(
    "mutate, line, column, words",
    [
        (lambda r: r.replace(",296,", ",-5,"), 2, "plans", "negative"),
        (lambda r: r.replace(",38.2,", ",120,"), 2, "share_pct", "at most 100"),
        (lambda r: r.replace(",296,", ",lots,"), 2, "plans", "not a number"),
        (lambda r: r.replace(",296,", ",c,"), 2, "plans", "marker"),
        (lambda r: r.replace("E06000009", "E06999999"), 2, "area_code", "unknown area code"),
        (lambda r: r.replace(",src", ",nowhere"), 2, "source_id", "unknown source id"),
        (lambda r: r.replace("2022-03-31", "31/03/2022"), 2, "published", "ISO date"),
        (lambda r: r.replace(",296,,", ",,,"), 2, "plans_status", "value and status disagree"),
    ],
)
def test_bad_cell_is_named_by_line_and_column(tmp_path, mutate, line, column, words):
    problems = _problem(tmp_path, "\n".join([HEADER, mutate(GOOD[0]), GOOD[1]]) + "\n")
    assert any(p.line == line and p.column == column and words in p.reason for p in problems), problems


def test_duplicate_key_names_both_lines(tmp_path):
    problems = _problem(tmp_path, "\n".join([HEADER, GOOD[0], GOOD[0]]) + "\n")
    assert {p.line for p in problems if "duplicate" in p.reason} == {2, 3}


@pytest.mark.parametrize(
    "text, words",
    [
        ("", "empty"),
        (HEADER + "\n", "no data rows"),
        (HEADER.replace(",share_pct_status", "") + "\n" + "E06000009,890,B,local_authority,2022,1,,2,,src\n", "missing"),
        (HEADER + ",extra\n" + GOOD[0] + ",1\n", "unknown column"),
        (HEADER.replace("plans,", "plan_count,") + "\n" + GOOD[0] + "\n", "missing"),
    ],
)
def test_file_level_problems(tmp_path, text, words):
    problems = _problem(tmp_path, text)
    assert any(words in p.reason for p in problems), problems


def test_not_utf8_names_the_line(tmp_path):
    data = ("\n".join([HEADER, GOOD[0], GOOD[1].replace("England", "Engl\xe9nd")]) + "\n").encode("latin-1")
    problems = _problem(tmp_path, data)
    assert problems[0].line == 3 and "UTF-8" in problems[0].reason


def test_every_problem_is_reported_not_just_the_first(tmp_path):
    rows = [GOOD[0].replace(",296,", ",-1,"), GOOD[1].replace(",src", ",nowhere")]
    problems = _problem(tmp_path, "\n".join([HEADER, *rows]) + "\n")
    assert {p.line for p in problems} >= {2, 3}


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match="missing"):
        read_csv_text(tmp_path / "absent.csv", "absent.csv")


def test_a_source_url_must_be_a_web_address(raw_copy):
    from analysis.data.load import validate_all

    path = raw_copy / "sources.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("https://www.ons.gov.uk", "javascript:alert(1)//www.ons.gov.uk", 1), encoding="utf-8")
    problems = validate_all(raw_copy)
    assert any(p.column == "url" and "web address" in p.reason and p.line for p in problems), problems


def test_links_are_only_made_for_web_addresses():
    from analysis.present.html import links_list

    assert "<a href" not in links_list([("x", "javascript:alert(1)", "")])
    assert '<a href="https://example.org/a?b=1&amp;c=2">' in links_list([("x", "https://example.org/a?b=1&c=2", "")])
