"""Charts of events and money: the Ofsted timeline and the council-reported overspend, each a ``Chart``."""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from analysis.present import style
from analysis.present.figure import frame_figure, to_png
from analysis.present.format import fmt
from analysis.present.html import Chart

TIMELINE_ROWS = ("Ofsted judgement", "Ofsted visits", "DfE intervention", "Leadership")


def timeline_chart(periods: pd.DataFrame, points: pd.DataFrame, start: int, end: int, area_name: str, source: str) -> Chart:
    """Judgements as coloured periods (labelled), visits, interventions and leadership as markers.

    ``periods``: columns start, end, judgement, label. ``points``: columns date, row (one of
    TIMELINE_ROWS), label, marker, date_text.
    """
    lo, hi = pd.Timestamp(start, 1, 1), pd.Timestamp(end, 12, 31)
    fig = plt.figure(figsize=(10.5, 4.0))
    ax = fig.add_axes((0.13, 0.2, 0.56, 0.62))
    _draw_periods(ax, periods, lo, hi)
    _draw_events(ax, points, lo, hi)
    _timeline_axes(ax, periods, points, lo, hi)
    title = f"{area_name}: Ofsted judgements, visits and interventions, {start} to {end}"
    frame_figure(fig, title, source)
    alt = (
        f"Timeline of {area_name}'s Ofsted judgements from {start} to {end}, each shown as a coloured period "
        f"labelled with the judgement, with Ofsted visits, government interventions and leadership changes "
        f"as markers. "
        + "; ".join(f"{p['label']} from {p['start']:%B %Y}" for _, p in periods.iterrows() if p["start"] <= hi)
        + "."
    )
    table = _timeline_table(periods, points, lo, hi)
    return Chart(title=title, png=to_png(fig), alt=alt, source=source, table=table, table_caption="Events on the timeline")


ROW_Y = {name: len(TIMELINE_ROWS) - i for i, name in enumerate(TIMELINE_ROWS)}  # the first row at the top
EVENT_MARKERS = {"Ofsted visits": "^", "DfE intervention": "D", "Leadership": "o"}
EVENT_COLOURS = {"Ofsted visits": style.DARK_BLUE, "DfE intervention": style.DARK_PINK, "Leadership": style.TURQUOISE}


def _draw_periods(ax: plt.Axes, periods: pd.DataFrame, lo: pd.Timestamp, hi: pd.Timestamp) -> None:
    """Each judgement as a bar from its publication to the next, coloured by grade and labelled inside."""
    y = ROW_Y["Ofsted judgement"]
    for _, p in periods.iterrows():
        s, e = max(p["start"], lo), min(p["end"], hi)
        if s >= e:
            continue
        colour = style.JUDGEMENT_COLOURS.get(p["judgement"], style.LIGHT_GREY)
        ax.barh(y, (e - s).days, left=s, height=0.6, color=colour, edgecolor="white")
        text_colour = "white" if p["judgement"] in ("Inadequate", "Outstanding") else style.DARK_GREY
        ax.text(s + (e - s) / 2, y, p["label"], ha="center", va="center", fontsize=8, color=text_colour, clip_on=True)


def _draw_events(ax: plt.Axes, points: pd.DataFrame, lo: pd.Timestamp, hi: pd.Timestamp) -> None:
    """Visits, interventions and leadership changes in the period, a marker each on their own row."""
    for row in TIMELINE_ROWS[1:]:
        sel = points[(points["row"] == row) & (points["date"] >= lo) & (points["date"] <= hi)]
        if not sel.empty:
            ax.scatter(
                sel["date"], [ROW_Y[row]] * len(sel), marker=EVENT_MARKERS[row], s=46, color=EVENT_COLOURS[row], zorder=3
            )


def _timeline_axes(ax: plt.Axes, periods: pd.DataFrame, points: pd.DataFrame, lo: pd.Timestamp, hi: pd.Timestamp) -> None:
    """Row names, years along the bottom, and a legend of the grades and kinds of event that appear."""
    ax.set_yticks(list(ROW_Y.values()), list(ROW_Y.keys()))
    ax.set_ylim(0.4, len(TIMELINE_ROWS) + 0.6)
    ax.set_xlim(lo, hi)
    ax.grid(axis="x", color="#E3E3E3")
    ax.grid(axis="y", visible=False)
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    handles = [Patch(color=c, label=j) for j, c in style.JUDGEMENT_COLOURS.items() if j in set(periods.get("judgement", []))]
    handles += [
        Line2D([], [], marker=EVENT_MARKERS[r], color=EVENT_COLOURS[r], linestyle="", label=r)
        for r in TIMELINE_ROWS[1:]
        if (points["row"] == r).any()
    ]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8)


def _timeline_table(periods: pd.DataFrame, points: pd.DataFrame, lo: pd.Timestamp, hi: pd.Timestamp) -> pd.DataFrame:
    """Every judgement and event in the period, by date: Date, What, Detail."""
    table_rows = [
        {"Date": f"{p['start']:%d %b %Y}", "What": "Judgement published", "Detail": p["label"]}
        for _, p in periods.iterrows()
        if lo <= p["start"] <= hi
    ]
    table_rows += [
        {"Date": r["date_text"], "What": r["row"], "Detail": r["label"]}
        for _, r in points.iterrows()
        if lo <= r["date"] <= hi
    ]
    table = pd.DataFrame(table_rows, columns=["Date", "What", "Detail"])
    if not table.empty:
        order = pd.to_datetime(table["Date"], format="mixed", dayfirst=True)
        table = table.iloc[np.argsort(order.to_numpy(), kind="stable")].reset_index(drop=True)
    return table


SCOPE_WORDS = {
    "children_services": "Children's services (directorate)",
    "childrens_social_care": "Children's social care only",
}


def finance_chart(rows: pd.DataFrame, *, area_name: str, source: str, left_out: list[str]) -> Chart:
    """Council-reported overspend by financial year (outturn bars, forecasts as points), investment beside.

    ``rows``: financial_year, measure (overspend_outturn | overspend_forecast | extra_investment), scope
    (children_services | childrens_social_care), value_gbp_m, as_of. The two scopes are drawn apart,
    never added up; ``left_out`` explains the figures the caller did not draw.
    """
    starts = sorted(int(y[:4]) for y in rows["financial_year"].unique())
    # every financial year in the span, so a year with no figure shows as a gap, not as nothing
    years = [f"{y}-{(y + 1) % 100:02d}" for y in range(starts[0], starts[-1] + 1)]
    fig = plt.figure(figsize=(10.5, 5.2))
    _draw_overspend(fig.add_axes((0.07, 0.27, 0.55, 0.55)), rows, years)
    _draw_investment(fig.add_axes((0.72, 0.27, 0.26, 0.55)), rows[rows["measure"] == "extra_investment"])
    title = f"{area_name}: children's services overspend and extra investment by financial year (council-reported)"
    frame_figure(fig, title, source)
    outturns = rows[rows["measure"] == "overspend_outturn"]
    alt = (
        f"Chart of {area_name}'s council-reported overspends by financial year, {years[0]} to {years[-1]}: "
        "outturns as bars and in-year forecasts as open markers, children's services and children's social care "
        "drawn separately; a second panel shows extra investment announced. Outturns: "
        + "; ".join(
            f"{r['financial_year']} GBP {fmt(r['value_gbp_m'], 1)}m ({SCOPE_WORDS[r['scope']].lower()})"
            for _, r in outturns.iterrows()
        )
        + "."
    )
    return Chart(
        title=title,
        png=to_png(fig),
        alt=alt,
        source=source,
        table=_finance_table(rows),
        table_caption="Overspend and investment figures behind the chart (GBP million)",
        notes=tuple(left_out),
    )


SCOPE_OFFSET = {"children_services": -0.18, "childrens_social_care": 0.18}
SCOPE_COLOUR = {"children_services": style.DARK_BLUE, "childrens_social_care": style.TURQUOISE}
SCOPE_MARKER = {"children_services": "o", "childrens_social_care": "^"}


def _draw_overspend(ax: plt.Axes, rows: pd.DataFrame, years: list[str]) -> None:
    """Outturns as bars and in-year forecasts as open markers, each scope beside the other, one slot per year."""
    pos = {y: i for i, y in enumerate(years)}
    for scope in SCOPE_WORDS:
        out = rows[(rows["measure"] == "overspend_outturn") & (rows["scope"] == scope)]
        fc = rows[(rows["measure"] == "overspend_forecast") & (rows["scope"] == scope)]
        if not out.empty:
            ax.bar(
                [pos[y] + SCOPE_OFFSET[scope] for y in out["financial_year"]],
                out["value_gbp_m"],
                width=0.34,
                color=SCOPE_COLOUR[scope],
                label=f"Outturn: {SCOPE_WORDS[scope].lower()}",
            )
        if not fc.empty:
            ax.scatter(
                [pos[y] + SCOPE_OFFSET[scope] for y in fc["financial_year"]],
                fc["value_gbp_m"],
                marker=SCOPE_MARKER[scope],
                s=40,
                facecolor="white",
                edgecolor=style.ORANGE if scope == "children_services" else style.DARK_PINK,
                linewidth=1.8,
                zorder=3,
                label=f"In-year forecast: {SCOPE_WORDS[scope].lower()}",
            )
    ax.set_xticks(range(len(years)), years, rotation=45, ha="right")
    ax.set_ylabel("GBP million")
    ax.set_ylim(0, max(rows.loc[rows["measure"] != "extra_investment", "value_gbp_m"].max(), 1) * 1.6)
    ax.set_xlabel("Financial year (April to March)")
    ax.set_title("Overspend against budget", fontsize=10, fontweight="normal", loc="left")
    ax.legend(loc="upper left", fontsize=7.5)


def _draw_investment(ax: plt.Axes, inv: pd.DataFrame) -> None:
    """Each announcement of extra investment as a point, by the financial year it names."""
    inv_years = sorted(inv["financial_year"].unique())
    for scope in SCOPE_WORDS:
        sel = inv[inv["scope"] == scope]
        ax.scatter(
            [inv_years.index(y) for y in sel["financial_year"]],
            sel["value_gbp_m"],
            marker=SCOPE_MARKER[scope],
            s=46,
            color=SCOPE_COLOUR[scope],
            label=SCOPE_WORDS[scope],
        )
    ax.set_xticks(range(len(inv_years)), inv_years, rotation=45, ha="right")
    ax.set_xlim(-0.6, len(inv_years) - 0.4)
    ax.set_ylim(0, max(inv["value_gbp_m"].max() if not inv.empty else 1, 1) * 1.45)
    ax.set_title("Extra investment announced\n(each announcement)", fontsize=10, fontweight="normal", loc="left")
    ax.set_ylabel("GBP million")
    ax.legend(loc="upper left", fontsize=7.5)


def _finance_table(rows: pd.DataFrame) -> pd.DataFrame:
    """The figures behind the chart, in words: year, measure, scope, GBP million, as of."""
    return pd.DataFrame(
        {
            "Financial year": rows["financial_year"],
            "Measure": rows["measure"].map(
                {
                    "overspend_outturn": "Overspend, outturn",
                    "overspend_forecast": "Overspend, in-year forecast",
                    "extra_investment": "Extra investment",
                }
            ),
            "Scope": rows["scope"].map(SCOPE_WORDS),
            "GBP million": rows["value_gbp_m"].map(lambda v: fmt(v, 1)),
            "As of": rows["as_of"],
        }
    ).reset_index(drop=True)
