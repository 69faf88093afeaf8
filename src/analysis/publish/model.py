"""What a build is asked and what it answers: the request, the plan's targets, a job, an outcome.

Plain data shared by the planner, the workers and the orchestration; nothing here runs anything.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from analysis import paths

PACKAGE_DIR = Path(__file__).parents[1]  # the whole analysis package
COMMITTEE_TEMPLATE = PACKAGE_DIR / "templates" / "committee"  # also styles the index page
NOTEBOOK_PARAMETERS = ("la", "start_year", "end_year", "sn_model", "comparators")
KERNEL = "analysis"  # the project's Jupyter kernel (`make setup` installs it; the notebooks name it)
DEFAULT_TIMEOUT = 600.0  # wall-clock seconds per report before its kernel is killed
# --all-las builds only the committee report unless --notebooks says otherwise (one page per LA).
ALL_LAS_NOTEBOOKS = ("03_committee_report",)

# The out folder's bookkeeping: lock, manifest, log, index page, private work folder, build cache.
LOCK, MANIFEST, LOG, INDEX, WORK, CACHE = ".lock", "manifest.json", "build.log", "index.html", ".build", "cache.json"


class Status(StrEnum):
    """What happened to one report (the words the progress lines and build.log print)."""

    BUILT = "built"
    UP_TO_DATE = "up to date"
    FAILED = "failed"


BUILT, UP_TO_DATE, FAILED = Status.BUILT, Status.UP_TO_DATE, Status.FAILED


class BuildInputError(ValueError):
    """The request cannot be built as asked (unknown area or notebook, bad years): exit 2."""


class ReportError(Exception):
    """A report failed to run or failed a check; the message says why, for the build log."""


@dataclass(frozen=True, kw_only=True)
class BuildOptions:
    """One build request. The folders are parameters so that tests can point them at fixtures.

    The period, neighbour model and comparators have no default here: they come from a set in
    the report-set file (``analysis.publish.sets``), the one place that holds them.
    ``processed_dir`` is where ``data/processed`` is derived from ``raw_dir`` before any notebook
    runs; the kernels get both folders (ANALYSIS_RAW_DIR, ANALYSIS_PROCESSED_DIR), so a notebook
    reads exactly the data the build validated. ``timeout`` None means no limit.
    """

    las: tuple[str, ...] = ()
    all_las: bool = False
    start_year: int
    end_year: int
    sn_model: str
    comparators: tuple[str, ...]
    notebooks: tuple[str, ...] = ()
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    force: bool = False
    timeout: float | None = DEFAULT_TIMEOUT
    fresh_kernels: bool = False
    out_dir: Path = paths.REPORTS
    notebooks_dir: Path = paths.NOTEBOOKS
    raw_dir: Path = paths.DATA_RAW
    processed_dir: Path = paths.DATA_PROCESSED


@dataclass(frozen=True)
class Outcome:
    """What happened to one report; ``key`` is its page's path in the out folder."""

    key: str
    status: Status
    message: str = ""
    seconds: float = 0.0
    title: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", Status(self.status))  # ValueError for a status outside the set


@dataclass(frozen=True)
class BuildResult:
    """Every report's outcome, skipped ones included; the CLI exits 1 if any failed."""

    outcomes: tuple[Outcome, ...]

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == FAILED]


@dataclass(frozen=True)
class Target:
    """A local authority to report on, and what its reports read (``analysis.measures.reads``' declaration).

    ``depends_on`` is the areas whose rows the reports read; ``extracts`` and ``processed`` are
    (name, scope) pairs, scope "areas" (those areas' rows) or "whole" (every row).
    """

    area_code: str
    la_code: str
    name: str
    slug: str
    depends_on: tuple[str, ...]
    extracts: tuple[tuple[str, str], ...] = ()
    processed: tuple[tuple[str, str], ...] = ()
    sn_model: str = ""  # the model used when the one asked for lacks the area (see check_request)
    area_codes: tuple[str, ...] = ()  # every ONS code the authority's series spans

    def to_json(self) -> dict[str, Any]:
        return {
            "area_code": self.area_code,
            "la_code": self.la_code,
            "name": self.name,
            "slug": self.slug,
            "depends_on": list(self.depends_on),
            "extracts": [list(e) for e in self.extracts],
            "processed": [list(p) for p in self.processed],
            "sn_model": self.sn_model,
            "area_codes": list(self.area_codes),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Target:
        return cls(
            data["area_code"],
            data["la_code"],
            data["name"],
            data["slug"],
            tuple(data["depends_on"]),
            tuple((n, s) for n, s in data["extracts"]),
            tuple((n, s) for n, s in data["processed"]),
            data.get("sn_model", ""),
            tuple(data.get("area_codes", ())),
        )


@dataclass(frozen=True)
class Job:
    """Everything a worker needs to render one report into its own staging folder."""

    key: str
    notebook: Path
    parameters: dict[str, Any]
    area: str
    facts: tuple[tuple[str, str], ...]
    built: str
    work: Path
    timeout: float | None
    env: dict[str, str]
    fresh_kernel: bool = False
