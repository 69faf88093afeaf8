"""Plausibility rules on small frames, the thresholds against the real data, and commas in official cells."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis import paths
from analysis.data.jumps import THRESHOLDS, derive_thresholds, jumps
from analysis.data.load import load_all
from analysis.data.markers import parse_cell
from analysis.data.plausibility import KNOWN_EXCEPTIONS, check
from analysis.data.registry import all_specs


@pytest.fixture(scope="module")
def committed() -> dict[str, pd.DataFrame]:
    return load_all()


# ---------------------------------------------------------------- commas


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2,338", 2338.0),
        ("1,234,567", 1234567.0),
        ("12,345.5", 12345.5),
        ("-1,000", -1000.0),
        ("16.8", 16.8),
        ("168", 168.0),
    ],
)
def test_thousands_separators_between_groups_of_three(text, value):
    assert parse_cell(text) == (value, "")


@pytest.mark.parametrize("text", ["16,8", "1,23", ",5", "1,2345", "12,34,567", "1,234,56", "16,80", "1,"])
def test_any_other_comma_is_an_error(text):
    with pytest.raises(ValueError, match="thousands separator"):
        parse_cell(text)


@pytest.mark.parametrize("whole", [0, 1, 16, 20, 99, 123])
@pytest.mark.parametrize("tenths", range(10))
def test_a_decimal_comma_is_never_read_as_a_larger_number(whole, tenths):
    try:
        value, _ = parse_cell(f"{whole},{tenths}")
    except ValueError:
        return
    pytest.fail(f"{whole},{tenths} was read as {value}")


# ---------------------------------------------------------------- the rules on small frames


def _frame(rows: list[dict], first_line: int = 2) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame.index = pd.Index(range(first_line, first_line + len(frame)), name="line")
    return frame


def _area(code: str = "E06000009", name: str = "Blackpool", year: int = 2024, **values) -> dict:
    return {"area_code": code, "area_name": name, "geographic_level": "local_authority", "year": year, **values}


POPULATION = _frame(
    [_area(year=2023, population_0_17_at_30_june=28_900.0), _area(year=2024, population_0_17_at_30_june=28_923.0)]
)


def test_children_above_the_population_is_an_error():
    cp = _frame(
        [
            _area(year=2024, cp_plans_at_31_march_count=28_924.0),
            _area(year=2025, cp_plans_at_31_march_count=28_923.0),  # 2024's estimate: not above
            _area(code="E06000001", name="Hartlepool", cp_plans_at_31_march_count=10**9),
        ]
    )  # no population
    found = check({"population": POPULATION, "cp_plans_at_31_march": cp})
    [error] = found.errors
    assert (error.file, error.line, error.column) == (
        "data/raw/official/cp_plans_at_31_march.csv",
        2,
        "cp_plans_at_31_march_count",
    )
    assert error.reason == (
        "28,924 children in Blackpool in 2024 is more than the 28,923 children aged 0-17 living there (population extract)"
    )


def test_rates_above_10000_and_rates_not_from_their_count():
    rows = {
        f"{p}_{k}": v
        for p in ("looked_after_at_31_march", "started_in_year", "ceased_in_year")
        for k, v in (("count", 300.0), ("rate_per_10k", 104.0))
    }
    la = _frame(
        [
            _area(rate_population_0_17=28_923.0, **rows),
            _area(year=2025, rate_population_0_17=28_923.0, **{**rows, "started_in_year_rate_per_10k": 10_001.0}),
        ]
    )
    found = check({"looked_after": la})
    assert [(e.line, e.column) for e in found.errors] == [
        (3, "started_in_year_rate_per_10k"),
        (3, "started_in_year_rate_per_10k"),
    ]
    assert "above 10,000" in found.errors[0].reason and "not the count over the population" in found.errors[1].reason


def test_a_percentage_must_be_its_parts_for_local_authorities():
    rows = [
        _area(
            cp_plans_started_count=200.0, cp_plans_second_or_subsequent_count=50.0, cp_plans_second_or_subsequent_pct=25.0
        ),
        _area(
            year=2025,
            cp_plans_started_count=200.0,
            cp_plans_second_or_subsequent_count=50.0,
            cp_plans_second_or_subsequent_pct=25.6,
        ),
        {
            **_area(code="E12000002", name="North West"),
            "geographic_level": "regional",
            "cp_plans_started_count": 200.0,
            "cp_plans_second_or_subsequent_count": 50.0,
            "cp_plans_second_or_subsequent_pct": 30.0,
        },
    ]  # regions are not checked
    found = check({"cp_plans_started": _frame(rows)})
    [error] = found.errors
    assert error.line == 3 and error.reason == (
        "25.6% is not cp_plans_second_or_subsequent_count over cp_plans_started_count (25.0%)"
    )


def test_fte_above_headcount_unless_published_so():
    (name, area, year, _), _ = next(iter(KNOWN_EXCEPTIONS.items()))
    rows = [
        _area(social_workers_fte=196.5, social_workers_headcount=196.0),
        _area(code=area, year=year, social_workers_fte=500.0, social_workers_headcount=100.0),
    ]
    found = check({name: _frame(rows)})
    assert [(e.line, e.column, e.reason) for e in found.errors] == [
        (2, "social_workers_fte", "196.5 FTE is more than the headcount of 196")
    ]


def test_hand_curated_counts_are_not_negative():
    quoted = _frame(
        [
            {"unit": "count", "value": -31.0},
            {"unit": "gbp_m", "value": -2.5},
            {"unit": "pct", "value": 101.0},
            {"unit": "fte", "value": 4.0},
        ]
    )
    found = check({"quoted_figures": quoted})
    assert [(e.file, e.line, e.reason) for e in found.errors] == [
        ("data/raw/local/quoted_figures.csv", 2, "a count must not be negative: got -31"),
        ("data/raw/local/quoted_figures.csv", 4, "a percentage must be at most 100: got 101"),
    ]


def test_a_jump_above_the_threshold_is_a_warning_naming_the_later_year():
    threshold = THRESHOLDS[("cin", "cin_at_31_march_count")]
    old = 1_000.0
    just_below = (old + 10) * math.exp(threshold) - 10 - 1
    cin = _frame(
        [
            _area(year=2023, cin_at_31_march_count=old),
            _area(year=2024, cin_at_31_march_count=just_below),
            _area(code="E06000008", name="Blackburn with Darwen", year=2023, cin_at_31_march_count=old),
            _area(code="E06000008", name="Blackburn with Darwen", year=2024, cin_at_31_march_count=old * 4),
        ]
    )
    found = check({"cin": cin})
    assert found.errors == []
    [warning] = found.warnings
    assert (warning.line, warning.column) == (5, "cin_at_31_march_count")
    assert warning.reason.startswith("Blackburn with Darwen: 1,000 in 2023 to 4,000 in 2024 (x4)")


# ---------------------------------------------------------------- the real data


def test_the_committed_extracts_are_plausible(committed):
    found = check(committed)
    assert found.errors == []
    # real changes above the thresholds, e.g. Cumbria's case holders in 2018: few, each worth a look
    assert 0 < len(found.warnings) <= 60, len(found.warnings)


def test_every_measure_has_a_declared_threshold_near_the_documented_rule(committed):
    derived = derive_thresholds(committed)
    assert set(THRESHOLDS) == set(derived)
    for key, declared in THRESHOLDS.items():
        assert 0.8 * derived[key] <= declared <= 1.25 * derived[key], (key, declared, derived[key])
    specs = all_specs()
    assert {(j.extract, j.column) for j in jumps()} == set(THRESHOLDS)
    assert all(j.scale == ("pp" if specs[j.extract].column(j.column).kind == "pct" else "log") for j in jumps())


def test_docs_list_every_threshold():
    doc = (paths.DOCS / "refresh.md").read_text(encoding="utf-8")
    for jump in jumps():
        assert (
            f"| {jump.extract} | {jump.column} |" in doc
            and f"| {jump.threshold:g} |" in doc.split(f"| {jump.extract} | {jump.column} |")[1].splitlines()[0]
        ), (jump.extract, jump.column)
