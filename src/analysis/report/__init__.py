"""What the notebooks call: ``from analysis import report``, then ``report.context(...)`` and the pieces.

Each piece lives in the module for its job (context, findings, trends, timeline, finance, notes);
this package re-exports the public API so notebooks read the same whichever module holds a piece.
"""

from analysis.report.answers import five_answers, five_answers_list
from analysis.report.claims import check_claim, claims, claims_list
from analysis.report.context import ReportContext, bench, context, source_line
from analysis.report.finance import finance, finance_rows
from analysis.report.findings import answer, key_findings, key_findings_list, scorecard, scorecard_frame, verdict
from analysis.report.notes import glossary, header, method_notes, quoted_figures, series_break_notes, sources
from analysis.report.timeline import judgements, milestones, timeline
from analysis.report.trends import callouts, changes_table, trajectory, trend

__all__ = [
    "ReportContext",
    "answer",
    "five_answers",
    "five_answers_list",
    "bench",
    "callouts",
    "changes_table",
    "check_claim",
    "claims",
    "claims_list",
    "context",
    "finance",
    "finance_rows",
    "glossary",
    "header",
    "judgements",
    "key_findings",
    "key_findings_list",
    "method_notes",
    "milestones",
    "quoted_figures",
    "scorecard",
    "scorecard_frame",
    "series_break_notes",
    "source_line",
    "sources",
    "timeline",
    "trajectory",
    "trend",
    "verdict",
]
