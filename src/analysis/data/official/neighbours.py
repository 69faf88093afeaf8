"""Derive the neighbours extracts from the official files (declared in ``analysis.data.specs.neighbours``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.data.official import areas as areas_family
from analysis.data.official.common import ONS_CODE, collect, finish, one_row_per_key, read_ees, require
from analysis.data.specs.authority_changes import CHANGES
from analysis.data.specs.neighbours import CLOSENESS, MODELS, NEIGHBOURS, OLD_SECTION, RANKS, SPECS, Model
from analysis.errors import DataError, Problem

__all__ = ["SPECS", "derive"]  # the declarations are re-exported for callers of derive()


class AreaCodes:
    """DfE 3-digit codes and ONS codes of single local authorities, as areas.csv lists them.

    A DfE code under two ONS codes must be a same-authority change declared in
    ``analysis.data.specs.authority_changes.CHANGES``, which gives the date the new code applies from.
    """

    def __init__(self, areas: pd.DataFrame):
        las = areas[areas["geographic_level"] == "local_authority"]
        self.la_of: dict[str, str] = dict(zip(las["area_code"], las["la_code"], strict=True))
        self.names: pd.DataFrame = las[["area_code", "la_code", "area_name"]]
        codes = las.groupby("la_code")["area_code"].agg(frozenset)
        # DfE code -> [(date, ONS code before, ONS code after)] from the declared same-authority changes
        self.switches: dict[str, list[tuple[str, str, str]]] = {}
        for change in CHANGES:
            if change.same_authority:
                for old, new in zip(change.before, change.after, strict=True):
                    self.switches.setdefault(old.la_code, []).append((change.date, old.ons_code, new.ons_code))
        problems = []
        for la, found in codes.items():
            declared = {c for _, old, new in self.switches.get(str(la), []) for c in (old, new)}
            if len(found) > 1 and not found <= declared:
                problems.append(
                    Problem(
                        "areas",
                        None,
                        "la_code",
                        f"DfE code {la} has ONS codes {sorted(found)}; declare the change and "
                        "its date in CHANGES in analysis.data.specs.authority_changes",
                    )
                )
        if problems:
            raise DataError(problems)
        self.codes: dict[str, frozenset[str]] = codes.to_dict()

    def area_code(self, la_code: str, on: str) -> str | None:
        """The ONS code of DfE code ``la_code`` in use on ISO date ``on``; None if areas.csv lacks it."""
        found = self.codes.get(la_code)
        if not found:
            return None
        if len(found) == 1:
            return next(iter(found))
        code = None
        for date, old, new in sorted(self.switches[la_code]):
            code = new if on >= date else (code or old)
        return code if code in found else None


def area_codes(source_dir: Path) -> AreaCodes:
    """The areas extract derived from the same official files, so a run never maps with a stale copy."""
    return AreaCodes(areas_family.derive(source_dir)["areas"])


def model_rows(model: str, spec: Model, path: Path, codes: AreaCodes) -> pd.DataFrame:
    """One model file, wide (one row per authority) -> long (one row per authority and rank)."""
    raw = read_ees(path)
    code_cols = [f"{spec.neighbour_prefix}{rank}" for rank in RANKS]
    require(raw, [spec.la_column, spec.name_column, *code_cols], path)
    last = [c for c in code_cols if list(raw.columns).index(c) + 1 == len(raw.columns)]
    if last:
        raise DataError.single(path, "expected a closeness column after it", 1, last[0])
    first = raw[spec.la_column].str.strip()
    ons = first[first.str.match(ONS_CODE)]
    if len(ons):
        raise DataError.single(
            path,
            f"holds ONS codes ({ons.iloc[0]}), not DfE 3-digit codes, on {len(ons)} line(s): are the code columns swapped?",
            int(ons.index[0]),
            spec.la_column,
        )
    old = raw.index[raw[spec.name_column].str.strip() == OLD_SECTION]
    if len(old):
        raw, first = raw.loc[: old[0] - 1], first.loc[: old[0] - 1]
    blank = raw.apply(lambda col: col.str.strip() == "").all(axis=1)
    raw, first = raw[~blank], first[~blank]
    names = dict(zip(first, raw[spec.name_column].str.strip(), strict=True))
    columns = list(raw.columns)
    problems: list[Problem] = []
    rows = []
    for line, row in raw.iterrows():
        la = first[line]
        area = codes.area_code(la, spec.codes_on)
        if area is None:
            problems.append(Problem(str(path), int(line), spec.la_column, f"DfE code {la!r} is not in areas.csv"))
        for rank in RANKS:
            code_col = f"{spec.neighbour_prefix}{rank}"
            near_col = columns[columns.index(code_col) + 1]
            neighbour = row[code_col].strip()
            closeness = row[near_col].strip().capitalize()
            neighbour_area = codes.area_code(neighbour, spec.codes_on)
            if neighbour not in names or neighbour_area is None:
                problems.append(
                    Problem(
                        str(path),
                        int(line),
                        code_col,
                        f"neighbour {neighbour!r} is not an authority of this model "
                        "or not in areas.csv: cannot name or map it",
                    )
                )
            if closeness not in CLOSENESS:
                problems.append(Problem(str(path), int(line), near_col, f"unknown closeness label {row[near_col]!r}"))
            rows.append(
                {
                    "model": model,
                    "area_code": area,
                    "la_code": la,
                    "area_name": names[la],
                    "rank": rank,
                    "neighbour_area_code": neighbour_area,
                    "neighbour_la_code": neighbour,
                    "neighbour_name": names.get(neighbour),
                    "closeness": closeness,
                    "source_id": spec.source_id,
                    "line": line,
                }
            )
    if problems:
        raise DataError(problems)
    out = pd.DataFrame(rows).set_index("line")
    one_row_per_key(out, NEIGHBOURS.key, path)
    return out


def derive(source_dir: Path) -> dict[str, pd.DataFrame]:
    codes = area_codes(source_dir)
    problems: list[Problem] = []
    frames = [collect(problems, model_rows, model, spec, source_dir / spec.file, codes) for model, spec in MODELS.items()]
    if problems:
        raise DataError(problems)
    return {"neighbours": finish(pd.concat(frames), NEIGHBOURS)}
