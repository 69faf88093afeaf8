"""Run one report notebook and turn it into one checked, self-contained HTML page.

One in-process pipeline per report: papermill runs the notebook in a fresh kernel over IPC
sockets, then a reused ``HTMLExporter`` with the ``committee`` template writes the page. The
page hides all code, loads nothing from the network, has a language, a title, a contents list
and alt text on every image. Anything wrong raises ``ReportError``; the caller never publishes
a page that failed, so a broken report cannot replace a good one.
"""

from __future__ import annotations

import contextlib
import functools
import getpass
import math
import os
import re
import signal
import socket
import tempfile
import threading
import time
import uuid
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import nbformat
from bs4 import BeautifulSoup, Tag
from jupyter_client.manager import AsyncKernelManager
from nbconvert import HTMLExporter

from analysis import paths

TEMPLATES = Path(__file__).parent / "templates"
KERNEL = "analysis"
# What nbconvert writes into an <img> that has no alt attribute: treated as missing.
NBCONVERT_DEFAULT_ALT = "No description has been provided for this image"
# Resource attributes that would make a browser fetch something (links in <a> are just links).
FETCHING_ATTRIBUTES = ("src", "href", "srcset", "data", "poster", "action")


class ReportError(Exception):
    """A report failed to run or failed a check; the message says why, for the build log."""


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


class IPCKernelManager(AsyncKernelManager):
    """A kernel on IPC sockets with a unique connection file (the papermill #511 fix).

    Kernels started at the same time over TCP can race for the same port ("Address already in
    use"); socket files named by a fresh uuid cannot collide. Instances are remembered so that
    the wall-clock watchdog can kill a hung kernel.
    """

    live: ClassVar[weakref.WeakSet[IPCKernelManager]] = weakref.WeakSet()

    def __init__(self, **kwargs: Any) -> None:
        kernel_id = uuid.uuid4().hex
        connection_file = os.path.join(tempfile.gettempdir(), f"analysis-kernel-{kernel_id}.json")
        super().__init__(transport="ipc", kernel_id=kernel_id, connection_file=connection_file, **kwargs)
        IPCKernelManager.live.add(self)

    @classmethod
    def kill_all(cls) -> None:
        """SIGKILL every running kernel this process started (each leads its own process group)."""
        for km in list(cls.live):
            pgid = getattr(km.provisioner, "pgid", None) if km.has_kernel else None
            if pgid:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(pgid, signal.SIGKILL)


@functools.cache
def kernel_name() -> str:
    """The project's kernel (``make setup`` installs it) or, failing that, the env's python3."""
    from jupyter_client.kernelspec import KernelSpecManager

    return KERNEL if KERNEL in KernelSpecManager().find_kernel_specs() else "python3"


def execute(notebook: Path, parameters: dict[str, Any], *, timeout: float, executed: Path,
            env: dict[str, str]) -> nbformat.NotebookNode:
    """Run ``notebook`` with ``parameters`` in a fresh kernel; write the executed copy to ``executed``.

    The kernel inherits this process's environment plus ``env`` (e.g. ANALYSIS_RAW_DIR, so the
    notebook reads the extracts the build validated). papermill's per-cell timeout cannot stop
    a run that hangs outside a cell (papermill #711 hangs after the last one), so a watchdog
    kills the kernel once ``timeout`` seconds have passed since the start; nbclient then
    notices the dead kernel and returns.
    """
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    executed.parent.mkdir(parents=True, exist_ok=True)
    watchdog = threading.Timer(timeout, IPCKernelManager.kill_all)
    watchdog.daemon = True
    started = time.monotonic()
    watchdog.start()
    try:
        with _environ(env):
            return pm.execute_notebook(
                notebook, executed, parameters=parameters, kernel_name=kernel_name(), language="python",
                cwd=notebook.parent,
                request_save_on_cell_execute=False, progress_bar=False, log_output=False,
                start_timeout=math.ceil(min(60.0, timeout)), execution_timeout=math.ceil(timeout),
                kernel_manager_class=IPCKernelManager, record_timing=False,
                # Every output is in by now and the kernel is thrown away: kill it rather than wait
                # for a graceful exit (0.3 s a report, and up to 5 s when the kernel is slow to go).
                shutdown_kernel="immediate")
    except PapermillExecutionError as exc:
        raise ReportError(f"cell {exc.cell_index} raised {exc.ename}: {exc.evalue}") from None
    except Exception as exc:
        if time.monotonic() - started >= timeout:
            raise ReportError(f"timed out after {timeout:g} s; kernel killed") from None
        raise ReportError(f"execution failed: {type(exc).__name__}: {exc}") from None
    finally:
        watchdog.cancel()


@contextlib.contextmanager
def _environ(env: dict[str, str]) -> Iterator[None]:
    """Set ``env`` in os.environ while papermill starts the kernel (which inherits it), then restore it."""
    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def render_report(notebook: Path, parameters: dict[str, Any], page: Page, *, timeout: float,
                  executed: Path, env: dict[str, str]) -> Rendered:
    """Execute, check and export one report. Raises ReportError listing every problem found."""
    nb = execute(notebook, parameters, timeout=timeout, executed=executed, env=env)
    return to_html(nb, page, fallback_title=notebook.stem)


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
                problems.append(f"<{el.name} {attr}=\"{value[:60]}\"> loads a resource from outside the page")
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
        template_name="committee", extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
        embed_images=True, exclude_anchor_links=True, language_code="en",
        # The template loads none of these; blanking them too means no code path can.
        require_js_url="", mathjax_url="", mermaid_js_url="", mermaid_layout_elk_js_url="",
        jquery_url="", jupyter_widgets_base_url="", widget_renderer_url="", html_manager_semver_range="",
    )


def warm_up() -> None:
    """Import papermill and compile the template now (about 2.5 s), e.g. in a fresh worker."""
    import papermill  # noqa: F401

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Warm-up")])
    _exporter().from_notebook_node(nb, resources={"page": Page(area="", facts=(), built="")})

