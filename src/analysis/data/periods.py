"""Reporting years as DfE writes them: 2023, "2023", "2022-23" and "202223" all name the year ending 2023.

Used by the command line, the notebooks' parameters, the report sets and the report context alike. No pandas:
the build reads its ``--start-year`` and ``--end-year`` with it without loading any data.
"""

from __future__ import annotations

import re

from analysis.errors import RequestError


def reporting_year(text: str) -> int | None:
    """The reporting year "2023", "2022-23" or DfE's "202223" name (all: the year ending 2023); None if none."""
    text = text.strip()
    if re.fullmatch(r"\d{4}", text):
        return int(text)
    m = re.fullmatch(r"(\d{4})-?(\d{2})", text)
    if m and (int(m.group(1)) + 1) % 100 == int(m.group(2)):
        return int(m.group(1)) + 1
    return None


def start_after_end(start: int, end: int, names: tuple[str, str] = ("start year", "end year")) -> str:
    """The one check that a period runs forwards: "" when ``start`` <= ``end``, else the sentence saying it does not.

    ``names`` are the two years as the caller's user knows them ("start_year" for a parameter), so
    every caller (request, notebook parameters, report set, build options) raises its own error
    with the same words: ``start_after_end(2022, 2012) == "start year 2022 is after end year 2012"``.
    """
    return f"{names[0]} {start} is after {names[1]} {end}" if start > end else ""


def parse_year(value: object) -> int:
    """A reporting year from 2023, "2023", "2022-23" or DfE's "202223" (all: the year ending 2023).

    Raises RequestError naming how to write it.
    """
    text = str(value).strip()
    year = reporting_year(text)
    if year is not None:
        return year
    raise RequestError(
        f"cannot read {text!r} as a year: write the year ending, e.g. 2023 for 2022-23 "
        "(DfE's 202223 and 2022-23 are read the same way)"
    )
