"""Derive the deprivation extract from the Indices of Deprivation files (declared in ``analysis.data.specs.deprivation``).

The files sit in ``shared/data/context``, beside the DfE folder the other families read.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.data.official import areas as areas_family
from analysis.data.official.common import finish, one_row_per_key
from analysis.data.official.sheets import open_book
from analysis.data.specs.deprivation import CONTEXT_DIR, DEPRIVATION, EDITIONS, RANK_HEADER, SCORE_HEADER, SPECS
from analysis.errors import DataError, Problem

__all__ = ["SPECS", "derive"]  # the declarations are re-exported for callers of derive()


def _column(frame: pd.DataFrame, ending: str, path: Path) -> str:
    found = [c for c in frame.columns if c.strip().endswith(ending)]
    if len(found) != 1:
        raise DataError.single(path, f"expected one IDACI column ending {ending!r}, found {len(found)}")
    return found[0]


def read_edition(path: Path, sheet: str, edition: int, source_id: str) -> pd.DataFrame:
    """One edition's IDACI sheet as (area_code, area_name, year, score, rank, source_id)."""
    raw = open_book(path, sheet)
    raw.index = pd.RangeIndex(2, len(raw) + 2, name="line")
    raw.columns = [str(c) for c in raw.columns]
    if raw.shape[1] < 2:
        raise DataError.single(path, f"sheet {sheet}: expected area code and name in the first two columns")
    numbers = {}
    problems = []
    for target, header in (("idaci_average_score", SCORE_HEADER), ("idaci_rank_of_average_score", RANK_HEADER)):
        column = _column(raw, header, path)
        numbers[target] = pd.to_numeric(raw[column], errors="coerce")
        problems += [
            Problem(str(path), int(line), column, f"not a number: {raw.at[line, column]!r}")
            for line in raw.index[numbers[target].isna() & raw[column].notna()]
        ]
    if problems:
        raise DataError(problems)
    out = pd.DataFrame(
        {
            "area_code": raw.iloc[:, 0].astype(str).str.strip(),
            "area_name": raw.iloc[:, 1].astype(str).str.strip(),
            "year": edition,
            **numbers,
            "source_id": source_id,
        }
    )
    one_row_per_key(out, ("area_code",), path)
    return out


FOLDERS = ("dfe", CONTEXT_DIR)  # derive(dfe_dir, context_dir)


def derive(source_dir: Path, context: Path | None = None) -> dict[str, pd.DataFrame]:
    """The IDACI editions from ``context`` (default: ``context`` beside ``source_dir``), areas from ``source_dir``."""
    context = context or source_dir.parent / CONTEXT_DIR
    frames = [read_edition(context / f, sheet, edition, sid) for edition, (f, sheet, sid) in EDITIONS.items()]
    frame = pd.concat(frames, ignore_index=True)
    areas = areas_family.derive(source_dir)["areas"]
    la_of = dict(zip(areas["area_code"], areas["la_code"], strict=True))
    frame["la_code"] = frame["area_code"].map(la_of)
    frame["geographic_level"] = "local_authority"
    return {"deprivation": finish(frame, DEPRIVATION)}
