"""Assessments, placement stability and care leavers: re-derivable and as published (more/SOURCES.md)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import paths
from analysis.data.derive import render
from analysis.data.official import assessments, cla_outcomes
from analysis.data.registry import spec
from analysis.data.specs.assessments import WITHIN_45_BANDS

BLACKPOOL, ENGLAND = "E06000009", "E92000001"


@pytest.fixture(scope="module")
def derived(more_dir: Path) -> dict[str, pd.DataFrame]:
    return {**assessments.derive(more_dir), **cla_outcomes.derive(more_dir)}


def _series(frame: pd.DataFrame, area: str, column: str) -> dict[int, object]:
    rows = frame[frame["area_code"] == area]
    return dict(zip(rows["year"], rows[column], strict=True))


@pytest.mark.parametrize("name", ["assessments", "placement_stability", "care_leavers"])
def test_committed_extract_is_what_the_official_file_gives(derived, name):
    path = spec(name).path
    assert (paths.DATA_RAW / path).read_bytes() == render({name: derived[name]})[path], (
        f"data/raw/{path} differs from a fresh derivation: run `python -m analysis extract`"
    )


def test_assessments_within_45_working_days(derived):
    frame = derived["assessments"]
    ours, england = (_series(frame, a, "assessments_within_45_days_pct") for a in (BLACKPOOL, ENGLAND))
    assert (ours[2017], ours[2022]) == (74.7, 77.3)
    assert (england[2017], england[2022]) == (82.9, 84.5)
    assert _series(frame, BLACKPOOL, "assessments_within_45_days_count")[2022] == 2928


def test_no_assessments_give_a_not_applicable_share_not_zero(derived):
    row = derived["assessments"].query("area_code == @BLACKPOOL and year == 2014").iloc[0]
    assert row["assessments_completed_count"] == 0
    assert np.isnan(row["assessments_within_45_days_pct"]) and row["assessments_within_45_days_pct_status"] == "z"


def test_a_suppressed_band_leaves_the_share_missing():
    bands = pd.DataFrame({b: [10.0, 10.0] for b in WITHIN_45_BANDS} | {f"{b}_status": ["", ""] for b in WITHIN_45_BANDS})
    bands.loc[1, "Same_day"], bands.loc[1, "Same_day_status"] = np.nan, "c"
    count, status, share = assessments.within_45_days(bands, pd.Series([120.0, 120.0]))
    assert count[0] == 60 and share[0] == 50.0
    assert np.isnan(count[1]) and np.isnan(share[1]) and status[1] == "c"


def test_placement_stability_as_published(derived):
    got = _series(derived["placement_stability"], BLACKPOOL, "three_or_more_placements_pct")
    assert (got[2019], got[2022]) == (12, 14)


def test_care_leavers_as_published(derived):
    got = _series(derived["care_leavers"], BLACKPOOL, "care_leavers_19_21_eet_pct")
    assert (got[2019], got[2022], got[2023]) == (46, 52, 61)


def test_suppressed_care_leaver_figures_keep_their_marker(derived):
    row = derived["care_leavers"].query("area_code == @BLACKPOOL and year == 2020").iloc[0]
    assert np.isnan(row["care_leavers_17_18_suitable_accommodation_pct"])
    assert row["care_leavers_17_18_suitable_accommodation_pct_status"] == "c"
