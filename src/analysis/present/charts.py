"""Trend charts of an area against its comparators, each returned as a ``Chart`` (PNG, alt text, table).

Every chart uses ``analysis.present.style``; data sit at their real reference date (31 March,
30 September) so Ofsted milestones fall in the right place; gaps in data stay gaps.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis.data.groups import COMPARATORS
from analysis.present import style
from analysis.present.figure import Callout, Milestone, draw_milestones, frame_figure, milestone_key, reference_dates, to_png
from analysis.present.format import SUPPRESSED, fmt
from analysis.present.html import Chart


def trend_chart(
    bench: pd.DataFrame,
    *,
    title: str,
    measure_label: str,
    unit: str,
    decimals: int,
    month_day: tuple[int, int],
    area_name: str,
    region_name: str | None,
    sn_label: str,
    source: str,
    milestones: Sequence[Milestone] = (),
    callouts: Sequence[Callout] = (),
    y_from_zero: bool = True,
    show: Sequence[str] = COMPARATORS,
    year_label: Callable[[int], str] = str,
    table_show: Sequence[str] | None = None,
) -> Chart:
    """Area against the comparators in ``show`` (England, region, neighbour median and range), milestones marked.

    The table under the chart gives ``table_show`` (default: ``show``), e.g. England's total for a count
    whose line would flatten the area's on a shared axis.

    ``year_label`` writes a year in the table under the chart (e.g. "2021-22" for a financial year)."""
    region_name = region_name if "region" in show else None
    years = bench["year"].tolist()
    x = reference_dates(years, month_day)
    lo, hi = pd.Timestamp(int(min(years)), 1, 1), pd.Timestamp(int(max(years)), 12, 31)
    fig = plt.figure(figsize=(10.5, 5.6))
    ax = fig.add_axes((0.065, 0.24, 0.6, 0.58))
    band = bench["sn_n"] > 0
    if band.any() and "neighbours" in show:
        ax.fill_between(
            x,
            bench["sn_min"],
            bench["sn_max"],
            where=band.to_numpy(),
            color=style.BAND,
            linewidth=0,
            label=f"{sn_label}: range",
            zorder=0,
            interpolate=False,
            step=None,
        )
    series = [
        ("sn_median", f"{sn_label}: median"),
        ("region", region_name or "Region"),
        ("england", "England"),
        ("area", area_name),
    ]
    hidden = {"sn_median": "neighbours", "england": "england", "region": "region"}
    for key, label in series:
        if hidden.get(key, "area") not in (*show, "area") or (key == "region" and region_name is None):
            continue
        values = bench[key].astype("float64")
        if values.notna().any():
            ax.plot(x, values, label=label, markersize=4 if key != "area" else 5.5, **style.ROLE_STYLE[key])
    suppressed = bench["area"].isna() & bench["area_status"].isin(SUPPRESSED)
    if suppressed.any():
        ax.scatter(
            x[suppressed.to_numpy()],
            np.zeros(int(suppressed.sum())),
            marker="x",
            color=style.DARK_PINK,
            zorder=6,
            label=f"{area_name}: not published (marker in the table)",
            clip_on=False,
        )
    foot: list[str] = []
    on_line: list[str] = []
    for c in callouts:
        if c.value is not None and not np.isnan(c.value):
            on_line.append(f"{c.date:%b %Y}, {c.label}")
            ax.scatter(
                [c.date],
                [c.value],
                marker="*",
                s=150,
                color=style.ORANGE,
                edgecolor=style.DARK_GREY,
                zorder=7,
                label="Figure quoted in a document",
            )
            ax.annotate(
                f"{c.value:g} (quoted)",
                xy=(c.date, c.value),
                xytext=(6, 8),
                textcoords="offset points",
                fontsize=8,
                color=style.DARK_GREY,
            )
        elif lo <= c.date <= hi:
            letter = chr(ord("A") + len(foot))
            ax.scatter(
                [c.date], [0], marker="*", s=150, color=style.ORANGE, edgecolor=style.DARK_GREY, zorder=7, clip_on=False
            )
            ax.annotate(
                letter,
                xy=(c.date, 0),
                xytext=(0, 7),
                textcoords="offset points",
                ha="center",
                fontsize=8,
                fontweight="bold",
                color=style.DARK_GREY,
            )
            foot.append(f"{letter} ({c.date:%b %Y}) = {c.label}")
    first_year = bench.loc[bench["area"].notna(), "year"].min()
    if pd.notna(first_year) and first_year > bench["year"].min():
        ax.text(
            lo + (pd.Timestamp(int(first_year), *month_day) - lo) / 2,
            0.5,
            f"No {area_name} data\nbefore {first_year}",
            transform=ax.get_xaxis_transform(),
            ha="center",
            va="center",
            fontsize=9,
            color=style.MID_GREY,
        )
    draw_milestones(ax, milestones, lo, hi)
    ax.set_xlim(lo, hi)
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    drawn = ["area"] + [
        c for c, s in (("england", "england"), ("region", "region"), ("sn_max", "neighbours")) if s in show
    ]  # the axis fits what is drawn, not a comparator left off the chart
    top = np.nanmax(bench[drawn].to_numpy(dtype="float64"), initial=0)
    if milestones:
        ax.set_ylim(top=(top or 1) * 1.28)  # headroom for the milestone numbers inside the plot
    if y_from_zero:
        ax.set_ylim(bottom=0)
    ax.set_ylabel(unit)
    ax.set_xlabel(f"Reference date ({pd.Timestamp(2000, *month_day):%d %B} each year)")
    frame_figure(fig, title, source)
    ax.set_title(measure_label, fontsize=10, fontweight="normal", color=style.DARK_GREY, pad=6, loc="left")
    handles, labels = ax.get_legend_handles_labels()
    unique = dict(zip(labels, handles, strict=True))
    ax.legend(unique.values(), unique.keys(), loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8)
    key = milestone_key(milestones, lo, hi)
    table = benchmark_table(
        bench, area_name, region_name, sn_label, decimals, show if table_show is None else table_show, year_label
    )
    alt = _trend_alt(bench, measure_label, unit, decimals, area_name, region_name, sn_label, key)
    notes = ((f"Numbered lines: {key}.",) if key else ()) + (
        (f"Stars at the foot mark figures quoted in documents on a different basis from this series: {'; '.join(foot)}.",)
        if foot
        else ()
    )
    if on_line:
        notes += (f"A star on the line marks a figure quoted in a document on the same basis: {'; '.join(on_line)}.",)
    if foot or on_line:
        alt += f" Stars mark figures quoted in documents: {'; '.join(on_line + foot)}."
    return Chart(
        title=title,
        png=to_png(fig),
        alt=alt,
        source=source,
        table=table,
        table_caption=f"{measure_label} ({unit}): numbers behind the chart",
        notes=notes,
    )


def benchmark_table(
    bench: pd.DataFrame,
    area_name: str,
    region_name: str | None,
    sn_label: str,
    decimals: int,
    show: Sequence[str] = COMPARATORS,
    year_label: Callable[[int], str] = str,
) -> pd.DataFrame:
    rows = []
    # years before a series starts (no value for the area or any comparator, not even a marker) are left out
    empty = (
        bench[["area", "england", "region"]].isna().all(axis=1)
        & (bench["sn_n"] == 0)
        & ~bench["area_status"].isin(SUPPRESSED)
    )
    for _, r in bench[~empty].iterrows():
        rank = f"{r['rank']} of {r['rank_of']}" if pd.notna(r["rank"]) else "not ranked"
        sn_range = (
            f"{fmt(r['sn_min'], decimals)} to {fmt(r['sn_max'], decimals)} ({int(r['sn_n'])} with data)"
            if r["sn_n"] > 0
            else "no data"
        )
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


def _trend_alt(
    bench: pd.DataFrame, label: str, unit: str, decimals: int, area: str, region: str | None, sn_label: str, key: str
) -> str:
    have = bench[bench["area"].notna()]
    parts = [
        f"Line chart of {label} ({unit}) for {area} against England"
        f"{', ' + region if region else ''} and the {sn_label.lower()} median and range, "
        f"{bench['year'].min()} to {bench['year'].max()}."
    ]
    if have.empty:
        parts.append(f"{area} has no published value in this period.")
    else:
        first, last = have.iloc[0], have.iloc[-1]
        parts.append(
            f"{area} was {fmt(first['area'], decimals)} in {first['year']} and "
            f"{fmt(last['area'], decimals)} in {last['year']}; England was "
            f"{fmt(last['england'], decimals, last['england_status'])} in {last['year']}."
        )
    gaps = bench[bench["area"].isna()]["year"].tolist()
    if gaps and not have.empty:
        parts.append(f"No {area} value for {', '.join(map(str, gaps))}.")
    if key:
        parts.append(f"Vertical lines mark: {key}.")
    return " ".join(parts)
