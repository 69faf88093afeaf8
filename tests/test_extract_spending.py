"""Spending on children's social care (revenue outturn): re-derivable, published values, the 2014-15 break."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.data.derive import render
from analysis.data.official import spending
from analysis.data.registry import spec

BLACKPOOL, ENGLAND = "E06000009", "E92000001"
VALUE = "csc_net_expenditure_gbp_k"


@pytest.fixture(scope="module")
def derived(expenditure_dir: Path, dfe_dir: Path) -> pd.DataFrame:
    return spending.derive(expenditure_dir, dfe_dir)["spending"]


def _series(frame: pd.DataFrame, area: str, column: str = VALUE) -> dict[str, object]:
    rows = frame[frame["area_code"] == area]
    return dict(zip(rows["financial_year"], rows[column], strict=True))


def test_committed_extract_is_what_the_official_files_give(derived):
    path = spec("spending").path
    assert (paths.DATA_RAW / path).read_bytes() == render({"spending": derived})[path], (
        f"data/raw/{path} differs from a fresh derivation: run `python -m analysis extract`"
    )


def test_blackpool_2018_19_as_published(derived):
    assert _series(derived, BLACKPOOL)["2018-19"] == 41326


def test_blackpool_every_year_as_published(derived):
    # expenditure/SOURCES.md: RO3 total children's social care, net, GBP thousand (2021-22 from RSX)
    expected = [24954, 28220, 30176, 38314, 37908, 37396, 42505, 41326, 53774, 65337, 65298, 72198, 79589]
    got = _series(derived, BLACKPOOL)
    assert list(got.values()) == expected
    assert list(got)[0] == "2011-12" and list(got)[-1] == "2023-24"
    assert _series(derived, BLACKPOOL, "return_form")["2021-22"] == "RSX"


def test_england_as_published_to_the_thousand(derived):
    got = _series(derived, ENGLAND)
    assert (got["2011-12"], got["2018-19"], got["2023-24"]) == (6422715, 9375428, 14454683)


def test_the_2014_15_definition_change_is_marked_and_2010_11_is_not_in_the_series(derived):
    basis = _series(derived, BLACKPOOL, "definition")
    assert basis["2013-14"] == "to_2013_14" and basis["2014-15"] == "from_2014_15"
    assert "2010-11" not in set(derived["financial_year"])


def test_not_available_stays_a_marker(derived):
    row = derived[(derived["la_code"] == "330") & (derived["financial_year"] == "2023-24")].iloc[0]  # Birmingham
    assert pd.isna(row[VALUE]) and row[f"{VALUE}_status"] == "[x]"


def test_reorganised_and_recoded_authorities(derived):
    assert _series(derived, "E06000028").keys() <= {f"{y}-{str(y + 1)[2:]}" for y in range(2011, 2019)}
    assert min(_series(derived, "E06000058")) == "2019-20"
    # Buckinghamshire: county code to 2019-20, the unitary's code from 2020-21
    assert max(_series(derived, "E10000002")) == "2019-20" and min(_series(derived, "E06000060")) == "2020-21"
    # North Yorkshire 2015-16: the workbook's mistyped code is read as the authority's
    assert "2015-16" in _series(derived, "E10000023")
