"""Every area and every period: one geography of authorities, requests checked first, DfE rounding.

Figures are checked against the official files (shared/data/dfe) they come from.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest

from analysis import paths, report
from analysis.cli import EXIT_BAD_INPUT, main
from analysis.data.geography import geography
from analysis.data.load import load
from analysis.data.periods import parse_year
from analysis.data.specs.authority_changes import CHANGES
from analysis.errors import RequestError
from analysis.measures.catalogue import MEASURES
from analysis.measures.request import check_request
from analysis.present.format import fmt, round_half_up
from analysis.publish.plan import plan_targets

pytestmark = pytest.mark.usefixtures("processed")  # report.context reads data/processed

RAW = paths.DATA_RAW


@pytest.fixture(scope="module")
def geo():
    return geography()


# ------------------------------------------------------------------ the geography itself


def test_a_same_authority_code_change_is_one_authority_with_dated_codes(geo):
    barnsley = geo.find("E08000038")
    assert barnsley is geo.find("370") is geo.find("E08000016") is geo.find("Barnsley")
    assert barnsley.ons_codes == ("E08000016", "E08000038")
    assert barnsley.code_on("2025-03-31") == "E08000016" and barnsley.code_on("2025-09-30") == "E08000038"
    assert geo.find("815").codes_line() == "ONS codes E10000023 (to 2023-03-31), E06000065 (from 2023-04-01)"
    assert (geo.find("933").first_year, geo.find("933").last_year) == (2012, 2025)


def test_mergers_and_splits_end_and_start_authorities(geo):
    cumbria, cumberland = geo.find("909"), geo.find("Cumberland")
    assert (cumbria.last_year, cumberland.first_year) == (2023, 2023)
    assert [u.la_code for u in cumbria.successors] == ["942", "943"]
    assert [u.la_code for u in cumberland.predecessors] == ["909"]
    assert geo.find("Dorset", 2012, 2018).la_code == "835" and geo.find("Dorset", 2020, 2022).la_code == "838"
    with pytest.raises(ValueError, match="matches several"):
        geo.find("Dorset")  # no period: ask for the DfE code


def test_existence_comes_from_values_and_the_change_list_never_from_z_rows(geo):
    areas = load("areas").set_index("area_code")
    # DfE writes z (not applicable) for Cumbria and Northamptonshire in 2024-2025 rows: not counted
    assert areas.loc["E10000006", "last_year"] == 2023 and areas.loc["E10000021", "last_year"] == 2021
    existing = {a.la_code for a in geo.existing(2024, 2025)}
    assert len(existing) == 153 and not existing & {"909", "928", "835", "836", "837"}
    # every year an authority has a value lies within the years the geography says it existed
    las = areas[areas["geographic_level"] == "local_authority"]
    for code, row in las.iterrows():
        auth = geo.by_ons_code(code)
        assert auth.first_year <= row["first_year"] and row["last_year"] <= auth.last_year, code


def test_every_dfe_code_with_two_ons_codes_is_a_declared_same_authority_change(geo):
    las = load("areas").query("geographic_level == 'local_authority'")
    doubled = set(las.groupby("la_code")["area_code"].nunique().loc[lambda s: s > 1].index)
    declared = {u.la_code for c in CHANGES if c.same_authority for u in c.before}
    assert doubled == {"370", "373", "815", "825", "933"} and doubled <= declared


# ------------------------------------------------------------------ requests checked before anything runs


@pytest.mark.parametrize("text, year", [(2023, 2023), ("2023", 2023), ("202223", 2023), ("2022-23", 2023)])
def test_a_period_as_dfe_writes_it_is_the_year_ending(text, year):
    assert parse_year(text) == year


def test_an_unreadable_year_says_how_to_write_it():
    with pytest.raises(RequestError, match="write the year ending, e.g. 2023 for 2022-23"):
        parse_year("202224")


@pytest.mark.parametrize("start, end", [(2026, 2030), (1066, 1999), (2010, 2022)])
def test_a_period_outside_the_data_says_which_years_it_holds(start, end):
    with pytest.raises(RequestError, match=r"outside the years the data holds \(2012-2025\)"):
        check_request("890", start, end)


def test_an_authority_that_did_not_exist_names_its_predecessor():
    with pytest.raises(RequestError, match=r"Cumberland \(942\) did not exist in 2012-2020.*Cumbria \(909\)"):
        check_request("Cumberland", 2012, 2020)
    with pytest.raises(RequestError, match=r"Cumbria \(909\) did not exist in 2024-2025.*Cumberland \(942\)"):
        check_request("909", 2024, 2025)


def test_an_authority_the_model_lacks_uses_the_model_that_has_it_and_says_so():
    req = check_request("942", 2024, 2025, "2021")
    assert req.sn_model == "2025" and "not in DfE's 2021 statistical neighbour model" in req.sn_note
    ctx = report.context("942", 2024, 2025, "2021")
    assert len(ctx.comps.neighbours) == 10 and "2025 model" in report.header(ctx, "x").html


# ------------------------------------------------------------------ one series across a code change


def test_barnsley_in_the_2025_model_has_ten_neighbours_and_its_2025_caseload():
    ctx = report.context("E08000038", 2012, 2025, "2025")
    assert ctx.area.la_code == "370" and len(ctx.comps.neighbours) == 10
    b = report.bench(ctx, "caseload").set_index("year")
    # csww_indicators_2017_to_2025.csv: Barnsley 16.2 at 30 Sep 2024 (E08000016), 15.2 at 30 Sep 2025 (E08000038)
    assert (b.loc[2024, "area"], b.loc[2025, "area"]) == (16.2, 15.2) and b.loc[2025, "sn_n"] == 10


def test_north_yorkshire_2012_2025_is_one_continuous_series():
    ctx = report.context("815", 2012, 2025)
    counts = report.bench(ctx, "cp_count").set_index("year")["area"]
    # d5_cpps_at31march_by_duration_2013_to_2025.csv: 430 (2022, E10000023), 375 (2023), 420 (2024, E06000065), 633
    assert list(counts.loc[2022:2025]) == [430, 375, 420, 633]
    assert counts.loc[2013:2025].notna().all()
    assert report.series_break_notes(ctx) == []
    head = report.header(ctx, "x").html
    assert "ONS codes E10000023 (to 2023-03-31), E06000065 (from 2023-04-01)" in head
    assert "different areas" not in head
    assert any("633 children in North Yorkshire" in s for s in report.key_findings_list(ctx))


def test_a_real_reorganisation_stays_a_break():
    notes = report.series_break_notes(report.context("928", 2015, 2021))
    assert len(notes) == 1 and "was replaced on 1 April 2021" in notes[0] and "never joined" in notes[0]


def test_somerset_2024_2025_keeps_its_ofsted_history():
    ctx = report.context("933", 2024, 2025)
    judged = report.judgements(ctx)
    assert not judged.empty and set(judged["area_code"]) == {"E10000027"}  # judged under its old code
    assert report.timeline(ctx).chart.png


# ------------------------------------------------------------------ every section survives empty data


def test_blackpool_2012_2013_builds_every_section():
    ctx = report.context("890", 2012, 2013)
    assert not report.finance(ctx).charts  # nothing drawable in 2012-13: a notice, not a crash
    report.scorecard(ctx), report.key_findings(ctx), report.timeline(ctx), report.quoted_figures(ctx)


def test_no_judgement_no_neighbours_no_values_gives_notices(monkeypatch):
    ctx = report.context("890", 2012, 2013)
    bare = dataclasses.replace(
        ctx, comps=dataclasses.replace(ctx.comps, neighbours=(), neighbour_aliases={}), values=ctx.values.iloc[0:0]
    )
    real = type(ctx).local
    monkeypatch.setattr(type(ctx), "local", lambda self, name: real(self, name).iloc[0:0])
    timeline = report.timeline(bare)
    assert not timeline.charts and "No Ofsted judgement" in timeline.html
    assert "no published" in report.key_findings_list(bare)[0]
    report.scorecard(bare), report.trend(bare, "caseload"), report.header(bare, "x"), report.finance(bare)


# ------------------------------------------------------------------ the planner and the CLI


def test_all_las_plans_the_153_authorities_that_existed_in_2024_2025():
    targets = plan_targets((), True, 2024, 2025, "2021", RAW)
    assert len(targets) == 153
    slugs = {t.slug for t in targets}
    assert "cumbria" not in slugs and "northamptonshire" not in slugs and {"cumberland", "somerset"} <= slugs
    assert {t.sn_model for t in targets if t.la_code in ("942", "943")} == {"2025"}


def test_the_area_asked_for_is_the_area_planned():
    [target] = plan_targets(("E08000038",), False, 2012, 2022, "2021", RAW)
    assert (target.la_code, target.name, target.area_codes) == ("370", "Barnsley", ("E08000016", "E08000038"))
    assert {"E08000016", "E08000038"} <= set(target.depends_on)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--la", "890", "--start-year", "2026"], "after end year"),
        (["--la", "890", "--start-year", "2026", "--end-year", "2030"], "holds (2012-2025)"),
        (["--la", "Cumberland", "--start-year", "2012", "--end-year", "2020"], "Cumbria (909)"),
        (["--la", "890", "--end-year", "202224"], "write the year ending"),
    ],
)
def test_bad_areas_and_periods_exit_2_with_one_line(tmp_path: Path, capsys, args, message):
    code = main(
        ["build", "--out", str(tmp_path / "out"), "--processed-dir", str(tmp_path / "processed"), "--jobs", "1", *args]
    )
    err = capsys.readouterr().err
    assert code == EXIT_BAD_INPUT and message in err and len(err.strip().splitlines()) == 1


# ------------------------------------------------------------------ rounding as DfE publishes


def test_round_half_up_absorbs_float_noise_like_true_round():
    # A gap of 7.45 computed in binary is 7.449999999999999 (7.6 - 0.15): DfE's true_round adds a tiny
    # amount before truncating and publishes 7.5; so do we. Python's round and format give 7.4.
    assert 7.6 - 0.15 == 7.449999999999999 and f"{7.6 - 0.15:.1f}" == "7.4"
    assert round_half_up(7.6 - 0.15, 1) == 7.5 and fmt(7.449999999999999, 1) == "7.5"
    assert round_half_up((17.6 + 17.7) / 2, 1) == 17.7 and round((17.6 + 17.7) / 2, 1) == 17.6
    assert round_half_up(7.4449, 1) == 7.4 and round_half_up(-2.25, 1) == -2.3 and fmt(-0.04, 1) == "0.0"
    assert fmt(1234.5, 0) == "1,235" and np.isnan(round_half_up(float("nan"), 1))


def test_blackpool_2022_scorecard_prints_neighbour_medians_as_dfe_rounds():
    ctx = report.context("890", 2012, 2022, "2021")
    card = report.scorecard_frame(ctx).set_index("Measure")["Neighbour median (latest)"]
    got = {m: card[MEASURES[m].label] for m in ("caseload", "agency", "cp_repeat")}
    assert got == {"caseload": "17.7", "agency": "21.7", "cp_repeat": "21.3"}
    raw = {m: report.bench(ctx, m).set_index("year").loc[2022, "sn_median"] for m in got}
    assert raw == pytest.approx({"caseload": 17.65, "agency": 21.65, "cp_repeat": 21.25})


def test_published_rates_recomputed_round_to_the_published_figure():
    # cp_plans_at_31_march (d5) and the population extract: Blackpool's 2022 rate is published as 106.4
    ctx = report.context("890", 2022, 2022)
    rate = report.bench(ctx, "cp_rate").set_index("year").loc[2022, "area"]
    assert fmt(rate, 1) == "106.4"


# ------------------------------------------------------------------ one real build: plan, page, manifest, index


def test_build_by_the_new_ons_code_builds_that_authority_everywhere(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    out = tmp_path / "out"
    assert (
        main(
            [
                "build",
                "--la",
                "E08000038",
                "--sn-model",
                "2025",
                "--start-year",
                "2012",
                "--end-year",
                "2025",
                "--notebooks",
                "03_committee_report",
                "--jobs",
                "1",
                "--out",
                str(out),
                "--processed-dir",
                str(tmp_path / "processed"),
            ]
        )
        == 0
    )
    page = (out / "barnsley" / "03_committee_report.html").read_text(encoding="utf-8")
    assert "Barnsley (DfE code 370, ONS codes E08000016 (to 2025-03-31), E08000038 (from 2025-04-01))" in page
    assert "its 10 statistical neighbours in DfE's 2025 model" in page and "15.2 (2025)" in page
    entry = json.loads((out / "manifest.json").read_text())["reports"]["barnsley/03_committee_report.html"]
    assert (entry["la_code"], entry["area_codes"], entry["sn_model"]) == ("370", ["E08000016", "E08000038"], "2025")
    assert "Barnsley (370)" in (out / "index.html").read_text(encoding="utf-8")


def test_docs_table_of_changes_is_the_declared_change_list():
    from analysis.data.geography import changes_markdown

    assert changes_markdown() in (paths.DOCS / "geography.md").read_text(encoding="utf-8")


def test_statistics_find_the_authority_under_either_code():
    from analysis.report._funnel_section import HEADLINE_FUNNELS, funnel_panels

    ctx = report.context("370", 2012, 2025, "2025")
    # Barnsley's 31 March 2025 figures sit under E08000016, its 30 September 2025 ones under E08000038
    column = funnel_panels(ctx).chart.table["Barnsley"]
    assert "not on the plot" not in set(column) and len(column) == len(HEADLINE_FUNNELS)
    assert "264 children on child protection plans" in report.deprivation(ctx).html  # d5 file, 31 March 2025
