"""Take in a new official release safely: derive aside, compare, report, and publish only when accepted.

``python -m analysis refresh --source-dir DIR [--accept "REASON"]``:

1. derive every official extract from the files in DIR (``analysis.data.derive``), into a staging
   copy of ``data/raw``, never into ``data/raw`` itself; ``sources.csv`` gets the SHA-256 (and
   retrieval date) of every official file that changed;
2. validate the staged extracts and run the plausibility checks (``analysis.data.plausibility``);
3. compare them with the committed ones (``analysis.data.diff``) and write a diff report
   (``reports/refresh/diff.html``: new years and areas, areas gone, columns added or dropped,
   revised values, changed markers, plausibility warnings that were not there before);
4. publish the staged files atomically only with ``--accept REASON`` (10 characters or more),
   appending a line to ``docs/refresh_history.csv``.

Exit codes (``EXIT_*``): 0 no difference (nothing written) or accepted and published; 2 any
error (nothing written, every problem listed); 4 changes or warnings to review (nothing written
but the diff report).
"""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import jinja2

from analysis import paths
from analysis.data.derive import derive_all, render
from analysis.data.diff import ExtractDiff, compare, fmt_change, totals
from analysis.data.fileio import read_csv_text, sha256_file, write_atomically
from analysis.data.load import validate_plausible
from analysis.data.registry import all_specs
from analysis.errors import DataError, Problem

EXIT_OK, EXIT_BAD_INPUT, EXIT_REVIEW = 0, 2, 4
MIN_REASON = 10
REPORT_NAME = "diff.html"
HISTORY_COLUMNS = (
    "refreshed_at_utc",
    "source_files",
    "extracts_changed",
    "rows_added",
    "rows_removed",
    "values_revised",
    "markers_changed",
    "columns_added",
    "columns_dropped",
    "warnings",
    "reason",
)
TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
SHOWN = 300  # rows listed per extract and kind of change in the report (all are counted)


def report_dir() -> Path:
    """Where the diff report goes: ``reports/refresh`` (outside data/raw)."""
    return paths.REFRESH_REPORT_DIR


def history_file() -> Path:
    """The refresh history kept in the repository."""
    return paths.REFRESH_HISTORY


@dataclass
class Outcome:
    """What a refresh did: exit code, the lines to print, and what it found."""

    code: int
    lines: list[str]
    problems: list[Problem] = field(default_factory=list)
    diffs: list[ExtractDiff] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    report: Path | None = None
    published: list[Path] = field(default_factory=list)


def _historic(source_dir: Path, historic_dir: Path | None) -> Path:
    if historic_dir:
        return historic_dir
    beside = source_dir.parent / "dfe-historic"
    return beside if beside.is_dir() else paths.dfe_historic_dir()


def registry_update(
    raw_dir: Path, source_dir: Path, historic_dir: Path, today: str
) -> tuple[bytes | None, list[tuple[str, str]], list[str]]:
    """sources.csv with the SHA-256 (and retrieval date) of every official file that changed.

    Returns (new bytes, or None when no checksum changed; (file name, SHA-256) of each official
    file read from ``source_dir``; names of the files whose checksum changed). Rows are rewritten
    with the csv module, which reproduces the committed file byte for byte when nothing changes.
    """
    path = raw_dir / all_specs()["sources"].path
    try:
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    except (OSError, UnicodeDecodeError):  # validating the staged copy reports it, with file and line
        return None, [], []
    header = rows[0] if rows else []
    if not {"file", "sha256", "retrieved"} <= set(header):
        return None, [], []
    col = {name: header.index(name) for name in ("file", "sha256", "retrieved")}
    read: list[tuple[str, str]] = []
    changed: list[str] = []
    for row in rows[1:]:
        if len(row) != len(header):
            continue
        rel = row[col["file"]]
        folder = {"data/dfe": source_dir, "data/dfe-historic": historic_dir}.get(str(Path(rel).parent))
        if folder is None or not (folder / Path(rel).name).exists():
            continue
        sha = sha256_file(folder / Path(rel).name)
        if folder == source_dir:
            read.append((Path(rel).name, sha))
        if sha != row[col["sha256"]]:
            row[col["sha256"]], row[col["retrieved"]] = sha, today
            changed.append(Path(rel).name)
    if not changed:
        return None, read, changed
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8"), read, changed


def _key(problem: Problem) -> tuple:
    """A warning's identity across versions: file, column and reason (its line may move)."""
    return problem.file, problem.column, problem.reason


def _history_bytes(history: Path, line: dict[str, object]) -> bytes:
    old = history.read_bytes() if history.exists() else b""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if not old.strip():
        writer.writerow(HISTORY_COLUMNS)
    writer.writerow([line[c] for c in HISTORY_COLUMNS])
    prefix = old if not old or old.endswith(b"\n") else old + b"\n"
    return prefix + out.getvalue().encode("utf-8")


def render_diff_report(
    diffs: list[ExtractDiff],
    warnings: list[Problem],
    notes: list[str],
    changed_files: list[str],
    source_label: str,
    generated: str,
    accepted: str | None,
) -> bytes:
    """The diff report: one offline HTML page in the committee reports' style, every value escaped."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([TEMPLATES / "refresh", TEMPLATES / "committee"]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["change"] = fmt_change
    changed = [d for d in diffs if d.changed]
    return (
        env.get_template("diff.html.j2")
        .render(
            diffs=changed,
            unchanged=[d.file for d in diffs if not d.changed],
            warnings=warnings,
            notes=notes,
            totals=totals(diffs),
            changed_files=changed_files,
            source=source_label,
            generated=generated,
            accepted=accepted,
            shown=SHOWN,
        )
        .encode("utf-8")
    )


def refresh(
    source_dir: Path,
    accept: str | None = None,
    raw_dir: Path | None = None,
    historic_dir: Path | None = None,
    out_dir: Path | None = None,
    history: Path | None = None,
    now: datetime | None = None,
) -> Outcome:
    """Derive from ``source_dir`` aside, compare with ``raw_dir`` (default data/raw), report, maybe publish.

    ``out_dir`` (default ``reports/refresh``) receives ``diff.html``; ``history`` (default
    ``docs/refresh_history.csv``) gets one line per accepted refresh. Never raises DataError:
    problems come back in ``Outcome.problems`` with exit code 2.
    """
    raw_dir = Path(raw_dir or paths.DATA_RAW)
    out_dir, history = Path(out_dir or report_dir()), Path(history or history_file())
    now = now or datetime.now(UTC)
    if accept is not None and len(accept.strip()) < MIN_REASON:
        return Outcome(
            EXIT_BAD_INPUT,
            [
                f"refresh: --accept needs a reason of at least {MIN_REASON} characters "
                "(what was checked and by whom); nothing was changed"
            ],
        )
    if not source_dir.is_dir():
        return Outcome(EXIT_BAD_INPUT, [f"refresh: source folder not found: {source_dir}; nothing was changed"])
    historic_dir = _historic(source_dir, historic_dir)
    notes: list[str] = []
    try:
        rendered = render(derive_all(source_dir, historic_dir, notes))
    except DataError as err:
        return Outcome(
            EXIT_BAD_INPUT,
            notes + ["refresh: the new official files have problems (listed above); nothing was changed"],
            problems=err.problems,
        )
    registry, read, changed_files = registry_update(raw_dir, source_dir, historic_dir, now.strftime("%Y-%m-%d"))
    if registry is not None:
        rendered[all_specs()["sources"].path] = registry
    specs = {spec.path: spec for spec in all_specs().values()}
    with tempfile.TemporaryDirectory(prefix="refresh-") as tmp:
        stage = Path(tmp) / "raw"
        shutil.copytree(raw_dir, stage)
        for rel, content in rendered.items():
            (stage / rel).parent.mkdir(parents=True, exist_ok=True)
            (stage / rel).write_bytes(content)
        errors, new_warnings = validate_plausible(stage)
        if errors:
            return Outcome(
                EXIT_BAD_INPUT,
                notes + ["refresh: the new extracts fail validation or plausibility (listed above); nothing was changed"],
                problems=errors,
            )
        old_errors, old_warnings = validate_plausible(raw_dir)
        seen = {_key(w) for w in old_warnings}
        warnings = [w for w in new_warnings if _key(w) not in seen]
        diffs = []
        for rel in sorted(rendered):
            if (raw_dir / rel).exists() and (raw_dir / rel).read_bytes() == rendered[rel]:
                diffs.append(ExtractDiff(specs[rel].name, f"data/raw/{rel}"))
                continue
            old = read_csv_text(raw_dir / rel, rel) if (raw_dir / rel).exists() else None
            diffs.append(compare(specs[rel], old, read_csv_text(stage / rel, rel), f"data/raw/{rel}"))
    if not any(d.changed for d in diffs) and not warnings:
        return Outcome(
            EXIT_OK,
            notes
            + [f"refresh: no difference from the committed extracts ({len(diffs)} files compared); nothing was changed"],
            diffs=diffs,
        )
    generated = now.strftime("%Y-%m-%d %H:%M UTC")
    report = render_diff_report(diffs, warnings, notes, changed_files, source_dir.name, generated, accept)
    t = totals(diffs)
    summary = (
        f"refresh: {t.extracts_changed} extract file(s) changed: {t.rows_added} row(s) added, "
        f"{t.rows_removed} removed, {t.values_revised} value(s) revised, {t.markers_changed} marker(s) "
        f"changed, {t.columns_added} column(s) added, {t.columns_dropped} dropped; "
        f"{len(warnings)} new plausibility warning(s)"
    )
    lines = notes + [f"warning: {w}" for w in warnings] + [summary]
    target = out_dir / REPORT_NAME
    if accept is None:
        write_atomically({target: report})
        lines.append(
            f"refresh: diff report written to {target}; NOTHING WAS PUBLISHED: review the report, then "
            'run again with --accept "REASON" to publish'
        )
        return Outcome(EXIT_REVIEW, lines, diffs=diffs, warnings=warnings, report=target)
    files = {
        raw_dir / rel: content
        for rel, content in rendered.items()
        if not ((raw_dir / rel).exists() and (raw_dir / rel).read_bytes() == content)
    }
    line = {
        "refreshed_at_utc": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "source_files": "; ".join(f"{name} sha256:{sha}" for name, sha in read),
        "warnings": len(warnings),
        "reason": " ".join(accept.split()),
        **{k: getattr(t, k) for k in HISTORY_COLUMNS[2:9]},
    }
    write_atomically({**files, target: report, history: _history_bytes(history, line)})
    lines.append(
        f"refresh: accepted ({accept.strip()!r}); published {len(files)} file(s) under {raw_dir}, "
        f"history line appended to {history}, report in {target}"
    )
    return Outcome(EXIT_OK, lines, diffs=diffs, warnings=warnings, report=target, published=sorted(files))
