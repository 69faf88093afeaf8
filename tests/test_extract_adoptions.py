"""Adoptions extract: re-derivable, published values, and a suppressed part never taken as the whole."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import paths
from analysis.data.derive import render
from analysis.data.load import load
from analysis.data.official import adoptions
from analysis.data.registry import spec

BLACKPOOL, ENGLAND = "E06000009", "E92000001"


@pytest.fixture(scope="module")
def derived(adoptions_dir: Path, dfe_dir: Path) -> pd.DataFrame:
    return adoptions.derive(adoptions_dir, dfe_dir)["adoptions"]


def _series(frame: pd.DataFrame, area: str, column: str = "adopted_count") -> dict[int, object]:
    rows = frame[frame["area_code"] == area]
    return dict(zip(rows["year"], rows[column], strict=True))


def test_committed_extract_is_what_the_official_files_give(derived):
    path = spec("adoptions").path
    assert (paths.DATA_RAW / path).read_bytes() == render({"adoptions": derived})[path], (
        f"data/raw/{path} differs from a fresh derivation: run `python -m analysis extract`"
    )


def test_blackpool_adoptions_as_published(derived):
    got = _series(derived, BLACKPOOL)
    # the five years the 2019 scrutiny minutes speak of, and 2022
    assert [got[y] for y in range(2015, 2020)] == [50, 46, 41, 36, 30]
    assert got[2022] == 16
    # adoptions/SOURCES.md: every year 2010-2023
    assert [got[y] for y in range(2010, 2024)] == [19, 17, 17, 22, 41, 50, 46, 41, 36, 30, 35, 31, 16, 35]


def test_england_adoptions_as_published(derived):
    got = _series(derived, ENGLAND)
    assert got[2014] == 5050
    assert (got[2011], got[2019], got[2023]) == (3050, 3590, 2960)


def test_each_year_comes_from_one_named_release(derived):
    releases = derived.groupby("year")["release"].unique()
    assert all(len(r) == 1 for r in releases)
    assert releases[2015][0] == "SFR34/2015" and releases[2019][0] == "2022 to 2023"
    registry = set(load("sources")["source_id"])
    assert set(derived["adopted_source_id"]) <= registry


def test_a_suppressed_part_never_becomes_the_whole(derived):
    # Blackpool 2011: unopposed suppressed (x), consent dispensed 15; the ADP file's unsplit total is 17
    row = derived[(derived["area_code"] == BLACKPOOL) & (derived["year"] == 2011)].iloc[0]
    assert row["adopted_unopposed_count_status"] == "x" and row["adopted_consent_dispensed_count"] == 15
    assert row["adopted_count"] == 17 and row["adopted_method"] == "published_total"
    assert row["adopted_source_id"] == "dfe-cla-adp-2011"
    # Hartlepool 2017: one part 7, the other x, and the 2017 release has no unsplit total: suppressed
    row = derived[(derived["la_code"] == "805") & (derived["year"] == 2017)].iloc[0]
    assert row["adopted_unopposed_count"] == 7 and row["adopted_consent_dispensed_count_status"] == "x"
    assert pd.isna(row["adopted_count"]) and row["adopted_count_status"] == "x"
    assert row["adopted_method"] == "suppressed"
    # nowhere is a total equal to one published part while the other is suppressed, unless a file says so
    one_part = derived["adopted_unopposed_count"].isna() ^ derived["adopted_consent_dispensed_count"].isna()
    assert (derived.loc[one_part, "adopted_method"] != "sum_of_parts").all()


def test_adopted_total_rule_on_a_small_frame():
    parts = pd.DataFrame(
        {
            "adopted_unopposed_count": [3.0, np.nan, np.nan, 4.0],
            "adopted_unopposed_count_status": ["", "c", "c", ""],
            "adopted_consent_dispensed_count": [5.0, 6.0, 2.0, 4.0],
            "adopted_consent_dispensed_count_status": ["", "", "", ""],
        }
    )
    total = pd.Series([8.0, 9.0, np.nan, 10.0])
    total_status = pd.Series(["", "", "c", ""])
    out = adoptions.adopted_total(parts, total, total_status, "split", "total", pd.Series([False, False, False, True]))
    assert out["adopted_count"].tolist()[:2] == [8.0, 9.0] and np.isnan(out["adopted_count"][2])
    assert out["adopted_count"][3] == 10.0  # a rounded (England/region) row takes the published total
    assert out["adopted_method"].tolist() == ["sum_of_parts", "published_total", "suppressed", "published_total"]
    assert out["adopted_count_status"].tolist() == ["", "", "c", ""]
    assert out["adopted_source_id"].tolist() == ["split", "total", "split", "total"]
    # without an unsplit total, a suppressed part leaves the total missing with the part's marker
    alone = adoptions.adopted_total(parts, None, None, "split", None)
    assert alone["adopted_count"].isna().tolist() == [False, True, True, False]
    assert alone["adopted_count_status"].tolist() == ["", "c", "c", ""]


def test_reorganised_areas_keep_their_own_codes(derived):
    bournemouth = _series(derived, "E06000028")
    bcp = _series(derived, "E06000058")
    # Bournemouth reports up to 31 March 2019, its successor from 31 March 2020; no z rows in between
    assert max(bournemouth) == 2019 and min(bcp) == 2020
    assert max(_series(derived, "E10000021")) == 2021 and min(_series(derived, "E06000061")) == 2022
