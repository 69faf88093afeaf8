"""Derive the 2015-2016 workforce extract from DfE's LAIT file (declared in ``analysis.data.specs.workforce_lait``)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd

from analysis.data.markers import NUMBER
from analysis.data.official import areas as areas_extract
from analysis.data.official.area_lookup import area_names, la_codes, ons_codes
from analysis.data.official.common import finish, one_row_per_key
from analysis.data.specs.workforce_lait import (
    COLUMNS,
    FILE,
    NATIONAL_NUMBER,
    REGION_NUMBERS,
    SOURCE,
    SPECS,
    WORKFORCE_LAIT,
    YEARS,
)
from analysis.errors import DataError, Problem

__all__ = ["SPECS", "derive", "published_value", "lait_rows"]

FOLDERS = ("workforce-lait", "dfe")  # derive(lait_dir, dfe_dir)
MISSING = "-"


def published_value(text: str, decimals: int) -> float:
    """A LAIT value text rounded half up to the published precision: '139.89000000000001' -> 139.9.

    '-' gives NaN; anything else that is not a plain number raises ValueError.
    """
    text = str(text).strip()
    if text == MISSING:
        return float("nan")
    if not NUMBER.match(text):
        raise ValueError(f"neither a number nor '-': {text!r}")
    return float(Decimal(text).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def lait_rows(lait_dir: Path, years: tuple[int, ...], areas: pd.DataFrame) -> pd.DataFrame:
    """Workforce measures of the LAIT file for ``years``: one row per area and year, value and status columns.

    Rows are indexed by the row number in the parquet file (reported as the line in errors).
    """
    path = lait_dir / FILE
    if not path.exists():
        raise DataError.single(path, "official file is missing")
    wanted = ["Short Desc", "Years", "LA and Regions", "Values", "LA Number"]
    try:
        raw = pd.read_parquet(path, columns=wanted)
    except Exception as exc:  # pyarrow's errors for a damaged file or a missing column
        raise DataError.single(
            path, f"not readable as the LAIT parquet file with the columns {wanted} ({type(exc).__name__}: {exc})"
        ) from None
    raw = raw[raw["Short Desc"].isin(list(COLUMNS)) & raw["Years"].isin([str(y) for y in years])]
    number = raw["LA Number"].astype("Int64")
    level = pd.Series("local_authority", index=raw.index).mask(number == NATIONAL_NUMBER, "national")
    level = level.mask(number.isin(list(REGION_NUMBERS)), "regional")
    long = pd.DataFrame(
        {
            "geographic_level": level,
            "la_code": number.astype("str").str.zfill(3),
            "area_name": raw["LA and Regions"].str.strip(),
            "year": raw["Years"].astype(int),
            "measure": raw["Short Desc"],
            "text": raw["Values"],
        },
        index=raw.index,
    )
    problems, values = [], []
    for line, code, text in zip(long.index, long["measure"], long["text"], strict=True):
        try:
            values.append(published_value(text, COLUMNS[code][1]))
        except ValueError as exc:
            problems.append(Problem(str(path), int(line), "Values", str(exc)))
            values.append(float("nan"))
    if problems:
        raise DataError(problems)
    long["value"] = values
    long["status"] = long["text"].str.strip().where(long["value"].isna(), "")
    keys = ["geographic_level", "la_code", "area_name", "year"]
    one_row_per_key(long, [*keys, "measure"], path)
    wide = long.set_index([*keys, "measure"])[["value", "status"]].unstack("measure")
    out = wide.index.to_frame(index=False)
    for code, (column, _) in COLUMNS.items():
        present = ("value", code) in wide.columns
        out[column] = wide[("value", code)].to_numpy() if present else float("nan")
        status = wide[("status", code)].to_numpy() if present else "not_in_release"
        out[f"{column}_status"] = pd.Series(status).fillna("not_in_release").to_numpy()
    return _codes(out, path, areas)


def _codes(out: pd.DataFrame, path: Path, areas: pd.DataFrame) -> pd.DataFrame:
    """ONS codes; authorities formed after the year (every cell '-') are dropped, any figure for them stops."""
    out["la_code"] = out["la_code"].where(out["geographic_level"] == "local_authority")
    formed = areas[areas["geographic_level"] == "local_authority"].groupby("la_code")["first_year"].min()
    # an authority all of whose codes first report after the year did not exist at 30 September of it
    later = (out["la_code"].map(formed) > out["year"] + 1).fillna(False).astype(bool)
    statuses = out[[f"{c}_status" for c, _ in COLUMNS.values()]]
    has_figure = statuses.eq("").any(axis=1)
    if (later & has_figure).any():
        bad = out[later & has_figure].iloc[0]
        raise DataError.single(
            path, f"{bad['area_name']} ({bad['la_code']}) has a figure for {bad['year']}, before the authority was formed"
        )
    out = out[~later].copy()
    out["area_code"] = ons_codes(out, areas, path)
    names = area_names(areas)
    out["area_name"] = out["area_code"].map(names)
    out["la_code"] = out["area_code"].map(la_codes(areas))
    out["source_id"] = SOURCE
    one_row_per_key(out, WORKFORCE_LAIT.key, path)
    return out


def derive(lait_dir: Path, dfe_dir: Path) -> dict[str, pd.DataFrame]:
    """The 2015-2016 workforce extract (30 September)."""
    areas = areas_extract.derive(dfe_dir)["areas"]
    return {"workforce_lait": finish(lait_rows(lait_dir, YEARS, areas), WORKFORCE_LAIT)}
