"""Net current expenditure on children's social care by financial year: revenue outturn (RO3, RSX).

Official local government finance statistics (MHCLG / DLUHC / DCLG), GBP thousand as published,
for England and every authority with children's social care responsibilities, 2011-12 to 2023-24.
One figure per financial year: RO3 line "TOTAL CHILDREN SOCIAL CARE", column "Net Current
Expenditure (C7 = C3 - C6)"; 2021-22 from the service summary (RSX) ``RSX-csc-net-cur-exp``, the
RO3 workbook of that year not being held.

Two limits are declared rather than smoothed over:
- 2010-11 is not in the extract: its RO3 layout has no total line, and adding lines up by hand
  would be a figure of the project's own, not a published one. The series starts 2011-12.
- From 2014-15 the total includes Sure Start children's centres and early years and services for
  young people (``definition`` says which basis each row is on): a break in the series, which
  the catalogue declares and a chart must show.

Spending per child is derived in the catalogue (``analysis.measures.catalogue``): net spend divided
by the ONS mid-year estimate of children aged 0-17 at 30 June of the year the financial year starts
(2018-19 uses mid-2018), the population extract's convention for a year ending 31 March (Y-1).
This is a different measure from a council's reported overspend and is never joined to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.data.schema import SOURCE_ID, Column, ExtractSpec, area_columns

FINANCIAL_YEAR = "financial year ending 31 March of year"


@dataclass(frozen=True)
class OutturnFile:
    """One financial year's workbook: file under shared/data/expenditure, its source id and return."""

    financial_year: str
    file: str
    source_id: str
    form: str = "RO3"

    @property
    def year(self) -> int:
        """The calendar year in which the financial year ends (2018-19 -> 2019)."""
        return int(self.financial_year[:4]) + 1


OUTTURN_FILES: tuple[OutturnFile, ...] = (
    OutturnFile(
        "2011-12", "ro3/2011-12/Revenue_Outturn__RO3__data_2011-12_by_LA_-_Revised_28-Nov-2013-2.xls", "dclg-ro3-2011-12"
    ),
    OutturnFile(
        "2012-13", "ro3/2012-13/Revenue_Outturn__RO3__data_2012-13_by_LA__Revised__-_18-Feb-2014.xls", "dclg-ro3-2012-13"
    ),
    OutturnFile("2013-14", "ro3/2013-14/RO3_2013-14_Revision.xlsx", "dclg-ro3-2013-14"),
    OutturnFile("2014-15", "ro3/2014-15/RO3_2014-15_Revision.xlsx", "dclg-ro3-2014-15"),
    OutturnFile("2015-16", "ro3/2015-16/RO3_2015-16_data_by_LA_-_Revision.xlsx", "dclg-ro3-2015-16"),
    OutturnFile("2016-17", "ro3/2016-17/RO3_2016-17_data_by_LA.xlsx", "dclg-ro3-2016-17"),
    OutturnFile("2017-18", "ro3/2017-18/RO3_2017-18_data_by_LA_-_revised.xlsx", "mhclg-ro3-2017-18"),
    OutturnFile("2018-19", "ro3/2018-19/RO3_2018-19_data_by_LA.xlsx", "mhclg-ro3-2018-19"),
    OutturnFile("2019-20", "ro3/2019-20/RO3_2019-20_data_by_LA.ods", "mhclg-ro3-2019-20"),
    OutturnFile("2020-21", "ro3/2020-21/RO3_2020-21_data_by_LA.ods", "dluhc-ro3-2020-21"),
    OutturnFile("2021-22", "rsx/2021-22/RSX_2021-22_data_by_LA_Live.csv", "dluhc-rsx-2021-22", "RSX"),
    OutturnFile("2022-23", "ro3/2022-23/RO3_2022-23_data_by_LA.ods", "dluhc-ro3-2022-23"),
    OutturnFile("2023-24", "ro3/2023-24/RO3_2023-24_data_by_LA.ods", "mhclg-ro3-2023-24"),
)
# The first year on the wider definition (Sure Start children's centres, early years, services for young people).
NEW_DEFINITION_FROM = "2014-15"
DEFINITIONS = ("to_2013_14", "from_2014_15")

TOTAL_LABEL = "TOTAL CHILDREN SOCIAL CARE"
NET_HEADER = "Net Current Expenditure"
RO3_CODE = "RO3-csctot-net-cur-exp"
RSX_CODE = "RSX-csc-net-cur-exp"
# Classes of authority with children's social care: unitary, metropolitan district, London borough
# (L before 2022-23, LB after), shire county; and the England total.
CLASSES = ("UA", "MD", "L", "LB", "SC", "Eng")
# ONS codes mistyped in a workbook: (financial year, E-code, code written) -> the authority's code.
# Each is checked against the E-code's code in the 2014-15 workbook before it is applied.
ONS_CODE_FIXES: dict[tuple[str, str, str], str] = {
    ("2015-16", "E2721", "E10000022"): "E10000023",  # North Yorkshire; E10000022 is no authority's code
}
# The file (E-code -> ONS code) that names the authorities of the earlier workbooks, which carry no ONS code.
ECODE_FILE = "ro3/2014-15/RO3_2014-15_Revision.xlsx"

SPENDING = ExtractSpec(
    name="spending",
    path="official/spending.csv",
    title="Net spending on children's social care (revenue outturn)",
    description=(
        "Net current expenditure on children's social care by financial year, GBP thousand, for England "
        "and every authority with children's social care, 2011-12 to 2023-24, from the revenue outturn "
        "returns (RO3; RSX for 2021-22). Official finance statistics, comparable between councils; not "
        "a budget or an overspend."
    ),
    origin="official",
    key=("area_code", "year"),
    columns=(
        *area_columns(),
        Column(
            "year",
            "year",
            "Calendar year in which the financial year ends (2019 for 2018-19)",
            reference_date=FINANCIAL_YEAR,
        ),
        Column("financial_year", "text", "Financial year, 1 April to 31 March, as written in the release (2018-19)"),
        Column(
            "csc_net_expenditure_gbp_k",
            "gbp_k",
            "Net current expenditure on children's social care (total line, column C7 = total expenditure "
            "C3 less income C6), rounded half up to whole GBP thousand. Neutral: more or less spending is "
            "not better in itself; read per child against comparable areas",
            unit="GBP thousand",
            polarity="neutral",
            reference_date=FINANCIAL_YEAR,
            status=True,
        ),
        Column(
            "definition",
            "category",
            "Which definition of the total applies: to_2013_14, or from_2014_15 (adds Sure Start children's "
            "centres and early years, and services for young people): a break in the series",
            allowed=DEFINITIONS,
        ),
        Column("return_form", "category", "The return the figure comes from", allowed=("RO3", "RSX")),
        SOURCE_ID,
    ),
    reference_date=FINANCIAL_YEAR,
    notes=(
        "2010-11 is left out: that year's RO3 layout has no total line for children's social care, and a sum "
        "of its lines would not be a published figure.",
        "From 2014-15 the total includes Sure Start children's centres and early years and services for young "
        "people (Blackpool 2014-15: 38,314 on the new basis, 34,633 on the old): a series break.",
        "No regional totals are published; England is the ENGLAND row of each workbook. Shire districts, "
        "police, fire and other bodies (no children's social care) are left out.",
        "The 2011-12 to 2013-14 workbooks carry no ONS code: authorities are named by E-code through the "
        "2014-15 workbook, which has both.",
        "The 2015-16 workbook gives North Yorkshire (E2721) the code E10000022, which no authority has; it is "
        "read as North Yorkshire's E10000023 (ONS_CODE_FIXES, checked against the 2014-15 workbook).",
        "Spending per child (catalogue measure csc_spend_per_child) divides by the ONS mid-year estimate of "
        "children aged 0-17 at 30 June of the year the financial year starts (population extract, year Y-1).",
    ),
)

SPECS = (SPENDING,)
