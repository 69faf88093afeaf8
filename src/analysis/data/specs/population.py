"""Children aged 0-17: ONS mid-year population estimates as DfE publishes them for its rates.

The estimate is of 30 June of ``year``. DfE's rates per 10,000 children for a year ending (or a
count at) 31 March Y divide by the estimate of 30 June Y-1; ``analysis.measures.indicators`` applies that.
"""

from __future__ import annotations

from analysis.data.schema import SOURCE_ID, Column, ExtractSpec, area_columns

FILE = "ons_mid-year_population_estimates_2012_to_2024.csv"

POPULATION = ExtractSpec(
    name="population",
    path="official/population.csv",
    title="Children aged 0 to 17 (mid-year estimates)",
    description=(
        "ONS mid-year estimates of the number of children aged 0 to 17 at 30 June, for "
        "England, regions and every local authority, 2012-2024, as DfE uses them for "
        "rates per 10,000 children."
    ),
    origin="official",
    key=("area_code", "year"),
    reference_date="30 June of year",
    columns=(
        *area_columns(),
        Column(
            "year",
            "year",
            "Year of the mid-year estimate: the population on 30 June of this year "
            "(DfE's time_period). Not a 31 March reporting year: a DfE rate for "
            "31 March Y uses year Y-1.",
            reference_date="30 June of year",
        ),
        Column(
            "population_0_17_at_30_june",
            "count",
            "Children aged 0 to 17 on 30 June of year (ONS mid-year estimate). Context, not performance.",
            unit="children",
            polarity="neutral",
            reference_date="30 June of year",
            status=True,
        ),
        SOURCE_ID,
    ),
    notes=(
        "Each area carries the ONS code in force on 30 June of the year, so the estimate for "
        "year Y-1 sits under the code the children in need files use for 31 March Y.",
        "Bournemouth, Dorset (E10000009) and Poole are x for 2012-2018: the file holds no estimate "
        "for the areas before the 2019 merger, so their rates for 2013-2019 cannot be computed.",
    ),
)

SPECS = (POPULATION,)
