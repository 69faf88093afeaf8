"""``python -m analysis refresh``: a new release is derived aside, compared, reported, and published
only with ``--accept``. Every run works on copies (official files, extracts, report folder, history).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from test_bad_official_inputs import (
    B1,
    D3,
    D5,
    POP,
    official_copy,
    read_rows,
    refresh_args,
    row_of,
    run,
    staged,
    tree,
    write_rows,
)

from analysis import paths
from analysis.data.diff import Cell, ExtractDiff, compare
from analysis.data.fileio import read_csv_text, sha256_file
from analysis.data.refresh import HISTORY_COLUMNS, refresh, render_diff_report
from analysis.data.registry import all_specs
from analysis.errors import Problem

RUTLAND = "857"


def _release(dfe: Path) -> dict[str, object]:
    """One value revised (Blackpool's children in need at 31 March 2024, +7), one year added
    (population 2025: a copy of the 2024 rows) and one council removed (Rutland, from d3)."""
    rows = read_rows(dfe / B1)
    i = row_of(rows, old_la_code="890", time_period="2024")
    col = rows[0].index("At31_episodes")
    old = rows[i][col]
    rows[i][col] = str(int(old) + 7)
    write_rows(dfe / B1, rows)
    rows = read_rows(dfe / POP)
    year = rows[0].index("time_period")
    added = [[*r[:year], "2025", *r[year + 1 :]] for r in rows[1:] if r[year] == "2024"]
    write_rows(dfe / POP, rows + added)
    rows = read_rows(dfe / D3)
    code = rows[0].index("old_la_code")
    kept = [r for r in rows if r[code] != RUTLAND]
    write_rows(dfe / D3, kept)
    return {"old": old, "new": str(int(old) + 7), "added": len(added), "removed": len(rows) - len(kept)}


@pytest.fixture()
def release(tmp_path: Path, dfe_dir) -> tuple[Path, dict[str, object]]:
    dfe = official_copy(tmp_path)
    return dfe, _release(dfe)


def test_unchanged_files_exit_0_and_write_nothing(tmp_path: Path, dfe_dir):
    raw = staged(tmp_path)
    before = tree(raw)
    done = run(refresh_args(dfe_dir, tmp_path))
    assert done.code == 0, done.err
    assert "no difference" in done.out
    assert tree(raw) == before
    assert not (tmp_path / "report").exists() and not (tmp_path / "history.csv").exists()


def test_a_new_release_is_diffed_exactly_and_published_only_when_accepted(release, tmp_path: Path):
    dfe, made = release
    raw = staged(tmp_path)
    before = tree(raw)
    outcome = refresh(dfe, raw_dir=raw, out_dir=tmp_path / "report", history=tmp_path / "history.csv")
    assert outcome.code == 4, outcome.lines
    changed = {d.name: d for d in outcome.diffs if d.changed}
    assert set(changed) == {"cin", "population", "cp_plans_started", "sources"}

    [cell] = changed["cin"].revised
    assert (cell.key, cell.column, cell.old, cell.new, cell.change) == (
        "E06000009 | 2024",
        "cin_at_31_march_count",
        made["old"],
        made["new"],
        7.0,
    )
    assert not (changed["cin"].rows_added or changed["cin"].rows_removed or changed["cin"].markers)

    pop = changed["population"]
    assert pop.new_years == [2025] and len(pop.rows_added) == made["added"]
    assert not (pop.rows_removed or pop.revised or pop.new_areas or pop.areas_gone)

    gone = changed["cp_plans_started"]
    assert gone.areas_gone == ["E06000017 Rutland"] and len(gone.rows_removed) == made["removed"]
    assert not (gone.rows_added or gone.revised or gone.new_years or gone.years_gone)

    registry = changed["sources"]
    assert {(c.key, c.column) for c in registry.revised} == {
        (s, col) for s in ("dfe-cin-b1-2025", "ons-pop-0-17", "dfe-cin-d3-2025") for col in ("sha256", "retrieved")
    }
    assert {c.new for c in registry.revised if c.column == "sha256"} == {sha256_file(dfe / f) for f in (B1, POP, D3)}
    assert outcome.warnings == []

    # nothing published, only the report
    assert tree(raw) == before and not (tmp_path / "history.csv").exists()
    html = (tmp_path / "report" / "diff.html").read_text(encoding="utf-8")
    for text in (
        "Blackpool",
        "cin_at_31_march_count",
        f">{made['old']}<",
        f">{made['new']}<",
        ">+7<",
        "New years: 2025",
        "Areas gone: E06000017 Rutland",
        "Nothing was published",
    ):
        assert text in html, text
    assert "http://" not in html.split("</style>")[1] and "<script" not in html  # offline, no scripts

    # a reason too short publishes nothing
    assert run(refresh_args(dfe, tmp_path, "--accept", "ok")).code == 2
    assert tree(raw) == before

    accepted = run(refresh_args(dfe, tmp_path, "--accept", "Diff checked against the DfE release (AB)"))
    assert accepted.code == 0, accepted.err
    extracts = {spec.path for spec in all_specs().values() if spec.origin == "official"}
    fresh = tmp_path / "fresh"
    assert run(["extract", "--source-dir", str(dfe), "--out", str(fresh)]).code == 0
    for rel in extracts:
        assert (raw / rel).read_bytes() == (fresh / rel).read_bytes(), rel
    published = {rel for rel, sha in tree(raw).items() if before.get(rel) != sha}
    assert published == {"official/cin.csv", "official/population.csv", "official/cp_plans_started.csv", "sources.csv"}
    [line] = list(csv.DictReader(io.StringIO((tmp_path / "history.csv").read_text(encoding="utf-8"))))
    assert tuple(line) == HISTORY_COLUMNS
    assert (line["extracts_changed"], line["rows_added"], line["rows_removed"], line["values_revised"]) == (
        "4",
        str(made["added"]),
        str(made["removed"]),
        "7",
    )  # 1 value + 3 checksums + 3 retrieval dates
    assert f"{B1} sha256:{sha256_file(dfe / B1)}" in line["source_files"]
    assert line["reason"] == "Diff checked against the DfE release (AB)"
    assert run(["validate", "--raw-dir", str(raw)]).code == 0

    again = run(refresh_args(dfe, tmp_path))
    assert again.code == 0 and "no difference" in again.out


def test_a_large_jump_is_a_warning_to_review(tmp_path: Path, dfe_dir):
    dfe = official_copy(tmp_path)
    rows = read_rows(dfe / B1)
    i = row_of(rows, old_la_code="890", time_period="2025")
    col = rows[0].index("At31_episodes")
    rows[i][col] = str(int(rows[i][col]) * 4)
    write_rows(dfe / B1, rows)
    raw = staged(tmp_path)
    done = run(refresh_args(dfe, tmp_path))
    assert done.code == 4
    warnings = [line for line in done.err.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1, done.err
    assert "data/raw/official/cin.csv" in warnings[0] and "column 'cin_at_31_march_count'" in warnings[0]
    assert "Blackpool" in warnings[0] and "threshold" in warnings[0]
    html = (tmp_path / "report" / "diff.html").read_text(encoding="utf-8")
    assert "Blackpool" in html and "larger year-on-year change" in html
    assert tree(raw) == tree(paths.DATA_RAW)


def test_an_impossible_count_stops_the_refresh(tmp_path: Path, dfe_dir):
    dfe = official_copy(tmp_path)
    rows = read_rows(dfe / D5)
    i = row_of(rows, old_la_code="890", time_period="2024")
    rows[i][rows[0].index("CPP_At31")] = "1000000000"
    write_rows(dfe / D5, rows)
    raw = staged(tmp_path)
    done = run(refresh_args(dfe, tmp_path, "--accept", "would publish if plausible"))
    assert done.code == 2
    assert any(
        "data/raw/official/cp_plans_at_31_march.csv" in line
        and "column 'cp_plans_at_31_march_count'" in line
        and "1,000,000,000 children in Blackpool in 2024 is more than the" in line
        for line in done.err.splitlines()
    ), done.err
    assert tree(raw) == tree(paths.DATA_RAW) and not (tmp_path / "report").exists()
    extracted = run(["extract", "--source-dir", str(dfe), "--out", str(raw)])  # the manual way is refused too
    assert extracted.code == 2 and "children aged 0-17 living there" in extracted.err
    assert tree(raw) == tree(paths.DATA_RAW)


def test_rows_at_an_unused_level_are_skipped_and_said_once(tmp_path: Path, dfe_dir):
    dfe = official_copy(tmp_path)
    rows = read_rows(dfe / D5)
    level = rows[0].index("geographic_level")
    extra = [[*r[:level], "Local authority district", *r[level + 1 :]] for r in rows[1:4]]
    write_rows(dfe / D5, rows + extra)
    staged(tmp_path)
    done = run(refresh_args(dfe, tmp_path))
    said = [line for line in (done.out + done.err).splitlines() if "Local authority district" in line]
    assert len(said) == 1 and D5 in said[0] and "3 row(s)" in said[0] and "skipped" in said[0], done.err
    assert done.code == 4  # the file's checksum changed (sources.csv), the extracts did not
    outcome_changed = [line for line in done.err.splitlines() if "extract file(s) changed" in line]
    assert outcome_changed and outcome_changed[0].startswith("refresh: 1 extract file(s) changed")


def test_the_report_escapes_what_it_shows():
    """Names come from official files: a tag in one is shown as text (a real region or authority name
    cannot carry one through a refresh: Ofsted's and the adoption files' names would no longer match)."""
    evil = "North West <script>alert(1)</script>"
    diff = ExtractDiff(
        "areas",
        "data/raw/official/areas.csv",
        new_areas=[f"E12000002 {evil}"],
        revised=[Cell("E06000009", evil, "region_name", "North West", evil)],
    )
    html = render_diff_report(
        [diff],
        [Problem("data/raw/x.csv", 2, "c", f"<img src=x onerror=alert(1)> {evil}")],
        [],
        ["<b>.csv"],
        "dfe<i>",
        "2026-01-01 00:00 UTC",
        None,
    ).decode("utf-8")
    assert "<script>alert(1)</script>" not in html and "<img src=x" not in html and "<b>.csv" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;img src=x" in html and "dfe&lt;i&gt;" in html


def test_compare_on_small_frames():
    spec = all_specs()["cp_plans_at_31_march"]
    committed = read_csv_text(paths.DATA_RAW / spec.path)
    old = committed[committed["area_code"].isin(["E06000009", "E06000008"])].copy()
    new = old.copy()
    line = new.index[(new["area_code"] == "E06000009") & (new["year"] == "2020")][0]
    new.loc[line, "cp_plans_at_31_march_count"] = ""
    new.loc[line, "cp_plans_at_31_march_count_status"] = "c"
    diff = compare(spec, old, new.drop(columns=["cp_plans_2_years_or_more_pct"]), spec.path)
    [marker] = diff.markers
    assert marker.column == "cp_plans_at_31_march_count" and marker.new == "[c]" and marker.old.isdigit()
    assert diff.columns_dropped == ["cp_plans_2_years_or_more_pct"] and not diff.revised
