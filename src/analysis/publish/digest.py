"""Digests of what a report reads, so that an unchanged report is not rebuilt."""

from __future__ import annotations

import csv
import hashlib
import importlib.metadata
import io
import json
import platform
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.publish.model import PACKAGE_DIR, Target

KEY_PACKAGES = ("pandas", "numpy", "matplotlib", "papermill", "nbconvert", "nbclient", "ipykernel",
                "jupyter_client")
# Columns naming a row rather than measuring anything: left out of the coverage summary.
IDENTIFIERS = frozenset({"area_code", "la_code", "area_name", "geographic_level", "region_code",
                         "region_name", "year", "source_id"})


@dataclass(frozen=True)
class Extract:
    """One CSV under the raw folder, its rows grouped by area so a report hashes only what it reads.

    ``rows`` is None for a file without an ``area_code`` column (e.g. sources.csv): a report
    then depends on the whole file. A joint service ("E06000001+E06000002") counts for each part.
    A row with the wrong number of fields is left out: it changes ``digest``, so validation runs
    and reports it before anything is built.
    """

    header: tuple[str, ...]
    digest: str
    rows: dict[str, list[tuple[str, ...]]] | None
    area_digests: dict[str, str]


def read_extracts(raw_dir: Path) -> dict[str, Extract]:
    """Every CSV under ``raw_dir`` by relative path, in sorted order."""
    out = {}
    for path in sorted(raw_dir.rglob("*.csv")):
        data = path.read_bytes()
        records = [r for r in csv.reader(io.StringIO(data.decode("utf-8-sig", errors="replace"), newline="")) if r]
        header = tuple(records[0]) if records else ()
        rows: dict[str, list[tuple[str, ...]]] | None = None
        if "area_code" in header:
            col = header.index("area_code")
            rows = {}
            for record in records[1:]:
                for code in record[col].split("+") if len(record) == len(header) else ():
                    rows.setdefault(code, []).append(tuple(record))
        area_digests = {code: digest_of(json.dumps(r)) for code, r in (rows or {}).items()}
        out[path.relative_to(raw_dir).as_posix()] = Extract(header, hashlib.sha256(data).hexdigest(), rows,
                                                            area_digests)
    return out


def report_digest(target: Target, notebook: str, parameters: dict[str, Any], extracts: dict[str, Extract],
                  code: str, versions: dict[str, str]) -> str:
    """A digest of everything the report reads: change any of it and the report is rebuilt.

    ``notebook`` and ``code`` are digests of the notebook file and of the package source.
    """
    h = hashlib.sha256(json.dumps({"notebook": notebook, "code": code, "versions": versions,
                                   "parameters": parameters, "area_code": target.area_code},
                                  sort_keys=True).encode())
    for name, extract in extracts.items():
        h.update(json.dumps([name, extract.header]).encode())
        if extract.rows is None:
            h.update(extract.digest.encode())
        else:
            for area in target.depends_on:
                h.update(f"{area}={extract.area_digests.get(area, '')};".encode())
    return h.hexdigest()


def coverage(extracts: dict[str, Extract], area_code: str, start: int, end: int) -> list[tuple[str, int]]:
    """(extract, years in the period with at least one value for the area), per yearly extract."""
    out = []
    for name, extract in extracts.items():
        if extract.rows is None or "year" not in extract.header:
            continue
        year = extract.header.index("year")
        values = [i for i, c in enumerate(extract.header) if c not in IDENTIFIERS and not c.endswith("_status")]
        years = {r[year] for r in extract.rows.get(area_code, [])
                 if r[year].isdigit() and start <= int(r[year]) <= end and any(r[i].strip() for i in values)}
        out.append((Path(name).stem, len(years)))
    return out


def code_digest() -> str:
    """The package's source and templates: a code change rebuilds every report."""
    files = sorted(p for p in PACKAGE_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return digest_of(*(f"{p.relative_to(PACKAGE_DIR).as_posix()}={hashlib.sha256(p.read_bytes()).hexdigest()}"
                     for p in files))


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in KEY_PACKAGES:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = "missing"
    return found


def digest_of(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode() + b"\0")
    return h.hexdigest()
