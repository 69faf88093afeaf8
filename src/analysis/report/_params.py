"""Notebook parameters as papermill gives them, checked and converted in the notebook's first code cell.

``papermill -p`` passes strings for anything it cannot read as a number, so ``-p start_year 2012``
arrives as an int but ``-r start_year 2012`` or a YAML string as "2012" (DfE's "201112" and
"2011-12" name the year ending 2012, as ``analysis.data.periods.parse_year`` reads them), and
``-p comparators england`` as the one string "england". ``check_parameters`` accepts those spellings and refuses
the rest with a one-line ``ParameterError`` naming the parameter. No pandas.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from analysis.data.groups import COMPARATORS, SN_MODELS
from analysis.data.periods import reporting_year, start_after_end


class ParameterError(ValueError):
    """A notebook parameter that cannot be used: the message names it and says what it must be."""


class Parameters(NamedTuple):
    """The checked parameters: DfE/ONS code or name, first and last year, neighbour model, comparators."""

    la: str
    start_year: int
    end_year: int
    sn_model: str
    comparators: tuple[str, ...]


def _text(name: str, value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int) or not str(value).strip():
        raise ParameterError(f"{name} must be a DfE code (890), an ONS code (E06000009) or a name, not {value!r}")
    return str(value).strip()


def _year(name: str, value: Any) -> int:
    if isinstance(value, str):
        value = reporting_year(value) or value
    if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2100:
        raise ParameterError(f"{name} must be a year such as 2012 (or DfE's 201112), not {value!r}")
    return value


def _model(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int) or str(value).strip() not in SN_MODELS:
        raise ParameterError(f"sn_model must be one of {', '.join(repr(m) for m in SN_MODELS)}, not {value!r}")
    return str(value).strip()


def _comparators(value: Any) -> tuple[str, ...]:
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list | tuple) or not names or not all(isinstance(n, str) for n in names):
        raise ParameterError(f"comparators must be one or more of {', '.join(COMPARATORS)}, not {value!r}")
    unknown = [n for n in names if n.strip() not in COMPARATORS]
    if unknown:
        raise ParameterError(f"comparators: unknown {unknown[0]!r}; choose from {', '.join(COMPARATORS)}")
    return tuple(dict.fromkeys(n.strip() for n in names))


def check_parameters(la: Any, start_year: Any, end_year: Any, sn_model: Any, comparators: Any) -> Parameters:
    """The parameters converted: years to int, the model to its string, one comparator to a tuple of one.

    Raises ParameterError (one line, naming the parameter) for None, a float, a word where a
    year belongs, an unknown model or comparator, or a start after the end.
    """
    checked = Parameters(
        _text("la", la),
        _year("start_year", start_year),
        _year("end_year", end_year),
        _model(sn_model),
        _comparators(comparators),
    )
    if problem := start_after_end(checked.start_year, checked.end_year, ("start_year", "end_year")):
        raise ParameterError(problem)
    return checked
