"""Children looked after: number and DfE's rate per 10,000 children, 2021-2025.

The official file is long (one row per area, year and ``population_type``); the extract is wide,
one row per area and year, and keeps the population DfE divided by so its rates can be checked.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.errors import DataError, Problem
from analysis.extracts.common import ees_areas, finish, one_row_per_key, read_ees, split_measures
from analysis.schema import SOURCE_ID, Column, ExtractSpec, Polarity, area_columns

FILE = "cla_number_and_rate_per_10k_children.csv"
SOURCE = "dfe-cla-2025"
AT_31_MARCH = "31 March of year"
YEAR_TO_31_MARCH = "year to 31 March of year"
RATE_UNIT = "per 10,000 children aged 0-17"
NO_DIRECTION = (" No direction: a high number can reflect high need, a low one unmet need, so "
                "neither is good in itself.")

# official population_type -> our column prefix, what it counts, reference date
POPULATION_TYPES: dict[str, tuple[str, str, str]] = {
    "Children looked after on 31 March each year":
        ("looked_after_at_31_march", "Children looked after on 31 March", AT_31_MARCH),
    "Children starting to be looked after each year":
        ("started_in_year", "Children who started to be looked after in the year", YEAR_TO_31_MARCH),
    "Children ceasing to be looked after each year":
        ("ceased_in_year", "Children who ceased to be looked after in the year", YEAR_TO_31_MARCH),
}


def _measure(name: str, kind: str, description: str, unit: str, reference_date: str,
             polarity: Polarity = "neutral") -> Column:
    return Column(name, kind, description, unit=unit, polarity=polarity,
                  reference_date=reference_date, status=True)


def _type_columns() -> tuple[Column, ...]:
    out: list[Column] = []
    for prefix, label, ref in POPULATION_TYPES.values():
        out.append(_measure(f"{prefix}_count", "count", f"{label} (children_count)." + NO_DIRECTION,
                            "children", ref))
        out.append(_measure(f"{prefix}_rate_per_10k", "rate",
                            f"{label} per 10,000 children aged 0-17, as DfE publishes it (whole "
                            "number, rounded half up from the unrounded count divided by "
                            "rate_population_0_17)." + NO_DIRECTION, RATE_UNIT, ref))
    return tuple(out)


LOOKED_AFTER = ExtractSpec(
    name="looked_after",
    path="official/looked_after.csv",
    title="Children looked after: number and rate per 10,000 children",
    description=("Children looked after at 31 March, and children starting and ceasing to be looked "
                 "after in the year to 31 March: number and DfE's rate per 10,000 children aged "
                 "0-17, 2021-2025, with the population DfE divided by."),
    origin="official",
    key=("area_code", "year"),
    reference_date="31 March of year (at 31 March); year to 31 March of year (starting, ceasing)",
    columns=(
        *area_columns(),
        Column("year", "year", "Reporting year (DfE time_period), the year of 31 March",
               reference_date=AT_31_MARCH),
        *_type_columns(),
        _measure("rate_population_0_17", "count",
                 "Children aged 0-17 that DfE divided by for this row's rates (population_estimate): "
                 "the ONS mid-year estimate of 30 June of year-1. Context, not performance.",
                 "children", "30 June of year-1"),
        SOURCE_ID,
    ),
    notes=(
        "Areas are restated on the 2025 geography: North Yorkshire (E06000065) and Somerset "
        "(E06000066) carry their new codes in 2021-2023 too, while the population extract has "
        "those years under the previous codes (same areas, same DfE codes 815 and 933).",
        "Successor and predecessor authorities outside their lifetime are z (count, rate) and x "
        "(population): Northamptonshire 2022-2025, North and West Northamptonshire 2021, "
        "Cumbria 2024-2025, Cumberland and Westmorland and Furness 2021-2023.",
        "England and regional counts are published rounded to the nearest 10 but DfE computed their "
        "rates from unrounded counts, so a rate recomputed from the published count can differ by 1 "
        "(West Midlands 2024, London 2023, Inner London 2023 and 2024).",
    ),
)

SPECS = (LOOKED_AFTER,)


KEY = ["area_code", "year"]
POPULATION = ["rate_population_0_17", "rate_population_0_17_status"]


def _one_type(rows: pd.DataFrame, prefix: str, path: Path) -> pd.DataFrame:
    """Areas, population and the two measures of one population_type, indexed by area and year."""
    out = ees_areas(rows).join(split_measures(rows, {
        "children_count": f"{prefix}_count",
        "rate_per_10000": f"{prefix}_rate_per_10k",
        "population_estimate": "rate_population_0_17",
    }, path))
    out["year"] = rows["time_period"].astype(int)
    one_row_per_key(out, KEY, path)
    return out.set_index(KEY)


def _check_same_rows(first: pd.DataFrame, other: pd.DataFrame, prefix: str, path: Path) -> None:
    """Each population_type covers the same areas and years with the same population."""
    problems = [Problem(str(path), None, "population_type", f"{area} {year}: no {prefix} row")
                for area, year in first.index.difference(other.index)]
    problems += [Problem(str(path), None, "population_type", f"{area} {year}: only a {prefix} row")
                 for area, year in other.index.difference(first.index)]
    if not problems:
        a, b = first[POPULATION], other.loc[first.index, POPULATION]
        differs = ~((a == b) | (a.isna() & b.isna())).all(axis=1)
        problems = [Problem(str(path), None, "population_estimate",
                            f"{area} {year}: population differs between population types")
                    for area, year in first.index[differs]]
    if problems:
        raise DataError(problems)


def derive(source_dir: Path) -> dict[str, pd.DataFrame]:
    path = source_dir / FILE
    raw = read_ees(path)
    unknown = raw[~raw["population_type"].isin(list(POPULATION_TYPES))]
    if not unknown.empty:
        raise DataError([Problem(str(path), int(line), "population_type", f"unknown value {value!r}")
                         for line, value in unknown["population_type"].items()])
    parts = {prefix: _one_type(raw[raw["population_type"] == kind], prefix, path)
             for kind, (prefix, _, _) in POPULATION_TYPES.items()}
    (_, first), *others = parts.items()
    for prefix, other in others:
        _check_same_rows(first, other, prefix, path)
    measures = [other.loc[first.index].filter(regex=f"^{prefix}_") for prefix, other in others]
    out = pd.concat([first, *measures], axis=1).reset_index()
    out["la_code"] = out["la_code"].replace("", pd.NA)
    out["source_id"] = SOURCE
    return {"looked_after": finish(out, LOOKED_AFTER)}
