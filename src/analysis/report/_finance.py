"""Council-reported overspends and investment (budget monitoring), never mixed with official outturn."""

from __future__ import annotations

import pandas as pd

from analysis.present import event_charts, html
from analysis.present.html import Section
from analysis.report._context import ReportContext

FINANCE_MEASURES = ("overspend_outturn", "overspend_forecast", "extra_investment")


CHILDREN_SCOPES = ("children_services", "childrens_social_care")


def finance_rows(ctx: ReportContext) -> pd.DataFrame:
    """Council-reported overspend and investment figures for the period, every scope, duplicates removed.

    The period's financial years are those ending in ``ctx.start``..``ctx.end``; undated rows are kept.

    Official revenue-outturn spending is a different accounting basis and is never included here.
    """
    try:
        fin = ctx.local("finance")
    except KeyError:
        return pd.DataFrame(
            columns=["financial_year", "measure", "value_gbp_m", "as_of", "scope", "year_clear", "confidence", "source_id"]
        )
    fin = fin[(fin["basis"] == "council_reported") & fin["measure"].isin(FINANCE_MEASURES) & fin["duplicate_of"].isna()]
    # A financial year belongs to the reporting year it ends in (2021-22 to 2022), as DfE's do: a
    # period 2012-2022 holds 2011-12 to 2021-22, the years of the official spending beside it.
    ends = fin["financial_year"].str[:4].astype("float") + 1
    fin = fin[ends.between(ctx.start, ctx.end) | ends.isna()]
    return fin.sort_values(["financial_year", "measure"], kind="stable", na_position="last").reset_index(drop=True)


def _drawable(fin: pd.DataFrame) -> pd.Series:
    return fin["year_clear"].fillna(False).astype(bool) & (fin["confidence"] != "low") & fin["scope"].isin(CHILDREN_SCOPES)


def overspend_outturns(ctx: ReportContext) -> pd.DataFrame:
    """The children's services year-end overspends the council reported that the chart draws, oldest first.

    Rows of ``finance_rows``: clear financial year, not low confidence, measure ``overspend_outturn``,
    scope ``children_services``. Empty where the project holds none for the area and period.
    """
    fin = finance_rows(ctx)
    return fin[_drawable(fin) & (fin["measure"] == "overspend_outturn") & (fin["scope"] == "children_services")]


def finance(ctx: ReportContext) -> Section:
    """The council-reported overspend chart with its table, or a one-line notice when nothing can be drawn."""
    fin = finance_rows(ctx)
    if fin.empty:
        return Section(
            html.notice(
                f"No council finance figures are held for {ctx.area.name}: the project curates "
                "local finance extracts for Blackpool only, so this chart is not drawn."
            )
        )
    ok = _drawable(fin)
    rows = fin[ok]
    if rows.empty:
        return Section(
            html.notice(
                f"No council finance figure for {ctx.area.name} in {ctx.start}-{ctx.end} can be "
                f"drawn: the {len(fin)} held have an unclear year, low confidence or another "
                "scope (listed in the finance extract), so this chart is not drawn."
            )
        )
    unclear = int((~fin["year_clear"].fillna(False).astype(bool)).sum())
    low = int((fin["year_clear"].fillna(False).astype(bool) & (fin["confidence"] == "low")).sum())
    other = int(
        (
            fin["year_clear"].fillna(False).astype(bool) & (fin["confidence"] != "low") & ~fin["scope"].isin(CHILDREN_SCOPES)
        ).sum()
    )
    left_out = [
        f"Not drawn: {unclear} figure(s) whose financial year the source leaves unclear, {low} low-confidence "
        f"figure(s), and {other} figure(s) for the whole council or for adult and children's social care "
        "together (listed in the table of quoted figures and the finance extract)."
    ]
    registry = ctx.extract("sources").set_index("source_id")
    pubs = sorted({registry.loc[s, "publisher"] for s in rows["source_id"] if s in registry.index})
    source = (
        "council-reported figures from "
        + ", ".join(pubs)
        + " (see Sources); not comparable with official revenue outturn statistics"
    )
    return Section.of(event_charts.finance_chart(rows, area_name=ctx.area.name, source=source, left_out=left_out))
