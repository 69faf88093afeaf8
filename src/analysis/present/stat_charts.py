"""Charts of the statistics: funnel plots and observed/expected ratios, each returned as a ``Chart``.

Same style, framing and accessibility as ``analysis.present.charts``: the selected area stands out,
its statistical neighbours are marked, everything else is quiet; every chart carries alt text and
the table of numbers behind it (built by the caller, which knows the names).
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

from analysis.present import style
from analysis.present.figure import frame_figure, to_png
from analysis.present.format import fmt
from analysis.present.html import Chart

# (target, denominators, kind, scale, tau2, level) -> (lower, upper) limit curves
LimitsFn = Callable[[float, np.ndarray, str, float, float, float], tuple[np.ndarray, np.ndarray]]


@dataclass(frozen=True, eq=False)
class FunnelSpec:
    """How a funnel plot (or a grid of them) is drawn and described, built once by the caller (``report.funnel``).

    ``area_codes``: every code the area's rows may carry (an authority whose ONS code changed).
    ``limits(target, denominators, kind, scale, tau2, level) -> (lower, upper)`` draws the limit
    curves (``analysis.measures.funnel_limits.limits``; passed in, so drawing never depends on the
    statistics). ``alt``, ``table`` and ``table_caption`` describe what is drawn, in the caller's names.
    """

    area_codes: tuple[str, ...]
    neighbour_codes: tuple[str, ...]
    area_name: str
    sn_label: str
    title: str
    source: str
    alt: str
    table: pd.DataFrame
    table_caption: str
    limits: LimitsFn
    notes: tuple[str, ...] = ()
    x_label: str = ""  # one funnel's axes; a grid's panels carry their own
    y_label: str = ""

    def chart(self, png: bytes) -> Chart:
        return Chart(self.title, png, self.alt, self.source, self.table, self.table_caption, self.notes)


def funnel_chart(points: pd.DataFrame, spec: FunnelSpec) -> Chart:
    """Every authority's value against its denominator, with 95% and 99.8% limits around England.

    ``points`` is one measure-year of ``analysis.measures.funnel_limits.funnels`` (value, denominator,
    target, kind, scale, tau2). The limits are drawn over the range of denominators, log scale.
    """
    fig = plt.figure(figsize=(10.5, 5.6))
    ax = fig.add_axes((0.075, 0.2, 0.6, 0.62))
    _draw_limits(ax, points, spec.limits)
    _draw_councils(ax, points, spec)
    _funnel_axes(ax, spec)
    frame_figure(fig, spec.title, spec.source)
    return spec.chart(to_png(fig))


def _draw_limits(ax: plt.Axes, points: pd.DataFrame, limits: LimitsFn) -> None:
    """The 95% and 99.8% limit curves over the range of denominators, and England's value as a line."""
    target, kind, scale = float(points["target"].iloc[0]), points["kind"].iloc[0], float(points["scale"].iloc[0])
    tau2 = float(points["tau2"].iloc[0])
    grid = np.geomspace(points["denominator"].min() * 0.8, points["denominator"].max() * 1.25, 200)
    for level, dash, label in ((0.95, (0, (4, 3)), "95% limits"), (0.998, "solid", "99.8% limits")):
        lo, hi = limits(target, grid, kind, scale, tau2, level)
        ax.plot(grid, lo, color=style.MID_GREY, linestyle=dash, linewidth=1.2, label=label)
        ax.plot(grid, hi, color=style.MID_GREY, linestyle=dash, linewidth=1.2)
    ax.axhline(target, color=style.ORANGE, linewidth=1.6, label=f"England ({fmt(target, 1)})")


def _draw_councils(ax: plt.Axes, points: pd.DataFrame, spec: FunnelSpec) -> None:
    """Every other council quiet and grey, the neighbours as squares, the area as a labelled diamond."""
    others = points[~points["area_code"].isin([*spec.area_codes, *spec.neighbour_codes])]
    ax.scatter(
        others["denominator"],
        others["value"],
        s=14,
        color=style.LIGHT_GREY,
        edgecolor=style.MID_GREY,
        linewidth=0.4,
        label="Other local authorities",
        zorder=2,
    )
    sn = points[points["area_code"].isin(spec.neighbour_codes)]
    ax.scatter(sn["denominator"], sn["value"], s=34, marker="s", color=style.DARK_PINK, label=spec.sn_label, zorder=3)
    here = points[points["area_code"].isin(spec.area_codes)]
    diamond = {"s": 110, "marker": "D", "color": style.DARK_BLUE, "edgecolor": "white", "linewidth": 1, "zorder": 4}
    ax.scatter(here["denominator"], here["value"], label=spec.area_name, **diamond)
    for _, r in here.iterrows():
        ax.annotate(
            spec.area_name,
            xy=(r["denominator"], r["value"]),
            xytext=(8, 6),
            textcoords="offset points",
            fontsize=9,
            fontweight="bold",
            color=style.DARK_BLUE,
        )


def _funnel_axes(ax: plt.Axes, spec: FunnelSpec) -> None:
    """A log x axis labelled in plain numbers at 1, 2 and 5 times each power of ten; y from zero; the legend."""
    ax.set_xscale("log")
    # no minor ticks (also far quicker to draw)
    ax.xaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}" if v >= 1 else f"{v:g}"))
    ax.set_xlabel(spec.x_label)
    ax.set_ylabel(spec.y_label)
    ax.set_ylim(bottom=0)
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8)


@dataclass(frozen=True, eq=False)
class RatioSpec:
    """How the observed/expected chart is drawn and described, built once by the caller (``report.deprivation_chart``).

    ``panels``: (measure id, panel title), one panel each, in order.
    """

    panels: tuple[tuple[str, str], ...]
    area_name: str
    title: str
    source: str
    alt: str
    table: pd.DataFrame
    table_caption: str
    notes: tuple[str, ...] = ()


def ratio_chart(frame: pd.DataFrame, spec: RatioSpec) -> Chart:
    """Observed/expected by year, one panel per measure: the ratio as a line, the 95% prediction interval as a band.

    ``frame``: measure, year, ratio, pi_lo, pi_hi for the area. A ratio of 1 is what the area's
    deprivation predicts; the band is the range councils with that deprivation usually show.
    """
    fig = plt.figure(figsize=(10.5, 4.8))
    width = 0.86 / len(spec.panels)
    top = max(float(np.nanmax(frame[["ratio", "pi_hi"]].to_numpy(dtype="float64"), initial=1.0)) * 1.12, 2.0)
    for i, (measure, label) in enumerate(spec.panels):
        ax = fig.add_axes((0.07 + i * width, 0.2, width - 0.04, 0.6))
        _ratio_panel(ax, frame[frame["measure"] == measure].sort_values("year"), label, top, first=i == 0)
    handles = [
        Line2D([], [], color=style.DARK_BLUE, marker="o", label=f"{spec.area_name}: observed / expected"),
        Line2D([], [], color=style.BAND, linewidth=8, label="95% prediction interval"),
        Line2D([], [], color=style.DARK_GREY, label="As deprivation predicts (1.0)"),
    ]
    fig.legend(handles=handles, loc="lower right", ncol=3, fontsize=8, bbox_to_anchor=(0.99, 0.06))
    frame_figure(fig, spec.title, spec.source)
    return Chart(spec.title, to_png(fig), spec.alt, spec.source, spec.table, spec.table_caption, spec.notes)


def _ratio_panel(ax: plt.Axes, sel: pd.DataFrame, label: str, top: float, first: bool) -> None:
    """One measure's ratios by year: the band, the line at 1.0, the area's line; y labelled on the first panel only."""
    ax.fill_between(sel["year"], sel["pi_lo"], sel["pi_hi"], color=style.BAND, linewidth=0, step=None)
    ax.axhline(1.0, color=style.DARK_GREY, linewidth=1)
    ax.plot(sel["year"], sel["ratio"], marker="o", markersize=4.5, color=style.DARK_BLUE, linewidth=2)
    ax.set_ylim(0, top)
    ax.set_title(label, fontsize=10, loc="left")
    years = sel["year"].dropna().astype(int)
    if not years.empty:
        ax.set_xticks(range(years.min(), years.max() + 1, 2 if years.max() - years.min() > 6 else 1))
    if first:
        ax.set_ylabel("Observed / expected from deprivation")
    else:
        ax.tick_params(labelleft=False)


def _funnel_panel(ax: plt.Axes, points: pd.DataFrame, limits: LimitsFn) -> None:
    """One small funnel, every council grey (``funnel_grid`` adds the area's and neighbours' marks on top).

    The x axis is log10 of the denominator on a linear axis, labelled in plain numbers (the same
    picture as a log axis, much quicker to draw seven times).
    """
    target, kind, scale = float(points["target"].iloc[0]), points["kind"].iloc[0], float(points["scale"].iloc[0])
    grid = np.geomspace(points["denominator"].min() * 0.8, points["denominator"].max() * 1.25, 120)
    gx = np.log10(grid)
    for level, dash in ((0.95, (0, (4, 3))), (0.998, "solid")):
        lo, hi = limits(target, grid, kind, scale, float(points["tau2"].iloc[0]), level)
        ax.plot(gx, lo, color=style.MID_GREY, linestyle=dash, linewidth=1)
        ax.plot(gx, hi, color=style.MID_GREY, linestyle=dash, linewidth=1)
    ax.axhline(target, color=style.ORANGE, linewidth=1.4)
    x = np.log10(points["denominator"].to_numpy(dtype="float64"))
    ax.plot(x, points["value"].to_numpy(dtype="float64"), "o", markersize=2.6, color=style.LIGHT_GREY, zorder=2)
    ticks = range(int(np.floor(gx.min())), int(np.ceil(gx.max())) + 1)
    ax.set_xticks(list(ticks), [f"{10**k:,.0f}" if k >= 0 else f"{10.0**k:g}" for k in ticks])
    ax.set_xlim(gx.min(), gx.max())
    ax.set_ylim(bottom=0)
    ax.tick_params(labelsize=7.5)


# Rendered backgrounds of funnel grids (every council grey, limits, axes, panel titles), keyed by the
# data drawn: the same for every area's report in a build, so a kernel that runs many reports draws
# them once and then only adds the area's and neighbours' marks. Bounded; cleared when full.
_BACKGROUNDS: dict[tuple, tuple[np.ndarray, list[tuple]]] = {}
_BACKGROUNDS_MAX = 8


def _grid_rects(n: int) -> tuple[tuple[float, float], list[tuple[float, float, float, float]]]:
    cols = 4
    rows = -(-n // cols)
    height = 0.78 / rows
    rects = [(0.05 + (i % cols) * 0.24, 0.91 - (i // cols + 1) * height + 0.06, 0.19, height - 0.13) for i in range(n)]
    return (10.5, 2.9 * rows + 1.3), rects


def _grid_key(panels: Sequence[tuple[pd.DataFrame, str, str]], size: tuple[float, float]) -> tuple:
    return (
        size,
        plt.rcParams["figure.dpi"],
        *(
            (
                label,
                x_label,
                len(p),
                float(p["value"].sum()),
                float(p["denominator"].sum()),
                float(p["target"].iloc[0]),
                float(p["tau2"].iloc[0]),
            )
            for p, label, x_label in panels
        ),
    )


def _grid_background(panels: Sequence[tuple[pd.DataFrame, str, str]], limits: LimitsFn) -> tuple[np.ndarray, list]:
    """(RGBA pixels, per panel (rect, xlim, ylim)) of the grid with every council as a grey point."""
    size, rects = _grid_rects(len(panels))
    key = _grid_key(panels, size)
    if key not in _BACKGROUNDS:
        fig = plt.figure(figsize=size)
        frames = []
        for rect, (points, label, x_label) in zip(rects, panels, strict=True):
            ax = fig.add_axes(rect)
            _funnel_panel(ax, points, limits)
            ax.set_title(textwrap_short(label), fontsize=8.5, loc="left")
            ax.set_xlabel(x_label, fontsize=7.5)
            frames.append((rect, ax.get_xlim(), ax.get_ylim()))
        fig.canvas.draw()
        pixels = np.asarray(fig.canvas.buffer_rgba()).copy()
        plt.close(fig)
        if len(_BACKGROUNDS) >= _BACKGROUNDS_MAX:
            _BACKGROUNDS.clear()
        _BACKGROUNDS[key] = (pixels, frames)
    return _BACKGROUNDS[key]


def funnel_grid(panels: Sequence[tuple[pd.DataFrame, str, str]], spec: FunnelSpec) -> Chart:
    """Small multiples: one funnel plot per measure (``panels``: points, panel title, x-axis label), one image.

    Cheaper to draw and lighter to send than one figure per measure; the same marks as ``funnel_chart``.
    The panels without the area's marks are drawn once per set of data (``_grid_background``); each
    report adds its area and neighbours on top, at the same places in the figure.
    """
    size, _ = _grid_rects(len(panels))
    pixels, frames = _grid_background(panels, spec.limits)
    fig = plt.figure(figsize=size)
    fig.figimage(pixels, 0, 0, origin="upper", zorder=0)
    over = fig.add_axes((0, 0, 1, 1), zorder=2)  # above the image (a figure draws its images after its axes)
    over.set_axis_off()
    over.set_xlim(0, 1)
    over.set_ylim(0, 1)
    for (rect, (x0, x1), (y0, y1)), (points, _, _) in zip(frames, panels, strict=True):
        for codes, marker, size_, colour, edge in (
            (spec.neighbour_codes, "s", 4, style.DARK_PINK, style.DARK_PINK),
            (spec.area_codes, "D", 7, style.DARK_BLUE, "white"),  # any of the area's codes marks it
        ):
            sel = points[points["area_code"].isin(codes)]
            fx = rect[0] + (np.log10(sel["denominator"].to_numpy(dtype="float64")) - x0) / (x1 - x0) * rect[2]
            fy = rect[1] + (sel["value"].to_numpy(dtype="float64") - y0) / (y1 - y0) * rect[3]
            over.plot(fx, fy, marker, markersize=size_, color=colour, markeredgecolor=edge, zorder=3)
    _grid_legend(fig, len(panels), spec)
    frame_figure(fig, spec.title, spec.source)
    return spec.chart(to_png(fig))


def _grid_legend(fig: plt.Figure, n: int, spec: FunnelSpec) -> None:
    """One legend for every panel, under the last row (one row of six when the last row is full)."""
    handles = [
        Line2D([], [], color=style.ORANGE, label="England"),
        Line2D([], [], color=style.MID_GREY, linestyle=(0, (4, 3)), label="95% limits"),
        Line2D([], [], color=style.MID_GREY, label="99.8% limits"),
        Line2D([], [], marker="o", linestyle="", color=style.LIGHT_GREY, label="Other councils"),
        Line2D([], [], marker="s", linestyle="", color=style.DARK_PINK, label=spec.sn_label),
        Line2D([], [], marker="D", linestyle="", color=style.DARK_BLUE, label=spec.area_name),
    ]
    rows = -(-n // 4)
    fig.legend(
        handles=handles,
        loc="lower right",
        fontsize=8,
        bbox_to_anchor=(0.99, 0.09 if rows > 1 else 0.1),
        ncol=1 if n % 4 else 6,
    )


def textwrap_short(text: str, width: int = 34) -> str:
    return "\n".join(textwrap.wrap(text, width)[:2])
