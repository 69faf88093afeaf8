"""Run one report notebook and turn it into one checked, self-contained HTML page.

One in-process pipeline per report: papermill runs the notebook in a kernel over IPC sockets,
then a reused ``HTMLExporter`` with the ``committee`` template writes the page. The page hides
all code, loads nothing from the network, has a language, a title, a contents list and alt text
on every image. Anything wrong raises ``ReportError``; the caller never publishes a page that
failed, so a broken report cannot replace a good one.

The kernel (``analysis.publish.kernels``) is fresh for each report or one kept by the worker and
reset before each report; the page export and its checks are ``analysis.publish.export``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from analysis.publish.export import Page, Rendered, compile_template, to_html
from analysis.publish.kernels import ReusedKernel, execute, kernel_name, reused_kernel


def render_report(
    notebook: Path,
    parameters: dict[str, Any],
    page: Page,
    *,
    timeout: float | None,
    executed: Path,
    env: dict[str, str],
    kernel: ReusedKernel | None = None,
) -> Rendered:
    """Execute, check and export one report. Raises ReportError listing every problem found.

    With ``kernel``, the report runs in its kernel, which is replaced if anything goes wrong.
    """
    ok = False
    try:
        nb = execute(notebook, parameters, timeout=timeout, executed=executed, env=env, kernel=kernel)
        rendered = to_html(nb, page, fallback_title=notebook.stem)
        ok = True
        return rendered
    finally:
        if kernel is not None:
            kernel.release(ok)


def warm_up(kernel: tuple[Path, dict[str, str], str, float | None] | None = None) -> None:
    """Compile the template now (unless the fork server has), e.g. in a fresh worker while the build prepares the data.

    With ``kernel`` (working folder, environment, imports, timeout), also start this process's
    reused kernel and run the imports in it (about 2 s), so that its first report does not wait.
    """
    if kernel is None:
        compile_template()
    else:
        cwd, env, imports, timeout = kernel
        if not reused_kernel().start(kernel_name(), cwd, env, imports, timeout, meanwhile=compile_template):
            compile_template()
