"""What the notebooks call: ``from analysis import report`` then ``report.context(...)`` and the report's pieces.

The public API is re-exported here so notebooks read the same whatever module holds each piece.
"""

from analysis.report.api import *  # noqa: F403
