"""What a report was built from: the rows and files its declaration names, fingerprinted.

Every extract declared in ``analysis.data.registry`` is read once per build with the one CSV
reader (``analysis.data.fileio.read_csv_rows``) and its rows grouped by the declared area column.
A report's digest covers exactly what ``analysis.measures.reads`` declares for it, processed tables
through the extracts they are derived from (``analysis.measures.tables``), with the notebook,
its parameters, the package's code and key package versions (``analysis.data.fingerprint``).
No pandas: a build with nothing to do stays light.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.data.fileio import read_csv_rows
from analysis.data.fingerprint import digest_of, fingerprint
from analysis.data.registry import all_specs
from analysis.errors import DataError
from analysis.measures.reads import WHOLE
from analysis.measures.tables import table
from analysis.publish.model import Target

MISSING = "missing"


@dataclass(frozen=True)
class Extract:
    """One declared extract: the digest of its bytes and, if it has an area column, its rows by area.

    ``rows`` is None for an extract without an area column (e.g. sources.csv): any report that
    reads it depends on the whole file. A joint service ("E06000001+E06000002") counts for each
    part. A record the reader cannot use (wrong number of fields, a file that is not UTF-8) is
    left out: it changes ``digest``, so validation runs and reports it before anything is built.
    """

    name: str
    digest: str
    header: tuple[str, ...]
    rows: dict[str, list[tuple[str, ...]]] | None
    area_digests: dict[str, str]


def read_extracts(raw_dir: Path) -> dict[str, Extract]:
    """Every declared extract under ``raw_dir``, by name, in the order of their paths."""
    out = {}
    for spec in sorted(all_specs().values(), key=lambda s: s.path):
        path = raw_dir / spec.path
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            out[spec.name] = Extract(spec.name, MISSING, (), None if spec.area_column is None else {}, {})
            continue
        header: tuple[str, ...] = ()
        rows: dict[str, list[tuple[str, ...]]] | None = None
        if spec.area_column is not None:
            rows = {}
            try:
                parsed = read_csv_rows(path, spec.path, data)
            except DataError:  # validation names the problem
                parsed = None
            if parsed is not None and spec.area_column in parsed.header:
                header = parsed.header
                column = header.index(spec.area_column)
                for _, record in parsed.records:
                    for code in record[column].split("+"):
                        rows.setdefault(code, []).append(record)
        area_digests = {code: digest_of(json.dumps(r)) for code, r in (rows or {}).items()}
        out[spec.name] = Extract(spec.name, hashlib.sha256(data).hexdigest(), header, rows, area_digests)
    return out


def inputs_digest(extracts: dict[str, Extract]) -> str:
    """Every declared extract's bytes, the code and key versions: what a validation result holds for."""
    return fingerprint({name: e.digest for name, e in extracts.items()})


def _read(extract: Extract, scope: str, areas: tuple[str, ...]) -> Any:
    """The part of ``extract`` a report reads: its digest when read whole, else its header and its areas' rows."""
    if scope == WHOLE or extract.rows is None:
        return extract.digest
    return {"header": list(extract.header), "areas": {a: extract.area_digests.get(a, "") for a in areas}}


def report_digest(target: Target, notebook: str, parameters: dict[str, Any], extracts: dict[str, Extract]) -> str:
    """The fingerprint of everything the report reads: change any of it and the report is rebuilt.

    ``notebook`` is the digest of the notebook file; ``target`` carries the report's declared
    inputs (``analysis.measures.reads``). A processed table read for some areas depends on those
    areas' rows in each of its sources when it is ``per_area``, else on its sources whole.
    """
    reads: dict[str, Any] = {}
    for name, scope in target.extracts:
        reads[f"extract {name}"] = _read(extracts[name], scope, target.depends_on)
    for name, scope in target.processed:
        declared = table(name)
        for source in declared.sources:
            reads[f"processed {name} from {source}"] = _read(
                extracts[source], scope if declared.per_area else WHOLE, target.depends_on
            )
    return fingerprint({"notebook": notebook, "parameters": parameters, "area_code": target.area_code, "reads": reads})


def coverage(extracts: dict[str, Extract], area_code: str | tuple[str, ...], start: int, end: int) -> list[tuple[str, int]]:
    """(extract, years in the period with at least one measured value for the area), per yearly extract.

    A measured value is one in a column the extract declares as a measure (numeric, not a key).
    ``area_code`` may be every ONS code of one authority: its years under each code count together.
    """
    codes = (area_code,) if isinstance(area_code, str) else area_code
    specs = all_specs()
    out = []
    for name, extract in extracts.items():
        if extract.rows is None or "year" not in extract.header:
            continue
        year = extract.header.index("year")
        values = [extract.header.index(c.name) for c in specs[name].measures() if c.name in extract.header]
        years = {
            r[year]
            for code in codes
            for r in extract.rows.get(code, [])
            if r[year].isdigit() and start <= int(r[year]) <= end and any(r[i].strip() for i in values)
        }
        out.append((name, len(years)))
    return out
