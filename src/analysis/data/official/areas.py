"""Derive the areas extracts from the official files (declared in ``analysis.data.specs.areas``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.data.markers import GROUPED, NUMBER
from analysis.data.official.common import collect, ees_areas, finish, read_ees, years
from analysis.data.specs.areas import AREA_FILES, AREAS, SPECS
from analysis.errors import DataError, Problem

__all__ = ["SPECS", "derive"]  # the declarations are re-exported for callers of derive()


def has_value(raw: pd.DataFrame) -> pd.Series:
    """True for a row with at least one number outside its geography and time columns.

    A row whose every figure is a marker (DfE writes ``z``, not applicable, for authorities that
    did not exist that year) does not make its area exist in that year.
    """
    cols = [
        c
        for c in raw.columns
        if not (c.endswith("_code") or c.endswith("_name") or c.startswith("time_") or c == "geographic_level")
    ]
    numbers = raw[cols].apply(lambda col: col.str.strip().str.fullmatch(NUMBER) | col.str.strip().str.fullmatch(GROUPED))
    return numbers.any(axis=1)


def derive(source_dir: Path) -> dict[str, pd.DataFrame]:
    frames = []
    problems: list[Problem] = []
    for priority, (file, source_id) in enumerate(AREA_FILES.items()):
        raw = collect(problems, read_ees, source_dir / file, True)
        if raw is None:
            continue
        rows = collect(problems, ees_areas, raw, source_dir / file)
        year = collect(problems, years, raw, source_dir / file)
        if rows is None or year is None:
            continue
        rows["region_code"] = raw["region_code"].where(rows["geographic_level"] != "national", "")
        rows["region_name"] = raw["region_name"].where(rows["geographic_level"] != "national", "")
        rows["year"] = year
        rows["source_id"] = source_id
        rows["priority"] = priority
        frames.append(rows[has_value(raw)])
    if problems:
        raise DataError(problems)
    rows = pd.concat(frames, ignore_index=True)
    span = rows.groupby("area_code")["year"].agg(["min", "max"])
    # Latest year wins; within a year the first file listed wins (CIN files use the nine regions,
    # workforce splits London into inner and outer).
    latest = (
        rows.sort_values(["area_code", "year", "priority"], ascending=[True, True, False], kind="stable")
        .groupby("area_code")
        .tail(1)
        .set_index("area_code")
    )
    out = latest.drop(columns=["year", "priority"]).join(span.rename(columns={"min": "first_year", "max": "last_year"}))
    out = out.reset_index()
    for c in ("la_code", "region_code", "region_name"):
        out[c] = out[c].replace("", pd.NA)
    return {"areas": finish(out, AREAS)}
