"""Derive the spending extract from the revenue outturn workbooks (declared in ``analysis.data.specs.spending``)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.data.official import areas as areas_extract
from analysis.data.official.area_lookup import area_names, la_codes
from analysis.data.official.common import finish, one_row_per_key, split_measures
from analysis.data.official.sheets import check_utf8, open_book
from analysis.data.specs.spending import (
    CLASSES,
    ECODE_FILE,
    NET_HEADER,
    NEW_DEFINITION_FROM,
    ONS_CODE_FIXES,
    OUTTURN_FILES,
    RO3_CODE,
    RSX_CODE,
    SPECS,
    SPENDING,
    TOTAL_LABEL,
    OutturnFile,
)
from analysis.errors import DataError, Problem

__all__ = ["SPECS", "derive", "read_outturn"]

FOLDERS = ("expenditure", "dfe")  # derive(expenditure_dir, dfe_dir)
VALUE = "csc_net_expenditure_gbp_k"


def _text(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.map(lambda v: "" if pd.isna(v) else str(v).strip())


def _sheets(path: Path) -> list[pd.DataFrame]:
    """Every data sheet of a workbook (or the one CSV) as cells, indexed by spreadsheet row number."""
    if not path.exists():
        raise DataError.single(path, "official file is missing")
    if path.suffix == ".csv":
        check_utf8(path)
        frames = [pd.read_csv(path, header=None, dtype=str, keep_default_na=False, encoding="utf-8-sig")]
    else:
        book = open_book(path, None, header=None, dtype=object)
        frames = [f for name, f in book.items() if "data" in name.lower()]
    for f in frames:
        f.index = pd.RangeIndex(1, len(f) + 1, name="line")
        f.columns = range(f.shape[1])
    return frames


def _net_column(text: pd.DataFrame, header: int) -> int | None:
    """The column of net current expenditure on the children's social care total, or None in this sheet."""
    top = text.loc[: header - 1]
    for code in (RO3_CODE, RSX_CODE):
        hits = [c for c in top.columns if top[c].eq(code).any()]
        if hits:
            return hits[0]
    labels = [(r, c) for c in top.columns for r in top.index[top[c].str.upper().eq(TOTAL_LABEL)]]
    if not labels:
        return None
    row, start = labels[0]
    later = [c for c in top.columns if c > start and text.at[row, c] != ""]
    end = later[0] if later else text.shape[1]
    nets = [c for c in range(start, end) if text.at[header, c].startswith(NET_HEADER)]
    return nets[0] if nets else None


def read_outturn(item: OutturnFile, folder: Path) -> pd.DataFrame:
    """E-code, ONS code (where the file has one), name, class and the net figure's cell, per authority row."""
    path = folder / item.file
    for sheet in _sheets(path):
        text = _text(sheet)
        headers = [r for r in text.index[:30] if text.loc[r].eq("E-code").any()]
        if not headers:
            continue
        header = headers[0]
        column = _net_column(text, header)
        if column is None:
            continue
        names = text.loc[header]
        col = {
            name: int(names[names == name].index[0])
            for name in ("E-code", "ONS Code", "Local authority", "Class")
            if (names == name).any()
        }
        body = sheet.loc[header + 1 :]
        btext = text.loc[header + 1 :]
        # authorities have an E-code (E2302); summary rows (LONDON BOROUGHS, "[Y]") are left out, England kept
        authority = btext[col["Class"]].isin(CLASSES) & btext[col["E-code"]].str.fullmatch(r"E\d{4}")
        keep = authority | btext[col["Local authority"]].eq("ENGLAND")
        body, btext = body[keep], btext[keep]
        return pd.DataFrame(
            {
                "e_code": btext[col["E-code"]],
                "ons_code": btext[col["ONS Code"]] if "ONS Code" in col else "",
                "name": btext[col["Local authority"]],
                "cell": body[column],  # "9,375,428" is read by parse_cell; a comma elsewhere ("16,8") is an error
            },
            index=body.index,
        )
    raise DataError.single(path, f"no sheet with an E-code header and the '{TOTAL_LABEL}' net current expenditure column")


def _whole_thousands(values: pd.Series) -> pd.Series:
    """Half-up to whole GBP thousand, as the release prints (England 2018-19: 9,375,428.18 -> 9,375,428)."""
    return values.map(
        lambda v: v if np.isnan(v) else float(Decimal(repr(float(v))).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    )


def _year_rows(item: OutturnFile, folder: Path, ecodes: dict[str, str], areas: pd.DataFrame) -> pd.DataFrame:
    path = folder / item.file
    raw = read_outturn(item, folder)
    national = raw["name"].eq("ENGLAND")
    code = raw["ons_code"].where(raw["ons_code"] != "", raw["e_code"].map(ecodes))
    for (year, e_code, written), fixed in ONS_CODE_FIXES.items():
        hit = (raw["e_code"] == e_code) & (code == written) & (item.financial_year == year)
        if hit.any() and ecodes.get(e_code) != fixed:
            raise DataError.single(
                path,
                f"declared fix {written} -> {fixed} for {e_code} disagrees with the 2014-15 workbook ({ecodes.get(e_code)})",
            )
        code = code.mask(hit, fixed)
    code = code.mask(national, areas.loc[areas["geographic_level"] == "national", "area_code"].item())
    known = set(areas["area_code"])
    unknown = ~code.isin(known)
    if unknown.any():
        raise DataError(
            [
                Problem(
                    str(path),
                    int(line),
                    "ONS Code",
                    f"{raw.at[line, 'name']} ({raw.at[line, 'e_code']}): no area {code[line]!r} in areas.csv",
                )
                for line in raw.index[unknown]
            ]
        )
    measures = split_measures(raw, {"cell": VALUE}, path)
    out = pd.DataFrame(
        {"area_code": code, "geographic_level": np.where(national, "national", "local_authority")}, index=raw.index
    )
    out["la_code"] = out["area_code"].map(la_codes(areas))
    out["area_name"] = out["area_code"].map(area_names(areas))
    out[VALUE] = _whole_thousands(measures[VALUE])
    out[f"{VALUE}_status"] = measures[f"{VALUE}_status"]
    out["year"] = item.year
    out["financial_year"] = item.financial_year
    out["definition"] = "from_2014_15" if item.financial_year >= NEW_DEFINITION_FROM else "to_2013_14"
    out["return_form"] = item.form
    out["source_id"] = item.source_id
    one_row_per_key(out, SPENDING.key, path)
    return out


def _ecodes(folder: Path) -> dict[str, str]:
    """E-code -> ONS code from the 2014-15 workbook."""
    item = next(i for i in OUTTURN_FILES if i.file == ECODE_FILE)
    rows = read_outturn(item, folder)
    rows = rows[rows["ons_code"] != ""]
    return dict(zip(rows["e_code"], rows["ons_code"], strict=True))


def derive(expenditure_dir: Path, dfe_dir: Path) -> dict[str, pd.DataFrame]:
    """Net spending on children's social care, one row per area and financial year, 2011-12 to 2023-24."""
    areas = areas_extract.derive(dfe_dir)["areas"]
    ecodes = _ecodes(expenditure_dir)
    out = pd.concat([_year_rows(item, expenditure_dir, ecodes, areas) for item in OUTTURN_FILES], ignore_index=True)
    return {"spending": finish(out, SPENDING)}
