"""One context per (area, period, neighbour model): the area, its comparators and its measure values."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.data.load import load
from analysis.measures.catalogue import Measure
from analysis.measures.comparators import Comparators, comparators, resolve_area
from analysis.measures.compare import benchmark
from analysis.measures.processed import ensure_processed, read_processed, read_statistics
from analysis.present import charts
from analysis.present.charts import Milestone


@dataclass
class ReportContext:
    """Everything a report for one area and period needs; cheap to build, read-only after."""

    comps: Comparators
    start: int
    end: int
    raw_dir: Path
    values: pd.DataFrame = field(repr=False)
    show: tuple[str, ...] = charts.COMPARATORS
    processed_dir: Path | None = None
    _benches: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    @property
    def area(self):
        return self.comps.area

    @property
    def sn_label(self) -> str:
        return f"Statistical neighbours ({self.comps.sn_model} model)"

    def extract(self, name: str) -> pd.DataFrame:
        return load(name, self.raw_dir)

    def local(self, name: str) -> pd.DataFrame:
        """A hand-curated extract's rows for this area (empty frame if there are none)."""
        frame = self.extract(name)
        return frame[frame["area_code"] == self.area.code]

    @cached_property
    def milestones(self) -> list[Milestone]:
        from analysis.report.timeline import milestones  # the timeline module builds on this one

        return milestones(self)

    @cached_property
    def intervals(self) -> pd.DataFrame:
        """95% intervals (data/processed/intervals.csv) of the area and its comparators."""
        frame = read_statistics("intervals", self.processed_dir)
        return frame[frame["area_code"].isin(self.comps.codes())]

    @cached_property
    def funnels(self) -> pd.DataFrame:
        """Funnel limits and positions of every local authority (data/processed/funnels.csv)."""
        return read_statistics("funnels", self.processed_dir)

    @cached_property
    def deprivation(self) -> pd.DataFrame:
        """Observed/expected from the deprivation model, every authority (data/processed/deprivation.csv)."""
        return read_statistics("deprivation", self.processed_dir)

    @cached_property
    def summaries(self):
        """One ``MeasureSummary`` per catalogue measure, computed once and shared by every section."""
        from analysis.report.summary import summarise  # the summary module builds on this one

        return summarise(self)


def context(la: str | int, start_year: int, end_year: int, sn_model: str = "2021",
            comparators_shown: Sequence[str] = charts.COMPARATORS,
            raw_dir: Path | None = None, processed_dir: Path | None = None) -> ReportContext:
    """Resolve the area, its comparators and its measure values for ``start_year``..``end_year``.

    ``comparators_shown`` picks which of England, the region and the neighbours the charts and
    their tables show (the scorecard always gives England and the neighbour median).
    """
    if start_year > end_year:
        raise ValueError(f"start year {start_year} is after end year {end_year}")
    unknown = set(comparators_shown) - set(charts.COMPARATORS)
    if unknown:
        raise ValueError(f"unknown comparators {sorted(unknown)}; choose from {list(charts.COMPARATORS)}")
    raw_dir = Path(raw_dir or paths.DATA_RAW)
    areas = load("areas", raw_dir)
    area = resolve_area(la, areas, (start_year, end_year))
    comps = comparators(area, areas, load("neighbours", raw_dir), str(sn_model))
    measures_csv = ensure_processed(raw_dir, processed_dir)
    values = read_processed(measures_csv)
    values = values[values["area_code"].isin(comps.codes())]
    return ReportContext(comps=comps, start=start_year, end=end_year, raw_dir=raw_dir, values=values,
                         show=tuple(c for c in charts.COMPARATORS if c in comparators_shown),
                         processed_dir=measures_csv.parent)


def bench(ctx: ReportContext, measure_id: str) -> pd.DataFrame:
    """The area against England, region and neighbours for one measure (computed once per context)."""
    if measure_id not in ctx._benches:
        vals = ctx.values[ctx.values["measure"] == measure_id]
        ctx._benches[measure_id] = benchmark(vals, ctx.comps, ctx.start, ctx.end)
    return ctx._benches[measure_id].copy()


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
        how = " (rate computed from the count and the previous year's mid-year population)" \
            if seg.derivation == "rate_per_10k" else ""
        parts.append(f"{span}: {'; '.join(titles)}{how}")
    return " | ".join(parts) if parts else "no data in this period"
