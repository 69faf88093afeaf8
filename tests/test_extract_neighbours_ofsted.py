"""Neighbours and Ofsted extracts: re-derivable, mapped to the right codes, Blackpool as published."""

from __future__ import annotations

import math
import time
from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.data.derive import render
from analysis.data.official import neighbours, ofsted
from analysis.data.registry import spec
from analysis.errors import DataError

BLACKPOOL = "E06000009"


@pytest.fixture(scope="module")
def sn(dfe_dir: Path) -> pd.DataFrame:
    return neighbours.derive(dfe_dir)["neighbours"]


@pytest.fixture(scope="module")
def timed_ofsted(dfe_dir: Path, more_dir: Path) -> tuple[dict[str, pd.DataFrame], float]:
    """The three .ods files are read once for the whole module."""
    start = time.perf_counter()
    frames = ofsted.derive(dfe_dir, more_dir)
    return frames, time.perf_counter() - start


@pytest.fixture(scope="module")
def inspections(timed_ofsted) -> pd.DataFrame:
    return timed_ofsted[0]["ofsted_inspections"]


@pytest.fixture(scope="module")
def visits(timed_ofsted) -> pd.DataFrame:
    return timed_ofsted[0]["ofsted_visits"]


def _committed_equals(name: str, frame: pd.DataFrame) -> None:
    rendered = render({name: frame})
    path = spec(name).path
    assert (paths.DATA_RAW / path).read_bytes() == rendered[path], (
        f"data/raw/{path} differs from a fresh derivation: run `python -m analysis extract`"
    )


def test_committed_neighbours_are_what_the_model_files_give(sn):
    _committed_equals("neighbours", sn)


@pytest.mark.parametrize("name", ["ofsted_inspections", "ofsted_visits"])
def test_committed_ofsted_extracts_are_what_the_ods_files_give(timed_ofsted, name):
    _committed_equals(name, timed_ofsted[0][name])


# ------------------------------------------------------------------------------------ neighbours


def test_blackpool_has_ten_neighbours_in_each_model_and_five_differ(sn):
    group = {m: sn[(sn["model"] == m) & (sn["area_code"] == BLACKPOOL)] for m in ("2021", "2025")}
    for rows in group.values():
        assert rows["rank"].tolist() == list(range(1, 11))
    first, second = (set(group[m]["neighbour_la_code"]) for m in ("2021", "2025"))
    assert len(first - second) == 5
    assert group["2021"].iloc[0][["neighbour_la_code", "neighbour_name", "closeness"]].tolist() == [
        "805",
        "Hartlepool",
        "Very close",
    ]


def test_every_authority_has_ten_mapped_neighbours(sn):
    assert (sn.groupby(["model", "area_code"]).size() == 10).all()
    assert sn["neighbour_area_code"].notna().all()
    assert set(sn["closeness"]) <= set(neighbours.CLOSENESS)


def test_codes_are_those_in_use_in_the_models_year(sn):
    def codes(model: str, la: str) -> set[str]:
        return set(sn.loc[(sn["model"] == model) & (sn["neighbour_la_code"] == la), "neighbour_area_code"])

    assert codes("2021", "815") == {"E10000023"} and codes("2025", "815") == {"E06000065"}  # North Yorkshire
    assert codes("2021", "370") == {"E08000016"} and codes("2025", "370") == {"E08000038"}  # Barnsley
    assert codes("2021", "825") == codes("2025", "825") == {"E06000060"}  # Buckinghamshire, unitary 2020
    assert not sn["la_code"].isin(list(ofsted.PRE_RESTRUCTURE.values())).any()  # "Old SNs:" left out


def _areas() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area_code": ["E06000009", "E08000016", "E08000038"],
            "la_code": ["890", "370", "370"],
            "area_name": ["Blackpool", "Barnsley", "Barnsley"],
            "geographic_level": ["local_authority"] * 3,
        }
    )


def test_area_codes_pick_the_code_by_date_and_refuse_an_unknown_change():
    codes = neighbours.AreaCodes(_areas())
    assert codes.area_code("370", "2025-03-31") == "E08000016"
    assert codes.area_code("370", "2025-04-01") == "E08000038"
    assert codes.area_code("999", "2025-04-01") is None
    doubled = _areas().assign(la_code=["890", "890", "370"])
    with pytest.raises(DataError, match="CHANGES in analysis.data.specs.authority_changes"):
        neighbours.AreaCodes(doubled)


def test_an_unmappable_neighbour_stops_the_extract(tmp_path):
    header = "old_la_code,la_name," + ",".join(f"SN_{k},SN_{k}P" for k in range(1, 11))
    row = "890,Blackpool," + ",".join(f"{'999' if k == 3 else '370'},Close " for k in range(1, 11))
    barnsley = "370,Barnsley," + ",".join("890,Very close" for _ in range(1, 11))
    path = tmp_path / "model.csv"
    path.write_text("\n".join([header, row, barnsley]) + "\n", encoding="utf-8")
    model = neighbours.Model("model.csv", "dfe-sn-2025", "2025-04-01", "old_la_code", "la_name", "SN_")
    with pytest.raises(DataError, match="'999'") as info:
        neighbours.model_rows("2025", model, path, neighbours.AreaCodes(_areas()))
    assert info.value.problems[0].line == 2 and info.value.problems[0].column == "SN_3"


# ------------------------------------------------------------------------------------ Ofsted


def test_ods_files_are_read_quickly(timed_ofsted):
    took = timed_ofsted[1]
    assert took < 15, f"reading both Ofsted files took {took:.1f} s: is calamine in use?"


def _blackpool(inspections: pd.DataFrame, framework: str, published: str) -> pd.Series:
    hit = inspections[
        (inspections["area_code"] == BLACKPOOL)
        & (inspections["framework"] == framework)
        & (inspections["published"] == published)
    ]
    assert len(hit) == 1, (framework, published)
    return hit.iloc[0]


RI = "Requires improvement to be good"


def test_blackpool_inspection_history(inspections):
    cpi = _blackpool(inspections, "CPI", "2012-07-13")
    assert cpi["overall_effectiveness"] == "Inadequate" and cpi["leadership_status"] == "not_in_release"
    sif = _blackpool(inspections, "SIF", "2014-09-08")
    sif_judgements = [
        "overall_effectiveness",
        "help_and_protection",
        "children_in_care",
        "adoption",
        "care_leavers",
        "leadership",
        "lscb",
    ]
    assert sif[sif_judgements].tolist() == [RI] * 7
    judgements = ["overall_effectiveness", "leadership", "help_and_protection", "children_in_care"]
    first = _blackpool(inspections, "ILACS", "2019-01-17")
    assert first["inspection_start"] == "2018-11-26" and first["inspection_type"] == "standard"
    assert first[judgements].tolist() == ["Inadequate", "Inadequate", "Inadequate", RI]
    second = _blackpool(inspections, "ILACS", "2023-02-01")
    assert second["inspection_start"] == "2022-12-05"
    assert second[judgements].tolist() == [RI, RI, RI, "Good"]
    assert math.isnan(second["care_leavers"]) and second["care_leavers_status"] == "blank"


def test_blackpool_monitoring_visits(visits):
    mine = visits[visits["area_code"] == BLACKPOOL]
    assert mine[["visit_date", "visit_type", "theme", "source_id"]].values.tolist() == [
        ["2021-09-28", "monitoring visit", "Achieving permanence", ofsted.SOURCE_2022],
        ["2022-01-11", "monitoring visit", "Front door", ofsted.SOURCE_2022],
        ["2022-06-14", "monitoring visit", "Children in need/subject to a plan", ofsted.SOURCE_2023],
    ]


def test_visits_in_two_sheets_are_one_row(visits):
    assert not visits.duplicated(["area_code", "visit_date", "visit_type"]).any()
    # the sheets meet in March 2022: Trafford's visit of 10 March from the 2023 file, Lincolnshire's of 16 March
    # from the 2022 file
    march = visits[(visits["visit_date"] >= "2022-03-01") & (visits["visit_date"] <= "2022-03-31")]
    assert set(march["source_id"]) == {ofsted.SOURCE_2022, ofsted.SOURCE_2023}


def _visit_frame(rows: list[tuple[str, str, str]], source: str) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["area_code", "visit_date", "theme"]).assign(
        visit_type="monitoring visit", source_id=source
    )
    frame.index = pd.RangeIndex(2, len(frame) + 2, name="line")
    return frame


def test_a_visit_in_both_sheets_is_kept_once_from_the_later_file():
    earlier = _visit_frame([("E1", "2022-03-02", "Front door"), ("E2", "2021-05-01", "Care leavers")], "2022")
    later = _visit_frame([("E1", "2022-03-02", "Front door")], "2023")
    kept = ofsted._one_row_per_visit([earlier, later], Path("ofsted_2022.ods"))
    assert kept[0]["area_code"].tolist() == ["E2"] and kept[1]["source_id"].tolist() == ["2023"]
    clash = _visit_frame([("E1", "2022-03-02", "Care leavers")], "2023")
    with pytest.raises(DataError, match="theme 'Front door' but the 2023 file says 'Care leavers'"):
        ofsted._one_row_per_visit([earlier, clash], Path("ofsted_2022.ods"))


def test_each_framework_comes_from_one_release(inspections):
    sources = inspections.groupby("framework")["source_id"].agg(set).to_dict()
    assert sources.pop("ILACS") == {ofsted.SOURCE_2025}
    assert all(s == {ofsted.SOURCE_2023} for s in sources.values())
    assert not inspections.duplicated(["area_code", "framework", "published"]).any()


def test_dash_cell_is_nan_with_its_marker(inspections):
    city = inspections[(inspections["area_name"] == "City of London") & (inspections["framework"] == "SIF")]
    assert math.isnan(city.iloc[0]["adoption"]) and city.iloc[0]["adoption_status"] == "-"


def test_codes_follow_the_publication_date(inspections):
    north_yorks = inspections[inspections["la_code"] == "815"].set_index("published")["area_code"]
    assert north_yorks["2018-08-06"] == "E10000023"  # the 2025 file writes today's E06000065
    pre = inspections[inspections["area_name"] == "Dorset"].set_index("published")["la_code"]
    assert pre["2011-10-28"] == "835"  # the pre-2019 county, from the sheet's second table
    cornwall = inspections[inspections["area_name"] == "Cornwall"]
    merged = cornwall[cornwall["published"] == "2011-02-25"]
    assert merged[["safeguarding", "looked_after_children"]].values.tolist() == [["Inadequate", RI]]
