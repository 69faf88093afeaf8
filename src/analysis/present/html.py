"""Small, escaped HTML fragments for notebook outputs: figures with alt text, tables, lists.

Notebooks display these with IPython's HTML so the rendered report carries its charts inline
(base64 PNG), real alt text, and a data table under each chart. Every string that comes from
data goes through ``html.escape``: an area called "<script>" renders as text.
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
