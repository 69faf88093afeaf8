"""Areas: England, regions and local authorities as they appear in the official files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.extracts.common import ees_areas, finish, read_ees
from analysis.schema import SOURCE_ID, Column, ExtractSpec, area_columns

# Official EES files that carry area geography, with the source id each row will cite.
AREA_FILES: dict[str, str] = {
    "b1_children_in_need_2013_to_2025.csv": "dfe-cin-b1-2025",
    "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv": "dfe-cin-c1-2025",
    "d3_cpps_subsequent_plan_2013_to_2025.csv": "dfe-cin-d3-2025",
    "d5_cpps_at31march_by_duration_2013_to_2025.csv": "dfe-cin-d5-2025",
    "csww_indicators_2017_to_2025.csv": "dfe-csww-2025",
    "csww_headline_measures_2017_to_2022.csv": "dfe-csww-2022",
    "cla_number_and_rate_per_10k_children.csv": "dfe-cla-2025",
    "ons_mid-year_population_estimates_2012_to_2024.csv": "ons-pop-0-17",
}

AREAS = ExtractSpec(
    name="areas",
    path="official/areas.csv",
    title="Areas",
    description=("England, its regions and every local authority (children's services level) found in "
                 "the official files, keyed by ONS code, with the years each appears."),
    origin="official",
    key=("area_code",),
    columns=(
        *area_columns(),
        Column("region_code", "area_code", "ONS code of the region the area belongs to", nullable=True),
        Column("region_name", "text", "Region the area belongs to", nullable=True),
        Column("first_year", "year", "First reporting year the area appears in any official file"),
        Column("last_year", "year", "Last reporting year the area appears in any official file"),
        SOURCE_ID,
    ),
    notes=("Name and region are taken from the area's most recent row; the source is that row's file.",),
)

SPECS = (AREAS,)


def derive(source_dir: Path) -> dict[str, pd.DataFrame]:
    frames = []
    for file, source_id in AREA_FILES.items():
        raw = read_ees(source_dir / file)
        rows = ees_areas(raw)
        rows["region_code"] = raw["region_code"].where(rows["geographic_level"] != "national", "")
        rows["region_name"] = raw["region_name"].where(rows["geographic_level"] != "national", "")
        rows["year"] = raw["time_period"].astype(int)
        rows["source_id"] = source_id
        rows["priority"] = len(frames)
        frames.append(rows)
    rows = pd.concat(frames, ignore_index=True)
    span = rows.groupby("area_code")["year"].agg(["min", "max"])
    # Latest year wins; within a year the first file listed wins (CIN files use the nine regions,
    # workforce splits London into inner and outer).
    latest = (rows.sort_values(["area_code", "year", "priority"], ascending=[True, True, False], kind="stable")
                  .groupby("area_code").tail(1).set_index("area_code"))
    out = latest.drop(columns=["year", "priority"]).join(span.rename(columns={"min": "first_year", "max": "last_year"}))
    out = out.reset_index()
    for c in ("la_code", "region_code", "region_name"):
        out[c] = out[c].replace("", pd.NA)
    return {"areas": finish(out, AREAS)}
