"""``python -m analysis build``: run the report notebooks and publish their HTML, safely and incrementally.

For every requested (local authority, notebook) the build

- skips the report when nothing it reads has changed since it was published: ``manifest.json``
  in the out folder keeps a digest of the notebook, the package source, key package versions,
  the parameters, and the rows of every extract for the areas the report reads (the area, its
  region, England and its statistical neighbours, as ``analysis.measures.comparators`` defines them);
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

import csv
import fcntl
import hashlib
import importlib.metadata
import io
import json
import multiprocessing
import multiprocessing.forkserver
import os
import platform
import re
import select
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from analysis import paths
from analysis.data.fileio import publish
from analysis.errors import DataError
from analysis.measures.inputs import all_area_paths

PACKAGE_DIR = Path(__file__).parents[1]  # the whole analysis package
COMMITTEE_TEMPLATE = PACKAGE_DIR / "templates" / "committee"  # also styles the index page
NOTEBOOK_PARAMETERS = ("la", "start_year", "end_year", "sn_model")
# --all-las builds only the committee report unless --notebooks says otherwise (one page per LA).
ALL_LAS_NOTEBOOKS = ("03_committee_report",)
KEY_PACKAGES = ("pandas", "numpy", "matplotlib", "papermill", "nbconvert", "nbclient", "ipykernel",
                "jupyter_client")
LOCK, MANIFEST, LOG, INDEX, WORK, CACHE = ".lock", "manifest.json", "build.log", "index.html", ".build", "cache.json"
# Columns naming a row rather than measuring anything: left out of the coverage summary.
IDENTIFIERS = frozenset({"area_code", "la_code", "area_name", "geographic_level", "region_code",
                         "region_name", "year", "source_id"})
BUILT, UP_TO_DATE, FAILED = "built", "up to date", "failed"


class BuildInputError(ValueError):
    """The request cannot be built as asked (unknown area or notebook, bad years): exit 2."""


class LockHeld(RuntimeError):
    """Another build holds the out folder's lock: exit 3."""

    def __init__(self, path: Path, holder: dict[str, Any]):
        self.pid = holder.get("pid")
        who = f"pid {self.pid}, started {holder.get('started', 'at an unknown time')}" if self.pid else "pid unknown"
        super().__init__(f"another build ({who}) holds {path}")


@dataclass(frozen=True)
class BuildOptions:
    """One build request. The folders are parameters so that tests can point them at fixtures.

    ``processed_dir`` is where ``data/processed`` is derived from ``raw_dir`` before any notebook
    runs; the kernels get both folders (ANALYSIS_RAW_DIR, ANALYSIS_PROCESSED_DIR), so a notebook
    reads exactly the data the build validated.
    """

    las: tuple[str, ...] = ()
    all_las: bool = False
    start_year: int = 2012
    end_year: int = 2022
    sn_model: str = "2021"
    notebooks: tuple[str, ...] = ()
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    force: bool = False
    timeout: float = 600.0
    fresh_kernels: bool = False
    out_dir: Path = paths.REPORTS
    notebooks_dir: Path = paths.NOTEBOOKS
    raw_dir: Path = paths.DATA_RAW
    processed_dir: Path = paths.DATA_PROCESSED


@dataclass(frozen=True)
class Outcome:
    """What happened to one report; ``key`` is its page's path in the out folder."""

    key: str
    status: str
    message: str = ""
    seconds: float = 0.0
    title: str = ""


@dataclass(frozen=True)
class BuildResult:
    """Every report's outcome, skipped ones included; the CLI exits 1 if any failed."""

    outcomes: tuple[Outcome, ...]

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == FAILED]


@dataclass(frozen=True)
class Target:
    """A local authority to report on, and every area whose rows its reports read."""

    area_code: str
    la_code: str
    name: str
    slug: str
    depends_on: tuple[str, ...]


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
    timeout: float
    env: dict[str, str]
    fresh_kernel: bool = False


# ---------------------------------------------------------------- lock


class BuildLock:
    """An exclusive ``flock`` on the lock file, which holds the holder's pid and start time.

    The operating system drops a flock when its holder dies, so a file left by a killed build
    is free to take: its old content only says whose it was (reported as ``stale``).
    """

    def __init__(self, path: Path):
        self.path = path
        self.stale: dict[str, Any] = {}
        self._fd: int | None = None

    def __enter__(self) -> BuildLock:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise LockHeld(self.path, _read_holder(self.path)) from None
        self.stale = _read_holder(self.path)
        holder = {"pid": os.getpid(), "started": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(holder).encode(), 0)
        self._fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._fd is not None
        os.ftruncate(self._fd, 0)  # empty: nobody holds it
        os.close(self._fd)


def _read_holder(path: Path) -> dict[str, Any]:
    try:
        holder = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return {}
    return holder if isinstance(holder, dict) else {}


# ---------------------------------------------------------------- inputs


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
        area_digests = {code: _digest(json.dumps(r)) for code, r in (rows or {}).items()}
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
    whole = all_area_paths()  # funnel plots and the deprivation model read every council's rows
    for name, extract in extracts.items():
        h.update(json.dumps([name, extract.header]).encode())
        if extract.rows is None or name in whole:
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
    return _digest(*(f"{p.relative_to(PACKAGE_DIR).as_posix()}={hashlib.sha256(p.read_bytes()).hexdigest()}"
                     for p in files))


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in KEY_PACKAGES:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = "missing"
    return found


def _digest(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode() + b"\0")
    return h.hexdigest()


# ---------------------------------------------------------------- planning


def plan_targets(las: tuple[str, ...], all_las: bool, start: int, end: int, sn_model: str,
                 raw_dir: Path) -> list[Target]:
    """Resolve the requested areas with ``analysis.measures.comparators``, the lookup the notebooks use.

    ``all_las`` means every local authority that existed during ``start``..``end`` (one per DfE
    code). A report depends on its area, England, its region and its neighbours in ``sn_model``,
    under every ONS code their DfE codes had (a neighbour's figures may sit under either).
    """
    from analysis.data.load import load
    from analysis.measures.comparators import comparators, resolve_area

    areas = load("areas", raw_dir)
    neighbours = load("neighbours", raw_dir)
    las_frame = areas[areas["geographic_level"] == "local_authority"]
    if all_las:
        existed = las_frame[(las_frame["first_year"] <= end) & (las_frame["last_year"] >= start)]
        queries = sorted(set(existed["la_code"].dropna()))
    else:
        queries = list(las)
    names = las_frame.groupby(las_frame["area_name"].str.casefold())["la_code"].nunique()
    shared_names = set(names[names > 1].index)
    targets: dict[str, Target] = {}
    slugs: dict[str, str] = {}
    for query in queries:
        try:
            area = resolve_area(query, areas, (start, end))
            codes = set(comparators(area, areas, neighbours, sn_model).codes())
        except ValueError as exc:
            raise BuildInputError(str(exc)) from None
        same_la = las_frame["la_code"].isin(las_frame.loc[las_frame["area_code"].isin(codes), "la_code"])
        codes |= set(las_frame.loc[same_la, "area_code"])
        slug = re.sub(r"[^a-z0-9]+", "-", area.name.lower()).strip("-")
        if area.name.casefold() in shared_names:  # e.g. Dorset 835 (to 2019) and Dorset 838 (from 2019)
            slug = f"{slug}-{area.la_code}"
        if slugs.setdefault(slug, area.code) != area.code:
            raise BuildInputError(f"{slugs[slug]} and {area.code} would both publish to {slug}/: ask for one")
        targets.setdefault(area.code, Target(area.code, area.la_code, area.name, slug, tuple(sorted(codes))))
    if not targets:
        raise BuildInputError(f"no local authority existed in {start}-{end}")
    return list(targets.values())


def select_notebooks(names: tuple[str, ...], all_las: bool, notebooks_dir: Path) -> list[Path]:
    """The notebooks to run, each checked to declare exactly the parameters the build passes."""
    if not names:
        names = ALL_LAS_NOTEBOOKS if all_las else tuple(sorted(p.stem for p in notebooks_dir.glob("*.ipynb")))
    found = []
    for name in dict.fromkeys(n.removesuffix(".ipynb") for n in names):
        path = notebooks_dir / f"{name}.ipynb"
        if not path.is_file():
            raise BuildInputError(f"no notebook {path.name} in {notebooks_dir}")
        check_notebook(path)
        found.append(path)
    if not found:
        raise BuildInputError(f"no notebooks in {notebooks_dir}")
    return found


def check_notebook(path: Path) -> None:
    """Exactly one cell tagged ``parameters``, assigning every parameter the build passes.

    papermill only warns when the tag is missing (and then injects at the top); here it is an
    error, found before any kernel starts.
    """
    try:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError) as exc:
        raise BuildInputError(f"{path.name} is not a readable notebook: {exc}") from None
    tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(tagged) != 1:
        raise BuildInputError(f"{path.name} must have exactly one cell tagged 'parameters' (has {len(tagged)})")
    source = "".join(tagged[0]["source"]) if isinstance(tagged[0]["source"], list) else tagged[0]["source"]
    declared = set(re.findall(r"^\s*(\w+)\s*(?::[^=\n]+)?=", source, flags=re.MULTILINE))
    missing = [p for p in NOTEBOOK_PARAMETERS if p not in declared]
    if missing:
        raise BuildInputError(f"{path.name}: the parameters cell does not assign {', '.join(missing)}")


def notebook_imports(notebooks: list[Path]) -> str:
    """Every import statement at the top level of the notebooks' code cells, once each, in order.

    What a worker runs in its kernel before the first report: nothing a notebook would not
    import itself (the reset before each report clears the names; the modules stay, as in any
    reused kernel). A cell that is not plain Python (a magic) is skipped.
    """
    import ast

    found: dict[str, None] = {}
    for path in notebooks:
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell.get("cell_type") != "code":
                continue
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            try:
                tree = ast.parse(source)
            except SyntaxError:
                continue
            found.update(dict.fromkeys(ast.unparse(n) for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)))
    return "\n".join(found)


def build_time() -> datetime:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else now; always UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return datetime.now(UTC).replace(microsecond=0)
    try:
        return datetime.fromtimestamp(int(epoch), UTC)
    except (ValueError, OverflowError):
        raise BuildInputError(f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds") from None


# ---------------------------------------------------------------- running


def run_job(job: Job) -> Outcome:
    """Render one report into ``job.work`` (in a worker process). Never raises: failing is an outcome.

    The report runs in this process's reused kernel unless ``job.fresh_kernel``; the message
    says which report of its kernel it was (1: a fresh kernel).
    """
    from analysis.publish.render import Page, ReportError, render_report, reused_kernel

    started = time.monotonic()
    kernel = None if job.fresh_kernel else reused_kernel()
    try:
        page = render_report(job.notebook, job.parameters, Page(job.area, job.facts, job.built),
                             timeout=job.timeout, executed=job.work / "executed.ipynb", env=job.env, kernel=kernel)
        (job.work / "page.html").write_bytes(page.html.encode("utf-8"))
        run = 1 if kernel is None else kernel.reports
        return Outcome(job.key, BUILT, f"{page.images} image(s), report {run} of its kernel",
                       time.monotonic() - started, page.title)
    except ReportError as exc:
        message = str(exc)
    except Exception as exc:  # one report's surprise must not stop the others
        message = f"{type(exc).__name__}: {exc}"
    return Outcome(job.key, FAILED, message, time.monotonic() - started)


def _warm_up(kernel: tuple[Path, dict[str, str], str, float] | None, driver: int) -> None:
    """Every worker's start (the pool's initializer): best effort, as a report meets any problem again."""
    from analysis.publish.render import warm_up

    _exit_with(driver)
    try:
        warm_up(kernel)
    except Exception as exc:  # an initializer that raises would break the pool
        print(f"build: a worker could not warm up ({type(exc).__name__}: {exc})", file=sys.stderr)


def _exit_with(driver: int) -> None:
    """End this worker, and kill its kernel, as soon as process ``driver`` (the build) has gone.

    A pool worker waits for work on a queue whose both ends it holds, so it would never notice
    a build killed with SIGKILL, and would keep its kernel running for ever.
    """
    def watch() -> None:
        try:
            fd = os.pidfd_open(driver)  # readable once the process has ended
        except ProcessLookupError:  # ended already
            pass
        except (AttributeError, OSError):  # no pidfd on this system: poll
            while _alive(driver):
                time.sleep(1)
        else:
            select.select([fd], [], [])
        from analysis.publish.render import IPCKernelManager

        IPCKernelManager.kill_all(remove_files=True)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-build", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def _fork_server() -> multiprocessing.context.BaseContext:
    """Where workers come from: a server process that imports ``analysis.publish.preload`` once, then forks them."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["analysis.publish.preload"])
    return context


def _run(jobs: list[Job], workers: int, prepare: Callable[[], None]) -> Iterator[Outcome]:
    """Run ``prepare`` here, then every job; outcomes arrive as jobs finish.

    Workers fork from a fresh server process that has imported papermill and nbconvert once
    (about 2 s), never from this one, which has numpy's threads. While this process prepares
    the data, they start, compile the template, and start the kernel each keeps for its reports,
    running in it the notebooks' imports (unless every report gets a fresh kernel).
    """
    if workers <= 1:
        try:
            prepare()
            yield from map(run_job, jobs)
        finally:
            if jobs:
                from analysis.publish.render import close_reused_kernel

                close_reused_kernel()
        return
    kernel = None
    if not jobs[0].fresh_kernel:  # every job has the same folder, environment and timeout
        kernel = (jobs[0].notebook.parent, jobs[0].env, notebook_imports(list(dict.fromkeys(j.notebook for j in jobs))),
                  jobs[0].timeout)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=_fork_server(), initializer=_warm_up,
                               initargs=(kernel, os.getpid()))
    # A submitted task starts a worker while none is idle, so this starts them all now; each warms
    # up first. Starting one waits until the fork server has imported papermill and nbconvert
    # (about 2 s): a thread waits for that while this one prepares the data.
    starter = threading.Thread(target=lambda: [pool.submit(int) for _ in range(workers)], daemon=True)
    try:
        starter.start()
        try:
            prepare()
        finally:
            starter.join()
        futures = {pool.submit(run_job, job): job for job in jobs}
        for future in as_completed(futures):
            try:
                yield future.result()
            except BrokenProcessPool as exc:
                yield Outcome(futures[future].key, FAILED, f"worker process died ({exc})")
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


# ---------------------------------------------------------------- manifest, index, log


def read_json(path: Path) -> dict[str, Any]:
    """The manifest or the build cache; an unreadable one is treated as empty (everything rebuilds)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except ValueError:
        print(f"build: {path} is unreadable; starting afresh", file=sys.stderr)
        return {}
    return data if isinstance(data, dict) else {}


def _write_json(path: Path, data: dict[str, Any]) -> None:
    _publish_if_changed(path, (json.dumps(data, indent=1, sort_keys=True) + "\n").encode("utf-8"))


def _publish_if_changed(path: Path, content: bytes) -> None:
    """Atomic write, skipped when the bytes are already there (a no-change build touches nothing)."""
    if not path.is_file() or path.read_bytes() != content:
        publish({path: content})


def coverage_summary(coverage: list[list[Any]], years: int) -> str:
    """'Every year: cin, referrals. Some years: workforce 6 of 11. No data: ...', for the index."""
    parts = []
    for label, test in (("Every year", lambda n: n == years), ("Some years", lambda n: 0 < n < years),
                        ("No data", lambda n: n == 0)):
        names = [f"{name} {n} of {years}" if 0 < n < years else name for name, n in coverage if test(n)]
        if names:
            parts.append(f"{label}: {', '.join(names)}.")
    return " ".join(parts) or "No yearly extracts."


def render_index(out_dir: Path, manifest: dict[str, Any]) -> bytes:
    """The self-contained index of every published report, in the reports' own style."""
    import jinja2

    rows = []
    for key, entry in sorted(manifest["reports"].items(), key=lambda kv: (kv[1]["area"], kv[0])):
        if not (out_dir / key).is_file():
            continue
        span = entry["end_year"] - entry["start_year"] + 1
        rows.append({"href": key, "area": entry["area"], "la_code": entry["la_code"], "title": entry["title"],
                     "period": f"{entry['start_year']} to {entry['end_year']}", "sn_model": entry["sn_model"],
                     "coverage": coverage_summary(entry["coverage"], span), "built": entry["built"]})
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(COMMITTEE_TEMPLATE), autoescape=True,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    html = env.get_template("site_index.html.j2").render(
        rows=rows, areas=len({r["area"] for r in rows}), latest=max((r["built"] for r in rows), default=""))
    return html.encode("utf-8")


def _log(out_dir: Path, outcomes: list[Outcome]) -> None:
    """Append one tab-separated line per report: time, status, page, seconds, reason."""
    if not outcomes:
        return
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    with open(out_dir / LOG, "a", encoding="utf-8") as fh:
        for o in outcomes:
            fh.write(f"{now}\t{o.status}\t{o.key}\t{o.seconds:.1f}s\t{' '.join(o.message.split())}\n")


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


# ---------------------------------------------------------------- the build


def build(options: BuildOptions) -> BuildResult:
    """Build every requested report that is out of date (all of them with ``force``).

    Raises BuildInputError (bad request), DataError (extracts fail validation) or LockHeld,
    each before any notebook runs. Report failures are outcomes, not exceptions.
    """
    if options.all_las == bool(options.las):
        raise BuildInputError("ask for --la CODE (repeatable) or --all-las")
    if options.start_year > options.end_year:
        raise BuildInputError(f"start year {options.start_year} is after end year {options.end_year}")
    if options.jobs < 1 or options.timeout <= 0:
        raise BuildInputError("--jobs must be at least 1 and --timeout positive")
    built_at = f"{build_time():%Y-%m-%d %H:%M} UTC"
    out = options.out_dir
    out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with BuildLock(out / LOCK) as lock:
        if lock.stale.get("pid"):
            print(f"build: took over the lock left by pid {lock.stale['pid']} "
                  f"(started {lock.stale.get('started', '?')}), which no longer holds it", file=sys.stderr)
        outcomes = _build_locked(options, built_at)
    result = BuildResult(tuple(outcomes))
    counts = {s: sum(o.status == s for o in outcomes) for s in (BUILT, UP_TO_DATE, FAILED)}
    print(f"build: {counts[BUILT]} built, {counts[UP_TO_DATE]} up to date, {counts[FAILED]} failed "
          f"in {time.monotonic() - started:.1f} s; index: {out / INDEX}")
    for o in result.failed:
        print(f"build: FAILED {o.key}: {o.message} (executed notebook kept in {out / WORK / 'failed'})",
              file=sys.stderr)
    return result


def _build_locked(options: BuildOptions, built_at: str) -> list[Outcome]:
    out = options.out_dir
    manifest = read_json(out / MANIFEST)  # published reports: what each was built from
    manifest.setdefault("reports", {})
    cache = read_json(out / WORK / CACHE)  # private: the last plan and the last validated inputs
    notebooks = select_notebooks(options.notebooks, options.all_las, options.notebooks_dir)
    if options.jobs > 1 and (options.force or not manifest["reports"]) \
            and (options.all_las or len(set(options.las)) * len(notebooks) > 1):
        # Every report will be built, in worker processes: the fork server imports papermill and
        # nbconvert (about 2 s) while this process plans. It does not wait for the server.
        _fork_server()
        multiprocessing.forkserver.ensure_running()
    extracts = read_extracts(options.raw_dir)
    code = code_digest()
    inputs = _digest(code, *(f"{name}={e.digest}" for name, e in extracts.items()))
    targets = _cached_targets(options, cache, inputs)
    work = out / WORK / "run"
    shutil.rmtree(work, ignore_errors=True)  # left by a killed build; we hold the lock

    skipped: list[Outcome] = []
    jobs: list[Job] = []
    entries: dict[str, dict[str, Any]] = {}  # manifest entries of the reports to build
    env = {"ANALYSIS_RAW_DIR": str(options.raw_dir.resolve()),
           "ANALYSIS_PROCESSED_DIR": str(options.processed_dir.resolve())}
    found = versions()
    for notebook in notebooks:
        notebook_digest = hashlib.sha256(notebook.read_bytes()).hexdigest()
        for target in targets:
            key = f"{target.slug}/{notebook.stem}.html"
            parameters = {"la": target.la_code, "start_year": options.start_year, "end_year": options.end_year,
                          "sn_model": options.sn_model}
            digest = report_digest(target, notebook_digest, parameters, extracts, code, found)
            if not options.force and manifest["reports"].get(key, {}).get("digest") == digest \
                    and (out / key).is_file():
                skipped.append(Outcome(key, UP_TO_DATE))
                continue
            jobs.append(Job(key=key, notebook=notebook.resolve(), parameters=parameters, area=target.name,
                            facts=(("DfE code", target.la_code),
                                   ("Period", f"{options.start_year} to {options.end_year}"),
                                   ("Statistical neighbours", f"DfE {options.sn_model} model")),
                            built=built_at, work=(work / target.slug / notebook.stem).resolve(),
                            timeout=options.timeout, env=env, fresh_kernel=options.fresh_kernels))
            entries[key] = {"digest": digest, "area": target.name, "area_code": target.area_code,
                            "la_code": target.la_code, "start_year": options.start_year,
                            "end_year": options.end_year, "sn_model": options.sn_model, "built": built_at,
                            "coverage": coverage(extracts, target.area_code, options.start_year, options.end_year)}
    _log(out, skipped)

    def prepare() -> None:
        """Validate (and derive data/processed) before any notebook runs; a pass on the same inputs holds."""
        if jobs:
            from analysis.measures.processed import build_processed

            build_processed(options.raw_dir, options.processed_dir)  # validates every extract first
        elif cache.get("validated") != inputs:
            from analysis.data.load import validate_all

            problems = validate_all(options.raw_dir)
            if problems:
                raise DataError(problems)
        cache["validated"] = inputs

    built = _run_and_publish(out, jobs, min(options.jobs, len(jobs)), prepare, manifest, entries)
    _write_json(out / WORK / CACHE, cache)
    _publish_if_changed(out / INDEX, render_index(out, manifest))
    return skipped + built


def _cached_targets(options: BuildOptions, cache: dict[str, Any], inputs: str) -> list[Target]:
    """The plan of the last build if the request and every input are the same (no pandas: fast)."""
    request = {"las": list(options.las), "all_las": options.all_las, "start": options.start_year,
               "end": options.end_year, "sn_model": options.sn_model, "inputs": inputs}
    key = _digest(json.dumps(request, sort_keys=True))
    if cache.get("plan", {}).get("key") == key:
        return [Target(**{**t, "depends_on": tuple(t["depends_on"])}) for t in cache["plan"]["targets"]]
    targets = plan_targets(options.las, options.all_las, options.start_year, options.end_year,
                           options.sn_model, options.raw_dir)
    cache["plan"] = {"key": key, "targets": [asdict(t) for t in targets]}
    return targets


def _run_and_publish(out: Path, jobs: list[Job], workers: int, prepare: Callable[[], None],
                     manifest: dict[str, Any], entries: dict[str, dict[str, Any]]) -> list[Outcome]:
    """Run the jobs; publish each page that passed (atomic rename), keep each failure's notebook."""
    by_key = {job.key: job for job in jobs}
    outcomes = []
    progress = _Progress(len(jobs))
    try:
        for outcome in _run(jobs, workers, prepare):
            job = by_key[outcome.key]
            kept = out / WORK / "failed" / f"{outcome.key.removesuffix('.html')}.ipynb"
            if outcome.status == BUILT:
                page = out / outcome.key
                page.parent.mkdir(parents=True, exist_ok=True)
                os.replace(job.work / "page.html", page)
                kept.unlink(missing_ok=True)
                manifest["reports"][outcome.key] = {**entries[outcome.key], "title": outcome.title}
                _write_json(out / MANIFEST, manifest)
            elif (job.work / "executed.ipynb").exists():
                kept.parent.mkdir(parents=True, exist_ok=True)
                os.replace(job.work / "executed.ipynb", kept)
            _log(out, [outcome])
            progress.report(outcome)
            outcomes.append(outcome)
    finally:
        progress.close()
        shutil.rmtree(out / WORK / "run", ignore_errors=True)
    return outcomes
