"""Charts for the notebooks and reports, each returned as a ``Chart`` (PNG, alt text, table).

Every chart uses ``analysis.present.style``; time charts put data at its real reference date (31 March,
30 September) so Ofsted milestones fall in the right place; gaps in data stay gaps.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from PIL import Image

from analysis.data.groups import COMPARATORS
from analysis.present import style
from analysis.present.format import SUPPRESSED, fmt
from analysis.present.html import Chart


@dataclass(frozen=True)
class Milestone:
    """A dated event drawn on every time chart (judgement, notice, intervention)."""

    date: pd.Timestamp
    label: str
    kind: str  # judgement | visit | intervention | leadership


@dataclass(frozen=True)
class Callout:
    """A figure quoted in a document, drawn as an annotated point (or on the axis if not comparable)."""

    date: pd.Timestamp
    value: float | None
    label: str


def _png(fig: plt.Figure) -> bytes:
    """PNG bytes from one draw: layouts are fixed by hand (no bbox_inches="tight", which draws twice).

    The image is stored with a palette of at most 256 colours (no dithering): a chart has a few flat
    colours plus anti-aliased edges, so no pixel moves by more than a few shades while the file is
    about a quarter of the size, which keeps a report with a dozen charts small enough to e-mail.
    zlib's default level, not ``optimize=True``: files about a tenth larger, written seven times
    faster (3 ms against 22 ms a chart, some 0.6 s of a Blackpool build's 33 charts).
    """
    fig.canvas.draw()
    image = Image.frombuffer("RGBA", fig.canvas.get_width_height(), bytes(fig.canvas.buffer_rgba()))
    plt.close(fig)
    palette = image.convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    buf = io.BytesIO()
    palette.save(buf, format="PNG")
    return buf.getvalue()


def _frame(fig: plt.Figure, title: str, source: str) -> None:
    """Title at the top, source line at the foot, both inside the figure."""
    fig.text(0.012, 0.985, textwrap.fill(title, 100), ha="left", va="top", fontsize=12, fontweight="bold")
    fig.text(0.012, 0.012, source_lines(source), ha="left", va="bottom", fontsize=7.5, color=style.DARK_GREY)


SOURCE_LINES = 2  # the space left under every chart's axis labels


def source_lines(source: str, width: int = 165) -> str:
    """The source line as drawn inside a chart: at most ``SOURCE_LINES`` lines, so it never covers the axis.

    A longer source is shortened with a pointer to the caption, which always carries it in full.
    """
    lines = textwrap.wrap(f"Source: {source}", width)
    if len(lines) <= SOURCE_LINES:
        return "\n".join(lines)
    tail = " ... (full source under the chart)"
    kept = lines[:SOURCE_LINES]
    kept[-1] = kept[-1][: width - len(tail)].rstrip() + tail
    return "\n".join(kept)


def _dates(years: Sequence[int], month_day: tuple[int, int]) -> pd.DatetimeIndex:
    return pd.to_datetime([f"{y}-{month_day[0]:02d}-{month_day[1]:02d}" for y in years])


def _milestones(ax: plt.Axes, milestones: Sequence[Milestone], lo: pd.Timestamp, hi: pd.Timestamp) -> None:
    """Dotted lines at each milestone, numbered; labels of close milestones are staggered upwards."""
    shown = [m for m in milestones if lo <= m.date <= hi]
    last_at: list[pd.Timestamp | None] = [None, None, None]
    for i, m in enumerate(shown, start=1):
        ax.axvline(m.date, color=style.MID_GREY, linestyle=(0, (1, 2)), linewidth=1, zorder=1)
        level = next((k for k, d in enumerate(last_at) if d is None or (m.date - d).days > 150), 0)
        last_at[level] = m.date
        ax.annotate(str(i), xy=(m.date, 1.0), xycoords=("data", "axes fraction"), xytext=(0, -3 - 13 * level),
                    textcoords="offset points", ha="center", va="top", fontsize=7.5, color=style.DARK_GREY,
                    bbox={"boxstyle": "circle,pad=0.15", "fc": "white", "ec": style.MID_GREY, "lw": 0.6})


def milestone_key(milestones: Sequence[Milestone], lo: pd.Timestamp, hi: pd.Timestamp) -> str:
    shown = [m for m in milestones if lo <= m.date <= hi]
    return "; ".join(f"{i} = {m.label} ({m.date:%b %Y})" for i, m in enumerate(shown, start=1))


def trend_chart(bench: pd.DataFrame, *, title: str, measure_label: str, unit: str, decimals: int,
                month_day: tuple[int, int], area_name: str, region_name: str | None, sn_label: str,
                source: str, milestones: Sequence[Milestone] = (), callouts: Sequence[Callout] = (),
                y_from_zero: bool = True, show: Sequence[str] = COMPARATORS,
                year_label: Callable[[int], str] = str, table_show: Sequence[str] | None = None) -> Chart:
    """Area against the comparators in ``show`` (England, region, neighbour median and range), milestones marked.

    The table under the chart gives ``table_show`` (default: ``show``), e.g. England's total for a count
    whose line would flatten the area's on a shared axis.

    ``year_label`` writes a year in the table under the chart (e.g. "2021-22" for a financial year)."""
    region_name = region_name if "region" in show else None
    years = bench["year"].tolist()
    x = _dates(years, month_day)
    lo, hi = pd.Timestamp(int(min(years)), 1, 1), pd.Timestamp(int(max(years)), 12, 31)
    fig = plt.figure(figsize=(10.5, 5.6))
    ax = fig.add_axes((0.065, 0.24, 0.6, 0.58))
    band = bench["sn_n"] > 0
    if band.any() and "neighbours" in show:
        ax.fill_between(x, bench["sn_min"], bench["sn_max"], where=band.to_numpy(), color=style.BAND,
                        linewidth=0, label=f"{sn_label}: range", zorder=0, interpolate=False, step=None)
    series = [("sn_median", f"{sn_label}: median"), ("region", region_name or "Region"),
              ("england", "England"), ("area", area_name)]
    hidden = {"sn_median": "neighbours", "england": "england", "region": "region"}
    for key, label in series:
        if hidden.get(key, "area") not in (*show, "area") or (key == "region" and region_name is None):
            continue
        values = bench[key].astype("float64")
        if values.notna().any():
            ax.plot(x, values, label=label, markersize=4 if key != "area" else 5.5, **style.ROLE_STYLE[key])
    suppressed = bench["area"].isna() & bench["area_status"].isin(SUPPRESSED)
    if suppressed.any():
        ax.scatter(x[suppressed.to_numpy()], np.zeros(int(suppressed.sum())), marker="x", color=style.DARK_PINK,
                   zorder=6, label=f"{area_name}: not published (marker in the table)", clip_on=False)
    foot: list[str] = []
    on_line: list[str] = []
    for c in callouts:
        if c.value is not None and not np.isnan(c.value):
            on_line.append(f"{c.date:%b %Y}, {c.label}")
            ax.scatter([c.date], [c.value], marker="*", s=150, color=style.ORANGE, edgecolor=style.DARK_GREY,
                       zorder=7, label="Figure quoted in a document")
            ax.annotate(f"{c.value:g} (quoted)", xy=(c.date, c.value), xytext=(6, 8), textcoords="offset points",
                        fontsize=8, color=style.DARK_GREY)
        elif lo <= c.date <= hi:
            letter = chr(ord("A") + len(foot))
            ax.scatter([c.date], [0], marker="*", s=150, color=style.ORANGE, edgecolor=style.DARK_GREY, zorder=7,
                       clip_on=False)
            ax.annotate(letter, xy=(c.date, 0), xytext=(0, 7), textcoords="offset points", ha="center", fontsize=8,
                        fontweight="bold", color=style.DARK_GREY)
            foot.append(f"{letter} ({c.date:%b %Y}) = {c.label}")
    first_year = bench.loc[bench["area"].notna(), "year"].min()
    if pd.notna(first_year) and first_year > bench["year"].min():
        ax.text(lo + (pd.Timestamp(int(first_year), *month_day) - lo) / 2, 0.5, f"No {area_name} data\nbefore {first_year}",
                transform=ax.get_xaxis_transform(), ha="center", va="center", fontsize=9, color=style.MID_GREY)
    _milestones(ax, milestones, lo, hi)
    ax.set_xlim(lo, hi)
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    drawn = ["area"] + [c for c, s in (("england", "england"), ("region", "region"), ("sn_max", "neighbours"))
                        if s in show]  # the axis fits what is drawn, not a comparator left off the chart
    top = np.nanmax(bench[drawn].to_numpy(dtype="float64"), initial=0)
    if milestones:
        ax.set_ylim(top=(top or 1) * 1.28)  # headroom for the milestone numbers inside the plot
    if y_from_zero:
        ax.set_ylim(bottom=0)
    ax.set_ylabel(unit)
    ax.set_xlabel(f"Reference date ({pd.Timestamp(2000, *month_day):%d %B} each year)")
    _frame(fig, title, source)
    ax.set_title(measure_label, fontsize=10, fontweight="normal", color=style.DARK_GREY, pad=6, loc="left")
    handles, labels = ax.get_legend_handles_labels()
    unique = dict(zip(labels, handles, strict=True))
    ax.legend(unique.values(), unique.keys(), loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8)
    key = milestone_key(milestones, lo, hi)
    table = benchmark_table(bench, area_name, region_name, sn_label, decimals,
                            show if table_show is None else table_show, year_label)
    alt = _trend_alt(bench, measure_label, unit, decimals, area_name, region_name, sn_label, key)
    notes = ((f"Numbered lines: {key}.",) if key else ()) + (
        (f"Stars at the foot mark figures quoted in documents on a different basis from this series: "
         f"{'; '.join(foot)}.",) if foot else ())
    if on_line:
        notes += (f"A star on the line marks a figure quoted in a document on the same basis: {'; '.join(on_line)}.",)
    if foot or on_line:
        alt += f" Stars mark figures quoted in documents: {'; '.join(on_line + foot)}."
    return Chart(title=title, png=_png(fig), alt=alt, source=source, table=table,
                 table_caption=f"{measure_label} ({unit}): numbers behind the chart", notes=notes)


def benchmark_table(bench: pd.DataFrame, area_name: str, region_name: str | None, sn_label: str,
                    decimals: int, show: Sequence[str] = COMPARATORS,
                    year_label: Callable[[int], str] = str) -> pd.DataFrame:
    rows = []
    # years before a series starts (no value for the area or any comparator, not even a marker) are left out
    empty = (bench[["area", "england", "region"]].isna().all(axis=1) & (bench["sn_n"] == 0)
             & ~bench["area_status"].isin(SUPPRESSED))
    for _, r in bench[~empty].iterrows():
        rank = f"{r['rank']} of {r['rank_of']}" if pd.notna(r["rank"]) else "not ranked"
        sn_range = (f"{fmt(r['sn_min'], decimals)} to {fmt(r['sn_max'], decimals)} ({int(r['sn_n'])} with data)"
                    if r["sn_n"] > 0 else "no data")
        row = {"Year": year_label(int(r["year"])), area_name: fmt(r["area"], decimals, r["area_status"])}
        if "england" in show:
            row["England"] = fmt(r["england"], decimals, r["england_status"])
        if region_name and "region" in show:
            row[region_name] = fmt(r["region"], decimals, r["region_status"])
        if "neighbours" in show:
            row[f"{sn_label} median"] = fmt(r["sn_median"], decimals) if r["sn_n"] > 0 else "no data"
            row[f"{sn_label} range"] = sn_range
            row["Rank among neighbours (1 = highest)"] = rank
        rows.append(row)
    return pd.DataFrame(rows)


def _trend_alt(bench: pd.DataFrame, label: str, unit: str, decimals: int, area: str, region: str | None,
               sn_label: str, key: str) -> str:
    have = bench[bench["area"].notna()]
    parts = [f"Line chart of {label} ({unit}) for {area} against England"
             f"{', ' + region if region else ''} and the {sn_label.lower()} median and range, "
             f"{bench['year'].min()} to {bench['year'].max()}."]
    if have.empty:
        parts.append(f"{area} has no published value in this period.")
    else:
        first, last = have.iloc[0], have.iloc[-1]
        parts.append(f"{area} was {fmt(first['area'], decimals)} in {first['year']} and "
                     f"{fmt(last['area'], decimals)} in {last['year']}; England was "
                     f"{fmt(last['england'], decimals, last['england_status'])} in {last['year']}.")
    gaps = bench[bench["area"].isna()]["year"].tolist()
    if gaps and not have.empty:
        parts.append(f"No {area} value for {', '.join(map(str, gaps))}.")
    if key:
        parts.append(f"Vertical lines mark: {key}.")
    return " ".join(parts)


TIMELINE_ROWS = ("Ofsted judgement", "Ofsted visits", "DfE intervention", "Leadership")


def timeline_chart(periods: pd.DataFrame, points: pd.DataFrame, start: int, end: int, area_name: str,
                   source: str) -> Chart:
    """Judgements as coloured periods (labelled), visits, interventions and leadership as markers.

    ``periods``: columns start, end, judgement, label. ``points``: columns date, row (one of
    TIMELINE_ROWS), label, marker.
    """
    lo, hi = pd.Timestamp(start, 1, 1), pd.Timestamp(end, 12, 31)
    fig = plt.figure(figsize=(10.5, 4.0))
    ax = fig.add_axes((0.13, 0.2, 0.56, 0.62))
    rows = {name: len(TIMELINE_ROWS) - i for i, name in enumerate(TIMELINE_ROWS)}
    for _, p in periods.iterrows():
        s, e = max(p["start"], lo), min(p["end"], hi)
        if s >= e:
            continue
        colour = style.JUDGEMENT_COLOURS.get(p["judgement"], style.LIGHT_GREY)
        ax.barh(rows["Ofsted judgement"], (e - s).days, left=s, height=0.6, color=colour, edgecolor="white")
        text_colour = "white" if p["judgement"] in ("Inadequate", "Outstanding") else style.DARK_GREY
        ax.text(s + (e - s) / 2, rows["Ofsted judgement"], p["label"], ha="center", va="center", fontsize=8,
                color=text_colour, clip_on=True)
    markers = {"Ofsted visits": "^", "DfE intervention": "D", "Leadership": "o"}
    colours = {"Ofsted visits": style.DARK_BLUE, "DfE intervention": style.DARK_PINK, "Leadership": style.TURQUOISE}
    for row in TIMELINE_ROWS[1:]:
        sel = points[(points["row"] == row) & (points["date"] >= lo) & (points["date"] <= hi)]
        if not sel.empty:
            ax.scatter(sel["date"], [rows[row]] * len(sel), marker=markers[row], s=46, color=colours[row], zorder=3)
    ax.set_yticks(list(rows.values()), list(rows.keys()))
    ax.set_ylim(0.4, len(TIMELINE_ROWS) + 0.6)
    ax.set_xlim(lo, hi)
    ax.grid(axis="x", color="#E3E3E3")
    ax.grid(axis="y", visible=False)
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    handles = [Patch(color=c, label=j) for j, c in style.JUDGEMENT_COLOURS.items()
               if j in set(periods.get("judgement", []))]
    handles += [Line2D([], [], marker=markers[r], color=colours[r], linestyle="", label=r)
                for r in TIMELINE_ROWS[1:] if (points["row"] == r).any()]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8)
    title = f"{area_name}: Ofsted judgements, visits and interventions, {start} to {end}"
    _frame(fig, title, source)
    table_rows = [{"Date": f"{p['start']:%d %b %Y}", "What": "Judgement published", "Detail": p["label"]}
                  for _, p in periods.iterrows() if lo <= p["start"] <= hi]
    table_rows += [{"Date": r["date_text"], "What": r["row"], "Detail": r["label"]}
                   for _, r in points.iterrows() if lo <= r["date"] <= hi]
    table = pd.DataFrame(table_rows, columns=["Date", "What", "Detail"])
    if not table.empty:
        order = pd.to_datetime(table["Date"], format="mixed", dayfirst=True)
        table = table.iloc[np.argsort(order.to_numpy(), kind="stable")].reset_index(drop=True)
    alt = (f"Timeline of {area_name}'s Ofsted judgements from {start} to {end}, each shown as a coloured period "
           f"labelled with the judgement, with Ofsted visits, government interventions and leadership changes "
           f"as markers. " + "; ".join(f"{p['label']} from {p['start']:%B %Y}" for _, p in periods.iterrows()
                                        if p["start"] <= hi) + ".")
    return Chart(title=title, png=_png(fig), alt=alt, source=source, table=table,
                 table_caption="Events on the timeline")


SCOPE_WORDS = {"children_services": "Children's services (directorate)",
               "childrens_social_care": "Children's social care only"}


def finance_chart(rows: pd.DataFrame, *, area_name: str, source: str, left_out: list[str]) -> Chart:
    """Council-reported overspend by financial year (outturn bars, forecasts as points), investment beside.

    ``rows``: financial_year, measure (overspend_outturn | overspend_forecast | extra_investment), scope
    (children_services | childrens_social_care), value_gbp_m, as_of. The two scopes are drawn apart,
    never added up; ``left_out`` explains the figures the caller did not draw.
    """
    starts = sorted(int(y[:4]) for y in rows["financial_year"].unique())
    # every financial year in the span, so a year with no figure shows as a gap, not as nothing
    years = [f"{y}-{(y + 1) % 100:02d}" for y in range(starts[0], starts[-1] + 1)]
    pos = {y: i for i, y in enumerate(years)}
    offset = {"children_services": -0.18, "childrens_social_care": 0.18}
    colour = {"children_services": style.DARK_BLUE, "childrens_social_care": style.TURQUOISE}
    marker = {"children_services": "o", "childrens_social_care": "^"}
    fig = plt.figure(figsize=(10.5, 5.2))
    ax = fig.add_axes((0.07, 0.27, 0.55, 0.55))
    ax2 = fig.add_axes((0.72, 0.27, 0.26, 0.55))
    for scope in SCOPE_WORDS:
        out = rows[(rows["measure"] == "overspend_outturn") & (rows["scope"] == scope)]
        fc = rows[(rows["measure"] == "overspend_forecast") & (rows["scope"] == scope)]
        if not out.empty:
            ax.bar([pos[y] + offset[scope] for y in out["financial_year"]], out["value_gbp_m"], width=0.34,
                   color=colour[scope], label=f"Outturn: {SCOPE_WORDS[scope].lower()}")
        if not fc.empty:
            ax.scatter([pos[y] + offset[scope] for y in fc["financial_year"]], fc["value_gbp_m"], marker=marker[scope],
                       s=40, facecolor="white", edgecolor=style.ORANGE if scope == "children_services" else style.DARK_PINK,
                       linewidth=1.8, zorder=3, label=f"In-year forecast: {SCOPE_WORDS[scope].lower()}")
    ax.set_xticks(range(len(years)), years, rotation=45, ha="right")
    ax.set_ylabel("GBP million")
    ax.set_ylim(0, max(rows.loc[rows["measure"] != "extra_investment", "value_gbp_m"].max(), 1) * 1.6)
    ax.set_xlabel("Financial year (April to March)")
    ax.set_title("Overspend against budget", fontsize=10, fontweight="normal", loc="left")
    ax.legend(loc="upper left", fontsize=7.5)
    inv = rows[rows["measure"] == "extra_investment"]
    inv_years = sorted(inv["financial_year"].unique())
    for scope in SCOPE_WORDS:
        sel = inv[inv["scope"] == scope]
        ax2.scatter([inv_years.index(y) for y in sel["financial_year"]], sel["value_gbp_m"], marker=marker[scope],
                    s=46, color=colour[scope], label=SCOPE_WORDS[scope])
    ax2.set_xticks(range(len(inv_years)), inv_years, rotation=45, ha="right")
    ax2.set_xlim(-0.6, len(inv_years) - 0.4)
    ax2.set_ylim(0, max(inv["value_gbp_m"].max() if not inv.empty else 1, 1) * 1.45)
    ax2.set_title("Extra investment announced\n(each announcement)", fontsize=10, fontweight="normal", loc="left")
    ax2.set_ylabel("GBP million")
    ax2.legend(loc="upper left", fontsize=7.5)
    title = f"{area_name}: children's services overspend and extra investment by financial year (council-reported)"
    _frame(fig, title, source)
    table = pd.DataFrame({
        "Financial year": rows["financial_year"],
        "Measure": rows["measure"].map({"overspend_outturn": "Overspend, outturn",
                                        "overspend_forecast": "Overspend, in-year forecast",
                                        "extra_investment": "Extra investment"}),
        "Scope": rows["scope"].map(SCOPE_WORDS), "GBP million": rows["value_gbp_m"].map(lambda v: fmt(v, 1)),
        "As of": rows["as_of"],
    }).reset_index(drop=True)
    outturns = rows[rows["measure"] == "overspend_outturn"]
    alt = (f"Chart of {area_name}'s council-reported overspends by financial year, {years[0]} to {years[-1]}: "
           "outturns as bars and in-year forecasts as open markers, children's services and children's social care "
           "drawn separately; a second panel shows extra investment announced. Outturns: "
           + "; ".join(f"{r['financial_year']} GBP {fmt(r['value_gbp_m'], 1)}m ({SCOPE_WORDS[r['scope']].lower()})"
                       for _, r in outturns.iterrows()) + ".")
    return Chart(title=title, png=_png(fig), alt=alt, source=source, table=table,
                 table_caption="Overspend and investment figures behind the chart (GBP million)", notes=tuple(left_out))
