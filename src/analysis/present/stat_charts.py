"""Charts of the statistics: funnel plots and observed/expected ratios, each returned as a ``Chart``.

Same style, framing and accessibility as ``analysis.present.charts``: the selected area stands out,
its statistical neighbours are marked, everything else is quiet; every chart carries alt text and
the table of numbers behind it (built by the caller, which knows the names).
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from analysis.measures.funnel import limits
from analysis.present import style
from analysis.present.charts import _frame, _png
from analysis.present.html import Chart


def funnel_chart(points: pd.DataFrame, *, area_code: str, neighbour_codes: Sequence[str], area_name: str,
                 sn_label: str, title: str, x_label: str, y_label: str, source: str, alt: str,
                 table: pd.DataFrame, table_caption: str, notes: tuple[str, ...] = ()) -> Chart:
    """Every authority's value against its denominator, with 95% and 99.8% limits around England.

    ``points`` is one measure-year of ``analysis.measures.funnel.funnels`` (value, denominator,
    target, kind, scale, tau2). The limits are drawn over the range of denominators, log scale.
    """
    target, kind, scale = float(points["target"].iloc[0]), points["kind"].iloc[0], float(points["scale"].iloc[0])
    tau2 = float(points["tau2"].iloc[0])
    fig = plt.figure(figsize=(10.5, 5.6))
    ax = fig.add_axes((0.075, 0.2, 0.6, 0.62))
    grid = np.geomspace(points["denominator"].min() * 0.8, points["denominator"].max() * 1.25, 200)
    for level, dash, label in ((0.95, (0, (4, 3)), "95% limits"), (0.998, "solid", "99.8% limits")):
        lo, hi = limits(target, grid, kind, scale, tau2, level)
        ax.plot(grid, lo, color=style.MID_GREY, linestyle=dash, linewidth=1.2, label=label)
        ax.plot(grid, hi, color=style.MID_GREY, linestyle=dash, linewidth=1.2)
    ax.axhline(target, color=style.ORANGE, linewidth=1.6, label=f"England ({target:,.1f})")
    others = points[~points["area_code"].isin([area_code, *neighbour_codes])]
    ax.scatter(others["denominator"], others["value"], s=14, color=style.LIGHT_GREY, edgecolor=style.MID_GREY,
               linewidth=0.4, label="Other local authorities", zorder=2)
    sn = points[points["area_code"].isin(neighbour_codes)]
    ax.scatter(sn["denominator"], sn["value"], s=34, marker="s", color=style.DARK_PINK, label=sn_label, zorder=3)
    here = points[points["area_code"] == area_code]
    ax.scatter(here["denominator"], here["value"], s=110, marker="D", color=style.DARK_BLUE, edgecolor="white",
               linewidth=1, label=area_name, zorder=4)
    for _, r in here.iterrows():
        ax.annotate(area_name, xy=(r["denominator"], r["value"]), xytext=(8, 6), textcoords="offset points",
                    fontsize=9, fontweight="bold", color=style.DARK_BLUE)
    ax.set_xscale("log")
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    ax.set_ylim(bottom=0)
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8)
    _frame(fig, title, source)
    return Chart(title=title, png=_png(fig), alt=alt, source=source, table=table, table_caption=table_caption,
                 notes=notes)


def ratio_chart(frame: pd.DataFrame, *, panels: Sequence[tuple[str, str]], area_name: str, title: str,
                source: str, alt: str, table: pd.DataFrame, table_caption: str, notes: tuple[str, ...] = ()) -> Chart:
    """Observed/expected by year, one panel per measure: the ratio as a line, the 95% prediction interval as a band.

    ``frame``: measure, year, ratio, pi_lo, pi_hi for the area. ``panels``: (measure id, panel title).
    A ratio of 1 is what the area's deprivation predicts; the band is the range councils with that
    deprivation usually show.
    """
    fig = plt.figure(figsize=(10.5, 4.8))
    width = 0.86 / len(panels)
    top = max(float(np.nanmax(frame[["ratio", "pi_hi"]].to_numpy(dtype="float64"), initial=1.0)) * 1.12, 2.0)
    handles = []
    for i, (measure, label) in enumerate(panels):
        ax = fig.add_axes((0.07 + i * width, 0.2, width - 0.04, 0.6))
        sel = frame[frame["measure"] == measure].sort_values("year")
        ax.fill_between(sel["year"], sel["pi_lo"], sel["pi_hi"], color=style.BAND, linewidth=0, step=None)
        ax.axhline(1.0, color=style.DARK_GREY, linewidth=1)
        ax.plot(sel["year"], sel["ratio"], marker="o", markersize=4.5, color=style.DARK_BLUE, linewidth=2)
        ax.set_ylim(0, top)
        ax.set_title(label, fontsize=10, loc="left")
        years = sel["year"].dropna().astype(int)
        if not years.empty:
            ax.set_xticks(range(years.min(), years.max() + 1, 2 if years.max() - years.min() > 6 else 1))
        if i == 0:
            ax.set_ylabel("Observed / expected from deprivation")
        else:
            ax.tick_params(labelleft=False)
    handles = [Line2D([], [], color=style.DARK_BLUE, marker="o", label=f"{area_name}: observed / expected"),
               Line2D([], [], color=style.BAND, linewidth=8, label="95% prediction interval"),
               Line2D([], [], color=style.DARK_GREY, label="As deprivation predicts (1.0)")]
    fig.legend(handles=handles, loc="lower right", ncol=3, fontsize=8, bbox_to_anchor=(0.99, 0.06))
    _frame(fig, title, source)
    return Chart(title=title, png=_png(fig), alt=alt, source=source, table=table, table_caption=table_caption,
                 notes=notes)
