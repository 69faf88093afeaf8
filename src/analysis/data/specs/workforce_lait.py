"""Children's social work workforce at 30 September 2015 and 2016, from DfE's LAIT compilation.

The official workforce series (``workforce``) starts at 30 September 2017. DfE's Local Authority
Interactive Tool (LAIT) holds the two earlier years for every authority; this extract takes them
with the ``workforce`` column names, so the catalogue can join the series as a declared segment
(``analysis.measures.catalogue``) whose source line names LAIT. 30 September 2013 and 2014 are
published only in spreadsheets the project does not hold: those years are not available, and
nothing is estimated for them.
"""

from __future__ import annotations

from analysis.data.schema import SOURCE_ID, Column, ExtractSpec, area_columns
from analysis.data.specs.workforce import AT_30_SEPT, MEASURES

FILE = "bds_long_0.parquet"
SOURCE = "dfe-lait-2025"
YEARS = (2015, 2016)

# LAIT measure code -> (our column, decimals published).
COLUMNS: dict[str, tuple[str, int]] = {
    "Work_Force_NoSW": ("social_workers_fte", 1),
    "Work_Force_TO_Rate": ("turnover_rate_pct", 1),
    "Work_Force_Agecy_Rate": ("agency_rate_pct", 1),
    "Work_Force_Vac_Rate": ("vacancy_rate_pct", 1),
    "Work_Force_SWAbsence": ("absence_rate_pct", 1),
    "Work_Force_Num_CaseHeld": ("cases", 0),
    "Work_Force_AvgNumCase_SW": ("caseload_per_fte", 1),
}
# LAIT's "LA Number" for England and regions (its own codes, not DfE's).
NATIONAL_NUMBER = 970
REGION_NUMBERS = range(980, 991)

WORKFORCE_LAIT = ExtractSpec(
    name="workforce_lait",
    path="official/workforce_lait.csv",
    title="Children's social work workforce, 30 September 2015 and 2016 (LAIT)",
    description=(
        "Children and family social workers at 30 September 2015 and 2016 for England, regions and "
        "every local authority, from the Department for Education's Local Authority Interactive Tool "
        "(LAIT) data: FTE social workers, turnover, agency and vacancy rates, sickness absence, cases "
        "and caseloads, with the column names of the workforce extract."
    ),
    origin="official",
    key=("area_code", "year"),
    columns=(
        *area_columns(),
        Column("year", "year", "Reporting year; stocks are at 30 September of this year"),
        *(MEASURES[c] for c, _ in COLUMNS.values()),
        SOURCE_ID,
    ),
    reference_date=AT_30_SEPT,
    notes=(
        "The two years before the official series (workforce, 2017 on); the catalogue joins them as a declared "
        "segment and names LAIT in the source line. LAIT's 2017-2019 Blackpool values equal the official series.",
        "30 September 2013 and 2014 are not available in machine-readable form: they are absent, never estimated.",
        "LAIT writes '-' for missing or suppressed without telling which: kept as the marker '-'.",
        "Cases and caseloads are published from 2016 only (2015: not_in_release). No agency or vacancy FTE "
        "counts for either year, only rates. 2015 rates are published as whole numbers.",
        "Values are rounded half up to the published precision (one decimal; cases whole), which removes the "
        "file's float artefacts (139.89000000000001) and gives 139.9 for a value stored with two decimals.",
        "Authorities formed later (Bournemouth, Christchurch and Poole; Dorset 838; North and West "
        "Northamptonshire; Cumberland; Westmorland and Furness) are listed with '-' in every cell and left out.",
    ),
)

SPECS = (WORKFORCE_LAIT,)
