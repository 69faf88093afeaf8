"""The comparison groups the data gives an area, and the statistical neighbour models it holds (no pandas).

England, the area's region and its statistical neighbours in one DfE model: the names the
notebooks, the report-set file and the charts use. Kept in ``data`` (under both ``measures`` and
``present``) and apart from ``measures.comparators`` (which imports pandas), so that the report-set
file and the notebook parameters are checked without loading any data.
"""

from __future__ import annotations

# Which comparators a chart and its table may show, in the order they are drawn.
COMPARATORS: tuple[str, ...] = ("england", "region", "neighbours")
# DfE statistical neighbour models the neighbours extract holds.
SN_MODELS: tuple[str, ...] = ("2021", "2025")
