"""Reading official spreadsheets (.ods, .xlsx) and checking text encodings, with errors that name the file.

Every failure (missing file, damaged or wrong file, missing sheet, a text file not in UTF-8) is a
``DataError`` naming the official file, never a library traceback.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from analysis.errors import DataError, Problem


def read_sheets(path: Path, sheets: Sequence[str], dtype: object = None) -> dict[str, pd.DataFrame]:
    """The named sheets of an official spreadsheet (.ods, .xlsx) as cells, no header.

    A missing file, a file that is not a readable spreadsheet, or a missing sheet (listing the
    sheets there are) is a DataError naming the file, never a library traceback.
    """
    if not path.exists():
        raise DataError.single(path, "official file is missing")
    try:
        found = pd.ExcelFile(path, engine="calamine").sheet_names
    except Exception as exc:  # calamine raises its own error types for a damaged or wrong file
        raise DataError.single(path, f"not readable as a spreadsheet ({type(exc).__name__}: {exc})") from None
    missing = [s for s in sheets if s not in found]
    if missing:
        raise DataError(
            [
                Problem(str(path), None, None, f"sheet {s!r} is missing (the file has: {', '.join(map(str, found))})")
                for s in missing
            ]
        )
    return pd.read_excel(path, sheet_name=list(sheets), header=None, dtype=dtype, engine="calamine")


def check_utf8(path: Path) -> None:
    """Stop on a text file that is not UTF-8, naming the line of the first bad byte ("save as UTF-8")."""
    raw = path.read_bytes()
    try:
        raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError.single(
            path,
            f"not valid UTF-8 (byte {raw[exc.start]:#x} at offset {exc.start}); save the file as UTF-8",
            line=raw[: exc.start].count(b"\n") + 1,
        ) from None


def open_book(path: Path, sheet_name: object = None, **options: object) -> dict | pd.DataFrame:
    """``pd.read_excel`` (calamine) that turns a missing, damaged or wrong file into a DataError naming it."""
    if not path.exists():
        raise DataError.single(path, "official file is missing")
    try:
        return pd.read_excel(path, sheet_name=sheet_name, engine="calamine", **options)
    except ValueError as exc:  # a missing sheet
        raise DataError.single(path, str(exc)) from None
    except Exception as exc:  # calamine raises its own error types for a damaged or wrong file
        raise DataError.single(path, f"not readable as a spreadsheet ({type(exc).__name__}: {exc})") from None


def read_sheet(path: Path, sheet: str, dtype: object = None) -> pd.DataFrame:
    """One sheet, as ``read_sheets``."""
    return read_sheets(path, [sheet], dtype)[sheet]
