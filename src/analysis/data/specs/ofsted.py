"""Ofsted inspections of local authority children's services since 2009, and Ofsted visits.

Two Ofsted files, read with calamine (odfpy takes about 100 times longer). Each inspection comes
from exactly one file: ILACS (2018 on) from the 2025 file's full history, earlier frameworks from
the 2023 file, whose ILACS columns are left out so nothing is counted twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from analysis.data.schema import SOURCE_ID, Column, ExtractSpec
from analysis.data.specs.authority_changes import ended_before

FILE_2025 = "LA_Inspection_Outcomes_as_at_31_March_2025.ods"
FILE_2023 = "Childrens_social_care_in_England_2023_underlying_data.ods"
FILE_2022 = "ofsted_2022/Childrens_social_care_in_England_2022_underlying_data.ods"  # under shared/data/more
SHEET_2022 = "LA_level_in_year_2021-22"
SOURCE_2025 = "ofsted-outcomes-2025"
SOURCE_2023 = "ofsted-csc-2023"
SOURCE_2022 = "ofsted-csc-2022"

JUDGEMENTS = ("Outstanding", "Good", "Requires improvement to be good", "Inadequate")
FRAMEWORKS = ("SLAC", "CPI", "TLAC", "SIF", "ILACS")


def _judgement_column(name: str, description: str) -> Column:
    return Column(name, "category", description, status=True, allowed=JUDGEMENTS)


JUDGEMENT_COLUMNS = (
    _judgement_column("overall_effectiveness", "Overall effectiveness (ILACS, SIF, CPI and CPI re-inspection, TLAC)"),
    _judgement_column(
        "leadership",
        "ILACS: impact of leaders on social work practice with children and families; SIF: "
        "leadership, management and governance",
    ),
    _judgement_column(
        "help_and_protection",
        "Experiences and progress of children who need help and protection (ILACS); children "
        "who need help and protection (SIF)",
    ),
    _judgement_column(
        "children_in_care",
        "ILACS: experiences and progress of children in care (before 1 January 2023 this "
        "judgement covered children in care and care leavers); SIF: children looked after and "
        "achieving permanence",
    ),
    _judgement_column(
        "care_leavers", "Experiences and progress of care leavers: ILACS from 1 January 2023; SIF sub-judgement"
    ),
    _judgement_column("adoption", "SIF sub-judgement: adoption performance"),
    _judgement_column("lscb", "SIF: review of the Local Safeguarding Children Board, overall effectiveness"),
    _judgement_column("safeguarding", "SLAC: safeguarding services, overall effectiveness"),
    _judgement_column("looked_after_children", "SLAC: services for looked after children, overall effectiveness"),
)
JUDGEMENT_NAMES = tuple(c.name for c in JUDGEMENT_COLUMNS)
NOT_JUDGED_BY_FRAMEWORK = "not_in_release"


@dataclass(frozen=True)
class Event:
    """One inspection's columns in the 2023 file's history table: its date column and judgement columns."""

    framework: str
    inspection_type: str | None
    published: str
    judgements: Mapping[str, str]  # our judgement column -> Ofsted's column header


SIF = "Single Inspection of LA Children's Services (SIF)"
PRE_ILACS: tuple[Event, ...] = (
    Event(
        "SLAC",
        None,
        "Safeguarding & Looked After Children (SLAC) Inspection publication date",
        {
            "safeguarding": "SLAC Safeguarding Overall effectiveness (OE)",
            "looked_after_children": "SLAC Looked After Children Overall Effectiveness (OE)",
        },
    ),
    Event(
        "SLAC",
        "re-inspection",
        "SLAC re-inspection of Safeguarding publication date",
        {"safeguarding": "SLAC re-inspection Safeguarding OE"},
    ),
    Event(
        "SLAC",
        "re-inspection",
        "SLAC re-inspection of services for Children Looked After publication date",
        {"looked_after_children": "SLAC re-inspection of services Children Looked After OE"},
    ),
    Event(
        "CPI",
        None,
        "Child Protection Inspections (CPI) publication date",
        {"overall_effectiveness": "CPI Overall Effectiveness (OE)"},
    ),
    Event(
        "CPI",
        "re-inspection",
        "Child Protection Re-Inspection (CPRI) publication date",
        {"overall_effectiveness": "CPRI Overall Effectiveness (OE)"},
    ),
    Event(
        "TLAC",
        None,
        "Targeted Looked After Children (TLAC) inspection publication date",
        {"overall_effectiveness": "TLAC Overall Effectiveness (OE)"},
    ),
    Event(
        "SIF",
        None,
        f"{SIF} First SIF publication date",
        {
            "overall_effectiveness": "First SIF Overall Judgement (OE)",
            "help_and_protection": "First SIF children who need help and protection",
            "children_in_care": "First SIF children looked after and achieving permanence",
            "adoption": "First SIF CLA Sub: Adoption Performance",
            "care_leavers": "First SIF CLA Sub: Experiences and progress of care leavers",
            "leadership": "First SIF leadership, management and governance",
            "lscb": "LSCB Overall Effectiveness",
        },
    ),
    Event(
        "SIF",
        "re-inspection",
        f"{SIF} SIF Re-inspection publication date",
        {
            "overall_effectiveness": "SIF Re-inspection Overall Judgement (OE)",
            "help_and_protection": "SIF Re-inspection children who need help and protection",
            "children_in_care": "SIF Re-inspection children looked after and achieving permanence",
            "adoption": "SIF Re-inspection CLA Sub: Adoption Performance",
            "care_leavers": "SIF Re-inspection CLA Sub: Experiences and progress of care leavers",
            "leadership": "SIF Re-inspection leadership, management and governance",
        },
    ),
)
ILACS_JUDGEMENTS = {
    "overall_effectiveness": "Overall effectiveness",
    "leadership": "The impact of leaders on social work practice with children and families",
    "help_and_protection": "The experiences and progress of children who need help and protection",
    "children_in_care": "The experiences and progress of children in care",
    "care_leavers": "The experiences and progress of care leavers",
}
INSPECTION_TYPES = {"ILACS Standard Inspection": "standard", "ILACS Short Inspection": "short"}
VISIT_TYPES = {"ILACS Focused Visit": "focused visit", "LA Monitoring visit": "monitoring visit"}
THEMES = (
    "Achieving permanence",
    "Assurance visit",
    "Care leavers",
    "Children in care",
    "Children in need/subject to a plan",
    "Front door",
    "Vulnerable adolescents",
)

# The 2023 file names authorities without codes. Ofsted's name -> the name areas.csv uses.
OFSTED_NAMES = {
    "Bedford Borough": "Bedford",
    "Bristol": "Bristol, City of",
    "Durham": "County Durham",
    "Herefordshire": "Herefordshire, County of",
    "Kingston Upon Hull": "Kingston upon Hull, City of",
    "Richmond Upon Thames": "Richmond upon Thames",
    "Southend on Sea": "Southend-on-Sea",
    "St Helens": "St. Helens",
}
# The 2023 file's second table: "authorities that existed before the restructure" (one shares the
# name Dorset with today's council), by DfE code: those the change list has abolished by then.
PRE_RESTRUCTURE = ended_before("2023-03-31")

PLACE = (
    Column("area_code", "area_code", "ONS code of the local authority in use on the date of the event"),
    Column("la_code", "la_code", "DfE 3-digit code of the local authority (stable across code changes)"),
    Column("area_name", "text", "Local authority name as Ofsted publishes it"),
)

INSPECTIONS = ExtractSpec(
    name="ofsted_inspections",
    path="official/ofsted_inspections.csv",
    title="Ofsted inspections of local authority children's services, 2009 to 2025",
    description=(
        "One row per local authority and inspection with a published judgement: SLAC (2009-2012), "
        "child protection inspections and re-inspections (2012-2013), targeted looked after "
        "children inspections (2013), SIF (2013-2018) and ILACS standard and short inspections "
        "(2018-2025), with the overall effectiveness and sub-judgements in Ofsted's wording."
    ),
    origin="official",
    key=("area_code", "framework", "published"),
    columns=(
        *PLACE,
        Column(
            "framework",
            "category",
            "Inspection framework: SLAC (safeguarding and looked after children), CPI (child protection "
            "inspection), TLAC (targeted looked after children), SIF (single inspection framework), "
            "ILACS (inspection of local authority children's services)",
            allowed=FRAMEWORKS,
        ),
        Column(
            "inspection_type",
            "category",
            "ILACS standard or short inspection; re-inspection under SLAC, CPI or SIF; empty for a first "
            "inspection under the earlier frameworks (the file names no type)",
            nullable=True,
            allowed=("standard", "short", "re-inspection"),
        ),
        Column(
            "inspection_start",
            "date",
            "First day of the inspection (ILACS only; earlier frameworks' data give the publication date alone)",
            nullable=True,
        ),
        Column("published", "date", "Date Ofsted published the report"),
        *JUDGEMENT_COLUMNS,
        SOURCE_ID,
    ),
    notes=(
        "No duplicates between releases: ILACS inspections come only from the 2025 file's "
        "ILACS_inspection_history (2018-2025); SLAC, CPI, TLAC and SIF only from the 2023 file's "
        "LA_inspections_2009-2023, whose ILACS columns are not read.",
        "The 2023 sheet holds two tables: current authorities, then (below blank rows and a title) "
        "Bournemouth, Dorset, Poole and Northamptonshire as they were before reorganisation.",
        "The 2023 file gives names only; they are matched to areas.csv (a few spellings differ, listed in "
        "the code). Area codes follow the publication date: e.g. North Yorkshire's ILACS of 2018 is "
        "E10000023 though the 2025 file writes today's E06000065.",
        "A judgement's status: 'not_in_release' where the framework makes no such judgement, 'blank' "
        "where Ofsted's cell is empty (e.g. ILACS care leavers before 2023), '-' where it holds a dash.",
        "SLAC graded services as adequate rather than requires improvement; the 2023 file records those "
        "as 'Requires improvement to be good' and that wording is kept. A SLAC re-inspection of both "
        "safeguarding and looked after children services published on one day is one row.",
        "The releases disagree in two ILACS dates: Nottingham's 2022 inspection was published on "
        "by the 2023 file and 2022-09-05 by the 2025 file; Cumbria's 2022 inspection began on 2022-09-21 "
        "by the 2023 in-year sheet and 2022-09-20 by the 2025 file. The 2025 file is used.",
    ),
)

VISITS = ExtractSpec(
    name="ofsted_visits",
    path="official/ofsted_visits.csv",
    title="Ofsted focused and monitoring visits, 2021-22, 2022-23 and 2024-25",
    description=(
        "Ofsted's ILACS focused visits and monitoring visits to local authority children's services "
        "in the three in-year sheets the files hold (no grades are given for visits)."
    ),
    origin="official",
    key=("area_code", "visit_date", "visit_type"),
    columns=(
        *PLACE,
        Column("visit_date", "date", "Date of the visit (first day)"),
        Column("published", "date", "Date Ofsted published the letter (2024-25 sheet only)", nullable=True),
        Column(
            "visit_type",
            "category",
            "ILACS focused visit, or monitoring visit (to an authority judged inadequate)",
            allowed=tuple(VISIT_TYPES.values()),
        ),
        Column("theme", "category", "Theme of the visit as Ofsted names it", allowed=THEMES),
        SOURCE_ID,
    ),
    notes=(
        "Three in-year sheets: the 2022 file's LA_level_in_year_2021-22 (visits dated 20 April 2021 to 16 "
        "March 2022), the 2023 file's LA_level_in_year_2022-23 (visits 10 March 2022 to 21 February 2023; "
        "its inspections start 21 February 2022) and the "
        "2025 file's In-year_inspections (3 April 2024 to 26 March 2025). Visits before April 2021 and from "
        "about March 2023 to March 2024 are in none, so a visit missing here is not evidence that none took "
        "place.",
        "The 2021-22 and 2022-23 sheets overlap in March 2022 (no visit is listed in both today): a visit "
        "in both would be one row, taken from the 2023 file, and the two must agree on its theme or the "
        "extract stops. Each row's source_id names its file.",
        "The in-year sheets' inspections are not repeated here; they are in ofsted_inspections.",
    ),
)

SPECS = (INSPECTIONS, VISITS)
