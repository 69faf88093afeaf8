"""Every figure a report prints goes through ``fmt``, which rounds as DfE publishes.

DfE rounds halves up (away from zero) and absorbs float noise first: its R function
``true_round`` (dfeR ``round_five_up``) adds a tiny amount before truncating. Python's
``round()`` and ``format()`` round the stored binary value, which for 17.65 (the median of 17.6
and 17.7) lies just below 17.65, and print 17.6 where DfE publishes 17.7; a gap of 7.45 computed
as 7.6 - 0.15 is 7.449999999999999, which DfE publishes as 7.5.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from typing import overload

import numpy as np
import pandas as pd

SIGNIFICANT_DIGITS = 10
"""Digits kept before rounding: anything beyond them is float noise (a double holds about 15-17),
and no published input or derived figure (means, medians, differences, rates) needs more."""

SUPPRESSED = ("c", "x", "u", "low", "k")
"""Markers of a figure that exists but is not published (drawn as a cross at the foot of a chart)."""

STATUS_WORDS: dict[str, str] = {
    "c": "suppressed",
    # DfE's explore-education-statistics files write x for "not available"; releases before 2019
    # wrote it for a small number suppressed, and the marker alone does not say which.
    "x": "not available or suppressed",
    "u": "low reliability, not published",
    "low": "rounds to zero",
    "k": "rounds to zero",
    "z": "not applicable",
}
"""How a table or sentence names a marker, in a few words (``analysis.data.markers.MARKERS`` in full)."""


def _round_one(value: float, digits: int) -> float:
    if math.isnan(value) or math.isinf(value):
        return value
    if value == 0:
        return 0.0
    # repr is the shortest decimal reading back as this float (0.125 stays 0.125); keeping
    # SIGNIFICANT_DIGITS of it turns 7.449999999999999 (noise from 7.45 computed in binary) into 7.45.
    exact = Decimal(repr(value))
    exact = exact.quantize(Decimal(1).scaleb(exact.adjusted() - SIGNIFICANT_DIGITS + 1), rounding=ROUND_HALF_EVEN)
    out = float(exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))
    return out + 0.0  # -0.0 -> 0.0: a figure that rounds to zero prints as 0, never -0


@overload
def round_half_up(value: float, digits: int = 0) -> float: ...
@overload
def round_half_up(value: pd.Series, digits: int = 0) -> pd.Series: ...
def round_half_up(value: float | pd.Series, digits: int = 0) -> float | pd.Series:
    """Round halves away from zero after absorbing float noise, as DfE publishes (``true_round``).

    ``round_half_up(2.5) == 3`` where ``round(2.5) == 2``; ``round_half_up(17.65, 1) == 17.7``
    (the decimal 17.65, not the binary value just below it); ``round_half_up(7.449999999999999, 1)
    == 7.5`` because that float is 7.45 with noise in its 16th digit (7.6 - 0.15): only the first
    ``SIGNIFICANT_DIGITS`` significant digits are kept before rounding. The cost: a true value
    closer than 5e-10 (relative) below a half rounds up too; no published figure has such digits. NaN stays NaN. A Series
    is rounded element-wise (float64 in, float64 out).
    """
    if isinstance(value, pd.Series):
        return value.astype("float64").map(lambda v: _round_one(v, digits))
    return _round_one(float(value), digits)


def fmt(value: object, decimals: int = 1, status: object = "") -> str:
    """A number for tables, sentences, titles and alt text, rounded half up to ``decimals`` places
    with thousands separators; a missing value says why in words (its status: "c (suppressed)",
    "x (not available or suppressed)", "z (not applicable)", ``STATUS_WORDS``), never 0; any other
    status, or none, is "not available"."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        status = status if isinstance(status, str) else ""
        return f"{status} ({STATUS_WORDS[status]})" if status in STATUS_WORDS else "not available"
    return f"{round_half_up(float(value), decimals):,.{decimals}f}"
