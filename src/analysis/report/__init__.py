"""What the notebooks call: ``from analysis import report``, then ``report.context(...)`` and the pieces.

Each piece lives in the module for its job (context, findings, trends, timeline, finance, notes);
this package re-exports the public API so notebooks read the same whichever module holds a piece.

The contract: every section a notebook shows returns a ``Section`` (HTML through ``_repr_html_``,
and the ``Chart``s it holds); the data behind it comes from functions named ``*_frame``,
``*_list``, ``*_rows`` or ``*_sentence`` (plain pandas, lists and text, testable without IPython).
"""

from analysis.data.periods import parse_year
from analysis.errors import RequestError
from analysis.measures.processed import StaleProcessed
from analysis.measures.reads import Inputs, UndeclaredInput
from analysis.measures.request import check_period, check_request, inputs
from analysis.present.html import Section
from analysis.report._answers import five_answers, five_answers_list
from analysis.report._claims import check_claim, claims, claims_list
from analysis.report._context import ReportContext, bench, context, source_line
from analysis.report._deprivation_section import deprivation, deprivation_chart, deprivation_frame, deprivation_sentence
from analysis.report._finance import finance, finance_rows
from analysis.report._findings import key_findings, key_findings_list, scorecard, scorecard_frame, verdict, verdict_box
from analysis.report._funnel_section import funnel, funnel_panels, funnel_points, funnel_sentence, funnels
from analysis.report._notes import glossary, header, method_notes, quoted_figures, series_break_notes, sources
from analysis.report._params import ParameterError, check_parameters
from analysis.report._quality import checks_run, coverage, revisions, suppressed, vintages
from analysis.report._summary import MeasureSummary, judgement_baseline, summaries
from analysis.report._timeline import judgements, milestones, timeline
from analysis.report._trends import callouts, changes_table, trajectory, trend

__all__ = [
    "checks_run",
    "coverage",
    "revisions",
    "suppressed",
    "vintages",
    "Inputs",
    "MeasureSummary",
    "ParameterError",
    "ReportContext",
    "RequestError",
    "Section",
    "StaleProcessed",
    "UndeclaredInput",
    "bench",
    "callouts",
    "check_claim",
    "claims",
    "claims_list",
    "five_answers",
    "five_answers_list",
    "changes_table",
    "check_parameters",
    "check_period",
    "check_request",
    "context",
    "deprivation",
    "deprivation_chart",
    "deprivation_frame",
    "deprivation_sentence",
    "finance",
    "finance_rows",
    "funnel",
    "funnel_panels",
    "funnel_points",
    "funnel_sentence",
    "funnels",
    "glossary",
    "header",
    "inputs",
    "judgement_baseline",
    "judgements",
    "key_findings",
    "key_findings_list",
    "method_notes",
    "milestones",
    "parse_year",
    "quoted_figures",
    "scorecard",
    "scorecard_frame",
    "series_break_notes",
    "source_line",
    "sources",
    "summaries",
    "timeline",
    "trajectory",
    "trend",
    "verdict",
    "verdict_box",
]
