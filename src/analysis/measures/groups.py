"""The names of the comparison groups a report may show, and of the statistical neighbour models (no pandas).

Kept apart from ``comparators`` (which imports pandas) so that the report-set file and the
notebook parameters can be checked without loading any data.
"""

from __future__ import annotations

# Which comparators a chart and its table may show, in the order they are drawn.
COMPARATORS: tuple[str, ...] = ("england", "region", "neighbours")
# DfE statistical neighbour models the neighbours extract holds.
SN_MODELS: tuple[str, ...] = ("2021", "2025")
