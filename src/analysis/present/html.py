"""Small, escaped HTML fragments for notebook outputs: figures with alt text, tables, lists, and the ``Section``.

Every report section returns a ``Section``, which Jupyter shows through its ``_repr_html_`` (no
IPython import needed), so the rendered report carries its charts inline (base64 PNG), real alt
text, and a data table under each chart. Every string that comes from data goes through
``html.escape``: an area called "<script>" renders as text.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


@dataclass(frozen=True)
class Chart:
    """A rendered chart and everything a reader without sight of it needs."""

    title: str
    png: bytes
    alt: str
    source: str
    table: pd.DataFrame
    table_caption: str
    notes: tuple[str, ...] = ()

    def _repr_html_(self) -> str:
        return figure_html(self)

    def __repr__(self) -> str:
        """Short text form: the default would put the PNG bytes and the whole table in every output."""
        return f"Chart({self.title!r})"


@dataclass(frozen=True)
class Section:
    """What every report section returns: the HTML a notebook shows, and the charts drawn in it.

    ``html`` is escaped, ready to show; ``charts`` are the ``Chart``s it holds, in order, so a test or
    an analyst reaches each one's PNG, alt text and table. Build one with ``Section.of``.
    """

    html: str
    charts: tuple[Chart, ...] = ()

    @classmethod
    def of(cls, *parts: str | Chart | Section) -> Section:
        """The parts in order: an HTML fragment as it is, a chart as its figure and table, a section as its HTML."""
        text, charts = [], []
        for part in parts:
            if isinstance(part, Chart):
                text.append(figure_html(part))
                charts.append(part)
            elif isinstance(part, Section):
                text.append(part.html)
                charts.extend(part.charts)
            else:
                text.append(part)
        return cls("".join(text), tuple(charts))

    @property
    def chart(self) -> Chart:
        """The section's one chart. Raises LookupError when it holds none (a notice instead) or several."""
        if len(self.charts) != 1:
            raise LookupError(f"this section holds {len(self.charts)} charts, not one")
        return self.charts[0]

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        """Short text form (what a notebook stores beside the HTML): the charts' titles, not the page."""
        return f"Section({len(self.html)} characters of HTML, charts={[c.title for c in self.charts]!r})"


def figure_html(chart: Chart) -> str:
    data = base64.b64encode(chart.png).decode("ascii")
    notes = "".join(f'<p class="chart-note">{esc(n)}</p>' for n in chart.notes)
    return (
        '<figure class="chart">'
        f'<img src="data:image/png;base64,{data}" alt="{esc(chart.alt)}" />'
        f'<figcaption><span class="chart-source">Source: {esc(chart.source)}</span>{notes}</figcaption>'
        "</figure>" + table_html(chart.table, chart.table_caption, css_class="chart-table")
    )


def table_html(frame: pd.DataFrame, caption: str, css_class: str = "data-table", index: bool = False) -> str:
    """An accessible table: caption, header cells with scope, values already formatted as text."""
    head = "".join(
        f'<th scope="col">{esc(c)}</th>' for c in ([frame.index.name or ""] if index else []) + list(frame.columns)
    )
    rows = []
    for idx, row in frame.iterrows():
        cells = f'<th scope="row">{esc(idx)}</th>' if index else ""
        cells += "".join(f"<td>{esc(v)}</td>" for v in row)
        rows.append(f"<tr>{cells}</tr>")
    return (
        f'<div class="table-wrap"><table class="{esc(css_class)}"><caption>{esc(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def bullet_list(items: Iterable[str], css_class: str = "findings") -> str:
    return f'<ul class="{esc(css_class)}">' + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>"


def paragraph(text: str, css_class: str = "") -> str:
    cls = f' class="{esc(css_class)}"' if css_class else ""
    return f"<p{cls}>{esc(text)}</p>"


def notice(text: str) -> str:
    """A one-line note shown where a chart cannot be drawn (e.g. no local extracts for the area)."""
    return f'<p class="notice" role="note">{esc(text)}</p>'


def links_list(items: Sequence[tuple[str, str, str]]) -> str:
    """(text, url, detail) rows as a list of links (sources)."""
    out = []
    for text, url, detail in items:
        # only plain web links: a javascript: or data: address from a bad extract is shown as text
        safe = isinstance(url, str) and url.lower().startswith(("http://", "https://"))
        link = f'<a href="{esc(url)}">{esc(text)}</a>' if safe else esc(text)
        out.append(f"<li>{link}{': ' + esc(detail) if detail else ''}</li>")
    return '<ul class="sources">' + "".join(out) + "</ul>"
