"""Shared fixtures: the official files beside the repo (skipped, with the reason, when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import paths


@pytest.fixture(scope="session")
def dfe_dir() -> Path:
    d = paths.dfe_dir()
    if not d.is_dir():
        pytest.skip(f"official files not present at {d} (../shared/data/dfe); cannot re-derive extracts")
    return d


@pytest.fixture(scope="session")
def historic_dir() -> Path:
    d = paths.dfe_historic_dir()
    if not d.is_dir():
        pytest.skip(f"earlier official releases not present at {d} (../shared/data/dfe-historic)")
    return d


@pytest.fixture()
def raw_copy(tmp_path: Path) -> Path:
    """A private copy of data/raw that a test may corrupt."""
    import shutil

    dest = tmp_path / "raw"
    shutil.copytree(paths.DATA_RAW, dest)
    return dest
