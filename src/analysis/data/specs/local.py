"""Hand-curated local extracts: Blackpool's regulatory timeline, finance figures and quoted figures.

These three files are typed in by hand from public sources (news reports, council minutes, Ofsted
letters and reports, DfE/DLUHC data files) and cited row by row in ``data/raw/sources.csv``. They
have no ``derive()``: nothing re-creates them from the official files. Every description and note
is the project's own paraphrase; no sentence of a source is reproduced.
"""

from __future__ import annotations

from analysis.data.schema import SOURCE_ID, Column, ExtractSpec

CONFIDENCE = ("high", "medium", "low")
JUDGEMENTS = ("Outstanding", "Good", "Requires improvement", "Inadequate")
GBP_MEASURES = ("overspend_forecast", "overspend_outturn", "extra_investment", "budget", "spend_outturn", "spend_forecast")


def _judgement(name: str, what: str) -> Column:
    return Column(name, "category", what, nullable=True, allowed=JUDGEMENTS)


EVENTS = ExtractSpec(
    name="events",
    path="local/events.csv",
    title="Blackpool children's services: regulatory and leadership timeline, 2011-2024",
    description=(
        "Dated inspections and judgements (with sub-judgements), Ofsted monitoring and "
        "assurance visits, the 2012 improvement notice and its lifting, the 2019 statutory "
        "direction, the commissioner's review, decision and final assessment, the removal of "
        "the direction, changes of director of children's services and of council leader, "
        "and the 2024 joint targeted area inspection. High and medium confidence only."
    ),
    origin="local",
    key=("event_id",),
    columns=(
        Column("event_id", "text", "Stable identifier of the event (slug)"),
        Column("area_code", "area_code", "ONS code of the authority (E06000009, Blackpool)"),
        Column("date", "date", "Date of the event; with month precision the first day of the month stands for the month"),
        Column("date_precision", "category", "How precisely the source fixes the date", allowed=("day", "month")),
        Column("date_end", "date", "Last day, for events that span days (inspection fieldwork, visits)", nullable=True),
        Column(
            "event_type",
            "category",
            "What kind of event this is",
            allowed=(
                "inspection_fieldwork",
                "judgement_published",
                "monitoring_visit",
                "monitoring_letter",
                "focused_visit",
                "assurance_visit",
                "improvement_notice",
                "notice_lifted",
                "statutory_direction",
                "commissioner_review",
                "commissioner_decision",
                "commissioner_assessment",
                "direction_removed",
                "dcs_change",
                "leader_change",
                "jtai",
                "other",
            ),
        ),
        Column(
            "framework",
            "category",
            "Inspection framework: CPI (child protection inspection, 2012), SIF (single inspection "
            "framework, 2014), ILACS (inspection of local authority children's services, 2018 on; "
            "includes monitoring and assurance visits), JTAI; none for non-inspection events",
            allowed=("CPI", "SIF", "ILACS", "JTAI", "none"),
        ),
        _judgement("overall_judgement", "Overall effectiveness judgement, where one was published"),
        _judgement(
            "leadership_judgement",
            "SIF: leadership, management and governance; ILACS: impact of leaders on social work practice",
        ),
        _judgement("help_protection_judgement", "Experiences and progress of children who need help and protection"),
        _judgement(
            "children_in_care_judgement",
            "SIF: children looked after and achieving permanence; ILACS before 2023: children in "
            "care and care leavers, graded together",
        ),
        _judgement(
            "care_leavers_judgement", "Care leavers, where graded separately (SIF sub-judgement; ILACS only from 2023)"
        ),
        _judgement("adoption_judgement", "Adoption performance (SIF sub-judgement)"),
        _judgement("lscb_judgement", "Review of the Local Safeguarding Children Board (SIF, 2014)"),
        Column("person", "text", "Person taking up or leaving a post (leadership changes only)", nullable=True),
        Column(
            "sequence_note",
            "text",
            "Place of a visit in Ofsted's monitoring sequence, saying whether the source states it or it was worked out",
            nullable=True,
        ),
        Column("description", "text", "Short description in the project's own words"),
        Column(
            "confidence",
            "category",
            "high: date and fact stated by the source; medium: date partly worked out or the source is indirect",
            allowed=("high", "medium"),
        ),
        Column("date_note", "text", "How the date was established"),
        SOURCE_ID,
    ),
    notes=(
        "Low-confidence items of the research timeline (a 2012 fieldwork date from a partisan blog, "
        "a planned February 2019 Ofsted meeting) are left out.",
        "Month precision: the date is the first day of the month and date_note says what is known "
        "about the day (for example, the latest day the event can have happened).",
        "Judgement labels: SIF and ILACS word the third grade 'requires improvement (to be good)'; "
        "both are stored as 'Requires improvement'.",
        "The Ofsted letter of 19 July 2022 states that the June 2022 visit was the fifth monitoring "
        "visit since January 2019 and that a focused assurance visit took place in February 2021; "
        "the position of the earlier visits in the sequence is noted as stated or worked out.",
    ),
)


FINANCE = ExtractSpec(
    name="finance",
    path="local/finance.csv",
    title="Blackpool children's services finance by financial year, 2011-12 to 2023-24",
    description=(
        "Money figures for Blackpool children's services: council-reported overspend forecasts "
        "and outturns, extra investment, budgets and spending (from minutes and the press), "
        "and, as a separate basis, official revenue outturn, revenue account and section 251 "
        "figures. Headcounts of children in care are not here (see quoted_figures)."
    ),
    origin="local",
    key=("finance_id",),
    columns=(
        Column("finance_id", "text", "Stable identifier of the figure (slug)"),
        Column("area_code", "area_code", "ONS code of the authority (E06000009, Blackpool)"),
        Column(
            "financial_year",
            "text",
            "Financial year the figure belongs to, e.g. 2019-20; where year_clear is false this is "
            "the inferred year, or empty when two years are equally possible",
            nullable=True,
        ),
        Column(
            "year_clear",
            "bool",
            "false where the source does not date the figure and the year is inferred from other evidence",
        ),
        Column("year_note", "text", "How the year was established when it is not stated", nullable=True),
        Column(
            "measure",
            "category",
            "overspend_forecast / overspend_outturn: variance against budget (positive = over); "
            "extra_investment: additional money put in; budget; spend_outturn / spend_forecast: "
            "spending itself, not a variance",
            allowed=GBP_MEASURES,
        ),
        Column(
            "scope",
            "category",
            "What the figure covers: children_services (the whole directorate, incl. education and "
            "early help), childrens_social_care, children_in_care, whole_council, "
            "adult_and_childrens_social_care, cyp_services (s251 children's and young people's "
            "services total)",
            allowed=(
                "children_services",
                "childrens_social_care",
                "children_in_care",
                "whole_council",
                "adult_and_childrens_social_care",
                "cyp_services",
            ),
        ),
        Column(
            "basis",
            "category",
            "council_reported: the council's own monitoring as reported in minutes or the press; "
            "official_revenue_outturn: DCLG/DLUHC revenue outturn (RS/RSX) net current expenditure; "
            "official_revenue_account: DLUHC revenue account budget (RA); official_s251: DfE section "
            "251 outturn. Different accounting bases: never chart or join them as one series",
            allowed=("council_reported", "official_revenue_outturn", "official_revenue_account", "official_s251"),
        ),
        Column("value_gbp_m", "gbp_m", "The figure in GBP million", unit="GBP m"),
        Column(
            "value_bound",
            "category",
            "stated: as given (possibly rounded); approximate: the source says about/nearly/almost; "
            "lower_bound: the source says more than",
            allowed=("stated", "approximate", "lower_bound"),
        ),
        Column("as_of", "text", "The point the figure speaks to, as the source states it"),
        Column("as_of_date", "date", "That point as a date, only where the source gives the day", nullable=True),
        Column(
            "confidence",
            "category",
            "high: figure and year stated; medium: figure stated, year from strong context; low: "
            "year weakly inferred or the figure conflicts with others",
            allowed=CONFIDENCE,
        ),
        Column("conflict_note", "text", "Where the figure conflicts with others for the same year", nullable=True),
        Column(
            "duplicate_of",
            "text",
            "finance_id of a row giving the same figure from another source (drop to avoid double counting)",
            nullable=True,
        ),
        Column("note", "text", "Context in the project's own words"),
        SOURCE_ID,
    ),
    notes=(
        "Rows on the council_reported basis and rows on an official basis must never be joined into one "
        "line: the official series measure net spending on a statutory definition, the council's "
        "figures measure variance against its own budget.",
        "Low-confidence rows are kept only when they carry year_clear=false or a conflict_note; charts "
        "exclude confidence 'low' by default.",
        "Only figures given as rows of the research notes are extracted; side figures mentioned in "
        "passing (whole-council positions in notes) are not.",
    ),
)


QUOTED_FIGURES = ExtractSpec(
    name="quoted_figures",
    path="local/quoted_figures.csv",
    title="Figures quoted in documents about Blackpool children's services",
    description=(
        "Single figures quoted in news reports, minutes and Ofsted letters (vacancies, new "
        "starters, children in care, money), each dated and linked to the extract column it "
        "speaks to, with a flag saying whether it is on the same definition and date."
    ),
    origin="local",
    key=("figure_id",),
    columns=(
        Column("figure_id", "text", "Stable identifier of the figure (slug)"),
        Column("area_code", "area_code", "ONS code of the authority (E06000009, Blackpool)"),
        Column(
            "date",
            "date",
            "Reference date of the figure (first day of the month or year for coarser precision); "
            "empty when the source gives no usable date",
            nullable=True,
        ),
        Column(
            "date_precision",
            "category",
            "How precisely the reference date is known",
            allowed=("day", "month", "year", "unknown"),
        ),
        Column("date_note", "text", "How the reference date was established"),
        Column("financial_year", "text", "Financial year, for money figures (e.g. 2019-20)", nullable=True),
        Column("value", "number", "The figure as quoted"),
        Column(
            "value_bound",
            "category",
            "stated: as given; approximate: about/nearly/around; lower_bound: more than / topped",
            allowed=("stated", "approximate", "lower_bound"),
        ),
        Column("unit", "category", "Unit of the value", allowed=("count", "pct", "gbp_m", "fte", "rate_per_10k")),
        Column(
            "count_of",
            "text",
            "What a count counts, in words printed after the number (children, vacant posts); empty for other units",
            nullable=True,
        ),
        Column(
            "measure",
            "text",
            "The extract column (extract.column) the figure speaks to; for the local finance "
            "extract, finance.<measure> names a value of its measure column. Empty when no series "
            "speaks to it",
            nullable=True,
        ),
        Column("measure_note", "text", "How the figure relates to that measure, or why there is none"),
        Column(
            "comparable",
            "bool",
            "true when the figure is on the same definition and reference date as the series it speaks to",
        ),
        Column("description", "text", "Short description in the project's own words"),
        Column("confidence", "category", "high / medium / low, as for the finance extract", allowed=CONFIDENCE),
        SOURCE_ID,
    ),
    notes=(
        "Children-in-care headcounts from news reports and minutes are point-in-time counts, mostly not "
        "at 31 March; only those equal to the DfE 31 March figure are marked comparable. They point to "
        "the official series covering the nearest 31 March: cla_historic up to 2020, looked_after from "
        "2021 (column looked_after_at_31_march_count in both).",
        "Low-confidence headcounts are kept (with their confidence) because they are all there is for "
        "those months; they have no date when the source gives none.",
    ),
)

CLAIMS = ExtractSpec(
    name="claims",
    path="local/claims.csv",
    title="Claims in documents about Blackpool that an official series can check",
    description=(
        "Statements in minutes and reports about where a measure stood (for example, lowest "
        "for five years), each paraphrased, dated and linked to the catalogue measure that can "
        "confirm or contradict it; the report checks each against the published series."
    ),
    origin="local",
    key=("claim_id",),
    columns=(
        Column("claim_id", "text", "Stable identifier of the claim (slug)"),
        Column("area_code", "area_code", "ONS code of the authority (E06000009, Blackpool)"),
        Column("date", "date", "When the claim was made (first day of the month or year for coarser precision)"),
        Column("date_precision", "category", "How precisely the source fixes the date", allowed=("day", "month", "year")),
        Column("measure", "text", "Catalogue measure id the claim speaks to (analysis.measures.catalogue)"),
        Column(
            "claim",
            "category",
            "lowest_in_years / highest_in_years: the latest year's value is the lowest (highest) of the "
            "window of years ending in reference_year",
            allowed=("lowest_in_years", "highest_in_years"),
        ),
        Column("reference_year", "year", "The last year of the window the claim speaks of"),
        Column("window_years", "count", "How many years the window spans, the reference year included"),
        Column("description", "text", "The claim in the project's own words"),
        Column("confidence", "category", "high / medium / low, as for the finance extract", allowed=CONFIDENCE),
        SOURCE_ID,
    ),
    notes=(
        "The minutes give no figures and no date for the year they mean; the reference year is the latest "
        "year ending 31 March before the meeting, which the council held in its own records.",
    ),
)

SPECS = (EVENTS, FINANCE, QUOTED_FIGURES, CLAIMS)
