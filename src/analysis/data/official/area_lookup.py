"""Area codes for official files that do not carry today's ONS codes (adoptions, LAIT workforce).

The one geography of authorities and their changes is ``analysis.data.geography``; this module only
maps the codes and names older files use onto the areas extract.

Older files name authorities by DfE 3-digit code and regions by name or letter; some name
regions differently ("London (Inner)", "YORKSHIRE AND HUMBER"). These helpers give every row
the ONS code of the areas extract, or stop with a DataError naming the file and line.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.data.official.historic import area_codes
from analysis.errors import DataError, Problem


def name_key(name: str) -> str:
    """A region or England name reduced for matching: 'London (Inner)' and 'INNER LONDON' agree."""
    text = re.sub(r"[^a-z ]", " ", str(name).lower().replace("&", " and "))
    words = [w for w in text.split() if w not in ("the", "and", "of", "region")]
    return " ".join(sorted(words))


def region_codes(areas: pd.DataFrame) -> dict[str, str]:
    """Name key -> ONS code for England and each region (Inner and Outer London included)."""
    rows = areas[areas["geographic_level"].isin(["national", "regional"])]
    return {name_key(n): c for n, c in zip(rows["area_name"], rows["area_code"], strict=True)}


def ons_codes(rows: pd.DataFrame, areas: pd.DataFrame, file: Path) -> list[str]:
    """ONS code per row from ``geographic_level``, ``la_code`` (authorities), ``area_name`` (regions), ``year``.

    Authorities go through ``historic.area_codes`` (the code in use that year); England and
    regions are matched by name. An unknown region name stops the extract.
    """
    regions = region_codes(areas)
    out = pd.Series("", index=rows.index, dtype="str")
    not_region = rows["geographic_level"] != "regional"
    if not_region.any():
        out[not_region] = area_codes(rows[not_region], areas, file)
    problems = []
    for line, name in rows.loc[~not_region, "area_name"].items():
        code = regions.get(name_key(name))
        if code is None:
            problems.append(Problem(str(file), int(line), "area_name", f"unknown region {name!r}"))
        else:
            out[line] = code
    if problems:
        raise DataError(problems)
    return out.tolist()


def area_names(areas: pd.DataFrame) -> dict[str, str]:
    """ONS code -> name as the areas extract writes it."""
    return dict(zip(areas["area_code"], areas["area_name"], strict=True))


def la_codes(areas: pd.DataFrame) -> dict[str, str]:
    """ONS code -> DfE code (authorities only)."""
    las = areas[areas["la_code"].notna()]
    return dict(zip(las["area_code"], las["la_code"], strict=True))
