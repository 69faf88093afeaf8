"""Derive the cin_cp extracts from the official files (declared in ``analysis.data.specs.cin_cp``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.data.official.common import collect, ees_extract
from analysis.data.specs.cin_cp import _BANDS, SPECS
from analysis.errors import DataError, Problem

__all__ = ["SPECS", "derive"]  # the declarations are re-exported for callers of derive()

# extract -> (official file, source id, {official column: our column})
FILES: dict[str, tuple[str, str, dict[str, str]]] = {
    "cin": (
        "b1_children_in_need_2013_to_2025.csv",
        "dfe-cin-b1-2025",
        {
            "At31_episodes": "cin_at_31_march_count",
            "awaiting_assessment": "cin_awaiting_assessment_count",
            "Anypoint_episodes": "cin_episodes_in_year_count",
            "Anypoint_child": "cin_children_in_year_count",
            "Started_episodes": "cin_episodes_started_count",
            "Started_child": "cin_children_started_count",
            "Ended_episodes": "cin_episodes_ended_count",
            "Ended_child": "cin_children_ended_count",
        },
    ),
    "referrals": (
        "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv",
        "dfe-cin-c1-2025",
        {
            "referral_count": "referrals_count",
            "rereferral_count": "rereferrals_12m_count",
            "rereferral_percent": "rereferrals_12m_pct",
            "no_further_action_count": "referrals_nfa_count",
            "no_further_action_percent": "referrals_nfa_pct",
            "not_in_need_count": "referrals_assessed_not_in_need_count",
            "not_in_need_percent": "referrals_assessed_not_in_need_pct",
            "referral_child_count": "children_referred_count",
            "rereferral_child_count": "children_rereferred_12m_count",
            "rereferral_child_percent": "children_rereferred_12m_pct",
        },
    ),
    "cp_plans_started": (
        "d3_cpps_subsequent_plan_2013_to_2025.csv",
        "dfe-cin-d3-2025",
        {
            "CPP_start": "cp_plans_started_count",
            "CPP_subsequent": "cp_plans_second_or_subsequent_count",
            "CPP_subsequent_percent": "cp_plans_second_or_subsequent_pct",
        },
    ),
    "cp_plans_at_31_march": (
        "d5_cpps_at31march_by_duration_2013_to_2025.csv",
        "dfe-cin-d5-2025",
        {
            "CPP_At31": "cp_plans_at_31_march_count",
            **{official: f"cp_plans_{ours}_count" for official, ours, _ in _BANDS},
            **{f"{official}_percent": f"cp_plans_{ours}_pct" for official, ours, _ in _BANDS},
        },
    ),
}


def derive(source_dir: Path) -> dict[str, pd.DataFrame]:
    specs = {spec.name: spec for spec in SPECS}
    problems: list[Problem] = []
    out = {
        name: collect(problems, ees_extract, source_dir / file, source_id, mapping, specs[name])
        for name, (file, source_id, mapping) in FILES.items()
    }
    if problems:  # every file's problems, not just the first file's
        raise DataError(problems)
    return out
