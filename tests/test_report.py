"""The analysis behind the reports: benchmarks, comparators, findings, scorecard, finance, any area."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import report
from analysis.measures.catalogue import CSC_SPEND_PER_CHILD, HEADLINE, MEASURES
from analysis.measures.comparators import Area, Comparators
from analysis.measures.comparison import comparison_table
from analysis.present.format import fmt

pytestmark = pytest.mark.usefixtures("processed")  # report.context reads data/processed


def _area(code: str, la: str, name: str) -> Area:
    return Area(code, la, name, "local_authority", "E12000002", "North West", 2012, 2025)


def _values(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["area_code", "year", "value", "status"])


COMPS = Comparators(
    area=_area("E1", "001", "Here"),
    region=Area("R", "", "Region", "regional", None, None, 2012, 2025),
    neighbours=(_area("N1", "101", "One"), _area("N2", "102", "Two"), _area("N3", "103", "Three")),
    sn_model="2021",
    neighbour_aliases={"N1": ("N1", "N1new")},
)


def test_benchmark_median_range_rank_use_only_neighbours_with_data():
    vals = _values(
        [
            ("E1", 2020, 50.0, ""),
            ("E92000001", 2020, 40.0, ""),
            ("R", 2020, 45.0, ""),
            ("N1", 2020, 10.0, ""),
            ("N2", 2020, 30.0, ""),
            ("N3", 2020, np.nan, "c"),
        ]
    )
    b = comparison_table(vals, COMPS, 2020, 2020).iloc[0]
    assert b["sn_median"] == 20.0 and b["sn_min"] == 10.0 and b["sn_max"] == 30.0 and b["sn_n"] == 2
    assert (b["rank"], b["rank_of"]) == (1, 3)  # highest of itself and two neighbours with data
    assert b["england"] == 40.0 and b["region"] == 45.0


def test_benchmark_keeps_suppression_and_years_without_data():
    vals = _values([("E1", 2020, np.nan, "c"), ("N1", 2020, 5.0, "")])
    b = comparison_table(vals, COMPS, 2019, 2020)
    assert list(b["year"]) == [2019, 2020]
    assert np.isnan(b.loc[1, "area"]) and b.loc[1, "area_status"] == "c"
    assert b.loc[0, "area_status"] == "no data"
    assert pd.isna(b.loc[1, "rank"])


def test_benchmark_follows_a_neighbour_across_an_ons_code_change():
    vals = _values([("N1", 2019, 10.0, ""), ("N1new", 2020, 12.0, ""), ("E1", 2020, 1.0, "")])
    b = comparison_table(vals, COMPS, 2019, 2020)
    assert list(b["sn_n"]) == [1, 1] and list(b["sn_median"]) == [10.0, 12.0]


def test_a_missing_value_is_never_shown_as_zero():
    assert fmt(np.nan, 1, "c") == "c (suppressed)"
    # each marker in words by what it means: x is "not available" in DfE's current files and was a
    # suppressed small number before 2019; rounds-to-zero and derived statuses are not suppression
    assert fmt(np.nan, 1, "x") == "x (not available or suppressed)"
    assert fmt(np.nan, 1, "low") == "low (rounds to zero)"
    assert fmt(np.nan, 1, "no_population") == "not available"
    assert fmt(np.nan, 1, "") == "not available"
    assert fmt(np.nan, 1, "z") == "z (not applicable)"
    assert "0" not in fmt(np.nan, 0, "x")


@pytest.fixture(scope="module")
def blackpool() -> report.ReportContext:
    return report.context("890", 2012, 2022, "2021")


def test_blackpool_comparators_are_named_model_and_ten_neighbours(blackpool):
    assert blackpool.comps.region.name == "North West"
    assert len(blackpool.comps.neighbours) == 10
    assert blackpool.comps.sn_model == "2021"


def test_key_findings_carry_the_figures_from_the_extracts(blackpool):
    findings = report.key_findings_list(blackpool)
    # nothing computed is cut: the children on plans, one per headline measure, then the reported overspend
    assert len(findings) == 1 + len(HEADLINE) + 1
    spending = next(f for f in findings if f.startswith("Spending on children's social care per child"))
    assert "1,455 in 2018-19, 2,347 in 2021-22" in spending and CSC_SPEND_PER_CHILD.no_basis in spending
    assert findings[-1] == (
        "The council reported a children's services overspend of GBP 1.6 million in 2014-15 and GBP 4.4 million "
        "in 2021-22 (year-end outturns, council's own basis)."
    )
    assert findings[0].startswith(
        "At 31 March 2022, 296 children in Blackpool were on a child protection plan, 106.4 per 10,000"
    )
    caseload = next(f for f in findings if f.startswith("Caseload per social worker"))
    assert "20.4 in 2019, 16.7 in 2022" in caseload and "England 16.9 and 16.6" in caseload
    assert "improved" in caseload


def test_scorecard_says_in_words_whether_movement_is_an_improvement(blackpool):
    card = report.scorecard_frame(blackpool).set_index("Measure")
    caseload = card.loc["Average caseload per case-holding children's social worker (30 September)"]
    assert caseload["Latest"] == "16.7 (2022)" and caseload["England (latest)"] == "16.6"
    assert caseload["Movement"].startswith("Improved")
    cp = card.loc["Children on child protection plans per 10,000 children (31 March)"]
    assert cp["First"] == "104.2 (2012)"  # the 2012 value comes from the SFR27/2012 release
    assert "no direction is better" in cp["Movement"]


def test_source_line_names_each_release_behind_a_joined_series(blackpool):
    line = report.source_line(blackpool, MEASURES["cp_rate"])
    assert line.startswith("2012: ") and "SFR27/2012" in line and "2013-2022: " in line


def test_finance_chart_never_mixes_scopes_or_bases(blackpool):
    rows = report.finance_rows(blackpool)
    assert set(rows["basis"]) == {"council_reported"}
    chart = report.finance(blackpool).chart
    assert set(chart.table["Scope"]) <= {"Children's services (directorate)", "Children's social care only"}
    assert "whole council" in chart.notes[0]


def test_every_time_chart_marks_the_ofsted_milestones(blackpool):
    chart = report.trend(blackpool, "caseload").chart
    assert "ILACS: Inadequate (Jan 2019)" in chart.notes[0]
    assert "ILACS: Inadequate" in chart.alt and "Blackpool" in chart.title


def test_an_area_without_local_extracts_says_so_in_one_line():
    ctx = report.context("Hartlepool", 2012, 2022)
    out = report.finance(ctx)
    assert not out.charts and "No council finance figures are held for Hartlepool" in out.html
    assert report.timeline(ctx).chart.png  # Ofsted's official history still gives a timeline


def test_verdict_counts_only_clear_changes_in_measures_with_a_better_direction(blackpool):
    text = report.verdict(blackpool)
    assert text.startswith("Since the inadequate judgement of January 2019, 3 of the 5 headline measures")
    assert (
        "improved for Blackpool by 2022 beyond what chance alone produces (caseload per social worker, "
        "vacancy rate, agency worker rate); none worsened; 2 showed no clear change (second or subsequent "
        "plans, turnover rate)"
    ) in text
    # where no direction is better: against England, money with its currency
    assert "child protection plans per 10,000 children 106.4 in 2022 (2.5 times England's 43.3)" in text
    assert "per child GBP 2,347 in 2021-22 (2.4 times England's GBP 958)" in text


def test_repeat_plans_2019_to_2022_are_no_clear_change_and_not_counted_as_improved(blackpool):
    s = report.summaries(blackpool)["cp_repeat"]
    assert (s.base["year"], s.last["year"]) == (2019, 2022)
    iv = blackpool.intervals.set_index(["measure", "area_code", "year"])
    assert iv.loc[("cp_repeat", "E06000009", 2019), ["numerator", "denominator"]].tolist() == [124, 495]
    assert iv.loc[("cp_repeat", "E06000009", 2022), ["numerator", "denominator"]].tolist() == [94, 380]
    assert s.word == "no clear change" and not s.test.clear
    finding = next(f for f in report.key_findings_list(blackpool) if f.startswith("Second or subsequent plans"))
    assert "25.1 in 2019, 24.7 in 2022" in finding and "no clear change" in finding and "improved" not in finding
    card = report.scorecard_frame(blackpool).set_index("Measure")
    assert card.loc[s.measure.label, "Movement"].startswith("No clear change")


def test_fall_in_child_protection_rate_2019_to_2022_is_beyond_chance(blackpool):
    s = report.summaries(blackpool)["cp_rate"]
    assert (s.base["year"], s.last["year"]) == (2019, 2022)
    assert s.word == "fell" and s.test.clear and s.test.p_value < 0.001
    finding = next(f for f in report.key_findings_list(blackpool) if f.startswith("Child protection plans per"))
    assert "140.5 in 2019, 106.4 in 2022" in finding and "beyond what chance alone produces" in finding
    assert "95% interval for 2022: 94.6 to 119.2" in finding


def test_a_funnel_plot_for_every_headline_rate_and_percentage(blackpool):
    from analysis.report._funnel_section import HEADLINE_FUNNELS

    assert set(HEADLINE_FUNNELS) == {
        "cp_rate",
        "cin_rate",
        "cla_rate",
        "cp_repeat",
        "caseload",
        "vacancy",
        "agency",
        "turnover",
    }
    for measure_id in HEADLINE_FUNNELS:
        chart = report.funnel(blackpool, measure_id).chart
        assert chart.png and "Blackpool" in chart.alt and "Blackpool" in set(chart.table["Council"])
    cp = report.funnel(blackpool, "cp_rate").chart
    assert cp.table.iloc[0]["Position"] == "Well above" and "2022" in cp.title
    panels = report.funnel_panels(blackpool).chart  # the committee report's one figure: a panel per measure
    from analysis.present import stat_charts

    assert stat_charts._BACKGROUNDS  # every council drawn once per set of data; the area's marks added per report
    assert report.funnel_panels(blackpool).chart.png == panels.png
    assert len(panels.table) == len(HEADLINE_FUNNELS) and set(panels.table["Year"]) == {"2022"}
    assert panels.table.iloc[0][["Blackpool", "95% limits", "Position"]].tolist() == ["106.4", "17.4 to 69.2", "Well above"]
    assert report.funnel_sentence(blackpool, "cp_rate").startswith(
        "In 2022, Blackpool's child protection plans per 10,000 children (106.4) lay above the expected range"
    )


def test_deprivation_section_gives_observed_over_expected_for_every_year_2013_to_2022(blackpool):
    frame = report.deprivation_frame(blackpool)
    cp = frame[frame["measure"] == "cp_rate"].set_index("year")
    assert list(cp.index) == list(range(2013, 2023)) and cp["ratio"].notna().all()
    assert cp.loc[2022, "observed"] == 296  # the published count
    chart = report.deprivation_chart(blackpool).chart
    assert list(chart.table["Year"]) == [str(y) for y in range(2013, 2023)]
    sentence = report.deprivation_sentence(blackpool)
    assert sentence.startswith("In 2022, Blackpool had 296 children on child protection plans")
    assert "does not say why" in sentence


def test_isles_of_scilly_workforce_changes_are_too_small_to_call():
    ctx = report.context("Isles of Scilly", 2012, 2022)
    for measure_id in ("caseload", "vacancy", "agency", "turnover"):
        s = report.summaries(ctx)[measure_id]
        assert s.too_small and s.word == "no clear change", measure_id
    vacancy = report.scorecard_frame(ctx).set_index("Measure").loc["Social worker vacancy rate (30 September)"]
    assert vacancy["Movement"].startswith("No clear change: numbers too small to tell")
    assert "none worsened" in report.verdict(ctx) and "too small to tell" in report.verdict(ctx)


def test_bcp_judged_in_the_last_year_compares_from_its_first_year():
    ctx = report.context("839", 2012, 2022)
    text = report.verdict(ctx)
    assert text.startswith(
        "Since the first year with data (2019 to 2020), as the inadequate judgement of "
        "February 2022 falls in the latest year"
    )
    assert report.summaries(ctx)["vacancy"].base["year"] == 2019 and report.summaries(ctx)["vacancy"].word == "worsened"


def test_a_reorganised_area_says_where_its_series_breaks():
    notes = report.series_break_notes(report.context("839", 2012, 2022))
    assert len(notes) == 1 and "was created on 1 April 2019" in notes[0] and "never joined" in notes[0]
    assert report.series_break_notes(report.context("890", 2012, 2022)) == []


def test_comparators_parameter_chooses_what_charts_show():
    ctx = report.context("890", 2017, 2022, comparators_shown=["england"])
    chart = report.trend(ctx, "caseload").chart
    assert list(chart.table.columns) == ["Year", "Blackpool", "England"]
    with pytest.raises(ValueError, match="unknown comparators"):
        report.context("890", 2017, 2022, comparators_shown=["mars"])


def test_children_in_need_rate_is_a_headline_measure_end_to_end(blackpool):
    """One declaration: chart, interval, change test, funnel, deprivation panel, scorecard row and finding."""
    # 2,040 children in need at 31 March 2022 over 27,819 children aged 0-17 at 30 June 2021
    s = report.summaries(blackpool)["cin_rate"]
    assert fmt(s.last["area"], 1) == "733.3" == fmt(2040 / 27819 * 10_000, 1)
    assert (s.base["year"], s.word) == (2019, "fell") and s.test.clear  # 805.6 in 2019: beyond chance
    assert s.interval is not None and fmt(s.interval[0], 1) == "701.8"
    row = report.scorecard_frame(blackpool).set_index("Measure").loc["Children in need per 10,000 children (31 March)"]
    assert row["Latest"] == "733.3 (2022)" and row["95% interval (latest)"] == "701.8 to 765.8"
    assert any(f.startswith("Children in need per 10,000 children") for f in report.key_findings_list(blackpool))
    assert "children in need per 10,000 children 733.3 in 2022" in report.verdict(blackpool)
    assert report.funnel_sentence(blackpool, "cin_rate").startswith(
        "In 2022, Blackpool's children in need per 10,000 children (733.3) lay above the expected range"
    )
    assert "Children in need per 10,000 children (31 March)" in set(report.funnel_panels(blackpool).chart.table["Measure"])
    assert "Children in need" in report.deprivation_chart(blackpool).chart.table.columns
    assert report.trend(blackpool, "cin_rate").chart.title.startswith("Blackpool: children in need per 10,000 children")
