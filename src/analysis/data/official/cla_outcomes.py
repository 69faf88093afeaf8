"""Derive placement stability and care leavers (declared in ``analysis.data.specs.cla_outcomes``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.data.official.common import ees_long_to_wide, finish, read_ees
from analysis.data.specs.cla_outcomes import (
    ACCOMMODATION_FILE,
    ACCOMMODATION_MEASURES,
    ACCOMMODATION_SOURCE,
    ACTIVITY_FILE,
    ACTIVITY_MEASURES,
    ACTIVITY_SOURCE,
    CARE_LEAVERS,
    PLACEMENT_STABILITY,
    RELEASE,
    SPECS,
    STABILITY_FILE,
    STABILITY_MEASURES,
    STABILITY_SOURCE,
)

__all__ = ["SPECS", "derive"]

FOLDERS = ("more",)


def derive(more_dir: Path) -> dict[str, pd.DataFrame]:
    """Placement stability and care leavers, one row per area and year, 2019-2023."""
    path = more_dir / STABILITY_FILE
    stability = ees_long_to_wide(read_ees(path, levels=True), path, STABILITY_MEASURES)
    stability["release"], stability["source_id"] = RELEASE, STABILITY_SOURCE
    path = more_dir / ACTIVITY_FILE
    activity = ees_long_to_wide(read_ees(path, levels=True), path, ACTIVITY_MEASURES)
    path = more_dir / ACCOMMODATION_FILE
    accommodation = ees_long_to_wide(read_ees(path, levels=True), path, ACCOMMODATION_MEASURES)
    leavers = activity.merge(
        accommodation.drop(columns=["la_code", "area_name", "geographic_level"]),
        on=["area_code", "year"],
        how="left",
        validate="one_to_one",
    )
    for column in ACCOMMODATION_MEASURES:
        leavers[f"{column}_status"] = leavers[f"{column}_status"].fillna("not_in_release")
    leavers["release"], leavers["source_id"] = RELEASE, ACTIVITY_SOURCE
    leavers["accommodation_source_id"] = ACCOMMODATION_SOURCE
    return {"placement_stability": finish(stability, PLACEMENT_STABILITY), "care_leavers": finish(leavers, CARE_LEAVERS)}
