"""The indicator catalogue: what each headline measure is, where its numbers come from, how to show it.

A measure's series may join segments from different extracts (e.g. looked-after rates from the
earlier releases for 2012-2020 and the current release from 2021). The joins are declared here,
named in every chart's source line, and never hidden: each value keeps the source it came from.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Segment:
    """Years ``first``..``last`` of a measure come from ``extract.column`` (or a derivation)."""

    extract: str
    column: str
    first: int
    last: int
    # "" = published value; "rate_per_10k" = count / population(Y-1) * 10,000;
    # "per_child" = GBP thousand * 1,000 / population(Y-1): GBP per child aged 0-17 for the financial year ending in Y
    derivation: str = ""
    release: str = ""  # with cla_vintages: take the values of this one named release


@dataclass(frozen=True)
class Measure:
    id: str
    label: str
    short: str
    unit: str
    decimals: int
    month_day: tuple[int, int]
    polarity: str  # lower_better | higher_better | neutral (mirrors the data dictionary)
    segments: tuple[Segment, ...]
    headline: bool = True
    definition: str = ""
    related: tuple[str, ...] = ()  # other "extract.column"s whose quoted figures belong on this chart
    # Comparators a chart can draw on the area's scale; a count (adoptions) drawn beside England's total
    # flattens the area's line to zero, so such a measure is charted against its neighbours only.
    charted_with: tuple[str, ...] = ("england", "region", "neighbours")
    period: str = ""  # "" = the year itself; "financial_year" = year Y is the financial year (Y-1)-(Y) to 31 March Y
    # (first year, why): the series changes definition in that year; a chart breaks the line there
    breaks: tuple[tuple[int, str], ...] = ()
    not_available: str = ""  # years the series cannot cover and why (said in the report, never estimated)

    def year_label(self, year: object) -> str:
        """Year ``year`` as a reader should see it: "2021-22" for a financial-year measure, else "2022"."""
        y = int(year)
        return f"{y - 1}-{y % 100:02d}" if self.period == "financial_year" else f"{y}"

    @property
    def reference(self) -> str:
        return {(3, 31): "31 March", (9, 30): "30 September"}.get(self.month_day, "")

    @property
    def currency(self) -> str:
        """What goes before a figure in a sentence: "GBP " for a money measure, else nothing."""
        return "GBP " if self.unit.startswith("GBP") else ""


CP_RATE = Measure(
    id="cp_rate",
    label="Children on child protection plans per 10,000 children (31 March)",
    short="child protection plans per 10,000 children",
    unit="per 10,000 children aged 0-17",
    decimals=1,
    month_day=(3, 31),
    polarity="neutral",
    segments=(
        Segment("cp_historic", "cp_plans_at_31_march_rate_per_10k", 2011, 2012),
        Segment("cp_plans_at_31_march", "cp_plans_at_31_march_count", 2013, 2100, "rate_per_10k"),
    ),
    related=("cp_plans_at_31_march.cp_plans_at_31_march_count",),
    definition=(
        "Children subject to a child protection plan at 31 March per 10,000 children aged 0-17. From "
        "2013 computed from the count and the ONS mid-year estimate for the previous year (DfE's "
        "convention); 2011-2012 as published in that year's release. Neither a high nor a low rate is "
        "good in itself: it is read against comparable areas."
    ),
)
CP_COUNT = Measure(
    id="cp_count",
    label="Children on child protection plans at 31 March",
    short="child protection plans",
    unit="children",
    decimals=0,
    month_day=(3, 31),
    polarity="neutral",
    headline=False,
    segments=(
        Segment("cp_historic", "cp_plans_at_31_march_count", 2011, 2012),
        Segment("cp_plans_at_31_march", "cp_plans_at_31_march_count", 2013, 2100),
    ),
)
CP_REPEAT = Measure(
    id="cp_repeat",
    label="Child protection plans started in the year that were a second or subsequent plan",
    short="second or subsequent plans",
    unit="% of plans started",
    decimals=1,
    month_day=(3, 31),
    polarity="lower_better",
    segments=(Segment("cp_plans_started", "cp_plans_second_or_subsequent_pct", 2013, 2100),),
    definition="Share of plans starting in the year to 31 March for children who had been on a plan before.",
)
REREFERRAL = Measure(
    id="rereferral",
    label="Re-referrals within 12 months of a previous referral",
    short="re-referral rate",
    unit="% of referrals",
    decimals=1,
    month_day=(3, 31),
    polarity="lower_better",
    headline=False,
    segments=(Segment("referrals", "rereferrals_12m_pct", 2013, 2100),),
)
CIN_RATE = Measure(
    id="cin_rate",
    label="Children in need per 10,000 children (31 March)",
    short="children in need per 10,000",
    unit="per 10,000 children aged 0-17",
    decimals=1,
    month_day=(3, 31),
    polarity="neutral",
    headline=False,
    segments=(Segment("cin", "cin_at_31_march_count", 2013, 2100, "rate_per_10k"),),
)
CLA_RATE = Measure(
    id="cla_rate",
    label="Children looked after per 10,000 children (31 March)",
    short="children looked after per 10,000",
    unit="per 10,000 children aged 0-17",
    decimals=0,
    month_day=(3, 31),
    polarity="neutral",
    # The releases chosen for 2012-2013 counts publish no rates; SFR34/2015's LA tables do.
    segments=(
        Segment("cla_vintages", "looked_after_at_31_march_rate_per_10k", 2012, 2013, release="SFR34/2015 LA tables"),
        Segment("cla_historic", "looked_after_at_31_march_rate_per_10k", 2014, 2020),
        Segment("looked_after", "looked_after_at_31_march_rate_per_10k", 2021, 2100),
    ),
    definition=(
        "Children looked after at 31 March per 10,000 children aged 0-17, as published by DfE: "
        "2012-2013 from the 2015 release's local authority tables (the releases for those years "
        "publish no rates), 2014-2020 from the release docs/vintages.md names, 2021 on from the "
        "current release."
    ),
)
WORKFORCE_JOIN = (
    "30 September 2015 and 2016 from DfE's Local Authority Interactive Tool (LAIT) data, 2017 on from "
    "the official workforce series; LAIT's 2017-2019 values equal the official ones, so the join has "
    "no step. 2015 rates are published as whole numbers."
)
WORKFORCE_GAP = (
    "30 September 2013 and 2014 are published only in spreadsheets the project does not hold: not "
    "available, and not estimated."
)

CASELOAD = Measure(
    id="caseload",
    label="Average caseload per case-holding children's social worker (30 September)",
    short="caseload per social worker",
    unit="cases per FTE",
    decimals=1,
    month_day=(9, 30),
    polarity="lower_better",
    segments=(
        Segment("workforce_lait", "caseload_per_fte", 2016, 2016),
        Segment("workforce", "caseload_per_fte", 2017, 2100),
    ),
    definition=(
        "Cases held divided by the full-time equivalent number of case-holding social workers. 30 September "
        "2016 from DfE's LAIT data (LAIT publishes no caseload for 2015), 2017 on from the official series."
    ),
    not_available=WORKFORCE_GAP,
)
VACANCY = Measure(
    id="vacancy",
    label="Social worker vacancy rate (30 September)",
    short="vacancy rate",
    unit="% of FTE posts",
    decimals=1,
    month_day=(9, 30),
    polarity="lower_better",
    segments=(
        Segment("workforce_lait", "vacancy_rate_pct", 2015, 2016),
        Segment("workforce", "vacancy_rate_pct", 2017, 2100),
    ),
    related=("workforce.vacancies_fte", "workforce.starters_fte"),
    definition=WORKFORCE_JOIN,
    not_available=WORKFORCE_GAP,
)
AGENCY = Measure(
    id="agency",
    label="Agency social worker rate (30 September)",
    short="agency worker rate",
    unit="% of FTE social workers",
    decimals=1,
    month_day=(9, 30),
    polarity="lower_better",
    segments=(Segment("workforce_lait", "agency_rate_pct", 2015, 2016), Segment("workforce", "agency_rate_pct", 2017, 2100)),
    definition=WORKFORCE_JOIN,
    not_available=WORKFORCE_GAP,
)
TURNOVER = Measure(
    id="turnover",
    label="Social worker turnover rate (year to 30 September)",
    short="turnover rate",
    unit="% of FTE social workers",
    decimals=1,
    month_day=(9, 30),
    polarity="lower_better",
    segments=(
        Segment("workforce_lait", "turnover_rate_pct", 2015, 2016),
        Segment("workforce", "turnover_rate_pct", 2017, 2100),
    ),
    definition=WORKFORCE_JOIN,
    not_available=WORKFORCE_GAP,
)

ADOPTIONS = Measure(
    id="adoptions",
    label="Children adopted from care (year to 31 March)",
    short="adoptions",
    unit="children",
    decimals=0,
    month_day=(3, 31),
    polarity="neutral",
    charted_with=("neighbours",),
    # Not headline yet: the headline sentences compare each neutral measure with England as a ratio
    # ("0.0 times England's 3,000"), which is meaningless for a count. The committee report's adoption
    # section (issue 11) shows it against England, region and neighbours instead.
    headline=False,
    segments=(Segment("adoptions", "adopted_count", 2010, 2100),),
    related=("adoptions.adopted_count",),
    definition=(
        "Children who ceased to be looked after because they were adopted, each year from one named release "
        "(2010-2018 that year's, 2019-2023 the 2022 to 2023 release). Where a part of the published split is "
        "suppressed the release's unsplit total is used, otherwise the year is missing: a part is never "
        "counted as the whole. Small numbers: read the trend, not a single year."
    ),
)
SGO = Measure(
    id="special_guardianship",
    label="Special guardianship orders for children leaving care (year to 31 March)",
    short="special guardianship orders",
    unit="children",
    decimals=0,
    month_day=(3, 31),
    polarity="neutral",
    charted_with=("neighbours",),
    headline=False,
    segments=(Segment("adoptions", "special_guardianship_count", 2010, 2100),),
    definition=(
        "Children who ceased to be looked after because a special guardianship order was made: the published "
        "parts added where all are published (to 2018), the published total from 2019."
    ),
)
SPEND_BREAK = (
    2015,
    "From 2014-15 the revenue outturn total for children's social care includes Sure Start children's "
    "centres and early years and services for young people, so it is not comparable with 2013-14 and "
    "before",
)
CSC_SPEND_PER_CHILD = Measure(
    id="csc_spend_per_child",
    label="Net spending on children's social care per child aged 0-17 (financial year)",
    short="spending on children's social care per child",
    unit="GBP per child aged 0-17",
    decimals=0,
    month_day=(3, 31),
    polarity="neutral",
    period="financial_year",
    segments=(
        Segment("spending", "csc_net_expenditure_gbp_k", 2012, 2014, "per_child"),
        Segment("spending", "csc_net_expenditure_gbp_k", 2015, 2100, "per_child"),
    ),
    breaks=(SPEND_BREAK,),
    not_available=(
        "2010-11: that year's revenue outturn has no children's social care total. 2011-12: no "
        "population estimate for mid-2011 in the population extract. No regional totals are published."
    ),
    definition=(
        "Net current expenditure on children's social care (revenue outturn RO3; RSX for 2021-22) divided by "
        "the ONS mid-year estimate of children aged 0-17 at 30 June of the year the financial year starts "
        "(2018-19 uses mid-2018). Official and comparable between councils; a different measure from a "
        "council's reported overspend, never joined to it. Neither more nor less is better in itself."
    ),
)
CSC_NET_SPEND = Measure(
    id="csc_net_spend",
    label="Net spending on children's social care (financial year)",
    short="net spending on children's social care",
    unit="GBP thousand",
    decimals=0,
    month_day=(3, 31),
    polarity="neutral",
    headline=False,
    period="financial_year",
    segments=(
        Segment("spending", "csc_net_expenditure_gbp_k", 2012, 2014),
        Segment("spending", "csc_net_expenditure_gbp_k", 2015, 2100),
    ),
    breaks=(SPEND_BREAK,),
    not_available="2010-11: that year's revenue outturn has no children's social care total.",
    definition="Net current expenditure on children's social care, GBP thousand as published (cash, not adjusted "
    "for inflation).",
)
ASSESSMENT_TIMELINESS = Measure(
    id="assessments_within_45_days",
    label="Children in need assessments completed within 45 working days",
    short="assessments completed within 45 working days",
    unit="% of assessments completed",
    decimals=1,
    month_day=(3, 31),
    polarity="higher_better",
    headline=False,
    segments=(Segment("assessments", "assessments_within_45_days_pct", 2014, 2100),),
    definition=(
        "Share of assessments completed in the year to 31 March that took 45 working days or fewer, from the "
        "published duration bands (Characteristics of children in need, 2022 release)."
    ),
)
PLACEMENT_MOVES = Measure(
    id="three_or_more_placements",
    label="Children looked after with three or more placements in the year",
    short="children with three or more placements",
    unit="% of children looked after at 31 March",
    decimals=0,
    month_day=(3, 31),
    polarity="lower_better",
    headline=False,
    segments=(Segment("placement_stability", "three_or_more_placements_pct", 2019, 2100),),
)
PLACEMENT_LONG_TERM = Measure(
    id="long_term_placement_stability",
    label="Children looked after 2.5 years or more (under 16) in the same placement for 2 years",
    short="long-term placement stability",
    unit="% of children looked after 2.5 years or more, under 16",
    decimals=0,
    month_day=(3, 31),
    polarity="higher_better",
    headline=False,
    segments=(Segment("placement_stability", "long_term_same_placement_pct", 2019, 2100),),
)
CARE_LEAVERS_EET = Measure(
    id="care_leavers_eet",
    label="Care leavers aged 19-21 in education, employment or training",
    short="care leavers in education, employment or training",
    unit="% of care leavers aged 19-21",
    decimals=0,
    month_day=(3, 31),
    polarity="higher_better",
    headline=False,
    segments=(Segment("care_leavers", "care_leavers_19_21_eet_pct", 2019, 2100),),
)
CARE_LEAVERS_ACCOMMODATION = Measure(
    id="care_leavers_suitable_accommodation",
    label="Care leavers aged 19-21 in suitable accommodation",
    short="care leavers in suitable accommodation",
    unit="% of care leavers aged 19-21",
    decimals=0,
    month_day=(3, 31),
    polarity="higher_better",
    headline=False,
    segments=(Segment("care_leavers", "care_leavers_19_21_suitable_accommodation_pct", 2019, 2100),),
)

MEASURES: dict[str, Measure] = {
    m.id: m
    for m in (
        CP_RATE,
        CP_COUNT,
        CP_REPEAT,
        REREFERRAL,
        CIN_RATE,
        CLA_RATE,
        CASELOAD,
        VACANCY,
        AGENCY,
        TURNOVER,
        ADOPTIONS,
        SGO,
        CSC_SPEND_PER_CHILD,
        CSC_NET_SPEND,
        ASSESSMENT_TIMELINESS,
        PLACEMENT_MOVES,
        PLACEMENT_LONG_TERM,
        CARE_LEAVERS_EET,
        CARE_LEAVERS_ACCOMMODATION,
    )
}
HEADLINE = [m for m in MEASURES.values() if m.headline]
