"""Historic extracts: child protection plans 2011-2012, looked-after children 2012-2020, vintages.

Spot values are checked on the committed (validated) extracts; the derive tests re-read the
official files and are skipped, with the reason, where those are not beside the repo.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.data.fileio import frame_to_csv_bytes
from analysis.data.load import load
from analysis.data.official import historic
from analysis.data.specs.authority_changes import CHANGES, changes_of

BLACKPOOL, ENGLAND = "E06000009", "E92000001"
COUNT, RATE = historic.COUNT, historic.RATE
CP_COUNT, CP_RATE, CP_DCI = historic.CP_COUNT, historic.CP_RATE, historic.CP_DCI


@pytest.fixture(scope="module")
def derived(historic_dir: Path, dfe_dir: Path) -> dict[str, pd.DataFrame]:
    return historic.derive(historic_dir, dfe_dir)


def _row(frame: pd.DataFrame, area_code: str, year: int, release: str | None = None) -> pd.Series:
    """The one row for an area and year (and release, in cla_vintages)."""
    match = (frame["area_code"] == area_code) & (frame["year"] == year)
    if release is not None:
        match &= frame["release"] == release
    rows = frame[match]
    assert len(rows) == 1, f"{len(rows)} rows for {area_code} {year} {release or ''}"
    return rows.iloc[0]


def _la_row(frame: pd.DataFrame, la_code: str, year: int, release: str | None = None) -> pd.Series:
    rows = frame[frame["la_code"] == la_code]
    return _row(rows, rows["area_code"].iloc[0], year, release)


# --- Committed extracts are exactly what derive() produces ----------------------------------


@pytest.mark.parametrize("spec", historic.SPECS, ids=lambda s: s.name)
def test_committed_extract_is_reproduced(spec, derived):
    committed = (paths.DATA_RAW / spec.path).read_bytes()
    assert committed == frame_to_csv_bytes(derived[spec.name]), f"{spec.path}: re-run the extract"


# --- Spot values -----------------------------------------------------------------------------


def test_child_protection_spot_values():
    cp = load("cp_historic")
    blackpool = _row(cp, BLACKPOOL, 2012)
    assert (blackpool[CP_COUNT], blackpool[CP_RATE], blackpool[CP_DCI]) == (301, 104.2, "3")
    assert blackpool["release"] == "SFR27/2012"
    england = _row(cp, ENGLAND, 2012)
    assert (england[CP_COUNT], england[CP_RATE]) == (42900, 37.8)
    assert pd.isna(england["la_code"]) and england["geographic_level"] == "national"


def test_looked_after_2013_is_the_unrounded_count():
    row = _row(load("cla_historic"), BLACKPOOL, 2013)
    assert (row[COUNT], row["release"]) == (483, "SFR36/2013")
    rounded = _row(load("cla_vintages"), BLACKPOOL, 2013, "SFR34/2015 LA tables")
    assert rounded[COUNT] == 480  # the LA tables round local authorities to 5


# --- Markers stay statuses -------------------------------------------------------------------


def test_child_protection_markers_are_statuses():
    cp = load("cp_historic")
    city = _la_row(cp, "201", 2011)  # 1-5 plans: suppressed, yet the rate is published
    assert pd.isna(city[CP_COUNT]) and city[f"{CP_COUNT}_status"] == "x" and city[CP_RATE] == 20.7
    wight = _la_row(cp, "921", 2011)  # not submitted
    for column in (CP_COUNT, CP_RATE, CP_DCI):
        assert pd.isna(wight[column]) and wight[f"{column}_status"] == ".."
    havering = _la_row(cp, "311", 2012)
    assert pd.isna(havering[CP_COUNT]) and havering[f"{CP_COUNT}_status"] == ".."
    scilly = _la_row(cp, "420", 2012)  # a true zero
    assert scilly[CP_COUNT] == 0 and pd.isna(scilly[f"{CP_COUNT}_status"])
    assert _row(cp, ENGLAND, 2011)[f"{CP_DCI}_status"] == "blank"
    assert _la_row(cp, "204", 2011)[CP_DCI] == "A"  # Hackney: aggregate return


def test_looked_after_markers_are_statuses():
    vintages = load("cla_vintages")
    no_rate = _row(vintages, BLACKPOOL, 2012, "SFR20/2012")
    assert math.isnan(no_rate[RATE]) and no_rate[f"{RATE}_status"] == "not_in_release"
    scilly = _la_row(vintages, "420", 2020, "2022 to 2023")
    assert pd.isna(scilly[COUNT]) and scilly[f"{COUNT}_status"] == "c"
    assert _la_row(vintages, "420", 2016, "2018 to 2019")[f"{RATE}_status"] == "."
    bournemouth = _la_row(vintages, "837", 2019, "2022 to 2023")
    assert bournemouth[COUNT] == 248 and bournemouth[f"{RATE}_status"] == "x"


# --- The vintage rule ------------------------------------------------------------------------

EXPECTED_RELEASE = {
    2012: "SFR20/2012",
    2013: "SFR36/2013",
    2014: "2017 to 2018",
    2015: "2018 to 2019",
    2016: "2018 to 2019",
    2017: "2018 to 2019",
    2018: "2018 to 2019",
    2019: "2022 to 2023",
    2020: "2022 to 2023",
}


def test_vintage_rule_picks_the_latest_unrounded_release():
    assert {y: historic.chosen_release(y).label for y in historic.CLA_YEARS} == EXPECTED_RELEASE
    for year in historic.CLA_YEARS:
        chosen = historic.chosen_release(year)
        later = [
            r for r in historic.CLA_RELEASES if year in r.years and r.unrounded and r.reporting_year >= chosen.reporting_year
        ]
        assert later == [chosen]


def test_each_year_of_cla_historic_comes_whole_from_its_release():
    cla = load("cla_historic")
    assert cla.groupby("year")["release"].unique().map(list).to_dict() == {
        y: [label] for y, label in EXPECTED_RELEASE.items()
    }
    vintages = load("cla_vintages")
    chosen = vintages[vintages["in_cla_historic"]][cla.columns].reset_index(drop=True)
    pd.testing.assert_frame_equal(chosen, cla.reset_index(drop=True))


def test_blackpool_2019_rate_differs_between_releases():
    vintages = load("cla_vintages")
    assert _row(vintages, BLACKPOOL, 2019, "2018 to 2019")[RATE] == 197
    assert _row(vintages, BLACKPOOL, 2019, "2022 to 2023")[RATE] == 200
    row = _row(load("cla_historic"), BLACKPOOL, 2019)
    assert (row[RATE], row["release"]) == (200, "2022 to 2023")


# --- Areas and reorganisations ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["cp_historic", "cla_historic"])
def test_each_la_code_maps_to_exactly_one_area(name):
    frame = load(name)
    las = frame[frame["geographic_level"] == "local_authority"]
    assert (las.groupby("la_code")["area_code"].nunique() == 1).all()
    assert (las.groupby("area_code")["la_code"].nunique() == 1).all()
    assert _la_row(frame, "921", int(frame["year"].min()))["area_code"] == "E06000046"  # not England


def test_vintages_map_each_la_code_and_year_to_one_area():
    las = load("cla_vintages").query("geographic_level == 'local_authority'")
    assert (las.groupby(["la_code", "year"])["area_code"].nunique() == 1).all()


def test_reorganised_areas_are_never_merged():
    vintages = load("cla_vintages")
    areas = load("areas").set_index("area_code")
    for r in (c for c in CHANGES if not c.same_authority):
        before, after = {u.ons_code for u in r.before}, {u.ons_code for u in r.after}
        assert not before & after and before | after <= set(areas.index)
        assert (vintages[vintages["area_code"].isin(before)]["year"] <= r.year).all()
        assert (vintages[vintages["area_code"].isin(after)]["year"] > r.year).all()
    new_dorset = {"838", "839"}
    old_dorset = vintages[vintages["la_code"].isin({"835", "836", "837"})]
    assert not set(old_dorset["area_code"]) & set(vintages[vintages["la_code"].isin(new_dorset)]["area_code"])
    assert [c.year for c in changes_of("837")] == [2019] and changes_of("890") == ()


# ONS codes the official files print that differ from the areas extract's, each for a reason.
OWN_CODE_DIFFERENCES = {
    # Older codes of the same authorities, used by DfE files up to 2017; areas has the current ones.
    ("390", "E08000020"): "E08000037",
    ("929", "E06000048"): "E06000057",
    # EES releases restate earlier years on their own geography; we keep the code of the year.
    ("825", "E06000060"): "E10000002",
    ("815", "E06000065"): "E10000023",
    ("933", "E06000066"): "E10000027",
}


def _own_codes(release: historic.Release, path: Path) -> dict[tuple[str, int], str]:
    """(DfE code, year) -> the ONS code the official file itself prints for a local authority."""
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    if release.layout == "wide_csv":
        codes = zip(raw["geog_c"].str.strip(), raw["New_geog_code"].str.strip(), strict=True)
        return {(la, year): code for la, code in codes for year in release.years}
    raw = raw[raw["geographic_level"] == "Local authority"]
    keys = zip(raw["old_la_code"], raw["time_period"].astype(int), strict=True)
    return dict(zip(keys, raw["new_la_code"], strict=True))


def test_area_codes_agree_with_the_files_own_ons_codes(derived, historic_dir, dfe_dir):
    vintages = derived["cla_vintages"]
    las = vintages[vintages["geographic_level"] == "local_authority"]
    for release in historic.CLA_RELEASES:
        if release.layout == "la_tables":  # no ONS codes in the LA tables
            continue
        own = _own_codes(release, (dfe_dir if release.current else historic_dir) / release.file)
        rows = las[las["release"] == release.label]
        for la, year, ours in zip(rows["la_code"], rows["year"], rows["area_code"], strict=True):
            theirs = own[(la, year)]
            assert theirs == ours or OWN_CODE_DIFFERENCES.get((la, theirs)) == ours, (release.label, la, year)
