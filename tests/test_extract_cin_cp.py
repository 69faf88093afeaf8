"""Children in need, child protection, population and looked-after extracts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.data.derive import render
from analysis.data.load import load
from analysis.data.official import cin_cp, looked_after, population
from analysis.data.official.common import one_row_per_key
from analysis.errors import DataError

FAMILIES = (cin_cp, population, looked_after)
NAMES = [spec.name for family in FAMILIES for spec in family.SPECS]
SPECS = {spec.name: spec for family in FAMILIES for spec in family.SPECS}


@pytest.fixture(scope="module")
def derived(dfe_dir: Path) -> dict[str, pd.DataFrame]:
    frames: dict[str, pd.DataFrame] = {}
    for family in FAMILIES:
        frames.update(family.derive(dfe_dir))
    return frames


@pytest.mark.parametrize("name", NAMES)
def test_committed_extract_equals_derived(name: str, derived: dict[str, pd.DataFrame]) -> None:
    path = SPECS[name].path
    fresh = render({name: derived[name]})[path]
    assert (paths.DATA_RAW / path).read_bytes() == fresh, f"{path} is stale: run python -m analysis extract"


@pytest.mark.parametrize("name", NAMES)
def test_one_row_per_area_and_year_and_no_joint_areas(name: str) -> None:
    frame = load(name)
    assert not frame.duplicated(["area_code", "year"]).any()
    # Joint services ("940 / 941") exist only in workforce files; none here to combine.
    assert "local_authority_group" not in set(frame["geographic_level"])


@pytest.mark.parametrize("name", NAMES)
def test_every_measure_is_documented(name: str) -> None:
    for col in SPECS[name].measures():
        assert col.description and col.unit and col.reference_date, col.name
        assert col.polarity in ("lower_better", "higher_better", "neutral"), col.name
        assert col.status, col.name


def test_polarity_of_headline_measures() -> None:
    assert SPECS["referrals"].column("rereferrals_12m_pct").polarity == "lower_better"
    assert SPECS["cp_plans_started"].column("cp_plans_second_or_subsequent_pct").polarity == "lower_better"
    assert SPECS["cp_plans_at_31_march"].column("cp_plans_at_31_march_count").polarity == "neutral"


def _row(name: str, area_code: str, year: int) -> pd.Series:
    frame = load(name)
    rows = frame[(frame["area_code"] == area_code) & (frame["year"] == year)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_blackpool_spot_values() -> None:
    assert _row("cp_plans_at_31_march", "E06000009", 2022)["cp_plans_at_31_march_count"] == 296
    assert _row("cin", "E06000009", 2022)["cin_at_31_march_count"] == 2040
    assert _row("cp_plans_started", "E06000009", 2022)["cp_plans_second_or_subsequent_pct"] == 24.7
    assert _row("population", "E06000009", 2021)["population_0_17_at_30_june"] == 27819
    cla = _row("looked_after", "E06000009", 2022)
    assert (cla["looked_after_at_31_march_count"], cla["looked_after_at_31_march_rate_per_10k"]) == (609, 219)
    assert cla["rate_population_0_17"] == 27819


@pytest.mark.parametrize(
    ("name", "area_code", "year", "column", "marker"),
    [
        ("referrals", "E06000009", 2016, "referrals_assessed_not_in_need_count", "c"),  # Blackpool
        ("referrals", "E06000009", 2016, "referrals_assessed_not_in_need_pct", "c"),
        ("cin", "E09000012", 2021, "cin_at_31_march_count", "x"),  # Hackney
        ("cp_plans_started", "E06000053", 2024, "cp_plans_second_or_subsequent_pct", "z"),  # Isles of Scilly
        ("population", "E06000028", 2012, "population_0_17_at_30_june", "x"),  # Bournemouth
        ("looked_after", "E09000001", 2025, "looked_after_at_31_march_count", "c"),  # City of London
        ("looked_after", "E10000006", 2025, "rate_population_0_17", "x"),  # Cumbria, abolished 2023
    ],
)
def test_markers_stay_statuses(name: str, area_code: str, year: int, column: str, marker: str) -> None:
    row = _row(name, area_code, year)
    assert pd.isna(row[column])
    assert row[f"{column}_status"] == marker


def test_duplicate_key_names_official_lines(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {"area_code": ["E06000009", "E06000009", "E06000008"], "year": [2022, 2022, 2022]},
        index=pd.Index([5, 9, 12], name="line"),
    )
    with pytest.raises(DataError) as err:
        one_row_per_key(frame, ("area_code", "year"), tmp_path / "b1.csv")
    assert [p.line for p in err.value.problems] == [5, 9]


CLA_HEADER = (
    "\ufefftime_period,time_identifier,geographic_level,country_code,country_name,region_code,"
    "region_name,old_la_code,la_name,new_la_code,population_type,population_estimate,"
    "children_count,rate_per_10000\n"
)
CLA_AREA = "Reporting year,Local authority,E92000001,England,E12000002,North West,890,Blackpool,E06000009"


def _cla_file(tmp_path: Path, populations: tuple[str, str, str]) -> Path:
    kinds = list(looked_after.POPULATION_TYPES)
    lines = [f"2022,{CLA_AREA},{kind},{pop},609,219\n" for kind, pop in zip(kinds, populations, strict=True)]
    (tmp_path / looked_after.FILE).write_text(CLA_HEADER + "".join(lines), encoding="utf-8")
    return tmp_path


def test_looked_after_reads_bom_and_pivots_wide(tmp_path: Path) -> None:
    frame = looked_after.derive(_cla_file(tmp_path, ("27819", "27819", "27819")))["looked_after"]
    assert len(frame) == 1
    row = frame.iloc[0]
    assert (row["area_code"], row["la_code"], row["year"]) == ("E06000009", "890", 2022)
    assert row["started_in_year_rate_per_10k"] == 219 and row["rate_population_0_17"] == 27819


def test_looked_after_rejects_disagreeing_populations(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="population differs"):
        looked_after.derive(_cla_file(tmp_path, ("27819", "27819", "27820")))


def test_ees_extract_never_reads_a_marker_as_zero(tmp_path: Path) -> None:
    header = (
        "time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
        "region_name,old_la_code,new_la_code,la_name,age_group,population_estimate\n"
    )
    body = "2018,Reporting year,Local authority,E92000001,England,E12000009,South West,837,E06000028,Bournemouth,0-17,x\n"
    (tmp_path / population.FILE).write_text(header + body, encoding="utf-8")
    row = population.derive(tmp_path)["population"].iloc[0]
    assert pd.isna(row["population_0_17_at_30_june"]) and row["population_0_17_at_30_june_status"] == "x"
