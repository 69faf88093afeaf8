"""Every notebook runs under papermill for Blackpool and other areas; the committee HTML carries the data.

One real build (session fixture ``all_reports`` in conftest.py) serves every test here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from analysis.report._funnel_section import HEADLINE_FUNNELS

NOTEBOOKS = ("01_data_quality", "02_trajectory", "03_committee_report")


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_every_notebook_builds_for_blackpool_and_two_other_areas(all_reports):
    for slug in ("blackpool", "bournemouth-christchurch-and-poole", "isles-of-scilly"):
        for nb in NOTEBOOKS:
            assert (all_reports / slug / f"{nb}.html").stat().st_size > 5_000, f"{slug}/{nb}"


def test_committee_report_shows_the_figures_computed_from_the_extracts(all_reports):
    text = _soup(all_reports / "blackpool" / "03_committee_report.html").get_text(" ")
    text = re.sub(r"\s+", " ", text)
    assert "296 children in Blackpool were on a child protection plan, 106.4 per 10,000" in text
    assert "Caseload per social worker (cases per FTE): 20.4 in 2019, 16.7 in 2022; England 16.9 and 16.6" in text
    assert "16.7 (2022)" in text  # scorecard: latest caseload
    assert "Statistical neighbours (2021 model)" in text


@pytest.mark.parametrize("slug", ["blackpool", "bournemouth-christchurch-and-poole", "isles-of-scilly"])
@pytest.mark.parametrize("nb", NOTEBOOKS)
def test_html_has_no_error_no_code_and_nothing_from_the_network(all_reports, slug, nb):
    raw = (all_reports / slug / f"{nb}.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(raw, "html.parser")
    assert "Traceback" not in raw and "jp-OutputArea-output-error" not in raw
    assert not soup.select(".jp-CodeMirrorEditor, .highlight, .jp-InputPrompt")
    assert "from analysis import" not in raw and "report.context(" not in raw  # no code shown
    for tag, attr in (("script", "src"), ("link", "href"), ("img", "src")):
        for el in soup.find_all(tag):
            assert not re.match(r"(https?:)?//", el.get(attr) or ""), f"{tag} loads {el.get(attr)}"
    for img in soup.find_all("img"):
        assert len(img.get("alt", "")) > 40, "every chart needs real alt text"
    assert soup.find("html").get("lang") == "en"


def test_blackpool_committee_report_is_small_enough_to_email(all_reports):
    assert (all_reports / "blackpool" / "03_committee_report.html").stat().st_size <= 2_000_000


def test_every_chart_has_its_numbers_in_a_table_underneath(all_reports):
    soup = _soup(all_reports / "blackpool" / "03_committee_report.html")
    figures = soup.select("figure.chart")
    assert len(figures) >= 9
    for fig in figures:
        table = fig.find_next_sibling()
        assert table is not None and table.find("table") is not None


def test_area_without_local_extracts_says_so_in_one_line(all_reports):
    text = _soup(all_reports / "isles-of-scilly" / "03_committee_report.html").get_text(" ")
    assert "No council finance figures are held for Isles of Scilly" in text


def test_late_starting_series_is_shown_plainly(all_reports):
    soup = _soup(all_reports / "bournemouth-christchurch-and-poole" / "03_committee_report.html")
    alts = " ".join(img["alt"] for img in soup.find_all("img"))
    assert "No Bournemouth, Christchurch and Poole value for 2012" in alts
    assert "Bournemouth, Christchurch and Poole" in soup.find("h1").get_text()


def _chart_table(soup: BeautifulSoup, caption_start: str) -> dict[str, list[str]]:
    for table in soup.select("table.chart-table"):
        if table.caption.get_text().startswith(caption_start):
            return {
                tr.find("td").get_text(): [td.get_text() for td in tr.find_all("td")] for tr in table.tbody.find_all("tr")
            }
    raise AssertionError(f"no chart table captioned {caption_start!r}")


def test_suppressed_values_are_shown_as_markers_not_numbers(all_reports):
    # Isles of Scilly: child protection plans at 31 March 2013 are suppressed (c) in the official file
    soup = _soup(all_reports / "isles-of-scilly" / "03_committee_report.html")
    rows = _chart_table(soup, "Children on child protection plans per 10,000")
    assert rows["2013"][1] == "c (suppressed)"
    assert rows["2014"][1] != "c (suppressed)"


def test_index_lists_every_report_with_period_and_build_time(all_reports):
    text = re.sub(r"\s+", " ", _soup(all_reports / "index.html").get_text(" "))
    for name in ("Blackpool", "Bournemouth, Christchurch and Poole", "Isles of Scilly"):
        assert name in text
    assert "2012" in text and "2022" in text
    assert "2023-11-14" in text  # the build time comes from SOURCE_DATE_EPOCH (1700000000)


def test_committee_report_says_which_changes_are_real_and_shows_funnels_and_deprivation(all_reports):
    soup = _soup(all_reports / "blackpool" / "03_committee_report.html")
    text = re.sub(r"\s+", " ", soup.get_text(" "))
    assert "Second or subsequent plans (% of plans started): 25.1 in 2019, 24.7 in 2022" in text
    assert "2 showed no clear change (second or subsequent plans, turnover rate)" in text  # the verdict
    assert "In 2022, Blackpool had 296 children on child protection plans" in text
    alts = " ".join(img["alt"] for img in soup.find_all("img"))
    assert "Funnel plots, one per headline measure" in alts and "observed number divided by the number expected" in alts
    funnels = _chart_table(soup, "Funnel plots: Blackpool")
    assert len(funnels) == len(HEADLINE_FUNNELS)  # one panel per headline measure with a funnel
    assert funnels["Children on child protection plans per 10,000 children (31 March)"][6] == "Well above"
    ratios = _chart_table(soup, "Observed / expected from deprivation")
    assert list(ratios) == [str(y) for y in range(2013, 2023)]
