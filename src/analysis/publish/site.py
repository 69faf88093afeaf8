"""The published site's state: manifest, build cache, index page and log."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from analysis.data.fileio import write_atomically
from analysis.publish.model import COMMITTEE_TEMPLATE, LOG, Outcome


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


def write_json(path: Path, data: dict[str, Any]) -> None:
    write_if_changed(path, (json.dumps(data, indent=1, sort_keys=True) + "\n").encode("utf-8"))


def write_if_changed(path: Path, content: bytes) -> None:
    """Atomic write, skipped when the bytes are already there (a no-change build touches nothing)."""
    if not path.is_file() or path.read_bytes() != content:
        write_atomically({path: content})


def coverage_summary(coverage: list[list[Any]], years: int) -> str:
    """'Every year: cin, referrals. Some years: workforce 6 of 11. No data: ...', for the index."""
    parts = []
    for label, test in (
        ("Every year", lambda n: n == years),
        ("Some years", lambda n: 0 < n < years),
        ("No data", lambda n: n == 0),
    ):
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
        rows.append(
            {
                "href": key,
                "area": entry["area"],
                "la_code": entry["la_code"],
                "title": entry["title"],
                "period": f"{entry['start_year']} to {entry['end_year']}",
                "sn_model": entry["sn_model"],
                "coverage": coverage_summary(entry["coverage"], span),
                "built": entry["built"],
            }
        )
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(COMMITTEE_TEMPLATE),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    html = env.get_template("site_index.html.j2").render(
        rows=rows, areas=len({r["area"] for r in rows}), latest=max((r["built"] for r in rows), default="")
    )
    return html.encode("utf-8")


def log_outcomes(out_dir: Path, outcomes: list[Outcome]) -> None:
    """Append one tab-separated line per report: time, status, page, seconds, reason."""
    if not outcomes:
        return
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    with open(out_dir / LOG, "a", encoding="utf-8") as fh:
        for o in outcomes:
            fh.write(f"{now}\t{o.status}\t{o.key}\t{o.seconds:.1f}s\t{' '.join(o.message.split())}\n")
