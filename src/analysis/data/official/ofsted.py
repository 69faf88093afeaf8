"""Derive the ofsted extracts from the official files (declared in ``analysis.data.specs.ofsted``)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

import pandas as pd

from analysis.data.markers import MARKERS
from analysis.data.official.common import collect, finish, one_row_per_key
from analysis.data.official.neighbours import AreaCodes, area_codes
from analysis.data.official.sheets import read_sheets
from analysis.data.specs.ofsted import (
    FILE_2022,
    FILE_2023,
    FILE_2025,
    ILACS_JUDGEMENTS,
    INSPECTION_TYPES,
    INSPECTIONS,
    JUDGEMENT_NAMES,
    JUDGEMENTS,
    NOT_JUDGED_BY_FRAMEWORK,
    OFSTED_NAMES,
    PRE_ILACS,
    PRE_RESTRUCTURE,
    SHEET_2022,
    SOURCE_2022,
    SOURCE_2023,
    SOURCE_2025,
    SPECS,
    THEMES,
    VISIT_TYPES,
    VISITS,
)
from analysis.errors import DataError, Problem

__all__ = ["SPECS", "derive"]  # the declarations are re-exported for callers of derive()

FOLDERS = ("dfe", "more")  # derive(dfe_dir, more_dir): folders under shared/data

T = TypeVar("T")


def read_tables(path: Path, sheets: Sequence[str]) -> dict[str, list[pd.DataFrame]]:
    """Each sheet's tables: a header row whose first cell is 'Web link', rows down to the first empty one.

    The index is the spreadsheet row number and headers have their spacing normalised.
    """
    book = read_sheets(path, sheets)
    out: dict[str, list[pd.DataFrame]] = {}
    for sheet, cells in book.items():
        cells.index = cells.index + 1
        if cells.empty or 0 not in cells.columns:
            raise DataError.single(path, f"sheet {sheet}: the sheet is empty")
        empty = cells.isna().all(axis=1)
        tables = []
        for start in cells.index[cells[0] == "Web link"]:
            ends = empty.loc[start:]
            stop = ends.index[ends][0] if ends.any() else cells.index[-1] + 1
            header = cells.loc[start]
            table = cells.loc[start + 1 : stop - 1, header.notna()]
            table.columns = [" ".join(str(h).split()) for h in header[header.notna()]]
            tables.append(table)
        if not tables:
            raise DataError.single(path, f"sheet {sheet}: no table found (no header row starting 'Web link')")
        out[str(sheet)] = tables
    return out


def _date(cell: object) -> str | None:
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return None
    if isinstance(cell, dt.date):
        return pd.Timestamp(cell).strftime("%Y-%m-%d")
    raise ValueError(f"not a date: {cell!r}")


def _judgement(cell: object) -> tuple[str | None, str | None]:
    """(judgement in Ofsted's current wording, None) or (None, marker)."""
    if cell is None or (isinstance(cell, float) and math.isnan(cell)) or str(cell).strip() == "":
        return None, "blank"
    text = " ".join(str(cell).split())
    if text in MARKERS:
        return None, text
    for judgement in JUDGEMENTS:
        if text.casefold() == judgement.casefold():
            return judgement, None
    raise ValueError(f"unknown judgement {cell!r}")


def _lookup(mapping: Mapping[str, T], what: str) -> Callable[[object], T]:
    def parse(cell: object) -> T:
        if not isinstance(cell, str) or cell not in mapping:
            raise ValueError(f"unknown {what} {cell!r}")
        return mapping[cell]

    return parse


class Table:
    """One official table being read: parses cells and collects every problem with its row and column."""

    def __init__(self, frame: pd.DataFrame, path: Path, sheet: str, headers: Sequence[str]):
        self.where = f"{path.name} [{sheet}]"
        self.problems = [
            Problem(self.where, None, h, "expected column is missing") for h in headers if h not in frame.columns
        ]
        if self.problems:
            raise DataError(self.problems)

    def cell(self, row: pd.Series, header: str, parse: Callable[[object], T], default: T) -> T:
        try:
            return parse(row[header])
        except ValueError as exc:
            self.fail(row, header, str(exc))
            return default

    def fail(self, row: pd.Series, header: str, reason: str) -> None:
        self.problems.append(Problem(self.where, int(str(row.name)), header, reason))


class Names:
    """Ofsted's authority names -> DfE codes, through areas.csv."""

    def __init__(self, codes: AreaCodes):
        current = codes.names[~codes.names["la_code"].isin(PRE_RESTRUCTURE.values())]
        self.by_name = current.groupby("area_name")["la_code"].agg(frozenset).to_dict()

    def la_code(self, name: str, pre_restructure: bool) -> str | None:
        if pre_restructure:
            return PRE_RESTRUCTURE.get(name)
        found = self.by_name.get(OFSTED_NAMES.get(name, name), frozenset())
        return next(iter(found)) if len(found) == 1 else None


def _place(
    table: Table, row: pd.Series, header: str, la: str | None, on: str | None, name: str, codes: AreaCodes
) -> dict[str, object]:
    """Area code in use on date ``on``, DfE code and Ofsted's name; a failure is recorded, not guessed."""
    area = codes.area_code(la, on) if la and on else None
    if la is None:
        table.fail(row, header, f"{row[header]!r} matches no single authority in areas.csv")
    elif area is None and on:
        table.fail(row, header, f"DfE code {la} is not in areas.csv")
    return {"area_code": area, "la_code": la, "area_name": name}


def _unjudged() -> dict[str, object]:
    """Every judgement 'not made by this framework' until its column is read."""
    out: dict[str, object] = {}
    for col in JUDGEMENT_NAMES:
        out[col], out[f"{col}_status"] = None, NOT_JUDGED_BY_FRAMEWORK
    return out


def _ilacs(frame: pd.DataFrame, path: Path, codes: AreaCodes) -> tuple[list[dict], Table]:
    code, headers = (
        "Local authority area code",
        ["Local authority name", "Inspection date", "Publication date", "Inspection type", *ILACS_JUDGEMENTS.values()],
    )
    table = Table(frame, path, "ILACS_inspection_history", [code, *headers])
    rows = []
    for line, row in frame.iterrows():
        published = table.cell(row, "Publication date", _date, None)
        rec = {
            **_place(table, row, code, codes.la_of.get(row[code]), published, row["Local authority name"], codes),
            "framework": "ILACS",
            "inspection_type": table.cell(row, "Inspection type", _lookup(INSPECTION_TYPES, "type"), None),
            "inspection_start": table.cell(row, "Inspection date", _date, None),
            "published": published,
            **_unjudged(),
            "source_id": SOURCE_2025,
            "line": line,
        }
        for col, header in ILACS_JUDGEMENTS.items():
            rec[col], rec[f"{col}_status"] = table.cell(row, header, _judgement, (None, "blank"))
        rows.append(rec)
    return rows, table


def _pre_ilacs(
    frame: pd.DataFrame, path: Path, codes: AreaCodes, names: Names, pre_restructure: bool
) -> tuple[list[dict], Table]:
    name_col = "Local authority name"
    headers = [name_col] + [h for e in PRE_ILACS for h in (e.published, *e.judgements.values())]
    table = Table(frame, path, "LA_inspections_2009-2023", headers)
    merged: dict[tuple, dict] = {}
    for line, row in frame.iterrows():
        la = names.la_code(row[name_col], pre_restructure)
        for event in PRE_ILACS:
            published = table.cell(row, event.published, _date, None)
            if published is None:
                continue
            rec = {
                **_place(table, row, name_col, la, published, row[name_col], codes),
                "framework": event.framework,
                "inspection_type": event.inspection_type,
                "inspection_start": None,
                "published": published,
                **_unjudged(),
                "source_id": SOURCE_2023,
                "line": line,
            }
            # A SLAC re-inspection of both services published on one day is one inspection.
            rec = merged.setdefault((la, event.framework, event.inspection_type, published), rec)
            for col, header in event.judgements.items():
                if rec[f"{col}_status"] != NOT_JUDGED_BY_FRAMEWORK:
                    table.fail(row, header, f"a second {col} judgement for one inspection")
                rec[col], rec[f"{col}_status"] = table.cell(row, header, _judgement, (None, "blank"))
    return list(merged.values()), table


def _visits(
    frame: pd.DataFrame, path: Path, sheet: str, codes: AreaCodes, names: Names | None, source_id: str
) -> tuple[list[dict], Table]:
    """Visits from an in-year sheet (by name in 2022-23, by ONS code in 2024-25); inspections are skipped."""
    place = "Local authority name" if names else "Local authority area code"
    headers = ["Local authority name", "Inspection/Visit date", "Inspection/Visit type", "Visit Theme"]
    table = Table(frame, path, sheet, [place, *headers] + ([] if names else ["Publication date"]))
    rows = []
    for line, row in frame.iterrows():
        if row["Inspection/Visit type"] in INSPECTION_TYPES:
            continue
        on = table.cell(row, "Inspection/Visit date", _date, None)
        la = names.la_code(row[place], False) if names else codes.la_of.get(row[place])
        rows.append(
            {
                **_place(table, row, place, la, on, row["Local authority name"], codes),
                "visit_date": on,
                "published": None if names else table.cell(row, "Publication date", _date, None),
                "visit_type": table.cell(row, "Inspection/Visit type", _lookup(VISIT_TYPES, "visit type"), None),
                "theme": table.cell(row, "Visit Theme", _lookup({t: t for t in THEMES}, "theme"), None),
                "source_id": source_id,
                "line": line,
            }
        )
    return rows, table


def _one_row_per_visit(frames: list[pd.DataFrame], path: Path) -> list[pd.DataFrame]:
    """Drop from the 2021-22 sheet (first frame) the visits the 2022-23 sheet (second) also lists.

    Both sheets cover 21 February to 16 March 2022; the later file is kept. A visit on which the
    two disagree about the theme stops the extract.
    """
    earlier, later = frames[0], frames[1]
    key = list(VISITS.key)
    both = earlier.reset_index().merge(later[[*key, "theme"]], on=key, suffixes=("", "_later"))
    clash = both[both["theme"] != both["theme_later"]]
    if not clash.empty:
        raise DataError(
            [
                Problem(
                    f"{path.name} [{SHEET_2022}]",
                    int(r["line"]),
                    "Visit Theme",
                    f"theme {r['theme']!r} but the 2023 file says {r['theme_later']!r}",
                )
                for _, r in clash.iterrows()
            ]
        )
    seen = pd.MultiIndex.from_frame(later[key])
    return [earlier[~pd.MultiIndex.from_frame(earlier[key]).isin(seen)], *frames[1:]]


def derive(source_dir: Path, more_dir: Path) -> dict[str, pd.DataFrame]:
    """Inspections (2009-2025) and visits (2021-22, 2022-23, 2024-25) from Ofsted's three files.

    ``source_dir`` is shared/data/dfe (2023 and 2025 files), ``more_dir`` shared/data/more (2022 file).
    """
    path_2025, path_2023, path_2022 = source_dir / FILE_2025, source_dir / FILE_2023, more_dir / FILE_2022
    found: list[Problem] = []  # the workbooks' own problems are found even when areas.csv cannot be derived
    book_2025 = collect(found, read_tables, path_2025, ["ILACS_inspection_history", "In-year_inspections"])
    book_2023 = collect(found, read_tables, path_2023, ["LA_inspections_2009-2023", "LA_level_in_year_2022-23"])
    book_2022 = collect(found, read_tables, path_2022, [SHEET_2022])
    codes = collect(found, area_codes, source_dir)
    if found:
        raise DataError(found)
    names = Names(codes)
    history = book_2023["LA_inspections_2009-2023"]
    if len(history) != 2:
        raise DataError.single(path_2023, f"sheet LA_inspections_2009-2023: expected two tables, found {len(history)}")
    parts = [
        _ilacs(book_2025["ILACS_inspection_history"][0], path_2025, codes),
        _pre_ilacs(history[0], path_2023, codes, names, pre_restructure=False),
        _pre_ilacs(history[1], path_2023, codes, names, pre_restructure=True),
    ]
    visit_parts = [
        _visits(book_2022[SHEET_2022][0], path_2022, SHEET_2022, codes, names, SOURCE_2022),
        _visits(book_2023["LA_level_in_year_2022-23"][0], path_2023, "LA_level_in_year_2022-23", codes, names, SOURCE_2023),
        _visits(book_2025["In-year_inspections"][0], path_2025, "In-year_inspections", codes, None, SOURCE_2025),
    ]
    problems = [p for _, table in parts + visit_parts for p in table.problems]
    if problems:
        raise DataError(problems)
    out = {}
    for spec, found in ((INSPECTIONS, parts), (VISITS, visit_parts)):
        frames = []
        for rows, table in found:
            frame = pd.DataFrame(rows).set_index("line")
            one_row_per_key(frame, spec.key, Path(table.where))
            frames.append(frame)
        if spec is VISITS:
            frames = _one_row_per_visit(frames, path_2022)
        out[spec.name] = finish(pd.concat(frames), spec)
    return out
