"""What changed between two versions of an extract: years, areas, rows, columns, values and markers.

Both versions are compared as the text of their CSV files (``analysis.data.fileio.read_csv_text``),
so a difference is exactly a difference in the committed file; numbers are only parsed to say by
how much a revised value changed. Rows are matched on the extract's key.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from analysis.data.markers import NUMBER
from analysis.data.schema import ExtractSpec


@dataclass(frozen=True)
class Cell:
    """One changed cell of a row both versions have: the row's key, the column, old and new text."""

    key: str
    area: str
    column: str
    old: str
    new: str

    @property
    def change(self) -> float | None:
        """new - old when both are numbers, else None."""
        if NUMBER.match(self.old) and NUMBER.match(self.new):
            return float(self.new) - float(self.old)
        return None


@dataclass
class ExtractDiff:
    """The differences of one extract file; empty lists and zero counts when unchanged."""

    name: str
    file: str
    created: bool = False
    columns_added: list[str] = field(default_factory=list)
    columns_dropped: list[str] = field(default_factory=list)
    new_years: list[int] = field(default_factory=list)
    years_gone: list[int] = field(default_factory=list)
    new_areas: list[str] = field(default_factory=list)  # "E06000009 Blackpool"
    areas_gone: list[str] = field(default_factory=list)
    rows_added: list[str] = field(default_factory=list)  # keys of rows only the new version has
    rows_removed: list[str] = field(default_factory=list)
    revised: list[Cell] = field(default_factory=list)  # a value (or text) that changed
    markers: list[Cell] = field(default_factory=list)  # a marker that appeared, went or changed

    @property
    def changed(self) -> bool:
        return bool(
            self.created
            or self.columns_added
            or self.columns_dropped
            or self.rows_added
            or self.rows_removed
            or self.revised
            or self.markers
        )

    def revised_by_column(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for cell in self.revised:
            out[cell.column] = out.get(cell.column, 0) + 1
        return out


def _key_text(frame: pd.DataFrame, key: tuple[str, ...]) -> pd.Series:
    return frame[list(key)].astype(str).agg(" | ".join, axis=1)


def _areas(frame: pd.DataFrame) -> dict[str, str]:
    if "area_code" not in frame.columns:
        return {}
    names = frame["area_name"] if "area_name" in frame.columns else frame["area_code"]
    return dict(zip(frame["area_code"], names, strict=True))


def _shown(value: str, status: str | None) -> str:
    """A cell as a reader sees it: the value, or its marker in brackets."""
    return value if value.strip() else f"[{status}]" if status else ""


def compare(spec: ExtractSpec, old: pd.DataFrame | None, new: pd.DataFrame, file: str) -> ExtractDiff:
    """Differences from ``old`` (None: the file is new) to ``new``, both text frames of one extract."""
    diff = ExtractDiff(spec.name, file)
    if old is None:
        diff.created = True
        diff.rows_added = list(_key_text(new, spec.key))
        return diff
    diff.columns_added = [c for c in new.columns if c not in old.columns]
    diff.columns_dropped = [c for c in old.columns if c not in new.columns]
    key = tuple(k for k in spec.key if k in old.columns and k in new.columns)
    old_i = old.set_index(_key_text(old, key))
    new_i = new.set_index(_key_text(new, key))
    added, removed = new_i.index.difference(old_i.index), old_i.index.difference(new_i.index)
    diff.rows_added, diff.rows_removed = list(added), list(removed)
    if "year" in old.columns and "year" in new.columns:
        old_years, new_years = set(old["year"].astype(int)), set(new["year"].astype(int))
        diff.new_years, diff.years_gone = sorted(new_years - old_years), sorted(old_years - new_years)
    old_areas, new_areas = _areas(old), _areas(new)
    diff.new_areas = [f"{c} {new_areas[c]}" for c in sorted(set(new_areas) - set(old_areas))]
    diff.areas_gone = [f"{c} {old_areas[c]}" for c in sorted(set(old_areas) - set(new_areas))]

    common = old_i.index.intersection(new_i.index, sort=False)
    columns = [c for c in spec.column_names() if c in old.columns and c in new.columns and c not in key]
    status_of = {c.name: c.status_name for c in spec.columns if c.status}
    status_columns = set(status_of.values())
    o, n = old_i.loc[common, columns], new_i.loc[common, columns]
    differs = o != n
    area = new_i.loc[common, "area_name"] if "area_name" in new_i.columns else pd.Series("", index=common)
    for column in columns:
        if column in status_columns:
            continue
        status = status_of.get(column)
        rows = differs[column] | (differs[status] if status in differs.columns else False)
        for row in common[rows.to_numpy()]:
            old_v, new_v = o.at[row, column], n.at[row, column]
            old_s = o.at[row, status] if status else None
            new_s = n.at[row, status] if status else None
            if status and (old_s != new_s):
                diff.markers.append(Cell(row, area[row], column, _shown(old_v, old_s), _shown(new_v, new_s)))
            else:
                diff.revised.append(Cell(row, area[row], column, old_v, new_v))
    return diff


@dataclass(frozen=True)
class Totals:
    """Counts of changes across extracts (the refresh history line)."""

    extracts_changed: int
    rows_added: int
    rows_removed: int
    values_revised: int
    markers_changed: int
    columns_added: int
    columns_dropped: int


def totals(diffs: list[ExtractDiff]) -> Totals:
    return Totals(
        sum(d.changed for d in diffs),
        sum(len(d.rows_added) for d in diffs),
        sum(len(d.rows_removed) for d in diffs),
        sum(len(d.revised) for d in diffs),
        sum(len(d.markers) for d in diffs),
        sum(len(d.columns_added) for d in diffs),
        sum(len(d.columns_dropped) for d in diffs),
    )


def fmt_change(cell: Cell) -> str:
    change = cell.change
    if change is None or math.isnan(change):
        return ""
    return f"{change:+,.0f}" if float(change).is_integer() else f"{change:+,.2f}".rstrip("0").rstrip(".")
