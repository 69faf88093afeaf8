"""Children's social care performance analysis: sourced extracts, indicators, reports."""

__version__ = "0.1.0"
