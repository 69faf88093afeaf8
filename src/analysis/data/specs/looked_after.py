"""Children looked after: number and DfE's rate per 10,000 children, 2021-2025.

The official file is long (one row per area, year and ``population_type``); the extract is wide,
one row per area and year, and keeps the population DfE divided by so its rates can be checked.
"""

from __future__ import annotations

from analysis.data.schema import SOURCE_ID, Column, ExtractSpec, Polarity, area_columns

FILE = "cla_number_and_rate_per_10k_children.csv"
SOURCE = "dfe-cla-2025"
AT_31_MARCH = "31 March of year"
YEAR_TO_31_MARCH = "year to 31 March of year"
RATE_UNIT = "per 10,000 children aged 0-17"
NO_DIRECTION = " No direction: a high number can reflect high need, a low one unmet need, so neither is good in itself."

# official population_type -> our column prefix, what it counts, reference date
POPULATION_TYPES: dict[str, tuple[str, str, str]] = {
    "Children looked after on 31 March each year": (
        "looked_after_at_31_march",
        "Children looked after on 31 March",
        AT_31_MARCH,
    ),
    "Children starting to be looked after each year": (
        "started_in_year",
        "Children who started to be looked after in the year",
        YEAR_TO_31_MARCH,
    ),
    "Children ceasing to be looked after each year": (
        "ceased_in_year",
        "Children who ceased to be looked after in the year",
        YEAR_TO_31_MARCH,
    ),
}


def _measure(
    name: str, kind: str, description: str, unit: str, reference_date: str, polarity: Polarity = "neutral"
) -> Column:
    return Column(name, kind, description, unit=unit, polarity=polarity, reference_date=reference_date, status=True)


def _type_columns() -> tuple[Column, ...]:
    out: list[Column] = []
    for prefix, label, ref in POPULATION_TYPES.values():
        out.append(_measure(f"{prefix}_count", "count", f"{label} (children_count)." + NO_DIRECTION, "children", ref))
        out.append(
            _measure(
                f"{prefix}_rate_per_10k",
                "rate",
                f"{label} per 10,000 children aged 0-17, as DfE publishes it (whole "
                "number, rounded half up from the unrounded count divided by "
                "rate_population_0_17)." + NO_DIRECTION,
                RATE_UNIT,
                ref,
            )
        )
    return tuple(out)


LOOKED_AFTER = ExtractSpec(
    name="looked_after",
    path="official/looked_after.csv",
    title="Children looked after: number and rate per 10,000 children",
    description=(
        "Children looked after at 31 March, and children starting and ceasing to be looked "
        "after in the year to 31 March: number and DfE's rate per 10,000 children aged "
        "0-17, 2021-2025, with the population DfE divided by."
    ),
    origin="official",
    key=("area_code", "year"),
    reference_date="31 March of year (at 31 March); year to 31 March of year (starting, ceasing)",
    columns=(
        *area_columns(),
        Column("year", "year", "Reporting year (DfE time_period), the year of 31 March", reference_date=AT_31_MARCH),
        *_type_columns(),
        _measure(
            "rate_population_0_17",
            "count",
            "Children aged 0-17 that DfE divided by for this row's rates (population_estimate): "
            "the ONS mid-year estimate of 30 June of year-1. Context, not performance.",
            "children",
            "30 June of year-1",
        ),
        SOURCE_ID,
    ),
    notes=(
        "Areas are restated on the 2025 geography: North Yorkshire (E06000065) and Somerset "
        "(E06000066) carry their new codes in 2021-2023 too, while the population extract has "
        "those years under the previous codes (same areas, same DfE codes 815 and 933).",
        "Successor and predecessor authorities outside their lifetime are z (count, rate) and x "
        "(population): Northamptonshire 2022-2025, North and West Northamptonshire 2021, "
        "Cumbria 2024-2025, Cumberland and Westmorland and Furness 2021-2023.",
        "England and regional counts are published rounded to the nearest 10 but DfE computed their "
        "rates from unrounded counts, so a rate recomputed from the published count can differ by 1 "
        "(West Midlands 2024, London 2023, Inner London 2023 and 2024).",
    ),
)

SPECS = (LOOKED_AFTER,)
