"""Placement stability and care leavers, 2019-2023: children looked after in England including
adoptions, reporting year 2023 (explore-education-statistics), for England, regions and every
local authority. Counts and percentages as published (percentages are whole numbers).
"""

from __future__ import annotations

from analysis.data.schema import SOURCE_ID, Column, ExtractSpec, Polarity, area_columns

RELEASE = "2022 to 2023"
AT_31_MARCH = "31 March of year"
YEAR_TO_31_MARCH = "year ending 31 March of year"
STABILITY_FILE = "cla_ees_2023_release/la_cla_placement_stability.csv"
ACTIVITY_FILE = "cla_ees_2023_release/la_care_leavers_activity.csv"
ACCOMMODATION_FILE = "cla_ees_2023_release/la_care_leavers_accommodation_suitability.csv"
STABILITY_SOURCE = "dfe-cla-placement-stability-2023"
ACTIVITY_SOURCE = "dfe-cla-care-leavers-activity-2023"
ACCOMMODATION_SOURCE = "dfe-cla-care-leavers-accommodation-2023"

LONG_TERM = "Children looked after continuously for at least 2.5 years at 31 March aged under 16 years"
SAME_CARER = (
    "Living with the same carer for at least 2 years, or are placed for adoption and their adoptive "
    "placement together with their previous placement, last for at least 2 years"
)
THREE_PLUS = "With 3 or more placements during the year"

# our column -> (filter on the official columns, value column)
STABILITY_MEASURES: dict[str, tuple[dict[str, str], str]] = {
    "cla_at_31_march_count": ({"cla_group": "CLA on 31 March", "placement_stability": "Total children"}, "number"),
    "three_or_more_placements_count": ({"cla_group": "CLA on 31 March", "placement_stability": THREE_PLUS}, "number"),
    "three_or_more_placements_pct": ({"cla_group": "CLA on 31 March", "placement_stability": THREE_PLUS}, "percentage"),
    "long_term_cohort_count": ({"cla_group": LONG_TERM, "placement_stability": "Total children"}, "number"),
    "long_term_same_placement_count": ({"cla_group": LONG_TERM, "placement_stability": SAME_CARER}, "number"),
    "long_term_same_placement_pct": ({"cla_group": LONG_TERM, "placement_stability": SAME_CARER}, "percentage"),
}
EET = "Total in education, employment or training"
SUITABLE = "Accommodation considered suitable"
ACTIVITY_MEASURES: dict[str, tuple[dict[str, str], str]] = {
    "care_leavers_19_21_count": ({"age": "Aged 19 to 21", "activity": "Total"}, "number"),
    "care_leavers_19_21_eet_count": ({"age": "Aged 19 to 21", "activity": EET}, "number"),
    "care_leavers_19_21_eet_pct": ({"age": "Aged 19 to 21", "activity": EET}, "percentage"),
    "care_leavers_17_18_count": ({"age": "Aged 17 to 18", "activity": "Total"}, "number"),
    "care_leavers_17_18_eet_pct": ({"age": "Aged 17 to 18", "activity": EET}, "percentage"),
}
ACCOMMODATION_MEASURES: dict[str, tuple[dict[str, str], str]] = {
    "care_leavers_19_21_suitable_accommodation_pct": (
        {"age": "19 to 21 years", "accommodation_suitability": SUITABLE},
        "percentage",
    ),
    "care_leavers_17_18_suitable_accommodation_pct": (
        {"age": "17 to 18 years", "accommodation_suitability": SUITABLE},
        "percentage",
    ),
}


def _measure(name: str, kind: str, description: str, unit: str, polarity: Polarity, reference_date: str) -> Column:
    return Column(name, kind, description, unit=unit, polarity=polarity, reference_date=reference_date, status=True)


_NOTES = (
    "One release (2022 to 2023) for every year, 2019-2023.",
    "Authorities listed for years in which they did not exist (every cell z) are left out.",
)

PLACEMENT_STABILITY = ExtractSpec(
    name="placement_stability",
    path="official/placement_stability.csv",
    title="Placement stability of children looked after",
    description=(
        "Children looked after at 31 March with three or more placements during the year, and children "
        "under 16 looked after for at least two and a half years who have lived in the same placement "
        "for at least two years, 2019-2023."
    ),
    origin="official",
    key=("area_code", "year"),
    columns=(
        *area_columns(),
        Column("year", "year", "31 March of this year", reference_date=AT_31_MARCH),
        _measure(
            "cla_at_31_march_count",
            "count",
            "Children looked after at 31 March (the denominator). Neutral",
            "children",
            "neutral",
            AT_31_MARCH,
        ),
        _measure(
            "three_or_more_placements_count",
            "count",
            "Children looked after at 31 March who had three or more placements during the year",
            "children",
            "lower_better",
            YEAR_TO_31_MARCH,
        ),
        _measure(
            "three_or_more_placements_pct",
            "pct",
            "Percentage of children looked after at 31 March with three or more placements during the year",
            "% of children looked after",
            "lower_better",
            YEAR_TO_31_MARCH,
        ),
        _measure(
            "long_term_cohort_count",
            "count",
            "Children under 16 at 31 March looked after continuously for at least 2.5 years. Neutral",
            "children",
            "neutral",
            AT_31_MARCH,
        ),
        _measure(
            "long_term_same_placement_count",
            "count",
            "Of those, children living in the same placement for at least 2 years (or placed for adoption "
            "with their previous placement together lasting 2 years)",
            "children",
            "higher_better",
            AT_31_MARCH,
        ),
        _measure(
            "long_term_same_placement_pct",
            "pct",
            "Percentage of the long-term cohort in the same placement for at least 2 years",
            "% of children looked after 2.5 years or more, under 16",
            "higher_better",
            AT_31_MARCH,
        ),
        Column("release", "text", "The release the row is taken from"),
        SOURCE_ID,
    ),
    reference_date=AT_31_MARCH,
    notes=_NOTES,
)

CARE_LEAVERS = ExtractSpec(
    name="care_leavers",
    path="official/care_leavers.csv",
    title="Care leavers: education, employment or training and suitable accommodation",
    description=(
        "Care leavers aged 17-18 and 19-21 in the year to 31 March (around their birthdays): how many the "
        "council is in touch with, the share in education, employment or training, and the share in "
        "suitable accommodation, 2019-2023."
    ),
    origin="official",
    key=("area_code", "year"),
    columns=(
        *area_columns(),
        Column("year", "year", "Year ending 31 March of this year", reference_date=YEAR_TO_31_MARCH),
        _measure(
            "care_leavers_19_21_count",
            "count",
            "Care leavers aged 19 to 21 (the denominator). Neutral",
            "young people",
            "neutral",
            YEAR_TO_31_MARCH,
        ),
        _measure(
            "care_leavers_19_21_eet_count",
            "count",
            "Care leavers aged 19 to 21 in education, employment or training",
            "young people",
            "higher_better",
            YEAR_TO_31_MARCH,
        ),
        _measure(
            "care_leavers_19_21_eet_pct",
            "pct",
            "Percentage of care leavers aged 19 to 21 in education, employment or training",
            "% of care leavers aged 19-21",
            "higher_better",
            YEAR_TO_31_MARCH,
        ),
        _measure(
            "care_leavers_17_18_count",
            "count",
            "Care leavers aged 17 to 18 (the denominator). Neutral",
            "young people",
            "neutral",
            YEAR_TO_31_MARCH,
        ),
        _measure(
            "care_leavers_17_18_eet_pct",
            "pct",
            "Percentage of care leavers aged 17 to 18 in education, employment or training",
            "% of care leavers aged 17-18",
            "higher_better",
            YEAR_TO_31_MARCH,
        ),
        _measure(
            "care_leavers_19_21_suitable_accommodation_pct",
            "pct",
            "Percentage of care leavers aged 19 to 21 in accommodation considered suitable",
            "% of care leavers aged 19-21",
            "higher_better",
            YEAR_TO_31_MARCH,
        ),
        _measure(
            "care_leavers_17_18_suitable_accommodation_pct",
            "pct",
            "Percentage of care leavers aged 17 to 18 in accommodation considered suitable",
            "% of care leavers aged 17-18",
            "higher_better",
            YEAR_TO_31_MARCH,
        ),
        Column("release", "text", "The release the row is taken from"),
        Column(
            "accommodation_source_id",
            "text",
            "Source of the two accommodation columns (a source_id in data/raw/sources.csv); source_id is the "
            "activity file's",
        ),
        SOURCE_ID,
    ),
    reference_date=YEAR_TO_31_MARCH,
    notes=_NOTES,
)

SPECS = (PLACEMENT_STABILITY, CARE_LEAVERS)
