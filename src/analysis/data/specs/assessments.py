"""Children in need assessments completed in the year to 31 March and how long they took, 2014-2022.

From DfE's Characteristics of children in need, reporting year 2022, table c2: assessments
completed and counts by duration band (working days). The share completed within 45 working days
(the statutory timescale in Working Together) is computed here as the bands up to 41-45 days over
all completed assessments, rounded half up to one decimal as DfE publishes its percentages.
"""

from __future__ import annotations

from analysis.data.schema import SOURCE_ID, Column, ExtractSpec, area_columns

FILE = "cin_assessments_2022_release/c2_children_in_need_assessments_duration_2014_to_2022.csv"
SOURCE = "dfe-cin-c2-2022"
YEAR_TO_31_MARCH = "year ending 31 March of year"
WITHIN_45_BANDS = ("Same_day", "1-10_days", "11-20_days", "21-30_days", "31-40_days", "41-45_days")
OVER_45_BANDS = ("46-50_days", "51-60_days", "61+_days")

ASSESSMENTS = ExtractSpec(
    name="assessments",
    path="official/assessments.csv",
    title="Children in need assessments and their timeliness",
    description=(
        "Assessments of children in need completed in the year to 31 March, those completed within 45 "
        "working days, and the median duration, for England, regions and every local authority, "
        "2014-2022 (Characteristics of children in need, reporting year 2022, table c2)."
    ),
    origin="official",
    key=("area_code", "year"),
    columns=(
        *area_columns(),
        Column("year", "year", "Year ending 31 March of this year", reference_date=YEAR_TO_31_MARCH),
        Column(
            "assessments_completed_count",
            "count",
            "Assessments completed in the year. Neutral: demand",
            unit="assessments",
            polarity="neutral",
            reference_date=YEAR_TO_31_MARCH,
            status=True,
        ),
        Column(
            "assessments_within_45_days_count",
            "count",
            "Assessments completed within 45 working days: the published duration bands from same day to "
            "41-45 days added; missing (with the band's marker) if any of those bands is suppressed",
            unit="assessments",
            polarity="neutral",
            reference_date=YEAR_TO_31_MARCH,
            status=True,
        ),
        Column(
            "assessments_within_45_days_pct",
            "pct",
            "Share of completed assessments that were completed within 45 working days, computed from the "
            "published counts and rounded half up to one decimal",
            unit="% of assessments completed",
            polarity="higher_better",
            reference_date=YEAR_TO_31_MARCH,
            status=True,
        ),
        Column(
            "assessment_median_days",
            "number",
            "Median working days to complete an assessment, as published",
            unit="working days",
            polarity="lower_better",
            reference_date=YEAR_TO_31_MARCH,
            status=True,
        ),
        SOURCE_ID,
    ),
    reference_date=YEAR_TO_31_MARCH,
    notes=(
        "The share within 45 working days is not a published column: it is the sum of the published bands "
        "up to 41-45 days over the published total (Blackpool 2022: 2,928 of 3,789, 77.3%). National and "
        "regional counts are rounded by DfE, so their shares can differ from DfE's own by a tenth.",
        "Where no assessment was completed (Blackpool 2014, the first year of the single assessment) the "
        "share is z (not applicable), never 0 or 100.",
        "Reorganised authorities keep their own codes (the file uses the codes in force in 2022).",
    ),
)

SPECS = (ASSESSMENTS,)
