"""Typed, validated DataFrames for every committed extract.

``load("cin_cp")`` returns one extract; ``validate_all()`` checks them all and returns every
problem. Any failure raises ``analysis.errors.DataError`` naming file, line, column and reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.data.fileio import read_csv_text
from analysis.data.registry import all_specs
from analysis.data.validation import validate_text
from analysis.errors import DataError, Problem


def _label(path: Path, raw_dir: Path) -> str:
    """A path relative to the repo, so messages (and reports) never show a local absolute path."""
    try:
        return str(path.resolve().relative_to(paths.REPO_ROOT))
    except ValueError:
        try:
            return str(Path("data/raw") / path.resolve().relative_to(raw_dir.resolve()))
        except ValueError:
            return path.name


def _read(name: str, raw_dir: Path, known_areas, known_sources) -> pd.DataFrame:
    spec = all_specs()[name]
    path = raw_dir / spec.path
    label = _label(path, raw_dir)
    text = read_csv_text(path, label)
    return validate_text(spec, text, label, known_areas=known_areas, known_sources=known_sources)


def _context(raw_dir: Path, problems: list[Problem]) -> tuple[set[str] | None, set[str] | None]:
    """Source ids and area codes that other extracts may cite (None if they could not be read)."""
    known_sources = known_areas = None
    try:
        known_sources = set(_read("sources", raw_dir, None, None)["source_id"])
    except DataError as err:
        problems.extend(err.problems)
    try:
        known_areas = set(_read("areas", raw_dir, None, known_sources)["area_code"])
    except DataError as err:
        problems.extend(err.problems)
    return known_areas, known_sources


@lru_cache(maxsize=4)
def _known(raw_dir: str, stamp: tuple) -> tuple[set[str] | None, set[str] | None, tuple[Problem, ...]]:
    """``_context`` once per state of the files: every extract loaded checks its codes against the same sets."""
    problems: list[Problem] = []
    known_areas, known_sources = _context(Path(raw_dir), problems)
    return known_areas, known_sources, tuple(problems)


@lru_cache(maxsize=64)
def _load_cached(name: str, raw_dir: str, stamp: tuple) -> pd.DataFrame:
    known_areas, known_sources, problems = _known(raw_dir, stamp)
    if problems:
        raise DataError(list(problems))
    return _read(name, Path(raw_dir), known_areas, known_sources)


def _stamp(raw_dir: Path) -> tuple:
    """Modification times of all extract files: a changed file invalidates the cache."""
    out = []
    for spec in all_specs().values():
        p = raw_dir / spec.path
        out.append((spec.path, p.stat().st_mtime_ns if p.exists() else None))
    return tuple(out)


def load(name: str, raw_dir: Path | None = None) -> pd.DataFrame:
    """One validated extract. The frame's index is the line in the CSV file."""
    raw_dir = Path(raw_dir or paths.DATA_RAW)
    if name not in all_specs():
        raise KeyError(f"no extract named {name!r}; known: {', '.join(all_specs())}")
    return _load_cached(name, str(raw_dir.resolve()), _stamp(raw_dir)).copy()


def preload(names: Iterable[str], raw_dir: Path | None = None) -> None:
    """Load ``names`` into this process's cache now, as ``load`` would; any failure is left for ``load`` to meet.

    What a reused report kernel does while the build validates and derives the data, so that its
    reports find the extracts read and checked (each still checked here, by this process).
    """
    for name in names:
        try:
            load(name, raw_dir)
        except Exception:  # noqa: BLE001 - the report's own load raises it again, with its message
            pass


def validate_all(raw_dir: Path | None = None) -> list[Problem]:
    """Check every extract and return every problem found (empty list: all good)."""
    return _validate_all(Path(raw_dir or paths.DATA_RAW), {})


def _validate_all(raw_dir: Path, frames: dict[str, pd.DataFrame]) -> list[Problem]:
    """``validate_all``, keeping in ``frames`` each validated extract but sources and areas."""
    problems: list[Problem] = []
    known_areas, known_sources = _context(raw_dir, problems)
    for name in all_specs():
        if name in ("sources", "areas"):
            continue
        try:
            frames[name] = _read(name, raw_dir, known_areas, known_sources)
        except DataError as err:
            problems.extend(err.problems)
    return problems


def validate_plausible(raw_dir: Path | None = None) -> tuple[list[Problem], list[Problem]]:
    """``validate_all`` then, if every extract is valid, ``analysis.data.plausibility.check`` on them.

    Returns (errors, warnings): errors are the validation problems, or else the implausible
    figures; warnings are the year-on-year changes to review (empty when there are errors).
    """
    from analysis.data.plausibility import check

    raw_dir = Path(raw_dir or paths.DATA_RAW)
    frames: dict[str, pd.DataFrame] = {}
    problems = _validate_all(raw_dir, frames)
    if problems:
        return problems, []
    labels = {name: _label(raw_dir / spec.path, raw_dir) for name, spec in all_specs().items()}
    found = check(frames, labels)
    return found.errors, found.warnings


def load_all(raw_dir: Path | None = None) -> dict[str, pd.DataFrame]:
    """Every extract, validated as a whole first so a bad file stops everything with all problems.

    The frames are those the validation produced (what ``load`` returns), not read a second time.
    Implausible figures (``analysis.data.plausibility``: more children than live in the area, a
    percentage that is not its parts...) stop it too; year-on-year warnings do not.
    """
    from analysis.data.plausibility import check

    raw_dir = Path(raw_dir or paths.DATA_RAW)
    frames: dict[str, pd.DataFrame] = {}
    problems = _validate_all(raw_dir, frames)
    if problems:
        raise DataError(problems)
    errors = check(frames, {name: _label(raw_dir / spec.path, raw_dir) for name, spec in all_specs().items()}).errors
    if errors:
        raise DataError(errors)
    return {name: frames[name] if name in frames else load(name, raw_dir) for name in all_specs()}
