"""Workforce at 30 September 2015-2016 (LAIT): re-derivable, published values, joins the 2017+ series."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.data.derive import render
from analysis.data.load import load
from analysis.data.official import areas as areas_extract
from analysis.data.official import workforce_lait
from analysis.data.registry import spec
from analysis.data.specs.workforce_lait import COLUMNS

BLACKPOOL, ENGLAND = "E06000009", "E92000001"


@pytest.fixture(scope="module")
def derived(lait_dir: Path, dfe_dir: Path) -> pd.DataFrame:
    return workforce_lait.derive(lait_dir, dfe_dir)["workforce_lait"]


def _row(frame: pd.DataFrame, area: str, year: int) -> pd.Series:
    hit = frame[(frame["area_code"] == area) & (frame["year"] == year)]
    assert len(hit) == 1, (area, year)
    return hit.iloc[0]


def test_committed_extract_is_what_the_official_file_gives(derived):
    path = spec("workforce_lait").path
    assert (paths.DATA_RAW / path).read_bytes() == render({"workforce_lait": derived})[path], (
        f"data/raw/{path} differs from a fresh derivation: run `python -m analysis extract`"
    )


def test_blackpool_and_england_as_published(derived):
    b15, b16 = _row(derived, BLACKPOOL, 2015), _row(derived, BLACKPOOL, 2016)
    assert (b15["social_workers_fte"], b15["agency_rate_pct"], b15["vacancy_rate_pct"], b15["turnover_rate_pct"]) == (
        121.6,
        11.0,
        8.0,
        16.0,
    )
    assert (
        b16["social_workers_fte"],
        b16["agency_rate_pct"],
        b16["vacancy_rate_pct"],
        b16["turnover_rate_pct"],
        b16["caseload_per_fte"],
    ) == (139.9, 6.7, 12.5, 16.5, 23.7)
    e16 = _row(derived, ENGLAND, 2016)
    assert (e16["social_workers_fte"], e16["caseload_per_fte"]) == (27700.0, 16.1)


def test_caseload_2015_is_not_in_the_release_not_zero(derived):
    b15 = _row(derived, BLACKPOOL, 2015)
    assert math.isnan(b15["caseload_per_fte"]) and b15["caseload_per_fte_status"] == "not_in_release"


def test_no_year_before_2015_is_invented(derived):
    assert sorted(derived["year"].unique()) == [2015, 2016]


def test_lait_2017_to_2019_equal_the_official_series_so_the_join_has_no_step(lait_dir, dfe_dir):
    areas = areas_extract.derive(dfe_dir)["areas"]
    lait = workforce_lait.lait_rows(lait_dir, (2017, 2018, 2019), areas)
    official = load("workforce")
    for year in (2017, 2018, 2019):
        ours, theirs = _row(lait, BLACKPOOL, year), _row(official, BLACKPOOL, year)
        for column, _ in COLUMNS.values():
            assert ours[column] == theirs[column], (year, column)


def test_published_value_rounds_half_up_and_keeps_the_marker():
    assert workforce_lait.published_value("139.89000000000001", 1) == 139.9
    assert workforce_lait.published_value("8.8000000000000007", 1) == 8.8
    assert workforce_lait.published_value("0.25", 1) == 0.3  # half up, not half to even
    assert math.isnan(workforce_lait.published_value("-", 1))
    with pytest.raises(ValueError):
        workforce_lait.published_value("n/a", 1)


def test_authorities_formed_later_have_no_rows(derived):
    assert not derived["la_code"].isin(["838", "839", "940", "941", "942", "943"]).any()
    assert {"E10000021", "E06000028", "E10000009"} <= set(derived["area_code"])
