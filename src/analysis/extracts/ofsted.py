"""Ofsted inspections of local authority children's services since 2009, and Ofsted visits.

Two Ofsted files, read with calamine (odfpy takes about 100 times longer). Each inspection comes
from exactly one file: ILACS (2018 on) from the 2025 file's full history, earlier frameworks from
the 2023 file, whose ILACS columns are left out so nothing is counted twice.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pandas as pd

from analysis.errors import DataError, Problem
from analysis.extracts.common import finish, one_row_per_key
from analysis.extracts.neighbours import AreaCodes, area_codes
from analysis.markers import MARKERS
from analysis.schema import SOURCE_ID, Column, ExtractSpec

FILE_2025 = "LA_Inspection_Outcomes_as_at_31_March_2025.ods"
FILE_2023 = "Childrens_social_care_in_England_2023_underlying_data.ods"
SOURCE_2025 = "ofsted-outcomes-2025"
SOURCE_2023 = "ofsted-csc-2023"

JUDGEMENTS = ("Outstanding", "Good", "Requires improvement to be good", "Inadequate")
FRAMEWORKS = ("SLAC", "CPI", "TLAC", "SIF", "ILACS")


def _judgement_column(name: str, description: str) -> Column:
    return Column(name, "category", description, status=True, allowed=JUDGEMENTS)


JUDGEMENT_COLUMNS = (
    _judgement_column("overall_effectiveness",
                      "Overall effectiveness (ILACS, SIF, CPI and CPI re-inspection, TLAC)"),
    _judgement_column("leadership",
                      "ILACS: impact of leaders on social work practice with children and families; SIF: "
                      "leadership, management and governance"),
    _judgement_column("help_and_protection",
                      "Experiences and progress of children who need help and protection (ILACS); children "
                      "who need help and protection (SIF)"),
    _judgement_column("children_in_care",
                      "ILACS: experiences and progress of children in care (before 1 January 2023 this "
                      "judgement covered children in care and care leavers); SIF: children looked after and "
                      "achieving permanence"),
    _judgement_column("care_leavers",
                      "Experiences and progress of care leavers: ILACS from 1 January 2023; SIF "
                      "sub-judgement"),
    _judgement_column("adoption", "SIF sub-judgement: adoption performance"),
    _judgement_column("lscb", "SIF: review of the Local Safeguarding Children Board, overall effectiveness"),
    _judgement_column("safeguarding", "SLAC: safeguarding services, overall effectiveness"),
    _judgement_column("looked_after_children",
                      "SLAC: services for looked after children, overall effectiveness"),
)
JUDGEMENT_NAMES = tuple(c.name for c in JUDGEMENT_COLUMNS)
NOT_JUDGED_BY_FRAMEWORK = "not_in_release"


@dataclass(frozen=True)
class Event:
    """One inspection's columns in the 2023 file's history table: its date column and judgement columns."""

    framework: str
    inspection_type: str | None
    published: str
    judgements: Mapping[str, str]  # our judgement column -> Ofsted's column header


SIF = "Single Inspection of LA Children's Services (SIF)"
PRE_ILACS: tuple[Event, ...] = (
    Event("SLAC", None, "Safeguarding & Looked After Children (SLAC) Inspection publication date",
          {"safeguarding": "SLAC Safeguarding Overall effectiveness (OE)",
           "looked_after_children": "SLAC Looked After Children Overall Effectiveness (OE)"}),
    Event("SLAC", "re-inspection", "SLAC re-inspection of Safeguarding publication date",
          {"safeguarding": "SLAC re-inspection Safeguarding OE"}),
    Event("SLAC", "re-inspection",
          "SLAC re-inspection of services for Children Looked After publication date",
          {"looked_after_children": "SLAC re-inspection of services Children Looked After OE"}),
    Event("CPI", None, "Child Protection Inspections (CPI) publication date",
          {"overall_effectiveness": "CPI Overall Effectiveness (OE)"}),
    Event("CPI", "re-inspection", "Child Protection Re-Inspection (CPRI) publication date",
          {"overall_effectiveness": "CPRI Overall Effectiveness (OE)"}),
    Event("TLAC", None, "Targeted Looked After Children (TLAC) inspection publication date",
          {"overall_effectiveness": "TLAC Overall Effectiveness (OE)"}),
    Event("SIF", None, f"{SIF} First SIF publication date",
          {"overall_effectiveness": "First SIF Overall Judgement (OE)",
           "help_and_protection": "First SIF children who need help and protection",
           "children_in_care": "First SIF children looked after and achieving permanence",
           "adoption": "First SIF CLA Sub: Adoption Performance",
           "care_leavers": "First SIF CLA Sub: Experiences and progress of care leavers",
           "leadership": "First SIF leadership, management and governance",
           "lscb": "LSCB Overall Effectiveness"}),
    Event("SIF", "re-inspection", f"{SIF} SIF Re-inspection publication date",
          {"overall_effectiveness": "SIF Re-inspection Overall Judgement (OE)",
           "help_and_protection": "SIF Re-inspection children who need help and protection",
           "children_in_care": "SIF Re-inspection children looked after and achieving permanence",
           "adoption": "SIF Re-inspection CLA Sub: Adoption Performance",
           "care_leavers": "SIF Re-inspection CLA Sub: Experiences and progress of care leavers",
           "leadership": "SIF Re-inspection leadership, management and governance"}),
)
ILACS_JUDGEMENTS = {
    "overall_effectiveness": "Overall effectiveness",
    "leadership": "The impact of leaders on social work practice with children and families",
    "help_and_protection": "The experiences and progress of children who need help and protection",
    "children_in_care": "The experiences and progress of children in care",
    "care_leavers": "The experiences and progress of care leavers",
}
INSPECTION_TYPES = {"ILACS Standard Inspection": "standard", "ILACS Short Inspection": "short"}
VISIT_TYPES = {"ILACS Focused Visit": "focused visit", "LA Monitoring visit": "monitoring visit"}
THEMES = ("Achieving permanence", "Care leavers", "Children in care", "Children in need/subject to a plan",
          "Front door", "Vulnerable adolescents")

# The 2023 file names authorities without codes. Ofsted's name -> the name areas.csv uses.
OFSTED_NAMES = {
    "Bedford Borough": "Bedford",
    "Bristol": "Bristol, City of",
    "Durham": "County Durham",
    "Herefordshire": "Herefordshire, County of",
    "Kingston Upon Hull": "Kingston upon Hull, City of",
    "Richmond Upon Thames": "Richmond upon Thames",
    "Southend on Sea": "Southend-on-Sea",
    "St Helens": "St. Helens",
}
# The 2023 file's second table: "authorities that existed before the restructure" (one shares the
# name Dorset with today's council), by DfE code.
PRE_RESTRUCTURE = {"Bournemouth": "837", "Dorset": "835", "Poole": "836", "Northamptonshire": "928"}

PLACE = (
    Column("area_code", "area_code", "ONS code of the local authority in use on the date of the event"),
    Column("la_code", "la_code", "DfE 3-digit code of the local authority (stable across code changes)"),
    Column("area_name", "text", "Local authority name as Ofsted publishes it"),
)

INSPECTIONS = ExtractSpec(
    name="ofsted_inspections",
    path="official/ofsted_inspections.csv",
    title="Ofsted inspections of local authority children's services, 2009 to 2025",
    description=("One row per local authority and inspection with a published judgement: SLAC (2009-2012), "
                 "child protection inspections and re-inspections (2012-2013), targeted looked after "
                 "children inspections (2013), SIF (2013-2018) and ILACS standard and short inspections "
                 "(2018-2025), with the overall effectiveness and sub-judgements in Ofsted's wording."),
    origin="official",
    key=("area_code", "framework", "published"),
    columns=(
        *PLACE,
        Column("framework", "category",
               "Inspection framework: SLAC (safeguarding and looked after children), CPI (child protection "
               "inspection), TLAC (targeted looked after children), SIF (single inspection framework), "
               "ILACS (inspection of local authority children's services)", allowed=FRAMEWORKS),
        Column("inspection_type", "category",
               "ILACS standard or short inspection; re-inspection under SLAC, CPI or SIF; empty for a first "
               "inspection under the earlier frameworks (the file names no type)",
               nullable=True, allowed=("standard", "short", "re-inspection")),
        Column("inspection_start", "date", "First day of the inspection (ILACS only; earlier frameworks' "
               "data give the publication date alone)", nullable=True),
        Column("published", "date", "Date Ofsted published the report"),
        *JUDGEMENT_COLUMNS,
        SOURCE_ID,
    ),
    notes=("No duplicates between releases: ILACS inspections come only from the 2025 file's "
           "ILACS_inspection_history (2018-2025); SLAC, CPI, TLAC and SIF only from the 2023 file's "
           "LA_inspections_2009-2023, whose ILACS columns are not read.",
           "The 2023 sheet holds two tables: current authorities, then (below blank rows and a title) "
           "Bournemouth, Dorset, Poole and Northamptonshire as they were before reorganisation.",
           "The 2023 file gives names only; they are matched to areas.csv (a few spellings differ, listed in "
           "the code). Area codes follow the publication date: e.g. North Yorkshire's ILACS of 2018 is "
           "E10000023 though the 2025 file writes today's E06000065.",
           "A judgement's status: 'not_in_release' where the framework makes no such judgement, 'blank' "
           "where Ofsted's cell is empty (e.g. ILACS care leavers before 2023), '-' where it holds a dash.",
           "SLAC graded services as adequate rather than requires improvement; the 2023 file records those "
           "as 'Requires improvement to be good' and that wording is kept. A SLAC re-inspection of both "
           "safeguarding and looked after children services published on one day is one row.",
           "The releases disagree in two ILACS dates: Nottingham's 2022 inspection was published on "
           "by the 2023 file and 2022-09-05 by the 2025 file; Cumbria's 2022 inspection began on 2022-09-21 "
           "by the 2023 in-year sheet and 2022-09-20 by the 2025 file. The 2025 file is used."),
)

VISITS = ExtractSpec(
    name="ofsted_visits",
    path="official/ofsted_visits.csv",
    title="Ofsted focused and monitoring visits, 2022-23 and 2024-25",
    description=("Ofsted's ILACS focused visits and monitoring visits to local authority children's services "
                 "in the two in-year sheets the files hold (no grades are given for visits)."),
    origin="official",
    key=("area_code", "visit_date", "visit_type"),
    columns=(
        *PLACE,
        Column("visit_date", "date", "Date of the visit (first day)"),
        Column("published", "date", "Date Ofsted published the letter (2024-25 sheet only)", nullable=True),
        Column("visit_type", "category", "ILACS focused visit, or monitoring visit (to an authority judged "
               "inadequate)", allowed=tuple(VISIT_TYPES.values())),
        Column("theme", "category", "Theme of the visit as Ofsted names it", allowed=THEMES),
        SOURCE_ID,
    ),
    notes=("Only two in-year sheets exist in these files: the 2023 file's LA_level_in_year_2022-23 (visits "
           "dated 21 February 2022 to 21 February 2023) and the 2025 file's In-year_inspections (3 April "
           "2024 to 26 March 2025). Earlier visits and those from about March 2023 to March 2024 are in "
           "neither, so a visit missing here is not evidence that none took place (e.g. Blackpool's visits "
           "of 2019-2022 other than June 2022).",
           "The in-year sheets' inspections are not repeated here; they are in ofsted_inspections."),
)

SPECS = (INSPECTIONS, VISITS)

T = TypeVar("T")


def read_tables(path: Path, sheets: Sequence[str]) -> dict[str, list[pd.DataFrame]]:
    """Each sheet's tables: a header row whose first cell is 'Web link', rows down to the first empty one.

    The index is the spreadsheet row number and headers have their spacing normalised.
    """
    if not path.exists():
        raise DataError.single(path, "official file is missing")
    book = pd.read_excel(path, sheet_name=list(sheets), header=None, engine="calamine")
    out: dict[str, list[pd.DataFrame]] = {}
    for sheet, cells in book.items():
        cells.index = cells.index + 1
        empty = cells.isna().all(axis=1)
        tables = []
        for start in cells.index[cells[0] == "Web link"]:
            ends = empty.loc[start:]
            stop = ends.index[ends][0] if ends.any() else cells.index[-1] + 1
            header = cells.loc[start]
            table = cells.loc[start + 1: stop - 1, header.notna()]
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
        self.problems = [Problem(self.where, None, h, "expected column is missing") for h in headers
                         if h not in frame.columns]
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


def _place(table: Table, row: pd.Series, header: str, la: str | None, on: str | None, name: str,
           codes: AreaCodes) -> dict[str, object]:
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
    code, headers = "Local authority area code", [
        "Local authority name", "Inspection date", "Publication date", "Inspection type",
        *ILACS_JUDGEMENTS.values()]
    table = Table(frame, path, "ILACS_inspection_history", [code, *headers])
    rows = []
    for line, row in frame.iterrows():
        published = table.cell(row, "Publication date", _date, None)
        rec = {**_place(table, row, code, codes.la_of.get(row[code]), published, row["Local authority name"],
                        codes),
               "framework": "ILACS",
               "inspection_type": table.cell(row, "Inspection type", _lookup(INSPECTION_TYPES, "type"), None),
               "inspection_start": table.cell(row, "Inspection date", _date, None), "published": published,
               **_unjudged(), "source_id": SOURCE_2025, "line": line}
        for col, header in ILACS_JUDGEMENTS.items():
            rec[col], rec[f"{col}_status"] = table.cell(row, header, _judgement, (None, "blank"))
        rows.append(rec)
    return rows, table


def _pre_ilacs(frame: pd.DataFrame, path: Path, codes: AreaCodes, names: Names,
               pre_restructure: bool) -> tuple[list[dict], Table]:
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
            rec = {**_place(table, row, name_col, la, published, row[name_col], codes),
                   "framework": event.framework, "inspection_type": event.inspection_type,
                   "inspection_start": None, "published": published, **_unjudged(),
                   "source_id": SOURCE_2023, "line": line}
            # A SLAC re-inspection of both services published on one day is one inspection.
            rec = merged.setdefault((la, event.framework, event.inspection_type, published), rec)
            for col, header in event.judgements.items():
                if rec[f"{col}_status"] != NOT_JUDGED_BY_FRAMEWORK:
                    table.fail(row, header, f"a second {col} judgement for one inspection")
                rec[col], rec[f"{col}_status"] = table.cell(row, header, _judgement, (None, "blank"))
    return list(merged.values()), table


def _visits(frame: pd.DataFrame, path: Path, sheet: str, codes: AreaCodes, names: Names | None,
            source_id: str) -> tuple[list[dict], Table]:
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
        rows.append({
            **_place(table, row, place, la, on, row["Local authority name"], codes),
            "visit_date": on,
            "published": None if names else table.cell(row, "Publication date", _date, None),
            "visit_type": table.cell(row, "Inspection/Visit type", _lookup(VISIT_TYPES, "visit type"), None),
            "theme": table.cell(row, "Visit Theme", _lookup({t: t for t in THEMES}, "theme"), None),
            "source_id": source_id, "line": line})
    return rows, table


def derive(source_dir: Path) -> dict[str, pd.DataFrame]:
    codes = area_codes(source_dir)
    names = Names(codes)
    path_2025, path_2023 = source_dir / FILE_2025, source_dir / FILE_2023
    book_2025 = read_tables(path_2025, ["ILACS_inspection_history", "In-year_inspections"])
    book_2023 = read_tables(path_2023, ["LA_inspections_2009-2023", "LA_level_in_year_2022-23"])
    history = book_2023["LA_inspections_2009-2023"]
    if len(history) != 2:
        raise DataError.single(path_2023, f"sheet LA_inspections_2009-2023: expected two tables, found "
                               f"{len(history)}")
    parts = [
        _ilacs(book_2025["ILACS_inspection_history"][0], path_2025, codes),
        _pre_ilacs(history[0], path_2023, codes, names, pre_restructure=False),
        _pre_ilacs(history[1], path_2023, codes, names, pre_restructure=True),
    ]
    visit_parts = [
        _visits(book_2023["LA_level_in_year_2022-23"][0], path_2023, "LA_level_in_year_2022-23", codes, names,
                SOURCE_2023),
        _visits(book_2025["In-year_inspections"][0], path_2025, "In-year_inspections", codes, None,
                SOURCE_2025),
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
        out[spec.name] = finish(pd.concat(frames), spec)
    return out
