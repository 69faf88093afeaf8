"""Words that match the chart: alt text, captions and table headers name only the lines a trend chart draws.

Every combination of the ``comparators`` parameter, and the siblings no parameter chooses: a measure
charted against its neighbours only (adoptions), a comparator with no figure in the period (no
regional spending is published), and a series whose neighbours have no data.
"""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pandas as pd
import pytest

from analysis import report
from analysis.data.groups import COMPARATORS
from analysis.present import charts

pytestmark = pytest.mark.usefixtures("processed")

SN = "statistical neighbours (2021 model)"
NEIGHBOUR_COLUMNS = {
    "Statistical neighbours (2021 model) median",
    "Statistical neighbours (2021 model) range",
    "Rank among neighbours (1 = highest)",
}


@pytest.fixture(scope="module")
def blackpool() -> report.ReportContext:
    return report.context("890", 2012, 2022, "2021")


def _columns(shown: tuple[str, ...]) -> set[str]:
    out = {"Year", "Blackpool"}
    out |= {"England"} if "england" in shown else set()
    out |= {"North West"} if "region" in shown else set()
    return out | (NEIGHBOUR_COLUMNS if "neighbours" in shown else set())


@pytest.mark.parametrize(
    "shown", [c for n in (1, 2, 3) for c in itertools.combinations(COMPARATORS, n)], ids=lambda c: "+".join(c)
)
def test_each_comparator_choice_is_named_in_the_alt_text_caption_and_table_only_if_drawn(blackpool, shown):
    ctx = dataclasses.replace(blackpool, show=shown)
    chart = report.trend(ctx, "cp_rate").chart
    against = chart.alt.split(", 2012 to 2022.")[0]
    assert ("England" in against) == ("england" in shown)
    assert ("North West" in against) == ("region" in shown)
    assert (f"the {SN} median and range" in against) == ("neighbours" in shown)
    # the latest comparator value spoken is one that is drawn
    assert ("England was 43.3 in 2022" in chart.alt) == ("england" in shown)
    assert set(chart.table.columns) == _columns(shown)
    assert "table only" not in chart.table_caption and "no figure" not in chart.table_caption
    changes = report.changes_table(ctx, "cp_rate")
    assert ("Gap to England" in changes.columns) == ("england" in shown)
    assert ("Gap to neighbour median" in changes.columns) == ("neighbours" in shown)


def test_england_only_says_nothing_of_neighbours_anywhere_under_the_chart(blackpool):
    chart = report.trend(dataclasses.replace(blackpool, show=("england",)), "caseload").chart
    assert chart.alt.startswith(
        "Line chart of Average caseload per case-holding children's social worker (30 September) (cases per FTE) "
        "for Blackpool against England, 2012 to 2022. Blackpool was"
    )
    words = " ".join([chart.alt, chart.table_caption, *chart.notes, *chart.table.columns])
    assert "neighbour" not in words.lower() and "North West" not in words


def test_a_measure_charted_with_its_neighbours_only_keeps_england_and_the_region_in_its_table(blackpool):
    chart = report.trend(blackpool, "adoptions").chart
    assert f"for Blackpool against the {SN} median and range, 2012 to 2022." in chart.alt
    assert "England" not in chart.alt.split("Vertical lines")[0]  # England's total is not drawn
    assert "; the neighbours' median was " in chart.alt
    assert {"England", "North West"} <= set(chart.table.columns)
    assert "England and North West in the table only, not drawn" in chart.table_caption
    # England chosen alone: the chart draws Blackpool alone, and says so
    alone = report.trend(dataclasses.replace(blackpool, show=("england",)), "adoptions").chart
    assert alone.alt.startswith("Line chart of Children adopted from care (year to 31 March) (children) for Blackpool, 2012")
    assert list(alone.table.columns) == ["Year", "Blackpool", "England"]
    assert alone.table_caption.endswith(
        "England in the table only, not drawn (on a shared scale, totals that size would flatten Blackpool's line)"
    )


def test_a_comparator_with_no_figure_in_the_period_is_not_named_as_drawn(blackpool):
    # revenue outturn publishes no regional spending per child: no North West line, column or claim
    chart = report.trend(blackpool, "csc_spend_per_child").chart
    assert "North West" not in chart.alt and "North West" not in chart.table.columns
    assert f"for Blackpool against England and the {SN} median and range" in chart.alt
    assert chart.table_caption.endswith("; no figure for North West in this period")
    assert (
        "Blackpool was 972 in 2012-13 and 2,347 in 2021-22; England was 958 in 2021-22" in chart.alt
    )  # its years as tabled


def _bench(sn_n: int) -> pd.DataFrame:
    years = [2020, 2021, 2022]
    return pd.DataFrame(
        {
            "year": years,
            "area": [10.0, 11.0, 12.0],
            "area_status": "",
            "england": [8.0, 8.5, 9.0],
            "england_status": "",
            "region": np.nan,
            "region_status": "",
            "sn_median": [9.0] * 3 if sn_n else np.nan,
            "sn_min": [7.0] * 3 if sn_n else np.nan,
            "sn_max": [11.0] * 3 if sn_n else np.nan,
            "sn_n": sn_n,
            "rank": [2] * 3 if sn_n else np.nan,
            "rank_of": sn_n + 1,
        }
    )


def _spec(**kw) -> charts.TrendSpec:
    base = {
        "title": "Here: a title",
        "measure_label": "A rate",
        "unit": "per 10,000 children",
        "decimals": 1,
        "month_day": (3, 31),
        "area_name": "Here",
        "region_name": "Somewhere",
        "sn_label": "Statistical neighbours (2021 model)",
        "source": "A source",
    }
    return charts.TrendSpec(**{**base, **kw})


def test_a_series_whose_neighbours_have_no_data_draws_and_names_none():
    bench = _bench(sn_n=0)
    shown = charts.lines(bench, _spec())
    assert shown == charts.Lines(drawn=("england",), tabled=("england",), absent=("region", "neighbours"))
    chart = charts.trend_chart(bench, _spec())
    assert chart.alt.startswith("Line chart of A rate (per 10,000 children) for Here against England, 2020 to 2022.")
    assert list(chart.table.columns) == ["Year", "Here", "England"]
    assert chart.table_caption.endswith(f"; no figure for Somewhere and the {SN} in this period")
    with_neighbours = charts.trend_chart(_bench(sn_n=5), _spec(region_name=None))
    assert f"against England and the {SN} median and range" in with_neighbours.alt
    assert "Statistical neighbours (2021 model) median" in with_neighbours.table.columns


def test_a_chart_with_no_comparator_drawn_describes_the_area_alone():
    chart = charts.trend_chart(_bench(sn_n=5), _spec(show=(), table_show=("england", "neighbours")))
    assert chart.alt.startswith("Line chart of A rate (per 10,000 children) for Here, 2020 to 2022. Here was 10.0 in 2020")
    assert "England was" not in chart.alt and "median was" not in chart.alt
    assert f"England and the {SN} in the table only, not drawn" in chart.table_caption
