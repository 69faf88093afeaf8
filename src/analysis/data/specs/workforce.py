"""Children's social work workforce at 30 September: the 2025 release and, for revisions, the 2022 one."""

from __future__ import annotations

from analysis.data.schema import SOURCE_ID, Column, ExtractSpec, Polarity, area_columns

FILE_2025 = "csww_indicators_2017_to_2025.csv"
FILE_2022 = "csww_headline_measures_2017_to_2022.csv"

AT_30_SEPT = "30 September of year"
YEAR_TO_30_SEPT = "year to 30 September of year"


def _measure(
    name: str, kind: str, description: str, unit: str, polarity: Polarity, reference_date: str = AT_30_SEPT
) -> Column:
    return Column(name, kind, description, unit=unit, polarity=polarity, reference_date=reference_date, status=True)


# Every measure either release publishes, declared once so both extracts mean the same thing by a name.
MEASURES: dict[str, Column] = {
    c.name: c
    for c in (
        _measure(
            "social_workers_fte",
            "fte",
            "Children and family social workers employed by the council (not agency), FTE. Neutral: the "
            "of the workforce follows the size of the authority and its demand, so neither more nor fewer "
            "is good in itself; read caseload and vacancy rate instead",
            "FTE",
            "neutral",
        ),
        _measure(
            "social_workers_headcount",
            "count",
            "Children and family social workers employed by the council (not agency), headcount. Neutral "
            "for the same reason as the FTE",
            "people",
            "neutral",
        ),
        _measure(
            "starters_fte",
            "fte",
            "Social workers who joined the council during the year, FTE. Neutral: recruitment also replaces leavers",
            "FTE",
            "neutral",
            YEAR_TO_30_SEPT,
        ),
        _measure(
            "leavers_fte",
            "fte",
            "Social workers who left the council during the year, FTE. Lower is better within one "
            "authority; compare authorities by turnover rate",
            "FTE",
            "lower_better",
            YEAR_TO_30_SEPT,
        ),
        _measure(
            "turnover_rate_pct",
            "pct",
            "Turnover rate: leavers during the year as a percentage of social workers in post at 30 September (FTE)",
            "% (FTE)",
            "lower_better",
            YEAR_TO_30_SEPT,
        ),
        _measure(
            "agency_fte",
            "fte",
            "Agency social workers working for the council, FTE. Lower is better within one authority; "
            "compare authorities by agency rate",
            "FTE",
            "lower_better",
        ),
        _measure(
            "agency_rate_pct",
            "pct",
            "Agency rate: agency social workers as a percentage of agency plus employed social workers (FTE)",
            "% (FTE)",
            "lower_better",
        ),
        _measure(
            "agency_cover_fte",
            "fte",
            "Agency social workers covering vacancies, FTE. Neutral: cover fills gaps but is agency use",
            "FTE",
            "neutral",
        ),
        _measure(
            "agency_cover_rate_pct",
            "pct",
            "Agency social workers covering vacancies as a percentage of all agency social workers (FTE). Neutral",
            "% of agency FTE",
            "neutral",
        ),
        _measure(
            "vacancies_fte",
            "fte",
            "Vacant social worker posts, FTE. Lower is better within one authority; compare authorities by vacancy rate",
            "FTE",
            "lower_better",
        ),
        _measure(
            "vacancy_rate_pct",
            "pct",
            "Vacancy rate: vacancies as a percentage of vacancies plus employed social workers (FTE)",
            "% (FTE)",
            "lower_better",
        ),
        _measure(
            "vacancies_covered_by_agency_pct",
            "rate",
            "Agency social workers covering vacancies as a percentage of vacancies (FTE); the 2022 release "
            "has values above 100 where agency cover exceeds the vacancies counted. Neutral: cover fills "
            "gaps but is agency use",
            "% of vacancies (FTE)",
            "neutral",
        ),
        _measure(
            "case_holders_fte",
            "fte",
            "Employed social workers who hold cases, FTE. Neutral (size of authority)",
            "FTE",
            "neutral",
        ),
        _measure(
            "cases",
            "count",
            "Cases held by social workers at 30 September. Neutral: a measure of demand",
            "cases",
            "neutral",
        ),
        _measure(
            "caseload_per_fte",
            "ratio",
            "Average caseload: cases divided by case-holding social workers (FTE)",
            "cases per FTE",
            "lower_better",
        ),
        _measure(
            "sickness_days_lost_fte",
            "fte",
            "Working days lost to sickness absence by employed social workers during the year (FTE days)",
            "FTE days",
            "lower_better",
            YEAR_TO_30_SEPT,
        ),
        _measure(
            "absence_rate_pct",
            "pct",
            "Sickness absence rate: working days lost as a percentage of FTE working days available",
            "% of FTE days",
            "lower_better",
            YEAR_TO_30_SEPT,
        ),
    )
}

# Official column -> our column.
COLUMNS_2025: dict[str, str] = {
    "inpost_fte": "social_workers_fte",
    "inpost_headcount": "social_workers_headcount",
    "starters_fte": "starters_fte",
    "leavers_fte": "leavers_fte",
    "turnover_rate_fte": "turnover_rate_pct",
    "agency_fte": "agency_fte",
    "agency_rate_fte": "agency_rate_pct",
    "agency_cover_fte": "agency_cover_fte",
    "agency_cover_rate_fte": "agency_cover_rate_pct",
    "vacancy_fte": "vacancies_fte",
    "vacancy_rate_fte": "vacancy_rate_pct",
    "vacancy_agency_cover_rate_fte": "vacancies_covered_by_agency_pct",
    "case_holders_fte": "case_holders_fte",
    "cases": "cases",
    "caseload_fte": "caseload_per_fte",
    "working_days_lost_fte": "sickness_days_lost_fte",
    "absence_rate_fte": "absence_rate_pct",
}
# The 2022 release names the same measures differently and publishes no starters.
COLUMNS_2022: dict[str, str] = {
    "social_worker_fte": "social_workers_fte",
    "social_worker_headcount": "social_workers_headcount",
    "leaver_fte": "leavers_fte",
    "turnover_rate_fte_%": "turnover_rate_pct",
    "agency_fte": "agency_fte",
    "agency_worker_rate_fte_%": "agency_rate_pct",
    "agency_cover_fte": "agency_cover_fte",
    "agency_cover_rate_fte_%": "agency_cover_rate_pct",
    "vacancy_fte": "vacancies_fte",
    "vacancy_rate_fte_%": "vacancy_rate_pct",
    "vacancy_agency_cover_rate_fte_%": "vacancies_covered_by_agency_pct",
    "case_holders_fte": "case_holders_fte",
    "cases": "cases",
    "caseload_fte": "caseload_per_fte",
    "working_days_lost_fte": "sickness_days_lost_fte",
    "absence_rate_fte_%": "absence_rate_pct",
}

# The 2022 release files a jointly run service under one partner's own code and marks the other
# partner "z" in every cell; the 2025 release publishes the same figures as a joint row
# ("314 / 318"). Carrier DfE code -> (partner code, joint codes and name as the 2025 release writes them).
JOINT_IN_2022: dict[str, tuple[str, str, str, str]] = {
    "314": ("318", "314 / 318", "E09000021 / E09000027", "Kingston upon Thames / Richmond upon Thames"),
    "940": ("941", "940 / 941", "E06000061 / E06000062", "North Northamptonshire / West Northamptonshire"),
}

WORKFORCE = ExtractSpec(
    name="workforce",
    path="official/workforce.csv",
    title="Children's social work workforce (2025 release)",
    description=(
        "Children and family social workers by area and year: staff in post, starters, leavers and "
        "turnover, agency workers, vacancies, caseloads and sickness absence, as published in DfE's "
        "Children's social work workforce, reporting year 2025 (2017 to 2025)."
    ),
    origin="official",
    key=("area_code", "year"),
    columns=(
        *area_columns(),
        Column("year", "year", "Reporting year (time_period); stocks are at 30 September of this year"),
        *(MEASURES[c] for c in COLUMNS_2025.values()),
        SOURCE_ID,
    ),
    reference_date=AT_30_SEPT,
    notes=(
        "Jointly run services are one row with a combined area code (Kingston upon Thames and Richmond "
        "upon Thames, all years; North and West Northamptonshire from 2021): never split between "
        "partners.",
        "Barnsley and Sheffield carry their new ONS codes (E08000038, E08000039) in 2025 only, as published.",
        "Starters, leavers and sickness absence are for the year to 30 September; posts, vacancies and "
        "cases at 30 September.",
    ),
)

WORKFORCE_RELEASE_2022 = ExtractSpec(
    name="workforce_release_2022",
    path="official/workforce_release_2022.csv",
    title="Children's social work workforce (2022 release, for revisions)",
    description=(
        "The same measures as published in DfE's Children's social work workforce, reporting year "
        "2022 (2017 to 2022), with the column names of the workforce extract, so that revisions "
        "between releases can be shown. The 2022 release publishes no starters."
    ),
    origin="official",
    key=("area_code", "year"),
    columns=(
        *area_columns(),
        Column("year", "year", "Reporting year (time_period); stocks are at 30 September of this year"),
        *(MEASURES[c] for c in COLUMNS_2022.values()),
        SOURCE_ID,
    ),
    reference_date=AT_30_SEPT,
    notes=(
        "The 2022 release files the Kingston upon Thames and Richmond upon Thames service under "
        "Kingston's code (all years) and the Northamptonshire service under North Northamptonshire's "
        "(2021-2022), with the partner marked z. Those rows are given the joint area code the 2025 "
        "release uses, so the two releases line up; the partner's z rows are kept as published.",
    ),
)

SPECS = (WORKFORCE, WORKFORCE_RELEASE_2022)
