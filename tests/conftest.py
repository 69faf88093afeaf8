"""Shared fixtures: the official files beside the repo (skipped, with the reason, when absent)."""

from __future__ import annotations

import os
import subprocess
import sys
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


def _shared_folder(name: str) -> Path:
    d = paths.dfe_dir().parent / name
    if not d.is_dir():
        pytest.skip(f"official files not present at {d} (../shared/data/{name}); cannot re-derive extracts")
    return d


@pytest.fixture(scope="session")
def adoptions_dir() -> Path:
    return _shared_folder("adoptions")


@pytest.fixture(scope="session")
def lait_dir() -> Path:
    return _shared_folder("workforce-lait")


@pytest.fixture(scope="session")
def expenditure_dir() -> Path:
    return _shared_folder("expenditure")


@pytest.fixture(scope="session")
def more_dir() -> Path:
    return _shared_folder("more")


@pytest.fixture(scope="session")
def processed() -> Path:
    """data/processed derived from the committed extracts and this code, once per session if stale.

    ``report.context`` only reads data/processed (the build derives it), so tests that build a
    context in this process, or run a notebook directly with papermill, use this fixture.
    """
    from analysis.measures.processed import StaleProcessed, build_processed, check_processed

    try:
        return check_processed().parent
    except StaleProcessed:
        return build_processed().parent


@pytest.fixture()
def raw_copy(tmp_path: Path) -> Path:
    """A private copy of data/raw that a test may corrupt."""
    import shutil

    dest = tmp_path / "raw"
    shutil.copytree(paths.DATA_RAW, dest)
    return dest


# ---------------------------------------------------------------- real builds for the hardening tests
# One real build of the committee report, shared by tests/test_browser.py and tests/test_share_safe.py
# (and copied by tests/test_interrupt.py): building a real report takes about 10 s, so it is done once.

BUILD_EPOCH = "1700000000"  # SOURCE_DATE_EPOCH for every test build: the same inputs give the same bytes
# Blackpool, the project's area, and the Isles of Scilly, whose child protection figures are suppressed
# (c) in several years, so a suppressed cell can be checked in a real report.
COMMITTEE_LAS = ("890", "420")


def build_command_exists() -> bool:
    from analysis.cli import build_parser

    parser = build_parser()
    return any("build" in (getattr(a, "choices", None) or {}) for a in parser._actions)


def run_build(
    out: Path, *args: str, raw_dir: Path | None = None, processed_dir: Path, timeout: float = 900
) -> subprocess.CompletedProcess:
    """``python -m analysis build ... --out OUT`` in a fresh process, as a user runs it.

    The extracts folder is chosen with ANALYSIS_RAW_DIR (which the notebook kernels inherit) and
    data/processed goes to ``processed_dir``, so a test build never writes into the repository.
    """
    env = {**os.environ, "ANALYSIS_PROCESSED_DIR": str(processed_dir), "SOURCE_DATE_EPOCH": BUILD_EPOCH}
    if raw_dir is not None:
        env["ANALYSIS_RAW_DIR"] = str(raw_dir)
    return subprocess.run(
        [sys.executable, "-m", "analysis", "build", *args, "--out", str(out)],
        cwd=paths.REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def build_runner():
    """``run_build`` for tests; skips (saying why) while the build command does not exist."""
    if not build_command_exists():
        pytest.skip("`python -m analysis build` is not in analysis.cli yet")
    return run_build


@pytest.fixture(scope="session")
def committee_reports(request, build_runner, tmp_path_factory) -> Path:
    """An out folder holding the committee report, built for real, for COMMITTEE_LAS (read-only for tests).

    When this session builds ``all_reports`` anyway (it covers COMMITTEE_LAS), that build is used;
    otherwise only the committee report is built, which is quicker.
    """
    if any("all_reports" in getattr(item, "fixturenames", ()) for item in request.session.items) and set(
        COMMITTEE_LAS
    ) <= set(ALL_NOTEBOOK_LAS):
        return request.getfixturevalue("all_reports")
    base = tmp_path_factory.mktemp("committee")
    out = base / "reports"
    args = [a for la in COMMITTEE_LAS for a in ("--la", la)]
    done = build_runner(out, *args, "--notebooks", "03_committee_report", processed_dir=base / "processed")
    if done.returncode != 0:
        pytest.fail(f"the committee report build failed (exit {done.returncode}):\n{done.stdout}\n{done.stderr}")
    return out


# Blackpool plus two areas that test the edges: Bournemouth, Christchurch and Poole (formed in 2019,
# so its series start late) and the Isles of Scilly (tiny numbers, so values are suppressed).
ALL_NOTEBOOK_LAS = ("890", "839", "420")


@pytest.fixture(scope="session")
def all_reports(build_runner, tmp_path_factory) -> Path:
    """Every notebook built for real for ALL_NOTEBOOK_LAS, once per test session (read-only for tests)."""
    base = tmp_path_factory.mktemp("all-reports")
    out = base / "reports"
    args = [a for la in ALL_NOTEBOOK_LAS for a in ("--la", la)]
    done = build_runner(out, *args, processed_dir=base / "processed")
    if done.returncode != 0:
        pytest.fail(f"the report build failed (exit {done.returncode}):\n{done.stdout}\n{done.stderr}")
    return out
