"""Helpers shared by the official extract families (explore-education-statistics tidy CSVs)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from analysis.data.markers import parse_cell
from analysis.data.schema import ExtractSpec
from analysis.errors import DataError, Problem

LEVELS = {"National": "national", "Regional": "regional", "Local authority": "local_authority"}


def read_ees(path: Path) -> pd.DataFrame:
    """Read an official EES CSV as text (BOM tolerated), with the file's line numbers as index."""
    if not path.exists():
        raise DataError.single(path, "official file is missing")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame.columns = [c.strip() for c in frame.columns]
    frame.index = pd.RangeIndex(2, len(frame) + 2, name="line")
    return frame


def ees_areas(frame: pd.DataFrame) -> pd.DataFrame:
    """The four area columns every official extract starts with, from EES geography columns."""
    level = frame["geographic_level"].map(LEVELS)
    if level.isna().any():
        bad = frame.loc[level.isna(), "geographic_level"].iloc[0]
        raise ValueError(f"unknown geographic_level {bad!r}")
    code = frame["new_la_code"].where(level == "local_authority",
                                      frame["region_code"].where(level == "regional", frame["country_code"]))
    name = frame["la_name"].where(level == "local_authority",
                                  frame["region_name"].where(level == "regional", frame["country_name"]))
    la = frame["old_la_code"].where(level == "local_authority", "")
    # Workforce publishes some jointly-run services as one row ("940 / 941"): keep them as a
    # combined area ("E06000061+E06000062"), never split or attributed to one authority.
    joint = code.str.contains(" / ", regex=False)
    level = level.where(~joint, "local_authority_group")
    code = code.str.replace(" / ", "+", regex=False)
    la = la.str.replace(" / ", "+", regex=False)
    name = name.str.replace(" / ", " and ", regex=False).where(~joint, name.str.replace(" / ", " and ") + " (joint)")
    return pd.DataFrame({"area_code": code, "la_code": la, "area_name": name, "geographic_level": level},
                        index=frame.index)


def split_measures(frame: pd.DataFrame, mapping: Mapping[str, str], file: Path) -> pd.DataFrame:
    """Official columns -> our value and ``_status`` columns, e.g. {"CPP_At31": "cpp_at_31_march"}.

    An unparseable cell (neither number nor known marker) is a DataError naming the official
    file, line and column: a changed official format must stop the extract, not be guessed at.
    """
    out: dict[str, list] = {}
    problems: list[Problem] = []
    for source, target in mapping.items():
        if source not in frame.columns:
            problems.append(Problem(str(file), 1, source, "expected column is missing from the official file"))
            continue
        values, statuses = [], []
        for line, cell in frame[source].items():
            try:
                value, status = parse_cell(cell)
            except ValueError as exc:
                problems.append(Problem(str(file), int(line), source, str(exc)))
                value, status = float("nan"), "blank"
            values.append(value)
            statuses.append(status)
        out[target] = values
        out[f"{target}_status"] = statuses
    if problems:
        raise DataError(problems)
    return pd.DataFrame(out, index=frame.index)


def finish(frame: pd.DataFrame, spec: ExtractSpec) -> pd.DataFrame:
    """Columns in spec order, whole-number kinds as Int64, rows sorted by key: stable output."""
    frame = frame.copy()
    for col in spec.columns:
        if col.dtype == "Int64":
            frame[col.name] = pd.to_numeric(frame[col.name]).round().astype("Int64")
        if col.status:
            frame[col.status_name] = frame[col.status_name].replace("", pd.NA)
    frame = frame[spec.column_names()]
    return frame.sort_values(list(spec.key), kind="stable").reset_index(drop=True)


def one_row_per_key(frame: pd.DataFrame, key: Sequence[str], file: Path) -> None:
    """Stop on two rows of an official file sharing a key, naming their lines in that file.

    Validation would also reject the duplicate, but only after sorting, by extract line; this
    points at the official rows so the cause (a restated area, a joint service) can be found.
    """
    dup = frame[frame.duplicated(list(key), keep=False)]
    if dup.empty:
        return
    problems = [Problem(str(file), int(line), None,
                        f"another row has the same {' + '.join(key)}: "
                        + ", ".join(str(row[k]) for k in key))
                for line, row in dup.iterrows()]
    raise DataError(problems)


def ees_extract(path: Path, source_id: str, mapping: Mapping[str, str], spec: ExtractSpec) -> pd.DataFrame:
    """An EES file with one row per area and ``time_period`` -> an extract keyed by area and year."""
    raw = read_ees(path)
    out = ees_areas(raw).join(split_measures(raw, mapping, path))
    out["la_code"] = out["la_code"].replace("", pd.NA)
    out["year"] = raw["time_period"].astype(int)
    out["source_id"] = source_id
    one_row_per_key(out, spec.key, path)
    return finish(out, spec)
