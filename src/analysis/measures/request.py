"""What a report is asked for, checked once before anything runs: area, period, neighbour model.

``check_request`` is the one check: ``analysis.report._context`` calls it, and so does the build
planner (``analysis.publish.plan``), so the command line, a report set and papermill run directly
all stop on the same one-line ``RequestError``. ``inputs`` is what the checked report reads
(``analysis.measures.reads``). No matplotlib or scipy: the planner imports this.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from analysis import paths
from analysis.data.geography import Authority, geography
from analysis.data.load import load
from analysis.data.periods import parse_year, start_after_end
from analysis.errors import RequestError
from analysis.measures.comparators import SN_MODELS, authority_area, comparators, neighbour_models
from analysis.measures.reads import Inputs, declare


@dataclass(frozen=True)
class Request:
    """A checked request: the authority, the period in reporting years and the neighbour model used."""

    authority: Authority
    start: int
    end: int
    sn_model: str
    sn_note: str = ""


def check_period(start_year: object, end_year: object, raw_dir: Path | None = None) -> tuple[int, int]:
    """(start, end) as reporting years, if within the years the data holds; else RequestError, one line."""
    start, end = parse_year(start_year), parse_year(end_year)
    if problem := start_after_end(start, end):
        raise RequestError(problem)
    geo = geography(Path(raw_dir or paths.DATA_RAW))
    if start < geo.first_year or end > geo.last_year:
        raise RequestError(
            f"the period {start}-{end} is outside the years the data holds "
            f"({geo.first_year}-{geo.last_year}); choose years within them"
        )
    return start, end


def check_request(
    la: str | int, start_year: object, end_year: object, sn_model: str = "2021", raw_dir: Path | None = None
) -> Request:
    """Check area, period and neighbour model before anything runs; raise RequestError with one line.

    The period must lie within the years the data holds; the authority must have existed in it
    (else its predecessors or successors are named); an authority that the chosen neighbour model
    lacks uses the model that has it, and ``sn_note`` says so.
    """
    raw_dir = Path(raw_dir or paths.DATA_RAW)
    start, end = check_period(start_year, end_year, raw_dir)
    geo = geography(raw_dir)
    try:
        auth = geo.find(la, start, end)
    except ValueError as exc:
        raise RequestError(str(exc)) from None
    reason = geo.not_existing_reason(auth, start, end)
    if reason:
        raise RequestError(reason)
    model, note = str(sn_model), ""
    if model not in SN_MODELS:
        raise RequestError(f"unknown statistical neighbour model {model!r}; choose one of {', '.join(SN_MODELS)}")
    have = neighbour_models(auth.la_code, load("neighbours", raw_dir))
    if model not in have:
        if have:
            note = (
                f"{auth.name} is not in DfE's {model} statistical neighbour model, so its neighbours come "
                f"from the {have[-1]} model"
            )
            model = have[-1]
        else:
            note = (
                f"{auth.name} is in no DfE statistical neighbour model, so it is compared with England and its region only"
            )
    return Request(auth, start, end, model, note)


def inputs(la: str | int, start_year: int, end_year: int, sn_model: str = "2021", raw_dir: Path | None = None) -> Inputs:
    """What the report for ``la`` over ``start_year``..``end_year`` with neighbour model ``sn_model`` reads.

    Resolves the area and its comparators exactly as ``analysis.report._context`` does (ValueError
    naming the query when no single local authority matches).
    """
    raw_dir = Path(raw_dir or paths.DATA_RAW)
    req = check_request(la, start_year, end_year, sn_model, raw_dir)
    areas = load("areas", raw_dir)
    area = authority_area(req.authority, req.end)
    return declare(comparators(area, areas, load("neighbours", raw_dir), req.sn_model).codes())
