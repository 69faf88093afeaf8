"""Reports are safe to share: text from data stays text, nothing local leaks, small numbers stay hidden.

Two real builds of the committee report: the shared one (``committee_reports``: Blackpool and the
Isles of Scilly on the committed extracts) and, here, Blackpool built from a copy of the extracts
in which its name, a director's name, a quoted figure's description and a source's title carry
markup and script (a javascript: URL in sources.csv is refused by validation: see
test_bad_inputs.py). Every published file of an out folder is what a council would put on an
intranet, so all of it (pages, index, manifest, log) is checked for local paths and user or host
names.
"""

from __future__ import annotations

import csv
import getpass
import io
import re
import shutil
import socket
import sys
import tempfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from analysis import paths
from analysis.measures.processed import read_processed

AREA = "E06000009"  # Blackpool
SCRIPT = "<script>alert(1)</script>"
INJECTED_NAME = f"Blackpool{SCRIPT}"
PERSON = "<img src=x onerror=alert(2)>Sue Harrison"
DESCRIPTION = "</td></tr></table><script>alert(3)</script> quoted figure"
SOURCE_TITLE = "<b onmouseover=alert(4)>Inspection outcomes</b>"
SOURCE_ID = "ofsted-outcomes-2025"  # listed under Sources in every committee report
SUPPRESSED_AREA = "E06000053"  # Isles of Scilly: one of conftest.COMMITTEE_LAS


def _rewrite(path: Path, change) -> int:
    """Apply ``change(row: dict) -> bool`` to every data row of a CSV; returns how many rows changed."""
    text = path.read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    header = list(rows[0])
    changed = sum(bool(change(row)) for row in rows)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return changed


def inject(raw: Path) -> None:
    """Markup and script in every place the Blackpool committee report takes text from."""

    def name(row: dict) -> bool:
        hit = False
        for code, col in (("area_code", "area_name"), ("neighbour_area_code", "neighbour_name")):
            if row.get(code) == AREA and col in row:
                row[col] = INJECTED_NAME
                hit = True
        return hit

    for csv_path in sorted((raw / "official").glob("*.csv")):
        _rewrite(csv_path, name)
    assert _rewrite(raw / "local/events.csv", _setter("event_id", "dcs-2012-05-harrison", person=PERSON)) == 1
    assert (
        _rewrite(
            raw / "local/quoted_figures.csv", _setter("figure_id", "qf-2020-01-sw-vacancies-31", description=DESCRIPTION)
        )
        == 1
    )
    assert _rewrite(raw / "sources.csv", _setter("source_id", SOURCE_ID, title=SOURCE_TITLE)) == 1


def _setter(key: str, value: str, **new: str):
    """A ``change`` for _rewrite: set ``new`` in the row whose ``key`` is ``value``."""

    def change(row: dict) -> bool:
        if row[key] != value:
            return False
        row.update(new)
        return True

    return change


@pytest.fixture(scope="module")
def injected(build_runner, tmp_path_factory) -> Path:
    """The Blackpool committee report built from the injected copy; returns the out folder."""
    base = tmp_path_factory.mktemp("injected")
    raw = base / "raw"
    shutil.copytree(paths.DATA_RAW, raw)
    inject(raw)
    out = base / "reports"
    done = build_runner(
        out,
        "--la",
        "890",
        "--notebooks",
        "03_committee_report",
        "--jobs",
        "1",
        raw_dir=raw,
        processed_dir=base / "processed",
    )
    assert done.returncode == 0, f"build of the injected copy failed (exit {done.returncode}):\n{done.stderr}"
    return out


def _page(out: Path) -> tuple[str, BeautifulSoup]:
    pages = sorted(out.glob("*/03_committee_report.html"))
    assert len(pages) == 1, pages
    html = pages[0].read_text(encoding="utf-8")
    return html, BeautifulSoup(html, "html.parser")


def _script_like(soup: BeautifulSoup) -> list[str]:
    """Elements a browser would run: <script>, inline handlers, and javascript: links."""
    found = [f"<script> {s.get_text()[:40]!r}" for s in soup.find_all("script")]
    for el in soup.find_all(True):
        found += [f"<{el.name} {a}=...>" for a in el.attrs if a.lower().startswith("on")]
        for attr in ("href", "src", "action", "formaction"):
            value = el.get(attr)
            scheme = re.sub(r"[\s\x00-\x1f]", "", value).lower() if isinstance(value, str) else ""
            if scheme.startswith(("javascript:", "vbscript:")):
                found.append(f"<{el.name} {attr}={value!r}>")
    return found


def test_markup_in_names_and_descriptions_renders_as_text(injected: Path):
    html, soup = _page(injected)
    assert _script_like(soup) == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # the name is shown, escaped
    assert soup.find("h1").get_text().startswith(INJECTED_NAME)
    assert INJECTED_NAME in soup.title.get_text()
    text = soup.get_text()
    for shown in (PERSON, "<script>alert(3)</script> quoted figure", SOURCE_TITLE):
        assert shown in text, f"{shown!r} is not shown as text"
    index = BeautifulSoup((injected / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert _script_like(index) == [] and INJECTED_NAME in index.get_text()


def test_a_link_is_made_only_for_a_web_address():
    """Behind validation, the page itself never turns a javascript: or data: address into a link."""
    from analysis.present.html import links_list

    soup = BeautifulSoup(
        links_list(
            [
                ("a", "javascript:alert(5)", ""),
                ("b", " JavaScript:alert(6)", ""),
                ("c", "data:text/html,<script>alert(7)</script>", ""),
                ("d", "https://www.gov.uk/", ""),
            ]
        ),
        "html.parser",
    )
    assert _script_like(soup) == []
    assert [a["href"] for a in soup.find_all("a")] == ["https://www.gov.uk/"]


# ---------------------------------------------------------------- nothing local in what is published


def _published(out: Path) -> list[Path]:
    """Everything in the out folder a council would copy to share it (not the lock or the work folder)."""
    from analysis.publish.model import LOCK, WORK

    files = [p for p in sorted(out.rglob("*")) if p.is_file()]
    return [p for p in files if p.name != LOCK and p.relative_to(out).parts[0] != WORK]


def _leak_patterns(*extra_dirs: Path) -> list[tuple[str, re.Pattern]]:
    dirs = {
        paths.REPO_ROOT,
        paths.REPO_ROOT.parent,
        Path.home(),
        Path(tempfile.gettempdir()),
        Path.cwd(),
        Path(sys.prefix),
        *extra_dirs,
    }
    texts = sorted({str(d) for d in dirs} | {str(d.resolve()) for d in dirs}, key=len, reverse=True)
    out = [(f"local path {t}", re.compile(r"(?<![\w.:/-])" + re.escape(t) + r"(?![\w.-])")) for t in texts if len(t) > 1]
    out.append(
        (
            "a home, root, temporary or work folder",
            re.compile(r"(?<![\w.:/-])/(?:home|root|tmp|work|Users|var/folders|private/tmp)/"),
        )
    )
    out.append(("a Windows user folder", re.compile(r"[A-Za-z]:\\+(?:Users|Documents and Settings)\\", re.I)))
    out.append(("a file:// URL", re.compile(r"file:/", re.I)))
    user = re.escape(getpass.getuser())
    out.append(("the user name", re.compile(rf"(?<![\w.:/-])/(?:home/)?{user}(?:/|\b)|\b{user}@[\w-]")))
    host = socket.gethostname().split(".")[0]
    if host and host != "localhost":
        bare = rf"|\b{re.escape(host)}\b" if len(host) >= 6 else ""  # a short name ("vm") is a common word
        out.append(("the host name", re.compile(rf"@{re.escape(host)}\b|\b{re.escape(host)}:\d{bare}")))
    return out


def leaks(text: str, patterns) -> list[str]:
    text = re.sub(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=]+", "data:...", text)  # image bytes are not text
    return [
        f"{what}: ...{text[max(0, m.start() - 40) : m.end() + 40]}..."
        for what, rx in patterns
        for m in [rx.search(text)]
        if m
    ]


def test_published_files_contain_no_local_paths_user_or_host_names(committee_reports: Path, injected: Path):
    for out in (committee_reports, injected):
        patterns = _leak_patterns(out, out.parent)
        files = _published(out)
        assert any(p.suffix == ".html" for p in files) and (out / "index.html") in files
        found = {
            p.relative_to(out).as_posix(): leaks(p.read_text(encoding="utf-8", errors="replace"), patterns) for p in files
        }
        assert {k: v for k, v in found.items() if v} == {}


def test_leak_check_finds_what_it_looks_for():
    patterns = _leak_patterns()
    assert leaks(f"see {paths.REPO_ROOT}/data/raw", patterns)
    assert leaks("written to /tmp/pytest-1/x.html", patterns) and leaks("C:\\Users\\ana\\x.csv", patterns)
    assert leaks(f"by {getpass.getuser()}@buildhost", patterns)
    assert not leaks("https://www.gov.uk/work/tmp/root/ and data:image/png;base64,L3RtcC8vd29yay8=", patterns)


# ---------------------------------------------------------------- suppressed numbers stay suppressed


def test_a_suppressed_cell_shows_its_marker_not_a_number(committee_reports: Path):
    """The Isles of Scilly's child protection rate is suppressed (c) in several years: the table says so."""
    values = read_processed(committee_reports.parent / "processed" / "measures.csv")
    suppressed = values[
        (values["measure"] == "cp_rate")
        & (values["area_code"] == SUPPRESSED_AREA)
        & (values["status"] == "c")
        & values["year"].between(2012, 2022)
    ]
    years = sorted(str(y) for y in suppressed["year"])
    assert len(years) >= 3, "the Isles of Scilly should have suppressed cells in the committed extracts"
    page = committee_reports / "isles-of-scilly" / "03_committee_report.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    table = next(
        t
        for t in soup.find_all("table")
        if t.caption and t.caption.get_text().startswith("Children on child protection plans per 10,000")
    )
    header = [th.get_text(strip=True) for th in table.thead.find_all("th")]
    col = header.index("Isles of Scilly")
    cells = {
        tr.find_all(["td", "th"])[0].get_text(strip=True): tr.find_all(["td", "th"])[col].get_text(strip=True)
        for tr in table.tbody.find_all("tr")
    }
    for year in years:
        assert cells[year] == "c (suppressed)", f"{year}: {cells[year]!r}"
    shown = [y for y in cells if y not in years and cells[y] != "not available"]
    assert shown and all(re.fullmatch(r"[\d,.]+", cells[y]) for y in shown), cells
