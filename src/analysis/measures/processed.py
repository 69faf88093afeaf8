"""data/processed: every catalogue measure for every area as one long table, derived from the extracts.

Derived once per build (``build_processed``), before any notebook runs; the notebooks only read it
(``check_processed`` refuses a missing or stale folder, naming the command that refreshes it). Each
value keeps its status and the source it came from, so a report can name the release behind every
number.
Beside it, the statistics computed once for all areas and years: ``intervals.csv`` (95% interval
of each figure with a published denominator), ``funnels.csv`` (every authority against England
with over-dispersed limits) and ``deprivation.csv`` (observed/expected from the deprivation model).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.data.fileio import frame_to_csv_bytes, sha256_file, write_atomically
from analysis.data.fingerprint import fingerprint
from analysis.data.load import load_all
from analysis.data.registry import all_specs
from analysis.measures.catalogue import MEASURES
from analysis.measures.declaration import Derivation, Measure
from analysis.measures.deprivation_model import deprivation_models
from analysis.measures.funnel_limits import funnels
from analysis.measures.indicators import LONG_COLUMNS, long_measure, per_10k_children, spend_per_child
from analysis.measures.uncertainty import intervals

COLUMNS = ["measure", "area_code", "year", "value", "status", "source_id"]
STATISTICS = ("intervals", "funnels", "deprivation")
"""The all-area statistics tables written beside measures.csv (``read_statistics`` reads one)."""


def _published(frame: pd.DataFrame, column: str, population: pd.DataFrame) -> pd.DataFrame:
    return long_measure(frame, column)


DERIVATIONS = {
    Derivation.PUBLISHED: _published,
    Derivation.RATE_PER_10K: per_10k_children,
    Derivation.PER_CHILD: spend_per_child,
}
"""Segment.derivation -> function(extract rows, column, population extract) -> long values."""


def measure_values(measure: Measure, extracts: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """(measure, area_code, year, value, status, source_id) for every area, joining declared segments."""
    parts = []
    for seg in measure.segments:
        if seg.extract not in extracts:
            continue
        frame = extracts[seg.extract]
        if "year" not in frame.columns:
            continue
        frame = frame[(frame["year"] >= seg.first) & (frame["year"] <= seg.last)]
        if seg.release:
            frame = frame[frame["release"] == seg.release]
        values = DERIVATIONS[seg.derivation](frame, seg.column, extracts.get("population"))[LONG_COLUMNS]
        population = "+ons-pop-0-17" if seg.derivation.uses_population else ""
        values["source_id"] = (frame["source_id"] + population).to_numpy()
        parts.append(values)
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COLUMNS[1:])
    out.insert(0, "measure", measure.id)
    return out[COLUMNS].sort_values(["area_code", "year"], kind="stable").reset_index(drop=True)


def inputs_fingerprint(raw_dir: Path | None = None) -> str:
    """What measures.csv was derived from: every extract file, the package's code and key versions.

    ``analysis.data.fingerprint``'s rule, the same the build uses for its reports.
    """
    raw_dir = Path(raw_dir or paths.DATA_RAW)
    files = {}
    for spec in sorted(all_specs().values(), key=lambda s: s.path):
        path = raw_dir / spec.path
        files[spec.path] = sha256_file(path) if path.exists() else "missing"
    return fingerprint({"processed": "measures", "extracts": files})


def build_processed(raw_dir: Path | None = None, out_dir: Path | None = None) -> Path:
    """Validate every extract, derive all measures and statistics, publish data/processed atomically.

    Writes measures.csv and the ``STATISTICS`` tables. A ``measures.inputs`` file beside them
    records the fingerprint of the inputs, so a reader can tell whether they are stale (``check_processed``).
    """
    extracts = load_all(raw_dir)
    table = pd.concat([measure_values(m, extracts) for m in MEASURES.values()], ignore_index=True)
    spans = intervals(extracts)
    stats = {"intervals": spans, "funnels": funnels(spans, extracts["areas"]), "deprivation": deprivation_models(extracts)}
    out_dir = Path(out_dir or paths.DATA_PROCESSED)
    target = out_dir / "measures.csv"
    write_atomically(
        {
            target: frame_to_csv_bytes(table),
            **{out_dir / f"{name}.csv": frame_to_csv_bytes(frame) for name, frame in stats.items()},
            out_dir / "measures.inputs": inputs_fingerprint(raw_dir).encode(),
        }
    )
    return target


REFRESH_COMMAND = "`python -m analysis build` (or `make reports`)"


class StaleProcessed(RuntimeError):
    """data/processed is missing, incomplete, or derived from other extracts or code than the current ones.

    The message names the folder, what is wrong and the command that re-derives it (``REFRESH_COMMAND``).
    """


def check_processed(raw_dir: Path | None = None, out_dir: Path | None = None) -> Path:
    """The path of measures.csv, once data/processed is known to be complete and current. Reads only.

    Current means derived from the extracts now in ``raw_dir`` by this code (``inputs_fingerprint``,
    recorded in ``measures.inputs`` by ``build_processed``). Raises StaleProcessed otherwise: only
    the build re-derives data/processed, never a report (a notebook kernel writes nothing there).
    """
    raw_dir = Path(raw_dir or paths.DATA_RAW)
    out_dir = Path(out_dir or paths.DATA_PROCESSED)
    files = ["measures.csv", *(f"{name}.csv" for name in STATISTICS), "measures.inputs"]
    missing = [name for name in files if not (out_dir / name).is_file()]
    if missing:
        raise StaleProcessed(
            f"data/processed ({out_dir}) has no {', '.join(missing)}: derive it from {raw_dir} with {REFRESH_COMMAND}"
        )
    if (out_dir / "measures.inputs").read_text() != inputs_fingerprint(raw_dir):
        raise StaleProcessed(
            f"data/processed ({out_dir}) is out of date: it was derived from other extracts than those in "
            f"{raw_dir}, or by other code; re-derive it with {REFRESH_COMMAND}"
        )
    return out_dir / "measures.csv"


def read_processed(path: Path | None = None) -> pd.DataFrame:
    path = Path(path or paths.DATA_PROCESSED / "measures.csv")
    frame = pd.read_csv(
        path,
        dtype={"measure": "str", "area_code": "str", "status": "str", "source_id": "str"},
        keep_default_na=False,
        na_values={"value": [""]},
    )
    frame["status"] = frame["status"].fillna("")
    return frame


def read_statistics(name: str, processed_dir: Path | None = None) -> pd.DataFrame:
    """One of the ``STATISTICS`` tables from data/processed (area codes as text)."""
    if name not in STATISTICS:
        raise ValueError(f"unknown statistics table {name!r}; choose from {STATISTICS}")
    path = Path(processed_dir or paths.DATA_PROCESSED) / f"{name}.csv"
    return pd.read_csv(
        path,
        dtype={"area_code": "str", "measure": "str", "note": "str", "position": "str", "method": "str"},
        keep_default_na=False,
        na_values={
            c: [""]
            for c in (
                "numerator",
                "denominator",
                "estimate",
                "lower",
                "upper",
                "value",
                "observed",
                "population",
                "idaci",
                "expected",
                "expected_rate",
                "ratio",
                "pi_lo",
                "pi_hi",
                "rank",
                "rank_of",
                "edition",
            )
        },
    )
