"""The comparison table of one measure: the area against England, its region and its statistical neighbours.

The area and its neighbours are matched by their DfE code, so an authority whose ONS code changed
(Barnsley, Sheffield, North Yorkshire, Somerset, Buckinghamshire) reads as one series.
Input is a long table (area_code, year, value, status). Output has one row per year with the
area's value and status, England, region, the neighbours' median, range and count, and the
area's rank among itself and its neighbours. A suppressed or missing value stays NaN with its
status; the neighbour median uses only neighbours with a value and says how many that was.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.measures.comparators import ENGLAND, Comparators

BENCHMARK_COLUMNS = [
    "year",
    "area",
    "area_status",
    "england",
    "england_status",
    "region",
    "region_status",
    "sn_median",
    "sn_min",
    "sn_max",
    "sn_n",
    "rank",
    "rank_of",
]


def _pick(values: pd.DataFrame, code: str | tuple[str, ...] | None, years: list[int]) -> tuple[pd.Series, pd.Series]:
    """One area's value and status by year; ``code`` may be every ONS code of one authority.

    An authority whose ONS code changed has each year under one code; if a year had rows under
    two, the row with a value wins, then the later code.
    """
    if code is None:
        return pd.Series(np.nan, index=years), pd.Series("not applicable", index=years)
    codes = (code,) if isinstance(code, str) else tuple(code)
    rows = values[values["area_code"].isin(codes)]
    if len(codes) > 1:
        order = rows["area_code"].map({c: i for i, c in enumerate(codes)})
        rows = (
            rows.assign(_has=rows["value"].notna(), _order=order)
            .sort_values(["year", "_has", "_order"], kind="stable")
            .drop_duplicates("year", keep="last")
        )
    rows = rows.set_index("year").reindex(years)
    return rows["value"], rows["status"].fillna("no data")


def comparison_table(values: pd.DataFrame, comps: Comparators, start: int, end: int) -> pd.DataFrame:
    """One row per year from ``start`` to ``end`` (inclusive); years with no data at all are kept."""
    years = list(range(start, end + 1))
    area, area_status = _pick(values, comps.area.all_codes, years)
    england, england_status = _pick(values, ENGLAND, years)
    region, region_status = _pick(values, comps.region.code if comps.region else None, years)
    key = comps.neighbour_key()
    sn_rows = values[values["area_code"].isin(key)].assign(neighbour=lambda f: f["area_code"].map(key))
    if sn_rows.duplicated(["neighbour", "year"]).any():
        raise ValueError("a neighbour has values under two area codes in the same year")
    sn = sn_rows.pivot_table(index="year", columns="neighbour", values="value", aggfunc="first", dropna=False).reindex(years)
    sn_median = sn.median(axis=1, skipna=True)
    ranks, rank_of = [], []
    for year in years:
        group = sn.loc[year].dropna() if year in sn.index else pd.Series(dtype="float64")
        if pd.isna(area[year]) or group.empty:
            ranks.append(pd.NA)
            rank_of.append(pd.NA)
            continue
        # rank 1 = highest value among the area and its neighbours with data (ties share a rank)
        ranks.append(int((group > area[year]).sum()) + 1)
        rank_of.append(int(len(group)) + 1)
    out = pd.DataFrame(
        {
            "year": years,
            "area": area.to_numpy(),
            "area_status": area_status.to_numpy(),
            "england": england.to_numpy(),
            "england_status": england_status.to_numpy(),
            "region": region.to_numpy(),
            "region_status": region_status.to_numpy(),
            "sn_median": sn_median.to_numpy(),
            "sn_min": sn.min(axis=1).to_numpy(),
            "sn_max": sn.max(axis=1).to_numpy(),
            "sn_n": sn.notna().sum(axis=1).astype(int).to_numpy(),
            "rank": pd.array(ranks, dtype="Int64"),
            "rank_of": pd.array(rank_of, dtype="Int64"),
        }
    )
    return out[BENCHMARK_COLUMNS]
