"""Figures and dates in words a councillor reads: "31 posts", "GBP 4.3 million", "70%", "January 2020".

Every quantity printed in prose goes through ``quantity`` (money too) and every date through
``date_at``, so a unit code ("gbp_m", "pct") or a date more precise than its source ("2019-01-01"
for "2019") never reaches a page; ``capitalised`` starts a sentence or a table cell. Numbers are
rounded by ``analysis.present.format.fmt`` (half up, as DfE publishes).
"""

from __future__ import annotations

import math

import pandas as pd

from analysis.present.format import fmt

# unit code -> (decimals, text before the number, text after it)
UNITS: dict[str, tuple[int, str, str]] = {
    "count": (0, "", ""),
    "pct": (1, "", "%"),
    "gbp_m": (1, "GBP ", " million"),
    "gbp_thousands": (0, "GBP ", " thousand"),
    "gbp": (0, "GBP ", ""),
    "fte": (1, "", " full-time equivalent"),
    "rate_per_10k": (1, "", " per 10,000 children"),
}
BOUNDS = {"stated": "", "approximate": "about ", "lower_bound": "more than "}
PRECISIONS = ("day", "month", "year", "unknown")


def quantity(value: float, unit: str, count_of: str = "", bound: str = "stated", decimals: int | None = None) -> str:
    """One figure with its unit in words, e.g. ``quantity(31, "count", "posts") == "31 posts"``.

    ``unit`` is one of ``UNITS`` (the unit codes of the extracts); ``count_of`` names what a count
    counts ("children", "posts"); ``bound`` is a quoted figure's ``value_bound`` (stated, approximate,
    lower_bound). A whole-number percentage or money figure drops its ".0" (``70%``, not ``70.0%``).
    Raises ValueError for an unknown unit or bound.
    """
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}; known: {', '.join(UNITS)}")
    if bound not in BOUNDS:
        raise ValueError(f"unknown value bound {bound!r}; known: {', '.join(BOUNDS)}")
    places, before, after = UNITS[unit]
    if decimals is not None:
        places = decimals
    elif places and isinstance(value, (int, float)) and not math.isnan(value) and float(value).is_integer():
        places = 0
    number = fmt(value, places)
    if number in ("not available",) or "(" in number:
        return number
    noun = f" {count_of}" if unit == "count" and count_of else ""
    return f"{BOUNDS[bound]}{before}{number}{after}{noun}"


def capitalised(text: str) -> str:
    """``text`` with its first letter upper case and the rest as written ("Child protection plans per 10,000").

    Unlike ``str.capitalize``, which would lower every other letter ("England" to "england").
    """
    return text[:1].upper() + text[1:]


def date_at(date: object, precision: str) -> str:
    """A date written only as precisely as its source knows it.

    ``precision`` is "day" (24 January 2020), "month" (January 2020), "year" (2019) or "unknown"
    ("date not stated"). ``date`` is an ISO string or Timestamp; empty or missing gives
    "date not stated". Raises ValueError for an unknown precision.
    """
    if precision not in PRECISIONS:
        raise ValueError(f"unknown date precision {precision!r}; known: {', '.join(PRECISIONS)}")
    if precision == "unknown" or date is None or (isinstance(date, float) and math.isnan(date)) or date == "":
        return "date not stated"
    when = pd.Timestamp(date)
    if precision == "year":
        return f"{when.year}"
    if precision == "month":
        return f"{when:%B %Y}"
    return f"{when.day} {when:%B %Y}"
