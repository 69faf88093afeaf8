"""Helpers shared by the official extract families (explore-education-statistics tidy CSVs).

Reading an official file never guesses: every problem (encoding, a missing or renamed column, an
unknown geographic level, a period that is not a reporting year, area codes in the wrong columns,
a cell that is neither a number nor a known marker) is a ``Problem`` naming the official file,
line, column and reason, and all of a file's problems are raised together in one ``DataError``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd

from analysis.data.fileio import read_csv_text
from analysis.data.markers import parse_cell
from analysis.data.schema import ExtractSpec
from analysis.errors import DataError, Problem

LEVELS = {"National": "national", "Regional": "regional", "Local authority": "local_authority"}
# Other levels explore-education-statistics publishes; the product uses none of them, so their rows
# are skipped and the skip is said once per file (see ``take_notes``). Any other value is an error.
UNUSED_LEVELS = frozenset(
    {
        "Local authority district",
        "Parliamentary constituency",
        "Ward",
        "Opportunity area",
        "Local enterprise partnership",
        "English devolved area",
        "Mayoral combined authority",
        "RSC region",
        "Local skills improvement plan area",
        "Police force area",
        "Planning area",
        "Multi-academy trust",
        "Sponsor",
        "School",
        "Provider",
        "Institution",
        "Health area",
        "Country",
        "Further education provider",
    }
)
AREA_COLUMNS = (
    "time_period",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "old_la_code",
    "new_la_code",
    "la_name",
)
ONS_CODE = re.compile(r"^E\d{8}( / E\d{8})*$")  # joint services: "E06000061 / E06000062"
DFE_CODE = re.compile(r"^\d{3}( / \d{3})*$")
YEAR = re.compile(r"^\d{4}$")

_NOTES: dict[tuple[str, str], int] = {}


def take_notes() -> list[str]:
    """What was skipped while reading (rows at levels the product does not use), once per file and
    level, since the last call; clears the list. ``derive_all`` prints them."""
    notes = [
        f"{file}: {count} row(s) at geographic level {level!r} skipped (a level the product does not use)"
        for (file, level), count in _NOTES.items()
    ]
    _NOTES.clear()
    return notes


def _more(lines: Sequence[int]) -> str:
    return f" (and {len(lines) - 1} more line(s))" if len(lines) > 1 else ""


def read_ees(path: Path, levels: bool = False) -> pd.DataFrame:
    """Read an official CSV as text, indexed by the line each row starts on (header = line 1).

    UTF-8 only (a byte-order mark is tolerated): a file saved in another encoding, e.g.
    Windows-1252 by a spreadsheet, is a DataError naming the line of the first bad byte, with
    the hint to save it as UTF-8. With ``levels`` the file must have ``geographic_level``: rows at
    National, Regional and Local authority level are kept, rows at another level
    explore-education-statistics publishes are dropped (noted once), any other value is an error.
    """
    if not path.exists():
        raise DataError.single(path, "official file is missing")
    frame = read_csv_text(path, str(path))
    frame.columns = _unique_names(list(frame.columns))
    return keep_levels(frame, path) if levels else frame


def _unique_names(names: list[str]) -> list[str]:
    """Header names made unique as pandas does: an empty one is 'Unnamed: i', a repeat 'X.1', 'X.2'
    (the 2021 neighbour file repeats 'SNP' after each neighbour column)."""
    out: list[str] = []
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        name = name or f"Unnamed: {i}"
        if name in seen:
            seen[name] += 1
            name = f"{name}.{seen[name]}"
        else:
            seen[name] = 0
        out.append(name)
    return out


def require(frame: pd.DataFrame, columns: Iterable[str], path: Path | str) -> None:
    """Stop on any expected column missing from an official file, suggesting a renamed one."""
    unknown = [c for c in frame.columns if c not in columns]
    problems = []
    for col in columns:
        if col not in frame.columns:
            near = difflib.get_close_matches(col, unknown, n=1, cutoff=0.6)
            hint = f" (renamed to {near[0]!r}?)" if near else ""
            problems.append(Problem(str(path), 1, col, f"expected column is missing from the official file{hint}"))
    if problems:
        raise DataError(problems)


def keep_levels(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Rows at the levels the product uses; other known EES levels dropped and noted; unknown is an error."""
    require(frame, ["geographic_level"], path)
    level = frame["geographic_level"].str.strip()
    problems = []
    for value, lines in level[~level.isin(list(LEVELS))].groupby(level, sort=False):
        lines = list(lines.index)
        if value in UNUSED_LEVELS:
            _NOTES[(str(path), value)] = len(lines)
            continue
        near = difflib.get_close_matches(value, [*LEVELS, *UNUSED_LEVELS], n=1)
        hint = f"; did you mean {near[0]!r}?" if near else ""
        problems.append(
            Problem(str(path), int(lines[0]), "geographic_level", f"unknown geographic level {value!r}{_more(lines)}{hint}")
        )
    if problems:
        raise DataError(problems)
    return frame[level.isin(list(LEVELS))]


def years(frame: pd.DataFrame, path: Path, column: str = "time_period") -> pd.Series:
    """The reporting year of each row as int; any period not written YYYY is an error, never converted."""
    require(frame, [column], path)
    text = frame[column].str.strip()
    problems = []
    for value, lines in text[~text.str.match(YEAR)].groupby(text, sort=False):
        lines = list(lines.index)
        kind = "a two-year period (financial or academic year)" if re.match(r"^\d{4}\D?\d{2}$", value) else "not a year"
        problems.append(
            Problem(
                str(path),
                int(lines[0]),
                column,
                f"period {value!r} is {kind}: this file's periods must be reporting years written YYYY{_more(lines)}",
            )
        )
    if problems:
        raise DataError(problems)
    return text.astype(int)


def _codes(frame: pd.DataFrame, level: pd.Series, path: Path) -> list[Problem]:
    """Local authority rows: old_la_code a DfE 3-digit code, new_la_code an ONS code (one message a column)."""
    las = frame[level == "local_authority"]
    old, new = las["old_la_code"].str.strip(), las["new_la_code"].str.strip()
    swapped = old.str.match(ONS_CODE) & new.str.match(DFE_CODE)
    if swapped.any():
        lines = list(las.index[swapped])
        return [
            Problem(
                str(path),
                int(lines[0]),
                "old_la_code, new_la_code",
                f"old_la_code holds an ONS code ({old[lines[0]]}) and new_la_code a DfE code "
                f"({new[lines[0]]}) on {len(lines)} line(s): are the code columns swapped?",
            )
        ]
    problems = []
    for column, codes, pattern, what in (
        ("old_la_code", old, DFE_CODE, "a DfE 3-digit code"),
        ("new_la_code", new, ONS_CODE, "an ONS code (E + 8 digits)"),
    ):
        bad = list(codes.index[~codes.str.match(pattern)])
        if bad:
            problems.append(Problem(str(path), int(bad[0]), column, f"{codes[bad[0]]!r} is not {what}{_more(bad)}"))
    return problems


def ees_areas(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """The four area columns every official extract starts with, from EES geography columns.

    ``frame`` comes from ``read_ees(path, levels=True)``. Missing geography columns and local
    authority codes that are not of their column's kind are a DataError naming ``path``.
    """
    require(frame, AREA_COLUMNS, path)
    level = frame["geographic_level"].str.strip().map(LEVELS)
    problems = _codes(frame, level, path)
    if problems:
        raise DataError(problems)
    code = frame["new_la_code"].where(
        level == "local_authority", frame["region_code"].where(level == "regional", frame["country_code"])
    )
    name = frame["la_name"].where(
        level == "local_authority", frame["region_name"].where(level == "regional", frame["country_name"])
    )
    la = frame["old_la_code"].where(level == "local_authority", "")
    # Workforce publishes some jointly-run services as one row ("940 / 941"): keep them as a
    # combined area ("E06000061+E06000062"), never split or attributed to one authority.
    joint = code.str.contains(" / ", regex=False)
    level = level.where(~joint, "local_authority_group")
    code = code.str.replace(" / ", "+", regex=False)
    la = la.str.replace(" / ", "+", regex=False)
    name = name.str.replace(" / ", " and ", regex=False).where(~joint, name.str.replace(" / ", " and ") + " (joint)")
    return pd.DataFrame({"area_code": code, "la_code": la, "area_name": name, "geographic_level": level}, index=frame.index)


def collect(problems: list[Problem], step, *args, default=None):
    """Run one reading step; on DataError keep its problems and return ``default`` (so a file's
    other problems are still found before the whole list is raised)."""
    try:
        return step(*args)
    except DataError as err:
        problems.extend(err.problems)
        return default


def split_measures(frame: pd.DataFrame, mapping: Mapping[str, str], file: Path) -> pd.DataFrame:
    """Official columns -> our value and ``_status`` columns, e.g. {"CPP_At31": "cpp_at_31_march"}.

    An unparseable cell (neither number nor known marker) is a DataError naming the official
    file, line and column: a changed official format must stop the extract, not be guessed at.
    """
    out: dict[str, list] = {}
    problems: list[Problem] = []
    collect(problems, require, frame, list(mapping), file)
    for source, target in mapping.items():
        if source not in frame.columns:
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
    problems = [
        Problem(
            str(file), int(line), None, f"another row has the same {' + '.join(key)}: " + ", ".join(str(row[k]) for k in key)
        )
        for line, row in dup.iterrows()
    ]
    raise DataError(problems)


def ees_extract(path: Path, source_id: str, mapping: Mapping[str, str], spec: ExtractSpec) -> pd.DataFrame:
    """An EES file with one row per area and ``time_period`` -> an extract keyed by area and year."""
    return ees_frame(read_ees(path, levels=True), path, source_id, mapping, spec)


def ees_frame(raw: pd.DataFrame, path: Path, source_id: str, mapping: Mapping[str, str], spec: ExtractSpec) -> pd.DataFrame:
    """``ees_extract`` on rows already read from ``path`` (e.g. after a parser re-codes some areas).

    Every problem (areas, measures, years) is collected and raised together as one DataError.
    """
    problems: list[Problem] = []
    areas = collect(problems, ees_areas, raw, path)
    measures = collect(problems, split_measures, raw, mapping, path)
    year = collect(problems, years, raw, path)
    if problems:
        raise DataError(problems)
    out = areas.join(measures)
    out["la_code"] = out["la_code"].replace("", pd.NA)
    out["year"] = year
    out["source_id"] = source_id
    one_row_per_key(out, spec.key, path)
    return finish(out, spec)


def ees_long_to_wide(raw: pd.DataFrame, path: Path, measures: Mapping[str, tuple[Mapping[str, str], str]]) -> pd.DataFrame:
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
            require(raw, [name], path)
            mask &= raw[name] == value
        sub = raw[mask]
        if sub.empty:
            raise DataError.single(path, f"no rows for {target}: {dict(where)}")
        part = ees_areas(sub, path).join(split_measures(sub, {column: target}, path))
        part["year"] = years(sub, path)
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
        lambda v: v if pd.isna(v) else float(Decimal(repr(v)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))
    )
