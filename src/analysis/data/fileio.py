"""Reading CSV with line numbers, and writing files so that readers never see half a file."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.errors import DataError, Problem

if TYPE_CHECKING:  # pandas is imported where it is used: `publish` alone must stay light (a no-change build)
    import pandas as pd


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@dataclass(frozen=True)
class CsvRows:
    """A CSV file's header and records, each record with the line it starts on (header = line 1).

    ``records`` leaves out blank lines and records with the wrong number of fields; each of the
    latter is one of ``problems`` (file, line, reason). No pandas: the build reads every extract
    this way to decide what to rebuild, and ``read_csv_text`` builds its frame from it.
    """

    header: tuple[str, ...]
    records: tuple[tuple[int, tuple[str, ...]], ...]
    problems: tuple[Problem, ...]


def read_csv_rows(path: Path, label: str | None = None, data: bytes | None = None) -> CsvRows:
    """The header and records of one CSV file (``data``: its bytes, when already read).

    Accepts a UTF-8 byte-order mark, quoted commas and trailing blank lines. Raises DataError
    (file, line, reason) for a file that is missing, empty, not UTF-8 or not readable as CSV;
    records with the wrong number of fields are returned as ``problems``, not raised.
    """
    name = label or str(path)
    if data is None:
        if not path.exists():
            raise DataError.single(name, "file is missing")
        data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataError.single(
            name, f"not valid UTF-8 (byte {data[exc.start]:#x} at offset {exc.start}); save the file as UTF-8", line=line
        ) from None
    if text.strip() == "":
        raise DataError.single(name, "file is empty: expected a header line and data rows")
    reader = csv.reader(io.StringIO(text, newline=""))
    header: tuple[str, ...] | None = None
    records: list[tuple[int, tuple[str, ...]]] = []
    problems: list[Problem] = []
    start = 1
    try:
        for record in reader:
            if header is None:
                header = tuple(h.strip() for h in record)
            elif any(cell.strip() for cell in record):
                if len(record) != len(header):
                    problems.append(Problem(name, start, None, f"has {len(record)} fields, the header has {len(header)}"))
                else:
                    records.append((start, tuple(record)))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise DataError.single(name, f"not readable as CSV: {exc}", line=start) from None
    assert header is not None
    return CsvRows(header, tuple(records), tuple(problems))


def read_csv_text(path: Path, label: str | None = None) -> pd.DataFrame:
    """Read a CSV as strings, indexed by the line each record starts on (header = line 1).

    The rows are ``read_csv_rows``'; a record with the wrong number of fields, or a header
    without data rows, raises DataError too. The index being the file's own line number lets
    every later check say exactly where a problem is.
    """
    name = label or str(path)
    rows = read_csv_rows(path, name)
    if rows.problems:
        raise DataError(list(rows.problems))
    if not rows.records:
        raise DataError.single(name, "has a header but no data rows", line=1)
    import pandas as pd

    lines = [line for line, _ in rows.records]
    return pd.DataFrame(
        [r for _, r in rows.records], columns=list(rows.header), index=pd.Index(lines, name="line"), dtype="str"
    )


def frame_to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """Deterministic CSV: fixed line ending, no index, shortest round-trip floats."""
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


def write_atomically(files: Mapping[Path, bytes]) -> None:
    """Write every file aside, then move each into place with an atomic rename.

    If anything fails while writing, nothing has been replaced: the old files stay as they were.
    Each rename is atomic, so a reader (or a killed process) sees a file either old or new.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for target, content in files.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            os.fchmod(fd, 0o644)  # mkstemp's 0600 would make published files private
            with os.fdopen(fd, "wb") as fh:
                fh.write(content)
                fh.flush()
                os.fsync(fh.fileno())
            staged.append((Path(tmp), target))
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, target in staged:
        os.replace(tmp, target)
