"""Property-based: however an extract is corrupted, the tools answer with a list of problems, never a crash.

Random byte flips, truncation, cells replaced by random text, numbers or markers, duplicated rows
and deleted columns, applied to real extracts. Loading either returns a frame that keeps every
promise of its declaration or raises ``DataError``; ``python -m analysis validate`` returns 0 or 2
and agrees with loading; a build from corrupted extracts publishes nothing.

For speed the other extracts are cut to their first rows (a "slim" copy of data/raw, still valid);
the corrupted file itself is whole. Examples are bounded and derandomized so CI is repeatable.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from analysis import paths
from analysis.cli import main
from analysis.data.load import load, validate_all
from analysis.data.markers import MARKERS
from analysis.data.registry import all_specs
from analysis.data.schema import NON_NEGATIVE_KINDS
from analysis.errors import DataError

SLIM_ROWS = 40
KEEP_WHOLE = {"sources.csv", "official/areas.csv"}
SETTINGS = dict(deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def slim(tmp_path_factory) -> Path:
    """data/raw with every extract but the registry and areas cut to its first rows."""
    raw = tmp_path_factory.mktemp("slim") / "raw"
    shutil.copytree(paths.DATA_RAW, raw)
    for spec in all_specs().values():
        if spec.path not in KEEP_WHOLE:
            path = raw / spec.path
            lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
            path.write_text("".join(lines[: SLIM_ROWS + 1]), encoding="utf-8")
    assert validate_all(raw) == []
    return raw


@contextlib.contextmanager
def copy_with(slim: Path, rel: str, content: bytes) -> Iterator[Path]:
    """A fresh copy of the slim folder with ``rel`` replaced (a new path each time: no stale caches)."""
    with tempfile.TemporaryDirectory(prefix="corrupt-") as tmp:
        raw = Path(tmp) / "raw"
        shutil.copytree(slim, raw)
        (raw / rel).write_bytes(content)
        yield raw


# ---------------------------------------------------------------- corruptions

odd_cells = st.sampled_from(
    [
        "",
        " ",
        '"',
        '""',
        ",",
        "\n",
        "\r\n",
        "\x00",
        "\ufeff",
        "1,000",
        "17/01/2019",
        "2019-01-17 00:00:00",
        "E06000009",
        "E99999999",
        "-1",
        "101",
        "1e400",
        "NaN",
        "<script>alert(1)</script>",
        "=SUM(A1:A2)",
        "true",
        "0x10",
    ]
)
cell_values = st.one_of(
    odd_cells,
    st.sampled_from(sorted(MARKERS)),
    st.integers(-(10**12), 10**12).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=12),
)


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8", errors="replace"), newline="")))


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


@st.composite
def corrupt(draw, data: bytes) -> bytes:
    """Apply one to three random corruptions to the bytes of a CSV file."""
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["flip", "truncate", "insert", "cell", "duplicate_row", "delete_column", "delete_row"]))
        if kind == "flip" and data:
            buf = bytearray(data)
            for pos in draw(st.lists(st.integers(0, len(buf) - 1), min_size=1, max_size=8)):
                buf[pos] = draw(st.integers(0, 255))
            data = bytes(buf)
        elif kind == "truncate":
            data = data[: draw(st.integers(0, len(data)))]
        elif kind == "insert":
            pos = draw(st.integers(0, len(data)))
            data = data[:pos] + draw(st.binary(min_size=1, max_size=6)) + data[pos:]
        else:
            rows = _rows(data)
            if not rows:
                continue
            r = draw(st.integers(0, len(rows) - 1))
            if kind == "cell" and rows[r]:
                rows[r][draw(st.integers(0, len(rows[r]) - 1))] = draw(cell_values)
            elif kind == "duplicate_row":
                rows.insert(draw(st.integers(0, len(rows))), list(rows[r]))
            elif kind == "delete_row":
                del rows[r]
            elif kind == "delete_column" and rows[0]:
                c = draw(st.integers(0, len(rows[0]) - 1))
                rows = [row[:c] + row[c + 1 :] for row in rows]
            data = _csv(rows)
    return data


def original(rel: str) -> bytes:
    return (paths.DATA_RAW / rel).read_bytes()


def keeps_its_promises(name: str, frame: pd.DataFrame) -> None:
    """What a loaded frame guarantees, whatever the file looked like."""
    spec = all_specs()[name]
    assert list(frame.columns) == spec.column_names()
    assert not frame.duplicated(list(spec.key)).any()
    for col in spec.columns:
        values = frame[col.name].dropna()
        if col.kind in NON_NEGATIVE_KINDS:
            assert (values >= 0).all(), col.name
        if col.kind == "pct":
            assert (values <= 100).all(), col.name
        if col.kind == "date":
            assert values.str.fullmatch(r"\d{4}-\d{2}-\d{2}").all(), col.name
        if not (col.nullable or col.status):
            assert frame[col.name].notna().all(), col.name


def load_or_problems(name: str, raw: Path) -> pd.DataFrame | None:
    """The frame, or None after a DataError whose every problem names a file; anything else escapes."""
    try:
        frame = load(name, raw)
    except DataError as err:
        assert err.problems and all(p.file.startswith("data/raw/") and p.reason for p in err.problems)
        event(f"{name}: refused")
        return None
    keeps_its_promises(name, frame)
    event(f"{name}: loaded")
    return frame


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    """``main(argv)`` with its output captured (hypothesis examples cannot share pytest's capsys)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


# ---------------------------------------------------------------- properties


VISITS = "official/ofsted_visits.csv"
AREAS = "official/areas.csv"


@settings(max_examples=60, **SETTINGS)
@given(data=st.data())
def test_a_corrupted_extract_loads_or_raises_data_error(slim, data):
    content = data.draw(corrupt(original(VISITS)))
    with copy_with(slim, VISITS, content) as raw:
        load_or_problems("ofsted_visits", raw)


@settings(max_examples=30, **SETTINGS)
@given(data=st.data())
def test_a_corrupted_areas_file_never_crashes_what_depends_on_it(slim, data):
    """areas.csv is read first and checks every other file's area codes."""
    content = data.draw(corrupt(original(AREAS)))
    with copy_with(slim, AREAS, content) as raw:
        areas = load_or_problems("areas", raw)
        visits = load_or_problems("ofsted_visits", raw)
        assert (areas is None) <= (visits is None)  # nothing loads on top of a bad areas file


@settings(max_examples=10, **SETTINGS)
@given(data=st.data())
def test_validate_exits_0_or_2_and_agrees_with_load(slim, data):
    rel = data.draw(st.sampled_from([VISITS, AREAS, "local/events.csv"]))
    content = data.draw(corrupt(original(rel)))
    with copy_with(slim, rel, content) as raw:
        code, _, err = run_cli(["validate", "--raw-dir", str(raw)])
        assert code in (0, 2)
        name = next(s.name for s in all_specs().values() if s.path == rel)
        loaded = load_or_problems(name, raw)
        if rel == AREAS:  # areas.csv may load yet lose an area another file cites
            assert code == 2 if loaded is None else True, err
        else:
            assert (code == 0) == (loaded is not None), err
        event(f"validate exit {code}")
        if code == 2:
            assert "Traceback" not in err and err.rstrip().endswith("problem(s) found")


def _tree(out: Path) -> dict[str, str]:
    return {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


@settings(max_examples=2, **SETTINGS)
@given(data=st.data())
def test_a_build_from_a_corrupted_extract_publishes_nothing(slim, data, build_runner):
    content = data.draw(corrupt(original(VISITS)))
    with copy_with(slim, VISITS, content) as raw:
        assume(validate_all(raw))  # a corruption that happens to be valid would really build
        out = raw.parent / "reports"
        (out / "blackpool").mkdir(parents=True)
        (out / "blackpool" / "03_committee_report.html").write_text("<!DOCTYPE html><title>published</title>")
        (out / "index.html").write_text("<!DOCTYPE html><title>index</title>")
        before = _tree(out)
        code, _, err = run_cli(
            [
                "build",
                "--la",
                "890",
                "--out",
                str(out),
                "--raw-dir",
                str(raw),
                "--processed-dir",
                str(raw.parent / "processed"),
                "--notebooks",
                "03_committee_report",
                "--jobs",
                "1",
            ]
        )
        assert code == 2, err
        after = _tree(out)
        assert {k: v for k, v in after.items() if k in before} == before
        assert not (raw.parent / "processed" / "measures.csv").exists()
