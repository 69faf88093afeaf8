"""Turn an extract's text into typed columns and check it with pandera.

Parsing (text -> typed value) happens cell by cell so a bad cell is reported with its line;
every rule about the values (ranges, allowed values, uniqueness of the key, known areas and
sources, status consistent with value) is a pandera check, collected lazily so that one run
reports every problem.
"""

from __future__ import annotations

import re
from collections.abc import Collection

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from analysis.data.markers import FILE_MARKERS, MARKERS, NUMBER
from analysis.data.schema import NON_NEGATIVE_KINDS, NUMERIC_KINDS, Column, ExtractSpec
from analysis.errors import DataError, Problem

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
AREA_CODE = r"^E\d{8}(\+E\d{8})*$"
LA_CODE = r"^\d{3}(\+\d{3})*$"
TRUE_WORDS = {"true": True, "false": False}


def _parse_cell(col: Column, text: str, origin: str) -> tuple[object, str | None]:
    """Return (typed value, reason it is bad or None). Empty text is missing."""
    text = text.strip()
    if text == "":
        return None, None
    if col.kind in NUMERIC_KINDS:
        if not NUMBER.match(text):
            return None, _not_a_number(text, col, origin)
        number = float(text)
        if col.kind in {"count", "year"}:
            if not number.is_integer():
                return None, f"'{text}' is not a whole number"
            return int(number), None
        return number, None
    if col.kind == "date":
        if not ISO_DATE.match(text):
            return None, (
                f"'{text}' is not an ISO date (YYYY-MM-DD); a spreadsheet may have rewritten it, e.g. as DD/MM/YYYY"
            )
        try:
            pd.Timestamp(text)
        except ValueError:
            return None, f"'{text}' is not a real calendar date"
        return text, None
    if col.kind == "bool":
        if text.lower() not in TRUE_WORDS:
            return None, f"'{text}' is not true or false"
        return TRUE_WORDS[text.lower()], None
    return text, None


def _not_a_number(text: str, col: Column, origin: str) -> str:
    if text in MARKERS or text.lower() in MARKERS:
        if origin == "local":
            return f"official marker '{text}' in a hand-curated extract: leave the value empty and explain in the note"
        return f"marker '{text}' in a value column: leave the value empty and put the marker in '{col.status_name}'"
    return f"'{text}' is not a number ({col.kind})"


WHOLE_KINDS = {"count", "year"}


def _typed_frame(spec: ExtractSpec, text: pd.DataFrame, file: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Typed columns from the text cells, and one problem per cell that cannot be read.

    ``_parse_column`` reads the cells it recognises a whole column at once (the bulk of every
    file); each cell it does not is read by ``_parse_cell``, which has the last word on its value
    and on what is wrong with it.
    """
    problems: list[Problem] = []
    cols: dict[str, pd.Series] = {}
    for col in spec.columns:
        cells = text[col.name].str.strip()
        values, known = _parse_column(col, cells)
        for i, (line, cell, ok) in enumerate(zip(cells.index, cells.tolist(), known, strict=True)):
            if not ok:
                values[i], reason = _parse_cell(col, cell, spec.origin)
                if reason:
                    problems.append(Problem(file, int(line), col.name, reason))
        series = pd.Series(values, index=text.index, dtype="object")
        if col.dtype == "Int64":
            cols[col.name] = series.astype("Int64")
        elif col.dtype == "float64":
            cols[col.name] = series.astype("float64")
        elif col.dtype == "bool":
            cols[col.name] = series.astype("boolean")
        else:
            cols[col.name] = series.where(series.notna(), None).astype("str").where(series.notna(), np.nan)
        if col.status:
            status = text[col.status_name].str.strip()
            cols[col.status_name] = status.where(status != "", np.nan)
    return pd.DataFrame(cols, index=text.index), problems


def _parse_column(col: Column, cells: pd.Series) -> tuple[list[object], list[bool]]:
    """(values, recognised) for one column of stripped text: the common well-formed cells read at once.

    A cell not recognised (a marker, a bad date, anything unusual) is None here and left to
    ``_parse_cell``; what this does recognise it reads exactly as ``_parse_cell`` would.
    """
    texts = cells.tolist()
    empty = [t == "" for t in texts]
    if col.kind in NUMERIC_KINDS:
        ok = (cells.str.fullmatch(NUMBER.pattern) & ~cells.eq("")).tolist()
        numbers = [float(t) if k else None for t, k in zip(texts, ok, strict=True)]
        if col.kind in WHOLE_KINDS:  # a fraction is left to _parse_cell, which says so
            ok = [k and n.is_integer() for k, n in zip(ok, numbers, strict=True)]
            numbers = [int(n) if k else None for k, n in zip(ok, numbers, strict=True)]
        return numbers, [k or e for k, e in zip(ok, empty, strict=True)]
    if col.kind in ("date", "bool"):  # few cells: cell by cell
        return [None] * len(texts), empty
    return [t if t else None for t in texts], [True] * len(texts)


def _column_schema(
    spec: ExtractSpec, col: Column, known_areas: Collection[str] | None, known_sources: Collection[str] | None
) -> dict[str, pa.Column]:
    checks: list[pa.Check] = []
    if col.kind in NON_NEGATIVE_KINDS:
        checks.append(pa.Check.ge(0, error="must not be negative"))
    if col.kind == "pct":
        checks.append(pa.Check.le(100, error="a percentage must be at most 100"))
    if col.kind == "year":
        checks.append(pa.Check.in_range(1990, 2100, error="year out of range 1990-2100"))
    if col.kind == "category" and col.allowed:
        checks.append(pa.Check.isin(col.allowed, error=f"must be one of {', '.join(col.allowed)}"))
    if col.kind == "area_code":
        checks.append(pa.Check.str_matches(AREA_CODE, error="not an ONS area code (E + 8 digits)"))
        if known_areas is not None and col.name == spec.area_column:
            checks.append(pa.Check.isin(set(known_areas), error="unknown area code (not in areas.csv)"))
    if col.kind == "url":
        checks.append(pa.Check.str_matches(r"^https?://[^\s<>\"']+$", error="not a web address (http:// or https://)"))
    if col.kind == "la_code":
        checks.append(pa.Check.str_matches(LA_CODE, error="not a DfE 3-digit code"))
    if col.name == "source_id" and known_sources is not None:
        checks.append(pa.Check.isin(set(known_sources), error="unknown source id (not in sources.csv)"))
    nullable = col.nullable or col.status
    dtype = {"Int64": "Int64", "float64": "float64", "bool": "boolean"}.get(col.dtype, None)
    out = {col.name: pa.Column(dtype, checks=checks, nullable=nullable)}
    if col.status:
        out[col.status_name] = pa.Column(
            None,
            nullable=True,
            checks=pa.Check.isin(
                FILE_MARKERS, error=f"unknown status marker (allowed: {', '.join(m for m in MARKERS if m in FILE_MARKERS)})"
            ),
        )
    return out


STATUS_ERROR = (
    "value and status disagree: a missing value needs a marker in the status column, and a present value needs none"
)


def _status_checks(spec: ExtractSpec) -> list[pa.Check]:
    """Row-wise, per value column: a value and a status never both present, never both absent."""
    checks = []
    for col in spec.columns:
        if col.status:
            # pandera reports a failed check by its error text, so the text names the status column
            checks.append(
                pa.Check(
                    lambda df, c=col: df[c.name].notna() ^ df[c.status_name].notna(),
                    ignore_na=False,
                    error=f"{col.status_name}|{STATUS_ERROR}",
                )
            )
    return checks


def build_schema(
    spec: ExtractSpec, known_areas: Collection[str] | None = None, known_sources: Collection[str] | None = None
) -> pa.DataFrameSchema:
    columns: dict[str, pa.Column] = {}
    for col in spec.columns:
        columns.update(_column_schema(spec, col, known_areas, known_sources))
    return pa.DataFrameSchema(
        columns,
        checks=_status_checks(spec),
        strict=True,
        ordered=False,
        unique=list(spec.key),
        report_duplicates="all",
        name=spec.name,
    )


def _problems_from_pandera(err: SchemaErrors, spec: ExtractSpec, file: str) -> list[Problem]:
    problems: list[Problem] = []
    cases = err.failure_cases
    for _, case in cases.iterrows():
        column = case.get("column")
        check = str(case.get("check"))
        index = case.get("index")
        line = int(index) if index is not None and not pd.isna(index) else None
        value = case.get("failure_case")
        if check.startswith("field_uniqueness") or check == "multiple_fields_uniqueness" or "unique" in check:
            reason = f"duplicate {' + '.join(spec.key)}: another row has the same key"
            column = ", ".join(spec.key)
        elif check == "not_nullable":
            reason = "required value is empty"
        elif check.endswith(STATUS_ERROR):
            column, reason = check.split("|", 1)
        elif check.startswith("column_in_dataframe"):
            reason = "required column is missing"
            line = None
        else:
            reason = check
            if value is not None and not (isinstance(value, float) and np.isnan(value)):
                reason = f"{check}: got '{value}'"
        problems.append(Problem(file, line, None if pd.isna(column) else str(column), reason))
    # A row-level check reports each failing cell; keep one problem per (line, column, reason).
    seen: set[tuple] = set()
    unique: list[Problem] = []
    for p in problems:
        k = (p.line, p.column, p.reason)
        if k not in seen:
            seen.add(k)
            unique.append(p)
    return sorted(unique, key=lambda p: (p.line or 0, p.column or ""))


def validate_text(
    spec: ExtractSpec,
    text: pd.DataFrame,
    file: str,
    known_areas: Collection[str] | None = None,
    known_sources: Collection[str] | None = None,
) -> pd.DataFrame:
    """Check header, parse cells, run the pandera schema; raise DataError listing every problem."""
    expected = spec.column_names()
    missing = [c for c in expected if c not in text.columns]
    extra = [c for c in text.columns if c not in expected]
    problems = [Problem(file, 1, c, "required column is missing") for c in missing]
    problems += [Problem(file, 1, c, "unknown column (not in the data dictionary); rename or remove it") for c in extra]
    if problems:
        raise DataError(problems)
    typed, problems = _typed_frame(spec, text, file)
    schema = build_schema(spec, known_areas, known_sources)
    try:
        typed = schema.validate(typed, lazy=True)
    except SchemaErrors as err:
        found = _problems_from_pandera(err, spec, file) or [Problem(file, None, None, f"failed validation: {err}")]
        # a cell that could not be parsed is reported once: not again as empty, nor as disagreeing with its status
        unparsed = {(p.line, p.column) for p in problems}
        problems += [
            p
            for p in found
            if (p.line, p.column) not in unparsed and (p.line, (p.column or "").removesuffix("_status")) not in unparsed
        ]
    if problems:
        raise DataError(sorted(problems, key=lambda p: (p.line or 0, p.column or "")))
    return typed[expected]
