"""Trend charts of each measure against England, region and neighbours, and the analysts' trajectory."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.measures.catalogue import MEASURES, Measure
from analysis.measures.change import NO_CLEAR_CHANGE
from analysis.present import charts, html
from analysis.present.figure import Callout
from analysis.present.format import fmt
from analysis.present.html import Section
from analysis.present.words import quantity
from analysis.report._context import ReportContext, bench, source_line
from analysis.report._summary import summaries
from analysis.report._timeline import milestones


def _trend_title(ctx: ReportContext, m: Measure, b: pd.DataFrame) -> str:
    """The finding as a title, from the measure's summary (computed once per context)."""
    s = summaries(ctx)[m.id]
    if not s.has_data:
        return f"{ctx.area.name}: no published {m.short}, {ctx.start}-{ctx.end}"
    have = b[b["area"].notna()]
    first, last = s.first, s.last
    if first["year"] == last["year"]:
        return f"{ctx.area.name}: {m.short} {fmt(last['area'], m.decimals)} in {m.year_label(last['year'])}"
    rel = ""
    if pd.notna(last["england"]):
        times = last["area"] / last["england"] if last["england"] else np.nan
        rel = f"; England {fmt(last['england'], m.decimals)}" + (f" ({fmt(times, 1)} times England)" if times >= 1.5 else "")
    peak, low = have.loc[have["area"].idxmax()], have.loc[have["area"].idxmin()]
    turn = ""
    if peak["year"] not in (first["year"], last["year"]):
        turn = f", peaking at {fmt(peak['area'], m.decimals)} in {m.year_label(peak['year'])}"
    elif low["year"] not in (first["year"], last["year"]):
        turn = f", lowest at {fmt(low['area'], m.decimals)} in {m.year_label(low['year'])}"
    since = ""
    if s.compared and s.test is not None and s.word != NO_CLEAR_CHANGE:
        since = f"; {s.word} since {m.year_label(s.base['year'])}, beyond chance"
    elif s.compared and s.test is not None:
        since = f"; no clear change since {m.year_label(s.base['year'])}"
    return (
        f"{ctx.area.name}: {m.short} {fmt(first['area'], m.decimals)} in {m.year_label(first['year'])} and "
        f"{fmt(last['area'], m.decimals)} in {m.year_label(last['year'])}{turn}{rel}{since}"
    )


def callouts(ctx: ReportContext, m: Measure) -> list[Callout]:
    """Quoted figures that speak to this measure's series, drawn as annotated points."""
    try:
        quoted = ctx.local("quoted_figures")
    except KeyError:
        return []
    plotted = {f"{s.extract}.{s.column}" for s in m.segments}
    columns = plotted | set(m.related)
    out = []
    for _, q in quoted.iterrows():
        if q["measure"] not in columns or not isinstance(q["date"], str):
            continue  # an undated figure cannot be placed on a time axis; it stays in the quoted-figures table
        # drawn on the line only when on the same basis as the plotted series; otherwise at the foot
        on_series = bool(q["comparable"]) and q["measure"] in plotted
        value = float(q["value"]) if on_series else None
        count_of = q["count_of"] if isinstance(q["count_of"], str) else ""
        label = f"{quantity(q['value'], q['unit'], count_of, q['value_bound'])}: {q['description'].rstrip('.')}"
        out.append(Callout(pd.Timestamp(q["date"]), value, label))
    return out


def trend_spec(ctx: ReportContext, m: Measure) -> charts.TrendSpec:
    """How ``m``'s trend chart is drawn for this report: titles, names, milestones, callouts, comparators."""
    return charts.TrendSpec(
        title=_trend_title(ctx, m, bench(ctx, m.id)),
        measure_label=m.label,
        unit=m.unit,
        decimals=m.decimals,
        month_day=m.month_day,
        area_name=ctx.area.name,
        region_name=ctx.comps.region.name if ctx.comps.region else None,
        sn_label=ctx.sn_label,
        source=source_line(ctx, m),
        milestones=tuple(milestones(ctx)),
        callouts=tuple(callouts(ctx, m)),
        show=tuple(c for c in ctx.show if c in m.charted_with),
        table_show=ctx.show,
        year_label=m.year_label,
    )


def trend(ctx: ReportContext, measure_id: str) -> Section:
    """One measure's trend chart with the table of numbers under it."""
    m = MEASURES[measure_id]
    return Section.of(charts.trend_chart(bench(ctx, measure_id), trend_spec(ctx, m)))


def changes_table(ctx: ReportContext, measure_id: str) -> pd.DataFrame:
    """Year by year: the area's value, change on the year before, and its gap to England and neighbours.

    The gaps and the rank are given for the comparators the report shows (``ctx.show``).
    """
    m = MEASURES[measure_id]
    b = bench(ctx, measure_id)

    def gaps(other: pd.Series) -> list[str]:
        return [fmt(d, m.decimals) if pd.notna(d) else "" for d in b["area"] - other]

    table = {
        "Year": [m.year_label(y) for y in b["year"]],
        ctx.area.name: [fmt(v, m.decimals, s) for v, s in zip(b["area"], b["area_status"], strict=True)],
        "Change on previous year": gaps(b["area"].shift(1)),
    }
    if "england" in ctx.show:
        table["Gap to England"] = gaps(b["england"])
    if "neighbours" in ctx.show:
        table["Gap to neighbour median"] = gaps(b["sn_median"])
        table["Rank among neighbours (1 = highest)"] = [
            f"{r} of {n}" if pd.notna(r) else "not ranked" for r, n in zip(b["rank"], b["rank_of"], strict=True)
        ]
    return pd.DataFrame(table)


def trajectory(ctx: ReportContext) -> Section:
    """Every catalogue measure: chart, then year-on-year changes and rank, each under its own heading."""
    parts = []
    for m in MEASURES.values():
        parts.append(f'<h3 id="measure-{html.esc(m.id)}">{html.esc(m.label)}</h3>')
        if m.definition:
            parts.append(html.paragraph(m.definition, "definition"))
        parts.append(trend(ctx, m.id))
        parts.append(html.table_html(changes_table(ctx, m.id), f"{m.label}: year-on-year changes and rank"))
    return Section.of(*parts)
