"""Areas: England, regions and local authorities as they appear in the official files."""

from __future__ import annotations

from analysis.data.schema import SOURCE_ID, Column, ExtractSpec, area_columns

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
    description=(
        "England, its regions and every local authority (children's services level) found in "
        "the official files, keyed by ONS code, with the years each appears."
    ),
    origin="official",
    key=("area_code",),
    columns=(
        *area_columns(),
        Column("region_code", "area_code", "ONS code of the region the area belongs to", nullable=True),
        Column("region_name", "text", "Region the area belongs to", nullable=True),
        Column("first_year", "year", "First reporting year the area has a value in any official file"),
        Column("last_year", "year", "Last reporting year the area has a value in any official file"),
        SOURCE_ID,
    ),
    notes=(
        "Name and region are taken from the area's most recent row with a value; the source is that row's file.",
        "A row whose figures are all markers (DfE's z, not applicable, for an authority that did not exist "
        "that year) is not counted: Cumbria's last year is 2023, Cumberland's first 2023.",
        "Which authorities existed when, and how their codes changed, is analysis.data.geography (docs/geography.md).",
    ),
)

SPECS = (AREAS,)
