"""Derive the assessments extract (declared in ``analysis.data.specs.assessments``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.data.official.common import (
    collect,
    ees_areas,
    finish,
    half_up,
    one_row_per_key,
    read_ees,
    split_measures,
    sum_or_missing,
    years,
)
from analysis.data.specs.assessments import ASSESSMENTS, FILE, OVER_45_BANDS, SOURCE, SPECS, WITHIN_45_BANDS
from analysis.errors import DataError, Problem

__all__ = ["SPECS", "derive", "within_45_days"]

FOLDERS = ("more",)


def within_45_days(bands: pd.DataFrame, completed: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(count within 45 working days, its status, share in % to one decimal) from the duration bands.

    ``bands`` holds the six bands up to 41-45 days as value and ``<band>_status`` columns. Any
    suppressed band leaves the count and share missing with that band's marker; a share also
    needs a published, positive total.
    """
    values = bands[list(WITHIN_45_BANDS)]
    statuses = bands[[f"{b}_status" for b in WITHIN_45_BANDS]].set_axis(list(WITHIN_45_BANDS), axis=1)
    count, status = sum_or_missing(values, statuses)
    share = half_up(count / completed.where(completed > 0) * 100, 1)
    return count, status, share


def derive(more_dir: Path) -> dict[str, pd.DataFrame]:
    """Assessments completed, within 45 working days and median days, per area and year to 31 March."""
    path = more_dir / FILE
    raw = read_ees(path, levels=True)
    problems: list[Problem] = []
    bands = collect(problems, split_measures, raw, {b: b for b in (*WITHIN_45_BANDS, *OVER_45_BANDS)}, path)
    measures = collect(
        problems,
        split_measures,
        raw,
        {"Assessments_completed": "assessments_completed_count", "Median_days": "assessment_median_days"},
        path,
    )
    areas = collect(problems, ees_areas, raw, path)
    year = collect(problems, years, raw, path)
    if problems:
        raise DataError(problems)
    out = areas.join(measures)
    count, status, share = within_45_days(bands, out["assessments_completed_count"])
    out["assessments_within_45_days_count"], out["assessments_within_45_days_count_status"] = count, status
    out["assessments_within_45_days_pct"] = share
    completed_status = out["assessments_completed_count_status"]
    # no share of none: an area that completed no assessments (Blackpool 2014) has a z (not applicable) share
    reason = status.where(status != "", completed_status.fillna("")).mask(out["assessments_completed_count"] == 0, "z")
    out["assessments_within_45_days_pct_status"] = reason.where(share.isna(), "")
    out["la_code"] = out["la_code"].replace("", pd.NA)
    out["year"] = year
    out["source_id"] = SOURCE
    one_row_per_key(out, ASSESSMENTS.key, path)
    return {"assessments": finish(out, ASSESSMENTS)}
