"""Trend charts of an area against its comparators, each returned as a ``Chart`` (PNG, alt text, table).

Every chart uses ``analysis.present.style``; data sit at their real reference date (31 March,
30 September) so Ofsted milestones fall in the right place; gaps in data stay gaps. The alt text,
the caption and the table under a chart are built from the lines it actually draws.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis.data.groups import COMPARATORS
from analysis.present import style
from analysis.present.figure import Callout, Milestone, draw_milestones, frame_figure, milestone_key, reference_dates, to_png
from analysis.present.format import SUPPRESSED, fmt
from analysis.present.html import Chart


@dataclass(frozen=True)
class TrendSpec:
    """Everything a trend chart needs besides its numbers, built once by the caller (``report.trend``).

    ``show``: the comparators the chart may draw (each drawn only where it has a value in the
    period). ``table_show``: those its table gives (default: ``show``), e.g. England's total for a
    count whose line would flatten the area's on a shared axis. ``year_label`` writes a year in the
    table ("2021-22" for a financial year).
    """

    title: str
    measure_label: str
    unit: str
    decimals: int
    month_day: tuple[int, int]
    area_name: str
    region_name: str | None
    sn_label: str
    source: str
    milestones: tuple[Milestone, ...] = ()
    callouts: tuple[Callout, ...] = ()
    show: tuple[str, ...] = COMPARATORS
    table_show: tuple[str, ...] | None = None
    year_label: Callable[[int], str] = str
    y_from_zero: bool = True


@dataclass(frozen=True)
class Lines:
    """Which comparators a chart draws, which its table gives, and which were asked for but have no value."""

    drawn: tuple[str, ...]
    tabled: tuple[str, ...]
    absent: tuple[str, ...]


def lines(bench: pd.DataFrame, spec: TrendSpec) -> Lines:
    """The comparators (in ``COMPARATORS`` order) drawn, tabled and absent for ``bench`` under ``spec``."""
    has = {
        "england": bool(bench["england"].notna().any()),
        "region": spec.region_name is not None and bool(bench["region"].notna().any()),
        "neighbours": bool((bench["sn_n"] > 0).any()),
    }
    table_show = spec.show if spec.table_show is None else spec.table_show
    return Lines(
        drawn=tuple(c for c in COMPARATORS if c in spec.show and has[c]),
        tabled=tuple(c for c in COMPARATORS if c in table_show and has[c]),
        absent=tuple(c for c in COMPARATORS if c in (*spec.show, *table_show) and not has[c]),
    )


def trend_chart(bench: pd.DataFrame, spec: TrendSpec) -> Chart:
    """The area against the comparators ``spec`` shows (England, region, neighbour median and range), milestones marked.

    ``bench`` is ``analysis.measures.comparison.comparison_table``'s frame: one row per year with
    area, england, region, sn_median, sn_min, sn_max, sn_n, rank, rank_of and their statuses.
    """
    shown = lines(bench, spec)
    years = bench["year"].tolist()
    x = reference_dates(years, spec.month_day)
    lo, hi = pd.Timestamp(int(min(years)), 1, 1), pd.Timestamp(int(max(years)), 12, 31)
    fig = plt.figure(figsize=(10.5, 5.6))
    ax = fig.add_axes((0.065, 0.24, 0.6, 0.58))
    _draw_series(ax, bench, spec, shown, x)
    on_line, foot = _draw_callouts(ax, spec.callouts, lo, hi)
    _draw_axes(ax, bench, spec, shown, lo, hi)
    _legend_and_frame(fig, ax, spec)
    key = milestone_key(spec.milestones, lo, hi)
    notes = ((f"Numbered lines: {key}.",) if key else ()) + (
        (f"Stars at the foot mark figures quoted in documents on a different basis from this series: {'; '.join(foot)}.",)
        if foot
        else ()
    )
    if on_line:
        notes += (f"A star on the line marks a figure quoted in a document on the same basis: {'; '.join(on_line)}.",)
    alt = trend_alt(bench, spec, shown, key)
    if foot or on_line:
        alt += f" Stars mark figures quoted in documents: {'; '.join(on_line + foot)}."
    return Chart(
        title=spec.title,
        png=to_png(fig),
        alt=alt,
        source=spec.source,
        table=benchmark_table(bench, spec, shown.tabled),
        table_caption=table_caption(spec, shown),
        notes=notes,
    )


def _draw_series(ax: plt.Axes, bench: pd.DataFrame, spec: TrendSpec, shown: Lines, x: pd.DatetimeIndex) -> None:
    """The neighbours' range as a band, then the comparators' lines, the area's line and its suppressed years."""
    if "neighbours" in shown.drawn:
        ax.fill_between(
            x,
            bench["sn_min"],
            bench["sn_max"],
            where=(bench["sn_n"] > 0).to_numpy(),
            color=style.BAND,
            linewidth=0,
            label=f"{spec.sn_label}: range",
            zorder=0,
            interpolate=False,
            step=None,
        )
    series = (
        ("sn_median", "neighbours", f"{spec.sn_label}: median"),
        ("region", "region", spec.region_name),
        ("england", "england", "England"),
        ("area", "area", spec.area_name),
    )
    for key, comparator, label in series:
        values = bench[key].astype("float64")
        if comparator in (*shown.drawn, "area") and values.notna().any():
            ax.plot(x, values, label=label, markersize=4 if key != "area" else 5.5, **style.ROLE_STYLE[key])
    suppressed = bench["area"].isna() & bench["area_status"].isin(SUPPRESSED)
    if suppressed.any():
        ax.scatter(
            x[suppressed.to_numpy()],
            np.zeros(int(suppressed.sum())),
            marker="x",
            color=style.DARK_PINK,
            zorder=6,
            label=f"{spec.area_name}: not published (marker in the table)",
            clip_on=False,
        )


STAR = {"s": 150, "color": style.ORANGE, "edgecolor": style.DARK_GREY, "zorder": 7}  # a quoted figure


def _draw_callouts(ax: plt.Axes, callouts: tuple[Callout, ...], lo: pd.Timestamp, hi: pd.Timestamp) -> tuple[list, list]:
    """Quoted figures as stars: on the line when on the same basis, else lettered at the foot. Returns their words."""
    foot: list[str] = []
    on_line: list[str] = []
    for c in callouts:
        if c.value is not None and not np.isnan(c.value):
            on_line.append(f"{c.date:%b %Y}, {c.label}")
            ax.scatter([c.date], [c.value], marker="*", label="Figure quoted in a document", **STAR)
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
    return on_line, foot


def _draw_axes(ax: plt.Axes, bench: pd.DataFrame, spec: TrendSpec, shown: Lines, lo: pd.Timestamp, hi: pd.Timestamp) -> None:
    """Years before the area's series starts in words, milestones, the time axis, a y axis fitting what is drawn."""
    first_year = bench.loc[bench["area"].notna(), "year"].min()
    if pd.notna(first_year) and first_year > bench["year"].min():
        ax.text(
            lo + (pd.Timestamp(int(first_year), *spec.month_day) - lo) / 2,
            0.5,
            f"No {spec.area_name} data\nbefore {first_year}",
            transform=ax.get_xaxis_transform(),
            ha="center",
            va="center",
            fontsize=9,
            color=style.MID_GREY,
        )
    draw_milestones(ax, spec.milestones, lo, hi)
    ax.set_xlim(lo, hi)
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    drawn = ["area"] + [{"neighbours": "sn_max"}.get(c, c) for c in shown.drawn]
    top = np.nanmax(bench[drawn].to_numpy(dtype="float64"), initial=0)
    if spec.milestones:
        ax.set_ylim(top=(top or 1) * 1.28)  # headroom for the milestone numbers inside the plot
    if spec.y_from_zero:
        ax.set_ylim(bottom=0)
    ax.set_ylabel(spec.unit)
    ax.set_xlabel(f"Reference date ({pd.Timestamp(2000, *spec.month_day):%d %B} each year)")


def _legend_and_frame(fig: plt.Figure, ax: plt.Axes, spec: TrendSpec) -> None:
    """Title and source around the figure, the measure above the plot, one legend entry per label."""
    frame_figure(fig, spec.title, spec.source)
    ax.set_title(spec.measure_label, fontsize=10, fontweight="normal", color=style.DARK_GREY, pad=6, loc="left")
    handles, labels = ax.get_legend_handles_labels()
    unique = dict(zip(labels, handles, strict=True))
    ax.legend(unique.values(), unique.keys(), loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8)


def _names(spec: TrendSpec, comparators: tuple[str, ...], neighbours: str) -> list[str]:
    words = {"england": "England", "region": spec.region_name or "the region", "neighbours": neighbours}
    return [words[c] for c in comparators]


def _and(names: list[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    return ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else "".join(names)


def trend_alt(bench: pd.DataFrame, spec: TrendSpec, shown: Lines, key: str) -> str:
    """Alt text naming only what the chart draws: the area, each comparator line with a value, milestones."""
    have = bench[bench["area"].notna()]
    against = _and(_names(spec, shown.drawn, f"the {spec.sn_label.lower()} median and range"))
    parts = [
        f"Line chart of {spec.measure_label} ({spec.unit}) for {spec.area_name}"
        f"{' against ' + against if against else ''}, {bench['year'].min()} to {bench['year'].max()}."
    ]
    if have.empty:
        parts.append(f"{spec.area_name} has no published value in this period.")
    else:
        first, last = have.iloc[0], have.iloc[-1]
        parts.append(
            f"{spec.area_name} was {fmt(first['area'], spec.decimals)} in {spec.year_label(first['year'])} and "
            f"{fmt(last['area'], spec.decimals)} in {spec.year_label(last['year'])}{_beside(spec, shown, last)}."
        )
    gaps = bench[bench["area"].isna()]["year"].tolist()
    if gaps and not have.empty:
        parts.append(f"No {spec.area_name} value for {', '.join(spec.year_label(y) for y in gaps)}.")
    if key:
        parts.append(f"Vertical lines mark: {key}.")
    return " ".join(parts)


def _beside(spec: TrendSpec, shown: Lines, last: pd.Series) -> str:
    """The first drawn comparator's value in the area's latest year: England, else the neighbours, else the region."""
    when = spec.year_label(last["year"])
    if "england" in shown.drawn:
        return f"; England was {fmt(last['england'], spec.decimals, last['england_status'])} in {when}"
    if "neighbours" in shown.drawn:
        median = fmt(last["sn_median"], spec.decimals) if last["sn_n"] > 0 else "not available"
        return f"; the neighbours' median was {median} in {when}"
    if "region" in shown.drawn:
        return f"; {spec.region_name} was {fmt(last['region'], spec.decimals, last['region_status'])} in {when}"
    return ""


def table_caption(spec: TrendSpec, shown: Lines) -> str:
    """The caption of the table under a trend chart: what it holds, and any comparator it gives but the chart does not."""
    caption = f"{spec.measure_label} ({spec.unit}): numbers behind the chart"
    only = tuple(c for c in shown.tabled if c not in shown.drawn)
    if only:
        names = _and(_names(spec, only, f"the {spec.sn_label.lower()}"))
        caption += (
            f"; {names} in the table only, not drawn (on a shared scale, totals that size would flatten "
            f"{spec.area_name}'s line)"
        )
    if shown.absent:
        names = _and(_names(spec, shown.absent, f"the {spec.sn_label.lower()}"))
        caption += f"; no figure for {names} in this period"
    return caption


def benchmark_table(bench: pd.DataFrame, spec: TrendSpec, tabled: tuple[str, ...]) -> pd.DataFrame:
    """Year by year: the area and the ``tabled`` comparators, formatted as DfE publishes (markers in words)."""
    rows = []
    # years before a series starts (no value for the area or any comparator, not even a marker) are left out
    empty = (
        bench[["area", "england", "region"]].isna().all(axis=1)
        & (bench["sn_n"] == 0)
        & ~bench["area_status"].isin(SUPPRESSED)
    )
    d = spec.decimals
    for _, r in bench[~empty].iterrows():
        row = {"Year": spec.year_label(int(r["year"])), spec.area_name: fmt(r["area"], d, r["area_status"])}
        if "england" in tabled:
            row["England"] = fmt(r["england"], d, r["england_status"])
        if "region" in tabled:
            row[spec.region_name] = fmt(r["region"], d, r["region_status"])
        if "neighbours" in tabled:
            with_data = r["sn_n"] > 0
            row[f"{spec.sn_label} median"] = fmt(r["sn_median"], d) if with_data else "no data"
            row[f"{spec.sn_label} range"] = (
                f"{fmt(r['sn_min'], d)} to {fmt(r['sn_max'], d)} ({int(r['sn_n'])} with data)" if with_data else "no data"
            )
            row["Rank among neighbours (1 = highest)"] = (
                f"{r['rank']} of {r['rank_of']}" if pd.notna(r["rank"]) else "not ranked"
            )
        rows.append(row)
    return pd.DataFrame(rows)
