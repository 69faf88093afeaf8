"""Helpers shared by the official extract families (explore-education-statistics tidy CSVs)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
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


def ees_long_to_wide(raw: pd.DataFrame, path: Path, measures: Mapping[str, tuple[Mapping[str, str], str]]
                     ) -> pd.DataFrame:
    """A long EES file (one row per area, year and category) -> one row per area and year.

    ``measures`` maps our column to (filter on the file's columns, the value column to read), e.g.
    ``{"eet_19_21_pct": ({"age": "Aged 19 to 21", "activity": "Total in education, ..."}, "percentage")}``.
    An area and year that lacks one measure's row gets ``not_in_release`` for it. Rows of areas
    with every measure ``z`` (an authority listed for a year it did not exist) are dropped.
    """
    parts = []
    for target, (where, column) in measures.items():
        mask = pd.Series(True, index=raw.index)
        for name, value in where.items():
            if name not in raw.columns:
                raise DataError.single(path, f"expected column {name!r} is missing from the official file")
            mask &= raw[name] == value
        sub = raw[mask]
        if sub.empty:
            raise DataError.single(path, f"no rows for {target}: {dict(where)}")
        part = ees_areas(sub).join(split_measures(sub, {column: target}, path))
        part["year"] = sub["time_period"].astype(int)
        one_row_per_key(part, ("area_code", "year"), path)
        parts.append(part.set_index(["area_code", "year"]))
    geo = ["la_code", "area_name", "geographic_level"]
    wide = pd.concat([p.drop(columns=geo) for p in parts], axis=1, join="outer")
    names = pd.concat([p[geo] for p in parts])
    wide = names[~names.index.duplicated()].join(wide, how="right").reset_index()
    statuses = [f"{t}_status" for t in measures]
    wide[statuses] = wide[statuses].fillna("not_in_release")
    wide = wide[~wide[statuses].eq("z").all(axis=1)].copy()
    wide["la_code"] = wide["la_code"].replace("", pd.NA)
    return wide


def sum_or_missing(values: pd.DataFrame, statuses: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Row sums of published parts; missing (with the first part's marker) when any part is missing.

    ``values`` holds the parts as floats (NaN where suppressed), ``statuses`` their markers.
    A suppressed part is never read as 0.
    """
    complete = values.notna().all(axis=1)
    total = values.sum(axis=1).where(complete)
    first_marker = statuses.where(values.isna()).bfill(axis=1).iloc[:, 0]
    return total, first_marker.where(~complete, "").fillna("")


def half_up(values: pd.Series, digits: int) -> pd.Series:
    """Round half away from zero to ``digits`` decimals, as DfE publishes (Python's round() halves to even).

    The shortest repr of each float is rounded, so 77.25 gives 77.3; NaN stays NaN.
    """
    return values.astype("float64").map(
        lambda v: v if pd.isna(v) else float(Decimal(repr(v)).quantize(Decimal(1).scaleb(-digits),
                                                                       rounding=ROUND_HALF_UP)))
