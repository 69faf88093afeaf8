"""One context per (area, period, neighbour model): the area, its comparators and its measure values.

``context()`` first checks the request with ``analysis.measures.request.check_request``, the
check the build planner makes too, so the CLI, a report set and papermill run directly all stop
on the same one-line ``RequestError`` before anything runs.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar, cast

import pandas as pd

from analysis import paths
from analysis.data.load import load
from analysis.data.registry import all_specs
from analysis.measures.catalogue import Measure
from analysis.measures.comparators import Comparators, authority_area, comparators
from analysis.measures.comparison import comparison_table
from analysis.measures.processed import check_processed, read_processed, read_statistics
from analysis.measures.reads import AREAS, WHOLE, Inputs, area_rows, declare
from analysis.measures.request import check_request
from analysis.present import charts

T = TypeVar("T")


@dataclass
class ReportContext:
    """Everything a report for one area and period needs; cheap to build, read-only after."""

    comps: Comparators
    start: int
    end: int
    raw_dir: Path
    values: pd.DataFrame = field(repr=False)
    show: tuple[str, ...] = charts.COMPARATORS
    inputs: Inputs | None = field(default=None, repr=False)  # what this report may read (report.inputs)
    processed_dir: Path | None = None
    # What the report modules compute once per context and share (``once``), keyed by (function, arguments);
    # not an __init__ argument, so ``dataclasses.replace`` gives a context with values of its own a fresh cache.
    _computed: dict[tuple[Callable[..., Any], tuple[Hashable, ...]], Any] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def once(self, compute: Callable[..., T], *args: Hashable) -> T:
        """``compute(self, *args)``, computed the first time it is asked for and the same object after.

        The one cache of a context: every section asks for the summaries, the milestones and each
        measure's comparison table through it, so each is computed once per report. Typed by the
        function it caches; no string keys to mistype.
        """
        key = (compute, args)
        if key not in self._computed:
            self._computed[key] = compute(self, *args)
        return cast(T, self._computed[key])

    @property
    def area(self):
        return self.comps.area

    @property
    def sn_label(self) -> str:
        return f"Statistical neighbours ({self.comps.sn_model} model)"

    def extract(self, name: str) -> pd.DataFrame:
        """One validated extract, as much of it as ``inputs`` declares: its areas' rows, or all of it.

        Raises UndeclaredInput for an extract the declaration does not list (the build would not
        notice it change).
        """
        frame = load(name, self.raw_dir)
        if self.inputs is None or self.inputs.extract_scope(name) == WHOLE:
            return frame
        column = all_specs()[name].area_column
        if column is None:
            return frame
        keep = frozenset(self.inputs.areas)
        return frame[frame[column].map(lambda codes: area_rows(codes, keep)).astype(bool)]

    def local(self, name: str) -> pd.DataFrame:
        """An extract's rows for this authority under any ONS code it has had (empty frame if none).

        Used for the hand-curated extracts and Ofsted's history alike, so an authority whose ONS
        code changed (North Yorkshire, Somerset) keeps its earlier rows.
        """
        frame = self.extract(name)
        return frame[frame["area_code"].isin(self.area.all_codes)]

    @cached_property
    def intervals(self) -> pd.DataFrame:
        """95% intervals (data/processed/intervals.csv) of the area and its comparators."""
        frame = read_statistics("intervals", self.processed_dir)
        if self.inputs is not None and self.inputs.processed_scope("intervals") == AREAS:
            frame = frame[frame["area_code"].isin(self.inputs.areas)]
        return frame

    @cached_property
    def funnels(self) -> pd.DataFrame:
        """Funnel limits and positions of every local authority (data/processed/funnels.csv)."""
        if self.inputs is not None:
            self.inputs.processed_scope("funnels")  # UndeclaredInput unless declared
        return read_statistics("funnels", self.processed_dir)

    @cached_property
    def deprivation(self) -> pd.DataFrame:
        """Observed/expected from the deprivation model, every authority (data/processed/deprivation.csv)."""
        if self.inputs is not None:
            self.inputs.processed_scope("deprivation")  # UndeclaredInput unless declared
        return read_statistics("deprivation", self.processed_dir)


def context(
    la: str | int,
    start_year: int,
    end_year: int,
    sn_model: str = "2021",
    comparators_shown: Sequence[str] = charts.COMPARATORS,
    raw_dir: Path | None = None,
    processed_dir: Path | None = None,
) -> ReportContext:
    """Resolve the area, its comparators and its measure values for ``start_year``..``end_year``.

    ``comparators_shown`` picks which of England, the region and the neighbours the charts and
    their tables show (the scorecard always gives England and the neighbour median). Reads only:
    data/processed (``processed_dir``, default ``paths.DATA_PROCESSED``) must be current for
    ``raw_dir``, as a build leaves it. Raises RequestError (a ValueError) when ``check_request``
    refuses the request, and StaleProcessed when data/processed is missing or stale (the message
    names the command that refreshes it).
    """
    unknown = set(comparators_shown) - set(charts.COMPARATORS)
    if unknown:
        raise ValueError(f"unknown comparators {sorted(unknown)}; choose from {list(charts.COMPARATORS)}")
    raw_dir = Path(raw_dir or paths.DATA_RAW)
    req = check_request(la, start_year, end_year, sn_model, raw_dir)
    areas = load("areas", raw_dir)
    comps = comparators(authority_area(req.authority, req.end), areas, load("neighbours", raw_dir), req.sn_model)
    comps = replace(comps, sn_note=req.sn_note)
    declared = declare(comps.codes())
    measures_csv = check_processed(raw_dir, processed_dir)
    values = read_processed(measures_csv)
    if declared.processed_scope("measures") == AREAS:
        values = values[values["area_code"].isin(declared.areas)]
    return ReportContext(
        comps=comps,
        start=req.start,
        end=req.end,
        raw_dir=raw_dir,
        values=values,
        show=tuple(c for c in charts.COMPARATORS if c in comparators_shown),
        inputs=declared,
        processed_dir=measures_csv.parent,
    )


def bench(ctx: ReportContext, measure_id: str) -> pd.DataFrame:
    """The area against England, region and neighbours for one measure (computed once per context; a copy)."""
    return ctx.once(_comparison, measure_id).copy()


def _comparison(ctx: ReportContext, measure_id: str) -> pd.DataFrame:
    return comparison_table(ctx.values[ctx.values["measure"] == measure_id], ctx.comps, ctx.start, ctx.end)


def source_line(ctx: ReportContext, measure: Measure) -> str:
    """Name every source (and release) behind the area's plotted values, oldest segment first."""
    vals = ctx.values[(ctx.values["measure"] == measure.id) & ctx.values["year"].between(ctx.start, ctx.end)]
    registry = ctx.extract("sources").set_index("source_id")
    parts = []
    for seg in measure.segments:
        ids = vals[vals["year"].between(seg.first, seg.last)]["source_id"].dropna().unique()
        years = vals[vals["year"].between(seg.first, seg.last)]["year"]
        if years.empty:
            continue
        titles = []
        for combo in sorted(ids):
            for sid in combo.split("+"):
                t = f"{registry.loc[sid, 'publisher']}, {registry.loc[sid, 'title']}" if sid in registry.index else sid
                if t not in titles:
                    titles.append(t)
        span = f"{years.min()}-{years.max()}" if years.min() != years.max() else f"{years.min()}"
        how = (
            " (rate computed from the count and the previous year's mid-year population)"
            if seg.derivation == "rate_per_10k"
            else ""
        )
        parts.append(f"{span}: {'; '.join(titles)}{how}")
    return " | ".join(parts) if parts else "no data in this period"
