"""Page one: units and dates in words, and the five answers generated from the data."""

from __future__ import annotations

import pytest

from analysis import report
from analysis.data.load import load
from analysis.present.words import date_at, quantity

pytestmark = pytest.mark.usefixtures("processed")  # report.context reads data/processed


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((31, "count", "vacant posts"), "31 vacant posts"),
        ((4.3, "gbp_m"), "GBP 4.3 million"),
        ((9, "gbp_m", "", "approximate"), "about GBP 9 million"),
        ((70, "pct"), "70%"),
        ((12.45, "pct"), "12.5%"),  # half up, as DfE rounds
        ((500, "count", "children", "lower_bound"), "more than 500 children"),
        ((184, "rate_per_10k"), "184 per 10,000 children"),
        ((41326, "gbp_thousands"), "GBP 41,326 thousand"),
    ],
)
def test_quantity_writes_units_in_words(args, expected):
    assert quantity(*args) == expected


def test_quantity_refuses_unknown_codes():
    with pytest.raises(ValueError, match="unknown unit 'gbp_bn'"):
        quantity(1, "gbp_bn")
    with pytest.raises(ValueError, match="unknown value bound"):
        quantity(1, "count", bound="roughly")


@pytest.mark.parametrize(
    ("date", "precision", "expected"),
    [
        ("2019-01-01", "year", "2019"),
        ("2020-01-01", "month", "January 2020"),
        ("2020-01-24", "day", "24 January 2020"),
        ("", "unknown", "date not stated"),
        (float("nan"), "month", "date not stated"),
    ],
)
def test_date_at_keeps_the_source_precision(date, precision, expected):
    assert date_at(date, precision) == expected


def test_quoted_figures_never_print_unit_codes_or_false_precision():
    page = report.quoted_figures(report.context(890, 2012, 2022)).html
    for code in (" count<", " gbp_m<", " pct<", "70.0", "2019-01-01", "2020-01-01"):
        assert code not in page
    assert "31 vacant posts" in page and "GBP 4.3 million" in page and "70%" in page
    assert "<td>January 2020</td>" in page and "<td>2019</td>" in page


def test_every_quoted_count_says_what_it_counts():
    q = load("quoted_figures")
    counts = q[q["unit"] == "count"]
    assert counts["count_of"].notna().all() and (q.loc[q["unit"] != "count", "count_of"].isna()).all()


def test_blackpool_five_answers_from_the_data():
    answers = report.five_answers_list(report.context(890, 2012, 2022))
    assert [q for q, _ in answers][0].startswith("Are social workers' caseloads")
    text = dict(answers)
    caseload, workforce, money, cp, ofsted = (a for _, a in answers)
    assert "16.7 cases per FTE in 2022" in caseload and "20.4 cases per FTE in 2019" in caseload
    assert "13.9% in 2022" in workforce and "12.4% in 2022" in workforce
    # the council's own latest outturn and the official figure are for the same financial year, the
    # last of the period (2022-23, after the period, is left out)
    assert "overspend of GBP 4.4 million at the end of 2021-22" in money and "in 2021-22" in money
    assert "2022-23" not in money
    assert "106.4" in cp and "31 March 2022" in cp and "similar councils' median 73.4" in cp
    assert "Inadequate, published 17 January 2019" in ofsted and "monitoring visit on 14 June 2022" in ofsted
    assert len(text) == 5


def test_five_answers_for_an_area_without_local_documents():
    answers = [a for _, a in report.five_answers_list(report.context("Isles of Scilly", 2012, 2022))]
    assert "no council-reported year-end overspend for Isles of Scilly" in answers[2]
    assert "Good, published 19 December 2019" in answers[4]


def test_five_answers_when_the_period_has_no_data():
    answers = [a for _, a in report.five_answers_list(report.context(890, 2012, 2013))]
    assert "No published caseload per social worker for Blackpool between 2012 and 2013" in answers[0]


def _claim(measure: str, kind: str = "lowest_in_years", year: int = 2019, n: int = 5):
    import pandas as pd

    return pd.Series(
        {
            "claim_id": "t",
            "area_code": "E06000009",
            "date": "2019-01-01",
            "date_precision": "year",
            "measure": measure,
            "claim": kind,
            "reference_year": year,
            "window_years": n,
            "description": "Members said the count was at a five-year low.",
            "source_id": "doc-scrutiny-2019-getting-to-good",
        }
    )


def _with_values(values: list[tuple[int, float, str]]):
    import dataclasses

    import pandas as pd

    ctx = report.context(890, 2012, 2022)
    frame = pd.DataFrame(
        [
            {"measure": "cp_count", "area_code": "E06000009", "year": y, "value": v, "status": s, "source_id": "x"}
            for y, v, s in values
        ]
    )
    return dataclasses.replace(ctx, values=frame)


def test_claim_borne_out_contradicted_or_unsettled():
    nan = float("nan")
    ok = report.check_claim(
        _with_values([(2015, 50, ""), (2016, 46, ""), (2017, 41, ""), (2018, 36, ""), (2019, 30, "")]), _claim("cp_count")
    )
    assert "bear this out: 30 in 2019 is the lowest of the 5" in ok
    assert "50 (2015), 46 (2016), 41 (2017), 36 (2018), 30 (2019)" in ok and "Blackpool Council" in ok
    assert "the 5 years to 31 March 2019" in ok and ", 2019)." in ok  # the minutes dated to the year only
    no = report.check_claim(
        _with_values([(2015, 20, ""), (2016, 46, ""), (2017, 41, ""), (2018, 36, ""), (2019, 30, "")]), _claim("cp_count")
    )
    assert "do not bear this out: the lowest was 20 in 2015, not 2019" in no
    gap = report.check_claim(
        _with_values([(2015, 50, ""), (2016, nan, "c"), (2017, 41, ""), (2018, 36, ""), (2019, 30, "")]), _claim("cp_count")
    )
    assert "cannot settle this: 2016 not available or suppressed" in gap and "c (suppressed) (2016)" in gap


def test_every_claim_names_a_catalogue_measure():
    from analysis.measures.catalogue import MEASURES

    assert set(load("claims")["measure"]) <= set(MEASURES)


def test_a_long_source_never_takes_more_than_two_lines_inside_a_chart():
    from analysis.present.figure import SOURCE_LINES, source_lines

    assert source_lines("DfE, Children in need") == "Source: DfE, Children in need"
    long = source_lines("DfE, a very long release title; " * 20)
    assert len(long.split("\n")) == SOURCE_LINES and long.endswith("(full source under the chart)")


def test_adoption_chart_draws_neighbours_only_and_its_table_keeps_england():
    chart = report.trend(report.context(890, 2012, 2022), "adoptions").chart
    assert "England" in chart.table.columns and "50" in set(chart.table["Blackpool"])
