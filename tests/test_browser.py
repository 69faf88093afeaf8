"""The committee reports as a reader's browser shows them: offline, error-free and accessible.

Each committee report of a real build (``committee_reports`` in conftest.py) is opened from file://
in headless Chromium -- Debian's /usr/bin/chromium driven by Playwright for Python; Playwright's own
browser download (``playwright install``) is never used -- with every request that is not file://
aborted and recorded. One visit per report collects everything; the tests below judge it.

Accessibility checks that can be automated (WCAG 2.2 AA where it says so): a language and a title,
headings in order from h1 without skipped levels, real alt text on every image, text contrast of at
least 4.5:1 for every visible piece of text against its computed background (1.4.3; applied to large
text too, which is stricter than the 3:1 WCAG asks of it), and no chart whose meaning is carried by
colour alone: every chart figure is followed by the table of its numbers.

Screenshots (full page and first viewport) go to reports/screenshots/ for a person to look at.
In CI (CI=true) a missing browser fails the test; elsewhere it skips, saying why.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from analysis import paths

CHROMIUM = Path(os.environ.get("ANALYSIS_CHROMIUM", "/usr/bin/chromium"))
FLAGS = [
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = paths.REPORTS / "screenshots"
VIEWPORT = {"width": 1280, "height": 800}
MIN_CONTRAST = 4.5
NBCONVERT_DEFAULT_ALT = "No description has been provided for this image"

# Runs in the page: everything the tests need, in one pass.
COLLECT = r"""
() => {
  const parse = (c) => {
    const m = c.match(/^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)$/);
    if (!m) return null;
    let a = m[4] === undefined ? 1 : (m[4].endsWith('%') ? parseFloat(m[4]) / 100 : parseFloat(m[4]));
    return [parseFloat(m[1]), parseFloat(m[2]), parseFloat(m[3]), a];
  };
  const over = (top, under) => [0, 1, 2].map(i => top[i] * top[3] + under[i] * (1 - top[3]));
  const lum = (rgb) => {
    const [r, g, b] = rgb.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let out = [255, 255, 255];  // the canvas
    for (const c of layers.reverse()) out = over(c, out);
    return out;
  };
  const visible = (el) => {
    const s = getComputedStyle(el);
    if (s.display === 'none' || s.visibility === 'hidden' || parseFloat(s.opacity) === 0) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0;
  };
  const contrast = [];
  const unparsed = [];
  for (const el of document.body.querySelectorAll('*')) {
    const text = Array.from(el.childNodes).filter(n => n.nodeType === 3).map(n => n.textContent).join('').trim();
    if (!text || !visible(el)) continue;
    const colour = parse(getComputedStyle(el).color);
    if (!colour) { unparsed.push(getComputedStyle(el).color); continue; }
    const bg = background(el);
    const fg = over(colour, bg);
    const [l1, l2] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    contrast.push({tag: el.tagName.toLowerCase(), cls: el.className || '', text: text.slice(0, 60),
                   ratio: (l1 + 0.05) / (l2 + 0.05), fg: getComputedStyle(el).color,
                   bg: 'rgb(' + bg.map(Math.round).join(', ') + ')'});
  }
  const figures = Array.from(document.querySelectorAll('figure')).map(f => {
    const next = f.nextElementSibling;
    const table = next && (next.tagName === 'TABLE' ? next : next.querySelector(':scope > table'));
    return {alt: (f.querySelector('img') || {}).alt || '', tableAfter: !!table,
            caption: table && table.caption ? table.caption.textContent.trim() : ''};
  });
  return {
    title: document.title,
    lang: document.documentElement.getAttribute('lang') || '',
    headings: Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6'))
      .map(h => [parseInt(h.tagName[1]), h.textContent.trim()]),
    images: Array.from(document.images).map(i => ({alt: i.getAttribute('alt'), width: i.naturalWidth,
                                                   complete: i.complete, src: i.src.slice(0, 30)})),
    scripts: document.scripts.length,
    contrast, unparsed, figures,
  };
}
"""


@dataclass
class Visit:
    """What one report looked like in the browser."""

    name: str
    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    page: dict = field(default_factory=dict)
    screenshots: list[Path] = field(default_factory=list)


def _need_browser():
    """The Playwright module, or a skip (fail in CI) naming what is missing."""
    problem = None
    if not CHROMIUM.exists():
        problem = f"{CHROMIUM} is missing (Debian package 'chromium'; .ci/run installs it)"
    else:
        try:
            from playwright import sync_api
        except ImportError:
            problem = "Playwright for Python is missing (pip install -e '.[test]')"
    if problem:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"the browser test must run in CI, but {problem}")
        pytest.skip(f"no headless browser: {problem}")
    return sync_api


def _router(visit: Visit):
    """Let file:// through; abort (and record) anything else before it leaves the machine."""

    def route(r) -> None:
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            visit.blocked.append(r.request.url[:200])
            r.abort()

    return route


def visit_reports(reports: list[Path], name_of, screenshots: Path | None) -> dict[str, Visit]:
    """Open each page from file:// with the network cut off; collect what a reader would meet."""
    sync_api = _need_browser()
    args = FLAGS + (["--no-sandbox"] if os.geteuid() == 0 else [])
    visits: dict[str, Visit] = {}
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile, sync_api.sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            headless=True,
            args=args,
            viewport=VIEWPORT,
            service_workers="block",
            accept_downloads=False,
        )
        try:
            for path in reports:
                visit = Visit(name_of(path))
                visits[visit.name] = visit

                page = context.new_page()
                page.route("**/*", _router(visit))
                page.on(
                    "request",
                    lambda req, visit=visit: (
                        None if req.url.startswith(("file:", "data:")) else visit.blocked.append(req.url[:200])
                    ),
                )
                page.on(
                    "console",
                    lambda msg, visit=visit: visit.console_errors.append(msg.text) if msg.type == "error" else None,
                )
                page.on("pageerror", lambda exc, visit=visit: visit.page_errors.append(str(exc)))
                page.on("dialog", lambda d, visit=visit: (visit.dialogs.append(d.message), d.dismiss()))
                page.goto(path.resolve().as_uri(), wait_until="load")
                page.evaluate("() => Promise.all(Array.from(document.images).map(i => i.decode().catch(() => null)))")
                visit.page = page.evaluate(COLLECT)
                if screenshots is not None:
                    screenshots.mkdir(parents=True, exist_ok=True)
                    stem = visit.name.replace("/", "-").removesuffix(".html")
                    for suffix, full in (("full", True), ("viewport", False)):
                        shot = screenshots / f"{stem}-{suffix}.png"
                        page.screenshot(path=str(shot), full_page=full)
                        visit.screenshots.append(shot)
                page.close()
        finally:
            context.close()
    return visits


@pytest.fixture(scope="module")
def visits(request) -> dict[str, Visit]:
    _need_browser()  # before building: no browser, no reason to build
    committee_reports: Path = request.getfixturevalue("committee_reports")
    reports = sorted(committee_reports.glob("*/03_committee_report.html"))
    assert reports, f"the build published no committee report in {committee_reports}"
    return visit_reports(reports, lambda p: p.relative_to(committee_reports).as_posix(), SCREENSHOTS)


# ---------------------------------------------------------------- what counts as a problem


def network_problems(v: Visit) -> list[str]:
    return [f"tried to fetch {url}" for url in dict.fromkeys(v.blocked)]


def runtime_problems(v: Visit) -> list[str]:
    out = [f"console error: {e}" for e in v.console_errors] + [f"page error: {e}" for e in v.page_errors]
    out += [f"opened a dialog: {d}" for d in v.dialogs]
    if v.page["scripts"]:
        out.append(f"has {v.page['scripts']} script(s)")
    return out


def image_problems(v: Visit) -> list[str]:
    """Images that did not decode, or whose alt text is missing, nbconvert's default or too short."""
    out = []
    for i in v.page["images"]:
        alt = (i["alt"] or "").strip()
        if not (i["complete"] and i["width"] > 0):
            out.append(f"image not decoded: {i['src']}")
        if not alt or alt == NBCONVERT_DEFAULT_ALT:
            out.append(f"image without real alt text: {i['src']}")
        elif len(alt.split()) < 5:
            out.append(f"alt text too short to describe a chart: {alt!r}")
    return out


def structure_problems(v: Visit) -> list[str]:
    """A language, a title, one h1 first, and no heading level skipped on the way down."""
    p = v.page
    out = [] if p["lang"].strip() else ["<html> has no lang"]
    out += [] if p["title"].strip() else ["empty <title>"]
    headings = p["headings"]
    levels = [level for level, _ in headings]
    if not levels or levels[0] != 1 or levels.count(1) != 1:
        out.append(f"expected one h1, first; headings are {levels}")
    out += [
        f"h{levels[i]} {headings[i][1]!r} is followed by h{levels[i + 1]} {headings[i + 1][1]!r}"
        for i in range(len(levels) - 1)
        if levels[i + 1] > levels[i] + 1
    ]
    out += [f"empty h{level}" for level, text in headings if not text]
    return out


def contrast_problems(v: Visit) -> list[str]:
    out = [f"colour the check cannot read: {c}" for c in v.page["unparsed"]]
    out += [
        f"{c['tag']} {c['text']!r}: {c['fg']} on {c['bg']} is {c['ratio']:.2f}:1"
        for c in v.page["contrast"]
        if c["ratio"] < MIN_CONTRAST
    ]
    return out


def chart_table_problems(v: Visit) -> list[str]:
    """Meaning is never carried by colour alone: each chart has its numbers in a table right after it."""
    return [
        f"chart without a captioned table right after it: {f['alt'][:80]!r}"
        for f in v.page["figures"]
        if not (f["tableAfter"] and f["caption"])
    ]


CHECKS = (network_problems, runtime_problems, image_problems, structure_problems, contrast_problems, chart_table_problems)


def _each(visits: dict[str, Visit]):
    assert visits
    return visits.items()


def test_every_committee_report_was_opened(visits):
    assert {name.split("/")[1] for name in visits} == {"03_committee_report.html"}
    assert len(visits) >= 2, sorted(visits)


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_report_passes(visits, check):
    for name, v in _each(visits):
        assert check(v) == [], f"{name}: {check(v)[:10]}"


def test_reports_show_their_charts_and_were_checked_throughout(visits):
    """Guards the checks themselves: they saw the charts and every kind of text in the page."""
    for name, v in _each(visits):
        assert len(v.page["images"]) >= 8 and len(v.page["figures"]) >= 8, name
        tags = {c["tag"] for c in v.page["contrast"]}
        assert {"h1", "h2", "p", "li", "a", "td", "th", "caption", "dt", "dd"} <= tags, f"{name}: only {tags}"


def test_screenshots_are_saved(visits):
    for name, v in _each(visits):
        assert len(v.screenshots) == 2, name
        for shot in v.screenshots:
            assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000, shot


BAD_PAGE = """<!DOCTYPE html><html><head><title></title>
<style>.faint { color: #999999; } .panel { background: rgba(0, 0, 0, 0.6); color: #444444; }</style></head>
<body><h1>Report</h1><h3>Skipped a level</h3>
<p class="faint">Grey on white</p><div class="panel"><p>Dark on dark</p></div>
<figure><img src="http://example.invalid/chart.png" alt=""></figure><p>No table here.</p>
<figure><img src="data:image/png;base64,AAAA" alt="No description has been provided for this image"></figure>
<script>console.error("boom")</script></body></html>"""


def test_checks_find_the_faults_of_a_bad_page(tmp_path):
    """A page with every fault: each check must notice (so a pass on the reports means something)."""
    page = tmp_path / "bad.html"
    page.write_text(BAD_PAGE, encoding="utf-8")
    v = visit_reports([page], lambda p: p.name, None)["bad.html"]
    assert network_problems(v) == ["tried to fetch http://example.invalid/chart.png"]
    assert "console error: boom" in runtime_problems(v) and "has 1 script(s)" in runtime_problems(v)
    assert len([p for p in image_problems(v) if p.startswith("image not decoded")]) == 2
    assert len([p for p in image_problems(v) if p.startswith("image without real alt text")]) == 2
    problems = structure_problems(v)
    assert "<html> has no lang" in problems and "empty <title>" in problems
    assert "h1 'Report' is followed by h3 'Skipped a level'" in problems
    low = contrast_problems(v)
    assert any("'Grey on white'" in p for p in low) and any("'Dark on dark'" in p for p in low), low
    assert not any("'Report'" in p for p in low), low
    assert len(chart_table_problems(v)) == 2
