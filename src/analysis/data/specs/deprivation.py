"""Child income deprivation: IDACI average scores of upper-tier local authorities, Indices of Deprivation 2015 and 2019.

Context for the deprivation model (``analysis.measures.deprivation_model``), not a performance measure.
Each edition lists the upper-tier authorities with the codes of its own date (2015 edition: codes
of 2013; 2019 edition: codes of 2019); which edition and code stand for an authority in a given
year is decided in ``analysis.measures.deprivation_model`` and written in docs/methods.md.
"""

from __future__ import annotations

from analysis.data.schema import SOURCE_ID, Column, ExtractSpec, area_columns

CONTEXT_DIR = "context"
"""Folder beside ``shared/data/dfe`` holding the Indices files (shared/data/context)."""
EDITIONS: dict[int, tuple[str, str, str]] = {
    # edition -> (file, sheet, source id)
    2015: ("IoD2015_upper_tier_LA_summaries.xlsx", "IDACI", "mhclg-iod-2015-ut"),
    2019: ("IoD2019_upper_tier_LA_summaries.xlsx", "IDACI", "mhclg-iod-2019-ut"),
}
SCORE_HEADER = "Average score"
RANK_HEADER = "Rank of average score"

DEPRIVATION = ExtractSpec(
    name="deprivation",
    path="official/deprivation.csv",
    title="Child income deprivation (IDACI average score), Indices of Deprivation 2015 and 2019",
    description=(
        "For each upper-tier local authority in each edition of the English Indices of "
        "Deprivation, the average IDACI score of its small areas (the population-weighted "
        "share of children aged 0-15 living in income-deprived families) and its rank."
    ),
    origin="official",
    key=("area_code", "year"),
    reference_date="edition of the Indices",
    columns=(
        *area_columns(),
        Column(
            "year",
            "year",
            "Edition of the English Indices of Deprivation (2015 or 2019); the income data "
            "behind each refer to earlier tax years (2012-13 and 2015-16)",
            reference_date="edition",
        ),
        Column(
            "idaci_average_score",
            "ratio",
            "IDACI average score: population-weighted mean over the authority's small areas of the "
            "proportion of children aged 0-15 in income-deprived families (0 to 1). Context, not performance.",
            unit="proportion of children",
            polarity="neutral",
            reference_date="edition",
        ),
        Column(
            "idaci_rank_of_average_score",
            "count",
            "Rank of the average score among upper-tier authorities in the edition (1 = most deprived)",
            unit="rank",
        ),
        SOURCE_ID,
    ),
    notes=(
        "Codes are those of each edition: the 2015 edition lists Bournemouth, Poole and Dorset county "
        "(before the 2019 merger) and Buckinghamshire under E10000002; the 2019 edition lists "
        "Bournemouth, Christchurch and Poole and the new Dorset, and Northamptonshire as one county.",
        "la_code is DfE's code for the same ONS code in the areas extract.",
    ),
)

SPECS = (DEPRIVATION,)
