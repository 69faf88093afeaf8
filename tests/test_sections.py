"""The section contract: everything a notebook shows is a ``Section``; the data behind it needs no IPython.

The notebooks are read as they are committed (``tools/make_notebooks.py`` writes them; see
tests/test_notebook_source.py): each code cell's last expression is what the report shows. Those
expressions are run here, in this process, on the context the notebook's own setup cell builds.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import typing
from pathlib import Path

import matplotlib.pyplot as plt
import nbformat
import pandas as pd
import pytest

from analysis import paths, report
from analysis.present import charts, event_charts, stat_charts
from analysis.present.html import Chart, Section

pytestmark = pytest.mark.usefixtures("processed")

NOTEBOOKS = sorted(paths.NOTEBOOKS.glob("*.ipynb"))


def _cells(path: Path) -> list[str]:
    return [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


def _shown(source: str) -> ast.expr | None:
    """The expression a code cell displays: its last statement, when that is an expression."""
    body = ast.parse(source).body
    return body[-1].value if body and isinstance(body[-1], ast.Expr) else None


def _section_calls(path: Path) -> list[tuple[str, str]]:
    """(function name, expression) for every ``report.f(...)`` a notebook's cells display."""
    out = []
    for source in _cells(path)[2:]:  # after the parameters and setup cells
        shown = _shown(source)
        assert isinstance(shown, ast.Call), f"{path.name}: a cell shows something other than a report call: {source!r}"
        func = shown.func
        assert isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "report", source
        out.append((func.attr, ast.unparse(shown)))
    return out


def test_every_notebook_shows_only_public_report_sections():
    called = {name for path in NOTEBOOKS for name, _ in _section_calls(path)}
    assert called and called <= set(report.__all__), sorted(called - set(report.__all__))
    for name in called:
        assert typing.get_type_hints(getattr(report, name))["return"] is Section, name


def test_no_public_report_function_hands_out_a_bare_chart_or_html():
    """A chart reaches a notebook inside a Section; data-layer functions return frames, lists and text."""
    for name in report.__all__:
        obj = getattr(report, name)
        if not callable(obj) or isinstance(obj, type):
            continue
        returned = typing.get_type_hints(obj).get("return")
        parts = set(typing.get_args(returned)) | {returned}
        assert Chart not in parts and not any(getattr(p, "__name__", "") == "HTML" for p in parts), name


@pytest.fixture(scope="module")
def notebook_namespace() -> dict:
    """What a notebook's kernel holds after its parameters and setup cells, run here (the default set: Blackpool)."""
    namespace: dict = {}
    for source in _cells(NOTEBOOKS[0])[:2]:
        exec(compile(source, "<notebook setup>", "exec"), namespace)
    return namespace


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_displayed_cell_returns_a_section(path: Path, notebook_namespace: dict, monkeypatch):
    # The figures are laid out but not rasterised: what is checked here is what each cell returns
    # (the real pages, pixels included, are checked by the builds in tests/test_notebooks.py).
    for module in (charts, event_charts, stat_charts):
        monkeypatch.setattr(module, "to_png", lambda fig: plt.close(fig) or b"PNG")
    for _name, expression in _section_calls(path):
        shown = eval(expression, dict(notebook_namespace))
        assert isinstance(shown, Section), f"{path.name}: {expression} returned {type(shown).__name__}"
        assert shown._repr_html_() == shown.html and shown.html.strip(), expression
        for chart in shown.charts:
            assert chart.alt and chart.png


def test_a_section_holds_its_charts_in_order_and_adds_up():
    one = Chart("One", b"png", "alt one", "source", pd.DataFrame({"a": [1]}), "caption")
    two = Chart("Two", b"png", "alt two", "source", pd.DataFrame({"a": [2]}), "caption")
    section = Section.of("<p>first</p>", one, Section.of(two), "<p>last</p>")
    assert [c.title for c in section.charts] == ["One", "Two"]
    assert section.html.startswith("<p>first</p><figure") and section.html.endswith("<p>last</p>")
    assert section.html.index('alt="alt one"') < section.html.index('alt="alt two"')
    assert Section.of(one).chart is one
    with pytest.raises(LookupError, match="holds 2 charts"):
        _ = section.chart
    with pytest.raises(LookupError, match="holds 0 charts"):
        _ = Section("<p>notice</p>").chart
    assert "<p>" not in repr(section) and "'One', 'Two'" in repr(section)


def test_the_report_and_its_data_layer_run_without_ipython():
    """Sections are shown through _repr_html_, so nothing in the package needs IPython to build or test them."""
    code = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name == "IPython" or name.startswith("IPython."):
            raise ImportError("IPython is blocked in this test")
sys.meta_path.insert(0, Block())
from analysis import report
ctx = report.context("890", 2020, 2022)
assert len(report.scorecard_frame(ctx)) and report.key_findings_list(ctx) and report.five_answers_list(ctx)
assert report.trend(ctx, "caseload").chart.table is not None and report.coverage(ctx).html
assert not any(m.startswith("IPython") for m in sys.modules)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
