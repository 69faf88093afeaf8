"""``python -m analysis build``: run the report notebooks and publish their HTML, safely and incrementally.

For every requested (local authority, notebook) the build

- skips the report when nothing it reads has changed since it was published: ``manifest.json``
  in the out folder keeps, per page, the fingerprint (``analysis.data.fingerprint``) of the
  notebook, its parameters, the package's code, key package versions and exactly the inputs the
  report declares (``analysis.measures.reads``: its areas' rows, whole files, processed tables),
  computed by ``analysis.publish.digest``;
- otherwise runs it in a worker process (``analysis.publish.render``: checked page), writes the page in
  ``out/.build/`` and publishes it with one atomic rename, only if it passed. Each worker keeps
  one kernel for successive reports, reset before each and replaced after any failure and every
  ``REUSE_LIMIT`` reports; ``fresh_kernels`` starts one kernel per report instead.

A failed, hung or killed report leaves the published page exactly as it was. One build at a
time holds ``out/.lock``; every report gets a line in ``out/build.log``; ``out/index.html``
lists every published report. The extracts are validated (and ``data/processed`` re-derived)
before any notebook runs; a validation result is reused while no input file has changed.
"""

from __future__ import annotations

import hashlib
import math
import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from analysis.data.periods import start_after_end
from analysis.errors import DataError
from analysis.publish.digest import coverage, inputs_digest, read_extracts, report_digest
from analysis.publish.lock import BuildLock
from analysis.publish.model import (
    BUILT,
    CACHE,
    FAILED,
    INDEX,
    LOCK,
    MANIFEST,
    UP_TO_DATE,
    WORK,
    BuildInputError,
    BuildOptions,
    BuildResult,
    Job,
    Outcome,
    Status,
)
from analysis.publish.plan import build_time, cached_targets, select_notebooks
from analysis.publish.site import log_outcomes, read_json, render_index, write_if_changed, write_json
from analysis.publish.workers import Workers, kernel_plan, run_jobs


class _Progress:
    """A tqdm bar on a terminal; plain lines otherwise (cron, CI logs)."""

    def __init__(self, total: int):
        self.total, self.done = total, 0
        self.bar = None
        if total and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="report", file=sys.stderr)

    def report(self, outcome: Outcome) -> None:
        self.done += 1
        detail = f": {outcome.message}" if outcome.status == FAILED else ""
        line = f"[{self.done}/{self.total}] {outcome.status} {outcome.key} ({outcome.seconds:.1f} s){detail}"
        if self.bar is None:
            print(line, flush=True)
        else:
            self.bar.update()
            if outcome.status == FAILED:
                self.bar.write(line, file=sys.stderr)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def build(options: BuildOptions) -> BuildResult:
    """Build every requested report that is out of date (all of them with ``force``).

    Raises BuildInputError (bad request), DataError (extracts fail validation) or LockHeld,
    each before any notebook runs. Report failures are outcomes, not exceptions.
    """
    if options.all_las == bool(options.las):
        raise BuildInputError("ask for --la CODE (repeatable) or --all-las")
    if problem := start_after_end(options.start_year, options.end_year):
        raise BuildInputError(problem)
    if options.jobs < 1:
        raise BuildInputError("--jobs must be at least 1")
    if options.timeout is not None and not (math.isfinite(options.timeout) and options.timeout > 0):
        raise BuildInputError(f"--timeout must be a finite positive number of seconds or none, not {options.timeout}")
    built_at = f"{build_time():%Y-%m-%d %H:%M} UTC"
    out = options.out_dir
    out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with BuildLock(out / LOCK) as lock:
        if lock.stale.get("pid"):
            print(
                f"build: took over the lock left by pid {lock.stale['pid']} "
                f"(started {lock.stale.get('started', '?')}), which no longer holds it",
                file=sys.stderr,
            )
        outcomes = _build_locked(options, built_at)
    result = BuildResult(tuple(outcomes))
    counts = {s: sum(o.status == s for o in outcomes) for s in Status}
    print(
        f"build: {', '.join(f'{n} {s}' for s, n in counts.items())} "
        f"in {time.monotonic() - started:.1f} s; index: {out / INDEX}"
    )
    for o in result.failed:
        print(f"build: FAILED {o.key}: {o.message} (executed notebook kept in {out / WORK / 'failed'})", file=sys.stderr)
    return result


def _build_locked(options: BuildOptions, built_at: str) -> list[Outcome]:
    out = options.out_dir
    manifest = read_json(out / MANIFEST)  # published reports: what each was built from
    manifest.setdefault("reports", {})
    cache = read_json(out / WORK / CACHE)  # private: the last plan and the last validated inputs
    notebooks = select_notebooks(
        options.notebooks, options.all_las, options.notebooks_dir, cache.setdefault("notebooks", {})
    )
    env = {
        "ANALYSIS_RAW_DIR": str(options.raw_dir.resolve()),
        "ANALYSIS_PROCESSED_DIR": str(options.processed_dir.resolve()),
    }
    reports = math.inf if options.all_las else len(set(options.las)) * len(notebooks)
    early = None
    if options.jobs > 1 and (options.force or not manifest["reports"]) and reports > 1:
        # Every report will be built, in worker processes: they start now and warm up (the fork
        # server imports papermill and nbconvert, each worker starts its kernel) while this plans.
        early = Workers(
            int(min(options.jobs, reports)), None if options.fresh_kernels else kernel_plan(notebooks, env, options.timeout)
        )
    try:
        return _plan_and_run(options, built_at, manifest, cache, notebooks, env, early)
    finally:
        if early is not None:
            early.close()


def _plan_and_run(
    options: BuildOptions,
    built_at: str,
    manifest: dict[str, Any],
    cache: dict[str, Any],
    notebooks: list[Path],
    env: dict[str, str],
    early: Workers | None,
) -> list[Outcome]:
    out = options.out_dir
    extracts = read_extracts(options.raw_dir)
    inputs = inputs_digest(extracts)
    targets = cached_targets(options, cache, inputs)
    work = out / WORK / "run"
    shutil.rmtree(work, ignore_errors=True)  # left by a killed build; we hold the lock

    skipped: list[Outcome] = []
    jobs: list[Job] = []
    entries: dict[str, dict[str, Any]] = {}  # manifest entries of the reports to build
    for notebook in notebooks:
        notebook_digest = hashlib.sha256(notebook.read_bytes()).hexdigest()
        for target in targets:
            key = f"{target.slug}/{notebook.stem}.html"
            model = target.sn_model or options.sn_model  # the model the report uses (check_request)
            parameters = {
                "la": target.la_code,
                "start_year": options.start_year,
                "end_year": options.end_year,
                "sn_model": model,
                "comparators": list(options.comparators),
            }
            digest = report_digest(target, notebook_digest, parameters, extracts)
            if not options.force and manifest["reports"].get(key, {}).get("digest") == digest and (out / key).is_file():
                skipped.append(Outcome(key, UP_TO_DATE))
                continue
            jobs.append(
                Job(
                    key=key,
                    notebook=notebook.resolve(),
                    parameters=parameters,
                    area=target.name,
                    facts=(
                        ("DfE code", target.la_code),
                        (
                            "ONS code" if len(target.area_codes) < 2 else "ONS codes",
                            ", ".join(target.area_codes or (target.area_code,)),
                        ),
                        ("Period", f"{options.start_year} to {options.end_year}"),
                        ("Statistical neighbours", f"DfE {model} model"),
                    ),
                    built=built_at,
                    work=(work / target.slug / notebook.stem).resolve(),
                    timeout=options.timeout,
                    env=env,
                    fresh_kernel=options.fresh_kernels,
                )
            )
            entries[key] = {
                "digest": digest,
                "area": target.name,
                "area_code": target.area_code,
                "la_code": target.la_code,
                "start_year": options.start_year,
                "area_codes": list(target.area_codes or (target.area_code,)),
                "end_year": options.end_year,
                "sn_model": model,
                "built": built_at,
                "coverage": coverage(extracts, target.area_codes or target.area_code, options.start_year, options.end_year),
            }
    log_outcomes(out, skipped)

    def prepare() -> None:
        """Validate (and derive data/processed) before any notebook runs; a pass on the same inputs holds."""
        if jobs:
            from analysis.measures.processed import build_processed

            began = time.monotonic()
            build_processed(options.raw_dir, options.processed_dir)  # validates every extract first
            print(
                f"build: validated the extracts and derived {options.processed_dir} in {time.monotonic() - began:.1f} s",
                flush=True,
            )
        elif cache.get("validated") != inputs:
            from analysis.data.load import validate_plausible

            problems, _ = validate_plausible(options.raw_dir)
            if problems:
                raise DataError(problems)
        cache["validated"] = inputs

    built = _run_and_publish(out, jobs, min(options.jobs, len(jobs)), prepare, manifest, entries, early)
    write_json(out / WORK / CACHE, cache)
    write_if_changed(out / INDEX, render_index(out, manifest))
    return skipped + built


def _run_and_publish(
    out: Path,
    jobs: list[Job],
    workers: int,
    prepare: Callable[[], None],
    manifest: dict[str, Any],
    entries: dict[str, dict[str, Any]],
    early: Workers | None = None,
) -> list[Outcome]:
    """Run the jobs; publish each page that passed (atomic rename), keep each failure's notebook."""
    by_key = {job.key: job for job in jobs}
    outcomes = []
    progress = _Progress(len(jobs))
    try:
        for outcome in run_jobs(jobs, workers, prepare, early):
            job = by_key[outcome.key]
            kept = out / WORK / "failed" / f"{outcome.key.removesuffix('.html')}.ipynb"
            if outcome.status == BUILT:
                page = out / outcome.key
                page.parent.mkdir(parents=True, exist_ok=True)
                os.replace(job.work / "page.html", page)
                kept.unlink(missing_ok=True)
                manifest["reports"][outcome.key] = {**entries[outcome.key], "title": outcome.title}
                write_json(out / MANIFEST, manifest)
            elif (job.work / "executed.ipynb").exists():
                kept.parent.mkdir(parents=True, exist_ok=True)
                os.replace(job.work / "executed.ipynb", kept)
            log_outcomes(out, [outcome])
            progress.report(outcome)
            outcomes.append(outcome)
    finally:
        progress.close()
        shutil.rmtree(out / WORK / "run", ignore_errors=True)
    return outcomes
