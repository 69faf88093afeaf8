"""One chart style for every notebook and report: palette, fonts, milestone markers, source line.

Colours are the Government Analysis Function's colour-blind-safe categorical palette; the
selected area is always the strongest colour, comparators are quieter. Meaning is never carried
by colour alone: lines also differ in marker and dash, and every chart has a table and alt text.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # charts are rendered to PNG bytes; never depend on a display

import matplotlib.pyplot as plt  # noqa: E402

DARK_BLUE = "#12436D"
TURQUOISE = "#28A197"
DARK_PINK = "#801650"
ORANGE = "#F46A25"
DARK_GREY = "#3D3D3D"
MID_GREY = "#707070"
LIGHT_GREY = "#BFBFBF"
BAND = "#D9E6F2"

# role -> how a series is drawn (colour, line style, marker, width, zorder)
ROLE_STYLE: dict[str, dict] = {
    "area": {"color": DARK_BLUE, "linestyle": "-", "marker": "o", "linewidth": 2.6, "zorder": 5},
    "england": {"color": ORANGE, "linestyle": "--", "marker": "s", "linewidth": 1.6, "zorder": 4},
    "region": {"color": TURQUOISE, "linestyle": "-.", "marker": "^", "linewidth": 1.6, "zorder": 3},
    "sn_median": {"color": DARK_PINK, "linestyle": ":", "marker": "D", "linewidth": 1.8, "zorder": 3},
}

# Ofsted judgement -> fill colour for the timeline (text labels always shown too)
JUDGEMENT_COLOURS: dict[str, str] = {
    "Outstanding": "#1D6A3A",
    "Good": TURQUOISE,
    "Requires improvement to be good": "#F4B183",
    "Requires improvement": "#F4B183",
    "Inadequate": DARK_PINK,
}

FIGSIZE = (8.6, 4.4)
DPI = 96


def apply() -> None:
    """Set matplotlib defaults once per process (idempotent)."""
    plt.rcParams.update(
        {
            "figure.figsize": FIGSIZE,
            "figure.dpi": DPI,
            "savefig.dpi": DPI,
            "font.family": "DejaVu Sans",
            "font.size": 10,
            "axes.titlesize": 12,
            "axes.titleweight": "bold",
            "axes.titlelocation": "left",
            "axes.labelsize": 10,
            "axes.labelcolor": DARK_GREY,
            "axes.edgecolor": MID_GREY,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "axes.grid.axis": "y",
            "grid.color": "#E3E3E3",
            "grid.linewidth": 0.8,
            "xtick.color": DARK_GREY,
            "ytick.color": DARK_GREY,
            "legend.frameon": False,
            "legend.fontsize": 9,
            "svg.hashsalt": "analysis",
            "path.simplify": True,
        }
    )


apply()
