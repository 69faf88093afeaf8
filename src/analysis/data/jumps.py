"""Year-on-year jumps: a change between consecutive years larger than is usual for the measure.

A warning, never an error (``validate`` prints it, ``refresh`` stops at exit 4): figures to
review. Each measure's threshold is derived from the spread of real year-on-year changes of every
local authority (``derive_thresholds``); docs/refresh.md explains the rule and lists them.
``analysis.data.plausibility`` turns changes above them into warnings.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.data.registry import all_specs


@dataclass(frozen=True)
class Jump:
    """A year-on-year change above ``threshold`` is a warning.

    ``scale`` "pp": the change in percentage points; "log": |ln((new + offset) / (old + offset))|,
    so a doubling of 100 is 0.69 and a tenfold rise about 2.3; the offset damps small numbers.
    """

    extract: str
    column: str
    scale: str
    offset: float
    threshold: float


# Years not compared with the year before: a change of definition, not of the figures.
NOT_COMPARED: dict[str, dict[int, str]] = {
    "assessments": {
        2015: "2014 was the first year of the single assessment: many councils completed few or none "
        "(analysis.data.specs.assessments)"
    },
}

# Offsets of the log scale by kind of measure (in the measure's unit); 1 for any other kind.
OFFSETS = {"count": 10.0, "fte": 5.0, "rate": 5.0, "ratio": 1.0}
# Thresholds: Q3 + 10 x IQR of the absolute change between consecutive years over every local
# authority in the committed extracts (Tukey's far-out fence is Q3 + 3 x IQR), rounded up to two
# significant figures; from ``derive_thresholds``, checked against the data by tests/test_plausibility.py.
THRESHOLDS: dict[tuple[str, str], float] = {
    ("cin", "cin_at_31_march_count"): 1.1,
    ("cin", "cin_awaiting_assessment_count"): 5.9,
    ("cin", "cin_episodes_in_year_count"): 1.2,
    ("cin", "cin_children_in_year_count"): 1.1,
    ("cin", "cin_episodes_started_count"): 2.1,
    ("cin", "cin_children_started_count"): 1.9,
    ("cin", "cin_episodes_ended_count"): 2.4,
    ("cin", "cin_children_ended_count"): 2.3,
    ("referrals", "referrals_count"): 1.8,
    ("referrals", "rereferrals_12m_count"): 3.0,
    ("referrals", "rereferrals_12m_pct"): 37.0,
    ("referrals", "referrals_nfa_count"): 7.4,
    ("referrals", "referrals_nfa_pct"): 52.0,
    ("referrals", "referrals_assessed_not_in_need_count"): 4.7,
    ("referrals", "referrals_assessed_not_in_need_pct"): 89.0,
    ("referrals", "children_referred_count"): 1.6,
    ("referrals", "children_rereferred_12m_count"): 2.6,
    ("referrals", "children_rereferred_12m_pct"): 36.0,
    ("cp_plans_started", "cp_plans_started_count"): 2.2,
    ("cp_plans_started", "cp_plans_second_or_subsequent_count"): 3.0,
    ("cp_plans_started", "cp_plans_second_or_subsequent_pct"): 49.0,
    ("cp_plans_at_31_march", "cp_plans_at_31_march_count"): 2.2,
    ("cp_plans_at_31_march", "cp_plans_3_months_or_less_count"): 3.2,
    ("cp_plans_at_31_march", "cp_plans_3_months_or_less_pct"): 86.0,
    ("cp_plans_at_31_march", "cp_plans_over_3_to_6_months_count"): 3.2,
    ("cp_plans_at_31_march", "cp_plans_over_3_to_6_months_pct"): 65.0,
    ("cp_plans_at_31_march", "cp_plans_over_6_months_under_1_year_count"): 3.2,
    ("cp_plans_at_31_march", "cp_plans_over_6_months_under_1_year_pct"): 73.0,
    ("cp_plans_at_31_march", "cp_plans_1_to_under_2_years_count"): 3.5,
    ("cp_plans_at_31_march", "cp_plans_1_to_under_2_years_pct"): 70.0,
    ("cp_plans_at_31_march", "cp_plans_2_years_or_more_count"): 3.4,
    ("cp_plans_at_31_march", "cp_plans_2_years_or_more_pct"): 22.0,
    ("population", "population_0_17_at_30_june"): 0.11,
    ("looked_after", "looked_after_at_31_march_count"): 0.67,
    ("looked_after", "looked_after_at_31_march_rate_per_10k"): 0.62,
    ("looked_after", "started_in_year_count"): 1.9,
    ("looked_after", "started_in_year_rate_per_10k"): 1.6,
    ("looked_after", "ceased_in_year_count"): 1.5,
    ("looked_after", "ceased_in_year_rate_per_10k"): 1.4,
    ("looked_after", "rate_population_0_17"): 0.14,
    ("workforce", "social_workers_fte"): 0.75,
    ("workforce", "social_workers_headcount"): 0.7,
    ("workforce", "starters_fte"): 3.7,
    ("workforce", "leavers_fte"): 3.1,
    ("workforce", "turnover_rate_pct"): 68.0,
    ("workforce", "agency_fte"): 3.5,
    ("workforce", "agency_rate_pct"): 58.0,
    ("workforce", "agency_cover_fte"): 3.9,
    ("workforce", "agency_cover_rate_pct"): 310.0,
    ("workforce", "vacancies_fte"): 3.7,
    ("workforce", "vacancy_rate_pct"): 64.0,
    ("workforce", "vacancies_covered_by_agency_pct"): 3.8,
    ("workforce", "case_holders_fte"): 1.4,
    ("workforce", "cases"): 1.6,
    ("workforce", "caseload_per_fte"): 1.1,
    ("workforce", "sickness_days_lost_fte"): 4.1,
    ("workforce", "absence_rate_pct"): 12.0,
    ("workforce_release_2022", "social_workers_fte"): 0.73,
    ("workforce_release_2022", "social_workers_headcount"): 0.69,
    ("workforce_release_2022", "leavers_fte"): 3.4,
    ("workforce_release_2022", "turnover_rate_pct"): 71.0,
    ("workforce_release_2022", "agency_fte"): 3.6,
    ("workforce_release_2022", "agency_rate_pct"): 58.0,
    ("workforce_release_2022", "agency_cover_fte"): 3.8,
    ("workforce_release_2022", "agency_cover_rate_pct"): 320.0,
    ("workforce_release_2022", "vacancies_fte"): 4.0,
    ("workforce_release_2022", "vacancy_rate_pct"): 63.0,
    ("workforce_release_2022", "vacancies_covered_by_agency_pct"): 4.1,
    ("workforce_release_2022", "case_holders_fte"): 1.5,
    ("workforce_release_2022", "cases"): 1.8,
    ("workforce_release_2022", "caseload_per_fte"): 1.1,
    ("workforce_release_2022", "sickness_days_lost_fte"): 4.2,
    ("workforce_release_2022", "absence_rate_pct"): 12.0,
    ("cp_historic", "cp_plans_at_31_march_count"): 1.9,
    ("cp_historic", "cp_plans_at_31_march_rate_per_10k"): 1.8,
    ("cla_historic", "looked_after_at_31_march_count"): 0.7,
    ("cla_historic", "looked_after_at_31_march_rate_per_10k"): 0.67,
    ("adoptions", "adopted_count"): 2.5,
    ("adoptions", "adopted_unopposed_count"): 2.6,
    ("adoptions", "adopted_consent_dispensed_count"): 3.0,
    ("adoptions", "special_guardianship_count"): 2.8,
    ("adoptions", "ceased_count"): 1.6,
    ("workforce_lait", "social_workers_fte"): 1.2,
    ("workforce_lait", "turnover_rate_pct"): 86.0,
    ("workforce_lait", "agency_rate_pct"): 60.0,
    ("workforce_lait", "vacancy_rate_pct"): 66.0,
    ("workforce_lait", "absence_rate_pct"): 15.0,
    ("spending", "csc_net_expenditure_gbp_k"): 1.1,
    ("assessments", "assessments_completed_count"): 1.9,
    ("assessments", "assessments_within_45_days_count"): 2.0,
    ("assessments", "assessments_within_45_days_pct"): 80.0,
    ("assessments", "assessment_median_days"): 1.9,
    ("placement_stability", "cla_at_31_march_count"): 0.69,
    ("placement_stability", "three_or_more_placements_count"): 2.1,
    ("placement_stability", "three_or_more_placements_pct"): 23.0,
    ("placement_stability", "long_term_cohort_count"): 0.91,
    ("placement_stability", "long_term_same_placement_count"): 1.1,
    ("placement_stability", "long_term_same_placement_pct"): 46.0,
    ("care_leavers", "care_leavers_19_21_count"): 0.72,
    ("care_leavers", "care_leavers_19_21_eet_count"): 1.4,
    ("care_leavers", "care_leavers_19_21_eet_pct"): 46.0,
    ("care_leavers", "care_leavers_17_18_count"): 1.7,
    ("care_leavers", "care_leavers_17_18_eet_pct"): 91.0,
    ("care_leavers", "care_leavers_19_21_suitable_accommodation_pct"): 45.0,
    ("care_leavers", "care_leavers_17_18_suitable_accommodation_pct"): 67.0,
}


def extracts_by_area_and_year() -> dict[str, object]:
    """The official extracts keyed by (area_code, year): one row per area and year, comparable across years."""
    return {
        name: spec
        for name, spec in all_specs().items()
        if spec.origin == "official" and tuple(spec.key) == ("area_code", "year")
    }


def year_pairs(frame: pd.DataFrame) -> pd.DataFrame:
    """Each row beside the same area's row of the year before (columns ``<name>`` and ``<name>_before``).

    ``line`` and ``line_before`` are the two rows' lines in the file: one merge per extract, shared
    by every measure in it (``changes``).
    """
    rows = frame.assign(line=frame.index)
    before = rows.assign(year=rows["year"] + 1)
    return rows.merge(before, on=["area_code", "year"], suffixes=("", "_before"))


def changes(pairs: pd.DataFrame, column: str, scale: str, offset: float, extract: str = "") -> pd.DataFrame:
    """Consecutive-year pairs of one measure from ``year_pairs``: area, year, old, new, change (absolute,
    on ``scale``), line, old_line. Pairs ending in a year of ``NOT_COMPARED[extract]`` are left out."""
    pairs = pairs[["area_code", "year", column, f"{column}_before", "line", "line_before"]].dropna(
        subset=[column, f"{column}_before"]
    )
    pairs = pairs.rename(columns={column: "new", f"{column}_before": "old", "line_before": "old_line"})
    pairs = pairs[~pairs["year"].isin(list(NOT_COMPARED.get(extract, {})))].reset_index(drop=True)
    old, new = pairs["old"].astype(float), pairs["new"].astype(float)
    pairs["change"] = (new - old).abs() if scale == "pp" else np.abs(np.log((new + offset) / (old + offset)))
    return pairs


def jumps() -> list[Jump]:
    """Every measure of the area-and-year extracts with its scale and declared threshold."""
    out = []
    for name, spec in extracts_by_area_and_year().items():
        for col in spec.measures():
            if (name, col.name) in THRESHOLDS:
                scale = "pp" if col.kind == "pct" else "log"
                out.append(
                    Jump(
                        name,
                        col.name,
                        scale,
                        0.0 if scale == "pp" else OFFSETS.get(col.kind, 1.0),
                        THRESHOLDS[(name, col.name)],
                    )
                )
    return out


def derive_thresholds(frames: Mapping[str, pd.DataFrame], k: float = 10.0) -> dict[tuple[str, str], float]:
    """The documented rule: Q3 + k * IQR of |change| over local authorities, rounded up to 2 significant figures."""
    out: dict[tuple[str, str], float] = {}
    for name, spec in extracts_by_area_and_year().items():
        if name not in frames:
            continue
        las = frames[name][frames[name]["geographic_level"] == "local_authority"]
        pairs = year_pairs(las)
        for col in spec.measures():
            scale = "pp" if col.kind == "pct" else "log"
            change = changes(pairs, col.name, scale, 0.0 if scale == "pp" else OFFSETS.get(col.kind, 1.0), name)["change"]
            if len(change) < 100:  # too few pairs to say what a usual change is
                continue
            q1, q3 = change.quantile([0.25, 0.75])
            raw = float(q3 + k * (q3 - q1))
            digits = 1 - math.floor(math.log10(raw)) if raw > 0 else 0
            out[(name, col.name)] = math.ceil(raw * 10**digits) / 10**digits
    return out
