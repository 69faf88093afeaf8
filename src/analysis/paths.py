"""Where things live. One place, so tests and the CLI can point elsewhere."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
# Overridable so tests (and a build's notebook kernels, which inherit the environment) can work on
# a copy of the extracts without touching the committed ones.
DATA_RAW = Path(os.environ.get("ANALYSIS_RAW_DIR", REPO_ROOT / "data" / "raw"))
DATA_PROCESSED = Path(os.environ.get("ANALYSIS_PROCESSED_DIR", REPO_ROOT / "data" / "processed"))
NOTEBOOKS = REPO_ROOT / "notebooks"
REPORTS = REPO_ROOT / "reports"
DOCS = REPO_ROOT / "docs"
REFRESH_REPORT_DIR = REPORTS / "refresh"  # refresh's diff report (outside data/raw)
REFRESH_HISTORY = DOCS / "refresh_history.csv"  # one line per accepted refresh


def shared_dir() -> Path:
    """The folder holding the official files (``../shared`` beside the repo by default)."""
    return Path(os.environ.get("ANALYSIS_SHARED_DIR", REPO_ROOT.parent / "shared"))


def dfe_dir() -> Path:
    """Official DfE/Ofsted statistics files used to derive the official extracts."""
    return shared_dir() / "data" / "dfe"


def dfe_historic_dir() -> Path:
    """Earlier official releases (child protection 2011-2012, looked-after children 2012-2020)."""
    return shared_dir() / "data" / "dfe-historic"
