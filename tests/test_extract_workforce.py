"""Workforce extracts: re-derivable from the official files, markers kept, joint services line up."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.data.derive import render
from analysis.data.official import workforce
from analysis.data.registry import spec
from analysis.errors import DataError


@pytest.fixture(scope="module")
def derived(dfe_dir: Path) -> dict[str, pd.DataFrame]:
    return workforce.derive(dfe_dir)


def _row(frame: pd.DataFrame, area_code: str, year: int) -> pd.Series:
    hit = frame[(frame["area_code"] == area_code) & (frame["year"] == year)]
    assert len(hit) == 1, (area_code, year)
    return hit.iloc[0]


@pytest.mark.parametrize("name", ["workforce", "workforce_release_2022"])
def test_committed_extract_is_what_the_official_file_gives(derived, name):
    rendered = render({name: derived[name]})
    path = spec(name).path
    assert (paths.DATA_RAW / path).read_bytes() == rendered[path], (
        f"data/raw/{path} differs from a fresh derivation: run `python -m analysis extract`"
    )


def test_caseload_2022_blackpool_and_england(derived):
    current, earlier = derived["workforce"], derived["workforce_release_2022"]
    assert _row(current, "E06000009", 2022)["caseload_per_fte"] == 16.7
    assert _row(current, "E92000001", 2022)["caseload_per_fte"] == 16.6
    assert _row(earlier, "E06000009", 2022)["caseload_per_fte"] == 16.7


def test_marker_cells_are_nan_with_their_status(derived):
    current = derived["workforce"]
    sunderland = _row(current, "E08000024", 2025)  # agency_fte published as "low"
    assert math.isnan(sunderland["agency_fte"]) and sunderland["agency_fte_status"] == "low"
    kensington = _row(current, "E09000020", 2025)  # social workers in post published as "x"
    assert math.isnan(kensington["social_workers_fte"]) and kensington["social_workers_fte_status"] == "x"
    present = current["caseload_per_fte"].notna()
    assert current.loc[present, "caseload_per_fte_status"].isna().all()


def test_joint_services_are_one_combined_area_in_both_releases(derived):
    current, earlier = derived["workforce"], derived["workforce_release_2022"]
    joint_years = {"E09000021+E09000027": range(2017, 2023), "E06000061+E06000062": range(2021, 2023)}
    for joint, years in joint_years.items():
        for year in years:
            a, b = _row(current, joint, year), _row(earlier, joint, year)
            assert a["geographic_level"] == b["geographic_level"] == "local_authority_group"
            assert a["social_workers_fte"] == b["social_workers_fte"], (joint, year)
    richmond = _row(earlier, "E09000027", 2022)  # the partner's own row stays as published: z
    assert math.isnan(richmond["social_workers_fte"]) and richmond["social_workers_fte_status"] == "z"
    assert not (current["area_code"] == "E09000021").any()


def test_a_figure_for_the_joint_partner_stops_the_2022_extract(dfe_dir, tmp_path):
    source = dfe_dir / workforce.FILE_2022
    lines = source.read_text(encoding="utf-8-sig").splitlines()
    richmond = next(i for i, line in enumerate(lines) if ",318,E09000027," in line)
    lines[richmond] = lines[richmond].replace(",z,", ",12.5,", 1)
    changed = tmp_path / workforce.FILE_2022
    changed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="partner 318"):
        workforce.read_release_2022(changed)


def test_same_measure_same_name_and_meaning_in_both_releases():
    current, earlier = spec("workforce"), spec("workforce_release_2022")
    shared = [c for c in earlier.columns if c.name != "source_id"]
    assert all(current.column(c.name) == c for c in shared)
    assert {c.name for c in current.columns} - {c.name for c in earlier.columns} == {"starters_fte"}
