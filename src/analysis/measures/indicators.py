"""Indicators computed from the extracts, following DfE's published conventions.

Every indicator is a long table, one row per area and year: ``value`` is NaN exactly when
``status`` holds a marker (see ``analysis.data.markers``) and ``reason`` says which input was missing,
so a gap is never shown as 0. Values are unrounded; round with
``analysis.present.format.round_half_up`` to compare with or display like a published figure.
"""

from __future__ import annotations

from typing import overload

import numpy as np
import pandas as pd

from analysis.data.markers import MARKERS

PER = 10_000
POPULATION_COLUMN = "population_0_17_at_30_june"
POPULATION_LAG_YEARS = 1
"""DfE divides a count at (or for the year to) 31 March Y by the mid-year estimate of 30 June Y-1."""
NO_POPULATION = "no_population"
"""Status of a rate when the population extract has no row for the area at 30 June of year-1 (derived
here: not an official marker, so never shown as suppressed)."""

LONG_COLUMNS = ["area_code", "year", "value", "status"]


def _floats(x: float | pd.Series) -> float | pd.Series:
    return x.astype("float64") if isinstance(x, pd.Series) else float(x)


@overload
def rate_per_10k(count: float, population: float) -> float: ...
@overload
def rate_per_10k(count: pd.Series, population: pd.Series) -> pd.Series: ...
def rate_per_10k(count: float | pd.Series, population: float | pd.Series) -> float | pd.Series:
    """``count / population * 10,000``, unrounded; NaN when either is missing.

    A population of zero or less is an error in the data, not a rate of inf or 0: it raises.
    """
    count, population = _floats(count), _floats(population)
    if (np.asarray(population) <= 0).any():
        raise ValueError("a population must be positive to divide by it")
    return count / population * PER


def long_measure(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """One measure of an extract as (area_code, year, value, status).

    ``status`` is the official marker from ``<column>_status`` (empty where there is a value).
    """
    status_column = f"{column}_status"
    status = frame[status_column] if status_column in frame else pd.Series(np.nan, index=frame.index)
    out = pd.DataFrame(
        {
            "area_code": frame["area_code"].astype("str"),
            "year": frame["year"].astype("Int64"),
            "value": frame[column].astype("float64"),
            "status": status.astype("str").where(status.notna(), np.nan),
        }
    )
    unmarked = out["value"].isna() & out["status"].isna()
    if unmarked.any():
        first = out[unmarked].iloc[0]
        raise ValueError(f"{column}: {first['area_code']} {first['year']} is missing without a status marker")
    return out.reset_index(drop=True)


def per_10k_children(counts: pd.DataFrame, column: str, population: pd.DataFrame) -> pd.DataFrame:
    """A count per 10,000 children aged 0-17, with DfE's denominator (30 June of year-1).

    ``counts`` is any extract keyed by area_code and year (filter it to the areas and years
    wanted); ``population`` is the ``population`` extract. Returns (area_code, year, value,
    status, reason, count, population, population_year), one row per row of ``counts``.
    Blackpool 2022: 296 children on child protection plans and 27,819 children at 30 June 2021
    give 106.4, the rate DfE published.
    """
    return per_population(counts, column, population, PER)


GBP_PER_THOUSAND = 1_000


def spend_per_child(spending: pd.DataFrame, column: str, population: pd.DataFrame) -> pd.DataFrame:
    """GBP per child aged 0-17 from a GBP thousand column keyed by the year a financial year ends.

    The denominator is the mid-year estimate of 30 June of the year the financial year starts
    (2018-19, year 2019: mid-2018), the same year-1 convention as DfE's rates for a year ending
    31 March. Blackpool 2018-19: GBP 41,326 thousand over 28,402 children at 30 June 2018 gives
    GBP 1,455 per child. Same columns as ``per_10k_children`` ("count" holds the GBP thousand).
    """
    return per_population(spending, column, population, GBP_PER_THOUSAND)


def per_population(counts: pd.DataFrame, column: str, population: pd.DataFrame, factor: float) -> pd.DataFrame:
    """``counts[column] * factor / population(year-1)``, for any area-year extract; see ``per_10k_children``.

    ``factor`` is 10,000 for a rate per 10,000 children, 1,000 to turn GBP thousand into GBP per child.
    A missing count or population gives NaN with the count's marker, the population's marker, or
    ``NO_POPULATION`` where the population extract has no row (and ``reason`` says which).
    """
    num = long_measure(counts, column).rename(columns={"value": "count", "status": "count_status"})
    pop = long_measure(population, POPULATION_COLUMN).rename(
        columns={"value": "population", "status": "population_status", "year": "population_year"}
    )
    num["population_year"] = num["year"] - POPULATION_LAG_YEARS
    out = num.merge(pop, on=["area_code", "population_year"], how="left", validate="many_to_one")
    no_row = out["population"].isna() & out["population_status"].isna()
    out["value"] = rate_per_10k(out["count"], out["population"]) / PER * factor
    out["status"] = out["count_status"].where(out["count"].isna(), out["population_status"].where(~no_row, NO_POPULATION))
    out["reason"] = _reasons(out, column, no_row)
    return out[[*LONG_COLUMNS, "reason", "count", "population", "population_year"]]


def _reasons(out: pd.DataFrame, column: str, no_row: pd.Series) -> pd.Series:
    """Plain words for why a value is missing; empty where there is one."""
    reasons = []
    for (_, row), absent in zip(out.iterrows(), no_row, strict=True):
        if pd.isna(row["count"]):
            reasons.append(f"{column} {row['count_status']}: {MARKERS[row['count_status']]}")
        elif absent:
            reasons.append(f"no population estimate for this area at 30 June {row['population_year']}")
        elif pd.isna(row["population"]):
            reasons.append(
                f"population at 30 June {row['population_year']} {row['population_status']}: "
                f"{MARKERS[row['population_status']]}"
            )
        else:
            reasons.append("")
    return pd.Series(reasons, index=out.index, dtype="str")
