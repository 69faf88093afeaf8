"""Children in need and child protection: DfE 'Children in need' tables B1, C1, D3 and D5.

One extract per official file, so that every row cites exactly one source. ``year`` is DfE's
``time_period``: counts "at 31 March" are on 31 March of ``year``, counts "during the year"
cover the twelve months to that date.
"""

from __future__ import annotations

from analysis.data.schema import SOURCE_ID, Column, ExtractSpec, Polarity, area_columns

AT_31_MARCH = "31 March of year"
YEAR_TO_31_MARCH = "year to 31 March of year"

VOLUME = " A volume that reflects the area's size, need and thresholds: no direction is good in itself."

COMMON_NOTES = (
    "England and regional counts are published rounded to the nearest 10; local authority counts "
    "are exact. Percentages are as published (one decimal place), not recomputed.",
    "Each local authority appears under the ONS code in force on 31 March of the year: 825 "
    "Buckinghamshire from 2021, 815 North Yorkshire and 933 Somerset from 2024 change code for "
    "the same area; Bournemouth, Poole and Dorset (835-837) become 838 and 839 in 2020; "
    "Northamptonshire (928) becomes 940 and 941 in 2022; Cumbria (909) becomes 942 and 943 in 2024.",
    "Suppressed or unavailable cells stay empty with the official marker in the _status column.",
)


def _year(reference_date: str) -> Column:
    return Column("year", "year", "Reporting year (DfE time_period), the year of 31 March", reference_date=reference_date)


def _measure(
    name: str, kind: str, description: str, unit: str, reference_date: str, polarity: Polarity = "neutral"
) -> Column:
    """A published measure: value plus official marker when missing."""
    return Column(name, kind, description, unit=unit, polarity=polarity, reference_date=reference_date, status=True)


CIN = ExtractSpec(
    name="cin",
    path="official/cin.csv",
    title="Children in need",
    description=(
        "Children in need (children assessed by the local authority as needing its "
        "services, including those on child protection plans and looked after): episodes "
        "and children during the year, started, ended and open at 31 March (DfE table B1)."
    ),
    origin="official",
    key=("area_code", "year"),
    reference_date="31 March of year (stocks); year to 31 March of year (flows)",
    columns=(
        *area_columns(),
        _year("31 March of year; flows cover the year to that date"),
        _measure(
            "cin_at_31_march_count",
            "count",
            "Children in need at 31 March (DfE counts episodes open on that date: At31_episodes)." + VOLUME,
            "children",
            AT_31_MARCH,
        ),
        _measure(
            "cin_awaiting_assessment_count",
            "count",
            "Children in need at 31 March who were still awaiting an assessment "
            "(awaiting_assessment). Fewer may mean quicker assessment but the count also "
            "scales with the size of the area, so no direction is assumed.",
            "children",
            AT_31_MARCH,
        ),
        _measure(
            "cin_episodes_in_year_count",
            "count",
            "Episodes of need open at any point in the year (Anypoint_episodes)." + VOLUME,
            "episodes",
            YEAR_TO_31_MARCH,
        ),
        _measure(
            "cin_children_in_year_count",
            "count",
            "Children in need at any point in the year, each child counted once (Anypoint_child)." + VOLUME,
            "children",
            YEAR_TO_31_MARCH,
        ),
        _measure(
            "cin_episodes_started_count",
            "count",
            "Episodes of need that started in the year (Started_episodes)." + VOLUME,
            "episodes",
            YEAR_TO_31_MARCH,
        ),
        _measure(
            "cin_children_started_count",
            "count",
            "Children with an episode of need starting in the year, each counted once (Started_child)." + VOLUME,
            "children",
            YEAR_TO_31_MARCH,
        ),
        _measure(
            "cin_episodes_ended_count",
            "count",
            "Episodes of need that ended in the year (Ended_episodes)." + VOLUME,
            "episodes",
            YEAR_TO_31_MARCH,
        ),
        _measure(
            "cin_children_ended_count",
            "count",
            "Children with an episode of need ending in the year, each counted once (Ended_child)." + VOLUME,
            "children",
            YEAR_TO_31_MARCH,
        ),
        SOURCE_ID,
    ),
    notes=(
        *COMMON_NOTES,
        "x (not available) throughout for Hackney 2021 and 2022, Cornwall 2014 and Norfolk 2013; "
        "in part for Lancashire 2014 (flows) and County Durham and Oldham 2013 (ended, at 31 March).",
    ),
)

REFERRALS = ExtractSpec(
    name="referrals",
    path="official/referrals.csv",
    title="Referrals to children's social care",
    description=(
        "Referrals received in the year to 31 March, re-referrals within 12 months of a "
        "previous referral, and referrals ending in no further action or with the child "
        "assessed as not in need; referral and child level (DfE table C1)."
    ),
    origin="official",
    key=("area_code", "year"),
    reference_date=YEAR_TO_31_MARCH,
    columns=(
        *area_columns(),
        _year("year to 31 March of year"),
        _measure(
            "referrals_count",
            "count",
            "Referrals received in the year (referral_count)." + VOLUME,
            "referrals",
            YEAR_TO_31_MARCH,
        ),
        _measure(
            "rereferrals_12m_count",
            "count",
            "Referrals within 12 months of a previous referral of the same child (rereferral_count).",
            "referrals",
            YEAR_TO_31_MARCH,
        ),
        _measure(
            "rereferrals_12m_pct",
            "pct",
            "Re-referrals within 12 months as a percentage of referrals (rereferral_percent). "
            "Lower is better: a repeat referral suggests the first response did not meet the "
            "need.",
            "% of referrals",
            YEAR_TO_31_MARCH,
            "lower_better",
        ),
        _measure(
            "referrals_nfa_count",
            "count",
            "Referrals that resulted in no further action (no_further_action_count).",
            "referrals",
            YEAR_TO_31_MARCH,
        ),
        _measure(
            "referrals_nfa_pct",
            "pct",
            "Referrals resulting in no further action, as a percentage of referrals "
            "(no_further_action_percent). No direction: a high share may mean referrals that "
            "did not need social care, a low one a different front-door practice.",
            "% of referrals",
            YEAR_TO_31_MARCH,
        ),
        _measure(
            "referrals_assessed_not_in_need_count",
            "count",
            "Referrals where the child was assessed and found not to be in need (not_in_need_count).",
            "referrals",
            YEAR_TO_31_MARCH,
        ),
        _measure(
            "referrals_assessed_not_in_need_pct",
            "pct",
            "Referrals assessed as not in need, as a percentage of referrals "
            "(not_in_need_percent). No direction: it reflects thresholds and who refers.",
            "% of referrals",
            YEAR_TO_31_MARCH,
        ),
        _measure(
            "children_referred_count",
            "count",
            "Children referred in the year, each child counted once (referral_child_count)." + VOLUME,
            "children",
            YEAR_TO_31_MARCH,
        ),
        _measure(
            "children_rereferred_12m_count",
            "count",
            "Children referred within 12 months of a previous referral (rereferral_child_count).",
            "children",
            YEAR_TO_31_MARCH,
        ),
        _measure(
            "children_rereferred_12m_pct",
            "pct",
            "Children re-referred within 12 months as a percentage of children referred "
            "(rereferral_child_percent). Lower is better, as for referrals.",
            "% of children referred",
            YEAR_TO_31_MARCH,
            "lower_better",
        ),
        SOURCE_ID,
    ),
    notes=(
        *COMMON_NOTES,
        "8 to 20 authorities a year publish 0 referrals ending in no further action (Blackpool "
        "every year from 2018): the figure depends on local recording, so compare with care.",
    ),
)

CP_PLANS_STARTED = ExtractSpec(
    name="cp_plans_started",
    path="official/cp_plans_started.csv",
    title="Child protection plans started",
    description=(
        "Child protection plans that started in the year to 31 March, and how many of "
        "them were a second or subsequent plan for the child (DfE table D3)."
    ),
    origin="official",
    key=("area_code", "year"),
    reference_date=YEAR_TO_31_MARCH,
    columns=(
        *area_columns(),
        _year("year to 31 March of year"),
        _measure(
            "cp_plans_started_count",
            "count",
            "Child protection plans started in the year (CPP_start)." + VOLUME,
            "plans",
            YEAR_TO_31_MARCH,
        ),
        _measure(
            "cp_plans_second_or_subsequent_count",
            "count",
            "Plans started in the year that were the child's second or subsequent plan, at any time (CPP_subsequent).",
            "plans",
            YEAR_TO_31_MARCH,
        ),
        _measure(
            "cp_plans_second_or_subsequent_pct",
            "pct",
            "Second or subsequent plans as a percentage of plans started (CPP_subsequent_percent). "
            "Lower is better: a repeat plan suggests earlier work did not keep the child safe "
            "for good. z where no plan started.",
            "% of plans started",
            YEAR_TO_31_MARCH,
            "lower_better",
        ),
        SOURCE_ID,
    ),
    notes=COMMON_NOTES,
)

_BANDS = (
    ("3_months_or_less", "3_months_or_less", "3 months or less"),
    ("more_than_3_months_6_months", "over_3_to_6_months", "more than 3 months, up to 6 months"),
    ("more_than_6_months_less_than_1_year", "over_6_months_under_1_year", "more than 6 months, less than 1 year"),
    ("1_year_less_than_2_years", "1_to_under_2_years", "1 year, less than 2 years"),
    ("2_years_or_more", "2_years_or_more", "2 years or more"),
)


def _band_columns() -> tuple[Column, ...]:
    out: list[Column] = []
    for official, ours, label in _BANDS:
        long_plans = ours == "2_years_or_more"
        out.append(
            _measure(
                f"cp_plans_{ours}_count",
                "count",
                f"Plans open at 31 March that had lasted {label} ({official}).",
                "plans",
                AT_31_MARCH,
            )
        )
        out.append(
            _measure(
                f"cp_plans_{ours}_pct",
                "pct",
                f"Plans open at 31 March that had lasted {label}, as a percentage of plans open "
                f"({official}_percent)."
                + (
                    " Lower is better: a plan this long suggests drift in the child's protection."
                    if long_plans
                    else " No direction: the spread reflects when plans started."
                )
                + " z where no plan was open.",
                "% of plans at 31 March",
                AT_31_MARCH,
                "lower_better" if long_plans else "neutral",
            )
        )
    return tuple(out)


CP_PLANS_AT_31_MARCH = ExtractSpec(
    name="cp_plans_at_31_march",
    path="official/cp_plans_at_31_march.csv",
    title="Child protection plans at 31 March",
    description=("Children on child protection plans at 31 March, by how long the plan had lasted (DfE table D5)."),
    origin="official",
    key=("area_code", "year"),
    reference_date=AT_31_MARCH,
    columns=(
        *area_columns(),
        _year(AT_31_MARCH),
        _measure(
            "cp_plans_at_31_march_count",
            "count",
            "Children on a child protection plan at 31 March (CPP_At31). A volume that "
            "reflects local need and thresholds: DfE treats neither a higher nor a lower "
            "number (or rate per 10,000 children) as good in itself.",
            "children",
            AT_31_MARCH,
        ),
        *_band_columns(),
        SOURCE_ID,
    ),
    notes=(*COMMON_NOTES, "Small bands are widely suppressed (c) at local authority level."),
)

SPECS = (CIN, REFERRALS, CP_PLANS_STARTED, CP_PLANS_AT_31_MARCH)
