"""The indicator catalogue: every measure declared once, with all the statistics and sections need of it.

Each ``Measure`` (fields: ``analysis.measures.declaration``) says what it is, where its numbers
come from, its numerator and denominator, whether it has a funnel plot and a deprivation panel,
and its topic; ``MEASURES`` is every one declared here, in order, and the registries elsewhere
(``funnel_limits.FUNNEL_MEASURES``, ``deprivation_model.MODEL_MEASURES``) are views of it.
docs/extending.md says how to add one. A series may join segments from different extracts
(e.g. looked-after rates from the earlier releases for 2012-2020 and the current release from
2021): the joins are named in every chart's source line, and each value keeps its source.
"""

from __future__ import annotations

from analysis.data.schema import Polarity as P
from analysis.measures.declaration import (
    POPULATION,
    Basis,
    BasisKind,
    DenominatorUnit,
    Derivation,
    Measure,
    Period,
    Segment,
    Topic,
)

R, PROP = BasisKind.RATE, BasisKind.PROPORTION
CHILDREN, PLANS, REFERRALS, FTE = DenominatorUnit

CP_RATE = Measure(
    id="cp_rate",
    label="Children on child protection plans per 10,000 children (31 March)",
    short="child protection plans per 10,000 children",
    unit="per 10,000 children aged 0-17",
    decimals=1,
    polarity=P.NEUTRAL,
    segments=(
        Segment("cp_historic", "cp_plans_at_31_march_rate_per_10k", 2011, 2012),
        Segment("cp_plans_at_31_march", "cp_plans_at_31_march_count", 2013, 2100, Derivation.RATE_PER_10K),
    ),
    related=("cp_plans_at_31_march.cp_plans_at_31_march_count",),
    topic=Topic.CHILD_PROTECTION,
    bases=(Basis("cp_plans_at_31_march", "cp_plans_at_31_march_count", POPULATION, R, 10_000, CHILDREN),),
    funnel=True,
    deprivation_panel="Child protection plans",
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
    polarity=P.NEUTRAL,
    headline=False,
    topic=Topic.CHILD_PROTECTION,
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
    polarity=P.LOWER_BETTER,
    segments=(Segment("cp_plans_started", "cp_plans_second_or_subsequent_pct", 2013, 2100),),
    topic=Topic.CHILD_PROTECTION,
    bases=(Basis("cp_plans_started", "cp_plans_second_or_subsequent_count", ("cp_plans_started_count",), PROP, 100, PLANS),),
    funnel=True,
    definition="Share of plans starting in the year to 31 March for children who had been on a plan before.",
)
REREFERRAL = Measure(
    id="rereferral",
    label="Re-referrals within 12 months of a previous referral",
    short="re-referral rate",
    unit="% of referrals",
    decimals=1,
    polarity=P.LOWER_BETTER,
    headline=False,
    segments=(Segment("referrals", "rereferrals_12m_pct", 2013, 2100),),
    topic=Topic.CHILDREN_IN_NEED,
    bases=(Basis("referrals", "rereferrals_12m_count", ("referrals_count",), PROP, 100, REFERRALS),),
)
CIN_RATE = Measure(
    id="cin_rate",
    label="Children in need per 10,000 children (31 March)",
    short="children in need per 10,000 children",
    unit="per 10,000 children aged 0-17",
    decimals=1,
    polarity=P.NEUTRAL,
    segments=(Segment("cin", "cin_at_31_march_count", 2013, 2100, Derivation.RATE_PER_10K),),
    topic=Topic.CHILDREN_IN_NEED,
    bases=(Basis("cin", "cin_at_31_march_count", POPULATION, R, 10_000, CHILDREN),),
    funnel=True,
    deprivation_panel="Children in need",
    definition=(
        "Children in need at 31 March (DfE counts the episodes of need open that day, including children on "
        "child protection plans and children looked after) per 10,000 children aged 0-17, computed from the "
        "count and the ONS mid-year estimate for the previous year, as DfE does. Neither a high nor a low rate "
        "is good in itself: it is read against comparable areas."
    ),
)
CLA_RATE = Measure(
    id="cla_rate",
    label="Children looked after per 10,000 children (31 March)",
    short="children looked after per 10,000",
    unit="per 10,000 children aged 0-17",
    decimals=0,
    polarity=P.NEUTRAL,
    # The releases chosen for 2012-2013 counts publish no rates; SFR34/2015's LA tables do.
    segments=(
        Segment("cla_vintages", "looked_after_at_31_march_rate_per_10k", 2012, 2013, release="SFR34/2015 LA tables"),
        Segment("cla_historic", "looked_after_at_31_march_rate_per_10k", 2014, 2020),
        Segment("looked_after", "looked_after_at_31_march_rate_per_10k", 2021, 2100),
    ),
    topic=Topic.LOOKED_AFTER,
    bases=(
        Basis("cla_vintages", "looked_after_at_31_march_count", POPULATION, R, 10_000, CHILDREN),
        Basis("cla_historic", "looked_after_at_31_march_count", POPULATION, R, 10_000, CHILDREN),
        Basis("looked_after", "looked_after_at_31_march_count", ("rate_population_0_17",), R, 10_000, CHILDREN),
    ),
    funnel=True,
    deprivation_panel="Children looked after",
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
    polarity=P.LOWER_BETTER,
    segments=(
        Segment("workforce_lait", "caseload_per_fte", 2016, 2016),
        Segment("workforce", "caseload_per_fte", 2017, 2100),
    ),
    topic=Topic.WORKFORCE,
    bases=(Basis("workforce", "cases", ("case_holders_fte",), R, 1, FTE),),
    funnel=True,
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
    polarity=P.LOWER_BETTER,
    segments=(
        Segment("workforce_lait", "vacancy_rate_pct", 2015, 2016),
        Segment("workforce", "vacancy_rate_pct", 2017, 2100),
    ),
    topic=Topic.WORKFORCE,
    bases=(Basis("workforce", "vacancies_fte", ("vacancies_fte", "social_workers_fte"), PROP, 100, FTE),),
    funnel=True,
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
    polarity=P.LOWER_BETTER,
    segments=(Segment("workforce_lait", "agency_rate_pct", 2015, 2016), Segment("workforce", "agency_rate_pct", 2017, 2100)),
    topic=Topic.WORKFORCE,
    bases=(Basis("workforce", "agency_fte", ("agency_fte", "social_workers_fte"), PROP, 100, FTE),),
    funnel=True,
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
    polarity=P.LOWER_BETTER,
    segments=(
        Segment("workforce_lait", "turnover_rate_pct", 2015, 2016),
        Segment("workforce", "turnover_rate_pct", 2017, 2100),
    ),
    topic=Topic.WORKFORCE,
    bases=(Basis("workforce", "leavers_fte", ("social_workers_fte",), PROP, 100, FTE),),
    funnel=True,
    definition=WORKFORCE_JOIN,
    not_available=WORKFORCE_GAP,
)

ADOPTIONS = Measure(
    id="adoptions",
    label="Children adopted from care (year to 31 March)",
    short="adoptions",
    unit="children",
    decimals=0,
    polarity=P.NEUTRAL,
    charted_with=("neighbours",),
    # Not headline yet: the headline sentences compare each neutral measure with England as a ratio
    # ("0.0 times England's 3,000"), which is meaningless for a count. The committee report's adoption
    # section (issue 11) shows it against England, region and neighbours instead.
    headline=False,
    segments=(Segment("adoptions", "adopted_count", 2010, 2100),),
    topic=Topic.PERMANENCE,
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
    polarity=P.NEUTRAL,
    charted_with=("neighbours",),
    headline=False,
    segments=(Segment("adoptions", "special_guardianship_count", 2010, 2100),),
    topic=Topic.PERMANENCE,
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
    polarity=P.NEUTRAL,
    period=Period.FINANCIAL_YEAR,
    segments=(
        Segment("spending", "csc_net_expenditure_gbp_k", 2012, 2014, Derivation.PER_CHILD),
        Segment("spending", "csc_net_expenditure_gbp_k", 2015, 2100, Derivation.PER_CHILD),
    ),
    breaks=(SPEND_BREAK,),
    topic=Topic.MONEY,
    no_basis="spending is not a count of children or events, so no interval or test of chance applies",
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
    polarity=P.NEUTRAL,
    headline=False,
    period=Period.FINANCIAL_YEAR,
    segments=(
        Segment("spending", "csc_net_expenditure_gbp_k", 2012, 2014),
        Segment("spending", "csc_net_expenditure_gbp_k", 2015, 2100),
    ),
    breaks=(SPEND_BREAK,),
    topic=Topic.MONEY,
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
    polarity=P.HIGHER_BETTER,
    headline=False,
    segments=(Segment("assessments", "assessments_within_45_days_pct", 2014, 2100),),
    topic=Topic.CHILDREN_IN_NEED,
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
    polarity=P.LOWER_BETTER,
    headline=False,
    segments=(Segment("placement_stability", "three_or_more_placements_pct", 2019, 2100),),
    topic=Topic.LOOKED_AFTER,
)
PLACEMENT_LONG_TERM = Measure(
    id="long_term_placement_stability",
    label="Children looked after 2.5 years or more (under 16) in the same placement for 2 years",
    short="long-term placement stability",
    unit="% of children looked after 2.5 years or more, under 16",
    decimals=0,
    polarity=P.HIGHER_BETTER,
    headline=False,
    segments=(Segment("placement_stability", "long_term_same_placement_pct", 2019, 2100),),
    topic=Topic.LOOKED_AFTER,
)
CARE_LEAVERS_EET = Measure(
    id="care_leavers_eet",
    label="Care leavers aged 19-21 in education, employment or training",
    short="care leavers in education, employment or training",
    unit="% of care leavers aged 19-21",
    decimals=0,
    polarity=P.HIGHER_BETTER,
    headline=False,
    segments=(Segment("care_leavers", "care_leavers_19_21_eet_pct", 2019, 2100),),
    topic=Topic.LOOKED_AFTER,
)
CARE_LEAVERS_ACCOMMODATION = Measure(
    id="care_leavers_suitable_accommodation",
    label="Care leavers aged 19-21 in suitable accommodation",
    short="care leavers in suitable accommodation",
    unit="% of care leavers aged 19-21",
    decimals=0,
    polarity=P.HIGHER_BETTER,
    headline=False,
    segments=(Segment("care_leavers", "care_leavers_19_21_suitable_accommodation_pct", 2019, 2100),),
    topic=Topic.LOOKED_AFTER,
)


def _declared() -> dict[str, Measure]:
    """Every ``Measure`` declared above, in declaration order (the order of the trajectory and the scorecard)."""
    found = [m for m in globals().values() if isinstance(m, Measure)]
    ids = [m.id for m in found]
    if len(ids) != len(set(ids)):
        raise ValueError(f"two measures share an id: {sorted({i for i in ids if ids.count(i) > 1})}")
    return {m.id: m for m in found}


MEASURES: dict[str, Measure] = _declared()
HEADLINE = [m for m in MEASURES.values() if m.headline]
