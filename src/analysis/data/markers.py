"""Official suppression and special markers: kept as a status, never as a number.

DfE's explore-education-statistics files and older releases write a marker in place of a
value. We store the value as NaN and the marker, unchanged, in a ``<column>_status`` column.
"""

from __future__ import annotations

import math
import re

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
    # Derived by this project, never read from an official file:
    "no_population": "no population estimate for the area and year the rate needs, so no rate is computed",
}
DERIVED_MARKERS = frozenset({"no_population"})
"""Statuses this project gives derived figures; an extract file may not use them."""
FILE_MARKERS = frozenset(MARKERS) - DERIVED_MARKERS
"""The markers an extract file may hold in a status column."""

# A plain decimal number in ASCII digits; float() alone would also take "inf", "nan" and "1_000".
NUMBER = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$")
# The same with commas as thousands separators: only between groups of exactly three digits
# ("2,338", "1,234,567.5"). "16,8" (a decimal comma), "1,23" or ",5" never match: a comma that is
# not a thousands separator is refused rather than dropped, so 16,8 is never read as 168.
GROUPED = re.compile(r"^[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]*)?$")


def parse_cell(raw: object) -> tuple[float, str]:
    """Turn one official cell into (value, status).

    A number gives (value, ""); a known marker gives (NaN, marker); an empty cell gives
    (NaN, "blank"). Thousands separators are accepted only between groups of three digits
    ("2,338", "1,234,567"); any other comma ("16,8", "1,23", ",5") raises ValueError, as does
    anything else that is neither a number nor a marker, so a changed file format or a decimal
    comma is never silently read as missing or as a number ten times larger.
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
    if NUMBER.match(text):
        return float(text), ""
    if GROUPED.match(text):
        return float(text.replace(",", "")), ""
    if "," in text:
        raise ValueError(
            f"{text!r}: a comma is only read as a thousands separator between groups of three "
            "digits (a decimal comma? re-save the file with a decimal point)"
        )
    raise ValueError(f"neither a number nor a known marker: {text!r}")
