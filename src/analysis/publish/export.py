"""Page export and checks: an executed notebook becomes one checked, self-contained HTML page.

The page hides all code, loads nothing from the network, has a language, a title, a contents list
and alt text on every image. Anything wrong raises ``ReportError``.
"""

from __future__ import annotations

import functools
import getpass
import re
import socket
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat
from bs4 import BeautifulSoup, Tag
from nbconvert import HTMLExporter

from analysis import paths
from analysis.publish.model import ReportError

TEMPLATES = Path(__file__).parents[1] / "templates"

# What nbconvert writes into an <img> that has no alt attribute: treated as missing.
NBCONVERT_DEFAULT_ALT = "No description has been provided for this image"
# Resource attributes that would make a browser fetch something (links in <a> are just links).
FETCHING_ATTRIBUTES = ("src", "href", "srcset", "data", "poster", "action")


@dataclass(frozen=True)
class Page:
    """What the page says about itself beyond the notebook: passed in, never read from the clock.

    ``facts`` are (label, value) pairs for the footer, e.g. ("Period", "2012 to 2022");
    ``built`` is the build time the caller chose, so two builds of the same inputs are identical.
    """

    area: str
    facts: tuple[tuple[str, str], ...]
    built: str


@dataclass(frozen=True)
class Rendered:
    """A page that passed every check, with its <title> and number of images for the log."""

    html: str
    title: str
    images: int


def to_html(nb: nbformat.NotebookNode, page: Page, fallback_title: str) -> Rendered:
    """The checked page for an executed notebook (which is tidied in place)."""
    problems = notebook_problems(nb)
    tidy(nb)
    html, _ = _exporter().from_notebook_node(nb, resources={"page": page})
    soup = BeautifulSoup(html, "html.parser")
    title = _set_title(soup, nb.metadata.get("title"), fallback_title, page.area)
    _add_contents(soup)
    min_images = int(nb.metadata.get("analysis", {}).get("min_images", 0))
    problems += page_problems(soup, min_images)
    out = str(soup)
    problems += leak_problems(out)
    if problems:
        raise ReportError("; ".join(problems))
    return Rendered(html=out, title=title, images=len(soup.find_all("img")))


def notebook_problems(nb: nbformat.NotebookNode) -> list[str]:
    """Errors, tracebacks and images without alt text in an executed notebook."""
    problems = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                problems.append(f"cell {i} has an error output ({out.ename}: {out.evalue})")
            elif out.output_type == "stream" and "Traceback (most recent call last)" in out.text:
                problems.append(f"cell {i} printed a traceback")
            elif "image/png" in out.get("data", {}) and not out.metadata.get("image/png", {}).get("alt"):
                problems.append(f"cell {i} has an image/png output without alt text")
    return problems


def tidy(nb: nbformat.NotebookNode) -> None:
    """Make the export reproducible and quiet: fixed cell ids, no timings, no stderr (warnings)."""
    nb.metadata.pop("papermill", None)
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i}"
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if not (o.output_type == "stream" and o.name == "stderr")]


def page_problems(soup: BeautifulSoup, min_images: int) -> list[str]:
    """What would make the page inaccessible, incomplete or dependent on the network."""
    problems = []
    if not (soup.html and soup.html.get("lang")):
        problems.append("page has no lang attribute")
    images = soup.find_all("img")
    missing = [img for img in images if img.get("alt", "").strip() in ("", NBCONVERT_DEFAULT_ALT)]
    if missing:
        problems.append(f"{len(missing)} image(s) without alt text")
    if len(images) < min_images:
        problems.append(f"expected at least {min_images} chart(s), found {len(images)}")
    if soup.find("script"):
        problems.append("page contains a script")
    for el in soup.find_all(True):
        if any(attr.startswith("on") for attr in el.attrs):
            problems.append(f"<{el.name}> has an inline event handler (a script)")
        for attr in FETCHING_ATTRIBUTES:
            value = el.get(attr)
            if el.name != "a" and isinstance(value, str) and not value.startswith(("data:", "#")):
                problems.append(f'<{el.name} {attr}="{value[:60]}"> loads a resource from outside the page')
    for css in [s.get_text() for s in soup.find_all("style")] + [el["style"] for el in soup.find_all(style=True)]:
        if re.search(r"@import|url\(\s*['\"]?(?!data:|#)", css):
            problems.append("a stylesheet loads a resource from outside the page")
    return problems


def leak_problems(html: str) -> list[str]:
    """Local absolute paths, the user name or the host name anywhere in the page (images aside)."""
    text = re.sub(r"data:[^\"')\s]+", "", html)
    found = [f"page contains a local path ({p})" for p in _local_paths() if re.search(re.escape(p) + r"(?![\w.-])", text)]
    user = re.escape(getpass.getuser())
    if re.search(rf"(?:[/\\]{user}[/\\]|\b{user}@)", text):
        found.append("page contains the user name")
    host = socket.gethostname()
    for name in {host, host.split(".")[0]} - {"localhost", ""}:
        if re.search(rf"\b{re.escape(name)}\b", text):
            found.append("page contains the host name")
            break
    return found


@functools.cache
def _local_paths() -> tuple[str, ...]:
    candidates = {paths.REPO_ROOT, Path.home(), Path(tempfile.gettempdir()), Path.cwd()}
    resolved = {str(p.resolve()) for p in candidates} | {str(p) for p in candidates}
    return tuple(sorted(p for p in resolved if len(p) > 1))


def _set_title(soup: BeautifulSoup, metadata_title: str | None, fallback: str, area: str) -> str:
    """<title>: the notebook's metadata title, else its first h1, else ``fallback``; naming the area."""
    h1 = soup.main.find("h1") if soup.main else None
    title = " ".join((metadata_title or (h1.get_text(" ", strip=True) if h1 else fallback)).split())
    if area and area not in title:
        title = f"{title}: {area}"
    soup.title.string = title
    return title


def _add_contents(soup: BeautifulSoup) -> None:
    """Give every h2/h3 an id and list them in <nav aria-label="Contents"> right after the h1."""
    main = soup.main
    headings = main.find_all(["h2", "h3"]) if main else []
    if not headings:
        return
    taken = {el["id"] for el in soup.find_all(id=True)}
    nav = soup.new_tag("nav", attrs={"aria-label": "Contents", "class": "contents"})
    label = soup.new_tag("p", attrs={"class": "contents-title"})
    label.string = "Contents"
    top = soup.new_tag("ol")
    nav.extend([label, top])
    sub: Tag | None = None
    for h in headings:
        text = " ".join(h.get_text(" ", strip=True).split())
        if not h.get("id"):
            h["id"] = _unique_id(text, taken)
        item = soup.new_tag("li")
        link = soup.new_tag("a", href=f"#{h['id']}")
        link.string = text
        item.append(link)
        if h.name == "h3" and top.contents:  # an h3 nests under the h2 before it
            if sub is None:
                sub = soup.new_tag("ol")
                top.contents[-1].append(sub)
            sub.append(item)
        else:
            top.append(item)
            sub = None
    h1 = main.find("h1")
    if h1:
        h1.insert_after(nav)
    else:
        main.insert(0, nav)


def _unique_id(text: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


@functools.cache
def _exporter() -> HTMLExporter:
    """One exporter per process: its template is compiled once and reused for every report."""
    return HTMLExporter(
        template_name="committee",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
        exclude_anchor_links=True,
        language_code="en",
        optimistic_validation=True,  # validate once, not after each of its 12 preprocessors (same page)
        # The template loads none of these; blanking them too means no code path can.
        require_js_url="",
        mathjax_url="",
        mermaid_js_url="",
        mermaid_layout_elk_js_url="",
        jquery_url="",
        jupyter_widgets_base_url="",
        widget_renderer_url="",
        html_manager_semver_range="",
    )


def compile_template() -> None:
    """Export an empty page, so that the exporter has compiled its template (0.5 s the first time)."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Warm-up")])
    _exporter().from_notebook_node(nb, resources={"page": Page(area="", facts=(), built="")})
