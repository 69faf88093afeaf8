"""Official suppression and special markers: kept as a status, never as a number.

DfE's explore-education-statistics files and older releases write a marker in place of a
value. We store the value as NaN and the marker, unchanged, in a ``<column>_status`` column.
"""

from __future__ import annotations

import math
import re

import pandas as pd

# Marker -> what it means (shown in report legends and the glossary).
MARKERS: dict[str, str] = {
    "c": "suppressed to protect confidentiality (small number)",
    "x": "not available (or, in releases before 2019, a small number suppressed)",
    "z": "not applicable",
    "u": "low reliability, not published",
    "low": "rounds to zero but is not zero",
    "k": "rounds to zero but is not zero",
    "..": "not submitted or not available",
    ":": "not available",
    "-": "not available",
    "...": "not available",
    "\u2026": "not available (revenue outturn, written as one ellipsis character)",
    "[x]": "not available (revenue outturn from 2022-23)",
    ".": "not available (2018 to 2019 looked-after release: Isles of Scilly rates)",
    "#VALUE!": "spreadsheet error in the official file",
    "blank": "cell empty in the official file",
    "not_in_release": "the release the row is taken from publishes no such figure (no cell to read)",
}

# A plain decimal number in ASCII digits; float() alone would also take "inf", "nan" and "1_000".
NUMBER = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$")


def parse_cell(raw: object) -> tuple[float, str]:
    """Turn one official cell into (value, status).

    A number gives (value, ""); a known marker gives (NaN, marker); an empty cell gives
    (NaN, "blank"). Thousands separators ("2,338") are accepted. Anything else raises
    ValueError so a changed file format is never silently read as missing.
    """
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        return math.nan, "blank"
    if isinstance(raw, (int, float)):
        return float(raw), ""
    text = str(raw).strip()
    if text == "":
        return math.nan, "blank"
    if text in MARKERS:
        return math.nan, text
    if text.lower() in MARKERS:
        return math.nan, text.lower()
    plain = text.replace(",", "")
    if NUMBER.match(plain):
        return float(plain), ""
    raise ValueError(f"neither a number nor a known marker: {text!r}")


def split_column(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse a whole column; returns (float values, status strings) with the same index."""
    parsed = [parse_cell(v) for v in values]
    nums = pd.Series([p[0] for p in parsed], index=values.index, dtype="float64")
    status = pd.Series([p[1] for p in parsed], index=values.index, dtype="str")
    return nums, status
