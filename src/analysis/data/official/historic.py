"""Derive the historic extracts from the official files (declared in ``analysis.data.specs.historic``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis.data.official import areas as areas_extract
from analysis.data.official.common import (
    collect,
    ees_areas,
    finish,
    one_row_per_key,
    read_ees,
    require,
    split_measures,
    years,
)
from analysis.data.official.sheets import read_sheet
from analysis.data.specs.historic import (
    CLA_HISTORIC,
    CLA_RELEASES,
    CLA_VINTAGES,
    CLA_YEARS,
    COUNT,
    CP_COUNT,
    CP_DCI,
    CP_HISTORIC,
    CP_RATE,
    CP_RELEASES,
    DCI_LEVELS,
    EES_COLUMNS,
    NOT_IN_RELEASE,
    RATE,
    SPECS,
    CpRelease,
    Release,
    chosen_release,
)
from analysis.errors import DataError, Problem

__all__ = ["SPECS", "derive"]  # the declarations are re-exported for callers of derive()

FOLDERS = ("dfe-historic", "dfe")  # derive(historic_dir, dfe_dir): folders under shared/data

# --- Areas -----------------------------------------------------------------------------------

OLD_LEVELS = {"NATIONAL": "national", "REGION": "regional", "LA": "local_authority"}
# (file, DfE code) -> level, for rows whose geog_l is empty in the official file.
LEVEL_FIXES = {("SFR50_CLA2017.csv", "420"): "local_authority"}  # Isles of Scilly


def _old_areas(raw: pd.DataFrame, file: Path) -> pd.DataFrame:
    """Level, DfE code and name from a pre-EES file's geog_l, geog_c and geog_n columns."""
    require(raw, ["geog_l", "geog_c", "geog_n"], file)
    code = raw["geog_c"].str.strip()
    level = raw["geog_l"].str.strip().str.upper().map(OLD_LEVELS)
    for (name, la), fixed in LEVEL_FIXES.items():
        if file.name == name:
            level = level.mask(level.isna() & (code == la), fixed)
    if level.isna().any():
        raise DataError(
            [
                Problem(str(file), int(line), "geog_l", f"unknown level {raw.at[line, 'geog_l']!r}")
                for line in raw.index[level.isna()]
            ]
        )
    return pd.DataFrame(
        {
            "geographic_level": level,
            "la_code": code.where(level == "local_authority"),
            "area_name": raw["geog_n"].str.strip(),
        },
        index=raw.index,
    )


def area_codes(rows: pd.DataFrame, areas: pd.DataFrame, file: Path) -> list[str]:
    """The ONS code for each row's level, DfE code and year, through the areas extract.

    England is the national area. A local authority takes, of the areas with its DfE code, the
    one introduced first that is still in use that year (``last_year`` >= year): DfE keeps its
    code when ONS re-codes an authority, e.g. Buckinghamshire (825) is E10000002 up to 31 March
    2020 and E06000060 after. No match stops the extract: an authority is never guessed.
    """
    national = areas.loc[areas["geographic_level"] == "national", "area_code"].item()
    las = areas[areas["geographic_level"] == "local_authority"].sort_values(["first_year", "area_code"])
    by_la: dict[str, list[tuple[str, int]]] = {}
    for code, la, last in zip(las["area_code"], las["la_code"], las["last_year"], strict=True):
        by_la.setdefault(la, []).append((code, int(last)))
    codes: list[str] = []
    problems: list[Problem] = []
    for line, level, la, year in zip(rows.index, rows["geographic_level"], rows["la_code"], rows["year"], strict=True):
        if level == "national":
            codes.append(national)
            continue
        match = next((code for code, last in by_la.get(la, []) if last >= year), None)
        if match is None:
            problems.append(
                Problem(
                    str(file), int(line), "la_code", f"no local authority with DfE code {la} in use in {year} in areas.csv"
                )
            )
        codes.append(match or "")
    if problems:
        raise DataError(problems)
    return codes


# --- Child protection plans ------------------------------------------------------------------


def _dci(column: pd.Series, file: Path) -> pd.DataFrame:
    """The data-confidence indicator: a level, or empty with its marker ('..', or blank for England)."""
    values: list[str | None] = []
    statuses: list[str] = []
    problems: list[Problem] = []
    for line, cell in column.items():
        text = cell.strip()
        if text not in DCI_LEVELS and text not in ("", ".."):
            problems.append(Problem(str(file), int(line), str(column.name), f"unknown level {text!r}"))
        values.append(text if text in DCI_LEVELS else None)
        statuses.append("" if text in DCI_LEVELS else text or "blank")
    if problems:
        raise DataError(problems)
    return pd.DataFrame({CP_DCI: values, f"{CP_DCI}_status": statuses}, index=column.index)


def _cp_rows(release: CpRelease, historic_dir: Path, areas: pd.DataFrame) -> pd.DataFrame:
    path = historic_dir / release.file
    raw = read_ees(path)
    problems: list[Problem] = []
    places = collect(problems, _old_areas, raw, path)
    measures = collect(problems, split_measures, raw, {release.count: CP_COUNT, release.rate: CP_RATE}, path)
    if collect(problems, require, raw, [release.dci], path, default=False) is None:
        dci = collect(problems, _dci, raw[release.dci], path)
    if problems:
        raise DataError(problems)
    rows = places.join(measures).join(dci)
    rows["year"] = release.year
    rows["area_code"] = area_codes(rows, areas, path)
    rows["release"] = release.label
    rows["source_id"] = release.source_id
    one_row_per_key(rows, CP_HISTORIC.key, path)
    return rows


# --- Looked-after children -------------------------------------------------------------------


def _by_year(parsed: pd.DataFrame, release: Release) -> pd.DataFrame:
    """Wide ``{year}:count`` / ``{year}:rate`` columns -> one row per area and year, index the file line."""
    parts = []
    for year in release.years:
        part = parsed[["geographic_level", "la_code", "area_name"]].copy()
        part["year"] = year
        for measure, column in (("count", COUNT), ("rate", RATE)):
            if f"{year}:{measure}" in parsed:
                part[column] = parsed[f"{year}:{measure}"]
                part[f"{column}_status"] = parsed[f"{year}:{measure}_status"]
            else:
                part[column] = np.nan
                part[f"{column}_status"] = NOT_IN_RELEASE
        parts.append(part)
    return pd.concat(parts)


def _read_wide_csv(release: Release, path: Path) -> pd.DataFrame:
    """Underlying-data CSVs, 2012-2019: ``CLA_MarYYYY`` counts and, from 2018, ``CLA_RateYYYY``."""
    raw = read_ees(path)
    mapping = {f"CLA_Mar{y}": f"{y}:count" for y in release.years}
    if release.has_rates:
        mapping |= {f"CLA_Rate{y}": f"{y}:rate" for y in release.years}
    problems: list[Problem] = []
    areas = collect(problems, _old_areas, raw, path)
    measures = collect(problems, split_measures, raw, mapping, path)
    if problems:
        raise DataError(problems)
    return _by_year(areas.join(measures), release)


def _read_la_tables(release: Release, path: Path) -> pd.DataFrame:
    """Sheet LAA1 of the SFR34/2015 LA tables: numbers in columns C-G, rates in I-M, 2011-2015."""
    sheet = read_sheet(path, "LAA1", dtype=object)
    sheet.index = pd.RangeIndex(1, len(sheet) + 1, name="line")  # spreadsheet row numbers
    if len(sheet) < 9 or sheet.shape[1] < 13:
        raise DataError.single(path, f"sheet LAA1: expected at least 9 rows and 13 columns, found {sheet.shape}")
    header = sheet.loc[8]
    if header[2:7].tolist() != list(release.years) or header[8:13].tolist() != list(release.years):
        raise DataError.single(path, "sheet LAA1: expected years 2011-2015 in row 8, columns C-G and I-M")
    body = sheet.loc[9:]
    national = body[1] == "England"
    la = body[0].map(lambda cell: isinstance(cell, int | float) and not pd.isna(cell))  # notes are text
    body = body[national | la]
    table = pd.DataFrame(
        {
            "geographic_level": np.where(national[body.index], "national", "local_authority"),
            "la_code": body[0].map(lambda c: f"{int(c):03d}", na_action="ignore"),
            "area_name": body[1].str.strip(),
        },
        index=body.index,
    )
    for offset, year in enumerate(release.years):
        table[f"numbers {year}"] = body[2 + offset]
        table[f"rates {year}"] = body[8 + offset]
    mapping = {
        f"{kind} {y}": f"{y}:{measure}" for y in release.years for kind, measure in (("numbers", "count"), ("rates", "rate"))
    }
    measures = split_measures(table, mapping, path)
    return _by_year(table[["geographic_level", "la_code", "area_name"]].join(measures), release)


def _read_ees(release: Release, path: Path) -> pd.DataFrame:
    """Explore-education-statistics releases: one row per area, year and measure."""
    measure_column, measure, count_column = EES_COLUMNS[release.source_id]
    raw = read_ees(path, levels=True)
    require(raw, [measure_column], path)
    raw = raw[raw[measure_column] == measure]
    problems: list[Problem] = []
    year = collect(problems, years, raw, path)
    geo = collect(problems, ees_areas, raw, path)
    measures = collect(problems, split_measures, raw, {count_column: COUNT, "rate_per_10000": RATE}, path)
    if problems:
        raise DataError(problems)
    found = tuple(sorted(year.unique()))
    if found != release.years:
        raise DataError.single(path, f"expected the years {release.years}, found {found}")
    rows = geo[["geographic_level", "area_name"]].assign(la_code=geo["la_code"].replace("", pd.NA), year=year)
    return rows.join(measures)


READERS = {"wide_csv": _read_wide_csv, "la_tables": _read_la_tables, "ees": _read_ees}


def _vintage_rows(release: Release, historic_dir: Path, dfe_dir: Path, areas: pd.DataFrame) -> pd.DataFrame:
    path = (dfe_dir if release.current else historic_dir) / release.file
    rows = READERS[release.layout](release, path)
    absent = (rows[f"{COUNT}_status"] == "z") & (rows[f"{RATE}_status"] == "z")
    rows = rows[(rows["geographic_level"] != "regional") & ~absent].copy()
    rows["area_code"] = area_codes(rows, areas, path)
    rows["release"] = release.label
    rows["release_year"] = release.reporting_year
    rows["source_id"] = release.source_id
    one_row_per_key(rows, ("area_code", "year"), path)
    return rows


def derive(historic_dir: Path, dfe_dir: Path) -> dict[str, pd.DataFrame]:
    """The three extracts. Areas are derived afresh from ``dfe_dir`` (the rows of areas.csv), so
    the result depends on the official files alone."""
    areas = areas_extract.derive(dfe_dir)["areas"]
    problems: list[Problem] = []
    cp_parts = [collect(problems, _cp_rows, r, historic_dir, areas) for r in CP_RELEASES]
    cla_parts = [collect(problems, _vintage_rows, r, historic_dir, dfe_dir, areas) for r in CLA_RELEASES]
    if problems:  # every release's problems, not just the first one's
        raise DataError(problems)
    cp = pd.concat(cp_parts)
    vintages = pd.concat(cla_parts, ignore_index=True)
    chosen = {year: chosen_release(year).label for year in CLA_YEARS}
    vintages["in_cla_historic"] = vintages["release"] == vintages["year"].map(chosen)
    return {
        "cp_historic": finish(cp, CP_HISTORIC),
        "cla_historic": finish(vintages[vintages["in_cla_historic"]], CLA_HISTORIC),
        "cla_vintages": finish(vintages, CLA_VINTAGES),
    }
