"""Derive the workforce extracts from the official files (declared in ``analysis.data.specs.workforce``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.data.official.common import (
    collect,
    ees_extract,
    ees_frame,
    read_ees,
    require,
)
from analysis.data.specs.workforce import (
    COLUMNS_2022,
    COLUMNS_2025,
    FILE_2022,
    FILE_2025,
    JOINT_IN_2022,
    SPECS,
    WORKFORCE,
    WORKFORCE_RELEASE_2022,
)
from analysis.errors import DataError, Problem

__all__ = ["SPECS", "derive"]  # the declarations are re-exported for callers of derive()


def read_release_2022(path: Path) -> pd.DataFrame:
    """The 2022 release with its joint services re-coded as the 2025 release codes them."""
    raw = read_ees(path, levels=True)
    require(raw, ["old_la_code", "new_la_code", "la_name", *COLUMNS_2022], path)
    problems = []
    for carrier, (partner, joint_la, joint_ons, joint_name) in JOINT_IN_2022.items():
        partner_rows = raw[raw["old_la_code"] == partner]
        not_z = partner_rows[list(COLUMNS_2022)].ne("z").any(axis=1)
        problems += [
            Problem(
                str(path),
                int(line),
                None,
                f"partner {partner} of joint service {joint_la} has a figure: the joint "
                f"service can no longer be assumed to be reported under {carrier}",
            )
            for line in partner_rows.index[not_z]
        ]
        carrier_rows = raw["old_la_code"] == carrier
        raw.loc[carrier_rows, ["old_la_code", "new_la_code", "la_name"]] = [joint_la, joint_ons, joint_name]
    if problems:
        raise DataError(problems)
    return ees_frame(raw, path, "dfe-csww-2022", COLUMNS_2022, WORKFORCE_RELEASE_2022)


def derive(source_dir: Path) -> dict[str, pd.DataFrame]:
    problems: list[Problem] = []
    out = {
        "workforce": collect(problems, ees_extract, source_dir / FILE_2025, "dfe-csww-2025", COLUMNS_2025, WORKFORCE),
        "workforce_release_2022": collect(problems, read_release_2022, source_dir / FILE_2022),
    }
    if problems:
        raise DataError(problems)
    return out
