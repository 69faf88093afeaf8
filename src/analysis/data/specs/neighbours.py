"""Statistical neighbours: each local authority's ten most similar authorities, DfE 2021 and 2025 models."""

from __future__ import annotations

from dataclasses import dataclass

from analysis.data.schema import SOURCE_ID, Column, ExtractSpec


@dataclass(frozen=True)
class Model:
    """One published model file: its layout, the date whose codes apply, and its source id."""

    file: str
    source_id: str
    codes_on: str
    la_column: str
    name_column: str
    neighbour_prefix: str  # neighbour k's code is column f"{prefix}{k}"; its closeness the column after it


MODELS: dict[str, Model] = {
    "2021": Model(
        "New_Statistical_Neighbour_Groupings_April_2021.csv", "dfe-sn-2021", "2021-04-01", "LA num", "LA Name", "SN"
    ),
    "2025": Model("sn_model_2025_wide.csv", "dfe-sn-2025", "2025-04-01", "old_la_code", "la_name", "SN_"),
}
RANKS = range(1, 11)
# Published closeness labels, stripped and in sentence case (the files differ in case and trailing spaces).
CLOSENESS = ("Extremely close", "Very close", "Close", "Somewhat close", "Not close")
# The 2021 file lists, below a row reading "Old SNs:", groupings of authorities abolished before 2021.
OLD_SECTION = "Old SNs:"

NEIGHBOURS = ExtractSpec(
    name="neighbours",
    path="official/neighbours.csv",
    title="Statistical neighbours (DfE 2021 and 2025 models)",
    description=(
        "For each local authority, its ten statistical neighbours in rank order with DfE's "
        "closeness label, in the April 2021 model and the 2025 model. A report must name the model "
        "it uses: Blackpool's neighbours differ in 5 of 10 places between them."
    ),
    origin="official",
    key=("model", "area_code", "rank"),
    columns=(
        Column("model", "category", "Statistical neighbour model: 2021 (April 2021) or 2025", allowed=tuple(MODELS)),
        Column("area_code", "area_code", "ONS code of the local authority, as in use in the model's year"),
        Column("la_code", "la_code", "DfE 3-digit code of the local authority"),
        Column("area_name", "text", "Local authority name as the model file writes it"),
        Column("rank", "count", "Neighbour's rank, 1 (closest) to 10"),
        Column("neighbour_area_code", "area_code", "ONS code of the neighbour, as in use in the model's year"),
        Column("neighbour_la_code", "la_code", "DfE 3-digit code of the neighbour (stable across code changes)"),
        Column("neighbour_name", "text", "Neighbour's name as the model file writes it"),
        Column(
            "closeness",
            "category",
            "DfE's closeness label for the neighbour (case and spacing normalised)",
            allowed=CLOSENESS,
        ),
        SOURCE_ID,
    ),
    area_column="area_code",
    notes=(
        "ONS codes are those in use from April of the model's year (2021-04-01, 2025-04-01): in the 2021 "
        "model North Yorkshire is E10000023 and Somerset E10000027; in the 2025 model they are E06000065 "
        "and E06000066, and Barnsley and Sheffield E08000038 and E08000039. To read a neighbour's figures "
        "for a year whose data use another code, join on neighbour_la_code.",
        "The 2021 file's rows below 'Old SNs:' (Dorset, Poole and Bournemouth before 2019, "
        "Northamptonshire before 2021) are groupings for authorities that no longer existed in April "
        "2021 and are left out.",
        "Closeness labels are published as e.g. 'Very Close' (2021) and 'Very close ' (2025); stored "
        "stripped and in sentence case.",
    ),
)

SPECS = (NEIGHBOURS,)
