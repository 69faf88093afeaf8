"""Derive the areas extracts from the official files (declared in ``analysis.data.specs.areas``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.data.official.common import ees_areas, finish, read_ees
from analysis.data.specs.areas import AREA_FILES, AREAS, SPECS

__all__ = ["SPECS", "derive"]  # the declarations are re-exported for callers of derive()


def derive(source_dir: Path) -> dict[str, pd.DataFrame]:
    frames = []
    for file, source_id in AREA_FILES.items():
        raw = read_ees(source_dir / file)
        rows = ees_areas(raw)
        rows["region_code"] = raw["region_code"].where(rows["geographic_level"] != "national", "")
        rows["region_name"] = raw["region_name"].where(rows["geographic_level"] != "national", "")
        rows["year"] = raw["time_period"].astype(int)
        rows["source_id"] = source_id
        rows["priority"] = len(frames)
        frames.append(rows)
    rows = pd.concat(frames, ignore_index=True)
    span = rows.groupby("area_code")["year"].agg(["min", "max"])
    # Latest year wins; within a year the first file listed wins (CIN files use the nine regions,
    # workforce splits London into inner and outer).
    latest = (rows.sort_values(["area_code", "year", "priority"], ascending=[True, True, False], kind="stable")
                  .groupby("area_code").tail(1).set_index("area_code"))
    out = latest.drop(columns=["year", "priority"]).join(span.rename(columns={"min": "first_year", "max": "last_year"}))
    out = out.reset_index()
    for c in ("la_code", "region_code", "region_name"):
        out[c] = out[c].replace("", pd.NA)
    return {"areas": finish(out, AREAS)}
