"""Who an area is compared with: England, its region and its statistical neighbours.

The neighbour group comes from one named DfE model applied to every year of the period (the
groups differ between models, so mixing them would change the benchmark from year to year).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

ENGLAND = "E92000001"
SN_MODELS = ("2021", "2025")


@dataclass(frozen=True)
class Area:
    code: str
    la_code: str
    name: str
    level: str
    region_code: str | None
    region_name: str | None
    first_year: int
    last_year: int


@dataclass(frozen=True)
class Comparators:
    area: Area
    region: Area | None
    neighbours: tuple[Area, ...]
    sn_model: str
    # every ONS code each neighbour has had (a DfE code keeps its neighbour across an ONS code change)
    neighbour_aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def neighbour_key(self) -> dict[str, str]:
        """ONS code -> the neighbour's DfE code, for every code a neighbour has had."""
        return {code: n.la_code for n in self.neighbours for code in self.neighbour_aliases.get(n.code, (n.code,))}

    def codes(self) -> list[str]:
        """Every area code a report for this area reads (area, England, region, neighbours)."""
        out = [self.area.code, ENGLAND]
        if self.region is not None:
            out.append(self.region.code)
        out += list(self.neighbour_key())
        return list(dict.fromkeys(out))


def _area(row: pd.Series) -> Area:
    return Area(code=row["area_code"], la_code=row["la_code"] if pd.notna(row["la_code"]) else "",
                name=row["area_name"], level=row["geographic_level"],
                region_code=row["region_code"] if pd.notna(row["region_code"]) else None,
                region_name=row["region_name"] if pd.notna(row["region_name"]) else None,
                first_year=int(row["first_year"]), last_year=int(row["last_year"]))


def _overlap(frame: pd.DataFrame, period: tuple[int, int] | None) -> pd.Series:
    start, end = period or (frame["first_year"].min(), frame["last_year"].max())
    return (frame["last_year"].clip(upper=end) - frame["first_year"].clip(lower=start) + 1).clip(lower=0)


def resolve_area(query: str | int, areas: pd.DataFrame, period: tuple[int, int] | None = None) -> Area:
    """A local authority from its DfE code ("890"), ONS code ("E06000009") or name ("Blackpool").

    A DfE code or name used by two ONS codes over time (a code change after a boundary change,
    e.g. Barnsley 370) resolves to the ONS code covering most years of ``period`` (ties: the
    later one); the other is never merged into it. Raises ValueError naming the query when
    nothing matches.
    """
    text = str(query).strip()
    las = areas[areas["geographic_level"] == "local_authority"]
    if text.upper().startswith("E") and text[1:].isdigit():
        hit = las[las["area_code"] == text.upper()]
    else:
        hit = las[las["la_code"] == text.zfill(3)] if text.isdigit() else \
            las[las["area_name"].str.casefold() == text.casefold()]
        if len(hit) > 1:
            hit = hit.assign(_years=_overlap(hit, period)).sort_values(["_years", "last_year"]).tail(1)
    if len(hit) != 1:
        raise ValueError(f"no single local authority matches {text!r}" if hit.empty else
                         f"{text!r} matches several areas: {', '.join(hit['area_name'])}")
    return _area(hit.iloc[0])


def comparators(area: Area, areas: pd.DataFrame, neighbours: pd.DataFrame, sn_model: str = "2021") -> Comparators:
    """England, the area's region and its ten statistical neighbours in ``sn_model``."""
    if sn_model not in SN_MODELS:
        raise ValueError(f"unknown statistical neighbour model {sn_model!r}; choose one of {SN_MODELS}")
    by_code = {row["area_code"]: _area(row) for _, row in areas.iterrows()}
    region = by_code.get(area.region_code) if area.region_code else None
    group = neighbours[(neighbours["model"].astype(str) == sn_model) & (neighbours["area_code"] == area.code)]
    found = [by_code[c] for c in group.sort_values("rank")["neighbour_area_code"] if c in by_code]
    las = areas[areas["geographic_level"] == "local_authority"]
    aliases = {n.code: tuple(sorted(las.loc[las["la_code"] == n.la_code, "area_code"])) for n in found}
    return Comparators(area=area, region=region, neighbours=tuple(found), sn_model=sn_model,
                       neighbour_aliases=aliases)
