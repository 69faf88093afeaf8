"""Who an area is compared with: England, its region and its statistical neighbours.

The neighbour group comes from one named DfE model applied to every year of the period (the
groups differ between models, so mixing them would change the benchmark from year to year).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from analysis.data.geography import Authority, Geography
from analysis.data.groups import SN_MODELS

ENGLAND = "E92000001"


@dataclass(frozen=True)
class Area:
    """An area as a report names it. For a local authority, ``code`` is the ONS code in use at the
    end of the period and ``codes`` every ONS code its series spans (see ``analysis.data.geography``)."""

    code: str
    la_code: str
    name: str
    level: str
    region_code: str | None
    region_name: str | None
    first_year: int
    last_year: int
    codes: tuple[str, ...] = ()
    codes_line: str = ""

    @property
    def all_codes(self) -> tuple[str, ...]:
        return self.codes or (self.code,)

    def code_in(self, codes: Iterable[str]) -> str:
        """The area's ONS code that ``codes`` use (one year's rows carry one of them), else ``code``."""
        present = set(codes)
        return next((c for c in reversed(self.all_codes) if c in present), self.code)


@dataclass(frozen=True)
class Comparators:
    area: Area
    region: Area | None
    neighbours: tuple[Area, ...]
    sn_model: str
    # every ONS code each neighbour has had (a DfE code keeps its neighbour across an ONS code change)
    neighbour_aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # why the neighbour group is not the one asked for (empty when it is)
    sn_note: str = ""

    def neighbour_key(self) -> dict[str, str]:
        """ONS code -> the neighbour's DfE code, for every code a neighbour has had."""
        return {code: n.la_code for n in self.neighbours for code in self.neighbour_aliases.get(n.code, n.all_codes)}

    def codes(self) -> list[str]:
        """Every area code a report for this area reads (area, England, region, neighbours)."""
        out = [*self.area.all_codes, ENGLAND]
        if self.region is not None:
            out.append(self.region.code)
        out += list(self.neighbour_key())
        return list(dict.fromkeys(out))


def _area(row: pd.Series) -> Area:
    return Area(
        code=row["area_code"],
        la_code=row["la_code"] if pd.notna(row["la_code"]) else "",
        name=row["area_name"],
        level=row["geographic_level"],
        region_code=row["region_code"] if pd.notna(row["region_code"]) else None,
        region_name=row["region_name"] if pd.notna(row["region_name"]) else None,
        first_year=int(row["first_year"]),
        last_year=int(row["last_year"]),
    )


def authority_area(auth: Authority, end: int) -> Area:
    """A local authority as a report for a period ending in reporting year ``end`` names it."""
    return Area(
        code=auth.code_on(f"{end}-09-30"),
        la_code=auth.la_code,
        name=auth.name,
        level="local_authority",
        region_code=auth.region_code,
        region_name=auth.region_name,
        first_year=auth.first_year,
        last_year=auth.last_year,
        codes=auth.ons_codes,
        codes_line=auth.codes_line(),
    )


_GEOGRAPHIES: dict[int, tuple[pd.DataFrame, Geography]] = {}


def _geography(areas: pd.DataFrame) -> Geography:
    """The geography of this areas frame, built once per frame (``load`` returns the same one)."""
    held = _GEOGRAPHIES.get(id(areas))
    if held is None or held[0] is not areas:
        if len(_GEOGRAPHIES) > 8:
            _GEOGRAPHIES.clear()
        held = _GEOGRAPHIES[id(areas)] = (areas, Geography(areas))
    return held[1]


def neighbour_models(la_code: str, neighbours: pd.DataFrame) -> list[str]:
    """The statistical neighbour models that give DfE code ``la_code`` a group."""
    return sorted(set(neighbours.loc[neighbours["la_code"] == la_code, "model"].astype(str)))


def comparators(area: Area, areas: pd.DataFrame, neighbours: pd.DataFrame, sn_model: str = "2021") -> Comparators:
    """England, the area's region and its ten statistical neighbours in ``sn_model``.

    Groups and neighbours are matched on the DfE code, so an authority whose ONS code changed
    keeps its group in either model; each neighbour carries every ONS code it has had.
    """
    if sn_model not in SN_MODELS:
        raise ValueError(f"unknown statistical neighbour model {sn_model!r}; choose one of {SN_MODELS}")
    geo = _geography(areas)
    by_code = {row["area_code"]: _area(row) for _, row in areas[areas["geographic_level"] == "regional"].iterrows()}
    region = by_code.get(area.region_code) if area.region_code else None
    group = neighbours[(neighbours["model"].astype(str) == sn_model) & (neighbours["la_code"] == area.la_code)]
    found = [
        authority_area(geo.authorities[c], geo.last_year)
        for c in group.sort_values("rank")["neighbour_la_code"]
        if c in geo.authorities
    ]
    aliases = {n.code: n.all_codes for n in found}
    return Comparators(area=area, region=region, neighbours=tuple(found), sn_model=sn_model, neighbour_aliases=aliases)
