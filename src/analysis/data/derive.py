"""Re-derive the official extracts from the official files and publish them atomically."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.data.fileio import frame_to_csv_bytes, read_csv_text, write_atomically
from analysis.data.registry import all_specs, parser_modules
from analysis.data.validation import validate_text
from analysis.errors import DataError, Problem


def source_folders(source_dir: Path, historic_dir: Path | None = None) -> dict[str, Path]:
    """Folder name under ``shared/data`` -> path: ``dfe`` is ``source_dir``, every other folder its sibling.

    ``historic_dir`` overrides ``dfe-historic`` (the ``--historic-dir`` option). A sibling that does
    not exist (``source_dir`` is a drop folder holding a new release of ``dfe`` only) is taken from
    ``../shared/data``.
    """
    root = source_dir.parent
    out = {"dfe": source_dir}
    for name in ("dfe-historic", "adoptions", "workforce-lait", "expenditure", "more", "context"):
        out[name] = root / name if (root / name).is_dir() else paths.shared_dir() / "data" / name
    if historic_dir:
        out["dfe-historic"] = historic_dir
    return out


def derive_all(
    source_dir: Path, historic_dir: Path | None = None, notes: list[str] | None = None
) -> dict[str, pd.DataFrame]:
    """Every official extract as a DataFrame, keyed by extract name.

    ``source_dir`` is ``shared/data/dfe``. Each parser module names the folders under
    ``shared/data`` it reads in ``FOLDERS`` (default ``("dfe",)``) and ``derive`` takes them in
    that order; the folders are ``source_dir``'s siblings (``source_folders``). Every family is
    read even after one fails, and one DataError lists the problems of all official files (each
    once: several families read the same geography files). Rows skipped at levels the product
    does not use are appended to ``notes``, once per file and level.
    """
    from analysis.data.official.common import take_notes

    folders = source_folders(source_dir, historic_dir)
    frames: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    take_notes()
    for module in parser_modules():
        try:
            names = getattr(module, "FOLDERS", ("dfe",))
            frames.update(module.derive(*(folders[name] for name in names)))
        except DataError as err:
            problems.extend(err.problems)
    found = take_notes()
    if notes is not None:
        notes.extend(found)
    if problems:
        raise DataError(list(dict.fromkeys(problems)))
    return frames


def render(frames: dict[str, pd.DataFrame], validated: dict[str, pd.DataFrame] | None = None) -> dict[str, bytes]:
    """CSV bytes per extract path, each checked exactly as ``analysis.data.load`` will check it.

    ``validated``, when given, receives each extract as ``load`` would return it (index = line).
    """
    specs = all_specs()
    out: dict[str, bytes] = {}
    areas = set(frames["areas"]["area_code"]) if "areas" in frames else None
    sources_path = paths.DATA_RAW / specs["sources"].path
    sources = set(read_csv_text(sources_path)["source_id"]) if sources_path.exists() else None
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, frame in frames.items():
            spec = specs[name]
            content = frame_to_csv_bytes(frame)
            probe = Path(tmp) / Path(spec.path).name
            probe.write_bytes(content)
            try:
                typed = validate_text(
                    spec, read_csv_text(probe, spec.path), spec.path, known_areas=areas, known_sources=sources
                )
                if validated is not None:
                    validated[name] = typed
            except DataError as err:
                problems.extend(err.problems)
            out[spec.path] = content
    if problems:
        raise DataError(problems)
    return out


def run_extract(
    source_dir: Path, out_dir: Path | None = None, historic_dir: Path | None = None, notes: list[str] | None = None
) -> list[Path]:
    """Derive, check, then publish every official extract; a failure leaves old files untouched.

    Implausible figures (``analysis.data.plausibility``, e.g. more children than live in the
    area) stop it like invalid ones; year-on-year warnings do not (``refresh`` shows those).
    """
    from analysis.data.plausibility import check

    out_dir = Path(out_dir or paths.DATA_RAW)
    validated: dict[str, pd.DataFrame] = {}
    rendered = render(derive_all(source_dir, historic_dir, notes), validated)
    specs = all_specs()
    errors = check(validated, {name: f"data/raw/{specs[name].path}" for name in validated}).errors
    if errors:
        raise DataError(errors)
    targets = {out_dir / rel: content for rel, content in rendered.items()}
    write_atomically(targets)
    return sorted(targets)
