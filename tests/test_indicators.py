"""Rates per 10,000 children, half-up rounding and DfE's population convention."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.data.load import load
from analysis.data.official import looked_after, population
from analysis.measures.catalogue import CP_RATE
from analysis.measures.indicators import long_measure, per_10k_children, rate_per_10k
from analysis.present.format import round_half_up

# --- unit tests on small frames -------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (0.5, 0, 1.0),
        (1.5, 0, 2.0),
        (2.5, 0, 3.0),
        (-2.5, 0, -3.0),
        (0.125, 2, 0.13),
        (106.45, 1, 106.5),
        (106.402099, 1, 106.4),
        (218.9, 0, 219.0),
    ],
)
def test_round_half_up(value: float, digits: int, expected: float) -> None:
    assert round_half_up(value, digits) == expected


def test_round_half_up_differs_from_builtin_round_and_keeps_nan() -> None:
    assert round(2.5) == 2 and round_half_up(2.5) == 3
    assert math.isnan(round_half_up(float("nan")))
    series = round_half_up(pd.Series([0.25, np.nan, 1.35]), 1)
    assert series.iloc[0] == 0.3 and math.isnan(series.iloc[1]) and series.iloc[2] == 1.4


def test_rate_per_10k_scalar_series_and_missing() -> None:
    assert rate_per_10k(296, 27819) == pytest.approx(106.402099, abs=1e-6)
    out = rate_per_10k(pd.Series([10, None, 5], dtype="Int64"), pd.Series([1000.0, 1000.0, np.nan]))
    assert out.iloc[0] == 100 and out.isna().tolist() == [False, True, True]


def test_rate_per_10k_rejects_a_zero_population() -> None:
    with pytest.raises(ValueError, match="positive"):
        rate_per_10k(pd.Series([1.0]), pd.Series([0.0]))


def _counts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area_code": ["E1", "E2", "E3", "E4"],
            "year": pd.array([2022, 2022, 2022, 2022], dtype="Int64"),
            "n": pd.array([50, None, 30, 40], dtype="Int64"),
            "n_status": [np.nan, "c", np.nan, np.nan],
        }
    )


def _population() -> pd.DataFrame:
    # 2021 is the estimate a 2022 figure uses; 2022 is a decoy that must not be used.
    return pd.DataFrame(
        {
            "area_code": ["E1", "E1", "E2", "E3"],
            "year": pd.array([2021, 2022, 2021, 2021], dtype="Int64"),
            "population_0_17_at_30_june": pd.array([5000, 1, 4000, None], dtype="Int64"),
            "population_0_17_at_30_june_status": [np.nan, np.nan, np.nan, "x"],
        }
    )


def test_per_10k_children_uses_previous_mid_year_and_carries_reasons() -> None:
    out = per_10k_children(_counts(), "n", _population()).set_index("area_code")
    assert out.loc["E1", "value"] == 100 and out.loc["E1", "population_year"] == 2021
    assert pd.isna(out.loc["E1", "status"]) and out.loc["E1", "reason"] == ""
    # missing count: its own marker, never 0
    assert math.isnan(out.loc["E2", "value"]) and out.loc["E2", "status"] == "c"
    assert out.loc["E2", "reason"].startswith("n c:")
    # missing population: the population's marker
    assert math.isnan(out.loc["E3", "value"]) and out.loc["E3", "status"] == "x"
    assert "population at 30 June 2021 x" in out.loc["E3", "reason"]
    # no population row at all: a status of our own, not an official marker (never "suppressed")
    assert math.isnan(out.loc["E4", "value"]) and out.loc["E4", "status"] == "no_population"
    assert out.loc["E4", "reason"] == "no population estimate for this area at 30 June 2021"
    assert (out["value"].isna() == out["status"].notna()).all()


def test_long_measure_refuses_a_silent_gap() -> None:
    counts = _counts()
    counts.loc[1, "n_status"] = np.nan
    with pytest.raises(ValueError, match="without a status marker"):
        long_measure(counts, "n")


# --- on the committed extracts ------------------------------------------------------------


def _cp_rates() -> pd.DataFrame:
    return per_10k_children(load("cp_plans_at_31_march"), "cp_plans_at_31_march_count", load("population"))


def test_blackpool_2022_cp_plans_rate_is_dfe_published_106_4() -> None:
    rates = _cp_rates()
    row = rates[(rates["area_code"] == "E06000009") & (rates["year"] == 2022)].iloc[0]
    assert (row["count"], row["population"], row["population_year"]) == (296, 27819, 2021)
    assert round_half_up(row["value"], CP_RATE.decimals) == 106.4  # DfE publishes it to one decimal place


def test_every_children_in_need_area_finds_its_population_row() -> None:
    """The population file uses the code in force on 30 June Y-1, the CIN files the one on 31 March Y."""
    rates = _cp_rates()
    assert not rates["reason"].str.startswith("no population estimate").any()
    missing_population = rates[rates["count"].notna() & rates["value"].isna()]
    # only Bournemouth, Dorset (old county) and Poole, 2013-2019: x in the ONS file for 2012-2018
    assert set(missing_population["area_code"]) == {"E06000028", "E10000009", "E06000029"}
    assert set(missing_population["year"]) == set(range(2013, 2020))


# --- DfE's convention, proved on every row of the official looked-after file ----------------

MEASURES = ("looked_after_at_31_march", "started_in_year", "ceased_in_year")


@pytest.fixture(scope="module")
def cla_with_ons(dfe_dir: Path) -> pd.DataFrame:
    """Looked-after rows with the ONS estimate of 30 June Y-1 and of 30 June Y beside them.

    Local authorities are matched on the DfE code: the looked-after file restates North
    Yorkshire and Somerset on their 2023 ONS codes for 2021-2023, the population file keeps the
    codes then in force. England and regions are matched on their ONS code.
    """
    cla = looked_after.derive(dfe_dir)["looked_after"]
    pop = population.derive(dfe_dir)["population"]
    pop["match"] = pop["la_code"].fillna(pop["area_code"])
    cla["match"] = cla["la_code"].fillna(cla["area_code"])
    ons = pop[["match", "year", "area_code", "population_0_17_at_30_june"]]
    previous = ons.assign(year=ons["year"] + 1).rename(
        columns={"area_code": "ons_area_code", "population_0_17_at_30_june": "ons_previous"}
    )
    same = ons.drop(columns="area_code").rename(columns={"population_0_17_at_30_june": "ons_same_year"})
    return cla.merge(previous, on=["match", "year"], how="left", validate="one_to_one").merge(
        same, on=["match", "year"], how="left", validate="one_to_one"
    )


def test_dfe_population_is_the_mid_year_estimate_of_the_previous_year(cla_with_ons: pd.DataFrame) -> None:
    used = cla_with_ons[cla_with_ons["rate_population_0_17"].notna()]
    assert (used["rate_population_0_17"] == used["ons_previous"]).all()
    assert (used["rate_population_0_17"] == used["ons_same_year"]).mean() < 0.01
    # where DfE gives no population (x), no ONS estimate exists for the area at 30 June Y-1
    assert cla_with_ons.loc[cla_with_ons["rate_population_0_17"].isna(), "ons_previous"].isna().all()
    restated = used[used["area_code"] != used["ons_area_code"]]
    assert set(zip(restated["area_name"], restated["year"], strict=True)) == {
        (name, year) for name in ("North Yorkshire", "Somerset") for year in (2021, 2022, 2023)
    }


def test_every_local_authority_rate_is_count_over_previous_population_rounded_half_up(cla_with_ons: pd.DataFrame) -> None:
    las = cla_with_ons[cla_with_ons["geographic_level"] == "local_authority"]
    checked = 0
    for m in MEASURES:
        count, published = las[f"{m}_count"], las[f"{m}_rate_per_10k"]
        # a published rate is missing exactly when the count is, with the same marker
        assert (published.isna() == count.isna()).all()
        assert (las.loc[count.isna(), f"{m}_rate_per_10k_status"] == las.loc[count.isna(), f"{m}_count_status"]).all()
        present = count.notna()
        ours = round_half_up(rate_per_10k(count[present], las.loc[present, "ons_previous"]), 0)
        mismatched = las.loc[present][ours != published[present]]
        assert mismatched.empty, mismatched[["area_name", "year", f"{m}_count", f"{m}_rate_per_10k"]]
        checked += int(present.sum())
    assert checked == 2267  # 775 authority-years x 3 measures = 2,325 cells, less 58 z or c cells


def test_england_and_regional_rates_use_unrounded_counts(cla_with_ons: pd.DataFrame) -> None:
    """England and regional counts are published to the nearest 10; DfE's rates are not computed
    from the rounded count, so recomputing can miss by 1. Each published rate must still lie in
    the range the unrounded count allows."""
    areas = cla_with_ons[cla_with_ons["geographic_level"] != "local_authority"]
    misses = set()
    for m in MEASURES:
        count, published, pop = areas[f"{m}_count"], areas[f"{m}_rate_per_10k"], areas["ons_previous"]
        assert (count % 10 == 0).all()
        low = round_half_up(rate_per_10k(count - 5, pop), 0)
        high = round_half_up(rate_per_10k(count + 5, pop), 0)
        assert ((low <= published) & (published <= high)).all()
        exact = round_half_up(rate_per_10k(count, pop), 0)
        missed = areas.loc[exact != published, ["area_name", "year"]]
        misses |= {(area, year, m) for area, year in missed.itertuples(index=False)}
    assert misses == {
        ("West Midlands", 2024, "looked_after_at_31_march"),
        ("Inner London", 2024, "ceased_in_year"),
        ("London", 2023, "ceased_in_year"),
        ("Inner London", 2023, "looked_after_at_31_march"),
    }
