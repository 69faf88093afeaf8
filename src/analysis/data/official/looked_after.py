"""Derive the looked_after extracts from the official files (declared in ``analysis.data.specs.looked_after``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

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
from analysis.data.specs.looked_after import FILE, LOOKED_AFTER, POPULATION_TYPES, SOURCE, SPECS
from analysis.errors import DataError, Problem

__all__ = ["SPECS", "derive"]  # the declarations are re-exported for callers of derive()

KEY = ["area_code", "year"]
POPULATION = ["rate_population_0_17", "rate_population_0_17_status"]


def _one_type(rows: pd.DataFrame, prefix: str, path: Path) -> pd.DataFrame:
    """Areas, population and the two measures of one population_type, indexed by area and year."""
    problems: list[Problem] = []
    areas = collect(problems, ees_areas, rows, path)
    measures = collect(
        problems,
        split_measures,
        rows,
        {
            "children_count": f"{prefix}_count",
            "rate_per_10000": f"{prefix}_rate_per_10k",
            "population_estimate": "rate_population_0_17",
        },
        path,
    )
    year = collect(problems, years, rows, path)
    if problems:
        raise DataError(problems)
    out = areas.join(measures)
    out["year"] = year
    one_row_per_key(out, KEY, path)
    return out.set_index(KEY)


def _check_same_rows(first: pd.DataFrame, other: pd.DataFrame, prefix: str, path: Path) -> None:
    """Each population_type covers the same areas and years with the same population."""
    problems = [
        Problem(str(path), None, "population_type", f"{area} {year}: no {prefix} row")
        for area, year in first.index.difference(other.index)
    ]
    problems += [
        Problem(str(path), None, "population_type", f"{area} {year}: only a {prefix} row")
        for area, year in other.index.difference(first.index)
    ]
    if not problems:
        a, b = first[POPULATION], other.loc[first.index, POPULATION]
        differs = ~((a == b) | (a.isna() & b.isna())).all(axis=1)
        problems = [
            Problem(str(path), None, "population_estimate", f"{area} {year}: population differs between population types")
            for area, year in first.index[differs]
        ]
    if problems:
        raise DataError(problems)


def derive(source_dir: Path) -> dict[str, pd.DataFrame]:
    path = source_dir / FILE
    raw = read_ees(path, levels=True)
    require(raw, ["population_type"], path)
    unknown = raw[~raw["population_type"].isin(list(POPULATION_TYPES))]
    if not unknown.empty:
        raise DataError(
            [
                Problem(str(path), int(line), "population_type", f"unknown value {value!r}")
                for line, value in unknown["population_type"].items()
            ]
        )
    problems: list[Problem] = []
    parts = {
        prefix: collect(problems, _one_type, raw[raw["population_type"] == kind], prefix, path)
        for kind, (prefix, _, _) in POPULATION_TYPES.items()
    }
    if problems:
        raise DataError(list(dict.fromkeys(problems)))  # a problem of the shared columns, once
    (_, first), *others = parts.items()
    for prefix, other in others:
        _check_same_rows(first, other, prefix, path)
    measures = [other.loc[first.index].filter(regex=f"^{prefix}_") for prefix, other in others]
    out = pd.concat([first, *measures], axis=1).reset_index()
    out["la_code"] = out["la_code"].replace("", pd.NA)
    out["source_id"] = SOURCE
    return {"looked_after": finish(out, LOOKED_AFTER)}
